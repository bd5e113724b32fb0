"""Tar and zip archives holding any supported format (nested gzip and archives too), read member by member.

Nothing is unpacked to disk and member names never become paths: a name only picks the reader (by suffix)
and names the provenance, `<archive>!<member>`, so `../../etc/passwd` is a harmless label.
Each regular file member is an input: its reader's items, or Skipped when no reader takes its suffix.
Directories are structure, not input; links and device entries are Skipped with the reason.
A member is read by the `read_member` the caller hands in (transforms.ingest.registry hands `read_stream`, which
picks the member's reader), so this module imports transforms.ingest.records only, and transforms.ingest.limits
to guard each zip member's expansion.
"""

from __future__ import annotations

import shutil
import tarfile
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import BinaryIO

from transforms.ingest.limits import can_seek, expansion_guarded
from transforms.ingest.records import Item, Rejected, Skipped

# Reads one member: (its name, its stream, its provenance URI) -> its items.
MemberReader = Callable[[str, BinaryIO, str], Iterator[Item]]

# A zip's directory is at its end: a zip inside a one-pass stream (a member of a compressed tar) is spooled,
# in memory up to this size, beyond it in an anonymous temporary file.
ZIP_SPOOL_BYTES = 64 * 1024 * 1024


def read_tar(stream: BinaryIO, uri: str, read_member: MemberReader) -> Iterator[Item]:
    """Every member of a tar stream in order (`r|*`: one pass, any compression, no seeking)."""
    try:
        with tarfile.open(fileobj=stream, mode="r|*") as archive:
            for member in archive:
                yield from _tar_member_items(archive, member, f"{uri}!{member.name}", read_member)
    except tarfile.TarError as exc:
        yield Rejected(uri, f"unreadable or truncated tar archive: {exc}")


def _tar_member_items(
    archive: tarfile.TarFile, member: tarfile.TarInfo, member_uri: str, read_member: MemberReader
) -> Iterator[Item]:
    if member.isdir():
        return
    if not member.isfile():
        yield Skipped(member_uri, "tar entry is a link or device, not a file")
        return
    yield from read_member(member.name, archive.extractfile(member), member_uri)


def read_zip(stream: BinaryIO, uri: str, read_member: MemberReader) -> Iterator[Item]:
    """Every file member of a zip archive, each decompressed as it is read."""
    with _seekable(stream) as seekable:
        try:
            archive = zipfile.ZipFile(seekable)
        except zipfile.BadZipFile as exc:
            yield Rejected(uri, f"unreadable zip archive: {exc}")
            return
        with archive:
            for member in archive.infolist():
                if not member.is_dir():
                    yield from _zip_member_items(archive, member, f"{uri}!{member.filename}", read_member)


def _zip_member_items(
    archive: zipfile.ZipFile, member: zipfile.ZipInfo, member_uri: str, read_member: MemberReader
) -> Iterator[Item]:
    try:
        member_stream = archive.open(member)
    except (zipfile.BadZipFile, NotImplementedError, RuntimeError) as exc:
        # RuntimeError: encrypted member; NotImplementedError: unsupported compression method.
        yield Rejected(member_uri, f"unreadable zip member: {exc}")
        return
    with member_stream:
        guarded = expansion_guarded(member_stream, lambda: member.compress_size)
        try:
            yield from read_member(member.filename, guarded, member_uri)
        except zipfile.BadZipFile as exc:
            yield Rejected(member_uri, f"corrupt zip member: {exc}")


@contextmanager
def _seekable(stream: BinaryIO) -> Iterator[BinaryIO]:
    if can_seek(stream):
        yield stream  # the caller's stream: left open
        return
    with tempfile.SpooledTemporaryFile(max_size=ZIP_SPOOL_BYTES) as spool:
        shutil.copyfileobj(stream, spool)
        spool.seek(0)
        yield spool
