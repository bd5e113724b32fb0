"""The pipeline's stages as Prefect tasks. Each wraps pure code from transforms/, expectations/ and warehouse/;
tests call the logic directly or through `task.fn`.

A batch is: read inbox files -> normalise -> drop duplicates -> extract -> validate -> write the lake -> load.
Every input record is counted exactly once as loaded, duplicate, skipped or quarantined (flows/summary.py).

May import flows.settings and flows.inbox, transforms/, expectations/ and warehouse/; never the flows
that call them (nightly, backfill).
"""

from __future__ import annotations

import errno
import json
import os
import threading
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.tasks import exponential_backoff

from expectations.validate import ExpectationResult, validate_batch
from flows import settings
from flows.inbox import InboxFile, file_sha256, list_inbox
from transforms.extract import EXTRACTION_FAILURES, extract_articles
from transforms.ingest.records import Item, RawRecord, Rejected, Skipped
from transforms.ingest.registry import read_path
from transforms.normalise.articles import body_signatures, mark_near_duplicates, normalise_records, split_by_window
from transforms.normalise.ids import stable_id
from transforms.normalise.near_duplicates import NearDuplicateIndex, Signature
from transforms.schema import (
    BACKFILL_CHUNKS,
    BOOKKEEPING_TABLES,
    CLUSTER_MERGES,
    EVENTS,
    INGESTED_FILES,
    MENTIONS,
    QUARANTINE,
    QUOTES,
    RUNS,
    SKIPPED,
    SOURCES,
    conform,
    empty,
)
from transforms.stories.event_clusters import assign_event_clusters
from transforms.stories.quote_clusters import assign_quote_clusters
from warehouse import lake as lake_io
from warehouse.candidates import candidates
from warehouse.identifiers import load_entity_identifiers
from warehouse.load import apply_schema, connect, ingested_hashes, known_content_hashes, load_batch, warehouse_path


def stage_task(name: str, **options):
    """A pipeline task. None caches its result: each reads state or has effects a rerun must see afresh, and
    hashing their inputs (whole batches) into cache keys cost ~0.4 s a run."""
    return task(name=name, cache_policy=NO_CACHE, **options)


# Tasks that touch storage (the lake, the warehouse file) retry with exponential backoff and jitter.
STORAGE_RETRIES = settings.storage_retries()
STORAGE_BACKOFF_SECONDS = settings.storage_backoff_seconds()
STORAGE_RETRY = {
    "retries": STORAGE_RETRIES,
    "retry_delay_seconds": exponential_backoff(backoff_factor=STORAGE_BACKOFF_SECONDS)(STORAGE_RETRIES)
    if STORAGE_RETRIES
    else 0,
    "retry_jitter_factor": 0.5,
}


class LakeUnreachable(RuntimeError):
    """The lake's storage (local folder, S3, GCS...) could not be listed or written."""


class StorageFull(RuntimeError):
    """The disk under the lake or the warehouse has no space left; what was loaded before stays as it was."""


def _is_disk_full(exc: BaseException) -> bool:
    # OSError carries ENOSPC; DuckDB reports it in its message only.
    return getattr(exc, "errno", None) == errno.ENOSPC or "no space left on device" in str(exc).lower()


def _storage_errors() -> tuple[type[BaseException], ...]:
    errors: list[type[BaseException]] = [OSError, TimeoutError]
    try:
        from botocore.exceptions import BotoCoreError, ClientError

        errors += [BotoCoreError, ClientError]
    except ImportError:  # pragma: no cover - s3fs is a dependency, botocore comes with it
        pass
    return tuple(errors)


def _lake_failure(lake: str, action: str, exc: BaseException) -> LakeUnreachable | StorageFull:
    if _is_disk_full(exc):
        return StorageFull(f"no space left in the lake {lake} ({action} failed): {exc}")
    return LakeUnreachable(f"lake storage {lake} is unreachable ({action} failed): {type(exc).__name__}: {exc}")


# The near-duplicate verdicts and originals of earlier runs (transforms/normalise/near_duplicates.py).
NEAR_DUPLICATE_STORE = Path("state") / "near-duplicates"


@dataclass
class Ingested:
    records: list[RawRecord] = field(default_factory=list)
    rejected: list[Rejected] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def items_read(self) -> int:
        return len(self.records) + len(self.rejected) + len(self.skipped)

    def add(self, items: Iterable[Item]) -> None:
        for item in items:
            target = (
                self.records
                if isinstance(item, RawRecord)
                else self.rejected
                if isinstance(item, Rejected)
                else self.skipped
            )
            target.append(item)


