-- Ranked full-text search (BM25) over quotes and article bodies, offline and without DuckDB's fts extension
-- (docs/search.md says why). The index is derived data, not in the lake: warehouse/search.py replaces a batch's
-- terms at every load (index_articles) and rebuilds them all with the warehouse (reindex_all). Text becomes terms
-- the same way when it is indexed and when it is searched: search_terms below.

-- Lucene's English stop set (EnglishAnalyzer): words too common to tell documents apart.
CREATE OR REPLACE MACRO search_stop_words() AS [
    'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not', 'of',
    'on', 'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was', 'will', 'with'];

-- Harman's S-stemmer (1991), plural endings only: 'talks' -> 'talk', 'policies' -> 'policy', 'ceasefires' ->
-- 'ceasefire', while 'news', 'crisis' and 'us' keep their s. Words of three letters or fewer stay as they are.
CREATE OR REPLACE MACRO search_stem(w) AS CASE
    WHEN length(w) <= 3 THEN w
    WHEN suffix(w, 'ies') AND NOT suffix(w, 'eies') AND NOT suffix(w, 'aies') THEN left(w, -3) || 'y'
    WHEN suffix(w, 'es') AND NOT (suffix(w, 'aes') OR suffix(w, 'ees') OR suffix(w, 'oes')) THEN left(w, -1)
    WHEN suffix(w, 's') AND NOT (suffix(w, 'us') OR suffix(w, 'ss')) THEN left(w, -1)
    ELSE w END;

-- Text as search terms: lower case, accents removed, a possessive 's dropped and an inner apostrophe closed up
-- ("don’t" -> 'dont'), split on anything but letters, digits and hyphens; a hyphenated word gives its parts and
-- the closed-up form, so 'cease-fire' also finds 'ceasefire'; stop words and single characters dropped; stemmed.
CREATE OR REPLACE MACRO search_terms(t) AS list_transform(
    list_filter(
        flatten(list_transform(
            regexp_split_to_array(
                regexp_replace(regexp_replace(strip_accents(lower(coalesce(t, ''))), '[''’]s\b', '', 'g'),
                    '(\pL)[''’](\pL)', '\1\2', 'g'),
                '[^\pL\pN-]+'),
            lambda w: CASE WHEN contains(trim(w, '-'), '-')
                      THEN list_prepend(replace(w, '-', ''), string_split(w, '-'))
                      ELSE [trim(w, '-')] END)),
        lambda w: length(w) > 1 AND NOT list_contains(search_stop_words(), w)),
    lambda w: search_stem(w));

CREATE TABLE IF NOT EXISTS search_documents (
    doc_kind VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    terms INTEGER NOT NULL
);

CREATE TABLE IF NOT EXISTS search_postings (
    doc_kind VARCHAR NOT NULL,
    term VARCHAR NOT NULL,
    doc_id VARCHAR NOT NULL,
    article_id VARCHAR NOT NULL,
    tf INTEGER NOT NULL
);

-- BM25 (k1 = 1.2, b = 0.75) of every document of `kind` ('quote' or 'article') holding a term of `q`, with Lucene's
-- idf ln(1 + (N - df + 0.5) / (df + 0.5)), which stays positive for a term most documents hold. A term repeated in
-- the query counts once.
CREATE OR REPLACE MACRO search_scores(kind, q) AS TABLE
    WITH query_terms AS (
        SELECT DISTINCT unnest(search_terms(q)) AS term
    ), collection AS (
        SELECT count(*) AS documents, avg(terms) AS average_terms FROM search_documents WHERE doc_kind = kind
    ), matches AS (
        SELECT p.term, p.doc_id, p.tf FROM search_postings p JOIN query_terms USING (term) WHERE p.doc_kind = kind
    ), document_frequency AS (
        SELECT term, count(*) AS df FROM matches GROUP BY term
    )
    SELECT
        m.doc_id,
        sum(ln(1 + (c.documents - f.df + 0.5) / (f.df + 0.5))
            * m.tf * (1.2 + 1) / (m.tf + 1.2 * (1 - 0.75 + 0.75 * d.terms / c.average_terms))) AS score,
        count(*) AS matched_terms
    FROM matches m
    JOIN document_frequency f USING (term)
    JOIN search_documents d ON d.doc_kind = kind AND d.doc_id = m.doc_id
    CROSS JOIN collection c
    GROUP BY m.doc_id;

-- Quotes ranked by BM25 for `q`, best first, with their speaker, article and offsets into its body.
CREATE OR REPLACE MACRO search_quotes(q) AS TABLE
    SELECT
        s.doc_id AS quote_id, s.score, s.matched_terms, f.text, f.speaker, f.entity_key, f.article_id, f.title,
        f.outlet, f.published_at, f.char_start, f.char_end, f.duplicate_of
    FROM search_scores('quote', q) s
    JOIN quote_facts f ON f.quote_id = s.doc_id
    ORDER BY s.score DESC, f.published_at NULLS LAST, s.doc_id;

-- Articles ranked by BM25 for `q` over their title and body, best first.
CREATE OR REPLACE MACRO search_articles(q) AS TABLE
    SELECT
        s.doc_id AS article_id, s.score, s.matched_terms, a.title, a.outlet, a.published_at, a.url, a.word_count,
        a.duplicate_of
    FROM search_scores('article', q) s
    JOIN articles a ON a.article_id = s.doc_id
    ORDER BY s.score DESC, a.published_at NULLS LAST, s.doc_id;

COMMENT ON TABLE search_documents IS 'Derived search index (not in the lake; warehouse/search.py maintains it at load, rebuild recomputes it): each quote and article with its length in terms.';
COMMENT ON COLUMN search_documents.doc_kind IS 'quote (its text) or article (title and body).';
COMMENT ON COLUMN search_documents.doc_id IS 'quote_id or article_id.';
COMMENT ON COLUMN search_documents.article_id IS 'The article the document belongs to (what a reload replaces).';
COMMENT ON COLUMN search_documents.terms IS 'Length of the document in search terms (search_terms), for BM25''s length normalisation.';
COMMENT ON TABLE search_postings IS 'Derived search index (not in the lake): how often each search term occurs in each document.';
COMMENT ON COLUMN search_postings.doc_kind IS 'quote or article.';
COMMENT ON COLUMN search_postings.term IS 'A search term (search_terms: lower case, no accents, no stop words, plural s removed).';
COMMENT ON COLUMN search_postings.doc_id IS 'quote_id or article_id.';
COMMENT ON COLUMN search_postings.article_id IS 'The article the document belongs to.';
COMMENT ON COLUMN search_postings.tf IS 'Occurrences of the term in the document.';
COMMENT ON MACRO search_stop_words IS 'search_stop_words(): the words search leaves out (Lucene''s English stop set).';
COMMENT ON MACRO search_stem IS 'search_stem(word): Harman''s S-stemmer, plural endings only (talks -> talk, policies -> policy).';
COMMENT ON MACRO search_terms IS 'search_terms(text): the search terms of a text, as indexed and as searched.';
COMMENT ON MACRO TABLE search_scores IS 'search_scores(kind, q): BM25 score (k1 1.2, b 0.75) of each quote or article document holding a term of q.';
COMMENT ON MACRO TABLE search_quotes IS 'search_quotes(''ceasefire talks''): quotes ranked by BM25, with speaker, article, outlet, date and offsets.';
COMMENT ON MACRO TABLE search_articles IS 'search_articles(''ceasefire talks''): articles ranked by BM25 over title and body.';
