"""What the command line prints: a run's summary, a backfill's, a rebuild's, the status of a home.

One rich Console for every command. Formats what the flows and warehouse/ return; runs nothing itself.
May import rich and warehouse.status / warehouse.rebuild for the shapes it prints (under TYPE_CHECKING).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

if TYPE_CHECKING:
    from warehouse.rebuild import RebuildResult
    from warehouse.status import Status

console = Console()

ACCOUNTING_FIELDS = ("records_read", "loaded", "duplicates", "skipped", "quarantined")
# Columns of `wirehouse status`'s runs table and their headers.
STATUS_HEADERS = {
    "run_id": "run",
    "run_date": "date",
    "started_at": "started (UTC)",
    "status": "state",
    "records_read": "read",
    "loaded": "loaded",
    "duplicates": "dup",
    "skipped": "skip",
    "quarantined": "quar",
    "quotes_rows": "quotes",
    "events_rows": "events",
    "seconds": "s",
}


def error(message: object) -> None:
    console.print(f"[red]{message}[/red]")


def print_run_summary(summary: dict) -> None:
    accounting = summary["accounting"]
    table = Table(title=f"run {summary['run_id']} ({summary['status']})")
    for column in ("records read", "loaded", "duplicates", "skipped", "quarantined"):
        table.add_column(column, justify="right")
    table.add_row(*(str(accounting[k]) for k in ACCOUNTING_FIELDS))
    console.print(table)
    rows = Table(title="rows per table")
    rows.add_column("table")
    rows.add_column("loaded", justify="right")
    rows.add_column("quarantined", justify="right")
    for name, count in summary["table_rows"].items():
        rows.add_row(name, str(count), str(summary["quarantined_rows"].get(name, 0)))
    rows.add_row("records (unreadable input)", "", str(summary["quarantined_rows"].get("records", 0)))
    console.print(rows)
    stages = "  ".join(f"{k} {v:.1f}s" for k, v in summary["stage_seconds"].items())
    console.print(f"[dim]time per stage: {stages}[/dim]")


def print_backfill_summary(summary: dict) -> None:
    accounting = summary["accounting"]
    table = Table(title=f"backfill {summary['run_id']}")
    for column in (
        "files",
        "chunks loaded",
        "records already loaded",
        "records read",
        "loaded",
        "duplicates",
        "near duplicates",
        "skipped",
        "quarantined",
    ):
        table.add_column(column, justify="right")
    table.add_row(
        str(summary["files"]),
        str(summary["chunks_loaded"]),
        str(summary["records_already_done"]),
        *(str(accounting[k]) for k in ("records_read", "loaded", "duplicates")),
        str(summary["near_duplicates"]),
        *(str(accounting[k]) for k in ("skipped", "quarantined")),
    )
    console.print(table)


def print_rebuild(result: RebuildResult) -> None:
    table = Table(title=f"rebuilt {result.path} from {result.lake} in {result.seconds:.1f}s")
    table.add_column("table")
    table.add_column("lake files", justify="right")
    table.add_column("rows", justify="right")
    for name, rows in result.rows.items():
        table.add_row(name, str(result.files[name]), str(rows))
    console.print(table)
    clustered = ", ".join(f"{count} {table}" for table, count in result.clustered.items() if count)
    if clustered:
        console.print(f"clustered across articles: {clustered} the lake held without a cluster (older runs)")


def print_status(state: Status, home: Path) -> None:
    runs = Table(title=f"last {len(state.runs)} run(s), newest first")
    for column, header in STATUS_HEADERS.items():
        runs.add_column(header, no_wrap=True, justify="left" if column in ("run_id", "status") else "right")
    messages = []
    for row in state.runs:
        runs.add_row(*(status_cell(column, row.get(column)) for column in STATUS_HEADERS))
        if row.get("message"):
            messages.append(f"{row['run_id']}: {row['message']}")
    Console(width=max(console.width, 150)).print(runs)
    for message in messages:
        error(message)
    from warehouse.load import warehouse_path

    sizes = "  ".join(f"{name} {count}" for name, count in state.table_rows.items())
    console.print(f"warehouse {warehouse_path(home)}: {human_bytes(state.warehouse_bytes)}; rows: {sizes}")
    unclustered = ", ".join(f"{count} {table}" for table, count in state.unclustered.items() if count)
    if unclustered:
        error(f"{unclustered} loaded before cross-article clusters have none: `wirehouse rebuild` clusters them")


def status_cell(column: str, value) -> str:
    if value is None:
        return ""
    if column == "started_at":
        return value.strftime("%m-%d %H:%M")
    if column == "status" and value == "failed":
        return "[red]failed[/red]"
    if column == "seconds":
        return f"{float(value):.0f}"
    return str(value)


def human_bytes(size: int) -> str:
    value = float(size)
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if value < 1024 or unit == "TiB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{size} B"
