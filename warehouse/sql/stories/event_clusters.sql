-- Event clusters across articles (transforms/stories/event_clusters.py assigns events.event_cluster_id): the rows
-- clustered mentions (which the candidate query reads too), one row per cluster, story(a, b) and the latest day's top stories. Every event row
-- counts in its current cluster (cluster_roots follows merges).

-- One row per clustered event mention with what clustering and the views read; the candidate query reads it too.
CREATE OR REPLACE VIEW event_cluster_members AS
SELECT
    coalesce(r.root, e.event_cluster_id) AS event_cluster_id,
    e.event_id, e.article_id, e.published_date, e.event_type, e.mode, e.cameo_code, e.quad_class,
    e.trigger, e.trigger_char_start, e.trigger_char_end,
    e.actor, e.actor_entity_keys, e.recipient, e.recipient_entity_keys,
    e.location, e.place_geonames_id, e.place_country_code, e.place_latitude, e.place_longitude,
    e.event_date, e.event_end_date, e.date_granularity,
    CASE e.date_granularity WHEN 'day' THEN 1 WHEN 'week' THEN 2 WHEN 'month' THEN 3 WHEN 'year' THEN 4 END
        AS date_precision,
    e.negated, e.future, a.published_at, a.outlet, a.title, a.duplicate_of
FROM events e
JOIN articles a USING (article_id)
LEFT JOIN cluster_roots r ON r.cluster_kind = 'event' AND r.cluster_id = e.event_cluster_id
WHERE e.event_cluster_id IS NOT NULL;

CREATE OR REPLACE VIEW event_clusters AS
WITH participant_keys AS (
    SELECT m.event_cluster_id, k.role, coalesce(al.canonical_key, k.entity_key) AS entity_key
    FROM event_cluster_members m,
    LATERAL (
        SELECT 'actor' AS role, unnest(m.actor_entity_keys) AS entity_key
        UNION ALL SELECT 'recipient', unnest(m.recipient_entity_keys)
    ) k
    LEFT JOIN entity_aliases al ON al.entity_key = k.entity_key
), keys_per_cluster AS (
    SELECT
        event_cluster_id,
        list_sort(list_distinct(list(entity_key) FILTER (WHERE role = 'actor'))) AS actor_entity_keys,
        list_sort(list_distinct(list(entity_key) FILTER (WHERE role = 'recipient'))) AS recipient_entity_keys
    FROM participant_keys
    GROUP BY event_cluster_id
)
SELECT
    m.event_cluster_id,
    mode(m.event_type) AS event_type,
    mode(m.mode) AS mode,
    mode(m.cameo_code) AS cameo_code,
    mode(m.quad_class) AS quad_class,
    list_sort(list_distinct(flatten(list(string_split(m.actor, '; ')) FILTER (WHERE m.actor IS NOT NULL))))
        AS actors,
    coalesce(any_value(k.actor_entity_keys), []) AS actor_entity_keys,
    list_sort(list_distinct(flatten(list(string_split(m.recipient, '; ')) FILTER (WHERE m.recipient IS NOT NULL))))
        AS recipients,
    coalesce(any_value(k.recipient_entity_keys), []) AS recipient_entity_keys,
    -- The most precise place named: a resolved city before a resolved country before unresolved text.
    first(m.location ORDER BY m.place_geonames_id IS NULL, m.place_latitude IS NULL, m.location) AS location,
    first(m.place_country_code ORDER BY m.place_geonames_id IS NULL, m.place_latitude IS NULL, m.location)
        AS place_country_code,
    first(m.place_latitude ORDER BY m.place_geonames_id IS NULL, m.place_latitude IS NULL, m.location)
        AS place_latitude,
    first(m.place_longitude ORDER BY m.place_geonames_id IS NULL, m.place_latitude IS NULL, m.location)
        AS place_longitude,
    -- The most precise date a mention gives (a day before a month before a year).
    first(m.event_date ORDER BY m.date_precision NULLS LAST, m.event_date) AS event_date,
    first(m.event_end_date ORDER BY m.date_precision NULLS LAST, m.event_date) AS event_end_date,
    first(m.date_granularity ORDER BY m.date_precision NULLS LAST, m.event_date) AS date_granularity,
    count(*) AS mentions,
    count(DISTINCT m.article_id) AS articles,
    count(DISTINCT m.outlet) AS outlets,
    first(m.event_id ORDER BY m.published_at NULLS LAST, m.article_id, m.trigger_char_start) AS first_event_id,
    first(m.article_id ORDER BY m.published_at NULLS LAST, m.article_id, m.trigger_char_start) AS first_article_id,
    first(m.outlet ORDER BY m.published_at NULLS LAST, m.article_id, m.trigger_char_start) AS first_outlet,
    min(m.published_at) AS first_published_at,
    bool_or(m.negated) AND NOT bool_and(m.negated) AS disagree_negated,
    bool_or(m.future) AND NOT bool_and(m.future) AS disagree_future,
    -- Periods that do not all share a day: some mention dates it elsewhere.
    coalesce(max(m.event_date) > min(coalesce(m.event_end_date, m.event_date)), false) AS disagree_dates
