"""Body-text accuracy of the HTML reader: token precision, recall and F1 against expected texts.

Tokens are lower-cased words (`\\w+`; characters in scripts written without spaces), compared as bags
(multisets), so order and whitespace do not count. Macro figures average the per-page scores (every page weighs
the same: a failed page shows); micro figures pool the tokens of all pages (long pages weigh more).
Some expected files hold no body: they are empty, or an annotator's remark in capitals ("MISSED LAST PARAGRAPH")
where the text should be. Those pages have no gold standard: the headline, macro F1, leaves them out; the same
figures over every page, remarks taken as the expected text, are reported beside it.

    python -m transforms.evaluate.html --pages ../shared/corpus/html/pages --expected ../shared/corpus/html/expected-text
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

from transforms.ingest.formats.html import read_html
from transforms.ingest.records import RawRecord

# Scripts written without spaces (Chinese, Japanese kana, Thai) count character by character.
UNSPACED = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
TOKEN = re.compile(f"[{UNSPACED}]|[^\\W{UNSPACED}]+")
HTML_SUFFIXES = {".html", ".htm"}
WORST_PAGES_SHOWN = 10


def evaluate_html(pages_dir: Path, expected_dir: Path) -> dict:
    """Scores of every page in `pages_dir` that has `<stem>.txt` in `expected_dir`: `pages` (those with a gold
    body) with their `macro` and `micro` means, `no_gold` (page names), `all_pages` (means over every page)."""
    scored, no_gold = [], []
    for page, expected in _pairs(Path(pages_dir), Path(expected_dir)):
        expected_text = expected.read_text(encoding="utf-8")
        score = page_score(page, expected_text)
        (scored if has_gold_body(expected_text) else no_gold).append(score)
    every_page = scored + no_gold
    return {
        "pages": scored,
        "macro": _macro(scored),
        "micro": _micro(scored),
        "no_gold": [score["page"] for score in no_gold],
        "all_pages": {"count": len(every_page), "macro": _macro(every_page), "micro": _micro(every_page)},
    }


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
    extracted, outcome = extract_body(page)
    counts = token_overlap(extracted, expected_text)
    return {"page": page.name, "outcome": outcome, **counts, **_prf(counts)}


def extract_body(page: Path) -> tuple[str, str]:
    """The body the reader loads for a page ("" when it skips or rejects it) and what it did."""
    with page.open("rb") as stream:
        item = next(read_html(stream, str(page)))
    if isinstance(item, RawRecord):
        return item.fields.get("text", ""), "loaded"
    return "", f"{type(item).__name__.lower()}: {item.reason}"


def token_overlap(extracted: str, expected: str) -> dict:
    got, want = Counter(TOKEN.findall(extracted.lower())), Counter(TOKEN.findall(expected.lower()))
    return {"matched": sum((got & want).values()), "extracted": sum(got.values()), "expected": sum(want.values())}


def _prf(counts: dict) -> dict:
    matched, extracted, expected = counts["matched"], counts["extracted"], counts["expected"]
    # Nothing extracted where nothing was expected is a perfect answer, not 0/0.
    precision = matched / extracted if extracted else float(expected == 0)
    recall = matched / expected if expected else float(extracted == 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def _macro(pages: list[dict]) -> dict:
    if not pages:
        return {"precision": 0.0, "recall": 0.0, "f1": 0.0}
    return {key: sum(page[key] for page in pages) / len(pages) for key in ("precision", "recall", "f1")}


def _micro(pages: list[dict]) -> dict:
    totals = {key: sum(page[key] for page in pages) for key in ("matched", "extracted", "expected")}
    return _prf(totals)


def format_report(result: dict) -> str:
    macro, micro, pages, every = result["macro"], result["micro"], result["pages"], result["all_pages"]
    lines = [
        f"HTML body extraction, {len(pages)} pages scored (token bags: lower-cased words, CJK/Thai characters)",
        f"  macro (headline): P {macro['precision']:.3f}  R {macro['recall']:.3f}  F1 {macro['f1']:.3f}",
        f"  micro:            P {micro['precision']:.3f}  R {micro['recall']:.3f}  F1 {micro['f1']:.3f}",
        f"  pages not loaded: {sum(page['outcome'] != 'loaded' for page in pages)}",
        f"  all {every['count']} pages, annotator remarks taken as expected text: "
        f"macro F1 {every['macro']['f1']:.3f}, micro F1 {every['micro']['f1']:.3f}",
        f"  not scored, no gold body in the expected file: {len(result['no_gold'])} {', '.join(result['no_gold'])}",
        f"  worst {min(WORST_PAGES_SHOWN, len(pages))} pages by F1:",
    ]
    for page in sorted(pages, key=lambda page: page["f1"])[:WORST_PAGES_SHOWN]:
        lines.append(
            f"    {page['f1']:.3f}  P {page['precision']:.3f}  R {page['recall']:.3f}  {page['page']}  ({page['outcome']})"
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
