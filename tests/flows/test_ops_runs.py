"""Operations on real flow runs: Dask extraction equals threads, run report artifacts, rebuild from the lake,
failed runs (warehouse locked, lake unreachable) recorded with their reason, and `wirehouse status`."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest
from typer.testing import CliRunner

from tests.conftest import DEMO_INBOX
from transforms.schema import ARTICLE_TABLES
from warehouse.load import warehouse_path

RUN_DATE = date(2025, 9, 4)
EXTRACTED = ("sources", "quotes", "events")
# Columns that name the run, not the data: they differ between two runs over the same input. The clusters across
# articles depend on the other articles loaded too: the runs compared here load different sets.
RUN_COLUMNS = {"run_id", "ingested_at", "quote_cluster_id", "event_cluster_id"}


@pytest.fixture(scope="module")
def small_inbox(tmp_path_factory) -> Path:
    inbox = tmp_path_factory.mktemp("ops") / "inbox"
    shutil.copytree(DEMO_INBOX / "seed", inbox / "seed")
    for path in sorted((DEMO_INBOX / "newsplease").glob("*.json"))[:5]:
        shutil.copy(path, inbox / path.name)
    return inbox


def rows_by_id(home: Path, table: str, key: str) -> dict[str, dict]:
    con = duckdb.connect(str(warehouse_path(home)), read_only=True)
    try:
        frame = pl.from_arrow(con.sql(f"SELECT * FROM {table}").to_arrow_table())
    finally:
        con.close()
    frame = frame.drop([c for c in frame.columns if c in RUN_COLUMNS])
    return {row[key]: row for row in frame.iter_rows(named=True)}


def snapshot(home: Path) -> dict[str, list]:
    con = duckdb.connect(str(warehouse_path(home)), read_only=True)
    try:
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}
    finally:
        con.close()


@pytest.fixture(scope="module")
def threads_run(prefect_server, small_inbox, tmp_path_factory):
    """One nightly run on the threads runner, in small chunks so several extract tasks run."""
    from flows.nightly import nightly

    home = tmp_path_factory.mktemp("threads") / "home"
    state = nightly(inbox=small_inbox, home=home, run_date=RUN_DATE, runner="threads", chunk_size=2, return_state=True)
    assert state.is_completed(), state.message
    return home, state


def task_runs_named(flow_run_id, name: str) -> list:
    """The task runs of a run's flow run and of its chunks' flow runs (flows/nightly.py load_chunk)."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import (
        FlowRunFilter,
        FlowRunFilterId,
        FlowRunFilterParentFlowRunId,
        TaskRunFilter,
        TaskRunFilterName,
    )

    with get_client(sync_client=True) as client:
        chunks = client.read_flow_runs(
            flow_run_filter=FlowRunFilter(parent_flow_run_id=FlowRunFilterParentFlowRunId(any_=[flow_run_id]))
        )
        return client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id, *(c.id for c in chunks)])),
            task_run_filter=TaskRunFilter(name=TaskRunFilterName(like_=name)),
        )


def test_worker_processes_inherit_the_flows_api_url(prefect_server, monkeypatch):
    """On Prefect's temporary server each spawned worker would otherwise start a server of its own."""
    from prefect import flow
    from prefect.client.orchestration import get_client

    from flows.runners import worker_environment

    monkeypatch.delenv("PREFECT_API_URL", raising=False)

    @flow
    def api_seen_by_a_child() -> tuple[str, str]:
        with get_client(sync_client=True) as client:
            own = str(client.api_url)
        with worker_environment():
            child = subprocess.run(
                [sys.executable, "-c", "import os; print(os.environ['PREFECT_API_URL'])"],
                capture_output=True,
                text=True,
                check=True,
            ).stdout.strip()
        return own, child

    own, child = api_seen_by_a_child()
    assert child == own
    assert "PREFECT_API_URL" not in os.environ


