"""Who a quote's speaker mention is: the words at a cue (`speaker_span`) and the source they refer to within the
article (`resolve`: a name to the full name, a pronoun to its antecedent, a role noun to its holder). The quote
rules find the mention (`quotes.speaker`) and call this in reading order.

No coreference model is used. A document index is built once (linear in the tokens): person names with their
first full mention, roles and affiliations from appositives and pre-name titles, each person's gender from
honorifics, gendered role nouns and the pronouns that follow them, and entity labels reconciled across the
document (the small model labels later mentions of a name inconsistently; the first full mention decides).
Pronouns resolve by salience (the previous speaker), then recency among gender-compatible people; role nouns
("the spokeswoman") resolve to the person introduced with that role, else stay anonymous sources.

Imports the entities lexicon and keys, nlp and spaCy.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from spacy.tokens import Doc, Span, Token

from transforms.entities.keys import entity_key
from transforms.entities.lexicon import (
    ANONYMOUS_HEADS,
    BODY_SPEAKER_PRONOUNS,
    FEMALE_MARKERS,
    HONORIFICS,
    MALE_MARKERS,
    ORG_LABELS,
    OUTLET_WORDS,
    PERSON_ROLES,
    PRONOUN_GENDER,
    RELATIVE_PRONOUNS,
)
from transforms.nlp import docfacts

POSSESSIVE_ENDING = re.compile(r"['’]s$")


@dataclass
class Speaker:
    name: str
    kind: str  # person, organization, outlet, anonymous, other
    key: str
    role: str | None = None
    affiliation: str | None = None
    gender: str | None = None


@dataclass
class DocumentIndex:
    """Per-document facts the resolver needs, built in one pass over tokens and entities."""

    full_names: dict[str, str] = field(default_factory=dict)  # lowercased name word -> full name
    labels: dict[str, str] = field(default_factory=dict)  # lowercased name -> reconciled entity label
    roles: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # full name -> (role, affiliation)
    genders: dict[str, str] = field(default_factory=dict)  # full name -> "m" / "f"
    person_mentions: list[tuple[int, str]] = field(default_factory=list)  # (token index, full name), in order
    # The same, without names inside quotations: a pronoun outside a quote never refers to a name quoted in it.
    antecedents: list[tuple[int, str]] = field(default_factory=list)
    mention_starts: dict[int, int] = field(default_factory=dict)  # a mention's last token -> its first token
    mention_counts: dict[str, int] = field(default_factory=dict)  # full name -> mentions
    first_mentions: dict[str, tuple[int, int]] = field(default_factory=dict)  # full name -> first (start, end) chars
    role_holders: dict[str, str] = field(default_factory=dict)  # role head noun -> person introduced with it
    # The doc's text and entities, read once: spaCy rebuilds doc.text, doc.ents and every span's text per access.
    text: str = ""
    entities: tuple[Span, ...] = ()


def strip_titles(words: list[str]) -> list[str]:
    """Name words without leading titles or possessive endings ("President Donald Trump's" -> Donald Trump)."""
    words = [POSSESSIVE_ENDING.sub("", w) for w in words]
    while len(words) > 1 and words[0].lower().rstrip(".") in HONORIFICS:
        words = words[1:]
    return [w for w in words if w]


@functools.lru_cache(maxsize=8192)  # an article names the same people and places again and again
def _name_words(mention: str) -> tuple[str, ...]:
    return tuple(strip_titles(mention.split()))


def name_tokens(head: Token) -> list[Token]:
    """The proper-name tokens ending at head: its left compound/flat PROPN chain, plus head itself."""
    tokens = [head]
    for child in reversed(list(head.lefts)):
        if child.dep_ in ("compound", "flat") and child.pos_ == "PROPN" and child.i == tokens[0].i - 1:
            tokens.insert(0, child)
        elif child.i == tokens[0].i - 1 and child.is_punct and child.text == ".":
            continue
        else:
            break
    return tokens


def build_index(doc: Doc, quoted: list[int] | None = None) -> DocumentIndex:
    """The index of a document; quoted[i] >= 0 marks token i as inside a quotation."""
    facts = docfacts.of(doc)
    index = DocumentIndex(text=facts.text, entities=facts.ents)
    _index_names(index)
    index.antecedents = [(i, name) for i, name in index.person_mentions if quoted is None or quoted[i] < 0]
    _index_roles(doc, index)
    _index_genders(doc, index)
    return index


def _index_names(index: DocumentIndex) -> None:
    """Full names from the first multiword mention; every later mention of a part of it counts and is a PERSON."""
    named = [(ent, words) for ent in index.entities if (words := _name_words(span_text(ent, index)))]
    for ent, words in named:
        name = " ".join(words)
        lowered = name.lower()
        if ent.label_ == "PERSON" and len(words) >= 2 and lowered not in index.labels:
            index.labels.setdefault(lowered, "PERSON")
            for word in (words[0], words[-1]):
                index.full_names.setdefault(word.lower(), name)
                index.labels.setdefault(word.lower(), "PERSON")
        else:
            index.labels.setdefault(lowered, ent.label_)
    for ent, words in named:
        full = index.full_names.get(" ".join(words).lower()) or index.full_names.get(words[-1].lower())
        if full is None and ent.label_ == "PERSON":
            full = index.full_names.setdefault(words[-1].lower(), " ".join(words))
        if full is None or index.labels.get(full.split()[-1].lower()) != "PERSON":
            continue
        index.person_mentions.append((ent.end - 1, full))
        index.mention_starts[ent.end - 1] = ent.start
        index.mention_counts[full] = index.mention_counts.get(full, 0) + 1
        index.first_mentions.setdefault(full, (ent.start_char, ent.end_char))


def _index_roles(doc: Doc, index: DocumentIndex) -> None:
    """Roles from "ministry spokeswoman Maria Zakharova", "US President Donald Trump" and appositives
    ("Maria Zakharova, the ministry's spokeswoman"), the fullest one the article gives; the affiliation is a
    place, nationality or body named in the role."""
    for token_index, full in index.person_mentions:
        head = doc[token_index]
        start = index.mention_starts[token_index]
        appositive = next((t for t in head.rights if t.dep_ == "appos" and t.pos_ == "NOUN"), None)
        if appositive is not None:
            role_tokens = list(doc[appositive.left_edge.i : appositive.i + 1])
        else:
            role_tokens = list(doc[head.left_edge.i : start]) + [
                t for t in doc[start:token_index] if t.lower_.rstrip(".") in HONORIFICS
            ]
        role_tokens = [t for t in role_tokens if t.pos_ not in ("DET", "PUNCT", "PART") and t.dep_ != "case"]
        if not role_tokens or not any(t.pos_ in ("NOUN", "PROPN") for t in role_tokens):
            continue
        affiliation = next((t.text for t in role_tokens if t.ent_type_ in ("GPE", "NORP", "ORG")), None)
        role = " ".join(t.text for t in role_tokens)
        if len(role) > len((index.roles.get(full) or ("",))[0]):  # the fullest description wins
            index.roles[full] = (role, affiliation or (index.roles.get(full) or (None, None))[1])
        index.role_holders.setdefault(role_tokens[-1].lemma_.lower(), full)


def _index_genders(doc: Doc, index: DocumentIndex) -> None:
    """Gender per person from honorifics and gendered role nouns ("Ms.", "spokeswoman"), and from the first
    he/she after the person is a sentence's subject, before anyone else is named (through the next sentence)."""
    votes: dict[str, Counter] = defaultdict(Counter)
    mentions = index.person_mentions
    # The scans below compare the doc's LOWER ids with the words' ids (a string's id is its hash), and take sentence
    # ends from the doc's facts: a Token per word scanned would cost more than the rule.
    strings = doc.vocab.strings
    female, male = ({strings[word] for word in markers} for markers in (FEMALE_MARKERS, MALE_MARKERS))
    pronouns = {strings[word]: gender for word, gender in PRONOUN_GENDER.items()}
    facts = docfacts.of(doc)
    lower_ids = facts.columns[:, 3].tolist()

    def sentence_end(i: int) -> int:
        return facts.sentence(i)[1]

    for position, (token_index, full) in enumerate(mentions):
        head = doc[token_index]
        described = set(lower_ids[max(0, head.left_edge.i - 1) : head.i])
        described |= {t.lower for appos in head.rights if appos.dep_ == "appos" for t in appos.subtree}
        votes[full]["f"] += 3 * bool(described & female)
        votes[full]["m"] += 3 * bool(described & male)
        if head.dep_ not in ("nsubj", "nsubjpass"):
            continue
        next_mention = mentions[position + 1][0] if position + 1 < len(mentions) else len(doc)
        end = sentence_end(head.i)
        next_sentence_end = sentence_end(end) if end < len(doc) else end
        for lower_id in lower_ids[head.i + 1 : min(next_mention, next_sentence_end)]:
            gender = pronouns.get(lower_id)
            if gender:
                votes[full][gender] += 1
                break
    for full, vote in votes.items():
        if vote["m"] != vote["f"]:
            index.genders[full] = "m" if vote["m"] > vote["f"] else "f"


