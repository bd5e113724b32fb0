"""The records the quote rules pass to each other: the article's quotation layout, a cue with its speaker head,
and an attribution (a reported span, its rule and cue, and once resolved its speaker).

Imports the quote marks and `entities.article` (for the speaker type).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from transforms.entities.article import Entity
from transforms.quotes.marks import QuotationSpan


@dataclass
class Cue:
    start: int
    end: int
    verb: Token | None
    speaker_head: Token | None
    noun: Token | None = None  # a reporting noun with its own clause ("his claim that ...")


@dataclass
class Article:
    """One document with its text and quotation layout, shared by the rules (`doc.text` is rebuilt per access)."""

    doc: Doc
    text: str
    paragraph_starts: list[int]
    quotations: list[QuotationSpan]
    inside: list[int]  # per token: the index of the quotation holding it, or -1
    quotation_paragraphs: list[int]  # per quotation, its paragraph (sorted, for bisection)


@dataclass
class Attribution:
    start: int
    end: int
    quote_type: str
    rule: str
    cue: Cue | None
    inherits: bool = False  # floating / continued quote: the speaker is the previous one
    chain: int | None = None
    speaker: Entity | None = None
    mention: tuple[int, int] | None = None