def test_a_temporary_server_started_before_prefect_is_stopped_where_settings_name_an_api(prefect_server):
    """The CLI starts Prefect's temporary server before it imports Prefect; where Prefect's settings name an API
    after all (here the test server's), `using` stops it and the run talks to that API."""
    from prefect.settings import PREFECT_API_URL

    from flows import prefect_server

    configured = PREFECT_API_URL.value()
    stopped = []

    class StartedEarly:
        def stop(self) -> None:
            stopped.append(True)

    with prefect_server.using(StartedEarly()):
        used = PREFECT_API_URL.value()
    assert stopped == [True] and used == configured


def test_dask_runner_on_a_local_two_worker_cluster_equals_threads(threads_run, small_inbox, tmp_path, monkeypatch):
    from flows.nightly import nightly

    threads_home, _ = threads_run
    monkeypatch.setenv("WIREHOUSE_WORKERS", "2")
    monkeypatch.delenv("WIREHOUSE_DASK_ADDRESS", raising=False)
    dask_home = tmp_path / "dask-home"
    state = nightly(
        inbox=small_inbox, home=dask_home, run_date=RUN_DATE, runner="dask", chunk_size=2, return_state=True
    )
    assert state.is_completed(), state.message
    summary = state.result()
    assert summary["runner"] == "dask (local cluster, 2 worker processes)"
    articles = summary["table_rows"]["articles"]
    assert articles == 6
    # One extract task run per chunk of 2 articles, run by the Dask workers.
    extract_runs = task_runs_named(state.state_details.flow_run_id, "extract")
    assert len(extract_runs) == 3 and all(r.state.is_completed() for r in extract_runs)

    for table, key in (
        ("articles", "article_id"),
        ("sources", "source_id"),
        ("quotes", "quote_id"),
        ("events", "event_id"),
    ):
        on_threads, on_dask = rows_by_id(threads_home, table, key), rows_by_id(dask_home, table, key)
        assert on_threads, table
        assert set(on_dask) == set(on_threads), table
        assert on_dask == on_threads, table


def test_run_report_artifact_has_the_numbers(threads_run):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    from flows.report import REPORT_KEY, TABLE_KEY

    home, state = threads_run
    summary = state.result()
    with get_client(sync_client=True) as client:
        artifacts = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[state.state_details.flow_run_id]))
        )
    by_key = {a.key: a for a in artifacts}
    assert {REPORT_KEY, TABLE_KEY} <= set(by_key)
    markdown = by_key[REPORT_KEY].data
    assert by_key[REPORT_KEY].type == "markdown"
    for heading in (
        "## Rows per table",
        "## Validation (Great Expectations)",
        "## Top quarantine reasons",
        "## Time per stage",
    ):
        assert heading in markdown
    a = summary["accounting"]
    assert (
        f"| records | {a['records_read']} | {a['loaded']} | {a['duplicates']} | {a['skipped']} | {a['quarantined']} |"
        in markdown
    )
    quotes = summary["table_rows"]["quotes"]
    quarantined_quotes = summary["quarantined_rows"].get("quotes", 0)
    assert f"| quotes | {quotes + quarantined_quotes} | {quotes} | 0 | 0 | {quarantined_quotes} |" in markdown
    # One line per expectation of every suite, with its result.
    from expectations.validate import suite_expectations

    expected_lines = sum(len(suite_expectations(t.name)) for t in ARTICLE_TABLES)
    assert len(summary["expectations"]) == expected_lines
    assert markdown.count("| pass |") + markdown.count("| FAIL |") == expected_lines
    for stage in ("ingest", "normalise", "extract", "validate", "write", "load"):
        assert f"| {stage} |" in markdown
    assert "articles/s" in markdown

    table = by_key[TABLE_KEY]
    assert table.type == "table"
    rows = json.loads(table.data) if isinstance(table.data, str) else table.data
    assert {r["table"]: r["loaded"] for r in rows} == {"records": a["loaded"], **summary["table_rows"]}

    # GX data docs of the validation, in HOME/reports and linked from the report.
    index = home / "reports" / "data_docs" / "index.html"
    assert index.exists() and summary["data_docs"] == str(index.resolve())
    assert index.resolve().as_uri() in markdown
    assert any((home / "reports" / "data_docs" / "validations").rglob("*.html"))
    assert (home / "reports" / "runs" / f"{summary['run_id']}.md").read_text() == markdown


