"""Accounting: records read = loaded + duplicates + skipped + quarantined in every run, or the run fails loudly
and says so in `runs`; a document extraction crashes on is quarantined with the reason and the rest load.
"""

from __future__ import annotations

import json
import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import polars as pl
import pytest

from flows import tasks
from tests.conftest import DEMO_INBOX, query
from transforms import extract
from transforms.ingest.records import RawRecord
from transforms.normalise.articles import normalise_records

RUN_DATE = date(2025, 9, 4)


@pytest.fixture
def inbox(tmp_path) -> Path:
    inbox = tmp_path / "inbox"
    shutil.copytree(DEMO_INBOX / "seed", inbox / "seed")
    for path in sorted((DEMO_INBOX / "newsplease").glob("*.json"))[:3]:
        shutil.copy(path, inbox / path.name)
    return inbox


def test_a_document_extraction_crashes_on_is_quarantined_and_the_rest_load(
    prefect_server, inbox, tmp_path, monkeypatch
):
    from flows.nightly import nightly

    attribute = extract.quote_rows.attribute_article

    def trips_on_the_seed(doc):
        if "Zelenskyy" in doc.text:
            raise RecursionError("maximum recursion depth exceeded")
        return attribute(doc)

    monkeypatch.setattr(extract.quote_rows, "attribute_article", trips_on_the_seed)
    home = tmp_path / "home"
    summary = nightly(inbox=inbox, home=home, run_date=RUN_DATE)

    assert summary["accounting"] == {"records_read": 4, "loaded": 3, "duplicates": 0, "skipped": 0, "quarantined": 1}
    ((table, reason, uri, record),) = query(
        home,
        "SELECT table_name, reason, source_uri, record FROM quarantine WHERE table_name IN ('records', 'articles')",
    )
    assert table == "articles" and reason == "extraction failed: RecursionError: maximum recursion depth exceeded"
    assert uri.endswith("trump-putin-zelenskyy.txt") and "Zelenskyy" in record
    assert query(home, "SELECT count(*) FROM articles WHERE body LIKE '%Zelenskyy%'") == [(0,)]
    assert query(home, "SELECT count(DISTINCT article_id) FROM quotes")[0][0] >= 2
    assert query(home, "SELECT status, quarantined FROM runs") == [("completed", 1)]


def test_records_that_do_not_add_up_fail_the_run_and_the_failure_is_in_runs(
    prefect_server, inbox, tmp_path, monkeypatch
):
    from flows.nightly import RunFailed, nightly

    normalise = tasks.normalise.fn

    def loses_an_article(*args, **kwargs):
        articles, *rest = normalise(*args, **kwargs)
        return articles.slice(1), *rest

    monkeypatch.setattr(tasks.normalise, "fn", loses_an_article)
    home = tmp_path / "home"
    with pytest.raises(RunFailed, match="records do not add up"):
        nightly(inbox=inbox, home=home, run_date=RUN_DATE)

    ((status, message),) = query(home, "SELECT status, message FROM runs")
    assert status == "failed" and "AccountingMismatch: records do not add up" in message
    assert query(home, "SELECT count(*) FROM articles") == [(0,)]
    lake_runs = pl.read_parquet(next((home / "lake" / "runs").glob("*/data.parquet")))
    assert lake_runs["status"].to_list() == ["failed"]


def test_a_document_spacy_itself_fails_on_costs_only_that_document(nlp):
    from spacy.language import Language

    records = [
        RawRecord(str(path), json.loads(path.read_text()))
        for path in sorted((DEMO_INBOX / "newsplease").glob("*.json"))[:3]
    ]
    articles, _ = normalise_records(records, "run", datetime(2026, 1, 1, tzinfo=UTC))
    victim = articles["article_id"][1]
    marker = articles["body"][1][:60]

    @Language.component("fails_on_one_document")
    def fails_on_one_document(doc):
        if doc.text.startswith(marker):
            raise ValueError("tokenizer state corrupted")
        return doc

    nlp.add_pipe("fails_on_one_document", first=True)
    try:
        extracted = extract.extract_articles(articles, nlp)
    finally:
        nlp.remove_pipe("fails_on_one_document")
    assert extracted["extraction_failures"].rows() == [
        (victim, "extraction failed: ValueError: tokenizer state corrupted")
    ]
    extracted_from = {a for table in ("sources", "quotes", "events") for a in extracted[table]["article_id"]}
    assert extracted_from and victim not in extracted_from
