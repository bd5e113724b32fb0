"""The side-by-side peer: textacy's `extract.triples.direct_quotations` on the same spaCy model.

Throughput is per core: articles over the process's CPU seconds, both sides single-process on the same
normalised PolNeAR dev bodies; ours is `transforms.extract.extract_articles` (spaCy, quotes, sources, events,
ids), the peer is the stock spaCy pipeline plus `direct_quotations`. CPU time rather than wall time keeps the
ratio honest on a machine other jobs share. Quote recall for both follows bench/eval_quotes.py's protocol.
"""

from __future__ import annotations

import functools
import statistics
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import spacy

from bench.eval_quotes import ArticleResult, evaluate_quotes, gold_articles, score
from transforms.readers import RawRecord, read_path

WARM_UP_ARTICLES = 4


def polnear_articles(gold_dir: Path, limit: int | None = None) -> pl.DataFrame:
    """PolNeAR text files through the real reader and normaliser: the frame the extract stage receives."""
    from transforms.normalize import normalise_records

    paths = sorted((gold_dir / "text").glob("*.txt"))[:limit] if limit else sorted((gold_dir / "text").glob("*.txt"))
    records = [item for path in paths for item in read_path(path) if isinstance(item, RawRecord)]
    articles, _ = normalise_records(records, "bench", datetime.now(UTC))
    return articles


def peer_quotes(doc) -> list[dict]:
    """textacy's direct quotations as rows eval_quotes can score; textacy gives up on a document with an odd
    number of quotation marks (ValueError), which then yields nothing."""
    from textacy.extract.triples import direct_quotations

    try:
        triples = list(direct_quotations(doc))
    except ValueError:
        return []
    rows = []
    for speaker, _cue, content in triples:
        rows.append({
            "char_start": content.start_char, "char_end": content.end_char, "quote_type": "direct",
            "speaker": " ".join(t.text for t in speaker),
            "speaker_char_start": min((t.idx for t in speaker), default=None),
            "speaker_char_end": max((t.idx + len(t) for t in speaker), default=None),
        })
    return rows


def time_ours(articles: pl.DataFrame) -> float:
    from transforms.extract import extract_articles

    start = time.process_time()
    extract_articles(articles)
    return time.process_time() - start


@functools.cache
def stock_pipeline():
    """The model as a user loads it: spaCy's own components (wirehouse's load_pipeline swaps in cached ones)."""
    from transforms.nlp import model_name

    return spacy.load(model_name())


def time_peer(texts: list[str]) -> float:
    nlp = stock_pipeline()
    start = time.process_time()
    for doc in nlp.pipe(texts, batch_size=32):
        peer_quotes(doc)
    return time.process_time() - start


def peer_recall(gold_dir: Path, limit: int | None = None) -> dict:
    nlp = stock_pipeline()
    loaded = gold_articles(gold_dir, limit)
    docs = nlp.pipe((text for _, text, _ in loaded), batch_size=32)
    results = [ArticleResult(name, text, gold, peer_quotes(doc)) for (name, text, gold), doc in zip(loaded, docs)]
    return score(results)


def compare(gold_dir: Path, repeats: int, limit: int | None = None) -> dict:
    """Throughput per core of both sides (median of `repeats`), their ratio, and both sides' quote accuracy."""
    articles = polnear_articles(gold_dir, limit)
    texts = articles["body"].to_list()
    words = int(articles["word_count"].sum())
    time_ours(articles.head(WARM_UP_ARTICLES))  # loads the pipeline and warms caches, untimed
    time_peer(texts[:WARM_UP_ARTICLES])
    ours = statistics.median(time_ours(articles) for _ in range(repeats))
    peer = statistics.median(time_peer(texts) for _ in range(repeats))
    ours_accuracy = evaluate_quotes(gold_dir, limit)
    peer_accuracy = peer_recall(gold_dir, limit)
    return {
        "articles": articles.height,
        "words": words,
        "ours": _side(articles.height, words, ours, ours_accuracy),
        "peer": _side(articles.height, words, peer, peer_accuracy),
        "throughput_ratio_per_core": peer / ours if ours else 0.0,
        "recall_ratio": ours_accuracy["recall"] / peer_accuracy["recall"] if peer_accuracy["recall"] else None,
    }


def _side(articles: int, words: int, cpu_seconds: float, accuracy: dict) -> dict:
    return {
        "cpu_seconds": cpu_seconds,
        "articles_per_cpu_s": articles / cpu_seconds if cpu_seconds else 0.0,
        "words_per_cpu_s": words / cpu_seconds if cpu_seconds else 0.0,
        "quote_recall": accuracy["recall"],
        "quote_precision": accuracy["precision"],
        "quote_f1": accuracy["f1"],
        "speaker_accuracy": accuracy["speaker_accuracy"],
    }