def test_rebuild_reproduces_the_warehouse_from_the_lake(threads_run, tmp_path):
    from flows.cli import app

    home, _ = threads_run
    copy = tmp_path / "home"
    shutil.copytree(home, copy)
    before = snapshot(copy)
    assert before["articles"] and before["runs"] and before["ingested_files"]

    # From nothing: only the lake is left.
    warehouse_path(copy).unlink()
    result = CliRunner().invoke(app, ["rebuild", "--home", str(copy)])
    assert result.exit_code == 0, result.output
    assert snapshot(copy) == before

    # Over an existing warehouse: swapped in whole, nothing left beside it.
    con = duckdb.connect(str(warehouse_path(copy)))
    con.execute("DELETE FROM quotes")
    con.close()
    result = CliRunner().invoke(app, ["rebuild", "--home", str(copy), "--lake", str(copy / "lake")])
    assert result.exit_code == 0, result.output
    assert snapshot(copy) == before
    assert not [p.name for p in copy.iterdir() if ".rebuild-" in p.name]


def test_status_prints_runs_counts_state_and_size(threads_run):
    from flows.cli import app

    home, state = threads_run
    result = CliRunner().invoke(app, ["status", "--home", str(home)])
    assert result.exit_code == 0, result.output
    summary = state.result()
    assert summary["run_id"] in result.output and "completed" in result.output
    assert "warehouse" in result.output and ("MiB" in result.output or "KiB" in result.output)


def test_rows_an_older_wirehouse_loaded_without_clusters_get_theirs_at_rebuild(threads_run, tmp_path):
    """A home whose lake an older wirehouse wrote (no cluster ids, no MinHash bands): status names the rows, and
    `rebuild` clusters them as the runs would have, in the same groups."""
    from flows.cli import app

    home = tmp_path / "old-home"
    shutil.copytree(threads_run[0], home)
    con = duckdb.connect(str(warehouse_path(home)))
    groups_before = cluster_groups(con)
    con.close()
    for table, columns in (("quotes", ["quote_cluster_id", "minhash_bands"]), ("events", ["event_cluster_id"])):
        for path in (home / "lake" / table).rglob("*.parquet"):
            pl.read_parquet(path).drop(columns).write_parquet(path)
    rebuilt = CliRunner().invoke(app, ["rebuild", "--home", str(home), "--lake", str(home / "lake")])
    assert rebuilt.exit_code == 0, rebuilt.output
    assert "clustered across articles" in rebuilt.output
    con = duckdb.connect(str(warehouse_path(home)))
    assert con.execute("SELECT count(*) FROM quotes WHERE quote_cluster_id IS NULL").fetchone()[0] == 0
    assert con.execute("SELECT count(*) FROM events WHERE event_cluster_id IS NULL").fetchone()[0] == 0
    assert cluster_groups(con) == groups_before
    # A home rebuilt before this layer existed: status says which rows carry no cluster and what clusters them.
    con.execute("UPDATE events SET event_cluster_id = NULL")
    events = con.execute("SELECT count(*) FROM events").fetchone()[0]
    con.close()
    result = CliRunner().invoke(app, ["status", "--home", str(home)])
    assert f"{events} events loaded before cross-article clusters" in " ".join(result.output.split())


def cluster_groups(con: duckdb.DuckDBPyConnection) -> dict[str, set[frozenset[str]]]:
    """Each kind's clusters as sets of their members (the grouping, whatever the ids)."""
    return {
        table: {
            frozenset(members)
            for (members,) in con.execute(
                f"SELECT list({key}) FROM {table} GROUP BY coalesce((SELECT root FROM cluster_roots r "
                f"WHERE r.cluster_id = {column}), {column})"
            ).fetchall()
        }
        for table, key, column in (
            ("quotes", "quote_id", "quote_cluster_id"),
            ("events", "event_id", "event_cluster_id"),
        )
    }


