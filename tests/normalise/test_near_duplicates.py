"""Near-duplicates on real syndicated copies from the newsplease news_cluster set, and a doctored copy.

The AP pair and the unrelated article are kept in tests/fixtures/newsplease (verbatim corpus records); the
borderline and same-event pairs are read from the corpus.
"""

from __future__ import annotations

import json

import pytest

from tests.conftest import FIXTURES
from transforms.normalise.near_duplicates import THRESHOLD, NearDuplicateIndex

# The same AP story on two sites (Jaccard of 5-word shingles 0.96), and a different write-up of another event.
AP_COPIES = (
    "710e6e0189ef7e68f0aadae65f989105985074aab7705dc419ca0b0f",
    "e931422d8d018f929ff85782be238265f508d96f28383dcf3e43d252",
)
UNRELATED = "2ee6b68d950d4859212a0cf50cf9e16fba7ac87036ee1c32c68c6449"
# An AP copy just above the threshold (Jaccard 0.84): LSH bands tuned for 0.8 alone missed it.
BORDERLINE_COPIES = (
    "2ea0c85e8b8adfd02aa27a7306e4f7b9afba90f6aef8613e5b2fce59",
    "4c06bb5412a15ba2ca552b4cbf0b1b2c62182cce25228a07ced63de3",
)
# Two write-ups of one event, not copies (Jaccard 0.77): must stay apart.
SAME_EVENT = (
    "4468c60dd028ff2a58c3f5b39520c077c32f0fdcc193928c4ca4e85c",
    "ca3b0ec362ced079834e2093198f89f5a97217c7b116b24829993752",
)


def bodies_in(folder) -> dict[str, str]:
    return {path.stem: json.loads(path.read_text())["text"] or "" for path in sorted(folder.glob("*.json"))}


@pytest.fixture(scope="module")
def bodies() -> dict[str, str]:
    return bodies_in(FIXTURES / "newsplease")


@pytest.fixture(scope="module")
def cluster_bodies(corpus) -> dict[str, str]:
    return bodies_in(corpus / "newsplease" / "news_cluster")


def test_syndicated_copy_points_at_the_first_one(bodies):
    index = NearDuplicateIndex()
    original, copy = AP_COPIES
    assert index.find(original, bodies[original]) is None
    assert index.find(UNRELATED, bodies[UNRELATED]) is None
    duplicate_of, similarity = index.find(copy, bodies[copy])
    assert duplicate_of == original and THRESHOLD <= similarity <= 1.0


def test_copy_just_above_the_threshold_is_found(cluster_bodies):
    bodies = cluster_bodies
    index = NearDuplicateIndex()
    original, copy = BORDERLINE_COPIES
    index.find(original, bodies[original])
    duplicate_of, similarity = index.find(copy, bodies[copy])
    assert duplicate_of == original and similarity >= THRESHOLD


def test_different_write_ups_of_one_event_are_not_duplicates(cluster_bodies):
    bodies = cluster_bodies
    index = NearDuplicateIndex()
    first, second = SAME_EVENT
    assert index.find(first, bodies[first]) is None
    assert index.find(second, bodies[second]) is None


def test_copy_with_other_boilerplate_is_a_duplicate(bodies):
    original = bodies[AP_COPIES[0]]
    doctored = (
        "Advertisement. Subscribe to our newsletter for the latest headlines delivered every morning.\n"
        + original.replace("\n", "\n\n")
        + "\nCopyright 2017 The Associated Press. All rights reserved. This material may not be published, "
        "broadcast, rewritten or redistributed. Share this story on Facebook and Twitter. Read more from our site."
    )
    index = NearDuplicateIndex()
    index.find("original", original)
    duplicate_of, similarity = index.find("doctored", doctored)
    assert duplicate_of == "original" and similarity >= THRESHOLD


def test_answers_are_repeatable_and_survive_a_save(tmp_path, cluster_bodies):
    bodies = cluster_bodies
    store = tmp_path / "state" / "near-duplicates"
    signatures = {article_id: NearDuplicateIndex().signature(body) for article_id, body in bodies.items()}
    first_run = NearDuplicateIndex.recall(store, signatures)
    answers = {article_id: first_run.judge(article_id, signatures[article_id]) for article_id in bodies}
    assert sum(answer is not None for answer in answers.values()) >= 4
    first_run.save(store, "run-1")
    # Rerun (same ids) and a later run (new copy of a known story) on what the store recalls for them.
    rerun = NearDuplicateIndex.recall(store, signatures)
    assert {article_id: rerun.judge(article_id, signatures[article_id]) for article_id in bodies} == answers
    later = NearDuplicateIndex.recall(store, {"tomorrow-copy": signatures[AP_COPIES[1]]})
    later_copy = later.judge("tomorrow-copy", signatures[AP_COPIES[1]])
    assert later_copy is not None and later_copy[0] == AP_COPIES[0]
    # Same bodies in the same order in a fresh index: the same answers (fixed seed).
    fresh = NearDuplicateIndex()
    assert {article_id: fresh.find(article_id, body) for article_id, body in bodies.items()} == answers


def test_a_batch_recalls_only_the_originals_its_bodies_share_a_band_with(tmp_path, cluster_bodies):
    # Memory is bounded by the batch: a new copy of one story brings back that story's original, not the store.
    store = tmp_path / "near-duplicates"
    first = NearDuplicateIndex.recall(store, {})
    for article_id, body in cluster_bodies.items():
        first.find(article_id, body)
    first.save(store, "run-1")
    copy = NearDuplicateIndex().signature(cluster_bodies[AP_COPIES[1]])
    recalled = NearDuplicateIndex.recall(store, {"tomorrow-copy": copy})
    assert 1 <= len(recalled) < len(first) / 4
    assert recalled.judge("tomorrow-copy", copy)[0] == AP_COPIES[0]


def test_short_or_empty_bodies_are_never_duplicates():
    index = NearDuplicateIndex()
    assert index.find("a", "") is None
    assert index.find("b", "") is None
    assert index.find("c", "Breaking news: more soon.") is None
    assert index.find("d", "Breaking news: more soon.") is None


def test_a_precomputed_signature_is_judged_as_the_body_is(bodies):
    # The flow signs bodies beside extraction and judges the loaded articles afterwards.
    by_body, by_signature = NearDuplicateIndex(), NearDuplicateIndex()
    answers = [by_body.find(article_id, body) for article_id, body in bodies.items()]
    assert answers == [
        by_signature.judge(article_id, by_signature.signature(body)) for article_id, body in bodies.items()
    ]
    assert answers[list(bodies).index(AP_COPIES[1])][0] == AP_COPIES[0]
