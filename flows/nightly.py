"""The nightly flow: every inbox file not ingested before, from raw records to validated tables in DuckDB.

The inbox is streamed in chunks of records, as a backfill's archives are (the chunk loop, `load_chunks`, serves
both flows): each chunk runs every stage and loads in one transaction with its checkpoint, so memory is bounded
by the chunk, not the day, and a rerun after a crash loads the rest exactly once. Each chunk is a row in `runs`
(the run's id, then `<run id>-<n>`); the flow returns the run's summary over its chunks.

May import flows.tasks, runners, report, summary, settings and lock, transforms.schema, transforms.normalise.articles
(the duplicate split), transforms.extract (ExtractionStopped), warehouse/ and expectations/.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger

from expectations.validate import ExpectationResult, ValidationOutcome
from flows import report, runners, settings, tasks
from flows.lock import home_lock
from flows.summary import Accounting, RunSummary, StageClock, summed
from transforms.extract import ExtractionStopped
from transforms.ingest.records import Rejected, Skipped
from transforms.normalise.articles import split_duplicates
from transforms.schema import RUNS, conform
from warehouse.lake import default_lake, locate_quarantined_records


class AccountingMismatch(RuntimeError):
    pass


class RunFailed(RuntimeError):
    """A run that stopped; its message says why (warehouse locked, lake unreachable, ...) and is in `runs`."""


def new_run_id(flow_name: str) -> str:
    return f"{flow_name}-{tasks.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


@dataclass(frozen=True)
class ChunkPlan:
    """What every chunk of one run shares (a nightly run's or a backfill's)."""

    flow_name: str
    home: Path
    lake: str
    base_run_id: str
    run_date: date | None
    runner: str = settings.DEFAULT_RUNNER
    dask_address: str | None = None
    chunk_size: int = settings.CHUNK_ARTICLES
    window: tuple[date | None, date | None] = (None, None)

    def run_id(self, n: int) -> str:
        """The n-th chunk's row in `runs`: a nightly run's first chunk is the run (most nights are one chunk), a
        backfill's chunks are numbered from 0."""
        return self.base_run_id if n == 0 and self.flow_name == "nightly" else f"{self.base_run_id}-{n:05d}"


def process_files(
    files: list[tasks.InboxFile], plan: ChunkPlan, chunk_records: int | None, clock: StageClock
) -> RunSummary:
    """Stream inbox files through every stage in chunks of `chunk_records` records, each loaded with its
    checkpoint (flows/tasks.py `chunks`); returns the run's summary over its chunks.

    The lake is probed first (a write that fails costs no extraction time). An inbox with nothing left to load
    still records its run, with nothing in it.
    """
    tasks.check_lake(plan.lake)
    clock.lap("check-lake")
    parts = [summary for _, summary in load_chunks(files, tasks.load_progress(plan.home), plan, chunk_records, clock)]
    return reported(combined(parts or [load_chunk([], plan, plan.run_id(0), clock)], plan.base_run_id), plan.home)


def reported(summary: RunSummary, home: Path) -> RunSummary:
    """A run's summary once its chunks are loaded, with the GX data docs of its last validation and its report
    published: once per run, not per chunk (the report's warehouse sections read the whole warehouse)."""
    summary.data_docs = build_data_docs(home)
    report.publish_run_report(summary, home)
    return summary


def load_chunks(
    files: list[tasks.InboxFile],
    done: tasks.LoadedSoFar,
    plan: ChunkPlan,
    chunk_records: int | None,
    clock: StageClock | None = None,
) -> Iterator[tuple[list[tasks.Segment], RunSummary]]:
    """Each chunk of `files` not loaded yet (by `done`) through every stage and into the warehouse, in order.

    A chunk's duplicates are judged against the chunks before it, which are in the warehouse by then.
    """
    clock = clock or StageClock()
    tasks.prepare_warehouse(plan.home)
    clock.lap("prepare-warehouse")
    for n, chunk in enumerate(tasks.chunks(files, done, chunk_records)):
        clock.lap("ingest")  # reading a chunk happens in the loop's next()
        yield chunk, load_chunk(chunk, plan, plan.run_id(n), clock)
        clock = StageClock()


