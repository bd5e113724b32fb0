"""Entity keys: one normalised key per real-world source, so the same person joins across articles.

`same_entity` says which two keys name one entity across articles. Imports the entities lexicon only.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from transforms.entities.lexicon import HONORIFICS

POSSESSIVE = re.compile(r"['’]s\b")
PARENTHESIS = re.compile(r"\([^)]*\)")
NON_WORD = re.compile(r"[^a-z0-9]+")
GENERATIONAL_SUFFIXES = frozenset("jr sr ii iii iv".split())
# Words that open a surname, whatever their case ("Jean-Claude Van Damme", "Ludwig van Beethoven").
SURNAME_PARTICLES = frozenset("van von de da di du del della der den la le bin ibn al el".split())


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


@functools.lru_cache(maxsize=8192)
def person_key(full_name: str) -> str:
    """A person's key from the first and the last word of the name ('George Walker Bush' -> 'george_bush'), so the
    fullest form one article gives joins the shorter form another gives; a particle or generational suffix stays
    ('Ludwig van Beethoven' -> 'ludwig_van_beethoven', 'Donald Trump Jr.' -> 'donald_trump_jr')."""
    words = [w for w in re.split(r"\s+", PARENTHESIS.sub(" ", full_name)) if w]
    while len(words) > 2 and words[0].lower().strip(".") in HONORIFICS:
        words = words[1:]
    last = len(words) - 1
    while last > 1 and words[last].lower().strip(".,") in GENERATIONAL_SUFFIXES:
        last -= 1
    # a middle word is a given name ("Walker"), unless it opens the surname ("van")
    kept = [w for i, w in enumerate(words) if i in (0, last) or i > last or w.lower() in SURNAME_PARTICLES]
    return entity_key(" ".join(kept))


def same_entity(x: str, y: str) -> bool:
    """The same entity key, or a surname-only key and a full key ending in that surname (the story clusters join
    speakers so; events tie on any shared key word, which this implies)."""
    return x == y or ("_" not in x and y.rsplit("_", 1)[-1] == x) or ("_" not in y and x.rsplit("_", 1)[-1] == y)


def name_key(name: str) -> str:
    """The key event participants join on: curly apostrophes straightened first, so a name's inner apostrophe
    splits it ("O’Brien" -> 'o_brien') where `entity_key`'s ASCII folding drops it ('obrien')."""
    return entity_key(name.replace("’", "'"))
