"""Shared test setup: offline, quiet, one Prefect test server per session, corpus located beside the repo."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

_PREFECT_HOME = tempfile.mkdtemp(prefix="wirehouse-prefect-")
os.environ["PREFECT_HOME"] = _PREFECT_HOME
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"
DEMO_INBOX = REPO / "demo" / "inbox"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXCERPTS = FIXTURES / "excerpts"
SEED_ARTICLE = DEMO_INBOX / "seed" / "trump-putin-zelenskyy.txt"
# For a module whose every test reads the corpus: `pytestmark = NEEDS_CORPUS`.
NEEDS_CORPUS = [
    pytest.mark.corpus,
    pytest.mark.skipif(not CORPUS.is_dir(), reason=f"shared corpus not found at {CORPUS}"),
]


def excerpt(relative: str) -> str:
    """The paragraphs of ../shared/corpus/<relative> the tests use, kept in tests/fixtures/excerpts."""
    return (EXCERPTS / relative).read_text(encoding="utf-8").removesuffix("\n")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A test that asks for the corpus carries the `corpus` marker (`pytest -m "not corpus"` runs the rest)."""
    for item in items:
        if "corpus" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.corpus)


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"shared corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def nlp():
    from transforms.nlp.loading import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def prefect_server():
    """One temporary Prefect server for every flow test in the session."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def demo_home(prefect_server, tmp_path_factory) -> Path:
    """A home the nightly flow loaded from the whole demo inbox, shared (read-only) by the tests that query it."""
    from datetime import date

    from flows.nightly import nightly

    home = tmp_path_factory.mktemp("demo") / "home"
    nightly(inbox=DEMO_INBOX, home=home, run_date=date(2025, 9, 4))
    return home


def query(home: Path, sql: str) -> list[tuple]:
    """The rows a read-only query of HOME's warehouse gives."""
    import duckdb

    from warehouse.load import warehouse_path

    con = duckdb.connect(str(warehouse_path(home)), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()
