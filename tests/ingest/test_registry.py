"""Foundation readers (txt + sidecar, JSON object and array, JSONL, gzip) and the normaliser, on real records."""

from __future__ import annotations

import gzip
import json
from datetime import UTC, datetime
from pathlib import Path

import polars as pl

from tests.conftest import DEMO_INBOX
from transforms.ingest.records import RawRecord, Rejected, Skipped
from transforms.ingest.registry import read_path
from transforms.normalise.articles import canonical_url, normalise_records, parse_published, split_duplicates

SEED_TXT = DEMO_INBOX / "seed" / "trump-putin-zelenskyy.txt"
NEWSPLEASE = sorted((DEMO_INBOX / "newsplease").glob("*.json"))
NOW = datetime(2026, 1, 1, tzinfo=UTC)


def records(path: Path) -> list:
    return list(read_path(path))


def test_txt_takes_metadata_from_its_sidecar():
    (item,) = records(SEED_TXT)
    assert isinstance(item, RawRecord)
    assert item.fields["id"] == "seed-0001"
    assert item.fields["published_at"] == "2025-09-04"
    assert item.fields["text"].startswith("US President Donald Trump said")


def test_txt_without_sidecar_takes_a_short_first_line_as_title(tmp_path, corpus):
    # BBC files put the headline on the first line, then a blank line.
    source = corpus / "bbc" / "business" / "001.txt"
    target = tmp_path / "001.txt"
    target.write_bytes(source.read_bytes())
    (item,) = records(target)
    assert item.fields["title"] == "Ad sales boost Time Warner profit"
    assert item.fields["text"].lstrip().startswith("Quarterly profits at US media giant TimeWarner")


def test_json_array_streams_each_object_with_its_index(corpus):
    items = records(corpus / "reuters21578" / "reut2-000.json")
    assert len(items) == 1000
    assert items[5].source_uri.endswith("reut2-000.json#index=5")
    assert all(isinstance(i, RawRecord) for i in items)


