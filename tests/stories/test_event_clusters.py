"""Event clusters across articles: assignment (transforms/stories/event_clusters.py), the scores of the ECB+
evaluation (transforms/evaluate/clusters.py) and the event_clusters / story / top_stories SQL."""

from __future__ import annotations

from datetime import UTC, date, datetime

import duckdb
import polars as pl
import pytest

from transforms.entities.keys import same_entity
from transforms.evaluate.clusters import b_cubed, ceaf_e, coreference_scores, muc
from transforms.normalise.ids import stable_id
from transforms.schema import ARTICLES, EVENTS, conform
from transforms.stories.event_clusters import assign_event_clusters, name_words
from warehouse.candidates import candidates
from warehouse.load import apply_schema

DAY = datetime(2025, 9, 3, 12, tzinfo=UTC)
TRAIN_DOCUMENTS = 300


def event(event_id: str, article_id: str, **fields) -> dict:
    row = {
        "event_id": event_id,
        "article_id": article_id,
        "event_type": "CONSULT",
        "trigger": "talks",
        "published_at": DAY,
        "outlet": f"{article_id}.example",
    }
    return row | fields


def batch_of(rows: list[dict]) -> pl.DataFrame:
    extra = {
        "published_at": pl.Datetime("us", "UTC"),
        "outlet": pl.String,
        "duplicate_of": pl.String,
        "body": pl.String,
    }
    events = conform(pl.DataFrame([{k: v for k, v in r.items() if k in EVENTS.schema} for r in rows]), EVENTS)
    return events.with_columns(
        pl.Series(name, [r.get(name) for r in rows], dtype=dtype) for name, dtype in extra.items()
    )


def no_candidates(batch: pl.DataFrame) -> pl.DataFrame:
    return batch.head(0)


def clusters(assignments: pl.DataFrame) -> dict[str, str]:
    return dict(assignments.iter_rows())


# --- assignment ---------------------------------------------------------------------------------------------------


def test_shared_participants_join_across_articles_and_bare_events_stay_apart():
    batch = batch_of(
        [
            event("e1", "a1", actor_entity_keys=["donald_trump"], recipient_entity_keys=["volodymyr_zelenskyy"]),
            event("e2", "a2", actor_entity_keys=["trump"], trigger="talked"),  # surname: a word of the full key
            event("e3", "a3", actor_entity_keys=["emmanuel_macron"]),
            event("e4", "a4"),  # no participant, place or date: nothing ties it
            event("e5", "a5"),
        ]
    )
    assignments, merges = assign_event_clusters(batch, no_candidates(batch))
    found = clusters(assignments)
    assert found["e1"] == found["e2"] == stable_id("event_cluster", "e1")
    assert len({found["e1"], found["e3"], found["e4"], found["e5"]}) == 4
    assert merges == []


@pytest.mark.parametrize(
    ("other", "same"),
    [
        ({"event_type": "ACCUSE"}, False),  # another type
        ({"trigger": "kidnapped", "event_type": "CONSULT"}, False),  # another trigger meaning
        ({"event_date": date(2025, 9, 4), "date_granularity": "day"}, False),  # another day
        ({"event_date": date(2025, 9, 1), "event_end_date": date(2025, 9, 30), "date_granularity": "month"}, True),
        ({"place_geonames_id": 2988507, "place_country_code": "FR"}, False),  # another country
        ({"negated": True}, True),  # disagreement is flagged, not split
        ({"published_at": datetime(2025, 10, 1, tzinfo=UTC)}, False),  # undated, published weeks apart
    ],
)
def test_compatibility_of_type_meaning_dates_and_place(other, same):
    first = event(
        "e1",
        "a1",
        actor_entity_keys=["donald_trump"],
        event_date=date(2025, 9, 3),
        date_granularity="day",
        place_geonames_id=5879092,
        place_country_code="US",
    )
    if "published_at" in other:  # the window applies to undated mentions
        first = {k: v for k, v in first.items() if k not in ("event_date", "date_granularity")}
    second = event("e2", "a2", actor_entity_keys=["donald_trump"]) | other
    batch = batch_of([first, second])
    found = clusters(assign_event_clusters(batch, no_candidates(batch))[0])
    assert (found["e1"] == found["e2"]) is same


