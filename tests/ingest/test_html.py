"""The HTML body-text evaluation: ROUGE-LSum as the extraction benchmark scores it, pages without a gold body,
the side-by-side report."""

from __future__ import annotations

import shutil

import pytest

from transforms.evaluate.html import evaluate_html, format_report, has_gold_body, rouge_lsum

PAGES = ["247wallst.com1", "cnn_article", "chinese_article", "reuters.com4", "bloomberg.com1", "theroot.com1"]


def test_rouge_lsum_takes_the_union_of_sentence_lcs():
    # Lin (2004), section 3.2: r = w1..w5 against c1 = w1 w2 w6 w7 w8 and c2 = w1 w3 w8 w9 w5: the union
    # of the two LCS is w1 w2 w3 w5, so recall 4/5 and precision 4/10.
    score = rouge_lsum("w1 w2 w3 w4 w5.", "w1 w2 w6 w7 w8. w1 w3 w8 w9 w5.")
    assert score["recall"] == pytest.approx(0.8)
    assert score["precision"] == pytest.approx(0.4)
    assert score["f1"] == pytest.approx(2 * 0.8 * 0.4 / 1.2)


def test_rouge_lsum_tokens_are_whitespace_separated_and_case_kept():
    assert rouge_lsum("The cat sat.", "the cat sat.")["f1"] == pytest.approx(2 / 3)
    assert rouge_lsum("The cat\nsat.", "The  cat sat.")["f1"] == 1.0


def test_nothing_extracted_scores_zero_and_nothing_expected_needs_nothing():
    assert rouge_lsum("Markets opened lower on Monday.", "")["f1"] == 0.0
    assert rouge_lsum("", "")["f1"] == 1.0
    assert rouge_lsum("", "Some text.")["f1"] == 0.0


def test_annotator_remarks_and_empty_files_are_not_gold():
    assert not has_gold_body("")
    assert not has_gold_body("MISSED LAST PARAGRAPH")
    assert has_gold_body("دمشق، سوريا (CNN) -- أكدت جهات سورية")
    assert has_gold_body("Markets opened lower on Monday.")


def test_evaluation_of_corpus_pages_side_by_side(tmp_path, corpus):
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
    assert result["macro"]["wirehouse"]["f1"] >= 0.85 and result["macro"]["trafilatura"]["f1"] >= 0.7
    report = format_report(result)
    assert "ROUGE-LSum" in report and "wirehouse:" in report and "trafilatura:" in report
