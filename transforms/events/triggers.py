"""Event triggers: the words of a Doc that report a PLOVER event, with its type, mode and CAMEO code.

A verb's sense comes first from the hand-written rules of data/event_lexicon.json that need its object or particle
("lift the curfew" is CONCEDE, "impose a curfew" COERCE, "call for" REQUEST), then from the CAMEO verb dictionary
(data/cameo_lexicon.json: some 1,650 verbs in classes with a CAMEO code, each with the patterns written for it over
its subject and objects: "sign a protocol", "wage war", "cordon off", "hold talks", "express concern" (no event);
a verb of a class without a code also reads its object by its synonyms' patterns), then from the lexicon's verbs and
the CAMEO code of the verb or its class. A sense is checked against the verb's arguments: a meeting needs a
party to meet ("meet demand" is none), a material act reported only as a that-clause is a statement ("allowed
that"). Negation turns acceptance into refusal ("would not consider"). Event nouns and noun phrases come from the
lexicon. An event word that is only the content of a speech act ("demanded the withdrawal", "rejected an offer of
talks") is not an event of its own, nor is the clause a reported demand asks for.
May import: spaCy, numpy, transforms.nlp, transforms.entities (its word lists), and events.plover, events.clause,
events.modality and events.participants.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np
from spacy.strings import get_string_id
from spacy.symbols import VERB
from spacy.tokens import Doc, Span, Token

from transforms.entities.lexicon import NOT_PARTICIPANTS, PERSON_NOUNS
from transforms.events.clause import clause_chain, of_objects
from transforms.events.modality import modality
from transforms.events.participants import participant_in_noun, subject_of
from transforms.events.plover import (
    CameoPattern,
    PatternSet,
    PatternWord,
    cameo_dictionary,
    lexicon,
    plover_of_code,
    quad_class,
)
from transforms.nlp import docfacts
from transforms.nlp.docfacts import children

# Arcs along which an event word is the content of a governing speech act ("agreed to a ceasefire").
CONTENT_ARCS = ("xcomp", "ccomp", "dobj", "pobj", "prep", "pcomp", "acl", "nsubjpass", "attr")
CONTENT_DEPTH = 5
# Predicative event nouns ("calling them a threat") describe, they do not report an event.
PREDICATIVE = ("attr", "oprd")
REQUEST_MODALS = ("must", "should")
CCOMP = get_string_id("ccomp")
# A CAMEO pattern's words are looked for in the verb's subject and in its objects and non-finite complements, not in
# a clause of its own ("said [that talks failed]").
OWN_CLAUSE_ARCS = ("ccomp", "advcl", "conj", "relcl", "parataxis", "cc", "punct", "mark", "csubj")
SUBJECT_ARCS = ("nsubj", "nsubjpass", "expl")
# A stem in the dictionary matches a word up to this many letters longer ("talk" -> "talks", "cooperat" ->
# "cooperation"), as TABARI's stems do, without "war" matching "warning".
STEM_SLACK = 3
PARTY_LABELS = ("PERSON", "NORP", "ORG", "GPE", "LOC", "FAC")
TIME_LABELS = ("DATE", "TIME")


@dataclass(frozen=True)
class Sense:
    """An event reading of a trigger: PLOVER type and mode, and the CAMEO code when the CAMEO dictionary gave it."""

    event_type: str
    mode: str
    cameo_code: str | None = None


@dataclass
class Trigger:
    head: Token
    span: Span
    event_type: str
    mode: str
    is_verb: bool
    request_clause: Token | None = None  # the clause a REQUEST asks for ("demanded that the US cancel ...")
    cameo_code: str | None = None


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
    verbs = is_verb & (facts.lemma_in(trigger_verbs()) | facts.lower_in(inflected_forms()) | (dep == CCOMP))
    event_nouns = ~is_verb & (facts.lemma_in(nouns) | facts.lower_in(nouns))
    for i in np.flatnonzero(verbs | event_nouns).tolist():
        if i in covered:
            continue
        token = doc[i]
        trigger = verb_trigger(token) if token.pos_ == "VERB" else noun_trigger(token)
        if trigger is not None:
            triggers.append(trigger)
    return sorted(triggers, key=lambda t: t.span.start)


def clear_caches() -> None:
    """Forget the tables derived from the lexicon and the CAMEO dictionary (for an evaluator that edits them)."""
    derived = (trigger_nouns, trigger_verbs, cameo_verbs, verb_of_form, inflected_forms, conditional_verbs)
    for table in (*derived, phrases_by_verb, phrases_by_first_word, phrase_first_words):
        table.cache_clear()


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
        | cameo_verbs()
    )


@functools.cache
def cameo_verbs() -> frozenset[str]:
    """The CAMEO dictionary's verbs and the verbs of its phrasal verbs ("cordon" of "cordon off")."""
    dictionary = cameo_dictionary()
    return frozenset(dictionary["verbs"].keys() | {phrase.split()[0] for phrase in dictionary["phrases"]})


