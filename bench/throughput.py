"""End-to-end throughput: `wirehouse run` / `wirehouse backfill` as subprocesses on fresh homes, timed, with
their peak memory and the per-stage seconds the run recorded in `runs`.

Peak memory is reported two ways, because they answer different questions:
- `peak_rss_mb`: the largest single process of the run's tree (`ru_maxrss` of the child and the descendants it
  reaped, as `os.wait4` returns it, the same figure `getrusage(RUSAGE_CHILDREN)` gives);
- `peak_tree_rss_mb`: the largest sum of RSS over the whole tree at once (sampled every 0.1 s with psutil): what
  the machine must hold while extraction workers run beside the flow process.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psutil

SAMPLE_SECONDS = 0.1
WIREHOUSE = [sys.executable, "-m", "flows.cli"]
REPO = Path(__file__).resolve().parent.parent


@dataclass
class ProcessRun:
    seconds: float
    peak_rss_mb: float
    peak_tree_rss_mb: float
    returncode: int
    output: str = field(repr=False)


@dataclass
class PipelineRun:
    """One measured run of the pipeline over an inbox into a home."""

    seconds: float
    peak_rss_mb: float
    peak_tree_rss_mb: float
    articles: int
    words: int
    records_read: int
    stage_seconds: dict[str, float]

    @property
    def articles_per_s(self) -> float:
        return self.articles / self.seconds if self.seconds else 0.0

    @property
    def words_per_s(self) -> float:
        return self.words / self.seconds if self.seconds else 0.0

    def as_dict(self) -> dict:
        return {**asdict(self), "articles_per_s": self.articles_per_s, "words_per_s": self.words_per_s}


class RunError(RuntimeError):
    pass


def bench_env(prefect_home: Path) -> dict[str, str]:
    """The child's environment: a private Prefect home (its server database), quiet and offline."""
    env = dict(os.environ)
    env.update(
        {
            "PREFECT_HOME": str(prefect_home),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "GX_ANALYTICS_ENABLED": "false",
            "DO_NOT_TRACK": "1",
            "COLUMNS": "200",
            # A busy machine can take longer than Prefect's default 20 s to start the temporary server.
            "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
            "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO), env.get("PYTHONPATH")])),
        }
    )
    return env


def run_measured(command: list[str], env: dict[str, str]) -> ProcessRun:
    """Run a command to its end; wall seconds and peak memory of its process tree."""
    with tempfile.TemporaryFile(mode="w+") as log:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT, cwd=REPO)
        sampler = TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop()
        log.seek(0)
        output = log.read()
    return ProcessRun(seconds, usage.ru_maxrss / 1024, sampler.peak_bytes / 2**20, process.returncode, output)


class TreeSampler(threading.Thread):
    """The largest total RSS of a process and all its descendants, sampled until stopped."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.root = psutil.Process(pid)
        self.peak_bytes = 0
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            try:
                tree = [self.root, *self.root.children(recursive=True)]
            except psutil.Error:
                break
            total = 0
            for process in tree:
                try:
                    total += process.memory_info().rss
                except psutil.Error:
                    continue
            self.peak_bytes = max(self.peak_bytes, total)
            self._stop_event.wait(SAMPLE_SECONDS)

    def stop(self) -> None:
        self._stop_event.set()
        self.join()


def run_pipeline(inbox: Path, home: Path, env: dict[str, str], runner: str) -> PipelineRun:
    """`wirehouse run` over the inbox; articles, words and stage seconds from the run's own `runs` row."""
    command = [*WIREHOUSE, "run", "--inbox", str(inbox), "--home", str(home), "--runner", runner]
    return _pipeline_run(run_measured(command, env), home, "nightly")


def rerun(inbox: Path, home: Path, env: dict[str, str], runner: str) -> ProcessRun:
    """`wirehouse run` again over an inbox already loaded: nothing is new, so no runs row to read."""
    command = [*WIREHOUSE, "run", "--inbox", str(inbox), "--home", str(home), "--runner", runner]
    process = run_measured(command, env)
    if process.returncode != 0:
        raise RunError(f"rerun exited with {process.returncode}:\n{process.output[-3000:]}")
    return process


def run_backfill(paths: list[Path], home: Path, env: dict[str, str]) -> PipelineRun:
    command = [*WIREHOUSE, "backfill", "--home", str(home), *map(str, paths)]
    return _pipeline_run(run_measured(command, env), home, "backfill")