FROM event_cluster_members m
LEFT JOIN keys_per_cluster k USING (event_cluster_id)
GROUP BY m.event_cluster_id;

-- story('Trump', 'Putin'): every mention of the event clusters whose actors or recipients name both, by the
-- participant text, the entity keys or the entities' names (names_match: a name, its surname or its key).
CREATE OR REPLACE MACRO story(a, b) AS TABLE
WITH participant_names AS (
    SELECT m.event_cluster_id, m.actor AS names, m.actor_entity_keys AS keys FROM event_cluster_members m
    UNION ALL SELECT m.event_cluster_id, m.recipient, m.recipient_entity_keys FROM event_cluster_members m
    UNION ALL
    SELECT DISTINCT m.event_cluster_id, n.entity_name, [n.entity_key]
    FROM event_cluster_members m
    JOIN mentions n ON n.entity_key IN (SELECT unnest(m.actor_entity_keys || m.recipient_entity_keys))
    WHERE n.entity_name IS NOT NULL
), both_named AS (
    SELECT event_cluster_id
    FROM participant_names
    GROUP BY event_cluster_id
    HAVING bool_or(names_match(names, keys, a)) AND bool_or(names_match(names, keys, b))
)
SELECT
    m.event_cluster_id, c.event_type, c.event_date AS cluster_event_date, m.event_id, m.event_date, m.trigger,
    m.actor, m.recipient, m.negated, m.future, m.article_id, m.title, m.outlet, m.published_at,
    m.trigger_char_start, m.trigger_char_end
FROM event_cluster_members m
JOIN both_named USING (event_cluster_id)
JOIN event_clusters c USING (event_cluster_id)
ORDER BY c.first_published_at NULLS LAST, m.event_cluster_id, m.published_at NULLS LAST, m.article_id,
    m.trigger_char_start;

CREATE OR REPLACE VIEW top_stories AS
WITH latest AS (
    SELECT max(published_date) AS published_date FROM articles
), that_day AS (
    SELECT m.event_cluster_id, count(DISTINCT m.article_id) AS day_articles, count(DISTINCT m.outlet) AS day_outlets
    FROM event_cluster_members m, latest l
    WHERE m.published_date = l.published_date
    GROUP BY m.event_cluster_id
)
SELECT
    l.published_date,
    rank() OVER (ORDER BY d.day_articles DESC, d.day_outlets DESC) AS rank,
    c.event_cluster_id, c.event_type, c.actors, c.recipients, c.location, c.event_date, c.date_granularity,
    d.day_articles, d.day_outlets, c.articles, c.outlets, c.mentions, c.first_published_at
FROM that_day d
JOIN event_clusters c USING (event_cluster_id)
CROSS JOIN latest l
ORDER BY rank, c.first_published_at, c.event_cluster_id;

