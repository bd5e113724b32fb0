"""The orchestration layer: the `wirehouse` command line, the Prefect flows (nightly, backfill) and their tasks,
where extraction runs, scheduling, run reports and the one settings module.

Sits on top: may import transforms/, warehouse/ and expectations/; none of those imports flows/, and flows/ never
imports bench/.
"""
