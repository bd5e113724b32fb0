"""Quote clusters: the same statement quoted across articles (quotes.quote_cluster_id).

Texts are compared normalised: ASCII-folded (curly quotes, dashes, accents), lower case, punctuation dropped, one
space between words, and an indirect quote's leading "that" dropped, so quotation marks, spacing, case and the way
the statement is reported never tell two copies apart.

Blocking (`with_signatures`, run per article during extraction): a quote of MIN_WORDS words or more gets a MinHash
of its 4-word shingles (datasketch, NUM_PERM permutations) cut into bands of one value: `minhash_bands` holds
`band << 32 | value`, and two quotes are candidates when one permutation picks the same shingle for both, which
happens per band with probability J, their Jaccard similarity. One value per band because a short quote inside a
longer one has a low J: on news_cluster, of the 580 cross-article pairs of quotes sharing an 8-word run, 10 % have
J <= 0.18 and the lowest 0.047. 64 bands of one value find a pair of J = 0.05 with probability
1 - 0.95^64 = 0.96 and found all 580 (and all 531 pairs of the evaluation's reference); 64 bands of two values
(128 permutations) missed 25 (4.3 %), 32 bands of one value 5. 4-word shingles keep a one-word edit of an 8-word
quote a candidate (one shingle survives) and meet far fewer common phrases than 3-word ones: 2.3e-4 of the other
quote pairs became candidates, against 1.7e-3 with 3-word shingles; candidates only cost a verification each.
A shorter quote ("a springboard for terror") is too generic to be matched by overlap: its one band is a hash of
its whole normalised text (band number EXACT_BAND), so it meets only quotes with the identical normalised text, and
joins them only when both have the same speaker entity (a surname key matches the full key ending in it): on
news_cluster an identical "a request for comment" or "responsibility for the attack" came from unrelated stories.

Verification (`same_statement`) of quotes of MIN_WORDS words or more: rapidfuzz aligns the shorter's words where
they best fit in the longer's (partial_ratio_alignment over word lists) and the two are one statement when that
window matches, in order, EDIT_SIMILARITY % of the shorter's words: 100 is containment, less allows small edits (a
word changed, added or dropped: "is having no impact" / "had no impact"). On news_cluster
(transforms/evaluate/quote_clusters.py, separation over the different pairs sharing a 3-word run) 70 % gives pair
recall 0.979 and separation 0.992, 75 % 0.977 and 0.995, 80 % 0.949 and 0.997. The speaker is not compared for
them: syndicated copies name the speaker differently ("the spokeswoman", a surname) and extraction sometimes
resolves one copy wrongly, while 8 or more words nearly verbatim are rarely two people's; the quote_clusters view
reports how many members agree on the speaker instead.

Assignment (`assign_quote_clusters`, once per batch in the run's process): rows in (published_at, article_id,
char_start) order; verified pairs within the batch and with the warehouse candidates join rows into components.
A component touching no existing cluster founds one, `stable_id("quote_cluster", first row's quote_id)`; one
touching existing clusters takes the oldest (first member published first, then the smaller id) and merges the
others into it (returned for cluster_merges). Candidate rows of the batch's own articles are ignored: the batch
replaces them, and a rerun finds the same clusters through the other articles (and the same ids where the
batch founded them).
May import: datasketch, numpy, polars, rapidfuzz, unidecode, transforms.normalise.ids,
transforms.entities.keys (its entity-key comparison).
"""

from __future__ import annotations

import re
from datetime import datetime

import numpy as np
import polars as pl
from datasketch import MinHash
from datasketch.hashfunc import sha1_hash32
from rapidfuzz import fuzz
from rapidfuzz.distance import LCSseq
from unidecode import unidecode

from transforms.entities.keys import same_entity
from transforms.normalise.ids import stable_id

