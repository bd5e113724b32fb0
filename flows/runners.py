"""Where the heavy stage runs: extraction over chunks of articles on a Prefect task runner.

`--runner threads` (default) uses Prefect's ThreadPoolTaskRunner in the flow's own process; `processes` uses
Prefect's ProcessPoolTaskRunner (new in Prefect 3.x: spawned worker processes, one spaCy pipeline each);
`dask` uses prefect-dask's DaskTaskRunner, on a local cluster of worker processes or on an existing cluster
(`--dask-address tcp://scheduler:8786`, or WIREHOUSE_DASK_ADDRESS).

Only extraction is distributed. The articles are cut into chunks (flows/settings.py: 64 by default), one `extract` task per chunk;
the results come back to the flow in chunk order, so the tables are the same whatever ran them. Everything
that touches the lake or the warehouse stays in the flow's process: DuckDB allows one writer per file.

A run told to stop while it extracts (SIGTERM, which Prefect raises in the flow's thread; Ctrl-C) does not wait for
its tasks to finish their articles: `stop_extraction` has threads stop before their next document and ends the
processes runner's workers (tasks on a Dask cluster still finish theirs); the chunk, of which nothing is written
yet, is extracted again by the next run.

spaCy loads once per worker process (`transforms.nlp.loading.load_pipeline` is cached per process), not per chunk. With
the threads runner the flow's process is the worker: its model loads on a background thread (`shared_model`)
while the inbox is read and normalised, and the tasks start once it is there.

May import flows.settings, flows.tasks (when extraction runs) and transforms.nlp.
"""

from __future__ import annotations

import functools
import logging
import multiprocessing
import os
import threading
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor, wait
from contextlib import contextmanager
from typing import TYPE_CHECKING

import polars as pl

from flows import settings

if TYPE_CHECKING:  # Prefect is imported where a runner starts: the CLI checks --runner before it
    from prefect.task_runners import TaskRunner

EXTRACTED_TABLES = ("sources", "quotes", "events", "mentions", "extraction_failures")


# One thread for work a run needs later (spaCy's model, GX's suites), done while it waits on other things.
BACKGROUND = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wirehouse-background")


class UnknownRunner(ValueError):
    pass


def runner_name(runner: str | None) -> str:
    return (runner or settings.DEFAULT_RUNNER).lower()


def prepare(runner: str = settings.DEFAULT_RUNNER) -> None:
    """Start loading what extraction on `runner` needs in this process before its tasks run (with threads, the
    model); the other runners load it in their worker processes."""
    if runner_name(runner) == "threads":
        shared_model()


@functools.cache
def shared_model() -> Future:
    """spaCy's pipeline for the threads runner's tasks, loading on the background thread from the first call on.

    The tasks wait for it rather than call `load_pipeline` at once: its cache does not make concurrent first
    callers wait, so each of the first tasks would load a model of its own. A failed load is not raised here:
    the tasks load again and fail as they would have.
    """
    from transforms.nlp.loading import load_pipeline

    return BACKGROUND.submit(load_pipeline)


def make_task_runner(
    runner: str = settings.DEFAULT_RUNNER, dask_address: str | None = None, workers: int | None = None
) -> TaskRunner:
    """A fresh, not yet started Prefect task runner for `runner` (threads, processes or dask)."""
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner

    runner = runner_name(runner)
    if runner == "threads":
        return ThreadPoolTaskRunner(max_workers=settings.worker_count(workers))
    if runner == "processes":
        return ProcessPoolTaskRunner(max_workers=settings.worker_count(workers))
    if runner == "dask":
        from prefect_dask import DaskTaskRunner

        address = settings.dask_address(dask_address)
        if address:
            return DaskTaskRunner(address=address)
        # One single-threaded worker process per core: spaCy holds the GIL, so threads within a worker would only
        # take turns. The local scheduler's INFO chatter (workers joining and leaving) is not the run's news.
        logging.getLogger("distributed").setLevel(
            max(logging.getLogger("distributed").getEffectiveLevel(), logging.WARNING)
        )
        return DaskTaskRunner(
            cluster_kwargs={
                "n_workers": settings.worker_count(workers),
                "threads_per_worker": 1,
                "processes": True,
                "dashboard_address": None,
            }
        )
    raise UnknownRunner(f"unknown runner {runner!r}: use one of {', '.join(settings.RUNNERS)}")


