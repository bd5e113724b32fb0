"""The nightly flow: every inbox file not ingested before, from raw records to validated tables in DuckDB.

May import flows.tasks, runners, report, summary, settings and lock, transforms.schema, warehouse/ and
expectations/.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger

from flows import report, runners, settings, tasks
from flows.lock import home_lock
from flows.summary import Accounting, RunSummary, StageClock
from transforms.ingest.records import Rejected, Skipped
from transforms.schema import RUNS, conform
from warehouse.lake import default_lake


class AccountingMismatch(RuntimeError):
    pass


class RunFailed(RuntimeError):
    """A run that stopped; its message says why (warehouse locked, lake unreachable, ...) and is in `runs`."""


def new_run_id(flow_name: str) -> str:
    return f"{flow_name}-{tasks.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


def process_files(
    files: list[tasks.InboxFile],
    home: Path,
    lake: str,
    run_id: str,
    flow_name: str,
    run_date: date | None,
    *,
    runner: str = settings.DEFAULT_RUNNER,
    dask_address: str | None = None,
    chunk_size: int = settings.CHUNK_ARTICLES,
    clock: StageClock | None = None,
) -> RunSummary:
    """Run whole inbox files through every stage and load them; returns the run's accounting.

    The lake is probed first (a write that fails costs no extraction time).
    """
    clock = clock or StageClock()
    tasks.check_lake(lake)
    clock.lap("check-lake")
    batch = tasks.ingest(files)
    clock.lap("ingest")
    ingested_files = tasks.ingested_file_rows(files, batch, run_id, tasks.now())
    return process_batch(
        batch,
        home,
        lake,
        run_id,
        flow_name,
        run_date,
        clock,
        {"ingested_files": ingested_files},
        len(files),
        runner=runner,
        dask_address=dask_address,
        chunk_size=chunk_size,
    )


def process_batch(
    batch: tasks.Ingested,
    home: Path,
    lake: str,
    run_id: str,
    flow_name: str,
    run_date: date | None,
    clock: StageClock,
    progress_tables: dict[str, pl.DataFrame],
    files_read: int,
    window: tuple[date | None, date | None] = (None, None),
    *,
    runner: str = settings.DEFAULT_RUNNER,
    dask_address: str | None = None,
    chunk_size: int = settings.CHUNK_ARTICLES,
) -> RunSummary:
    """Normalise, extract, validate, write and load one batch of read records, in one load transaction.

    Extraction runs in chunks of `chunk_size` articles on `runner` (threads, processes or dask; see
    flows/runners.py); everything else, the lake write and the warehouse load included, runs in this process.

    `progress_tables` (ingested files, backfill checkpoints) load in the same transaction as the rows, so a
    crash never records progress without the rows or rows without the progress.
    """
    started_at = tasks.now()
    runners.prepare(runner)  # the model loads while the batch is normalised
    extraction = normalise_and_extract(
        batch, home, run_id, started_at, window, clock, runner=runner, dask_address=dask_address, chunk_size=chunk_size
    )
    outcome = tasks.validate({"articles": extraction.articles, **extraction.tables}, run_id, started_at)
    data_docs = build_data_docs(home)
    clock.lap("validate")

    quarantine = pl.concat(
        [
            tasks.quarantine_rows(batch.rejected + extraction.conflicts, run_id, started_at),
            tasks.quarantine_rows(extraction.failed, run_id, started_at, table_name="articles"),
            outcome.quarantine,
        ]
    )
    accounting = balanced_accounting(batch, extraction, outcome.valid["articles"].height)
    run_tables = {
        "quarantine": quarantine,
        "duplicates": extraction.duplicates,
        "skipped": tasks.skipped_rows(batch.skipped + extraction.skipped, run_id, started_at),
        **progress_tables,
    }
    tasks.write_lake(lake, outcome.valid, run_id, run_tables)
    clock.lap("write")
    summary = RunSummary(
        run_id=run_id,
        status="completed",
        accounting=accounting,
        table_rows={name: frame.height for name, frame in outcome.valid.items()},
        quarantined_rows={name: n for name, n in quarantine.group_by("table_name").len().iter_rows()},
        stage_seconds=clock.seconds,
        expectations=tasks.expectation_summary(outcome.results),
        files_read=files_read,
        near_duplicates=extraction.duplicates.filter(pl.col("kind") == "near").height,
        quarantine_reasons=top_reasons(quarantine),
        lake=lake,
        runner=runners.describe(runner, dask_address),
        data_docs=data_docs,
    )
    # The runs row holds the timings up to the lake write; the printed summary adds the load.
    run_row = run_record(summary, flow_name, run_date, started_at)
    tasks.load_warehouse(home, {**outcome.valid, **run_tables, "runs": run_row})
    tasks.record_run_in_lake(lake, run_id, run_row)
    tasks.save_near_duplicate_index(home, extraction.judged_ids - set(outcome.valid["articles"]["article_id"]))
    clock.lap("load")
    summary.stage_seconds = dict(clock.seconds)
    return summary


@dataclass
class Extraction:
    """One batch normalised and extracted, before validation."""

    articles: pl.DataFrame  # the articles extraction succeeded on (or skipped), near duplicates marked
    tables: dict[str, pl.DataFrame]  # sources, quotes, events
    duplicates: pl.DataFrame  # exact (not loaded) and near (loaded, marked) duplicates rows
    skipped: list[Skipped]  # no body, or published outside the date window
    conflicts: list[Rejected]  # article id conflicts
    failed: list[Rejected]  # the articles extraction failed on
    judged_ids: set[str]  # every article the near-duplicate index judged


def normalise_and_extract(
    batch: tasks.Ingested,
    home: Path,
    run_id: str,
    started_at: datetime,
    window: tuple[date | None, date | None],
    clock: StageClock,
    *,
    runner: str,
    dask_address: str | None,
    chunk_size: int,
) -> Extraction:
    articles, exact_duplicates, skipped, conflicts = tasks.normalise(batch, run_id, started_at, home, window)
    judged_ids = set(articles["article_id"])
    clock.lap("normalise")
    # Near duplicates change no article's extraction: they are judged (over the whole batch, in its order) while
    # extraction runs, and counted in its time.
    marking = tasks.near_duplicates.submit(articles, home, run_id, started_at)
    try:
        extracted = runners.extract_parallel(articles, runner, dask_address, chunk_size)
    finally:
        marking.wait()
    articles, near_duplicates = marking.result()
    articles, failed = tasks.split_extraction_failures(articles, extracted.pop("extraction_failures"))
    clock.lap("extract")
    return Extraction(
        articles=articles,
        tables=extracted,
        duplicates=pl.concat([exact_duplicates, near_duplicates]),
        skipped=skipped,
        conflicts=conflicts,
        failed=failed,
        judged_ids=judged_ids,
    )


def balanced_accounting(batch: tasks.Ingested, extraction: Extraction, valid_articles: int) -> Accounting:
    """Every record read, counted once; a batch whose counts do not add up fails rather than loads."""
    accounting = Accounting(
        records_read=batch.items_read,
        loaded=valid_articles,
        duplicates=extraction.duplicates.filter(pl.col("kind") == "exact").height,
        skipped=len(batch.skipped) + len(extraction.skipped),
        quarantined=len(batch.rejected)
        + len(extraction.conflicts)
        + len(extraction.failed)
        + (extraction.articles.height - valid_articles),
    )
    if not accounting.balanced:
        raise AccountingMismatch(f"records do not add up: {accounting}")
    return accounting


def build_data_docs(home: Path) -> str:
    """GX data docs of this batch's validation in HOME/reports/data_docs; '' when they could not be built."""
    from expectations.validate import build_data_docs as build

    try:
        index = build(Path(home) / "reports" / "data_docs")
    except Exception as exc:  # the docs are a report, never a reason to fail the load
        get_run_logger().warning("GX data docs not built: %s", exc)
        return ""
    return str(index) if index else ""