def test_candidates_give_their_cluster_a_rerun_gives_the_same_ids_and_a_bridge_merges_younger_into_older():
    older = event("w1", "old1", actor_entity_keys=["vladimir_putin"], published_at=datetime(2025, 9, 1, tzinfo=UTC))
    younger = event("w2", "old2", actor_entity_keys=["donald_trump"], published_at=datetime(2025, 9, 2, tzinfo=UTC))
    candidates = batch_of([older, younger]).with_columns(event_cluster_id=pl.Series(["cluster-old", "cluster-young"]))
    bridge = event("e1", "a1", actor_entity_keys=["donald_trump"], recipient_entity_keys=["vladimir_putin"])
    batch = batch_of([bridge])
    assignments, merges = assign_event_clusters(batch, candidates)
    assert clusters(assignments) == {"e1": "cluster-old"}
    assert merges == [
        {
            "cluster_kind": "event",
            "cluster_id": "cluster-young",
            "merged_into": "cluster-old",
            "reason": "event e1 reports the events of both clusters",
        }
    ]
    # The batch's own article among the candidates (a rerun) is ignored; the ids come out the same.
    rerun = pl.concat([candidates, batch.with_columns(event_cluster_id=pl.lit("cluster-old"))], how="vertical")
    assert clusters(assign_event_clusters(batch, rerun)[0]) == {"e1": "cluster-old"}


def test_same_entity_joins_a_surname_to_its_full_key_only():
    assert same_entity("trump", "donald_trump") and same_entity("donald_trump", "donald_trump")
    assert not same_entity("donald_trump", "melania_trump") and not same_entity("trump", "trumpet")


# Two ECB+ stories of one kind (train topic 1: two actresses enter rehab): the openings of three articles.
LOHAN = (  # 1_11ecbplus
    "Lindsay Lohan checks into rehab at Betty Ford Center, rehires longtime lawyer Shawn Holley\n"
    "Actress Lindsay Lohan finally checked into court-mandated rehab at the Betty Ford Center late Thursday, after "
    "hiring former lawyer Shawn Holley for help."
)
LOHAN_AGAIN = (  # 1_10ecbplus
    "Lindsay Lohan checks into Betty Ford Center\nMay 03, 2013\nAfter skipping out on entering a Newport Beach "
    "rehabilitation facility and facing the prospect of arrest for violating her probation, Lindsay Lohan has "
    "checked into the Betty Ford Center to begin a 90-day stint."
)
REID = (  # 1_10ecb
    "Perennial party girl Tara Reid checked herself into Promises Treatment Center, her rep told People.\n"
    "\u201cWe appreciate your respect to her and her family's privacy at this time,\u201d the 33-year-old actress's rep "
    "Jack Ketsoyan told the magazine exclusively."
)
# The seed article (demo/inbox/seed): one CONSULT type, two events.
SEED = (
    "\u201cI\u2019ve been talking about it with President Putin and President Zelenskyy,\u201d Trump said in a phone "
    "interview with CBS News on Wednesday.\nTrump on Wednesday said he plans to hold talks about the war in Ukraine "
    "in coming days after his Alaska summit with Putin in August failed to achieve a breakthrough."
)


def test_name_words_are_the_capitalised_words_that_do_not_open_a_line_or_sentence():
    assert name_words(LOHAN) == {"lindsay", "lohan", "betty", "ford", "center", "shawn", "holley", "thursday"}
    assert name_words(REID) == {"tara", "reid", "promises", "treatment", "center", "people", "jack", "ketsoyan"}


def test_one_story_ties_its_repeated_trigger_and_a_shared_word_does_not_tie_two_stories():
    # Nothing but the story ties e1 and e2 (no shared place or day); e1 and e3 share the participant word
    # "actress", which tied them before the articles' names told the two stories apart.
    rehab = {"event_type": "AID"}
    batch = batch_of(
        [
            event("e1", "lohan1", body=LOHAN, trigger="checked", actor_entity_keys=["actress_lindsay_lohan"], **rehab),
            event("e2", "lohan2", body=LOHAN_AGAIN, trigger="checked", actor_entity_keys=["lindsay_lohan"], **rehab),
            event("e3", "reid", body=REID, trigger="checked", actor_entity_keys=["actress_tara_reid"], **rehab),
            event("e4", "lohan2", body=LOHAN_AGAIN, trigger="entering", **rehab),  # another trigger word
        ]
    )
    found = clusters(assign_event_clusters(batch, no_candidates(batch))[0])
    assert found["e1"] == found["e2"] and len({found["e1"], found["e3"], found["e4"]}) == 3


def test_one_article_reports_two_events_of_one_type_under_two_trigger_words():
    # The seed's defect: the CBS interview and the Alaska summit share "trump" and the article, not the event.
    batch = batch_of(
        [
            event(
                "e1",
                "seed",
                body=SEED,
                trigger="interview",
                actor_entity_keys=["trump"],
                recipient_entity_keys=["cbs_news"],
            ),
            event(
                "e2", "seed", body=SEED, trigger="summit", actor_entity_keys=["trump"], recipient_entity_keys=["putin"]
            ),
        ]
    )
    found = clusters(assign_event_clusters(batch, no_candidates(batch))[0])
    assert found["e1"] != found["e2"]


