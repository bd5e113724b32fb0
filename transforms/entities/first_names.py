"""Gender estimated from a first name alone, from an offline name list: `estimate('Maria') -> ('female', 0.953)`.

The list is nomquamgender's (Van Buskirk, Clauset & Larremore 2023; MIT): 720,000 names, each with p(gf), the
share of people so named who are typically gendered female, pooled from up to 35 national and international name
data sets, and the number of observations behind it. The probability returned is that share for 'female' and one
minus it for 'male'. A name is estimated only where the package itself would classify it: at least
`MIN_OBSERVATIONS` observations (its "high coverage") and p(gf) outside its default band of uncertainty, so unisex
names ('Jordan', 'Robin', 'Kim') get no estimate. An estimate is a prior about a name, never evidence about a
person: the entity layer stores it apart from the gender the article states.

Imports nothing from the project.
"""

from __future__ import annotations

import functools
import importlib.metadata
import threading
from pathlib import Path

import orjson
from unidecode import unidecode

# nomquamgender's own defaults: `taxonomize(min_counts=10)` and `NBGC(threshold=0.1)` (0.5 - |0.5 - p| <= 0.1).
MIN_OBSERVATIONS = 10
MAX_UNCERTAINTY = 0.1

_LOADING = threading.Lock()  # extraction threads share one copy


@functools.cache
def _share_female() -> dict[str, float]:
    """Name (as the package keys it) -> p(gf), for the names with enough observations. The file is found through
    the package's metadata, not imported: its module parses the 22 MB file with the stdlib on import (6 s, half a
    GB, and pandas), where orjson takes about a second."""
    data = Path(
        importlib.metadata.distribution("nomquamgender").locate_file("nomquamgender/name_data.json")
    ).read_bytes()
    # Each value is [sources, observations, p(gf), taxonomy].
    return {name: info[2] for name, info in orjson.loads(data).items() if info[1] >= MIN_OBSERVATIONS}


def load() -> None:
    """Read the name list now (a run loads it in the background while its server starts), not at the first name."""
    with _LOADING:
        _share_female()


def _lookup_key(first_name: str) -> str:
    """How nomquamgender keys a name: transliterated to ASCII, lower case ('Łukasz' -> 'lukasz')."""
    return unidecode(first_name).lower().strip()


def estimate(first_name: str) -> tuple[str, float] | None:
    """('female' | 'male', probability) for a first name, or None when the name is an initial ('J.'), not in the
    list, seen too rarely, or given to women and men alike. A name of several words ('Mary Ann') is looked up
    whole, then by its first word, as the package does."""
    key = _lookup_key(first_name)
    if len(key) < 2 or key.endswith("."):  # an initial or an abbreviation ('Wm.') names nobody's gender
        return None
    with _LOADING:
        shares = _share_female()
    share = next((shares[k] for k in (key, key.split()[0]) if k in shares), None)
    if share is None or 0.5 - abs(0.5 - share) > MAX_UNCERTAINTY:
        return None
    return ("female", share) if share > 0.5 else ("male", round(1.0 - share, 3))  # the list gives 3 decimals