COMMENT ON VIEW event_cluster_members IS 'Each event mention that has a cluster, in its current cluster, with its article''s publication, outlet and title.';
COMMENT ON COLUMN event_cluster_members.event_cluster_id IS 'The current cluster: the stored events.event_cluster_id, or the cluster it was merged into.';
COMMENT ON COLUMN event_cluster_members.event_id IS 'events.event_id.';
COMMENT ON COLUMN event_cluster_members.article_id IS 'Article the event is mentioned in.';
COMMENT ON COLUMN event_cluster_members.published_date IS 'Article publication date (UTC).';
COMMENT ON COLUMN event_cluster_members.event_type IS 'PLOVER event type.';
COMMENT ON COLUMN event_cluster_members.mode IS 'PLOVER mode of the type.';
COMMENT ON COLUMN event_cluster_members.cameo_code IS 'Full CAMEO code of the type and mode.';
COMMENT ON COLUMN event_cluster_members.quad_class IS 'PLOVER quad class.';
COMMENT ON COLUMN event_cluster_members.trigger IS 'The words that report the event (body[trigger_char_start:trigger_char_end]).';
COMMENT ON COLUMN event_cluster_members.trigger_char_start IS 'Start offset of the trigger in the article body.';
COMMENT ON COLUMN event_cluster_members.trigger_char_end IS 'End offset of the trigger in the article body.';
COMMENT ON COLUMN event_cluster_members.actor IS 'Who acts, as the article names them (; between several).';
COMMENT ON COLUMN event_cluster_members.actor_entity_keys IS 'Entity keys of the actors.';
COMMENT ON COLUMN event_cluster_members.recipient IS 'Who the event is directed at (; between several).';
COMMENT ON COLUMN event_cluster_members.recipient_entity_keys IS 'Entity keys of the recipients.';
COMMENT ON COLUMN event_cluster_members.location IS 'The place named in the trigger''s clause, as written.';
COMMENT ON COLUMN event_cluster_members.place_geonames_id IS 'GeoNames id the location resolves to (null: unknown).';
COMMENT ON COLUMN event_cluster_members.place_country_code IS 'ISO country code of the place.';
COMMENT ON COLUMN event_cluster_members.place_latitude IS 'Latitude of the place (cities only).';
COMMENT ON COLUMN event_cluster_members.place_longitude IS 'Longitude of the place (cities only).';
COMMENT ON COLUMN event_cluster_members.event_date IS 'First day of the period the mention dates the event to.';
COMMENT ON COLUMN event_cluster_members.event_end_date IS 'Last day of that period.';
COMMENT ON COLUMN event_cluster_members.date_granularity IS 'day, week, month, year or unresolved.';
COMMENT ON COLUMN event_cluster_members.date_precision IS 'Rank of the granularity: 1 day, 2 week, 3 month, 4 year, null undated or unresolved.';
COMMENT ON COLUMN event_cluster_members.negated IS 'The mention says the event did not happen.';
COMMENT ON COLUMN event_cluster_members.future IS 'The mention reports the event as to come.';
COMMENT ON COLUMN event_cluster_members.published_at IS 'Article publication time (UTC).';
COMMENT ON COLUMN event_cluster_members.outlet IS 'Outlet of the article.';
COMMENT ON COLUMN event_cluster_members.title IS 'Title of the article.';
COMMENT ON COLUMN event_cluster_members.duplicate_of IS 'The article this one is a near-duplicate (syndicated copy) of.';

