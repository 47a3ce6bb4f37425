"""Fuzzing every input path with Hypothesis: the readers, ``decode``, the number parser, ``extract``.

    python bench/fuzz.py [--reader-inputs 20000] [--extract-inputs 2000] [--seed 0] [--slow 60]

Reader inputs are split evenly over the targets ``sniff`` (HTML sniffing), ``text``, ``warc``,
``jsonl``, ``gzip``, ``files`` (folder trees with links and odd names, and recursive globs),
``decode`` and ``values`` (``numbers.values.parse_value``); extract inputs go to
``claimledger.extract`` (prose with quotes and numbers, HTML pages, raw bytes). Each reader input
comes with its own limits (``max_input_bytes`` from 0 up), so the limits are fuzzed too.

What is expected is the project's coded way of failing: a ``DecodeError`` from ``decode``, a
record or document with status ``failed``/``partial``/``skipped`` and coded errors. Anything
else is a **finding**: an exception; a reader record without a code, or with the internal
error CL-E099 (the readers' safety net caught something unforeseen); a name that is not valid
UTF-8; a span outside the text; a document that does not serialise; an input that runs longer
than ``--slow`` seconds. Each finding is printed with the smallest input that showed it (inputs
over ``--slow`` are not shrunk: each attempt would cost that long). Prints the inputs run and the
findings per target; exits 1 when there is any finding.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import math
import os
import shutil
import signal
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, Phase, Verbosity, given, seed, settings
from hypothesis import strategies as st

from claimledger.readers import Record, read_inputs, sniff
from claimledger.readers.files import _read_stream
from claimledger.readers.jsonl import read_jsonl, read_jsonl_stream
from claimledger.readers.warc import read_warc_stream
from claimledger.settings import MiB, Settings
from claimledger.text import DecodeError, decode, normalize

#: Examples per Hypothesis run: a failure ends (and shrinks) one run, the next run goes on.
ROUND = 1000
READER_TARGETS = ("sniff", "text", "warc", "jsonl", "gzip", "files", "decode", "values")
STATUSES = {"ok", "partial", "failed", "skipped"}


# -- findings -----------------------------------------------------------------------------------


class Problem(Exception):
    """An output broke a rule (the code under test did not raise)."""


class Slow(BaseException):
    """Raised by the alarm: a BaseException, so that no ``except Exception`` in the code swallows it."""


@dataclass
class Finding:
    target: str
    what: str
    example: Any
    detail: str
    shrunk: bool = True


@dataclass
class Report:
    runs: Counter[str] = field(default_factory=Counter)
    findings: dict[tuple[str, str], Finding] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def add(self, finding: Finding) -> None:
        """Keep the smallest example of each (target, what)."""
        key = (finding.target, finding.what)
        old = self.findings.get(key)
        if old is None or len(repr(finding.example)) < len(repr(old.example)):
            self.findings[key] = finding

    def by_target(self, target: str) -> list[Finding]:
        return [f for (t, _), f in self.findings.items() if t == target]


def _where(exc: BaseException) -> str:
    """``KeyError at warcio/recordloader.py:184``: the exception and its innermost frame."""
    frames = traceback.extract_tb(exc.__traceback__)
    if not frames:
        return type(exc).__name__
    last = Path(frames[-1].filename)
    return f"{type(exc).__name__} at {last.parent.name}/{last.name}:{frames[-1].lineno}"


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`Slow` in this (main) thread after ``seconds``."""

    def ring(signum: int, frame: Any) -> None:
        raise Slow

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Target:
    name: str
    strategy: st.SearchStrategy[Any]
    run: Callable[[Any], None]
    #: Exceptions that are the target's documented, coded way of refusing an input.
    expected: tuple[type[BaseException], ...] = ()


