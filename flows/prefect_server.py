"""Prefect's temporary API server, started the moment a run is decided on, so that it boots while the flow's
modules (Prefect, GX, spaCy) import instead of after them.

Without a configured API (PREFECT_API_URL), Prefect starts a temporary server itself when the flow begins, and
waits seconds for it. Here the same server process (the command and environment of Prefect's own
SubprocessASGIServer) starts first, on the second core. While the run uses it, it is the process's
PREFECT_API_URL in Prefect's process-wide settings, as Prefect's own test harness does it: every thread (the
process-pool runner's message thread, the log and event workers) and every worker process (flows/runners.py)
talks to it, so nothing starts a second server, and this process never imports Prefect's server code (seconds).

The server ends with the run that started it, however the run ends (exit, crash, SIGTERM, kill -9, the kernel's
OOM killer): it runs under `python -m flows.prefect_server` (`serve_while_parent_lives`), which holds the read
end of a pipe only the run can write to, and stops the server when the read sees end of file, which the kernel
delivers when the run's process is gone. It inherits none of the run's output pipes, so a caller reading the
run's output sees end of file when the run ends. Prefect's process-wide settings are replaced through one private
Prefect function, fenced in `process_wide_settings` (tests/flows/test_prefect_server.py fails if an upgrade
breaks it).

May import flows.settings; Prefect itself only once the run uses the server.
"""

from __future__ import annotations

import atexit
import importlib.util
import os
import runpy
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from flows import settings

HEALTH_POLL_SECONDS = 0.1
# Prefect's own settings for a temporary server: no UI, and ephemeral (no background services of a real server).
SERVER_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
# Once its run is gone, the server has this long to shut down cleanly before it exits regardless.
ORPHAN_GRACE_SECONDS = 5.0


class TemporaryAPI:
    def __init__(self) -> None:
        # Started before this process imports Prefect (a second): the server reads the same environment, profile
        # and prefect.toml as this process would, so it gets the settings Prefect's own SubprocessASGIServer
        # would hand it.
        packages = Path(importlib.util.find_spec("prefect").origin).parent.parent
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/api"
        # The lifeline: its write end stays in this process only (not inheritable, so no worker gets it).
        lifeline, self._lifeline = os.pipe()
        self._output = tempfile.TemporaryFile()  # noqa: SIM115 - open as long as the server runs
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "flows.prefect_server",
                str(lifeline),
                "--app-dir",
                str(packages),
                "--factory",
                "prefect.server.api.server:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "error",
                "--lifespan",
                "on",
            ],
            env={**os.environ, **SERVER_ENV},
            pass_fds=(lifeline,),
            stdin=subprocess.DEVNULL,
            stdout=self._output,
            stderr=subprocess.STDOUT,
        )
        os.close(lifeline)
        # Stopped at exit, also when the run never got to use it.
        atexit.register(self.stop)

    def wait_until_healthy(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        with httpx.Client() as client:
            while time.monotonic() < deadline:
                if self.process.poll() is not None:
                    raise RuntimeError(
                        f"Prefect's temporary API server exited with {self.process.returncode}: {self.output_tail()}"
                    )
                try:
                    if client.get(f"{self.url}/health").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                time.sleep(HEALTH_POLL_SECONDS)
        raise RuntimeError(f"Prefect's temporary API server did not answer within {timeout:.0f} s")

    def output_tail(self, limit: int = 2000) -> str:
        self._output.seek(0)
        return self._output.read().decode("utf-8", "replace")[-limit:].strip()

    def stop(self) -> None:
        if self._lifeline >= 0:
            os.close(self._lifeline)
            self._lifeline = -1
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


def serve_while_parent_lives(lifeline: int, uvicorn_args: list[str]) -> None:
    """Run uvicorn with `uvicorn_args` until the process holding the other end of `lifeline` is gone."""

    def watch() -> None:
        while os.read(lifeline, 1):  # nothing is ever written: this returns b"" when the writer is gone
            pass
        os.kill(os.getpid(), signal.SIGTERM)  # uvicorn's own clean shutdown
        time.sleep(ORPHAN_GRACE_SECONDS)
        os._exit(1)

    threading.Thread(target=watch, name="wirehouse-lifeline", daemon=True).start()
    sys.argv = ["uvicorn", *uvicorn_args]
    runpy.run_module("uvicorn", run_name="__main__", alter_sys=True)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_temporary_api() -> TemporaryAPI | None:
    """A temporary server starting in the background, or None where the environment names an API. A profile can
    name one too, or turn temporary servers off: `using` reads Prefect's settings and stops the server then."""
    if os.environ.get(settings.PREFECT_API_URL_ENV):
        return None
    return TemporaryAPI()


def needed() -> bool:
    """Whether Prefect's settings leave the run to a temporary server (no API named, temporary servers on)."""
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_ENABLED

    return not PREFECT_API_URL.value() and PREFECT_SERVER_EPHEMERAL_ENABLED.value()


@contextmanager
def using(api: TemporaryAPI | None) -> Iterator[None]:
    """Run the block with `api` as Prefect's API, once it answers; without one, as Prefect would.

    Flow runs send no heartbeats to it: they detect crashed runs for a server that outlives them, and this one
    ends with the process (the flow engine's exit also waits up to a second for its heartbeat thread). Logs and
    events still queued are sent before the block ends, while the server is still the process's API.
    """
    if api is not None and not needed():
        api.stop()
        api = None
    if api is None:
        yield
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, temporary_settings

    api.wait_until_healthy(PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
    with (
        temporary_settings(updates={"api.url": api.url, "flows.heartbeat_frequency": None}),
        process_wide_settings(),
    ):
        try:
            yield
        finally:
            APILogWorker.drain_all(at_exit=False)
            EventsWorker.drain_all(at_exit=False)


@contextmanager
def process_wide_settings() -> Iterator[None]:
    """This thread's Prefect settings, for the block, as those of every thread of the process (Prefect's log and
    event workers and the process-pool runner's message thread start without this thread's context).

    Prefect has no public API for it; its test harness uses this private function. Fenced here, and checked by
    tests/flows/test_prefect_server.py, so an upgrade that changes it fails a test rather than a run."""
    from prefect.context import _temporary_global_settings_context, get_settings_context

    with _temporary_global_settings_context(get_settings_context()):
        yield


if __name__ == "__main__":
    serve_while_parent_lives(int(sys.argv[1]), sys.argv[2:])
