-- People and organisations across articles: one row per entity key, computed at query time from sources and
-- mentions (so loading costs nothing and the rows follow the data). Inside an article the entity layer has already
-- resolved a surname to the fullest name the article gives; across articles a surname-only key joins a full name
-- through entity_aliases when exactly one person has that surname, and an ambiguous surname stays its own entity.

-- Every article's reference to an entity, under its cross-article key: its sources (anonymous ones are many people
-- under one key, so left out) and its name mentions (an organisation the article names without citing it). A
-- mention that is no source carries no kind, so its kind is the one its resolution rule gave it.
CREATE OR REPLACE VIEW entity_references AS
SELECT
    coalesce(al.canonical_key, s.entity_key) AS entity_key, s.entity_key AS article_key, s.article_id,
    a.published_date, a.outlet, s.source_id, s.name, s.kind
FROM sources s
JOIN articles a USING (article_id)
LEFT JOIN entity_aliases al ON al.entity_key = s.entity_key
WHERE s.kind <> 'anonymous' AND s.entity_key <> ''
UNION ALL
SELECT
    coalesce(al.canonical_key, m.entity_key), m.entity_key, m.article_id, a.published_date, a.outlet, NULL,
    m.entity_name,
    CASE WHEN m.rule IN ('organisation_name', 'organisation_phrase') THEN 'organization'
         WHEN m.rule = 'outlet_name' THEN 'outlet'
         WHEN m.rule IN ('full_name', 'name_part_to_full', 'name_alone', 'titled_name') THEN 'person'
         ELSE 'other' END
FROM mentions m
JOIN articles a USING (article_id)
LEFT JOIN entity_aliases al ON al.entity_key = m.entity_key
WHERE m.source_id IS NULL AND m.mention_type IN ('name', 'partial_name')
  AND m.entity_key IS NOT NULL AND NOT starts_with(m.entity_key, 'anon:');

