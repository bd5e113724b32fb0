"""The Parquet lake: the source of truth the DuckDB warehouse is loaded from (and can be rebuilt from).

Layout: `<lake>/<table>/published_date=YYYY-MM-DD/data.parquet` for article tables (`published_date=undated` when
the article has none) and `<lake>/<table>/run_id=<run>/data.parquet` for bookkeeping tables. Each partition is one
file, replaced atomically (written beside, then renamed over), so readers and crashes never see half a partition.
The lake may be any fsspec URL (local path, s3://, gs://).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import fsspec
import polars as pl
from fsspec.core import url_to_fs

from transforms.schema import ARTICLE_TABLES, PARTITION_COLUMN, TABLES, UNDATED_PARTITION, Table, conform

DATA_FILE = "data.parquet"


def filesystem(lake: str) -> tuple[fsspec.AbstractFileSystem, str]:
    fs, root = url_to_fs(lake)
    return fs, root.rstrip("/")


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


def write_run_tables(lake: str, run_id: str, tables: dict[str, pl.DataFrame]) -> None:
    """Bookkeeping rows of one run (quarantine, duplicates, skipped, ingested_files, runs): one file per run."""
    fs, root = filesystem(lake)
    for name, frame in tables.items():
        if not frame.is_empty():
            _write_atomically(fs, frame, _partition_path(root, TABLES[name], "run_id", run_id))


def partition_files(lake: str, table: Table) -> Iterator[str]:
    """Every data file of a table, as URLs DuckDB (with the fsspec filesystem registered) can read."""
    fs, root = filesystem(lake)
    protocol = fs.protocol[0] if isinstance(fs.protocol, tuple) else fs.protocol
    for path in sorted(fs.glob(f"{root}/{table.name}/*/{DATA_FILE}")):
        yield path if protocol == "file" else f"{protocol}://{path}"
