"""Event clusters: mentions of one real-world event across articles (events.event_cluster_id).

`assign_event_clusters(batch, candidates)` takes the batch's events (joined with their article's `published_at`,
`outlet`, `duplicate_of` and `body`), in batch order, and the warehouse rows that may join them
(warehouse/sql/candidates/select_event_candidates.sql, with each row's current `event_cluster_id` and its article's
`body` on one row of the article at least), and returns `(assignments[event_id, event_cluster_id], merges)`.

Two mentions report the same event when nothing sets them apart and something ties them together:
- compatible: the same PLOVER type (the types are disjoint actions, so no two are compatible); the same meaning of
  the trigger (the same CAMEO code where both carry one, else the same mode where both carry one; then trigger
  words of one stem, by Jaro-Winkler similarity); the same place or country, or one of them unknown; periods that
  overlap for their granularity (a day inside a month is compatible, two different days are not); undated ones
  published within `PUBLISHED_WINDOW_DAYS` of each other. Negated or future mentions are not kept apart (the
  views flag the disagreement).
- the story decides next. Two articles about one story name the same people, places and organisations, two
  stories of one kind (two earthquakes, two arrests) name different ones: the story similarity is the Jaccard
  similarity of the articles' name words (`name_words`: capitalised words but a sentence's first). Mentions of one
  story (`SAME_STORY` or more, or one article) are one event when their trigger words are of one stem (the
  lemma-within-topic signal, with the story found instead of given; an article's interview and summit stay two);
  mentions of different stories (below `UNRELATED_STORIES`) are never one, whatever word, place or day they share.
- between the two, or when an article names nobody, evidence ties them: two mentions that both name participants
  must share one; else a word shared by the actors' or recipients' entity keys (stop words aside: "trump" ties
  "donald_trump", "a_suspected_mafia_boss" ties "an_alleged_mafia_boss"), the same resolved place or the same
  day. Type and trigger alone never suffice across articles of no known story, so events without participants,
  place or date stay apart instead of collapsing into one cluster per type.

Rows are taken in batch order; a row joins the cluster holding the mention it is tied to (within the batch or in
the warehouse) and founds a new one (`stable_id("event_cluster", event_id)`) when there is none. A row tied to
two clusters merges the younger (its first mention published later, then the larger id) into the older; a merge
of clusters already in the warehouse is returned so cluster_merges records it. Candidate rows of the batch's own
articles are ignored (the batch replaces them) but a rerun finds the same ids, as ids come from founding rows.
Thresholds are set on ECB+ train topics (transforms/evaluate/clusters.py); dev is the held-out figure.
May import: polars, rapidfuzz, spaCy's stop words, transforms.normalise.ids.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from datetime import date, datetime

import polars as pl
from rapidfuzz.distance import JaroWinkler
from spacy.lang.en.stop_words import STOP_WORDS

from transforms.normalise.ids import stable_id

PUBLISHED_WINDOW_DAYS = 7
# Trigger words of one stem ("killed"/"killing", "arrest"/"arrested") and not of two ("killed"/"kidnapped").
SAME_TRIGGER_SIMILARITY = 0.84
# The Jaccard similarity of two articles' name words from which they tell one story, and under which two. On ECB+
# train, 0.2 or more holds 55 % of the article pairs of one story, 7 % of the pairs of two stories of one kind and
# none of the other pairs; under 0.15 fall 26 %, 84 % and all of them.
SAME_STORY = 0.2
UNRELATED_STORIES = 0.15
# A name word: a capitalised word (its trailing punctuation aside) that is not the first of a line or sentence.
NAME = re.compile(r"[A-Z][A-Za-z'-]*[A-Za-z]")
SENTENCE_ENDS = (".", "!", "?", ":")
# Trigger words of one stem share their first letters (the candidate query blocks on the same prefix).
STEM_LETTERS = 4
ASSIGNMENT_SCHEMA = pl.Schema({"event_id": pl.String, "event_cluster_id": pl.String})


@dataclass
class Mention:
    event_id: str
    article_id: str
    event_type: str
    cameo_code: str | None
    mode: str | None
    trigger: str
    participant_words: frozenset[str]
    place_id: int | None
    country: str | None
    period: tuple[date, date] | None  # None: undated or unresolved
    day: date | None  # the period when it is one day
    published: datetime | None
    names: frozenset[str]  # the name words of its article

    @classmethod
    def of(cls, row: dict, names: frozenset[str] = frozenset()) -> Mention:
        start = row.get("event_date")
        period = (start, row.get("event_end_date") or start) if start is not None else None
        return cls(
            event_id=row["event_id"],
            article_id=row["article_id"],
            event_type=row["event_type"],
            cameo_code=row.get("cameo_code"),
            mode=row.get("mode"),
            trigger=(row.get("trigger") or "").lower(),
            participant_words=participant_words(row),
            place_id=row.get("place_geonames_id"),
            country=row.get("place_country_code"),
            period=period,
            day=start if period is not None and period[0] == period[1] else None,
            published=row.get("published_at"),
            names=names,
        )

    def blocking_keys(self) -> set[str]:
        """The keys under which a mention it may be tied to is found: participant words, place, day, article and
        the trigger's first letters (what select_event_candidates.sql blocks on)."""
        keys = {f"word:{w}" for w in self.participant_words}
        if self.place_id is not None:
            keys.add(f"place:{self.place_id}")
        if self.day is not None:
            keys.add(f"day:{self.day}")
        keys.add(f"article:{self.article_id}")
        keys.add(f"stem:{self.trigger[:STEM_LETTERS]}")
        return {f"{self.event_type}|{k}" for k in keys}