CREATE OR REPLACE VIEW entities AS
WITH kinds AS (
    SELECT entity_key, kind, count(DISTINCT article_id) AS articles FROM entity_references GROUP BY ALL
), entity_kind AS (
    SELECT entity_key, first(kind ORDER BY articles DESC, kind) AS kind FROM kinds GROUP BY entity_key
), name_counts AS (
    -- A name under the entity's own key ('Donald Trump' for donald_trump) is fuller than a surname that only
    -- joined it ('Trump'); among those, the name most articles use wins, then the longer.
    SELECT entity_key, name, bool_or(article_key = entity_key) AS full_key, count(DISTINCT article_id) AS articles
    FROM entity_references WHERE name IS NOT NULL GROUP BY ALL
), canonical AS (
    SELECT entity_key, first(name ORDER BY full_key DESC, articles DESC, length(name) DESC, name) AS name
    FROM name_counts GROUP BY entity_key
), seen AS (
    SELECT
        entity_key, min(published_date) AS first_seen, max(published_date) AS last_seen,
        count(DISTINCT article_id) AS articles, count(DISTINCT outlet) AS outlets
    FROM entity_references GROUP BY entity_key
), surface_names AS (
    SELECT coalesce(al.canonical_key, m.entity_key) AS entity_key, list_sort(list_distinct(list(m.text))) AS names
    FROM mentions m
    LEFT JOIN entity_aliases al ON al.entity_key = m.entity_key
    WHERE m.mention_type IN ('name', 'partial_name') AND m.entity_key IS NOT NULL
    GROUP BY ALL
), source_rows AS (
    SELECT r.entity_key, r.published_date, s.*
    EXCLUDE (entity_key, published_date)
    FROM entity_references r JOIN sources s USING (source_id)
), role_texts AS (
    -- The role as written, with the affiliation when the role does not already say it ('president, South Korea').
    SELECT entity_key, article_id, published_date, regexp_replace(trim(
        CASE WHEN affiliation IS NULL OR contains(role, affiliation) THEN role
             WHEN role IS NULL THEN affiliation
             ELSE role || ', ' || affiliation END), '\s+', ' ', 'g') AS role
    FROM source_rows
    WHERE role IS NOT NULL OR affiliation IS NOT NULL
), roles AS (
    SELECT entity_key, list({'role': role, 'first_seen': first_seen, 'last_seen': last_seen, 'articles': articles}
        ORDER BY first_seen NULLS LAST, role) AS roles
    FROM (
        SELECT entity_key, role, min(published_date) AS first_seen, max(published_date) AS last_seen,
               count(DISTINCT article_id) AS articles
        FROM role_texts GROUP BY ALL
    )
    GROUP BY entity_key
), evidence_words AS (
    -- Each article's evidence ('mr. ×3; he') summed per stated gender across the articles stating it.
    SELECT entity_key, gender, regexp_replace(item, ' ×\d+$', '') AS word,
           sum(coalesce(try_cast(regexp_extract(item, ' ×(\d+)$', 1) AS INTEGER), 1)) AS times
    FROM source_rows, unnest(string_split(gender_evidence, '; ')) AS evidence(item)
    WHERE gender IS NOT NULL
    GROUP BY ALL
), stated_genders AS (
    SELECT entity_key, gender, count(DISTINCT article_id) AS articles
    FROM source_rows WHERE gender IS NOT NULL GROUP BY ALL
), genders AS (
    -- The gender more articles state; as many for each leaves it unknown, and the evidence shows both sides.
    SELECT entity_key,
           CASE WHEN count(*) = 1 OR max(articles) > min(articles) THEN arg_max(gender, articles) END AS gender,
           string_agg(gender || ' in ' || articles || CASE WHEN articles = 1 THEN ' article (' ELSE ' articles (' END
               || words || ')', '; ' ORDER BY articles DESC, gender) AS gender_evidence
    FROM stated_genders
    JOIN (SELECT entity_key, gender, string_agg(word || CASE WHEN times > 1 THEN ' ×' || times ELSE '' END, '; '
              ORDER BY times DESC, word) AS words
          FROM evidence_words GROUP BY ALL) USING (entity_key, gender)
    GROUP BY entity_key
), estimates AS (
    SELECT entity_key, first(gender_estimate ORDER BY n DESC, gender_estimate) AS gender_estimate
    FROM (SELECT entity_key, gender_estimate, count(*) AS n FROM source_rows
          WHERE gender_estimate IS NOT NULL GROUP BY ALL)
    GROUP BY entity_key
), quote_counts AS (
    SELECT sr.entity_key, count(q.quote_id) AS quotes
    FROM source_rows sr JOIN quotes q USING (source_id) GROUP BY sr.entity_key
), identifiers AS (
    -- A name in entity_ids.csv joins like a source's: 'Trump' reaches donald_trump when the surname is unambiguous.
    SELECT coalesce(al.canonical_key, ei.entity_key) AS entity_key,
           first(ei.identifier ORDER BY al.canonical_key IS NULL DESC, ei.entity_key) AS identifier
    FROM entity_identifiers ei LEFT JOIN entity_aliases al ON al.entity_key = ei.entity_key
    GROUP BY ALL
)
SELECT
    k.entity_key, c.name, k.kind, coalesce(sn.names, []) AS names, coalesce(r.roles, []) AS roles,
    g.gender, g.gender_evidence, e.gender_estimate,
    s.first_seen, s.last_seen, s.articles, s.outlets, coalesce(qc.quotes, 0) AS quotes, i.identifier
FROM entity_kind k
JOIN canonical c USING (entity_key)
JOIN seen s USING (entity_key)
LEFT JOIN surface_names sn USING (entity_key)
LEFT JOIN roles r USING (entity_key)
LEFT JOIN genders g USING (entity_key)
LEFT JOIN estimates e USING (entity_key)
LEFT JOIN quote_counts qc USING (entity_key)
LEFT JOIN identifiers i USING (entity_key)
WHERE k.kind IN ('person', 'organization', 'outlet');

