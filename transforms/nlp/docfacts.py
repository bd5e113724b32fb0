"""What both the quote and the event rules read from a spaCy Doc, read once per document.

spaCy rebuilds `doc.text` (a join over a Token object per word) and `doc.ents` on every access, and a Token object
per word read costs more than many of the rules. The rules' entry points open a `reading` scope for their document
(`extract_document` one around both), and inside it `of(doc)` hands every rule the same facts, each read on first
use. The scope is per thread, as the threads runner extracts several batches at once.
Imports spaCy and numpy only, nothing of wirehouse.
"""

from __future__ import annotations

import bisect
import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property

import numpy as np
from spacy.attrs import DEP, LEMMA, LOWER, POS, SENT_START
from spacy.strings import get_string_id
from spacy.tokens import Doc, Span, Token

_current = threading.local()
# A lemma id -> (its lowercased lemma, that string's id). An id is the string's hash in every vocabulary, and the
# StringStore decodes a new str per look-up, so these are kept across documents (they grow with the vocabulary).
_lowered: dict[int, tuple[str, int]] = {}


@functools.cache
def _sorted_ids(words: frozenset[str]) -> np.ndarray:
    return np.sort(np.array([get_string_id(word) for word in words], dtype=np.uint64))


def _member(ids: np.ndarray, words: frozenset[str]) -> np.ndarray:
    """Which of the string ids name one of the words (a binary search in the words' sorted ids)."""
    known = _sorted_ids(words)
    if not len(known):
        return np.zeros(len(ids), dtype=bool)
    at = np.minimum(np.searchsorted(known, ids), len(known) - 1)
    return known[at] == ids


class DocFacts:
    """One document's text, entities, id columns, children and sentence bounds, each read on first use."""

    def __init__(self, doc: Doc, text: str | None = None):
        self.doc = doc
        if text is not None:
            self.text = text
        self._children: dict[int, list[Token]] = {}

    @cached_property
    def text(self) -> str:
        return self.doc.text

    @cached_property
    def ents(self) -> tuple[Span, ...]:
        return self.doc.ents

    @cached_property
    def columns(self) -> np.ndarray:
        """POS, DEP, LEMMA and LOWER ids, one row per token."""
        return self.doc.to_array([POS, DEP, LEMMA, LOWER])

    @cached_property
    def _lemmas(self) -> tuple[dict[int, str], np.ndarray, np.ndarray]:
        """The doc's lemma ids -> lowercased lemmas; the ids of those lowercased lemmas; per token, the place of its
        lemma among them (the look-ups below then run once per distinct lemma)."""
        strings = self.doc.vocab.strings
        unique, positions = np.unique(self.columns[:, 2], return_inverse=True)
        lowered, lowered_ids = {}, []
        for lemma_id in unique.tolist():
            known = _lowered.get(lemma_id)
            if known is None:
                word = strings[lemma_id].lower()
                known = _lowered[lemma_id] = (word, get_string_id(word))
            lowered[lemma_id] = known[0]
            lowered_ids.append(known[1])
        return lowered, np.array(lowered_ids, dtype=np.uint64), positions

    @property
    def lowered_lemmas(self) -> dict[int, str]:
        """The doc's lemma ids -> lowercased lemmas."""
        return self._lemmas[0]

    def lemma_in(self, words: frozenset[str]) -> np.ndarray:
        """Per token, whether its lowercased lemma is one of the words."""
        _, lowered_ids, positions = self._lemmas
        return _member(lowered_ids, words)[positions]

    def lower_in(self, words: frozenset[str]) -> np.ndarray:
        """Per token, whether its lowercase form is one of the words."""
        return _member(self.columns[:, 3], words)

    def children(self, token: Token) -> list[Token]:
        found = self._children.get(token.i)
        if found is None:
            found = self._children[token.i] = list(token.children)
        return found

    @cached_property
    def sentence_starts(self) -> list[int]:
        return np.flatnonzero(self.doc.to_array(SENT_START) == 1).tolist()

    def sentence(self, i: int) -> tuple[int, int]:
        """The (start, end) tokens of the sentence holding token i, as `doc[i].sent` finds them in a parsed doc."""
        starts = self.sentence_starts
        following = bisect.bisect_right(starts, i)
        start = starts[following - 1] if following else 0
        end = starts[following] if following < len(starts) else len(self.doc)
        return start, end


def of(doc: Doc) -> DocFacts:
    """The facts of the document being read, or a fresh reading of another."""
    scoped = getattr(_current, "scope", None)
    return scoped if scoped is not None and scoped.doc is doc else DocFacts(doc)


def children(token: Token) -> list[Token]:
    """`list(token.children)`, kept for the document being read: the rules ask for the same token's children
    again and again (callers must not change the list)."""
    return of(token.doc).children(token)


def sentence(token: Token) -> Span:
    """`token.sent`, found by bisection in the document's sentence starts (spaCy walks the tokens per call)."""
    start, end = of(token.doc).sentence(token.i)
    return token.doc[start:end]


@contextmanager
def reading(doc: Doc, text: str | None = None) -> Iterator[DocFacts]:
    """Within the block, `of(doc)` returns these facts (a block for the same doc inside it shares them); `text` is
    the string the doc was parsed from, when the caller has it (spaCy keeps it verbatim, so doc.text need not be
    rebuilt)."""
    outer = getattr(_current, "scope", None)
    if outer is not None and outer.doc is doc:
        yield outer
        return
    if text is not None and len(text) != _text_length(doc):  # not the text this doc came from
        text = None
    _current.scope = facts = DocFacts(doc, text)
    try:
        yield facts
    finally:
        _current.scope = outer


def _text_length(doc: Doc) -> int:
    if not len(doc):
        return 0
    last = doc[-1]
    return last.idx + len(last.text_with_ws)