@dataclass
class Cluster:
    cluster_id: str
    first_published: datetime | None
    in_warehouse: bool
    members: list[Mention] = field(default_factory=list)

    def age(self) -> tuple:
        """Older clusters sort first: the earliest first mention, undated last, then the id."""
        return (self.first_published is None, self.first_published or datetime.min, self.cluster_id)


def assign_event_clusters(batch: pl.DataFrame, candidates: pl.DataFrame) -> tuple[pl.DataFrame, list[dict]]:
    """(event_id -> event_cluster_id for every batch row, merges of warehouse clusters); see the module docstring."""
    clustering = Clustering()
    batch_articles = set(batch["article_id"].to_list())
    names = article_names(batch, candidates)
    try:
        for row in candidates.filter(~pl.col("article_id").is_in(batch_articles)).iter_rows(named=True):
            mention = Mention.of(row, names.get(row["article_id"], frozenset()))
            clustering.add_existing(mention, row["event_cluster_id"])
        assigned = [
            (row["event_id"], clustering.add(Mention.of(row, names.get(row["article_id"], frozenset()))))
            for row in batch.iter_rows(named=True)
        ]
    finally:
        names_similarity.cache_clear()  # kept for one batch: a nightly run's chunks would otherwise pile pairs up
    rows = [(event_id, clustering.current(cluster_id)) for event_id, cluster_id in assigned]
    return pl.DataFrame(rows, schema=ASSIGNMENT_SCHEMA, orient="row"), clustering.merges


class Clustering:
    def __init__(self) -> None:
        self.clusters: dict[str, Cluster] = {}
        # blocking key -> article -> (mention, cluster id it joined)
        self.index: dict[str, dict[str, list[tuple[Mention, str]]]] = {}
        self.merged_into: dict[str, str] = {}
        self.merges: list[dict] = []

    def add_existing(self, mention: Mention, cluster_id: str) -> None:
        cluster = self.clusters.setdefault(cluster_id, Cluster(cluster_id, mention.published, True))
        self.join(cluster, mention)

    def add(self, mention: Mention) -> str:
        tied = sorted({self.current(c) for c in self.tied_clusters(mention)}, key=lambda c: self.clusters[c].age())
        if not tied:
            cluster = Cluster(stable_id("event_cluster", mention.event_id), mention.published, False)
            self.clusters[cluster.cluster_id] = cluster
        else:
            cluster = self.clusters[tied[0]]
            for younger in tied[1:]:
                self.merge(self.clusters[younger], cluster, mention)
        self.join(cluster, mention)
        return cluster.cluster_id

    def tied_clusters(self, mention: Mention) -> set[str]:
        tied: set[str] = set()
        unrelated: dict[str, bool] = {}  # article -> whether it tells another story (none of its mentions can tie)
        for key in mention.blocking_keys():
            for article_id, article_mentions in self.index.get(key, {}).items():
                if article_id not in unrelated:
                    unrelated[article_id] = unrelated_stories(mention, article_mentions[0][0])
                if unrelated[article_id]:
                    continue
                for other, cluster_id in article_mentions:
                    # One tie to a cluster is enough: its other members need no comparison.
                    if cluster_id not in tied and same_event(mention, other):
                        tied.add(cluster_id)
        return tied

    def join(self, cluster: Cluster, mention: Mention) -> None:
        cluster.members.append(mention)
        if mention.published is not None and (
            cluster.first_published is None or mention.published < cluster.first_published
        ):
            cluster.first_published = mention.published
        for key in mention.blocking_keys():
            self.index.setdefault(key, {}).setdefault(mention.article_id, []).append((mention, cluster.cluster_id))

    def merge(self, younger: Cluster, older: Cluster, mention: Mention) -> None:
        self.merged_into[younger.cluster_id] = older.cluster_id
        for member in younger.members:
            self.join(older, member)
        if younger.in_warehouse:
            self.merges.append(
                {
                    "cluster_kind": "event",
                    "cluster_id": younger.cluster_id,
                    "merged_into": older.cluster_id,
                    "reason": f"event {mention.event_id} reports the events of both clusters",
                }
            )

    def current(self, cluster_id: str) -> str:
        while cluster_id in self.merged_into:
            cluster_id = self.merged_into[cluster_id]
        return cluster_id


