"""Event triggers: the words of a Doc that report a PLOVER event, with its type and mode.

Triggers come from a lexicon of verbs, event nouns and phrases (data/event_lexicon.json, read by plover.py), refined
by the verb's object ("lift the curfew" is CONCEDE, "impose a curfew" COERCE) and by negation ("would not consider"
is a refusal). An event word that is only the content of a speech act ("demanded the withdrawal", "rejected an
offer of talks") is not an event of its own, nor is the clause a reported demand asks for.
May import: spaCy, numpy, transforms.nlp, and events.plover, events.clause and events.modality.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from spacy.strings import get_string_id
from spacy.symbols import VERB
from spacy.tokens import Doc, Span, Token

from transforms.events.clause import clause_chain, of_objects
from transforms.events.modality import modality
from transforms.events.plover import lexicon, quad_class
from transforms.nlp import docfacts
from transforms.nlp.docfacts import children

# Arcs along which an event word is the content of a governing speech act ("agreed to a ceasefire").
CONTENT_ARCS = ("xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acl", "nsubjpass", "attr")
CONTENT_DEPTH = 5
# Predicative event nouns ("calling them a threat") describe, they do not report an event.
PREDICATIVE = ("attr", "oprd")
REQUEST_MODALS = ("must", "should")
CCOMP = get_string_id("ccomp")


@dataclass
class Trigger:
    head: Token
    span: Span
    event_type: str
    mode: str
    is_verb: bool
    request_clause: Token | None = None  # the clause a REQUEST asks for ("demanded that the US cancel ...")


def event_triggers(doc: Doc) -> list[Trigger]:
    """The triggers that report an event of their own: not the clause a demand asks for, not the content of a
    speech act above them."""
    triggers = find_triggers(doc)
    by_head = {t.head.i: t for t in triggers}
    requested = {t.request_clause.i for t in triggers if t.request_clause is not None}
    return [t for t in triggers if t.head.i not in requested and not is_content(t, by_head)]


def find_triggers(doc: Doc) -> list[Trigger]:
    # The lexicon look-ups run over the doc's arrays of string ids: a Token object per word would cost more than
    # the rules, so only the words that can trigger become Tokens.
    facts = docfacts.of(doc)
    pos, dep = facts.columns[:, 0], facts.columns[:, 1]
    # "Libya must hand over the bombers", reported, is a demand before it is a hand-over.
    phrase_triggers = {t.head.i: request_by_modal(t.head) or t for t in phrase_matches(doc, facts)}
    covered = {i for t in phrase_triggers.values() for i in range(t.span.start, t.span.end)}
    triggers = list(phrase_triggers.values())
    nouns = trigger_nouns()
    is_verb = pos == VERB
    # A verb triggers by its lemma, or as the clause of a reported demand (request_by_modal: "said Y must do Z").
    verbs = is_verb & (facts.lemma_in(trigger_verbs()) | (dep == CCOMP))
    event_nouns = ~is_verb & (facts.lemma_in(nouns) | facts.lower_in(nouns))
    for i in np.flatnonzero(verbs | event_nouns).tolist():
        if i in covered:
            continue
        token = doc[i]
        trigger = verb_trigger(token) if token.pos_ == "VERB" else noun_trigger(token)
        if trigger is not None:
            triggers.append(trigger)
    return sorted(triggers, key=lambda t: t.span.start)


@functools.cache
def trigger_nouns() -> frozenset[str]:
    return frozenset(lexicon()["nouns"])


@functools.cache
def trigger_verbs() -> frozenset[str]:
    """The lemmas verb_trigger can find an event in, besides a reported demand."""
    words = lexicon()
    return frozenset(
        words["verbs"].keys()
        | words["object_rules"].keys()
        | words["prep_rules"].keys()
        | words["person_object_verbs"].keys()
        | phrases_by_verb().keys()
        | words["acceptance_verbs"]
    )


def verb_trigger(verb: Token) -> Trigger | None:
    words = lexicon()
    lemma = verb.lemma_.lower()
    requested = request_by_modal(verb)
    if requested is not None:
        return requested
    if lemma in words["acceptance_verbs"] and modality(clause_chain(verb)).negated:
        return Trigger(verb, verb.doc[verb.i : verb.i + 1], "REJECT", "", True)
    found = lexicon_type(verb)
    if found is None or (lemma in words["intransitive_verbs"] and any(c.dep_ == "dobj" for c in children(verb))):
        return None  # "has demonstrated an ambition" is not a demonstration
    event_type, mode = found
    if lemma in words["intent_verbs"] and intends_conflict(verb):
        event_type, mode = "THREATEN", ""
    return Trigger(
        verb,
        verb.doc[verb.i : verb.i + 1],
        event_type,
        mode,
        True,
        request_clause=that_clause(verb) if event_type == "REQUEST" else None,
    )


def lexicon_type(verb: Token) -> list[str] | None:
    lemma = verb.lemma_.lower()
    return (
        particle_phrase(verb, lemma)
        or object_rule(verb, lemma)
        or prep_rule(verb, lemma)
        or person_object_rule(verb, lemma)
        or lexicon()["verbs"].get(lemma)
    )


def intends_conflict(verb: Token) -> bool:
    """'vowed to retaliate', 'pledged to fight on': a stated intention to use force or pressure is a threat."""
    content = next((c for c in children(verb) if c.dep_ == "xcomp"), None)
    found = lexicon_type(content) if content is not None else None
    return (
        found is not None
        and quad_class(found[0]) in ("material conflict", "verbal conflict")
        and found[0] not in ("REJECT", "ACCUSE", "REQUEST")
    )


def particle_phrase(verb: Token, lemma: str) -> list[str] | None:
    """Phrasal verbs whose particle is split off ("forced the agency out", "called Thursday on Arabs to")."""
    particles = phrases_by_verb().get(lemma)
    if particles is None:
        return None
    for child in children(verb):
        if (
            child.dep_ in ("prt", "prep", "advmod")
            and child.lower_ in particles
            and not any(c.ent_type_ in ("DATE", "TIME") for c in children(child))
        ):
            return particles[child.lower_]
    return None


@functools.cache
def phrases_by_verb() -> dict[str, dict[str, list[str]]]:
    """Lexicon phrases split before their last word ("call for" -> call: {for: ...}), so a verb without a phrase
    costs one look-up."""
    index: dict[str, dict[str, list[str]]] = {}
    for phrase, found in lexicon()["phrases"].items():
        head, last = phrase.rsplit(" ", 1)
        index.setdefault(head, {})[last] = found
    return index


def object_rule(verb: Token, lemma: str) -> list[str] | None:
    rules = lexicon()["object_rules"].get(lemma)
    if not rules:
        return None
    for obj in objects(verb):
        if obj.lemma_.lower() in rules:
            return rules[obj.lemma_.lower()]
    return None


def objects(verb: Token) -> list[Token]:
    direct = [c for c in children(verb) if c.dep_ in ("dobj", "nsubjpass")]
    via_prep = [p for c in children(verb) if c.dep_ == "prep" for p in children(c) if p.dep_ == "pobj"]
    # "lifted a state of emergency", "withdraw its peacekeeping force": the object's parts decide too.
    parts = [m for o in direct for m in children(o) if m.dep_ in ("compound", "amod")]
    return direct + parts + of_objects(direct) + via_prep


def person_object_rule(verb: Token, lemma: str) -> list[str] | None:
    """'released the prisoners' is an event, 'released a video' is not: these verbs need a person or group."""
    words = lexicon()
    found = words["person_object_verbs"].get(lemma)
    if found is None:
        return None
    people = words["person_nouns"]
    for obj in objects(verb):
        if obj.ent_type_ in ("PERSON", "NORP", "GPE", "ORG") or obj.lemma_.lower() in people:
            return found
    return None


def prep_rule(verb: Token, lemma: str) -> list[str] | None:
    """Verbs that are events only with a preposition: 'talk with X' (not 'talk about'), 'fire at/on X'."""
    rules = lexicon()["prep_rules"].get(lemma)
    if not rules:
        return None
    return next((rules[c.lower_] for c in children(verb) if c.dep_ == "prep" and c.lower_ in rules), None)


def request_by_modal(verb: Token) -> Trigger | None:
    """'X said (that) Y must do Z' reports a demand by X on Y."""
    if verb.dep_ != "ccomp" or verb.head.lemma_.lower() not in lexicon()["reporting_verbs"]:
        return None
    if not any(c.dep_ == "aux" and c.lower_ in REQUEST_MODALS for c in children(verb)):
        return None
    return Trigger(verb.head, verb.doc[verb.i : verb.i + 1], "REQUEST", "", True, request_clause=verb)


def that_clause(verb: Token) -> Token | None:
    return next((c for c in children(verb) if c.dep_ == "ccomp"), None)


def noun_trigger(noun: Token) -> Trigger | None:
    if noun.pos_ not in ("NOUN", "PROPN") or noun.dep_ in PREDICATIVE:
        return None
    found = lexicon()["nouns"].get(noun.lemma_.lower()) or lexicon()["nouns"].get(noun.lower_)
    if found is None or (noun.dep_ == "compound" and noun.head.lemma_.lower() in lexicon()["nouns"]):
        return None
    return Trigger(
        noun,
        noun.doc[noun.i : noun.i + 1],
        found[0],
        found[1],
        False,
        request_clause=sibling_clause(noun) if found[0] == "REQUEST" else None,
    )


def sibling_clause(noun: Token) -> Token | None:
    """'reiterated its demand that Israel ease ...': the parser hangs the demand's clause on the verb."""
    if noun.dep_ != "dobj":
        return None
    return next((c for c in children(noun.head) if c.dep_ == "ccomp" and c.i > noun.i), None)


