"""Readers: sniffing, WARC, JSON Lines (with byte-range partitions), gzip, folders, globs, stdin,
and the Record's metadata flowing into the Document."""

from __future__ import annotations

import gzip
import io
import json
from dataclasses import replace
from itertools import pairwise

import pytest
from click.testing import CliRunner
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from claimledger import extract_many
from claimledger.cli import cli
from claimledger.readers import Record, read_inputs, sniff
from claimledger.readers.jsonl import read_jsonl
from claimledger.readers.warc import read_warc
from claimledger.settings import Settings

TEXT = (
    "Bridge reopens after repairs\n"
    "The Elm Street bridge reopened on Friday after eight months of repairs.\n"
    "“Traffic will be back to normal by Monday,” said city engineer Tomas Lindqvist.\n"
)
PAGE = (
    "<!DOCTYPE html><html><head><title>Bridge reopens after repairs</title></head><body>"
    "<header><a href='/'>Home</a> | <a href='/local'>Local</a></header><article>"
    "<h1>Bridge reopens after repairs</h1>"
    "<p>The Elm Street bridge reopened on Friday after eight months of repairs.</p>"
    "<p>“Traffic will be back to normal by Monday,” said city engineer Tomas Lindqvist.</p>"
    "</article><aside><h2>Most read</h2><ul><li>Library hours change</li></ul></aside></body></html>"
)


def _warc(path, records, gz=True) -> None:
    with open(path, "wb") as fh:
        w = WARCWriter(fh, gzip=gz)
        for url, ctype, body, kind in records:
            if kind == "request":
                http = StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")], is_http_request=True)
            else:
                http = StatusAndHeaders("200 OK", [("Content-Type", ctype)], protocol="HTTP/1.1")
            rec = w.create_warc_record(
                url,
                kind,
                payload=io.BytesIO(body),
                http_headers=http,
                warc_headers_dict={"WARC-Date": "2023-06-01T10:00:00Z"},
            )
            w.write_record(rec)


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x1f\x8b\x08\x00", "gzip"),
        (b"WARC/1.1\r\nWARC-Type: warcinfo\r\n", "warc"),
        (b'{"url": "https://a.example/", "text": "x"}\n', "jsonl"),
        (b"\xef\xbb\xbf<!DOCTYPE html><html>", "html"),
        ("<html><body>é</body></html>".encode("utf-16"), "html"),
        (b"  <div class='post'>", "html"),
        (b"Just some words.\n", "text"),
        (b'{\n  "pretty": "printed JSON"\n}\n', "text"),
        (b"%PDF-1.7\n", "binary"),
        (b"\x00\x01\x02\x03" * 64, "binary"),
    ],
)
def test_sniff_by_content(head, kind):
    assert sniff(head) == kind


def test_warc_yields_html_responses_with_provenance(tmp_path):
    path = tmp_path / "crawl.warc.gz"
    _warc(
        path,
        [
            ("https://news.example/a", "text/html; charset=utf-8", PAGE.encode(), "response"),
            ("https://news.example/a", "", b"", "request"),
            ("https://news.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n....", "response"),
            ("https://news.example/b", "application/xhtml+xml", PAGE.encode(), "response"),
        ],
    )
    recs = list(read_warc(path, Settings()))
    assert [r.url for r in recs] == ["https://news.example/a", "https://news.example/b"]
    first = recs[0]
    assert first.kind == "html" and first.published == "2023-06-01" and first.status == "ok"
    assert first.source == f"{path}@0" and first.provenance["offset"] == 0
    assert first.provenance["warc_file"] == str(path) and first.provenance["record_id"].startswith(
        "<urn:uuid:"
    )
    # The offset points at the record: warcio can read it again from there.
    second = recs[1]
    with open(path, "rb") as fh:
        fh.seek(int(second.provenance["offset"]))
        again = next(iter(ArchiveIterator(fh)))
        assert again.rec_headers.get_header("WARC-Target-URI") == second.url
    assert second.source.endswith(f"@{second.provenance['offset']}")


def test_uncompressed_warc_and_sniffing_ignores_the_name(tmp_path):
    path = tmp_path / "archive.dat"
    _warc(path, [("https://news.example/a", "text/html", PAGE.encode(), "response")], gz=False)
    (rec,) = read_inputs([str(path)], Settings())
    assert rec.url == "https://news.example/a" and rec.kind == "html"


