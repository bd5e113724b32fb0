"""The cross-article layer is incremental and reproducible (issue 17): articles of one story loaded over two
nightly runs end in the same quote and event clusters, with the same ids, as when one run loads them all; a rerun
over an updated article keeps its quotes' clusters; `wirehouse rebuild` gives every row back its cluster from the lake.

The articles are eight news_cluster reports of the 2017 North Korean missile over Hokkaido (many outlets quote the
same statements), read from ../shared/corpus.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import CORPUS, NEEDS_CORPUS, query
from warehouse.rebuild import rebuild_warehouse

pytestmark = NEEDS_CORPUS

RUN_DATE = date(2017, 9, 15)
STORY = "north_Korea_hokkaido_missile"
ARTICLES = 8

CLUSTERS = {
    "quote": "SELECT q.quote_id, coalesce(r.root, q.quote_cluster_id) FROM quotes q "
    "LEFT JOIN cluster_roots r ON r.cluster_kind = 'quote' AND r.cluster_id = q.quote_cluster_id",
    "event": "SELECT e.event_id, coalesce(r.root, e.event_cluster_id) FROM events e "
    "LEFT JOIN cluster_roots r ON r.cluster_kind = 'event' AND r.cluster_id = e.event_cluster_id",
}


def story_files() -> list[Path]:
    folder = CORPUS / "newsplease" / "news_cluster"
    files = [
        path
        for path in sorted(folder.glob("*.json"))
        if (json.loads(path.read_text()).get("newsCluster") or {}).get("Event") == STORY
    ]
    return files[:ARTICLES]


def inbox_of(folder: Path, files: list[Path]) -> Path:
    folder.mkdir(parents=True)
    for n, path in enumerate(files):
        shutil.copy(path, folder / f"{n:02d}-{path.name}")
    return folder


def run(inbox: Path, home: Path) -> None:
    from flows.nightly import nightly

    nightly(inbox=inbox, home=home, run_date=RUN_DATE)


def clusters(home: Path, kind: str) -> dict[str, str]:
    """Row id -> its current cluster (following merges)."""
    return dict(query(home, CLUSTERS[kind]))


@pytest.fixture(scope="module")
def homes(prefect_server, tmp_path_factory) -> dict[str, Path]:
    files = story_files()
    tmp = tmp_path_factory.mktemp("stories")
    whole, split = tmp / "whole", tmp / "split"
    run(inbox_of(tmp / "inbox-all", files), whole)
    run(inbox_of(tmp / "inbox-first", files[: ARTICLES // 2]), split)
    run(inbox_of(tmp / "inbox-second", files[ARTICLES // 2 :]), split)
    return {"whole": whole, "split": split}


@pytest.mark.parametrize("kind", ["quote", "event"])
def test_two_nights_give_the_clusters_and_ids_of_one(homes, kind):
    whole, split = clusters(homes["whole"], kind), clusters(homes["split"], kind)
    assert whole and whole == split


def test_the_story_repeats_statements_across_articles(homes):
    # Without repeated quotes the test above would pass on singletons alone.
    repeated = query(homes["split"], "SELECT count(*) FROM quote_clusters WHERE articles >= 2")[0][0]
    assert repeated >= 3


def test_a_republished_article_keeps_the_clusters_of_its_quotes(homes, tmp_path):
    """An article updated at its URL replaces its rows; its quotes find their own older rows as candidates, so
    each keeps the cluster it had, and nothing else moves."""
    home = tmp_path / "home"
    shutil.copytree(homes["split"], home)
    before = {kind: clusters(home, kind) for kind in CLUSTERS}
    record = json.loads(story_files()[0].read_text())
    record["text"] += "\n\nThis story has been updated."
    (tmp_path / "update").mkdir()
    (tmp_path / "update" / "updated.json").write_text(json.dumps(record))
    run(tmp_path / "update", home)
    after = {kind: clusters(home, kind) for kind in CLUSTERS}
    for kind in CLUSTERS:
        kept = before[kind].keys() & after[kind].keys()
        assert len(kept) >= 0.9 * len(before[kind])
        assert {row: after[kind][row] for row in kept} == {row: before[kind][row] for row in kept}


def test_rebuild_gives_every_row_its_cluster_back(homes, tmp_path):
    home = tmp_path / "home"
    shutil.copytree(homes["split"], home)
    stored = {kind: dict(query(home, f"SELECT {kind}_id, {kind}_cluster_id FROM {kind}s")) for kind in CLUSTERS}
    merges = query(home, "SELECT * FROM cluster_merges ORDER BY merge_id")
    rebuild_warehouse(home)
    assert {kind: dict(query(home, f"SELECT {kind}_id, {kind}_cluster_id FROM {kind}s")) for kind in CLUSTERS} == stored
    assert query(home, "SELECT * FROM cluster_merges ORDER BY merge_id") == merges
