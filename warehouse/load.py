"""Loading validated batches into the DuckDB warehouse, idempotently, and opening it for readers.

DuckDB lets one process hold the file for writing, and while it does no other process can open it, even
read-only. So the writer opens the file only for the load itself (seconds), and both sides retry briefly
instead of failing at once or waiting forever.

Its SQL is in warehouse/sql/ (schema, views, macros, comments; load/ for the load statements).
May import transforms.schema and warehouse.search; nothing of flows/.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import duckdb
import polars as pl

from transforms.schema import ARTICLE_TABLES, BOOKKEEPING_TABLES
from warehouse.search import index_articles

SQL_DIR = Path(__file__).parent / "sql"
WAREHOUSE_FILE = "warehouse.duckdb"
# How much of a quarantined record the warehouse keeps; the whole record stays in the lake (record_location).
RECORD_EXCERPT_CHARS = 1000
# How long a reader or the loader waits for another process to release the file (WIREHOUSE_LOCK_WAIT_SECONDS).
DEFAULT_LOCK_WAIT_SECONDS = 30.0
LOCK_WAIT_ENV = "WIREHOUSE_LOCK_WAIT_SECONDS"
# DuckDB's buffer pool for one connection (WIREHOUSE_DUCKDB_MEMORY_LIMIT, DuckDB's units: "512MB", "2GB"). Its own
# default, 80 % of RAM, lets a query's scan of the whole warehouse stay cached, so a nightly run would grow with the
# warehouse; past the limit DuckDB evicts cached blocks and spills joins to disk (next to the warehouse file).
DEFAULT_DUCKDB_MEMORY_LIMIT = "512MB"
DUCKDB_MEMORY_ENV = "WIREHOUSE_DUCKDB_MEMORY_LIMIT"


def lock_wait_seconds() -> float:
    return float(os.environ.get(LOCK_WAIT_ENV) or DEFAULT_LOCK_WAIT_SECONDS)


def connection_config() -> dict[str, str | bool]:
    """What every warehouse connection sets: no extension fetched or loaded on its own, a bounded buffer pool."""
    return {
        "autoinstall_known_extensions": False,
        "autoload_known_extensions": False,
        "memory_limit": os.environ.get(DUCKDB_MEMORY_ENV) or DEFAULT_DUCKDB_MEMORY_LIMIT,
    }


class WarehouseBusy(RuntimeError):
    pass


class WarehouseUnreadable(RuntimeError):
    """The warehouse file is not a DuckDB database it can open (truncated, overwritten): the lake still holds every
    row, and `wirehouse rebuild` recreates the file from it."""


def warehouse_path(home: Path) -> Path:
    return Path(home) / WAREHOUSE_FILE


def _sql(name: str) -> str:
    return (SQL_DIR / name).read_text()


# What DuckDB says of a truncated, overwritten or corrupted database file.
DAMAGE_SIGNS = ("could not read enough bytes", "not a valid duckdb database", "corrupt", "checksum")


def _is_lock_error(exc: duckdb.Error) -> bool:
    # DuckDB: 'Could not set lock on file "...": Conflicting lock is held in ... (PID n)'; not just any "lock"
    # (a path may contain the word).
    return "could not set lock on file" in str(exc).lower()


@contextmanager
def connect(
    home: Path, read_only: bool = False, wait_seconds: float | None = None
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to HOME/warehouse.duckdb, waiting up to `wait_seconds` for another process's lock.

    A read-only connection also has no file system or network access: read-only alone still lets a query
    write files (COPY ... TO), read any file or fetch URLs (read_csv('http://...')); readers only need the tables.
    """
    wait_seconds = lock_wait_seconds() if wait_seconds is None else wait_seconds
    path = warehouse_path(home)
    if read_only and not path.exists():
        raise FileNotFoundError(f"no warehouse at {path}: run `wirehouse run` first")
    deadline = time.monotonic() + wait_seconds
    config = connection_config()
    if read_only:
        config["enable_external_access"] = False
    while True:
        try:
            con = duckdb.connect(str(path), read_only=read_only, config=config)
            break
        except duckdb.Error as exc:
            if not _is_lock_error(exc):
                if _is_damage(exc) or (path.exists() and "permission denied" not in str(exc).lower()):
                    raise _unreadable(path, exc) from exc
                raise
            if time.monotonic() >= deadline:
                raise WarehouseBusy(
                    f"the warehouse {path} is locked by another process (a load or a reader holding it?) "
                    f"and was not released within {wait_seconds:g} s: {exc}"
                ) from exc
            time.sleep(0.25)
    try:
        yield con
    except duckdb.Error as exc:
        # DuckDB reads a file's blocks as queries need them: a damaged one can open and fail on its first query.
        if _is_damage(exc):
            raise _unreadable(path, exc) from exc
        raise
    finally:
        con.close()


def _is_damage(exc: duckdb.Error) -> bool:
    message = str(exc).lower()
    return any(sign in message for sign in DAMAGE_SIGNS)


def _unreadable(path: Path, exc: duckdb.Error) -> WarehouseUnreadable:
    return WarehouseUnreadable(
        f"the warehouse {path} cannot be read ({exc}); it may be damaged: "
        f"`wirehouse rebuild --home {path.parent}` recreates it from the lake"
    )


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    # Comments last: recreating a view drops the comments on its columns. The cross-article layer (stories/, in
    # name order: later files use earlier views) comments its own views in the same files.
    stories = sorted(f"stories/{path.name}" for path in (SQL_DIR / "stories").glob("*.sql"))
    for name in ("schema.sql", "views.sql", "macros.sql", *stories, "comments.sql"):
        con.execute(_sql(name))


def known_content_hashes(con: duckdb.DuckDBPyConnection, hashes: list[str]) -> dict[str, str]:
    """content_hash -> article_id for the given hashes already in the warehouse."""
    if not hashes:
        return {}
    con.register("candidate_hashes", pl.DataFrame({"content_hash": hashes}).to_arrow())
    rows = con.execute(
        "SELECT a.content_hash, a.article_id FROM articles a JOIN candidate_hashes c USING (content_hash)"
    ).fetchall()
    con.unregister("candidate_hashes")
    return dict(rows)


def excerpt_quarantined_records(con: duckdb.DuckDBPyConnection, rows: str) -> None:
    """Cut the quarantined records of `rows` (a table or registered frame with quarantine_id) to their excerpt."""
    con.execute(_sql("load/excerpt_quarantine.sql").format(rows=rows, chars=RECORD_EXCERPT_CHARS))


def ingested_hashes(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {row[0] for row in con.execute("SELECT sha256 FROM ingested_files").fetchall()}


def load_batch(
    con: duckdb.DuckDBPyConnection, tables: dict[str, pl.DataFrame], before_commit: Callable[[], None] | None = None
) -> None:
    """One transaction: the batch's articles replace their previous rows, bookkeeping rows are upserted.

    `before_commit` runs inside the transaction, after every statement (the crash tests pause there)."""
    con.execute("BEGIN TRANSACTION")
    try:
        for name, frame in tables.items():
            con.register(f"batch_{name}", frame.to_arrow())
        if "articles" in tables:
            for table in ARTICLE_TABLES:
                con.execute(_sql("load/replace_article_rows.sql").format(table=table.name))
            index_articles(con, "batch_articles")
        for table in BOOKKEEPING_TABLES:
            if table.name in tables:
                con.execute(_sql("load/upsert_run_rows.sql").format(table=table.name))
        if "quarantine" in tables:
            excerpt_quarantined_records(con, "batch_quarantine")
        if before_commit:
            before_commit()
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        for name in tables:
            con.unregister(f"batch_{name}")
