"""HTML pages: the article body without boilerplate, plus its metadata, by trafilatura (dates by htmldate).

One page, one item: a RawRecord (text, title, url, canonical_url, date_publish, outlet, source_domain, authors,
language, and fetched_at for crawled pages), Skipped when it is not an article (no body, no paragraph of running
text, a home or index page), Rejected when it is not text at all.
Paragraphs are the unit: a line break in the HTML source is a space (as a browser shows it), each line of the
body is a paragraph or a <br>, and the running-text check measures whole paragraphs.
Works on strings only, so nothing is ever fetched: trafilatura downloads only when asked to with a URL.
May import transforms.ingest.records, transforms.ingest.limits and transforms.ingest.language (the page's language is decided here, from
its extracted body, with the page's own `lang` attribute, which only this reader sees, as the fallback).
"""

from __future__ import annotations

import codecs
import logging
import re
import unicodedata
import warnings
from collections.abc import Iterator
from copy import copy
from typing import BinaryIO, NamedTuple
from urllib.parse import urlsplit

import ftfy
import trafilatura
from dateutil.parser import UnknownTimezoneWarning
from lxml.etree import strip_tags
from lxml.html import HtmlElement
from trafilatura.metadata import extract_metadata
from trafilatura.utils import detect_encoding, load_html
from trafilatura.xml import xmltotxt

from transforms.ingest.language import detect_language
from transforms.ingest.limits import read_record
from transforms.ingest.records import Item, RawRecord, Rejected, Skipped, UnreadableText, snippet

# trafilatura logs an ERROR for each page it cannot parse; the reader records that page as Skipped with the reason.
logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
# htmldate reads zone names like "EST" through dateutil, which warns on every page; the date is still found.
warnings.filterwarnings("ignore", category=UnknownTimezoneWarning)

# An article has running text: at least one paragraph this wide (CJK characters count double, as they are
# displayed). Lists, menus, galleries, video and error pages have none (in the corpus: 8 of the 16 Common Crawl
# pages, and the 404, gallery and video-promotion pages among the news pages).
MIN_PARAGRAPH_WIDTH = 100
# The blocks of trafilatura's body that are paragraphs, measured whole (a <br> inside one does not split it).
PARAGRAPHS = ("p", "head", "item", "quote", "cell", "code")
# Whitespace holding a line break; in preformatted elements line breaks are the text's own.
SOFT_LINE_BREAK = re.compile(r"[ \t\f]*[\r\n][ \t\r\n\f]*")
PREFORMATTED = ("pre", "textarea", "listing", "plaintext")
# A block with this share of its text in links is a list of links, not running text (a 404 page's "stories
# about watches, street style, suits, ..." is one long line of links).
LINK_LIST_DENSITY = 0.5
# A page is a front page or an index when this share of its body's paragraphs are teasers (the Yahoo front page
# in the corpus: 14 of 16; an article: none, or a caption or two under related-story headlines).
INDEX_TEASER_SHARE = 0.5
# Fewer teasers than this are a short article under a linked title.
INDEX_MIN_TEASERS = 3
# A page whose canonical URL is its site's root is still an article when it has this many paragraphs of running
# text (a front page has a lead blurb or two).
MIN_ARTICLE_PARAGRAPHS = 3
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# A paragraph is found in the page by its first characters (trafilatura may change what follows).
TEASER_KEY_CHARS = 40

# Charset labels that browsers (WHATWG Encoding standard) read as a wider encoding than Python does.
WHATWG_CHARSETS = {
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "ascii": "cp1252",
    "us-ascii": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
}
META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([a-zA-Z0-9_.:-]+)", re.IGNORECASE)
# The HTML spec looks for the meta charset in the first 1024 bytes; real pages put it a bit later.
META_SCAN_BYTES = 4096

# Body extraction runs twice: favouring precision, then recall. The precise body wins unless it is under this
# share of the generous one, a sign that precision mode lost the article (on the corpus pages, ROUGE-LSum F1:
# precision 0.914, recall 0.909, this rule 0.922, trafilatura's default 0.901).
RECALL_FALLBACK_SHARE = 0.3
BODY_SETTINGS = dict(include_comments=False, include_tables=True, include_links=True, with_metadata=False)
# htmldate: the original publication date, not the last modification. Its extensive search adds guesses like
# the copyright year as 1 January (10 of the 160 corpus pages), worse than no date: off.
DATE_SETTINGS = {"extensive_search": False, "original_date": True}
# Enough of a page for charset detection to guess from.
CHARSET_GUESS_BYTES = 65536


def read_html(stream: BinaryIO, uri: str) -> Iterator[Item]:
    """One saved HTML page: its article, or Skipped when the page has no article body."""
    yield extract_html(read_record(stream), uri)


