"""Crash safety and concurrency, on real `wirehouse run` processes held inside a stage by the WIREHOUSE_PAUSE_AT
hook (flows/tasks.py).

One scenario, to keep subprocess runs few: on a home after its first night, the second night's run is stopped in
extraction (SIGKILL of the run's own process only: its Prefect server must end by itself and a caller reading its
output must see end of file; while it holds the home, a second run, in-process and as a process sharing its
Prefect home, and the lock are tried), in the lake write (SIGKILL of its process group), and inside the load
transaction (SIGKILL of the group while impatient readers are tried; then SIGTERM, which must stop it within
seconds); then the same command runs once more, held inside its load while a patient reader waits, and is let
go. The tests check what the scenario observed against a reference home that ran both nights without
interruption.
"""

from __future__ import annotations

import gzip
import json
import os
import select
import shutil
import signal
import subprocess
import time
from collections import Counter
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import psutil
import pytest
from typer.testing import CliRunner

from flows.cli import app
from flows.lock import LOCK_FILE, HomeLocked, home_lock
from tests.bad_inputs.harness import WIREHOUSE, cli_env, kill_group, paused_run
from tests.conftest import DEMO_INBOX
from transforms.schema import ARTICLE_TABLES, TABLES
from warehouse.load import WarehouseBusy, connect, warehouse_path

RUN_DATE = date(2025, 9, 4)
NEWSPLEASE = sorted((DEMO_INBOX / "newsplease").glob("*.json"))
# Where a run is stopped and how: SIGKILL of the run's process alone, of its whole process group, or SIGTERM.
STOPS = (("extract", "kill-run"), ("write", "kill-group"), ("load", "kill-group"), ("load", "term"))
STOP_IDS = [f"{stage}-{how}" for stage, how in STOPS]
# How long what a dead run leaves may take to end (its Prefect server), and a SIGTERMed run to stop.
ENDS_WITHIN_SECONDS = 30
# Loaded into the second run's process (sitecustomize): every module it imports and process it starts, logged.
IMPORT_LOG_SITECUSTOMIZE = """
import os, sys

_log = open(os.environ["WIREHOUSE_IMPORT_LOG"], "a")


def _audit(event, args):
    if event == "import":
        _log.write(f"import {args[0]}\\n")
    elif event == "subprocess.Popen":
        _log.write(f"process {args[1]}\\n")
    _log.flush()


sys.addaudithook(_audit)
"""
# Counts that agree only if a load is seen whole: the articles and the runs that loaded them.
SNAPSHOT_SQL = (
    "SELECT (SELECT count(*) FROM articles) AS articles, "
    "(SELECT sum(loaded) FROM runs WHERE status = 'completed') AS loaded, (SELECT count(*) FROM runs) AS runs"
)


def make_inboxes(root: Path) -> tuple[Path, Path]:
    """The first night's inbox, and the second night's: the same files plus new ones (articles, a broken line,
    an article dated in the future, a copy of a loaded article)."""
    first, second = root / "inbox-1", root / "inbox-2"
    shutil.copytree(DEMO_INBOX / "seed", first / "seed")
    for path in NEWSPLEASE[:2]:
        shutil.copy(path, first / path.name)
    shutil.copytree(first, second)
    for path in NEWSPLEASE[2:6]:
        shutil.copy(path, second / path.name)
    with gzip.open(DEMO_INBOX / "panama-papers.jsonl.gz", "rt") as handle:
        lines = handle.read().splitlines()[:3]
    (second / "drop.jsonl").write_text(lines[0] + '\n{"text": "cut of\n' + lines[1] + "\n" + lines[2] + "\n")
    future = {**json.loads(NEWSPLEASE[6].read_text()), "date_publish": "2999-01-01"}
    (second / "future.json").write_text(json.dumps(future))
    (second / "copy.json").write_text(json.dumps({"text": json.loads(NEWSPLEASE[0].read_text())["text"]}))
    return first, second


def run(inbox: Path, home: Path) -> dict:
    from flows.nightly import nightly

    return nightly(inbox=inbox, home=home, run_date=RUN_DATE)


def warehouse_state(home: Path) -> dict:
    """What must match between two homes: ids and rows of every table, bookkeeping without run ids and times."""
    con = duckdb.connect(str(warehouse_path(home)), read_only=True)
    try:
        state = {
            t.name: sorted(r[0] for r in con.execute(f"SELECT {t.key} FROM {t.name}").fetchall())
            for t in ARTICLE_TABLES
        }
        queries = {
            "quarantine": "SELECT table_name, source_uri, reason FROM quarantine",
            "skipped": "SELECT source_uri, reason FROM skipped",
            "duplicates": "SELECT source_uri, article_id, duplicate_of, kind FROM duplicates",
            "ingested_files": "SELECT path, sha256, records FROM ingested_files",
            "runs": "SELECT status, files_read, records_read, loaded, duplicates, skipped, quarantined, quotes_rows FROM runs",
        }
        state.update({name: sorted(con.execute(sql).fetchall()) for name, sql in queries.items()})
        return state
    finally:
        con.close()