-- Entities whose key, canonical name, any surface name or identifier is `who` (a surname matches the end of a
-- name): exact matches first, then the entities seen in most articles.
CREATE OR REPLACE MACRO entity(who) AS TABLE
    SELECT
        CASE WHEN entity_key = key_of(who) OR lower(name) = lower(trim(who)) OR identifier = trim(who) THEN 'exact'
             ELSE 'partial' END AS match,
        entity_key, name, kind, articles, quotes, outlets, first_seen, last_seen, roles, gender, gender_evidence,
        gender_estimate, identifier, names
    FROM entities
    WHERE names_match(array_to_string(list_append(names, name), ';'), [entity_key], who) OR identifier = trim(who)
    ORDER BY match, articles DESC, quotes DESC, entity_key;

COMMENT ON VIEW entity_references IS 'Every article''s reference to a person or organisation under its cross-article key: its sources (not anonymous ones) and the names it mentions without citing them. The entities view groups these.';
COMMENT ON COLUMN entity_references.entity_key IS 'Cross-article key: the article''s key, or the full-name key a surname-only key joins (entity_aliases).';
COMMENT ON COLUMN entity_references.article_key IS 'The key as the article had it (sources.entity_key or mentions.entity_key).';
COMMENT ON COLUMN entity_references.article_id IS 'The article.';
COMMENT ON COLUMN entity_references.published_date IS 'The article''s publication date.';
COMMENT ON COLUMN entity_references.outlet IS 'The article''s outlet.';
COMMENT ON COLUMN entity_references.source_id IS 'The source row, when the reference is a source (NULL for a mention that is no source).';
COMMENT ON COLUMN entity_references.name IS 'The entity''s name in that article (the fullest the article gives).';
COMMENT ON COLUMN entity_references.kind IS 'person, organization, outlet or other: the source''s kind, or for a mention the kind its resolution rule gave.';

COMMENT ON VIEW entities IS 'One row per person, organisation or outlet across the warehouse (entity_key), from sources and name mentions; surname-only keys join a full name when unambiguous (entity_aliases), ambiguous ones stay apart.';
COMMENT ON COLUMN entities.entity_key IS 'Stable key: the slug of the fullest name (maria_zakharova), as sources.entity_key.';
COMMENT ON COLUMN entities.name IS 'Canonical name: of the names under the entity''s own key, the one most articles use (then the longer).';
COMMENT ON COLUMN entities.kind IS 'person, organization or outlet: the kind most articles give.';
COMMENT ON COLUMN entities.names IS 'Every surface name seen in name and partial-name mentions (''Maria Zakharova'', ''Zakharova''), sorted.';
COMMENT ON COLUMN entities.roles IS 'Roles and titles the articles give (role, with the affiliation when the role does not say it), each with the first and last publication date seen and its articles, oldest first.';
COMMENT ON COLUMN entities.gender IS 'The gender more articles state (female or male, from their words, never from the name); NULL when none do or as many say each.';
COMMENT ON COLUMN entities.gender_evidence IS 'Each stated gender with its articles and their words summed (''female in 3 articles (spokeswoman ×9; she ×2)''); a conflict shows both.';
COMMENT ON COLUMN entities.gender_estimate IS 'The first-name estimate (sources.gender_estimate) most of its sources carry, kept apart from gender.';
COMMENT ON COLUMN entities.first_seen IS 'Earliest publication date of an article referring to the entity.';
COMMENT ON COLUMN entities.last_seen IS 'Latest publication date of an article referring to the entity.';
COMMENT ON COLUMN entities.articles IS 'Articles citing or naming the entity.';
COMMENT ON COLUMN entities.outlets IS 'Distinct outlets of those articles.';
COMMENT ON COLUMN entities.quotes IS 'Quotes attributed to the entity.';
COMMENT ON COLUMN entities.identifier IS 'The user''s identifier for the entity from HOME/entity_ids.csv (entity_identifiers), e.g. a Wikidata QID.';
COMMENT ON MACRO TABLE entity IS 'entity(''Zakharova''): entities whose key, name, any surface name or identifier matches (a surname matches the end of a name), exact matches first, then by articles and quotes.';
