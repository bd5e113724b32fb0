"""The backfill flow: archives and dumps (WARC, HTML folders, JSON dumps, tar/zip bundles) into the warehouse.

Input files are streamed record by record, in a stable order, and gathered into chunks of `chunk_records`
records (flows/tasks.py `chunks`, as a nightly run reads its inbox): a chunk may cut a big file or span many small
ones. Each chunk goes through the same stages as a nightly batch and is loaded in one transaction together with its checkpoint rows (`backfill_chunks`: which records of which
file it held) and the `ingested_files` rows of the files it finished. A killed backfill rerun with the same
command skips every record already loaded and ends with the warehouse an uninterrupted run would have built.
Memory stays bounded by the chunk size, not the archive.

May import what flows/nightly.py may, and flows.nightly itself (the chunk loop both flows run).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from prefect import flow, get_run_logger
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from flows import settings, tasks
from flows.lock import home_lock
from flows.nightly import ChunkPlan, combined, load_chunks, new_run_id, reported
from flows.summary import Accounting, RunSummary, summed
from warehouse.lake import default_lake


@dataclass
class BackfillTotals:
    chunks: list[RunSummary] = field(default_factory=list)  # small: counts and seconds, no rows
    accounting: Accounting = field(default_factory=Accounting)
    table_rows: dict[str, int] = field(default_factory=dict)
    near_duplicates: int = 0

    def add(self, summary: RunSummary) -> None:
        self.chunks.append(summary)
        self.accounting += summary.accounting
        self.table_rows = summed([self.table_rows, summary.table_rows])
        self.near_duplicates += summary.near_duplicates


def input_files(paths: list[Path]) -> list[tasks.InboxFile]:
    """Files named directly and every input under named folders, each once, in a stable order."""
    found: dict[Path, None] = {}
    for path in paths:
        for candidate in tasks.list_inbox(path) if path.is_dir() else [path]:
            found.setdefault(candidate.resolve())
    return [tasks.InboxFile(p, p.stat().st_size, tasks.file_sha256(p)) for p in found]


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

    Each chunk is a run in `runs` (`<backfill id>-<n>`); the backfill is reported once, over its chunks. A failed
    chunk is recorded and reported as a failed run and ends the flow, and the same command resumes after the last
    loaded chunk.
    """
    home_path = Path(home)
    lake = str(lake or default_lake(home_path))
    logger = get_run_logger()
    totals = BackfillTotals()
    with home_lock(home_path, purpose=f"backfill of {len(paths)} path(s)"):
        plan = ChunkPlan(
            "backfill",
            home_path,
            lake,
            new_run_id("backfill"),
            run_date,
            runner,
            dask_address,
            chunk_size,
            window=(date_from, date_to),
        )
        if discarded := tasks.discard_interrupted_runs(home_path, lake):
            logger.warning("removed the lake files of %d interrupted run(s): %s", len(discarded), ", ".join(discarded))
        files = input_files([Path(p) for p in paths])
        done = tasks.load_progress(home_path)
        with progress_bar() as progress:
            bar = progress.add_task("backfill", total=sum(f.size_bytes for f in files) or 1, records=0, rate=0.0)
            for chunk, chunk_summary in load_chunks(files, done, plan, chunk_records):
                totals.add(chunk_summary)
                finished_bytes = sum(s.file.size_bytes for s in chunk if s.file_records is not None)
                elapsed = progress.tasks[bar].elapsed or 1e-9
                progress.update(
                    bar,
                    advance=finished_bytes,
                    records=totals.accounting.records_read,
                    rate=totals.accounting.records_read / elapsed,
                )
        if totals.chunks:
            reported(combined(totals.chunks, plan.base_run_id), home_path)
    summary = {
        "run_id": plan.base_run_id,
        "status": "completed",
        "files": len(files),
        "files_already_done": done.files_passed,
        "records_already_done": done.records_passed,
        "chunks_loaded": len(totals.chunks),
        "accounting": vars(totals.accounting),
        "table_rows": totals.table_rows,
        "near_duplicates": totals.near_duplicates,
    }
    logger.info("backfill %s: %s", plan.base_run_id, summary)
    return summary
