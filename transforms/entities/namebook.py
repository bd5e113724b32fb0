"""An event participant's head resolved to the words that name it and the entity key of the article's source it
is: pronouns to their antecedent, surnames to the person the article's sources name in full.

`NameBook.participant(head)` is the entry point; the event rules find the heads. The quote speakers resolve
through `speakers`, a different resolver (it follows the previous speaker) with its own sets from `lexicon`.
Imports the entities lexicon and keys, nlp and spaCy.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from transforms.entities.keys import name_key
from transforms.entities.lexicon import (
    FIRST_PERSON_PRONOUNS,
    GROUP_PRONOUNS,
    NAME_LABELS,
    NOT_PARTICIPANTS,
    PERSON_NOUNS,
    PERSON_PRONOUNS,
)
from transforms.nlp.docfacts import children
from transforms.nlp.syntax import ACTIVE_SUBJECTS

# How far back (tokens) a pronoun's antecedent name may be.
ANTECEDENT_WINDOW = 120
MAX_PHRASE_TOKENS = 10


@dataclass
class Participant:
    """One actor or recipient: the words as written (or the antecedent of a pronoun) and its entity key."""

    text: str
    key: str
    heads: list[Token] = field(default_factory=list)


class NameBook:
    """What one document says about names: which words are people, and the article's sources to join to."""

    def __init__(self, doc: Doc, sources: list[dict], text: str, ents: tuple[Span, ...]):
        """`text` and `ents` are the doc's, read once (spaCy rebuilds them, and every span's text, per access)."""
        self.doc = doc
        self.text = text
        self.sources = [s for s in sources if s.get("entity_key")]
        self.person_words = {t.lower_ for ent in ents if ent.label_ == "PERSON" for t in ent}
        self.person_words |= {
            w.lower() for s in self.sources if s.get("kind") == "person" for w in str(s.get("name", "")).split()
        }
        # A source is found by its own key or by the key its name gives here ("Ukraine’s foreign minister").
        self.source_keys = {name_key(str(s.get("name", ""))): s["entity_key"] for s in self.sources}
        self.source_keys.update({s["entity_key"]: s["entity_key"] for s in self.sources})

    def participant(self, head: Token) -> Participant:
        named = self.antecedent(head) if head.pos_ == "PRON" else head
        if named is None:
            return Participant(head.text, "", [head])
        span = participant_phrase(named)
        name = name_span(named) or span
        return Participant(self.span_text(span), self.source_key(name_key(self.span_text(name))), [named])

    def span_text(self, span: Span) -> str:
        return self.text[span.start_char : span.end_char]

    def is_person(self, token: Token) -> bool:
        return token.ent_type_ == "PERSON" or token.lower_ in self.person_words or token.lemma_ in PERSON_NOUNS

    def antecedent(self, pronoun: Token) -> Token | None:
        """The subject of a governing clause ("Trump said he plans"), else the nearest earlier matching name."""
        word = pronoun.lower_
        if word not in PERSON_PRONOUNS | FIRST_PERSON_PRONOUNS | GROUP_PRONOUNS:
            return None
        token = pronoun.head
        for _ in range(6):
            subject = next((c for c in children(token) if c.dep_ in ACTIVE_SUBJECTS), None)
            if subject is not None and subject.pos_ != "PRON" and subject != pronoun and self.agrees(word, subject):
                return subject
            if token.head is token:
                break
            token = token.head
        if word in FIRST_PERSON_PRONOUNS:
            return None
        return self.earlier_name(pronoun, word)

    def agrees(self, pronoun: str, token: Token) -> bool:
        if pronoun in PERSON_PRONOUNS:
            return self.is_person(token)
        if pronoun in ("it", "its"):
            return not self.is_person(token)
        return True

    def earlier_name(self, pronoun: Token, word: str) -> Token | None:
        for token in reversed(self.doc[max(0, pronoun.i - ANTECEDENT_WINDOW) : pronoun.i]):
            if token.ent_type_ in NAME_LABELS and token.ent_type_ != "NORP" and self.agrees(word, token):
                return entity_root(token)
        return None

    def source_key(self, key: str) -> str:
        """The article's source a key names; a lone surname resolves to the person ("putin" -> "vladimir_putin")."""
        if key in self.source_keys:
            return self.source_keys[key]
        if "_" not in key:
            for source in self.sources:
                if source.get("kind") == "person" and source["entity_key"].split("_")[-1] == key:
                    return source["entity_key"]
        return key


def entity_span(token: Token) -> Span | None:
    """The entity a token belongs to, found from its IOB tags (a few tokens' walk, not a scan of doc.ents)."""
    if not token.ent_type_:
        return None
    doc, start, end = token.doc, token.i, token.i + 1
    while doc[start].ent_iob_ == "I" and start > 0:
        start -= 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def entity_root(token: Token) -> Token:
    ent = entity_span(token)
    return ent.root if ent is not None else token


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
