"""Facts of spaCy's dependency parse that the quote and the event rules both read: subject arcs and the two
passive checks.

Imports spaCy only.
"""

from __future__ import annotations

from spacy.tokens import Token

# Arcs from a verb to a subject that does the act ("Russia agreed", "What he said matters").
ACTIVE_SUBJECTS = ("nsubj", "csubj")


def is_passive(verb: Token) -> bool:
    """The verb is in the passive voice: it has a passive auxiliary or a passive subject ("was told")."""
    return any(c.dep_ in ("auxpass", "nsubjpass") for c in verb.children)


def is_passive_with_agent(verb: Token) -> bool:
    """A passive whose doer is named: a passive subject and a by-agent ("The meeting was reported by Politico")."""
    return any(c.dep_ == "nsubjpass" for c in verb.children) and any(c.dep_ == "agent" for c in verb.children)
