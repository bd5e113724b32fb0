"""What both the quote and the event rules read from a spaCy Doc, read once per document.

spaCy rebuilds `doc.text` (a join over a Token object per word) and `doc.ents` on every access, which cost more
than many of the rules. `extract_document` opens a `reading` scope for its document, and inside it `of(doc)` hands
every rule the same facts; outside a scope (a rule called on its own) they are read afresh. The scope is per
thread, as the threads runner extracts several batches at once.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from spacy.tokens import Doc, Span

_current = threading.local()


@dataclass(frozen=True)
class DocFacts:
    text: str
    ents: tuple[Span, ...]


def of(doc: Doc) -> DocFacts:
    scoped = getattr(_current, "scope", None)
    if scoped is not None and scoped[0] is doc:
        return scoped[1]
    return DocFacts(doc.text, doc.ents)


@contextmanager
def reading(doc: Doc, text: str | None = None) -> Iterator[DocFacts]:
    """Within the block, `of(doc)` returns these facts; `text` is the string the doc was parsed from, when the
    caller has it (spaCy keeps it verbatim, so doc.text need not be rebuilt)."""
    if text is None or len(text) != _text_length(doc):  # not the text this doc came from
        text = doc.text
    facts = DocFacts(text, doc.ents)
    outer = getattr(_current, "scope", None)
    _current.scope = (doc, facts)
    try:
        yield facts
    finally:
        _current.scope = outer


def _text_length(doc: Doc) -> int:
    if not len(doc):
        return 0
    last = doc[-1]
    return last.idx + len(last.text_with_ws)
