"""Faults a run survives (issue 18), each injected: the disk filling up during the lake write or the load, and a
damaged warehouse file. Each ends in a clear one-line failure, leaves what was loaded before intact, and a rerun
(or `wirehouse rebuild`) ends with the warehouse a clean run builds. Kills, SIGTERM and readers during a load are
tested on real processes in test_crash.py.
"""

from __future__ import annotations

import errno
import io
import logging
import shutil
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from flows import tasks
from flows.cli import app
from flows.nightly import RunFailed, StorageFailuresInOneLine
from tests.flows.test_crash import RUN_DATE, make_inboxes, run, warehouse_state, words
from tests.flows.test_ops_runs import fast_retries
from warehouse import lake as lake_io
from warehouse.load import load_batch, warehouse_path


@pytest.fixture(scope="module")
def nights(prefect_server, tmp_path_factory) -> dict[str, Path]:
    """A home after its first night (`first_night`), and a reference that also ran the second night uninterrupted."""
    root = tmp_path_factory.mktemp("faults")
    first, second = make_inboxes(root)
    reference = root / "reference"
    run(first, reference)
    shutil.copytree(reference, root / "first-night")
    run(second, reference)
    return {"second": second, "first_night": root / "first-night", "reference": reference}


@pytest.fixture
def cli(monkeypatch):
    """`wirehouse ARGS` in this process, on the session's Prefect test server (so it starts no server of its own)."""
    from prefect.settings import PREFECT_API_URL

    monkeypatch.setenv("PREFECT_API_URL", PREFECT_API_URL.value())
    fast_retries(monkeypatch, "discard_interrupted_runs", "find_new_files", "write_lake", "load_warehouse")
    return lambda *args: CliRunner().invoke(app, [str(a) for a in args])


def loaded_state(home: Path) -> dict:
    """The warehouse's rows without the failed runs' own records (a clean run has none)."""
    state = warehouse_state(home)
    state["runs"] = [row for row in state["runs"] if row[0] != "failed"]
    return state


def fill_the_disk(monkeypatch, where: str) -> None:
    """ENOSPC where a full disk raises it: a lake file written after the first one, or the load's commit."""
    if where == "lake":
        write = lake_io._write_atomically
        written = []

        def full_after_one_file(fs, frame, path):
            if written:
                raise OSError(errno.ENOSPC, "No space left on device", path)
            written.append(path)
            write(fs, frame, path)

        monkeypatch.setattr(lake_io, "_write_atomically", full_after_one_file)
    else:

        def commit_on_a_full_disk(con, tables, before_commit=None):
            def full():
                raise duckdb.IOException(
                    'IO Error: Could not write file "warehouse.duckdb.wal": No space left on device'
                )

            load_batch(con, tables, before_commit=full)

        monkeypatch.setattr(tasks, "load_batch", commit_on_a_full_disk)


@pytest.mark.parametrize("where", ["lake", "load"])
def test_a_full_disk_fails_clearly_keeps_the_earlier_load_and_a_rerun_with_space_is_clean(
    nights, cli, tmp_path, monkeypatch, where
):
    home = tmp_path / "home"
    shutil.copytree(nights["first_night"], home)
    before = loaded_state(home)
    args = ("run", "--inbox", nights["second"], "--home", home, "--run-date", RUN_DATE.isoformat())

    with monkeypatch.context() as patch:
        fill_the_disk(patch, where)
        failed = cli(*args)
    assert failed.exit_code == 4, failed.output
    assert "run failed: no space left" in words(failed.output)
    assert loaded_state(home) == before
    readable = cli("sql", "--home", home, "--format", "csv", "SELECT count(*) AS n FROM articles")
    assert readable.exit_code == 0 and readable.output.split() == ["n", str(len(before["articles"]))]

    rerun = cli(*args)
    assert rerun.exit_code == 0, rerun.output
    assert loaded_state(home) == loaded_state(nights["reference"])


def test_a_damaged_warehouse_is_named_with_the_cure_and_rebuild_brings_every_row_back(nights, cli, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(nights["reference"], home)
    whole = loaded_state(home)
    path = warehouse_path(home)
    with path.open("r+b") as file:  # cut after its headers, as a copy to a disk that filled up would be
        file.truncate(16384)

    for args in (("sql", "--home", home, "SELECT count(*) FROM quotes"), ("status", "--home", home)):
        said = cli(*args)
        assert said.exit_code == 3, said.output
        assert "cannot be read" in words(said.output) and f"wirehouse rebuild --home {home}" in words(said.output)
    (nights["second"].parent / "inbox-3").mkdir(exist_ok=True)
    shutil.copy(nights["second"] / "copy.json", nights["second"].parent / "inbox-3" / "copy.json")
    said = cli("run", "--inbox", nights["second"].parent / "inbox-3", "--home", home)
    assert said.exit_code == 4 and "wirehouse rebuild" in words(said.output), said.output

    rebuilt = cli("rebuild", "--home", home)
    assert rebuilt.exit_code == 0, rebuilt.output
    assert loaded_state(home) == whole


def terminal_lines_of(failure: Exception) -> str:
    """What a terminal handler with the filter prints of a run failed by `failure`."""
    terminal = io.StringIO()
    handler = logging.StreamHandler(terminal)
    handler.addFilter(StorageFailuresInOneLine())
    logger = logging.getLogger("wirehouse-test-terminal")
    logger.addHandler(handler)
    try:
        try:
            raise RunFailed(str(failure)) from failure
        except RunFailed:
            logger.error("run failed", exc_info=True)
    finally:
        logger.removeHandler(handler)
    return terminal.getvalue()


def test_a_storage_failure_reaches_the_terminal_without_its_traceback():
    assert terminal_lines_of(tasks.StorageFull("no space left in the lake")) == "run failed\n"
    assert "Traceback" in terminal_lines_of(ValueError("a bug"))  # a bug keeps its traceback
