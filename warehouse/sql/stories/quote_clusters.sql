-- Quote clusters: the same statement quoted across articles (transforms/stories/quote_clusters.py assigns
-- quotes.quote_cluster_id). A row's current cluster follows cluster_merges (cluster_roots); members are ordered by
-- publication, then article and position, so "first" is the same everywhere. Quotes not yet given a cluster are
-- left out.
CREATE OR REPLACE VIEW quote_cluster_members AS
SELECT
    coalesce(r.root, q.quote_cluster_id) AS quote_cluster_id,
    q.quote_id, q.article_id, a.outlet, a.published_at, a.title, a.url,
    q.speaker, coalesce(al.canonical_key, s.entity_key) AS speaker_entity_key,
    a.duplicate_of IS NOT NULL AS syndicated, a.duplicate_of,
    q.quote_type, q.text, q.char_start, q.char_end
FROM quotes q
JOIN articles a USING (article_id)
LEFT JOIN cluster_roots r ON r.cluster_kind = 'quote' AND r.cluster_id = q.quote_cluster_id
LEFT JOIN sources s USING (source_id)
LEFT JOIN entity_aliases al ON al.entity_key = s.entity_key
WHERE q.quote_cluster_id IS NOT NULL;

CREATE OR REPLACE VIEW quote_clusters AS
WITH texts AS (
    -- The canonical text is the wording most members carry (then the longest, then the first published).
    SELECT quote_cluster_id, text, count(*) AS copies, min(published_at) AS first_at
    FROM quote_cluster_members GROUP BY ALL
), canonical AS (
    SELECT quote_cluster_id, first(text ORDER BY copies DESC, length(text) DESC, first_at NULLS LAST, text) AS text
    FROM texts GROUP BY quote_cluster_id
), speakers AS (
    SELECT quote_cluster_id, speaker_entity_key, count(*) AS members, min(published_at) AS first_at,
        first(speaker ORDER BY length(speaker) DESC, speaker) AS speaker
    FROM quote_cluster_members WHERE speaker_entity_key IS NOT NULL GROUP BY ALL
), main_speaker AS (
    -- The entity most members are attributed to (then the one quoted first).
    SELECT quote_cluster_id, first(speaker_entity_key ORDER BY members DESC, first_at NULLS LAST, speaker_entity_key)
        AS speaker_entity_key, first(speaker ORDER BY members DESC, first_at NULLS LAST, speaker_entity_key) AS speaker
    FROM speakers GROUP BY quote_cluster_id
)
SELECT
    m.quote_cluster_id,
    any_value(c.text) AS canonical_text,
    any_value(ms.speaker) AS speaker,
    any_value(ms.speaker_entity_key) AS speaker_entity_key,
    round(count(*) FILTER (WHERE m.speaker_entity_key = ms.speaker_entity_key) / count(*), 4) AS speaker_agreement,
    count(*) AS quotes,
    count(DISTINCT m.article_id) AS articles,
    count(DISTINCT m.outlet) AS outlets,
    count(*) FILTER (WHERE m.syndicated) AS syndicated_copies,
    count(DISTINCT m.article_id) FILTER (WHERE NOT m.syndicated) AS independent_articles,
    first(m.quote_id ORDER BY m.published_at NULLS LAST, m.article_id, m.char_start) AS first_quote_id,
    first(m.article_id ORDER BY m.published_at NULLS LAST, m.article_id, m.char_start) AS first_article_id,
    first(m.outlet ORDER BY m.published_at NULLS LAST, m.article_id, m.char_start) AS first_outlet,
    min(m.published_at) AS first_published_at,
    max(m.published_at) AS last_published_at
FROM quote_cluster_members m
JOIN canonical c USING (quote_cluster_id)
LEFT JOIN main_speaker ms USING (quote_cluster_id)
GROUP BY m.quote_cluster_id;

-- Where a statement went: every member of the cluster(s) whose canonical text or any member's text contains
-- `text_pattern` (ILIKE, any case), by time.
CREATE OR REPLACE MACRO quote_spread(text_pattern) AS TABLE
    WITH matching AS (
        SELECT DISTINCT quote_cluster_id FROM quote_cluster_members WHERE text ILIKE '%' || text_pattern || '%'
        UNION
        SELECT quote_cluster_id FROM quote_clusters WHERE canonical_text ILIKE '%' || text_pattern || '%'
    )
    SELECT
        m.quote_cluster_id, m.published_at, m.outlet, m.article_id, m.title, m.speaker, m.speaker_entity_key,
        m.syndicated, m.duplicate_of, m.quote_type, m.text, m.char_start, m.char_end, m.quote_id
    FROM quote_cluster_members m
    JOIN matching USING (quote_cluster_id)
    ORDER BY m.quote_cluster_id, m.published_at NULLS LAST, m.article_id, m.char_start;