def test_the_candidate_query_finds_a_same_stem_event_of_the_story_with_its_body(warehouse):
    # e1 (a1: "Trump met Putin in Alaska.") shares no participant, place or day with the batch row: the stem does.
    batch = batch_of([event("b1", "new", trigger="met", body="Putin met Trump again.")])
    found = candidates(warehouse, "select_event_candidates", batch)
    assert found.filter(pl.col("event_id") == "e1")["body"].to_list() == ["Trump met Putin in Alaska."]


# --- scores against hand-computed examples -------------------------------------------------------------------------

# Key {a b c} {d e}; response {a b} {c d e}.
KEY = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
RESPONSE = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}


def test_muc_counts_links():
    # Recall: key {a b c} needs 2 links, the response splits it in 2 parts: 1; {d e}: 1 of 1 -> 2/3.
    # Precision: {a b}: 1 of 1; {c d e}: 3 - 2 parts = 1 of 2 -> 2/3.
    scores = muc(KEY, RESPONSE)
    assert scores["recall"] == pytest.approx(2 / 3) and scores["precision"] == pytest.approx(2 / 3)


def test_b_cubed_averages_over_mentions():
    # Recall: a, b 2/3 each, c 1/3, d, e 1 each -> (2/3 + 2/3 + 1/3 + 1 + 1) / 5 = 11/15.
    # Precision: a, b 1 each, c 1/3, d, e 2/3 each -> (1 + 1 + 1/3 + 2/3 + 2/3) / 5 = 11/15.
    scores = b_cubed(KEY, RESPONSE)
    assert scores["recall"] == pytest.approx(11 / 15) and scores["precision"] == pytest.approx(11 / 15)


def test_ceaf_e_aligns_clusters_one_to_one():
    # phi4({a b c}, {a b}) = 4/5, phi4({d e}, {c d e}) = 4/5; the best alignment sums 8/5 over 2 and 2 clusters.
    scores = ceaf_e(KEY, RESPONSE)
    assert scores["recall"] == pytest.approx(0.8) and scores["precision"] == pytest.approx(0.8)


def test_conll_is_the_mean_of_the_three_f1s_and_a_perfect_response_scores_one():
    scores = coreference_scores(KEY, RESPONSE)
    assert scores["conll_f1"] == pytest.approx((2 / 3 + 11 / 15 + 0.8) / 3)
    perfect = coreference_scores(KEY, {m: f"r{c}" for m, c in KEY.items()})
    assert perfect["conll_f1"] == pytest.approx(1.0)
    # All singletons: no link to find, so MUC is 0 while B-cubed is perfect.
    singletons = {m: m for m in KEY}
    assert muc(singletons, singletons)["f1"] == 0 and b_cubed(singletons, singletons)["f1"] == pytest.approx(1.0)


# --- real ECB+ documents -------------------------------------------------------------------------------------------


def test_ecbplus_documents_are_matched_and_scored_beside_the_baseline(corpus):
    from transforms.evaluate.clusters import evaluate_clusters, format_report

    result = evaluate_clusters(corpus / "ecbplus" / "dev", candidates, limit=12)
    assert result["documents"] == 12
    assert 0 < result["matched_mentions"] <= result["gold_mentions"]
    for side in ("clusters", "baseline"):
        assert 0 < result[side]["conll_f1"] <= 1
    assert "lemma within topic" in format_report(result)


def test_clusters_beat_the_lemma_within_topic_baseline_on_train_topics(corpus):
    # The first TRAIN_DOCUMENTS documents of train/ (topics 1 to 19), streamed without their topics, against the
    # lemma baseline that is handed them (the held-out figure is dev's: not tuned on, reported in the README).
    from transforms.evaluate.clusters import evaluate_clusters

    result = evaluate_clusters(corpus / "ecbplus" / "train", candidates, limit=TRAIN_DOCUMENTS)
    assert result["matched_mentions"] > 250
    assert result["clusters"]["conll_f1"] > result["baseline"]["conll_f1"]


# --- SQL: event_clusters, story, top_stories ------------------------------------------------------------------------


