"""The one place that defines wirehouse's tables.

Every stage imports from here: the normaliser and extractors build frames with these schemas, the lake writer
partitions by `partition_column`, the validator checks `key`, and `warehouse/sql/schema.sql` mirrors them
(tests/warehouse/test_schema.py keeps the two in step).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

UTC_TS = pl.Datetime("us", "UTC")

# Lake partition key for article-derived tables; articles without a published date go to this partition.
PARTITION_COLUMN = "published_date"
UNDATED_PARTITION = "undated"

SOURCE_KINDS = ("person", "organization", "outlet", "anonymous", "other")
GENDERS = ("female", "male")
# How a mention names its entity: a full or partial proper name, a role noun alone ("the spokeswoman"), a pronoun,
# or a group noun ("the team", "protesters").
MENTION_TYPES = ("name", "partial_name", "role", "pronoun", "group")
QUOTE_TYPES = ("direct", "indirect", "partial", "mixed")
DATE_GRANULARITIES = ("day", "week", "month", "year", "unresolved")
EVENT_TYPES = (
    "AGREE",
    "CONSULT",
    "SUPPORT",
    "CONCEDE",
    "COOPERATE",
    "AID",
    "RETREAT",
    "REQUEST",
    "ACCUSE",
    "REJECT",
    "THREATEN",
    "PROTEST",
    "SANCTION",
    "MOBILIZE",
    "COERCE",
    "ASSAULT",
)
QUAD_CLASSES = ("verbal cooperation", "material cooperation", "verbal conflict", "material conflict")
# Why an article was not run through the English extractors (null when it was).
EXTRACTION_SKIPS = ("non_english", "empty_after_truncation")


@dataclass(frozen=True)
class Table:
    name: str
    schema: pl.Schema
    key: str
    # Column the lake partitions by; None for bookkeeping tables, which the lake keeps one file per run.
    partition: str | None = PARTITION_COLUMN


ARTICLES = Table(
    "articles",
    pl.Schema(
        {
            "article_id": pl.String,
            "external_id": pl.String,
            "url": pl.String,
            "outlet": pl.String,
            "title": pl.String,
            "authors": pl.List(pl.String),
            "published_at": UTC_TS,
            "published_date": pl.Date,
            "language": pl.String,
            "body": pl.String,
            "word_count": pl.Int32,
            "content_hash": pl.String,
            "source_uri": pl.String,
            "run_id": pl.String,
            "ingested_at": UTC_TS,
            # Near-duplicates (syndicated copies) stay queryable but point at the first copy seen.
            "duplicate_of": pl.String,
            "duplicate_similarity": pl.Float64,
            # Characters of the body that extraction saw (bodies beyond the cap are truncated for spaCy only).
            "extracted_chars": pl.Int32,
            "extraction_skipped": pl.String,
            # What reading the input had to repair ("decoded as cp1252", "fixed mojibake in text", ...).
            "repairs": pl.List(pl.String),
        }
    ),
    key="article_id",
)

SOURCES = Table(
    "sources",
    pl.Schema(
        {
            "source_id": pl.String,
            "article_id": pl.String,
            "published_date": pl.Date,
            "name": pl.String,
            "kind": pl.String,
            "role": pl.String,
            "affiliation": pl.String,
            "entity_key": pl.String,
            "mention_count": pl.Int32,
            "quote_count": pl.Int32,
            # First mention in the body, so a reader can audit the row.
            "char_start": pl.Int32,
            "char_end": pl.Int32,
            "run_id": pl.String,
            # (Added after run_id so older homes gain them by ALTER TABLE.) Gender as the article states it (coreferring pronouns, honorifics, gendered role nouns) and what said so.
            "gender": pl.String,
            "gender_evidence": pl.String,
            # Kept apart: an estimate from the first name alone (an offline name list), with its probability.
            "gender_estimate": pl.String,
            "gender_estimate_probability": pl.Float64,
        }
    ),
    key="source_id",
)

QUOTES = Table(
    "quotes",
    pl.Schema(
        {
            "quote_id": pl.String,
            "article_id": pl.String,
            "published_date": pl.Date,
            "source_id": pl.String,
            "speaker": pl.String,
            "speaker_char_start": pl.Int32,
            "speaker_char_end": pl.Int32,
            "speaker_mention": pl.String,
            "cue": pl.String,
            "cue_char_start": pl.Int32,
            "cue_char_end": pl.Int32,
            "quote_type": pl.String,
            "text": pl.String,
            "char_start": pl.Int32,
            "char_end": pl.Int32,
            "confidence": pl.Float64,
            "run_id": pl.String,
            # (Added after run_id so older homes gain them by ALTER TABLE.) The statement across articles this quote
            # is a copy of (transforms/stories/quote_clusters.py), and the MinHash LSH band hashes of its
            # normalised text that find its candidates.
            "quote_cluster_id": pl.String,
            "minhash_bands": pl.List(pl.Int64),
        }
    ),
    key="quote_id",
)

EVENTS = Table(
    "events",
    pl.Schema(
        {
            "event_id": pl.String,
            "event_key": pl.String,
            "article_id": pl.String,
            "published_date": pl.Date,
            "event_type": pl.String,
            "mode": pl.String,
            "quad_class": pl.String,
            "cameo_root": pl.String,
            "trigger": pl.String,
            "trigger_char_start": pl.Int32,
            "trigger_char_end": pl.Int32,
            "actor": pl.String,
            "actor_entity_keys": pl.List(pl.String),
            "actor_source_id": pl.String,
            "recipient": pl.String,
            "recipient_entity_keys": pl.List(pl.String),
            "recipient_source_id": pl.String,
            "location": pl.String,
            "date_text": pl.String,
            "event_date": pl.Date,
            "event_end_date": pl.Date,
            "date_granularity": pl.String,
            "negated": pl.Boolean,
            "future": pl.Boolean,
            "hypothetical": pl.Boolean,
            "quote_id": pl.String,
            "sentence_char_start": pl.Int32,
            "sentence_char_end": pl.Int32,
            "confidence": pl.Float64,
            "run_id": pl.String,
            # (Added after run_id so older homes gain them by ALTER TABLE.) The full CAMEO code of the type and mode
            # (GDELT's EventCode), the real-world event across articles (transforms/stories/event_clusters.py),
            # and the place `location` resolves to offline (transforms/places).
            "cameo_code": pl.String,
            "event_cluster_id": pl.String,
            "place_geonames_id": pl.Int64,
            "place_country_code": pl.String,
            "place_latitude": pl.Float64,
            "place_longitude": pl.Float64,
        }
    ),
    key="event_id",
)

MENTIONS = Table(
    "mentions",
    pl.Schema(
        {
            "mention_id": pl.String,
            "article_id": pl.String,
            "published_date": pl.Date,
            # The article's source the mention refers to, and that entity's key and canonical (fullest) name; all
            # null when the entity layer left the mention unresolved.
            "source_id": pl.String,
            "entity_key": pl.String,
            "entity_name": pl.String,
            "text": pl.String,
            "char_start": pl.Int32,
            "char_end": pl.Int32,
            "mention_type": pl.String,
            # The rule that resolved the mention to its entity (or said it could not).
            "rule": pl.String,
            "run_id": pl.String,
            "entity_kind": pl.String,  # as sources.kind (person, organization, outlet, anonymous, other)
        }
    ),
    key="mention_id",
)

QUARANTINE = Table(
    "quarantine",
    pl.Schema(
        {
            "quarantine_id": pl.String,
            "run_id": pl.String,
            "table_name": pl.String,
            "record": pl.String,  # the rejected row or raw record, as JSON: whole in the lake, an excerpt in DuckDB
            "reason": pl.String,
            "source_uri": pl.String,
            "quarantined_at": UTC_TS,
            # (Added last so older homes gain them by ALTER TABLE.) The whole record's SHA-256 and length, and the
            # lake file that holds it (its row with this quarantine_id).
            "record_sha256": pl.String,
            "record_chars": pl.Int64,
            "record_location": pl.String,
        }
    ),
    key="quarantine_id",
    partition=None,
)

DUPLICATES = Table(
    "duplicates",
    pl.Schema(
        {
            "duplicate_id": pl.String,
            "run_id": pl.String,
            "source_uri": pl.String,
            "article_id": pl.String,
            "duplicate_of": pl.String,
            "kind": pl.String,  # exact: not loaded again; near: loaded, flagged in articles.duplicate_of
            "similarity": pl.Float64,
            "detected_at": UTC_TS,
        }
    ),
    key="duplicate_id",
    partition=None,
)

SKIPPED = Table(
    "skipped",
    pl.Schema(
        {
            "skip_id": pl.String,
            "run_id": pl.String,
            "source_uri": pl.String,
            "reason": pl.String,
            "skipped_at": UTC_TS,
        }
    ),
    key="skip_id",
    partition=None,
)

INGESTED_FILES = Table(
    "ingested_files",
    pl.Schema(
        {
            "path": pl.String,
            "size_bytes": pl.Int64,
            "sha256": pl.String,
            "records": pl.Int64,
            "run_id": pl.String,
            "ingested_at": UTC_TS,
        }
    ),
    key="sha256",
    partition=None,
)

BACKFILL_CHUNKS = Table(
    "backfill_chunks",
    pl.Schema(
        {
            # One row per file segment a backfill chunk loaded: records [first_record, first_record + records)
            # of the file. A resumed backfill skips them.
            "chunk_id": pl.String,
            "path": pl.String,
            "file_sha256": pl.String,
            "first_record": pl.Int64,
            "records": pl.Int64,
            "run_id": pl.String,
            "loaded_at": UTC_TS,
        }
    ),
    key="chunk_id",
    partition=None,
)

RUNS = Table(
    "runs",
    pl.Schema(
        {
            "run_id": pl.String,
            "flow": pl.String,
            "run_date": pl.Date,
            "started_at": UTC_TS,
            "finished_at": UTC_TS,
            "status": pl.String,
            "files_read": pl.Int64,
            "records_read": pl.Int64,
            "loaded": pl.Int64,
            "duplicates": pl.Int64,
            "skipped": pl.Int64,
            "quarantined": pl.Int64,
            "sources_rows": pl.Int64,
            "quotes_rows": pl.Int64,
            "events_rows": pl.Int64,
            "quarantined_rows": pl.Int64,
            "stage_seconds": pl.String,  # JSON: {"ingest": 0.4, ...}
            "message": pl.String,
        }
    ),
    key="run_id",
    partition=None,
)

CLUSTER_MERGES = Table(
    "cluster_merges",
    pl.Schema(
        {
            # A new article that joins two existing clusters merges the younger into the older; the ids on loaded
            # rows stay as they were and the views follow these rows to the surviving cluster.
            "merge_id": pl.String,
            "run_id": pl.String,
            "cluster_kind": pl.String,  # quote or event
            "cluster_id": pl.String,
            "merged_into": pl.String,
            "reason": pl.String,
            "merged_at": UTC_TS,
        }
    ),
    key="merge_id",
    partition=None,
)

# The user's own identifiers for entities (HOME/entity_ids.csv: name,identifier), read again by every load and
# rebuild; not in the lake, as the CSV is its own source of truth.
ENTITY_IDENTIFIERS = Table(
    "entity_identifiers",
    pl.Schema({"name": pl.String, "entity_key": pl.String, "identifier": pl.String}),
    key="entity_key",
    partition=None,
)

# Extracted from article bodies; a reload of an article replaces all of its rows in these.
ARTICLE_TABLES = (ARTICLES, SOURCES, QUOTES, EVENTS, MENTIONS)
BOOKKEEPING_TABLES = (QUARANTINE, DUPLICATES, SKIPPED, INGESTED_FILES, BACKFILL_CHUNKS, RUNS, CLUSTER_MERGES)
REFERENCE_TABLES = (ENTITY_IDENTIFIERS,)
TABLES = {t.name: t for t in ARTICLE_TABLES + BOOKKEEPING_TABLES + REFERENCE_TABLES}
CLUSTER_KINDS = ("quote", "event")

# Offsets that must satisfy body[start:end] == text, per table: (start column, end column, text column).
OFFSET_SPANS = {
    "quotes": [
        ("char_start", "char_end", "text"),
        ("speaker_char_start", "speaker_char_end", "speaker_mention"),
        ("cue_char_start", "cue_char_end", "cue"),
    ],
    "events": [("trigger_char_start", "trigger_char_end", "trigger")],
    "mentions": [("char_start", "char_end", "text")],
}


def empty(table: Table) -> pl.DataFrame:
    return pl.DataFrame(schema=table.schema)


def conform(rows: list[dict] | pl.DataFrame, table: Table) -> pl.DataFrame:
    """A frame with exactly the table's columns and types, in order (missing columns become nulls)."""
    if not isinstance(rows, pl.DataFrame):
        return pl.DataFrame(rows, schema=table.schema) if rows else empty(table)
    missing = [pl.lit(None, dtype).alias(name) for name, dtype in table.schema.items() if name not in rows.columns]
    return rows.with_columns(missing).select([pl.col(n).cast(t) for n, t in table.schema.items()])
