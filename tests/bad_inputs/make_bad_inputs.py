"""The bad-input corpus: one small file per way a nightly inbox goes wrong, each with the outcome it must get.

The files are generated (here, at test time) rather than committed: most of them are damaged on purpose
(cut, mis-encoded, binary), which a real collection cannot supply on demand. The article texts in them are real:
news-please records and the seed article from `demo/inbox`.

    .venv/bin/python tests/bad_inputs/make_bad_inputs.py OUT_DIR   # write the files, print what each must give

Every expected outcome is one input record: `loaded`, `duplicate`, `skipped: <words of the reason>` or
`quarantined: <words of the reason>` (a sidecar has none: it is metadata); tests/flows/test_reliability.py runs them all
through `wirehouse run`.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import sys
import tarfile
import uuid
import zlib
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DEMO_INBOX = REPO / "demo" / "inbox"
# Hosts in a documentation-only range (RFC 5737): a fetch attempt could never reach anything real.
UNREACHABLE = "http://203.0.113.7"


@dataclass(frozen=True)
class BadInput:
    name: str
    what: str
    data: bytes
    expected: tuple[str, ...]


def newsplease() -> list[dict]:
    return [json.loads(p.read_bytes()) for p in sorted((DEMO_INBOX / "newsplease").glob("*.json"))]


def panama() -> list[dict]:
    return [json.loads(line) for line in gzip.open(DEMO_INBOX / "panama-papers.jsonl.gz", "rt")]


def jsonl(records: list[dict]) -> bytes:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")


def txt(article: dict) -> str:
    return f"{article['title']}\n\n{article['text']}\n"


def article_page(article: dict, charset: str) -> str:
    """An article page that also points at resources an HTML parser must never fetch."""
    paragraphs = "".join(f"<p>{p}</p>\n" for p in article["text"].split("\n") if p.strip())
    return (
        f'<!DOCTYPE html>\n<html lang="en"><head><meta charset="{charset}"><title>{article["title"]}</title>\n'
        f'<link rel="stylesheet" href="{UNREACHABLE}/style.css"><script src="{UNREACHABLE}/app.js"></script>\n'
        f'<link rel="canonical" href="{article["url"]}"></head>\n'
        f'<body><nav><a href="/">Home</a> <a href="/world">World</a></nav>\n'
        f"<article><h1>{article['title']}</h1>\n{paragraphs}</article>\n"
        f'<img src="{UNREACHABLE}/pixel.gif"><iframe src="{UNREACHABLE}/frame.html"></iframe>\n'
        f"<footer>Example News</footer></body></html>\n"
    )


def warc_record(record_type: str, target: str, payload: bytes, content_type: str) -> bytes:
    record_id = uuid.uuid5(uuid.NAMESPACE_URL, f"{record_type}:{target}")
    head = (
        f"WARC/1.0\r\nWARC-Type: {record_type}\r\nWARC-Record-ID: <urn:uuid:{record_id}>\r\n"
        f"WARC-Date: 2017-08-29T10:00:00Z\r\nWARC-Target-URI: {target}\r\nContent-Type: {content_type}\r\n"
        f"Content-Length: {len(payload)}\r\n\r\n"
    )
    return head.encode() + payload + b"\r\n\r\n"


def http_response(html: bytes) -> bytes:
    head = f"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {len(html)}\r\n\r\n"
    return head.encode() + html


def response_record(article: dict) -> bytes:
    page = article_page(article, "utf-8").encode("utf-8")
    return warc_record("response", article["url"], http_response(page), "application/http; msgtype=response")


def complete_lines_in_gzip_prefix(data: bytes) -> int:
    """How many whole lines a reader gets out of a cut gzip stream before it hits the cut."""
    return zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(data).count(b"\n")


def mojibake(text: str) -> str:
    """UTF-8 bytes read as cp1252 (bytes cp1252 leaves undefined kept as C1 controls, as browsers do): what a
    mis-configured crawler stores ("donâ€™t")."""
    import ftfy.bad_codecs  # noqa: F401  (registers the sloppy-windows-1252 codec)

    return text.encode("utf-8").decode("sloppy-windows-1252")


def enormous_text(articles: list[dict], at_least: int) -> str:
    """Real paragraphs, numbered so no two repeats are alike, until the text passes `at_least` characters."""
    parts, size, round_number = [], 0, 0
    while size <= at_least:
        round_number += 1
        for article in articles:
            part = f"Part {round_number}. {article['text']}"
            parts.append(part)
            size += len(part) + 2
    return "\n\n".join(parts)


def bad_inputs(max_extract_chars: int) -> list[BadInput]:
    news, wire = newsplease(), panama()
    rng = random.Random(8)

    def binary() -> bytes:  # a different image each time: a file with the content of another is only a copy
        return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + rng.randbytes(2000)

    broken_drop = jsonl([wire[5]]) + b'{"title": "cut off", "text": "never clos\n' + jsonl([wire[6]])
    cases = [
        BadInput("zero-bytes.txt", "an empty text file", b"", ("skipped: no article body",)),
        BadInput("empty.json", "a JSON file of one blank line", b"\n", ("quarantined: empty file",)),
        BadInput(
            "empty.jsonl", "a JSONL file of blank lines only", b"\n \n\n", ("quarantined: file holds no records",)
        ),
        BadInput(
            "blank-body.json",
            "a record whose body is only whitespace",
            json.dumps({"title": wire[0]["title"], "text": " \n\t \u00a0\n", "url": wire[0]["url"]}).encode(),
            ("skipped: no article body",),
        ),
        BadInput("binary.txt", "a PNG saved as .txt", binary(), ("quarantined: binary content",)),
        BadInput("image.json", "a PNG saved as .json", binary(), ("quarantined: invalid JSON",)),
        BadInput("binary.html", "a PNG saved as .html", binary(), ("quarantined: binary content",)),
        BadInput(
            "not-gzip.jsonl.gz",
            "random bytes named .gz",
            rng.randbytes(500),
            ("quarantined: truncated or corrupt compressed input",),
        ),
        BadInput(
            "report.pdf", "a file type no reader takes", b"%PDF-1.4\n" + binary(), ("skipped: unsupported file type",)
        ),
        BadInput(
            "cp1252.txt", "a text file in cp1252, no charset declared", txt(news[3]).encode("cp1252"), ("loaded",)
        ),
        BadInput(
            "mojibake.txt",
            "UTF-8 text double-encoded through cp1252",
            mojibake(txt(news[8])).encode("utf-8"),
            ("loaded",),
        ),
        # Not mojibake.json: beside mojibake.txt that would be its sidecar (metadata), not an input.
        BadInput(
            "mojibake-field.json",
            "mojibake inside the text field of valid JSON",
            json.dumps({**news[17], "text": mojibake(news[17]["text"])}).encode(),
            ("loaded",),
        ),
        BadInput(
            "declared-latin1.txt",
            "a text file whose sidecar declares latin-1 (the bytes are cp1252)",
            txt(news[5]).encode("cp1252"),
            ("loaded",),
        ),
        BadInput(
            "declared-latin1.json",
            "the sidecar of declared-latin1.txt: metadata, not an input",
            json.dumps({"charset": "latin-1", "url": news[5]["url"]}).encode(),
            (),
        ),
        BadInput(
            "cp1252.jsonl",
            "a JSONL line in cp1252 (invalid UTF-8)",
            (json.dumps(news[14], ensure_ascii=False) + "\n").encode("cp1252", errors="replace"),
            ("loaded",),
        ),
        BadInput(
            "latin1.html",
            "a page declaring iso-8859-1 whose bytes are cp1252",
            article_page(news[4], "iso-8859-1").encode("cp1252", errors="replace"),
            ("loaded",),
        ),
        BadInput(
            "broken.jsonl",
            "a JSONL drop with a line cut off between two good ones",
            broken_drop,
            ("loaded", "quarantined: invalid JSON line", "loaded"),
        ),
        BadInput(
            "copy-of-broken.jsonl",
            "the same bytes as broken.jsonl under another name",
            broken_drop,
            ("skipped: same content as",),
        ),
        BadInput(
            "not-objects.json",
            "a JSON array of things that are not articles",
            b'[42, "a string"]',
            ("quarantined: expected a JSON object", "quarantined: expected a JSON object"),
        ),
        BadInput(
            "entities.html",
            "a page declaring external entities: a local file and a URL (XXE)",
            _with_external_entities(article_page(news[10], "utf-8")).encode(),
            ("loaded",),
        ),
        BadInput(
            "no-article.html",
            "a menu page without an article",
            b'<html><body><nav><a href="/">Home</a> <a href="/world">World</a></nav>'
            b"<footer>(c) Example News</footer></body></html>",
            ("skipped: not an article",),
        ),
        BadInput(
            "enormous.txt",
            f"an article longer than the {max_extract_chars} characters extraction takes",
            ("Everything at once\n\n" + enormous_text(news[:12], max_extract_chars)).encode(),
            ("loaded",),
        ),
        BadInput(
            "unbalanced-quotes.txt",
            "every third quotation mark missing",
            txt(_drop_every_third_quote(news[1])).encode(),
            ("loaded",),
        ),
        BadInput(
            "future.json",
            "published in 2999",
            json.dumps({**news[11], "date_publish": "2999-01-01 00:00:00"}).encode(),
            ("quarantined: published_at before 1900 or in the future",),
        ),
        BadInput(
            "before-1900.json",
            "published in 1850",
            json.dumps({**news[13], "date_publish": "1850-06-01 00:00:00"}).encode(),
            ("quarantined: published_at before 1900 or in the future",),
        ),
        BadInput(
            "duplicate-ids.jsonl",
            "two records with one id and different bodies, then an exact copy",
            jsonl(
                [
                    _without_url(wire[2], "pp-1"),
                    _without_url(wire[3], "pp-1"),
                    _without_url(wire[4], "pp-2"),
                    _without_url(wire[4], "pp-3"),
                ]
            ),
            ("loaded", "quarantined: duplicate id", "loaded", "duplicate"),
        ),
        BadInput(
            "hostile-url.json",
            "an id, URL and outlet that would climb out of any folder built from them",
            json.dumps(
                {
                    **news[7],
                    "url": "file:///../../../../wirehouse-url-escape/x",
                    "dId": "../../id",
                    "source_domain": "../../outlet",
                }
            ).encode(),
            ("loaded",),
        ),
        BadInput(
            "traversal.tar",
            "a tar whose member name climbs out of any folder it could be unpacked in",
            _tar({"../../../wirehouse-escaped.json": json.dumps(news[16]).encode()}),
            ("loaded",),
        ),
    ]
    cases += [_truncated_array(wire), _truncated_gzip(wire), _truncated_warc(news), _malformed_warc(news)]
    return cases


def _with_external_entities(page: str) -> str:
    """The page as XHTML whose DTD defines entities read from /etc/passwd and fetched from a URL, used in the body."""
    doctype = (
        f'<?xml version="1.0"?>\n<!DOCTYPE html [<!ENTITY secret SYSTEM "file:///etc/passwd">'
        f'<!ENTITY remote SYSTEM "{UNREACHABLE}/entity.txt">]>\n'
    )
    return doctype + page.replace("<!DOCTYPE html>\n", "").replace("<h1>", "<p>&secret; &remote;</p><h1>", 1)


def _drop_every_third_quote(article: dict) -> dict:
    marks = iter(range(10**6))
    text = "".join(ch for ch in article["text"] if ch not in '"“”' or next(marks) % 3 != 2)
    return {**article, "text": text}


def _without_url(record: dict, record_id: str) -> dict:
    """Records identified by outlet and id (no URL), as wire feeds send them."""
    return {
        "id": record_id,
        "source_domain": "wire.example",
        "title": record["title"],
        "text": record["text"],
        "date_publish": record["date_publish"],
    }


def _tar(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def _truncated_array(wire: list[dict]) -> BadInput:
    third = json.dumps(wire[9])
    cut = (json.dumps(wire[7:9])[:-1] + ", " + third[: len(third) // 2]).encode()
    return BadInput(
        "truncated-array.json",
        "a JSON array cut off inside its third article",
        cut,
        ("loaded", "loaded", "quarantined: truncated JSON array"),
    )


def _truncated_gzip(wire: list[dict]) -> BadInput:
    data = gzip.compress(jsonl(wire[10:14]), mtime=0)
    cut = data[: len(data) * 2 // 3]
    lines = complete_lines_in_gzip_prefix(cut)
    assert 0 < lines < 4, lines
    return BadInput(
        "truncated.jsonl.gz",
        "a gzipped JSONL drop cut off by a failed transfer",
        cut,
        ("loaded",) * lines + ("quarantined: truncated or corrupt compressed input",),
    )


def _truncated_warc(news: list[dict]) -> BadInput:
    info = warc_record("warcinfo", "", b"software: wirehouse bad-input generator\r\n", "application/warc-fields")
    whole = b"".join(gzip.compress(r, mtime=0) for r in (info, response_record(news[12])))
    cut_member = gzip.compress(response_record(news[15]), mtime=0)
    return BadInput(
        "truncated.warc.gz",
        "a WARC cut off inside its second response record",
        whole + cut_member[: len(cut_member) // 2],
        ("loaded", "quarantined: cut off"),
    )


def _malformed_warc(news: list[dict]) -> BadInput:
    good = response_record(news[18])
    bad = b"WARC/9.9-broken\r\nWARC-Type: response\r\nContent-Length: 7\r\n\r\ngarbage\r\n\r\n"
    return BadInput(
        "malformed.warc",
        "a WARC whose second record has a header that does not parse",
        good + bad,
        ("loaded", "quarantined: unreadable WARC data"),
    )


def main(out_dir: str) -> None:
    from transforms.nlp.loading import MAX_EXTRACT_CHARS

    target = Path(out_dir)
    target.mkdir(parents=True, exist_ok=True)
    for case in bad_inputs(MAX_EXTRACT_CHARS):
        (target / case.name).write_bytes(case.data)
        print(f"{case.name:24} {len(case.data):>7} B  {case.what}: {', '.join(case.expected)}")


if __name__ == "__main__":
    sys.path.insert(0, str(REPO))
    main(sys.argv[1])
