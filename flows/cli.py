"""The `wirehouse` command line."""

from __future__ import annotations

import gc
import json
import logging
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import duckdb
import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

# Quiet, offline defaults; users can still override them in their environment.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
# The temporary local API server needs more than Prefect's default 20 s to start on a busy 2-core machine.
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")

# trafilatura warns for every page it judges not worth extracting; the skipped table records those reasons.
logging.getLogger("trafilatura").setLevel(logging.ERROR)


class Program(typer.Typer):
    """The command line as a program (`wirehouse`, `python -m flows.cli`): once the command is done, the process
    ends without the interpreter's final garbage collection over all it loaded (spaCy's model, GX, the batch),
    which took seconds and frees nothing the OS does not. Exit handlers and flushes run as usual; tests that
    invoke the commands through click's runner keep collecting."""

    def __call__(self, *args, **kwargs):
        try:
            return super().__call__(*args, **kwargs)
        finally:
            gc.freeze()


app = Program(
    help="wirehouse: news articles in, an auditable warehouse of sources, quotes and events out.", no_args_is_help=True
)
eval_app = typer.Typer(help="Accuracy evaluations against gold data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")
console = Console()

HomeOption = Annotated[Path, typer.Option("--home", help="Where the lake, the warehouse and reports live.")]


def _parse_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


def print_summary(summary: dict) -> None:
    accounting = summary["accounting"]
    table = Table(title=f"run {summary['run_id']} ({summary['status']})")
    for column in ("records read", "loaded", "duplicates", "skipped", "quarantined"):
        table.add_column(column, justify="right")
    table.add_row(*(str(accounting[k]) for k in ("records_read", "loaded", "duplicates", "skipped", "quarantined")))
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


RunnerOption = Annotated[str, typer.Option("--runner", help="Where extraction runs: threads, processes or dask.")]
DaskAddressOption = Annotated[
    str | None,
    typer.Option("--dask-address", help="tcp://scheduler:8786 of an existing Dask cluster (with --runner dask)."),
]
ChunkSizeOption = Annotated[int, typer.Option("--chunk-size", help="Articles per extraction task.")]


def _check_runner(runner: str) -> None:
    from flows.runners import RUNNERS

    if runner not in RUNNERS:
        console.print(f"[red]--runner must be one of {', '.join(RUNNERS)}[/red]")
        raise typer.Exit(code=2)


def prepare_in_background(runner: str) -> None:
    """Load what the run needs later on a background thread, while Prefect's server boots and the inbox is read:
    spaCy's model (for the threads runner's tasks), then GX's suites (for validation, after extraction).

    Started once the flow's modules are imported, so the thread imports nothing the main thread is importing."""
    from expectations import validate
    from flows import runners

    runners.prepare(runner)
    runners.BACKGROUND.submit(validate.prepare)


@contextmanager
def flow_exit_codes(failed: str) -> Iterator[None]:
    """A held home exits 3, a failed run 4, each with its message (cron and scripts read the code)."""
    from flows.lock import HomeLocked
    from flows.nightly import RunFailed

    try:
        yield
    except HomeLocked as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(code=3) from None
    except RunFailed as exc:
        console.print(f"[red]{failed}: {exc}[/red]")
        raise typer.Exit(code=4) from None


@app.command()
def run(
    inbox: Annotated[Path, typer.Option("--inbox", exists=True, file_okay=False, help="Folder of raw article files.")],
    home: HomeOption,
    run_date: Annotated[str | None, typer.Option("--run-date", help="YYYY-MM-DD; defaults to today.")] = None,
    lake: Annotated[
        str | None, typer.Option("--lake", help="Lake location (path or fsspec URL); default HOME/lake.")
    ] = None,
    runner: RunnerOption = "threads",
    dask_address: DaskAddressOption = None,
    chunk_size: ChunkSizeOption = 64,
) -> None:
    """Run the nightly flow over every file in INBOX not yet ingested (none: no run starts, nothing is recorded)."""
    from flows.inbox import has_new_files

    # Checked before Prefect, spaCy and GX are imported: a rerun over an unchanged inbox takes a second, not ten.
    if not has_new_files(inbox, home):
        console.print(f"nothing new in {inbox}: every file is already ingested into {home}; no run started")
        return
    _check_runner(runner)
    from flows import prefect_api

    api = prefect_api.start_temporary_api()  # boots while Prefect and the flow's modules import
    from flows.nightly import nightly

    prepare_in_background(runner)
    with flow_exit_codes("run failed"), prefect_api.using(api):
        summary = nightly(
            inbox=inbox,
            home=home,
            run_date=_parse_day(run_date),
            lake=lake,
            runner=runner,
            dask_address=dask_address,
            chunk_size=chunk_size,
        )
    print_summary(summary)