def _pipeline_run(process: ProcessRun, home: Path, flow: str) -> PipelineRun:
    if process.returncode != 0:
        raise RunError(f"{flow} run exited with {process.returncode}:\n{process.output[-3000:]}")
    from warehouse.load import connect

    with connect(home, read_only=True) as con:
        # The run just measured: every chunk of it (one row each: a backfill's `<id>-<n>`; a nightly run's first
        # chunk is the run's id, the later ones `<id>-<n>`), on a home no other run of this flow wrote.
        runs = con.execute(
            "SELECT run_id, records_read, stage_seconds FROM runs WHERE flow = ? AND status = 'completed' "
            "ORDER BY started_at",
            [flow],
        ).fetchall()
        run_ids = [run_id for run_id, _, _ in runs]
        chosen = [r for r in runs if r[0] in run_ids]
        articles, words = con.execute(
            "SELECT count(*), coalesce(sum(word_count), 0) FROM articles WHERE list_contains(?, run_id)", [run_ids]
        ).fetchone()
    stage_seconds = printed_stage_seconds(process.output) if flow == "nightly" else {}
    for _, _, stages in chosen if not stage_seconds else ():
        for stage, seconds in json.loads(stages or "{}").items():
            stage_seconds[stage] = stage_seconds.get(stage, 0.0) + seconds
    # Everything no stage times: interpreter and imports, the temporary Prefect server, the report (and for a
    # backfill, whose runs rows stop at the lake write, the loads).
    stage_seconds["startup and report"] = max(0.0, process.seconds - sum(stage_seconds.values()))
    return PipelineRun(
        seconds=process.seconds,
        peak_rss_mb=process.peak_rss_mb,
        peak_tree_rss_mb=process.peak_tree_rss_mb,
        articles=articles,
        words=int(words),
        records_read=sum(r[1] for r in chosen),
        stage_seconds=stage_seconds,
    )


def printed_stage_seconds(output: str) -> dict[str, float]:
    """The stage timings `wirehouse run` prints ("time per stage: ingest 0.1s  ...  load 1.3s"): unlike the runs
    row, written before the load, they include the load."""
    line = next((line for line in output.splitlines() if line.startswith("time per stage:")), "")
    return {stage: float(seconds) for stage, seconds in re.findall(r"([\w-]+) ([\d.]+)s", line.partition(":")[2])}


# --- inboxes -------------------------------------------------------------------------------------------------------


def polnear_inbox(inbox: Path, corpus: Path, limit: int | None = None) -> int:
    """PolNeAR dev and train text files linked into the inbox (names prefixed by split); returns the count."""
    inbox.mkdir(parents=True, exist_ok=True)
    texts = sorted((corpus / "polnear" / "dev" / "text").glob("*.txt")) + sorted(
        (corpus / "polnear" / "train" / "text").glob("*.txt")
    )
    texts = texts[:limit] if limit else texts
    for path in texts:
        (inbox / f"{path.parent.parent.name}-{path.name}").symlink_to(path)
    return len(texts)


def reuters_records(corpus: Path, count: int, offset: int = 0) -> list[dict]:
    """`count` Reuters-21578 stories with a body, from the `offset`-th on; past the end the set is replayed with
    new ids and a numbered first line, so a larger input is never a pile of exact duplicates."""
    bodies = []
    for path in sorted((corpus / "reuters21578").glob("reut2-*.json")):
        for story in json.loads(path.read_text(encoding="utf-8")):
            if story.get("body", "").strip():
                bodies.append(story)
    records = []
    for n in range(offset, offset + count):
        story, copy = bodies[n % len(bodies)], n // len(bodies)
        body = story["body"] if copy == 0 else f"(Replay {copy}.)\n{story['body']}"
        records.append(
            {
                "id": f"reuters-{story['attrs']['newid']}-{copy}",
                "title": story.get("title"),
                "date": story.get("date"),
                "text": body,
            }
        )
    return records


def reuters_inbox(inbox: Path, corpus: Path, count: int, offset: int = 0) -> int:
    inbox.mkdir(parents=True, exist_ok=True)
    records = reuters_records(corpus, count, offset)
    with (inbox / f"reuters-{offset}-{count}.jsonl").open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record) + "\n")
    return len(records)


def fresh_dir(parent: Path, name: str) -> Path:
    path = parent / name
    shutil.rmtree(path, ignore_errors=True)
    path.mkdir(parents=True)
    return path
