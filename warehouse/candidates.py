"""Rows already in the warehouse that a batch's quotes or events may join across articles.

Each query is a file of sql/candidates/ reading the batch from the registered relation `batch_rows`; what counts
as a candidate is decided there, what joins is decided in transforms/stories/.
May import transforms.schema and warehouse.load; nothing of flows/.
"""

from __future__ import annotations

import duckdb
import polars as pl

from warehouse.load import SQL_DIR


def candidates(con: duckdb.DuckDBPyConnection, query: str, batch: pl.DataFrame) -> pl.DataFrame:
    """The rows `sql/candidates/<query>.sql` selects for `batch`."""
    con.register("batch_rows", batch.to_arrow())
    try:
        return con.sql((SQL_DIR / "candidates" / f"{query}.sql").read_text()).pl()
    finally:
        con.unregister("batch_rows")
