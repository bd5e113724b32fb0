"""PLOVER reference data: quad classes, the CAMEO codes of each type and mode, and the trigger lexicon.

Both tables ship in data/ beside this module so the pipeline never reads the corpus at run time.
May import: the standard library only (every other module of events reads its tables).
"""

from __future__ import annotations

import functools
import json
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"


@functools.cache
def plover_table() -> dict:
    return json.loads((DATA_DIR / "plover.json").read_text(encoding="utf-8"))


@functools.cache
def lexicon() -> dict:
    """The trigger lexicon; its word lists become frozensets, as the rules only ask whether a word is in one."""
    entries = json.loads((DATA_DIR / "event_lexicon.json").read_text(encoding="utf-8"))
    return {name: frozenset(value) if isinstance(value, list) else value for name, value in entries.items()}


def quad_class(event_type: str) -> str:
    return plover_table()["quad_class"][event_type]


def cameo_root(event_type: str, mode: str | None) -> str:
    """The two-digit CAMEO root of the type and mode (the type's default code when the mode has none)."""
    codes = plover_table()["cameo_code"][event_type]
    return codes.get(mode or "", codes[""])[:2]
