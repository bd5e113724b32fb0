"""What one article says about its people, read once (linear in the tokens): person names with their first full
mention and their fullest form (also an untagged run of proper nouns between a known first name and surname; a
name never runs over a line break), organisations' acronyms defined in parentheses, roles and affiliations from
appositives and pre-name titles, each person's gender from honorifics, gendered role nouns and the pronouns that
follow them (with the words that said so), and entity labels reconciled across the document (the small model
labels later mentions of a name inconsistently; the first full mention decides). Also the words of a mention as
written (`speaker_span`). `entities.article` resolves mentions over it.

No coreference model is used. Imports the entities lexicon and first names, nlp, numpy and spaCy.
"""

from __future__ import annotations

import functools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

import numpy as np
from spacy.symbols import PROPN
from spacy.tokens import Doc, Span, Token

from transforms.entities import first_names
from transforms.entities.lexicon import (
    FEMALE_MARKERS,
    HONORIFICS,
    MALE_MARKERS,
    NOT_PERSON_NAME_WORDS,
    PRONOUN_GENDER,
)
from transforms.nlp import docfacts

# How sure the name list must be of a first name before it overrules the model's label for a name.
FIRST_NAME_CERTAINTY = 0.9
POSSESSIVE_ENDING = re.compile(r"['’]s$")
# A heading line: this many words at least; the small words a title case leaves in lower case.
HEADING_MIN_WORDS = 4
HEADING_MAX_CHARS = 160
HEADING_SMALL_WORDS = frozenset("a an the of and or but nor in on at to for with by from as vs via into".split())
# Initials in parentheses right after a name: "(CRA)", "(OSCE)", "(U.N.)".
ACRONYM_AFTER = re.compile(r"\s*\(([A-Z][A-Za-z&.]{1,11})\)")
# Words an acronym leaves out ("Office for Democratic Institutions" -> ODI...), and a leading article.
ACRONYM_SKIPPED = frozenset("the of for and on in & de".split())


@dataclass
class DocumentIndex:
    """Per-document facts the resolver needs, built in one pass over tokens and entities."""

    full_names: dict[str, str] = field(default_factory=dict)  # lowercased name word -> full name (the first one)
    labels: dict[str, str] = field(default_factory=dict)  # lowercased name -> reconciled entity label
    roles: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # full name -> (role, affiliation)
    genders: dict[str, str] = field(default_factory=dict)  # full name -> "m" / "f"
    # full name -> the honorifics and gendered role nouns that described the person, with how often (the pronouns
    # that corefer are counted by the entity layer, once each is resolved)
    gender_evidence: dict[str, Counter] = field(default_factory=dict)
    person_mentions: list[tuple[int, str]] = field(default_factory=list)  # (token index, full name), in order
    # The same, without names inside quotations: a pronoun outside a quote never refers to a name quoted in it.
    antecedents: list[tuple[int, str]] = field(default_factory=list)
    mention_starts: dict[int, int] = field(default_factory=dict)  # a mention's last token -> its first token
    mention_counts: dict[str, int] = field(default_factory=dict)  # full name -> mentions
    first_mentions: dict[str, tuple[int, int]] = field(default_factory=dict)  # full name -> first (start, end) chars
    # role head noun -> (token index, full name, the role's lowercased words) of each person introduced with it
    role_holders: dict[str, list[tuple[int, str, frozenset[str]]]] = field(default_factory=dict)
    # lowercased acronym -> the organisation's name it abbreviates ("Computing Research Association (CRA)")
    acronyms: dict[str, str] = field(default_factory=dict)
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
    """A name's words; a name never runs over a line break (the model joins a heading to the next line's name:
    "Brock Holt\n\nHolt")."""
    return tuple(strip_titles(mention.split("\n", 1)[0].split()))


def name_tokens(head: Token) -> list[Token]:
    """The proper-name tokens ending at head: the contiguous PROPN words before it that modify it, directly or
    through each other ("New Zealand Herald": "New" hangs from "Zealand"), plus head itself."""
    tokens = [head]
    doc = head.doc
    i = head.i - 1
    while i >= 0:
        token = doc[i]
        if token.is_punct and token.text == "." and i == tokens[0].i - 1:
            i -= 1
            continue
        # "Holtz-Eakin", "Ki-moon": one word the tokenizer split at its hyphen
        joined = i > 0 and not doc[i - 1].whitespace_ and not token.whitespace_ and doc[i - 1].text[:1].isupper()
        if token.text in ("-", "‐") and joined:
            tokens[0:0] = [doc[i - 1], token]
            i -= 2
            continue
        if token.pos_ != "PROPN" or token.dep_ not in ("compound", "flat") or not _modifies(token, head):
            break
        tokens.insert(0, token)
        i -= 1
    return tokens


