"""The `wirehouse` command line: the typer commands and nothing else; what they print is flows/console.py and
flows/sql_shell.py, their defaults flows/settings.py. Commands import the flows they start when they run, so a
command that needs no Prefect, spaCy or GX does not load them.

May import every flows/ module, warehouse/, expectations/ and transforms.evaluate; never bench/ (`wirehouse
bench` starts it as a program).
"""

from __future__ import annotations

import gc
import logging
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import duckdb
import typer

from flows import settings, sql_shell
from flows.console import console, error, print_backfill_summary, print_rebuild, print_run_summary, print_status
from transforms.nlp.memory import share_heaps

# Before Prefect and GX are imported (they read these as they load); a user's own values win.
for _name, _value in settings.COMMAND_ENVIRONMENT.items():
    os.environ.setdefault(_name, _value)

# trafilatura warns for every page it judges not worth extracting; the skipped table records those reasons.
logging.getLogger("trafilatura").setLevel(logging.ERROR)


class Program(typer.Typer):
    """The command line as a program (`wirehouse`, `python -m flows.cli`): once the command is done, the process
    ends without the interpreter's final garbage collection over all it loaded (spaCy's model, GX, the batch),
    which took seconds and frees nothing the OS does not. Exit handlers and flushes run as usual; tests that
    invoke the commands through click's runner keep collecting."""

    def __call__(self, *args, **kwargs):
        share_heaps()  # before any thread has a heap of its own
        try:
            return super().__call__(*args, **kwargs)
        finally:
            gc.freeze()


app = Program(
    help="wirehouse: news articles in, an auditable warehouse of sources, quotes and events out.", no_args_is_help=True
)
eval_app = typer.Typer(help="Accuracy evaluations against gold data.", no_args_is_help=True)
app.add_typer(eval_app, name="eval")

HomeOption = Annotated[Path, typer.Option("--home", help="Where the lake, the warehouse and reports live.")]
LakeOption = Annotated[
    str | None, typer.Option("--lake", help="Lake location (path or fsspec URL); default HOME/lake.")
]