COMMENT ON VIEW event_clusters IS 'Each real-world event reported across articles: what, who, where, when, first report, coverage and where the mentions disagree.';
COMMENT ON COLUMN event_clusters.event_cluster_id IS 'The cluster (events.event_cluster_id, after merges).';
COMMENT ON COLUMN event_clusters.event_type IS 'PLOVER type of its mentions (the most common).';
COMMENT ON COLUMN event_clusters.mode IS 'Most common PLOVER mode of its mentions.';
COMMENT ON COLUMN event_clusters.cameo_code IS 'Most common full CAMEO code of its mentions.';
COMMENT ON COLUMN event_clusters.quad_class IS 'PLOVER quad class.';
COMMENT ON COLUMN event_clusters.actors IS 'Names of the actors, as the mentions write them.';
COMMENT ON COLUMN event_clusters.actor_entity_keys IS 'Entity keys of the actors (surname keys joined to their full name by entity_aliases).';
COMMENT ON COLUMN event_clusters.recipients IS 'Names of the recipients, as the mentions write them.';
COMMENT ON COLUMN event_clusters.recipient_entity_keys IS 'Entity keys of the recipients (surname keys joined to their full name by entity_aliases).';
COMMENT ON COLUMN event_clusters.location IS 'The most precise place its mentions name: a resolved city, else a country, else the text.';
COMMENT ON COLUMN event_clusters.place_country_code IS 'ISO country code of that place.';
COMMENT ON COLUMN event_clusters.place_latitude IS 'Latitude of that place (cities only).';
COMMENT ON COLUMN event_clusters.place_longitude IS 'Longitude of that place (cities only).';
COMMENT ON COLUMN event_clusters.event_date IS 'Start of the most precise date a mention gives.';
COMMENT ON COLUMN event_clusters.event_end_date IS 'End of that period.';
COMMENT ON COLUMN event_clusters.date_granularity IS 'Granularity of that date.';
COMMENT ON COLUMN event_clusters.mentions IS 'Event mentions in the cluster.';
COMMENT ON COLUMN event_clusters.articles IS 'Articles that mention it.';
COMMENT ON COLUMN event_clusters.outlets IS 'Outlets that mention it.';
COMMENT ON COLUMN event_clusters.first_event_id IS 'The mention in the earliest published article.';
COMMENT ON COLUMN event_clusters.first_article_id IS 'The earliest published article that reports it.';
COMMENT ON COLUMN event_clusters.first_outlet IS 'Outlet of that article.';
COMMENT ON COLUMN event_clusters.first_published_at IS 'When that article was published (the first report).';
COMMENT ON COLUMN event_clusters.disagree_negated IS 'Some mentions say it did not happen, others that it did.';
COMMENT ON COLUMN event_clusters.disagree_future IS 'Some mentions report it as to come, others not.';
COMMENT ON COLUMN event_clusters.disagree_dates IS 'The mentions'' dates do not all share a day.';

COMMENT ON MACRO TABLE story IS 'story(a, b): every mention (trigger, actor, recipient, article, offsets) of the event clusters whose participants name both a and b.';

COMMENT ON VIEW top_stories IS 'The event clusters reported on the latest publication day in the warehouse, ranked by that day''s articles, then outlets.';
COMMENT ON COLUMN top_stories.published_date IS 'The latest publication day in the warehouse.';
COMMENT ON COLUMN top_stories.rank IS 'Rank by that day''s articles, then outlets (ties share a rank).';
COMMENT ON COLUMN top_stories.event_cluster_id IS 'The cluster (see event_clusters).';
COMMENT ON COLUMN top_stories.event_type IS 'PLOVER type.';
COMMENT ON COLUMN top_stories.actors IS 'Names of the actors.';
COMMENT ON COLUMN top_stories.recipients IS 'Names of the recipients.';
COMMENT ON COLUMN top_stories.location IS 'The most precise place named.';
COMMENT ON COLUMN top_stories.event_date IS 'Start of the most precise date given.';
COMMENT ON COLUMN top_stories.date_granularity IS 'Granularity of that date.';
COMMENT ON COLUMN top_stories.day_articles IS 'Articles of that day that report it.';
COMMENT ON COLUMN top_stories.day_outlets IS 'Outlets of that day that report it.';
COMMENT ON COLUMN top_stories.articles IS 'Articles that report it, all days.';
COMMENT ON COLUMN top_stories.outlets IS 'Outlets that report it, all days.';
COMMENT ON COLUMN top_stories.mentions IS 'Event mentions, all days.';
COMMENT ON COLUMN top_stories.first_published_at IS 'The first report.';
