"""Run reports: a Prefect artifact per run (markdown + table) and a copy under HOME/reports/.

The markdown artifact (key `wirehouse-run-report`) holds: records read/loaded/duplicate/quarantined per table,
each expectation's result, the top quarantine reasons, seconds per stage, articles/s, a link to the GX data
docs of the run's validation (HOME/reports/data_docs/index.html) and, after a completed run, who the warehouse's
outlets quote (the source-diversity numbers of `wirehouse report`) and the latest day's top stories. The table
artifact (key `wirehouse-run-tables`) holds the per-table counts as rows, for the Prefect UI's table view.

May import flows.summary and flows.report_html (its source-diversity and top-stories queries); warehouse.load and
Prefect's artifacts when a report is published.
"""

from __future__ import annotations

import logging
from pathlib import Path

from flows.report_html import DIVERSITY_COLUMNS, STORY_COLUMNS, diversity_rows, percent, query
from flows.summary import RunSummary
from transforms.schema import ARTICLE_TABLES

REPORT_KEY = "wirehouse-run-report"
TABLE_KEY = "wirehouse-run-tables"
REPORTS_DIR = "reports"

log = logging.getLogger(__name__)


def table_counts(summary: RunSummary) -> list[dict]:
    """Per table: rows read (into the stage that made them), loaded, duplicate, quarantined.

    `records` is the raw input (read = loaded + duplicate + skipped + quarantined); `articles` are the normalised
    records (exact duplicates included, then set aside); sources/quotes/events are the rows extraction produced.
    """
    a = summary.accounting
    q = summary.quarantined_rows
    rows = [
        {
            "table": "records",
            "read": a.records_read,
            "loaded": a.loaded,
            "duplicate": a.duplicates,
            "skipped": a.skipped,
            "quarantined": a.quarantined,
        }
    ]
    for name in (t.name for t in ARTICLE_TABLES):
        loaded = summary.table_rows.get(name, 0)
        quarantined = q.get(name, 0)
        duplicate = a.duplicates if name == "articles" else 0
        rows.append(
            {
                "table": name,
                "read": loaded + duplicate + quarantined,
                "loaded": loaded,
                "duplicate": duplicate,
                "skipped": 0,
                "quarantined": quarantined,
            }
        )
    return rows


def total_seconds(summary: RunSummary) -> float:
    return sum(summary.stage_seconds.values())


def articles_per_second(summary: RunSummary) -> float:
    """Articles through the whole run (loaded + quarantined at validation) per wall-clock second."""
    seconds = total_seconds(summary)
    articles = summary.table_rows.get("articles", 0) + summary.quarantined_rows.get("articles", 0)
    return articles / seconds if seconds > 0 else 0.0


def extraction_articles_per_second(summary: RunSummary) -> float:
    seconds = summary.stage_seconds.get("extract", 0.0)
    articles = summary.table_rows.get("articles", 0) + summary.quarantined_rows.get("articles", 0)
    return articles / seconds if seconds > 0 else 0.0


def _md_table(rows: list[dict], columns: list[str]) -> str:
    if not rows:
        return "_none_\n"
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        lines.append("| " + " | ".join(_cell(row.get(c)) for c in columns) + " |")
    return "\n".join(lines) + "\n"


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{value:.3f}"
    return str(value).replace("|", "\\|").replace("\n", " ")


def warehouse_sections(home: Path) -> tuple[list[dict], list[dict]]:
    """Over the whole warehouse: per outlet the people quoted by gender and the anonymous share (diversity_rows), and
    the latest day's top stories."""
    from warehouse.load import connect

    with connect(home, read_only=True) as con:
        return diversity_rows(query(con, "source_diversity").dicts()), query(con, "top_stories").dicts()


def _top_stories_markdown(stories: list[dict]) -> list[str]:
    day = f" ({stories[0]['published_date']})" if stories else ""
    rows = [{label: cell(r) for label, cell in STORY_COLUMNS} for r in stories]
    return [
        f"## Top stories of the latest day{day}\n",
        "Event clusters reported on the warehouse's latest publication day, by that day's articles, then outlets "
        "(the `top_stories` view).\n",
        _md_table(rows, [label for label, _ in STORY_COLUMNS]),
    ]


