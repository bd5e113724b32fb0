"""From normalised articles to the sources, quotes, events and mentions tables.

The per-document rules live in transforms.quotes, transforms.events and transforms.entities; this module runs spaCy
over a batch, gives every row its stable ids and joins the tables to each other (quote -> source, event -> source
and enclosing quote, mention -> source). One entity layer per document serves the quotes, the events and the
mentions.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from itertools import islice

import polars as pl
from spacy.language import Language
from spacy.tokens import Doc

from transforms.events.rows import find_events
from transforms.nlp import docfacts
from transforms.nlp.loading import load_pipeline
from transforms.normalise.ids import stable_id
from transforms.places.resolve import resolve_places
from transforms.quotes import rows as quote_rows
from transforms.schema import EVENTS, MENTIONS, QUOTES, SOURCES, conform
from transforms.stories.quote_clusters import with_signatures

BATCH_SIZE = 32


# Articles whose extraction raised: the flow quarantines them with the reason instead of losing the batch.
EXTRACTION_FAILURES = pl.Schema({"article_id": pl.String, "reason": pl.String})


class ExtractionStopped(RuntimeError):
    """The run that asked for this extraction is stopping (SIGTERM): no rows of the batch are returned."""


def extract_articles(
    articles: pl.DataFrame, nlp: Language | None = None, stop: threading.Event | None = None
) -> dict[str, pl.DataFrame]:
    """sources, quotes, events and mentions for every article whose extraction is not skipped, and
    `extraction_failures`: the articles a rule crashed on (none of their rows are kept).

    Once `stop` is set, ExtractionStopped is raised before the next document: a run told to stop does not finish
    the extraction of its chunk first."""
    nlp = nlp or load_pipeline()
    todo = articles.filter(pl.col("extraction_skipped").is_null())
    rows: dict[str, list[dict]] = {"sources": [], "quotes": [], "events": [], "mentions": []}
    failures: list[dict] = []
    for article, doc in _parsed(nlp, todo.iter_rows(named=True)):
        if stop is not None and stop.is_set():
            raise ExtractionStopped("extraction stopped between two documents: the run is stopping")
        try:
            if isinstance(doc, Exception):
                raise doc
            extracted = extract_document(doc, article)
        except Exception as exc:  # one document a rule trips on must not cost the batch (textacy loses them so)
            failures.append(
                {"article_id": article["article_id"], "reason": f"extraction failed: {type(exc).__name__}: {exc}"}
            )
            continue
        for table, table_rows in extracted.items():
            rows[table].extend(table_rows)
    return {
        "sources": conform(rows["sources"], SOURCES),
        # Per article and in the workers: each quote's LSH bands (its candidates across articles) and each event's
        # place; which cluster they join is decided after validation (flows/tasks.py cluster_stories).
        "quotes": with_signatures(conform(rows["quotes"], QUOTES)),
        "events": resolve_places(conform(rows["events"], EVENTS)),
        "mentions": conform(rows["mentions"], MENTIONS),
        "extraction_failures": pl.DataFrame(failures, schema=EXTRACTION_FAILURES),
    }


def _parsed(nlp: Language, articles: Iterator[dict]) -> Iterator[tuple[dict, Doc | Exception]]:
    """(article, its spaCy doc) in batches; a batch spaCy fails on is parsed again document by document, so only
    the document that fails comes with its exception instead of a doc."""
    articles = iter(articles)
    while batch := list(islice(articles, BATCH_SIZE)):
        texts = [parsed_text(article) for article in batch]
        try:
            docs: list[Doc | Exception] = list(nlp.pipe(texts, batch_size=BATCH_SIZE))
        except Exception:
            docs = [_parse_alone(nlp, text) for text in texts]
        yield from zip(batch, docs)


def _parse_alone(nlp: Language, text: str) -> Doc | Exception:
    try:
        return nlp(text)
    except Exception as exc:
        return exc


def parsed_text(article: dict) -> str:
    """The part of an article's body that spaCy parses."""
    return article["body"][: article["extracted_chars"]]


def extract_document(doc, article: dict) -> dict[str, list[dict]]:
    # The quote and event rules share one reading of the doc's text and entities; the text is the body the doc was
    # parsed from when the article carries it (spaCy keeps it verbatim), so doc.text is not rebuilt.
    text = parsed_text(article) if "body" in article else None
    with docfacts.reading(doc, text):
        return _extract(doc, article)


def _extract(doc, article: dict) -> dict[str, list[dict]]:
    article_id = article["article_id"]
    shared = {"article_id": article_id, "published_date": article["published_date"], "run_id": article["run_id"]}
    attributed = quote_rows.attribute_article(doc)
    quotes, sources = attributed.quotes, attributed.sources

    source_ids = {}
    for source in sources:
        source["source_id"] = source_ids[source["entity_key"]] = stable_id(article_id, source["entity_key"])
        source.update(shared)
    for quote in quotes:
        quote["quote_id"] = stable_id(article_id, quote["char_start"], quote["char_end"])
        quote["source_id"] = source_ids.get(quote.pop("entity_key"))
        quote.update(shared)

    events = find_events(doc, article["published_at"], attributed.entities)
    for event in events:
        event["event_id"] = stable_id(article_id, event["trigger_char_start"], event["event_type"])
        event["event_key"] = stable_id(
            article_id,
            event["event_type"],
            sorted(event.get("actor_entity_keys") or []),
            sorted(event.get("recipient_entity_keys") or []),
            event.get("event_date"),
        )
        event["actor_source_id"] = _first_source(event.get("actor_entity_keys"), source_ids)
        event["recipient_source_id"] = _first_source(event.get("recipient_entity_keys"), source_ids)
        event["quote_id"] = _enclosing_quote(event["trigger_char_start"], event["trigger_char_end"], quotes)
        event.update(shared)
    mentions = []
    for mention in attributed.entities.all_mentions():
        entity = mention.entity
        key = entity.key if entity is not None and not entity.key.startswith("unresolved:") else None
        mentions.append(
            {
                "mention_id": stable_id(article_id, mention.start_char, mention.end_char),
                "source_id": source_ids.get(key),
                "entity_key": key,
                "entity_name": entity.name if key else None,
                "entity_kind": entity.kind if key else None,
                "text": attributed.entities.index.text[mention.start_char : mention.end_char],
                "char_start": mention.start_char,
                "char_end": mention.end_char,
                "mention_type": mention.mention_type,
                "rule": mention.rule,
                **shared,
            }
        )
    return {"sources": sources, "quotes": quotes, "events": events, "mentions": _one_row_per_span(mentions)}


def _one_row_per_span(mentions: list[dict]) -> list[dict]:
    """Two heads can give the same words (a relative pronoun and its antecedent): one row per span, the first."""
    seen: dict[str, dict] = {}
    for mention in mentions:
        seen.setdefault(mention["mention_id"], mention)
    return list(seen.values())


def _first_source(entity_keys: list[str] | None, source_ids: dict[str, str]) -> str | None:
    return next((source_ids[k] for k in entity_keys or [] if k in source_ids), None)


def _enclosing_quote(start: int, end: int, quotes: list[dict]) -> str | None:
    """The quote whose content holds the span: a reported event keeps its attribution."""
    return next((q["quote_id"] for q in quotes if q["char_start"] <= start and end <= q["char_end"]), None)
