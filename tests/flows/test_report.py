"""`wirehouse report` on the demo warehouse: the numbers in the charts are the numbers SQL gives, the page needs
nothing from the network, and headless Chromium lays every chart out (skipped where chromium is not installed:
`apt-get install -y chromium`)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import defaultdict
from datetime import date
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.report_html import NO_OUTLET, TOP_OUTLETS, TOP_SPEAKERS
from warehouse.load import warehouse_path

CHARTS = (
    "quotes-per-day",
    "top-speakers",
    "event-types-per-week",
    "anonymous-share",
    "people-quoted",
    "events-by-country",
)
RANGE = (date(2017, 8, 28), date(2017, 9, 15))


class ReportPage(HTMLParser):
    """The chart marks (their data-* attributes), the source-diversity table's rows (theirs) and the run history
    rows of a report."""

    def __init__(self, text: str):
        super().__init__()
        self.marks: dict[str, list[dict]] = defaultdict(list)
        self.diversity: list[dict] = []
        self.run_ids: list[str] = []
        self._cells: list[str] | None = None
        self._in_runs = False
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if "mark" in (attributes.get("class") or "").split():
            self.marks[attributes["data-chart"]].append(
                {k[5:]: v for k, v in attributes.items() if k.startswith("data-")}
            )
        if tag == "tr" and "data-outlet" in attributes:
            self.diversity.append({k[5:]: v for k, v in attributes.items() if k.startswith("data-")})
        if tag == "table" and "runs" in (attributes.get("class") or "").split():
            self._in_runs = True
        if self._in_runs and tag == "tr":
            self._cells = []

    def handle_data(self, data):
        if self._cells is not None:
            self._cells.append(data)

    def handle_endtag(self, tag):
        if tag == "tr" and self._cells is not None:
            if self._cells and self._cells[0].startswith(("nightly", "backfill")):
                self.run_ids.append(self._cells[0])
            self._cells = None
        if tag == "table":
            self._in_runs = False


def write(home: Path, out: Path, *range_args: str) -> ReportPage:
    result = CliRunner().invoke(app, ["report", "--home", str(home), "--out", str(out), *range_args])
    assert result.exit_code == 0, result.output
    return ReportPage(out.read_text(encoding="utf-8"))


def expected(home: Path, start: date | None = None, end: date | None = None) -> dict[str, dict]:
    """What each chart must show, counted from the base tables (not the views the report reads)."""
    # Without dates the report covers undated articles too; with them, only articles published in the range.
    in_range, params = "true", {}
    if start or end:
        in_range = "a.published_date BETWEEN coalesce($start, DATE '0001-01-01') AND coalesce($end, DATE '9999-12-31')"
        params = {"start": start, "end": end}
    with duckdb.connect(str(warehouse_path(home)), read_only=True) as con:

        def pairs(query: str) -> dict:
            return {tuple(row[:-1]): row[-1] for row in con.execute(query, params).fetchall()}

        return {
            "quotes-per-day": pairs(f"""
                SELECT a.published_date::VARCHAR, coalesce(a.outlet, '{NO_OUTLET}'), count(*)
                FROM quotes q JOIN articles a USING (article_id)
                WHERE a.published_date IS NOT NULL AND {in_range} GROUP BY ALL"""),
            "top-speakers": pairs(f"""
                SELECT coalesce(al.canonical_key, s.entity_key), count(*)
                FROM quotes q JOIN sources s USING (source_id) JOIN articles a ON a.article_id = q.article_id
                LEFT JOIN entity_aliases al ON al.entity_key = s.entity_key  -- "Trump" counts for Donald Trump
                WHERE s.kind <> 'anonymous' AND {in_range} GROUP BY ALL"""),
            "event-types-per-week": pairs(f"""
                SELECT date_trunc('week', a.published_date)::DATE::VARCHAR, e.event_type, count(*)
                FROM events e JOIN articles a USING (article_id)
                WHERE a.published_date IS NOT NULL AND {in_range} GROUP BY ALL"""),
            "anonymous-share": {
                (outlet,): (anonymous, total)
                for outlet, anonymous, total in con.execute(
                    f"""
                    SELECT coalesce(a.outlet, '{NO_OUTLET}'), count(*) FILTER (WHERE s.kind = 'anonymous'), count(*)
                    FROM sources s JOIN articles a USING (article_id) WHERE {in_range} GROUP BY ALL""",
                    params,
                ).fetchall()
            },
            # Per outlet with a quoted source: people quoted (person sources with quote_count > 0) by gender as the
            # article gives it and including first-name estimates, and the quoted sources with the anonymous ones.
            "people-quoted": {
                (outlet,): counts
                for outlet, *counts in con.execute(
                    f"""
                    SELECT coalesce(a.outlet, '{NO_OUTLET}'),
                        count(*) FILTER (WHERE {QUOTED_PERSON}),
                        count(*) FILTER (WHERE {QUOTED_PERSON} AND s.gender = 'female'),
                        count(*) FILTER (WHERE {QUOTED_PERSON} AND s.gender = 'male'),
                        count(*) FILTER (WHERE {QUOTED_PERSON} AND coalesce(s.gender, s.gender_estimate) = 'female'),
                        count(*) FILTER (WHERE {QUOTED_PERSON} AND coalesce(s.gender, s.gender_estimate) = 'male'),
                        count(*) FILTER (WHERE s.quote_count > 0),
                        count(*) FILTER (WHERE s.quote_count > 0 AND s.kind = 'anonymous')
                    FROM sources s JOIN articles a USING (article_id) WHERE {in_range}
                    GROUP BY ALL HAVING count(*) FILTER (WHERE s.quote_count > 0) > 0""",
                    params,
                ).fetchall()
            },
            "runs": {(run_id,): None for (run_id,) in con.execute("SELECT run_id FROM runs").fetchall()},
        }


QUOTED_PERSON = "s.kind = 'person' AND s.quote_count > 0"


def ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def check_diversity_against_sql(page: ReportPage, truth: dict[tuple, list[int]]) -> None:
    """The people-quoted bars and the table beside them: the outlets quoting most people, with their numbers."""
    bars = defaultdict(dict)
    for m in page.marks["people-quoted"]:
        bars[m["outlet"]][m["gender"]] = int(m["value"])
    shown = [row["outlet"] for row in page.diversity]
    assert list(bars) == shown and len(shown) == min(TOP_OUTLETS, len(truth))
    for row in page.diversity:
        people, women, men, women_est, men_est, quoted, anonymous = truth[(row["outlet"],)]
        assert bars[row["outlet"]] == {"women": women, "men": men, "unknown": people - women - men}
        assert [int(row[k]) for k in ("people", "women", "men", "unknown", "quoted-sources")] == [
            people,
            women,
            men,
            people - women - men,
            quoted,
        ]
        for key, expected in (
            ("women-share", ratio(women, women + men)),
            ("women-share-incl-estimate", ratio(women_est, women_est + men_est)),
            ("anonymous-share", ratio(anonymous, quoted)),
        ):
            found = float(row[key]) if row[key] else None  # an empty attribute: no share (nobody to divide by)
            assert found == (None if expected is None else pytest.approx(expected, abs=1e-4)), key
    # Most people first, and nobody left out quoted more people than the last outlet shown.
    people = [truth[(outlet,)][0] for outlet in shown]
    assert people == sorted(people, reverse=True)
    assert max((c[0] for (o,), c in truth.items() if o not in shown), default=0) <= min(people)


def check_charts_against_sql(page: ReportPage, truth: dict[str, dict]) -> None:
    assert {(m["day"], m["outlet"]): int(m["value"]) for m in page.marks["quotes-per-day"]} == truth["quotes-per-day"]
    assert {(m["week"], m["event-type"]): int(m["value"]) for m in page.marks["event-types-per-week"]} == truth[
        "event-types-per-week"
    ]
    shares = {(m["outlet"],): (int(m["anonymous"]), int(m["sources"])) for m in page.marks["anonymous-share"]}
    assert shares == truth["anonymous-share"]
    assert all(
        float(m["value"]) == pytest.approx(int(m["anonymous"]) / int(m["sources"]), abs=1e-4)
        for m in page.marks["anonymous-share"]
    )
    # Top speakers: the right counts, and nobody left out quoted more often than the last one shown.
    speakers = {(m["entity-key"],): int(m["value"]) for m in page.marks["top-speakers"]}
    assert len(speakers) == min(TOP_SPEAKERS, len(truth["top-speakers"]))
    assert all(truth["top-speakers"][key] == quotes for key, quotes in speakers.items())
    left_out = [quotes for key, quotes in truth["top-speakers"].items() if key not in speakers]
    assert max(left_out, default=0) <= min(speakers.values())
    assert [int(m["value"]) for m in page.marks["top-speakers"]] == sorted(speakers.values(), reverse=True)
    check_diversity_against_sql(page, truth["people-quoted"])


def test_report_charts_hold_the_numbers_sql_gives(demo_home, tmp_path):
    page = write(demo_home, tmp_path / "report.html")
    assert set(page.marks) == set(CHARTS)
    truth = expected(demo_home)
    check_charts_against_sql(page, truth)
    assert len(page.marks["quotes-per-day"]) >= 10 and len({m["outlet"] for m in page.marks["quotes-per-day"]}) >= 5
    assert sorted(page.run_ids) == sorted(key[0] for key in truth["runs"])


def test_run_report_has_the_source_diversity_of_the_warehouse(demo_home):
    markdown = (demo_home / "reports" / "last-run.md").read_text(encoding="utf-8")
    section = markdown.split("## Source diversity (whole warehouse)\n", 1)[1]
    rows = [line.strip("| ").split(" | ") for line in section.splitlines() if line.startswith("| ")][1:]
    truth = expected(demo_home)["people-quoted"]
    assert len(rows) == min(TOP_OUTLETS, len(truth))
    for outlet, people, women, men, unknown, *_ in rows:
        counts = truth[(outlet.replace("\\|", "|"),)]
        assert [int(people), int(women), int(men), int(unknown)] == [*counts[:3], counts[0] - counts[1] - counts[2]]


def test_report_dates_limit_every_chart_but_the_run_history(demo_home, tmp_path):
    start, end = RANGE
    page = write(demo_home, tmp_path / "range.html", "--from", start.isoformat(), "--to", end.isoformat())
    check_charts_against_sql(page, expected(demo_home, start, end))
    assert all(start.isoformat() <= m["day"] <= end.isoformat() for m in page.marks["quotes-per-day"])
    assert page.marks["quotes-per-day"] and len(page.run_ids) >= 1


def test_report_is_self_contained(demo_home, tmp_path):
    write(demo_home, tmp_path / "report.html")
    text = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert not re.search(r"<script|<link|<img|<iframe|\ssrc=|\shref=|@import|url\(", text, re.IGNORECASE)
    missing_home = CliRunner().invoke(
        app, ["report", "--home", str(tmp_path / "nowhere"), "--out", str(tmp_path / "x.html")]
    )
    assert missing_home.exit_code == 3 and "no warehouse" in missing_home.output


# Appended to a copy of the report: what the browser actually laid out, for --dump-dom to print.
LAYOUT_PROBE = """<script>
const charts = [...document.querySelectorAll('svg.chart')].map(svg => {
  const box = svg.getBoundingClientRect();
  const marks = [...svg.querySelectorAll('.mark')];
  const drawn = marks.filter(m => { const b = m.getBoundingClientRect(); return b.width > 0 && b.height > 0; });
  return {chart: svg.dataset.chart, width: box.width, height: box.height, marks: marks.length, drawn: drawn.length};
});
const probe = document.createElement('pre');
probe.id = 'layout';
probe.textContent = JSON.stringify(charts);
document.body.appendChild(probe);
</script>"""


@pytest.mark.skipif(shutil.which("chromium") is None, reason="chromium not installed (apt-get install -y chromium)")
def test_report_renders_every_chart_in_headless_chromium(demo_home, tmp_path):
    report = tmp_path / "report.html"
    page = write(demo_home, report)
    probed = tmp_path / "probed.html"
    probed.write_text(report.read_text(encoding="utf-8").replace("</body>", LAYOUT_PROBE + "</body>"), encoding="utf-8")
    browser = subprocess.run(
        [
            "chromium",
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--window-size=1200,2400",
            "--virtual-time-budget=5000",
            "--dump-dom",
            probed.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    layout = json.loads(unescape(re.search(r'<pre id="layout">(.*?)</pre>', browser.stdout, re.DOTALL).group(1)))
    assert [chart["chart"] for chart in layout] == list(CHARTS)
    for chart in layout:
        assert chart["width"] > 200 and chart["height"] > 50, chart
        marks = page.marks[chart["chart"]]
        # Every mark with a value takes room on the page (an outlet with no anonymous source has an empty bar).
        assert chart["marks"] == len(marks) and chart["drawn"] == sum(float(m["value"]) > 0 for m in marks) > 0, chart
