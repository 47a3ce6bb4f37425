"""URL fetching and its address guard, against a server on 127.0.0.1 only.

Host names are answered by a resolver stub; a connector stub records the vetted address it is
asked for and always connects to the local test server, so nothing ever leaves loopback.
"""

from __future__ import annotations

import functools
import gzip
import json
import threading
import tracemalloc
import zlib
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar

import httpcore
import pytest
from click.testing import CliRunner

from claimledger.cli import cli
from claimledger.readers import read_inputs
from claimledger.readers.url import address_refusal, fetch
from claimledger.settings import Settings

ARTICLE = (
    "<!DOCTYPE html><html><head><title>Ferry service resumes after strike</title></head><body>"
    "<nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
    "<article><h1>Ferry service resumes after strike</h1>"
    "<p>Ferries between Lund Island and the mainland sailed again on Monday after a nine-day strike.</p>"
    "<p>“Passengers have been patient and we thank them,” said operations chief Maren Holt.</p>"
    "<p>The operator said about 3,000 travellers had been stranded during the dispute.</p></article>"
    "<footer>© Coast Post</footer></body></html>"
)
#: What the resolver stub answers for a "public" name (the connector stub still dials 127.0.0.1).
PUBLIC = "93.184.216.34"


def _gzip_of_zeros(size: int) -> bytes:
    """gzip of ``size`` zero bytes, compressed a MiB at a time (the zeros are never all in memory)."""
    z = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    mib = bytes(1 << 20)
    return b"".join([*(z.compress(mib) for _ in range(size >> 20)), z.flush()])


@functools.cache
def _double_gzip() -> tuple[str, bytes]:
    """256 MiB of zeros in two gzip layers: a couple of kilobytes on the wire."""
    return "gzip, gzip", gzip.compress(_gzip_of_zeros(256 << 20), 9)


ENCODED = {
    "/gzip-page": lambda: ("gzip", gzip.compress(ARTICLE.encode())),
    "/gzip-gzip": _double_gzip,
    "/gzip-bomb": functools.cache(lambda: ("gzip", _gzip_of_zeros(64 << 20))),
    "/brotli": lambda: ("br", b"\x0b\x02\x80hello\x03"),
    "/identity-gzip": lambda: ("identity, gzip", gzip.compress(ARTICLE.encode())),
}


class _Handler(BaseHTTPRequestHandler):
    seen: ClassVar[list[dict]] = []

    def log_message(self, *args) -> None:  # keep the test output clean
        return

    def do_GET(self) -> None:
        _Handler.seen.append(
            {
                "path": self.path,
                "host": self.headers.get("Host"),
                "ua": self.headers.get("User-Agent"),
                "accept_encoding": self.headers.get("Accept-Encoding"),
            }
        )
        if self.path.startswith("/redirect?to="):
            self.send_response(302)
            self.send_header("Location", self.path.split("=", 1)[1])
            self.end_headers()
        elif self.path.startswith("/loop/"):
            n = int(self.path.rsplit("/", 1)[1])
            self.send_response(301)
            self.send_header("Location", f"/loop/{n + 1}")
            self.end_headers()
        elif self.path == "/big":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no Content-Length: the cap must hold while streaming
            try:
                for _ in range(64):
                    self.wfile.write(b"<p>" + b"x" * 65_536 + b"</p>")
            except (BrokenPipeError, ConnectionResetError):
                return  # the client stopped reading at its cap, as it should
        elif self.path in ENCODED:
            encoding, body = ENCODED[self.path]()
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.send_header("Content-Encoding", encoding)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            try:
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                return  # refused or capped: the client hung up
        elif self.path == "/page":
            body = ARTICLE.encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        else:
            self.send_response(404)
            self.end_headers()


@pytest.fixture(scope="module")
def server():
    srv = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv.server_address[1]
    srv.shutdown()
    srv.server_close()


