"""The trigger's clause: the chain of heads from a trigger up to the verb that heads its clause ("talks" -> "hold"
-> "plans"), never across into the reporting verb of a reported clause; the verb that lends an event noun its
actor; and the place the clause names.

Modality (modality.py), the date (dates.py) and the place are all read from this chain.
May import: spaCy, transforms.nlp, and transforms.entities (for the entity span of a place).
"""

from __future__ import annotations

from spacy.tokens import Token

from transforms.entities.article import entity_span
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
# Prepositions that make an event noun the setting of its verb, whose subject then takes part in it.
SETTING_PREPOSITIONS = ("in", "during", "at", "into")
PLACE_PREPOSITIONS = frozenset("in at near to inside outside across into".split())
PLACE_LABELS = ("GPE", "LOC", "FAC")


def clause_chain(trigger: Token) -> list[Token]:
    """The trigger and its heads up to and including the head of its clause."""
    chain = [trigger]
    token = trigger
    while token.dep_ in INSIDE_CLAUSE and token.head is not token and len(chain) < 8:
        token = token.head
        chain.append(token)
    return chain


def governing_verb(chain: list[Token]) -> Token | None:
    """The verb an event noun is the object of ("hold talks", "said in an interview"), which lends it its actor."""
    noun = chain[0]
    if noun.dep_ == "dobj" and len(chain) > 1:
        return chain[1]
    # "said in an interview", "took part in talks"; not "got a halt to the fighting" or "retaliated for the killing".
    if (
        noun.dep_ == "pobj"
        and len(chain) > 2
        and chain[1].lower_ in SETTING_PREPOSITIONS
        and chain[2].pos_ in ("VERB", "AUX")
    ):
        return chain[2]
    return None


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
    nested = of_objects(objects)
    parts = [m for o in objects + nested for m in children(o) if m.dep_ in ("compound", "amod")]
    return objects + nested + parts


def of_objects(heads: list[Token]) -> list[Token]:
    """The objects of each head's own 'of' phrase ("the city of Kirkuk", "a state of emergency")."""
    return [
        p
        for o in heads
        for c in children(o)
        if c.dep_ == "prep" and c.lower_ == "of"
        for p in children(c)
        if p.dep_ == "pobj"
    ]


def entity_text(token: Token) -> str:
    ent = entity_span(token)
    return ent.text if ent is not None else token.text