@app.command()
def backfill(
    paths: Annotated[
        list[Path],
        typer.Argument(exists=True, help="Archives, dumps or folders (WARC, HTML, JSON, JSONL, txt, tar, zip)."),
    ],
    home: HomeOption,
    date_from: Annotated[
        str | None, typer.Option("--from", help="Keep articles published on or after YYYY-MM-DD.")
    ] = None,
    date_to: Annotated[
        str | None, typer.Option("--to", help="Keep articles published on or before YYYY-MM-DD.")
    ] = None,
    chunk_records: Annotated[
        int, typer.Option("--chunk-records", min=1, help="Records per chunk (and checkpoint).")
    ] = 500,
    lake: Annotated[
        str | None, typer.Option("--lake", help="Lake location (path or fsspec URL); default HOME/lake.")
    ] = None,
    runner: RunnerOption = "threads",
    dask_address: DaskAddressOption = None,
    chunk_size: ChunkSizeOption = 64,
) -> None:
    """Load archives into HOME, resumably: rerun the same command after a crash to continue."""
    _check_runner(runner)
    from flows import prefect_api

    api = prefect_api.start_temporary_api()  # boots while Prefect and the flow's modules import
    from flows.backfill import backfill as backfill_flow

    prepare_in_background(runner)
    with flow_exit_codes("backfill failed (rerun the same command to resume)"), prefect_api.using(api):
        summary = backfill_flow(
            paths=[str(p) for p in paths],
            home=str(home),
            date_from=_parse_day(date_from),
            date_to=_parse_day(date_to),
            lake=lake,
            chunk_records=chunk_records,
            runner=runner,
            dask_address=dask_address,
            chunk_size=chunk_size,
        )
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


SQL_FORMATS = ("table", "csv", "json", "parquet")
SQL_HISTORY = Path.home() / ".wirehouse_sql_history"


