"""Entity keys: one normalised key per real-world source, so the same person joins across articles.

Imports the entities lexicon only.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from transforms.entities.lexicon import HONORIFICS

POSSESSIVE = re.compile(r"['’]s\b")
PARENTHESIS = re.compile(r"\([^)]*\)")
NON_WORD = re.compile(r"[^a-z0-9]+")


@functools.lru_cache(maxsize=8192)  # an article names the same people again and again
def entity_key(name: str) -> str:
    """'President Donald J. Trump' -> 'donald_trump'; "Trump's" -> 'trump'; 'CBS News' -> 'cbs_news';
    'Sen. Bernie Sanders (I-Vt.)' -> 'bernie_sanders'.

    Middle initials are dropped so that "Donald Trump" and "Donald J. Trump" agree; generational suffixes stay
    ("Donald Trump Jr." is his son). A surname alone stays a surname key ("President Trump" -> 'trump'): a pure
    function cannot know which Trump is meant, so the speaker resolver keys people by the full name the article gives.
    """
    text = POSSESSIVE.sub("", name)  # before ASCII folding drops the curly apostrophe
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    text = PARENTHESIS.sub(" ", text)  # "Sen. Bernie Sanders (I-Vt.)"
    words = [w for w in NON_WORD.split(text) if w]
    while words and words[0] in HONORIFICS:
        words = words[1:]
    words = [w for i, w in enumerate(words) if not (0 < i < len(words) - 1 and len(w) == 1)]
    return "_".join(words)


def name_key(name: str) -> str:
    """The key event participants join on: curly apostrophes straightened first, so a name's inner apostrophe
    splits it ("O’Brien" -> 'o_brien') where `entity_key`'s ASCII folding drops it ('obrien')."""
    return entity_key(name.replace("’", "'"))
