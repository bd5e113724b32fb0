"""Views, macros and comments on a warehouse built by the nightly flow from the seed article alone.

Expected facts come from /work/shared/corpus/seed/expected.md (what a careful reader extracts): they hold for any
correct extractor, so the extractors can keep improving without these tests changing.
"""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pytest

from tests.conftest import DEMO_INBOX
from warehouse.load import warehouse_path

SEED_DAY = date(2025, 9, 4)
# Quotes 3-5 of expected.md, the three Maria Zakharova statements (indicative wording inside each span).
ZAKHAROVA_QUOTES = ("Russia is not going to discuss", "in any format", "a springboard for terror")
# Quotes 1, 2 and 6: Donald Trump's direct quotes.
TRUMP_QUOTES = ("I’ve been watching it", "Something is going to happen", "get it all straightened out")
VIEWS = (
    "quote_facts",
    "speaker_stats",
    "event_facts",
    "article_stats",
    "outlet_stats",
    "daily_counts",
    "source_diversity",
)


@pytest.fixture(scope="module")
def seed_warehouse(prefect_server, tmp_path_factory) -> duckdb.DuckDBPyConnection:
    from flows.nightly import nightly

    root = tmp_path_factory.mktemp("seed-warehouse")
    shutil.copytree(DEMO_INBOX / "seed", root / "inbox" / "seed")
    nightly(inbox=root / "inbox", home=root / "home", run_date=SEED_DAY)
    con = duckdb.connect(str(warehouse_path(root / "home")), read_only=True)
    yield con
    con.close()


def rows(con: duckdb.DuckDBPyConnection, query: str, *params) -> list[dict]:
    result = con.execute(query, list(params))
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row)) for row in result.fetchall()]


def texts_containing(found: list[dict], fragments: tuple[str, ...]) -> dict[str, int]:
    return {fragment: sum(fragment in row["text"] for row in found) for fragment in fragments}


def test_every_table_view_column_and_macro_is_commented(seed_warehouse):
    relations = rows(
        seed_warehouse,
        """
        SELECT table_name AS name, comment FROM duckdb_tables() WHERE NOT internal
        UNION ALL SELECT view_name, comment FROM duckdb_views() WHERE NOT internal""",
    )
    assert {r["name"] for r in relations} >= {"articles", "quotes", "runs", *VIEWS}
    assert [r["name"] for r in relations if not (r["comment"] or "").strip()] == []
    columns = rows(seed_warehouse, "SELECT table_name, column_name, comment FROM duckdb_columns() WHERE NOT internal")
    assert len(columns) > 200
    assert [(c["table_name"], c["column_name"]) for c in columns if not (c["comment"] or "").strip()] == []
    macros = rows(
        seed_warehouse,
        """
        SELECT DISTINCT function_name, comment FROM duckdb_functions()
        WHERE function_type IN ('macro', 'table_macro') AND database_name = current_database()""",
    )
    assert {m["function_name"] for m in macros} >= {
        "quotes_by",
        "quotes_about",
        "events_between",
        "timeline",
        "top_speakers",
    }
    assert [m["function_name"] for m in macros if not (m["comment"] or "").strip()] == []


def test_quotes_by_finds_the_three_zakharova_quotes_and_no_trump_quote(seed_warehouse):
    found = rows(seed_warehouse, "SELECT * FROM quotes_by('Zakharova')")
    assert all(count >= 1 for count in texts_containing(found, ZAKHAROVA_QUOTES).values())
    assert len(found) >= 3
    assert not any(row["entity_key"] == "donald_trump" for row in found)
    assert texts_containing(found, TRUMP_QUOTES) == dict.fromkeys(TRUMP_QUOTES, 0)
    # Full name, entity key and any case find the same quotes.
    for spelling in ("Maria Zakharova", "maria_zakharova", "ZAKHAROVA"):
        assert rows(seed_warehouse, "SELECT * FROM quotes_by(?)", spelling) == found


