"""Cross-article clusters for quotes and events loaded without one: rows a wirehouse older than the clusters wrote
to the lake (their `quote_cluster_id`, `event_cluster_id` and `minhash_bands` are null once rebuilt).

`wirehouse rebuild` calls `cluster_unclustered` after the lake is read back: the rows are clustered the way a run
clusters its batch (the candidate queries of sql/candidates/, the decisions of transforms/stories/), articles taken
in publication order, `ARTICLES_PER_BATCH` at a time, each batch against what is clustered before it. The ids stay
deterministic (a cluster's id comes from its founding row), so every rebuild of the same lake gives the same ones;
the lake keeps its rows as they were written.
May import transforms.schema, transforms.stories, transforms.normalise.ids and warehouse/.
"""

from __future__ import annotations

from datetime import UTC, datetime

import duckdb
import polars as pl

from transforms.normalise.ids import stable_id
from transforms.schema import CLUSTER_MERGES
from transforms.stories.event_clusters import assign_event_clusters
from transforms.stories.quote_clusters import assign_quote_clusters, with_signatures
from warehouse.candidates import candidates

ARTICLES_PER_BATCH = 500
REBUILD_RUN_ID = "rebuild"


def cluster_unclustered(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Give every quote and event without a cluster id its cluster; returns how many rows of each got one."""
    clustered = {"quotes": 0, "events": 0}
    merges: list[dict] = []
    for table, column, cluster in (
        ("quotes", "quote_cluster_id", _cluster_quotes),
        ("events", "event_cluster_id", _cluster_events),
    ):
        for article_ids in _unclustered_articles(con, table, column):
            batch_merges, count = cluster(con, article_ids)
            merges += batch_merges
            clustered[table] += count
    if merges:
        at = datetime.now(UTC)
        rows = [
            {**m, "merge_id": stable_id(REBUILD_RUN_ID, m["cluster_kind"], m["cluster_id"]), "run_id": REBUILD_RUN_ID}
            for m in merges
        ]
        frame = pl.DataFrame([{**r, "merged_at": at} for r in rows]).select(CLUSTER_MERGES.schema.names())
        con.register("rebuild_merges", frame.cast(dict(CLUSTER_MERGES.schema)).to_arrow())
        con.execute("INSERT INTO cluster_merges BY NAME SELECT * FROM rebuild_merges")
        con.unregister("rebuild_merges")
    return clustered


def _unclustered_articles(con: duckdb.DuckDBPyConnection, table: str, column: str) -> list[list[str]]:
    """The articles holding rows of `table` without a cluster, oldest first, in batches."""
    ids = [
        row[0]
        for row in con.execute(
            f"SELECT a.article_id FROM articles a WHERE a.article_id IN "
            f"(SELECT article_id FROM {table} WHERE {column} IS NULL) "
            "ORDER BY a.published_at NULLS LAST, a.article_id"
        ).fetchall()
    ]
    return [ids[i : i + ARTICLES_PER_BATCH] for i in range(0, len(ids), ARTICLES_PER_BATCH)]


def _cluster_quotes(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> tuple[list[dict], int]:
    batch = with_signatures(
        con.sql(
            "SELECT q.* EXCLUDE (minhash_bands), a.published_at, a.outlet, a.duplicate_of, "
            "s.entity_key AS speaker_entity_key "
            "FROM quotes q JOIN articles a USING (article_id) LEFT JOIN sources s USING (source_id) "
            "WHERE q.article_id IN (SELECT unnest(?::VARCHAR[]))",
            params=[article_ids],
        ).pl()
    )
    found = candidates(con, "select_quote_candidates", batch).filter(pl.col("quote_cluster_id").is_not_null())
    assignments, merges = assign_quote_clusters(batch, found)
    assigned = assignments.join(batch.select("quote_id", "minhash_bands"), on="quote_id")
    con.register("rebuild_assignments", assigned.to_arrow())
    con.execute(
        "UPDATE quotes SET quote_cluster_id = r.quote_cluster_id, minhash_bands = r.minhash_bands "
        "FROM rebuild_assignments r WHERE quotes.quote_id = r.quote_id"
    )
    con.unregister("rebuild_assignments")
    return merges, assigned.height


def _cluster_events(con: duckdb.DuckDBPyConnection, article_ids: list[str]) -> tuple[list[dict], int]:
    batch = con.sql(
        "SELECT e.*, a.published_at, a.outlet, a.duplicate_of, a.body "
        "FROM events e JOIN articles a USING (article_id) "
        "WHERE e.article_id IN (SELECT unnest(?::VARCHAR[])) "
        "ORDER BY a.published_at NULLS LAST, e.article_id, e.trigger_char_start",
        params=[article_ids],
    ).pl()
    found = candidates(con, "select_event_candidates", batch).filter(pl.col("event_cluster_id").is_not_null())
    assignments, merges = assign_event_clusters(batch, found)
    con.register("rebuild_assignments", assignments.to_arrow())
    con.execute(
        "UPDATE events SET event_cluster_id = r.event_cluster_id "
        "FROM rebuild_assignments r WHERE events.event_id = r.event_id"
    )
    con.unregister("rebuild_assignments")
    return merges, assignments.height
