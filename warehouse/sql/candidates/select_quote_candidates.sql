-- The warehouse quotes a batch's quotes may join (transforms/stories/quote_clusters.py verifies which do): those
-- sharing a MinHash LSH band value with a quote of `batch_rows` (quote_id, minhash_bands), one row per (batch
-- quote, warehouse quote). The band join is a hash join on the batch's band values: what it returns grows with the
-- batch, not the warehouse, though it still scans every stored band list (0.4-1.3 s for 400,000 quotes and a
-- batch of 1,000; a band index table would remove the scan). Rows come from quote_cluster_members: each with its
-- current cluster, the speaker's entity key, its article's date, outlet and syndication, and when that cluster's
-- first member was published (which of two clusters is the older).
WITH batch_bands AS (
    SELECT DISTINCT quote_id AS batch_quote_id, unnest(minhash_bands) AS band FROM batch_rows
), matched AS (
    SELECT DISTINCT b.batch_quote_id, w.quote_id
    FROM (SELECT quote_id, unnest(minhash_bands) AS band FROM quotes) w
    JOIN batch_bands b USING (band)
), candidate AS (
    SELECT m.batch_quote_id, c.*
    FROM matched m
    JOIN quote_cluster_members c USING (quote_id)
), cluster_age AS (
    SELECT quote_cluster_id, min(published_at) AS cluster_first_published_at
    FROM quote_cluster_members
    WHERE quote_cluster_id IN (SELECT quote_cluster_id FROM candidate)
    GROUP BY quote_cluster_id
)
SELECT
    c.batch_quote_id, c.quote_id, c.quote_cluster_id, c.text, c.speaker, c.speaker_entity_key,
    c.article_id, c.published_at, c.outlet, c.duplicate_of, c.char_start, a.cluster_first_published_at
FROM candidate c
JOIN cluster_age a USING (quote_cluster_id)
ORDER BY c.batch_quote_id, c.published_at NULLS LAST, c.article_id, c.char_start;
