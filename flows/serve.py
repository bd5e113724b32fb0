"""`wirehouse serve`: run the nightly schedule (and on-demand backfills) from this process, against a Prefect server.

Prefect schedules need a real API server (the temporary one a bare flow call starts refuses to schedule):

    prefect server start                                   # UI and API on http://127.0.0.1:4200
    export PREFECT_API_URL=http://127.0.0.1:4200/api
    wirehouse serve --inbox /data/inbox --home /data/home --timezone Europe/Berlin

This is `flow.to_deployment(...)` + `prefect.serve(...)`: the deployments `nightly` (cron, by default 02:00 in
the given time zone) and `backfill` (no schedule; started with `prefect deployment run backfill/backfill -p ...`)
are created on the server and this process polls for their runs and executes them. The same deployments,
for workers instead of a long-lived process, are described in prefect.yaml (`prefect deploy --all`).

May import flows.settings, flows.nightly and flows.backfill.
"""

from __future__ import annotations

from pathlib import Path

from flows import settings


class NoPrefectServer(RuntimeError):
    pass


def api_url() -> str | None:
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


def require_server() -> str:
    url = api_url()
    if not url:
        raise NoPrefectServer(
            "no Prefect server configured: schedules need one. Start it with `prefect server start` and set "
            "PREFECT_API_URL (e.g. export PREFECT_API_URL=http://127.0.0.1:4200/api), or use the crontab line "
            "from the README (`wirehouse run` needs no server)."
        )
    return url


def nightly_parameters(inbox: Path, home: Path, lake: str | None, runner: str, dask_address: str | None) -> dict:
    """Deployment parameters; run_date is left out so each scheduled run processes its scheduled day."""
    parameters = {"inbox": str(Path(inbox).resolve()), "home": str(Path(home).resolve()), "runner": runner}
    if lake:
        parameters["lake"] = lake
    if dask_address:
        parameters["dask_address"] = dask_address
    return parameters


def build_deployments(
    inbox: Path,
    home: Path,
    lake: str | None = None,
    runner: str = settings.DEFAULT_RUNNER,
    dask_address: str | None = None,
    cron: str = settings.NIGHTLY_CRON,
    timezone: str | None = None,
) -> list:
    """RunnerDeployments for `nightly` (scheduled) and `backfill` (on demand)."""
    from prefect.schedules import Cron

    from flows.backfill import backfill
    from flows.nightly import nightly

    timezone = settings.timezone(timezone)
    deployments = [
        nightly.to_deployment(
            name="nightly",
            schedules=[Cron(cron, timezone=timezone)],
            parameters=nightly_parameters(inbox, home, lake, runner, dask_address),
            description=f"wirehouse nightly run, {cron} {timezone}",
            tags=["wirehouse"],
        )
    ]
    parameters = {"home": str(Path(home).resolve()), "runner": runner, "lake": lake, "dask_address": dask_address}
    deployments.append(
        backfill.to_deployment(
            name="backfill",
            parameters={k: v for k, v in parameters.items() if v is not None},
            description="wirehouse backfill over archives (on demand)",
            tags=["wirehouse"],
        )
    )
    return deployments


def serve(**kwargs) -> None:
    """Create the deployments on the configured server and execute their runs until interrupted."""
    from prefect import serve as prefect_serve

    require_server()
    prefect_serve(*build_deployments(**kwargs))
