"""Quote clusters across articles: the comparison, the signatures, the assignment in batches, the candidates query,
the quote_clusters view and the quote_spread macro.

The quote texts are real quotes as the extractor took them from ../shared/corpus/newsplease/news_cluster: the
"smoke rings" study (news.liverpool.ac.uk's press release, ndtv.com and dailymail.co.uk quoting Chris Hughes), the
New York subway collision (the AP story on washingtonpost.com and dailymail.co.uk's rewrite) and the Nice truck
attack (edition.cnn.com). The warehouse tests place them in small articles of their own; the corpus tests run the
whole extraction over three news_cluster stories.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime

import duckdb
import polars as pl
import pytest

from transforms.evaluate.quote_clusters import (
    cluster_in_batches,
    corpus_quotes,
    partitions_agree,
    reference_pairs,
    score,
)
from transforms.normalise.ids import stable_id
from transforms.schema import ARTICLES, CLUSTER_MERGES, QUOTES, SOURCES, conform
from transforms.stories.quote_clusters import (
    EXACT_BAND,
    NUM_PERM,
    assign_quote_clusters,
    normalised_text,
    same_statement,
    with_signatures,
)
from warehouse.candidates import candidates
from warehouse.load import apply_schema

FULL = (
    "The smoke rings require an area of calm water to ‘puff’ out through, which itself is quite unusual. I’ve looked "
    "at other areas of other oceans but I’ve only seen them in the oceans around Australia, plus one in the South "
    "Atlantic. My thinking is that these linked, fast moving eddies could ‘suck-up’ small marine creatures and carry "
    "them at high speed and for long distances across the ocean.”"
)
FIRST_SENTENCE = "The smoke rings require an area of calm water to ‘puff’ out through, which itself is quite unusual."
PART = "'I've looked at other areas of other oceans but I've only seen them in the oceans around Australia, plus one in the South Atlantic"
EDITED = (
    "\"The smoke rings require an area of calm water to 'puff' out through, which itself is quite unusual. I have "
    "looked at other areas of other oceans but I have only seen them in the oceans around Australia, plus one in the "
    'South Atlantic,"'
)
AP = "the accident is having no impact on subway service during the morning commute"
REWRITE = "the accident had no impact on subway service during the morning commute"
KILLED = "that the driver of the truck was killed by police"
MOWING = "the driver of the truck was mowing bodies over, and that he appeared to accelerate as he hit those bodies"


def test_quote_marks_dashes_case_spacing_and_a_leading_that_do_not_tell_copies_apart():
    assert normalised_text("“We’re  not going — anywhere,”") == normalised_text('"we\'re not going - anywhere"')
    assert normalised_text("“We’re  not going — anywhere,”") == "we re not going anywhere"
    assert normalised_text(REWRITE) == normalised_text(f"that {REWRITE}")


def test_a_shorter_quote_inside_a_longer_one_is_the_same_statement_whoever_is_named():
    assert same_statement(normalised_text(PART), normalised_text(FULL), same_speaker=False) == "contained"


def test_small_edits_are_the_same_statement():
    assert same_statement(normalised_text(AP), normalised_text(REWRITE), False).startswith("edit similarity")
    assert same_statement(normalised_text(EDITED), normalised_text(FULL), False).startswith("edit similarity")


def test_different_statements_stay_apart():
    # One article's two statements about the driver share their first six words.
    assert same_statement(normalised_text(KILLED), normalised_text(MOWING), True) is None
    assert same_statement(normalised_text(FIRST_SENTENCE), normalised_text(PART), True) is None


def test_short_quotes_join_only_the_identical_words_of_the_same_speaker():
    assert same_statement("a springboard for terror", "a springboard for terror", True) == "identical"
    assert same_statement("a springboard for terror", "a springboard for terror", False) is None
    assert same_statement("a springboard for terror", "a springboard for terror and danger", True) is None


def test_signatures_band_long_quotes_and_hash_short_ones_whole():
    quotes = with_signatures(pl.DataFrame({"text": [FULL, PART, EDITED, "“a springboard for terror”", "—"]}))
    full, part, edited, short, empty = quotes["minhash_bands"].to_list()
    assert len(full) == len(part) == NUM_PERM and [band >> 32 for band in full] == list(range(NUM_PERM))
    assert set(full) & set(part) and set(full) & set(edited)
    assert [band >> 32 for band in short] == [EXACT_BAND] and empty == []
    assert (
        with_signatures(pl.DataFrame({"text": ['"a springboard for terror"']}))["minhash_bands"][0].to_list() == short
    )


def at(day: int, hour: int) -> datetime:
    return datetime(2017, 12, day, hour, tzinfo=UTC)


# Four articles in published order: the release's first sentence, the Daily Mail's middle sentence, ndtv's whole
# quote (which contains both) and a syndicated copy of ndtv naming the speaker otherwise.
# Each: article, outlet, published, duplicate_of, speaker, its entity key and kind, quote.
STORY = [
    ("release", "news.liverpool.ac.uk", at(1, 9), None, "Chris Hughes", "chris_hughes", "person", FIRST_SENTENCE),
    ("mail", "dailymail.co.uk", at(1, 12), None, "Hughes", "hughes", "person", PART),
    ("ndtv", "ndtv.com", at(2, 8), None, "Chris Hughes", "chris_hughes", "person", FULL),
    ("copy", "sify.com", at(3, 8), "ndtv", "the researchers", "researchers", "other", FULL),
]


def tables(story: list[tuple]) -> dict[str, pl.DataFrame]:
    """articles, sources and quotes of the story, and the batch frame the cluster stage builds from them."""
    articles, sources, quotes = [], [], []
    for article_id, outlet, published_at, duplicate_of, speaker, key, kind, text in story:
        body = f"{speaker} said: {text} The study was published on Friday."
        shared = {"article_id": article_id, "published_date": published_at.date(), "run_id": "r"}
        articles.append(
            {
                "outlet": outlet,
                "published_at": published_at,
                "body": body,
                "duplicate_of": duplicate_of,
                "content_hash": article_id,
                "source_uri": f"{article_id}.json",
                "ingested_at": published_at,
                **shared,
            }
        )
        source_id = stable_id(article_id, key)
        sources.append(
            {"source_id": source_id, "name": speaker, "kind": kind, "entity_key": key, "mention_count": 1, **shared}
        )
        start, end = body.index(text), body.index(text) + len(text)
        quotes.append(
            {
                "quote_id": stable_id(article_id, start, end),
                "source_id": source_id,
                "speaker": speaker,
                "quote_type": "direct",
                "text": text,
                "char_start": start,
                "char_end": end,
                **shared,
            }
        )
    frames = {
        "articles": conform(articles, ARTICLES),
        "sources": conform(sources, SOURCES),
        "quotes": with_signatures(conform(quotes, QUOTES)),
    }
    frames["batch"] = (
        frames["quotes"]
        .join(frames["articles"].select("article_id", "published_at", "outlet", "duplicate_of"), on="article_id")
        .join(frames["sources"].select("source_id", speaker_entity_key="entity_key"), on="source_id")
    )
    return frames


def load(con: duckdb.DuckDBPyConnection, frames: dict, assignments: pl.DataFrame, merges: list[dict]) -> None:
    quotes = frames["quotes"].drop("quote_cluster_id").join(assignments, on="quote_id").select(QUOTES.schema.names())
    merge_rows = [{**m, "merge_id": m["cluster_id"], "run_id": "r", "merged_at": datetime.now(UTC)} for m in merges]
    for name, frame in (*((n, frames[n]) for n in ("articles", "sources")), ("quotes", quotes)):
        con.register("rows", frame.to_arrow())
        con.execute(f"DELETE FROM {name} WHERE article_id IN (SELECT article_id FROM rows)")
        con.execute(f"INSERT INTO {name} BY NAME SELECT * FROM rows")
        con.unregister("rows")
    con.register("rows", conform(merge_rows, CLUSTER_MERGES).to_arrow())
    con.execute("INSERT INTO cluster_merges BY NAME SELECT * FROM rows")
    con.unregister("rows")


def assign_and_load(con: duckdb.DuckDBPyConnection, story: list[tuple]) -> tuple[pl.DataFrame, list[dict]]:
    frames = tables(story)
    assignments, merges = assign_quote_clusters(
        frames["batch"], candidates(con, "select_quote_candidates", frames["batch"])
    )
    load(con, frames, assignments, merges)
    return assignments, merges


def empty_warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    apply_schema(con)
    return con


@pytest.fixture()
def warehouse() -> duckdb.DuckDBPyConnection:
    return empty_warehouse()


@pytest.fixture()
def story_warehouse(warehouse) -> duckdb.DuckDBPyConnection:
    """The story loaded in two batches: the first two articles, then the other two."""
    assign_and_load(warehouse, STORY[:2])
    assign_and_load(warehouse, STORY[2:])
    return warehouse


def test_two_batches_give_one_batch_s_cluster_and_record_the_merge(warehouse):
    first, merges = assign_and_load(warehouse, STORY[:2])
    assert first["quote_cluster_id"].n_unique() == 2 and merges == []
    candidate_rows = candidates(warehouse, "select_quote_candidates", tables(STORY[2:])["batch"])
    assert set(candidate_rows["article_id"]) == {"release", "mail"}
    # "Hughes" joins the one full key ending in that surname.
    assert set(candidate_rows["speaker_entity_key"]) == {"chris_hughes"}

    second, merges = assign_and_load(warehouse, STORY[2:])
    release_cluster, mail_cluster = first["quote_cluster_id"].to_list()
    assert set(second["quote_cluster_id"]) == {release_cluster}
    assert [(m["cluster_kind"], m["cluster_id"], m["merged_into"]) for m in merges] == [
        ("quote", mail_cluster, release_cluster)
    ]
    assert "contained" in merges[0]["reason"]

    assert release_cluster == stable_id("quote_cluster", first["quote_id"][0])

    one_batch, no_merges = assign_and_load(empty_warehouse(), STORY)
    assert set(one_batch["quote_cluster_id"]) == {release_cluster} and no_merges == []


def test_a_rerun_gives_the_same_clusters_and_merges_nothing(story_warehouse):
    current = "SELECT quote_id, quote_cluster_id FROM quote_cluster_members"
    loaded = dict(story_warehouse.execute(current).fetchall())
    for batch in (STORY[2:], STORY[:2], STORY):
        assignments, merges = assign_and_load(story_warehouse, batch)
        assert merges == []
        assert all(loaded[quote_id] == cluster for quote_id, cluster in assignments.iter_rows())
        assert dict(story_warehouse.execute(current).fetchall()) == loaded


def test_the_view_counts_the_spread_and_the_first_publication(story_warehouse):
    (cluster,) = story_warehouse.sql("SELECT * FROM quote_clusters").pl().to_dicts()
    release_quote = tables(STORY[:1])["quotes"]["quote_id"][0]
    assert cluster | {"canonical_text": None} == {
        "quote_cluster_id": stable_id("quote_cluster", release_quote),
        "canonical_text": None,
        "speaker": "Chris Hughes",
        "speaker_entity_key": "chris_hughes",
        # "the researchers" of the syndicated copy is another entity; "Hughes" is Chris Hughes.
        "speaker_agreement": 0.75,
        "quotes": 4,
        "articles": 4,
        "outlets": 4,
        "syndicated_copies": 1,
        "independent_articles": 3,
        "first_quote_id": release_quote,
        "first_article_id": "release",
        "first_outlet": "news.liverpool.ac.uk",
        "first_published_at": STORY[0][2],
        "last_published_at": STORY[3][2],
    }
    # The wording two members carry.
    assert cluster["canonical_text"] == FULL


def test_quote_spread_lists_the_members_by_time_with_offsets_into_their_bodies(story_warehouse):
    spread = story_warehouse.sql(
        "SELECT s.*, substr(a.body, s.char_start + 1, s.char_end - s.char_start) AS at_offsets "
        "FROM quote_spread('calm water') s JOIN articles a USING (article_id)"
    ).pl()
    assert spread["outlet"].to_list() == [outlet for _, outlet, *_ in STORY]
    assert spread["syndicated"].to_list() == [False, False, False, True]
    assert spread["at_offsets"].to_list() == spread["text"].to_list()
    # A member's words find the whole cluster, not only the members that contain them.
    assert story_warehouse.execute("SELECT count(*) FROM quote_spread('South Atlantic')").fetchone() == (4,)
    assert story_warehouse.execute("SELECT count(*) FROM quote_spread('no such words')").fetchone() == (0,)


# Three news_cluster stories with syndicated copies, rewrites and an attack many outlets quoted.
STORIES = (
    "smoke_rings_spotted_in_the_ocean_from_space",
    "nyc_subway_work_trains_collide_in_tunnel_1_worker_injured",
    "truck_attack_in_nice",
)


@pytest.fixture(scope="module")
def story_quotes(corpus, tmp_path_factory) -> pl.DataFrame:
    from transforms.extract import extract_articles

    folder = tmp_path_factory.mktemp("news_cluster")
    for path in sorted((corpus / "newsplease" / "news_cluster").glob("*.json")):
        if json.loads(path.read_text(encoding="utf-8"))["newsCluster"]["Event"] in STORIES:
            shutil.copy(path, folder)
    return corpus_quotes(folder, extract_articles)


def test_repeated_quotes_of_real_stories_end_in_one_cluster_and_others_stay_apart(story_quotes):
    same, hard_different = reference_pairs(story_quotes)
    assert len(same) >= 30 and len(hard_different) >= 30
    for batches in (1, 3):
        scores = score(story_quotes, cluster_in_batches(story_quotes, batches), same, hard_different)
        assert scores["pair_recall"] >= 0.95 and scores["pair_recall_syndicated"] == 1.0
        assert scores["pair_separation_hard"] >= 0.95
        assert scores["clustered_pairs_across_stories"] == 0


def test_batches_in_published_order_give_the_clusters_of_one_batch(story_quotes):
    one_batch = cluster_in_batches(story_quotes, 1)["clusters"]
    assert partitions_agree(one_batch, cluster_in_batches(story_quotes, 3)["clusters"])
    # The AP copies and the Daily Mail's rewrite of the subway story's statement are one cluster.
    clusters = {one_batch[q] for q, t in story_quotes.select("quote_id", "text").iter_rows() if t in (AP, REWRITE)}
    assert len(clusters) == 1
