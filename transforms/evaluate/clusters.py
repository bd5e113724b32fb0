"""Event clusters against ECB+'s cross-document event chains (`wirehouse eval clusters --gold DIR`).

DIR is an ECB+ split of the corpus (`articles.jsonl` and `gold.json`, see ../shared/corpus/ecbplus/README.md).
Protocol:
- **Prediction**: each document runs through the real event pipeline (`load_pipeline`, `events.find_events`,
  `places.resolve_places`; event ids as transforms/extract.py gives them), published at the record's date if it
  has one (ECB+ has none), with its text as the article body. Documents are streamed in file order, one batch
  each, through `assign_event_clusters`, with the candidates the warehouse query would give: the caller's
  `FindCandidates` (the CLI passes warehouse/candidates.py, which runs warehouse/sql/candidates/
  select_event_candidates.sql) runs in an in-memory DuckDB over the earlier documents' clustered events
  (registered as `event_cluster_members`, clusters merged so far followed), their bodies (`articles`) and the batch.
- **Matching**: a gold event mention is matched by the predicted event whose trigger overlaps it by the most
  characters (ties: the earlier trigger); unmatched gold mentions are left out of both scorings and counted.
- **Scores** on the matched mentions, key = gold chains, response = predicted clusters: MUC (Vilain et al. 1995),
  B-cubed (Bagga & Baldwin 1998), CEAF-e with the phi4 entity similarity (Luo 2005), and CoNLL F1 = the mean of
  their F1s (Pradhan et al. 2014), beside the same-lemma-within-topic baseline (the lemma of the gold mention's
  head word, grouped within the gold topic: a baseline handed the topics) on the same mentions.
May import: polars, duckdb, scipy, spaCy, transforms.nlp, transforms.events, transforms.places, transforms.stories,
transforms.normalise, transforms.schema.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import polars as pl
from scipy.optimize import linear_sum_assignment
from spacy.tokens import Doc

from transforms.events.rows import find_events
from transforms.nlp.loading import load_pipeline
from transforms.normalise.articles import parse_published
from transforms.normalise.ids import stable_id
from transforms.places.resolve import resolve_places
from transforms.schema import EVENTS, UTC_TS, conform
from transforms.stories.event_clusters import assign_event_clusters

BATCH_COLUMNS = {"published_at": UTC_TS, "outlet": pl.String, "duplicate_of": pl.String, "body": pl.String}
# warehouse.candidates.candidates: (connection, query name, batch) -> the rows sql/candidates/<query>.sql selects.
# It sits above transforms in the import layers, so the caller passes it in.
FindCandidates = Callable[[duckdb.DuckDBPyConnection, str, pl.DataFrame], pl.DataFrame]
CANDIDATE_QUERY = "select_event_candidates"


@dataclass(frozen=True)
class GoldMention:
    doc_id: str
    topic: str
    start: int
    end: int
    text: str
    chain: str


@dataclass(frozen=True)
class GoldDocument:
    doc_id: str
    topic: str
    text: str
    outlet: str | None
    published_at: str | None
    mentions: tuple[GoldMention, ...]


Clustering = dict[Hashable, Hashable]  # mention -> cluster label


# --- scores ------------------------------------------------------------------------------------------------------


def clusters_of(labels: Clustering) -> list[set]:
    grouped: dict[Hashable, set] = defaultdict(set)
    for mention, label in labels.items():
        grouped[label].add(mention)
    return list(grouped.values())


def f1(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def muc(key: Clustering, response: Clustering) -> dict[str, float]:
    """Vilain et al. (1995): the links a clustering needs, recovered. Recall = sum over key clusters K of
    (|K| - partitions of K by the response) / sum of (|K| - 1); precision the same with the roles swapped. A
    mention the other side lacks is a partition of its own."""

    def recall(gold: Clustering, predicted: Clustering) -> float:
        needed = found = 0
        for cluster in clusters_of(gold):
            partitions = {predicted.get(m, ("missing", m)) for m in cluster}
            needed += len(cluster) - 1
            found += len(cluster) - len(partitions)
        return found / needed if needed else 0.0

    r, p = recall(key, response), recall(response, key)
    return {"precision": p, "recall": r, "f1": f1(p, r)}


def b_cubed(key: Clustering, response: Clustering) -> dict[str, float]:
    """Bagga & Baldwin (1998): per mention, the share of its response cluster in its key cluster (precision) and
    of its key cluster in its response cluster (recall), averaged over the mentions."""
    key_of = {m: frozenset(c) for c in clusters_of(key) for m in c}
    response_of = {m: frozenset(c) for c in clusters_of(response) for m in c}
    shared = {m: len(key_of[m] & response_of.get(m, {m})) for m in key_of}
    recall = sum(shared[m] / len(key_of[m]) for m in key_of) / len(key_of) if key_of else 0.0
    precision = (
        sum(len(key_of.get(m, {m}) & response_of[m]) / len(response_of[m]) for m in response_of) / len(response_of)
        if response_of
        else 0.0
    )
    return {"precision": precision, "recall": recall, "f1": f1(precision, recall)}


def ceaf_e(key: Clustering, response: Clustering) -> dict[str, float]:
    """Luo (2005), entity-based: the one-to-one alignment of key and response clusters maximising the summed
    phi4 = 2 |K & R| / (|K| + |R|); recall = that sum / key clusters, precision = that sum / response clusters."""
    key_clusters, response_clusters = clusters_of(key), clusters_of(response)
    if not key_clusters or not response_clusters:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    similarity = np.array(
        [[2 * len(k & r) / (len(k) + len(r)) for r in response_clusters] for k in key_clusters], dtype=float
    )
    rows, columns = linear_sum_assignment(similarity, maximize=True)
    total = float(similarity[rows, columns].sum())
    recall, precision = total / len(key_clusters), total / len(response_clusters)
    return {"precision": precision, "recall": recall, "f1": f1(precision, recall)}


def coreference_scores(key: Clustering, response: Clustering) -> dict:
    scores = {"muc": muc(key, response), "b_cubed": b_cubed(key, response), "ceaf_e": ceaf_e(key, response)}
    scores["conll_f1"] = sum(s["f1"] for s in scores.values()) / 3
    return scores


# --- the gold ----------------------------------------------------------------------------------------------------


def read_gold(gold_dir: Path, limit: int | None = None) -> list[GoldDocument]:
    """The split's documents in file order, each with its gold event mentions."""
    gold = json.loads((gold_dir / "gold.json").read_text(encoding="utf-8"))["docs"]
    documents = []
    with (gold_dir / "articles.jsonl").open(encoding="utf-8") as lines:
        for line in lines:
            record = json.loads(line)
            annotated = gold[record["id"]]
            mentions = tuple(
                GoldMention(record["id"], annotated["topic"], m["start"], m["end"], m["text"], m["chain"])
                for m in annotated["mentions"]
            )
            published = record.get("published_at") or record.get("date")
            documents.append(
                GoldDocument(
                    record["id"], annotated["topic"], record["text"], record.get("outlet"), published, mentions
                )
            )
            if limit is not None and len(documents) == limit:
                break
    return documents


