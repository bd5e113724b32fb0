"""The nightly flow: every inbox file not ingested before, from raw records to validated tables in DuckDB."""

from __future__ import annotations

import time
import uuid
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path

import polars as pl
from prefect import flow, get_run_logger

from flows import runners, stages
from flows.lock import home_lock
from transforms.schema import RUNS, conform


@dataclass
class RunSummary:
    run_id: str
    status: str
    accounting: stages.Accounting
    table_rows: dict[str, int]
    quarantined_rows: dict[str, int]
    stage_seconds: dict[str, float]
    expectations: list[dict] = field(default_factory=list)
    files_read: int = 0
    near_duplicates: int = 0
    message: str = ""
    # For the run report: the most frequent quarantine reasons, where the tables went, how extraction ran.
    quarantine_reasons: list[dict] = field(default_factory=list)
    lake: str = ""
    runner: str = ""
    data_docs: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


class AccountingMismatch(RuntimeError):
    pass


class RunFailed(RuntimeError):
    """A run that stopped; its message says why (warehouse locked, lake unreachable, ...) and is in `runs`."""


def default_lake(home: Path) -> str:
    return str(Path(home) / "lake")


def new_run_id(flow_name: str) -> str:
    return f"{flow_name}-{stages.now():%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:6]}"


class StageClock:
    """Seconds spent per stage, for the run report."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        current = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + current - self._last
        self._last = current


def process_files(
    files: list[stages.InboxFile],
    home: Path,
    lake: str,
    run_id: str,
    flow_name: str,
    run_date: date | None,
    *,
    runner: str = runners.DEFAULT_RUNNER,
    dask_address: str | None = None,
    chunk_size: int = runners.CHUNK_ARTICLES,
    clock: StageClock | None = None,
) -> RunSummary:
    """Run whole inbox files through every stage and load them; returns the run's accounting.

    The lake is probed first (a write that fails costs no extraction time).
    """
    clock = clock or StageClock()
    stages.check_lake(lake)
    clock.lap("check-lake")
    batch = stages.ingest(files)
    clock.lap("ingest")
    ingested_files = stages.ingested_file_rows(files, batch, run_id, stages.now())
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
    batch: stages.Ingested,
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
    runner: str = runners.DEFAULT_RUNNER,
    dask_address: str | None = None,
    chunk_size: int = runners.CHUNK_ARTICLES,
) -> RunSummary:
    """Normalise, extract, validate, write and load one batch of read records, in one load transaction.

    Extraction runs in chunks of `chunk_size` articles on `runner` (threads, processes or dask; see
    flows/runners.py); everything else, the lake write and the warehouse load included, runs in this process.

    `progress_tables` (ingested files, backfill checkpoints) load in the same transaction as the rows, so a
    crash never records progress without the rows or rows without the progress.
    """
    started_at = stages.now()
    runners.prepare(runner)  # the model loads while the batch is normalised
    articles, exact_duplicates, skipped_records, conflicts = stages.normalise(batch, run_id, started_at, home, window)
    judged_ids = set(articles["article_id"])
    clock.lap("normalise")
    # Near duplicates change no article's extraction: they are judged (over the whole batch, in its order) while
    # extraction runs, and counted in its time.
    marking = stages.near_duplicates.submit(articles, home, run_id, started_at)
    try:
        extracted = runners.extract_parallel(articles, runner, dask_address, chunk_size)
    finally:
        marking.wait()
    articles, near_duplicates = marking.result()
    duplicates = pl.concat([exact_duplicates, near_duplicates])
    articles, extraction_failed = stages.split_extraction_failures(articles, extracted.pop("extraction_failures"))
    clock.lap("extract")
    outcome = stages.validate({"articles": articles, **extracted}, run_id, started_at)
    data_docs = build_data_docs(home)
    clock.lap("validate")

    quarantine = pl.concat(
        [
            stages.quarantine_rows(batch.rejected + conflicts, run_id, started_at),
            stages.quarantine_rows(extraction_failed, run_id, started_at, table_name="articles"),
            outcome.quarantine,
        ]
    )
    accounting = stages.Accounting(
        records_read=batch.items_read,
        loaded=outcome.valid["articles"].height,
        duplicates=duplicates.filter(pl.col("kind") == "exact").height,
        skipped=len(batch.skipped) + len(skipped_records),
        quarantined=len(batch.rejected)
        + len(conflicts)
        + len(extraction_failed)
        + (articles.height - outcome.valid["articles"].height),
    )
    if not accounting.balanced:
        raise AccountingMismatch(f"records do not add up: {accounting}")
    quarantined_rows = {name: n for name, n in quarantine.group_by("table_name").len().iter_rows()}
    table_rows = {name: frame.height for name, frame in outcome.valid.items()}
    run_tables = {
        "quarantine": quarantine,
        "duplicates": duplicates,
        "skipped": stages.skipped_rows(batch.skipped + skipped_records, run_id, started_at),
        **progress_tables,
    }
    stages.write_lake(lake, outcome.valid, run_id, run_tables)
    clock.lap("write")
    summary = RunSummary(
        run_id=run_id,
        status="completed",
        accounting=accounting,
        table_rows=table_rows,
        quarantined_rows=quarantined_rows,
        stage_seconds=clock.seconds,
        expectations=stages.expectation_summary(outcome.results),
        files_read=files_read,
        near_duplicates=duplicates.filter(pl.col("kind") == "near").height,
        quarantine_reasons=top_reasons(quarantine),
        lake=lake,
        runner=runners.describe(runner, dask_address),
        data_docs=data_docs,
    )
    # The runs row holds the timings up to the lake write; the printed summary adds the load.
    run_row = run_record(summary, flow_name, run_date, started_at)
    stages.load_warehouse(home, {**outcome.valid, **run_tables, "runs": run_row})
    stages.record_run_in_lake(lake, run_id, run_row)
    stages.save_near_duplicate_index(home, judged_ids - set(outcome.valid["articles"]["article_id"]))
    clock.lap("load")
    summary.stage_seconds = dict(clock.seconds)
    return summary


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
        "finished_at": stages.now(),
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
        "stage_seconds": stages.stage_seconds_json(summary.stage_seconds),
        "message": summary.message,
    }
    return conform([row], RUNS)


@flow(name="nightly", log_prints=True)
def nightly(
    inbox: Path,
    home: Path,
    run_date: date | None = None,
    lake: str | None = None,
    runner: str = runners.DEFAULT_RUNNER,
    dask_address: str | None = None,
    chunk_size: int = runners.CHUNK_ARTICLES,
) -> dict:
    """Ingest every new file in INBOX into HOME's lake and warehouse.

    `run_date` defaults to the scheduled day (prefect.yaml's cron); `runner` picks where extraction runs
    (threads, processes, dask; `dask_address` for an existing cluster). A run that fails is recorded in `runs`
    with status failed and the reason, and the flow run ends Failed with the same message.
    """
    from flows import report

    home, inbox = Path(home), Path(inbox)
    run_date = run_date or scheduled_date()
    lake = str(lake or default_lake(home))
    logger = get_run_logger()
    with home_lock(home, purpose=f"nightly run {inbox}"):
        run_id = new_run_id("nightly")
        started_at = stages.now()
        clock = StageClock()
        files: list[stages.InboxFile] = []
        try:
            if discarded := stages.discard_interrupted_runs(home, lake):
                logger.warning(
                    "removed the lake files of %d interrupted run(s): %s", len(discarded), ", ".join(discarded)
                )
            files = stages.find_new_files(inbox, home)
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
            report.publish_failure_report(failure, home)
            raise RunFailed(failure.message) from exc
    report.publish_run_report(summary, home)
    logger.info("run %s: %s", run_id, summary.accounting)
    return summary.as_dict()


def failure_message(exc: BaseException) -> str:
    """One line saying what stopped the run, naming the storage that failed."""
    from warehouse.load import WarehouseBusy

    if isinstance(exc, WarehouseBusy):
        return f"warehouse locked: {exc}"
    if isinstance(exc, stages.LakeUnreachable):
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
    stages.discard_unsaved_near_duplicates(home)
    summary = RunSummary(
        run_id=run_id,
        status="failed",
        accounting=stages.Accounting(),
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
        stages.record_run_in_lake.fn(lake, run_id, row)
        recorded.append("lake")
    except Exception as lake_exc:
        logger.warning("failed run %s not recorded in the lake: %s", run_id, lake_exc)
    logger.error("run %s failed: %s (recorded in: %s)", run_id, summary.message, ", ".join(recorded) or "nowhere")
    return summary


def scheduled_date() -> date:
    """The scheduled day of this flow run (so a late or retried run still processes its own date)."""
    from prefect.runtime import flow_run

    scheduled = flow_run.scheduled_start_time
    return scheduled.date() if scheduled else stages.now().date()
