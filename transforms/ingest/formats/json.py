"""JSON articles: one object or an array of them (`.json`, the array streamed item by item), or one object
per line (`.jsonl`). String values get their mojibake repaired; bytes that are not UTF-8 are decoded like text.

May import transforms.ingest.records and transforms.ingest.formats.text. This module shares the stdlib's name:
imports here and of it stay absolute.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

import ftfy
import ijson

from transforms.ingest.formats.text import decode_text
from transforms.ingest.records import Item, RawRecord, Rejected, UnreadableText, snippet


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
            yield Rejected(uri, f"invalid JSON: {exc}", snippet(data))
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
            yield Rejected(line_uri, f"invalid JSON line: {exc}", snippet(line))
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
        return Rejected(uri, f"expected a JSON object, got {type(obj).__name__}", snippet(json.dumps(obj, default=str)))
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