@stage_task("find-new-files", **STORAGE_RETRY)
def find_new_files(inbox: Path, home: Path) -> list[InboxFile]:
    """Inbox files whose content has not been ingested before (a renamed or touched file is not new); copies of
    one new file all come, for `chunks` to read once and account for the rest."""
    known: set[str] = set()
    if warehouse_path(home).exists():
        with connect(home, read_only=True) as con:
            known = ingested_hashes(con)
    files = [InboxFile(p, p.stat().st_size, file_sha256(p)) for p in list_inbox(inbox)]
    return [f for f in files if f.sha256 not in known]


@dataclass
class Segment:
    """Consecutive records of one file inside a chunk; `file_records` is set when the segment ends the file.

    A copy of another file of the run is one segment holding one skipped record and no checkpoint (`copy`): its
    original's checkpoints cover it."""

    file: InboxFile
    first_record: int
    items: list[Item] = field(default_factory=list)
    file_records: int | None = None
    copy: bool = False


@dataclass
class LoadedSoFar:
    """What HOME has loaded so far: whole files, and record ranges of files cut into chunks; and how many of each
    `chunks` passed over."""

    done_files: set[str]
    done_ranges: dict[str, list[tuple[int, int]]]
    files_passed: int = 0
    records_passed: int = 0

    def record_done(self, file_sha256: str, index: int) -> bool:
        return any(first <= index < first + count for first, count in self.done_ranges.get(file_sha256, ()))


def load_progress(home: Path) -> LoadedSoFar:
    if not warehouse_path(home).exists():
        return LoadedSoFar(set(), {})
    with connect(home, read_only=True) as con:
        tables = {row[0] for row in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        done_files = ingested_hashes(con) if "ingested_files" in tables else set()
        ranges: dict[str, list[tuple[int, int]]] = {}
        if "backfill_chunks" in tables:
            for sha, first, count in con.execute(
                "SELECT file_sha256, first_record, records FROM backfill_chunks"
            ).fetchall():
                ranges.setdefault(sha, []).append((first, count))
    return LoadedSoFar(done_files, ranges)


def chunks(files: list[InboxFile], done: LoadedSoFar, chunk_records: int | None) -> Iterator[list[Segment]]:
    """Chunks of at most `chunk_records` records (None: no bound) not loaded yet, as segments of files, in file
    and record order: how both flows read their input, so memory is bounded by the chunk, not the inbox.

    A file's last segment carries its record count (possibly with no records left to load), so the chunk that
    ends a file registers it as ingested. Copies of a file (same content) are read once: each is one skipped
    record in the chunk that ends the original, so they are recorded in the same transaction as its checkpoint.
    """
    originals: dict[str, InboxFile] = {}
    copies: dict[str, list[InboxFile]] = {}
    for file in files:
        if originals.setdefault(file.sha256, file) is not file:
            copies.setdefault(file.sha256, []).append(file)
    chunk: list[Segment] = []
    size = 0
    for file in originals.values():
        if file.sha256 in done.done_files:
            done.files_passed += 1 + len(copies.get(file.sha256, ()))
            continue
        segment = None
        index = -1
        for index, item in enumerate(read_path(file.path)):
            if done.record_done(file.sha256, index):
                done.records_passed += 1
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
        for copy in copies.get(file.sha256, ()):
            reason = f"same content as {file.path}: read once"
            chunk.append(Segment(copy, 0, [Skipped(str(copy.path), reason)], file_records=1, copy=True))
    if chunk:
        yield chunk


def batch_of(chunk: list[Segment]) -> Ingested:
    batch = Ingested()
    for segment in chunk:
        batch.add(segment.items)
    return batch


def progress_tables(chunk: list[Segment], run_id: str) -> dict[str, pl.DataFrame]:
    """The chunk's checkpoint rows (`backfill_chunks`: which records of which file it held; `ingested_files`: the
    files it finished), loaded in the same transaction as its articles."""
    at = now()
    originals = [s for s in chunk if not s.copy]
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
        for s in originals
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
        for s in originals
        if s.file_records is not None
    ]
    return {"backfill_chunks": conform(segments, BACKFILL_CHUNKS), "ingested_files": conform(finished, INGESTED_FILES)}