# --- prediction --------------------------------------------------------------------------------------------------


def document_events(document: GoldDocument, doc: Doc) -> pl.DataFrame:
    """The document's events as the extraction gives them, with the article columns the cluster stage joins."""
    published_at = parse_published(document.published_at)
    rows = find_events(doc, published_at)
    for row in rows:
        row["event_id"] = stable_id(document.doc_id, row["trigger_char_start"], row["event_type"])
        row["article_id"] = document.doc_id
    events = resolve_places(conform(rows, EVENTS))
    return events.with_columns(
        pl.lit(published_at, BATCH_COLUMNS["published_at"]).alias("published_at"),
        pl.lit(document.outlet, pl.String).alias("outlet"),
        pl.lit(None, pl.String).alias("duplicate_of"),
        pl.lit(document.text, pl.String).alias("body"),
    )


def cluster_stream(batches: Iterable[pl.DataFrame], find_candidates: FindCandidates) -> dict[str, str]:
    """event_id -> event_cluster_id, each batch assigned against the candidates of the batches before it."""
    con = duckdb.connect()
    clustered = pl.DataFrame()
    merged_into: dict[str, str] = {}
    try:
        for batch in batches:
            if clustered.is_empty():
                candidates = batch.head(0).with_columns(pl.lit(None, pl.String).alias("event_cluster_id"))
            else:
                members = current_clusters(clustered, merged_into)
                con.register("event_cluster_members", members.drop("body").to_arrow())
                con.register("articles", members.select("article_id", "body").unique("article_id").to_arrow())
                candidates = find_candidates(con, CANDIDATE_QUERY, batch.drop("event_cluster_id"))
            assignments, merges = assign_event_clusters(batch, candidates)
            merged_into.update({m["cluster_id"]: m["merged_into"] for m in merges})
            assigned = batch.drop("event_cluster_id").join(assignments, on="event_id", how="left")
            clustered = pl.concat([clustered, assigned], how="vertical") if not clustered.is_empty() else assigned
    finally:
        con.close()
    if clustered.is_empty():
        return {}
    return dict(current_clusters(clustered, merged_into).select("event_id", "event_cluster_id").iter_rows())


