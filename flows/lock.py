"""One run per home at a time: an advisory lock the kernel releases if the holder dies.

Imports nothing of wirehouse.
"""

from __future__ import annotations

import fcntl
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

LOCK_FILE = ".wirehouse.lock"


class HomeLocked(RuntimeError):
    pass


@contextmanager
def home_lock(home: Path, purpose: str) -> Iterator[None]:
    """Hold HOME's lock for the block; a second holder gets HomeLocked naming the first one.

    flock (not a pid file) so a crashed run never leaves a stale lock: the kernel drops it with the process.
    """
    home.mkdir(parents=True, exist_ok=True)
    with open(home / LOCK_FILE, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            owner = _owner(handle.read())
            raise HomeLocked(
                f"another run holds this home since {owner.get('since', '?')} "
                f"(pid {owner.get('pid', '?')}, {owner.get('purpose', '?')}); try again when it finishes"
            ) from None
        try:
            handle.seek(0)
            handle.truncate()
            handle.write(
                json.dumps(
                    {"pid": os.getpid(), "since": datetime.now(UTC).isoformat(timespec="seconds"), "purpose": purpose}
                )
            )
            handle.flush()
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def _owner(text: str) -> dict:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return {}
