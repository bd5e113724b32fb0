"""`wirehouse sql` on the demo warehouse: output formats, --file, read-only, and the prompt with its history."""

from __future__ import annotations

import csv
import io
import json
import os
import pty
import re
import select
import subprocess
import sys
import time

import duckdb
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from flows.cli import app
from tests.conftest import REPO
from warehouse.load import warehouse_path

ZAKHAROVA = "SELECT quote_type, text, quote_id FROM quotes_by('Zakharova')"


def cli(*args: str, input: str | None = None):
    return CliRunner().invoke(app, ["sql", *args], input=input)


def direct(home, query: str) -> list[tuple]:
    with duckdb.connect(str(warehouse_path(home)), read_only=True) as con:
        return con.execute(query).fetchall()


def test_csv_and_json_give_the_rows_duckdb_gives(demo_home):
    expected = direct(demo_home, ZAKHAROVA)
    assert len(expected) >= 3
    as_csv = cli("--home", str(demo_home), "--format", "csv", ZAKHAROVA)
    assert as_csv.exit_code == 0, as_csv.output
    header, *records = list(csv.reader(io.StringIO(as_csv.stdout)))
    assert header == ["quote_type", "text", "quote_id"]
    assert [tuple(r) for r in records] == expected
    as_json = cli("--home", str(demo_home), "--format", "json", ZAKHAROVA)
    assert [tuple(r.values()) for r in json.loads(as_json.stdout)] == expected


def test_table_shows_columns_values_and_the_row_count(demo_home):
    result = cli(
        "--home", str(demo_home), "SELECT entity_key, quotes FROM speaker_stats WHERE entity_key = 'maria_zakharova'"
    )
    assert result.exit_code == 0, result.output
    assert "entity_key" in result.stdout and "maria_zakharova" in result.stdout and "1 row" in result.stdout


def test_parquet_needs_out_and_writes_every_row(demo_home, tmp_path):
    assert cli("--home", str(demo_home), "--format", "parquet", "SELECT 1").exit_code == 2
    out = tmp_path / "facts.parquet"
    result = cli("--home", str(demo_home), "--format", "parquet", "--out", str(out), "SELECT * FROM quote_facts")
    assert result.exit_code == 0, result.output
    table = pq.read_table(out)
    assert table.num_rows == direct(demo_home, "SELECT count(*) FROM quotes")[0][0]
    assert "entity_key" in table.column_names and "published_date" in table.column_names


def test_file_runs_its_statements_and_prints_the_last_result_to_out(demo_home, tmp_path):
    query = tmp_path / "count.sql"
    query.write_text(
        "-- how many events per quad class\nSELECT 1;\nSELECT quad_class, count(*) AS n FROM events GROUP BY 1 ORDER BY 1;\n"
    )
    out = tmp_path / "count.csv"
    result = cli("--home", str(demo_home), "--file", str(query), "--format", "csv", "--out", str(out))
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(out.open()))
    assert rows[0] == ["quad_class", "n"]
    assert [(q, int(n)) for q, n in rows[1:]] == direct(
        demo_home, "SELECT quad_class, count(*) FROM events GROUP BY 1 ORDER BY 1"
    )
    assert cli("--home", str(demo_home), "--file", str(query), "SELECT 1").exit_code == 2


def test_the_warehouse_stays_read_only(demo_home):
    result = cli("--home", str(demo_home), "CREATE TABLE notes AS SELECT 1 AS x")
    assert result.exit_code == 1 and "read-only" in result.output.lower()
    assert direct(demo_home, "SELECT count(*) FROM duckdb_tables() WHERE table_name = 'notes'") == [(0,)]


def test_prompt_reads_statements_until_end_of_input_and_survives_errors(demo_home):
    session = "SELECT count(*) AS n\n  FROM quotes;\nSELECT nope;\n.tables\nSELECT 'after the error' AS still_here;\n"
    result = cli("--home", str(demo_home), "--format", "csv", input=session)
    assert result.exit_code == 0, result.output
    quotes = direct(demo_home, "SELECT count(*) FROM quotes")[0][0]
    assert f"n\n{quotes}\n" in result.stdout
    assert "nope" in result.stdout  # the binder error, then the session goes on
    assert "quotes_by,table macro," in result.stdout
    assert result.stdout.rstrip().endswith("still_here\nafter the error")


def read_until(fd: int, pattern: bytes, timeout: float = 60) -> bytes:
    """What the terminal shows until `pattern` (a regular expression) matches all of it so far."""
    seen = b""
    deadline = time.monotonic() + timeout
    while not re.search(pattern, seen, re.DOTALL) and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.5)
        if ready:
            try:
                seen += os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
    return seen


def prompt_session(home, user_home, keys: bytes) -> bytes:
    """Run the prompt on a pseudo-terminal, type `keys` (one statement) at it, then Ctrl-D; what the terminal showed."""
    leader, follower = pty.openpty()
    env = {**os.environ, "HOME": str(user_home), "TERM": "xterm", "COLUMNS": "100"}
    process = subprocess.Popen(
        [sys.executable, "-m", "flows.cli", "sql", "--home", str(home)],
        cwd=REPO,
        env=env,
        stdin=follower,
        stdout=follower,
        stderr=follower,
        close_fds=True,
    )
    os.close(follower)
    try:
        shown = read_until(leader, rb"wirehouse> ")
        os.write(leader, keys)
        # Ctrl-D only once the result is printed and the prompt reads again.
        shown += read_until(leader, rb"1 row.*wirehouse> ")
        os.write(leader, b"\x04")
        process.wait(timeout=60)
        return shown
    finally:
        os.close(leader)
        if process.poll() is None:
            process.kill()


@pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")
def test_prompt_on_a_terminal_keeps_history_between_sessions(demo_home, tmp_path):
    first = prompt_session(demo_home, tmp_path, b"SELECT 4242 AS answer;\r")
    assert b"4242" in first and b"read-only" in first
    history = (tmp_path / ".wirehouse_sql_history").read_text()
    assert "SELECT 4242 AS answer;" in history
    # Up arrow brings the statement back in a new session.
    second = prompt_session(demo_home, tmp_path, b"\x1b[A\r")
    assert second.count(b"4242") >= 2  # echoed by the prompt and printed in the result


def test_no_warehouse_is_an_error_before_any_prompt(tmp_path):
    for args in ([], ["SELECT 1"]):
        result = cli("--home", str(tmp_path), *args, input="SELECT 1;\n")
        assert result.exit_code == 3 and "no warehouse" in result.output