def load_chunk(chunk: list[tasks.Segment], plan: ChunkPlan, run_id: str, clock: StageClock) -> RunSummary:
    """One chunk as one run: loaded in one transaction with its checkpoint rows (the flow reports the run once its
    chunks are in, `reported`). A chunk that fails is recorded and reported as a failed run and raised as
    RunFailed; the chunks before it stay loaded.

    The chunk runs as a flow run of its own, inside the run's: Prefect keeps every task's result until the flow
    run that called the task ends, so chunks run in the run's own flow would pile up every chunk's tables (about
    45 MB per 1,000 articles); a chunk's flow run ends with the chunk. Its work is closed over, not passed as
    parameters, which Prefect would serialise to its API (a chunk's records).
    """

    @flow(name=f"{plan.flow_name}-chunk", flow_run_name=run_id, validate_parameters=False, log_prints=True)
    def chunk_run() -> RunSummary:
        return _load_chunk(chunk, plan, run_id, clock)

    return chunk_run()


def _load_chunk(chunk: list[tasks.Segment], plan: ChunkPlan, run_id: str, clock: StageClock) -> RunSummary:
    started_at = tasks.now()
    try:
        summary = process_batch(
            tasks.batch_of(chunk),
            plan.home,
            plan.lake,
            run_id,
            plan.flow_name,
            plan.run_date,
            clock,
            tasks.progress_tables(chunk, run_id),
            files_read=sum(s.file_records is not None for s in chunk),
            window=plan.window,
            runner=plan.runner,
            dask_address=plan.dask_address,
            chunk_size=plan.chunk_size,
        )
    except Exception as exc:
        failure = record_failure(
            exc,
            home=plan.home,
            lake=plan.lake,
            run_id=run_id,
            flow_name=plan.flow_name,
            run_date=plan.run_date,
            started_at=started_at,
            stage_seconds=clock.seconds,
        )
        report.publish_run_report(failure, plan.home)
        where = f" (chunk from record {chunk[0].first_record} of {chunk[0].file.path})" if chunk else ""
        raise RunFailed(failure.message + where) from exc
    return summary


