"""Archive readers on real corpus files: HTML pages, WARC (whole, Common Crawl, truncated), tar and zip containers.

Every test runs with the network cut: trafilatura and fastwarc must never fetch anything.
"""

from __future__ import annotations

import gzip
import io
import socket
import tarfile
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from fastwarc.warc import ArchiveIterator, WarcRecordType

from tests.conftest import DEMO_INBOX
from transforms.ingest.records import RawRecord, Rejected, Skipped
from transforms.ingest.registry import read_path, read_stream

NEWS_PAGE = "247wallst.com1.html"
NEWSPLEASE_ARTICLE = "newsplease/news_cluster/2ee6b68d950d4859212a0cf50cf9e16fba7ac87036ee1c32c68c6449.json"


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("a reader tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


@pytest.fixture(scope="module")
def news_pages_items(corpus) -> list:
    return list(read_path(corpus / "warc" / "news-pages.warc.gz"))


def response_offsets(path: Path) -> list[int]:
    """Offsets of the response records, counted independently of the reader."""
    with path.open("rb") as stream:
        return [r.stream_pos for r in ArchiveIterator(stream, record_types=WarcRecordType.response)]


def kinds(items: list) -> Counter:
    return Counter(type(item).__name__ for item in items)


# HTML pages


def test_html_page_gives_body_and_metadata(corpus):
    (item,) = read_path(corpus / "html" / "pages" / NEWS_PAGE)
    assert isinstance(item, RawRecord)
    fields = item.fields
    assert fields["text"].startswith("December 28, 2014: Markets opened lower on Monday")
    assert "Related" not in fields["text"].splitlines()[0]
    assert fields["title"] == "The 4 Stocks That Slimmed the DJIA Monday Slide"
    assert fields["url"].startswith("http://247wallst.com/investing/2014/12/29/")
    assert fields["date_publish"] == "2014-12-29"
    assert fields["language"] == "en"


def test_gzipped_html_page_reads_like_the_plain_one(tmp_path, corpus):
    page = corpus / "html" / "pages" / NEWS_PAGE
    packed = tmp_path / f"{NEWS_PAGE}.gz"
    packed.write_bytes(gzip.compress(page.read_bytes()))
    (plain,) = read_path(page)
    (unpacked,) = read_path(packed)
    assert unpacked.fields == plain.fields


def test_declared_charset_is_respected(tmp_path, corpus):
    # A real Spanish page re-encoded as sites do when they declare ISO-8859-1: windows-1252 bytes (curly quotes
    # included), which browsers read as windows-1252. Accents and quotes must survive.
    page = corpus / "html" / "pages" / "spanish_article.html"
    html = page.read_bytes().decode("utf-8")
    assert "utf-8" in html.lower()
    latin = html.replace("utf-8", "iso-8859-1").replace("UTF-8", "iso-8859-1").encode("cp1252")
    target = tmp_path / "spanish_article.html"
    target.write_bytes(latin)
    (original,) = read_path(page)
    (reencoded,) = read_path(target)
    assert "imputación" in reencoded.fields["text"]
    assert reencoded.fields["text"] == original.fields["text"]


def test_non_article_pages_are_skipped_with_a_reason(corpus):
    pages = corpus / "html" / "pages"
    (no_body,) = read_path(pages / "google_meta_refresh.html")
    (front_page,) = read_path(pages / "yahoo_main_site.html")
    (not_found,) = read_path(pages / "details.com1.html")  # the site's 404 page: a few short lines
    assert isinstance(no_body, Skipped) and "no article body" in no_body.reason
    assert isinstance(front_page, Skipped) and "home or index page" in front_page.reason
    assert isinstance(not_found, Skipped) and "no paragraph of running text" in not_found.reason


def test_non_english_page_is_kept_with_its_language(corpus):
    (item,) = read_path(corpus / "html" / "pages" / "chinese_article.html")
    assert isinstance(item, RawRecord)
    assert item.fields["language"] == "zh"


def test_unreadable_and_empty_pages_are_accounted_for(tmp_path):
    binary, empty = tmp_path / "photo.html", tmp_path / "empty.htm"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" * 50)
    empty.write_bytes(b"")
    (rejected,) = read_path(binary)
    (skipped,) = read_path(empty)
    assert isinstance(rejected, Rejected) and "binary" in rejected.reason
    assert isinstance(skipped, Skipped) and "no article body" in skipped.reason


def test_unknown_declared_charset_falls_back_to_utf8_with_a_note(tmp_path, corpus):
    page = (corpus / "html" / "pages" / NEWS_PAGE).read_bytes()
    target = tmp_path / "odd.html"
    target.write_bytes(b'<meta charset="x-no-such-charset">\n' + page)
    (item,) = read_path(target)
    assert isinstance(item, RawRecord)
    assert "ignored unknown charset 'x-no-such-charset'" in item.repairs


# WARC


def test_news_warc_accounts_for_every_response_record(corpus, news_pages_items):
    archive = corpus / "warc" / "news-pages.warc.gz"
    offsets = response_offsets(archive)
    assert len(offsets) == 160
    assert [item.source_uri for item in news_pages_items] == [f"{archive}#offset={n}" for n in offsets]
    counts = kinds(news_pages_items)
    assert counts["RawRecord"] >= 150 and counts["Rejected"] == 0
    assert all(item.reason for item in news_pages_items if isinstance(item, Skipped))


def test_warc_articles_take_url_and_fetch_date_from_the_record(news_pages_items):
    article = next(item for item in news_pages_items if isinstance(item, RawRecord))
    assert (
        article.fields["url"]
        == "http://247wallst.com/investing/2014/12/29/the-4-stocks-that-slimmed-the-djia-monday-slide/"
    )
    assert article.fields["fetched_at"] == "2014-12-01T12:00:00Z"
    assert article.fields["date_publish"] == "2014-12-29"


def test_warc_article_matches_the_same_page_read_as_html(corpus, news_pages_items):
    (from_page,) = read_path(corpus / "html" / "pages" / NEWS_PAGE)
    from_warc = next(item for item in news_pages_items if isinstance(item, RawRecord))
    assert from_warc.fields["text"] == from_page.fields["text"]


def test_commoncrawl_excerpt_counts_responses_only_and_keeps_languages(corpus):
    archive = corpus / "warc" / "commoncrawl-excerpt.warc.gz"
    items = list(read_path(archive))
    # 50 records: warcinfo, 17 requests, 16 metadata are protocol records; each of the 16 responses is one item.
    assert len(items) == len(response_offsets(archive)) == 16
    assert kinds(items)["Rejected"] == 0
    languages = {item.fields.get("language") for item in items if isinstance(item, RawRecord)}
    assert {"zh", "ru", "de", "nl"} <= languages
    (root,) = [item for item in items if item.source_uri.endswith("#offset=38503")]
    assert isinstance(root, Skipped) and "home page" in root.reason
    (job_list,) = [item for item in items if item.source_uri.endswith("#offset=110823")]
    assert isinstance(job_list, Skipped) and "no paragraph of running text" in job_list.reason


def test_http_charset_is_respected(corpus):
    # 01spb.ru is served as windows-1251 in the HTTP header only.
    items = read_path(corpus / "warc" / "commoncrawl-excerpt.warc.gz")
    (russian,) = [item for item in items if item.source_uri.endswith("#offset=12685")]
    assert russian.fields["title"].startswith("О компании")


def test_clipped_warc_rejects_the_cut_record(corpus):
    (item,) = read_path(corpus / "warc" / "clipped-truncated.warc.gz")
    assert isinstance(item, Rejected)
    assert item.source_uri.endswith("#offset=0")
    assert "cut off" in item.reason


def test_truncated_warc_keeps_every_record_before_the_cut(tmp_path, corpus):
    archive = corpus / "warc" / "news-pages.warc.gz"
    first, second, third = response_offsets(archive)[:3]
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(archive.read_bytes()[: third + 3000])
    items = list(read_path(cut))
    assert [type(item) for item in items] == [RawRecord, RawRecord, Rejected]
    assert [item.source_uri for item in items] == [f"{cut}#offset={n}" for n in (first, second, third)]


def test_uncompressed_warc_cut_inside_a_header_is_rejected(tmp_path, corpus):
    data = gzip.decompress((corpus / "warc" / "news-pages.warc.gz").read_bytes())
    second = data.index(b"WARC/1.0", 10)
    cut = tmp_path / "cut.warc"
    cut.write_bytes(data[: second + 120])
    items = list(read_path(cut))
    assert [type(item) for item in items] == [RawRecord, Rejected]
    assert "header" in items[1].reason


def test_garbage_named_warc_is_rejected(tmp_path):
    junk = tmp_path / "junk.warc"
    junk.write_bytes(b"this is not a WARC file\n" * 20)
    (item,) = read_path(junk)
    assert isinstance(item, Rejected) and "WARC" in item.reason


# Containers


def _members(corpus: Path) -> dict[str, bytes]:
    """Real corpus files under the names a container would hold."""
    article = (corpus / NEWSPLEASE_ARTICLE).read_bytes()
    return {
        "news/article.json": article,
        "news/article.json.gz": gzip.compress(article),
        "pages/page.html": (corpus / "html" / "pages" / NEWS_PAGE).read_bytes(),
        "crawl/clipped.warc.gz": (corpus / "warc" / "clipped-truncated.warc.gz").read_bytes(),
        "bbc/001.txt": (corpus / "bbc" / "business" / "001.txt").read_bytes(),
        "README.md": b"not an article",
    }


def _tar_bytes(members: dict[str, bytes], mode: str = "w") -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode=mode) as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def _zip_bytes(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


# What each member of `_members` reads as.
EXPECTED_BY_MEMBER = {
    "news/article.json": RawRecord,
    "news/article.json.gz": RawRecord,
    "pages/page.html": RawRecord,
    "crawl/clipped.warc.gz#offset=0": Rejected,
    "bbc/001.txt": RawRecord,
    "README.md": Skipped,
}


@pytest.mark.parametrize("suffix", [".tar", ".tar.gz", ".tgz", ".zip"])
def test_container_reads_every_member_with_its_reader(tmp_path, corpus, suffix):
    members = _members(corpus)
    data = _zip_bytes(members) if suffix == ".zip" else _tar_bytes(members, "w:gz" if "gz" in suffix else "w")
    archive = tmp_path / f"bundle{suffix}"
    archive.write_bytes(data)
    items = list(read_path(archive))
    assert {item.source_uri.removeprefix(f"{archive}!"): type(item) for item in items} == EXPECTED_BY_MEMBER
    article = next(item for item in items if item.source_uri.endswith("!news/article.json"))
    (direct,) = read_path(corpus / NEWSPLEASE_ARTICLE)
    assert article.fields == direct.fields


def test_nested_containers_chain_their_member_names(corpus):
    inner = _zip_bytes({"page.html": (corpus / "html" / "pages" / NEWS_PAGE).read_bytes()})
    outer = _tar_bytes({"inner.zip": inner})
    (item,) = read_stream("outer.tar", io.BytesIO(outer), "outer.tar")
    assert isinstance(item, RawRecord)
    assert item.source_uri == "outer.tar!inner.zip!page.html"


@pytest.mark.parametrize("suffix", [".tar", ".zip"])
def test_path_traversal_member_names_are_only_labels(tmp_path, monkeypatch, suffix):
    work = tmp_path / "a" / "b"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    article = min((DEMO_INBOX / "newsplease").glob("*.json")).read_bytes()
    members = {"../../etc/x.json": article, "/abs/y.json": article}
    data = _zip_bytes(members) if suffix == ".zip" else _tar_bytes(members)
    before = sorted(tmp_path.rglob("*"))
    items = list(read_stream(f"evil{suffix}", io.BytesIO(data), f"evil{suffix}"))
    assert [type(item) for item in items] == [RawRecord, RawRecord]
    assert items[0].source_uri == f"evil{suffix}!../../etc/x.json"
    assert sorted(tmp_path.rglob("*")) == before
    assert not Path("/abs/y.json").exists()


def test_truncated_tar_keeps_the_members_before_the_cut(tmp_path, corpus):
    members = _members(corpus)
    data = _tar_bytes(members, "w:gz")
    archive = tmp_path / "cut.tar.gz"
    archive.write_bytes(data[: len(data) * 2 // 3])
    items = list(read_path(archive))
    assert isinstance(items[0], RawRecord) and items[0].source_uri.endswith("!news/article.json")
    assert isinstance(items[-1], Rejected)


def test_corrupt_zip_is_rejected(tmp_path):
    archive = tmp_path / "broken.zip"
    archive.write_bytes(b"PK\x03\x04 not really a zip")
    (item,) = read_path(archive)
    assert isinstance(item, Rejected) and "zip" in item.reason


# WARC records of every kind, written around a real page


def _warc_record(
    record_type: str, block: bytes, uri: str = "http://example.org/story", length: str | None = None
) -> bytes:
    content_type = {
        "response": "application/http; msgtype=response",
        "revisit": "application/http; msgtype=response",
        "request": "application/http; msgtype=request",
    }.get(record_type, "text/html")
    headers = (
        f"WARC/1.0\r\nWARC-Type: {record_type}\r\nWARC-Record-ID: <urn:uuid:{len(block):032x}>\r\n"
        f"WARC-Date: 2024-05-01T10:00:00Z\r\nWARC-Target-URI: {uri}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {length or len(block)}\r\n\r\n"
    )
    return gzip.compress(headers.encode() + block + b"\r\n\r\n")


def _http(status: str, headers: str, body: bytes) -> bytes:
    return f"HTTP/1.1 {status}\r\n{headers}Content-Length: {len(body)}\r\n\r\n".encode() + body


def _chunked(body: bytes, size: int = 4096) -> bytes:
    chunks = [body[i : i + size] for i in range(0, len(body), size)]
    return b"".join(b"%x\r\n%s\r\n" % (len(chunk), chunk) for chunk in chunks) + b"0\r\n\r\n"


def test_every_record_kind_is_accounted_for(tmp_path, corpus):
    page = (corpus / "html" / "pages" / NEWS_PAGE).read_bytes()
    html = "Content-Type: text/html; charset=utf-8\r\n"
    records = [
        _warc_record("warcinfo", b"software: test\r\n"),
        _warc_record("request", b"GET /story HTTP/1.1\r\nHost: example.org\r\n\r\n"),
        _warc_record("response", _http("200 OK", html, page)),
        _warc_record("response", _http("404 Not Found", html, page)),
        _warc_record("response", _http("200 OK", "Content-Type: image/jpeg\r\n", b"\xff\xd8\xff" * 100)),
        _warc_record(
            "response",
            _http(
                "200 OK",
                html + "Transfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n",
                _chunked(gzip.compress(page)),
            ),
        ),
        _warc_record("resource", page),
        _warc_record("revisit", _http("200 OK", html, b"")),
        _warc_record("metadata", b"fetchTimeMs: 12\r\n"),
    ]
    archive = tmp_path / "kinds.warc.gz"
    archive.write_bytes(b"".join(records))
    items = list(read_path(archive))
    assert [type(item).__name__ for item in items] == [
        "RawRecord",
        "Skipped",
        "Skipped",
        "RawRecord",
        "Skipped",
        "Skipped",
    ]
    reasons = [item.reason for item in items if isinstance(item, Skipped)]
    assert reasons[0] == "HTTP status 404, not 200"
    assert reasons[1] == "not an HTML payload: image/jpeg"
    assert "resource record" in reasons[2] and "revisit record" in reasons[3]
    plain, chunked_gzip = (item for item in items if isinstance(item, RawRecord))
    assert chunked_gzip.fields["text"] == plain.fields["text"]
    assert plain.fields["url"] == "http://example.org/story"
    offsets = [sum(len(record) for record in records[:n]) for n in (2, 3, 4, 5, 6, 7)]
    assert [item.source_uri for item in items] == [f"{archive}#offset={n}" for n in offsets]


def test_warc_gz_cut_in_the_first_bytes_of_a_record_is_rejected(tmp_path, corpus):
    # A cut before any header of the next record decompresses: fastwarc alone ends there in silence.
    archive = corpus / "warc" / "news-pages.warc.gz"
    first, second = response_offsets(archive)[:2]
    cut = tmp_path / "cut.warc.gz"
    cut.write_bytes(archive.read_bytes()[: second + 12])
    items = list(read_path(cut))
    assert [type(item) for item in items] == [RawRecord, Rejected]
    assert items[1].source_uri == f"{cut}#offset={second}"


def test_warc_gz_cut_inside_its_first_record_header_is_rejected(tmp_path, corpus):
    cut = tmp_path / "stub.warc.gz"
    cut.write_bytes((corpus / "warc" / "news-pages.warc.gz").read_bytes()[:30])
    (item,) = read_path(cut)
    assert isinstance(item, Rejected) and item.source_uri == f"{cut}#offset=0"


def test_non_numeric_content_length_is_one_rejected_record(tmp_path, corpus):
    # Before: the record was Skipped ("HTTP status None") and then Rejected again as unreadable data; later, one
    # Rejected and nothing after it. The records after it load (tests/ingest/test_warc_framing.py).
    page = (corpus / "html" / "pages" / NEWS_PAGE).read_bytes()
    response = _http("200 OK", "Content-Type: text/html; charset=utf-8\r\n", page)
    records = [_warc_record("response", response), _warc_record("response", response, length="12ab")]
    archive = tmp_path / "bad-length.warc.gz"
    archive.write_bytes(b"".join(records + [_warc_record("response", response)]))
    items = list(read_path(archive))
    assert [type(item) for item in items] == [RawRecord, Rejected, RawRecord]
    assert items[1].source_uri == f"{archive}#offset={len(records[0])}"
    assert "non-numeric Content-Length '12ab'" in items[1].reason
