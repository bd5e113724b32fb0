"""Quote clusters on the news-please news_cluster set
(`wirehouse eval quote-clusters --corpus ../shared/corpus/newsplease/news_cluster`).

The articles run through the real pipeline (normalised, near-duplicates marked in published order, extracted,
quotes signed by `with_signatures`) and are clustered twice: in one batch, and incrementally in BATCHES batches of
articles in published order, each batch's candidates taken from the earlier batches' rows the way
warehouse/sql/candidates/select_quote_candidates.sql takes them (a shared band value; each row's current cluster
after the merges so far).
There is no gold cluster file, so the reference is built independently of the method (no MinHash, no rapidfuzz,
its own tokenisation): every pair of extracted quotes of REFERENCE_MIN_WORDS words or more in two different
articles is compared with a word alignment (difflib):
- **same statement**: common word runs of at least RUN_WORDS words cover ALIGNED_SHARE of the shorter quote (it is
  contained in the longer one, or nearly), or the two share one run of LONG_RUN_WORDS words;
- **different**: every other pair. Pairs sharing no RUN_WORDS-word run are different by definition; the ones that
  share one (the same topic, a common phrase) are the hard ones, reported apart.
Scores: pair recall (same-statement pairs in one cluster; for syndicated copies and independent pickups apart),
pair separation (different pairs in different clusters, over the hard ones and over all), pair precision (of the
pairs clustered together, the share the reference calls the same), and the news_cluster story grouping as a sanity
check: reference quotes clustered across two different gold stories are suspicious.
The caller passes the extraction in (`Extract`).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from difflib import SequenceMatcher
from itertools import combinations
from pathlib import Path

import polars as pl

from transforms.ingest.records import RawRecord
from transforms.ingest.registry import read_path
from transforms.normalise.articles import body_signatures, canonical_url, mark_near_duplicates, normalise_records
from transforms.normalise.ids import stable_id
from transforms.normalise.near_duplicates import NearDuplicateIndex
from transforms.stories.quote_clusters import assign_quote_clusters, band_pairs

REFERENCE_MIN_WORDS = 8
RUN_WORDS = 3
ALIGNED_SHARE = 0.8
LONG_RUN_WORDS = 12
BATCHES = 4
EXAMPLES = 8
# transforms.extract.extract_articles: articles -> {"quotes": ..., "sources": ...}. It sits beside transforms.evaluate
# in the import layers, so the caller passes it in (`wirehouse eval quote-clusters`, or `main` below).
Extract = Callable[[pl.DataFrame], dict[str, pl.DataFrame]]
# The reference's own reading of a text (not the method's normalisation): lower-case words, accents dropped.
REFERENCE_WORD = re.compile(r"[^\W_]+")


def evaluate_quote_clusters(corpus: Path, extract: Extract, batches: int = BATCHES) -> dict:
    quotes = corpus_quotes(Path(corpus), extract)
    same, hard_different = reference_pairs(quotes)
    one_batch = cluster_in_batches(quotes, 1)
    incremental = cluster_in_batches(quotes, batches)
    return {
        "corpus": str(corpus),
        "articles": quotes["article_id"].n_unique(),
        "quotes": quotes.height,
        "reference_quotes": len(_reference_words(quotes)),
        "same_pairs": len(same),
        "hard_different_pairs": len(hard_different),
        "one_batch": score(quotes, one_batch, same, hard_different),
        f"{batches}_batches": score(quotes, incremental, same, hard_different),
        "batches_agree_with_one_batch": partitions_agree(one_batch["clusters"], incremental["clusters"]),
    }


def corpus_quotes(folder: Path, extract: Extract) -> pl.DataFrame:
    """The extracted quotes of every article in `folder`, with their speaker's entity key, their article's
    published_at, outlet, duplicate_of and gold story (news_cluster's Event), in published order (the frame the
    run's cluster stage builds)."""
    paths = sorted(folder.glob("*.json"))
    records = [item for path in paths for item in read_path(path) if isinstance(item, RawRecord)]
    now = datetime.now(UTC)
    articles, _ = normalise_records(records, "eval", now)
    articles = articles.sort("published_at", "article_id", nulls_last=True)
    index = NearDuplicateIndex()
    articles, _ = mark_near_duplicates(articles, index, body_signatures(articles, index), "eval", now)
    stories = pl.DataFrame(
        [_story(json.loads(path.read_text(encoding="utf-8"))) for path in paths],
        schema={"article_id": pl.String, "story": pl.String},
        orient="row",
    ).unique("article_id")
    extracted = extract(articles)
    speakers = extracted["sources"].select("source_id", speaker_entity_key="entity_key")
    return (
        extracted["quotes"]
        .join(speakers, on="source_id", how="left")
        .join(articles.select("article_id", "published_at", "outlet", "duplicate_of"), on="article_id")
        .join(stories, on="article_id", how="left")
        .sort("published_at", "article_id", "char_start", nulls_last=True)
    )


def _story(record: dict) -> tuple[str, str | None]:
    # The article id the pipeline gives the record (from its canonical URL), and its gold story.
    event = (record.get("newsCluster") or {}).get("Event")
    return stable_id("url", canonical_url(record["url"])), event


def _reference_words(quotes: pl.DataFrame) -> dict[str, tuple[str, list[str]]]:
    """quote_id -> (article_id, normalised words) for the quotes the reference judges."""
    words = {}
    for quote_id, article_id, text in quotes.select("quote_id", "article_id", "text").iter_rows():
        letters = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
        quote_words = REFERENCE_WORD.findall(letters)
        if len(quote_words) >= REFERENCE_MIN_WORDS:
            words[quote_id] = (article_id, quote_words)
    return words


def reference_pairs(quotes: pl.DataFrame) -> tuple[set[tuple[str, str]], set[tuple[str, str]]]:
    """(same-statement pairs, different pairs that share a RUN_WORDS-word run), each pair sorted."""
    words = _reference_words(quotes)
    by_run = defaultdict(set)
    for quote_id, (_, quote_words) in words.items():
        for i in range(len(quote_words) - RUN_WORDS + 1):
            by_run[tuple(quote_words[i : i + RUN_WORDS])].add(quote_id)
    sharing = {
        pair
        for quote_ids in by_run.values()
        for pair in combinations(sorted(quote_ids), 2)
        if words[pair[0]][0] != words[pair[1]][0]
    }
    same = {pair for pair in sharing if same_statement_reference(words[pair[0]][1], words[pair[1]][1])}
    return same, sharing - same


def same_statement_reference(first: list[str], second: list[str]) -> bool:
    shorter = min(len(first), len(second))
    runs = [block.size for block in SequenceMatcher(None, first, second, autojunk=False).get_matching_blocks()]
    return sum(size for size in runs if size >= RUN_WORDS) >= ALIGNED_SHARE * shorter or max(runs) >= LONG_RUN_WORDS


def cluster_in_batches(quotes: pl.DataFrame, batches: int) -> dict:
    """{"clusters": quote_id -> current cluster id, "merges": count} after assigning the articles' quotes in
    `batches` consecutive batches of articles (published order), each against the earlier batches' rows."""
    article_ids = quotes["article_id"].unique(maintain_order=True).to_list()
    size = -(-len(article_ids) // batches)
    stored = quotes.clear()
    merged_into: dict[str, str] = {}
    for start in range(0, len(article_ids), size):
        batch = quotes.filter(pl.col("article_id").is_in(article_ids[start : start + size]))
        assignments, merges = assign_quote_clusters(batch, warehouse_candidates(batch, stored, merged_into))
        merged_into.update({merge["cluster_id"]: merge["merged_into"] for merge in merges})
        stored = pl.concat([stored, batch.update(assignments, on="quote_id")])
    current = _current_clusters(stored, merged_into)
    return {"clusters": dict(current.select("quote_id", "quote_cluster_id").iter_rows()), "merges": len(merged_into)}


def _current_clusters(stored: pl.DataFrame, merged_into: dict[str, str]) -> pl.DataFrame:
    """The stored rows with their current cluster, following merges of merges (as the cluster_roots view does)."""
    roots = {}
    for cluster_id in merged_into:
        root = cluster_id
        while root in merged_into:
            root = merged_into[root]
        roots[cluster_id] = root
    return stored.with_columns(pl.col("quote_cluster_id").replace(roots))


def warehouse_candidates(batch: pl.DataFrame, stored: pl.DataFrame, merged_into: dict[str, str]) -> pl.DataFrame:
    """What select_quote_candidates.sql returns for `batch` from the rows `stored` so far."""
    current = _current_clusters(stored, merged_into)
    first_published = current.group_by("quote_cluster_id").agg(cluster_first_published_at=pl.col("published_at").min())
    return (
        band_pairs(batch, current)
        .rename({"quote_id": "batch_quote_id", "other_quote_id": "quote_id"})
        .join(current, on="quote_id")
        .join(first_published, on="quote_cluster_id")
    )


def score(quotes: pl.DataFrame, clustering: dict, same: set, hard_different: set) -> dict:
    clusters = clustering["clusters"]
    together = {pair for pair in same | hard_different if clusters[pair[0]] == clusters[pair[1]]}
    syndicated = _syndicated_pairs(quotes, same)
    words = _reference_words(quotes)
    clustered_pairs = _cross_article_pairs_in_clusters(words, clusters)
    stories = dict(quotes.select("quote_id", "story").iter_rows())
    across_stories = [pair for pair in clustered_pairs if stories[pair[0]] != stories[pair[1]]]
    texts = dict(quotes.select("quote_id", "text").iter_rows())
    different = _cross_article_pair_count(words) - len(same)
    return {
        "clusters": len(set(clusters.values())),
        "clusters_across_articles": len(_clusters_across_articles(quotes, clusters)),
        "merges": clustering["merges"],
        "pair_recall": _share(len(same & together), len(same)),
        "pair_recall_syndicated": _share(len(syndicated & together), len(syndicated)),
        "pair_recall_independent": _share(len((same - syndicated) & together), len(same - syndicated)),
        "pair_separation_hard": _share(len(hard_different - together), len(hard_different)),
        "wrongly_joined_pairs": len(clustered_pairs - same),
        "pair_precision": _share(len(clustered_pairs & same), len(clustered_pairs)),
        "pair_separation_all": _share(different - len(clustered_pairs - same), different),
        "clustered_pairs_across_stories": len(across_stories),
        "missed_examples": [(texts[a], texts[b]) for a, b in sorted(same - together)[:EXAMPLES]],
        "wrongly_joined_examples": [(texts[a], texts[b]) for a, b in sorted(clustered_pairs - same)[:EXAMPLES]],
        "across_story_examples": [(texts[a], texts[b]) for a, b in sorted(across_stories)[:EXAMPLES]],
    }


def _syndicated_pairs(quotes: pl.DataFrame, pairs: set) -> set:
    """The pairs whose two articles are copies of one story (one is the other's original, or both copy one)."""
    article_of = dict(quotes.select("quote_id", "article_id").iter_rows())
    original = {a: d or a for a, d in quotes.select("article_id", "duplicate_of").unique().iter_rows()}
    return {pair for pair in pairs if original[article_of[pair[0]]] == original[article_of[pair[1]]]}


def _cross_article_pairs_in_clusters(words: dict, clusters: dict) -> set[tuple[str, str]]:
    """Pairs of reference quotes (of different articles) that share a cluster."""
    members = defaultdict(list)
    for quote_id in sorted(words):
        members[clusters[quote_id]].append(quote_id)
    return {pair for ids in members.values() for pair in combinations(ids, 2) if words[pair[0]][0] != words[pair[1]][0]}


def _cross_article_pair_count(words: dict) -> int:
    per_article = defaultdict(int)
    for article_id, _ in words.values():
        per_article[article_id] += 1
    return (len(words) * (len(words) - 1) - sum(n * (n - 1) for n in per_article.values())) // 2


def _clusters_across_articles(quotes: pl.DataFrame, clusters: dict) -> set[str]:
    articles = defaultdict(set)
    for quote_id, article_id in quotes.select("quote_id", "article_id").iter_rows():
        articles[clusters[quote_id]].add(article_id)
    return {cluster for cluster, ids in articles.items() if len(ids) > 1}


def partitions_agree(first: dict, second: dict) -> bool:
    """Whether two clusterings group the same quotes together (whatever their ids)."""

    def groups(clusters: dict) -> set[frozenset]:
        members = defaultdict(set)
        for quote_id, cluster in clusters.items():
            members[cluster].add(quote_id)
        return {frozenset(ids) for ids in members.values()}

    return groups(first) == groups(second)


def _share(hits: int, total: int) -> float | None:
    return round(hits / total, 4) if total else None


def format_report(result: dict) -> str:
    lines = [
        f"quote clusters on {result['corpus']}: {result['articles']} articles with quotes, {result['quotes']} quotes, "
        f"{result['reference_quotes']} of {REFERENCE_MIN_WORDS}+ words",
        f"reference: {result['same_pairs']} same-statement pairs across articles, "
        f"{result['hard_different_pairs']} different pairs sharing a {RUN_WORDS}-word run",
    ]
    for name in [key for key in result if key == "one_batch" or key.endswith("_batches")]:
        scores = result[name]
        lines += [
            f"\n{name.replace('_', ' ')}: {scores['clusters']} clusters, {scores['clusters_across_articles']} across "
            f"articles, {scores['merges']} merges",
            f"  pair recall {scores['pair_recall']} (syndicated copies {scores['pair_recall_syndicated']}, "
            f"independent {scores['pair_recall_independent']})",
            f"  pair separation {scores['pair_separation_hard']} over the hard different pairs, "
            f"{scores['pair_separation_all']} over all ({scores['wrongly_joined_pairs']} pairs wrongly joined: "
            f"pair precision {scores['pair_precision']})",
            f"  clustered pairs across two gold stories: {scores['clustered_pairs_across_stories']}",
        ]
    lines.append(f"\nbatches give the same clusters as one batch: {result['batches_agree_with_one_batch']}")
    one_batch = result["one_batch"]
    for title, key in (
        ("missed", "missed_examples"),
        ("wrongly joined", "wrongly_joined_examples"),
        ("across stories", "across_story_examples"),
    ):
        if one_batch[key]:
            lines.append(f"\n{title} (one batch):")
            lines += [f"  - {a[:110]!r}\n    {b[:110]!r}" for a, b in one_batch[key]]
    return "\n".join(lines)