def describe(runner: str, dask_address: str | None = None, workers: int | None = None) -> str:
    if runner == "dask":
        address = settings.dask_address(dask_address)
        return (
            f"dask ({address})"
            if address
            else f"dask (local cluster, {settings.worker_count(workers)} worker processes)"
        )
    return f"{runner} ({settings.worker_count(workers)} workers)"


def chunks(frame: pl.DataFrame, size: int = settings.CHUNK_ARTICLES) -> list[pl.DataFrame]:
    """The frame cut into consecutive slices of at most `size` rows, in order."""
    size = max(1, int(size))
    return [frame.slice(offset, size) for offset in range(0, frame.height, size)]


@contextmanager
def started(runner: str, dask_address: str | None = None, workers: int | None = None) -> Iterator[TaskRunner]:
    with worker_environment(), make_task_runner(runner, dask_address, workers) as task_runner:
        yield task_runner


@contextmanager
def worker_environment() -> Iterator[None]:
    """The environment worker processes started here inherit: PREFECT_API_URL, the API the flow itself talks to.
    Without it, a flow on Prefect's temporary server would have every worker process start a temporary server of
    its own (seconds of CPU and a few hundred MB each). (Memory reuse is set where the model loads,
    transforms.nlp.inference.keep_freed_memory, for every process that extracts.)"""
    added = {}
    if not os.environ.get(settings.PREFECT_API_URL_ENV):
        from prefect.client.orchestration import get_client

        with get_client(sync_client=True) as client:
            added[settings.PREFECT_API_URL_ENV] = str(client.api_url)
    os.environ.update(added)
    try:
        yield
    finally:
        for name in added:
            os.environ.pop(name, None)


def extract_parallel(
    articles: pl.DataFrame,
    runner: str = settings.DEFAULT_RUNNER,
    dask_address: str | None = None,
    chunk_size: int = settings.CHUNK_ARTICLES,
    workers: int | None = None,
) -> dict[str, pl.DataFrame]:
    """sources, quotes and events for `articles`, extracted chunk by chunk on the chosen task runner.

    Must be called inside a flow run (the chunks become task runs of it). Results are concatenated in chunk
    order, so the output is identical to one `extract` over the whole frame.
    """
    from flows import tasks

    if articles.is_empty():
        return tasks.extract.fn(articles)
    if runner_name(runner) == "threads":
        wait([shared_model()])
    parts, stop = chunks(articles, chunk_size), threading.Event()
    with started(runner, dask_address, min(settings.worker_count(workers), len(parts))) as task_runner:
        try:
            futures = [task_runner.submit(tasks.extract, extract_parameters(part, runner, stop)) for part in parts]
            results = [future.result() for future in futures]
        except BaseException:
            # SIGTERM (Prefect raises it here, in the flow's thread), Ctrl-C or a task that crashed: the runner's
            # exit waits for its running tasks, so they stop now rather than finish their articles. Nothing of
            # this chunk is written yet, and its checkpoint loads only with its rows: a rerun extracts it again.
            stop_extraction(runner, stop)
            raise
    return {name: pl.concat([r[name] for r in results], how="vertical") for name in EXTRACTED_TABLES}


def extract_parameters(part: pl.DataFrame, runner: str, stop: threading.Event) -> dict:
    """An extract task's parameters: threads share the flow's memory, so they also get the stop flag they check
    between documents (worker processes cannot see it; stop_extraction ends them instead)."""
    return {"articles": part, "stop": stop} if runner_name(runner) == "threads" else {"articles": part}


def stop_extraction(runner: str, stop: threading.Event) -> None:
    """Make the running extract tasks end: threads at their next document, worker processes at once (a process
    pool started in this process has them as its multiprocessing children)."""
    stop.set()
    if runner_name(runner) == "processes":
        for worker in multiprocessing.active_children():
            worker.terminate()
