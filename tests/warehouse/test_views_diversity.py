"""source_diversity on the demo warehouse: its counts and shares are the ones SQL over sources and articles gives,
with and without syndicated copies; and on a copy whose genders the test sets, the shares follow them."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from warehouse.load import warehouse_path

COUNTS = (
    "articles",
    "quoted_people",
    "quoted_women",
    "quoted_men",
    "quoted_women_incl_estimate",
    "quoted_men_incl_estimate",
    "quoted_sources",
    "quoted_anonymous_sources",
)


def direct_counts(con: duckdb.DuckDBPyConnection) -> dict[tuple, dict]:
    """(outlet, month, include_syndicated) -> the view's counts, from the base tables."""
    truth = {}
    for include_syndicated in (True, False):
        result = con.execute(
            """
            SELECT
                a.outlet, date_trunc('month', a.published_date)::DATE AS month,
                count(DISTINCT a.article_id) AS articles,
                count(s.source_id) FILTER (WHERE s.kind = 'person' AND s.quote_count > 0) AS quoted_people,
                count(s.source_id) FILTER (WHERE s.kind = 'person' AND s.quote_count > 0 AND s.gender = 'female')
                    AS quoted_women,
                count(s.source_id) FILTER (WHERE s.kind = 'person' AND s.quote_count > 0 AND s.gender = 'male')
                    AS quoted_men,
                count(s.source_id) FILTER (
                    WHERE s.kind = 'person' AND s.quote_count > 0
                      AND (s.gender = 'female' OR (s.gender IS NULL AND s.gender_estimate = 'female'))
                ) AS quoted_women_incl_estimate,
                count(s.source_id) FILTER (
                    WHERE s.kind = 'person' AND s.quote_count > 0
                      AND (s.gender = 'male' OR (s.gender IS NULL AND s.gender_estimate = 'male'))
                ) AS quoted_men_incl_estimate,
                count(s.source_id) FILTER (WHERE s.quote_count > 0) AS quoted_sources,
                count(s.source_id) FILTER (WHERE s.quote_count > 0 AND s.kind = 'anonymous') AS quoted_anonymous_sources
            FROM articles a LEFT JOIN sources s USING (article_id)
            WHERE ? OR a.duplicate_of IS NULL
            GROUP BY ALL""",
            [include_syndicated],
        )
        columns = [d[0] for d in result.description]
        for row in result.fetchall():
            found = dict(zip(columns, row))
            truth[(found.pop("outlet"), found.pop("month"), include_syndicated)] = found
    return truth


def view_rows(con: duckdb.DuckDBPyConnection) -> dict[tuple, dict]:
    result = con.execute("SELECT * FROM source_diversity")
    columns = [d[0] for d in result.description]
    rows = [dict(zip(columns, row)) for row in result.fetchall()]
    return {(r["outlet"], r["month"], r["include_syndicated"]): r for r in rows}


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def check_view_against_base_tables(con: duckdb.DuckDBPyConnection) -> dict[tuple, dict]:
    truth, view = direct_counts(con), view_rows(con)
    assert set(view) == set(truth)
    for key, row in view.items():
        assert {c: row[c] for c in COUNTS} == truth[key], key
        assert row["quoted_gender_unknown"] == row["quoted_people"] - row["quoted_women"] - row["quoted_men"]
        assert row["quoted_gender_unknown_incl_estimate"] == (
            row["quoted_people"] - row["quoted_women_incl_estimate"] - row["quoted_men_incl_estimate"]
        )
        for column, part, whole in (
            ("women_share", row["quoted_women"], row["quoted_women"] + row["quoted_men"]),
            (
                "women_share_incl_estimate",
                row["quoted_women_incl_estimate"],
                row["quoted_women_incl_estimate"] + row["quoted_men_incl_estimate"],
            ),
            ("quoted_anonymous_share", row["quoted_anonymous_sources"], row["quoted_sources"]),
        ):
            expected = share(part, whole)
            assert row[column] == (None if expected is None else pytest.approx(expected, abs=1e-4)), (key, column)
    return view