def fuzz(target: Target, n: int, report: Report, seed_base: int = 0, slow_s: float = 60.0) -> None:
    """Run ``n`` generated inputs through ``target`` in rounds of :data:`ROUND`; findings go to ``report``."""

    def body(example: Any) -> None:
        report.runs[target.name] += 1
        try:
            with _time_limit(slow_s):
                target.run(example)
        except target.expected:
            return
        except Slow:
            _reset_html_worker()  # its reply to the page cut short must not answer the next one
            report.add(Finding(target.name, "slow", example, f"over {slow_s:g} s", shrunk=False))
            return  # not raised: shrinking would cost slow_s per attempt
        except Exception as exc:
            detail = "".join(traceback.format_exception_only(type(exc), exc)).strip()[:500]
            what = f"check: {str(exc)[:120]}" if isinstance(exc, Problem) else _where(exc)
            report.add(Finding(target.name, what, example, detail))
            raise  # Hypothesis shrinks it; body records each smaller example on the way

    started = time.perf_counter()
    for r in range(math.ceil(n / ROUND)):
        examples = min(ROUND, n - r * ROUND)
        test = seed(seed_base * 100_003 + r)(
            settings(
                max_examples=examples,
                database=None,
                deadline=None,
                derandomize=False,
                phases=[Phase.generate, Phase.shrink],
                suppress_health_check=list(HealthCheck),
                verbosity=Verbosity.quiet,
                print_blob=False,
            )(given(target.strategy)(body))
        )
        # Hypothesis raises the failure it shrank: body has put it, and its smallest input, in the report.
        with contextlib.suppress(Exception):
            test()
    report.seconds[target.name] = report.seconds.get(target.name, 0.0) + time.perf_counter() - started


def _reset_html_worker() -> None:
    from claimledger.html import shared_worker

    shared_worker().stop()


# -- strategies -----------------------------------------------------------------------------------

WORDS = (
    "the mayor said that about a dozen people were killed wounded missing more than fewer at least "
    "up to according to officials who spoke on condition of anonymity because they feared reprisals "
    "he she told reporters a spokesman for ministry Defence Alexei Tabalov Ms Berg added hundreds "
    "thousands million billion percent half killed soldiers refugees homes police"
).split()
NUMBERS = [
    "12", "1,200", "3.5", "about 40", "a dozen", "hundreds", "tens of thousands", "3.5 million",
    "between 10 and 20", "10-20", "€3bn", "$4.2 billion", "20%", "half", "one in five", "nearly 1,000",
    "at least 45", "more than 13,000", "up to 300", "1e400", "99999999999999999999999", "0.000001",
    "two-thirds", "4th", "seventy-two", "1/2", "½", "²", "٣", "１２",
]  # fmt: skip
MARKS = list('"“”\'‘’«»„()[]—-,.:;…!')
SEPARATORS = [" ", " ", " ", " ", "", "\n", "\n\n", "\t", "\u00a0", "\r\n"]

token = st.one_of(
    st.sampled_from(WORDS),
    st.sampled_from(NUMBERS),
    st.sampled_from(MARKS),
    st.integers(-(10**15), 10**15).map(str),
    st.text(max_size=6),
)
prose = st.lists(st.tuples(token, st.sampled_from(SEPARATORS)), max_size=150).map(
    lambda parts: "".join(a + b for a, b in parts)
)
html_page = st.builds(
    lambda title, paras, junk: (
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
        + "".join(f"<p>{p}</p>" for p in paras)
        + junk
        + "</article></body></html>"
    ),
    st.text(max_size=30),
    st.lists(prose, max_size=5),
    st.sampled_from(["", "<blockquote>", "</p></div>", "<script>x</script>", "<!--", "<![CDATA[", "<p" * 20]),
)
ENCODINGS = "utf-8 utf-8-sig utf-16 utf-16-le utf-16-be utf-32 cp1252 latin-1 koi8-r".split()


@st.composite
def encoded(draw: st.DrawFn, text: st.SearchStrategy[str]) -> bytes:
    """Text in some encoding (what cannot be encoded is replaced), sometimes with bytes spliced in."""
    raw = draw(text).encode(draw(st.sampled_from(ENCODINGS)), "replace")
    if draw(st.integers(0, 4)) == 0:
        at = draw(st.integers(0, len(raw)))
        raw = raw[:at] + draw(st.binary(max_size=16)) + raw[at:]
    return raw


MAGIC = [b"%PDF-", b"PK\x03\x04", b"\x89PNG\r\n\x1a\n", b"\x1f\x8b", b"WARC/1.0\r\n", b"{", b"<html>"]
documents = st.one_of(
    encoded(prose),
    encoded(html_page),
    st.binary(max_size=600),
    st.builds(lambda m, rest: m + rest, st.sampled_from(MAGIC), st.binary(max_size=200)),
)
limits = st.builds(
    Settings,
    max_input_bytes=st.sampled_from([0, 1, 64, 4096, 10 * MiB]),
    max_decoded_bytes=st.sampled_from([0, 100, 10_000, 10 * MiB]),
    max_decompression_ratio=st.sampled_from([1, 2, 200]),
)

