"""Raw records to the `articles` table: field names unified, body normalised, ids and hashes stable.

Owns the articles and duplicates frames: field mapping (per record, as inputs disagree on names; everything after
that is columnar polars), URL canonicalisation, publication dates, the extraction cut, language for records whose
input named none, and exact and near duplicates. May import transforms.ingest (the items it reads, the language
detector), transforms.nlp.loading (MAX_EXTRACT_CHARS), the rest of transforms.normalise and transforms.schema.
"""

from __future__ import annotations

import hashlib
import html
import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from urllib.parse import urlsplit, urlunsplit

import dateparser
import polars as pl

from transforms.ingest.language import detect_language
from transforms.ingest.records import RawRecord, Rejected, Skipped
from transforms.nlp.loading import MAX_EXTRACT_CHARS
from transforms.normalise.ids import stable_id
from transforms.normalise.near_duplicates import NearDuplicateIndex, Signature
from transforms.schema import ARTICLES, DUPLICATES, conform

# Accepted input field names, in order of preference.
FIELD_ALIASES = {
    "external_id": ("id", "article_id", "newid", "dId"),
    "url": ("url", "link", "canonical_url"),
    "outlet": ("outlet", "source_domain", "publisher", "sitename", "source"),
    "title": ("title", "headline", "title_page", "title_rss"),
    "authors": ("authors", "byline", "author"),
    "published_raw": ("published_at", "date_publish", "date", "published", "pubdate", "fetched_at"),
    "language": ("language", "lang"),
    "body": ("text", "body", "maintext", "content"),
}
# Nested id fields some dumps use (Reuters-21578 keeps its id in attrs.newid).
NESTED_ID_FIELDS = (("attrs", "newid"),)
# Formats tried before dateparser, which is slow: ISO 8601 is handled by fromisoformat.
DATE_FORMATS = ("%d-%b-%Y %H:%M:%S.%f", "%d-%b-%Y %H:%M:%S", "%a, %d %b %Y %H:%M:%S %z", "%Y/%m/%d")
_NULL_STRINGS = frozenset({"", "none", "null", "nan"})

# Whitespace normalisation, applied in order: unify line breaks and exotic spaces, collapse runs,
# trim lines, keep at most one blank line between paragraphs.
WHITESPACE_RULES = (
    (r"\r\n?", "\n"),
    (r"[\u200b\u200c\u200d\u2060\ufeff]", ""),
    (r"[\t\x0b\x0c\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]", " "),
    (r"\u2028|\u2029|\x85", "\n"),
    (r" {2,}", " "),
    (r" *\n *", "\n"),
    (r"\n{3,}", "\n\n"),
)


def map_fields(record: RawRecord) -> dict:
    """One raw record to the normaliser's flat columns (strings and a list of authors)."""
    fields = record.fields
    row = {column: _first_present(fields, names) for column, names in FIELD_ALIASES.items()}
    if row["external_id"] is None:
        row["external_id"] = next(
            (fields[a][b] for a, b in NESTED_ID_FIELDS if isinstance(fields.get(a), dict) and fields[a].get(b)), None
        )
    row = {k: _as_text(v) if k != "authors" else _as_authors(v) for k, v in row.items()}
    # Dumps from SGML/HTML sources keep character entities ("&lt;SRD>") in plain-text fields.
    for column in ("title", "body"):
        if row[column] and "&" in row[column]:
            row[column] = html.unescape(row[column])
    row["source_uri"] = record.source_uri
    row["repairs"] = list(record.repairs)
    return row


def _first_present(fields: dict, names: Iterable[str]):
    for name in names:
        value = fields.get(name)
        if value is not None and not (isinstance(value, str) and value.strip().lower() in _NULL_STRINGS):
            return value
    return None


def _as_text(value) -> str | None:
    if value is None:
        return None
    return (
        value
        if isinstance(value, str)
        else json.dumps(value, ensure_ascii=False)
        if isinstance(value, (list, dict))
        else str(value)
    )


