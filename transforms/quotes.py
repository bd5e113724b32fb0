"""Quote attribution over a spaCy Doc (first cut; issue 3 replaces the internals, not the contract).

Contract: `attribute(doc) -> (quotes, sources)`, two lists of dicts.
- quote keys: text, char_start, char_end, quote_type, cue, cue_char_start, cue_char_end, speaker, speaker_mention,
  speaker_char_start, speaker_char_end, entity_key, confidence. Offsets index `doc.text`; text == doc.text[s:e].
- source keys: name, kind, role, affiliation, entity_key, mention_count, quote_count, char_start, char_end.
"""

from __future__ import annotations

from spacy.tokens import Doc


def attribute(doc: Doc) -> tuple[list[dict], list[dict]]:
    return [], []
