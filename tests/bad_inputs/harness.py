"""Running `wirehouse` as its own process, as cron would: with its own temporary Prefect server, and killable.

`paused_run` uses the crash-test hook in flows/tasks.py (WIREHOUSE_PAUSE_AT / WIREHOUSE_PAUSE_MARKER): the run
stops inside a stage and the caller kills it there (`kill_group`) or lets it go on (deletes the marker).
"""

from __future__ import annotations

import contextlib
import functools
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
WIREHOUSE = REPO / ".venv" / "bin" / "wirehouse"
# How long a subprocess run may take to reach a stage (it starts a Prefect server and loads spaCy first).
REACH_STAGE_SECONDS = 300


@functools.cache
def _prefect_home() -> str:
    """One PREFECT_HOME for every subprocess run of the session: the server's migrations run once."""
    return tempfile.mkdtemp(prefix="wirehouse-cli-prefect-")


def cli_env(**extra: str) -> dict[str, str]:
    """The environment of a subprocess run: no PREFECT_API_URL, so it starts its own temporary server."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
    env.update(
        PREFECT_HOME=_prefect_home(),
        PREFECT_SERVER_ANALYTICS_ENABLED="false",
        PREFECT_LOGGING_LEVEL="WARNING",
        GX_ANALYTICS_ENABLED="false",
        DO_NOT_TRACK="1",
        # The default 20 s is too short for a first start (migrations) on a busy CI machine.
        PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS="180",
    )
    env.update(extra)
    return env


def wirehouse(
    *args: str | Path, env: dict[str, str] | None = None, timeout: float = 600
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(WIREHOUSE), *map(str, args)],
        env=env or cli_env(),
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
    )


@contextmanager
def paused_run(args: list[str | Path], stage: str, workdir: Path, *, pipe: bool = False) -> Iterator[subprocess.Popen]:
    """`wirehouse ARGS` stopped inside `stage`, yielded once it is there; killed on exit if still running.

    Its output goes to a log file, or with `pipe` to `process.stdout`, a pipe the caller reads (as cron or a
    scheduler would)."""
    marker, log = workdir / f"paused-at-{stage}", workdir / f"run-paused-at-{stage}.log"
    marker.unlink(missing_ok=True)  # left by an earlier run killed there
    env = cli_env(WIREHOUSE_PAUSE_AT=stage, WIREHOUSE_PAUSE_MARKER=str(marker))
    with log.open("w") as output:
        # Its own process group, so a kill also takes the temporary Prefect server it started.
        process = subprocess.Popen(
            [str(WIREHOUSE), *map(str, args)],
            env=env,
            stdout=subprocess.PIPE if pipe else output,
            stderr=subprocess.STDOUT,
            cwd=REPO,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + REACH_STAGE_SECONDS
        while not marker.exists():
            if process.poll() is not None or time.monotonic() > deadline:
                kill_group(process)
                said = process.stdout.read().decode() if pipe else log.read_text()
                raise AssertionError(f"the run never reached {stage} (exit {process.poll()}):\n{said}")
            time.sleep(0.1)
        yield process
    finally:
        kill_group(process)


def kill_group(process: subprocess.Popen) -> None:
    """SIGKILL the run and every process it started (no cleanup code of theirs runs)."""
    with contextlib.suppress(ProcessLookupError):  # also what is left of the group after the run itself ended
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
