"""The lake on an S3-compatible object store: moto's server on loopback, started here, reached over HTTP by
s3fs (not a mock of our code). A nightly run writes the lake there, DuckDB reads it back through the fsspec
filesystem registered on its connection, and `wirehouse rebuild` recreates the warehouse from the bucket."""

from __future__ import annotations

import json
import shutil

import duckdb
import pytest
from typer.testing import CliRunner

from tests.conftest import DEMO_INBOX
from tests.flows.test_ops_runs import RUN_DATE, snapshot
from warehouse.load import warehouse_path

BUCKET = "wirehouse-lake"


@pytest.fixture
def s3_server(monkeypatch):
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    # The lake's storage options (fsspec/s3fs); AWS_ENDPOINT_URL + AWS_ACCESS_KEY_ID/... work the same way.
    monkeypatch.setenv(
        "WIREHOUSE_LAKE_OPTIONS", json.dumps({"endpoint_url": endpoint, "key": "testing", "secret": "testing"})
    )
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    import boto3

    boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    ).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


def test_nightly_run_writes_the_lake_to_s3_and_duckdb_reads_it_back(prefect_server, s3_server, tmp_path):
    import boto3

    from flows.cli import app
    from flows.nightly import nightly
    from transforms.schema import ARTICLES, QUOTES
    from warehouse import lake as lake_io

    inbox = tmp_path / "inbox"
    shutil.copytree(DEMO_INBOX / "seed", inbox / "seed")
    for path in sorted((DEMO_INBOX / "newsplease").glob("*.json"))[:2]:
        shutil.copy(path, inbox / path.name)
    lake = f"s3://{BUCKET}/prod/lake"
    home = tmp_path / "home"

    summary = nightly(inbox=inbox, home=home, run_date=RUN_DATE, lake=lake)
    assert summary["status"] == "completed" and summary["table_rows"]["articles"] == 3
    assert not (home / "lake").exists()

    # The objects are in the bucket, one per partition and run, no temporary keys left behind.
    s3 = boto3.client(
        "s3",
        endpoint_url=s3_server,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    keys = [o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET, Prefix="prod/lake/")["Contents"]]
    assert any(
        k.startswith("prod/lake/articles/published_date=") and k.endswith(f"/{summary['run_id']}.parquet") for k in keys
    )
    assert f"prod/lake/runs/run_id={summary['run_id']}/data.parquet" in keys
    assert not [k for k in keys if k.endswith(".tmp") or "wirehouse-probe" in k]

    # DuckDB reads the lake from S3 through fsspec (no httpfs extension).
    con = duckdb.connect(config={"autoinstall_known_extensions": False, "autoload_known_extensions": False})
    lake_io.register_with_duckdb(con, lake)
    files = list(lake_io.partition_files(lake, QUOTES))
    assert files and all(f.startswith(f"s3://{BUCKET}/prod/lake/quotes/") for f in files)
    from_lake = con.execute("SELECT count(*) FROM read_parquet(?, hive_partitioning = false)", [files]).fetchone()[0]
    assert from_lake == summary["table_rows"]["quotes"]
    article_files = list(lake_io.partition_files(lake, ARTICLES))
    lake_ids = {
        r[0]
        for r in con.execute(
            "SELECT article_id FROM read_parquet(?, hive_partitioning = false)", [article_files]
        ).fetchall()
    }
    con.close()
    with duckdb.connect(str(warehouse_path(home)), read_only=True) as wh:
        assert lake_ids == {r[0] for r in wh.execute("SELECT article_id FROM articles").fetchall()}

    # The warehouse rebuilt from the bucket alone is the one the run loaded.
    before = snapshot(home)
    elsewhere = tmp_path / "rebuilt"
    result = CliRunner().invoke(app, ["rebuild", "--home", str(elsewhere), "--lake", lake])
    assert result.exit_code == 0, result.output
    assert snapshot(elsewhere) == before

    # A second run over the same inbox changes nothing, in the bucket or the warehouse.
    again = nightly(inbox=inbox, home=home, run_date=RUN_DATE, lake=lake)
    assert again["accounting"]["records_read"] == 0
    with duckdb.connect(str(warehouse_path(home)), read_only=True) as wh:
        assert wh.execute("SELECT count(*) FROM articles").fetchone() == (3,)
