"""The entities view, the entity() macro and the user's identifiers (HOME/entity_ids.csv): one row per person or
organisation across articles, full names joined, ambiguous surnames apart, gender evidence summed."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime

import duckdb
import polars as pl
import pytest

from tests.conftest import query
from transforms.schema import ARTICLES, MENTIONS, QUOTES, SOURCES, conform
from warehouse.identifiers import EntityIdentifiersError, load_entity_identifiers, read_entity_identifiers
from warehouse.load import apply_schema, warehouse_path

# Sources as the extractor writes them for articles that say "Donald Trump", only "President Trump", "Bill Clinton",
# "Hillary Clinton" or only "Clinton"; Alex Morgan is "she" in one article and "he" in another.
SOURCE_ROWS = [
    ("a1", "Donald Trump", "donald_trump", "person", None, "male", "he ×2"),
    ("a2", "Trump", "trump", "person", "President", "male", "mr ×3; he"),
    ("a3", "Bill Clinton", "bill_clinton", "person", "former president", None, None),
    ("a4", "Hillary Clinton", "hillary_clinton", "person", "Secretary of State", "female", "she"),
    ("a5", "Clinton", "clinton", "person", None, None, None),
    ("a5", "Alex Morgan", "alex_morgan", "person", None, "female", "she"),
    ("a6", "Alex Morgan", "alex_morgan", "person", "forward", "male", "he ×2; his"),
]
DATES = {"a1": "2017-08-01", "a2": "2017-08-09", "a3": "2017-08-03", "a4": "2017-08-04", "a5": "2017-08-05"}


def insert(con: duckdb.DuckDBPyConnection, table, rows: list[dict]) -> None:
    con.register("new_rows", conform(pl.DataFrame(rows), table).to_arrow())
    con.execute(f"INSERT INTO {table.name} BY NAME SELECT * FROM new_rows")
    con.unregister("new_rows")


@pytest.fixture
def con() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    apply_schema(con)
    articles = sorted({row[0] for row in SOURCE_ROWS})
    insert(
        con,
        ARTICLES,
        [
            {
                "article_id": a,
                "outlet": f"outlet-{a}",
                "published_date": date.fromisoformat(DATES.get(a, "2017-08-06")),
                "body": "x",
                "content_hash": a,
                "source_uri": "u",
                "run_id": "r",
                "ingested_at": datetime(2026, 1, 1, tzinfo=UTC),
            }
            for a in articles
        ],
    )
    insert(
        con,
        SOURCES,
        [
            {
                "source_id": f"{a}-{key}",
                "article_id": a,
                "name": name,
                "kind": kind,
                "entity_key": key,
                "role": role,
                "gender": gender,
                "gender_evidence": evidence,
                "mention_count": 1,
                "quote_count": 1,
                "run_id": "r",
            }
            for a, name, key, kind, role, gender, evidence in SOURCE_ROWS
        ],
    )
    insert(
        con,
        QUOTES,
        [
            {
                "quote_id": f"{a}-{key}-q",
                "article_id": a,
                "source_id": f"{a}-{key}",
                "quote_type": "direct",
                "text": "x",
                "char_start": 0,
                "char_end": 1,
                "run_id": "r",
            }
            for a, _, key, *_ in SOURCE_ROWS
        ],
    )
    mentions = [
        ("a1", "Donald Trump", "name", "donald_trump", "Donald Trump", "full_name", "a1-donald_trump"),
        ("a1", "Trump", "partial_name", "donald_trump", "Donald Trump", "name_part_to_full", "a1-donald_trump"),
        ("a2", "President Trump", "name", "trump", "Trump", "full_name", "a2-trump"),
        ("a1", "CNN", "name", "cnn", "CNN", "organisation_name", None),  # named, never cited
        ("a2", "CNN", "name", "cnn", "CNN", "organisation_name", None),
        ("a2", "he", "pronoun", "trump", "Trump", "salient_speaker", "a2-trump"),
    ]
    insert(
        con,
        MENTIONS,
        [
            {
                "mention_id": f"m{n}",
                "article_id": a,
                "text": text,
                "mention_type": mention_type,
                "entity_key": key,
                "entity_name": name,
                "rule": rule,
                "source_id": source,
                "char_start": 0,
                "char_end": 1,
                "run_id": "r",
            }
            for n, (a, text, mention_type, key, name, rule, source) in enumerate(mentions)
        ],
    )
    yield con
    con.close()


def entity(con, key: str) -> dict:
    (row,) = con.sql(f"SELECT * FROM entities WHERE entity_key = '{key}'").pl().iter_rows(named=True)
    return row


def test_full_names_join_across_articles_and_ambiguous_surnames_stay_apart(con):
    keys = [k for (k,) in con.execute("SELECT entity_key FROM entities ORDER BY ALL").fetchall()]
    assert keys == ["alex_morgan", "bill_clinton", "clinton", "cnn", "donald_trump", "hillary_clinton"]
    trump = entity(con, "donald_trump")
    assert (trump["name"], trump["kind"], trump["articles"], trump["outlets"], trump["quotes"]) == (
        "Donald Trump",
        "person",
        2,
        2,
        2,
    )
    assert trump["names"] == ["Donald Trump", "President Trump", "Trump"]  # pronouns are no names
    assert [(r["role"], str(r["first_seen"]), r["articles"]) for r in trump["roles"]] == [
        ("President", "2017-08-09", 1)
    ]
    assert (str(trump["first_seen"]), str(trump["last_seen"])) == ("2017-08-01", "2017-08-09")
    assert (trump["gender"], trump["gender_evidence"]) == ("male", "male in 2 articles (he ×3; mr ×3)")
    cnn = entity(con, "cnn")
    assert (cnn["kind"], cnn["articles"], cnn["quotes"], cnn["names"]) == ("organization", 2, 0, ["CNN"])


def test_conflicting_gender_evidence_is_shown_and_decides_nothing(con):
    morgan = entity(con, "alex_morgan")
    assert morgan["gender"] is None
    assert morgan["gender_evidence"] == "female in 1 article (she); male in 1 article (he ×2; his)"


def test_entity_macro_ranks_exact_matches_first_then_by_articles(con):
    assert con.execute("SELECT match, entity_key FROM entity('Clinton')").fetchall() == [
        ("exact", "clinton"),
        ("partial", "bill_clinton"),
        ("partial", "hillary_clinton"),
    ]
    assert con.execute("SELECT entity_key, articles FROM entity('TRUMP')").fetchall() == [("donald_trump", 2)]
    assert con.execute("SELECT count(*) FROM entity('Morgan Stanley')").fetchone() == (0,)


def test_identifiers_from_the_csv_join_by_name_key_or_unambiguous_surname(con, tmp_path):
    (tmp_path / "entity_ids.csv").write_text(
        "name,identifier,note\nTrump,Q22686,the surname reaches the full name\nHillary Clinton,Q6294,\n"
        "Hillary Clinton,Q6294,said twice\n",
        encoding="utf-8",
    )
    assert load_entity_identifiers(con, tmp_path) == 2
    found = dict(con.execute("SELECT entity_key, identifier FROM entities WHERE identifier IS NOT NULL").fetchall())
    assert found == {"donald_trump": "Q22686", "hillary_clinton": "Q6294"}
    assert con.execute("SELECT entity_key FROM entity('Q6294')").fetchall() == [("hillary_clinton",)]
    (tmp_path / "entity_ids.csv").unlink()  # the rows follow the file: none left
    assert load_entity_identifiers(con, tmp_path) == 0
    assert con.execute("SELECT count(*) FROM entity_identifiers").fetchone() == (0,)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,id\nTrump,Q1\n", "line 1: the header must name the columns name,identifier (missing: identifier)"),
        ("name,identifier\nTrump,Q1\nPutin\n", "line 3: expected 2 fields"),
        ("name,identifier\nTrump,Q1\n,Q2\n", "line 3: a row needs a name and an identifier"),
        (
            "name,identifier\nDonald Trump,Q1\nDonald J. Trump,Q2\n",
            "line 3: 'Donald J. Trump' is the entity 'donald_trump' of line 2",
        ),
        ('name,identifier\nTrump,Q1\n"Putin,Q2\n', "line 3: not a CSV row"),
    ],
)
def test_a_malformed_identifier_file_names_its_line(tmp_path, text, message):
    path = tmp_path / "entity_ids.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EntityIdentifiersError, match=message.replace("(", r"\(").replace(")", r"\)")):
        read_entity_identifiers(path)


def test_an_identifier_file_that_is_not_utf8_names_its_line(tmp_path):
    path = tmp_path / "entity_ids.csv"
    path.write_bytes("name,identifier\nTrump,Q1\nErdoğan,Q39723\n".encode() + "Gödel,Q1\n".encode("cp1252"))
    with pytest.raises(EntityIdentifiersError, match="line 4: not UTF-8"):
        read_entity_identifiers(path)


def test_entities_on_the_demo_warehouse_agree_with_its_sources_and_mentions(demo_home, tmp_path):
    zakharova = query(
        demo_home, "SELECT name, kind, names, roles, gender, gender_evidence, quotes FROM entity('Zakharova')"
    )
    ((name, kind, names, roles, gender, evidence, quotes),) = zakharova
    assert (name, kind, gender) == ("Maria Zakharova", "person", "female")
    assert {"Maria Zakharova", "Zakharova"} <= set(names) and any("spokeswoman" in r["role"] for r in roles)
    assert evidence.startswith("female in 1 article (") and quotes >= 3
    # One row per key; every cited person or organisation is there, under its full name when the surname joins one.
    assert query(demo_home, "SELECT count(*) = count(DISTINCT entity_key) FROM entities") == [(True,)]
    assert query(
        demo_home,
        """SELECT count(*) FROM (SELECT entity_key FROM entity_references GROUP BY 1 HAVING count(DISTINCT kind) = 1) one_kind
           JOIN sources s ON coalesce((SELECT canonical_key FROM entity_aliases al WHERE al.entity_key = s.entity_key),
                                      s.entity_key) = one_kind.entity_key
           WHERE s.kind IN ('person', 'organization') AND one_kind.entity_key NOT IN (SELECT entity_key FROM entities)""",
    ) == [(0,)]
    assert query(
        demo_home, "SELECT count(*) FROM entities WHERE entity_key IN (SELECT entity_key FROM entity_aliases)"
    ) == [(0,)]
    # Quotes per entity: the quotes of its sources, surname-only articles included.
    assert query(
        demo_home,
        """SELECT e.quotes = (SELECT count(*) FROM quote_facts q WHERE q.entity_key = e.entity_key)
           FROM entities e WHERE e.entity_key = 'donald_trump'""",
    ) == [(True,)]
    # The user's identifiers join on a copy of the warehouse (the demo home is shared).
    home = tmp_path / "home"
    home.mkdir()
    shutil.copy(warehouse_path(demo_home), warehouse_path(home))
    (home / "entity_ids.csv").write_text("name,identifier\nMaria Zakharova,Q4191565\n", encoding="utf-8")
    with duckdb.connect(str(warehouse_path(home))) as con:
        load_entity_identifiers(con, home)
        assert con.execute("SELECT identifier FROM entity('Zakharova')").fetchall() == [("Q4191565",)]
