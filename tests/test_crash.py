"""Crash safety: a run killed with SIGKILL in extraction, in the lake write or inside the load transaction leaves
the warehouse exactly as it was, no half-written partition, and rerunning the same command gives the warehouse
(and lake) an uninterrupted run gives.

The killed runs are real `wirehouse run` processes stopped in the stage by the WIREHOUSE_PAUSE_AT hook
(flows/stages.py); the reference and the reruns run in-process on the session's Prefect test server.
"""

from __future__ import annotations

import gzip
import json
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests.bad_inputs.harness import paused_run
from tests.conftest import DEMO_INBOX
from transforms.schema import ARTICLE_TABLES, TABLES
from warehouse.load import warehouse_path

RUN_DATE = date(2025, 9, 4)
NEWSPLEASE = sorted((DEMO_INBOX / "newsplease").glob("*.json"))


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
    lines = gzip.open(DEMO_INBOX / "panama-papers.jsonl.gz", "rt").read().splitlines()[:3]
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
        state = {t.name: sorted(r[0] for r in con.execute(f"SELECT {t.key} FROM {t.name}").fetchall()) for t in ARTICLE_TABLES}
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
    """Rows per table in the lake's visible partition files (every one must read whole)."""
    state = {}
    for table in TABLES.values():
        files = sorted((home / "lake" / table.name).glob(f"*/data.parquet"))
        frames = [pl.read_parquet(f) for f in files]
        keys = [k for frame in frames for k in frame[table.key].to_list()] if table.partition else []
        state[table.name] = Counter({"rows": sum(f.height for f in frames), **Counter(keys)})
    return state


@pytest.fixture(scope="module")
def nights(prefect_server, tmp_path_factory):
    """(inbox of the second night, a home after the first night, the reference home after both nights)."""
    root = tmp_path_factory.mktemp("crash")
    first, second = make_inboxes(root)
    reference = root / "reference"
    run(first, reference)
    after_first = root / "after-first-night"
    shutil.copytree(reference, after_first)
    summary = run(second, reference)
    assert summary["accounting"]["loaded"] > 0 and summary["accounting"]["quarantined"] >= 2
    assert summary["accounting"]["duplicates"] == 1
    return second, after_first, reference


def test_runs_killed_in_each_stage_leave_nothing_half_done_and_the_rerun_equals_an_uninterrupted_run(nights, tmp_path):
    """Killed in extraction, then in the lake write, then inside the load transaction (debris of each kill left for
    the next), then the same command once more."""
    inbox, after_first, reference = nights
    home = tmp_path / "home"
    shutil.copytree(after_first, home)
    before = warehouse_state(home)
    lake_before = lake_state(home)

    for stage in ("extract", "write", "load"):
        with paused_run(["run", "--inbox", inbox, "--home", home, "--run-date", RUN_DATE.isoformat()], stage, tmp_path):
            pass  # SIGKILLed, with its Prefect server, on leaving the block
        assert warehouse_state(home) == before, f"killed in {stage}: the warehouse changed"
        lake_now = lake_state(home)  # reads every visible partition file whole: none is partial
        if stage == "extract":
            assert lake_now == lake_before, "killed in extraction: the lake changed"

    run(inbox, home)
    assert warehouse_state(home) == warehouse_state(reference)
    assert lake_state(home) == lake_state(reference)
    assert not list((home / "lake").rglob(".*.tmp")), "temporary partition files left behind"