def fast_retries(monkeypatch, *names: str) -> None:
    """Storage tasks retry once without waiting (the real backoff is 2, 4, 8 s)."""
    from flows import tasks

    for name in names:
        monkeypatch.setattr(tasks, name, getattr(tasks, name).with_options(retries=1, retry_delay_seconds=0))


def lake_runs(lake: Path) -> pl.DataFrame:
    return pl.concat([pl.read_parquet(p) for p in sorted((lake / "runs").glob("run_id=*/data.parquet"))])


def test_locked_warehouse_fails_the_run_clearly_and_records_it(prefect_server, threads_run, tmp_path, monkeypatch):
    from flows.cli import app
    from flows.nightly import nightly

    home = tmp_path / "home"
    shutil.copytree(threads_run[0], home)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(sorted((DEMO_INBOX / "newsplease").glob("*.json"))[7], inbox / "new.json")
    monkeypatch.setenv("WIREHOUSE_LOCK_WAIT_SECONDS", "0.5")
    fast_retries(monkeypatch, "discard_interrupted_runs", "find_new_files", "load_warehouse")
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('held', flush=True); time.sleep(120)",
            str(warehouse_path(home)),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        state = nightly(inbox=inbox, home=home, run_date=RUN_DATE, return_state=True)
    finally:
        holder.kill()
        holder.wait()
    assert state.is_failed()
    assert "warehouse locked" in state.message and "locked by another process" in state.message
    # The warehouse could not take the row; the lake did, and a rebuild brings it into `runs`.
    failed = lake_runs(home / "lake").filter(pl.col("status") == "failed")
    assert failed.height == 1 and failed["message"][0].startswith("warehouse locked")
    result = CliRunner().invoke(app, ["rebuild", "--home", str(home)])
    assert result.exit_code == 0, result.output
    con = duckdb.connect(str(warehouse_path(home)), read_only=True)
    assert con.execute(
        "SELECT status, message LIKE 'warehouse locked%' FROM runs WHERE status = 'failed'"
    ).fetchall() == [("failed", True)]
    con.close()
    status = CliRunner().invoke(app, ["status", "--home", str(home)])
    assert "failed" in status.output and "warehouse locked" in status.output


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_unreachable_lake_fails_before_extraction_and_is_recorded(prefect_server, threads_run, tmp_path, monkeypatch):
    from flows.nightly import nightly

    home = tmp_path / "home"
    shutil.copytree(threads_run[0], home)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(sorted((DEMO_INBOX / "newsplease").glob("*.json"))[8], inbox / "new.json")
    # An S3 endpoint on loopback where nothing listens.
    monkeypatch.setenv(
        "WIREHOUSE_LAKE_OPTIONS",
        json.dumps(
            {
                "endpoint_url": f"http://127.0.0.1:{closed_port()}",
                "key": "testing",
                "secret": "testing",
                "config_kwargs": {"retries": {"max_attempts": 1}, "connect_timeout": 2},
            }
        ),
    )
    fast_retries(monkeypatch, "discard_interrupted_runs", "check_lake")
    lake = "s3://wirehouse-nowhere/lake"
    state = nightly(inbox=inbox, home=home, run_date=RUN_DATE, lake=lake, return_state=True)
    assert state.is_failed()
    assert f"lake storage {lake} is unreachable" in state.message
    con = duckdb.connect(str(warehouse_path(home)), read_only=True)
    rows = con.execute("SELECT status, message, stage_seconds FROM runs WHERE status = 'failed'").fetchall()
    con.close()
    assert len(rows) == 1 and f"lake storage {lake} is unreachable" in rows[0][1]
    assert "extract" not in json.loads(rows[0][2])  # it stopped before spending time on extraction


