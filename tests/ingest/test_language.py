"""Language detection on real article bodies."""

from __future__ import annotations

import json

from transforms.ingest.language import detect_language
from transforms.ingest.records import RawRecord
from transforms.ingest.registry import read_path


def test_english_news_articles(corpus):
    paths = sorted((corpus / "newsplease" / "news_cluster").glob("*.json"))[:20]
    bodies = [json.loads(path.read_text())["text"] for path in paths]
    assert [detect_language(body) for body in bodies if body] == ["en"] * sum(bool(body) for body in bodies)


def test_other_languages_from_the_html_pages(corpus):
    pages = corpus / "html" / "pages"
    expected = {"chinese_article": "zh", "arabic_article": "ar", "thai_article": "th", "spanish_article": "es"}
    for stem, language in expected.items():
        text = (corpus / "html" / "expected-text" / f"{stem}.txt").read_text(encoding="utf-8")
        assert detect_language(text) == language, stem
    (japanese,) = read_path(pages / "japanese_article.html")
    assert isinstance(japanese, RawRecord) and detect_language(japanese.fields["text"]) == "ja"


def test_too_short_to_tell():
    assert detect_language("") is None
    assert detect_language("Click here") is None
    assert detect_language("12 345 678 — 9") is None


def test_uses_a_prefix_so_long_bodies_stay_fast(corpus):
    body = (corpus / "bbc" / "business" / "001.txt").read_text(encoding="utf-8", errors="replace")
    assert detect_language(body * 200) == "en"