def _diversity_markdown(diversity: list[dict]) -> list[str]:
    rows = [
        {label: percent(r[key]) if is_share else r[key] for key, label, is_share in DIVERSITY_COLUMNS}
        for r in diversity
    ]
    return [
        "## Source diversity (whole warehouse)\n",
        "People quoted per outlet (person sources with a quote, once per article), by the gender the articles give; "
        "the share of women is among those of known gender. First-name estimates are counted apart. "
        "By outlet and month, with or without syndicated copies: the `source_diversity` view.\n",
        _md_table(rows, [label for _, label, _ in DIVERSITY_COLUMNS]),
    ]


def render_markdown(summary: RunSummary, diversity: list[dict] | None = None, stories: list[dict] | None = None) -> str:
    a = summary.accounting
    parts = [
        f"# wirehouse run `{summary.run_id}`: {summary.status}\n",
        f"{summary.files_read} file(s), {a.records_read} record(s) read: {a.loaded} loaded, {a.duplicates} duplicate, "
        f"{a.skipped} skipped, {a.quarantined} quarantined; {summary.near_duplicates} loaded article(s) "
        f"marked near-duplicates of earlier ones. Lake: `{summary.lake}`. Extraction: {summary.runner}.\n",
    ]
    if summary.message:
        parts.append(f"**Message:** {summary.message}\n")
    parts += [
        "## Rows per table\n",
        _md_table(table_counts(summary), ["table", "read", "loaded", "duplicate", "skipped", "quarantined"]),
    ]
    expectations = [{**e, "result": "pass" if e["success"] else "FAIL"} for e in summary.expectations]
    parts += [
        "## Validation (Great Expectations)\n",
        _md_table(expectations, ["table", "expectation", "column", "result", "failed_rows"]),
    ]
    if summary.data_docs:
        uri = Path(summary.data_docs).resolve().as_uri()
        parts.append(f"GX data docs for this validation: [{summary.data_docs}]({uri})\n")
    parts += ["## Top quarantine reasons\n", _md_table(summary.quarantine_reasons, ["table_name", "reason", "rows"])]
    stage_rows = [{"stage": k, "seconds": round(v, 3)} for k, v in summary.stage_seconds.items()]
    parts += ["## Time per stage\n", _md_table(stage_rows, ["stage", "seconds"])]
    parts.append(
        f"Total {total_seconds(summary):.1f} s; {articles_per_second(summary):.2f} articles/s over the run, "
        f"{extraction_articles_per_second(summary):.2f} articles/s in extraction.\n"
    )
    if stories is not None:
        parts += _top_stories_markdown(stories)
    if diversity is not None:
        parts += _diversity_markdown(diversity)
    return "\n".join(parts)


def _write_report_file(summary: RunSummary, home: Path, markdown: str) -> Path:
    directory = Path(home) / REPORTS_DIR / "runs"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{summary.run_id}.md"
    path.write_text(markdown)
    (Path(home) / REPORTS_DIR / "last-run.md").write_text(markdown)
    return path


def publish_run_report(summary: RunSummary, home: Path) -> str:
    """Publish the run's markdown and table artifacts (linked to the current flow run) and keep a copy in
    HOME/reports/runs/<run_id>.md. Never fails the run: a report that cannot be published is logged."""
    diversity = stories = None
    if summary.status == "completed":
        try:
            diversity, stories = warehouse_sections(home)
        except Exception as exc:  # a busy or unreadable warehouse costs the sections, not the report
            log.warning("source diversity and top stories left out of the run report: %s", exc)
    markdown = render_markdown(summary, diversity, stories)
    try:
        _write_report_file(summary, home, markdown)
    except OSError as exc:
        log.warning("run report not written to %s: %s", home, exc)
    try:
        from prefect.artifacts import create_markdown_artifact, create_table_artifact

        create_markdown_artifact(key=REPORT_KEY, markdown=markdown, description=f"wirehouse run {summary.run_id}")
        create_table_artifact(
            key=TABLE_KEY, table=table_counts(summary), description=f"rows per table, run {summary.run_id}"
        )
    except Exception as exc:  # no API reachable, outside a flow run...
        log.warning("run report artifact not published: %s", exc)
    return markdown