def _parse_day(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


RunnerOption = Annotated[str, typer.Option("--runner", help="Where extraction runs: threads, processes or dask.")]
DaskAddressOption = Annotated[
    str | None,
    typer.Option("--dask-address", help="tcp://scheduler:8786 of an existing Dask cluster (with --runner dask)."),
]
ChunkSizeOption = Annotated[int, typer.Option("--chunk-size", help="Articles per extraction task.")]
ChunkRecordsOption = Annotated[
    int,
    typer.Option(
        "--chunk-records",
        min=1,
        help="Records per chunk: each chunk loads in one transaction with its checkpoint, so memory is bounded by "
        "a chunk and a rerun after a crash resumes after the last loaded one.",
    ),
]


def _check_runner(runner: str) -> None:
    if runner not in settings.RUNNERS:
        error(f"--runner must be one of {', '.join(settings.RUNNERS)}")
        raise typer.Exit(code=2)


def prepare_in_background(runner: str) -> None:
    """Load what the run needs later on a background thread, while Prefect's server boots and the inbox is read:
    spaCy's model (for the threads runner's tasks), then GX's suites (for validation, after extraction), the
    first-name list (for the entity layer's gender estimates) and the gazetteer (for event places).

    Started once the flow's modules are imported, so the thread imports nothing the main thread is importing."""
    from expectations import validate
    from flows import runners
    from transforms.entities import first_names
    from transforms.places import resolve

    runners.prepare(runner)
    runners.BACKGROUND.submit(validate.prepare)
    runners.BACKGROUND.submit(first_names.load)
    runners.BACKGROUND.submit(resolve.load_gazetteer)


@contextmanager
def flow_exit_codes(failed: str) -> Iterator[None]:
    """A held home exits 3, a failed run 4, each with its message (cron and scripts read the code)."""
    from flows.lock import HomeLocked

    try:
        yield
    except HomeLocked as exc:
        error(exc)
        raise typer.Exit(code=3) from None
    except Exception as exc:
        # Imported only once a run failed: the home lock is taken before Prefect (and this module) loads.
        from flows.nightly import RunFailed

        if not isinstance(exc, RunFailed):
            raise
        error(f"{failed}: {exc}")
        raise typer.Exit(code=4) from None


@app.command()
def run(
    inbox: Annotated[Path, typer.Option("--inbox", exists=True, file_okay=False, help="Folder of raw article files.")],
    home: HomeOption,
    run_date: Annotated[str | None, typer.Option("--run-date", help="YYYY-MM-DD; defaults to today.")] = None,
    lake: LakeOption = None,
    runner: RunnerOption = settings.DEFAULT_RUNNER,
    dask_address: DaskAddressOption = None,
    chunk_size: ChunkSizeOption = settings.CHUNK_ARTICLES,
    chunk_records: ChunkRecordsOption = settings.CHUNK_RECORDS,
) -> None:
    """Run the nightly flow over every file in INBOX not yet ingested (none: no run starts, nothing is recorded)."""
    from flows.inbox import has_new_files
    from flows.lock import home_lock

    _check_runner(runner)
    # The home first: a second run on it is refused before it starts a server or loads a model. The flow takes the
    # same lock again (this thread holds it).
    with flow_exit_codes("run failed"), home_lock(home, purpose=f"nightly run {inbox}"):
        # Checked before Prefect, spaCy and GX are imported: a rerun over an unchanged inbox takes a second, not ten.
        if not has_new_files(inbox, home):
            console.print(f"nothing new in {inbox}: every file is already ingested into {home}; no run started")
            return
        summary = _run_nightly(inbox, home, _parse_day(run_date), lake, runner, dask_address, chunk_size, chunk_records)
    print_run_summary(summary)


def _run_nightly(
    inbox: Path,
    home: Path,
    run_date: date | None,
    lake: str | None,
    runner: str,
    dask_address: str | None,
    chunk_size: int,
    chunk_records: int,
) -> dict:
    from flows import prefect_server

    api = prefect_server.start_temporary_api()  # boots while Prefect and the flow's modules import
    from flows.nightly import nightly, storage_failures_in_one_line

    storage_failures_in_one_line()
    prepare_in_background(runner)
    with prefect_server.using(api):
        return nightly(
            inbox=inbox,
            home=home,
            run_date=run_date,
            lake=lake,
            runner=runner,
            dask_address=dask_address,
            chunk_size=chunk_size,
            chunk_records=chunk_records,
        )


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
    chunk_records: ChunkRecordsOption = settings.CHUNK_RECORDS,
    lake: LakeOption = None,
    runner: RunnerOption = settings.DEFAULT_RUNNER,
    dask_address: DaskAddressOption = None,
    chunk_size: ChunkSizeOption = settings.CHUNK_ARTICLES,
) -> None:
    """Load archives into HOME, resumably: rerun the same command after a crash to continue."""
    _check_runner(runner)
    from flows import prefect_server
    from flows.lock import home_lock

    with (
        flow_exit_codes("backfill failed (rerun the same command to resume)"),
        home_lock(home, purpose=f"backfill of {len(paths)} path(s)"),
    ):
        api = prefect_server.start_temporary_api()  # boots while Prefect and the flow's modules import
        from flows.backfill import backfill as backfill_flow
        from flows.nightly import storage_failures_in_one_line

        storage_failures_in_one_line()
        prepare_in_background(runner)
        with prefect_server.using(api):
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
    print_backfill_summary(summary)


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
    if format not in sql_shell.FORMATS:
        error(f"--format must be one of {', '.join(sql_shell.FORMATS)}")
        raise typer.Exit(code=2)
    if query is not None and file is not None:
        error("give a query or --file, not both")
        raise typer.Exit(code=2)
    if format == "parquet" and out is None:
        error("--format parquet needs --out FILE")
        raise typer.Exit(code=2)
    from warehouse.load import WarehouseBusy, WarehouseUnreadable

    try:
        if query is None and file is None:
            sql_shell.sql_prompt(home, format)
        else:
            sql_shell.run_sql(home, query if file is None else file.read_text(encoding="utf-8"), format, out)
    except (WarehouseBusy, WarehouseUnreadable, FileNotFoundError) as exc:
        error(exc)
        raise typer.Exit(code=3) from None
    except duckdb.Error as exc:
        error(exc)
        raise typer.Exit(code=1) from None


@app.command()
def report(
    home: HomeOption,
    out: Annotated[Path, typer.Option("--out", dir_okay=False, help="The HTML file to write.")],
    date_from: Annotated[str | None, typer.Option("--from", help="First publication date, YYYY-MM-DD.")] = None,
    date_to: Annotated[str | None, typer.Option("--to", help="Last publication date, YYYY-MM-DD.")] = None,
) -> None:
    """Write a self-contained HTML report of HOME's warehouse (inline SVG charts: opens offline, no scripts)."""
    from flows.report_html import write_report
    from warehouse.load import WarehouseBusy, WarehouseUnreadable

    try:
        path = write_report(home, out, _parse_day(date_from), _parse_day(date_to))
    except (WarehouseBusy, WarehouseUnreadable, FileNotFoundError) as exc:
        error(exc)
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


@eval_app.command("entities")
def eval_entities(
    gold: Annotated[Path, typer.Option("--gold", exists=True, help="GUM: gum.jsonl or the folder holding it.")],
    limit: Annotated[int | None, typer.Option("--limit", help="Score only the first N documents.")] = None,
    split: Annotated[str, typer.Option("--split", help="GUM split: train, dev, test or all.")] = "all",
    json_out: Annotated[Path | None, typer.Option("--json", help="Also write the full result as JSON here.")] = None,
) -> None:
    """Mentions resolved to GUM's entities (fullest names, coreference) and quote sources against its attributions."""
    import json

    from transforms.evaluate.entities import evaluate_entities, format_report
    from transforms.extract import extract_articles

    if split not in ("train", "dev", "test", "all"):
        error(f"--split must be train, dev, test or all, not {split!r}")
        raise typer.Exit(code=2)
    result = evaluate_entities(gold, extract_articles, limit=limit, split=split)
    if json_out:
        json_out.write_text(json.dumps(result, indent=1, default=str), encoding="utf-8")
    console.print(format_report(result), markup=False, highlight=False, soft_wrap=True)