@pytest.fixture
def writable_copy(demo_home, tmp_path):
    path = tmp_path / "warehouse.duckdb"
    shutil.copyfile(warehouse_path(demo_home), path)
    con = duckdb.connect(str(path))
    yield con
    con.close()


def test_source_diversity_counts_what_sources_and_articles_hold(demo_home):
    with duckdb.connect(str(warehouse_path(demo_home)), read_only=True) as con:
        view = check_view_against_base_tables(con)
        syndicated = con.execute("SELECT count(*) FROM articles WHERE duplicate_of IS NOT NULL").fetchone()[0]
        groups = con.execute("SELECT count(DISTINCT (outlet, date_trunc('month', published_date))) FROM articles")
        assert len(view) == 2 * groups.fetchone()[0]
    everything = [r for k, r in view.items() if k[2]]
    originals = [r for k, r in view.items() if not k[2]]
    assert sum(r["articles"] for r in everything) - sum(r["articles"] for r in originals) == syndicated
    assert sum(r["quoted_people"] for r in everything) > 0
    assert all(r["quoted_people"] <= r["quoted_sources"] for r in view.values())


def test_a_syndicated_copy_counts_only_with_include_syndicated(writable_copy):
    con = writable_copy
    copy, original, outlet, month, people = con.execute(
        """
        SELECT st.article_id, (SELECT min(article_id) FROM articles WHERE article_id <> st.article_id),
               st.outlet, date_trunc('month', st.published_date)::DATE, st.quoted_people
        FROM article_stats st WHERE st.duplicate_of IS NULL AND st.quoted_people > 0
        ORDER BY st.quoted_people DESC, st.article_id LIMIT 1"""
    ).fetchone()
    before = view_rows(con)
    con.execute("UPDATE articles SET duplicate_of = ? WHERE article_id = ?", [original, copy])
    after = check_view_against_base_tables(con)
    assert after[(outlet, month, True)] == before[(outlet, month, True)]
    # An outlet and month left with no original has no originals row at all.
    originals_before = before[(outlet, month, False)]
    originals_after = after.get((outlet, month, False), {"articles": 0, "quoted_people": 0})
    assert originals_after["articles"] == originals_before["articles"] - 1
    assert originals_after["quoted_people"] == originals_before["quoted_people"] - people


def test_shares_follow_the_genders_in_sources(writable_copy):
    con = writable_copy
    # One quoted person in an original article is a woman by the article's evidence, one a man by first-name
    # estimate only; nobody else has a gender.
    con.execute("UPDATE sources SET gender = NULL, gender_estimate = NULL, gender_estimate_probability = NULL")
    woman, estimated_man = con.execute(
        """
        SELECT s.source_id FROM sources s JOIN articles a USING (article_id)
        WHERE s.kind = 'person' AND s.quote_count > 0 AND a.duplicate_of IS NULL
        ORDER BY a.outlet, s.source_id LIMIT 2"""
    ).fetchall()
    con.execute("UPDATE sources SET gender = 'female' WHERE source_id = ?", [woman[0]])
    con.execute(
        "UPDATE sources SET gender_estimate = 'male', gender_estimate_probability = 0.99 WHERE source_id = ?",
        [estimated_man[0]],
    )
    view = check_view_against_base_tables(con)
    (outlet, month) = con.execute(
        "SELECT a.outlet, date_trunc('month', a.published_date)::DATE FROM sources s JOIN articles a USING (article_id) "
        "WHERE s.source_id = ?",
        [woman[0]],
    ).fetchone()
    for include_syndicated in (True, False):
        row = view[(outlet, month, include_syndicated)]
        assert (row["quoted_women"], row["quoted_men"], row["women_share"]) == (1, 0, 1.0)
        assert row["quoted_gender_unknown"] == row["quoted_people"] - 1
    with_estimates = [
        r for r in view.values() if r["women_share_incl_estimate"] is not None and not r["include_syndicated"]
    ]
    assert sum(r["quoted_women_incl_estimate"] for r in with_estimates) == 1
    assert sum(r["quoted_men_incl_estimate"] for r in with_estimates) == 1
    # Every other outlet and month knows no gender: no share rather than a share of nobody.
    assert all(r["women_share"] is None for k, r in view.items() if k[:2] != (outlet, month))
