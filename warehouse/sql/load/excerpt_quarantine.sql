-- The warehouse keeps the start of each quarantined record; the lake keeps it whole (record_location, with its
-- hash and length). {rows} names the rows just loaded (a registered batch, or the table itself in a rebuild) and
-- {chars} the excerpt's length: both come from warehouse/load.py, never data.
UPDATE quarantine SET record = left(record, {chars})
WHERE length(record) > {chars} AND quarantine_id IN (SELECT quarantine_id FROM {rows});
