"""flows/prefect_server.py's one use of Prefect's private API, checked so a Prefect upgrade that breaks it fails
here rather than in a run (issue 18, bug 6b). The server's lifetime is tested on real runs in test_crash.py."""

from __future__ import annotations

import threading

from flows import prefect_server

ELSEWHERE = "http://127.0.0.1:9/api"


def api_url_in_a_new_thread() -> str | None:
    """The API URL a thread started without this thread's context sees (as Prefect's log and event workers do)."""
    from prefect.settings import PREFECT_API_URL

    seen = []
    thread = threading.Thread(target=lambda: seen.append(PREFECT_API_URL.value()))  # copies no contextvars
    thread.start()
    thread.join()
    return seen[0]


def test_process_wide_settings_reach_every_thread_for_the_block_only():
    from prefect.settings import PREFECT_API_URL, temporary_settings

    before = api_url_in_a_new_thread()
    with temporary_settings(updates={"api.url": ELSEWHERE}):
        assert PREFECT_API_URL.value() == ELSEWHERE
        assert api_url_in_a_new_thread() == before  # temporary_settings alone stays in this thread's context
        with prefect_server.process_wide_settings():
            assert api_url_in_a_new_thread() == ELSEWHERE
    assert api_url_in_a_new_thread() == before
