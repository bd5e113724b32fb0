"""Near-duplicate articles (one wire story on several sites, syndicated copies with their own boilerplate),
found with MinHash signatures of word shingles and LSH banding (datasketch's MinHash and band sizes).

The first article seen with a body is the original; a later one whose estimated Jaccard similarity to an original
is at least THRESHOLD is its duplicate. 0.8 on 5-word shingles: in the newsplease news_cluster set, syndicated
AP copies (abcnews/nytimes, dailymail/nytimes, sfgate/denverpost, foxnews/timesofindia...) have Jaccard 0.84 to
0.98, while different write-ups of the same event have 0.78 and below (MinHash estimates are within ~0.04).
Only originals are candidates, so every copy points at the first one.
Deterministic (fixed seed, sha1 hashing): the same bodies in the same order give the same answers in any process.

What earlier batches learnt stays on disk, in a store: a folder of Parquet files, one per saved batch (`save`),
each row an article's verdict and, for an original, its signature and band keys. A batch reads only what can
matter to it (`recall`): its own articles' earlier verdicts and the originals sharing an LSH band with one of its
bodies, so memory is bounded by the batch, not by everything the home has seen.
Imports nothing of wirehouse.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import uuid
from pathlib import Path

import numpy as np
import polars as pl
from datasketch import LeanMinHash, MinHash, MinHashLSH

THRESHOLD = 0.8
# LSH banding misses some pairs just above its threshold: candidates are gathered from a lower one, then judged
# on their estimated similarity against THRESHOLD (a 0.84 AP copy was missed with bands tuned for 0.8).
CANDIDATE_MARGIN = 0.1
NUM_PERM = 128
SHINGLE_TOKENS = 5
# Fewer shingles than this (a caption, an empty body) match too easily to mean anything.
MIN_SHINGLES = 20
SEED = 1
# A body's MinHash signature, as `signature` computes it.
Signature = LeanMinHash
# Words; scripts written without spaces (Chinese, Japanese kana, Thai) count character by character.
UNSPACED = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
TOKEN = re.compile(f"[{UNSPACED}]|[^\\W{UNSPACED}]+")
STORE_SUFFIX = ".parquet"


@functools.cache
def band_ranges(threshold: float, num_perm: int) -> tuple[tuple[int, int], ...]:
    """The slices of a signature that LSH bands on, as datasketch sizes them for the candidate threshold."""
    return tuple(MinHashLSH(threshold=threshold - CANDIDATE_MARGIN, num_perm=num_perm).hashranges)


class NearDuplicateIndex:
    """Remembers original article bodies; says which original a new body nearly duplicates."""

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM):
        self.threshold = threshold
        self.num_perm = num_perm
        self._ranges = band_ranges(threshold, num_perm)
        # Per band, band key -> the originals with that key.
        self._bands: list[dict[int, list[str]]] = [{} for _ in self._ranges]
        # Original id -> (arrival rank, signature): the rank makes "the first" original win ties.
        self._originals: dict[str, tuple[int, LeanMinHash]] = {}
        self._duplicates: dict[str, tuple[str, float]] = {}
        self._next_rank = 0
        self._unsaved: list[str] = []  # ids judged since `recall`, in order

    def __len__(self) -> int:
        """The originals this index holds (in memory)."""
        return len(self._originals)

    def find(self, article_id: str, body: str) -> tuple[str, float] | None:
        """(id of the original, estimated Jaccard) when `body` nearly duplicates one, else None; then remembers
        the article. An id is judged once: asking again (a rerun) gives the first answer."""
        return self.judge(article_id, self.signature(body))

    def judge(self, article_id: str, signature: Signature | None) -> tuple[str, float] | None:
        """`find` with the body's signature computed beforehand (`signature`, None for too short a body). Ask only
        about articles that load: each one that matches nothing becomes an original later copies point at."""
        if article_id in self._duplicates:
            return self._duplicates[article_id]
        if article_id in self._originals or signature is None:
            return None
        if match := self._closest_original(signature):
            self._duplicates[article_id] = match
        else:
            self._remember_original(article_id, self._next_rank, signature)
            self._next_rank += 1
        self._unsaved.append(article_id)
        return match

    def signature(self, body: str) -> Signature | None:
        shingles = _shingles(body)
        if len(shingles) < MIN_SHINGLES:
            return None
        minhash = MinHash(num_perm=self.num_perm, seed=SEED)
        minhash.update_batch([shingle.encode("utf-8") for shingle in sorted(shingles)])
        return LeanMinHash(minhash)

    def band_keys(self, signature: Signature) -> list[int]:
        """One 64-bit key per band: equal bands, equal keys (LSH's candidate test)."""
        values = signature.hashvalues
        return [
            int.from_bytes(hashlib.blake2b(values[start:end].tobytes(), digest_size=8).digest(), "little")
            for start, end in self._ranges
        ]

    def _remember_original(self, article_id: str, rank: int, signature: Signature) -> None:
        for band, key in zip(self._bands, self.band_keys(signature), strict=True):
            band.setdefault(key, []).append(article_id)
        self._originals[article_id] = (rank, signature)

    def _closest_original(self, signature: Signature) -> tuple[str, float] | None:
        candidates = {
            key
            for band, band_key in zip(self._bands, self.band_keys(signature), strict=True)
            for key in band.get(band_key, ())
        }
        scored = [(signature.jaccard(self._originals[key][1]), key) for key in candidates]
        # LSH candidates are approximate: keep those whose estimate reaches the threshold.
        scored = [(score, key) for score, key in scored if score >= self.threshold]
        if not scored:
            return None
        score, key = min(scored, key=lambda item: (-item[0], self._originals[item[1]][0]))
        return key, score

    @classmethod
    def recall(cls, store: Path | str, batch: dict[str, Signature | None]) -> NearDuplicateIndex:
        """An index holding what `store` knows that can matter to a batch (article id -> signature, None for too
        short a body): the batch's articles judged before, and every stored original sharing a band with one of
        the batch's signatures. Only these rows are read into memory."""
        index = cls()
        files = sorted(str(path) for path in Path(store).glob(f"*{STORE_SUFFIX}"))
        if not files:
            return index
        keys = [index.band_keys(signature) for signature in batch.values() if signature is not None]
        wanted = pl.col("article_id").is_in(pl.Series(list(batch), dtype=pl.String).implode())
        for band in range(len(index._ranges)):
            wanted |= pl.col(f"band_{band}").is_in(pl.Series([row[band] for row in keys], dtype=pl.UInt64).implode())
        stored = pl.scan_parquet(files)
        last_rank = stored.select(pl.col("rank").max()).collect().item()
        index._next_rank = 0 if last_rank is None else last_rank + 1
        scheme = _scheme(index.num_perm)
        recalled = stored.filter(wanted).select("article_id", "rank", "duplicate_of", "similarity", "hashvalues")
        for article_id, rank, duplicate_of, similarity, hashvalues in recalled.collect().iter_rows():
            if duplicate_of is not None:
                index._duplicates[article_id] = (duplicate_of, similarity)
            else:
                signature = LeanMinHash(seed=SEED, hashvalues=np.array(hashvalues, dtype=np.uint32), scheme=scheme)
                index._remember_original(article_id, rank, signature)
        return index

    def save(self, store: Path | str, name: str) -> None:
        """Add the verdicts judged since `recall` to `store` as `<name>.parquet`, written atomically (a crash
        mid-write leaves no file); saving again under the same name replaces it."""
        rows = []
        for article_id in self._unsaved:
            if article_id in self._duplicates:
                duplicate_of, similarity = self._duplicates[article_id]
                rows.append({"article_id": article_id, "duplicate_of": duplicate_of, "similarity": similarity})
            else:
                rank, signature = self._originals[article_id]
                keys = {f"band_{band}": key for band, key in enumerate(self.band_keys(signature))}
                rows.append(
                    {"article_id": article_id, "rank": rank, "hashvalues": signature.hashvalues.tolist(), **keys}
                )
        if not rows:
            return
        store = Path(store)
        store.mkdir(parents=True, exist_ok=True)
        schema = {
            "article_id": pl.String,
            "rank": pl.Int64,
            "duplicate_of": pl.String,
            "similarity": pl.Float64,
            "hashvalues": pl.List(pl.UInt32),
            **{f"band_{band}": pl.UInt64 for band in range(len(self._ranges))},
        }
        temporary = store / f".{uuid.uuid4().hex}.tmp"
        pl.DataFrame(rows, schema=schema).write_parquet(temporary)
        os.replace(temporary, store / f"{name}{STORE_SUFFIX}")


@functools.cache
def _scheme(num_perm: int) -> str:
    """The hash scheme `signature`'s MinHashes use: stored signatures come back with it."""
    return MinHash(num_perm=num_perm, seed=SEED).scheme


def _shingles(body: str) -> set[str]:
    tokens = TOKEN.findall(body.lower())
    return {" ".join(tokens[i : i + SHINGLE_TOKENS]) for i in range(len(tokens) - SHINGLE_TOKENS + 1)}