def extract_html(
    data: bytes, uri: str, url: str | None = None, http_charset: str | None = None, fetched_at: str | None = None
) -> Item:
    """The article in one HTML page; a crawl record gives its `url`, `http_charset` and `fetched_at` time."""
    try:
        html, repairs = decode_html(data, http_charset)
    except UnreadableText as exc:
        return Rejected(uri, str(exc), snippet(data))
    if (tree := load_html(html)) is None:
        return Skipped(uri, "no article body: nothing in the page parses as HTML")
    body = extract_body(tree, url)
    if body.widest < MIN_PARAGRAPH_WIDTH:
        return Skipped(uri, _no_article_reason(body.widest))
    fields, fixes = _without_mojibake(_article_fields(tree, body.text, url))
    fields["language"] = detect_language(fields["text"]) or _primary_subtag(tree.get("lang"))
    fields["fetched_at"] = fetched_at
    repairs += fixes
    if reason := _index_page_reason(tree, body, url, fields["canonical_url"]):
        return Skipped(uri, reason)
    return RawRecord(uri, {name: value for name, value in fields.items() if value}, repairs)


def extract_body(tree: HtmlElement, url: str | None = None) -> Body:
    """The article text of a parsed page, boilerplate removed (empty when none is found), and its paragraphs'
    widest display width."""
    _collapse_soft_line_breaks(tree)
    precise = _body(tree, url, favor_precision=True)
    generous = _body(tree, url, favor_recall=True)
    return generous if len(precise.text) < RECALL_FALLBACK_SHARE * len(generous.text) else precise


class Body(NamedTuple):
    text: str
    widest: int  # display width of the widest paragraph of running text
    paragraphs: tuple[str, ...]  # the text of each paragraph of running text, whitespace collapsed


def _body(tree: HtmlElement, url: str | None, **mode: bool) -> Body:
    document = trafilatura.bare_extraction(tree, url=url, **BODY_SETTINGS, **mode)
    if not document or document.body is None:
        return Body("", 0, ())
    body = document.body
    paragraphs = tuple(_paragraph_text(block) for block in body.iter(*PARAGRAPHS) if not _is_link_list(block))
    widest = max(map(_display_width, paragraphs), default=0)
    strip_tags(body, "ref")  # links were kept only to measure link density
    return Body(xmltotxt(body, include_formatting=False).strip(), widest, paragraphs)


def _collapse_soft_line_breaks(tree: HtmlElement) -> None:
    """A line break in the HTML source is a space, as a browser renders it (preformatted text aside): only
    block boundaries and <br> break lines in the text."""
    kept = {element for block in tree.iter(*PREFORMATTED) for element in block.iter()}
    for element in tree.iter():
        if element.text and element not in kept:
            element.text = SOFT_LINE_BREAK.sub(" ", element.text)
        if element.tail and element.getparent() not in kept:
            element.tail = SOFT_LINE_BREAK.sub(" ", element.tail)


def _is_link_list(block) -> bool:
    text = _paragraph_text(block)
    linked = sum(len(_paragraph_text(link)) for link in block.iter("ref"))
    return not text or linked >= LINK_LIST_DENSITY * len(text)


def _paragraph_text(block) -> str:
    return " ".join("".join(block.itertext()).split())


def _index_page_reason(tree: HtmlElement, body: Body, url: str | None, canonical_url: str | None) -> str | None:
    """Why the page is a front page or an index of other pages, None for an article. The URL the page was fetched
    from decides, then the page's structure: teasers under linked headlines, or a canonical or og:url at the
    site's root over a body too short for an article. That tag alone does not decide: article pages carry the
    root there too."""
    if is_site_root(url):
        return f"home page, not an article: {url}"
    teasers, paragraphs = _teasers(tree, body.paragraphs)
    if teasers >= INDEX_MIN_TEASERS and teasers >= INDEX_TEASER_SHARE * paragraphs:
        return (
            f"home or index page, not an article: {teasers} of its {paragraphs} paragraphs are teasers, "
            "each under a headline that links elsewhere"
        )
    running = sum(_display_width(paragraph) >= MIN_PARAGRAPH_WIDTH for paragraph in body.paragraphs)
    if is_site_root(canonical_url) and running < MIN_ARTICLE_PARAGRAPHS:
        return (
            f"home page, not an article: its canonical URL is the site root {canonical_url} and it has "
            f"{running} paragraph(s) of running text"
        )
    return None


def is_site_root(url: str | None) -> bool:
    """A site's root page is a front page of teasers, never one article."""
    if not url:
        return False
    parts = urlsplit(url)
    return parts.path in ("", "/") and not parts.query


