"""Readers: files in, raw records out, each with its provenance.

Every reader is a generator over a binary stream that yields, for each input record, exactly one of:
`RawRecord` (fields as found in the input), `Rejected` (unreadable: goes to quarantine with the reason) or
`Skipped` (readable but not an article, with the reason). Nothing is dropped silently: a reader that fails
half-way keeps what it yielded and reports the rest as one `Rejected` item.
Readers take streams, not paths, so gzip files and archive members reuse them without touching the disk.
"""

from __future__ import annotations

import codecs
import gzip
import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import BinaryIO

import ftfy
import ijson

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


def _snippet(data: bytes | str) -> str:
    text = data if isinstance(data, str) else data[: RAW_SNIPPET_CHARS * 4].decode("utf-8", errors="replace")
    return text[:RAW_SNIPPET_CHARS]


def read_txt(stream: BinaryIO, uri: str, sidecar: dict | None = None) -> Iterator[Item]:
    """A plain-text article; metadata (and a `charset`) from a sidecar `<name>.json`; a short first line is the title."""
    data = stream.read()
    try:
        text, repairs = decode_text(data, (sidecar or {}).get("charset"))
    except UnreadableText as exc:
        yield Rejected(uri, str(exc), _snippet(data))
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


def read_json(stream: BinaryIO, uri: str) -> Iterator[Item]:
    """One article object, or an array of them, streamed item by item."""
    first = _peek_first_byte(stream)
    if first is None:
        yield Rejected(uri, "empty file")
    elif first == b"[":
        yield from _read_json_array(stream, uri)
    else:
        data = stream.read()
        try:
            obj, repairs = _parse_json(data)
        except (json.JSONDecodeError, UnreadableText) as exc:
            yield Rejected(uri, f"invalid JSON: {exc}", _snippet(data))
            return
        yield _object_record(obj, uri, repairs)


def _read_json_array(stream: BinaryIO, uri: str) -> Iterator[Item]:
    index = -1
    try:
        for index, obj in enumerate(ijson.items(stream, "item", use_float=True)):
            yield _object_record(obj, f"{uri}#index={index}")
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        yield Rejected(f"{uri}#index={index + 1}", f"invalid or truncated JSON array after item {index + 1}: {exc}")


def read_jsonl(stream: BinaryIO, uri: str) -> Iterator[Item]:
    """One article object per line; a bad line is quarantined and the rest still load."""
    for number, line in enumerate(stream, start=1):
        if not line.strip():
            continue
        line_uri = f"{uri}#line={number}"
        try:
            obj, repairs = _parse_json(line)
        except (json.JSONDecodeError, UnreadableText) as exc:
            yield Rejected(line_uri, f"invalid JSON line: {exc}", _snippet(line))
            continue
        yield _object_record(obj, line_uri, repairs)


def _parse_json(data: bytes) -> tuple[object, tuple[str, ...]]:
    """JSON in UTF-8 (or UTF-16/32, which json detects); other bytes are decoded like text files, with repairs."""
    try:
        return json.loads(data), ()
    except UnicodeDecodeError:
        text, repairs = decode_text(data)
        return json.loads(text), repairs


def _object_record(obj: object, uri: str, repairs: tuple[str, ...] = ()) -> Item:
    """A record of the object's fields, mojibake in its string values repaired (and each repair noted)."""
    if not isinstance(obj, dict):
        return Rejected(
            uri, f"expected a JSON object, got {type(obj).__name__}", _snippet(json.dumps(obj, default=str))
        )
    fixed = {name: ftfy.fix_encoding(value) if isinstance(value, str) else value for name, value in obj.items()}
    repairs += tuple(f"fixed mojibake in {name}" for name, value in obj.items() if fixed[name] != value)
    return RawRecord(uri, fixed, repairs)


def _peek_first_byte(stream: BinaryIO) -> bytes | None:
    """The first non-whitespace byte, left in the stream (file, gzip and archive-member streams can peek)."""
    while chunk := stream.peek(1):
        if stripped := chunk.lstrip():
            stream.read(len(chunk) - len(stripped))
            return stripped[:1]
        stream.read(len(chunk))
    return None


# Suffix -> reader. Formats from later stages (HTML, WARC, archives) register here too.
READERS: dict[str, Reader] = {".txt": read_txt, ".json": read_json, ".jsonl": read_jsonl}


# Readers given the compressed bytes as they are: a .warc.gz record offset must point into the file itself.
SELF_DECOMPRESSING = {".warc"}


def reader_for(name: str) -> tuple[Reader | None, bool]:
    """The reader for a file name and whether its gzip compression is for `read_stream` to undo."""
    lowered = name.lower()
    gzipped = lowered.endswith(".gz")
    stem = lowered[:-3] if gzipped else lowered
    suffix = Path(stem).suffix
    return READERS.get(suffix), gzipped and suffix not in SELF_DECOMPRESSING


def read_stream(name: str, stream: BinaryIO, uri: str, sidecar: dict | None = None) -> Iterator[Item]:
    """Every item of one file-like input, with gzip handled and failures turned into Rejected items."""
    reader, gzipped = reader_for(name)
    if reader is None:
        yield Skipped(uri, f"unsupported file type: {Path(name).suffix or name}")
        return
    if gzipped:
        stream = gzip.GzipFile(fileobj=stream)
    items = reader(stream, uri, sidecar) if reader is read_txt else reader(stream, uri)
    try:
        yield from items
    except (EOFError, OSError, zlib.error) as exc:
        yield Rejected(uri, f"truncated or corrupt compressed input: {exc}")


def sidecar_for(path: Path) -> Path | None:
    """`story.json` beside `story.txt` is the text's metadata, not an article of its own."""
    if path.suffix.lower() == ".txt":
        candidate = path.with_suffix(".json")
        return candidate if candidate.exists() else None
    return None


def read_path(path: Path) -> Iterator[Item]:
    """Every item of one file; a file that yields nothing at all is one Rejected item, so it is accounted for."""
    sidecar, note = _load_sidecar(path)
    empty = True
    with path.open("rb") as stream:
        for item in read_stream(path.name, stream, str(path), sidecar):
            empty = False
            yield replace(item, repairs=item.repairs + (note,)) if note and isinstance(item, RawRecord) else item
    if empty:
        yield Rejected(str(path), "file holds no records")


def _load_sidecar(path: Path) -> tuple[dict | None, str | None]:
    if (sidecar_path := sidecar_for(path)) is None:
        return None, None
    try:
        sidecar = json.loads(sidecar_path.read_bytes())
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        return None, f"ignored invalid sidecar {sidecar_path.name}: {exc}"
    return (
        (sidecar, None) if isinstance(sidecar, dict) else (None, f"ignored sidecar {sidecar_path.name}: not an object")
    )


# Formats in their own modules register themselves in READERS; imported last because they import this module.
from transforms.ingest.formats import archives, html, warc  # noqa: E402, F401
