"""Bad input never stops a run and never goes missing: the bad-input corpus through `wirehouse run`, offline.

One subprocess run over every case of tests/bad_inputs (generated here), with every non-loopback connection
and name lookup refused and logged: each input record must end up loaded, duplicate, skipped or quarantined
with its specific reason, the run's accounting must add up, and nothing may touch the network.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest

from tests.bad_inputs.harness import REPO, cli_env, wirehouse
from tests.bad_inputs.make_bad_inputs import bad_inputs
from transforms.nlp.loading import MAX_EXTRACT_CHARS
from warehouse.load import warehouse_path

# Loaded by sitecustomize in the run's processes (and the Prefect server it starts): sockets may talk to loopback
# only; anything else is logged and refused.
OFFLINE_SITECUSTOMIZE = """
import ipaddress, os, socket

_log_path = os.environ["WIREHOUSE_NETWORK_LOG"]


def _log(line):
    with open(_log_path, "a") as log:
        log.write(line + "\\n")


def _local(host):
    if host in (None, "localhost", b"localhost"):
        return True
    try:
        return ipaddress.ip_address(str(host, "ascii") if isinstance(host, bytes) else host.split("%")[0]).is_loopback
    except ValueError:
        return False


def _guard(original):
    def guarded(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and not _local(address[0]):
            _log(f"blocked connect {address!r}")
            raise OSError(f"network access blocked in this test: {address!r}")
        return original(self, address)
    return guarded


_getaddrinfo = socket.getaddrinfo


def _resolve(host, *args, **kwargs):
    if not _local(host):
        _log(f"blocked lookup {host!r}")
        raise socket.gaierror(f"name lookup blocked in this test: {host!r}")
    return _getaddrinfo(host, *args, **kwargs)


socket.socket.connect = _guard(socket.socket.connect)
socket.socket.connect_ex = _guard(socket.socket.connect_ex)
socket.getaddrinfo = _resolve
_log(f"armed in pid {os.getpid()}")
"""


RUN_ID = r"nightly-[0-9T]+-[0-9a-f]+(-\d{5})?"
# An article table's file per partition and run, a bookkeeping table's file per run.
LAKE_FILE = re.compile(
    rf"[a-z_]+/(published_date=(\d{{4}}-\d{{2}}-\d{{2}}|undated)/{RUN_ID}|run_id={RUN_ID}/data)\.parquet"
)


def outcomes_by_file(con: duckdb.DuckDBPyConnection, inbox: Path) -> dict[str, list[str]]:
    """Every input record's outcome, grouped by the inbox file it came from."""
    rows = con.execute("""
        SELECT source_uri, 'loaded' FROM articles
        UNION ALL SELECT source_uri, 'duplicate' FROM duplicates WHERE kind = 'exact'
        UNION ALL SELECT source_uri, 'skipped: ' || reason FROM skipped
        UNION ALL SELECT source_uri, 'quarantined: ' || reason FROM quarantine WHERE table_name IN ('records', 'articles')
    """).fetchall()
    grouped: dict[str, list[str]] = {}
    for uri, outcome in rows:
        name = Path(uri).relative_to(inbox).parts[0].split("#")[0].split("!")[0]
        grouped.setdefault(name, []).append(outcome)
    return grouped


def matches(actual: list[str], expected: tuple[str, ...]) -> bool:
    """Each expected outcome pairs with its own actual one (same kind, reason words contained)."""
    remaining = list(actual)
    for wanted in expected:
        hit = next(
            (
                a
                for a in remaining
                if a == wanted
                or (
                    ":" in wanted
                    and a.lower().startswith(wanted.split(":")[0])
                    and wanted.split(": ", 1)[1].lower() in a.lower()
                )
            ),
            None,
        )
        if hit is None:
            return False
        remaining.remove(hit)
    return not remaining


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    """The whole bad-input corpus through one offline `wirehouse run`."""
    root = tmp_path_factory.mktemp("bad-inputs")
    inbox, home, guard = root / "inbox", root / "home", root / "offline"
    inbox.mkdir()
    guard.mkdir()
    cases = bad_inputs(MAX_EXTRACT_CHARS)
    for case in cases:
        (inbox / case.name).write_bytes(case.data)
    (guard / "sitecustomize.py").write_text(OFFLINE_SITECUSTOMIZE)
    network_log = root / "network.log"
    env = cli_env(PYTHONPATH=str(guard), WIREHOUSE_NETWORK_LOG=str(network_log))
    result = wirehouse("run", "--inbox", inbox, "--home", home, "--run-date", "2025-09-04", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    con = duckdb.connect(str(warehouse_path(home)), read_only=True)
    yield cases, inbox, con, network_log.read_text() if network_log.exists() else "", root
    con.close()


def test_every_bad_input_is_accounted_for_with_its_reason(bad_run):
    cases, inbox, con, _, _ = bad_run
    outcomes = outcomes_by_file(con, inbox)
    wrong = {
        c.name: (c.expected, outcomes.get(c.name, []))
        for c in cases
        if not matches(outcomes.get(c.name, []), c.expected)
    }
    assert not wrong, json.dumps(wrong, indent=1)
    assert set(outcomes) == {c.name for c in cases if c.expected}

    records_read, loaded, duplicates, skipped, quarantined, status = con.execute(
        "SELECT records_read, loaded, duplicates, skipped, quarantined, status FROM runs"
    ).fetchone()
    assert status == "completed"
    assert records_read == sum(len(c.expected) for c in cases) == loaded + duplicates + skipped + quarantined
    assert loaded == sum(c.expected.count("loaded") for c in cases)


def article(con: duckdb.DuckDBPyConnection, name: str) -> dict:
    cursor = con.execute("SELECT * FROM articles WHERE source_uri LIKE '%/' || ?", [name])
    (row,) = cursor.fetchall()
    return dict(zip([d[0] for d in cursor.description], row))


def test_decoding_repairs_are_recorded_and_the_text_is_right(bad_run):
    _, _, con, _, _ = bad_run
    assert "decoded as cp1252" in article(con, "cp1252.txt")["repairs"]
    assert "decoded as cp1252" in article(con, "cp1252.jsonl#line=1")["repairs"]
    declared = article(con, "declared-latin1.txt")  # decoded by its sidecar's charset: nothing guessed
    assert declared["repairs"] == [] and "\u2019" in declared["body"] and declared["url"]
    for name, repair in (("mojibake.txt", "fixed mojibake"), ("mojibake-field.json", "fixed mojibake in text")):
        row = article(con, name)
        assert repair in row["repairs"]
        assert "\u2019" in row["body"] and "â€" not in row["body"]
    # Declared latin-1, stored cp1252 (curly quotes in 0x80-0x9f): read as a browser would.
    latin1 = article(con, "latin1.html")["body"]
    assert "\u201c" in latin1 and "\ufffd" not in latin1 and "\x93" not in latin1
    assert article(con, "broken.jsonl#line=1")["repairs"] == []


def test_an_enormous_article_is_cut_for_extraction_only_and_the_cut_is_recorded(bad_run):
    _, _, con, _, _ = bad_run
    row = article(con, "enormous.txt")
    assert len(row["body"]) > MAX_EXTRACT_CHARS == row["extracted_chars"]
    spans = con.execute(
        """
        SELECT max(char_end) FROM quotes WHERE article_id = ?
        UNION ALL SELECT max(trigger_char_end) FROM events WHERE article_id = ?""",
        [row["article_id"]] * 2,
    ).fetchall()
    assert all(0 < end <= MAX_EXTRACT_CHARS for (end,) in spans)


def test_unbalanced_quotation_marks_still_give_exact_spans(bad_run):
    _, _, con, _, _ = bad_run
    row = article(con, "unbalanced-quotes.txt")
    quotes = con.execute(
        "SELECT text, char_start, char_end FROM quotes WHERE article_id = ?", [row["article_id"]]
    ).fetchall()
    assert quotes
    assert all(row["body"][start:end] == text for text, start, end in quotes)


def test_archive_member_names_and_urls_never_become_paths(bad_run):
    _, inbox, con, _, root = bad_run
    (uri,) = con.execute("SELECT source_uri FROM articles WHERE source_uri LIKE '%traversal.tar!%'").fetchone()
    assert uri == f"{inbox}/traversal.tar!../../../wirehouse-escaped.json"
    assert con.execute("SELECT url FROM articles WHERE url LIKE '%wirehouse-url-escape%'").fetchone()
    # Nothing written where a member or URL taken as a path would have gone, from any folder the run works in.
    escapes = ("../../../wirehouse-escaped.json", "../../../../wirehouse-url-escape", "../../outlet", "../../id")
    bases = (inbox, root / "home", root / "home" / "lake", REPO)
    assert not [(base, e) for base in bases for e in escapes if (base / e).resolve().exists()]
    # Lake paths are made of table names, dates and run ids only.
    lake = root / "home" / "lake"
    names = [str(p.relative_to(lake)) for p in lake.rglob("*") if p.is_file()]
    assert names and all(LAKE_FILE.fullmatch(name) for name in names), names


def test_a_run_never_touches_the_network(bad_run):
    cases, _, _, network_log, _ = bad_run
    assert any(c.name.endswith((".html", ".warc", ".warc.gz")) and "loaded" in c.expected for c in cases)
    assert "armed in pid" in network_log, "the socket guard did not load"
    assert "blocked" not in network_log, network_log


def test_external_entities_are_never_resolved(bad_run):
    _, _, con, _, _ = bad_run
    body = article(con, "entities.html")["body"]
    assert "root:" not in body and "North Korea" in body
