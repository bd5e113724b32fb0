-- Views for ad hoc questions; recreated on every load so they always match the tables.

CREATE OR REPLACE VIEW quote_facts AS
SELECT
    q.quote_id, q.article_id, q.speaker, q.speaker_mention, q.quote_type, q.cue, q.text, q.confidence,
    s.kind AS source_kind, s.role AS source_role, s.affiliation AS source_affiliation, s.entity_key,
    a.title, a.outlet, a.url, a.published_at, a.published_date,
    q.char_start, q.char_end
FROM quotes q
JOIN articles a USING (article_id)
LEFT JOIN sources s USING (source_id);

CREATE OR REPLACE VIEW speaker_stats AS
SELECT
    s.entity_key,
    arg_max(s.name, length(s.name)) AS name,
    list_distinct(list(s.kind)) AS kinds,
    sum(s.quote_count)::BIGINT AS quotes,
    count(DISTINCT s.article_id) AS articles,
    count(DISTINCT a.outlet) AS outlets,
    min(a.published_date) AS first_seen,
    max(a.published_date) AS last_seen
FROM sources s
JOIN articles a USING (article_id)
GROUP BY s.entity_key;

CREATE OR REPLACE VIEW event_facts AS
SELECT
    e.event_id, e.event_key, e.article_id, e.event_type, e.mode, e.quad_class, e.trigger,
    e.actor, e.recipient, e.location, e.event_date, e.event_end_date, e.date_granularity,
    e.negated, e.future, e.hypothetical, e.confidence,
    a.title, a.outlet, a.url, a.published_date
FROM events e
JOIN articles a USING (article_id);
