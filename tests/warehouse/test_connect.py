"""warehouse.load.connect: every connection bounds DuckDB's buffer pool, as configured."""

from warehouse.load import DUCKDB_MEMORY_ENV, connect


def _limit(home) -> str:
    with connect(home) as con:
        return con.execute("SELECT current_setting('memory_limit')").fetchone()[0]


def test_a_connection_bounds_duckdb_memory_by_default_and_as_configured(tmp_path, monkeypatch):
    monkeypatch.delenv(DUCKDB_MEMORY_ENV, raising=False)
    # DuckDB reports the limit in its own units (512MB -> "488.2 MiB"); its default would be 80 % of RAM.
    assert _limit(tmp_path) == "488.2 MiB"
    monkeypatch.setenv(DUCKDB_MEMORY_ENV, "2GB")
    assert _limit(tmp_path) == "1.8 GiB"
    with connect(tmp_path, read_only=True) as con:
        assert con.execute("SELECT current_setting('memory_limit')").fetchone()[0] == "1.8 GiB"
