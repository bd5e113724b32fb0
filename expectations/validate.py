"""Validate a batch of tables with the Great Expectations suites kept as JSON beside this file.

Checks GX cannot express on one frame (foreign keys, `body[start:end] == text`, date windows that move with the
run) are computed here as boolean `_` columns that the suites then expect to be true. Rows failing any expectation
go to quarantine with the reasons; the rest load. Articles are validated first: children of a quarantined
article fail their foreign-key check and are quarantined with it.

May import transforms.schema and transforms.normalise.ids; nothing of flows/ or warehouse/.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import polars as pl

from transforms.normalise.ids import stable_id
from transforms.schema import ARTICLE_TABLES, ARTICLES, OFFSET_SPANS, QUARANTINE, Table, conform

SUITES_DIR = Path(__file__).parent
EARLIEST_PUBLISHED = datetime(1900, 1, 1, tzinfo=UTC)
EARLIEST_EVENT = date(1800, 1, 1)


@dataclass
class ExpectationResult:
    table: str
    expectation: str
    column: str | None
    success: bool
    unexpected_count: int


@dataclass
class ValidationOutcome:
    valid: dict[str, pl.DataFrame]
    quarantine: pl.DataFrame
    results: list[ExpectationResult] = field(default_factory=list)


@functools.cache
def _context():
    """One ephemeral GX context (no gx/ tree on disk) for every suite, so one data docs site shows a batch."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
    import great_expectations as gx

    # GX announces every ephemeral context at INFO on loggers of its own; the run report says what matters.
    for name in ("great_expectations", "great_expectations.data_context.types.base"):
        logging.getLogger(name).setLevel(logging.WARNING)

    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = {"globally": False}
    return context


# Suites are set up once, by whichever thread gets there first (`prepare` may run on a background thread while
# the flow reaches validation): a second thread waits instead of adding the same definitions again.
_SETUP_LOCK = threading.Lock()


def _validator(table_name: str):
    """A GX validation definition for one suite, in the shared ephemeral context."""
    with _SETUP_LOCK:
        return _validation_definition(table_name)


@functools.cache
def _validation_definition(table_name: str):
    import great_expectations as gx

    context = _context()
    asset = context.data_sources.add_pandas(f"{table_name}_frames").add_dataframe_asset(table_name)
    batch = asset.add_batch_definition_whole_dataframe(f"{table_name}_batch")
    suite = context.suites.add(gx.ExpectationSuite(**json.loads((SUITES_DIR / f"{table_name}.json").read_text())))
    return context.validation_definitions.add(
        gx.ValidationDefinition(name=f"{table_name}_validation", data=batch, suite=suite)
    )


def prepare() -> None:
    """Import GX and set up every suite's validation now: seconds, once per process. The CLI starts it on a
    background thread while Prefect's temporary server boots, so the first validation does not pay for it."""
    for suite in sorted(SUITES_DIR.glob("*.json")):
        _validator(suite.stem)


def _forget_results() -> None:
    """Drop the validation results GX kept in memory: data docs show the last batch only, and a long-lived
    process (`wirehouse serve`) does not accumulate every batch's complete results."""
    if _context.cache_info().currsize == 0:
        return
    store = _context().validation_results_store
    for key in list(store.list_keys()):
        store.remove_key(key)