def combined(parts: list[RunSummary], run_id: str) -> RunSummary:
    """A run's summary over its chunks: a single chunk's own; else counts, rows and seconds summed, expectations
    merged and quarantine reasons ranked again (from each chunk's most frequent ones)."""
    if len(parts) == 1:
        return parts[0]
    expectations = merged_results(
        ExpectationResult(e["table"], e["expectation"], e["column"], e["success"], e["failed_rows"])
        for part in parts
        for e in part.expectations
    )
    reasons = [reason for part in parts for reason in part.quarantine_reasons]
    return RunSummary(
        run_id=run_id,
        status=parts[-1].status,
        accounting=sum((part.accounting for part in parts), Accounting()),
        table_rows=summed(part.table_rows for part in parts),
        quarantined_rows=summed(part.quarantined_rows for part in parts),
        stage_seconds=summed(part.stage_seconds for part in parts),
        expectations=tasks.expectation_summary(expectations),
        files_read=sum(part.files_read for part in parts),
        near_duplicates=sum(part.near_duplicates for part in parts),
        quarantine_reasons=ranked_reasons(pl.DataFrame(reasons)) if reasons else [],
        lake=parts[-1].lake,
        runner=parts[-1].runner,
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
    verdicts = judge_batch(
        batch, home, run_id, started_at, window, clock, runner=runner, dask_address=dask_address, chunk_size=chunk_size
    )
    clustered, merges = tasks.cluster_stories(verdicts.valid, home, run_id, started_at)
    verdicts.valid.update(clustered)
    clock.lap("cluster")

    quarantine = locate_quarantined_records(
        lake,
        run_id,
        pl.concat(
            [
                tasks.quarantine_rows(batch.rejected + verdicts.conflicts, run_id, started_at),
                tasks.quarantine_rows(verdicts.failed, run_id, started_at, table_name="articles"),
                verdicts.invalid,
            ]
        ),
    )
    accounting = balanced_accounting(batch, verdicts)
    run_tables = {
        "quarantine": quarantine,
        "duplicates": verdicts.duplicates,
        "skipped": tasks.skipped_rows(batch.skipped + verdicts.skipped, run_id, started_at),
        "cluster_merges": merges,
        **progress_tables,
    }
    tasks.write_lake(lake, verdicts.valid, run_id, run_tables)
    tasks.save_near_duplicates(home, run_id)
    clock.lap("write")
    summary = RunSummary(
        run_id=run_id,
        status="completed",
        accounting=accounting,
        table_rows={name: frame.height for name, frame in verdicts.valid.items()},
        quarantined_rows={name: n for name, n in quarantine.group_by("table_name").len().iter_rows()},
        stage_seconds=clock.seconds,
        expectations=tasks.expectation_summary(verdicts.results),
        files_read=files_read,
        near_duplicates=verdicts.duplicates.filter(pl.col("kind") == "near").height,
        quarantine_reasons=top_reasons(quarantine),
        lake=lake,
        runner=runners.describe(runner, dask_address),
    )
    # The runs row holds the timings up to the lake write; the printed summary adds the load.
    run_row = run_record(summary, flow_name, run_date, started_at)
    tasks.load_warehouse(home, {**verdicts.valid, **run_tables, "runs": run_row})
    tasks.record_run_in_lake(lake, run_id, run_row)
    clock.lap("load")
    summary.stage_seconds = dict(clock.seconds)
    return summary


@dataclass
class Verdicts:
    """One batch normalised, extracted and validated: the rows that load, and every record that does not."""

    valid: dict[str, pl.DataFrame]  # per article table, the rows that load; near duplicates marked
    invalid: pl.DataFrame  # quarantine rows of what validation rejected
    rejected_articles: int  # the articles among them
    results: list[ExpectationResult]
    duplicates: pl.DataFrame  # exact (not loaded) and near (loaded, marked) duplicates rows
    skipped: list[Skipped]  # no body, or published outside the date window
    conflicts: list[Rejected]  # article id conflicts
    failed: list[Rejected]  # the articles extraction failed on


def judge_batch(
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
) -> Verdicts:
    """Normalise, extract and validate a batch in rounds, so duplicates are judged only against loaded articles.

    The first round takes the first record of every body and id; the records the duplicate split holds back wait
    for that record's verdict, and the ones whose twin was not accepted (quarantined, extraction failed) go
    through the next round: a good record is never lost to a rejected twin. Usually there is one round. Near
    duplicates are judged last, over the accepted articles in batch order; their signatures, the costly part, are
    computed beside extraction.
    """
    articles, loaded, skipped = tasks.normalise(batch, run_id, started_at, home, window)
    clock.lap("normalise")
    signing = tasks.sign_bodies.submit(articles)
    rounds: list[ValidationOutcome] = []
    duplicates: list[pl.DataFrame] = []
    conflicts: list[Rejected] = []
    failed: list[Rejected] = []
    accepted_ids: set[str] = set()
    validated = 0
    try:
        pending = articles
        while True:
            ready, pending, exact, clashes = split_duplicates(pending, loaded, accepted_ids, run_id, started_at)
            duplicates.append(exact)
            conflicts += clashes
            if ready.is_empty() and rounds:
                break
            extracted = runners.extract_parallel(ready, runner, dask_address, chunk_size)
            ready, round_failed = tasks.split_extraction_failures(ready, extracted.pop("extraction_failures"))
            failed += round_failed
            validated += ready.height
            clock.lap("extract")
            outcome = tasks.validate({"articles": ready, **extracted}, run_id, started_at)
            clock.lap("validate")
            rounds.append(outcome)
            accepted = outcome.valid["articles"]
            loaded.update(zip(accepted["content_hash"], accepted["article_id"]))
            accepted_ids.update(accepted["article_id"])
    finally:
        signing.wait()
    valid = {name: pl.concat([outcome.valid[name] for outcome in rounds]) for name in rounds[0].valid}
    valid["articles"], near = tasks.near_duplicates(
        in_batch_order(valid["articles"], articles), signing.result(), home, run_id, started_at
    )
    clock.lap("extract")
    return Verdicts(
        valid=valid,
        invalid=pl.concat([outcome.quarantine for outcome in rounds]),
        rejected_articles=validated - valid["articles"].height,
        results=merged_results(r for outcome in rounds for r in outcome.results),
        duplicates=pl.concat([*duplicates, near]),
        skipped=skipped,
        conflicts=conflicts,
        failed=failed,
    )


def in_batch_order(rows: pl.DataFrame, batch: pl.DataFrame) -> pl.DataFrame:
    """Article rows of later rounds back in the batch's order (a record is its source_uri and article_id)."""
    keys = ["source_uri", "article_id"]
    position = batch.select(keys).with_row_index("_position").unique(keys, keep="first")
    return rows.join(position, on=keys, how="left", maintain_order="left").sort("_position").drop("_position")


def merged_results(results: Iterable[ExpectationResult]) -> list[ExpectationResult]:
    """One result per expectation over rounds or chunks: passed if it passed in each, its failed rows summed."""
    merged: dict[tuple, ExpectationResult] = {}
    for result in results:
        key = (result.table, result.expectation, result.column)
        if key not in merged:
            merged[key] = ExpectationResult(*key, result.success, result.unexpected_count)
        else:
            merged[key].success &= result.success
            merged[key].unexpected_count += result.unexpected_count
    return list(merged.values())


def balanced_accounting(batch: tasks.Ingested, verdicts: Verdicts) -> Accounting:
    """Every record read, counted once; a batch whose counts do not add up fails rather than loads."""
    accounting = Accounting(
        records_read=batch.items_read,
        loaded=verdicts.valid["articles"].height,
        duplicates=verdicts.duplicates.filter(pl.col("kind") == "exact").height,
        skipped=len(batch.skipped) + len(verdicts.skipped),
        quarantined=len(batch.rejected) + len(verdicts.conflicts) + len(verdicts.failed) + verdicts.rejected_articles,
    )
    if not accounting.balanced:
        raise AccountingMismatch(f"records do not add up: {accounting}")
    return accounting


def build_data_docs(home: Path) -> str:
    """GX data docs of the last batch validated in this process, in HOME/reports/data_docs; '' when they could not
    be built."""
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
    rows = (
        quarantine.select("table_name", pl.col("reason").str.split("; ").alias("reason"))
        .explode("reason")
        .with_columns(rows=pl.lit(1))
    )
    return ranked_reasons(rows, limit)


def ranked_reasons(rows: pl.DataFrame, limit: int = 10) -> list[dict]:
    """(table_name, reason, rows) counts summed per reason, the most frequent first."""
    ranked = (
        rows.group_by("table_name", "reason")
        .agg(pl.col("rows").sum())
        .sort(["rows", "table_name", "reason"], descending=[True, False, False])
        .head(limit)
    )
    return ranked.to_dicts()


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
    chunk_records: int = settings.CHUNK_RECORDS,
) -> dict:
    """Ingest every new file in INBOX into HOME's lake and warehouse, in chunks of `chunk_records` records.

    `run_date` defaults to the scheduled day (prefect.yaml's cron); `runner` picks where extraction runs
    (threads, processes, dask; `dask_address` for an existing cluster). Each chunk loads in one transaction with
    its checkpoint, as a backfill's do, so a rerun after a crash loads the rest exactly once. A run that fails is
    recorded in `runs` with status failed and the reason, and the flow run ends Failed with the same message.
    """
    home, inbox = Path(home), Path(inbox)
    run_date = run_date or scheduled_date()
    lake = str(lake or default_lake(home))
    logger = get_run_logger()
    with home_lock(home, purpose=f"nightly run {inbox}"):
        plan = ChunkPlan("nightly", home, lake, new_run_id("nightly"), run_date, runner, dask_address, chunk_size)
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
            summary = process_files(files, plan, chunk_records, clock)
        except RunFailed:
            raise  # a chunk that failed is recorded and reported already
        except Exception as exc:
            failure = record_failure(
                exc,
                home=home,
                lake=lake,
                run_id=plan.base_run_id,
                flow_name="nightly",
                run_date=run_date,
                started_at=started_at,
                stage_seconds=clock.seconds,
                files_read=len(files),
            )
            report.publish_run_report(failure, home)
            raise RunFailed(failure.message) from exc
    logger.info("run %s: %s", plan.base_run_id, summary.accounting)
    return summary.as_dict()


