"""Entity keys: one normalised key per real-world source, so the same person joins across articles."""

from __future__ import annotations

import re
import unicodedata

# Words that precede a name without being part of it ("President Trump", "Mr. Putin").
HONORIFICS = frozenset(
    "mr mrs ms miss dr prof sir dame lord lady rev president vice prime minister secretary senator sen rep "
    "representative gov governor mayor gen general col colonel capt captain lt sgt chancellor king queen prince "
    "princess pope judge justice chief chairman chairwoman spokesman spokeswoman ambassador candidate former "
    "first the".split()
)


def entity_key(name: str) -> str:
    """'President Donald J. Trump' -> 'donald_trump'; "Trump's" -> 'trump'; 'CBS News' -> 'cbs_news';
    'Sen. Bernie Sanders (I-Vt.)' -> 'bernie_sanders'.

    Middle initials are dropped so that "Donald Trump" and "Donald J. Trump" agree; generational suffixes stay
    ("Donald Trump Jr." is his son). A surname alone stays a surname key ("President Trump" -> 'trump'): a pure
    function cannot know which Trump is meant, so quotes.py keys people by the full name the article gives.
    """
    text = re.sub(r"['’]s\b", "", name)  # before ASCII folding drops the curly apostrophe
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = re.sub(r"\([^)]*\)", " ", text)  # "Sen. Bernie Sanders (I-Vt.)"
    words = [w for w in re.split(r"[^a-z0-9]+", text) if w]
    while words and words[0] in HONORIFICS:
        words = words[1:]
    words = [w for i, w in enumerate(words) if not (0 < i < len(words) - 1 and len(w) == 1)]
    return "_".join(words)
