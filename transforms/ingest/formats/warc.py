"""WARC archives (`.warc`, `.warc.gz`), streamed record by record with fastwarc.

What counts as an input record: every record that holds (or stands for) a capture: `response`, `resource`,
`revisit`, `conversion`, `continuation`. Each yields one item: a `response` with a 200 HTML payload goes through
the HTML extraction (an article, or Skipped when the page has no article body); every other one is Skipped with
the reason. `warcinfo`, `request` and `metadata` records are protocol records about captures, not captures:
they yield nothing unless the archive is cut inside one. A cut archive keeps every record before the cut and
yields one Rejected for the record cut off; so does an archive with a record whose Content-Length is not a
number (nothing says where that record ends).
Provenance: `<archive>#offset=N`, N the record's byte offset in the file as stored (compressed for .warc.gz,
the offset Common Crawl indexes use), so `.warc.gz` files reach this reader undecompressed.
May import transforms.ingest.records, transforms.ingest.limits and the HTML format module.
"""

from __future__ import annotations

import io
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from fastwarc.stream_io import ChunkedReader
from fastwarc.warc import ArchiveIterator, WarcRecord, WarcRecordType
from trafilatura.utils import handle_compressed_file

from transforms.ingest.formats.html import extract_html
from transforms.ingest.limits import InputLimit, can_seek, read_record
from transforms.ingest.records import Item, Rejected, Skipped, snippet

# A bit mask (record types are flags).
PROTOCOL_RECORDS = WarcRecordType.warcinfo | WarcRecordType.request | WarcRecordType.metadata
HTML_TYPES = {"text/html", "application/xhtml+xml"}
DRAIN_CHUNK_BYTES = 1 << 20
GZIP_MAGIC = b"\x1f\x8b"


def read_warc(stream: BinaryIO, uri: str) -> Iterator[Item]:
    """One item per capture record; a corrupt or cut archive ends with one Rejected item."""
    offset = None
    try:
        # Payload encodings are left as stored: the payload length must match the record's to detect a cut.
        for record in ArchiveIterator(
            stream, record_types=WarcRecordType.any_type, parse_http=True, auto_decode="none"
        ):
            offset = record.stream_pos
            if unframed := _unframed(record):
                # fastwarc would read the record's block as the next header: one Rejected, not two items.
                yield Rejected(f"{uri}#offset={offset}", unframed)
                return
            if (item := record_item(record, f"{uri}#offset={offset}")) is not None:
                yield item
    except OSError as exc:
        where = "at the start" if offset is None else f"after the record at offset {offset}"
        yield Rejected(f"{uri}#after-offset={offset or 0}", f"unreadable WARC data {where}: {exc}")
        return
    if (cut := _silently_cut_record(stream, offset)) is not None:
        yield Rejected(f"{uri}#offset={cut}", "archive cut off inside the record: only its first bytes are there")


def _silently_cut_record(stream: BinaryIO, last_offset: int | None) -> int | None:
    """Where a record starts that fastwarc passed over in silence: a gzip member cut in its first bytes, before
    any header decompresses. None when the archive ends cleanly or cannot be re-read."""
    if not can_seek(stream):
        return None
    stream.seek(last_offset or 0)
    if last_offset is None:
        return 0 if stream.read(1) else None  # bytes, yet not one record
    if stream.read(2) != GZIP_MAGIC:
        return None
    stream.seek(last_offset)
    decompressor, position = zlib.decompressobj(zlib.MAX_WBITS | 16), last_offset
    while not decompressor.eof and (chunk := stream.read(DRAIN_CHUNK_BYTES)):
        decompressor.decompress(chunk)
        position += len(chunk)
    if not decompressor.eof:
        return None  # the last record is itself cut, and reported
    after_member = position - len(decompressor.unused_data)
    return after_member if decompressor.unused_data or stream.read(1) else None


def _unframed(record: WarcRecord) -> str | None:
    """Why the archive cannot be read past this record, None when its Content-Length says where it ends."""
    length = record.headers.get("Content-Length")
    if length is None or length.strip().isdigit():
        return None  # a missing length is a cut header, reported with the record
    return (
        f"WARC record with a non-numeric Content-Length {length[:40]!r}: where it ends is unknown, "
        "so the archive is not read past it"
    )


def record_item(record: WarcRecord, record_uri: str) -> Item | None:
    """The item for one record, None for a complete protocol record."""
    not_article = _not_an_article(record)
    # Only pages are kept in memory, up to the limit on one record; other payloads (images, video) are counted
    # as they stream past.
    try:
        payload = read_record(record.reader) if not_article is None else b""
    except InputLimit as exc:
        _drain(record.reader)
        return Rejected(record_uri, f"HTML payload past the limit: {exc}")
    received = len(payload) if not_article is None else _drain(record.reader)
    if cut := _cut_off(record, received):
        return Rejected(record_uri, cut, snippet(payload))
    if record.record_type & PROTOCOL_RECORDS:
        return None
    if not_article:
        return Skipped(record_uri, not_article)
    return extract_html(
        _decoded(record, payload),
        record_uri,
        url=record.headers.get("WARC-Target-URI"),
        http_charset=record.http_charset,
        fetched_at=record.headers.get("WARC-Date"),
    )


def _not_an_article(record: WarcRecord) -> str | None:
    """Why the record cannot hold an article page, None for an HTTP 200 response with an HTML payload."""
    if record.record_type != WarcRecordType.response:
        return f"WARC {record.record_type} record, not a crawled response"
    if not record.is_http:
        return "WARC response without an HTTP payload"
    if (status := record.http_headers.status_code) != 200:
        return f"HTTP status {status}, not 200"
    if (content_type := record.http_content_type) not in HTML_TYPES:
        return f"not an HTML payload: {content_type or 'no content type'}"
    return None


def _drain(reader) -> int:
    received = 0
    while chunk := reader.read(DRAIN_CHUNK_BYTES):
        received += len(chunk)
    return received


def _cut_off(record: WarcRecord, received: int) -> str | None:
    """Why the record is incomplete (the archive ends inside it), None when it is whole."""
    if "Content-Length" not in record.headers:
        return "archive cut off inside the WARC record header"
    if received < record.content_length:
        return f"archive cut off inside the record: {received} of {record.content_length} payload bytes"
    return None


def _decoded(record: WarcRecord, payload: bytes) -> bytes:
    """The payload as the server meant it: chunked transfer undone, then gzip/deflate/brotli/zstd."""
    if "chunked" in (record.http_headers.get("Transfer-Encoding") or "").lower():
        payload = ChunkedReader(io.BytesIO(payload)).read(len(payload))
    return handle_compressed_file(payload)