@pytest.fixture
def warehouse() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    apply_schema(con)
    articles = [
        {"article_id": "a1", "outlet": "one.example", "published_at": DAY, "body": "Trump met Putin in Alaska."},
        {"article_id": "a2", "outlet": "two.example", "published_at": DAY, "body": "Putin and Trump held talks."},
        {
            "article_id": "a3",
            "outlet": "two.example",
            "published_at": datetime(2025, 9, 1, tzinfo=UTC),
            "body": "Macron spoke.",
        },
    ]
    bookkeeping = {"source_uri": "test", "run_id": "r1", "ingested_at": DAY}
    articles = [a | bookkeeping | {"content_hash": a["article_id"]} for a in articles]
    frame = conform(articles, ARTICLES).with_columns(pl.col("published_at").dt.date().alias("published_date"))
    con.register("new_articles", frame.to_arrow())
    con.execute("INSERT INTO articles BY NAME SELECT * FROM new_articles")
    events = [
        {
            "event_id": "e1",
            "article_id": "a1",
            "event_type": "CONSULT",
            "trigger": "met",
            "trigger_char_start": 6,
            "trigger_char_end": 9,
            "actor": "Trump",
            "actor_entity_keys": ["donald_trump"],
            "recipient": "Putin",
            "recipient_entity_keys": ["vladimir_putin"],
            "location": "Alaska",
            "place_geonames_id": 5879092,
            "place_country_code": "US",
            "event_date": date(2025, 8, 1),
            "event_end_date": date(2025, 8, 31),
            "date_granularity": "month",
            "negated": False,
            "future": False,
            "event_cluster_id": "c1",
            "published_date": DAY.date(),
        },
        {
            "event_id": "e2",
            "article_id": "a2",
            "event_type": "CONSULT",
            "trigger": "talks",
            "trigger_char_start": 22,
            "trigger_char_end": 27,
            "actor": "Putin; Trump",
            "actor_entity_keys": ["vladimir_putin", "donald_trump"],
            "event_date": date(2025, 8, 15),
            "event_end_date": date(2025, 8, 15),
            "date_granularity": "day",
            "negated": True,
            "future": False,
            "event_cluster_id": "c2",
            "published_date": DAY.date(),
        },
        {
            "event_id": "e3",
            "article_id": "a3",
            "event_type": "CONSULT",
            "trigger": "spoke",
            "trigger_char_start": 7,
            "trigger_char_end": 12,
            "actor": "Macron",
            "actor_entity_keys": ["emmanuel_macron"],
            "negated": False,
            "future": False,
            "event_cluster_id": "c3",
            "published_date": date(2025, 9, 1),
        },
    ]
    events = [e | {"event_key": e["event_id"], "run_id": "r1"} for e in events]
    con.register("new_events", conform(events, EVENTS).to_arrow())
    con.execute("INSERT INTO events BY NAME SELECT * FROM new_events")
    con.execute(
        "INSERT INTO cluster_merges (merge_id, run_id, cluster_kind, cluster_id, merged_into, reason, merged_at) "
        "VALUES ('m1', 'r1', 'event', 'c2', 'c1', 'test', now())"
    )
    return con


def rows(con: duckdb.DuckDBPyConnection, query: str) -> list[dict]:
    cursor = con.execute(query)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, r)) for r in cursor.fetchall()]


def test_event_clusters_follow_merges_and_flag_disagreement(warehouse):
    found = {r["event_cluster_id"]: r for r in rows(warehouse, "SELECT * FROM event_clusters")}
    assert set(found) == {"c1", "c3"}
    merged = found["c1"]
    assert (merged["mentions"], merged["articles"], merged["outlets"]) == (2, 2, 2)
    assert merged["actors"] == ["Putin", "Trump"] and merged["actor_entity_keys"] == ["donald_trump", "vladimir_putin"]
    assert (merged["event_date"], merged["date_granularity"]) == (date(2025, 8, 15), "day")  # the most precise
    assert (merged["location"], merged["place_country_code"]) == ("Alaska", "US")
    assert merged["disagree_negated"] and not merged["disagree_future"] and not merged["disagree_dates"]
    assert merged["first_article_id"] in ("a1", "a2")


def test_story_lists_the_mentions_of_clusters_naming_both(warehouse):
    story = rows(warehouse, "SELECT * FROM story('Trump', 'Putin')")
    assert [(r["event_cluster_id"], r["event_id"]) for r in story] == [("c1", "e1"), ("c1", "e2")]
    first = story[0]
    assert (first["trigger_char_start"], first["trigger_char_end"], first["trigger"]) == (6, 9, "met")
    assert rows(warehouse, "SELECT * FROM story('Trump', 'Macron')") == []


def test_top_stories_ranks_the_latest_day(warehouse):
    top = rows(warehouse, "SELECT * FROM top_stories")
    assert [(r["event_cluster_id"], r["rank"], r["day_articles"]) for r in top] == [("c1", 1, 2)]
    assert top[0]["published_date"] == DAY.date()
