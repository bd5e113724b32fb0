"""The items every reader yields, and the raw snippet a rejected item keeps.

Every reader is a generator over a binary stream that yields, for each input record, exactly one of:
`RawRecord` (fields as found in the input), `Rejected` (unreadable: goes to quarantine with the reason) or
`Skipped` (readable but not an article, with the reason). Nothing is dropped silently: a reader that fails
half-way keeps what it yielded and reports the rest as one `Rejected` item.
Readers take streams, not paths, so gzip files and archive members reuse them without touching the disk.

Imports nothing of wirehouse: every other ingest module imports this one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

# Raw snippets kept in quarantine rows are capped so one bad 200 MB record cannot bloat the warehouse.
RAW_SNIPPET_CHARS = 2_000


@dataclass(frozen=True)
class RawRecord:
    source_uri: str
    fields: dict
    # What the reader had to repair to read it (e.g. "decoded as cp1252", "fixed mojibake").
    repairs: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class Rejected:
    source_uri: str
    reason: str
    raw: str = ""


@dataclass(frozen=True)
class Skipped:
    source_uri: str
    reason: str


Item = RawRecord | Rejected | Skipped
Reader = Callable[[BinaryIO, str], Iterator[Item]]


class UnreadableText(ValueError):
    pass


def snippet(data: bytes | str) -> str:
    """The start of a rejected input, as text, for its quarantine row."""
    text = data if isinstance(data, str) else data[: RAW_SNIPPET_CHARS * 4].decode("utf-8", errors="replace")
    return text[:RAW_SNIPPET_CHARS]