def test_jsonl_lines_and_bad_lines(tmp_path):
    path = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"url": "https://a.example/1", "text": TEXT, "published": "2022-01-05T08:00:00Z"}),
        "{not json",
        json.dumps({"url": "https://a.example/3", "html": PAGE}),
        json.dumps(["a list"]),
        "",
        json.dumps({"url": "https://a.example/6", "body": "no text key"}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    recs = list(read_jsonl(path, Settings()))
    assert [r.source for r in recs] == [f"{path}:{n}" for n in (1, 2, 3, 4, 6)]
    assert [r.status for r in recs] == ["ok", "failed", "ok", "failed", "failed"]
    assert (
        recs[0].kind == "text" and recs[0].published == "2022-01-05" and recs[0].url == "https://a.example/1"
    )
    assert recs[2].kind == "html"
    assert {e.code for r in recs if r.status == "failed" for e in r.errors} == {"CL-E023"}


def test_jsonl_partitions_by_byte_range_read_every_line_once(tmp_path):
    path = tmp_path / "big.jsonl"
    rows = [
        json.dumps({"url": f"https://a.example/{i}", "text": f"Line {i} " + "w" * (i % 37)})
        for i in range(200)
    ]
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    size = path.stat().st_size
    for parts in (1, 2, 3, 7, 50):
        cuts = [size * k // parts for k in range(parts)] + [size]
        got = [r for a, b in pairwise(cuts) for r in read_jsonl(path, Settings(), a, b)]
        assert [r.url for r in got] == [f"https://a.example/{i}" for i in range(200)], parts
        assert [r.source for r in got] == [f"{path}:{i + 1}" for i in range(200)]


def test_jsonl_line_over_the_limit_is_skipped_not_held(tmp_path):
    path = tmp_path / "long.jsonl"
    long_line = json.dumps({"text": "x" * 5000})
    path.write_text(long_line + "\n" + json.dumps({"text": TEXT}) + "\n", encoding="utf-8")
    recs = list(read_jsonl(path, replace(Settings(), max_input_bytes=1000)))
    assert [r.status for r in recs] == ["failed", "ok"]
    assert recs[0].errors[0].code == "CL-E004" and recs[1].source.endswith(":2")


def test_gzip_of_each_kind_is_sniffed_inside(tmp_path):
    (tmp_path / "a.txt.gz").write_bytes(gzip.compress(TEXT.encode()))
    (tmp_path / "b.html.gz").write_bytes(gzip.compress(PAGE.encode()))
    (tmp_path / "c.jsonl.gz").write_bytes(gzip.compress((json.dumps({"text": TEXT}) + "\n").encode() * 3))
    _warc(tmp_path / "d.warc.gz", [("https://news.example/d", "text/html", PAGE.encode(), "response")])
    recs = list(read_inputs([str(tmp_path)], Settings()))
    assert [(r.source.rsplit("/", 1)[1], r.kind) for r in recs] == [
        ("a.txt.gz", "text"),
        ("b.html.gz", "html"),
        ("c.jsonl.gz:1", "text"),
        ("c.jsonl.gz:2", "text"),
        ("c.jsonl.gz:3", "text"),
        ("d.warc.gz@0", "html"),
    ]
    assert all(r.status == "ok" for r in recs)


def test_folders_globs_and_missing_inputs(tmp_path):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "one.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "sub" / "two.page").write_text(PAGE, encoding="utf-8")  # any name: sniffed
    (tmp_path / "sub" / "photo.jpg").write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8)
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text(TEXT, encoding="utf-8")
    recs = list(read_inputs([str(tmp_path)], Settings()))
    assert [r.source.rsplit("/", 1)[1] for r in recs] == ["one.txt", "two.page"]
    globbed = list(read_inputs([str(tmp_path / "**" / "*.txt"), str(tmp_path / "nothing-*.txt")], Settings()))
    assert [r.status for r in globbed] == ["ok", "failed"]
    assert globbed[1].errors[0].code == "CL-E032"
    (missing,) = read_inputs([str(tmp_path / "missing.txt")], Settings())
    assert missing.data is None and missing.errors[0].code == "CL-E006"


def test_record_metadata_flows_into_the_document(nlp):
    rec = Record(
        "feed.jsonl:7",
        PAGE,
        kind="html",
        url="https://news.example/bridge",
        published="2023-02-03",
        provenance={"jsonl_file": "feed.jsonl", "line": 7},
    )
    bad = Record("crawl.warc.gz@99", None, status="failed", errors=[])
    doc, failed, plain = extract_many([rec, bad, "“Fine,” said Ada Berg."])
    assert doc.source == "feed.jsonl:7" and doc.url == "https://news.example/bridge"
    assert doc.published == "2023-02-03" and doc.provenance == {"jsonl_file": "feed.jsonl", "line": 7}
    assert doc.to_dict()["provenance"]["line"] == 7
    assert failed.status == "failed" and failed.errors
    assert plain.quotes[0].speaker.name == "Ada Berg"


def test_html_and_its_text_give_the_same_claims(extract):
    as_text, as_html = extract(TEXT), extract(PAGE)
    assert as_html.status == "ok" and as_html.title == "Bridge reopens after repairs"
    assert [(q.text, q.speaker.name) for q in as_html.quotes] == [
        (q.text, q.speaker.name) for q in as_text.quotes
    ]
    assert [(n.text, n.low) for n in as_html.numbers] == [(n.text, n.low) for n in as_text.numbers]


def test_stdin_warc_and_jsonl_stream(nlp, tmp_path):
    path = tmp_path / "s.warc.gz"
    _warc(path, [("https://news.example/s", "text/html", PAGE.encode(), "response")])
    res = CliRunner().invoke(cli, ["extract", "-"], input=path.read_bytes())
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["source"] == "<stdin>@0" and doc["url"] == "https://news.example/s"
    lines = (json.dumps({"text": TEXT}) + "\n") * 2
    res = CliRunner().invoke(cli, ["extract", "-"], input=lines)
    assert [json.loads(x)["source"] for x in res.stdout.splitlines()] == ["<stdin>:1", "<stdin>:2"]
    assert "2 document(s): 2 ok" in res.stderr
    res = CliRunner().invoke(cli, ["extract", "-"], input=gzip.compress(lines.encode()))
    assert [json.loads(x)["source"] for x in res.stdout.splitlines()] == ["<stdin>:1", "<stdin>:2"]
    res = CliRunner().invoke(cli, ["extract", "-"], input=gzip.compress(PAGE.encode()))
    assert json.loads(res.stdout)["title"] == "Bridge reopens after repairs"
