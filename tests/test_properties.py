"""Property tests: arbitrary bytes never raise out of a reader, arbitrary text never raises out of the normaliser
or extraction, and every offset extraction emits points at exactly its text (`body[start:end] == text`).

Example counts are kept modest for CI time; extraction runs the real spaCy pipeline.
"""

from __future__ import annotations

import gzip
import io
import json
from datetime import UTC, date, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from transforms.extract import extract_document
from transforms.ingest.records import RawRecord, Rejected, Skipped
from transforms.ingest.registry import read_stream
from transforms.normalise.articles import normalise_records
from transforms.schema import OFFSET_SPANS

QUICK = settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
SLOW = settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])

NAMES = [
    "a.txt",
    "a.json",
    "a.jsonl",
    "a.html",
    "a.warc",
    "a.warc.gz",
    "a.jsonl.gz",
    "a.json.gz",
    "a.tar",
    "a.tgz",
    "a.zip",
]

# Inputs near the formats, where arbitrary bytes would rarely reach the parsers' inner paths.
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(st.sampled_from(["text", "title", "url", "date", "id", "x"]), inner, max_size=5)
    ),
    max_leaves=12,
)


@st.composite
def near_format_bytes(draw) -> bytes:
    kind = draw(st.sampled_from(["json", "jsonl", "html", "warc", "raw"]))
    if kind == "json":
        data = json.dumps(draw(json_values)).encode()
    elif kind == "jsonl":
        data = b"\n".join(json.dumps(v).encode() for v in draw(st.lists(json_values, max_size=4)))
    elif kind == "html":
        data = (
            f"<html><head><meta charset='{draw(st.sampled_from(['utf-8', 'latin-1', 'bogus', '']))}'></head>"
            f"<body><article><p>{draw(st.text())}</p></article></body></html>".encode("utf-8", "surrogatepass")
        )
    elif kind == "warc":
        payload = draw(st.binary(max_size=300))
        data = (
            f"WARC/1.0\r\nWARC-Type: {draw(st.sampled_from(['response', 'resource', 'warcinfo', 'bogus']))}\r\n"
            f"Content-Type: application/http; msgtype=response\r\n"
            f"Content-Length: {draw(st.integers(0, 400))}\r\n\r\n"
        ).encode() + payload
    else:
        data = draw(st.binary(max_size=2000))
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return data


def read_all(name: str, data: bytes) -> list:
    return list(read_stream(name, io.BufferedReader(io.BytesIO(data)), f"inbox/{name}"))


@QUICK
@given(name=st.sampled_from(NAMES), data=st.binary(max_size=3000) | near_format_bytes(), compress=st.booleans())
def test_readers_never_raise_on_arbitrary_bytes(name, data, compress):
    if compress and name.endswith(".gz"):
        data = gzip.compress(data, mtime=0)
    items = read_all(name, data)
    assert all(isinstance(item, RawRecord | Rejected | Skipped) for item in items)
    assert all(item.source_uri.startswith(f"inbox/{name}") for item in items)
    assert all(isinstance(item.reason, str) and item.reason for item in items if not isinstance(item, RawRecord))


@QUICK
@given(
    fields=st.lists(
        st.dictionaries(
            st.sampled_from(["text", "title", "url", "date_publish", "id", "authors", "language", "source_domain"]),
            st.text() | st.none() | st.integers() | st.lists(st.text(), max_size=3),
            max_size=8,
        ),
        max_size=5,
    )
)
def test_the_normaliser_never_raises_and_loses_no_record(fields):
    records = [RawRecord(f"inbox/x.jsonl#line={i}", f) for i, f in enumerate(fields)]
    articles, no_body = normalise_records(records, "run", datetime(2026, 1, 1, tzinfo=UTC))
    assert articles.height + len(no_body) == len(records)


# Text where quotation marks, speech verbs and names meet in every arrangement, balanced or not.
QUOTE_TOKENS = [
    '"',
    "\u201c",
    "\u201d",
    "'",
    "\u2018",
    "\u2019",
    "''",
    "``",
    "\u00ab",
    "\u00bb",
    "said",
    "says",
    "told",
    "according to",
    "added",
    "Maria Zakharova",
    "Mr. Smith",
    "the minister",
    "a spokesman",
    "Reuters",
    "he",
    "she",
    "they",
    "it",
    ",",
    ".",
    ":",
    ";",
    "\u2014",
    "(",
    ")",
    "\n",
    "\n\n",
    "We will not",
    "attack",
    "agreed",
    "on Monday",
    "last week",
    "in Kyiv",
]
quote_heavy_text = st.lists(st.sampled_from(QUOTE_TOKENS) | st.text(max_size=8), max_size=60).map(" ".join)


@SLOW
@given(body=quote_heavy_text | st.text(max_size=400))
def test_extraction_never_raises_and_every_offset_points_at_its_text(nlp, body):
    article = {
        "article_id": "a1",
        "published_date": date(2025, 9, 4),
        "run_id": "run",
        "published_at": datetime(2025, 9, 4, tzinfo=UTC),
    }
    rows = extract_document(nlp(body), article)
    for table, spans in OFFSET_SPANS.items():
        for row in rows[table]:
            for start, end, text in spans:
                if row[start] is not None:
                    assert body[row[start] : row[end]] == row[text], (table, text, row)
    for source in rows["sources"]:
        assert 0 <= source["char_start"] < source["char_end"] <= len(body)
