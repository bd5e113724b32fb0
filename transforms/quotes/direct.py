"""Direct quotes: the quotations the cue rules left, each with the cue of its own sentence, a floating speaker
(the previous one), a multi-paragraph chain, a quoted phrase in the author's sentence (partial) or a quoted
sentence the author finishes (mixed); and interview transcript turns ("PENCE: Well, ..."). Quoted titles, names and
headings ("on CBS's "Face the Nation"", a subheading ""DIVISIVE, STUPID AND WRONG"") are no one's words.

Imports entities, and the quote lexicon, marks, records, cues and content.
"""

from __future__ import annotations

import re

from transforms.entities.index import DocumentIndex
from transforms.quotes.content import complements, trimmed
from transforms.quotes.cues import cue_above, cue_for_quote, nearest_verb_above
from transforms.quotes.lexicon import SPEECH_VERBS
from transforms.quotes.marks import (
    SENTENCE_END,
    QuotationSpan,
    char_after,
    ends_sentence,
    inner_text,
    is_standalone,
    opens_sentence,
    title_cased,
)
from transforms.quotes.model import Article, Attribution, Cue

# The fewest words of a quotation that stands as a quote without a cue of its own (floating, continued, a turn).
MIN_FLOATING_WORDS = 4

# The rules of a quotation's paragraph that take a cue found later in its multi-paragraph quote.
CHAIN_RULES = frozenset(("direct_multi_paragraph", "direct_floating", "direct_floating_inline"))

# A transcript speaker label at a paragraph's start ("PENCE: ", "JAKE TAPPER: ").
TRANSCRIPT_LABEL = re.compile(r"[ \t]*([A-Z][A-Z.'’-]+(?: [A-Z][A-Z.'’-]+){0,2}):[ \t]+")


def direct_quotes(article: Article, cues: list[Cue]) -> list[Attribution]:
    doc, text = article.doc, article.text
    cue_at = {doc.char_span(c.start, c.end, alignment_mode="expand")[0].i: c for c in cues if c.noun is None}
    found = []
    chain = 0
    for number, quotation in enumerate(article.quotations):
        if quotation.consumed:
            continue
        if not quotation.continued:
            chain += 1
        cue, rule = cue_for_quote(article, quotation, cue_at)
        if _names_a_title(text, quotation, cue):
            continue
        standalone = is_standalone(text, quotation)
        words = len(text[quotation.start : quotation.end].split())
        if cue is not None and standalone:
            found.append(Attribution(quotation.start, quotation.end, "direct", rule, cue, chain=chain))
        elif not standalone and (continued := _continued_quote(article, quotation, cue_at, chain)) is not None:
            found.append(continued)
        elif not standalone and (fragment := _governed_fragment(article, quotation)) is not None:
            found.append(fragment)
        elif cue is not None and rule == "direct_cue_after" and ends_sentence(text, quotation):
            found.append(Attribution(quotation.start, quotation.end, "direct", rule, cue, chain=chain))
        elif quotation.continued and _chain_found(article, number, found, chain):
            found.append(
                Attribution(
                    quotation.start, quotation.end, "direct", "direct_multi_paragraph", None, inherits=True, chain=chain
                )
            )
        elif standalone and words >= MIN_FLOATING_WORDS:
            rule = "direct_floating" if opens_sentence(text, quotation) else "direct_floating_inline"
            found.append(Attribution(quotation.start, quotation.end, "direct", rule, None, inherits=True, chain=chain))
    _share_chain_cues(found)
    return found


def _chain_found(article: Article, number: int, found: list[Attribution], chain: int) -> bool:
    """The paragraph before a continued quotation was attributed: by these rules, or by a reported clause that took
    its quotation in ("He said that "... / "...": a mixed quote, then the quotation's next paragraph)."""
    return bool(found) and found[-1].chain == chain or number > 0 and article.quotations[number - 1].consumed


def _names_a_title(text: str, quotation: QuotationSpan, cue: Cue | None) -> bool:
    """A quoted title, name or headline is no one's words: one the marks call a title ("on CNN's "State of the
    Union""), or, with no cue in its sentence, any title-cased quotation ("The Emperor Norton Bridge", a heading
    ""DIVISIVE, STUPID AND WRONG"")."""
    if quotation.title:
        return True
    return cue is None and not (quotation.continues or quotation.continued) and title_cased(inner_text(text, quotation))


