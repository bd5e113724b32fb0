"""`wirehouse run --chunk-records N` (issue 18): the command streams its inbox in chunks of N records, as backfill's
flag of the same name does, and the warehouse it builds is the one a single-chunk run builds.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from typer.testing import CliRunner

from flows.cli import app
from tests.flows.test_nightly_chunks import RUN_DATE, inbox, state  # noqa: F401 (the fixture)
from warehouse.load import warehouse_path


def wirehouse_run(folder: Path, home: Path, *options: str) -> None:
    args = ["run", "--inbox", str(folder), "--home", str(home), "--run-date", RUN_DATE.isoformat(), *options]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output


def chunk_runs(home: Path) -> int:
    con = duckdb.connect(str(warehouse_path(home)), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM runs WHERE status = 'completed'").fetchone()[0]
    finally:
        con.close()


def test_run_with_small_chunks_builds_the_warehouse_of_one_chunk(prefect_server, request, tmp_path):
    six_records = request.getfixturevalue("inbox")  # three chunks of two
    wirehouse_run(six_records, tmp_path / "one-chunk")
    wirehouse_run(six_records, tmp_path / "chunked", "--chunk-records", "2")
    assert chunk_runs(tmp_path / "one-chunk") == 1
    assert chunk_runs(tmp_path / "chunked") == 3  # six records, two a chunk: each chunk is a run
    assert state(tmp_path / "chunked") == state(tmp_path / "one-chunk")


def test_chunk_records_must_be_positive(tmp_path):
    result = CliRunner().invoke(app, ["run", "--inbox", str(tmp_path), "--home", str(tmp_path), "--chunk-records", "0"])
    assert result.exit_code == 2 and "--chunk-records" in result.output