def top_reasons(quarantine: pl.DataFrame, limit: int = 10) -> list[dict]:
    """The most frequent quarantine reasons (a row failing two expectations counts for both)."""
    if quarantine.is_empty():
        return []
    reasons = (
        quarantine.select("table_name", pl.col("reason").str.split("; ").alias("reason"))
        .explode("reason")
        .group_by("table_name", "reason")
        .len("rows")
        .sort(["rows", "table_name", "reason"], descending=[True, False, False])
        .head(limit)
    )
    return reasons.to_dicts()


def run_record(summary: RunSummary, flow_name: str, run_date: date | None, started_at) -> pl.DataFrame:
    a = summary.accounting
    row = {
        "run_id": summary.run_id,
        "flow": flow_name,
        "run_date": run_date,
        "started_at": started_at,
        "finished_at": tasks.now(),
        "status": summary.status,
        "files_read": summary.files_read,
        "records_read": a.records_read,
        "loaded": a.loaded,
        "duplicates": a.duplicates,
        "skipped": a.skipped,
        "quarantined": a.quarantined,
        "sources_rows": summary.table_rows.get("sources", 0),
        "quotes_rows": summary.table_rows.get("quotes", 0),
        "events_rows": summary.table_rows.get("events", 0),
        "quarantined_rows": sum(summary.quarantined_rows.values()),
        "stage_seconds": tasks.stage_seconds_json(summary.stage_seconds),
        "message": summary.message,
    }
    return conform([row], RUNS)