NUM_PERM = 64
SHINGLE_WORDS = 4
# Normalised words below which a quote joins only identical ones: the accuracy targets are set on quotes of 8 words
# or more, which an indirect quote reaches with its "that" (dropped by the normalisation).
MIN_WORDS = 7
# Share (in %) of the shorter quote's words matched, in order, where it best aligns in the longer, from which two
# quotes are one statement with small edits.
EDIT_SIMILARITY = 75
# The band number of a short quote's whole-text hash, after the MinHash bands 0..NUM_PERM-1.
EXACT_BAND = NUM_PERM
SEED = 1
# Permutations drawn once: MinHash draws them again for every object otherwise (most of its cost on a short text).
PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED, scheme="affine32").permutations
BAND_OFFSETS = np.arange(NUM_PERM, dtype=np.int64) << 32
WORD = re.compile(r"[^\W_]+")
ASSIGNMENT_SCHEMA = pl.Schema({"quote_id": pl.String, "quote_cluster_id": pl.String})


def normalised_text(text: str) -> str:
    words = WORD.findall(unidecode(text).lower())
    # An indirect quote's content starts at its complementiser ("said that the talks..."), a direct one does not.
    return " ".join(words[1:] if words[:1] == ["that"] else words)


def band_hashes(normalised: str) -> list[int]:
    """The LSH band values of a normalised text (see the module docstring); none for a text without words."""
    words = normalised.split()
    if len(words) < MIN_WORDS:
        return [EXACT_BAND << 32 | sha1_hash32(normalised.encode("utf-8"))] if words else []
    shingles = {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=PERMUTATIONS, scheme="affine32")
    minhash.update_batch([shingle.encode("utf-8") for shingle in shingles])
    return (BAND_OFFSETS | minhash.hashvalues.astype(np.int64)).tolist()


def with_signatures(quotes: pl.DataFrame) -> pl.DataFrame:
    """The quotes with `minhash_bands` filled from their text."""
    bands = [band_hashes(normalised_text(text)) for text in quotes["text"]]
    return quotes.with_columns(minhash_bands=pl.Series(bands, dtype=pl.List(pl.Int64)))


def same_statement(first: str, second: str, same_speaker: bool) -> str | None:
    """Why two normalised texts are one statement ('identical', 'contained', 'edit similarity N'), or None.
    `same_speaker`: whether the two quotes have the same speaker entity (only short quotes need it)."""
    shorter, longer = sorted((first, second), key=len)
    if len(shorter.split()) < MIN_WORDS:
        return "identical" if shorter and first == second and same_speaker else None
    # Over words, not characters: an inserted or changed word costs the same in a short quote as in a long one.
    # partial_ratio finds where the shorter best aligns in the longer; what counts is the share of the shorter's
    # words that window matches in order (its own score also rewards a window cut at the longer's start or end).
    shorter_words, longer_words = shorter.split(), longer.split()
    window = fuzz.partial_ratio_alignment(shorter_words, longer_words)
    matched = LCSseq.similarity(shorter_words, longer_words[window.dest_start : window.dest_end])
    similarity = round(100 * matched / len(shorter_words))
    if similarity < EDIT_SIMILARITY:
        return None
    return "contained" if similarity == 100 else f"edit similarity {similarity}"


def band_pairs(left: pl.DataFrame, right: pl.DataFrame) -> pl.DataFrame:
    """(quote_id, other_quote_id) for every quote of `left` and quote of `right` sharing a band value."""
    left_bands = left.select("quote_id", band=pl.col("minhash_bands")).explode("band").drop_nulls("band")
    right_bands = right.select(other_quote_id="quote_id", band=pl.col("minhash_bands")).explode("band")
    return left_bands.join(right_bands.drop_nulls("band"), on="band").select("quote_id", "other_quote_id").unique()


