"""Modality of an event mention: whether its clause negates it, puts it in the future, or only considers it.

The flags are read from the trigger's clause chain (clause.py) with the modal, governor and marker word lists of
the trigger lexicon. May import: spaCy, transforms.nlp, and events.plover (the lexicon).
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Token

from transforms.events.plover import lexicon
from transforms.nlp.docfacts import children


@dataclass(frozen=True)
class Modality:
    negated: bool
    future: bool
    hypothetical: bool


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