def _modifies(token: Token, head: Token) -> bool:
    """Whether token's chain of heads reaches head within the name (a few steps)."""
    for _ in range(4):
        token = token.head
        if token == head:
            return True
        if token.i > head.i or token.dep_ not in ("compound", "flat"):
            return False
    return False


def build_index(doc: Doc, quoted: list[int] | None = None) -> DocumentIndex:
    """The index of a document; quoted[i] >= 0 marks token i as inside a quotation."""
    facts = docfacts.of(doc)
    index = DocumentIndex(text=facts.text, entities=facts.ents)
    _index_names(doc, index)
    _index_acronyms(index)
    index.antecedents = [(i, name) for i, name in index.person_mentions if quoted is None or quoted[i] < 0]
    _index_roles(doc, index)
    _index_genders(doc, index)
    return index


def _index_names(doc: Doc, index: DocumentIndex) -> None:
    """Full names from the first multiword mention; every later mention of a part of it counts and is a PERSON."""
    named = [(ent, words) for ent in index.entities if (words := _name_words(span_text(ent, index)))]
    labels = [_label(ent, words) for ent, words in named]
    # In a title-cased heading the model runs the next capitalised words into a name ("Gorka Slam", "Trump May
    # be Aligning"): a name there counts as a mention but never sets a person's full name.
    headings = [_in_heading(ent, index) for ent, _ in named]
    for (_, words), label, heading in zip(named, labels, headings):
        name = " ".join(words)
        lowered = name.lower()
        if heading and len(words) >= 2:
            continue
        if label == "PERSON" and len(words) >= 2 and lowered not in index.labels:
            index.labels.setdefault(lowered, "PERSON")
            for word in (words[0], words[-1]):
                index.full_names.setdefault(word.lower(), name)
                index.labels.setdefault(word.lower(), "PERSON")
        else:
            index.labels.setdefault(lowered, label)
    people = [words for (_, words), label, heading in zip(named, labels, headings) if label == "PERSON" and not heading]
    _fullest_forms(index, people + _untagged_fuller_forms(doc, index))
    for (ent, words), label, heading in zip(named, labels, headings):
        full = full_name(index, words, ent.end - 1)
        if full is None and label == "PERSON" and not heading:
            full = index.full_names.setdefault(words[-1].lower(), " ".join(words))
        if full is None or index.labels.get(full.split()[-1].lower()) != "PERSON":
            continue
        index.person_mentions.append((ent.end - 1, full))
        index.mention_starts[ent.end - 1] = ent.start
        index.mention_counts[full] = index.mention_counts.get(full, 0) + 1
        index.first_mentions.setdefault(full, (ent.start_char, ent.end_char))


def _in_heading(ent: Span, index: DocumentIndex) -> bool:
    """Whether the entity stands in a title-cased heading: a line of HEADING_MIN_WORDS or more words, not ended
    like a sentence, whose words but the small ones all open with a capital."""
    text = index.text
    start = text.rfind("\n", max(0, ent.start_char - HEADING_MAX_CHARS), ent.start_char) + 1
    end = text.find("\n", ent.start_char, ent.start_char + HEADING_MAX_CHARS)
    if (start == 0 and ent.start_char > HEADING_MAX_CHARS) or end < 0 and len(text) - start > HEADING_MAX_CHARS:
        return False  # a line longer than any heading: running text
    line = text[start : end if end >= 0 else len(text)].strip()
    words = line.split()
    if len(words) < HEADING_MIN_WORDS or line.endswith((".", '"', "”")):
        return False
    return all(w[:1].isupper() or not w[:1].isalpha() or w.lower() in HEADING_SMALL_WORDS for w in words)


def _index_acronyms(index: DocumentIndex) -> None:
    """An organisation's name followed by its initials in parentheses defines them as its short name, for the rest
    of the article ("the Office for Democratic Institutions and Human Rights (ODIHR)")."""
    for ent in index.entities:
        if ent.label_ != "ORG":
            continue
        match = ACRONYM_AFTER.match(index.text, ent.end_char)
        if match is None:
            continue
        name = re.sub(r"^[Tt]he\s+", "", POSSESSIVE_ENDING.sub("", span_text(ent, index)))
        words = [w for w in name.split() if w.lower() not in ACRONYM_SKIPPED]
        initials = "".join(w[0] for w in re.split(r"[\s-]+", " ".join(words)) if w[:1].isupper())
        if initials and initials == "".join(c for c in match.group(1) if c.isupper()):
            index.acronyms.setdefault(match.group(1).lower(), name)


