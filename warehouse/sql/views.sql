-- Views for ad hoc questions; recreated on every load so they always match the tables.
-- Columns keep their schema.sql names; a source column beside a quote's own is prefixed `source_` (its kind, role).
-- Near-duplicate (syndicated) articles stay in every view: filter `duplicate_of IS NULL` to count each story once.

-- An article that names a person only by surname ("President Trump" -> key 'trump') joins the full-name key
-- ('donald_trump') when exactly one person key in the warehouse ends in that surname; ambiguous surnames
-- ('clinton' with both Bill and Hillary) stay as they are. A view, so it follows the data as it grows.
CREATE OR REPLACE VIEW entity_aliases AS
WITH person_keys AS (
    SELECT DISTINCT entity_key FROM sources WHERE kind = 'person'
), surname_matches AS (
    SELECT surname.entity_key AS alias, min(full_name.entity_key) AS canonical_key, count(*) AS candidates
    FROM person_keys surname
    JOIN person_keys full_name ON full_name.entity_key LIKE '%\_' || surname.entity_key ESCAPE '\'
    WHERE surname.entity_key NOT LIKE '%\_%' ESCAPE '\'
    GROUP BY surname.entity_key
)
SELECT alias AS entity_key, canonical_key FROM surname_matches WHERE candidates = 1;

CREATE OR REPLACE VIEW quote_facts AS
SELECT
    q.quote_id, q.article_id, a.published_date, q.speaker, q.speaker_mention, q.quote_type, q.cue, q.text, q.confidence,
    q.source_id, s.name AS source_name, s.kind AS source_kind, s.role AS source_role,
    s.affiliation AS source_affiliation, coalesce(al.canonical_key, s.entity_key) AS entity_key,
    a.title, a.outlet, a.url, a.published_at, a.duplicate_of,
    q.char_start, q.char_end
FROM quotes q
JOIN articles a USING (article_id)
LEFT JOIN sources s USING (source_id)
LEFT JOIN entity_aliases al ON al.entity_key = s.entity_key;

CREATE OR REPLACE VIEW speaker_stats AS
WITH quotes_per_source AS (
    SELECT source_id, count(*) AS quotes FROM quotes GROUP BY source_id
)
SELECT
    coalesce(al.canonical_key, s.entity_key) AS entity_key,
    -- The fullest name as written where the source is mentioned most, so stray variants do not win.
    first(s.name ORDER BY al.canonical_key IS NOT NULL, s.mention_count DESC, length(s.name) DESC, s.name) AS name,
    list_sort(list_distinct(list(s.kind))) AS kinds,
    coalesce(sum(qs.quotes), 0)::BIGINT AS quotes,
    sum(s.mention_count)::BIGINT AS mentions,
    count(DISTINCT s.article_id) AS articles,
    count(DISTINCT a.outlet) AS outlets,
    min(a.published_date) AS first_seen,
    max(a.published_date) AS last_seen
FROM sources s
JOIN articles a USING (article_id)
LEFT JOIN quotes_per_source qs USING (source_id)
LEFT JOIN entity_aliases al ON al.entity_key = s.entity_key
GROUP BY coalesce(al.canonical_key, s.entity_key);

CREATE OR REPLACE VIEW event_facts AS
SELECT
    e.event_id, e.event_key, e.article_id, a.published_date, e.event_type, e.mode, e.quad_class, e.cameo_root,
    e.trigger, e.trigger_char_start, e.trigger_char_end,
    e.actor, e.actor_entity_keys, e.recipient, e.recipient_entity_keys, e.location,
    e.date_text, e.event_date, e.event_end_date, e.date_granularity, e.negated, e.future, e.hypothetical,
    e.quote_id, e.confidence,
    substr(a.body, e.sentence_char_start + 1, e.sentence_char_end - e.sentence_char_start) AS sentence,
    a.title, a.outlet, a.url, a.duplicate_of
FROM events e
JOIN articles a USING (article_id);

-- Counted per article first, so that joining quotes, sources and events never multiplies rows.
CREATE OR REPLACE VIEW article_stats AS
WITH source_counts AS (
    SELECT article_id, count(*) AS sources, count(*) FILTER (WHERE kind = 'anonymous') AS anonymous_sources
    FROM sources GROUP BY article_id
), quote_counts AS (
    SELECT q.article_id, count(*) AS quotes, count(*) FILTER (WHERE s.kind = 'anonymous') AS anonymous_quotes
    FROM quotes q LEFT JOIN sources s USING (source_id) GROUP BY q.article_id
), event_counts AS (
    SELECT article_id, count(*) AS events FROM events GROUP BY article_id
)
SELECT
    a.article_id, a.published_date, a.outlet, a.title, a.word_count, a.duplicate_of,
    coalesce(sc.sources, 0) AS sources, coalesce(sc.anonymous_sources, 0) AS anonymous_sources,
    coalesce(qc.quotes, 0) AS quotes, coalesce(qc.anonymous_quotes, 0) AS anonymous_quotes,
    coalesce(ec.events, 0) AS events
FROM articles a
LEFT JOIN source_counts sc USING (article_id)
LEFT JOIN quote_counts qc USING (article_id)
LEFT JOIN event_counts ec USING (article_id);

CREATE OR REPLACE VIEW outlet_stats AS
WITH speakers_per_outlet AS (
    SELECT outlet, count(DISTINCT entity_key) AS speakers FROM quote_facts GROUP BY outlet
)
SELECT
    st.outlet,
    count(*) AS articles,
    min(st.published_date) AS first_seen,
    max(st.published_date) AS last_seen,
    sum(st.sources)::BIGINT AS sources,
    sum(st.anonymous_sources)::BIGINT AS anonymous_sources,
    round(sum(st.anonymous_sources) / nullif(sum(st.sources), 0), 4) AS anonymous_share,
    sum(st.quotes)::BIGINT AS quotes,
    sum(st.anonymous_quotes)::BIGINT AS anonymous_quotes,
    round(sum(st.quotes) / count(*), 2) AS quotes_per_article,
    coalesce(any_value(sp.speakers), 0) AS speakers,
    sum(st.events)::BIGINT AS events
FROM article_stats st
LEFT JOIN speakers_per_outlet sp ON sp.outlet IS NOT DISTINCT FROM st.outlet
GROUP BY st.outlet;

CREATE OR REPLACE VIEW daily_counts AS
SELECT
    published_date, outlet,
    count(*) AS articles,
    sum(sources)::BIGINT AS sources,
    sum(anonymous_sources)::BIGINT AS anonymous_sources,
    sum(quotes)::BIGINT AS quotes,
    sum(events)::BIGINT AS events
FROM article_stats
GROUP BY published_date, outlet;
