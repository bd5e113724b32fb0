"""Plain-text articles (`.txt`), and the decoding of text bytes that the JSON readers reuse.

May import transforms.ingest.records and transforms.ingest.limits.
"""

from __future__ import annotations

import codecs
from collections.abc import Iterator
from typing import BinaryIO

import ftfy

from transforms.ingest.limits import read_record
from transforms.ingest.records import Item, RawRecord, Rejected, UnreadableText, snippet


def read_txt(stream: BinaryIO, uri: str, sidecar: dict | None = None) -> Iterator[Item]:
    """A plain-text article; metadata (and `charset`) from a sidecar `<name>.json`; a short first line is the title."""
    data = read_record(stream)
    try:
        text, repairs = decode_text(data, (sidecar or {}).get("charset"))
    except UnreadableText as exc:
        yield Rejected(uri, str(exc), snippet(data))
        return
    fields = dict(sidecar or {})
    head, sep, rest = text.lstrip().partition("\n")
    if "title" not in fields and sep and rest.startswith(("\n", "\r\n")) and _looks_like_title(head):
        fields["title"], text = head.strip(), rest
    fields["text"] = text
    yield RawRecord(uri, fields, repairs)


def _looks_like_title(line: str) -> bool:
    line = line.strip()
    return 0 < len(line) <= 160 and not line.endswith((",", ";", ":"))


def decode_text(data: bytes, declared_charset: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Bytes to text: the declared charset, else UTF-8, else cp1252; then mojibake repaired by ftfy."""
    if b"\x00" in data[:8192]:
        raise UnreadableText("binary content (NUL bytes) in a text file")
    repairs: list[str] = []
    # Text labelled latin-1 is in practice cp1252 (curly quotes in 0x80-0x9f), as browsers read it too.
    if declared_charset and _codec_name(declared_charset) == "iso8859-1":
        declared_charset = "cp1252"
    for charset in filter(None, (declared_charset, "utf-8-sig")):
        try:
            text = data.decode(charset)
            break
        except (LookupError, UnicodeDecodeError):
            continue
    else:
        text = data.decode("cp1252", errors="replace")
        repairs.append("decoded as cp1252")
    fixed = ftfy.fix_encoding(text)
    if fixed != text:
        repairs.append("fixed mojibake")
    control = sum(1 for ch in fixed[:8192] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if control > 0.05 * min(len(fixed), 8192):
        raise UnreadableText("binary content (control characters) in a text file")
    return fixed, tuple(repairs)


def _codec_name(charset: str) -> str | None:
    try:
        return codecs.lookup(charset).name
    except LookupError:
        return None
