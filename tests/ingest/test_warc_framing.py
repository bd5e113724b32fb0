"""WARC records whose Content-Length does not frame them, in temp copies of the corpus's real WARC: the record is
one Rejected item with the reason, and every record after it reads as it does in the intact archive (the reader
resynchronises on the next record header), in .warc.gz (one gzip member per record) and uncompressed .warc.
"""

from __future__ import annotations

import gzip
import re
import zlib
from pathlib import Path

import pytest

from transforms.ingest.records import Rejected
from transforms.ingest.registry import read_path

# The first records of the corpus archive: real pages, few enough to read in a second.
RECORDS = 12
CORRUPTED = 5
BROKEN_LENGTHS = {
    "non-numeric": lambda length: "12ab",
    "empty": lambda length: "",
    "too short": lambda length: str(length - 40),
    "too long": lambda length: str(length + 40),
    "past the end of the file": lambda length: str(length * 1000),
}
CONTENT_LENGTH = re.compile(rb"\r\nContent-Length:[^\r\n]*", re.IGNORECASE)


def gzip_members(path: Path) -> list[bytes]:
    """The archive's records, one per gzip member, decompressed."""
    data, members = path.read_bytes(), []
    while data:
        decompressor = zlib.decompressobj(zlib.MAX_WBITS | 16)
        members.append(decompressor.decompress(data))
        data = decompressor.unused_data
    return members


def with_content_length(record: bytes, value: str) -> bytes:
    header, blank, rest = record.partition(b"\r\n\r\n")
    header, replaced = CONTENT_LENGTH.subn(f"\r\nContent-Length: {value}".encode(), header)
    assert replaced == 1
    return header + blank + rest


def declared_length(record: bytes) -> int:
    return int(CONTENT_LENGTH.search(record.partition(b"\r\n\r\n")[0]).group().split(b":")[1])


def write_archive(path: Path, records: list[bytes], compressed: bool) -> Path:
    path.write_bytes(b"".join(gzip.compress(r, mtime=0) for r in records) if compressed else b"".join(records))
    return path


def comparable(items: list) -> list[tuple]:
    """What an item says, without its offset (a changed header moves the records after it)."""
    return [(type(item).__name__, getattr(item, "fields", None), getattr(item, "reason", None)) for item in items]


@pytest.fixture(scope="module")
def records(corpus) -> list[bytes]:
    return gzip_members(corpus / "warc" / "news-pages.warc.gz")[:RECORDS]


@pytest.fixture(scope="module", params=[True, False], ids=["warc.gz", "warc"])
def intact(request, records, tmp_path_factory) -> tuple[bool, list]:
    compressed = request.param
    name = "intact.warc.gz" if compressed else "intact.warc"
    items = list(read_path(write_archive(tmp_path_factory.mktemp("intact") / name, records, compressed)))
    assert len(items) == RECORDS and not any(isinstance(item, Rejected) for item in items)
    return compressed, items


@pytest.mark.parametrize("broken", BROKEN_LENGTHS)
def test_a_record_whose_content_length_is_wrong_is_rejected_and_every_other_record_reads(
    tmp_path, records, intact, broken
):
    compressed, intact_items = intact
    damaged = list(records)
    damaged[CORRUPTED] = with_content_length(
        records[CORRUPTED], BROKEN_LENGTHS[broken](declared_length(records[CORRUPTED]))
    )
    archive = write_archive(tmp_path / ("damaged.warc.gz" if compressed else "damaged.warc"), damaged, compressed)
    items = list(read_path(archive))

    assert len(items) == RECORDS
    rejected = items[CORRUPTED]
    assert isinstance(rejected, Rejected)
    offset = sum(len(gzip.compress(r, mtime=0)) if compressed else len(r) for r in damaged[:CORRUPTED])
    assert rejected.source_uri == f"{archive}#offset={offset}"
    assert "Content-Length" in rejected.reason and "read on from the next record header" in rejected.reason
    others = items[:CORRUPTED] + items[CORRUPTED + 1 :]
    assert comparable(others) == comparable(intact_items[:CORRUPTED] + intact_items[CORRUPTED + 1 :])


def test_a_stretch_that_is_no_record_is_one_rejected_item_and_the_records_after_it_read(tmp_path, records, intact):
    compressed, intact_items = intact
    garbage = b"WARC/9.9-broken\r\nWARC-Type: response\r\nContent-Length: 7\r\n\r\ngarbage\r\n\r\n"
    damaged = [*records[:CORRUPTED], garbage, *records[CORRUPTED:]]
    archive = write_archive(tmp_path / ("garbage.warc.gz" if compressed else "garbage.warc"), damaged, compressed)
    items = list(read_path(archive))

    assert [type(item) for item in items].count(Rejected) == 1
    assert isinstance(items[CORRUPTED], Rejected) and "unreadable WARC data" in items[CORRUPTED].reason
    assert comparable(items[:CORRUPTED] + items[CORRUPTED + 1 :]) == comparable(intact_items)
