"""The public API, the JSON contract, and bad input handled per document."""

from __future__ import annotations

import json

import claimledger
from claimledger import Settings, extract_many
from conftest import EXAMPLES

CONTRACT_KEYS = {
    "id",
    "source",
    "title",
    "url",
    "published",
    "status",
    "errors",
    "text",
    "sections",
    "speakers",
    "quotes",
    "numbers",
    "anonymous_sources",
    "provenance",
    "language",
}


def test_document_to_dict_follows_the_contract(extract):
    doc = extract((EXAMPLES / "01-wire-evacuation.txt").read_text(encoding="utf-8"), source="ex1")
    d = json.loads(json.dumps(doc.to_dict()))
    assert set(d) == CONTRACT_KEYS
    assert d["status"] == "ok" and d["source"] == "ex1" and len(d["id"]) == 64
    assert d["language"] == "en"
    assert d["quotes"] and d["speakers"] and d["numbers"]
    ids = {s["id"] for s in d["speakers"]}
    for q in d["quotes"]:
        assert set(q) == {"text", "start", "end", "kind", "cue", "speaker", "section"}
        assert d["text"][q["start"] : q["end"]] == q["text"]
        assert q["speaker"]["id"] in ids
    for n in d["numbers"]:
        assert d["text"][n["start"] : n["end"]] == n["text"]
        assert n["claimant"]["type"] in {
            "article",
            "commentary",
            "person",
            "organization",
            "anonymous",
            "document",
        }
    for s in d["sections"]:
        assert d["text"][s["start"] : s["end"]] == s["text"]
    assert d["title"] and d["title"] == d["sections"][0]["text"]


def test_every_example_extracts_with_consistent_offsets(nlp):
    docs = list(extract_many((p.name, p.read_bytes()) for p in sorted(EXAMPLES.glob("*.txt"))))
    assert [d.status for d in docs] == ["ok"] * len(docs)
    for d in docs:
        for a in d.anonymous_sources:
            assert a.speaker_id in {s.id for s in d.speakers}
        for s in d.speakers:
            assert s.mentions and all(0 <= a < b <= len(d.text) for a, b in s.mentions)


def test_bad_inputs_get_coded_errors_and_the_rest_of_the_batch_goes_on(nlp):
    small = Settings(max_input_bytes=10_000)
    good = "“We will rebuild the school by autumn,” said headteacher Irma Vold.\n"
    items = [
        ("empty", b""),
        ("binary", b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4),
        ("latin1", "Caf\xe9 owners said prices rose.".encode("latin-1")),
        ("huge", b"a" * 10_001),
        ("noquotes", b"The road is closed.\n"),
        ("good", good.encode()),
    ]
    docs = {d.source: d for d in extract_many(items, small)}
    assert list(docs) == [s for s, _ in items]
    assert docs["empty"].status == "skipped" and docs["empty"].errors[0].code == "CL-E001"
    assert docs["binary"].status == "failed" and docs["binary"].errors[0].code == "CL-E002"
    assert docs["latin1"].status == "partial" and docs["latin1"].errors[0].code == "CL-E003"
    assert "Café" in docs["latin1"].text
    assert docs["huge"].status == "failed" and docs["huge"].errors[0].code == "CL-E004"
    assert docs["noquotes"].status == "ok" and docs["noquotes"].errors[0].code == "CL-E007"
    assert docs["good"].status == "ok" and docs["good"].quotes[0].speaker.name == "Irma Vold"
    for d in docs.values():
        for e in d.errors:
            assert e.message and len(e.message) > 20


def test_text_over_the_character_limit_is_partial(nlp):
    doc = next(extract_many([("long", "The count was 12. " * 100)], Settings(max_text_chars=500)))
    assert doc.status == "partial"
    assert doc.errors[0].code == "CL-E005"
    assert len(doc.text) == 500


def test_public_api_is_small():
    assert set(claimledger.__all__) >= {"extract", "Document", "Quote", "Speaker", "NumberClaim", "Settings"}
    assert claimledger.extract.__doc__


def test_html_page_gives_the_same_quotes_as_its_text(extract):
    body = (
        "<p>“We had hours, not days,” said Alexei Drobnin, the governor of the province.</p>"
        "<p>Officials said at least 45 people had died and more than 13,000 had fled their homes.</p>"
    )
    html = (
        "<!doctype html><html><head><title>Floods force thousands from homes</title>"
        '<meta property="article:published_time" content="2026-03-17"></head><body>'
        "<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>"
        f"<article><h1>Floods force thousands from homes</h1>{body}</article>"
        "<footer>Share this story</footer></body></html>"
    )
    from_html = extract(html)
    from_text = extract(
        "Floods force thousands from homes\n"
        "“We had hours, not days,” said Alexei Drobnin, the governor of the province.\n"
        "Officials said at least 45 people had died and more than 13,000 had fled their homes.\n"
    )
    assert from_html.title == "Floods force thousands from homes"
    assert from_html.published == "2026-03-17"
    assert [(q.kind, q.text, q.speaker.name) for q in from_html.quotes] == [
        (q.kind, q.text, q.speaker.name) for q in from_text.quotes
    ]
    assert [(n.text, n.low, n.high) for n in from_html.numbers] == [
        (n.text, n.low, n.high) for n in from_text.numbers
    ]
    assert "Home" not in from_html.text and "Share this story" not in from_html.text


def test_html_without_main_text_fails_with_a_code(extract):
    doc = extract("<html><body><script>var x = 1;</script></body></html>")
    assert doc.status == "failed" and doc.errors[0].code == "CL-E008"


def test_a_blogger_written_title_is_the_document_title():
    from claimledger.extract import _title
    from claimledger.model import Section

    def page(*parts: tuple[str, str]) -> list[Section]:
        out, pos = [], 0
        for kind, text in parts:
            out.append(Section(kind, pos, pos + len(text), text))
            pos += len(text) + 1
        return out

    blog = page(
        ("boilerplate", "Riverside Notes"), ("commentary", "Are the flood figures wrong again?\nI doubt it.")
    )
    assert _title(blog) == "Are the flood figures wrong again?"
    assert _title(page(("headline", "Dam holds"), ("commentary", "A title?"))) == "Dam holds"
    # A first line that is a sentence, or a body first, gives no title.
    assert _title(page(("commentary", "I have been reading the coverage all week."))) is None
    assert _title(page(("body", "Officials said the dam held"))) is None
