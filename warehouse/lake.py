"""The Parquet lake: the source of truth the DuckDB warehouse is loaded from (and can be rebuilt from).

Layout: `<lake>/<table>/published_date=YYYY-MM-DD/<run_id>.parquet` for article tables (`published_date=undated`
when the article has none) and `<lake>/<table>/run_id=<run>/data.parquet` for bookkeeping tables. The lake grows
by appending, as Hive-partitioned lakes do: each run (each chunk of one) adds one file per table and partition it
touches and never reads or rewrites what is there, so a write costs what the chunk holds, not what the partition
already holds. An article a later run loads again has rows in both runs' files: readers keep the rows of the
article's latest run (warehouse/rebuild.py), as the warehouse load replaces them. Files of runs that never loaded
are removed by the next run (`run_of_article_file` names their run). Each file is written beside and renamed into
place, so readers and crashes never see half a file; a retried write replaces its own file.
The lake may be any fsspec URL (local path, s3://, gs://). Credentials and endpoints come from the usual places
(AWS_* variables such as AWS_ENDPOINT_URL for an S3-compatible store, GOOGLE_APPLICATION_CREDENTIALS), or as
fsspec storage options in WIREHOUSE_LAKE_OPTIONS (JSON, e.g. `{"endpoint_url": "http://minio:9000"}`).
On object stores a file is written to a temporary key and moved over the final one; the final key is
replaced in one PUT, so a reader sees the old object or the new one, never half of one.
Quarantined records stay whole here (`locate_quarantined_records` gives each its hash, length and file); the
warehouse keeps an excerpt.

May import transforms.schema; nothing of flows/.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import fsspec
import polars as pl
from fsspec.core import url_to_fs

from transforms.schema import (
    ARTICLE_TABLES,
    PARTITION_COLUMN,
    QUARANTINE,
    TABLES,
    UNDATED_PARTITION,
    Table,
)

PARQUET_SUFFIX = ".parquet"
# A bookkeeping table's file in its run's partition (and, in lakes written before the lake appended, an article
# table's one file per partition).
DATA_FILE = "data.parquet"
OPTIONS_ENV = "WIREHOUSE_LAKE_OPTIONS"
# Where a home keeps its lake unless the lake is given (`--lake`).
HOME_LAKE_DIR = "lake"


def default_lake(home: Path) -> str:
    return str(Path(home) / HOME_LAKE_DIR)


def storage_options() -> dict:
    """Extra fsspec options for the lake's filesystem, from WIREHOUSE_LAKE_OPTIONS (a JSON object)."""
    raw = os.environ.get(OPTIONS_ENV)
    return json.loads(raw) if raw else {}


def filesystem(lake: str) -> tuple[fsspec.AbstractFileSystem, str]:
    fs, root = url_to_fs(str(lake), **storage_options())
    return fs, root.rstrip("/")


def is_local(lake: str) -> bool:
    fs, _ = filesystem(lake)
    return _protocol(fs) in ("file", "local")


def _protocol(fs: fsspec.AbstractFileSystem) -> str:
    return fs.protocol[0] if isinstance(fs.protocol, tuple) else fs.protocol


def register_with_duckdb(con, lake: str) -> None:
    """Let DuckDB read the lake's URLs through fsspec (DuckDB's own httpfs extension is not needed)."""
    fs, _ = filesystem(lake)
    if _protocol(fs) not in ("file", "local"):
        fs.invalidate_cache()
        con.register_filesystem(fs)


def partition_value(value) -> str:
    return value.isoformat() if value is not None else UNDATED_PARTITION


def _partition_path(root: str, table: Table, column: str, value: str) -> str:
    return f"{root}/{table.name}/{column}={value}/{DATA_FILE}"


def _write_atomically(fs: fsspec.AbstractFileSystem, frame: pl.DataFrame, path: str) -> None:
    directory = path.rsplit("/", 1)[0]
    fs.makedirs(directory, exist_ok=True)
    temporary = f"{directory}/.{uuid.uuid4().hex}.tmp"
    with fs.open(temporary, "wb") as handle:
        frame.write_parquet(handle, compression="zstd", statistics=True)
    fs.mv(temporary, path)