@functools.cache
def verb_of_form() -> dict[str, str]:
    """Regular inflected forms of the CAMEO dictionary's verbs -> the verb, for the verbs spaCy lemmatises wrongly
    ("cordoned" -> "cordone")."""
    forms = {}
    for verb in cameo_verbs():
        stem = verb.removesuffix("e")
        for form in (verb + "s", verb + "ed", verb + "d", stem + "ing", stem + "ed"):
            forms.setdefault(form, verb)
    return forms


@functools.cache
def inflected_forms() -> frozenset[str]:
    return frozenset(verb_of_form())


def verb_lemma(verb: Token) -> str:
    lemma = verb.lemma_.lower()
    return lemma if lemma in trigger_verbs() else verb_of_form().get(verb.lower_, lemma)


def verb_trigger(verb: Token) -> Trigger | None:
    words = lexicon()
    lemma = verb_lemma(verb)
    requested = request_by_modal(verb)
    if requested is not None:
        return requested
    if lemma in words["acceptance_verbs"] and modality(clause_chain(verb)).negated:
        return Trigger(verb, verb.doc[verb.i : verb.i + 1], "REJECT", "", True)
    found = verb_sense(verb, lemma)
    if found is None or (lemma in words["intransitive_verbs"] and any(c.dep_ == "dobj" for c in children(verb))):
        return None  # "has demonstrated an ambition" is not a demonstration
    if not fits_arguments(verb, lemma, found):
        return None
    if lemma in words["intent_verbs"] and intends_conflict(verb):
        found = Sense("THREATEN", "")
    return Trigger(
        verb,
        verb.doc[verb.i : verb.i + 1],
        found.event_type,
        found.mode,
        True,
        request_clause=that_clause(verb) if found.event_type == "REQUEST" else None,
        cameo_code=found.cameo_code,
    )


def verb_sense(verb: Token, lemma: str) -> Sense | None:
    """The verb's event reading: the lexicon's rules on its object or particle, else a CAMEO phrase or pattern that
    fits its arguments, else its default in the lexicon, else its CAMEO class's code."""
    ruled = particle_phrase(verb, lemma) or object_rule(verb, lemma) or prep_rule(verb, lemma)
    ruled = ruled or person_object_rule(verb, lemma)
    if ruled:
        return Sense(*ruled)
    default = lexicon()["verbs"].get(lemma)
    # A CAMEO phrase or pattern reads the verb in context; the dictionary codes what an actor does, so the verb needs
    # one ("police cordoned off the roads", not "recently released polls").
    reading = cameo_reading(verb, lemma) if has_actor(verb) else None
    lends_to_noun = lemma in lexicon()["light_verbs"] and has_event_object(verb)
    if reading is not None and not lends_to_noun:
        sense = code_sense(reading.code)
        # CAMEO reads "plans talks" as an intention (AGREE); the events table keeps the planned act, flagged future.
        return None if sense and sense.event_type == "AGREE" and governs_complement(verb, lemma) else sense
    if default:
        return Sense(*default)
    if reading is not None:
        return class_sense(verb, reading.code)
    if lemma in conditional_verbs() or lemma in lexicon()["light_verbs"]:
        return None
    entry = cameo_dictionary()["verbs"].get(lemma)
    return class_sense(verb, entry.code or entry.class_code) if entry is not None else None


def class_sense(verb: Token, code: str | None) -> Sense | None:
    """A sense known only from the verb's CAMEO class (or a pattern read through a light verb) counts for material acts
    between two actors: CAMEO codes dyadic events ("the army overpowered the rebels", not "an issue likely to
    dominate"), and its statement, intention and meeting classes hold verbs of every kind ("want", "come", "think"),
    whose events the lexicon's verbs and the patterns with content words report."""
    sense = code_sense(code)
    if sense is None or not quad_class(sense.event_type).startswith("material") or not is_dyadic(verb):
        return None
    return sense


@functools.cache
def conditional_verbs() -> frozenset[str]:
    """Verbs the lexicon makes events only with a given object, preposition or particle ("release" needs a person):
    their CAMEO class does not make them events otherwise."""
    words = lexicon()
    return frozenset(
        words["object_rules"].keys()
        | words["prep_rules"].keys()
        | words["person_object_verbs"].keys()
        | phrases_by_verb().keys()
    )