@eval_app.command("events")
def eval_events(
    gold: Annotated[Path, typer.Option("--gold", exists=True, help="PLOVER gold records (JSON).")],
    leave_one_type_out: Annotated[
        bool, typer.Option("--leave-one-type-out", help="Score each type with its hand lexicon entries removed.")
    ] = False,
) -> None:
    """PLOVER event type accuracy and actor/recipient match against gold records."""
    from transforms.evaluate import events

    if leave_one_type_out:
        console.print(events.format_leave_one_type_out(events.leave_one_type_out(gold)))
        return
    console.print(events.format_report(events.evaluate_events(gold)))


@eval_app.command("dates")
def eval_dates(
    gold: Annotated[Path, typer.Option("--gold", exists=True, help="TimeBank documents (timebank.jsonl).")],
) -> None:
    """Event dates against TimeML: events whose sentence dates them carry that date at its granularity."""
    from transforms.evaluate.dates import evaluate_dates, format_report

    console.print(format_report(evaluate_dates(gold)), markup=False, highlight=False)


@eval_app.command("clusters")
def eval_clusters(
    gold: Annotated[Path, typer.Option("--gold", exists=True, help="An ECB+ split folder (e.g. ecbplus/dev).")],
    limit: Annotated[int | None, typer.Option("--limit", help="Score only the first N documents.")] = None,
) -> None:
    """Event clusters across articles against ECB+ chains (MUC, B-cubed, CEAF-e, CoNLL) beside the lemma baseline."""
    from transforms.evaluate.clusters import evaluate_clusters, format_report
    from warehouse.candidates import candidates

    console.print(format_report(evaluate_clusters(gold, candidates, limit=limit)), markup=False, highlight=False)


@eval_app.command("quote-clusters")
def eval_quote_clusters(
    corpus: Annotated[Path, typer.Option("--corpus", exists=True, help="news-please JSON articles (news_cluster).")],
) -> None:
    """Quote clusters across articles: repeated statements in one cluster, different statements apart."""
    from transforms.evaluate.quote_clusters import evaluate_quote_clusters, format_report
    from transforms.extract import extract_articles

    console.print(format_report(evaluate_quote_clusters(corpus, extract_articles)), markup=False, highlight=False)


@eval_app.command("html")
def eval_html(
    pages: Annotated[Path, typer.Option("--pages", exists=True)],
    expected: Annotated[Path, typer.Option("--expected", exists=True)],
) -> None:
    """HTML body extraction against expected texts: ROUGE-LSum F1 (WCEB method), beside plain trafilatura."""
    from transforms.evaluate.html import evaluate_html, format_report

    console.print(format_report(evaluate_html(pages, expected)))


@app.command(context_settings={"allow_extra_args": True, "ignore_unknown_options": True}, add_help_option=False)
def bench(ctx: typer.Context) -> None:
    """The benchmark: throughput per stage, the textacy peer, no-op rerun, 1x/10x growth (--help for options)."""
    # A subprocess, so the package never imports the benchmark harness (a dev tool beside it).
    harness = subprocess.run([sys.executable, "-m", "bench", *ctx.args], check=False)
    if harness.returncode:
        raise typer.Exit(code=harness.returncode)


@app.command()
def serve(
    inbox: Annotated[Path, typer.Option("--inbox", file_okay=False, help="Folder the scheduled runs read.")],
    home: HomeOption,
    lake: LakeOption = None,
    cron: Annotated[str, typer.Option("--cron", help="When the nightly run starts.")] = settings.NIGHTLY_CRON,
    timezone: Annotated[
        str | None, typer.Option("--timezone", help="Time zone of --cron (default $WIREHOUSE_TZ or UTC).")
    ] = None,
    runner: Annotated[str, typer.Option("--runner", help="threads, processes or dask.")] = settings.DEFAULT_RUNNER,
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
        error(exc)
        raise typer.Exit(code=3) from None


@app.command()
def rebuild(
    home: HomeOption,
    lake: LakeOption = None,
) -> None:
    """Recreate HOME's DuckDB warehouse from the lake (built beside, then renamed over the old file)."""
    from flows.lock import home_lock
    from warehouse.rebuild import rebuild_warehouse

    with flow_exit_codes("rebuild failed"), home_lock(Path(home), purpose="rebuild from the lake"):
        result = rebuild_warehouse(Path(home), lake)
    print_rebuild(result)


@app.command()
def status(
    home: HomeOption,
    limit: Annotated[int, typer.Option("--limit", help="How many runs to show.")] = 10,
) -> None:
    """The last runs (counts, state, message), rows per table and the warehouse's size."""
    from warehouse.load import WarehouseBusy, WarehouseUnreadable
    from warehouse.status import read_status

    try:
        state = read_status(Path(home), limit)
    except (WarehouseBusy, WarehouseUnreadable, FileNotFoundError) as exc:
        error(exc)
        raise typer.Exit(code=3) from None
    print_status(state, Path(home))


if __name__ == "__main__":
    app()