HEADER_TEXT = st.one_of(
    st.sampled_from(["http://a.test/x", "dns:a.test", "<http://c.test/>", "", "http://a b"]),
    st.text(max_size=20),
)


@st.composite
def http_block(draw: st.DrawFn) -> bytes:
    status = draw(st.sampled_from(["HTTP/1.1 200 OK", "HTTP/1.0 404 X", "HTTP/1.1 200", "junk", "HTTP/1 x"]))
    types = ["text/html", "text/html; charset=utf-8", "image/png", "", "application/xhtml+xml"]
    ctype = draw(st.sampled_from(types))
    body = draw(documents)
    headers = [f"Content-Type: {ctype}"] if ctype else []
    if draw(st.booleans()):
        headers.append("Content-Encoding: gzip")
        if draw(st.booleans()):
            body = gzip.compress(body)
    if draw(st.integers(0, 5)) == 0:
        headers.append("Transfer-Encoding: chunked")
        if draw(st.booleans()):
            body = f"{len(body):x}\r\n".encode() + body + b"\r\n0\r\n\r\n"
    return (status + "\r\n" + "".join(h + "\r\n" for h in headers) + "\r\n").encode() + body


@st.composite
def warc_record(draw: st.DrawFn) -> bytes:
    kind = draw(st.sampled_from(["response", "response", "request", "metadata", "resource", "revisit", ""]))
    headers = [("WARC-Type", kind)]
    if draw(st.integers(0, 3)):
        headers.append(("WARC-Target-URI", draw(HEADER_TEXT)))
    if draw(st.booleans()):
        headers.append(("WARC-Date", draw(st.sampled_from(["2024-05-01T10:00:00Z", "2024", "", "today"]))))
    if draw(st.booleans()):
        headers.append(("WARC-Record-ID", "<urn:uuid:1>"))
    block = draw(st.one_of(http_block(), st.binary(max_size=200), st.just(b"")))
    length = draw(st.sampled_from(["exact"] * 5 + ["missing", "short", "long", "zero", "junk", "negative"]))
    value = {
        "exact": str(len(block)),
        "short": str(max(0, len(block) - 7)),
        "long": str(len(block) + 50),
        "zero": "0",
        "junk": "abc",
        "negative": "-5",
    }.get(length)
    if value is not None:
        headers.append(("Content-Length", value))
    head = "".join(f"{k}: {v}\r\n" for k, v in headers).encode("utf-8", "surrogateescape")
    version = draw(st.sampled_from([b"WARC/1.0\r\n", b"WARC/1.1\r\n", b"WARC/0.17\r\n", b"WARC/\r\n"]))
    return version + head + b"\r\n" + block + b"\r\n\r\n"


@st.composite
def mutated(draw: st.DrawFn, blob: bytes) -> bytes:
    """Truncated, a byte flipped, or garbage appended (or left as it is)."""
    how = draw(st.sampled_from(["none", "none", "truncate", "flip", "append"]))
    if not blob or how == "none":
        return blob
    at = draw(st.integers(0, len(blob) - 1))
    if how == "truncate":
        return blob[:at]
    if how == "flip":
        return blob[:at] + bytes([blob[at] ^ draw(st.integers(1, 255))]) + blob[at + 1 :]
    return blob + draw(st.binary(min_size=1, max_size=40))


