"""What one input may cost to read, declared once: the size of one record held in memory, how far compressed
data may expand, how deep a JSON value may nest. An input past a limit raises `InputLimit`, which
`registry.read_stream` turns into one Rejected item with the reason; the records beside it still load.

- MAX_RECORD_BYTES: one record is read whole (an HTML page, a text file, a JSON object or JSONL line): 64 MiB,
  a thousand times a long article page, so a single line of hundreds of MB is refused after reading that much.
  Streamed formats (JSON arrays, WARC) hold one item at a time and have no overall limit.
- MAX_EXPANSION_RATIO: gzip data and zip members may expand at most 200 times their compressed size (text
  compresses 3-10 times; a run of zeros 1,000 times, the shape of a decompression bomb), checked once
  EXPANSION_GRACE_BYTES (16 MiB) have come out, so small, very repetitive files still read.
- MAX_JSON_DEPTH: 200 levels of nested arrays and objects (an article is 2 or 3 deep); deeper values are refused
  before anything recurses into them.

Imports nothing of wirehouse.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import BinaryIO

MAX_RECORD_BYTES = 64 * 1024 * 1024
MAX_EXPANSION_RATIO = 200
EXPANSION_GRACE_BYTES = 16 * 1024 * 1024
MAX_JSON_DEPTH = 200
CHUNK_BYTES = 1 << 20


class InputLimit(ValueError):
    """An input past one of the limits above; the message says which."""


def read_record(stream: BinaryIO) -> bytes:
    """The whole stream as one record, refused past MAX_RECORD_BYTES (at most that much is ever held)."""
    # In chunks: one read of the whole limit would allocate all of it for every record.
    chunks, size = [], 0
    while chunk := stream.read(CHUNK_BYTES):
        size += len(chunk)
        if size > MAX_RECORD_BYTES:
            raise InputLimit(f"record larger than the {_mib(MAX_RECORD_BYTES)} limit on one record")
        chunks.append(chunk)
    return b"".join(chunks)


def read_line(stream: BinaryIO) -> tuple[bytes, bool]:
    """The next line and whether it fits MAX_RECORD_BYTES; the rest of a line too long is read past in chunks,
    never held. (b"", True) at the end of the stream."""
    line = stream.readline(MAX_RECORD_BYTES + 1)
    if len(line) <= MAX_RECORD_BYTES or line.endswith(b"\n"):
        return line, True
    while (rest := stream.readline(CHUNK_BYTES)) and not rest.endswith(b"\n"):
        pass
    return line[:MAX_RECORD_BYTES], False


def depth_exceeds(value: object, limit: int | None = None) -> bool:
    """Whether arrays and objects nest deeper than `limit` (MAX_JSON_DEPTH) in `value`, walked without recursion."""
    limit = MAX_JSON_DEPTH if limit is None else limit
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        for child in children:
            if isinstance(child, dict | list):
                if depth + 1 > limit:
                    return True
                pending.append((child, depth + 1))
    return False


def expansion_guarded(decompressed: BinaryIO, compressed_bytes: Callable[[], int]) -> BinaryIO:
    """`decompressed` as a buffered stream that raises InputLimit once it has given more than
    MAX_EXPANSION_RATIO times `compressed_bytes()` (past the grace)."""
    return io.BufferedReader(_ExpansionGuard(decompressed, compressed_bytes))


class _Wrapper(io.RawIOBase):
    """A raw stream over `source` that can seek where the source can (fastwarc and zipfile seek their input)."""

    def __init__(self, source: BinaryIO) -> None:
        self._source = source

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return can_seek(self._source)

    def seek(self, offset: int, whence: int = io.SEEK_SET) -> int:
        return self._source.seek(offset, whence)

    def tell(self) -> int:
        return self._source.tell()


def can_seek(stream: BinaryIO) -> bool:
    """Whether the stream can go back; a tar member read in one pass cannot (and raises when asked)."""
    try:
        return stream.seekable()
    except AttributeError:  # the member asks its one-pass source, which has no seekable()
        return False


class _ExpansionGuard(_Wrapper):
    # Bytes given again after a seek back count again: the guard only errs on the safe side.
    def __init__(self, source: BinaryIO, compressed_bytes: Callable[[], int]) -> None:
        super().__init__(source)
        self._compressed_bytes, self._given = compressed_bytes, 0

    def readinto(self, buffer) -> int:
        # read1: what the source has decoded so far, so a truncated gzip still gives every whole line before the cut
        # (readinto would try to fill the buffer and lose them with the error)
        read1 = getattr(self._source, "read1", None)
        if read1 is None:
            count = self._source.readinto(buffer)
        else:
            data = read1(len(buffer))
            count = len(data)
            buffer[:count] = data
        self._given += count
        if self._given > EXPANSION_GRACE_BYTES and self._given > MAX_EXPANSION_RATIO * self._compressed_bytes():
            raise InputLimit(
                f"decompression bomb: {_mib(self._given)} out of {_mib(self._compressed_bytes())} compressed, "
                f"past the limit of {MAX_EXPANSION_RATIO} times"
            )
        return count


class CountingReader(_Wrapper):
    """A raw stream that counts the bytes read from it (the compressed side of an expansion guard)."""

    def __init__(self, source: BinaryIO) -> None:
        super().__init__(source)
        self.count = 0

    def readinto(self, buffer) -> int:
        data = self._source.read(len(buffer))
        buffer[: len(data)] = data
        self.count += len(data)
        return len(data)


def _mib(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MiB"
