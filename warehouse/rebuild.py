"""Recreate the DuckDB warehouse from the Parquet lake, the source of truth.

Every table of transforms/schema.py is read back from every file of `<lake>/<table>/` (article tables by
published date, a file per run and partition; bookkeeping tables one file per run: `runs`, `quarantine`, `duplicates`, `skipped`,
`ingested_files`, ...) into a new DuckDB file beside the warehouse, which is then renamed over the old one: a
reader sees the old warehouse or the new one, never a half-built one. The lake may be any fsspec URL; DuckDB
reads it through the fsspec filesystem registered on the connection (no httpfs extension needed).

Rows keep their keys, so a rebuild after runs gives the same rows the loads gave (the loader replaces an
article's rows; the rebuild keeps each article's rows of its latest run in the lake, `_rows_kept`).

The search index and the user's entity identifiers are derived, not in the lake: the rebuild makes them again.
Quotes and events an older wirehouse wrote without cross-article clusters get theirs (warehouse/recluster.py).

May import transforms.schema and warehouse/; nothing of flows/.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from transforms.schema import ARTICLE_TABLES, ARTICLES, BOOKKEEPING_TABLES, Table
from warehouse import lake as lake_io
from warehouse.identifiers import load_entity_identifiers
from warehouse.load import (
    WAREHOUSE_FILE,
    apply_schema,
    connection_config,
    excerpt_quarantined_records,
    warehouse_path,
)
from warehouse.recluster import cluster_unclustered
from warehouse.search import reindex_all


@dataclass
class RebuildResult:
    path: Path
    lake: str
    rows: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
    clustered: dict[str, int] = field(default_factory=dict)  # rows the lake held without a cluster (older runs)


def _load_table(con: duckdb.DuckDBPyConnection, table: Table, files: list[str]) -> int:
    if not files:
        return 0
    con.execute("DROP TABLE IF EXISTS lake_rows")
    # Files written before a column was added simply lack it: union_by_name fills NULL. Hive partitioning is off:
    # partition values (published_date, run_id) are real columns inside every file.
    con.execute(
        "CREATE TEMP TABLE lake_rows AS SELECT * FROM read_parquet(?, union_by_name = true, hive_partitioning = false)",
        [files],
    )
    columns = [r[0] for r in con.execute(f"DESCRIBE {table.name}").fetchall()]
    present = {r[0] for r in con.execute("DESCRIBE lake_rows").fetchall()}
    select = ", ".join(f'"{c}"' if c in present else f'NULL AS "{c}"' for c in columns)
    con.execute(f"INSERT INTO {table.name} BY NAME SELECT {select} FROM lake_rows {_rows_kept(table, present)}")
    con.execute("DROP TABLE lake_rows")
    return con.execute(f"SELECT count(*) FROM {table.name}").fetchone()[0]


def _rows_kept(table: Table, present: set[str]) -> str:
    """Which lake rows load. An article loaded by several runs (the lake appends) has rows in each run's files:
    the warehouse keeps its latest run's row and that run's rows of the other article tables (so rows its
    re-extraction no longer found stay out), as each load replaced them. Articles load first."""
    if table is ARTICLES:
        return "QUALIFY row_number() OVER (PARTITION BY article_id ORDER BY ingested_at DESC, run_id DESC) = 1"
    if table.partition:
        return (
            "WHERE EXISTS (SELECT 1 FROM articles a "
            "WHERE a.article_id = lake_rows.article_id AND a.run_id = lake_rows.run_id)"
        )
    # A bookkeeping key seen twice keeps its most recent run's row.
    order = "run_id DESC" if "run_id" in present else "1"
    return f'QUALIFY row_number() OVER (PARTITION BY "{table.key}" ORDER BY {order}) = 1'


def rebuild_warehouse(home: Path, lake: str | None = None) -> RebuildResult:
    """Build HOME/warehouse.duckdb anew from the lake and swap it in atomically. Caller holds the home lock."""
    home = Path(home)
    lake = str(lake or lake_io.default_lake(home))
    started = time.perf_counter()
    home.mkdir(parents=True, exist_ok=True)
    target = warehouse_path(home)
    staging = home / f".{WAREHOUSE_FILE}.rebuild-{uuid.uuid4().hex[:8]}"
    result = RebuildResult(path=target, lake=lake)
    try:
        con = duckdb.connect(str(staging), config=connection_config())
        try:
            lake_io.register_with_duckdb(con, lake)
            apply_schema(con)
            con.execute("BEGIN TRANSACTION")
            for table in ARTICLE_TABLES + BOOKKEEPING_TABLES:
                files = list(lake_io.partition_files(lake, table))
                result.files[table.name] = len(files)
                result.rows[table.name] = _load_table(con, table, files)
            excerpt_quarantined_records(con, "quarantine")
            result.clustered = cluster_unclustered(con)
            reindex_all(con)
            load_entity_identifiers(con, home)
            con.execute("COMMIT")
            con.execute("CHECKPOINT")
        finally:
            con.close()
        # A WAL left by the old file must not be replayed onto the new one (the new file is checkpointed whole).
        stale_wal = target.with_name(target.name + ".wal")
        if stale_wal.exists():
            stale_wal.unlink()
        os.replace(staging, target)
    finally:
        for leftover in (staging, staging.with_name(staging.name + ".wal")):
            if leftover.exists():
                leftover.unlink()
    result.seconds = time.perf_counter() - started
    return result