def assign_quote_clusters(batch: pl.DataFrame, candidates: pl.DataFrame) -> tuple[pl.DataFrame, list[dict]]:
    """(quote_id -> quote_cluster_id for every row of `batch`, merges of existing clusters).

    `batch`: quote_id, article_id, text, speaker_entity_key, published_at, char_start, minhash_bands.
    `candidates` (select_quote_candidates.sql): batch_quote_id, the candidate's quote_id, article_id, text,
    speaker_entity_key, quote_cluster_id (current) and cluster_first_published_at."""
    rows = batch.sort("published_at", "article_id", "char_start", nulls_last=True)
    order = {quote_id: position for position, quote_id in enumerate(rows["quote_id"])}
    texts = {quote_id: normalised_text(text) for quote_id, text in rows.select("quote_id", "text").iter_rows()}
    speakers = dict(rows.select("quote_id", "speaker_entity_key").iter_rows())
    components = _Components(len(order))

    for quote_id, other_id in band_pairs(rows, rows).iter_rows():
        if order[quote_id] < order[other_id] and same_statement(
            texts[quote_id], texts[other_id], _same_speaker(speakers[quote_id], speakers[other_id])
        ):
            components.union(order[quote_id], order[other_id])

    # Existing clusters are nodes too (after the rows), each with the batch quote that reached it first and why.
    outside = candidates.filter(~pl.col("article_id").is_in(rows["article_id"].unique().implode()))
    links: dict[str, tuple[str, str]] = {}
    cluster_node: dict[str, int] = {}
    cluster_age: dict[str, tuple[bool, datetime | None, str]] = {}
    for batch_quote_id, text, speaker, cluster_id, first_published in outside.select(
        "batch_quote_id", "text", "speaker_entity_key", "quote_cluster_id", "cluster_first_published_at"
    ).iter_rows():
        reason = same_statement(
            texts[batch_quote_id], normalised_text(text), _same_speaker(speakers[batch_quote_id], speaker)
        )
        if not reason:
            continue
        if cluster_id not in links:
            links[cluster_id] = (batch_quote_id, reason)
            cluster_age[cluster_id] = (first_published is None, first_published, cluster_id)
            cluster_node[cluster_id] = components.add()
        components.union(order[batch_quote_id], cluster_node[cluster_id])

    touched: dict[int, list[str]] = {}
    for cluster_id, node in cluster_node.items():
        touched.setdefault(components.find(node), []).append(cluster_id)
    merges, cluster_of_root = [], {}
    for root, clusters in touched.items():
        survivor, *younger = sorted(clusters, key=cluster_age.__getitem__)
        cluster_of_root[root] = survivor
        for cluster_id in younger:
            quote_id, reason = links[cluster_id]
            merges.append(
                {
                    "cluster_kind": "quote",
                    "cluster_id": cluster_id,
                    "merged_into": survivor,
                    "reason": f"quote {quote_id} ({reason}) joins it to the older cluster {survivor}",
                }
            )
    quote_ids = rows["quote_id"].to_list()
    cluster_ids = []
    for position in range(len(quote_ids)):
        root = components.find(position)
        if root not in cluster_of_root:
            # The component's first row in order founds it (union keeps the smallest position as the root).
            cluster_of_root[root] = stable_id("quote_cluster", quote_ids[root])
        cluster_ids.append(cluster_of_root[root])
    assignments = pl.DataFrame({"quote_id": quote_ids, "quote_cluster_id": cluster_ids}, schema=ASSIGNMENT_SCHEMA)
    return assignments, merges


def _same_speaker(first: str | None, second: str | None) -> bool:
    return first is not None and second is not None and same_entity(first, second)


class _Components:
    """Union-find over nodes 0..n-1 (more added by `add`); a component's root is its smallest node."""

    def __init__(self, size: int) -> None:
        self._parent = list(range(size))

    def add(self) -> int:
        self._parent.append(len(self._parent))
        return len(self._parent) - 1

    def find(self, position: int) -> int:
        while self._parent[position] != position:
            self._parent[position] = self._parent[self._parent[position]]
            position = self._parent[position]
        return position

    def union(self, first: int, second: int) -> None:
        first, second = self.find(first), self.find(second)
        self._parent[max(first, second)] = min(first, second)
