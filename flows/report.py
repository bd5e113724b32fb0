"""Run reports: a Prefect artifact per run (markdown + table), a copy under HOME/reports/, and `wirehouse status`.

The markdown artifact (key `wirehouse-run-report`) holds: records read/loaded/duplicate/quarantined per table,
each expectation's result, the top quarantine reasons, seconds per stage, articles/s and a link to the GX data
docs of the run's validation (HOME/reports/data_docs/index.html). The table artifact (key
`wirehouse-run-tables`) holds the per-table counts as rows, for the Prefect UI's table view.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flows.nightly import RunSummary

REPORT_KEY = "wirehouse-run-report"
TABLE_KEY = "wirehouse-run-tables"
REPORTS_DIR = "reports"
ARTICLE_TABLES = ("articles", "sources", "quotes", "events")

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
    for name in ARTICLE_TABLES:
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


def render_markdown(summary: RunSummary) -> str:
    a = summary.accounting
    parts = [
        f"# wirehouse run `{summary.run_id}`: {summary.status}\n",
        f"{summary.files_read} file(s), {a.records_read} record(s) read: {a.loaded} loaded, {a.duplicates} duplicate, "
        f"{a.skipped} skipped, {a.quarantined} quarantined; {getattr(summary, 'near_duplicates', 0)} loaded article(s) "
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
    markdown = render_markdown(summary)
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


def publish_failure_report(summary: RunSummary, home: Path) -> str:
    return publish_run_report(summary, home)


# --- wirehouse status -------------------------------------------------------------------------------------


@dataclass
class Status:
    runs: list[dict]
    warehouse_bytes: int
    table_rows: dict[str, int]


def warehouse_bytes(home: Path) -> int:
    from warehouse.load import warehouse_path

    path = warehouse_path(home)
    wal = path.with_name(path.name + ".wal")
    return sum(p.stat().st_size for p in (path, wal) if p.exists())


def read_status(home: Path, limit: int = 10) -> Status:
    """The last `limit` runs (newest first), rows per table and the warehouse's size on disk."""
    from transforms.schema import TABLES
    from warehouse.load import connect

    with connect(home, read_only=True) as con:
        existing = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        cursor = con.execute(
            "SELECT *, date_diff('millisecond', started_at, finished_at) / 1000.0 AS seconds "
            "FROM runs ORDER BY started_at DESC, run_id DESC LIMIT ?",
            [limit],
        )
        columns = [d[0] for d in cursor.description]
        runs = [dict(zip(columns, row)) for row in cursor.fetchall()]
        table_rows = {
            name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in TABLES if name in existing
        }
    return Status(runs=runs, warehouse_bytes=warehouse_bytes(home), table_rows=table_rows)


def human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"
