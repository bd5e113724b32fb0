"""Near-duplicate articles (one wire story on several sites, syndicated copies with their own boilerplate),
found with MinHash signatures of word shingles and an LSH index (datasketch).

The first article seen with a body is the original; a later one whose estimated Jaccard similarity to an original
is at least THRESHOLD is its duplicate. 0.8 on 5-word shingles: in the newsplease news_cluster set, syndicated
AP copies (abcnews/nytimes, dailymail/nytimes, sfgate/denverpost, foxnews/timesofindia...) have Jaccard 0.84 to
0.98, while different write-ups of the same event have 0.78 and below (MinHash estimates are within ~0.04).
Only originals go into the index, so every copy points at the first one.
Deterministic (fixed seed, sha1 hashing): the same bodies in the same order give the same answers in any process.
The index is saved to a file between runs so it grows across nightly runs and backfills; it is a pickle, so load
only files this class wrote.
Imports nothing of wirehouse.
"""

from __future__ import annotations

import os
import pickle
import re
from pathlib import Path

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


class NearDuplicateIndex:
    """Remembers original article bodies; says which original a new body nearly duplicates."""

    def __init__(self, threshold: float = THRESHOLD, num_perm: int = NUM_PERM):
        self.threshold = threshold
        self.num_perm = num_perm
        self._lsh = MinHashLSH(threshold=threshold - CANDIDATE_MARGIN, num_perm=num_perm)
        # Original id -> (arrival rank, signature): the rank makes "the first" original win ties.
        self._originals: dict[str, tuple[int, LeanMinHash]] = {}
        self._duplicates: dict[str, tuple[str, float]] = {}

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
            return match
        self._lsh.insert(article_id, signature)
        self._originals[article_id] = (len(self._originals), signature)
        return None

    def signature(self, body: str) -> Signature | None:
        shingles = _shingles(body)
        if len(shingles) < MIN_SHINGLES:
            return None
        minhash = MinHash(num_perm=self.num_perm, seed=SEED)
        minhash.update_batch([shingle.encode("utf-8") for shingle in sorted(shingles)])
        return LeanMinHash(minhash)

    def _closest_original(self, signature: Signature) -> tuple[str, float] | None:
        scored = [(signature.jaccard(self._originals[key][1]), key) for key in self._lsh.query(signature)]
        # LSH candidates are approximate: keep those whose estimate reaches the threshold.
        scored = [(score, key) for score, key in scored if score >= self.threshold]
        if not scored:
            return None
        score, key = min(scored, key=lambda item: (-item[0], self._originals[item[1]][0]))
        return key, score

    def save(self, path: Path | str) -> None:
        """Write the index atomically (a crash mid-write leaves the previous file)."""
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        with temporary.open("wb") as file:
            pickle.dump(self, file, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: Path | str, threshold: float = THRESHOLD, num_perm: int = NUM_PERM) -> NearDuplicateIndex:
        """The index saved at `path`, or a new empty one when there is none yet."""
        path = Path(path)
        if not path.exists():
            return cls(threshold, num_perm)
        with path.open("rb") as file:
            index = pickle.load(file)
        if not isinstance(index, cls):
            raise ValueError(f"{path} does not hold a near-duplicate index")
        return index


def _shingles(body: str) -> set[str]:
    tokens = TOKEN.findall(body.lower())
    return {" ".join(tokens[i : i + SHINGLE_TOKENS]) for i in range(len(tokens) - SHINGLE_TOKENS + 1)}