def has_actor(verb: Token) -> bool:
    subject = subject_of(verb)
    agent = [o for c in children(verb) if c.dep_ == "agent" for o in children(c) if o.dep_ == "pobj"]
    return any(is_party(a) for a in agent) or (
        subject is not None and subject.dep_ != "nsubjpass" and is_party(subject)
    )


def is_dyadic(verb: Token) -> bool:
    others = [c for c in children(verb) if c.dep_ in ("dobj", "dative", "nsubjpass")]
    others += [o for c in children(verb) if c.dep_ == "prep" for o in children(c) if o.dep_ == "pobj"]
    return has_actor(verb) and any(is_party(o) for o in others)


def has_event_object(verb: Token) -> bool:
    """'hold talks': the event noun is the trigger, the light verb lends it its actor."""
    return any(c.dep_ == "dobj" and c.lemma_.lower() in trigger_nouns() for c in children(verb))


def governs_complement(verb: Token, lemma: str) -> bool:
    """'plans to hold talks', 'is expected to sign': with a complement, a verb of intention or expectation is its
    complement's modality, not an event of its own; promises and vows (intent_verbs) stay agreements."""
    words = lexicon()
    governor = lemma in words["future_governors"] or lemma in words["hypothetical_governors"]
    return governor and lemma not in words["intent_verbs"] and any(c.dep_ in ("xcomp", "ccomp") for c in children(verb))


def code_sense(code: str | None) -> Sense | None:
    found = plover_of_code(code) if code else None
    return Sense(found[0], found[1], code) if found else None


@dataclass(frozen=True)
class CameoReading:
    """What the CAMEO dictionary reads a verb in context as: a code, or None for no event ("cut production")."""

    code: str | None


def cameo_reading(verb: Token, lemma: str) -> CameoReading | None:
    """The reading of the CAMEO phrasal verb ("cordon off", "wage war") or of the most specific pattern that fits the
    verb in context: its own patterns first, then its synonyms' where its class has no code; None when none fits."""
    dictionary = cameo_dictionary()
    for child in children(verb):
        phrase = dictionary["phrases"].get(f"{lemma} {child.lower_}")
        if child.dep_ in ("prt", "prep", "advmod", "dobj") and phrase is not None:
            # A phrasal verb's own patterns read it in context ("carried out a raid"), else it has its code.
            pattern = best_pattern(phrase.patterns, VerbContext.of(verb))
            return CameoReading(pattern.code if pattern is not None else phrase.code)
    entry = dictionary["verbs"].get(lemma)
    if entry is None or not (entry.patterns.patterns or entry.class_patterns.patterns):
        return None
    context = VerbContext.of(verb)
    pattern = best_pattern(entry.patterns, context) or best_pattern(entry.class_patterns, context)
    return CameoReading(pattern.code) if pattern is not None else None


def best_pattern(patterns: PatternSet, context: VerbContext) -> CameoPattern | None:
    """The most specific of the patterns that fits the verb's context, trying only those one of the context's words
    can fill."""
    if not patterns.patterns:
        return None
    index, unkeyed = patterns.by_word
    places = set(unkeyed).union(*(index[k] for k in context.pattern_keys & index.keys()))
    return next((patterns.patterns[p] for p in sorted(places) if context.fits(patterns.patterns[p])), None)