def _continued_quote(
    article: Article, quotation: QuotationSpan, cue_at: dict[int, Cue], chain: int
) -> Attribution | None:
    """A quoted sentence the author finishes in their own words (""They don't have a choice" but to take the lead
    in advertising, says Evan Tracey"): the quotation and its continuation to the sentence's end or to the comma
    before its cue; without a cue it continues the previous speaker."""
    doc, text, inside = article.doc, article.text, article.inside
    if not opens_sentence(text, quotation) or not char_after(text, quotation.end).islower():
        return None
    inner = inner_text(text, quotation)
    if not inner[:1].isupper() or len(inner.split()) < MIN_FLOATING_WORDS:
        return None
    span = doc.char_span(quotation.start, quotation.end, alignment_mode="expand")
    if span is None:
        return None
    last_comma, cue = None, None
    position = span.end
    while position < len(doc):
        token = doc[position]
        if "\n" in token.text or (inside[position] < 0 and token.text in SENTENCE_END):
            break
        if inside[position] >= 0 and article.quotations[inside[position]] is not quotation:
            return None  # another quotation: left to the other rules
        if token.text == ",":
            last_comma = position
        if position in cue_at and last_comma is not None:
            cue = cue_at[position]
            break
        if last_comma is not None and inside[position] < 0 and token.lemma_.lower() in SPEECH_VERBS:
            break  # a cue the rules could not give a speaker: the content still ends before it
        position += 1
    end_token = (
        last_comma
        if position < len(doc)
        and (cue is not None or doc[position].lemma_.lower() in SPEECH_VERBS and inside[position] < 0)
        else position
    )
    content = trimmed(doc, span.start, end_token)
    if content is None or content[1] <= quotation.end:
        return None
    quotation.consumed = True
    return Attribution(content[0], content[1], "mixed", "mixed_continued", cue, inherits=cue is None, chain=chain)


def transcript_turns(article: Article, index: DocumentIndex, found: list[Attribution]) -> list[Attribution]:
    """Interview transcripts ("PENCE: Well, I think ..."): a paragraph opened by a capitalised label naming a person
    the article names, then a colon, is that person's words (unless another rule already covers the paragraph)."""
    doc, text = article.doc, article.text
    turns = []
    for number, start in enumerate(article.paragraph_starts):
        match = TRANSCRIPT_LABEL.match(text, start)
        if match is None:
            continue
        end = article.paragraph_starts[number + 1] - 1 if number + 1 < len(article.paragraph_starts) else len(text)
        label = match.group(1).split()
        content = text[match.end() : end].rstrip()
        if len(content.split()) < MIN_FLOATING_WORDS or not _names_person(label, index):
            continue
        if any(a.start < end and start < a.end for a in found):
            continue
        span = doc.char_span(match.start(1), match.end(1), alignment_mode="expand")
        if span is None:
            continue
        cue = Cue(match.end(1), match.end(1) + 1, None, span[-1])
        turns.append(Attribution(match.end(), match.end() + len(content), "direct", "direct_transcript", cue))
    return turns


def _names_person(label: list[str], index: DocumentIndex) -> bool:
    last = label[-1].lower().strip(".")
    return index.labels.get(last) == "PERSON" or last in index.full_names


def _governed_fragment(article: Article, quotation: QuotationSpan) -> Attribution | None:
    """A quoted phrase in the object of any verb with a subject ("Cruz blamed the law on "knuckleheaded
    politicians"", "Clinton decried the issue of "systemic racism""): the object up to the quotation is content.
    Titles and names ("Saturday Night Live", "Face the Nation") are not quotes."""
    doc, inside = article.doc, article.inside
    span = doc.char_span(quotation.start, quotation.end, alignment_mode="expand")
    inner = inner_text(article.text, quotation)
    words = inner.split()
    if span is None or not words or all(w[:1].isupper() for w in words) or title_cased(inner):
        return None
    cue = cue_above(span.root, inside)
    rule = "partial_cue" if cue is not None else "partial_governed"
    cue = cue or nearest_verb_above(span.root, inside)
    if cue is None or cue.verb.i > span.start:
        return None
    content = complements(article, cue.verb, [quotation])
    if content is None:
        return None
    quotation.consumed = True
    return Attribution(*content, "partial", rule, cue)


def _share_chain_cues(found: list[Attribution]) -> None:
    """A multi-paragraph quote whose cue comes late ("...," she said, in its last paragraph) gives it to all its
    paragraphs, the first one too (one quote, one speaker)."""
    by_chain: dict[int, Cue] = {}
    for attribution in found:
        if attribution.cue is not None and attribution.chain is not None:
            by_chain.setdefault(attribution.chain, attribution.cue)
    for attribution in found:
        if attribution.cue is None and attribution.chain in by_chain and attribution.rule in CHAIN_RULES:
            attribution.cue = by_chain[attribution.chain]
            attribution.inherits = False