class Stubs:
    """A resolver answering from a table and a connector that only ever dials the local server."""

    def __init__(self, port: int, table: dict[str, list[list[str]]]) -> None:
        self.port, self.table = port, table
        self.calls: dict[str, int] = {}
        self.connected: list[str] = []

    def resolve(self, host: str, port: int) -> list[str]:
        n = self.calls.get(host, 0)
        self.calls[host] = n + 1
        answers = self.table[host]
        return answers[min(n, len(answers) - 1)]

    def connect(self, ip: str, port: int, timeout: float | None) -> httpcore.NetworkStream:
        assert address_refusal(ip) is None or ip == "127.0.0.1", f"asked to connect to {ip}"
        self.connected.append(ip)
        return httpcore.SyncBackend().connect_tcp("127.0.0.1", self.port, timeout=timeout)


TABLE = {
    "news.test": [[PUBLIC]],
    "loopback.test": [["127.0.0.1"]],
    "private.test": [["10.0.0.1"]],
    "v6loop.test": [["::1"]],
    "metadata.test": [["169.254.169.254"]],
    "mixed.test": [[PUBLIC, "10.0.0.1"]],
    "rebind.test": [[PUBLIC], ["10.0.0.1"]],
}


@pytest.fixture
def stubs(server):
    _Handler.seen.clear()
    return Stubs(server, TABLE)


def _fetch(url: str, stubs: Stubs, settings: Settings | None = None):
    return fetch(url, settings or Settings(), resolver=stubs.resolve, connector=stubs.connect)


def test_public_name_is_fetched_through_the_vetted_address(stubs, server):
    rec = _fetch(f"http://news.test:{server}/page", stubs)
    assert rec.status == "ok", rec.errors
    assert rec.kind == "html" and b"Maren Holt" in rec.data
    assert stubs.connected == [PUBLIC]
    seen = _Handler.seen[-1]
    assert seen["host"] == f"news.test:{server}"  # the Host header names the host, not the IP
    assert (
        seen["ua"].startswith("claimledger/") and "+https://github.com/claimledger/claimledger" in seen["ua"]
    )
    assert rec.provenance["http_status"] == 200


@pytest.mark.parametrize(
    "target",
    [
        "http://loopback.test:{port}/page",
        "http://private.test:{port}/page",
        "http://v6loop.test:{port}/page",
        "http://metadata.test/latest/meta-data/",
        "http://mixed.test:{port}/page",
        "http://127.0.0.1:{port}/page",
        "http://[::1]:{port}/page",
        "http://[::ffff:127.0.0.1]:{port}/page",
        "http://0.0.0.0:{port}/page",
    ],
)
def test_redirect_to_a_private_address_is_refused(stubs, server, target):
    url = f"http://news.test:{server}/redirect?to=" + target.format(port=server)
    rec = _fetch(url, stubs)
    assert rec.status == "failed" and rec.data is None
    assert rec.errors[0].code == "CL-E028", rec.errors
    assert stubs.connected == [PUBLIC]  # only the first, public hop was ever dialled


def test_dns_rebinding_is_refused_at_connect_time(stubs, server):
    rec = _fetch(f"http://rebind.test:{server}/page", stubs)
    assert rec.status == "failed" and rec.errors[0].code == "CL-E028"
    assert "10.0.0.1" in rec.errors[0].message
    assert stubs.calls["rebind.test"] == 2 and stubs.connected == []


def test_other_schemes_are_refused(stubs, server):
    rec = _fetch(f"http://news.test:{server}/redirect?to=file:///etc/passwd", stubs)
    assert rec.errors[0].code == "CL-E028"
    (ftp,) = read_inputs(["ftp://news.test/file.html"], Settings())
    assert ftp.status == "failed" and ftp.errors[0].code == "CL-E028"


def test_size_cap_holds_while_streaming(stubs, server):
    small = replace(Settings(), max_input_bytes=1024 * 1024)
    rec = _fetch(f"http://news.test:{server}/big", stubs, small)
    assert rec.status == "failed" and rec.errors[0].code == "CL-E004"


