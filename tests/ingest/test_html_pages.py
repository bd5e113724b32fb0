"""The HTML reader on real pages changed the way sites change them: source wrapped at 78 columns, a canonical
URL at the site root. Paragraphs are the unit; the URL a page was fetched from and its structure decide what is
a home page."""

from __future__ import annotations

import re
import textwrap

from transforms.ingest.formats.html import decode_html, extract_html
from transforms.ingest.records import RawRecord, Skipped
from transforms.ingest.registry import read_path

ARTICLE_URL = "http://247wallst.com/investing/2014/12/29/the-4-stocks-that-slimmed-the-djia-monday-slide/"
# Text between tags, where an editor or a CMS wraps the source.
TEXT_BETWEEN_TAGS = re.compile(r"(?<=>)[^<>]+(?=<)")


def wrapped_source(html: str, width: int = 78) -> str:
    """The page with every run of text between tags wrapped at `width` columns, as many CMSs write HTML."""

    def wrap(match: re.Match) -> str:
        text = match.group(0)
        if len(text) <= width:
            return text
        # The spaces at either end separate the text from its neighbours: they stay.
        lead, trail = text[: len(text) - len(text.lstrip())], text[len(text.rstrip()) :]
        lines = textwrap.wrap(text.strip(), width, break_long_words=False, break_on_hyphens=False)
        return lead + "\n".join(lines) + trail

    return TEXT_BETWEEN_TAGS.sub(wrap, html)


def page_html(corpus, name: str) -> str:
    html, _ = decode_html((corpus / "html" / "pages" / name).read_bytes())
    return html


def test_source_wrapped_at_78_columns_reads_as_the_unwrapped_page(corpus):
    # The Press-Enterprise article: before, the wrapped copy was skipped ("widest 78 < 100").
    html = page_html(corpus, "pe.com1.html")
    wrapped = wrapped_source(html)
    runs = [line for match in TEXT_BETWEEN_TAGS.finditer(wrapped) for line in match.group(0).splitlines()]
    assert max(len(line.strip()) for line in runs if " " in line.strip()) <= 78
    original, rewrapped = extract_html(html.encode(), "pe.html"), extract_html(wrapped.encode(), "pe-wrapped.html")
    assert isinstance(original, RawRecord) and isinstance(rewrapped, RawRecord)
    assert rewrapped.fields["text"] == original.fields["text"]


def test_soft_line_breaks_inside_a_paragraph_are_spaces(corpus):
    # nj.com writes links inside paragraphs; the text after a link kept the source's line breaks mid-sentence.
    (item,) = read_path(corpus / "html" / "pages" / "nj.com1.html")
    body = item.fields["text"]
    assert "pushed one of New Jersey’s most conservative state senators over the edge, leading to" in body
    wrapped = extract_html(wrapped_source(page_html(corpus, "nj.com1.html")).encode(), "nj-wrapped.html")
    assert wrapped.fields["text"] == body
    # Every line is a paragraph: none ends mid-sentence on a lower-case word followed by one.
    assert not re.search(r"[a-z,]\n[a-z]", body)


def test_preformatted_text_keeps_its_line_breaks():
    code = "def f():\n    return 1\n\nprint(f())"
    prose = " ".join(["A paragraph of running text around the listing, long enough to be an article."] * 3)
    page = f"<html><body><article><p>{prose}</p><pre>{code}</pre><p>{prose}</p></article></body></html>"
    item = extract_html(page.encode(), "code.html")
    assert isinstance(item, RawRecord)
    assert "return 1\n" in item.fields["text"]


def test_canonical_url_at_the_site_root_does_not_make_an_article_a_home_page(corpus):
    # Sites misconfigure canonical and og:url to their root on article pages.
    html = page_html(corpus, "247wallst.com1.html").replace(ARTICLE_URL, "http://247wallst.com/")
    assert ARTICLE_URL not in html
    item = extract_html(html.encode(), "247wallst.html")
    assert isinstance(item, RawRecord)
    assert item.fields["text"].startswith("December 28, 2014: Markets opened lower on Monday")
    fetched = extract_html(html.encode(), "247wallst.warc#offset=0", url=ARTICLE_URL)
    assert isinstance(fetched, RawRecord) and fetched.fields["url"] == ARTICLE_URL


def test_the_url_a_page_was_fetched_from_decides_a_home_page(corpus):
    html = page_html(corpus, "247wallst.com1.html")
    item = extract_html(html.encode(), "crawl.warc#offset=0", url="http://247wallst.com/")
    assert isinstance(item, Skipped) and item.reason == "home page, not an article: http://247wallst.com/"


def test_front_pages_are_told_by_their_structure(corpus):
    pages = corpus / "html" / "pages"
    (yahoo,) = read_path(pages / "yahoo_main_site.html")  # teasers, each under a linked headline
    (cnn,) = read_path(pages / "cnn_main_site.html")  # canonical at the root, one lead blurb
    assert isinstance(yahoo, Skipped) and "teasers" in yahoo.reason
    assert isinstance(cnn, Skipped) and "1 paragraph(s) of running text" in cnn.reason
