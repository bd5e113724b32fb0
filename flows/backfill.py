"""The backfill flow: archives and dumps (WARC, HTML folders, JSON dumps, tar/zip bundles) into the warehouse.

Input files are streamed record by record and cut into chunks of `chunk_records`; each chunk goes through the
same stages as a nightly batch and is loaded in its own transaction together with its checkpoint row
(`backfill_chunks`). A killed backfill rerun with the same command skips the chunks already loaded and ends with
the warehouse an uninterrupted run would have built. Memory stays bounded by the chunk size, not the archive.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from pathlib import Path

from prefect import flow, get_run_logger
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from flows import report, runners, stages
from flows.lock import home_lock
from flows.nightly import RunFailed, RunSummary, StageClock, default_lake, new_run_id, process_batch, record_failure
from transforms.ids import stable_id
from transforms.readers import Item, read_path
from transforms.schema import BACKFILL_CHUNKS, INGESTED_FILES, conform
from warehouse.load import connect, warehouse_path

DEFAULT_CHUNK_RECORDS = 500


@dataclass
class BackfillTotals:
    chunks_loaded: int = 0
    chunks_already_done: int = 0
    files_already_done: int = 0
    accounting: stages.Accounting = field(default_factory=stages.Accounting)
    table_rows: dict[str, int] = field(default_factory=dict)
    near_duplicates: int = 0

    def add(self, summary: RunSummary) -> None:
        self.chunks_loaded += 1
        for name in ("records_read", "loaded", "duplicates", "skipped", "quarantined"):
            setattr(self.accounting, name, getattr(self.accounting, name) + getattr(summary.accounting, name))
        for name, rows in summary.table_rows.items():
            self.table_rows[name] = self.table_rows.get(name, 0) + rows
        self.near_duplicates += summary.near_duplicates


def input_files(paths: list[Path]) -> list[stages.InboxFile]:
    """Files named directly and every input under named folders, each once."""
    found: dict[Path, None] = {}
    for path in paths:
        for candidate in stages.list_inbox(path) if path.is_dir() else [path]:
            found.setdefault(candidate.resolve())
    return [stages.InboxFile(p, p.stat().st_size, stages.file_sha256(p)) for p in found]


def chunks(items: Iterator[Item], size: int) -> Iterator[tuple[int, list[Item], bool]]:
    """(index, items, is_last) over a record stream, looking one chunk ahead to know the last one."""
    current = list(islice(items, size))
    index = 0
    while current:
        following = list(islice(items, size))
        yield index, current, not following
        current, index = following, index + 1


def chunk_id(file: stages.InboxFile, chunk_records: int, index: int) -> str:
    return stable_id(file.sha256, chunk_records, index)


def progress_state(home: Path) -> tuple[set[str], set[str]]:
    """(chunk ids loaded, file hashes fully ingested) so far in HOME."""
    if not warehouse_path(home).exists():
        return set(), set()
    with connect(home, read_only=True) as con:
        tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        done_chunks = {r[0] for r in con.execute("SELECT chunk_id FROM backfill_chunks").fetchall()} if "backfill_chunks" in tables else set()
        done_files = {r[0] for r in con.execute("SELECT sha256 FROM ingested_files").fetchall()} if "ingested_files" in tables else set()
    return done_chunks, done_files


def progress_bar() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), TextColumn("{task.percentage:>3.0f}%"),
        TextColumn("{task.fields[records]} records, {task.fields[rate]:.1f}/s"), TimeElapsedColumn(),
        TimeRemainingColumn(),
        transient=False,
    )


@dataclass(frozen=True)
class ChunkPlan:
    """What every chunk of one backfill shares."""

    home: Path
    lake: str
    base_run_id: str
    chunk_records: int
    window: tuple[date | None, date | None]
    run_date: date | None
    runner: str
    dask_address: str | None
    chunk_size: int


@flow(name="backfill", log_prints=True)
def backfill(
    paths: list[str], home: str, date_from: date | None = None, date_to: date | None = None,
    lake: str | None = None, chunk_records: int = DEFAULT_CHUNK_RECORDS, run_date: date | None = None,
    runner: str = runners.DEFAULT_RUNNER, dask_address: str | None = None, chunk_size: int = runners.CHUNK_ARTICLES,
) -> dict:
    """Load archives and dumps into HOME, resumably; `date_from`/`date_to` keep only articles published then.

    Each chunk is a run in `runs` (`<backfill id>-<n>`) with its own report; a failed chunk is recorded as a
    failed run and ends the flow, and the same command resumes after the last loaded chunk.
    """
    home_path = Path(home)
    lake = str(lake or default_lake(home_path))
    logger = get_run_logger()
    totals = BackfillTotals()
    with home_lock(home_path, purpose=f"backfill of {len(paths)} path(s)"):
        plan = ChunkPlan(home_path, lake, new_run_id("backfill"), chunk_records, (date_from, date_to), run_date,
                         runner, dask_address, chunk_size)
        if discarded := stages.discard_interrupted_runs(home_path, lake):
            logger.warning("removed the lake files of %d interrupted run(s): %s", len(discarded), ", ".join(discarded))
        files = input_files([Path(p) for p in paths])
        done_chunks, done_files = progress_state(home_path)
        with progress_bar() as progress:
            bar = progress.add_task("backfill", total=sum(f.size_bytes for f in files) or 1, records=0, rate=0.0)
            for file in files:
                if file.sha256 in done_files:
                    totals.files_already_done += 1
                else:
                    _backfill_file(file, plan, done_chunks, totals, progress, bar)
                progress.advance(bar, file.size_bytes)
    summary = {
        "run_id": plan.base_run_id, "status": "completed", "files": len(files),
        "files_already_done": totals.files_already_done, "chunks_loaded": totals.chunks_loaded,
        "chunks_already_done": totals.chunks_already_done, "accounting": vars(totals.accounting),
        "table_rows": totals.table_rows, "near_duplicates": totals.near_duplicates,
    }
    logger.info("backfill %s: %s", plan.base_run_id, summary)
    return summary


def _backfill_file(
    file: stages.InboxFile, plan: ChunkPlan, done_chunks: set[str], totals: BackfillTotals, progress: Progress, bar,
) -> None:
    records_in_file = 0
    clock = StageClock()  # reading a chunk happens inside the loop's next(): that is the ingest time
    for index, items, is_last in chunks(read_path(file.path), plan.chunk_records):
        clock.lap("ingest")
        records_in_file += len(items)
        cid = chunk_id(file, plan.chunk_records, index)
        if cid in done_chunks:
            totals.chunks_already_done += 1
            continue
        run_id = f"{plan.base_run_id}-{totals.chunks_loaded:05d}"
        at = stages.now()
        progress_tables = {"backfill_chunks": conform([{
            "chunk_id": cid, "path": str(file.path), "file_sha256": file.sha256, "chunk_index": index,
            "records": len(items), "run_id": run_id, "loaded_at": at,
        }], BACKFILL_CHUNKS)}
        if is_last:  # the whole file is in: nightly runs over the same file will not read it again
            progress_tables["ingested_files"] = conform([{
                "path": str(file.path), "size_bytes": file.size_bytes, "sha256": file.sha256,
                "records": records_in_file, "run_id": run_id, "ingested_at": at,
            }], INGESTED_FILES)
        batch = stages.Ingested()
        batch.add(items)
        started_at = stages.now()
        try:
            summary = process_batch(
                batch, plan.home, plan.lake, run_id, "backfill", plan.run_date, clock, progress_tables,
                files_read=int(is_last), window=plan.window, runner=plan.runner, dask_address=plan.dask_address,
                chunk_size=plan.chunk_size,
            )
        except Exception as exc:
            failure = record_failure(exc, home=plan.home, lake=plan.lake, run_id=run_id, flow_name="backfill",
                                     run_date=plan.run_date, started_at=started_at, stage_seconds=clock.seconds)
            report.publish_failure_report(failure, plan.home)
            raise RunFailed(f"chunk {index} of {file.path}: {failure.message}") from exc
        report.publish_run_report(summary, plan.home)
        totals.add(summary)
        clock = StageClock()
        elapsed = progress.tasks[bar].elapsed or 1e-9
        progress.update(bar, records=totals.accounting.records_read, rate=totals.accounting.records_read / elapsed)

