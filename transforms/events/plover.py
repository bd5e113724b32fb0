"""PLOVER reference data: quad classes, the CAMEO codes of each type and mode, the trigger lexicon and the CAMEO
verb dictionary.

All tables ship in data/ beside this module so the pipeline never reads the corpus at run time: plover.json (quad
classes; CAMEO codes per type and mode), event_lexicon.json (the hand-written lexicon) and cameo_lexicon.json (the
CAMEO verb dictionary of PETRARCH2 with each code's PLOVER type, built by scripts/build_cameo_lexicon.py).
May import: the standard library only (every other module of events reads its tables).
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DATA_DIR = Path(__file__).parent / "data"
FUNCTION_WORDS = frozenset(
    "to at on in with for from by into onto off out up down away back over against between of about through toward "
    "towards under upon around across inside outside along behind before after near the a".split()
)


@dataclass(frozen=True)
class PatternWord:
    """One word of a CAMEO pattern: the stems and exact words any of which fills it."""

    stems: frozenset[str]
    exact: frozenset[str]


@dataclass(frozen=True)
class CameoPattern:
    subject: tuple[PatternWord, ...]  # words of the verb's subject
    objects: tuple[PatternWord, ...]  # words of its objects, particles and complements
    phrases: tuple[tuple[PatternWord, ...], ...]  # prepositional phrases: the preposition, then its words
    code: str | None  # None: in this context the verb reports no event

    @property
    def names_a_thing(self) -> bool:
        """Whether the pattern has a content word: one of particles and prepositions only ("* (WITH)", "* OFF")
        reads only the verb it was written for ("set off for" is a journey, "launch off" nothing)."""
        words = self.subject + self.objects + tuple(w for phrase in self.phrases for w in phrase[1:])
        return any(not (w.stems | w.exact) <= FUNCTION_WORDS for w in words)


@dataclass(frozen=True)
class PatternSet:
    """CAMEO patterns, most specific first."""

    patterns: tuple[CameoPattern, ...]

    @functools.cached_property
    def by_word(self) -> tuple[dict[str, tuple[int, ...]], tuple[int, ...]]:
        """The patterns (by place) under each alternative of one word they require, and the ones with no word: a
        context is only tried against the patterns one of its words can fill. The word is a content word where the
        pattern has one ("forces", not "with"), as prepositions are in nearly every sentence."""
        index: dict[str, list[int]] = {}
        unkeyed = []
        for place, pattern in enumerate(self.patterns):
            words = pattern.objects + tuple(w for p in pattern.phrases for w in p[1:]) + pattern.subject
            words += tuple(p[0] for p in pattern.phrases)
            anchor = next((w for w in words if not (w.stems | w.exact) <= FUNCTION_WORDS), words[0] if words else None)
            if anchor is None:
                unkeyed.append(place)
            for word in anchor.stems | anchor.exact if anchor else ():
                index.setdefault(word, []).append(place)
        return {w: tuple(p) for w, p in index.items()}, tuple(unkeyed)


@dataclass(frozen=True)
class CameoVerb:
    code: str | None  # the verb's own code
    class_code: str | None  # the code of its block, whose other members are its synonyms
    patterns: PatternSet  # the patterns written for this verb
    # Where its block has no code, its synonyms' patterns that name a thing ("halt * AID" for "suspend").
    class_patterns: PatternSet


@functools.cache
def plover_table() -> dict:
    return json.loads((DATA_DIR / "plover.json").read_text(encoding="utf-8"))


@functools.cache
def lexicon() -> dict:
    """The trigger lexicon; its word lists become frozensets, as the rules only ask whether a word is in one."""
    entries = json.loads((DATA_DIR / "event_lexicon.json").read_text(encoding="utf-8"))
    return {name: frozenset(value) if isinstance(value, list) else value for name, value in entries.items()}


@functools.cache
def cameo_dictionary() -> dict:
    """The CAMEO verb dictionary: `verbs` (lemma -> CameoVerb), `phrases` (phrasal verb -> CameoVerb, its code as
    both) and `plover_of_code` (code -> [type, mode], or None for codes PLOVER has no event for). Each verb and
    phrasal verb has the patterns written for it; a verb of a block without a code also has its synonyms'."""
    entries = json.loads((DATA_DIR / "cameo_lexicon.json").read_text(encoding="utf-8"))
    classes = [tuple(cameo_pattern(*p) for p in patterns) for patterns in entries["classes"]]
    verbs = {}
    for lemma, (code, class_code, patterns, class_ids) in entries["verbs"].items():
        own = tuple(cameo_pattern(*p) for p in patterns)
        shared = dict.fromkeys(p for i in class_ids for p in classes[i] if p.names_a_thing and p not in own)
        verbs[lemma] = CameoVerb(code, class_code, pattern_set(own), pattern_set(shared))
    phrases = {
        phrase: CameoVerb(code, code, pattern_set(cameo_pattern(*p) for p in patterns), pattern_set(()))
        for phrase, (code, patterns) in entries["phrases"].items()
    }
    return {"verbs": verbs, "phrases": phrases, "plover_of_code": entries["plover_of_code"]}


def pattern_set(patterns: Iterable[CameoPattern]) -> PatternSet:
    return PatternSet(tuple(sorted(patterns, key=specificity)))


def cameo_pattern(subject: list, objects: list, phrases: list, code: str | None) -> CameoPattern:
    return CameoPattern(
        tuple(map(pattern_word, subject)),
        tuple(map(pattern_word, objects)),
        tuple(tuple(map(pattern_word, phrase)) for phrase in phrases),
        code,
    )


def pattern_word(alternatives: list[str]) -> PatternWord:
    exact = frozenset(a.removesuffix("_") for a in alternatives if a.endswith("_"))
    return PatternWord(frozenset(a for a in alternatives if not a.endswith("_")), exact)


def specificity(pattern: CameoPattern) -> int:
    return -(len(pattern.subject) + len(pattern.objects) + sum(map(len, pattern.phrases)))


def plover_of_code(code: str) -> tuple[str, str] | None:
    """The PLOVER type and mode of a CAMEO code; None for a code PLOVER has no event for (public statements)."""
    found = cameo_dictionary()["plover_of_code"].get(code)
    return (found[0], found[1]) if found else None


def quad_class(event_type: str) -> str:
    return plover_table()["quad_class"][event_type]


def cameo_code(event_type: str, mode: str | None) -> str:
    """The CAMEO code of the type and mode (the type's own code, a GDELT root EventCode, when the mode has none)."""
    codes = plover_table()["cameo_code"][event_type]
    return codes.get(mode or "", codes[""])