def test_cli_runs_extraction_on_an_existing_dask_cluster(threads_run, small_inbox, tmp_path):
    """`wirehouse run --runner dask --dask-address tcp://…`: a cluster started apart from the run (2 worker
    processes), one article per task; the rows equal the threads run's for the same articles."""
    from distributed import LocalCluster

    from flows.cli import app

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for path in sorted(small_inbox.glob("*.json"))[:2]:
        shutil.copy(path, inbox / path.name)
    home = tmp_path / "home"
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        result = CliRunner().invoke(
            app,
            [
                "run",
                "--inbox",
                str(inbox),
                "--home",
                str(home),
                "--run-date",
                RUN_DATE.isoformat(),
                "--runner",
                "dask",
                "--dask-address",
                cluster.scheduler_address,
                "--chunk-size",
                "1",
            ],
        )
        assert result.exit_code == 0, result.output
        # The run used the existing cluster (2 worker processes), not one of its own.
        assert len(cluster.scheduler_info["workers"]) == 2
    threads_home, _ = threads_run
    loaded = rows_by_id(home, "articles", "article_id")
    assert len(loaded) == 2
    for table, key in (("sources", "source_id"), ("quotes", "quote_id"), ("events", "event_id")):
        on_dask = rows_by_id(home, table, key)
        on_threads = {k: v for k, v in rows_by_id(threads_home, table, key).items() if v["article_id"] in loaded}
        assert on_dask == on_threads, table


def test_storage_tasks_retry_a_transient_failure(prefect_server, tmp_path, monkeypatch):
    """A lake write that fails once (a dropped connection) is retried by Prefect and the task succeeds."""
    from prefect import flow

    from flows import tasks
    from transforms.schema import RUNS, conform
    from warehouse import lake as lake_io

    assert tasks.record_run_in_lake.retries == 3 and tasks.write_lake.retries == 3
    assert tasks.load_warehouse.retries == 3 and tasks.check_lake.retries == 3
    assert list(tasks.write_lake.retry_delay_seconds) == [2, 4, 8]  # exponential backoff (plus jitter)

    calls = []
    real_write = lake_io.write_run_tables

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise ConnectionResetError("connection reset by peer")
        return real_write(*args, **kwargs)

    monkeypatch.setattr(lake_io, "write_run_tables", flaky)
    task = tasks.record_run_in_lake.with_options(retry_delay_seconds=0)
    row = conform([{"run_id": "r1", "flow": "nightly", "status": "completed"}], RUNS)

    @flow
    def write_once(lake: str):
        return task(lake, "r1", row, return_state=True)

    state = write_once(str(tmp_path / "lake"))
    assert state.is_completed() and len(calls) == 2
    assert pl.read_parquet(tmp_path / "lake" / "runs" / "run_id=r1" / "data.parquet")["status"].to_list() == [
        "completed"
    ]


def test_cli_on_prefect_temporary_server_with_worker_processes(threads_run, small_inbox, tmp_path):
    """`wirehouse run --runner processes` with no Prefect API configured, as on a fresh machine: the CLI starts
    the temporary server itself, and nothing else starts another (Prefect announces each one it starts at INFO:
    the worker processes and the runner's message thread all use the CLI's); the rows equal the threads run's."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for path in sorted(small_inbox.glob("*.json"))[:2]:
        shutil.copy(path, inbox / path.name)
    home = tmp_path / "home"
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_API")}
    env.update(PREFECT_HOME=str(tmp_path / "prefect"), WIREHOUSE_WORKERS="2", PREFECT_LOGGING_LEVEL="INFO")
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "flows.cli",
            "run",
            "--inbox",
            str(inbox),
            "--home",
            str(home),
            "--runner",
            "processes",
            "--chunk-size",
            "1",
            "--run-date",
            RUN_DATE.isoformat(),
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "(completed)" in done.stdout
    assert "Starting temporary server" not in done.stdout + done.stderr
    for table, key in (("sources", "source_id"), ("quotes", "quote_id"), ("events", "event_id")):
        on_processes = rows_by_id(home, table, key)
        on_threads = rows_by_id(threads_run[0], table, key)
        assert on_processes and all(on_threads[k] == row for k, row in on_processes.items()), table
