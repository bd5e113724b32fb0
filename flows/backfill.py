"""The backfill flow: archives and dumps (WARC, HTML folders, JSON dumps, tar/zip bundles) into the warehouse.

Input files are streamed record by record, in a stable order, and gathered into chunks of `chunk_records`
records: a chunk may cut a big file or span many small ones. Each chunk goes through the same stages as a nightly
batch and is loaded in one transaction together with its checkpoint rows (`backfill_chunks`: which records of which
file it held) and the `ingested_files` rows of the files it finished. A killed backfill rerun with the same
command skips every record already loaded and ends with the warehouse an uninterrupted run would have built.
Memory stays bounded by the chunk size, not the archive.

May import what flows/nightly.py may, and flows.nightly itself (its batch processing and failure records).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from flows import report, settings, tasks
from flows.lock import home_lock
from flows.nightly import RunFailed, new_run_id, process_batch, record_failure
from flows.summary import Accounting, RunSummary, StageClock
from transforms.ingest.records import Item
from transforms.ingest.registry import read_path
from transforms.normalise.ids import stable_id
from transforms.schema import BACKFILL_CHUNKS, INGESTED_FILES, conform
from warehouse.lake import default_lake
from warehouse.load import connect, warehouse_path


@dataclass
class Segment:
    """Consecutive records of one file inside a chunk; `file_records` is set when the segment ends the file."""

    file: tasks.InboxFile
    first_record: int
    items: list[Item] = field(default_factory=list)
    file_records: int | None = None


@dataclass
class LoadedSoFar:
    """What HOME has loaded so far: whole files, and record ranges of files a backfill cut into chunks."""

    done_files: set[str]
    done_ranges: dict[str, list[tuple[int, int]]]

    def record_done(self, file_sha256: str, index: int) -> bool:
        return any(first <= index < first + count for first, count in self.done_ranges.get(file_sha256, ()))


@dataclass
class BackfillTotals:
    chunks_loaded: int = 0
    files_already_done: int = 0
    records_already_done: int = 0
    accounting: Accounting = field(default_factory=Accounting)
    table_rows: dict[str, int] = field(default_factory=dict)
    near_duplicates: int = 0

    def add(self, summary: RunSummary) -> None:
        self.chunks_loaded += 1
        for name in ("records_read", "loaded", "duplicates", "skipped", "quarantined"):
            setattr(self.accounting, name, getattr(self.accounting, name) + getattr(summary.accounting, name))
        for name, rows in summary.table_rows.items():
            self.table_rows[name] = self.table_rows.get(name, 0) + rows
        self.near_duplicates += summary.near_duplicates


@dataclass(frozen=True)
class ChunkPlan:
    """What every chunk of one backfill shares."""

    home: Path
    lake: str
    base_run_id: str
    window: tuple[date | None, date | None]
    run_date: date | None
    runner: str
    dask_address: str | None
    chunk_size: int


def input_files(paths: list[Path]) -> list[tasks.InboxFile]:
    """Files named directly and every input under named folders, each once, in a stable order."""
    found: dict[Path, None] = {}
    for path in paths:
        for candidate in tasks.list_inbox(path) if path.is_dir() else [path]:
            found.setdefault(candidate.resolve())
    return [tasks.InboxFile(p, p.stat().st_size, tasks.file_sha256(p)) for p in found]


def chunks(
    files: list[tasks.InboxFile], done: LoadedSoFar, chunk_records: int, totals: BackfillTotals
) -> Iterator[list[Segment]]:
    """Chunks of at most `chunk_records` records not loaded yet, as segments of files, in file and record order.

    A file's last segment carries its record count (possibly with no records left to load), so the chunk that
    ends a file registers it as ingested.
    """
    chunk: list[Segment] = []
    size = 0
    for file in files:
        if file.sha256 in done.done_files:
            totals.files_already_done += 1
            continue
        segment = None
        index = -1
        for index, item in enumerate(read_path(file.path)):
            if done.record_done(file.sha256, index):
                totals.records_already_done += 1
                segment = None
                continue
            # A full chunk waits for the next record, so the chunk that ends a file knows it does.
            if size == chunk_records:
                yield chunk
                chunk, size, segment = [], 0, None
            if segment is None:
                segment = Segment(file, index)
                chunk.append(segment)
            segment.items.append(item)
            size += 1
        if segment is None:
            segment = Segment(file, index + 1)
            chunk.append(segment)
        segment.file_records = index + 1
    if chunk:
        yield chunk


def load_progress(home: Path) -> LoadedSoFar:
    if not warehouse_path(home).exists():
        return LoadedSoFar(set(), {})
    with connect(home, read_only=True) as con:
        tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        done_files = (
            {r[0] for r in con.execute("SELECT sha256 FROM ingested_files").fetchall()}
            if "ingested_files" in tables
            else set()
        )
        ranges: dict[str, list[tuple[int, int]]] = {}
        if "backfill_chunks" in tables:
            for sha, first, count in con.execute(
                "SELECT file_sha256, first_record, records FROM backfill_chunks"
            ).fetchall():
                ranges.setdefault(sha, []).append((first, count))
    return LoadedSoFar(done_files, ranges)


def progress_tables(chunk: list[Segment], run_id: str) -> dict:
    """The chunk's checkpoint rows, loaded in the same transaction as its articles."""
    at = tasks.now()
    segments = [
        {
            "chunk_id": stable_id(s.file.sha256, s.first_record),
            "path": str(s.file.path),
            "file_sha256": s.file.sha256,
            "first_record": s.first_record,
            "records": len(s.items),
            "run_id": run_id,
            "loaded_at": at,
        }
        for s in chunk
        if s.items
    ]
    finished = [
        {
            "path": str(s.file.path),
            "size_bytes": s.file.size_bytes,
            "sha256": s.file.sha256,
            "records": s.file_records,
            "run_id": run_id,
            "ingested_at": at,
        }
        for s in chunk
        if s.file_records is not None
    ]
    return {"backfill_chunks": conform(segments, BACKFILL_CHUNKS), "ingested_files": conform(finished, INGESTED_FILES)}