def test_quotes_by_trump_has_his_direct_quotes_in_article_order(seed_warehouse):
    found = rows(seed_warehouse, "SELECT * FROM quotes_by('Trump')")
    assert all(count == 1 for count in texts_containing(found, TRUMP_QUOTES).values())
    assert texts_containing(found, ZAKHAROVA_QUOTES)["a springboard for terror"] == 0
    positions = [
        seed_warehouse.execute("SELECT char_start FROM quotes WHERE quote_id = ?", [r["quote_id"]]).fetchone()[0]
        for r in found
    ]
    assert positions == sorted(positions)


def test_names_match_takes_names_surnames_and_keys_but_not_names_inside_others(seed_warehouse):
    def match(names, keys, who):
        return seed_warehouse.execute("SELECT names_match(?, ?, ?)", [names, keys, who]).fetchone()[0]

    assert match("Russian President Vladimir Putin; Ukrainian President Volodymyr Zelenskyy", [], "zelenskyy")
    assert match(None, ["recep_tayyip_erdogan"], "Erdoğan")
    assert match("Maria Zakharova", ["maria_zakharova"], "maria zakharova")
    assert not match("The Trump administration", ["trump_administration"], "Trump")
    assert not match("Putin's spokesman", ["putin_spokesman"], "Putin")
    assert not match(None, None, "Putin")


def test_quotes_about_ignores_case_spacing_and_punctuation(seed_warehouse):
    springboard = rows(seed_warehouse, "SELECT * FROM quotes_about('SPRINGBOARD for Terror')")
    assert len(springboard) >= 1 and all("springboard for terror" in r["text"] for r in springboard)
    assert any(r["speaker"] == "Maria Zakharova" for r in springboard)
    # The article prints a curly apostrophe; analysts type a straight one.
    straightened = rows(seed_warehouse, "SELECT * FROM quotes_about('we''re going to get it all straightened out')")
    assert len(straightened) == 1 and "we’re going" in straightened[0]["text"]
    guarantees = rows(seed_warehouse, "SELECT * FROM quotes_about('Guarantees-of-danger to the  European continent!')")
    assert len(guarantees) >= 1 and all(r["speaker"] == "Maria Zakharova" for r in guarantees)
    assert rows(seed_warehouse, "SELECT * FROM quotes_about('ceasefire')") == []  # the word is not in the article
    assert rows(seed_warehouse, "SELECT * FROM quotes_about(' … ')") == []  # nothing to look for


def test_events_between_finds_the_alaska_summit_either_way_round(seed_warehouse):
    trump_putin = rows(seed_warehouse, "SELECT * FROM events_between('Trump', 'Putin')")
    putin_trump = rows(seed_warehouse, "SELECT * FROM events_between('Putin', 'Trump')")
    assert {r["event_id"] for r in trump_putin} == {r["event_id"] for r in putin_trump}
    summits = [r for r in trump_putin if r["trigger"] == "summit"]
    assert len(summits) == 1
    assert summits[0]["event_type"] == "CONSULT" and summits[0]["location"] == "Alaska"
    assert (summits[0]["event_date"].year, summits[0]["event_date"].month) == (2025, 8)
    assert all(r["event_type"] for r in trump_putin)
    # Putin ready to meet Zelenskyy in Moscow: a hypothetical meeting (expected event 7).
    meetings = [
        r
        for r in rows(seed_warehouse, "SELECT * FROM events_between('Zelenskyy', 'putin')")
        if r["location"] == "Moscow"
    ]
    assert len(meetings) >= 1 and all(r["event_type"] == "CONSULT" and r["hypothetical"] for r in meetings)
    assert rows(seed_warehouse, "SELECT * FROM events_between('Zakharova', 'Alaska')") == []


