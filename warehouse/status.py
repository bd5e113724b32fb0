"""What `wirehouse status` shows, read from a home's warehouse: the last runs, rows per table, the file's size, and
the quotes and events that carry no cross-article cluster.

Reads only, through warehouse.load's read-only connection. May import transforms.schema and warehouse.load;
printing it is the command line's business (flows/console.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from transforms.schema import TABLES
from warehouse.load import connect, warehouse_path

# Every quote and event a run loads carries its cluster (a cluster of one where nothing joins it).
UNCLUSTERED_CHECKS = {"quotes": "quote_cluster_id", "events": "event_cluster_id"}


@dataclass
class Status:
    runs: list[dict]
    warehouse_bytes: int
    table_rows: dict[str, int]
    # Rows loaded before the home had cross-article clusters (an older wirehouse): `wirehouse rebuild` clusters them.
    unclustered: dict[str, int]


def warehouse_bytes(home: Path) -> int:
    """The warehouse file and its write-ahead log, in bytes."""
    path = warehouse_path(home)
    wal = path.with_name(path.name + ".wal")
    return sum(p.stat().st_size for p in (path, wal) if p.exists())


def read_status(home: Path, limit: int = 10) -> Status:
    """The last `limit` runs (newest first), rows per table, the warehouse's size on disk and the rows without a
    cluster id."""
    with connect(home, read_only=True) as con:
        existing = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        cursor = con.execute(
            "SELECT *, date_diff('millisecond', started_at, finished_at) / 1000.0 AS seconds "
            "FROM runs ORDER BY started_at DESC, run_id DESC LIMIT ?",
            [limit],
        )
        columns = [d[0] for d in cursor.description]
        runs = [dict(zip(columns, row)) for row in cursor.fetchall()]
        table_rows = {
            name: con.execute(f"SELECT count(*) FROM {name}").fetchone()[0] for name in TABLES if name in existing
        }
        unclustered = {
            table: con.execute(f"SELECT count(*) FROM {table} WHERE {column} IS NULL").fetchone()[0]
            for table, column in UNCLUSTERED_CHECKS.items()
            if table in existing
        }
    return Status(runs=runs, warehouse_bytes=warehouse_bytes(home), table_rows=table_rows, unclustered=unclustered)
