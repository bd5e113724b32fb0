"""Stable identifiers: the same inputs always give the same id, across runs and machines.

Imports nothing of wirehouse.
"""

from __future__ import annotations

import hashlib


def stable_id(*parts: object) -> str:
    """16 hex characters of BLAKE2b over the parts (None and '' are distinct from each other)."""
    digest = hashlib.blake2b(digest_size=8)
    for part in parts:
        digest.update(b"\x00" if part is None else repr(part).encode("utf-8"))
        digest.update(b"\x1f")
    return digest.hexdigest()