def current_clusters(events: pl.DataFrame, merged_into: dict[str, str]) -> pl.DataFrame:
    """The events with each cluster id followed through the merges (what the cluster_roots view does)."""
    roots = {}
    for cluster_id in merged_into:
        root = cluster_id
        while root in merged_into:
            root = merged_into[root]
        roots[cluster_id] = root
    return events.with_columns(pl.col("event_cluster_id").replace(roots))


def matched_event(mention: GoldMention, events: list[dict]) -> str | None:
    """The event whose trigger overlaps the gold mention by the most characters (ties: the earlier trigger)."""
    best, best_overlap = None, 0
    for event in sorted(events, key=lambda e: e["trigger_char_start"]):
        overlap = min(mention.end, event["trigger_char_end"]) - max(mention.start, event["trigger_char_start"])
        if overlap > best_overlap:
            best, best_overlap = event["event_id"], overlap
    return best


def head_lemma(doc: Doc, mention: GoldMention) -> str:
    span = doc.char_span(mention.start, mention.end, alignment_mode="expand")
    return span.root.lemma_.lower() if span is not None and len(span) else mention.text.lower()


def evaluate_clusters(gold_dir: Path, find_candidates: FindCandidates, limit: int | None = None) -> dict:
    """Read the split, predict and cluster its events and score both clusterings (see the module docstring)."""
    gold_dir = Path(gold_dir)
    documents = read_gold(gold_dir, limit)
    nlp = load_pipeline()
    docs = list(nlp.pipe(d.text for d in documents))
    per_document = [document_events(document, doc) for document, doc in zip(documents, docs)]
    cluster_of = cluster_stream(per_document, find_candidates)

    key: Clustering = {}
    predicted: Clustering = {}
    baseline: Clustering = {}
    unmatched: Counter[str] = Counter()
    for document, doc, events in zip(documents, docs, per_document):
        rows = events.select("event_id", "trigger_char_start", "trigger_char_end").to_dicts()
        for mention in document.mentions:
            event_id = matched_event(mention, rows)
            if event_id is None:
                unmatched[mention.text.lower()] += 1
                continue
            key[mention] = mention.chain
            predicted[mention] = cluster_of[event_id]
            baseline[mention] = (mention.topic, head_lemma(doc, mention))
    gold_mentions = sum(len(d.mentions) for d in documents)
    return {
        "gold": str(gold_dir),
        "documents": len(documents),
        "gold_mentions": gold_mentions,
        "gold_chains": len({m.chain for d in documents for m in d.mentions}),
        "predicted_events": sum(e.height for e in per_document),
        "matched_mentions": len(key),
        "matched_chains": len(set(key.values())),
        "predicted_clusters": len(set(predicted.values())),
        "baseline_clusters": len(set(baseline.values())),
        "clusters": coreference_scores(key, predicted),
        "baseline": coreference_scores(key, baseline),
        "most_unmatched": unmatched.most_common(15),
    }


def format_report(result: dict) -> str:
    lines = [
        f"ECB+ event clusters: {result['gold']} ({result['documents']} documents)",
        f"  gold mentions {result['gold_mentions']} in {result['gold_chains']} chains; predicted events "
        f"{result['predicted_events']}; matched gold mentions {result['matched_mentions']} "
        f"({result['matched_mentions'] / max(result['gold_mentions'], 1):.1%}) in {result['matched_chains']} chains",
        f"  clusters on the matched mentions: wirehouse {result['predicted_clusters']}, "
        f"lemma-within-topic baseline {result['baseline_clusters']}",
        f"  {'':24}{'MUC P/R/F1':>20}{'B3 P/R/F1':>20}{'CEAF-e P/R/F1':>20}{'CoNLL F1':>10}",
    ]
    for name, scores in (("wirehouse", result["clusters"]), ("lemma within topic", result["baseline"])):
        cells = "".join(
            f"{s['precision']:>8.3f}{s['recall']:>6.3f}{s['f1']:>6.3f}"
            for s in (scores["muc"], scores["b_cubed"], scores["ceaf_e"])
        )
        lines.append(f"  {name:24}{cells}{scores['conll_f1']:>10.3f}")
    lines.append(
        "  gold mentions no event matches, most common: "
        + ", ".join(f"{text} ({count})" for text, count in result["most_unmatched"])
    )
    return "\n".join(lines)
