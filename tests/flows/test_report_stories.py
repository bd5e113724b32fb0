"""`wirehouse report`'s top stories and events map, and the run report's top stories: the numbers are those SQL
counts from the base tables, the map is saved beside the page, and both render on a warehouse without events."""

from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.report_html import MAP_HEIGHT, MAP_WIDTH, TOP_STORIES, capitals, events_map_path
from warehouse.load import apply_schema, warehouse_path


class StoriesPage(HTMLParser):
    """The top stories rows and the events map's circles of a report (their data-* and drawing attributes)."""

    def __init__(self, text: str):
        super().__init__()
        self.stories: list[dict] = []
        self.circles: list[dict] = []
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "tr" and "data-event-cluster-id" in attributes:
            self.stories.append(attributes)
        if tag == "circle" and attributes.get("data-chart") == "events-by-country":
            self.circles.append(attributes)


def write(home: Path, out: Path, *range_args: str) -> StoriesPage:
    result = CliRunner().invoke(app, ["report", "--home", str(home), "--out", str(out), *range_args])
    assert result.exit_code == 0, result.output
    return StoriesPage(out.read_text(encoding="utf-8"))


def latest_day_clusters(home: Path) -> dict[str, tuple[int, int]]:
    """Current cluster -> (articles, outlets) of the warehouse's latest publication day, from the base tables."""
    with duckdb.connect(str(warehouse_path(home)), read_only=True) as con:
        rows = con.execute("""
            SELECT coalesce(r.root, e.event_cluster_id), count(DISTINCT a.article_id), count(DISTINCT a.outlet)
            FROM events e JOIN articles a USING (article_id)
            LEFT JOIN cluster_roots r ON r.cluster_kind = 'event' AND r.cluster_id = e.event_cluster_id
            WHERE e.event_cluster_id IS NOT NULL AND a.published_date = (SELECT max(published_date) FROM articles)
            GROUP BY 1""").fetchall()
    return {cluster: (articles, outlets) for cluster, articles, outlets in rows}


def events_by_country(home: Path, start: date | None = None, end: date | None = None) -> dict[str, list]:
    """Country -> [events, mean latitude and longitude of those with coordinates], in the publication range."""
    in_range = "a.published_date BETWEEN $start AND $end" if start and end else "$start IS NULL AND $end IS NULL"
    with duckdb.connect(str(warehouse_path(home)), read_only=True) as con:
        rows = con.execute(
            f"""SELECT e.place_country_code, count(*), avg(e.place_latitude), avg(e.place_longitude)
                FROM events e JOIN articles a USING (article_id)
                WHERE e.place_country_code IS NOT NULL AND {in_range} GROUP BY 1""",
            {"start": start, "end": end},
        ).fetchall()
    return {country: [events, latitude, longitude] for country, events, latitude, longitude in rows}


def check_map(page: StoriesPage, truth: dict[str, list]) -> None:
    placed = {c["data-country"]: c for c in page.circles}
    assert set(placed) <= set(truth) and len(placed) == len(page.circles)
    # Every country is drawn but one the gazetteer cannot place (no city among its events, no known capital).
    assert {country for country in truth if country not in placed} == {
        country for country, (_, latitude, _) in truth.items() if latitude is None and country not in capitals()
    }
    for country, circle in placed.items():
        events, latitude, longitude = truth[country]
        assert int(circle["data-value"]) == events
        expected = (latitude, longitude) if latitude is not None else capitals()[country]
        assert (float(circle["data-latitude"]), float(circle["data-longitude"])) == pytest.approx(expected, abs=1e-3)
        # Equirectangular: x from longitude, y from latitude.
        assert float(circle["cx"]) == pytest.approx((expected[1] + 180) / 360 * MAP_WIDTH, abs=0.1)
        assert float(circle["cy"]) == pytest.approx((90 - expected[0]) / 180 * MAP_HEIGHT, abs=0.1)
    # Area follows the events: more events, a larger circle.
    by_events = sorted(page.circles, key=lambda c: int(c["data-value"]))
    assert [float(c["r"]) for c in by_events] == sorted(float(c["r"]) for c in by_events)


def test_report_top_stories_and_map_hold_the_numbers_sql_gives(demo_home, tmp_path):
    out = tmp_path / "report.html"
    page = write(demo_home, out)
    clusters = latest_day_clusters(demo_home)
    assert len(page.stories) == min(TOP_STORIES, len(clusters)) > 0
    shown = [(s["data-event-cluster-id"], int(s["data-day-articles"]), int(s["data-rank"])) for s in page.stories]
    for cluster, articles, _ in shown:
        assert clusters[cluster][0] == articles
    # Ranked by the day's articles; nobody left out was reported by more articles than the last story shown.
    assert [articles for _, articles, _ in shown] == sorted((a for _, a, _ in shown), reverse=True)
    left_out = [articles for cluster, (articles, _) in clusters.items() if cluster not in {c for c, _, _ in shown}]
    assert max(left_out, default=0) <= shown[-1][1]
    truth = events_by_country(demo_home)
    assert page.circles and truth
    check_map(page, truth)
    saved = events_map_path(out).read_text(encoding="utf-8")
    assert saved.startswith("<svg") and saved in out.read_text(encoding="utf-8")


def test_report_map_follows_the_dates(demo_home, tmp_path):
    start, end = date(2017, 9, 1), date(2017, 9, 30)
    page = write(demo_home, tmp_path / "range.html", "--from", start.isoformat(), "--to", end.isoformat())
    check_map(page, events_by_country(demo_home, start, end))


def test_run_report_lists_the_top_stories(demo_home):
    markdown = (demo_home / "reports" / "last-run.md").read_text(encoding="utf-8")
    section = markdown.split("## Top stories of the latest day", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| ")][1:]
    assert len(rows) == min(TOP_STORIES, len(latest_day_clusters(demo_home))) > 0


def test_report_renders_the_sections_on_a_warehouse_without_events(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    with duckdb.connect(str(warehouse_path(home))) as con:
        apply_schema(con)
    out = tmp_path / "empty.html"
    page = write(home, out)
    text = out.read_text(encoding="utf-8")
    assert page.stories == [] and page.circles == []
    assert "No story on the latest day" in text and "No event with a resolved place" in events_map_path(out).read_text()