@dataclass
class VerbContext:
    """The words of a verb's subject, of its objects and complements, and of each prepositional phrase on it or on
    its object, as (prefixes, words) pairs for the dictionary's stem look-ups. Clauses of their own ("said [that
    talks failed]", "a resolution [that aims to tighten sanctions]") are not the verb's context."""

    subject: WordKeys
    objects: WordKeys
    phrases: list[tuple[str, WordKeys]]

    @classmethod
    def of(cls, verb: Token) -> VerbContext:
        subject = [c for c in children(verb) if c.dep_ in SUBJECT_ARCS or c.i < verb.i and c.dep_ == "advmod"]
        right = [c for c in children(verb) if c.i > verb.i and c.dep_ not in OWN_CLAUSE_ARCS]
        direct = [c for c in right if c.dep_ != "prep"]
        # A time ("called on Monday", "clashed over the weekend") is when the act happened, not what it was about.
        preps = [c for c in right if c.dep_ == "prep" and not any(o.ent_type_ in TIME_LABELS for o in children(c))]
        preps += [p for o in direct if o.dep_ == "dobj" for p in children(o) if p.dep_ == "prep"]
        # A bare preposition or particle in a pattern ("fire at") is one on the verb, not deep in its object.
        objects = [t for t in phrase_tokens(direct + preps) if t.pos_ not in ("ADP", "PART") or t.head == verb]
        return cls(
            word_keys(phrase_tokens(subject)),
            word_keys(objects + preps),
            [(p.lower_, word_keys(phrase_tokens([c for c in children(p) if c.dep_ != "prep"]))) for p in preps],
        )

    @functools.cached_property
    def pattern_keys(self) -> frozenset[str]:
        """Every stem or word of the context a pattern's word can be (once per verb: its own patterns and its
        synonyms' are looked up with them)."""
        prefixes = (prefixes_of(word) for word in self.subject.words | self.objects.words)
        return frozenset().union(*prefixes, (preposition for preposition, _ in self.phrases))

    def fits(self, pattern: CameoPattern) -> bool:
        return (
            all(self.subject.has(w) for w in pattern.subject)
            and all(self.objects.has(w) for w in pattern.objects)
            and all(any(self.in_phrase(phrase, p, keys) for p, keys in self.phrases) for phrase in pattern.phrases)
        )

    @staticmethod
    def in_phrase(phrase: tuple[PatternWord, ...], preposition: str, keys: WordKeys) -> bool:
        head, *words = phrase
        return (preposition in head.stems or preposition in head.exact) and all(keys.has(w) for w in words)


@dataclass(frozen=True)
class WordKeys:
    words: frozenset[str]

    @functools.cached_property
    def prefixes(self) -> frozenset[str]:
        return frozenset().union(*map(prefixes_of, self.words))

    def has(self, word: PatternWord) -> bool:
        return not word.stems.isdisjoint(self.prefixes) or not word.exact.isdisjoint(self.words)


def phrase_tokens(heads: list[Token]) -> list[Token]:
    """The heads and the words of their phrases, without the clauses inside them."""
    found, todo = [], list(heads)
    while todo:
        token = todo.pop()
        found.append(token)
        todo.extend(c for c in children(token) if c.dep_ not in OWN_CLAUSE_ARCS + ("acl",))
    return found


def word_keys(tokens: list[Token]) -> WordKeys:
    return WordKeys(frozenset(w for t in tokens for w in (t.lower_, t.lemma_.lower())))


@functools.lru_cache(maxsize=65536)
def prefixes_of(word: str) -> frozenset[str]:
    """The word and the prefixes a dictionary stem of it can be ("negotiat" for "negotiated")."""
    return frozenset(word[:n] for n in range(max(1, len(word) - STEM_SLACK), len(word) + 1))


def fits_arguments(verb: Token, lemma: str, sense: Sense) -> bool:
    """Sense checks by argument. A meeting verb's object is the party met ("met Putin", not "met demand"); a material
    act whose only complement is a that-clause is a statement ("allowed that mistakes were made")."""
    direct = [c for c in children(verb) if c.dep_ == "dobj"]
    if sense.event_type == "CONSULT" and lemma in lexicon()["party_object_verbs"] and direct:
        return any(is_party(o) for o in direct)
    if quad_class(sense.event_type).startswith("material") and not direct:
        return not any(c.dep_ == "ccomp" and any(m.dep_ == "mark" for m in children(c)) for c in children(verb))
    return True


def is_party(token: Token) -> bool:
    """A person, group, organisation or place that can act or be acted on ("Hezbollah guerrillas", "the army")."""
    return names_party(token) or names_party(participant_in_noun(token))


def names_party(token: Token) -> bool:
    lemma = token.lemma_.lower()
    return token.ent_type_ not in NOT_PARTICIPANTS and (
        token.ent_type_ in PARTY_LABELS
        or token.pos_ in ("PROPN", "PRON")
        or lemma in PERSON_NOUNS
        or lemma in lexicon()["person_nouns"]
    )


def intends_conflict(verb: Token) -> bool:
    """'vowed to retaliate', 'pledged to fight on': a stated intention to use force or pressure is a threat."""
    content = next((c for c in children(verb) if c.dep_ == "xcomp"), None)
    found = verb_sense(content, verb_lemma(content)) if content is not None else None
    return (
        found is not None
        and quad_class(found.event_type) in ("material conflict", "verbal conflict")
        and found.event_type not in ("REJECT", "ACCUSE", "REQUEST")
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
        if token.dep_ not in CONTENT_ARCS or token.head == token:
            return False
        token = token.head
        governing = by_head.get(token.i)
        if governing is not None and governing is not trigger and governing.event_type in speech_acts:
            return True
    return False