def _teasers(tree: HtmlElement, paragraphs: tuple[str, ...]) -> tuple[int, int]:
    """How many of the body's paragraphs are teasers: each the first paragraph after a headline that is a link
    (a front page's "headline, blurb" items). An article's paragraphs follow its title or subheadings, many to
    a heading, even where its title links to the article itself. Paragraphs are found by their first words
    among the page's texts."""
    wanted = {paragraph[:TEASER_KEY_CHARS] for paragraph in paragraphs if len(paragraph) >= TEASER_KEY_CHARS}
    teasers, under_headline = 0, False
    for element in tree.iter():
        if element.tag in HEADINGS:
            under_headline = _is_link(element)
        elif under_headline and " ".join((element.text or "").split())[:TEASER_KEY_CHARS] in wanted:
            teasers += 1
            under_headline = False
    return teasers, len(wanted)


def _is_link(heading: HtmlElement) -> bool:
    text = _paragraph_text(heading)
    if not text or next(heading.iterancestors("a"), None) is not None:
        return bool(text)
    linked = sum(len(_paragraph_text(link)) for link in heading.iter("a") if link.get("href"))
    return linked >= LINK_LIST_DENSITY * len(text)


def _display_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _no_article_reason(widest: int) -> str:
    if not widest:  # nothing, or only blocks of links
        return "not an article: no article body found in the HTML page"
    return (
        f"not an article: no paragraph of running text (widest {widest} < {MIN_PARAGRAPH_WIDTH} characters): "
        "a list, menu, gallery, video or error page"
    )


def _article_fields(tree: HtmlElement, body: str, url: str | None) -> dict:
    # extract_metadata strips tags it has read: give it a copy.
    metadata = extract_metadata(copy(tree), default_url=url, date_config=DATE_SETTINGS)
    return {
        "text": body,
        "title": metadata.title,
        # A crawl's target URI is the record's URL; the page's canonical URL is kept beside it.
        "url": url or metadata.url,
        "canonical_url": metadata.url,
        "date_publish": metadata.date,
        "outlet": metadata.sitename,
        "source_domain": metadata.hostname,
        "authors": _split_authors(metadata.author),
    }


def _without_mojibake(fields: dict) -> tuple[dict, tuple[str, ...]]:
    """Mojibake repaired by ftfy in the extracted texts: on the whole page it took a fifth of the reading time."""
    fixed = {name: _fix_text(value) for name, value in fields.items()}
    return fixed, ("fixed mojibake",) if fixed != fields else ()


def _fix_text(value):
    if isinstance(value, str):
        return ftfy.fix_encoding(value)
    if isinstance(value, list):
        return [_fix_text(item) for item in value]
    return value


def _split_authors(author: str | None) -> list[str]:
    # trafilatura joins several authors with "; ".
    return [name.strip() for name in (author or "").split(";") if name.strip()]


def _primary_subtag(language: str | None) -> str | None:
    return language.split("-")[0].lower() if language else None


def decode_html(data: bytes, http_charset: str | None = None) -> tuple[str, tuple[str, ...]]:
    """Bytes to text as a browser does: the byte-order mark, else the HTTP charset, else the meta charset
    (bad bytes replaced); undeclared, UTF-8 when it fits, else the charset detection's guess."""
    if b"\x00" in data[:8192]:
        raise UnreadableText("binary content (NUL bytes), not an HTML page")
    repairs: tuple[str, ...] = ()
    if declared := _bom_charset(data) or _browser_charset(http_charset) or _browser_charset(_meta_charset(data)):
        try:
            return data.decode(declared, errors="replace"), ()
        except LookupError:
            repairs = (f"ignored unknown charset {declared!r}",)
    try:
        return data.decode("utf-8"), repairs
    except UnicodeDecodeError:
        pass
    guess = next(filter(_known_codec, detect_encoding(data[:CHARSET_GUESS_BYTES])), "cp1252")
    return data.decode(guess, errors="replace"), repairs + (f"no declared charset, guessed {guess}",)


def _known_codec(name: str) -> bool:
    try:
        codecs.lookup(name)
    except LookupError:
        return False
    return True


def _bom_charset(data: bytes) -> str | None:
    return "utf-8-sig" if data.startswith(codecs.BOM_UTF8) else None


def _meta_charset(data: bytes) -> str | None:
    match = META_CHARSET.search(data[:META_SCAN_BYTES])
    return match.group(1).decode("ascii") if match else None


def _browser_charset(label: str | None) -> str | None:
    if not label:
        return None
    label = label.strip().lower()
    return WHATWG_CHARSETS.get(label, label)
