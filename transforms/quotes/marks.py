"""Quotation marks and the text around them: quotation spans paired per paragraph, which tokens lie inside one,
and the character tests the rules ask of a quotation (does it open or end a sentence, stand alone, continue the
author's phrase).

A quotation that names a title ("CNN's "State of the Union"", "the book "Going Viral"") is marked as such: it is
no one's words. Imports spaCy and the title words of the quote lexicon.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.attrs import IDX
from spacy.tokens import Doc

from transforms.quotes.lexicon import TITLE_MINOR_WORDS, TITLE_NOUNS, TITLING_WORDS

OPENING_MARKS = frozenset("“„«")
CLOSING_MARKS = frozenset("”»")
QUOTE_CHARS = "\"“”„«»'‘’"
# Double marks; two apostrophes are the NYT archive's straight double mark.
QUOTE_MARK_PATTERN = re.compile("''|[\"“”„«»]")
SENTENCE_END = frozenset(".?!")
# The most words of a line that names a quotation's source inside its marks ("Amy Pope, deputy homeland security
# advisor."").
SIGNATURE_WORDS = 8
INLINE_SPACE = " \t\xa0\u2009\u202f"
# What may follow a quotation that is a sentence of its own ("... ." / "...", she said / "..." — ).
CLAUSE_ENDS = frozenset(("", "\n", ".", ",", ";", ":", "?", "!", "—", "–", ")", "[", "("))


@dataclass
class QuotationSpan:
    start: int
    end: int
    paragraph: int
    continues: bool = False  # opened and not closed before the paragraph ended
    continued: bool = False  # the previous paragraph's quotation runs on into this one
    consumed: bool = False
    title: bool = False  # a title or name in quotation marks ("Face the Nation"), not anyone's words


def find_paragraph_starts(text: str) -> list[int]:
    """Where each non-blank line starts (blank lines between paragraphs do not count as paragraphs)."""
    starts = [0] if text[:1] not in ("\n", "") else []
    position = text.find("\n")
    while position != -1:
        if position + 1 < len(text) and text[position + 1] != "\n":
            starts.append(position + 1)
        position = text.find("\n", position + 1)
    return starts or [0]


def find_quotation_spans(text: str, paragraph_starts: list[int]) -> list[QuotationSpan]:
    """Paired quotation marks per paragraph, marks included; unclosed quotes run to the paragraph's end."""
    spans: list[QuotationSpan] = []
    previous_continues = False
    for number, start in enumerate(paragraph_starts):
        end = paragraph_starts[number + 1] - 1 if number + 1 < len(paragraph_starts) else len(text)
        paragraph = text[start:end]
        text_start, text_end = start + len(paragraph) - len(paragraph.lstrip()), start + len(paragraph.rstrip())
        first_here = len(spans)
        opened = None
        carried = previous_continues  # the previous paragraph's quotation may close here
        for position, width, kind in _marks(text, start, end):
            kind = _mistyped(text, position, width, kind, opened is not None)
            if carried and _closes_carried(text, text_start, position, width, kind):
                # "... said he would\nlook into it,” Smith said": the quotation closes in this paragraph
                spans.append(QuotationSpan(text_start, position + width, number, continued=True))
                carried = False
                continue
            carried = False
            if opened is None and kind != "close":
                opened = position
            elif opened is not None and kind != "open":
                spans.append(QuotationSpan(opened, position + width, number))
                opened = None
            elif opened is not None:
                opened = position  # a mark reopened without closing: the earlier one was a stray
        if opened is not None and text_end - opened > 2:
            spans.append(QuotationSpan(opened, text_end, number, continues=True))
        here = spans[first_here:]
        if here:  # a paragraph that opens with a mark while the previous one's quotation is still open
            here[0].continued = previous_continues and here[0].start == text_start
        previous_continues = bool(here) and here[-1].continues
    for span in spans:
        span.title = not (span.continues or span.continued) and is_title(text, span)
    return spans


