"""The Parquet lake: the source of truth the DuckDB warehouse is loaded from (and can be rebuilt from).

Layout: `<lake>/<table>/published_date=YYYY-MM-DD/data.parquet` for article tables (`published_date=undated` when
the article has none) and `<lake>/<table>/run_id=<run>/data.parquet` for bookkeeping tables. Each partition is one
file, replaced atomically (written beside, then renamed over), so readers and crashes never see half a partition.
The lake may be any fsspec URL (local path, s3://, gs://). Credentials and endpoints come from the usual places
(AWS_* variables such as AWS_ENDPOINT_URL for an S3-compatible store, GOOGLE_APPLICATION_CREDENTIALS), or as
fsspec storage options in WIREHOUSE_LAKE_OPTIONS (JSON, e.g. `{"endpoint_url": "http://minio:9000"}`).
On object stores a partition is written to a temporary key and moved over the final one; the final key is
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
    conform,
)

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


def _read_partition(fs: fsspec.AbstractFileSystem, path: str, table: Table) -> pl.DataFrame | None:
    if not fs.exists(path):
        return None
    with fs.open(path, "rb") as handle:
        return conform(pl.read_parquet(handle), table)


def write_article_tables(lake: str, tables: dict[str, pl.DataFrame]) -> int:
    """Merge a batch into the lake: in every partition the batch's articles touch, their rows are replaced.

    Returns the number of partition files written. Replacing by article (not by row key) means an article that
    lost a quote on re-extraction loses it in the lake too.
    """
    fs, root = filesystem(lake)
    articles = tables["articles"]
    written = 0
    for (date_value,), part in articles.group_by(PARTITION_COLUMN, maintain_order=True):
        value = partition_value(date_value)
        batch_ids = part["article_id"].implode()
        for table in ARTICLE_TABLES:
            new_rows = tables[table.name].filter(pl.col("article_id").is_in(batch_ids))
            path = _partition_path(root, table, PARTITION_COLUMN, value)
            existing = _read_partition(fs, path, table)
            if existing is not None:
                new_rows = pl.concat([existing.filter(~pl.col("article_id").is_in(batch_ids)), new_rows])
            if new_rows.is_empty() and existing is None:
                continue
            _write_atomically(fs, new_rows.sort(table.key), path)
            written += 1
    return written


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
    for path in sorted(fs.glob(f"{root}/{table.name}/*/{DATA_FILE}")):
        yield path if protocol in ("file", "local") else f"{protocol}://{path}"
