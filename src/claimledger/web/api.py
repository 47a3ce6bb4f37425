"""The HTTP API under ``/api/v1/``: JSON (or CSV for listings), keyset-paginated, one error shape.

Listings answer ``{"items": [...], "next": cursor-or-null}``; pass ``cursor=<next>`` for the
following page. Reads use the read-only, time-limited connection; ``POST /ingest`` needs the
bearer token (``web_token``); ``POST /extract`` stores nothing.
"""

import asyncio
import csv
import io
import operator
import threading
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Body, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse, Response

from .. import errors
from ..ledger import queries
from ..ledger.queries import HIT_CLOSE, HIT_OPEN, Filters, Page
from ..ledger.trackers import Point, Tracker
from ..model import Document
from ..output import _FORMULA_START, safe_cell
from . import claims
from . import models as m
from .chart import TRACKER_SORTS, claimant_matches, point_href, sort_points
from .db import reading
from .formatting import path_id
from .problems import ERROR_RESPONSES, ApiError
from .security import check_token
from .service import WebService

CSV_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {"schema": {"type": "string"}}}, "description": "a page of rows"}
}
Format = Annotated[Literal["json", "csv"], Query(description="json (default) or csv")]
Cursor = Annotated[str | None, Query(max_length=512, description="the `next` value of the previous page")]
DayQ = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}-\d{2}$", description="YYYY-MM-DD")]
Words = Annotated[str | None, Query(max_length=200)]


def _sort_doc(names: tuple[str, ...]) -> str:
    return "a column to sort by: " + ", ".join(names) + "; `-column` sorts it the other way round"


QuoteSort = Annotated[
    str | None,
    Query(pattern=queries.sort_pattern(queries.QUOTE_SORTS), description=_sort_doc(queries.QUOTE_SORTS)),
]
NumberSort = Annotated[
    str | None,
    Query(pattern=queries.sort_pattern(queries.NUMBER_SORTS), description=_sort_doc(queries.NUMBER_SORTS)),
]
SpeakerSort = Annotated[
    str | None,
    Query(pattern=queries.sort_pattern(queries.SPEAKER_SORTS), description=_sort_doc(queries.SPEAKER_SORTS)),
]
TrackerSort = Annotated[
    str | None, Query(pattern=queries.sort_pattern(TRACKER_SORTS), description=_sort_doc(TRACKER_SORTS))
]


def _json(data: Any) -> JSONResponse:
    return JSONResponse(data)


def _csv(items: list[dict[str, Any]], name: str, next_cursor: str | None) -> Response:
    out = io.StringIO()
    cols = list(items[0]) if items else []
    writer = csv.writer(out)
    writer.writerow(cols)
    writer.writerows(zip(*(_safe_column([r.get(c) for r in items]) for c in cols), strict=True))
    headers = {"Content-Disposition": f'attachment; filename="{name}.csv"'}
    if next_cursor:
        headers["X-Next-Cursor"] = next_cursor
    return Response(out.getvalue(), media_type="text/csv; charset=utf-8", headers=headers)


_PLAIN = frozenset({type(None), int, float, bool})
_FORMULA = operator.methodcaller("startswith", _FORMULA_START)


def _safe_column(values: list[Any]) -> list[Any]:
    """A column's cells as :func:`safe_cell` makes them. A column of numbers and empty cells, or of
    text that starts no formula, is kept as it is, checked in C: a cell-by-cell call in Python was
    most of the cost of a CSV page (12 ms for 1,000 numbers)."""
    kinds = set(map(type, values))
    if kinds <= _PLAIN or (kinds <= {str, type(None)} and not any(map(_FORMULA, filter(None, values)))):
        return values
    # Numbers and empty cells cannot start a formula: only text and JSON values go through safe_cell.
    return [v if v is None or isinstance(v, int | float) else safe_cell(v) for v in values]


def _listing(page: Page, fmt: str, name: str) -> Response:
    if fmt == "csv":
        return _csv(page.items, name, page.next)
    return _json({"items": page.items, "next": page.next})


def _service(request: Request) -> WebService:
    return request.app.state.service


def _not_found(what: str) -> ApiError:
    return ApiError(404, errors.WEB_NOT_FOUND.item(what=what))


