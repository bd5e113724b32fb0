"""A nightly run streams its inbox in chunks (issue 18): each chunk loads with its checkpoint, a duplicate of an
article from an earlier chunk is still a duplicate, every record is accounted once over the chunks, and a run that
dies in its second chunk is finished exactly once by the next run. Each chunk appends its own lake files, and a
rerun of records whose load failed leaves them in the lake once.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import duckdb
import polars as pl
import pytest

from tests.conftest import DEMO_INBOX
from transforms.schema import ARTICLE_TABLES, ARTICLES
from warehouse.lake import default_lake, partition_files, run_of_article_file
from warehouse.load import warehouse_path
from warehouse.rebuild import rebuild_warehouse

RUN_DATE = date(2025, 9, 4)
NEWSPLEASE = sorted((DEMO_INBOX / "newsplease").glob("*.json"))
CHUNK_RECORDS = 2


@pytest.fixture
def inbox(tmp_path) -> Path:
    """Six records, three chunks: four articles, a byte copy of the second file (a skipped record in the chunk
    that ends its original), and the first article's body again in the last chunk."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n, path in enumerate(NEWSPLEASE[:4], start=1):
        shutil.copy(path, inbox / f"{n}-{path.name}")
    shutil.copy(NEWSPLEASE[1], inbox / "5-copy.json")
    (inbox / "6-same-body.json").write_text(json.dumps({"text": json.loads(NEWSPLEASE[0].read_text())["text"]}))
    return inbox


def run(inbox: Path, home: Path) -> dict:
    from flows.nightly import nightly

    return nightly(inbox=inbox, home=home, run_date=RUN_DATE, chunk_records=CHUNK_RECORDS)


def state(home: Path) -> dict[str, list]:
    """Every table's rows that do not name a run or a time."""
    queries = {
        "articles": "SELECT article_id, source_uri FROM articles",
        "quotes": "SELECT quote_id FROM quotes",
        "events": "SELECT event_id FROM events",
        "duplicates": "SELECT source_uri, duplicate_of, kind FROM duplicates",
        "skipped": "SELECT source_uri, reason FROM skipped",
        "ingested_files": "SELECT path, records FROM ingested_files",
        "backfill_chunks": "SELECT path, first_record, records FROM backfill_chunks",
        "accounting": "SELECT sum(records_read), sum(loaded), sum(duplicates), sum(skipped), sum(quarantined) "
        "FROM runs WHERE status = 'completed'",
    }
    con = duckdb.connect(str(warehouse_path(home)), read_only=True)
    try:
        return {name: sorted(con.execute(sql).fetchall(), key=repr) for name, sql in queries.items()}
    finally:
        con.close()


def test_a_nightly_run_loads_in_chunks_and_accounts_every_record_once(prefect_server, inbox, tmp_path):
    home = tmp_path / "home"
    summary = run(inbox, home)
    assert summary["accounting"] == {"records_read": 6, "loaded": 4, "duplicates": 1, "skipped": 1, "quarantined": 0}
    assert summary["files_read"] == 6
    seen = state(home)
    # The last chunk's copy of the first article is judged against the warehouse, where chunk one put it.
    ((uri, duplicate_of, kind),) = seen["duplicates"]
    assert uri.endswith("6-same-body.json") and kind == "exact"
    assert duplicate_of in {article_id for article_id, _ in seen["articles"]}
    assert [reason for _, reason in seen["skipped"]] == [
        f"same content as {inbox / ('2-' + NEWSPLEASE[1].name)}: read once"
    ]
    assert len(seen["ingested_files"]) == 5  # one per content: the copy is its original's
    con = duckdb.connect(str(warehouse_path(home)), read_only=True)
    run_ids = [r[0] for r in con.execute("SELECT run_id FROM runs ORDER BY run_id").fetchall()]
    con.close()
    assert run_ids == [summary["run_id"], f"{summary['run_id']}-00001", f"{summary['run_id']}-00002"]


def test_a_run_killed_in_its_second_chunk_is_finished_exactly_once(prefect_server, inbox, tmp_path, monkeypatch):
    import flows.nightly as nightly_module
    from flows.nightly import RunFailed

    clean = tmp_path / "clean"
    run(inbox, clean)

    real_process_batch = nightly_module.process_batch
    calls = []

    def crash_in_the_second_chunk(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("simulated crash in the second chunk")
        return real_process_batch(*args, **kwargs)

    home = tmp_path / "home"
    monkeypatch.setattr(nightly_module, "process_batch", crash_in_the_second_chunk)
    with pytest.raises(RunFailed, match="simulated crash"):
        run(inbox, home)
    monkeypatch.setattr(nightly_module, "process_batch", real_process_batch)
    assert len(state(home)["articles"]) == 2  # the first chunk (and the copy's skipped record) stays loaded

    resumed = run(inbox, home)
    assert resumed["accounting"]["records_read"] == 3
    assert state(home) == state(clean)


def lake_keys(home: Path) -> dict[str, Counter]:
    """Per article table, how often each key is in the lake (every file of the table read)."""
    lake = default_lake(home)
    return {
        table.name: Counter(key for path in partition_files(lake, table) for key in pl.read_parquet(path)[table.key])
        for table in ARTICLE_TABLES
    }


def test_chunks_append_each_record_to_the_lake_once_and_a_rerun_of_them_adds_nothing(
    prefect_server, inbox, tmp_path, monkeypatch
):
    import flows.tasks as tasks
    from flows.nightly import RunFailed

    clean = tmp_path / "clean"
    run(inbox, clean)
    appended = lake_keys(clean)
    assert set(appended["articles"]) == {article_id for article_id, _ in state(clean)["articles"]}
    assert appended["quotes"] and all(set(keys.values()) <= {1} for keys in appended.values())
    files = sorted(partition_files(default_lake(clean), ARTICLES))
    # Each chunk added files of its own, named by its run; none rewrote another's.
    with duckdb.connect(str(warehouse_path(clean)), read_only=True) as con:
        chunk_runs = {run_id for (run_id,) in con.execute("SELECT DISTINCT run_id FROM articles").fetchall()}
    assert len(chunk_runs) > 1 and {run_of_article_file(path) for path in files} == chunk_runs
    run(inbox, clean)  # nothing new
    assert lake_keys(clean) == appended and sorted(partition_files(default_lake(clean), ARTICLES)) == files

    # The second chunk writes the lake and its load fails: the rerun writes those records again, and they are
    # in the lake once; a rebuild from the lake gives the warehouse the loads gave.
    real_load, loads = tasks.load_warehouse, []

    def load_failing_the_second_chunk(*args, **kwargs):
        loads.append(1)
        if len(loads) == 2:
            raise RuntimeError("simulated failure of the second chunk's load")
        return real_load(*args, **kwargs)

    home = tmp_path / "home"
    monkeypatch.setattr(tasks, "load_warehouse", load_failing_the_second_chunk)
    with pytest.raises(RunFailed, match="simulated failure"):
        run(inbox, home)
    monkeypatch.setattr(tasks, "load_warehouse", real_load)
    assert max(lake_keys(home)["articles"].values()) == 1 and len(lake_keys(home)["articles"]) == 4
    run(inbox, home)
    assert lake_keys(home) == appended
    assert state(home) == state(clean)
    rebuild_warehouse(home)
    assert state(home) == state(clean)
