"""The BM25 search index (search_documents, search_postings): kept in step with the articles at every load.

The index is derived, not in the lake: a load replaces the terms of its batch's articles (their title and body,
and each of their quotes) inside its transaction, and a rebuild recomputes all of them, so the index always holds
exactly the warehouse's articles and quotes. The terms come from the SQL macro search_terms, which the search
macros apply to the query too (warehouse/sql/stories/search.sql); the cost of a load grows with its articles.

May import nothing of flows/ or transforms/.
"""

from __future__ import annotations

import duckdb


def index_articles(con: duckdb.DuckDBPyConnection, batch_relation: str) -> None:
    """Replace the index terms of the articles listed in `batch_relation` (a table, view or registered frame with
    an article_id column) by those of their current rows in `articles` and `quotes`; call it after the rows."""
    # query_table reads the relation by name, a parameter: the SQL text stays constant.
    batch = {"articles": batch_relation}
    con.execute(
        "DELETE FROM search_postings WHERE article_id IN (SELECT article_id FROM query_table($articles))", batch
    )
    con.execute(
        "DELETE FROM search_documents WHERE article_id IN (SELECT article_id FROM query_table($articles))", batch
    )
    con.execute(
        """CREATE OR REPLACE TEMP TABLE search_batch AS
           WITH batch AS (SELECT DISTINCT article_id FROM query_table($articles))
           SELECT 'article' AS doc_kind, a.article_id AS doc_id, a.article_id,
                  search_terms(concat_ws(' ', a.title, a.body)) AS terms
           FROM articles a JOIN batch USING (article_id)
           UNION ALL
           SELECT 'quote', q.quote_id, q.article_id, search_terms(q.text)
           FROM quotes q JOIN batch USING (article_id)""",
        batch,
    )
    con.execute("INSERT INTO search_documents SELECT doc_kind, doc_id, article_id, len(terms) FROM search_batch")
    con.execute(
        """INSERT INTO search_postings
           SELECT doc_kind, term, doc_id, article_id, count(*) FROM search_batch, unnest(terms) AS t(term) GROUP BY ALL"""
    )
    con.execute("DROP TABLE search_batch")


def reindex_all(con: duckdb.DuckDBPyConnection) -> None:
    """Recompute the whole index from the warehouse's articles and quotes."""
    con.execute("DELETE FROM search_postings")
    con.execute("DELETE FROM search_documents")
    index_articles(con, "articles")