def build_router(page_rows: int) -> APIRouter:
    """The API router; ``page_rows`` (``web_page_rows``) bounds every ``limit``."""
    router = APIRouter(prefix="/api/v1", responses=ERROR_RESPONSES, tags=["ledger"])
    Limit = Annotated[int, Query(ge=1, le=page_rows, description=f"rows per page, at most {page_rows}")]

    @router.get("/documents", response_model=m.DocumentsPage, responses=CSV_RESPONSE)
    def list_documents(
        request: Request,
        limit: Limit = 50,
        cursor: Cursor = None,
        speaker: Words = None,
        category: Words = None,
        since: DayQ = None,
        until: DayQ = None,
        outlet: Words = None,
        format: Format = "json",
    ) -> Response:
        """Current documents, newest first, with their ids."""
        f = Filters(speaker=speaker, category=category, since=since, until=until, outlet=outlet)
        with reading(_service(request).engine) as conn:
            return _listing(queries.documents(conn, f, limit, cursor), format, "documents")

    @router.get("/documents/{doc_id}", response_model=m.StoredDocumentOut)
    def get_document(request: Request, doc_id: Annotated[str, Path(max_length=200)]) -> Response:
        """One document in the output contract (``Document.to_dict()``) plus its ``ledger`` facts."""
        with reading(_service(request).engine) as conn:
            stored = queries.document(conn, doc_id)
        if stored is None:
            raise _not_found(f"document {doc_id!r}")
        return _json({**stored.doc.to_dict(), "ledger": stored.ledger_info()})

    def _claim(request: Request, doc_id: str, kind: claims.Kind, idx: int, fmt: str) -> Response:
        with reading(_service(request).engine) as conn:
            found = claim_of(conn, doc_id, kind, idx)
        if found is None:
            raise _not_found(f"{kind[:-1]} {idx} of document {doc_id!r}")
        if fmt == "csv":
            return _csv([claims.csv_row(found)], f"{kind[:-1]}-{doc_id[:12]}-{idx}", None)
        return _json(found)

    @router.get("/documents/{doc_id}/quotes/{idx}", response_model=m.QuoteClaim, responses=CSV_RESPONSE)
    def get_quote(
        request: Request,
        doc_id: Annotated[str, Path(max_length=200)],
        idx: Annotated[int, Path(ge=0, le=1_000_000)],
        format: Format = "json",
    ) -> Response:
        """One quote: its passage, speaker, document, a citation, and the documents that carry it too."""
        return _claim(request, doc_id, "quotes", idx, format)

    @router.get("/documents/{doc_id}/numbers/{idx}", response_model=m.NumberClaim, responses=CSV_RESPONSE)
    def get_number(
        request: Request,
        doc_id: Annotated[str, Path(max_length=200)],
        idx: Annotated[int, Path(ge=0, le=1_000_000)],
        format: Format = "json",
    ) -> Response:
        """One number: its sentence and passage, claimant, a citation, and the documents that state it too."""
        return _claim(request, doc_id, "numbers", idx, format)

    @router.get("/quotes", response_model=m.QuotesPage, responses=CSV_RESPONSE)
    def list_quotes(
        request: Request,
        limit: Limit = 50,
        cursor: Cursor = None,
        speaker: Words = None,
        since: DayQ = None,
        until: DayQ = None,
        outlet: Words = None,
        format: Format = "json",
        sort: QuoteSort = None,
    ) -> Response:
        """Quotes with speaker and document, newest first (or by ``sort``); ``speaker`` is a speaker
        id or words of a name or alias."""
        f = Filters(speaker=speaker, since=since, until=until, outlet=outlet)
        with reading(_service(request).engine) as conn:
            return _listing(queries.quotes(conn, f, limit, cursor, sort), format, "quotes")

    @router.get("/numbers", response_model=m.NumbersPage, responses=CSV_RESPONSE)
    def list_numbers(
        request: Request,
        limit: Limit = 50,
        cursor: Cursor = None,
        category: Words = None,
        claimant: Words = None,
        speaker: Words = None,
        since: DayQ = None,
        until: DayQ = None,
        outlet: Words = None,
        format: Format = "json",
        sort: NumberSort = None,
    ) -> Response:
        """Numeric claims: range, what is counted, category, claimant (a type or words of a name);
        newest first, or by ``sort`` (``value``: the lower bound, else the upper one)."""
        f = Filters(
            speaker=speaker, category=category, claimant=claimant, since=since, until=until, outlet=outlet
        )
        with reading(_service(request).engine) as conn:
            return _listing(queries.numbers(conn, f, limit, cursor, sort), format, "numbers")

    @router.get("/speakers", response_model=m.SpeakersPage, responses=CSV_RESPONSE)
    def list_speakers(
        request: Request,
        limit: Limit = 50,
        cursor: Cursor = None,
        q: Words = None,
        type: Annotated[
            Literal["person", "organization", "anonymous", "document", "unknown"] | None, Query()
        ] = None,
        format: Format = "json",
        sort: SpeakerSort = None,
    ) -> Response:
        """Speakers with at least one quote, by name (or by ``sort``), with aliases, roles, affiliations."""
        with reading(_service(request).engine) as conn:
            return _listing(queries.speakers(conn, q, type, limit, cursor, sort), format, "speakers")

    @router.get("/speakers/{speaker_id:path}", response_model=m.SpeakerDetail)
    def get_speaker(request: Request, speaker_id: Annotated[str, Path(max_length=300)]) -> Response:
        """One speaker and the documents it appears in; its quotes are at ``quotes_url``."""
        with reading(_service(request).engine) as conn:
            sp = queries.speaker(conn, speaker_id, page_rows)
        if sp is None:
            raise _not_found(f"speaker {speaker_id!r}")
        return _json({**sp, "quotes_url": f"/api/v1/quotes?speaker={path_id(speaker_id)}"})

    @router.get("/trackers", response_model=m.TrackersPage)
    def list_trackers(request: Request) -> Response:
        """The trackers available (``./trackers`` of the server, then the bundled ones); one page."""
        return _json({"items": [_tracker_summary(t) for t in _service(request).trackers()], "next": None})

    @router.get("/trackers/{name}", response_model=m.TrackerOut, responses=CSV_RESPONSE)
    def get_tracker(
        request: Request,
        name: Annotated[str, Path(max_length=64)],
        format: Format = "json",
        claimant: Annotated[
            str | None, Query(max_length=200, description="a claimant type, or words of the claimant's name")
        ] = None,
        sort: TrackerSort = None,
    ) -> Response:
        """A tracker's timeline: one point per independent source, each with a link to its sentence;
        by date (or by ``sort``).

        ``format=csv``: one row per point (``copies`` as a JSON list of document ids)."""
        svc = _service(request)
        tracker = svc.tracker(name)
        if tracker is None:
            raise _not_found(f"tracker {name!r}")
        found = svc.timeline(tracker)
        if (claimant and claimant.strip()) or (sort and sort != "date"):
            chosen = [p for p in found.points if claimant_matches(p, claimant)] if claimant else found.points
            points = [_point(p) for p in sort_points(chosen, sort or "date")]
            if format == "csv":
                return _csv(points, f"tracker-{tracker.name}", None)
            return _json({**_tracker_summary(tracker), "points": points, "truncated": found.truncated})
        if format == "csv":
            body = found.derived(
                "csv", lambda: _csv([_point(p) for p in found.points], f"tracker-{tracker.name}", None).body
            )
            headers = {"Content-Disposition": f'attachment; filename="tracker-{tracker.name}.csv"'}
            return Response(body, media_type="text/csv; charset=utf-8", headers=headers)
        # Serialised once per timeline: thousands of points make a body of about a megabyte.
        body = found.derived(
            "json",
            lambda: _json(
                {
                    **_tracker_summary(tracker),
                    "points": [_point(p) for p in found.points],
                    "truncated": found.truncated,
                }
            ).body,
        )
        return Response(body, media_type="application/json")

    @router.get("/search", response_model=m.SearchPage, responses=CSV_RESPONSE)
    def search(
        request: Request,
        q: Annotated[str, Query(min_length=1, max_length=500, description="words, all must occur")],
        limit: Limit = 20,
        cursor: Cursor = None,
        speaker: Words = None,
        category: Words = None,
        since: DayQ = None,
        until: DayQ = None,
        outlet: Words = None,
        format: Format = "json",
        order: Annotated[
            Literal["stored", "relevance", "date"],
            Query(description="stored (most recently stored first), relevance, or date (newest published)"),
        ] = "stored",
    ) -> Response:
        """Full-text search over current documents; a "quoted phrase" matches as a phrase; hits in
        the snippet are in [ ]."""
        f = Filters(speaker=speaker, category=category, since=since, until=until, outlet=outlet)
        if not q.split():
            return _listing(Page([]), format, "search")
        with reading(_service(request).engine) as conn:
            page = queries.search(conn, q, f, limit, cursor, order)
        for r in page.items:
            r["snippet"] = (r["snippet"] or "").replace(HIT_OPEN, "[").replace(HIT_CLOSE, "]")
        return _listing(page, format, "search")

    @router.post("/extract", response_model=m.DocumentOut)
    async def extract(request: Request, body: Annotated[m.ExtractIn, Body()]) -> Response:
        """Extract a text or HTML page sent in the body and return it; nothing is stored or fetched.

        The document's time budget (``doc_timeout_s``) applies: past it the answer is the partial
        document, or 503 with CL-E009 (CL-E024 for HTML parsing) when nothing could be kept.
        """
        doc = await _extract_until_gone(request, _service(request), body.text, body.source)
        timeout = next((e for e in doc.errors if e.code in _TIMEOUT_CODES), None)
        if timeout is not None and doc.status == "failed":
            raise ApiError(503, timeout)
        return _json(doc.to_dict())

    @router.post("/ingest", response_model=m.IngestOut, openapi_extra={"security": [{"bearer": []}]})
    def ingest(request: Request, body: Annotated[m.IngestIn, Body()]) -> Response:
        """Extract and store a text or HTML page (needs ``Authorization: Bearer <web_token>``)."""
        check_token(request)
        svc = _service(request)
        doc = svc.extract(body.text, body.source)
        if body.url:
            doc.url = body.url
        res = svc.store(doc, body.outlet)
        return _json(
            {
                "ok": res.outcome != "failed",
                "outcome": res.outcome,
                "id": res.doc_id,
                "source": res.source,
                "cluster_id": res.cluster_id,
                "error": {"code": res.code, "message": res.message or ""} if res.code else None,
            }
        )

    return router