def full_name(index: DocumentIndex, words: list[str] | tuple[str, ...], before: int) -> str | None:
    """The full name a name's words (titles stripped) stand for at token `before`: the name itself or its fullest
    form ("Jeh Johnson" is Jeh Johnson though "Gary Johnson" came first); a surname alone, the person it first
    named. (Picking among people who share a surname by recency or by salience was tried: it helps news about two
    unrelated Johnsons and hurts every biography of a family more, on GUM.)"""
    lowered = [w.lower() for w in words]
    for first in lowered[:-1]:  # "Homeland Security Secretary Jeh Johnson": the titles before are no first name
        by_first = index.full_names.get(first)
        if by_first is not None and by_first.lower().split()[-1] == lowered[-1]:
            return by_first
    return index.full_names.get(" ".join(lowered)) or index.full_names.get(lowered[-1])


def _fullest_forms(index: DocumentIndex, person_names: list[tuple[str, ...]]) -> None:
    """A person's canonical name is the fullest form the article gives ("Jared Tristan Padalecki" over the first
    "Jared Padalecki"): a longer name with the same first and last word replaces it."""
    for words in person_names:
        current = index.full_names.get(words[-1].lower()) if len(words) >= 2 else None
        if current is None or len(words) <= len(current.split()):
            continue
        if current.split()[0].lower() != words[0].lower() or current.split()[-1].lower() != words[-1].lower():
            continue
        fuller = " ".join(words)
        for word, full in list(index.full_names.items()):
            if full == current:
                index.full_names[word] = fuller
        index.labels.setdefault(fuller.lower(), "PERSON")


def _untagged_fuller_forms(doc: Doc, index: DocumentIndex) -> list[tuple[str, ...]]:
    """Runs of three or more proper nouns on one line that open with a known person's first name and end with
    that person's surname ("Jared Tristan Padalecki (born ...)", a biography's first words, which the small model
    often leaves untagged): candidates for that person's fullest form."""
    propn = np.concatenate(([0], (docfacts.of(doc).columns[:, 0] == PROPN).astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(propn))  # starts and ends of the runs, alternately
    forms = []
    for start, end in edges.reshape(-1, 2).tolist():
        if end - start < 3:
            continue
        span = doc[start:end]
        words = tuple(span_text(span, index).split())
        full = index.full_names.get(words[0].lower())
        if full is not None and "\n" not in span_text(span, index) and full == index.full_names.get(words[-1].lower()):
            forms.append(words)
    return forms


def _label(ent: Span, words: tuple[str, ...]) -> str:
    """The entity's label, except that two or three capitalised words opening with a first name the name list is
    sure of are a person whatever the small model says ("Tatiana Stanovaya" tagged ORG), unless a word names a
    body or a place ("Victoria Station", "Maria Council")."""
    if ent.label_ in ("PERSON", "DATE", "TIME", "MONEY", "CARDINAL", "PERCENT", "QUANTITY", "ORDINAL"):
        return ent.label_
    if not 2 <= len(words) <= 3 or not all(w[:1].isupper() for w in words):
        return ent.label_
    if any(w.lower() in NOT_PERSON_NAME_WORDS for w in words):
        return ent.label_
    estimate = first_names.estimate(words[0])
    return "PERSON" if estimate is not None and estimate[1] >= FIRST_NAME_CERTAINTY else ent.label_


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
        words = frozenset(t.lower_ for t in role_tokens) | frozenset(t.lemma_.lower() for t in role_tokens)
        index.role_holders.setdefault(role_tokens[-1].lemma_.lower(), []).append((token_index, full, words))


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
        for marker in sorted(described & (female | male)):
            votes[full]["f" if marker in female else "m"] += 3
            index.gender_evidence.setdefault(full, Counter())[strings[marker]] += 1
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


def span_text(span: Span, index: DocumentIndex) -> str:
    return index.text[span.start_char : span.end_char]


def name_text(span: Span, index: DocumentIndex) -> str:
    """A span's words as a name: a line wrapped in the source ("the\ncentral bank") is one space."""
    return " ".join(span_text(span, index).split())


def entities_within(span: Span, entities: tuple[Span, ...]) -> list[Span]:
    """span.ents from the document's entities (as spaCy does it: in order, up to the first that runs past the span)."""
    within = []
    for ent in entities:
        if ent.start >= span.start:
            if ent.end > span.end:
                break
            within.append(ent)
    return within