@app.command()
def sql(
    home: HomeOption,
    query: Annotated[
        str | None, typer.Argument(help="A SQL query; without one (and without --file) an interactive prompt starts.")
    ] = None,
    file: Annotated[
        Path | None, typer.Option("--file", exists=True, dir_okay=False, help="Run the SQL in this file.")
    ] = None,
    format: Annotated[
        str, typer.Option("--format", help="table, csv, json or parquet (parquet needs --out).")
    ] = "table",
    out: Annotated[
        Path | None, typer.Option("--out", help="Write the result to this file instead of the terminal.")
    ] = None,
) -> None:
    """Query HOME's warehouse read-only: a query, a file of SQL, or an interactive prompt with history."""
    if format not in SQL_FORMATS:
        console.print(f"[red]--format must be one of {', '.join(SQL_FORMATS)}[/red]")
        raise typer.Exit(code=2)
    if query is not None and file is not None:
        console.print("[red]give a query or --file, not both[/red]")
        raise typer.Exit(code=2)
    if format == "parquet" and out is None:
        console.print("[red]--format parquet needs --out FILE[/red]")
        raise typer.Exit(code=2)
    from warehouse.load import WarehouseBusy

    try:
        if query is None and file is None:
            sql_prompt(home, format)
        else:
            run_sql(home, query if file is None else file.read_text(encoding="utf-8"), format, out)
    except (WarehouseBusy, FileNotFoundError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(code=3) from None
    except duckdb.Error as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(code=1) from None


def run_sql(home: Path, query: str, format: str, out: Path | None) -> None:
    """Run `query` (several statements: the last one's result) on a read-only connection and write its result."""
    from warehouse.load import connect

    with connect(home, read_only=True) as con:
        result = con.sql(query)
        if format == "parquet":
            import pyarrow.parquet as pq

            pq.write_table(result.to_arrow_table(), out)
            return
        columns, rows = result.columns, result.fetchall()
    if out is None:
        print_rows(columns, rows, format, sys.stdout)
    else:
        with out.open("w", encoding="utf-8", newline="") as handle:
            print_rows(columns, rows, format, handle)


def sql_prompt(home: Path, format: str) -> None:
    """Read statements ending in ';' until end of input; a terminal gets prompts and a history file."""
    import readline

    from warehouse.load import WarehouseBusy, connect

    with connect(home, read_only=True):
        pass  # fail now, not at the first statement, when there is no warehouse
    interactive = sys.stdin.isatty()
    if interactive:
        readline.set_history_length(2000)
        if SQL_HISTORY.exists():
            readline.read_history_file(SQL_HISTORY)
        console.print(
            f"[dim]wirehouse sql on {home} (read-only). End statements with ';'. "
            ".tables lists tables, views and macros; Ctrl-D quits.[/dim]"
        )
    lines: list[str] = []
    try:
        while True:
            try:
                line = input(("wirehouse> " if not lines else "      ...> ") if interactive else "")
            except EOFError:
                break
            except KeyboardInterrupt:
                lines = []
                console.print()
                continue
            command = line.strip()
            if not lines and command in (".quit", ".exit"):
                break
            if not lines and command == ".tables":
                line = SQL_CATALOGUE + ";"
            elif not lines and not command:
                continue
            lines.append(line)
            if not line.rstrip().endswith(";"):
                continue
            statement = "\n".join(lines)
            if interactive and len(lines) > 1:
                # One history entry per statement, so the up arrow brings back the whole of it.
                for _ in lines:
                    readline.remove_history_item(readline.get_current_history_length() - 1)
                readline.add_history(" ".join(part.strip() for part in lines))
            lines = []
            try:
                # A connection per statement: an idle prompt must not hold the file against the nightly load.
                run_sql(home, statement, format, None)
            except (WarehouseBusy, duckdb.Error) as exc:
                console.print(f"[red]{exc}[/red]")
    finally:
        if interactive:
            readline.write_history_file(SQL_HISTORY)


# What `.tables` shows at the prompt: every table, view and macro with its comment.
SQL_CATALOGUE = """SELECT name, type, comment FROM (
    SELECT table_name AS name, 'table' AS type, comment FROM duckdb_tables() WHERE NOT internal
    UNION ALL SELECT view_name, 'view', comment FROM duckdb_views() WHERE NOT internal
    UNION ALL SELECT DISTINCT function_name, replace(function_type, '_', ' '), comment FROM duckdb_functions()
        WHERE function_type IN ('macro', 'table_macro') AND database_name = current_database()
) ORDER BY type, name"""


def print_rows(columns: list[str], rows: list[tuple], format: str, stream) -> None:
    if format == "json":
        stream.write(
            json.dumps([dict(zip(columns, row)) for row in rows], default=str, ensure_ascii=False, indent=1) + "\n"
        )
    elif format == "csv":
        import csv

        writer = csv.writer(stream)
        writer.writerow(columns)
        writer.writerows(rows)
    else:
        table = Table(caption=f"{len(rows)} row{'' if len(rows) == 1 else 's'}")
        for column in columns:
            table.add_column(column, overflow="fold")
        for row in rows:
            table.add_row(*("[dim]NULL[/dim]" if v is None else escape(str(v)) for v in row))
        (console if stream is sys.stdout else Console(file=stream, width=160)).print(table)


@app.command()
def report(
    home: HomeOption,
    out: Annotated[Path, typer.Option("--out", dir_okay=False, help="The HTML file to write.")],
    date_from: Annotated[str | None, typer.Option("--from", help="First publication date, YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last publication date, YYYY-MM-DD.")] = None,
) -> None:
    """Write a self-contained HTML report of HOME's warehouse (inline SVG charts: opens offline, no scripts)."""
    from flows.report_html import write_report
    from warehouse.load import WarehouseBusy

    try:
        path = write_report(home, out, _parse_day(date_from), _parse_day(date_to))
    except (WarehouseBusy, FileNotFoundError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(code=3) from None
    console.print(f"wrote {path}")


@eval_app.command("quotes")
def eval_quotes(
    gold: Annotated[Path, typer.Option("--gold", exists=True, help="A PolNeAR folder (text/ and attributions/).")],
    limit: Annotated[int | None, typer.Option("--limit")] = None,
) -> None:
    """Quote attribution precision, recall, F1 and speaker accuracy against PolNeAR gold."""
    from transforms.evaluate.quotes import evaluate_quotes, format_report

    console.print(format_report(evaluate_quotes(gold, limit=limit)))


@eval_app.command("events")
def eval_events(gold: Annotated[Path, typer.Option("--gold", exists=True, help="PLOVER gold records (JSON).")]) -> None:
    """PLOVER event type accuracy and actor/recipient match against gold records."""
    from transforms.evaluate.events import evaluate_events, format_report

    console.print(format_report(evaluate_events(gold)))


@eval_app.command("html")
def eval_html(
    pages: Annotated[Path, typer.Option("--pages", exists=True)],
    expected: Annotated[Path, typer.Option("--expected", exists=True)],
) -> None:
    """Body-text extraction precision, recall and F1 against expected texts."""
    from transforms.evaluate.html import evaluate_html, format_report

    console.print(format_report(evaluate_html(pages, expected)))


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True}, add_help_option=False)
def bench(ctx: typer.Context) -> None:
    """The benchmark: throughput per stage, the textacy peer, no-op rerun, 1x/10x growth (--help for options)."""
    from bench.__main__ import main as bench_main

    bench_main(ctx.args)


