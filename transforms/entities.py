"""Entity keys: one normalised key per real-world source, so the same person joins across articles."""

from __future__ import annotations

import re
import unicodedata

# Words that precede or decorate a name without being part of it ("President Trump", "Mr. Putin", "Trump Jr.").
HONORIFICS = frozenset(
    "mr mrs ms miss dr prof sir dame lord lady rev president vice prime minister secretary senator sen rep "
    "representative gov governor mayor gen general col colonel capt captain lt sgt chancellor king queen prince "
    "princess pope judge justice chief chairman chairwoman spokesman spokeswoman ambassador candidate former "
    "first the".split()
)
SUFFIXES = frozenset("jr sr ii iii iv".split())


def entity_key(name: str) -> str:
    """'President Donald J. Trump' -> 'donald_trump'; "Trump's" -> 'trump'; 'CBS News' -> 'cbs_news'.

    People keep first and last name (middle names and initials dropped) so that "Donald Trump" and
    "Donald J. Trump" agree; a surname alone stays a surname key, which the warehouse can map to the full name.
    """
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"['’]s\b", "", text)
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w]
    while words and words[0] in HONORIFICS:
        words = words[1:]
    while words and words[-1] in SUFFIXES:
        words = words[:-1]
    if len(words) > 2 and all(len(w) == 1 for w in words[1:-1]):
        words = [words[0], words[-1]]
    return "_".join(words)
