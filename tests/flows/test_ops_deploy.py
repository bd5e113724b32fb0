"""prefect.yaml and `wirehouse serve`, checked through Prefect's own deploy machinery, without a server.

The deployment file is read by the same functions `prefect deploy --all` uses (pydantic model of prefect.yaml,
default merge, env templating, schedule construction), every entrypoint is loaded, and every deployment's
parameters are validated against its flow's parameter schema, as the server does when it creates a deployment.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

PREFECT_YAML = REPO / "prefect.yaml"


def deploy_configs(monkeypatch) -> list[dict]:
    from prefect.cli.deploy._config import (
        _handle_deprecated_schedule_fields,
        _load_deploy_configs_and_actions,
        _merge_with_default_deploy_config,
    )
    from prefect.utilities.templating import apply_values
    from rich.console import Console

    monkeypatch.setenv("WIREHOUSE_INBOX", "/srv/wirehouse/inbox")
    monkeypatch.setenv("WIREHOUSE_HOME", "/srv/wirehouse/home")
    console = Console(record=True, width=200)
    configs, actions = _load_deploy_configs_and_actions(PREFECT_YAML, console=console)
    # Prefect prints validation problems and goes on with an empty file: nothing printed means the model accepted it.
    assert console.export_text().strip() == ""
    assert actions["build"] == [] and actions["push"] == []
    resolved = []
    for config in configs:
        config = _handle_deprecated_schedule_fields(_merge_with_default_deploy_config(config))
        resolved.append(apply_values(config, dict(os.environ), remove_notset=False))
    return resolved


def test_prefect_yaml_deployments_validate_dry_run(monkeypatch):
    from prefect.cli.deploy._schedules import _construct_schedules
    from prefect.client.schemas.schedules import CronSchedule
    from prefect.flows import load_flow_from_entrypoint
    from prefect.utilities.callables import parameter_schema
    from prefect.utilities.schema_tools import validate
    from rich.console import Console

    monkeypatch.chdir(REPO)
    configs = {c["name"]: c for c in deploy_configs(monkeypatch)}
    assert set(configs) == {"nightly", "backfill"}

    for name, config in configs.items():
        flow = load_flow_from_entrypoint(config["entrypoint"])
        assert flow.name == name
        schema = parameter_schema(flow).model_dump_for_openapi()
        # What the server checks when the deployment is created (required values may come with each run).
        assert validate(config["parameters"], schema, raise_on_error=True, ignore_required=True) == []
        assert config["work_pool"]["name"] == "wirehouse"
        assert "run_date" in schema["properties"], f"{name} must take run_date"

    nightly = configs["nightly"]
    assert nightly["parameters"] == {
        "inbox": "/srv/wirehouse/inbox",
        "home": "/srv/wirehouse/home",
        "runner": "threads",
    }
    # Scheduled runs leave run_date unset so the flow takes the scheduled day.
    assert "run_date" not in nightly["parameters"]
    schedules = _construct_schedules(nightly, {}, console=Console(), is_interactive=lambda: False)
    assert len(schedules) == 1 and schedules[0]["active"] is True
    schedule = schedules[0]["schedule"]
    assert isinstance(schedule, CronSchedule) and schedule.cron == "0 2 * * *" and schedule.timezone == "UTC"

    backfill = configs["backfill"]
    assert backfill["entrypoint"] == "flows/backfill.py:backfill"
    assert _construct_schedules(backfill, {}, console=Console(), is_interactive=lambda: False) is None


def test_prefect_yaml_timezone_is_configurable_at_deploy(monkeypatch):
    """`prefect deploy --name nightly --timezone Europe/Berlin` rewrites the schedule's time zone."""
    from prefect.cli.deploy._config import _apply_cli_options_to_deploy_config
    from prefect.cli.deploy._schedules import _construct_schedules
    from rich.console import Console

    nightly = next(c for c in deploy_configs(monkeypatch) if c["name"] == "nightly")
    config, _ = _apply_cli_options_to_deploy_config(nightly, {"timezone": "Europe/Berlin"}, console=Console())
    schedule = _construct_schedules(config, {}, console=Console(), is_interactive=lambda: False)[0]["schedule"]
    assert (schedule.cron, schedule.timezone) == ("0 2 * * *", "Europe/Berlin")


def test_serve_builds_scheduled_nightly_and_backfill_deployments(tmp_path):
    from prefect.client.schemas.schedules import CronSchedule

    from flows.serve import build_deployments

    deployments = {
        d.name: d
        for d in build_deployments(
            inbox=tmp_path / "inbox",
            home=tmp_path / "home",
            runner="dask",
            dask_address="tcp://127.0.0.1:8786",
            timezone="America/New_York",
        )
    }
    assert set(deployments) == {"nightly", "backfill"}
    nightly = deployments["nightly"]
    assert nightly.parameters == {
        "inbox": str(tmp_path / "inbox"),
        "home": str(tmp_path / "home"),
        "runner": "dask",
        "dask_address": "tcp://127.0.0.1:8786",
    }
    schedule = nightly.schedules[0].schedule
    assert isinstance(schedule, CronSchedule) and (schedule.cron, schedule.timezone) == (
        "0 2 * * *",
        "America/New_York",
    )
    assert deployments["backfill"].schedules == [] or deployments["backfill"].schedules is None
    # Only parameters the backfill flow takes (it may or may not take a runner).
    from prefect.utilities.callables import parameter_schema

    from flows.backfill import backfill

    schema = parameter_schema(backfill).model_dump_for_openapi()
    assert set(deployments["backfill"].parameters) <= set(schema["properties"])
    assert deployments["backfill"].parameters["home"] == str(tmp_path / "home")


def test_serve_without_a_server_says_how_to_start_one(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect")
    result = subprocess.run(
        [sys.executable, "-m", "flows.cli", "serve", "--inbox", str(tmp_path), "--home", str(tmp_path / "home")],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 3, result.stderr
    said = " ".join(result.stdout.split())
    assert "prefect server start" in said and "PREFECT_API_URL" in said


@pytest.mark.parametrize("runner", ["threads", "processes", "dask"])
def test_runner_names_map_to_prefect_task_runners(runner, monkeypatch):
    from prefect.task_runners import ProcessPoolTaskRunner, ThreadPoolTaskRunner
    from prefect_dask import DaskTaskRunner

    from flows.runners import make_task_runner

    monkeypatch.delenv("WIREHOUSE_DASK_ADDRESS", raising=False)
    expected = {"threads": ThreadPoolTaskRunner, "processes": ProcessPoolTaskRunner, "dask": DaskTaskRunner}[runner]
    assert isinstance(make_task_runner(runner, workers=2), expected)


def test_chunks_cover_the_frame_in_order():
    import polars as pl

    from flows.runners import chunks

    frame = pl.DataFrame({"i": list(range(130))})
    parts = chunks(frame, 64)
    assert [p.height for p in parts] == [64, 64, 2]
    assert pl.concat(parts)["i"].to_list() == list(range(130))


def test_readme_documents_scheduling_and_scale_out():
    readme = (REPO / "README.md").read_text()
    for heading in ("## Scheduling", "## Scale-out"):
        assert heading in readme
    for needle in (
        "prefect server start",
        "PREFECT_API_URL",
        "wirehouse serve",
        "wirehouse rebuild",
        "--dask-address",
        "core-hour",
        "0 2 * * *",
    ):
        assert needle in readme, needle
    assert Path(REPO / "prefect.yaml").exists()