def test_truncated_json_array_keeps_the_objects_before_the_cut(tmp_path, corpus):
    data = (corpus / "reuters21578" / "reut2-000.json").read_bytes()
    cut = tmp_path / "cut.json"
    cut.write_bytes(data[: len(data) // 3])
    items = records(cut)
    assert isinstance(items[-1], Rejected) and "truncated" in items[-1].reason
    kept = [i for i in items if isinstance(i, RawRecord)]
    assert 200 < len(kept) < 400
    assert kept[-1].fields["title"] == json.loads(data)[len(kept) - 1]["title"]


def test_jsonl_gz_quarantines_a_malformed_line_and_reads_the_rest(tmp_path):
    with gzip.open(DEMO_INBOX / "panama-papers.jsonl.gz", "rt") as stream:
        lines = stream.read().splitlines()
    lines.insert(2, '{"title": "broken", "text": "no closing brace"')
    target = tmp_path / "mixed.jsonl.gz"
    with gzip.open(target, "wt") as out:
        out.write("\n".join(lines) + "\n")
    items = records(target)
    bad = [i for i in items if isinstance(i, Rejected)]
    assert len(items) == 15 and len(bad) == 1
    assert bad[0].source_uri.endswith("#line=3") and "invalid JSON line" in bad[0].reason


def test_truncated_gzip_is_rejected_after_the_lines_it_could_read(tmp_path):
    data = (DEMO_INBOX / "panama-papers.jsonl.gz").read_bytes()
    target = tmp_path / "cut.jsonl.gz"
    target.write_bytes(data[: len(data) // 2])
    items = records(target)
    assert isinstance(items[-1], Rejected) and "truncated or corrupt compressed input" in items[-1].reason
    assert any(isinstance(i, RawRecord) for i in items)


def test_binary_junk_with_a_text_extension_is_rejected(tmp_path):
    target = tmp_path / "junk.txt"
    target.write_bytes(bytes(range(256)) * 4)
    (item,) = records(target)
    assert isinstance(item, Rejected) and "binary" in item.reason


def test_unsupported_suffix_is_skipped_with_a_reason(tmp_path):
    from transforms.ingest.registry import read_stream

    with SEED_TXT.open("rb") as stream:
        (item,) = list(read_stream("notes.docx", stream, "notes.docx"))
    assert isinstance(item, Skipped) and "unsupported" in item.reason


def test_normalise_maps_newsplease_fields_and_normalises_the_body():
    raw = [item for path in NEWSPLEASE[:5] for item in records(path)]
    articles, skipped = normalise_records(raw, "run-1", NOW)
    assert skipped == [] and articles.height == 5
    first = json.loads(NEWSPLEASE[0].read_text())
    row = articles.row(0, named=True)
    assert row["url"] == first["url"] and row["outlet"] == first["source_domain"]
    assert row["published_at"] == parse_published(first["date_publish"])
    assert "  " not in row["body"] and "\r" not in row["body"] and "\n\n\n" not in row["body"]
    assert row["word_count"] == len(row["body"].split())


def test_article_id_is_stable_and_exact_duplicates_are_split_off():
    raw = [item for item in records(NEWSPLEASE[0])] * 2
    first, _ = normalise_records(raw[:1], "run-1", NOW)
    again, _ = normalise_records(raw, "run-2", NOW)
    assert first["article_id"][0] == again["article_id"][0] == again["article_id"][1]
    # The second copy waits for the first one's verdict; accepted, it makes the second a duplicate.
    kept, held, duplicates, conflicts = split_duplicates(again, {}, set(), "run-2", NOW)
    assert kept.height == 1 and held.height == 1 and duplicates.is_empty() and conflicts == []
    accepted = {kept["content_hash"][0]: kept["article_id"][0]}
    kept, held, duplicates, _ = split_duplicates(held, accepted, set(accepted.values()), "run-2", NOW)
    assert kept.is_empty() and held.is_empty() and duplicates["duplicate_of"].to_list() == [again["article_id"][0]]
    kept, held, duplicates, _ = split_duplicates(again, {again["content_hash"][0]: "earlier"}, set(), "run-2", NOW)
    assert kept.height == 0 and duplicates["duplicate_of"].to_list() == ["earlier", "earlier"]


def test_same_id_with_different_content_in_one_batch_is_a_conflict():
    (record,) = records(NEWSPLEASE[0])
    changed = RawRecord("changed.json", {**record.fields, "text": record.fields["text"] + " Updated."})
    articles, _ = normalise_records([record, changed], "run-1", NOW)
    kept, held, duplicates, conflicts = split_duplicates(articles, {}, set(), "run-1", NOW)
    assert kept.height == 1 and held.height == 1 and duplicates.is_empty() and conflicts == []
    accepted = {kept["content_hash"][0]: kept["article_id"][0]}
    kept, held, duplicates, conflicts = split_duplicates(held, accepted, set(accepted.values()), "run-1", NOW)
    assert kept.is_empty() and held.is_empty() and duplicates.is_empty()
    assert len(conflicts) == 1 and "different content" in conflicts[0].reason


def test_reuters_dates_and_entities_and_empty_bodies(corpus):
    raw = [i for i in records(corpus / "reuters21578" / "reut2-000.json")]
    articles, skipped = normalise_records(raw, "run-1", NOW)
    assert articles.height + len(skipped) == 1000
    assert all("no article body" in s.reason for s in skipped)
    first = articles.row(0, named=True)
    assert first["published_at"] == datetime(1987, 2, 26, 15, 1, 1, 790000, tzinfo=UTC)
    assert not articles.filter(pl.col("title").str.contains("&lt;")).height


def test_canonical_url_ignores_case_of_host_fragment_and_trailing_slash():
    assert canonical_url("HTTP://Example.COM/a/b/#top") == canonical_url("http://example.com/a/b")