@stage_task("normalise")
def normalise(
    batch: Ingested,
    run_id: str,
    started_at: datetime,
    home: Path,
    window: tuple[date | None, date | None] = (None, None),
) -> tuple[pl.DataFrame, dict[str, str], list[Skipped]]:
    """The batch's articles in batch order, the content hashes among theirs that HOME has loaded (content_hash ->
    article_id, for the duplicate split) and the records skipped (no body, outside the date window)."""
    articles, no_body = normalise_records(batch.records, run_id, started_at)
    articles, outside_window = split_by_window(articles, *window)
    loaded: dict[str, str] = {}
    if warehouse_path(home).exists() and not articles.is_empty():
        with connect(home, read_only=True) as con:
            loaded = known_content_hashes(con, articles["content_hash"].to_list())
    return articles, loaded, no_body + outside_window


@stage_task("sign-bodies")
def sign_bodies(articles: pl.DataFrame) -> dict[str, Signature | None]:
    """The bodies' near-duplicate signatures (content_hash -> signature), computed beside extraction."""
    return body_signatures(articles, NearDuplicateIndex())


@stage_task("near-duplicates")
def near_duplicates(
    articles: pl.DataFrame, signatures: dict[str, Signature | None], home: Path, run_id: str, started_at: datetime
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """The accepted articles with `duplicate_of` set on syndicated copies (they load), and their `duplicates` rows
    (kind 'near'). Judged against what HOME's store of earlier runs holds for these bodies and the batch's accepted
    articles, in batch order; the run's verdicts wait for `save_near_duplicates`."""
    batch = {
        article_id: signatures[content_hash]
        for article_id, content_hash in articles.select("article_id", "content_hash").iter_rows()
    }
    index = NearDuplicateIndex.recall(Path(home) / NEAR_DUPLICATE_STORE, batch)
    _unsaved_near_duplicates[run_id] = index
    return mark_near_duplicates(articles, index, signatures, run_id, started_at)


# A run's near-duplicate verdicts from its judgement to its lake write (a run that fails leaves them unsaved).
_unsaved_near_duplicates: dict[str, NearDuplicateIndex] = {}


def save_near_duplicates(home: Path, run_id: str) -> None:
    """Add the run's verdicts to HOME's store as `<run_id>.parquet`, beside its lake files: like them, the store
    file of a run that never loaded is removed by the next run (`discard_interrupted_runs`)."""
    if index := _unsaved_near_duplicates.pop(run_id, None):
        index.save(Path(home) / NEAR_DUPLICATE_STORE, run_id)


def discard_unsaved_near_duplicates(run_id: str) -> None:
    """After a failed batch: its verdicts are not kept."""
    _unsaved_near_duplicates.pop(run_id, None)


@stage_task("extract")
def extract(articles: pl.DataFrame, stop: threading.Event | None = None) -> dict[str, pl.DataFrame]:
    if articles.is_empty():
        return {
            "sources": empty(SOURCES),
            "quotes": empty(QUOTES),
            "events": empty(EVENTS),
            "mentions": empty(MENTIONS),
            "extraction_failures": pl.DataFrame(schema=EXTRACTION_FAILURES),
        }
    extracted = extract_articles(articles, stop=stop)
    pause_if_requested("extract")
    return extracted


@stage_task("cluster", **STORAGE_RETRY)
def cluster_stories(
    tables: dict[str, pl.DataFrame], home: Path, run_id: str, started_at: datetime
) -> tuple[dict[str, pl.DataFrame], pl.DataFrame]:
    """The batch's quotes and events with the cluster across articles each joins (`quote_cluster_id`,
    `event_cluster_id`), and the `cluster_merges` rows of clusters the batch joined together.

    The ids are decided before the lake write, so the lake holds them and a rebuild reproduces them. Candidates are
    the warehouse's rows that share a blocking key with the batch (warehouse/sql/candidates/), read through the
    views `prepare_warehouse` made current.
    """
    article_columns = tables["articles"].select("article_id", "published_at", "outlet", "duplicate_of")
    speakers = tables["sources"].select("source_id", pl.col("entity_key").alias("speaker_entity_key"))
    quotes = tables["quotes"].join(article_columns, on="article_id", how="left", maintain_order="left")
    quotes = quotes.join(speakers, on="source_id", how="left", maintain_order="left")
    # Event clusters also read the article's body: the names it shares with another article tell one story.
    event_articles = article_columns.join(tables["articles"].select("article_id", "body"), on="article_id")
    events = tables["events"].join(event_articles, on="article_id", how="left", maintain_order="left")
    with connect(home) as con:
        quote_candidates = candidates(con, "select_quote_candidates", quotes)
        event_candidates = candidates(con, "select_event_candidates", events)
    quote_clusters, quote_merges = assign_quote_clusters(quotes, quote_candidates)
    event_clusters, event_merges = assign_event_clusters(events, event_candidates)
    clustered = {
        "quotes": tables["quotes"]
        .drop("quote_cluster_id")
        .join(quote_clusters, on="quote_id", how="left", maintain_order="left")
        .select(QUOTES.schema.names()),
        "events": tables["events"]
        .drop("event_cluster_id")
        .join(event_clusters, on="event_id", how="left", maintain_order="left")
        .select(EVENTS.schema.names()),
    }
    merges = [
        {**merge, "merge_id": stable_id(run_id, merge["cluster_kind"], merge["cluster_id"]), "run_id": run_id}
        for merge in quote_merges + event_merges
    ]
    return clustered, conform([{**m, "merged_at": started_at} for m in merges], CLUSTER_MERGES)


def split_extraction_failures(articles: pl.DataFrame, failures: pl.DataFrame) -> tuple[pl.DataFrame, list[Rejected]]:
    """The articles extraction succeeded on (or skipped), and the ones it failed on as quarantine items."""
    failed = articles.join(failures, on="article_id", how="semi")
    reasons = dict(failures.iter_rows())
    rejected = [
        Rejected(row["source_uri"], reasons[row["article_id"]], json.dumps(row, default=str, ensure_ascii=False))
        for row in failed.iter_rows(named=True)
    ]
    return articles.join(failures, on="article_id", how="anti"), rejected


def quarantine_rows(items: list[Rejected], run_id: str, at: datetime, table_name: str = "records") -> pl.DataFrame:
    rows = [
        {
            "quarantine_id": stable_id(run_id, table_name, item.source_uri, item.reason),
            "run_id": run_id,
            "table_name": table_name,
            "record": item.raw or None,
            "reason": item.reason,
            "source_uri": item.source_uri,
            "quarantined_at": at,
        }
        for item in items
    ]
    return conform(rows, QUARANTINE)


def skipped_rows(items: list[Skipped], run_id: str, at: datetime) -> pl.DataFrame:
    rows = [
        {
            "skip_id": stable_id(run_id, item.source_uri, item.reason),
            "run_id": run_id,
            "source_uri": item.source_uri,
            "reason": item.reason,
            "skipped_at": at,
        }
        for item in items
    ]
    return conform(rows, SKIPPED)


@stage_task("validate")
def validate(tables: dict[str, pl.DataFrame], run_id: str, started_at: datetime):
    return validate_batch(tables, run_id, started_at)


@stage_task("check-lake", **STORAGE_RETRY)
def check_lake(lake: str) -> None:
    """Fail early (before extraction) when the lake cannot be written: write and delete a small probe object."""
    try:
        fs, root = lake_io.filesystem(lake)
        probe = f"{root}/.wirehouse-probe-{uuid.uuid4().hex}"
        fs.makedirs(root, exist_ok=True)
        fs.pipe_file(probe, b"wirehouse")
        fs.rm_file(probe)
    except _storage_errors() as exc:
        raise _lake_failure(lake, "probe write", exc) from exc


@stage_task("discard-interrupted-runs", **STORAGE_RETRY)
def discard_interrupted_runs(home: Path, lake: str) -> list[str]:
    """Remove what runs that never loaded left in the lake and the near-duplicate store; returns their run ids.

    A run killed after its lake write and before its load committed leaves its article files, its bookkeeping
    partitions (quarantine, skipped, ...) and maybe temporary files; a rebuild from the lake would count them, and
    the rerun writes its own. A run is loaded when the warehouse has it as completed (so a lake belongs to one
    home); without a warehouse nothing is judged.
    """
    if not warehouse_path(home).exists():
        return []
    with connect(home, read_only=True) as con:
        if not con.execute("SELECT count(*) FROM duckdb_tables() WHERE table_name = 'runs'").fetchone()[0]:
            return []  # a warehouse file a killed first load left before its schema
        loaded = {row[0] for row in con.execute("SELECT run_id FROM runs WHERE status = 'completed'").fetchall()}
    return sorted(_discard_lake_files(lake, loaded) | _discard_near_duplicates(home, loaded))


def _discard_lake_files(lake: str, loaded: set[str]) -> set[str]:
    """The lake files of runs not in `loaded`, and temporary files; returns the runs discarded."""
    discarded = set()
    try:
        fs, root = lake_io.filesystem(lake)
        for table in BOOKKEEPING_TABLES:
            if table is RUNS:  # a failed run keeps its runs row: it says why it failed
                continue
            for partition in fs.glob(f"{root}/{table.name}/run_id=*"):
                if (run_id := partition.rsplit("run_id=", 1)[1]) not in loaded:
                    fs.rm(partition, recursive=True)
                    discarded.add(run_id)
        for path, run_id in lake_io.article_files_by_run(lake):
            if run_id not in loaded:
                fs.rm_file(path)
                discarded.add(run_id)
        for temporary in fs.glob(f"{root}/*/*/.*.tmp"):
            fs.rm_file(temporary)
    except _storage_errors() as exc:
        raise _lake_failure(lake, "removing interrupted runs' files", exc) from exc
    return discarded


def _discard_near_duplicates(home: Path, loaded: set[str]) -> set[str]:
    """The near-duplicate verdicts of runs not in `loaded`, and temporary files; returns the runs discarded."""
    store = Path(home) / NEAR_DUPLICATE_STORE
    discarded = set()
    for verdicts in store.glob("*.parquet"):
        if verdicts.stem not in loaded:
            verdicts.unlink()
            discarded.add(verdicts.stem)
    for temporary in store.glob(".*.tmp"):
        temporary.unlink()
    return discarded


@stage_task("write-lake", **STORAGE_RETRY)
def write_lake(
    lake: str, article_tables: dict[str, pl.DataFrame], run_id: str, run_tables: dict[str, pl.DataFrame]
) -> int:
    try:
        written = lake_io.write_article_tables(lake, article_tables, run_id)
        pause_if_requested("write")
        lake_io.write_run_tables(lake, run_id, run_tables)
    except _storage_errors() as exc:
        raise _lake_failure(lake, "write", exc) from exc
    return written


@stage_task("record-run", **STORAGE_RETRY)
def record_run_in_lake(lake: str, run_id: str, run_row: pl.DataFrame) -> None:
    try:
        lake_io.write_run_tables(lake, run_id, {"runs": run_row})
    except _storage_errors() as exc:
        raise _lake_failure(lake, "write runs row", exc) from exc


@stage_task("prepare-warehouse", **STORAGE_RETRY)
def prepare_warehouse(home: Path) -> None:
    """HOME's warehouse with this version's tables, views and macros (created on a new home), once per run: every
    chunk's cluster stage and load then find them current (the run holds the home lock, so nothing else changes
    them)."""
    try:
        with connect(home) as con:
            apply_schema(con)
    except (OSError, duckdb.Error) as exc:
        if _is_disk_full(exc):
            raise StorageFull(f"no space left for the warehouse {warehouse_path(home)}: {exc}") from exc
        raise


@stage_task("load-warehouse", **STORAGE_RETRY)
def load_warehouse(home: Path, tables: dict[str, pl.DataFrame]) -> None:
    """One transaction into the warehouse `prepare_warehouse` made current; when it fails (a full disk too) nothing
    of it is committed."""
    try:
        with connect(home) as con:

            def before_commit() -> None:
                load_entity_identifiers(con, home)  # the user's CSV, read again by every load, in its transaction
                pause_if_requested("load")

            load_batch(con, tables, before_commit=before_commit)
    except (OSError, duckdb.Error) as exc:
        if _is_disk_full(exc):
            raise StorageFull(
                f"no space left for the warehouse {warehouse_path(home)} (load rolled back, the earlier loads are "
                f"intact): {exc}"
            ) from exc
        raise


def expectation_summary(results: list[ExpectationResult]) -> list[dict]:
    return [
        {
            "table": r.table,
            "expectation": r.expectation,
            "column": r.column,
            "success": r.success,
            "failed_rows": r.unexpected_count,
        }
        for r in results
    ]


def stage_seconds_json(timings: dict[str, float]) -> str:
    return json.dumps({k: round(v, 3) for k, v in timings.items()})


def now() -> datetime:
    return datetime.now(UTC)


# Test hook for the crash tests (tests/flows/test_crash.py): a run stops in the stage settings.PAUSE_STAGE_ENV names
# (after extraction; between the lake's article and run files; inside the load transaction before COMMIT),
# creates the file settings.PAUSE_MARKER_ENV names and waits while it exists: the test kills the process there,
# or deletes the file to let the run go on.
PAUSE_LIMIT_SECONDS = 600


def pause_if_requested(stage: str) -> None:
    if os.environ.get(settings.PAUSE_STAGE_ENV) != stage:
        return
    marker = Path(os.environ[settings.PAUSE_MARKER_ENV])
    marker.write_text(str(os.getpid()))
    deadline = time.monotonic() + PAUSE_LIMIT_SECONDS
    while marker.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
