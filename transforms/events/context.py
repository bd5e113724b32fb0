"""The circumstances of an event mention: its clause, modality (negated, future, hypothetical), date and place.

Everything is read from the trigger's clause chain: the trigger, then its heads up to the verb that heads its
clause ("talks" -> "hold" -> "plans"), never across into the reporting verb of a reported clause.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from spacy.tokens import Doc, Span, Token

from transforms.events.dates import FUTURE, PAST, ResolvedDate, looks_like_date, resolve_date
from transforms.events.participants import entity_span
from transforms.events.plover import lexicon
from transforms.nlp.docfacts import children

# Arcs that stay inside one clause when climbing from a trigger to the verb that heads its clause.
INSIDE_CLAUSE = (
    "xcomp",
    "acomp",
    "dobj",
    "pobj",
    "prep",
    "pcomp",
    "attr",
    "oprd",
    "nsubj",
    "nsubjpass",
    "dative",
    "agent",
    "compound",
    "amod",
    "appos",
    "npadvmod",
)
DATE_PREPOSITIONS = frozenset("on in at during since from between by until through".split())
DATE_MODIFIERS = frozenset("early late mid earlier later".split())
WIDENING_WORDS = DATE_MODIFIERS | DATE_PREPOSITIONS
PLACE_PREPOSITIONS = frozenset("in at near to inside outside across into".split())
PLACE_LABELS = ("GPE", "LOC", "FAC")
# Relative expressions the small model does not tag as DATE. The lookahead on the letters that can start a match
# lets the scan skip most positions quickly.
EXTRA_DATES = re.compile(
    r"(?=[ictnrpel])(?:\b(?:in\s+)?(?:the\s+)?(?:coming|next|recent|past)\s+(?:few\s+)?(?:days|weeks|months)\b"
    r"|\b(?:earlier|later)\s+this\s+(?:week|month|year)\b)",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class DateMention:
    text: str
    char_start: int
    attach: Token  # the token the expression modifies


@dataclass(frozen=True)
class Modality:
    negated: bool
    future: bool
    hypothetical: bool


def clause_chain(trigger: Token) -> list[Token]:
    """The trigger and its heads up to and including the head of its clause."""
    chain = [trigger]
    token = trigger
    while token.dep_ in INSIDE_CLAUSE and token.head is not token and len(chain) < 8:
        token = token.head
        chain.append(token)
    return chain


def modality(chain: list[Token]) -> Modality:
    words = lexicon()
    clause_children = [child for t in chain for child in children(t)]
    negated = any(
        c.dep_ == "neg" or c.lower_ in ("never", "no") and c.dep_ in ("neg", "det", "advmod") for c in clause_children
    )
    modals = {c.lower_ for c in clause_children if c.dep_ == "aux"}
    governors = {t.lemma_.lower() for t in chain[1:]} | {t.lower_ for t in chain[1:]}
    modifiers = {c.lower_ for c in children(chain[0]) if c.dep_ in ("amod", "compound")}
    conditional = any(
        c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in words["hypothetical_markers"] for m in children(c))
        for c in clause_children
    )
    reported = chain[-1].dep_ == "ccomp"
    would = "would" in modals and not reported
    # "the prospect of talks", "possible sanctions": an event considered, not one that happened.
    considered = bool((governors | modifiers) & words["hypothetical_governors"])
    hypothetical = conditional or bool(modals & words["hypothetical_modals"]) or would or considered
    going_to = any(
        t.lemma_ == "go" and t.tag_ == "VBG" and any(c.dep_ == "xcomp" for c in children(t)) for t in chain[1:]
    )
    future = (
        bool(modals & words["future_modals"])
        or "would" in modals
        and reported
        or going_to
        or bool(governors & words["future_governors"])
        or bool(modifiers & words["future_modifiers"])
    )
    return Modality(negated=negated, future=future, hypothetical=hypothetical)


def date_mentions(doc: Doc, text: str, ents: tuple[Span, ...]) -> list[DateMention]:
    """DATE entities (widened to their preposition and 'early/late' modifiers) plus relative phrases the model
    misses; durations ("two years") are left out. `text` and `ents` are the doc's."""
    entities = [ent for ent in ents if ent.label_ == "DATE"]
    spans = list(entities)
    for match in EXTRA_DATES.finditer(text):
        covered = any(ent.start_char <= match.start() < ent.end_char for ent in entities)
        if not covered and (span := doc.char_span(match.start(), match.end(), alignment_mode="expand")) is not None:
            spans.append(span)
    mentions = []
    for span in spans:
        widened = widen(span)
        widened_text = text[widened.start_char : widened.end_char]  # Span.text joins its tokens per access
        if looks_like_date(widened_text):
            mentions.append(DateMention(widened_text, widened.start_char, attachment(span)))
    return mentions


def widen(span: Span) -> Span:
    start = span.start
    while start > 0 and span.doc[start - 1].lower_ in WIDENING_WORDS:
        start -= 1
        if span.doc[start].lower_ in DATE_PREPOSITIONS:
            break
    return span.doc[start : span.end]


def attachment(span: Span) -> Token:
    root = span.root
    head = root.head
    return head.head if head.dep_ == "prep" or (root.dep_ == "pobj" and head.head is not head) else head


def event_date(
    chain: list[Token], mentions: list[DateMention], published_at, future: bool
) -> tuple[str | None, ResolvedDate | None]:
    """The date expression attached nearest the trigger in its clause chain, resolved from the published date
    (towards the future for future events)."""
    positions = {t.i: n for n, t in enumerate(chain)}
    attached = [m for m in mentions if m.attach.i in positions and belongs_to_clause(m, chain)]
    if not attached:
        return None, None
    mention = min(attached, key=lambda m: (positions[m.attach.i], abs(m.char_start - chain[0].idx)))
    return mention.text, resolve_date(mention.text, published_at, FUTURE if future else PAST)


def belongs_to_clause(mention: DateMention, chain: list[Token]) -> bool:
    """A date before the subject of a reported clause belongs to the reporting verb ("said on Wednesday he is")."""
    head = chain[-1]
    if mention.attach != head or head.dep_ != "ccomp":
        return True
    subject = next((c for c in children(head) if c.dep_ in ("nsubj", "nsubjpass")), None)
    return subject is None or mention.char_start > subject.idx


def location(chain: list[Token], places: list[Token], exclude: set[int]) -> str | None:
    """A place named in the trigger's clause: a locative phrase ("in Alaska", "came to Moscow") or a place
    modifier of an event noun ("the Alaska summit")."""
    for place in places:
        return entity_text(place)
    clause_tokens = chain + [c for t in chain for c in children(t) if c.dep_ == "advcl"]
    for token in clause_tokens:
        for prep in children(token):
            if prep.dep_ != "prep" or prep.lower_ not in PLACE_PREPOSITIONS:
                continue
            for candidate in place_candidates(prep):
                if candidate.ent_type_ in PLACE_LABELS and candidate.i not in exclude:
                    return entity_text(candidate)
    return None


def place_candidates(prep: Token) -> list[Token]:
    """The object of a locative preposition and its own 'of' and compound parts ("the city of Kirkuk")."""
    objects = [c for c in children(prep) if c.dep_ == "pobj"]
    nested = [
        p
        for o in objects
        for c in children(o)
        if c.dep_ == "prep" and c.lower_ == "of"
        for p in children(c)
        if p.dep_ == "pobj"
    ]
    parts = [m for o in objects + nested for m in children(o) if m.dep_ in ("compound", "amod")]
    return objects + nested + parts


def entity_text(token: Token) -> str:
    ent = entity_span(token)
    return ent.text if ent is not None else token.text