@flow(name="nightly", log_prints=True)
def nightly(
    inbox: Path,
    home: Path,
    run_date: date | None = None,
    lake: str | None = None,
    runner: str = settings.DEFAULT_RUNNER,
    dask_address: str | None = None,
    chunk_size: int = settings.CHUNK_ARTICLES,
) -> dict:
    """Ingest every new file in INBOX into HOME's lake and warehouse.

    `run_date` defaults to the scheduled day (prefect.yaml's cron); `runner` picks where extraction runs
    (threads, processes, dask; `dask_address` for an existing cluster). A run that fails is recorded in `runs`
    with status failed and the reason, and the flow run ends Failed with the same message.
    """
    home, inbox = Path(home), Path(inbox)
    run_date = run_date or scheduled_date()
    lake = str(lake or default_lake(home))
    logger = get_run_logger()
    with home_lock(home, purpose=f"nightly run {inbox}"):
        run_id = new_run_id("nightly")
        started_at = tasks.now()
        clock = StageClock()
        files: list[tasks.InboxFile] = []
        try:
            if discarded := tasks.discard_interrupted_runs(home, lake):
                logger.warning(
                    "removed the lake files of %d interrupted run(s): %s", len(discarded), ", ".join(discarded)
                )
            files = tasks.find_new_files(inbox, home)
            logger.info(
                "%d new file(s) in %s; extraction on %s", len(files), inbox, runners.describe(runner, dask_address)
            )
            summary = process_files(
                files,
                home,
                lake,
                run_id,
                "nightly",
                run_date,
                runner=runner,
                dask_address=dask_address,
                chunk_size=chunk_size,
                clock=clock,
            )
        except Exception as exc:
            failure = record_failure(
                exc,
                home=home,
                lake=lake,
                run_id=run_id,
                flow_name="nightly",
                run_date=run_date,
                started_at=started_at,
                stage_seconds=clock.seconds,
                files_read=len(files),
            )
            report.publish_run_report(failure, home)
            raise RunFailed(failure.message) from exc
    report.publish_run_report(summary, home)
    logger.info("run %s: %s", run_id, summary.accounting)
    return summary.as_dict()


def failure_message(exc: BaseException) -> str:
    """One line saying what stopped the run, naming the storage that failed."""
    from warehouse.load import WarehouseBusy

    if isinstance(exc, WarehouseBusy):
        return f"warehouse locked: {exc}"
    if isinstance(exc, tasks.LakeUnreachable):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def record_failure(
    exc: BaseException,
    *,
    home: Path,
    lake: str,
    run_id: str,
    flow_name: str,
    run_date: date | None,
    started_at,
    stage_seconds: dict[str, float] | None = None,
    files_read: int = 0,
) -> RunSummary:
    """Record a failed run in `runs` (warehouse and lake, whichever can be written) and return its summary.

    Best effort by nature: when the warehouse is locked the row goes to the lake only (a later
    `wirehouse rebuild` brings it back), when the lake is unreachable to the warehouse only.
    """
    from warehouse.load import apply_schema, connect, load_batch

    logger = get_run_logger()
    tasks.discard_unsaved_near_duplicates(home)
    summary = RunSummary(
        run_id=run_id,
        status="failed",
        accounting=Accounting(),
        table_rows={},
        quarantined_rows={},
        stage_seconds=dict(stage_seconds or {}),
        files_read=files_read,
        message=failure_message(exc),
        lake=lake,
    )
    row = run_record(summary, flow_name, run_date, started_at)
    recorded = []
    try:
        with connect(home, wait_seconds=1.0) as con:
            apply_schema(con)
            load_batch(con, {"runs": row})
        recorded.append("warehouse")
    except Exception as warehouse_exc:
        logger.warning("failed run %s not recorded in the warehouse: %s", run_id, warehouse_exc)
    try:
        tasks.record_run_in_lake.fn(lake, run_id, row)
        recorded.append("lake")
    except Exception as lake_exc:
        logger.warning("failed run %s not recorded in the lake: %s", run_id, lake_exc)
    logger.error("run %s failed: %s (recorded in: %s)", run_id, summary.message, ", ".join(recorded) or "nowhere")
    return summary


def scheduled_date() -> date:
    """The scheduled day of this flow run (so a late or retried run still processes its own date)."""
    from prefect.runtime import flow_run

    scheduled = flow_run.scheduled_start_time
    return scheduled.date() if scheduled else tasks.now().date()
