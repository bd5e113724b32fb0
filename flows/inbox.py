"""Inbox files and their content hashes, importable without Prefect, spaCy or Great Expectations: the CLI
checks whether anything is new before it starts a flow (a rerun over an unchanged inbox then costs the hashing,
not the orchestrator's start-up).

May import transforms.ingest.records and, when called, warehouse.load.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from transforms.ingest.registry import sidecar_for

HASH_CHUNK_BYTES = 1 << 20


@dataclass
class InboxFile:
    path: Path
    size_bytes: int
    sha256: str


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK_BYTES):
            digest.update(chunk)
    return digest.hexdigest()


def list_inbox(inbox: Path) -> list[Path]:
    """Every readable input under the inbox, in a stable order; sidecar metadata files are not inputs."""
    paths = [p for p in sorted(Path(inbox).rglob("*")) if p.is_file() and not p.name.startswith(".")]
    sidecars = {sidecar for p in paths if (sidecar := sidecar_for(p)) is not None}
    return [p for p in paths if p not in sidecars]


def has_new_files(inbox: Path, home: Path) -> bool:
    """Whether any inbox file's content is not yet ingested into HOME, judged from the committed warehouse.
    When the warehouse cannot be read right away (another run is loading), the answer is yes: the flow then
    decides, and reports a held home as it always does."""
    from warehouse.load import connect, ingested_hashes, warehouse_path

    if not warehouse_path(home).exists():
        return True
    try:
        with connect(home, read_only=True, wait_seconds=0) as con:
            known = ingested_hashes(con)
    except Exception:  # busy, or a warehouse from before ingested_files: not ours to judge here
        return True
    return any(file_sha256(path) not in known for path in list_inbox(inbox))