def test_gzip_body_is_decoded(stubs, server):
    for path in ("/gzip-page", "/identity-gzip"):
        rec = _fetch(f"http://news.test:{server}{path}", stubs)
        assert rec.status == "ok" and rec.data == ARTICLE.encode(), rec.errors
    assert _Handler.seen[-1]["accept_encoding"] == "gzip"


def _peak_bytes(call):
    """(result, peak bytes allocated by Python while ``call`` ran)."""
    tracemalloc.start()
    try:
        return call(), tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_two_encoding_layers_are_refused_before_decoding(stubs, server):
    _double_gzip()  # built before measuring
    rec, peak = _peak_bytes(lambda: _fetch(f"http://news.test:{server}/gzip-gzip", stubs))
    assert rec.status == "failed" and rec.errors[0].code == "CL-E029", rec.errors
    assert "'gzip, gzip'" in rec.errors[0].message and "more than one encoding layer" in rec.errors[0].message
    assert peak < 16 << 20  # httpx would have inflated 256 MiB


def test_unknown_encoding_is_refused(stubs, server):
    rec = _fetch(f"http://news.test:{server}/brotli", stubs)
    assert rec.errors[0].code == "CL-E029" and "other than gzip" in rec.errors[0].message


def test_gzip_bomb_is_capped_while_it_is_decoded(stubs, server, monkeypatch):
    from claimledger.readers import url as url_module

    readers: list = []

    class Counting(url_module.CappedGzipReader):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            readers.append(self)

    monkeypatch.setattr(url_module, "CappedGzipReader", Counting)
    ENCODED["/gzip-bomb"]()
    small = replace(Settings(), max_decoded_bytes=1 << 20)
    rec, peak = _peak_bytes(lambda: _fetch(f"http://news.test:{server}/gzip-bomb", stubs, small))
    assert rec.status == "failed" and rec.errors[0].code == "CL-E020", rec.errors
    (reader,) = readers
    assert reader.produced <= (1 << 20) + url_module._STEP  # decoded no further than one step past the cap
    assert peak < 16 << 20


def test_redirect_limit(stubs, server):
    rec = _fetch(f"http://news.test:{server}/loop/0", stubs, replace(Settings(), fetch_max_redirects=3))
    assert rec.errors[0].code == "CL-E030"
    assert [s["path"] for s in _Handler.seen] == ["/loop/0", "/loop/1", "/loop/2", "/loop/3"]


def test_fetching_can_be_turned_off(stubs, server):
    rec = _fetch(f"http://news.test:{server}/page", stubs, replace(Settings(), fetch_urls=False))
    assert rec.status == "skipped" and rec.errors[0].code == "CL-E031" and stubs.connected == []


def test_local_server_is_fetched_when_private_addresses_are_allowed(server):
    rec = fetch(f"http://127.0.0.1:{server}/page", replace(Settings(), fetch_allow_private=True))
    assert rec.status == "ok" and rec.url == f"http://127.0.0.1:{server}/page"


def test_cli_extracts_a_url_and_refuses_loopback_by_default(nlp, server, monkeypatch):
    url = f"http://127.0.0.1:{server}/page"
    refused = CliRunner().invoke(cli, ["extract", url])
    assert refused.exit_code == 3
    assert json.loads(refused.stdout)["errors"][0]["code"] == "CL-E028"
    monkeypatch.setenv("CLAIMLEDGER_FETCH_ALLOW_PRIVATE", "true")
    res = CliRunner().invoke(cli, ["extract", url])
    assert res.exit_code == 0, res.output
    doc = json.loads(res.stdout)
    assert doc["source"] == url and doc["url"] == url
    assert doc["provenance"]["fetched_url"] == url
    direct = [q for q in doc["quotes"] if q["kind"] == "direct"]
    assert [q["speaker"]["name"] for q in direct] == ["Maren Holt"]
    off = CliRunner().invoke(cli, ["extract", "--no-fetch", url])
    assert json.loads(off.stdout)["errors"][0]["code"] == "CL-E031"
