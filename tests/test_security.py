"""Security: `wirehouse sql` cannot change anything, input names never become paths, no shell ever runs, SQL
takes data only as parameters, and reading HTML or WARC input never opens a connection.
"""

from __future__ import annotations

import ast
import io
import socket
import tarfile
import urllib.request
import zipfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from typer.testing import CliRunner

from flows import tasks
from flows.cli import app
from tests.bad_inputs.make_bad_inputs import bad_inputs
from transforms.ingest.records import RawRecord
from transforms.ingest.registry import read_stream
from transforms.nlp.loading import MAX_EXTRACT_CHARS
from transforms.normalise.articles import normalise_records
from transforms.schema import ARTICLE_TABLES, ARTICLES, conform
from warehouse.load import apply_schema, connect, load_batch

REPO = Path(__file__).resolve().parents[1]
PIPELINE_PACKAGES = ("flows", "transforms", "warehouse", "expectations")
PACKAGES = (*PIPELINE_PACKAGES, "bench", "docs")


@pytest.fixture
def home(tmp_path) -> Path:
    """A warehouse holding one article."""
    home = tmp_path / "home"
    home.mkdir()
    row = {
        "article_id": "a1",
        "body": 'The minister said "no".',
        "content_hash": "0" * 64,
        "source_uri": "inbox/a.txt",
        "run_id": "run-1",
        "ingested_at": datetime(2026, 1, 1, tzinfo=UTC),
    }
    with connect(home) as con:
        apply_schema(con)
        load_batch(con, {t.name: conform([row] if t is ARTICLES else [], t) for t in ARTICLE_TABLES})
    return home


def sql(home: Path, query: str):
    return CliRunner().invoke(app, ["sql", "--home", str(home), "--format", "csv", query])


@pytest.mark.parametrize(
    "statement",
    [
        "DELETE FROM articles",
        "UPDATE articles SET body = 'changed'",
        "INSERT INTO runs (run_id) VALUES ('forged')",
        "DROP TABLE articles",
        "CREATE TABLE stolen AS SELECT * FROM articles",
        "COPY articles TO '{out}'",
        "ATTACH '{other}' AS other",
        "INSTALL httpfs",
    ],
)
def test_wirehouse_sql_cannot_write_anything(home, tmp_path, statement):
    result = sql(home, statement.format(out=tmp_path / "copy.csv", other=tmp_path / "other.duckdb"))
    assert result.exit_code != 0
    assert not (tmp_path / "copy.csv").exists() and not (tmp_path / "other.duckdb").exists()
    unchanged = sql(home, "SELECT article_id, body FROM articles")
    assert unchanged.exit_code == 0 and unchanged.output.splitlines() == [
        "article_id,body",
        'a1,"The minister said ""no""."',
    ]


def test_wirehouse_sql_cannot_read_files_or_urls(home, tmp_path):
    secret = tmp_path / "secret.csv"
    secret.write_text("password\nhunter2\n")
    for query in (f"SELECT * FROM read_csv('{secret}')", "SELECT * FROM read_parquet('http://203.0.113.7/x.parquet')"):
        result = sql(home, query)
        assert result.exit_code != 0 and "hunter2" not in result.output


def test_archive_member_names_are_labels_not_paths(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    article = b'{"title": "t", "text": "An article body long enough to be one."}'
    tar_bytes, zip_bytes = io.BytesIO(), io.BytesIO()
    with tarfile.open(fileobj=tar_bytes, mode="w") as archive:
        for name in ("../../escaped-tar.json", "/tmp/absolute-tar.json"):
            info = tarfile.TarInfo(name)
            info.size = len(article)
            archive.addfile(info, io.BytesIO(article))
    with zipfile.ZipFile(zip_bytes, "w") as archive:
        archive.writestr("../../escaped-zip.json", article)
    before = set(tmp_path.parent.parent.rglob("escaped-*")) | set(Path("/tmp").glob("absolute-tar.json"))
    items = [
        *read_stream("a.tar", io.BufferedReader(io.BytesIO(tar_bytes.getvalue())), "inbox/a.tar"),
        *read_stream("a.zip", io.BufferedReader(io.BytesIO(zip_bytes.getvalue())), "inbox/a.zip"),
    ]
    assert [i.source_uri for i in items if isinstance(i, RawRecord)] == [
        "inbox/a.tar!../../escaped-tar.json",
        "inbox/a.tar!/tmp/absolute-tar.json",
        "inbox/a.zip!../../escaped-zip.json",
    ]
    assert set(tmp_path.parent.parent.rglob("escaped-*")) | set(Path("/tmp").glob("absolute-tar.json")) == before


def _python_files(packages=PACKAGES):
    for package in packages:
        yield from sorted((REPO / package).rglob("*.py"))


# Reviewed exceptions: programs started with a fixed argument list, no shell and nothing from input data.
FIXED_PROGRAMS = {
    # Prefect's temporary API server: this interpreter, `-m uvicorn`, Prefect's app factory, a free port number.
    "flows/prefect_server.py",
    # `wirehouse bench`: this interpreter, `-m bench`, then the user's own arguments to the harness.
    "flows/cli.py",
}


def test_no_code_starts_a_shell_or_a_program():
    """Nothing in the pipeline hands input (or anything) to a shell or a program: no subprocess, os.system,
    os.popen, os.exec*, except the reviewed FIXED_PROGRAMS, which never use a shell. (bench/ starts `wirehouse`
    itself to time it.)"""
    offenders = []
    for path in _python_files(PIPELINE_PACKAGES):
        if path.relative_to(REPO).as_posix() in FIXED_PROGRAMS:
            assert "shell=" not in path.read_text(), path
            continue
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import | ast.ImportFrom):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                offenders += [
                    f"{path}:{node.lineno} imports {m}" for m in modules if m.split(".")[0] in ("subprocess", "pty")
                ]
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id == "os"
                and (node.attr in ("system", "popen") or node.attr.startswith(("exec", "spawn")))
            ):
                offenders.append(f"{path}:{node.lineno} os.{node.attr}")
    assert not offenders