def is_name(token: Token, index: DocumentIndex) -> bool:
    """A proper name, also when the tagger missed it ("Trump on Wednesday said": Trump tagged VERB)."""
    if token.pos_ == "PROPN":
        return True
    return (
        token.text[:1].isupper()
        and token.pos_ != "PRON"
        and (token.lower_ in index.full_names or token.lower_ in index.labels)
    )


def speaker_span(head: Token, index: DocumentIndex) -> Span:
    """The mention as written: a name with its titles, or a short noun phrase ("people familiar with the matter")."""
    doc = head.doc
    if is_name(head, index):
        tokens = name_tokens(head)
        start = tokens[0].i
        for child in reversed(list(head.lefts)):
            if child.i == start - 1 and child.dep_ == "compound":
                start = child.i
        return doc[start : head.i + 1]
    if head.pos_ == "PRON":
        return doc[head.i : head.i + 1]
    end = head.right_edge.i + 1
    if end - head.left_edge.i > 8 or any(t.is_punct or t.pos_ in ("VERB", "AUX") for t in doc[head.i + 1 : end]):
        end = head.i + 1
    start = head.left_edge.i
    while start < head.i and doc[start].is_punct:
        start += 1
    return doc[start:end]


def resolve(head: Token, index: DocumentIndex, previous: Speaker | None, via_report: bool = False) -> Speaker:
    """The source a subject token refers to, using the document index and the previous speaker."""
    if head.lower_ in RELATIVE_PRONOUNS and head.head.dep_ == "relcl":
        head = head.head.head  # "Zimmerman, who said ..." -> Zimmerman
    if head.pos_ == "PRON" or head.lower_ in PRONOUN_GENDER:
        return _resolve_pronoun(head, index, previous)
    if is_name(head, index):
        return _resolve_name(head, index, via_report)
    return _resolve_common_noun(head, index, previous)


