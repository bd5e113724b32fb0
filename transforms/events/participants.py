"""Who did what to whom: the heads of an event trigger's actor and recipient phrases, read from spaCy's
dependency parse; `entities.namebook` resolves each head (a pronoun to its antecedent) to its words and entity key.

Each rule walks a few arcs from the trigger, so the cost stays linear. Imports entities, nlp and the events lexicon.
"""

from __future__ import annotations

import functools

from spacy.tokens import Token

from transforms.entities.lexicon import NAME_LABELS, NOT_PARTICIPANTS, PERSON_NOUNS
from transforms.events.plover import lexicon
from transforms.nlp.docfacts import children
from transforms.nlp.syntax import ACTIVE_SUBJECTS

PART_NOUNS = frozenset(
    "thousand thousands hundred hundreds dozen dozens part group number member some most many "
    "all several one two three members".split()
)
RECIPIENT_PREPS = ("against", "with", "on", "to", "from", "at", "toward", "towards", "into", "between", "for")
# Prepositions that name a participant inside an event noun ("the proposal from Afghanistan", "calls by Belarus").
NOUN_PARTICIPANT_PREPS = ("by", "from", "of")
CLIMB_FOR_SUBJECT = ("xcomp", "conj", "acomp", "advcl", "pcomp", "prep", "ccomp")


def verb_participants(verb: Token, request_clause: Token | None = None) -> tuple[list[Token], list[Token]]:
    """Actor and recipient heads of a verb trigger: passives swap subject and agent; a missing subject is
    borrowed from the governing verb ("Russia agreed to withdraw", "ready to meet")."""
    passive_subject = first_child(verb, ("nsubjpass",))
    agent = next(
        (pobj for prep in children(verb) if prep.dep_ == "agent" for pobj in children(prep) if pobj.dep_ == "pobj"),
        None,
    )
    if passive_subject is not None:
        actors = [agent] if agent is not None else []
        recipients = [passive_subject]
    else:
        actors = [subject] if (subject := subject_of(verb)) is not None else []
        recipients = verb_objects(verb, request_clause)
    return [a for head in actors for a in conjuncts(head)], [r for head in recipients for r in conjuncts(head)]


def subject_of(verb: Token) -> Token | None:
    """The verb's subject, climbing xcomp/conj/acomp chains; a relative clause's subject is the noun it modifies."""
    token = verb
    for _ in range(4):
        # A raised subject counts once we have left the verb itself ("Trump is expected to speak").
        subject = nearest_child(token, ACTIVE_SUBJECTS if token == verb else ACTIVE_SUBJECTS + ("nsubjpass",))
        if subject is not None:
            return subject
        # "forces, which attacked" and "rebels fighting": the modified noun acts; in "his inability to get" its
        # possessor does; "an attempt to kill" or "a declaration demanding" do not, and their own verb's subject does.
        if token.dep_ == "acl" and is_infinitive(token) and (owner := first_child(token.head, ("poss",))):
            return owner
        if (
            token.dep_ in ("relcl", "acl")
            and token.head.pos_ in ("NOUN", "PROPN")
            and not is_infinitive(token)
            and token.head.lemma_.lower() not in thing_nouns()
        ):
            return token.head
        if token.dep_ == "acl":
            token = token.head
        if token.dep_ not in CLIMB_FOR_SUBJECT + ("dobj", "pobj") or token.head == token:
            return None
        # An object-control verb ("pressured workers to cancel") hands its object down, not its subject.
        if token.dep_ == "xcomp" and (obj := first_child(token.head, ("dobj",))) is not None:
            return obj
        token = token.head
    return None


def verb_objects(verb: Token, request_clause: Token | None) -> list[Token]:
    """Whom the act is aimed at: a named object or prepositional object of the verb, of its object, or of the
    clause it governs ("threatened to cut off electricity to Nakhichevan"); an unnamed object (not the thing
    done, such as "sanctions" or "aid") when nothing is named."""
    if request_clause is not None and (subject := first_child(request_clause, ACTIVE_SUBJECTS)) is not None:
        return [participant_in_noun(subject)]
    clauses = [verb] + [c for c in children(verb) if c.dep_ in ("xcomp", "ccomp") or is_purpose_clause(c)]
    found = [object_candidates(clause) for clause in clauses]
    candidates = [c for direct, _ in found for c in direct if c.ent_type_ not in NOT_PARTICIPANTS]
    places = [p for _, in_places in found for p in in_places]
    named = [c for c in candidates if is_named(c)]
    people = [c for c in candidates if c.lemma_.lower() not in thing_nouns()]
    # A place the act happens in is its target only when no one else is ("lifted a curfew in Montenegro").
    return (named or people or places)[:1]


def is_purpose_clause(token: Token) -> bool:
    """'opened fire to disperse the demonstrators'."""
    return token.dep_ == "advcl" and is_infinitive(token)


def is_infinitive(verb: Token) -> bool:
    return any(c.dep_ == "aux" and c.lower_ == "to" for c in children(verb))


@functools.cache
def thing_nouns() -> frozenset[str]:
    """Nouns that name what is done or given ("aid", "sanctions", "curfew"), never whom it is done to."""
    words = lexicon()
    return frozenset(set(words["nouns"]) | set(words["thing_nouns"]))