@st.composite
def warc_blob(draw: st.DrawFn) -> bytes:
    records = draw(st.lists(warc_record(), max_size=4))
    if draw(st.booleans()):
        records = [gzip.compress(r) for r in records]
    return draw(mutated(b"".join(records)))


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
json_record = st.fixed_dictionaries(
    {},
    optional={
        "url": st.one_of(HEADER_TEXT, json_values),
        "html": st.one_of(html_page, json_values),
        "text": st.one_of(prose, json_values),
        "published": st.one_of(st.sampled_from(["2024-01-02", "2024-13-45T00:00", "", "today"]), json_values),
    },
)
CLOSER = {"[": "]", '{"a":': "}"}
deep_line = st.builds(
    lambda depth, opener: '{"text": "x", "a": ' + opener * depth + CLOSER[opener] * depth + "}",
    st.integers(0, 4000),
    st.sampled_from(["[", '{"a":']),
)
json_line = st.one_of(
    st.builds(json.dumps, json_record, ensure_ascii=st.booleans()),
    json_values.map(json.dumps),
    deep_line,
    st.binary(max_size=80).map(lambda b: b.replace(b"\n", b" ").decode("latin-1")),
    st.just(""),
    st.text(max_size=40).map(lambda t: t.replace("\n", " ")),
)


@st.composite
def jsonl_blob(draw: st.DrawFn) -> bytes:
    lines = draw(st.lists(json_line, min_size=1, max_size=6))
    sep = draw(st.sampled_from(["\n", "\n", "\r\n"]))
    text = sep.join(lines) + draw(st.sampled_from(["\n", ""]))
    raw = text.encode("utf-8", "surrogatepass")
    return raw if draw(st.integers(0, 3)) else draw(mutated(raw))


@st.composite
def gzip_blob(draw: st.DrawFn) -> bytes:
    inner = draw(st.one_of(documents, warc_blob(), jsonl_blob()))
    cuts = sorted(draw(st.lists(st.integers(0, len(inner)), max_size=2)))
    pieces = [inner[a:b] for a, b in zip([0, *cuts], [*cuts, len(inner)], strict=True)]
    level = draw(st.integers(0, 9))
    blob = b"".join(gzip.compress(p, level) for p in pieces)  # one member per piece
    if draw(st.integers(0, 4)) == 0:
        blob += b"\x00" * draw(st.integers(1, 16))  # padding after the last member
    return draw(mutated(blob))


NAMES = [b"a.txt", b"b.html", b"c", b".hidden", b"bad-\xff.txt", b"d.pdf", b"e.md", b"sub", b"x.warc"]
LINKS = [b"..", b"../..", b".", b"a.txt", b"missing", b"sub"]


@st.composite
def tree(draw: st.DrawFn) -> list[tuple[bytes, str, bytes]]:
    """Entries (relative path, kind, content or link target) of a small folder tree."""
    entries = []
    for _ in range(draw(st.integers(0, 8))):
        depth = draw(st.integers(1, 3))
        path = b"/".join(draw(st.sampled_from(NAMES)) for _ in range(depth))
        kind = draw(st.sampled_from(["file", "file", "file", "dir", "link"]))
        payload = {"file": documents, "link": st.sampled_from(LINKS), "dir": st.just(b"")}[kind]
        payload = draw(payload)
        entries.append((path, kind, payload))
    return entries


# -- checks -----------------------------------------------------------------------------------------


def _valid_str(value: object, what: str) -> None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise Problem(f"{what} is not valid UTF-8: {value[:80]!r}") from None


def check_records(records: list[Record]) -> None:
    """Every record is coded when it is not ok, and names things with valid strings."""
    for rec in records:
        if not isinstance(rec, Record):
            raise Problem(f"not a Record: {type(rec).__name__}")
        _valid_str(rec.source, "a source")
        _valid_str(rec.url, "a url")
        for v in rec.provenance.values():
            _valid_str(v, "a provenance value")
        if rec.status not in STATUSES:
            raise Problem(f"status {rec.status!r}")
        if (rec.data is None or rec.status != "ok") and not rec.errors:
            raise Problem(f"a {rec.status} record without a coded error")
        for e in rec.errors:
            _valid_str(e.message, "an error message")
            if not e.code.startswith("CL-E"):
                raise Problem(f"error code {e.code!r}")
            if e.code == "CL-E099":
                raise Problem(f"the readers' safety net: {e.message[:160]}")