def _closes_carried(text: str, text_start: int, position: int, width: int, kind: str) -> bool:
    """The first mark of a paragraph that continues an open quotation closes it when it is a closing mark, or a
    straight one right after a word or its punctuation and before a space, punctuation or the end, and the words
    before it go on with the quotation: a sentence cut by the break ("personally\nin caucuses and primaries.”") or
    more than a signature line ("Dean Baker, Center for Economic and Policy Research."" names the source)."""
    piece = text[text_start:position]
    if not piece.strip() or not (piece[:1].islower() or len(piece.split()) > SIGNATURE_WORDS):
        return False
    if kind != "either":
        return kind == "close"
    before, after = text[position - 1 : position], text[position + width : position + width + 1]
    return not before.isspace() and (after == "" or after.isspace() or after in ",.;:?!)")


def _marks(text: str, start: int, end: int):
    """(position, width, kind) of the double quotation marks in text[start:end]; kind is open, close or either."""
    for match in QUOTE_MARK_PATTERN.finditer(text, start, end):
        mark = match.group()
        kind = "open" if mark in OPENING_MARKS else "close" if mark in CLOSING_MARKS else "either"
        yield match.start(), len(mark), kind


def _mistyped(text: str, position: int, width: int, kind: str, is_open: bool) -> str:
    """A curly mark of the wrong hand (“...,“ said X / ”This is ...”): an opening mark right after the quoted
    words' punctuation closes, a closing mark before a word at a clause start opens."""
    before = text[position - 1 : position]
    after = text[position + width : position + width + 1]
    if kind == "open" and is_open and before in (",", ".", "?", "!") and (after == "" or after.isspace()):
        return "close"
    if kind == "close" and not is_open and after.isalnum() and (before == "" or not before.isalnum()):
        return "open"
    return kind


# Words before a quotation that make a title-cased quotation a title: prepositions and determiners ("appeared on
# "The View"", "his "Make America Great Again" hats"); pronouns before a naming verb make it speech ("what he
# called "Crooked Hillary"").
TITLE_PREPOSITIONS = frozenset("on in with from at for about into".split())
# "the host of "The Nightly Show"", "co-author of "Going Viral"": "of" introduces a title after a work or its maker.
WORK_ROLES = frozenset("host co-host author co-author star cast creator producer director editor writer".split())
TITLE_DETERMINERS = frozenset("the a an his her their its our my your this these those".split())
NAMING_SUBJECTS = frozenset("he she they it we i you who which that what".split())
CONTRACTIONS = frozenset("it's that's he's she's there's here's what's who's let's".split())
WORD_OR_COMMA = re.compile(r"[\w'’.&-]+|,")
# A sentence ending inside a quotation: a full stop after a word with lower-case letters (not "Mr." or "U.S."), then
# more words.
SENTENCE_BREAK = re.compile(r"[a-z]{3}\. +\w")


def title_cased(inner: str) -> bool:
    """Two words or more, all capitalised but a title's minor words ("Face the Nation", "DIVISIVE, STUPID AND
    WRONG", "Make Your Kid a Millionaire"): how titles, names and headlines are written, and sentences are not."""
    if SENTENCE_BREAK.search(inner):
        return False  # "The Donald. Big Daddy.": sentences
    words = [w.strip(".,:;!?()[]{}'\"‘’“”…—–-") for w in inner.split()]
    words = [w for w in words if any(ch.isalpha() for ch in w)]
    if len(words) < 2 or not words[0][:1].isupper():
        return False
    return all(w[:1].isupper() or not w[:1].isalpha() or w.lower() in TITLE_MINOR_WORDS for w in words)


def is_title(text: str, quotation: QuotationSpan) -> bool:
    """A quoted title or name: title-cased words after a possessive, a preposition, a determiner, a title noun or a
    titling word ("CNN's "State of the Union"", "on "Fox and Friends"", "his 2002 book, "Make Your Kid a
    Millionaire"", "a play called "Los Hijos de Trump""); one capitalised word only after a title noun or a titling
    word ("his show, "Politicking"")."""
    inner = inner_text(text, quotation)
    if title_cased(inner):
        return title_context(text, quotation.start, strong_only=False)
    words = inner.split()
    return len(words) == 1 and words[0][:1].isupper() and title_context(text, quotation.start, strong_only=True)


