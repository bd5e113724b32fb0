"""Body-text accuracy of the HTML reader against expected texts, side by side with plain trafilatura, by the
method of the Web Content Extraction Benchmark (Bevendorff et al. 2023, SIGIR).

The score is ROUGE-LSum F1 on whitespace tokens (case kept, no stemming): the texts are split into sentences,
each expected sentence takes the union of its longest common subsequences with every extracted sentence, and a
token counts once however many unions hold it. A page the reader skips or rejects scores 0 (nothing extracted),
and trafilatura is run as `trafilatura.extract(html, include_comments=False)` on the same decoded page. The
folder is one dataset: its score is the mean over its pages (the benchmark then averages datasets with the same
weight, its macro average; one dataset's macro is its mean). Some expected files
hold no body: empty, or an annotator's remark in capitals ("MISSED LAST PARAGRAPH"); those pages have no gold
standard and are listed, not scored.
The benchmark scores with `rouge-score`, which splits sentences with NLTK's Punkt; neither is a dependency here,
so the LCS is computed below (a row of the LCS table at a time, for all extracted sentences at once, with numpy)
and sentences end at `.`, `!` or `?` (closing quotes or brackets included) before whitespace, as Punkt's
candidates do; like Punkt, a line break alone does not end a sentence.

    python -m transforms.evaluate.html --pages ../shared/corpus/html/pages --expected ../shared/corpus/html/expected-text

May import every transforms package (the top layer).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

import numpy as np
import trafilatura

from transforms.ingest.formats.html import decode_html, read_html
from transforms.ingest.records import RawRecord, UnreadableText

SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’)\]]*\s+")
HTML_SUFFIXES = {".html", ".htm"}
WORST_PAGES_SHOWN = 10
EXTRACTORS = ("wirehouse", "trafilatura")


def evaluate_html(pages_dir: Path, expected_dir: Path) -> dict:
    """Scores of every page in `pages_dir` that has `<stem>.txt` in `expected_dir`: `pages` (those with a gold
    body, each with both extractors' scores), `macro` (per extractor, the mean precision, recall and F1 over
    the pages) and `no_gold` (page names)."""
    scored, no_gold = [], []
    for page, expected in _pairs(Path(pages_dir), Path(expected_dir)):
        expected_text = expected.read_text(encoding="utf-8")
        if has_gold_body(expected_text):
            scored.append(page_score(page, expected_text))
        else:
            no_gold.append(page.name)
    return {"pages": scored, "macro": {name: _mean(scored, name) for name in EXTRACTORS}, "no_gold": no_gold}


def has_gold_body(expected_text: str) -> bool:
    """False for an empty file or an annotator's remark: mostly capitals and no lower-case letter at all."""
    letters = [ch for ch in expected_text if ch.isalpha()]
    capitals = sum(ch.isupper() for ch in letters)
    shouting = capitals > len(letters) / 2 and not any(ch.islower() for ch in letters)
    return bool(letters) and not shouting


def _pairs(pages_dir: Path, expected_dir: Path) -> list[tuple[Path, Path]]:
    pages = sorted(p for p in pages_dir.iterdir() if p.suffix.lower() in HTML_SUFFIXES)
    return [(page, expected_dir / f"{page.stem}.txt") for page in pages if (expected_dir / f"{page.stem}.txt").exists()]


def page_score(page: Path, expected_text: str) -> dict:
    data = page.read_bytes()
    extracted, outcome = wirehouse_body(page)
    return {
        "page": page.name,
        "outcome": outcome,
        "wirehouse": rouge_lsum(expected_text, extracted),
        "trafilatura": rouge_lsum(expected_text, trafilatura_body(data)),
    }


def wirehouse_body(page: Path) -> tuple[str, str]:
    """The body the reader loads for a page ("" when it skips or rejects it) and what it did."""
    with page.open("rb") as stream:
        item = next(read_html(stream, str(page)))
    if isinstance(item, RawRecord):
        return item.fields.get("text", ""), "loaded"
    return "", f"{type(item).__name__.lower()}: {item.reason}"


def trafilatura_body(data: bytes) -> str:
    """The baseline: trafilatura's own text output with comments left out, on the page decoded as the reader
    decodes it (so both see the same characters)."""
    try:
        html, _ = decode_html(data)
    except UnreadableText:
        return ""
    return trafilatura.extract(html, include_comments=False) or ""


