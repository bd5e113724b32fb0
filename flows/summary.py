"""What a run accounts for: its records (`Accounting`), its seconds per stage (`StageClock`) and the whole
`RunSummary` that the flows return, record in `runs` and report.

The flows (nightly, backfill) build these and the reports (flows/report.py) read them, so they live apart from
both. Imports nothing of wirehouse.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import asdict, astuple, dataclass, field


@dataclass
class Accounting:
    """Every input record counted exactly once: as loaded, duplicate, skipped or quarantined."""

    records_read: int = 0
    loaded: int = 0
    duplicates: int = 0
    skipped: int = 0
    quarantined: int = 0

    @property
    def balanced(self) -> bool:
        return self.records_read == self.loaded + self.duplicates + self.skipped + self.quarantined

    def __add__(self, other: Accounting) -> Accounting:
        """Two chunks' records together: each was counted once in its own chunk."""
        return Accounting(*(a + b for a, b in zip(astuple(self), astuple(other), strict=True)))


@dataclass
class RunSummary:
    run_id: str
    status: str
    accounting: Accounting
    table_rows: dict[str, int]
    quarantined_rows: dict[str, int]
    stage_seconds: dict[str, float]
    expectations: list[dict] = field(default_factory=list)
    files_read: int = 0
    near_duplicates: int = 0
    message: str = ""
    # For the run report: the most frequent quarantine reasons, where the tables went, how extraction ran.
    quarantine_reasons: list[dict] = field(default_factory=list)
    lake: str = ""
    runner: str = ""
    data_docs: str = ""

    def as_dict(self) -> dict:
        return asdict(self)


class StageClock:
    """Seconds spent per stage, for the run report."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self._last = time.perf_counter()

    def lap(self, stage: str) -> None:
        current = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + current - self._last
        self._last = current


def summed(counts: Iterable[dict[str, float]]) -> dict:
    """Per-key sums of several chunks' counts or seconds, keys in their first order."""
    total: dict = {}
    for part in counts:
        for key, value in part.items():
            total[key] = total.get(key, 0) + value
    return total
