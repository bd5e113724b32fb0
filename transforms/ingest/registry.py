"""Where a file becomes items: `read_path` and `read_stream`, the entry points of ingest, and READERS, the
table from a file suffix to the reader of that format.

The table is written out here, over the format modules, which know nothing of it. Archive members can be of
any format (archives too), so the archive readers are handed `read_stream` for their members rather than
importing this module. May import transforms.ingest.records and transforms.ingest.formats.
"""

from __future__ import annotations

import gzip
import json
import zlib
from collections.abc import Iterator
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import BinaryIO

from transforms.ingest.formats import archives, html, text, warc
from transforms.ingest.formats import json as json_format
from transforms.ingest.limits import CountingReader, InputLimit, expansion_guarded
from transforms.ingest.records import Item, RawRecord, Reader, Rejected, Skipped

# Readers given the compressed bytes as they are: a .warc.gz record offset must point into the file itself.
SELF_DECOMPRESSING = {".warc"}
# Suffixes that say gzip in one: `.tgz` is read as `.tar.gz`, so its expansion is guarded like any gzip.
GZIP_SHORTHANDS = {".tgz": ".tar"}


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


def sidecar_for(path: Path) -> Path | None:
    """`story.json` beside `story.txt` is the text's metadata, not an article of its own."""
    if path.suffix.lower() == ".txt":
        candidate = path.with_suffix(".json")
        return candidate if candidate.exists() else None
    return None


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


def read_stream(name: str, stream: BinaryIO, uri: str, sidecar: dict | None = None) -> Iterator[Item]:
    """Every item of one file-like input, with gzip handled and failures turned into Rejected items."""
    reader, gzipped = reader_for(name)
    if reader is None:
        yield Skipped(uri, f"unsupported file type: {Path(name).suffix or name}")
        return
    if gzipped:
        compressed = CountingReader(stream)
        stream = expansion_guarded(gzip.GzipFile(fileobj=compressed), lambda: compressed.count)
    items = reader(stream, uri, sidecar) if reader is text.read_txt else reader(stream, uri)
    try:
        yield from items
    except InputLimit as exc:
        yield Rejected(uri, str(exc))
    except (EOFError, OSError, zlib.error) as exc:
        yield Rejected(uri, f"truncated or corrupt compressed input: {exc}")


READERS: dict[str, Reader] = {
    ".txt": text.read_txt,
    ".json": json_format.read_json,
    ".jsonl": json_format.read_jsonl,
    ".html": html.read_html,
    ".htm": html.read_html,
    ".warc": warc.read_warc,
    ".tar": partial(archives.read_tar, read_member=read_stream),
    ".zip": partial(archives.read_zip, read_member=read_stream),
}


def reader_for(name: str) -> tuple[Reader | None, bool]:
    """The reader for a file name and whether its gzip compression is for `read_stream` to undo."""
    lowered = name.lower()
    gzipped = lowered.endswith(".gz")
    stem = lowered[:-3] if gzipped else lowered
    suffix = Path(stem).suffix
    if suffix in GZIP_SHORTHANDS:
        suffix, gzipped = GZIP_SHORTHANDS[suffix], True
    return READERS.get(suffix), gzipped and suffix not in SELF_DECOMPRESSING
