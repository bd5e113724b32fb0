"""JSON articles: one object or an array of them (`.json`, the array streamed item by item), or one object
per line (`.jsonl`). String values get their mojibake repaired; bytes that are not UTF-8 are decoded like text.
An object or line past the size limit, or a value nested past the depth limit (`transforms.ingest.limits`),
is one Rejected item; the records beside it still load.

May import transforms.ingest.records, transforms.ingest.limits and transforms.ingest.formats.text. This module shares the stdlib's name:
imports here and of it stay absolute.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import BinaryIO

import ftfy
import ijson
from ijson.common import ObjectBuilder

from transforms.ingest.formats.text import decode_text
from transforms.ingest.limits import MAX_JSON_DEPTH, InputLimit, depth_exceeds, read_line, read_record
from transforms.ingest.records import Item, RawRecord, Rejected, UnreadableText, snippet

OPENING, CLOSING = {"start_map", "start_array"}, {"end_map", "end_array"}
TOO_DEEP = object()


def read_json(stream: BinaryIO, uri: str) -> Iterator[Item]:
    """One article object, or an array of them, streamed item by item."""
    first = _peek_first_byte(stream)
    if first is None:
        yield Rejected(uri, "empty file")
    elif first == b"[":
        yield from _read_json_array(stream, uri)
    else:
        data = read_record(stream)
        try:
            obj, repairs = _parse_json(data)
        except (json.JSONDecodeError, UnreadableText, InputLimit) as exc:
            yield Rejected(uri, f"invalid JSON: {exc}", snippet(data))
            return
        yield _object_record(obj, uri, repairs)


def _read_json_array(stream: BinaryIO, uri: str) -> Iterator[Item]:
    index = -1
    try:
        for index, obj in enumerate(_array_items(stream)):
            if obj is TOO_DEEP:
                yield Rejected(
                    f"{uri}#index={index}", f"invalid JSON: nested deeper than the {MAX_JSON_DEPTH} levels allowed"
                )
            else:
                yield _object_record(obj, f"{uri}#index={index}")
    except (ijson.JSONError, UnicodeDecodeError) as exc:
        yield Rejected(f"{uri}#index={index + 1}", f"invalid or truncated JSON array after item {index + 1}: {exc}")


def _array_items(stream: BinaryIO) -> Iterator[object]:
    """Each item of the top-level array, TOO_DEEP for one nested past MAX_JSON_DEPTH. Built from the parser's
    events: `ijson.items` spells out every value's path, which for an item 100,000 levels deep is gigabytes."""
    depth, builder, too_deep = 0, None, False
    for event, value in ijson.basic_parse(stream, use_float=True):
        if event in CLOSING:
            depth -= 1
        level = depth  # 0: the array's own brackets, 1: an item, deeper: inside one
        if event in OPENING:
            depth += 1
        if level == 0:
            continue
        if builder is None:
            builder, too_deep = ObjectBuilder(), False
        too_deep = too_deep or depth - 1 > MAX_JSON_DEPTH
        if not too_deep:
            builder.event(event, value)
        if level == 1 and event not in OPENING:  # a scalar item, or an item's closing bracket
            yield TOO_DEEP if too_deep else builder.value
            builder = None


def read_jsonl(stream: BinaryIO, uri: str) -> Iterator[Item]:
    """One article object per line; a bad line is quarantined and the rest still load."""
    number = 0
    while True:
        line, whole = read_line(stream)
        if not line:
            return
        number += 1
        line_uri = f"{uri}#line={number}"
        if not whole:
            yield Rejected(line_uri, "JSON line past the limit on one record", snippet(line))
            continue
        if not line.strip():
            continue
        try:
            obj, repairs = _parse_json(line)
        except (json.JSONDecodeError, UnreadableText, InputLimit) as exc:
            yield Rejected(line_uri, f"invalid JSON line: {exc}", snippet(line))
            continue
        yield _object_record(obj, line_uri, repairs)


def _parse_json(data: bytes) -> tuple[object, tuple[str, ...]]:
    """JSON in UTF-8 (or UTF-16/32, which json detects); other bytes are decoded like text files, with repairs."""
    try:
        return _loads(data), ()
    except UnicodeDecodeError:
        text, repairs = decode_text(data)
        return _loads(text), repairs


def _loads(data: bytes | str) -> object:
    try:
        return json.loads(data)
    except RecursionError:  # the parser recurses once per level: Python's stack ends first
        raise InputLimit(f"nested deeper than the {MAX_JSON_DEPTH} levels allowed") from None


def _object_record(obj: object, uri: str, repairs: tuple[str, ...] = ()) -> Item:
    """A record of the object's fields, mojibake in its string values repaired (and each repair noted)."""
    if depth_exceeds(obj):  # checked before anything (ftfy, json.dumps, the normaliser) recurses into it
        return Rejected(uri, f"invalid JSON: nested deeper than the {MAX_JSON_DEPTH} levels allowed")
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
