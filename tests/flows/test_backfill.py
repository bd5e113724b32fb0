"""The backfill flow: archives in, chunked and checkpointed, resumable after a crash, with accounting."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from warehouse.load import warehouse_path

ID_COLUMNS = {"articles": "article_id", "sources": "source_id", "quotes": "quote_id", "events": "event_id"}


@pytest.fixture
def reuters_dump(tmp_path, corpus) -> Path:
    """60 real Reuters-21578 stories (some without a body) as one JSON array dump."""
    stories = json.loads((corpus / "reuters21578" / "reut2-003.json").read_text())[:60]
    path = tmp_path / "dump" / "reuters-slice.json"
    path.parent.mkdir()
    path.write_text(json.dumps(stories))
    return path


def backfill(paths: list[Path], home: Path, **options) -> dict:
    from flows.backfill import backfill as backfill_flow

    return backfill_flow(paths=[str(p) for p in paths], home=str(home), **options)


def ids(home: Path) -> dict[str, list[str]]:
    con = duckdb.connect(str(warehouse_path(home)), read_only=True)
    try:
        return {
            t: [r[0] for r in con.execute(f"SELECT {c} FROM {t} ORDER BY {c}").fetchall()]
            for t, c in ID_COLUMNS.items()
        }
    finally:
        con.close()


def test_killed_backfill_resumes_to_the_same_warehouse(prefect_server, reuters_dump, tmp_path, monkeypatch):
    clean = backfill([reuters_dump], tmp_path / "clean", chunk_records=20)
    accounting = clean["accounting"]
    assert clean["chunks_loaded"] == 3 and accounting["records_read"] == 60
    assert accounting["records_read"] == sum(accounting[k] for k in ("loaded", "duplicates", "skipped", "quarantined"))
    assert accounting["skipped"] > 0  # Reuters has title-only items

    import flows.nightly as nightly_module  # the chunk loop both flows run

    real_process_batch = nightly_module.process_batch
    calls = []

    def crash_on_second_chunk(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("simulated crash during the second chunk")
        return real_process_batch(*args, **kwargs)

    monkeypatch.setattr(nightly_module, "process_batch", crash_on_second_chunk)
    with pytest.raises(RuntimeError, match="simulated crash"):
        backfill([reuters_dump], tmp_path / "resumed", chunk_records=20)
    monkeypatch.setattr(nightly_module, "process_batch", real_process_batch)

    resumed = backfill([reuters_dump], tmp_path / "resumed", chunk_records=20)
    assert resumed["records_already_done"] == 20 and resumed["chunks_loaded"] == 2
    assert ids(tmp_path / "resumed") == ids(tmp_path / "clean")

    again = backfill([reuters_dump], tmp_path / "resumed", chunk_records=20)
    assert again["files_already_done"] == 1 and again["accounting"]["records_read"] == 0
    assert ids(tmp_path / "resumed") == ids(tmp_path / "clean")


def test_chunks_span_small_files_and_cut_big_ones(prefect_server, corpus, tmp_path):
    folder = tmp_path / "bbc"
    folder.mkdir()
    for path in sorted((corpus / "bbc" / "politics").glob("*.txt"))[:7]:
        (folder / path.name).write_bytes(path.read_bytes())
    summary = backfill([folder], tmp_path / "home", chunk_records=3)
    assert summary["chunks_loaded"] == 3 and summary["accounting"]["records_read"] == 7
    con = duckdb.connect(str(warehouse_path(tmp_path / "home")), read_only=True)
    assert con.execute("SELECT count(*) FROM ingested_files").fetchone() == (7,)
    assert con.execute("SELECT count(*), sum(records) FROM backfill_chunks").fetchone() == (7, 7)
    assert con.execute("SELECT count(*) FROM runs WHERE flow = 'backfill'").fetchone() == (3,)


def test_date_window_skips_articles_outside_it_with_a_reason(prefect_server, reuters_dump, tmp_path):
    stories = json.loads(reuters_dump.read_text())
    summary = backfill([reuters_dump], tmp_path / "home", date_from=date(1987, 3, 5), date_to=date(1987, 3, 5))
    con = duckdb.connect(str(warehouse_path(tmp_path / "home")), read_only=True)
    dates = {r[0] for r in con.execute("SELECT DISTINCT published_date FROM articles").fetchall()}
    reasons = [r[0] for r in con.execute("SELECT reason FROM skipped").fetchall()]
    assert dates <= {date(1987, 3, 5)}
    assert any("outside the backfill window 1987-03-05 to 1987-03-05" in r for r in reasons)
    assert summary["accounting"]["records_read"] == len(stories)


def test_common_crawl_and_truncated_warc_are_accounted_with_reasons(prefect_server, corpus, tmp_path):
    archives = [corpus / "warc" / "commoncrawl-excerpt.warc.gz", corpus / "warc" / "clipped-truncated.warc.gz"]
    summary = backfill(archives, tmp_path / "home", chunk_records=50)
    accounting = summary["accounting"]
    assert accounting["records_read"] == sum(accounting[k] for k in ("loaded", "duplicates", "skipped", "quarantined"))
    con = duckdb.connect(str(warehouse_path(tmp_path / "home")), read_only=True)
    cut = con.execute("SELECT reason FROM quarantine WHERE source_uri LIKE '%clipped-truncated%'").fetchall()
    assert cut and all("cut off" in r[0] or "truncated" in r[0] for r in cut)
    non_english = con.execute("SELECT count(*) FROM articles WHERE extraction_skipped = 'non_english'").fetchone()[0]
    assert non_english > 0
    assert con.execute(
        "SELECT count(*) FROM quotes q JOIN articles a USING (article_id) WHERE a.extraction_skipped IS NOT NULL"
    ).fetchone() == (0,)
    files = con.execute("SELECT count(*) FROM ingested_files").fetchone()[0]
    assert files == 2