def person(full: str, index: DocumentIndex) -> Speaker:
    role, affiliation = index.roles.get(full, (None, None))
    return Speaker(full, "person", entity_key(full), role, affiliation, index.genders.get(full))


def _resolve_pronoun(head: Token, index: DocumentIndex, previous: Speaker | None) -> Speaker:
    gender = PRONOUN_GENDER.get(head.lower_)
    if gender is None:
        if previous is not None and previous.kind != "person" and head.lower_ in BODY_SPEAKER_PRONOUNS:
            return previous
        return _unresolved(head)
    if (
        previous is not None
        and previous.kind == "person"
        and previous.gender in (gender, None)
        and _mentioned_recently(previous.name, head, index)
    ):
        return previous
    for token_index, full in reversed(index.antecedents):
        if token_index < head.i and index.genders.get(full) in (gender, None):
            return person(full, index)
    if previous is not None and previous.kind == "person":
        return previous
    return _unresolved(head)


def _mentioned_recently(full: str, head: Token, index: DocumentIndex) -> bool:
    """Whether `full` is still the salient antecedent: no other person of the pronoun's gender was named since
    (within the pronoun's sentence, or the last 60 tokens)."""
    gender = PRONOUN_GENDER.get(head.lower_)
    facts = docfacts.of(head.doc)
    for token_index, name in reversed(index.antecedents):
        if token_index >= head.i:
            continue
        if name == full:
            return True
        if index.genders.get(name) in (gender, None) and facts.sentence(token_index) == facts.sentence(head.i):
            return False
        if index.genders.get(name) == gender and head.i - token_index < 60:
            return False
    return True