def rouge_lsum(expected: str, extracted: str) -> dict:
    """ROUGE-LSum precision, recall and F1 of `extracted` against `expected`, as rouge-score computes it."""
    reference, candidate = _sentences(expected), _sentences(extracted)
    if not reference:  # the benchmark's rule: nothing to find is found by extracting nothing
        return _prf(1.0, 1.0 if not candidate else 0.0)
    wanted, offered = sum(map(len, reference)), sum(map(len, candidate))
    if not offered:
        return _prf(0.0, 0.0)
    ids = {token: n for n, token in enumerate({t for sentence in reference + candidate for t in sentence})}
    reference_ids = [[ids[t] for t in sentence] for sentence in reference]
    candidate_ids = [[ids[t] for t in sentence] for sentence in candidate]
    left_in_reference = Counter(t for sentence in reference_ids for t in sentence)
    left_in_candidate = Counter(t for sentence in candidate_ids for t in sentence)
    hits = 0
    for sentence in reference_ids:
        for token in (sentence[i] for i in _union_lcs(sentence, candidate_ids)):
            # Each token counts once, however many sentences' unions hold it (as ROUGE 1.5.5 does).
            if left_in_reference[token] > 0 and left_in_candidate[token] > 0:
                hits += 1
                left_in_reference[token] -= 1
                left_in_candidate[token] -= 1
    return _prf(hits / offered, hits / wanted)


def _sentences(text: str) -> list[list[str]]:
    return [tokens for part in SENTENCE_END.split(text) if (tokens := part.split())]


def _union_lcs(reference: list[int], candidates: list[list[int]]) -> set[int]:
    """Positions in `reference` on the longest common subsequence with any candidate sentence.

    The candidates are laid end to end, each behind a separator column that stays 0, and the LCS table is built a
    reference token at a time: a cell is the running maximum, within its sentence, of the cell above and of the
    diagonal plus a match, which is the LCS recurrence. An offset per sentence keeps the running maximum from
    crossing a separator."""
    lengths = [len(sentence) for sentence in candidates]
    starts = np.cumsum([0] + [n + 1 for n in lengths[:-1]])  # each sentence's separator column
    row_of_tokens = np.full(sum(lengths) + len(candidates), -1)
    segment = np.repeat(np.arange(len(candidates)), [n + 1 for n in lengths])
    for start, sentence in zip(starts, candidates, strict=True):
        row_of_tokens[start + 1 : start + 1 + len(sentence)] = sentence
    offset = segment * (len(reference) + 1)
    separators = np.zeros(len(row_of_tokens), dtype=bool)
    separators[starts] = True
    table = np.zeros((len(reference) + 1, len(row_of_tokens)), dtype=np.int64)
    for i, token in enumerate(reference, start=1):
        above = table[i - 1]
        diagonal = np.concatenate(([0], above[:-1])) + (row_of_tokens == token)
        cell = np.maximum(above, diagonal)
        cell[separators] = 0
        table[i] = np.maximum.accumulate(cell + offset) - offset
    union: set[int] = set()
    for start, sentence in zip(starts, candidates, strict=True):
        if table[len(reference), start + len(sentence)]:
            union |= _backtrack(table, reference, sentence, start)
    return union


def _backtrack(table: np.ndarray, reference: list[int], sentence: list[int], start: int) -> set[int]:
    # rouge-score's walk: take a match, else go left when that cell is larger, else up.
    i, j, found = len(reference), len(sentence), set()
    while i > 0 and j > 0:
        if reference[i - 1] == sentence[j - 1]:
            found.add(i - 1)
            i, j = i - 1, j - 1
        elif table[i, start + j - 1] > table[i - 1, start + j]:
            j -= 1
        else:
            i -= 1
    return found


def _prf(precision: float, recall: float) -> dict:
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _mean(pages: list[dict], extractor: str) -> dict:
    if not pages:
        return _prf(0.0, 0.0)
    return {key: sum(page[extractor][key] for page in pages) / len(pages) for key in ("precision", "recall", "f1")}


def format_report(result: dict) -> str:
    pages, ours, theirs = result["pages"], result["macro"]["wirehouse"], result["macro"]["trafilatura"]
    lines = [
        f"HTML body extraction, {len(pages)} pages scored: ROUGE-LSum on whitespace tokens (WCEB method)",
        f"  wirehouse:   P {ours['precision']:.3f}  R {ours['recall']:.3f}  F1 {ours['f1']:.3f}",
        f"  trafilatura: P {theirs['precision']:.3f}  R {theirs['recall']:.3f}  F1 {theirs['f1']:.3f}"
        "  (include_comments=False)",
        f"  difference:  F1 {ours['f1'] - theirs['f1']:+.3f}",
        f"  pages not loaded (scored 0): {sum(page['outcome'] != 'loaded' for page in pages)}",
        f"  not scored, no gold body in the expected file: {len(result['no_gold'])} {', '.join(result['no_gold'])}",
        f"  worst {min(WORST_PAGES_SHOWN, len(pages))} pages by wirehouse F1 (trafilatura F1 beside):",
    ]
    for page in sorted(pages, key=lambda page: page["wirehouse"]["f1"])[:WORST_PAGES_SHOWN]:
        lines.append(
            f"    {page['wirehouse']['f1']:.3f}  ({page['trafilatura']['f1']:.3f})  {page['page']}  ({page['outcome']})"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=Path, required=True, help="folder of .html pages")
    parser.add_argument("--expected", type=Path, required=True, help="folder of <page stem>.txt expected bodies")
    args = parser.parse_args(argv)
    print(format_report(evaluate_html(args.pages, args.expected)))


if __name__ == "__main__":
    main()