def lake_state(home: Path) -> dict[str, Counter]:
    """Rows (and keys, for article tables) per table in the lake's visible partition files, each read whole."""
    state = {}
    for table in TABLES.values():
        frames = [pl.read_parquet(f) for f in sorted((home / "lake" / table.name).glob("*/*.parquet"))]
        keys = [k for frame in frames for k in frame[table.key].to_list()] if table.partition else []
        state[table.name] = Counter({"rows": sum(f.height for f in frames), **Counter(keys)})
    return state


def words(text: str) -> str:
    return " ".join(text.split())


def prefect_servers(run: subprocess.Popen) -> list[psutil.Process]:
    return [p for p in psutil.Process(run.pid).children(recursive=True) if "flows.prefect_server" in p.cmdline()]


def ended(processes: list[psutil.Process]) -> bool:
    _, alive = psutil.wait_procs(processes, timeout=ENDS_WITHIN_SECONDS)
    return not alive


def sees_end_of_file(run: subprocess.Popen) -> bool:
    """Whether a caller reading the run's output reaches its end (nothing else holds the pipe open)."""
    deadline = time.monotonic() + ENDS_WITHIN_SECONDS
    while time.monotonic() < deadline:
        ready, _, _ = select.select([run.stdout], [], [], 0.5)
        if ready and not os.read(run.stdout.fileno(), 65536):
            return True
    return False


def second_process(args: list, root: Path) -> dict:
    """`wirehouse run` as a process of its own, sharing the holder's Prefect home, with its imports logged."""
    guard, log = root / "import-log", root / "imports.log"
    guard.mkdir(exist_ok=True)
    (guard / "sitecustomize.py").write_text(IMPORT_LOG_SITECUSTOMIZE)
    done = subprocess.run(
        [str(WIREHOUSE), *map(str, args)],
        env=cli_env(PYTHONPATH=str(guard), WIREHOUSE_IMPORT_LOG=str(log)),
        capture_output=True,
        text=True,
        timeout=300,
    )
    lines = log.read_text().splitlines()
    return {
        "exit": done.returncode,
        "output": words(done.stdout + done.stderr),
        "imported": {line.split()[1].split(".")[0] for line in lines if line.startswith("import ")},
        "processes": [line for line in lines if line.startswith("process ")],
    }


