"""One Doc -> rows of the events table: the public entry point of the events package.

Contract: `find_events(doc, published_at, entities=None) -> list[dict]` (entities: the article's entity layer, built
here when not given) with the events table's columns except
event_id, event_key, article_id, published_date, run_id, quote_id and *_source_id (extract.py derives those).
Offsets index `doc.text`; trigger == doc.text[trigger_char_start:trigger_char_end].

Each row joins a trigger (triggers.py) with its actors and recipients (found by participants.py, named by
transforms.entities.namebook), the modality (modality.py), date (dates.py) and place (clause.py) of its clause,
and the PLOVER codes of its type (plover.py): `cameo_code` is the code the CAMEO verb dictionary gave the trigger, else
the code of its type and mode.
`date_text` is the expression attached to the trigger's clause; `event_date`/`event_end_date` its period read from
`published_at` (towards the future for future events), granularity "unresolved" when it cannot be read (or there
is no published date), and all four null when the clause names no date.
May import: spaCy, transforms.nlp, transforms.entities and every module of events.
"""

from __future__ import annotations

from datetime import date, datetime

from spacy.tokens import Doc, Token

from transforms.entities import article as entity_layer
from transforms.entities.article import ArticleEntities
from transforms.entities.namebook import NameBook
from transforms.events.clause import clause_chain, date_scope, governing_verb, location
from transforms.events.dates import DateMention, date_mentions, event_date
from transforms.events.modality import modality
from transforms.events.participants import noun_participants, verb_participants
from transforms.events.plover import cameo_code, quad_class
from transforms.events.triggers import Trigger, event_triggers
from transforms.nlp import docfacts
from transforms.nlp.docfacts import children


def find_events(doc: Doc, published_at: datetime | None, entities: ArticleEntities | None = None) -> list[dict]:
    with docfacts.reading(doc) as facts:
        text, ents = facts.text, facts.ents
        names = NameBook(doc, entities or entity_layer.build(doc), text)
        dates = date_mentions(doc, text, ents)
        return [event_row(t, names, dates, published_at, text) for t in event_triggers(doc)]


def event_row(
    trigger: Trigger, names: NameBook, dates: list[DateMention], published_at: datetime | None, text: str
) -> dict:
    chain = clause_chain(trigger.head)
    actors, recipients, places = trigger_participants(trigger, chain, names)
    flags = modality(chain)
    date_text, resolved = event_date(date_scope(chain), dates, published_at, flags.future)
    # "talks next week" is future even without a modal.
    future = flags.future or bool(resolved and resolved.start and resolved.start > publication_day(published_at))
    exclude = {t.i for p in actors + recipients for t in p.heads}
    sentence = docfacts.sentence(trigger.head)
    code = trigger.cameo_code or cameo_code(trigger.event_type, trigger.mode)
    return {
        "event_type": trigger.event_type,
        "mode": trigger.mode or None,
        "quad_class": quad_class(trigger.event_type),
        "cameo_code": code,
        "cameo_root": code[:2],
        "trigger": text[trigger.span.start_char : trigger.span.end_char],
        "trigger_char_start": trigger.span.start_char,
        "trigger_char_end": trigger.span.end_char,
        "actor": join_texts(actors),
        "actor_entity_keys": [a.key for a in actors if a.key],
        "recipient": join_texts(recipients),
        "recipient_entity_keys": [r.key for r in recipients if r.key],
        "location": location(chain, places, exclude),
        "date_text": date_text,
        "event_date": resolved.start if resolved else None,
        "event_end_date": resolved.end if resolved else None,
        "date_granularity": resolved.granularity if resolved else None,
        "negated": flags.negated,
        "future": future,
        "hypothetical": flags.hypothetical,
        "sentence_char_start": sentence.start_char,
        "sentence_char_end": sentence.start_char + len(text[sentence.start_char : sentence.end_char].rstrip()),
        "confidence": confidence(trigger, chain, bool(actors), bool(recipients)),
    }


def trigger_participants(trigger: Trigger, chain: list[Token], names: NameBook) -> tuple[list, list, list[Token]]:
    """The trigger's actors and recipients (none inside the trigger, none that is also an actor) and, for an event
    noun, the places that modify it."""
    if trigger.is_verb:
        actor_heads, recipient_heads = verb_participants(trigger.head, trigger.request_clause)
        places = []
    else:
        actor_heads, recipient_heads, places = noun_participants(trigger.head, governing_verb(chain))
        if trigger.request_clause is not None:
            recipient_heads = [c for c in children(trigger.request_clause) if c.dep_ == "nsubj"] or recipient_heads
    inside_trigger = range(trigger.span.start, trigger.span.end)
    actors = unique(names.participant(h) for h in actor_heads if h.i not in inside_trigger)
    recipients = [
        r
        for r in unique(names.participant(h) for h in recipient_heads if h.i not in inside_trigger)
        if r.key not in {a.key for a in actors}
    ]
    return actors, recipients, places


def publication_day(published_at: datetime | date | None) -> date:
    if published_at is None:
        return date.max
    return published_at.date() if isinstance(published_at, datetime) else published_at


def confidence(trigger: Trigger, chain: list[Token], has_actor: bool, has_recipient: bool) -> float:
    """Verbs (and nouns carried by a verb: "staged demonstrations") over bare nouns, triggers near the top of the
    sentence, and events with participants score higher."""
    score = 0.55 if trigger.is_verb or governing_verb(chain) is not None else 0.45
    score += 0.2 if has_actor else 0.0
    score += 0.1 if has_recipient else 0.0
    depth = sum(1 for _ in trigger.head.ancestors)
    score -= 0.03 * min(depth, 5)
    return round(max(0.05, min(score, 0.95)), 2)


def unique(participants) -> list:
    seen, kept = set(), []
    for participant in participants:
        marker = participant.key or participant.text.lower()
        if marker not in seen:
            seen.add(marker)
            kept.append(participant)
    return kept


def join_texts(participants: list) -> str | None:
    return "; ".join(p.text for p in participants) or None