@functools.cache
def phrases_by_first_word() -> dict[str, list[tuple[list[str], list[str]]]]:
    """Lexicon phrases as lemma sequences, indexed by their first lemma, longest first."""
    index: dict[str, list] = {}
    for phrase, found in lexicon()["phrases"].items():
        lemmas = phrase.split()
        index.setdefault(lemmas[0], []).append((lemmas, found))
    return {word: sorted(entries, key=lambda e: -len(e[0])) for word, entries in index.items()}


@functools.cache
def phrase_first_words() -> frozenset[str]:
    return frozenset(phrases_by_first_word())


def phrase_matches(doc: Doc, facts: docfacts.DocFacts) -> list[Trigger]:
    """Contiguous lexicon phrases ("hunger strike", "called for"), tried from the tokens whose lemma starts one."""
    index = phrases_by_first_word()
    lowered, lemma_ids = facts.lowered_lemmas, facts.columns[:, 2]
    matches, next_free = [], 0
    for start in np.flatnonzero(facts.lemma_in(phrase_first_words())).tolist():
        if start < next_free:
            continue
        for phrase, (event_type, mode) in index[lowered[int(lemma_ids[start])]]:
            end = start + len(phrase)
            if (
                end <= len(doc)
                and [lowered[lemma_id] for lemma_id in lemma_ids[start:end].tolist()] == phrase
                and not followed_by_date(doc, end)
            ):
                span = doc[start:end]
                matches.append(Trigger(span.root, span, event_type, mode, span.root.pos_ in ("VERB", "AUX")))
                next_free = end
                break
    return matches


def followed_by_date(doc: Doc, end: int) -> bool:
    """'called on Monday' is a call, not 'called on' someone."""
    return end < len(doc) and doc[end].ent_type_ in ("DATE", "TIME")


def is_content(trigger: Trigger, by_head: dict[int, Trigger]) -> bool:
    """Whether a speech-act trigger above this one (within a few arcs) already reports it as its content."""
    speech_acts = lexicon()["speech_act_types"]
    token = trigger.head
    for _ in range(CONTENT_DEPTH):
        if token.dep_ not in CONTENT_ARCS or token.head is token:
            return False
        token = token.head
        governing = by_head.get(token.i)
        if governing is not None and governing is not trigger and governing.event_type in speech_acts:
            return True
    return False