COMMENT ON VIEW quote_cluster_members IS 'Each quote with its current quote cluster (after merges) and its article''s outlet, date and syndication.';
COMMENT ON COLUMN quote_cluster_members.quote_cluster_id IS 'The current cluster: the stored quotes.quote_cluster_id, or the cluster it was merged into.';
COMMENT ON COLUMN quote_cluster_members.quote_id IS 'The quote (quotes.quote_id).';
COMMENT ON COLUMN quote_cluster_members.article_id IS 'Its article.';
COMMENT ON COLUMN quote_cluster_members.outlet IS 'The article''s outlet.';
COMMENT ON COLUMN quote_cluster_members.published_at IS 'When the article was published (UTC).';
COMMENT ON COLUMN quote_cluster_members.title IS 'The article''s title.';
COMMENT ON COLUMN quote_cluster_members.url IS 'The article''s URL.';
COMMENT ON COLUMN quote_cluster_members.speaker IS 'The speaker as this article names them (resolved name).';
COMMENT ON COLUMN quote_cluster_members.speaker_entity_key IS 'The speaker''s source entity key, a surname key mapped to its full name through entity_aliases.';
COMMENT ON COLUMN quote_cluster_members.syndicated IS 'True when the article is a near-duplicate (syndicated copy) of an earlier one.';
COMMENT ON COLUMN quote_cluster_members.duplicate_of IS 'The article it copies (articles.duplicate_of), when syndicated.';
COMMENT ON COLUMN quote_cluster_members.quote_type IS 'direct, indirect, partial or mixed.';
COMMENT ON COLUMN quote_cluster_members.text IS 'The quote''s words as this article gives them (body[char_start:char_end]).';
COMMENT ON COLUMN quote_cluster_members.char_start IS 'Start offset of the text in the article body.';
COMMENT ON COLUMN quote_cluster_members.char_end IS 'End offset of the text in the article body.';

COMMENT ON VIEW quote_clusters IS 'One row per quote cluster: the same statement verbatim or nearly across articles, with its spread (who first, how many outlets, syndicated copies apart).';
COMMENT ON COLUMN quote_clusters.quote_cluster_id IS 'The current cluster id (after merges).';
COMMENT ON COLUMN quote_clusters.canonical_text IS 'The wording most members carry (then the longest, then the first published).';
COMMENT ON COLUMN quote_clusters.speaker IS 'The name of the speaker entity most members are attributed to.';
COMMENT ON COLUMN quote_clusters.speaker_entity_key IS 'That speaker''s entity key (null when no member has a source entity).';
COMMENT ON COLUMN quote_clusters.speaker_agreement IS 'Share of members whose speaker entity is the cluster''s (0 to 1).';
COMMENT ON COLUMN quote_clusters.quotes IS 'Members (quotes) of the cluster.';
COMMENT ON COLUMN quote_clusters.articles IS 'Distinct articles quoting the statement.';
COMMENT ON COLUMN quote_clusters.outlets IS 'Distinct outlets quoting the statement.';
COMMENT ON COLUMN quote_clusters.syndicated_copies IS 'Members in near-duplicate (syndicated) articles.';
COMMENT ON COLUMN quote_clusters.independent_articles IS 'Distinct articles quoting it that are not syndicated copies.';
COMMENT ON COLUMN quote_clusters.first_quote_id IS 'The first member (earliest published, then article id and offset).';
COMMENT ON COLUMN quote_clusters.first_article_id IS 'The article of the first member.';
COMMENT ON COLUMN quote_clusters.first_outlet IS 'The outlet of the first member.';
COMMENT ON COLUMN quote_clusters.first_published_at IS 'When the statement was first published (earliest member).';
COMMENT ON COLUMN quote_clusters.last_published_at IS 'When it was last published (latest member).';

COMMENT ON MACRO TABLE quote_spread IS 'quote_spread(text_pattern): every member, by time, of the quote cluster(s) whose canonical text or any member contains the pattern (ILIKE), with outlet, article, speaker, syndicated flag and offsets.';