# --- operations: serve, rebuild, status (issue 6) ---------------------------------------------------------


@app.command()
def serve(
    inbox: Annotated[Path, typer.Option("--inbox", file_okay=False, help="Folder the scheduled runs read.")],
    home: HomeOption,
    lake: Annotated[
        str | None, typer.Option("--lake", help="Lake location (path or fsspec URL); default HOME/lake.")
    ] = None,
    cron: Annotated[str, typer.Option("--cron", help="When the nightly run starts.")] = "0 2 * * *",
    timezone: Annotated[
        str | None, typer.Option("--timezone", help="Time zone of --cron (default $WIREHOUSE_TZ or UTC).")
    ] = None,
    runner: Annotated[str, typer.Option("--runner", help="threads, processes or dask.")] = "threads",
    dask_address: Annotated[
        str | None, typer.Option("--dask-address", help="tcp://scheduler:8786 of an existing Dask cluster.")
    ] = None,
) -> None:
    """Serve the nightly schedule (and the backfill deployment) against a Prefect server (PREFECT_API_URL)."""
    from flows.serve import NoPrefectServer
    from flows.serve import serve as serve_deployments

    try:
        serve_deployments(
            inbox=inbox, home=home, lake=lake, runner=runner, dask_address=dask_address, cron=cron, timezone=timezone
        )
    except NoPrefectServer as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(code=3) from None


@app.command()
def rebuild(
    home: HomeOption,
    lake: Annotated[
        str | None, typer.Option("--lake", help="Lake location (path or fsspec URL); default HOME/lake.")
    ] = None,
) -> None:
    """Recreate HOME's DuckDB warehouse from the lake (built beside, then renamed over the old file)."""
    from flows.lock import home_lock
    from warehouse.rebuild import rebuild_warehouse

    with flow_exit_codes("rebuild failed"), home_lock(Path(home), purpose="rebuild from the lake"):
        result = rebuild_warehouse(Path(home), lake)
    table = Table(title=f"rebuilt {result.path} from {result.lake} in {result.seconds:.1f}s")
    table.add_column("table")
    table.add_column("lake files", justify="right")
    table.add_column("rows", justify="right")
    for name, rows in result.rows.items():
        table.add_row(name, str(result.files[name]), str(rows))
    console.print(table)


@app.command()
def status(
    home: HomeOption,
    limit: Annotated[int, typer.Option("--limit", help="How many runs to show.")] = 10,
) -> None:
    """The last runs (counts, state, message), rows per table and the warehouse's size."""
    from flows.report import human_bytes, read_status
    from warehouse.load import WarehouseBusy

    try:
        state = read_status(Path(home), limit)
    except (WarehouseBusy, FileNotFoundError) as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(code=3) from None
    runs = Table(title=f"last {len(state.runs)} run(s), newest first")
    headers = {
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
    for column, header in headers.items():
        runs.add_column(header, no_wrap=True, justify="left" if column in ("run_id", "status") else "right")
    messages = []
    for row in state.runs:
        cells = []
        for column in headers:
            value = row.get(column)
            if column == "started_at" and value is not None:
                value = value.strftime("%m-%d %H:%M")
            if column == "status" and value == "failed":
                value = "[red]failed[/red]"
            if column == "seconds" and value is not None:
                value = f"{float(value):.0f}"
            cells.append("" if value is None else str(value))
        runs.add_row(*cells)
        if row.get("message"):
            messages.append(f"{row['run_id']}: {row['message']}")
    Console(width=max(console.width, 150)).print(runs)
    for message in messages:
        console.print(f"[red]{message}[/red]")
    sizes = "  ".join(f"{name} {count}" for name, count in state.table_rows.items())
    console.print(f"warehouse {Path(home) / 'warehouse.duckdb'}: {human_bytes(state.warehouse_bytes)}; rows: {sizes}")


if __name__ == "__main__":
    app()
