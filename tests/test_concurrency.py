"""Concurrency: one run per home at a time, across processes, with no stale lock after a crash; readers during a
load wait, then see the whole load or none of it, or say why they cannot read.

The other run is a real `wirehouse run` process held inside a stage by the WIREHOUSE_PAUSE_AT hook.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.lock import LOCK_FILE, HomeLocked, home_lock
from tests.bad_inputs.harness import WIREHOUSE, cli_env, paused_run
from tests.conftest import DEMO_INBOX
from warehouse.load import WarehouseBusy, connect

RUN_DATE = date(2025, 9, 4)
# Counts that are consistent only if a load is seen whole: the articles and the runs that loaded them.
SNAPSHOT_SQL = ("SELECT (SELECT count(*) FROM articles) AS articles, "
                "(SELECT sum(loaded) FROM runs WHERE status = 'completed') AS loaded, (SELECT count(*) FROM runs) AS runs")


@pytest.fixture
def inboxes(tmp_path) -> tuple[Path, Path]:
    first, second = tmp_path / "inbox-1", tmp_path / "inbox-2"
    shutil.copytree(DEMO_INBOX / "seed", first / "seed")
    shutil.copytree(first, second)
    for path in sorted((DEMO_INBOX / "newsplease").glob("*.json"))[:3]:
        shutil.copy(path, second / path.name)
    return first, second


def run_args(inbox: Path, home: Path) -> list:
    return ["run", "--inbox", inbox, "--home", home, "--run-date", RUN_DATE.isoformat()]


def test_a_second_run_is_refused_while_one_runs_and_a_killed_holder_leaves_no_lock(prefect_server, inboxes, tmp_path):
    _, inbox = inboxes
    home = tmp_path / "home"
    with paused_run(run_args(inbox, home), "extract", tmp_path) as holder:
        second = CliRunner().invoke(app, [str(a) for a in run_args(inbox, home)])
        assert second.exit_code == 3, second.output
        assert "another run holds this home since" in " ".join(second.output.split())
        assert f"pid {holder.pid}" in " ".join(second.output.split())
        with pytest.raises(HomeLocked):
            with home_lock(home, purpose="test"):
                pass
        owner = json.loads((home / LOCK_FILE).read_text())
        assert owner["pid"] == holder.pid and owner["since"]
    # SIGKILLed: no cleanup code ran, yet the lock is free (the kernel dropped the holder's flock).
    with home_lock(home, purpose="after the crash"):
        assert json.loads((home / LOCK_FILE).read_text())["purpose"] == "after the crash"


def test_readers_during_a_load_wait_then_see_all_of_it_or_say_why_they_cannot(prefect_server, inboxes, tmp_path):
    from flows.nightly import nightly

    first, second = inboxes
    home = tmp_path / "home"
    nightly(inbox=first, home=home, run_date=RUN_DATE)
    with connect(home, read_only=True) as con:
        before = con.execute(SNAPSHOT_SQL).fetchone()

    with paused_run(run_args(second, home), "load", tmp_path) as loader:
        # A reader that may not wait long is told why, without touching the file.
        with pytest.raises(WarehouseBusy, match="locked by another process"):
            with connect(home, read_only=True, wait_seconds=0.5):
                pass
        impatient = CliRunner().invoke(app, ["sql", "--home", str(home), "SELECT 1"], env={"WIREHOUSE_LOCK_WAIT_SECONDS": "0.5"})
        assert impatient.exit_code == 3 and "locked by another process" in " ".join(impatient.output.split())

        # A patient one (the default wait) is still waiting when the load goes on, then reads the committed load.
        reader = subprocess.Popen([str(WIREHOUSE), "sql", "--home", str(home), "--format", "json", SNAPSHOT_SQL],
                                  env=cli_env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(3)
        assert reader.poll() is None, reader.communicate()
        (tmp_path / "paused-at-load").unlink()
        output, errors = reader.communicate(timeout=120)
        assert reader.returncode == 0, errors
        assert loader.wait(timeout=120) == 0

    (after,) = json.loads(output)
    assert after["articles"] == after["loaded"] > before[0]
    assert after["runs"] == before[2] + 1
