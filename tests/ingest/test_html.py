"""The HTML body-text evaluation: token scores, pages without a gold body, the report."""

from __future__ import annotations

import shutil

import pytest

from transforms.evaluate.html import evaluate_html, format_report, has_gold_body, token_overlap

PAGES = ["247wallst.com1", "cnn_article", "chinese_article", "reuters.com4", "bloomberg.com1", "theroot.com1"]


def test_token_overlap_counts_words_as_bags():
    counts = token_overlap("The cat, the hat.", "the the cat sat")
    assert counts == {"matched": 3, "extracted": 4, "expected": 4}


def test_unspaced_scripts_count_character_by_character():
    assert token_overlap("北京欢迎你", "北京")["matched"] == 2


def test_annotator_remarks_and_empty_files_are_not_gold():
    assert not has_gold_body("")
    assert not has_gold_body("MISSED LAST PARAGRAPH")
    assert has_gold_body("دمشق، سوريا (CNN) -- أكدت جهات سورية")
    assert has_gold_body("Markets opened lower on Monday.")


def test_evaluation_of_corpus_pages(tmp_path, corpus):
    pages, expected = tmp_path / "pages", tmp_path / "expected"
    pages.mkdir()
    expected.mkdir()
    for stem in PAGES:
        if not (corpus / "html" / "pages" / f"{stem}.html").exists():
            pytest.skip(f"corpus page {stem} missing")
        shutil.copy(corpus / "html" / "pages" / f"{stem}.html", pages)
        shutil.copy(corpus / "html" / "expected-text" / f"{stem}.txt", expected)
    result = evaluate_html(pages, expected)
    assert result["no_gold"] == ["theroot.com1.html"]
    assert len(result["pages"]) == len(PAGES) - 1
    assert result["macro"]["f1"] >= 0.9 and result["micro"]["f1"] >= 0.9
    report = format_report(result)
    assert "macro (headline)" in report and "micro" in report