def claim_of(conn: Any, doc_id: str, kind: claims.Kind, idx: int) -> dict[str, Any] | None:
    """A claim with its provenance (None when the document or the claim is not there)."""
    row = queries.claim(conn, doc_id, kind, idx)
    if row is None:
        return None
    return claims.build(row, queries.provenance(conn, kind, row), kind)


#: Codes of a document whose time budget ran out (the whole extraction, or its HTML parsing).
_TIMEOUT_CODES = frozenset({errors.DOC_TIMEOUT.code, errors.HTML_TIMEOUT.code})
#: Seconds between two checks that the client is still there.
_DISCONNECT_POLL_S = 0.25


async def _extract_until_gone(request: Request, svc: WebService, text: str, source: str | None) -> Document:
    """Extract in a worker thread (the event loop stays free); stop the work if the client leaves."""
    stop = threading.Event()
    work = asyncio.ensure_future(run_in_threadpool(svc.extract, text, source, stop))
    try:
        while not (await asyncio.wait({work}, timeout=_DISCONNECT_POLL_S))[0]:
            if await request.is_disconnected():
                stop.set()  # the extraction ends at its next check; its result is dropped
        return work.result()
    finally:
        stop.set()


def _tracker_summary(t: Tracker) -> dict[str, Any]:
    return {
        "name": t.name,
        "title": t.title,
        "description": t.description,
        "categories": list(t.categories),
        "unit": t.unit,
    }


def _point(p: Point) -> dict[str, Any]:
    return {
        "date": p.date,
        "low": p.low,
        "high": p.high,
        "approximate": p.approximate,
        "text": p.text,
        "counts": p.counts,
        "claimant": p.claimant,
        "claimant_type": p.claimant_type,
        "outlet": p.outlet,
        "document": p.document,
        "sentence": p.sentence,
        "href": point_href(p),
        "copies": list(p.copies),
    }