def check_document(doc: Any) -> None:
    """Spans inside the text, a known status, coded errors, no internal error, serialisable."""
    if doc.status not in STATUSES:
        raise Problem(f"status {doc.status!r}")
    n = len(doc.text)
    spans = [(s.start, s.end) for s in doc.sections]
    spans += [(q.start, q.end) for q in doc.quotes] + [(x.start, x.end) for x in doc.numbers]
    spans += [(a.start, a.end) for a in doc.anonymous_sources]
    spans += [tuple(m) for sp in doc.speakers for m in sp.mentions]
    for start, end in spans:
        if not 0 <= start <= end <= n:
            raise Problem(f"span {start}-{end} outside a text of {n}")
    for e in doc.errors:
        if e.code == "CL-E099":
            raise Problem(f"internal error: {e.message[:160]}")
    json.dumps(doc.to_dict(), ensure_ascii=False).encode("utf-8")


# -- targets ----------------------------------------------------------------------------------------


class Scratch:
    """One temporary folder for a run's files (rewritten by each input)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="claimledger-fuzz-"))

    def file(self, data: bytes, name: str = "input") -> str:
        path = self.root / name
        path.write_bytes(data)
        return str(path)

    def close(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)


def reader_targets(scratch: Scratch) -> list[Target]:
    def run_sniff(example: tuple[bytes, str]) -> None:
        from claimledger.html import looks_like_html

        data, text = example
        if sniff(data) not in {"gzip", "warc", "jsonl", "html", "text", "binary"}:
            raise Problem("unknown kind")
        looks_like_html(text)

    def run_text(example: tuple[bytes, Settings]) -> None:
        data, limits_ = example
        check_records(list(read_inputs([scratch.file(data)], limits_)))

    def run_warc(example: tuple[bytes, Settings]) -> None:
        data, limits_ = example
        check_records(list(read_inputs([scratch.file(data)], limits_)))
        check_records(list(read_warc_stream(io.BytesIO(data), "<stdin>", limits_)))

    def run_jsonl(example: tuple[bytes, Settings, float]) -> None:
        data, limits_, cut = example
        path = scratch.file(data)
        check_records(list(read_inputs([path], limits_)))
        whole = list(read_jsonl(path, limits_))
        check_records(whole)
        at = int(len(data) * cut)
        tiled = list(read_jsonl(path, limits_, 0, at)) + list(read_jsonl(path, limits_, at, None))
        if [r.source for r in tiled] != [r.source for r in whole]:
            raise Problem(f"ranges split at {at} read {len(tiled)} lines, the whole file {len(whole)}")
        check_records(list(read_jsonl_stream(io.BytesIO(data), "<stdin>", limits_)))

    def run_gzip(example: tuple[bytes, Settings]) -> None:
        data, limits_ = example
        check_records(list(read_inputs([scratch.file(data)], limits_)))
        check_records(list(_read_stream(io.BytesIO(data), "<stdin>", limits_)))

    def run_files(entries: list[tuple[bytes, str, bytes]]) -> None:
        # Two levels down, so that no link (at most ``../..``) leads a glob out of the scratch folder.
        root = os.fsencode(scratch.root) + b"/t/tree"
        shutil.rmtree(root, ignore_errors=True)
        os.makedirs(root)
        for rel, kind, payload in entries:
            path = root + b"/" + rel
            with contextlib.suppress(OSError):  # a name taken by an earlier entry of another kind
                os.makedirs(os.path.dirname(path), exist_ok=True)
                if kind == "dir":
                    os.makedirs(path, exist_ok=True)
                elif kind == "link":
                    os.symlink(payload, path)
                else:
                    with open(path, "wb") as fh:
                        fh.write(payload)
        top = os.fsdecode(root)
        for inputs in ([top], [top + "/**"], [top + "/**/*.txt"], [top + "/*/*"]):
            records = list(read_inputs(inputs, Settings()))
            check_records(records)
            named = [r.source for r in records if "@" not in r.source and ":" not in r.source]
            if len(named) != len(set(named)):
                raise Problem(f"{inputs[0][len(top):] or 'the folder'} read a file twice")

    def run_decode(example: tuple[bytes, int]) -> None:
        data, limit = example
        text, problems = decode(data, max_bytes=limit)
        if not isinstance(text, str) or any(not e.code.startswith("CL-E") for e in problems):
            raise Problem("decode returned something else than text and coded errors")
        once = normalize(text)
        if normalize(once) != once:
            raise Problem("normalize is not idempotent")

    def run_values(expression: str) -> None:
        from claimledger.numbers.values import Value, parse_value

        if not isinstance(parse_value(expression), Value):
            raise Problem("parse_value returned something else than a Value")

    expression = st.one_of(
        st.lists(st.sampled_from(NUMBERS + WORDS + MARKS), max_size=8).map(" ".join),
        st.text(max_size=60),
        st.from_regex(r"[0-9.,\- ]{0,40}", fullmatch=True),
    )
    return [
        Target("sniff", st.tuples(documents, st.one_of(prose, html_page)), run_sniff),
        Target("text", st.tuples(documents, limits), run_text),
        Target("warc", st.tuples(warc_blob(), limits), run_warc),
        Target("jsonl", st.tuples(jsonl_blob(), limits, st.floats(0, 1)), run_jsonl),
        Target("gzip", st.tuples(gzip_blob(), limits), run_gzip),
        Target("files", tree(), run_files),
        Target("decode", st.tuples(documents, st.sampled_from([0, 10, MiB])), run_decode, (DecodeError,)),
        Target("values", expression, run_values),
    ]


def extract_target() -> Target:
    import claimledger

    def run_extract(item: str | bytes) -> None:
        check_document(claimledger.extract(item))

    return Target("extract", st.one_of(prose, prose, html_page, documents), run_extract)


# -- running ------------------------------------------------------------------------------------


def run(reader_inputs: int, extract_inputs: int, seed_base: int = 0, slow_s: float = 60.0) -> Report:
    """Fuzz the readers with ``reader_inputs`` inputs (split over the targets) and ``extract`` with
    ``extract_inputs``; the report holds the inputs run and the findings."""
    report = Report()
    scratch = Scratch()
    # The code under test logs failed documents and warcio warns about damaged records on stderr:
    # expected, and thousands of lines; the findings are in the report.
    with open(os.devnull, "w") as devnull, contextlib.redirect_stderr(devnull):
        try:
            _run_all(report, scratch, reader_inputs, extract_inputs, seed_base, slow_s)
        finally:
            scratch.close()
    return report


def _run_all(
    report: Report, scratch: Scratch, reader_inputs: int, extract_inputs: int, seed_base: int, slow_s: float
) -> None:
    targets = reader_targets(scratch)
    each, extra = divmod(reader_inputs, len(targets))
    for i, target in enumerate(targets):
        fuzz(target, each + (i < extra), report, seed_base, slow_s)
    if extract_inputs:
        fuzz(extract_target(), extract_inputs, report, seed_base, slow_s)


def describe(report: Report) -> str:
    """The table of inputs and findings per target, then each finding with its smallest input."""
    lines = [f"{'target':<10} {'inputs':>8} {'findings':>9} {'seconds':>8}"]
    for name, runs in report.runs.items():
        found = len(report.by_target(name))
        lines.append(f"{name:<10} {runs:>8,} {found:>9} {report.seconds.get(name, 0):>8.1f}")
    reader_runs = sum(n for t, n in report.runs.items() if t in READER_TARGETS)
    reader_found = sum(len(report.by_target(t)) for t in READER_TARGETS)
    lines.append(f"{'readers':<10} {reader_runs:>8,} {reader_found:>9}")
    lines.append(f"{'extract':<10} {report.runs['extract']:>8,} {len(report.by_target('extract')):>9}")
    for f in report.findings.values():
        shown = repr(f.example)
        shown = shown if len(shown) <= 600 else shown[:600] + f"… ({len(shown):,} chars)"
        note = "" if f.shrunk else " (not shrunk)"
        lines += ["", f"FINDING [{f.target}] {f.what}{note}", f"  {f.detail}", f"  smallest input: {shown}"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--reader-inputs", type=int, default=20_000, help="inputs over the reader targets")
    parser.add_argument("--extract-inputs", type=int, default=2_000, help="inputs through extract")
    parser.add_argument("--seed", type=int, default=0, help="a different seed explores other inputs")
    parser.add_argument("--slow", type=float, default=60.0, help="seconds after which an input is a finding")
    args = parser.parse_args()
    started = time.perf_counter()
    report = run(args.reader_inputs, args.extract_inputs, args.seed, args.slow)
    print(describe(report))
    took = time.perf_counter() - started
    print(f"\n{sum(report.runs.values()):,} inputs, {len(report.findings)} finding(s) in {took:.0f} s")
    sys.exit(1 if report.findings else 0)


if __name__ == "__main__":
    main()
