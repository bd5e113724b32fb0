"""Reported content as a character span: a clause cut to its cue's paragraph and trimmed of edge punctuation,
widened over the quotations it cuts through; an indirect attribution, or mixed when it holds a quotation.

Imports spaCy and the quote marks and records.
"""

from __future__ import annotations

import bisect

from spacy.tokens import Doc, Token

from transforms.quotes.marks import QUOTE_CHARS, QuotationSpan, crosses_paragraph, is_standalone
from transforms.quotes.model import Article, Attribution, Cue


def clause_attribution(article: Article, cue: Cue, span, rule: str) -> Attribution | None:
    """An indirect or mixed quote for a reported clause; a clause that is one quotation is left to the direct rules."""
    if span is None or span[1] - span[0] < 8:
        return None
    start, end = _within_cue_paragraph(article.text, cue, *span)
    if end - start < 8:
        return None
    for quotation in _quotations_near(article, start, end):  # a quotation the clause cuts through joins it whole
        if quotation.start < end and start < quotation.end:
            start, end = min(start, quotation.start), max(end, quotation.end)
    if crosses_paragraph(article.text, start, end):
        return None
    held = [q for q in _quotations_near(article, start, end) if start <= q.start and q.end <= end]
    if len(held) == 1 and held[0].end - held[0].start >= 0.85 * (end - start) and is_standalone(article.text, held[0]):
        return None
    for quotation in held:
        quotation.consumed = True
    if any(not q.title for q in held):  # a quoted title ("said on "Face the Nation" that ...") quotes no one
        return Attribution(start, end, "mixed", "mixed", cue)
    return Attribution(start, end, "indirect", rule, cue)


def _within_cue_paragraph(text: str, cue: Cue, start: int, end: int) -> tuple[int, int]:
    """The small model runs sentences over paragraph breaks (a headline into the lead, a quote into the next
    paragraph): a reported clause keeps only the part in its cue's paragraph."""
    if "\n" not in text[start:end]:
        return start, end
    low = text.rfind("\n", 0, cue.start) + 1
    high = text.find("\n", cue.end)
    high = len(text) if high == -1 else high
    start, end = max(start, low), min(end, high)
    if start >= end:
        return start, start
    piece = text[start:end]
    stripped = piece.strip(" \t\n\xa0,;:.-—–")
    offset = piece.find(stripped) if stripped else 0
    return start + offset, start + offset + len(stripped)


def _quotations_near(article: Article, start: int, end: int) -> list[QuotationSpan]:
    """Quotations in the paragraphs that the character range touches (the rules never look further)."""
    starts = article.paragraph_starts
    first, last = bisect.bisect_right(starts, start) - 1, bisect.bisect_right(starts, end) - 1
    low = bisect.bisect_left(article.quotation_paragraphs, first)
    high = bisect.bisect_right(article.quotation_paragraphs, last)
    return article.quotations[low:high]


def complements(article: Article, verb: Token, fragments: list[QuotationSpan]) -> tuple[int, int] | None:
    """From the verb's first complement to its last, stretched over the quoted fragments, within the paragraph."""
    objects = [c for c in verb.rights if c.dep_ not in ("punct", "cc", "conj", "advmod", "npadvmod")]
    if not objects:
        return fragments[0].start, fragments[-1].end
    span = trimmed(article.doc, objects[0].left_edge.i, objects[-1].right_edge.i + 1)
    if span is None:
        return None
    start, end = min(span[0], fragments[0].start), max(span[1], fragments[-1].end)
    if crosses_paragraph(article.text, start, end):
        return fragments[0].start, fragments[-1].end
    return start, end


def trimmed(doc: Doc, start_token: int, end_token: int) -> tuple[int, int] | None:
    """Character span of tokens [start, end) without the punctuation and spaces at its edges (marks stay)."""
    while start_token < end_token and _edge_noise(doc[start_token]):
        start_token += 1
    while end_token > start_token and _edge_noise(doc[end_token - 1]):
        end_token -= 1
    if end_token <= start_token:
        return None
    last = doc[end_token - 1]
    return doc[start_token].idx, last.idx + len(last.text)


def _edge_noise(token: Token) -> bool:
    return token.is_space or token.is_punct and not any(c in QUOTE_CHARS for c in token.text)
