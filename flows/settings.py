"""Every WIREHOUSE_* environment setting the flows and commands read, and every default they share, declared once.

cli.py, serve.py, runners.py, tasks.py, nightly.py and backfill.py take their defaults from here. prefect.yaml
cannot import Python: tests/flows/test_settings.py checks that its cron, time zone, runner and parameters equal these.

Settings read below flows/ are declared by their owners, which may not import flows/:
WIREHOUSE_SPACY_MODEL (transforms.nlp.loading), WIREHOUSE_LAKE_OPTIONS and the lake's place in HOME
(warehouse.lake), WIREHOUSE_LOCK_WAIT_SECONDS and WIREHOUSE_DUCKDB_MEMORY_LIMIT (warehouse.load).

Imports nothing of wirehouse, so every module of flows/ may import it.
"""

from __future__ import annotations

import os

# Where extraction runs (flows/runners.py) and how the articles are cut for it.
RUNNERS = ("threads", "processes", "dask")
DEFAULT_RUNNER = "threads"
CHUNK_ARTICLES = 64
# Records per chunk of a nightly run or a backfill, and so per checkpoint: memory is bounded by a chunk (about
# 1.3 GB for 1,000 news articles, the model included), and each chunk pays its own validation and load.
CHUNK_RECORDS = 1000

# The nightly schedule of `wirehouse serve` and prefect.yaml.
NIGHTLY_CRON = "0 2 * * *"
DEFAULT_TIMEZONE = "UTC"
TIMEZONE_ENV = "WIREHOUSE_TZ"

# Read by `prefect deploy` when it templates prefect.yaml's parameters; no Python reads them.
INBOX_ENV = "WIREHOUSE_INBOX"
HOME_ENV = "WIREHOUSE_HOME"

# An existing Dask cluster for `--runner dask`, and how many workers any runner starts (default: one per core).
DASK_ADDRESS_ENV = "WIREHOUSE_DASK_ADDRESS"
WORKERS_ENV = "WIREHOUSE_WORKERS"

# Tasks that touch storage retry with exponential backoff: waits of about 2, 4, 8 s by default.
STORAGE_RETRIES_ENV = "WIREHOUSE_STORAGE_RETRIES"
STORAGE_BACKOFF_SECONDS_ENV = "WIREHOUSE_STORAGE_BACKOFF_SECONDS"
DEFAULT_STORAGE_RETRIES = 3
DEFAULT_STORAGE_BACKOFF_SECONDS = 2.0

# Test hook for the crash tests (tests/flows/test_crash.py): with WIREHOUSE_PAUSE_AT=extract|write|load a run stops in
# that stage, creates the file WIREHOUSE_PAUSE_MARKER and waits while it exists (flows/tasks.py).
PAUSE_STAGE_ENV = "WIREHOUSE_PAUSE_AT"
PAUSE_MARKER_ENV = "WIREHOUSE_PAUSE_MARKER"

# Prefect's own setting for the API a run talks to; worker processes inherit it (flows/runners.py).
PREFECT_API_URL_ENV = "PREFECT_API_URL"

# Quiet, offline defaults the command line sets for itself; users can still override them in their environment.
COMMAND_ENVIRONMENT = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    "PREFECT_LOGGING_LEVEL": "WARNING",
    # The temporary local API server needs more than Prefect's default 20 s to start on a busy 2-core machine.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180",
}


def timezone(given: str | None = None) -> str:
    """The nightly schedule's time zone: the one given, else $WIREHOUSE_TZ, else UTC."""
    return given or os.environ.get(TIMEZONE_ENV) or DEFAULT_TIMEZONE


def dask_address(given: str | None = None) -> str | None:
    return given or os.environ.get(DASK_ADDRESS_ENV)


def worker_count(given: int | None = None) -> int:
    return given or int(os.environ.get(WORKERS_ENV) or 0) or os.cpu_count() or 1


def storage_retries() -> int:
    return int(os.environ.get(STORAGE_RETRIES_ENV, str(DEFAULT_STORAGE_RETRIES)))


def storage_backoff_seconds() -> float:
    return float(os.environ.get(STORAGE_BACKOFF_SECONDS_ENV, str(DEFAULT_STORAGE_BACKOFF_SECONDS)))
