"""One run per home at a time: an advisory lock the kernel releases if the holder dies.

Imports nothing of wirehouse.
"""

from __future__ import annotations

import fcntl
import json
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

LOCK_FILE = ".wirehouse.lock"
# Homes this process holds, by the thread that took the lock: `wirehouse run` takes its home before it starts
# anything, and the flow it then calls takes it again (flock would refuse a second open file of one process).
_held: dict[Path, int] = {}


class HomeLocked(RuntimeError):
    pass


@contextmanager
def home_lock(home: Path, purpose: str) -> Iterator[None]:
    """Hold HOME's lock for the block; a second holder gets HomeLocked naming the first one.

    flock (not a pid file) so a crashed run never leaves a stale lock: the kernel drops it with the process. The
    thread holding it may take it again (the block then runs under the first holder's lock and purpose).
    """
    home.mkdir(parents=True, exist_ok=True)
    key = home.resolve()
    if _held.get(key) == threading.get_ident():
        yield
        return
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
            _held[key] = threading.get_ident()
            yield
        finally:
            _held.pop(key, None)
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


def _owner(text: str) -> dict:
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return {}
