"""Duplicate, near-duplicate and id-conflict checks count only articles that load (issue 18, bug 1), and what a
quarantined article keeps (6c).

A record whose twin (same body, or same id) is quarantined for its publication date must load, and no
`duplicate_of` may point at an article that is not in the warehouse: in the batch, and in the index later runs
judge against. The quarantined twins' records stay whole in the lake; the warehouse keeps an excerpt.
"""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import polars as pl
import pytest

from tests.conftest import DEMO_INBOX, FIXTURES, query
from warehouse.load import RECORD_EXCERPT_CHARS
from warehouse.rebuild import rebuild_warehouse

RUN_DATE = date(2025, 9, 4)
AP_COPIES = (
    "710e6e0189ef7e68f0aadae65f989105985074aab7705dc419ca0b0f",
    "e931422d8d018f929ff85782be238265f508d96f28383dcf3e43d252",
)
UNRELATED = "2ee6b68d950d4859212a0cf50cf9e16fba7ac87036ee1c32c68c6449"
FUTURE = "2999-01-01T00:00:00"


def record(name: str, **changes) -> dict:
    folder = (
        FIXTURES / "newsplease" if (FIXTURES / "newsplease" / f"{name}.json").exists() else DEMO_INBOX / "newsplease"
    )
    return {**json.loads((folder / f"{name}.json").read_text()), **changes}


def doctored(text: str) -> str:
    """A syndicated copy with its own last paragraph: a near duplicate, not an exact one."""
    paragraphs = text.split("\n")
    return "\n".join(paragraphs[:-1] + ["This story was updated by our newsroom."])


def write_inbox(inbox: Path, records: dict[str, dict]) -> None:
    inbox.mkdir(parents=True)
    for name, fields in records.items():
        (inbox / f"{name}.json").write_text(json.dumps(fields))


def loaded_uris(home: Path) -> set[str]:
    return {Path(uri).stem for (uri,) in query(home, "SELECT source_uri FROM articles")}


@pytest.fixture(scope="module")
def twins(prefect_server, tmp_path_factory) -> Path:
    from flows.nightly import nightly

    root = tmp_path_factory.mktemp("twins")
    ap, unrelated = record(AP_COPIES[0]), record(UNRELATED)
    other = record(sorted(p.stem for p in (DEMO_INBOX / "newsplease").glob("*.json"))[0])
    write_inbox(
        root / "inbox",
        {
            # Each quarantined record (dated in the future) comes first, its good twin after it.
            "a-future": {**ap, "date_publish": FUTURE},
            "b-same-body": {**ap, "url": ap["url"] + "?syndicated=1"},
            "c-future": {**unrelated, "date_publish": FUTURE},
            "d-near-copy": {**unrelated, "url": unrelated["url"] + "-copy", "text": doctored(unrelated["text"])},
            "e-future": {**other, "date_publish": FUTURE},
            "f-same-id": {**other, "text": other["text"] + "\nCorrection appended."},
            "g-ap-copy": record(AP_COPIES[1]),
        },
    )
    nightly(inbox=root / "inbox", home=root / "home", run_date=RUN_DATE)
    return root


def test_a_good_record_is_not_lost_to_a_quarantined_twin(twins):
    home = twins / "home"
    assert loaded_uris(home) == {"b-same-body", "d-near-copy", "f-same-id", "g-ap-copy"}
    quarantined = query(home, "SELECT source_uri, reason FROM quarantine WHERE table_name = 'articles'")
    assert sorted(Path(uri).stem for uri, _ in quarantined) == ["a-future", "c-future", "e-future"]
    assert all("published" in reason for _, reason in quarantined)
    assert query(home, "SELECT records_read, loaded, duplicates, quarantined FROM runs") == [(7, 4, 0, 3)]


def test_duplicate_flags_point_only_at_loaded_articles(twins):
    home = twins / "home"
    assert query(
        home, "SELECT count(*) FROM duplicates WHERE duplicate_of NOT IN (SELECT article_id FROM articles)"
    ) == [(0,)]
    assert query(home, "SELECT count(*) FROM articles WHERE duplicate_of NOT IN (SELECT article_id FROM articles)") == [
        (0,)
    ]
    by_uri = {
        Path(uri).stem: (aid, of)
        for uri, aid, of in query(home, "SELECT source_uri, article_id, duplicate_of FROM articles")
    }
    # The near copy of a quarantined article is an original; the AP copy points at the loaded twin.
    assert by_uri["d-near-copy"][1] is None
    assert by_uri["g-ap-copy"][1] == by_uri["b-same-body"][0]


def test_later_runs_judge_against_loaded_articles_only(twins):
    from flows.nightly import nightly

    unrelated = record(UNRELATED)
    write_inbox(twins / "inbox-2", {"h-copy": {**unrelated, "url": unrelated["url"] + "-again"}})
    nightly(inbox=twins / "inbox-2", home=twins / "home", run_date=RUN_DATE)
    ((near_of,),) = query(twins / "home", "SELECT duplicate_of FROM articles WHERE source_uri LIKE '%h-copy.json'")
    (d_id,) = [
        aid for uri, aid in query(twins / "home", "SELECT source_uri, article_id FROM articles") if "d-near-copy" in uri
    ]
    assert near_of == d_id


def test_a_quarantined_article_keeps_an_excerpt_in_the_warehouse_and_its_whole_record_in_the_lake(twins):
    """Issue 18, 6c: the DuckDB row holds an excerpt, the whole record's hash and length, and the lake file with it;
    a rebuild from the lake gives the same rows."""
    home = twins / "home"
    sql = (
        "SELECT quarantine_id, record, record_sha256, record_chars, record_location FROM quarantine "
        "WHERE table_name = 'articles' ORDER BY quarantine_id"
    )
    rows = query(home, sql)
    assert len(rows) == 3
    for quarantine_id, excerpt, sha256, chars, location in rows:
        (whole,) = pl.read_parquet(location).filter(pl.col("quarantine_id") == quarantine_id)["record"]
        assert json.loads(whole)["published_at"].startswith("2999-01-01")
        assert len(excerpt) == RECORD_EXCERPT_CHARS < chars == len(whole) and whole.startswith(excerpt)
        assert sha256 == hashlib.sha256(whole.encode("utf-8")).hexdigest()
    rebuild_warehouse(home)
    assert query(home, sql) == rows
