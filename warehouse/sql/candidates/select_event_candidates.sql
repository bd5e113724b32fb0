-- The warehouse events a batch's events may join (transforms/stories/event_clusters.py decides which do): the same
-- event_type, published within 30 days of a batch event of that type (undated articles on either side pass), and
-- sharing a blocking key with it: a word of a participant's entity key, the resolved place, the day, or the first
-- letters of the trigger (STEM_LETTERS there: mentions of one story tie on the trigger's stem; within 7 days). Reads the batch from
-- `batch_rows`, the warehouse from the view event_cluster_members and the article bodies (whose names tell the
-- story) from `articles`, so it runs on frames too (transforms/evaluate/clusters.py registers all three). Each row
-- carries its current cluster id; an article's body comes once, on its first row (the others hold NULL): a body per
-- row would copy each article once per event it reports.
WITH batch AS (
    SELECT NULL::VARCHAR AS event_id, event_type, published_at::TIMESTAMPTZ AS published_at,
        actor_entity_keys, recipient_entity_keys, place_geonames_id, event_date, event_end_date, trigger
    FROM batch_rows
), in_window AS (
    SELECT c.*
    FROM event_cluster_members c
    WHERE EXISTS (
        SELECT 1 FROM batch b
        WHERE b.event_type = c.event_type
          AND (b.published_at IS NULL OR c.published_at IS NULL
               OR c.published_at BETWEEN b.published_at - INTERVAL 30 DAY AND b.published_at + INTERVAL 30 DAY)
    )
), blocks AS (
    SELECT
        event_id, event_type, published_at,
        unnest(list_distinct(list_concat(
            -- Words of the participants' keys: clustering ties on them, stop words aside (this list is a subset).
            list_filter(
                flatten(list_transform(coalesce(actor_entity_keys, []) || coalesce(recipient_entity_keys, []),
                    lambda k: string_split(k, '_'))),
                lambda w: w NOT IN ('', 'a', 'an', 'the', 'of', 'in', 'on', 'at', 'to', 'for', 'and', 'or', 'by', 'with')
            ).list_transform(lambda w: 'word:' || w),
            CASE WHEN place_geonames_id IS NOT NULL THEN ['place:' || place_geonames_id] ELSE [] END,
            CASE WHEN event_date = coalesce(event_end_date, event_date) THEN ['day:' || event_date] ELSE [] END,
            ['stem:' || left(lower(coalesce(trigger, '')), 4)]
        ))) AS block
    FROM (
        SELECT event_id, event_type, published_at, actor_entity_keys, recipient_entity_keys, place_geonames_id,
            event_date, event_end_date, trigger
        FROM batch
        UNION ALL
        SELECT event_id, event_type, published_at, actor_entity_keys, recipient_entity_keys, place_geonames_id,
            event_date, event_end_date, trigger
        FROM in_window
    )
), selected AS (
    SELECT DISTINCT c.event_id
    FROM blocks c
    JOIN blocks b ON b.event_id IS NULL AND b.event_type = c.event_type AND b.block = c.block
    WHERE c.event_id IS NOT NULL
      AND (b.published_at IS NULL OR c.published_at IS NULL
           OR c.published_at BETWEEN b.published_at - INTERVAL 30 DAY AND b.published_at + INTERVAL 30 DAY)
      -- A trigger's stem ties only within one story, whose reports fall within days of each other: over the
      -- whole window a dense warehouse would hand every batch thousands of same-stem rows of other stories.
      AND (NOT starts_with(c.block, 'stem:') OR b.published_at IS NULL OR c.published_at IS NULL
           OR c.published_at BETWEEN b.published_at - INTERVAL 7 DAY AND b.published_at + INTERVAL 7 DAY)
), chosen AS (
    SELECT w.*, row_number() OVER (PARTITION BY w.article_id ORDER BY w.event_id) AS nth
    FROM in_window w
    JOIN selected USING (event_id)
)
SELECT c.* EXCLUDE (nth), a.body
FROM chosen c
LEFT JOIN articles a ON a.article_id = c.article_id AND c.nth = 1
ORDER BY c.published_at NULLS LAST, c.event_id;
