"""One claim (a quote or a number) as the claim page and its API show it: the passage around it,
who said it, where and when, a citation, and the other documents that carry it.

Claim URLs are ``/documents/<document id>/quotes/<n>`` and ``…/numbers/<n>``: a document id is
the hash of its text and ``n`` the claim's place in it, so a URL names the same words for good.
"""

from __future__ import annotations

from typing import Any, Literal

from ..ledger.outlets import outlet_name
from .formatting import context, path_id, safe_url, value_range

Kind = Literal["quotes", "numbers"]

#: The CSV columns of a claim, after its own fields.
_CSV_TAIL = (
    "outlet_name", "permalink", "citation", "also_in_documents", "earliest_doc_id", "earliest_published"
)


def permalink(doc_id: str, kind: str, idx: int) -> str:
    return f"/documents/{path_id(doc_id)}/{kind}/{idx}"


def citation(c: dict[str, Any], kind: Kind) -> str:
    """Who, the words, and where: ``Name: “words” — Outlet, “Headline”, 2026-03-04, https://…``."""
    if kind == "quotes":
        who = c["speaker"] or c["speaker_name"] or c["speaker_description"]
        words = c["text"]
    else:
        # A claimant that is only a type ("article") names nobody: the outlet says it.
        who = c["claimant"] if c["claimant"] != c["claimant_type"] else None
        words = c["sentence"] or c["text"]
    where = [
        c["outlet_name"],
        f"“{c['title']}”" if c["title"] else None,
        c["published"] or "undated",
        safe_url(c["url"]),
    ]
    head = f"{who}: “{words}”" if who else f"“{words}”"
    return f"{head} — " + ", ".join(w for w in where if w)


def build(row: dict[str, Any], found: list[dict[str, Any]], kind: Kind) -> dict[str, Any]:
    """The claim's JSON from :func:`queries.claim`'s row and :func:`queries.provenance`'s documents."""
    text = row.pop("doc_text")
    row.pop("doc_seq")
    start, end = row["start"], row["end"]
    if kind == "numbers":
        s0, s1 = row.pop("sentence_start"), row.pop("sentence_end")
        row["sentence"] = text[s0:s1] if s0 is not None and s1 is not None else None
    a, b = context(text, start, end)
    c: dict[str, Any] = {
        "claim": "quote" if kind == "quotes" else "number",
        **row,
        "permalink": permalink(row["doc_id"], kind, row["idx"]),
        "outlet_name": outlet_name(row["outlet"], row["url"]),
        "context": text[a:b],
        "context_start": a,
    }
    c["citation"] = citation(c, kind)
    c["same_speaker"] = [
        {**o, "permalink": permalink(row["doc_id"], kind, o["idx"])} for o in row["same_speaker"]
    ]
    earliest = found[0]["doc_id"] if found else row["doc_id"]
    dated = bool(found and found[0]["published"])
    c["also_in"] = [
        {
            "doc_id": f["doc_id"],
            "idx": f["idx"],
            "title": f["title"],
            "url": f["url"],
            "published": f["published"],
            "outlet_name": outlet_name(f["outlet"], f["url"]),
            "permalink": permalink(f["doc_id"], kind, f["idx"]),
            "earliest": f["doc_id"] == earliest,
        }
        for f in found
        if f["doc_id"] != row["doc_id"]
    ]
    c["earliest"] = {
        "doc_id": earliest,
        "published": found[0]["published"] if found else row["published"],
        "by": "published" if dated else "ingested",
        "is_this": earliest == row["doc_id"],
    }
    return c


def csv_row(c: dict[str, Any]) -> dict[str, Any]:
    """One flat row: the claim's own fields, then where to find it and its provenance in short."""
    skip = {"claim", "context", "context_start", "same_speaker", "also_in", "earliest", "is_current"}
    row = {k: v for k, v in c.items() if k not in skip and k not in _CSV_TAIL}
    row.update(
        outlet_name=c["outlet_name"],
        permalink=c["permalink"],
        citation=c["citation"],
        also_in_documents=len(c["also_in"]),
        earliest_doc_id=c["earliest"]["doc_id"],
        earliest_published=c["earliest"]["published"],
    )
    return row


def label(c: dict[str, Any]) -> str:
    """A short title for the claim page."""
    if c["claim"] == "quote":
        who = c["speaker"] or c["speaker_name"] or c["speaker_description"]
        return f"Quote by {who}" if who else "Unattributed quote"
    return f"{c['text']} ({value_range(c['low'], c['high'])})"