def failure_message(exc: BaseException) -> str:
    """One line saying what stopped the run, naming the storage that failed."""
    from warehouse.load import WarehouseBusy

    if isinstance(exc, WarehouseBusy):
        return f"warehouse locked: {exc}"
    if is_storage_failure(exc):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def is_storage_failure(exc: BaseException | None) -> bool:
    """A failure of the storage under the run (lake unreachable, disk full, warehouse locked or unreadable), or a
    failed run it caused: its message says all an operator needs; its traceback, only where the code noticed."""
    from warehouse.load import WarehouseBusy, WarehouseUnreadable

    if isinstance(exc, RunFailed):
        exc = exc.__cause__
    return isinstance(exc, tasks.LakeUnreachable | tasks.StorageFull | WarehouseBusy | WarehouseUnreadable)


class StorageFailuresInOneLine(logging.Filter):
    """On the terminal, a storage failure is its one-line message (Prefect's log lines and the command's error)
    without a traceback, and so is an extract task stopped by a stopping run (SIGTERM, flows/runners.py); Prefect's
    API log handler, which runs before the terminal's, keeps the traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and (
            is_storage_failure(record.exc_info[1]) or isinstance(record.exc_info[1], ExtractionStopped)
        ):
            record.exc_info = None
            record.exc_text = None
        return True


def storage_failures_in_one_line() -> None:
    """Install StorageFailuresInOneLine on the terminal handlers of the root logger (where Prefect's run loggers
    propagate)."""
    for handler in logging.getLogger().handlers:
        if not any(isinstance(f, StorageFailuresInOneLine) for f in handler.filters):
            handler.addFilter(StorageFailuresInOneLine())


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
    tasks.discard_unsaved_near_duplicates(run_id)
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
