"""Inputs built to exhaust a reader: decompression bombs in gzip, zip and tar, JSON nested 100,000 deep, a
single line far past the size of any record. Each is one Rejected item with the reason, memory stays bounded,
and the real records beside it load. The bombs are built here at a small scale, with the limits lowered to
match (the limits themselves: `transforms/ingest/limits.py`)."""

from __future__ import annotations

import gzip
import io
import json
import tarfile
import tracemalloc
import zipfile

import pytest

from tests.conftest import DEMO_INBOX
from transforms.ingest import limits
from transforms.ingest.records import RawRecord, Rejected
from transforms.ingest.registry import read_path

ARTICLES = sorted((DEMO_INBOX / "newsplease").glob("*.json"))[:2]
BOMB_BYTES = 64 * 1024 * 1024  # of zeros: 64 KiB deflated, a thousand times smaller
MIB = 1024 * 1024


@pytest.fixture
def small_grace(monkeypatch):
    monkeypatch.setattr(limits, "EXPANSION_GRACE_BYTES", MIB)


@pytest.fixture
def small_records(monkeypatch):
    monkeypatch.setattr(limits, "MAX_RECORD_BYTES", 4 * MIB)


def articles() -> list[bytes]:
    return [path.read_bytes() for path in ARTICLES]


def zeros_gzip() -> bytes:
    out = io.BytesIO()
    with gzip.GzipFile(fileobj=out, mode="wb") as packed:
        chunk = bytes(MIB)
        for _ in range(BOMB_BYTES // MIB):
            packed.write(chunk)
    return out.getvalue()


def read_bounded(path) -> tuple[list, int]:
    """The items of `path` and the peak of Python memory allocated while reading it."""
    tracemalloc.start()
    try:
        items = list(read_path(path))
        return items, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_gzip_bomb_is_rejected_with_bounded_memory(tmp_path, small_grace):
    bomb = tmp_path / "zeros.txt.gz"
    bomb.write_bytes(zeros_gzip())
    (item,), peak = read_bounded(bomb)
    assert isinstance(item, Rejected) and "decompression bomb" in item.reason
    assert peak < BOMB_BYTES / 2


def test_zip_bomb_member_is_rejected_and_its_neighbours_load(tmp_path, small_grace):
    first, second = articles()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("a.json", first)
        with archive.open("zeros.txt", "w") as member:
            for _ in range(BOMB_BYTES // MIB):
                member.write(bytes(MIB))
        archive.writestr("b.json", second)
    bundle = tmp_path / "bundle.zip"
    bundle.write_bytes(buffer.getvalue())
    assert bundle.stat().st_size < BOMB_BYTES / 100
    items, peak = read_bounded(bundle)
    assert [type(item) for item in items] == [RawRecord, Rejected, RawRecord]
    assert items[1].source_uri.endswith("!zeros.txt") and "decompression bomb" in items[1].reason
    assert peak < BOMB_BYTES / 2


def test_tar_gz_bomb_keeps_the_members_before_it(tmp_path, small_grace):
    first, _ = articles()
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        info = tarfile.TarInfo("a.json")
        info.size = len(first)
        archive.addfile(info, io.BytesIO(first))
        info = tarfile.TarInfo("zeros.txt")
        info.size = BOMB_BYTES
        archive.addfile(info, io.BytesIO(bytes(BOMB_BYTES)))
    for name in ("bundle.tar.gz", "bundle.tgz"):
        bundle = tmp_path / name
        bundle.write_bytes(buffer.getvalue())
        items, peak = read_bounded(bundle)
        assert isinstance(items[0], RawRecord) and items[0].source_uri.endswith("!a.json")
        assert [item.reason for item in items[1:]] and all("decompression bomb" in item.reason for item in items[1:])
        assert peak < BOMB_BYTES / 2


def warc_response(body: bytes) -> bytes:
    block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
    headers = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000000>\r\n"
        "WARC-Date: 2024-05-01T10:00:00Z\r\nWARC-Target-URI: http://example.org/story\r\n"
        f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(block)}\r\n\r\n"
    )
    return gzip.compress(headers.encode() + block + b"\r\n\r\n")


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def test_json_nested_100000_deep_is_rejected_and_the_lines_beside_it_load(tmp_path):
    first, second = (json.dumps(json.loads(data)) for data in articles())
    lines = tmp_path / "day.jsonl"
    lines.write_text("\n".join([first, '{"text": ' + deep(100_000) + "}", second]) + "\n")
    items = list(read_path(lines))
    assert [type(item) for item in items] == [RawRecord, Rejected, RawRecord]
    assert "nested deeper" in items[1].reason


def test_json_array_item_nested_too_deep_is_rejected(tmp_path):
    first, second = (json.dumps(json.loads(data)) for data in articles())
    array = tmp_path / "dump.json"
    array.write_text(f'[{first}, {{"text": {deep(100_000)}}}, {second}]')
    items = list(read_path(array))
    assert [type(item) for item in items] == [RawRecord, Rejected, RawRecord]
    assert items[1].source_uri.endswith("#index=1") and "nested deeper" in items[1].reason


def test_single_json_object_nested_too_deep_is_rejected(tmp_path):
    obj = tmp_path / "deep.json"
    obj.write_text('{"text": ' + deep(100_000) + "}")
    (item,) = read_path(obj)
    assert isinstance(item, Rejected) and "nested deeper" in item.reason


def test_a_line_far_past_the_record_limit_is_rejected_with_bounded_memory(tmp_path, small_records):
    # A single line 16 times the (lowered) limit on one record, between two real records.
    first, second = (json.dumps(json.loads(data)) for data in articles())
    lines = tmp_path / "huge.jsonl"
    with lines.open("w") as out:
        out.write(first + "\n")
        out.write('{"text": "' + "word " * (64 * MIB // 5) + '"}\n')
        out.write(second + "\n")
    items, peak = read_bounded(lines)
    assert [type(item) for item in items] == [RawRecord, Rejected, RawRecord]
    assert items[1].source_uri.endswith("#line=2") and items[2].source_uri.endswith("#line=3")
    assert peak < BOMB_BYTES / 2


def test_warc_page_past_the_record_limit_is_rejected_and_the_next_record_loads(tmp_path, corpus, small_records):
    page = (corpus / "html" / "pages" / "247wallst.com1.html").read_bytes()
    huge = page.replace(b"<body", b"<body><!-- " + b"x" * (8 * MIB) + b" -->", 1)
    archive, warm_up = tmp_path / "crawl.warc.gz", tmp_path / "one.warc.gz"
    archive.write_bytes(b"".join(warc_response(body) for body in (page, huge, page)))
    warm_up.write_bytes(warc_response(page))
    list(read_path(warm_up))  # loads the language model once, outside the measure
    items, peak = read_bounded(archive)
    assert [type(item) for item in items] == [RawRecord, Rejected, RawRecord]
    assert "limit on one record" in items[1].reason
    assert peak < 6 * 4 * MIB