# Every place SQL text is built at run time, and what goes into it. Reviewed: none of it comes from input data
# (data always travels as parameters or registered frames). A new place fails this test until it is reviewed.
DYNAMIC_SQL = {
    ("flows/sql_shell.py", "run_sql"): "the user's own query, on a read-only connection without file or network access",
    ("warehouse/status.py", "read_status"): "table names from transforms.schema, columns from UNCLUSTERED_CHECKS",
    ("flows/report_html.py", "query"): "constant queries from QUERIES, dates as $parameters",
    ("warehouse/load.py", "apply_schema"): "the SQL files in warehouse/sql/",
    ("warehouse/load.py", "load_batch"): "warehouse/sql/load/*.sql with table names from transforms.schema",
    ("warehouse/load.py", "excerpt_quarantined_records"): (
        "warehouse/sql/load/excerpt_quarantine.sql with a constant table name (quarantine, batch_quarantine) and length"
    ),
    ("warehouse/rebuild.py", "_load_table"): "table names, keys and column names from the schema",
    ("docs/make_queries.py", "answer_all"): "the documented example queries, read-only",
    ("warehouse/recluster.py", "_unclustered_articles"): "constant table and column names from cluster_unclustered",
    ("warehouse/candidates.py", "candidates"): "the SQL files in warehouse/sql/candidates/, the batch registered",
}


def test_sql_is_built_from_the_schema_only_never_from_data():
    found = set()
    for path in _python_files():
        tree = ast.parse(path.read_text(), str(path))
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef):
                continue
            for node in ast.walk(function):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("execute", "executemany", "sql")
                    and node.args
                    and not isinstance(node.args[0], ast.Constant)
                ):
                    found.add((str(path.relative_to(REPO)), function.name))
    assert found <= set(DYNAMIC_SQL), f"review these for data in SQL text (use parameters): {found - set(DYNAMIC_SQL)}"


@pytest.fixture
def no_network(monkeypatch) -> list:
    """Sockets may talk to loopback only (the Prefect test server); every other attempt is refused and listed."""
    attempts = []
    connect_original = socket.socket.connect

    def guarded_connect(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6) and address[0] not in ("127.0.0.1", "::1", "localhost"):
            attempts.append(address)
            raise OSError(f"network blocked in this test: {address}")
        return connect_original(self, address)

    def guarded_lookup(host, *args, **kwargs):
        attempts.append(host)
        raise socket.gaierror(f"name lookup blocked in this test: {host}")

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)
    monkeypatch.setattr(socket, "getaddrinfo", guarded_lookup)
    return attempts


def test_the_guard_catches_a_fetch(no_network):
    with pytest.raises(OSError):
        urllib.request.urlopen("http://203.0.113.7/pixel.gif", timeout=1)
    assert no_network


def test_reading_and_extracting_html_and_warc_opens_no_connection(no_network, tmp_path):
    """Pages full of external stylesheets, scripts, images and frames, as files and inside WARC archives."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for case in bad_inputs(MAX_EXTRACT_CHARS):
        if case.name.endswith((".html", ".warc", ".warc.gz")):
            (inbox / case.name).write_bytes(case.data)
    files = [tasks.InboxFile(p, p.stat().st_size, tasks.file_sha256(p)) for p in tasks.list_inbox(inbox)]
    batch = tasks.batch_of([s for chunk in tasks.chunks(files, tasks.LoadedSoFar(set(), {}), None) for s in chunk])
    assert len(batch.records) >= 3
    articles, _ = normalise_records(batch.records, "run", datetime(2026, 1, 1, tzinfo=UTC))
    extracted = tasks.extract.fn(articles)
    assert extracted["quotes"].height > 0 and extracted["extraction_failures"].is_empty()
    assert no_network == []