def _article_file_path(root: str, table: Table, partition: str, run_id: str) -> str:
    return f"{root}/{table.name}/{PARTITION_COLUMN}={partition}/{run_id}{PARQUET_SUFFIX}"


def write_article_tables(lake: str, tables: dict[str, pl.DataFrame], run_id: str) -> int:
    """Append a batch to the lake: per table, one new file `<run_id>.parquet` in each partition the batch's
    articles fall in, holding every row of those articles (also none: an article that lost its quotes on
    re-extraction has no quotes in its latest run). Returns the number of files written."""
    fs, root = filesystem(lake)
    articles = tables["articles"]
    written = 0
    for (date_value,), part in articles.group_by(PARTITION_COLUMN, maintain_order=True):
        batch_ids = part["article_id"].implode()
        for table in ARTICLE_TABLES:
            rows = tables[table.name].filter(pl.col("article_id").is_in(batch_ids))
            if rows.is_empty():
                continue
            path = _article_file_path(root, table, partition_value(date_value), run_id)
            _write_atomically(fs, rows.sort(table.key), path)
            written += 1
    return written


def run_of_article_file(path: str) -> str | None:
    """The run that wrote an article table's file; None for a partition's single `data.parquet` of lakes written
    before the lake appended (their rows belong to completed runs)."""
    name = path.rsplit("/", 1)[-1]
    return None if name == DATA_FILE else name.removesuffix(PARQUET_SUFFIX)


def article_files_by_run(lake: str) -> Iterator[tuple[str, str]]:
    """(path, run id) of every article table file a run wrote, for removing the files of runs that never loaded."""
    fs, root = filesystem(lake)
    fs.invalidate_cache()
    for table in ARTICLE_TABLES:
        for path in fs.glob(f"{root}/{table.name}/{PARTITION_COLUMN}=*/*{PARQUET_SUFFIX}"):
            if run_id := run_of_article_file(path):
                yield path, run_id


def locate_quarantined_records(lake: str, run_id: str, quarantine: pl.DataFrame) -> pl.DataFrame:
    """The run's quarantine rows with each whole record's SHA-256, length and lake file (the run's quarantine
    partition, which keeps the records whole; the warehouse keeps an excerpt)."""
    fs, root = filesystem(lake)
    path = _partition_path(root, QUARANTINE, "run_id", run_id)
    location = path if _protocol(fs) in ("file", "local") else f"{_protocol(fs)}://{path}"
    records = quarantine["record"]
    return quarantine.with_columns(
        record_sha256=pl.Series(
            [hashlib.sha256(r.encode("utf-8")).hexdigest() if r is not None else None for r in records],
            dtype=pl.String,
        ),
        record_chars=records.str.len_chars().cast(pl.Int64),
        record_location=pl.when(records.is_not_null()).then(pl.lit(location)).otherwise(None),
    )


def write_run_tables(lake: str, run_id: str, tables: dict[str, pl.DataFrame]) -> None:
    """Bookkeeping rows of one run (quarantine, duplicates, skipped, ingested_files, runs): one file per run."""
    fs, root = filesystem(lake)
    for name, frame in tables.items():
        if not frame.is_empty():
            _write_atomically(fs, frame, _partition_path(root, TABLES[name], "run_id", run_id))


def partition_files(lake: str, table: Table) -> Iterator[str]:
    """Every data file of a table, as URLs DuckDB (with the fsspec filesystem registered) can read."""
    fs, root = filesystem(lake)
    fs.invalidate_cache()
    protocol = _protocol(fs)
    for path in sorted(fs.glob(f"{root}/{table.name}/*/*{PARQUET_SUFFIX}")):
        yield path if protocol in ("file", "local") else f"{protocol}://{path}"