def test_timeline_of_zelenskyy_has_his_calls_and_meetings_but_no_quotes(seed_warehouse):
    items = rows(seed_warehouse, "SELECT * FROM timeline('Zelenskyy')")
    events = [r for r in items if r["item"] == "event"]
    # Expected events 2 (phone call with Trump on Thursday 2025-09-04) and 7 (meeting in Moscow).
    assert any(
        r["item_type"] == "CONSULT" and r["timeline_date"] == SEED_DAY and r["date_basis"] == "event_date"
        for r in events
    )
    assert any(r["item_type"] == "CONSULT" and "Moscow" in r["text"] for r in events)
    assert all(r["role"] in ("actor", "recipient") for r in events)
    # Zelenskyy says nothing in the article.
    assert [r for r in items if r["item"] == "quote"] == []
    assert [r["timeline_date"] for r in items] == sorted(r["timeline_date"] for r in items)
    trump = rows(seed_warehouse, "SELECT * FROM timeline('Trump')")
    assert sum(r["item"] == "quote" for r in trump) == len(rows(seed_warehouse, "SELECT * FROM quotes_by('Trump')"))


def test_top_speakers_ranks_trump_first_within_the_dates(seed_warehouse):
    top = rows(seed_warehouse, "SELECT * FROM top_speakers('2025-09-01', '2025-09-30', 2)")
    assert len(top) == 2
    # Six Trump quotes in expected.md against three for Zakharova, the next most quoted.
    assert top[0]["entity_key"] == "donald_trump" and top[0]["quotes"] >= 6
    assert top[0]["quotes"] >= top[1]["quotes"]
    assert all(
        not k.startswith("anon:")
        for r in rows(seed_warehouse, "SELECT * FROM top_speakers(NULL, NULL, 100)")
        for k in [r["entity_key"]]
    )
    assert rows(seed_warehouse, "SELECT * FROM top_speakers('2025-09-05', NULL, 5)") == []
    assert rows(seed_warehouse, "SELECT * FROM top_speakers(NULL, '2025-09-03', 5)") == []


def test_speaker_stats_count_what_the_facts_hold(seed_warehouse):
    zakharova = rows(seed_warehouse, "SELECT * FROM speaker_stats WHERE entity_key = 'maria_zakharova'")[0]
    assert zakharova["name"] == "Maria Zakharova" and "person" in zakharova["kinds"]
    assert zakharova["quotes"] >= 3 and zakharova["articles"] == 1
    assert zakharova["first_seen"] == zakharova["last_seen"] == SEED_DAY
    mismatched = rows(
        seed_warehouse,
        """
        SELECT ss.entity_key, ss.quotes, count(qf.quote_id) AS facts
        FROM speaker_stats ss LEFT JOIN quote_facts qf USING (entity_key)
        GROUP BY ALL HAVING ss.quotes <> count(qf.quote_id)""",
    )
    assert mismatched == []


def test_fact_views_keep_one_row_per_fact_and_counts_add_up(seed_warehouse):
    def count(query):
        return seed_warehouse.execute(query).fetchone()[0]

    assert count("SELECT count(*) FROM quote_facts") == count("SELECT count(*) FROM quotes") >= 12
    assert count("SELECT count(*) FROM event_facts") == count("SELECT count(*) FROM events") >= 9
    assert count("SELECT count(*) FROM event_facts WHERE NOT contains(sentence, trigger)") == 0
    for view in ("daily_counts", "outlet_stats"):
        totals = rows(
            seed_warehouse, f"SELECT sum(articles) a, sum(sources) s, sum(quotes) q, sum(events) e FROM {view}"
        )[0]
        assert totals == {
            "a": 1,
            "s": count("SELECT count(*) FROM sources"),
            "q": count("SELECT count(*) FROM quotes"),
            "e": count("SELECT count(*) FROM events"),
        }
    # "A White House official" is the article's anonymous source.
    day = rows(seed_warehouse, "SELECT * FROM daily_counts")
    assert len(day) == 1 and day[0]["published_date"] == SEED_DAY and day[0]["anonymous_sources"] >= 1
    outlet = rows(seed_warehouse, "SELECT * FROM outlet_stats")[0]
    assert outlet["anonymous_share"] == pytest.approx(outlet["anonymous_sources"] / outlet["sources"], abs=1e-4)
