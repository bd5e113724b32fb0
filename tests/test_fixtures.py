"""The in-repo excerpts are verbatim copies of the corpus paragraphs they name (see tests/fixtures/README.md)."""

from __future__ import annotations

import json

from tests.conftest import CORPUS, EXCERPTS, NEEDS_CORPUS

pytestmark = NEEDS_CORPUS

EXCERPT_FILES = sorted(EXCERPTS.rglob("*.txt"))


def source_text(relative: str) -> str:
    path = CORPUS / relative
    if path.exists():
        return path.read_text(encoding="utf-8")
    return json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["text"]


def test_every_excerpt_paragraph_is_in_its_corpus_file():
    assert len(EXCERPT_FILES) >= 10
    for path in EXCERPT_FILES:
        source = source_text(str(path.relative_to(EXCERPTS)))
        for paragraph in path.read_text(encoding="utf-8").strip("\n").split("\n\n"):
            assert paragraph in source, f"{path.relative_to(EXCERPTS)}: {paragraph[:80]!r}"
