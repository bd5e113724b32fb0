"""Ranked search: the scores are BM25 (checked by hand on three documents), terms are made alike for the index and
the query, and reindexing an article replaces its terms and nothing else's."""

from __future__ import annotations

import math

import duckdb
import polars as pl
import pytest

from tests.conftest import DEMO_INBOX
from warehouse.load import apply_schema
from warehouse.search import index_articles, reindex_all

SEED_BODY = (DEMO_INBOX / "seed" / "trump-putin-zelenskyy.txt").read_text(encoding="utf-8")
# In two of the seed article's paragraphs (expected.md's quotes 3 and 5); quotes are found in the body, so their
# offsets are exact.
SEED_QUOTES = ("Russia is not going to discuss", "a springboard for terror")


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    apply_schema(con)
    yield con
    con.close()


def add_article(con, article_id: str, title: str, body: str, quotes: list[str]) -> None:
    con.execute(
        "INSERT INTO articles (article_id, title, body, content_hash, source_uri, run_id, ingested_at) "
        "VALUES (?, ?, ?, 'h', 'u', 'r', now())",
        [article_id, title, body],
    )
    for n, text in enumerate(quotes):
        start = body.index(text)
        con.execute(
            "INSERT INTO quotes (quote_id, article_id, quote_type, text, char_start, char_end, run_id) "
            "VALUES (?, ?, 'direct', ?, ?, ?, 'r')",
            [f"{article_id}-q{n}", article_id, text, start, start + len(text)],
        )


def paragraph_of(body: str, fragment: str) -> str:
    """The line of the body holding `fragment` (the seed article has one paragraph a line)."""
    return next(line for line in body.splitlines() if fragment in line)


def bm25(tf: int, doc_terms: int, average_terms: float, documents: int, df: int) -> float:
    idf = math.log(1 + (documents - df + 0.5) / (df + 0.5))
    return idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * doc_terms / average_terms))


def test_search_terms_drop_stop_words_and_plurals_and_join_hyphenated_words(con):
    terms = con.execute("SELECT search_terms(?)", ["The cease-fire talks on Ukraine’s policies aren’t over"]).fetchone()
    assert terms == (["ceasefire", "cease", "fire", "talk", "ukraine", "policy", "arent", "over"],)
    # Short words and -ss/-us endings keep their s; the query goes through the same macro.
    assert con.execute("SELECT search_terms('gas glass status Ceasefires')").fetchone() == (
        ["gas", "glass", "status", "ceasefire"],
    )


def test_quote_scores_are_bm25_computed_by_hand(con):
    # Terms: [ceasefire, talk] (2), [talk, fail] (2), [ceasefire, hold, ceasefire, talk, resume, today] (6).
    body = "Ceasefire talks. Talks fail. The ceasefire holds and ceasefire talks resume today."
    add_article(
        con, "a", None, body, ["Ceasefire talks", "Talks fail", "The ceasefire holds and ceasefire talks resume today"]
    )
    index_articles(con, "articles")
    found = dict(con.execute("SELECT quote_id, score FROM search_quotes('ceasefire')").fetchall())
    average = (2 + 2 + 6) / 3
    assert found == {
        "a-q0": pytest.approx(bm25(1, 2, average, 3, 2)),
        "a-q2": pytest.approx(bm25(2, 6, average, 3, 2)),
    }
    ranked = con.execute("SELECT quote_id, score, matched_terms FROM search_quotes('ceasefire talks')").fetchall()
    talk = {"a-q0": bm25(1, 2, average, 3, 3), "a-q1": bm25(1, 2, average, 3, 3), "a-q2": bm25(1, 6, average, 3, 3)}
    expected = {"a-q0": found["a-q0"] + talk["a-q0"], "a-q1": talk["a-q1"], "a-q2": found["a-q2"] + talk["a-q2"]}
    assert [quote_id for quote_id, _, _ in ranked] == sorted(expected, key=expected.get, reverse=True)
    assert {quote_id: score for quote_id, score, _ in ranked} == pytest.approx(expected)
    assert {quote_id: matched for quote_id, _, matched in ranked} == {"a-q0": 2, "a-q1": 1, "a-q2": 2}
    assert con.execute("SELECT count(*) FROM search_quotes('the of and')").fetchone() == (0,)


def test_search_quotes_gives_the_quote_with_its_article_and_exact_offsets(con):
    add_article(
        con, "seed", "Trump says he remains committed", SEED_BODY, [paragraph_of(SEED_BODY, q) for q in SEED_QUOTES]
    )
    reindex_all(con)
    (hit,) = con.sql("SELECT * FROM search_quotes('springboard for terror')").pl().iter_rows(named=True)
    assert hit["quote_id"] == "seed-q1" and hit["title"] == "Trump says he remains committed"
    assert SEED_BODY[hit["char_start"] : hit["char_end"]] == hit["text"] and "springboard" in hit["text"]
    articles = con.execute("SELECT article_id FROM search_articles('Zelenskyy Moscow')").fetchall()
    assert articles == [("seed",)]


def index_rows(con) -> set[tuple]:
    return set(con.execute("SELECT doc_kind, term, doc_id, article_id, tf FROM search_postings").fetchall()) | set(
        con.execute("SELECT 'length', doc_kind, doc_id, article_id, terms FROM search_documents").fetchall()
    )


def test_reindexing_an_article_replaces_its_terms_and_keeps_the_others(con):
    add_article(con, "seed", "Peace deal", SEED_BODY, [paragraph_of(SEED_BODY, SEED_QUOTES[0])])
    add_article(con, "other", "Unrelated", "Talks about the harvest went well, farmers said.", [])
    reindex_all(con)
    before = index_rows(con)
    assert con.execute("SELECT count(*) FROM search_quotes('unacceptable')").fetchone() == (1,)
    # The seed article is loaded again and its re-extraction finds another quote: the load replaced its rows.
    con.execute("DELETE FROM quotes WHERE article_id = 'seed'")
    con.execute("UPDATE articles SET title = 'Springboard' WHERE article_id = 'seed'")
    add_quote = paragraph_of(SEED_BODY, SEED_QUOTES[1])
    start = SEED_BODY.index(add_quote)
    con.execute(
        "INSERT INTO quotes (quote_id, article_id, quote_type, text, char_start, char_end, run_id) "
        "VALUES ('seed-new', 'seed', 'direct', ?, ?, ?, 'r')",
        [add_quote, start, start + len(add_quote)],
    )
    con.register("batch_articles", pl.DataFrame({"article_id": ["seed"]}).to_arrow())
    index_articles(con, "batch_articles")
    index_articles(con, "batch_articles")  # twice changes nothing
    incremental = index_rows(con)
    assert con.execute("SELECT count(*) FROM search_quotes('unacceptable')").fetchone() == (0,)
    assert con.execute("SELECT quote_id FROM search_quotes('springboard')").fetchall() == [("seed-new",)]
    assert {row for row in before if "other" in row} == {row for row in incremental if "other" in row}
    reindex_all(con)
    assert incremental == index_rows(con) != before
