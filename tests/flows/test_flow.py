"""The nightly flow end to end on a small real inbox (seed article + news-please records)."""

from __future__ import annotations

import gzip
import shutil
from datetime import date
from pathlib import Path

import duckdb
import pytest

from tests.conftest import DEMO_INBOX
from warehouse.load import warehouse_path


@pytest.fixture
def inbox(tmp_path) -> Path:
    inbox = tmp_path / "inbox"
    shutil.copytree(DEMO_INBOX / "seed", inbox / "seed")
    for path in sorted((DEMO_INBOX / "newsplease").glob("*.json"))[:6]:
        shutil.copy(path, inbox / path.name)
    # Two good records and a malformed line between them, as a nightly JSONL drop would have.
    with gzip.open(DEMO_INBOX / "panama-papers.jsonl.gz", "rt") as handle:
        lines = handle.read().splitlines()[:2]
    (inbox / "drop.jsonl").write_text(lines[0] + '\n{"title": "cut off", "text": "never clos\n' + lines[1] + "\n")
    return inbox


def run(inbox: Path, home: Path) -> dict:
    from flows.nightly import nightly

    return nightly(inbox=inbox, home=home, run_date=date(2025, 9, 4))


def table_snapshot(home: Path) -> dict[str, list]:
    con = duckdb.connect(str(warehouse_path(home)), read_only=True)
    try:
        return {
            t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
            for t in ("articles", "sources", "quotes", "events", "quarantine", "duplicates", "ingested_files")
        }
    finally:
        con.close()


def test_nightly_run_loads_validates_and_is_idempotent(prefect_server, inbox, tmp_path):
    home = tmp_path / "home"
    first = run(inbox, home)
    accounting = first["accounting"]
    assert accounting == {"records_read": 10, "loaded": 9, "duplicates": 0, "skipped": 0, "quarantined": 1}
    assert first["quarantined_rows"].get("records") == 1

    con = duckdb.connect(str(warehouse_path(home)), read_only=True)
    assert con.execute("SELECT count(*) FROM articles").fetchone() == (9,)
    reason, uri = con.execute("SELECT reason, source_uri FROM quarantine WHERE table_name = 'records'").fetchone()
    assert "invalid JSON line" in reason and uri.endswith("drop.jsonl#line=2")
    # Every quote, speaker mention, cue and event trigger points at its own characters of the stored body.
    spans = con.execute("""
        SELECT q.text, substr(a.body, q.char_start + 1, q.char_end - q.char_start),
               q.speaker_mention, substr(a.body, q.speaker_char_start + 1, q.speaker_char_end - q.speaker_char_start)
        FROM quotes q JOIN articles a USING (article_id)""").fetchall()
    triggers = con.execute("""
        SELECT e.trigger, substr(a.body, e.trigger_char_start + 1, e.trigger_char_end - e.trigger_char_start)
        FROM events e JOIN articles a USING (article_id)""").fetchall()
    assert len(spans) > 10
    assert all(text == body_text and mention == body_mention for text, body_text, mention, body_mention in spans)
    assert all(trigger == body_text for trigger, body_text in triggers)
    assert con.execute(
        "SELECT count(*) FROM quotes WHERE source_id NOT IN (SELECT source_id FROM sources)"
    ).fetchone() == (0,)
    run_row = con.execute("SELECT records_read, loaded, duplicates, skipped, quarantined, status FROM runs").fetchone()
    assert run_row == (10, 9, 0, 0, 1, "completed")
    con.close()
    lake_files = sorted(p.relative_to(home / "lake").parts[0] for p in (home / "lake").rglob("*.parquet"))
    assert {"articles", "quotes", "sources", "quarantine", "ingested_files", "runs"} <= set(lake_files)
    assert (home / "lake" / "articles" / "published_date=2025-09-04" / f"{first['run_id']}.parquet").exists()

    before = table_snapshot(home)
    second = run(inbox, home)
    assert second["accounting"]["records_read"] == 0 and second["files_read"] == 0
    assert table_snapshot(home) == before

    # A new file loads only its own articles; an exact copy of a loaded article is recorded as a duplicate.
    newcomer = sorted((DEMO_INBOX / "newsplease").glob("*.json"))[6]
    shutil.copy(newcomer, inbox / newcomer.name)
    # Same article text, different file (a trailing blank line): the body, not the file, makes it a duplicate.
    (inbox / "copy-of-seed.txt").write_text((inbox / "seed" / "trump-putin-zelenskyy.txt").read_text() + "\n\n")
    third = run(inbox, home)
    assert third["files_read"] == 2
    assert third["accounting"] == {"records_read": 2, "loaded": 1, "duplicates": 1, "skipped": 0, "quarantined": 0}
    after = table_snapshot(home)
    assert len(after["articles"]) == 10 and len(after["duplicates"]) == 1
    assert [r for r in after["articles"] if r[0] in {b[0] for b in before["articles"]}] == before["articles"]
