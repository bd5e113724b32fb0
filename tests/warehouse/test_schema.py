"""warehouse/sql/schema.sql and transforms/schema.py describe the same tables."""

import duckdb
import polars as pl

from transforms.schema import TABLES
from warehouse.load import SQL_DIR

DUCKDB_TYPES = {
    pl.String: "VARCHAR",
    pl.Int32: "INTEGER",
    pl.Int64: "BIGINT",
    pl.Float64: "DOUBLE",
    pl.Boolean: "BOOLEAN",
    pl.Date: "DATE",
    pl.List(pl.String): "VARCHAR[]",
    pl.List(pl.Int64): "BIGINT[]",
    pl.Datetime("us", "UTC"): "TIMESTAMP WITH TIME ZONE",
}


def test_sql_schema_matches_python_schema():
    con = duckdb.connect()
    con.execute((SQL_DIR / "schema.sql").read_text())
    for name, table in TABLES.items():
        columns = con.execute(f"DESCRIBE {name}").fetchall()
        sql_columns = [(c[0], c[1]) for c in columns]
        expected = [(column, DUCKDB_TYPES[dtype]) for column, dtype in table.schema.items()]
        assert sql_columns == expected, name


def test_views_compile_on_empty_tables():
    con = duckdb.connect()
    con.execute((SQL_DIR / "schema.sql").read_text())
    con.execute((SQL_DIR / "views.sql").read_text())
    for (view,) in con.execute("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall():
        assert con.execute(f"SELECT count(*) FROM {view}").fetchone() == (0,)
