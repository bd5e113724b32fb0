"""The public entry point: `attribute_article(doc) -> Attributed`: the quote and source rows, each quote's rule
(for evaluation and calibration) and the article's entity layer, which the events and mentions go on to use.
`attribute(doc) -> (quotes, sources)` is its two tables alone.

- quote keys: text, char_start, char_end, quote_type, cue, cue_char_start, cue_char_end, speaker, speaker_mention,
  speaker_char_start, speaker_char_end, entity_key, confidence. Offsets index `doc.text`; text == doc.text[s:e].
- source keys: name, kind, role, affiliation, entity_key, mention_count, quote_count, char_start, char_end, gender,
  gender_evidence, gender_estimate, gender_estimate_probability.

Runs the steps of the package docstring in order, keeps one attribution per span, and turns attributions into
rows. Imports entities, nlp and the quote modules of each step.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc

from transforms.entities import article as entity_layer
from transforms.entities import first_names
from transforms.entities.article import ArticleEntities, Entity
from transforms.entities.index import is_name
from transforms.nlp import docfacts
from transforms.quotes.cues import find_cues
from transforms.quotes.direct import direct_quotes, transcript_turns
from transforms.quotes.indirect import reported_content
from transforms.quotes.marks import find_paragraph_starts, find_quotation_spans, tokens_inside_quotes
from transforms.quotes.model import Article, Attribution
from transforms.quotes.speaker import resolve_speakers

# Precision of each rule on all 840 PolNeAR train articles (`python -m transforms.evaluate.quotes --gold .../train`, the
# "precision per rule" table): a quote's confidence is the share of its rule's predictions that gold confirms.
RULE_PRECISION = {
    "direct_floating": 0.99,
    "direct_cue_after": 0.99,
    "direct_cue_before": 0.98,
    "direct_multi_paragraph": 0.96,
    "mixed_continued": 0.92,
    "mixed": 0.92,
    "indirect_answer": 0.91,
    "indirect_clause": 0.9,
    "direct_transcript": 0.9,  # 4 of 4 on train: too few to claim 1
    "indirect_before_cue": 0.9,  # 3 of 3 on train: too few to claim 1
    "indirect_noun": 0.9,
    "indirect_that": 0.89,
    "according_to": 0.88,
    "direct_colon": 0.87,
    "indirect_parenthetical": 0.86,
    "indirect_as": 0.8,
    "indirect_object": 0.78,
    "partial": 0.78,
    "direct_floating_far": 0.8,
    "direct_floating_inline": 0.81,
    "partial_cue": 0.79,
    "indirect_topic": 0.67,
    "partial_governed": 0.87,
    "indirect_passive": 0.65,
}


@dataclass
class Attributed:
    quotes: list[dict]
    sources: list[dict]
    rules: list[str]  # per quote
    entities: ArticleEntities


def attribute(doc: Doc) -> tuple[list[dict], list[dict]]:
    attributed = attribute_article(doc)
    return attributed.quotes, attributed.sources


def attribute_article(doc: Doc) -> Attributed:
    with docfacts.reading(doc) as facts:
        text = facts.text
        attributions, entities = find_attributions(doc, text)
        attributed = [a for a in attributions if a.speaker is not None]
        quotes = [_quote_row(text, a) for a in attributed]
        return Attributed(quotes, _source_rows(attributions, entities), [a.rule for a in attributed], entities)


def find_attributions(doc: Doc, text: str | None = None) -> tuple[list[Attribution], ArticleEntities]:
    """All attributions in reading order with resolved speakers (each keeps its rule, for evaluation)."""
    text = docfacts.of(doc).text if text is None else text
    paragraph_starts = find_paragraph_starts(text)
    quotations = find_quotation_spans(text, paragraph_starts)
    inside = tokens_inside_quotes(doc, quotations)
    article = Article(doc, text, paragraph_starts, quotations, inside, [q.paragraph for q in quotations])
    cues = [c for c in find_cues(article) if c.speaker_head is not None]
    attributions = reported_content(article, cues)
    attributions += direct_quotes(article, cues)
    entities = entity_layer.build(doc, article.inside)
    attributions += transcript_turns(article, entities.index, attributions)
    attributions = _one_per_span(attributions)
    attributions.sort(key=lambda a: (a.start, -a.end))
    resolve_speakers(attributions, entities, paragraph_starts)
    return attributions, entities


def _one_per_span(attributions: list[Attribution]) -> list[Attribution]:
    """Two rules can claim the same span ("According to their report, “…”" is both mixed and direct): the rule
    that is right more often keeps it, so a span is one quote row."""
    best: dict[tuple[int, int], Attribution] = {}
    for attribution in attributions:
        span = (attribution.start, attribution.end)
        if span not in best or RULE_PRECISION[attribution.rule] > RULE_PRECISION[best[span].rule]:
            best[span] = attribution
    return list(best.values())


def _quote_row(text: str, attribution: Attribution) -> dict:
    cue = attribution.cue
    mention = attribution.mention or (None, None)
    return {
        "text": text[attribution.start : attribution.end],
        "char_start": attribution.start,
        "char_end": attribution.end,
        "quote_type": attribution.quote_type,
        "cue": text[cue.start : cue.end] if cue else None,
        "cue_char_start": cue.start if cue else None,
        "cue_char_end": cue.end if cue else None,
        "speaker": attribution.speaker.name,
        "speaker_mention": text[mention[0] : mention[1]] if mention[0] is not None else None,
        "speaker_char_start": mention[0],
        "speaker_char_end": mention[1],
        "entity_key": attribution.speaker.key,
        "confidence": RULE_PRECISION[attribution.rule],
    }


def _source_rows(attributions: list[Attribution], entities: ArticleEntities) -> list[dict]:
    """One row per distinct speaker, plus every person the article names (quote_count 0 if never quoted).
    mention_count: the person's named mentions, plus each cue that names the source another way ("he",
    "the spokeswoman", "a White House official")."""
    index = entities.index
    rows: dict[str, dict] = {}
    for attribution in attributions:
        speaker = attribution.speaker
        if speaker is None:
            continue
        row = rows.setdefault(speaker.key, _source_row(speaker, entities, attribution.mention))
        row["quote_count"] += 1
        if attribution.cue is None or attribution.inherits:
            continue
        if not (speaker.name in index.mention_counts and is_name(attribution.cue.speaker_head, index)):
            row["mention_count"] += 1
    for full in index.mention_counts:
        if " " in full:  # a lone word the model called a person ("Kiev's") is not a source unless it speaks
            person = entities.person(full)
            rows.setdefault(person.key, _source_row(person, entities, None))
    return list(rows.values())


def _source_row(speaker: Entity, entities: ArticleEntities, mention) -> dict:
    first = entities.index.first_mentions.get(speaker.name) or mention or (None, None)
    gender, evidence = entities.gender(speaker) if speaker.kind == "person" else (None, None)
    words = speaker.name.split()
    estimate = first_names.estimate(words[0]) if speaker.kind == "person" and len(words) > 1 else None
    return {
        "name": speaker.name,
        "kind": speaker.kind,
        "role": speaker.role,
        "affiliation": speaker.affiliation,
        "entity_key": speaker.key,
        "mention_count": entities.index.mention_counts.get(speaker.name, 0),
        "quote_count": 0,
        "char_start": first[0],
        "char_end": first[1],
        "gender": gender,
        "gender_evidence": evidence,
        "gender_estimate": estimate[0] if estimate else None,
        "gender_estimate_probability": estimate[1] if estimate else None,
    }
