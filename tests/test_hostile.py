"""Hostile input: every bad document gets a coded error or ``partial``, within the deadline and a
memory bound, and the good documents of the same run come out intact.

The corpus is generated in a temporary folder (never committed) and run through one
``claimledger extract`` process, whose peak memory (RSS, itself and its HTML worker) is measured.
The hostile files fail by their content (refused, capped, dropped), never by the clock, so the
run's time budget is generous: a busy machine must not fail a harmless page. The one test that
needs the clock uses a page that takes a minute to parse against a budget of seconds.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from claimledger.html import HtmlError, HtmlWorker, html_to_page

MiB = 1024 * 1024
#: Per-document budget of the corpus run: generous, since no file there should need the clock.
DEADLINE_S = 60.0
MAX_RSS_BYTES = 1536 * MiB
GOOD = (
    "Harbour town votes on sea wall\n"
    "The council of Port Evander voted on Tuesday to build a sea wall after storms flooded 140 homes.\n"
    "“We cannot wait for the next storm,” said Mayor Ines Carvalho.\n"
    "Engineers said the wall would cost about 12 million euros.\n"
)
GOOD_HTML = (
    "<!DOCTYPE html><html><head><title>Harbour town votes on sea wall</title></head><body>"
    "<nav><a href='/'>Home</a></nav><article><h1>Harbour town votes on sea wall</h1>"
    + "".join(f"<p>{line}</p>" for line in GOOD.splitlines()[1:])
    + "</article><footer>© 2024 Coast News</footer></body></html>"
)


def _zeros_gzip(path_or_buf, size: int, chunk: int = 8 * MiB) -> None:
    """Write ``size`` zero bytes gzip-compressed, streamed (never ``size`` bytes in memory)."""
    with gzip.GzipFile(fileobj=path_or_buf, mode="wb", compresslevel=9) as gz:
        block = b"\0" * chunk
        for _ in range(size // chunk):
            gz.write(block)


def _warc_record(
    writer: WARCWriter, url: str, body: bytes, extra: list[tuple[str, str]] | None = None
) -> None:
    headers = StatusAndHeaders(
        "200 OK", [("Content-Type", "text/html; charset=utf-8"), *(extra or [])], protocol="HTTP/1.1"
    )
    rec = writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        http_headers=headers,
        warc_headers_dict={"WARC-Date": "2024-03-05T08:00:00Z"},
    )
    writer.write_record(rec)


def make_corpus(folder: Path) -> dict[str, Path]:
    """The hostile files, by name."""
    f: dict[str, Path] = {}

    def put(name: str, data: bytes) -> None:
        f[name] = folder / name
        f[name].write_bytes(data)

    put("empty.txt", b"")
    put("one-byte.txt", b"\xff")
    put("random.bin", os.urandom(64 * 1024))
    put(
        "mixed-encodings.txt",
        "Mayor Ines Carvalho said: “fine”.\n".encode() + "Café in Évora.\n".encode("latin-1"),
    )
    put("nuls.txt", b"Officials\x00 said\x00 12\x00 people\x00" * 400)
    put("utf16-nobom.txt", GOOD.encode("utf-16-le"))
    deep = "<p>A short introduction that the parser keeps.</p>" + "<div>" * 100_000
    deep += "<p>" + "Text nested far below the parser's depth limit. " * 40 + "</p>" + "</div>" * 100_000
    put("deep.html", f"<html><body>{deep}</body></html>".encode())
    attrs = " ".join(f"a{i}='x'" for i in range(200_000))
    put("attributes.html", f"<html><body><div {attrs}>hello</div><p>{GOOD}</p></body></html>".encode())
    put("giant-node.html", b"<html><body><p>" + b"y" * (50 * MiB) + b"</p></body></html>")
    with (folder / "bomb.html.gz").open("wb") as fh:
        _zeros_gzip(fh, 200 * MiB)
    f["bomb.html.gz"] = folder / "bomb.html.gz"
    # A WARC bomb: a ~1 KiB record whose gzip Content-Encoding inflates to 200 MiB.
    inner = io.BytesIO()
    _zeros_gzip(inner, 200 * MiB)
    with (folder / "bomb.warc.gz").open("wb") as fh:
        w = WARCWriter(fh, gzip=True)
        _warc_record(w, "https://bomb.example/", inner.getvalue(), [("Content-Encoding", "gzip")])
        _warc_record(w, "https://good.example/", GOOD_HTML.encode())
    f["bomb.warc.gz"] = folder / "bomb.warc.gz"
    # A WARC cut short in the middle of its second record.
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=True)
    _warc_record(w, "https://one.example/", GOOD_HTML.encode())
    cut = buf.tell()
    _warc_record(w, "https://two.example/", GOOD_HTML.encode() * 20)
    put("truncated.warc.gz", buf.getvalue()[: cut + (buf.tell() - cut) // 2])
    # An uncompressed WARC whose first record claims more bytes than it has.
    buf = io.BytesIO()
    w = WARCWriter(buf, gzip=False)
    _warc_record(w, "https://liar.example/", GOOD_HTML.encode())
    _warc_record(w, "https://after.example/", GOOD_HTML.encode())
    raw = buf.getvalue()
    length = raw.split(b"Content-Length: ", 1)[1].split(b"\r\n", 1)[0]
    put(
        "lying.warc",
        raw.replace(b"Content-Length: " + length, b"Content-Length: " + str(int(length) + 900).encode(), 1),
    )
    put("good.txt", GOOD.encode())
    put("good.html", GOOD_HTML.encode())
    return f


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One ``claimledger extract`` over the whole corpus; (documents by file name, peak RSS, seconds)."""
    folder = tmp_path_factory.mktemp("hostile")
    files = make_corpus(folder)
    order = [*files]  # the good documents come last, after every hostile one
    env = {**os.environ, "CLAIMLEDGER_DOC_TIMEOUT_S": str(DEADLINE_S)}
    # The wrapper's RUSAGE_CHILDREN covers the CLI and the HTML worker it starts and reaps.
    wrapper = (
        "import resource, subprocess, sys, json\n"
        "r = subprocess.run(sys.argv[1:], capture_output=True)\n"
        "sys.stderr.buffer.write(r.stderr)\n"
        "sys.stdout.buffer.write(r.stdout)\n"
        "print(json.dumps({'rc': r.returncode, "
        "'maxrss_kib': resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))\n"
    )
    exe = Path(sys.executable).with_name("claimledger")
    start = time.monotonic()
    res = subprocess.run(
        [sys.executable, "-c", wrapper, str(exe), "extract", *(str(files[n]) for n in order)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    elapsed = time.monotonic() - start
    lines = res.stdout.splitlines()
    meta = json.loads(lines[-1])
    docs: dict[str, list[dict]] = {}
    for line in lines[:-1]:
        d = json.loads(line)
        docs.setdefault(Path(d["source"].split("@")[0]).name, []).append(d)
    return docs, meta, elapsed, res.stderr


def _codes(doc: dict) -> set[str]:
    return {e["code"] for e in doc["errors"]}


def test_run_finishes_with_exit_3_and_a_summary(run):
    _, meta, elapsed, stderr = run
    assert meta["rc"] == 3, stderr
    assert "failed" in stderr and "CL-E020" in stderr  # the summary counts statuses and codes
    assert elapsed < 240  # no hang (the files fail by content; this bounds a loaded machine too)


def test_memory_stays_bounded(run):
    _, meta, elapsed, _ = run
    print(f"hostile run: {elapsed:.1f} s, peak RSS {meta['maxrss_kib'] / 1024:.0f} MiB")
    assert meta["maxrss_kib"] * 1024 < MAX_RSS_BYTES


def test_good_documents_are_intact(run):
    docs = run[0]
    for name in ("good.txt", "good.html", "utf16-nobom.txt"):
        (d,) = docs[name]
        assert d["status"] == "ok", (name, d["errors"])
        quotes = [q for q in d["quotes"] if "We cannot wait" in q["text"]]
        assert quotes and quotes[0]["speaker"]["name"] == "Ines Carvalho", name
        assert any(n["low"] == 140 for n in d["numbers"]), name


@pytest.mark.parametrize(
    ("name", "status", "code"),
    [
        ("empty.txt", "skipped", "CL-E001"),
        ("random.bin", "failed", "CL-E002"),
        ("mixed-encodings.txt", "partial", "CL-E003"),
        ("deep.html", "partial", "CL-E025"),
        ("attributes.html", "failed", "CL-E026"),
        ("giant-node.html", "failed", "CL-E004"),
        ("bomb.html.gz", "failed", "CL-E020"),
    ],
)
def test_hostile_file_gets_a_coded_status(run, name, status, code):
    (d,) = run[0][name]
    assert d["status"] == status and code in _codes(d), d["errors"]
    for e in d["errors"]:
        assert len(e["message"]) > 40  # says the cause and the fix


def test_tiny_and_nul_inputs_are_not_silent_successes(run):
    docs = run[0]
    for name in ("one-byte.txt", "nuls.txt"):
        (d,) = docs[name]
        assert d["status"] != "ok" or d["errors"], (name, d)


def test_warc_bomb_fails_alone_and_the_next_record_is_read(run):
    bomb, good = run[0]["bomb.warc.gz"]
    assert bomb["status"] == "failed" and "CL-E020" in _codes(bomb)
    assert bomb["url"] == "https://bomb.example/"
    assert good["status"] == "ok" and good["url"] == "https://good.example/"
    assert good["published"] == "2024-03-05"


def test_truncated_warc_keeps_what_came_before(run):
    docs = run[0]["truncated.warc.gz"]
    assert docs[0]["status"] == "ok" and docs[0]["url"] == "https://one.example/"
    assert docs[-1]["status"] in ("failed", "partial")
    assert _codes(docs[-1]) & {"CL-E021", "CL-E022"}


def test_warc_record_lying_about_its_length_is_flagged(run):
    docs = run[0]["lying.warc"]
    assert any(_codes(d) & {"CL-E021", "CL-E022"} for d in docs), docs
    assert all(d["status"] != "ok" or not _codes(d) - {"CL-E007"} for d in docs)


# --- the worker's deadline and the dropped-content check, without the command line --------------


def test_parse_over_the_deadline_is_killed_and_the_worker_restarts(monkeypatch):
    import claimledger.html as h

    monkeypatch.setattr(h, "MAX_ATTRIBUTES", 10**9)  # let the slow page through the pre-check
    attrs = " ".join(f"a{i}='x'" for i in range(200_000))  # about 80 s of parsing
    worker = HtmlWorker()
    monkeypatch.setattr(h, "_SHARED", worker)
    assert html_to_page(GOOD_HTML, timeout_s=60.0) is not None  # a warm worker: no retry of the bomb
    start = time.monotonic()
    with pytest.raises(HtmlError) as exc:
        html_to_page(f"<html><body><div {attrs}>x</div></body></html>", timeout_s=2.0)
    assert exc.value.item.code == "CL-E024"
    assert time.monotonic() - start < 2.0 + 5
    page = html_to_page(GOOD_HTML, timeout_s=10.0)  # a fresh worker takes the next page
    assert page is not None and "We cannot wait" in page.text
    worker.stop()


def test_text_node_over_the_parser_limit_is_reported_as_dropped():
    big = "<html><body><p>" + GOOD + "</p><p>" + "z" * (11 * MiB) + "</p><p>Tail text.</p></body></html>"
    page = html_to_page(big, timeout_s=120.0)
    assert page is None or (page.dropped is not None and page.dropped.code == "CL-E025")


def test_gzip_ratio_cap_stops_early():
    from claimledger.readers.capped import CappedGzipReader, DecompressionLimit

    buf = io.BytesIO()
    _zeros_gzip(buf, 64 * MiB)
    buf.seek(0)
    reader = CappedGzipReader(buf, None, max_ratio=200)
    with pytest.raises(DecompressionLimit) as exc:
        while reader.read(1 << 16):
            pass
    assert "max_decompression_ratio" in exc.value.reason
    assert reader.produced < 64 * MiB


def test_damaged_gzip_is_a_coded_error(tmp_path):
    from claimledger.readers import read_inputs
    from claimledger.settings import Settings

    data = gzip.compress(GOOD.encode() * 50)
    (tmp_path / "cut.txt.gz").write_bytes(data[: len(data) // 2])
    (tmp_path / "garbage.gz").write_bytes(b"\x1f\x8b" + zlib.compress(b"x")[2:] + b"junk")
    recs = list(read_inputs([str(tmp_path / "cut.txt.gz"), str(tmp_path / "garbage.gz")], Settings()))
    assert [r.status for r in recs] == ["partial", "failed"]
    assert all(r.errors[0].code == "CL-E021" for r in recs)


# --- text whose size or shape once made extraction crash or take minutes ---------------------------


def _guard_tokenizer(nlp, monkeypatch, check) -> None:
    """From now on, every text handed to spaCy's tokenizer must pass ``check`` (failing at once,
    before the tokenizer crashes or spends minutes on it)."""
    tokenizer = nlp.tokenizer

    def guarded(text: str):
        assert check(text), f"{len(text):,} characters handed to the tokenizer: {text[:60]!r}…"
        return tokenizer(text)

    monkeypatch.setattr(nlp, "tokenizer", guarded)


def test_a_paragraph_over_spacys_max_length_is_extracted(nlp, monkeypatch):
    from claimledger import extract_many

    tail = " Officials said 12 people left."
    text = "a" * 99 + " "
    text = text * 10_001 + tail  # one paragraph of 1,000,131 characters
    _guard_tokenizer(nlp, monkeypatch, lambda t: len(t) < nlp.max_length)  # else spaCy's E088
    (doc,) = extract_many([("long.txt", text)], nlp=nlp)
    assert doc.status == "ok", doc.errors
    (n,) = doc.numbers
    assert doc.text[n.start : n.end] == "12" and n.start == len(text) - len(" people left.") - 2


@pytest.mark.parametrize(
    "run",
    ['"' * 8_000, "'\"" * 50_000, "(" * 100_000, "\u201c" * 100_000],
    ids=["dq", "sq-dq", "paren", "curly"],
)
def test_a_run_of_punctuation_never_reaches_the_tokenizer(nlp, monkeypatch, run):
    """spaCy strips a run's affixes one at a time (8 KB of quotation marks took 20 s, 100 KB hours):
    a whitespace-free run too long to be a word is kept out of tokenisation, and the text around
    it is still read."""
    from claimledger import extract_many
    from claimledger.units import MAX_WORD_CHARS

    text = f"Officials said 12 people left. {run} The mayor said 40 more would go.\n"
    _guard_tokenizer(nlp, monkeypatch, lambda t: all(len(w) < MAX_WORD_CHARS for w in t.split()))
    (doc,) = extract_many([("run.txt", text)], nlp=nlp)
    assert doc.status == "ok", doc.errors
    assert [(n.low, doc.text[n.start : n.end]) for n in doc.numbers] == [(12, "12"), (40, "40")]


def test_a_run_of_bare_numbers_gives_matches_in_proportion(nlp):
    """An open-ended repeat in a matcher pattern gives every sub-run of n numbers: n² matches."""
    from claimledger.numbers.recognize import NumberRecognizer

    recognizer = NumberRecognizer(nlp)
    counts = []
    for n in (100, 400):
        doc = nlp.make_doc(" ".join(str(1_000 + 37 * i) for i in range(n)))
        counts.append(len(recognizer._match_near_numbers(doc)))
    assert counts[1] < 5 * counts[0]  # linear: 4×; quadratic would be 16×
