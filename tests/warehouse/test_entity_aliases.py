"""Surname-only speaker keys join the one full name that ends in that surname, across articles."""

import duckdb

from warehouse.load import apply_schema


def test_unambiguous_surnames_join_their_full_name_and_ambiguous_ones_do_not():
    con = duckdb.connect()
    apply_schema(con)
    # Keys as the extractor writes them for articles that say "President Trump", "Donald Trump", "Clinton"...
    people = [
        ("a1", "trump", "Trump", 3),
        ("a2", "donald_trump", "Donald Trump", 2),
        ("a3", "clinton", "Clinton", 1),
        ("a3", "bill_clinton", "Bill Clinton", 1),
        ("a4", "hillary_clinton", "Hillary Clinton", 1),
    ]
    for article, key, name, quotes in people:
        con.execute(
            "INSERT INTO articles (article_id, body, content_hash, source_uri, run_id, ingested_at) VALUES (?, 'x', 'h', 'u', 'r', now()) ON CONFLICT DO NOTHING",
            [article],
        )
        con.execute(
            "INSERT INTO sources (source_id, article_id, name, kind, entity_key, mention_count, quote_count, run_id) VALUES (?, ?, ?, 'person', ?, 1, ?, 'r')",
            [f"{article}-{key}", article, name, key, quotes],
        )
        for n in range(quotes):
            con.execute(
                "INSERT INTO quotes (quote_id, article_id, source_id, quote_type, text, char_start, char_end, run_id) VALUES (?, ?, ?, 'direct', 'x', 0, 1, 'r')",
                [f"{article}-{key}-{n}", article, f"{article}-{key}"],
            )
    assert con.execute("SELECT * FROM entity_aliases ORDER BY ALL").fetchall() == [("trump", "donald_trump")]
    stats = dict(con.execute("SELECT entity_key, quotes FROM speaker_stats").fetchall())
    assert stats["donald_trump"] == 5 and "trump" not in stats
    assert stats["clinton"] == 1 and stats["hillary_clinton"] == 1
    names = dict(con.execute("SELECT entity_key, name FROM speaker_stats").fetchall())
    assert names["donald_trump"] == "Donald Trump"
    assert con.execute("SELECT count(*) FROM quote_facts WHERE entity_key = 'donald_trump'").fetchone() == (5,)
