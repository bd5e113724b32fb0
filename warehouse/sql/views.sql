-- Views for ad hoc questions; recreated on every load so they always match the tables.
-- Columns keep their schema.sql names; a source column beside a quote's own is prefixed `source_` (its kind, role).
-- Near-duplicate (syndicated) articles stay in every view: filter `duplicate_of IS NULL` to count each story once
-- (source_diversity has a row for each choice: `include_syndicated`).

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
-- A quoted source is one with at least one quote in the article (quote_count > 0); a quoted person is such a source
-- of kind person, by the gender the article gives (sources.gender) or, in the *_incl_estimate counts, by that or
-- else the first-name estimate (sources.gender_estimate).
CREATE OR REPLACE VIEW article_stats AS
WITH quoting AS (
    SELECT
        *, quote_count > 0 AS quoted, quote_count > 0 AND kind = 'person' AS quoted_person,
        coalesce(gender, gender_estimate) AS gender_incl_estimate
    FROM sources
), source_counts AS (
    SELECT
        article_id, count(*) AS sources, count(*) FILTER (WHERE kind = 'anonymous') AS anonymous_sources,
        count(*) FILTER (WHERE quoted) AS quoted_sources,
        count(*) FILTER (WHERE quoted AND kind = 'anonymous') AS quoted_anonymous_sources,
        count(*) FILTER (WHERE quoted_person) AS quoted_people,
        count(*) FILTER (WHERE quoted_person AND gender = 'female') AS quoted_women,
        count(*) FILTER (WHERE quoted_person AND gender = 'male') AS quoted_men,
        count(*) FILTER (WHERE quoted_person AND gender_incl_estimate = 'female') AS quoted_women_incl_estimate,
        count(*) FILTER (WHERE quoted_person AND gender_incl_estimate = 'male') AS quoted_men_incl_estimate
    FROM quoting GROUP BY article_id
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
    coalesce(ec.events, 0) AS events,
    coalesce(sc.quoted_sources, 0) AS quoted_sources,
    coalesce(sc.quoted_anonymous_sources, 0) AS quoted_anonymous_sources,
    coalesce(sc.quoted_people, 0) AS quoted_people,
    coalesce(sc.quoted_women, 0) AS quoted_women,
    coalesce(sc.quoted_men, 0) AS quoted_men,
    coalesce(sc.quoted_women_incl_estimate, 0) AS quoted_women_incl_estimate,
    coalesce(sc.quoted_men_incl_estimate, 0) AS quoted_men_incl_estimate
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

-- Who gets quoted, per outlet and month of publication: the Gender Gap Tracker's measures, offline and auditable.
-- People are counted per article (article_stats), so someone quoted in three articles counts three times. Each
-- outlet and month has two rows: include_syndicated = true counts every article the outlet published, false only
-- the originals (duplicate_of IS NULL), so that a wire story copied by five sites counts once.
CREATE OR REPLACE VIEW source_diversity AS
WITH counted AS (
    SELECT st.*, choice.include_syndicated
    FROM article_stats st
    JOIN (VALUES (true), (false)) AS choice(include_syndicated)
        ON choice.include_syndicated OR st.duplicate_of IS NULL
), totals AS (
    SELECT
        outlet, date_trunc('month', published_date)::DATE AS month, include_syndicated,
        count(*) AS articles,
        sum(quoted_people)::BIGINT AS quoted_people,
        sum(quoted_women)::BIGINT AS quoted_women,
        sum(quoted_men)::BIGINT AS quoted_men,
        sum(quoted_women_incl_estimate)::BIGINT AS quoted_women_incl_estimate,
        sum(quoted_men_incl_estimate)::BIGINT AS quoted_men_incl_estimate,
        sum(quoted_sources)::BIGINT AS quoted_sources,
        sum(quoted_anonymous_sources)::BIGINT AS quoted_anonymous_sources
    FROM counted
    GROUP BY ALL
)
SELECT
    outlet, month, include_syndicated, articles,
    quoted_people, quoted_women, quoted_men,
    quoted_people - quoted_women - quoted_men AS quoted_gender_unknown,
    round(quoted_women / nullif(quoted_women + quoted_men, 0), 4) AS women_share,
    quoted_women_incl_estimate, quoted_men_incl_estimate,
    quoted_people - quoted_women_incl_estimate - quoted_men_incl_estimate AS quoted_gender_unknown_incl_estimate,
    round(quoted_women_incl_estimate / nullif(quoted_women_incl_estimate + quoted_men_incl_estimate, 0), 4)
        AS women_share_incl_estimate,
    quoted_sources, quoted_anonymous_sources,
    round(quoted_anonymous_sources / nullif(quoted_sources, 0), 4) AS quoted_anonymous_share
FROM totals;
