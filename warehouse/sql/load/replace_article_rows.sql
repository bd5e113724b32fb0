-- Replace every row of the batch's articles in one article table (delete-then-insert, inside the load's
-- transaction): reloading an article is idempotent and drops rows its re-extraction no longer finds.
-- {table} is a table name from transforms/schema.py, never data.
DELETE FROM {table} WHERE article_id IN (SELECT article_id FROM batch_articles);
INSERT INTO {table} BY NAME SELECT * FROM batch_{table};