@pytest.fixture(scope="module")
def scenario(prefect_server, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("crash")
    first, second = make_inboxes(root)
    reference, home = root / "reference", root / "home"
    run(first, reference)
    shutil.copytree(reference, home)
    summary = run(second, reference)
    assert summary["accounting"]["loaded"] > 0 and summary["accounting"]["quarantined"] >= 2
    assert summary["accounting"]["duplicates"] == 1

    seen = {"before": warehouse_state(home), "lake_before": lake_state(home), "after_kill": {}, "lake_after_kill": {}}
    with connect(home, read_only=True) as con:
        seen["snapshot_before"] = dict(zip(("articles", "loaded", "runs"), con.execute(SNAPSHOT_SQL).fetchone()))
    args = ["run", "--inbox", second, "--home", home, "--run-date", RUN_DATE.isoformat()]
    for stage, how in STOPS:
        stop = f"{stage}-{how}"
        with paused_run(args, stage, root, pipe=how != "kill-group") as holder:
            servers = prefect_servers(holder)
            if stage == "extract":
                second_run = CliRunner().invoke(app, [str(a) for a in args])
                seen["second_run"] = (second_run.exit_code, words(second_run.output), holder.pid)
                seen["second_process"] = second_process(args, root)
                seen["lock_owner"] = json.loads((home / LOCK_FILE).read_text())
                try:
                    with home_lock(home, purpose="while held"):
                        seen["lock_taken_while_held"] = True
                except HomeLocked:
                    seen["lock_taken_while_held"] = False
            if stop == "load-kill-group":
                try:
                    with connect(home, read_only=True, wait_seconds=0.5):
                        seen["impatient_connect"] = "connected"
                except WarehouseBusy as exc:
                    seen["impatient_connect"] = str(exc)
                impatient = CliRunner().invoke(
                    app, ["sql", "--home", str(home), "SELECT 1"], env={"WIREHOUSE_LOCK_WAIT_SECONDS": "0.5"}
                )
                seen["impatient_sql"] = (impatient.exit_code, words(impatient.output))
            if how == "kill-run":
                os.kill(holder.pid, signal.SIGKILL)
                seen["orphans"] = {"servers": len(servers), "ended": ended(servers), "eof": sees_end_of_file(holder)}
            elif how == "term":
                os.kill(holder.pid, signal.SIGTERM)
                try:
                    code = holder.wait(timeout=ENDS_WITHIN_SECONDS)
                except subprocess.TimeoutExpired:
                    code = None
                seen["terminated"] = {"exit": code, "servers_ended": ended(servers), "output": holder.stdout.read()}
            kill_group(holder)
        # Left the block: stopped, with its Prefect server; after a SIGKILL no cleanup code of its ran.
        seen["after_kill"][stop] = warehouse_state(home)
        seen["lake_after_kill"][stop] = lake_state(home)
        if stage == "extract":
            with home_lock(home, purpose="after the crash"):
                seen["lock_after_kill"] = json.loads((home / LOCK_FILE).read_text())["purpose"]

    # The same command once more, held inside its load while a patient reader (the default wait) waits.
    with paused_run(args, "load", root) as rerun:
        reader = subprocess.Popen(
            [str(WIREHOUSE), "sql", "--home", str(home), "--format", "json", SNAPSHOT_SQL],
            env=cli_env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        time.sleep(3)
        seen["reader_waited"] = reader.poll() is None
        (root / "paused-at-load").unlink()
        output, errors = reader.communicate(timeout=120)
        seen["reader"] = (reader.returncode, json.loads(output) if reader.returncode == 0 else errors)
        seen["rerun_exit"] = rerun.wait(timeout=300)
    seen["after_rerun"], seen["lake_after_rerun"] = warehouse_state(home), lake_state(home)
    seen["reference"], seen["lake_reference"] = warehouse_state(reference), lake_state(reference)
    seen["temporary_files"] = list((home / "lake").rglob(".*.tmp"))
    return seen


def test_a_second_run_is_refused_while_one_holds_the_home(scenario):
    exit_code, output, holder_pid = scenario["second_run"]
    assert exit_code == 3
    assert f"another run holds this home since {scenario['lock_owner']['since']} (pid {holder_pid}" in output
    assert scenario["lock_taken_while_held"] is False


def test_a_killed_run_leaves_no_lock_behind(scenario):
    assert scenario["lock_after_kill"] == "after the crash"


def test_a_second_process_is_refused_before_it_starts_a_server_or_loads_a_model(scenario):
    second = scenario["second_process"]
    assert second["exit"] == 3, second["output"]
    assert f"another run holds this home since {scenario['lock_owner']['since']}" in second["output"]
    assert "Traceback" not in second["output"]
    assert second["processes"] == []  # no Prefect server
    assert not second["imported"] & {"prefect", "spacy", "great_expectations", "uvicorn"}, second["imported"]


def test_a_killed_run_takes_its_prefect_server_with_it_and_its_pipe_ends(scenario):
    assert scenario["orphans"] == {"servers": 1, "ended": True, "eof": True}


def test_sigterm_stops_a_run_within_seconds_and_rolls_back_its_load(scenario):
    terminated = scenario["terminated"]
    assert terminated["exit"] is not None, terminated["output"]
    assert terminated["servers_ended"]
    assert b"Traceback" not in terminated["output"], terminated["output"]


@pytest.mark.parametrize("stop", STOP_IDS)
def test_a_run_stopped_in_a_stage_leaves_the_warehouse_as_it_was(scenario, stop):
    assert scenario["after_kill"][stop] == scenario["before"]
    # Every visible partition file read whole (lake_state); killed before the lake write, the lake is untouched.
    if stop.startswith("extract"):
        assert scenario["lake_after_kill"][stop] == scenario["lake_before"]


def test_rerunning_the_command_gives_exactly_the_warehouse_and_lake_of_an_uninterrupted_run(scenario):
    assert scenario["rerun_exit"] == 0
    assert scenario["after_rerun"] == scenario["reference"]
    assert scenario["lake_after_rerun"] == scenario["lake_reference"]
    assert scenario["temporary_files"] == []


def test_a_reader_during_a_load_is_told_why_or_waits_and_sees_the_whole_load(scenario):
    assert "locked by another process" in scenario["impatient_connect"]
    exit_code, output = scenario["impatient_sql"]
    assert exit_code == 3 and "locked by another process" in output

    assert scenario["reader_waited"]
    exit_code, result = scenario["reader"]
    assert exit_code == 0, result
    (after,) = result
    before = scenario["snapshot_before"]
    assert after["articles"] == after["loaded"] > before["articles"]
    assert after["runs"] == before["runs"] + 1