def build_data_docs(site_dir: Path) -> Path | None:
    """GX data docs for the last validated batch, written to `site_dir` (replaced whole); its index.html.

    Built beside `site_dir` and swapped in, so a reader never sees a half-built site. None when nothing was
    validated in this process yet.
    """
    import shutil
    import uuid

    if _context.cache_info().currsize == 0:
        return None
    context = _context()
    site_dir = Path(site_dir).resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = site_dir.parent / f".{site_dir.name}-{uuid.uuid4().hex[:8]}"
    site_name = f"wirehouse_{uuid.uuid4().hex[:8]}"
    context.add_data_docs_site(
        site_name,
        {
            "class_name": "SiteBuilder",
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(staging)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    try:
        context.build_data_docs(site_names=[site_name])
    finally:
        context.delete_data_docs_site(site_name)
    retired = site_dir.parent / f".{site_dir.name}-old-{uuid.uuid4().hex[:8]}"
    if site_dir.exists():
        site_dir.rename(retired)
    staging.rename(site_dir)
    shutil.rmtree(retired, ignore_errors=True)
    return site_dir / "index.html"


def suite_expectations(table_name: str) -> list[dict]:
    return json.loads((SUITES_DIR / f"{table_name}.json").read_text())["expectations"]


def _with_checks(
    table: Table, frame: pl.DataFrame, valid: dict[str, pl.DataFrame], run_started: datetime
) -> pl.DataFrame:
    """The frame plus its `_` check columns, computed against the rows already validated (parents first)."""
    if table is ARTICLES:
        latest = run_started + timedelta(days=1)
        return frame.with_columns(
            _published_in_range=pl.col("published_at").is_null()
            | pl.col("published_at").is_between(pl.lit(EARLIEST_PUBLISHED), pl.lit(latest))
        )
    bodies = valid["articles"].select(
        "article_id", pl.col("body").alias("_body"), pl.col("published_date").alias("_pub")
    )
    joined = frame.join(bodies, on="article_id", how="left", maintain_order="left")
    checks = {"_article_exists": pl.col("_body").is_not_null()}
    if table.name == "sources":
        checks["_offsets_ok"] = (
            (pl.col("char_start") >= 0)
            & (pl.col("char_start") < pl.col("char_end"))
            & (pl.col("char_end") <= pl.col("_body").str.len_chars())
        )
    else:
        checks["_offsets_ok"] = pl.all_horizontal(_span_matches(*span) for span in OFFSET_SPANS[table.name])
    if table.name in ("quotes", "mentions"):
        checks["_source_exists"] = pl.col("source_id").is_null() | pl.col("source_id").is_in(
            valid["sources"]["source_id"].implode()
        )
    if table.name == "events":
        checks["_event_date_in_range"] = pl.col("event_date").is_null() | pl.col("event_date").is_between(
            pl.lit(EARLIEST_EVENT), pl.col("_pub").fill_null(pl.lit(date.today())).dt.offset_by("10y")
        )
    return joined.with_columns(**{k: v.fill_null(False) for k, v in checks.items()}).drop("_body", "_pub")


def _span_matches(start: str, end: str, text: str) -> pl.Expr:
    """Null spans are allowed (no speaker found); present ones must point at exactly their text."""
    inside = (pl.col(start) >= 0) & (pl.col(end) > pl.col(start)) & (pl.col(end) <= pl.col("_body").str.len_chars())
    sliced = pl.col("_body").str.slice(pl.col(start), pl.col(end) - pl.col(start))
    return pl.col(start).is_null() | (inside & (sliced == pl.col(text))).fill_null(False)


def _failed_rows(
    table_name: str, frame: pl.DataFrame, run_name: str | None = None
) -> tuple[dict[int, list[str]], list[ExpectationResult]]:
    """Row index -> reasons of every row-level expectation it fails, and the per-expectation results."""
    reasons_by_row: dict[int, list[str]] = {}
    results = []
    if frame.is_empty():
        return reasons_by_row, results
    # GX checks scalar columns; list columns are dropped from its copy (none of the suites look at them).
    scalar = frame.select([c for c, t in frame.schema.items() if not isinstance(t, pl.List)])
    from great_expectations.core.run_identifier import RunIdentifier

    outcome = _validator(table_name).run(
        batch_parameters={"dataframe": scalar.to_pandas()},
        result_format="COMPLETE",
        run_id=RunIdentifier(run_name=run_name, run_time=datetime.now(UTC)) if run_name else None,
    )
    for result in outcome.results:
        config = result.expectation_config
        rows = list(result.result.get("unexpected_index_list") or [])
        if config.type == "expect_column_values_to_be_unique":
            rows = _repeats_after_first(frame, config.kwargs["column"], rows)
        reason = (config.meta or {}).get("reason", config.type)
        for row in rows:
            reasons_by_row.setdefault(row, []).append(f"{config.type}({config.kwargs.get('column')}): {reason}")
        results.append(
            ExpectationResult(table_name, config.type, config.kwargs.get("column"), result.success, len(rows))
        )
    return reasons_by_row, results


def _repeats_after_first(frame: pl.DataFrame, column: str, rows: list[int]) -> list[int]:
    """GX flags every copy of a repeated key; the first copy is fine and loads."""
    seen, repeats = set(), []
    for row in sorted(rows):
        key = frame[column][row]
        (repeats.append(row) if key in seen else seen.add(key))
    return repeats


def validate_batch(tables: dict[str, pl.DataFrame], run_id: str, run_started: datetime) -> ValidationOutcome:
    """Validated frames (same schemas as given) and the quarantined rows with their reasons."""
    _forget_results()
    valid: dict[str, pl.DataFrame] = {}
    quarantined: list[dict] = []
    results: list[ExpectationResult] = []
    articles = tables["articles"]
    uri_by_article = dict(zip(articles["article_id"], articles["source_uri"]))
    for table in ARTICLE_TABLES:
        frame = tables[table.name]
        checked = _with_checks(table, frame, valid, run_started)
        reasons_by_row, table_results = _failed_rows(table.name, checked, run_id)
        results.extend(table_results)
        bad = sorted(reasons_by_row)
        for row_index in bad:
            row = frame.row(row_index, named=True)
            quarantined.append(
                {
                    "quarantine_id": stable_id(run_id, table.name, row[table.key], row_index),
                    "run_id": run_id,
                    "table_name": table.name,
                    "record": json.dumps(row, default=str, ensure_ascii=False),
                    "reason": "; ".join(reasons_by_row[row_index]),
                    "source_uri": row.get("source_uri") or uri_by_article.get(row.get("article_id")),
                    "quarantined_at": run_started,
                }
            )
        keep = pl.Series(range(frame.height)).is_in(bad).not_()
        valid[table.name] = frame.filter(keep)
    return ValidationOutcome(valid, conform(quarantined, QUARANTINE), results)
