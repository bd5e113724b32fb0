"""SIGTERM during extraction (issue 18): the run stops within seconds, between two documents, instead of finishing
the extraction of its chunk; the chunk is rolled back (nothing of it is written), the chunks before it stay loaded
with their checkpoints, and the same command run again ends with the warehouse and lake a clean run builds.

One real `wirehouse run` over PolNeAR articles in two chunks of records, each extracted as a large task and a small
one: it is held (WIREHOUSE_PAUSE_AT=extract, flows/tasks.py) when the second chunk's small task is done, while the
large one is still extracting, and then sent SIGTERM. Before the fix the run went on until the large task was done.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import duckdb
import pytest

from tests.bad_inputs.harness import WIREHOUSE, cli_env, paused_run
from tests.flows.test_crash import lake_state, warehouse_state
from warehouse.load import warehouse_path

RUN_DATE = "2025-09-04"
# Two chunks of records; each extracts as one task of LARGE_TASK articles and one of the rest.
CHUNK_RECORDS = 124
LARGE_TASK = 120
# Before the fix the run stopped only once the large task was done: 20 s or more here.
STOPS_WITHIN_SECONDS = 10
# The pauses before the SIGTERM: the first chunk's two tasks, then the second chunk's small one.
PAUSES = 3

pytestmark = pytest.mark.corpus


def command(inbox: Path, home: Path) -> list:
    return [
        "run",
        "--inbox",
        inbox,
        "--home",
        home,
        "--run-date",
        RUN_DATE,
        "--chunk-records",
        CHUNK_RECORDS,
        "--chunk-size",
        LARGE_TASK,
    ]


def wait_for(path: Path, process: subprocess.Popen, seconds: float = 300) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None and time.monotonic() < deadline, f"the run never paused (exit {process.poll()})"
        time.sleep(0.05)


def loaded_files(home: Path) -> int:
    con = duckdb.connect(str(warehouse_path(home)), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM ingested_files").fetchone()[0]
    finally:
        con.close()


@pytest.fixture(scope="module")
def stopped(corpus, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("sigterm")
    inbox, home, reference = root / "inbox", root / "home", root / "reference"
    inbox.mkdir()
    for path in sorted((corpus / "polnear" / "train" / "text").glob("*.txt"))[: 2 * CHUNK_RECORDS]:
        shutil.copy(path, inbox / path.name)
    env = {"WIREHOUSE_WORKERS": "2"}
    clean = subprocess.run(
        [str(WIREHOUSE), *map(str, command(inbox, reference))], env=cli_env(**env), capture_output=True, timeout=900
    )
    assert clean.returncode == 0, clean.stdout + clean.stderr

    seen = {}
    os.environ.update(env)  # paused_run's environment is cli_env's, read from os.environ
    try:
        with paused_run(command(inbox, home), "extract", root) as run:
            marker = root / "paused-at-extract"
            for _ in range(PAUSES - 1):
                marker.unlink()
                wait_for(marker, run)
            os.kill(run.pid, signal.SIGTERM)
            sent = time.monotonic()
            marker.unlink()  # the small task's pause lets go; the large one is still extracting
            try:
                seen["exit"] = run.wait(timeout=300)
            except subprocess.TimeoutExpired:
                seen["exit"] = None
            seen["stopped_after_seconds"] = time.monotonic() - sent
    finally:
        for name in env:
            os.environ.pop(name, None)
    seen["loaded_files_after_stop"] = loaded_files(home)
    seen["output"] = (root / "run-paused-at-extract.log").read_text()
    rerun = subprocess.run(
        [str(WIREHOUSE), *map(str, command(inbox, home))], env=cli_env(**env), capture_output=True, timeout=900
    )
    seen["rerun_exit"] = rerun.returncode
    seen["after_rerun"], seen["lake_after_rerun"] = warehouse_state(home), lake_state(home)
    seen["reference"], seen["lake_reference"] = warehouse_state(reference), lake_state(reference)
    return seen


def test_sigterm_during_extraction_stops_the_run_within_seconds(stopped):
    assert stopped["exit"] is not None and stopped["stopped_after_seconds"] < STOPS_WITHIN_SECONDS, stopped
    assert "Traceback" not in stopped["output"], stopped["output"]


def test_the_chunk_being_extracted_is_rolled_back_and_the_one_before_stays_loaded(stopped):
    assert stopped["loaded_files_after_stop"] == CHUNK_RECORDS


def test_rerunning_after_sigterm_gives_the_warehouse_and_lake_of_a_clean_run(stopped):
    assert stopped["rerun_exit"] == 0
    assert stopped["after_rerun"] == stopped["reference"]
    assert stopped["lake_after_rerun"] == stopped["lake_reference"]