def same_event(a: Mention, b: Mention) -> bool:
    """Compatible on every feature and tied by the story or by a shared entity, place or day (see the module
    docstring)."""
    if not compatible(a, b):
        return False
    story = story_of(a, b)
    if story is not None and story >= SAME_STORY:  # one story: the trigger word repeated is the event repeated
        return same_trigger(a, b)
    if unrelated_stories(a, b):  # different stories: a shared name or day is a coincidence
        return False
    if a.participant_words and b.participant_words:  # both name who took part: they must share someone
        return shares_participant(a, b)
    same_place = a.place_id is not None and a.place_id == b.place_id
    same_day = a.day is not None and a.day == b.day
    return shares_participant(a, b) or same_place or same_day


def compatible(a: Mention, b: Mention) -> bool:
    if a.event_type != b.event_type or not same_meaning(a, b):
        return False
    if a.country and b.country and a.country != b.country:  # a city and its country are compatible
        return False
    if a.period and b.period:
        return a.period[0] <= b.period[1] and b.period[0] <= a.period[1]
    if a.published and b.published:
        return abs((a.published - b.published).days) <= PUBLISHED_WINDOW_DAYS
    return True


def same_meaning(a: Mention, b: Mention) -> bool:
    if a.cameo_code and b.cameo_code:
        return a.cameo_code == b.cameo_code
    if a.mode and b.mode and a.mode != b.mode:
        return False
    return same_trigger(a, b)


def same_trigger(a: Mention, b: Mention) -> bool:
    return JaroWinkler.similarity(a.trigger, b.trigger) >= SAME_TRIGGER_SIMILARITY


def article_names(*frames: pl.DataFrame) -> dict[str, frozenset[str]]:
    """article_id -> the name words of its body (`name_words`), each article read once from a row that carries its
    body (candidate rows carry it once per article); an article without one is missing."""
    names: dict[str, frozenset[str]] = {}
    for frame in frames:
        if "body" not in frame.columns:
            continue
        bodies = frame.select("article_id", "body").filter(pl.col("body").is_not_null()).unique("article_id")
        for article_id, body in bodies.iter_rows():
            names.setdefault(article_id, name_words(body))
    return names


def name_words(body: str) -> frozenset[str]:
    """The capitalised words of a text but a line's or a sentence's first (a quotation's first word starts with its
    mark, so it is not one), lower-cased, stop words aside: the people, places and organisations an article names
    ("Lindsay Lohan checked into the Betty Ford Center" -> lohan, betty, ford, center)."""
    words = set()
    for line in body.splitlines():
        tokens = line.split()
        for previous, token in zip(tokens, tokens[1:]):
            name = NAME.match(token)
            if name and not previous.endswith(SENTENCE_ENDS):
                words.add(name.group().lower())
    return frozenset(words - STOP_WORDS)


def story_of(a: Mention, b: Mention) -> float | None:
    return 1.0 if a.article_id == b.article_id else story_similarity(a, b)


def unrelated_stories(a: Mention, b: Mention) -> bool:
    story = story_of(a, b)
    return story is not None and story < UNRELATED_STORIES


def story_similarity(a: Mention, b: Mention) -> float | None:
    """The Jaccard similarity of the two articles' name words; None when one names nothing (no evidence)."""
    if not a.names or not b.names:
        return None
    return names_similarity(a.names, b.names)


@functools.lru_cache(maxsize=1 << 20)
def names_similarity(first: frozenset[str], second: frozenset[str]) -> float:
    """Kept per pair of articles (each article's name words are one frozenset): their mentions meet many times."""
    shared = len(first & second)
    return shared / (len(first) + len(second) - shared)


def shares_participant(a: Mention, b: Mention) -> bool:
    return bool(a.participant_words & b.participant_words)


def participant_words(row: dict) -> frozenset[str]:
    """The words of the actors' and recipients' entity keys but stop words and numbers: "lo_presti" ties
    "gaetano_lo_presti", "a_suspected_mafia_boss" ties "an_alleged_mafia_boss"."""
    keys = (row.get("actor_entity_keys") or []) + (row.get("recipient_entity_keys") or [])
    return frozenset(w for k in keys for w in k.split("_") if w not in STOP_WORDS and not w.isdigit())
