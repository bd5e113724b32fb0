"""WARC archives (`.warc`, `.warc.gz`), streamed record by record with fastwarc.

What counts as an input record: every record that holds (or stands for) a capture: `response`, `resource`,
`revisit`, `conversion`, `continuation`. Each yields one item: a `response` with a 200 HTML payload goes through
the HTML extraction (an article, or Skipped when the page has no article body); every other one is Skipped with
the reason. `warcinfo`, `request` and `metadata` records are protocol records about captures, not captures:
they yield nothing unless the archive is cut inside one. A cut archive keeps every record before the cut and
yields one Rejected for the record cut off. A record whose Content-Length does not frame it (not a number, or
another record header starts before or after its declared end) is one Rejected item, and so is a stretch of bytes
that is no record; reading resynchronises on the next record header (a `WARC/1.x` line, in a .warc.gz the next
gzip member that starts with one), so every later record is read. A record's item is held until the next header
parses: only then is its length known right (fastwarc's own recovery, quirks_mode, passes a misframed record off
as whole). A stream that cannot seek (a tar member read in one pass) cannot resynchronise and ends at the
Rejected item.
Provenance: `<archive>#offset=N`, N the record's byte offset in the file as stored (compressed for .warc.gz,
the offset Common Crawl indexes use), so `.warc.gz` files reach this reader undecompressed.
May import transforms.ingest.records, transforms.ingest.limits and the HTML format module.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Generator, Iterator
from dataclasses import dataclass
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
# Where a record begins, for resynchronising: its version line at the start of a line of an uncompressed WARC, or
# a gzip member (deflate) whose first bytes decompress to one (a .warc.gz holds one record per member).
VERSION_LINE = re.compile(rb"WARC/1\.[01]\r?\n")
RECORD_START_PLAIN = re.compile(rb"\nWARC/1\.[01]\r?\n")
GZIP_MEMBER_START = re.compile(rb"\x1f\x8b\x08")
MEMBER_PROBE_BYTES = 4096
MAX_HEADER_BYTES = 32 << 10  # fastwarc's own limit on a record header
RECORD_TRAILER = b"\r\n\r\n"


@dataclass(frozen=True)
class Held:
    """A record whose item waits for the next record header: `read` once its payload was read whole."""

    offset: int
    item: Item | None = None
    read: bool = False


def read_warc(stream: BinaryIO, uri: str) -> Iterator[Item]:
    """One item per capture record. A record whose Content-Length does not say where it ends is one Rejected item,
    and so is a stretch that is no record; reading resumes at the next record header after it (a file that cannot
    seek ends there instead)."""
    start: int | None = 0
    while start is not None:
        start = yield from _read_from(stream, uri, start)


def _read_from(stream: BinaryIO, uri: str, start: int) -> Generator[Item, None, int | None]:
    """The items of the records from byte `start` on; returns where to resynchronise after a record that is not
    framed (None: the archive is read to its end)."""
    if start:
        stream.seek(start)
    # A record's item waits until the next record header parses: only then is its Content-Length known right.
    held: Held | None = None
    try:
        # Payload encodings are left as stored: the payload length must match the record's to detect a cut.
        for record in ArchiveIterator(
            stream, record_types=WarcRecordType.any_type, parse_http=True, auto_decode="none"
        ):
            if held and held.item is not None:
                yield held.item
            offset = record.stream_pos
            held = Held(offset)
            if unframed := _unframed(record):
                resume = _next_record_start(stream, offset)
                yield Rejected(f"{uri}#offset={offset}", unframed + _reading_on(resume))
                return resume
            held = Held(offset, record_item(record, f"{uri}#offset={offset}"), read=True)
    except OSError as exc:
        return (yield from _after_unreadable(stream, uri, start, held, exc))
    if held is None:
        if start == 0 and (cut := _silently_cut_record(stream, None)) is not None:
            yield Rejected(f"{uri}#offset={cut}", "archive cut off inside the record: only its first bytes are there")
        return None
    offset, item = held.offset, held.item
    if isinstance(item, Rejected) and (resume := _next_record_start(stream, offset)) is not None:
        # "Cut off" while another record header follows: the Content-Length ran past its record.
        yield _misframed(stream, uri, offset, resume)
        return resume
    if item is not None:
        yield item
    if (cut := _silently_cut_record(stream, offset)) is not None:
        yield Rejected(f"{uri}#offset={cut}", "archive cut off inside the record: only its first bytes are there")
    return None


def _after_unreadable(
    stream: BinaryIO, uri: str, start: int, held: Held | None, exc: OSError
) -> Generator[Item, None, int | None]:
    """One Rejected item for what fastwarc could not parse, then where to read on. Past a record read whole, the
    culprit is that record when its Content-Length is wrong (it ends elsewhere), else the bytes after it."""
    if held is None or not held.read:
        offset = start if held is None else held.offset
        resume = _next_record_start(stream, offset)
        where = "at the start" if offset == 0 else f"at offset {offset}"
        yield Rejected(f"{uri}#offset={offset}", f"unreadable WARC data {where}: {exc}{_reading_on(resume)}")
        return resume
    offset, item = held.offset, held.item
    end = _framed_end(stream, offset)
    if end is None and (resume := _next_record_start(stream, offset)) is not None:
        yield _misframed(stream, uri, offset, resume)
        return resume
    if item is not None:
        yield item
    resume = _next_record_start(stream, end) if end is not None else None
    yield Rejected(
        f"{uri}#after-offset={offset}",
        f"unreadable WARC data after the record at offset {offset}: {exc}{_reading_on(resume)}",
    )
    return resume


def _misframed(stream: BinaryIO, uri: str, offset: int, resume: int) -> Rejected:
    """The record at `offset`, whose declared length ends before or after the record does."""
    return Rejected(
        f"{uri}#offset={offset}",
        f"WARC record whose Content-Length {_content_length(stream, offset)!r} does not end where the record "
        f"does{_reading_on(resume)}",
    )


def _reading_on(resume: int | None) -> str:
    return f"; read on from the next record header, at offset {resume}" if resume is not None else ""


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


def _next_record_start(stream: BinaryIO, after: int) -> int | None:
    """The offset of the first record header that begins after byte `after` (None: none, or the stream cannot
    seek). Scanned in chunks, so a long stretch that is no record is never held whole."""
    if not can_seek(stream):
        return None
    compressed = _is_gzip_member(stream, 0)
    # An uncompressed header's version line is matched with the line break before it, hence `lead`.
    pattern, lead = (GZIP_MEMBER_START, 0) if compressed else (RECORD_START_PLAIN, 1)
    base, overlap = after, 16
    while True:
        stream.seek(base)
        chunk = stream.read(DRAIN_CHUNK_BYTES + overlap)
        for match in pattern.finditer(chunk):
            found = base + match.start() + lead
            if found > after and (not compressed or _is_record_member(stream, found)):
                return found
        if len(chunk) <= overlap:
            return None
        base += len(chunk) - overlap


def _is_gzip_member(stream: BinaryIO, offset: int) -> bool:
    stream.seek(offset)
    return stream.read(2) == GZIP_MAGIC


def _is_record_member(stream: BinaryIO, offset: int) -> bool:
    """Whether a gzip member starts at `offset` and decompresses to a WARC version line."""
    stream.seek(offset)
    try:
        head = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(stream.read(MEMBER_PROBE_BYTES), 16)
    except zlib.error:
        return False
    return VERSION_LINE.match(head) is not None


def _framed_end(stream: BinaryIO, offset: int) -> int | None:
    """Where the record at `offset` ends as stored, when its Content-Length frames it (header, that many bytes,
    then the blank-line trailer, and for .warc.gz the end of its gzip member); None when it does not."""
    if not can_seek(stream):
        return None
    if not _is_gzip_member(stream, offset):
        stream.seek(offset)
        header_end = stream.read(MAX_HEADER_BYTES).find(b"\r\n\r\n")
        length = _content_length(stream, offset)
        if header_end < 0 or not length.isdigit():
            return None
        end = offset + header_end + 4 + int(length)
        stream.seek(end)
        return end + len(RECORD_TRAILER) if stream.read(len(RECORD_TRAILER)) == RECORD_TRAILER else None
    stream.seek(offset)
    decompressor, head, tail, size, position = zlib.decompressobj(zlib.MAX_WBITS | 16), b"", b"", 0, offset
    try:
        while not decompressor.eof and (chunk := stream.read(DRAIN_CHUNK_BYTES)):
            out = decompressor.decompress(chunk)
            position += len(chunk)
            head = head if len(head) >= MAX_HEADER_BYTES else (head + out)[:MAX_HEADER_BYTES]
            tail, size = (tail + out)[-len(RECORD_TRAILER) :], size + len(out)
    except zlib.error:
        return None
    header_end, length = head.find(b"\r\n\r\n"), _header_value(head, b"content-length")
    if not decompressor.eof or header_end < 0 or not length.isdigit():
        return None
    framed = size == header_end + 4 + int(length) + len(RECORD_TRAILER) and tail == RECORD_TRAILER
    return position - len(decompressor.unused_data) if framed else None


def _content_length(stream: BinaryIO, offset: int) -> str:
    """The Content-Length the record at `offset` declares, as written ('' when it declares none)."""
    stream.seek(offset)
    head = stream.read(MAX_HEADER_BYTES)
    if head.startswith(GZIP_MAGIC):
        try:
            head = zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(head, MAX_HEADER_BYTES)
        except zlib.error:
            return ""
    return _header_value(head, b"content-length")


def _header_value(head: bytes, name: bytes) -> str:
    header = head.split(b"\r\n\r\n", 1)[0]
    for line in header.split(b"\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == name:
            return value.strip().decode("latin-1")
    return ""


def _unframed(record: WarcRecord) -> str | None:
    """Why the archive cannot be read past this record, None when its Content-Length says where it ends."""
    length = record.headers.get("Content-Length")
    if length is None or length.strip().isdigit():
        return None  # a missing length is a cut header, reported with the record
    return f"WARC record with a non-numeric Content-Length {length[:40]!r}: where it ends is unknown"


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