def _as_authors(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        value = [part for part in value.replace(" and ", ",").split(",")]
    elif not isinstance(value, list | tuple):  # a lone number or object where a list belongs
        value = [_as_text(value)]
    return [str(a).strip() for a in value if str(a).strip()]


def parse_published(value: str | None) -> datetime | None:
    """A UTC timestamp from the many ways feeds write dates; naive times are taken as UTC."""
    if not value:
        return None
    parsed = _parse_known_format(value.strip())
    if parsed is None:
        parsed = dateparser.parse(value, settings={"RETURN_AS_TIMEZONE_AWARE": False, "PREFER_DAY_OF_MONTH": "first"})
    if parsed is None:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _parse_known_format(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt)
        except ValueError:
            continue
    return None


def canonical_url(url: str | None) -> str | None:
    """Lower-cased scheme and host, no fragment, no trailing slash: the id of a web article."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if not parts.netloc:
        return url.strip()
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path.rstrip("/"), parts.query, ""))


def normalise_body(body: pl.Expr) -> pl.Expr:
    expr = body.str.normalize("NFC")
    for pattern, replacement in WHITESPACE_RULES:
        expr = expr.str.replace_all(pattern, replacement)
    return expr.str.strip_chars()


def normalise_records(
    records: list[RawRecord], run_id: str, ingested_at: datetime
) -> tuple[pl.DataFrame, list[Skipped]]:
    """Articles (the ARTICLES schema) and the records skipped for having no body (title-only wire items)."""
    if not records:
        return conform([], ARTICLES), []
    rows = [map_fields(record) for record in records]
    raw = pl.DataFrame(
        rows,
        schema={
            **{k: pl.String for k in FIELD_ALIASES},
            "authors": pl.List(pl.String),
            "source_uri": pl.String,
            "repairs": pl.List(pl.String),
        },
    )
    published = {value: parse_published(value) for value in raw["published_raw"].unique().drop_nulls()}
    frame = raw.with_columns(
        body=normalise_body(pl.col("body").fill_null("")),
        url=pl.col("url").str.strip_chars(),
        title=pl.col("title").str.strip_chars(),
        outlet=pl.coalesce(pl.col("outlet"), pl.col("url").str.extract(r"^[a-zA-Z]+://(?:www\.)?([^/:?#]+)", 1)),
        published_at=pl.col("published_raw").replace_strict(
            published, default=None, return_dtype=ARTICLES.schema["published_at"]
        ),
        language=pl.col("language").str.to_lowercase().str.slice(0, 2),
    )
    empty = frame.filter(pl.col("body") == "")
    skipped = [Skipped(uri, "no article body (empty after normalisation)") for uri in empty["source_uri"]]
    frame = frame.filter(pl.col("body") != "")
    frame = frame.with_columns(
        content_hash=pl.Series([hashlib.sha256(b.encode("utf-8")).hexdigest() for b in frame["body"]], dtype=pl.String),
        word_count=pl.col("body").str.count_matches(r"\S+").cast(pl.Int32),
        published_date=pl.col("published_at").dt.date(),
        run_id=pl.lit(run_id),
        ingested_at=pl.lit(ingested_at, dtype=ARTICLES.schema["ingested_at"]),
        extracted_chars=pl.col("body").str.len_chars().clip(upper_bound=MAX_EXTRACT_CHARS).cast(pl.Int32),
    )
    frame = frame.with_columns(
        article_id=pl.Series(
            [
                stable_id("url", canonical_url(url))
                if url
                else stable_id("id", outlet, ext)
                if ext
                else stable_id("hash", h)
                for url, outlet, ext, h in frame.select("url", "outlet", "external_id", "content_hash").iter_rows()
            ],
            dtype=pl.String,
        ),
    )
    return with_language(conform(frame, ARTICLES)), skipped


def split_by_window(
    articles: pl.DataFrame, date_from: date | None, date_to: date | None
) -> tuple[pl.DataFrame, list[Skipped]]:
    """Articles published within [date_from, date_to] (inclusive); the others, undated ones included when a
    window is set, are skipped with the reason."""
    if date_from is None and date_to is None:
        return articles, []
    published = pl.col("published_date")
    inside = published.is_not_null()
    if date_from is not None:
        inside &= published >= date_from
    if date_to is not None:
        inside &= published <= date_to
    outside = articles.filter(~inside)
    window = f"{date_from or '…'} to {date_to or '…'}"
    skipped = [
        Skipped(uri, f"published {day or 'date unknown'}: outside the backfill window {window}")
        for uri, day in outside.select("source_uri", "published_date").iter_rows()
    ]
    return articles.filter(inside), skipped


def with_language(articles: pl.DataFrame) -> pl.DataFrame:
    """Language detected where the input did not say; only English goes through the English extractors."""
    detected = [given or detect_language(body) for given, body in articles.select("language", "body").iter_rows()]
    return articles.with_columns(language=pl.Series(detected, dtype=pl.String)).with_columns(
        extraction_skipped=pl.when(pl.col("language").is_not_null() & (pl.col("language") != "en"))
        .then(pl.lit("non_english"))
        .otherwise(None)
    )


def body_signatures(articles: pl.DataFrame, index: NearDuplicateIndex) -> dict[str, Signature | None]:
    """content_hash -> MinHash signature of the body: the costly part of near-duplicate marking, which needs no
    verdict on any article and so can run beside extraction."""
    distinct = articles.unique("content_hash", maintain_order=True).select("content_hash", "body")
    return {content_hash: index.signature(body) for content_hash, body in distinct.iter_rows()}


def mark_near_duplicates(
    articles: pl.DataFrame,
    index: NearDuplicateIndex,
    signatures: dict[str, Signature | None],
    run_id: str,
    detected_at: datetime,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """Syndicated copies stay loaded but point at the first copy seen (articles.duplicate_of), and are listed
    in `duplicates` with kind 'near' and the estimated similarity.

    `articles` are the batch's accepted articles, in batch order: an article that is not loaded is never
    anyone's original."""
    matches = [
        index.judge(article_id, signatures[content_hash])
        for article_id, content_hash in articles.select("article_id", "content_hash").iter_rows()
    ]
    articles = articles.with_columns(
        duplicate_of=pl.Series([m[0] if m else None for m in matches], dtype=pl.String),
        duplicate_similarity=pl.Series([m[1] if m else None for m in matches], dtype=pl.Float64),
    )
    rows = [
        {
            "duplicate_id": stable_id(run_id, uri),
            "run_id": run_id,
            "source_uri": uri,
            "article_id": article_id,
            "duplicate_of": original,
            "kind": "near",
            "similarity": similarity,
            "detected_at": detected_at,
        }
        for article_id, uri, original, similarity in articles.filter(pl.col("duplicate_of").is_not_null())
        .select("article_id", "source_uri", "duplicate_of", "duplicate_similarity")
        .iter_rows()
    ]
    return articles, conform(rows, DUPLICATES)


def split_duplicates(
    articles: pl.DataFrame,
    loaded_hashes: dict[str, str],
    accepted_ids: set[str],
    run_id: str,
    detected_at: datetime,
) -> tuple[pl.DataFrame, pl.DataFrame, pl.DataFrame, list[Rejected]]:
    """(articles to extract now, articles held back, exact duplicates, id conflicts), in batch order.

    A duplicate is judged only against loaded articles: `loaded_hashes` (content_hash -> article_id) holds the
    warehouse's and those this batch has accepted so far, `accepted_ids` the ids this batch has accepted. A record
    with the body or the id of an earlier record of `articles` is held back until that one is accepted or
    rejected (quarantined, extraction failed): the caller splits the held articles again with the verdicts, so
    a good record never becomes the duplicate of one that is not loaded. The same id with another body than an
    accepted article of the batch is a conflict (rejected); across runs a changed body under a known id is an
    update and replaces the stored article.
    """
    pending_hashes: set[str] = set()
    pending_ids: set[str] = set()
    now, held, duplicate_rows, conflicts = [], [], [], []
    for index, (article_id, content_hash, uri) in enumerate(
        articles.select("article_id", "content_hash", "source_uri").iter_rows()
    ):
        if content_hash in loaded_hashes:
            duplicate_rows.append(
                {
                    "duplicate_id": stable_id(run_id, uri),
                    "run_id": run_id,
                    "source_uri": uri,
                    "article_id": article_id,
                    "duplicate_of": loaded_hashes[content_hash],
                    "kind": "exact",
                    "similarity": 1.0,
                    "detected_at": detected_at,
                }
            )
        elif article_id in accepted_ids:
            conflicts.append(Rejected(uri, f"duplicate id {article_id} with different content in the same batch"))
        elif content_hash in pending_hashes or article_id in pending_ids:
            held.append(index)
        else:
            pending_hashes.add(content_hash)
            pending_ids.add(article_id)
            now.append(index)
    return articles[now], articles[held], conform(duplicate_rows, DUPLICATES), conflicts