def title_context(text: str, start: int, strong_only: bool) -> bool:
    """Whether the words before a quotation, in its sentence, introduce a title (see `is_title`)."""
    if char_before(text, start) in ("", ".", "!", "?", ":", ";") or "\n" in text[max(0, start - 3) : start]:
        return False
    tokens = WORD_OR_COMMA.findall(text[max(0, start - 80) : start])
    comma = bool(tokens) and tokens[-1] == ","
    tokens = tokens[:-1] if comma else tokens
    if not tokens:
        return False
    word = tokens[-1].lower().rstrip(".")
    before = tokens[-2].lower() if len(tokens) > 1 else ""
    if word in TITLE_NOUNS:
        return True
    if word in TITLING_WORDS or word == "as" and before == "known":
        return word in ("titled", "entitled", "subtitled", "headlined", "as") or not (
            before in NAMING_SUBJECTS or len(tokens) > 1 and tokens[-2][:1].isupper()
        )
    if strong_only or comma:
        return False
    possessive = (word.endswith(("'s", "’s")) or word.endswith(("s'", "s’"))) and word not in CONTRACTIONS
    of_work = word == "of" and (before in TITLE_NOUNS or before in WORK_ROLES)
    return possessive or of_work or word in TITLE_PREPOSITIONS or word in TITLE_DETERMINERS


def inner_text(text: str, quotation: QuotationSpan) -> str:
    return text[quotation.start : quotation.end].strip(QUOTE_CHARS + " ")


def tokens_inside_quotes(doc: Doc, quotations: list[QuotationSpan]) -> list[int]:
    """For every token, the index of the quotation it lies in, or -1 (marks themselves count as inside).
    Quotations are ordered and disjoint, so each one claims the tokens starting within it."""
    inside = [-1] * len(doc)
    token_starts = doc.to_array(IDX).tolist()
    for number, quotation in enumerate(quotations):
        first = bisect.bisect_left(token_starts, quotation.start)
        end = bisect.bisect_left(token_starts, quotation.end)
        inside[first:end] = [number] * (end - first)
    return inside


def is_standalone(text: str, quotation: QuotationSpan) -> bool:
    """A quotation that is a sentence of its own, not a phrase in the author's sentence."""
    before = char_before(text, quotation.start, INLINE_SPACE)
    inner = inner_text(text, quotation)
    opens = before in ("", "\n", ":", ",", ".", "?", "!", "—", "(") or inner[:1].isupper() and len(inner.split()) > 3
    return opens and (ends_sentence(text, quotation) or char_after(text, quotation.end) in CLAUSE_ENDS)


def ends_sentence(text: str, quotation: QuotationSpan) -> bool:
    """ "...," he said / "...?" she asked: the quoted words end with their own punctuation."""
    inner = text[quotation.start : quotation.end].rstrip(QUOTE_CHARS + " ")
    return inner[-1:] in (",", ".", "?", "!", "—", "-") or text[quotation.end : quotation.end + 1] == ","


def opens_sentence(text: str, quotation: QuotationSpan) -> bool:
    """At a paragraph start or after a finished sentence, also one that ended inside a quotation (."  “...)."""
    return char_before(text, quotation.start, INLINE_SPACE + QUOTE_CHARS) in ("", "\n", ".", "?", "!")


def char_after(text: str, position: int) -> str:
    """The first character from position that is not inline space ("" at the end of the text)."""
    while position < len(text) and text[position] in INLINE_SPACE:
        position += 1
    return text[position] if position < len(text) else ""


def char_before(text: str, position: int, skipped: str = INLINE_SPACE + "\n") -> str:
    """The last character before position that is not in skipped ("" at the start of the text)."""
    position -= 1
    while position >= 0 and text[position] in skipped:
        position -= 1
    return text[position] if position >= 0 else ""


def is_embedded(text: str, quotation: QuotationSpan) -> bool:
    """A quotation that continues the author's phrase: no colon or comma before it, lowercase or short inside."""
    before = char_before(text, quotation.start)
    inner = inner_text(text, quotation)
    return before not in (":", ",", "") and (inner[:1].islower() or len(inner.split()) <= 4)


def crosses_paragraph(text: str, start: int, end: int) -> bool:
    return "\n" in text[start:end]


def content_type(text: str, start: int, end: int) -> str:
    return "mixed" if QUOTE_MARK_PATTERN.search(text, start, end) else "indirect"
