"""PLOVER event extraction over a spaCy Doc (first cut; issue 4 replaces the internals, not the contract).

Contract: `find_events(doc, published_at, sources) -> list[dict]` with the events table's columns except
event_id, event_key, article_id, published_date, run_id, quote_id and *_source_id (extract.py derives those).
Offsets index `doc.text`; trigger == doc.text[trigger_char_start:trigger_char_end].
"""

from __future__ import annotations

from datetime import datetime

from spacy.tokens import Doc


def find_events(doc: Doc, published_at: datetime | None, sources: list[dict]) -> list[dict]:
    return []
