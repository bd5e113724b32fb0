-- Bookkeeping rows (runs, quarantine, duplicates, skipped, ingested_files) keyed by stable ids: a rerun of the
-- same load replaces them instead of adding copies. {table} is a table name from transforms/schema.py.
INSERT OR REPLACE INTO {table} BY NAME SELECT * FROM batch_{table};