def object_candidates(verb: Token) -> tuple[list[Token], list[Token]]:
    """Objects and prepositional objects of a verb (and of its object), and the places it happens in."""
    verb_children = children(verb)
    objects = [c for c in verb_children if c.dep_ in ("dobj", "dative") and c.pos_ != "ADP"]
    # "providing photographs to Macedonia": the parser can mark "to" itself as the dative.
    objects += [
        p for c in verb_children if c.dep_ == "dative" and c.pos_ == "ADP" for p in children(c) if p.dep_ == "pobj"
    ]
    candidates = [participant_in_noun(o) for o in objects]
    # "imposed sanctions on the Taliban", "suspended aid deliveries in Baghdad": the object's own preposition.
    candidates += [participant_in_noun(p) for o in objects for p in prepositional_objects(o, RECIPIENT_PREPS)]
    candidates += [participant_in_noun(pobj) for pobj in prepositional_objects(verb, RECIPIENT_PREPS)]
    for clause in (c for c in verb_children if c.dep_ == "ccomp"):
        if (subject := first_child(clause, ACTIVE_SUBJECTS)) is not None:
            candidates.append(participant_in_noun(subject))
    places = [
        pobj for o in [verb] + objects for pobj in prepositional_objects(o, ("in",)) if pobj.ent_type_ in ("GPE", "LOC")
    ]
    return candidates, places


def prepositional_objects(token: Token, prepositions: tuple[str, ...]) -> list[Token]:
    """The objects of the token's prepositions, in the order of `prepositions` (then of the words)."""
    by_preposition: dict[str, list[Token]] = {}
    for prep in children(token):
        if prep.dep_ == "prep" and prep.lower_ in prepositions:
            by_preposition.setdefault(prep.lower_, []).extend(c for c in children(prep) if c.dep_ == "pobj")
    return [pobj for word in prepositions for pobj in by_preposition.get(word, ())]


def is_named(token: Token) -> bool:
    return token.ent_type_ in NAME_LABELS or token.pos_ == "PROPN"


def noun_participants(noun: Token, governor: Token | None) -> tuple[list[Token], list[Token], list[Token]]:
    """Actors, recipients and location-like modifiers of an event noun ("Russia's offensive against Ukraine",
    "his Alaska summit with Putin", "talks between Putin and Zelenskyy")."""
    actors, recipients, places = [], [], []
    for child in children(noun):
        if child.dep_ == "poss":
            actors.append(child)
        elif child.dep_ in ("compound", "amod") and child.ent_type_ in ("GPE", "LOC", "FAC"):
            places.append(child)
        elif child.dep_ in ("compound", "amod") and child.ent_type_ in ("NORP", "ORG"):
            actors.append(child)
        elif child.dep_ == "prep" and (pobj := first_child(child, ("pobj",))) is not None:
            if child.lower_ == "by":
                actors.append(pobj)
            elif child.lower_ == "between":
                recipients.extend(conjuncts(pobj))
            elif (
                child.lower_ in ("against", "with", "on", "to", "from", "of")
                and not recipients
                and pobj.ent_type_ not in NOT_PARTICIPANTS
            ):
                recipients.append(participant_in_noun(pobj))
    if governor is not None and not actors:
        actors, _ = verb_participants(governor)
    if governor is not None and not recipients:
        # "staged rallies in Gaza against Abbas", "held talks on Monday with Putin": the verb carries the target.
        recipients = [participant_in_noun(p) for p in prepositional_objects(governor, ("against", "with"))][:1]
    if len(recipients) > 1 and not actors:
        actors, recipients = recipients, []
    return [a for head in actors for a in conjuncts(head)], [r for head in recipients for r in conjuncts(head)], places


def participant_in_noun(noun: Token) -> Token:
    """An abstract noun stands for whoever it belongs to: "Kiev's push" -> Kiev, "the republic of Nakhichevan",
    "calls by Belarus", "an Indian proposal" -> Indian."""
    if noun.ent_type_ in NAME_LABELS or noun.pos_ == "PROPN" or noun.lemma_.lower() in PERSON_NOUNS:
        return noun
    # "thousands of protesters", "52 members of the movement", "part of a stronghold": the group is the participant.
    if noun.ent_type_ in NOT_PARTICIPANTS or noun.lemma_.lower() in PART_NOUNS:
        of_object = next(
            (
                p
                for c in children(noun)
                if c.dep_ == "prep" and c.lower_ == "of"
                for p in children(c)
                if p.dep_ == "pobj"
            ),
            None,
        )
        if of_object is not None:
            return participant_in_noun(of_object)
    possessor = next((c for c in children(noun) if c.dep_ == "poss"), None)
    if possessor is not None:
        return possessor
    for child in children(noun):
        if child.dep_ == "prep" and child.lower_ in NOUN_PARTICIPANT_PREPS:
            pobj = first_child(child, ("pobj",))
            if pobj is not None and is_named(pobj):
                return pobj
    modifier = next((c for c in children(noun) if c.dep_ in ("amod", "compound") and c.ent_type_ in NAME_LABELS), None)
    return modifier if modifier is not None else noun


def conjuncts(head: Token) -> list[Token]:
    """'Trump and Putin' -> both heads."""
    return [head] + [t for t in head.conjuncts if t.i > head.i and t.pos_ in ("NOUN", "PROPN", "PRON")]


def nearest_child(token: Token, deps: tuple[str, ...]) -> Token | None:
    """The child with one of the arcs nearest the token (a misparsed heading can add a second subject)."""
    found = [c for c in children(token) if c.dep_ in deps]
    return min(found, key=lambda c: abs(c.i - token.i)) if found else None


def first_child(token: Token, deps: tuple[str, ...]) -> Token | None:
    return next((c for c in children(token) if c.dep_ in deps), None)
