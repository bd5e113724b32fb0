"""flows/settings.py is the one place of each WIREHOUSE_* setting and shared default: prefect.yaml (which cannot
import it) says the same, and no module reads a WIREHOUSE_* variable that the settings module does not name."""

from __future__ import annotations

import re

import yaml

from flows import settings
from tests.conftest import REPO

PREFECT_YAML = REPO / "prefect.yaml"
ENV_NAME = re.compile(r"\bWIREHOUSE_[A-Z_]+\b")


def deployments() -> dict[str, dict]:
    config = yaml.safe_load(PREFECT_YAML.read_text(encoding="utf-8"))
    return {d["name"]: d for d in config["deployments"]}


def template(env: str) -> str:
    return "{{ $" + env + " }}"


def test_prefect_yaml_schedule_is_the_settings_schedule():
    (schedule,) = deployments()["nightly"]["schedules"]
    assert schedule["cron"] == settings.NIGHTLY_CRON
    assert schedule["timezone"] == settings.DEFAULT_TIMEZONE


def test_prefect_yaml_parameters_are_the_settings_defaults():
    found = deployments()
    assert found["nightly"]["parameters"] == {
        "inbox": template(settings.INBOX_ENV),
        "home": template(settings.HOME_ENV),
        "runner": settings.DEFAULT_RUNNER,
    }
    assert found["backfill"]["parameters"] == {"home": template(settings.HOME_ENV), "runner": settings.DEFAULT_RUNNER}


def test_every_wirehouse_variable_read_is_named_in_the_settings_module():
    named = set(ENV_NAME.findall((REPO / "flows" / "settings.py").read_text(encoding="utf-8")))
    read = {
        (name, path.relative_to(REPO).as_posix())
        for package in ("flows", "transforms", "warehouse", "expectations")
        for path in sorted((REPO / package).rglob("*.py"))
        for name in ENV_NAME.findall(path.read_text(encoding="utf-8"))
    }
    assert {pair for pair in read if pair[0] not in named} == set()