def progress_bar() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f}%"),
        TextColumn("{task.fields[records]} records, {task.fields[rate]:.1f}/s"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        transient=False,
    )


@flow(name="backfill", log_prints=True)
def backfill(
    paths: list[str],
    home: str,
    date_from: date | None = None,
    date_to: date | None = None,
    lake: str | None = None,
    chunk_records: int = settings.CHUNK_RECORDS,
    run_date: date | None = None,
    runner: str = settings.DEFAULT_RUNNER,
    dask_address: str | None = None,
    chunk_size: int = settings.CHUNK_ARTICLES,
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
        plan = ChunkPlan(
            home_path, lake, new_run_id("backfill"), (date_from, date_to), run_date, runner, dask_address, chunk_size
        )
        if discarded := tasks.discard_interrupted_runs(home_path, lake):
            logger.warning("removed the lake files of %d interrupted run(s): %s", len(discarded), ", ".join(discarded))
        files = input_files([Path(p) for p in paths])
        with progress_bar() as progress:
            bar = progress.add_task("backfill", total=sum(f.size_bytes for f in files) or 1, records=0, rate=0.0)
            clock = StageClock()  # reading a chunk happens in the loop's next(): that is the ingest time
            for chunk in chunks(files, load_progress(home_path), chunk_records, totals):
                clock.lap("ingest")
                _load_chunk(chunk, plan, clock, totals)
                finished_bytes = sum(s.file.size_bytes for s in chunk if s.file_records is not None)
                elapsed = progress.tasks[bar].elapsed or 1e-9
                progress.update(
                    bar,
                    advance=finished_bytes,
                    records=totals.accounting.records_read,
                    rate=totals.accounting.records_read / elapsed,
                )
                clock = StageClock()
    summary = {
        "run_id": plan.base_run_id,
        "status": "completed",
        "files": len(files),
        "files_already_done": totals.files_already_done,
        "records_already_done": totals.records_already_done,
        "chunks_loaded": totals.chunks_loaded,
        "accounting": vars(totals.accounting),
        "table_rows": totals.table_rows,
        "near_duplicates": totals.near_duplicates,
    }
    logger.info("backfill %s: %s", plan.base_run_id, summary)
    return summary


def _load_chunk(chunk: list[Segment], plan: ChunkPlan, clock: StageClock, totals: BackfillTotals) -> None:
    run_id = f"{plan.base_run_id}-{totals.chunks_loaded:05d}"
    batch = tasks.Ingested()
    for segment in chunk:
        batch.add(segment.items)
    started_at = tasks.now()
    files_finished = sum(s.file_records is not None for s in chunk)
    try:
        summary = process_batch(
            batch,
            plan.home,
            plan.lake,
            run_id,
            "backfill",
            plan.run_date,
            clock,
            progress_tables(chunk, run_id),
            files_read=files_finished,
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
            flow_name="backfill",
            run_date=plan.run_date,
            started_at=started_at,
            stage_seconds=clock.seconds,
        )
        report.publish_run_report(failure, plan.home)
        first = chunk[0]
        raise RunFailed(f"chunk from record {first.first_record} of {first.file.path}: {failure.message}") from exc
    report.publish_run_report(summary, plan.home)
    totals.add(summary)