def _resolve_name(head: Token, index: DocumentIndex, via_report: bool) -> Speaker:
    words = strip_titles([t.text for t in name_tokens(head)])
    name = " ".join(words)
    lowered = name.lower()
    full = index.full_names.get(lowered) or index.full_names.get(words[-1].lower())
    label = index.labels.get(lowered) or (head.ent_type_ or None)
    if full is not None and (label == "PERSON" or label is None or len(words) == 1):
        return person(full, index)
    if label in ORG_LABELS or label is None and head.ent_type_ in ORG_LABELS:
        outlet = via_report or any(w.lower() in OUTLET_WORDS for w in words)
        return Speaker(name, "outlet" if outlet else "organization", entity_key(name))
    if label == "PERSON" or head.ent_type_ == "PERSON":
        return person(name, index)
    if any(w.lower() in OUTLET_WORDS for w in words):
        return Speaker(name, "outlet", entity_key(name))
    return Speaker(name, "other", entity_key(name))


def _resolve_common_noun(head: Token, index: DocumentIndex, previous: Speaker | None) -> Speaker:
    """ "the spokeswoman" -> the person introduced as spokeswoman; "a White House official" -> anonymous."""
    appositive_name = next((t for t in head.children if t.dep_ == "appos" and t.pos_ == "PROPN"), None)
    if appositive_name is not None:
        return _resolve_name(appositive_name, index, False)
    determiner = next((t.lower_ for t in head.lefts if t.dep_ in ("det", "poss")), None)
    holder = index.role_holders.get(head.lemma_.lower())
    if holder and determiner in ("the", "this", "that"):
        return person(holder, index)
    span = speaker_span(head, index)
    text = span_text(span, index)
    affiliation = _affiliation(span, index)
    role = " ".join(t.text for t in span if t.i <= head.i and t.pos_ in ("NOUN", "ADJ") and t.dep_ != "poss") or None
    if head.lower_ in ANONYMOUS_HEADS or head.lemma_.lower() in ANONYMOUS_HEADS:
        key_words = [t.lemma_.lower() for t in span if t.dep_ != "det" and not t.is_punct]
        return Speaker(text, "anonymous", "anon:" + "_".join(key_words), role, affiliation)
    if head.lemma_.lower() in PERSON_ROLES:
        return Speaker(text, "person", entity_key(text), role, affiliation)  # named by role only
    if head.ent_type_ in ORG_LABELS or any(t.ent_type_ == "ORG" for t in span):
        return Speaker(text, "organization", entity_key(text), None, affiliation)
    return Speaker(text, "other", entity_key(text), role, affiliation)


def _affiliation(span: Span, index: DocumentIndex) -> str | None:
    """The body or place a role belongs to: "a White House official" -> White House, "Ukraine's" -> Ukraine."""
    for ent in _entities_within(span, index.entities):
        if ent.label_ in ORG_LABELS:
            return POSSESSIVE_ENDING.sub("", span_text(ent, index))
    names = [t.text for t in span if t.pos_ == "PROPN"]
    return " ".join(names) or None


def span_text(span: Span, index: DocumentIndex) -> str:
    return index.text[span.start_char : span.end_char]


def _entities_within(span: Span, entities: tuple[Span, ...]) -> list[Span]:
    """span.ents from the document's entities (as spaCy does it: in order, up to the first that runs past the span)."""
    within = []
    for ent in entities:
        if ent.start >= span.start:
            if ent.end > span.end:
                break
            within.append(ent)
    return within


def _unresolved(head: Token) -> Speaker:
    return Speaker(head.text, "other", "unresolved:" + head.lower_)
