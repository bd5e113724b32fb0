"""An event participant's head named as the event rows hold it: the words that name it (for a pronoun, its
antecedent's) and the key of the entity it is. Which entity a pronoun or surname refers to is the article's entity
layer's decision (`entities.article`), the same one the quote speakers and the mentions table take.

`NameBook.participant(head)` is the entry point; the event rules find the heads.
Imports the entities lexicon, keys and article layer, nlp and spaCy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from transforms.entities.article import ArticleEntities, entity_span
from transforms.entities.keys import name_key
from transforms.entities.lexicon import NAME_LABELS, NOT_PARTICIPANTS

MAX_PHRASE_TOKENS = 10
# Kinds of entity whose key an event participant takes (an unnamed "other" keeps the key its words give).
KEYED_KINDS = ("person", "organization", "outlet")


@dataclass
class Participant:
    """One actor or recipient: the words as written (or the antecedent of a pronoun) and its entity key."""

    text: str
    key: str
    heads: list[Token] = field(default_factory=list)


class NameBook:
    """The participants of one document's events, named through its entity layer."""

    def __init__(self, doc: Doc, entities: ArticleEntities, text: str):
        """`text` is the doc's, read once (spaCy rebuilds it, and every span's text, per access)."""
        self.doc = doc
        self.entities = entities
        self.text = text

    def participant(self, head: Token) -> Participant:
        named = head
        if head.pos_ == "PRON":
            mention = self.entities.resolved(head)
            entity = mention.entity if mention is not None else None
            if entity is None:
                return Participant(head.text, "", [head])
            if mention.antecedent is None:  # "we" inside a quotation: its speaker
                return Participant(entity.name, entity.key if entity.kind in KEYED_KINDS else "", [head])
            named = self.doc[mention.antecedent]
        span = participant_phrase(named)
        name = name_span(named) or span
        return Participant(self.span_text(span), self.key(named, name), [named])

    def span_text(self, span: Span) -> str:
        return self.text[span.start_char : span.end_char]

    def key(self, head: Token, name: Span) -> str:
        """The entity's key where the layer resolved the head to a named entity ("Putin" -> vladimir_putin), else
        the key the name's words give ("Ukraine’s foreign minister")."""
        mention = self.entities.resolved(head)
        entity = mention.entity if mention is not None else None
        if entity is not None and entity.kind in KEYED_KINDS and mention.mention_type in ("name", "partial_name"):
            return entity.key
        return name_key(self.span_text(name))


def name_span(head: Token) -> Span | None:
    """The named entity a head belongs to ("President Vladimir Putin" -> "Vladimir Putin")."""
    return entity_span(head) if head.ent_type_ in NAME_LABELS else None


def participant_phrase(head: Token) -> Span:
    """The head with its left modifiers and an 'of' phrase: "Ukraine's foreign minister", "leaders of Hamas"."""
    left = head
    for child in head.lefts:
        if child.ent_type_ in NOT_PARTICIPANTS or "\n" in child.left_edge.text_with_ws + child.text_with_ws:
            continue
        if child.dep_ in ("compound", "amod", "poss", "nmod", "nummod", "quantmod", "npadvmod"):
            left = child.left_edge if child.left_edge.i < left.i else child
            break
    right = head
    for child in head.rights:
        if child.dep_ == "prep" and child.lower_ == "of" and child.right_edge.i - head.i < MAX_PHRASE_TOKENS:
            right = child.right_edge
        elif child.dep_ in ("compound", "flat", "appos") and child.i == right.i + 1:
            right = child
    ent = name_span(head)
    if ent is not None:
        left = min(left, ent[0], key=lambda t: t.i)
        right = max(right, ent[-1], key=lambda t: t.i)
    while left.i < right.i and left.dep_ in ("det", "predet", "punct", "case"):
        left = head.doc[left.i + 1]
    while right.i > left.i and (right.dep_ in ("case", "punct") or right.tag_ == "POS"):
        right = head.doc[right.i - 1]
    return head.doc[left.i : right.i + 1]
