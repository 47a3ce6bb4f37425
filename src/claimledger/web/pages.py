"""The HTML pages: search, document view, speakers, numbers, trackers, and the paste box.

Server-rendered with Jinja2 (autoescape on); every value from the ledger reaches the page through
escaping, links only to http(s) URLs. The paste-box form is protected by a double-submit CSRF token,
and storing what it extracts needs the write token as well.
"""

import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path as FsPath
from typing import Annotated, Any, Literal
from urllib.parse import urlencode

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment
from markupsafe import Markup, escape

from .. import errors
from ..ledger import queries, trackers
from ..ledger.queries import HIT_CLOSE, HIT_OPEN, Filters
from ..ledger.trackers import Point, Tracker
from ..model import ErrorItem
from . import apidocs, claims
from .api import NumberSort, QuoteSort, SpeakerSort, TrackerSort, claim_of
from .chart import TRACKER_SORTS, claimant_matches, point_href, sort_points, timeline_svg
from .db import reading
from .highlight import document_html, number_tip, speaker_colours
from .problems import ApiError
from .security import CSRF_FIELD, check_csrf, check_token, csrf_token, set_csrf_cookie
from .service import WebService

#: Rows of a tracker's table on its page; the CSV download has every point. (Thousands of rows
#: made a page of megabytes and tens of thousands of nodes.)
TABLE_ROWS = 500
DayQ = Annotated[str | None, Query(pattern=r"^(\d{4}-\d{2}-\d{2})?$")]
Words = Annotated[str | None, Query(max_length=200)]
Cursor = Annotated[str | None, Query(max_length=512)]
#: Columns whose header's first click sorts them largest (or newest) first.
DESC_FIRST = frozenset({"date", "value", "documents", "quotes", "copies"})


def _blank(v: str | None) -> str | None:
    """Empty form fields mean 'any'."""
    return v.strip() or None if v else None


def snippet_html(snippet: str | None) -> Markup:
    """A search snippet with its hits in <mark>, everything else escaped."""
    s = str(escape(snippet or ""))
    return Markup(s.replace(HIT_OPEN, '<mark class="hit">').replace(HIT_CLOSE, "</mark>"))


def build_router(env: Environment, page_rows: int) -> APIRouter:
    """The page router; ``env`` renders the templates, ``page_rows`` bounds the listing sizes."""
    router = APIRouter(include_in_schema=False)
    Limit = Annotated[int, Query(ge=1, le=page_rows)]

    def render(request: Request, name: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = env.get_template(name).render(request=request, path=request.url.path, **context)
        return HTMLResponse(html, status_code=status)

    def svc(request: Request) -> WebService:
        return request.app.state.service

    def query_string(request: Request, **changes: Any) -> str:
        params = dict(request.query_params)
        params.update({k: v for k, v in changes.items() if v is not None})
        for k, v in changes.items():
            if v is None:
                params.pop(k, None)
        return urlencode({k: v for k, v in params.items() if v not in ("", None)})

    @router.get("/", response_class=HTMLResponse)
    def search_page(
        request: Request,
        q: Annotated[str | None, Query(max_length=500)] = None,
        speaker: Words = None,
        category: Words = None,
        since: DayQ = None,
        until: DayQ = None,
        outlet: Words = None,
        limit: Limit = 20,
        cursor: Cursor = None,
        order: Literal["stored", "relevance", "date"] = "stored",
    ) -> HTMLResponse:
        f = Filters(
            speaker=_blank(speaker),
            category=_blank(category),
            since=_blank(since),
            until=_blank(until),
            outlet=_blank(outlet),
        )
        words = _blank(q)
        with reading(svc(request).engine) as conn:
            page = (
                queries.search(conn, words, f, limit, cursor, order)
                if words and words.split()
                else queries.documents(conn, f, limit, cursor)
            )
            found = queries.total(conn, words, f)
            cats = queries.categories(conn)
        api = "/api/v1/search" if words else "/api/v1/documents"
        return render(
            request,
            "search.html",
            page=page,
            q=words or "",
            f=f,
            order=order,
            total=found,
            total_cap=queries.TOTAL_CAP,
            order_qs={o: query_string(request, order=o, cursor=None) for o in queries.SEARCH_ORDERS},
            categories=cats,
            snippet_html=snippet_html,
            next_qs=query_string(request, cursor=page.next) if page.next else None,
            download=f"{api}?{query_string(request, cursor=None, limit=page_rows)}",
        )

    @router.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document_page(request: Request, doc_id: Annotated[str, Path(max_length=200)]) -> HTMLResponse:
        with reading(svc(request).engine) as conn:
            stored = queries.document(conn, doc_id)
        if stored is None:
            raise ApiError(404, errors.WEB_NOT_FOUND.item(what=f"document {doc_id!r}"))
        doc = stored.doc
        return render(
            request,
            "document.html",
            stored=stored,
            doc=doc,
            body=document_html(doc, stored.canonical),
            colours=speaker_colours(doc, stored.canonical),
            canonical=stored.canonical,
            number_tip=number_tip,
            earliest=earliest_copy(doc.id, doc.published, stored.copies),
        )

    DocId = Annotated[str, Path(max_length=200)]
    Idx = Annotated[int, Path(ge=0, le=1_000_000)]

    @router.get("/documents/{doc_id}/quotes/{idx}", response_class=HTMLResponse)
    def quote_page(request: Request, doc_id: DocId, idx: Idx) -> HTMLResponse:
        return claim_page(request, doc_id, "quotes", idx)

    @router.get("/documents/{doc_id}/numbers/{idx}", response_class=HTMLResponse)
    def number_page(request: Request, doc_id: DocId, idx: Idx) -> HTMLResponse:
        return claim_page(request, doc_id, "numbers", idx)

    def claim_page(request: Request, doc_id: str, kind: claims.Kind, idx: int) -> HTMLResponse:
        with reading(svc(request).engine) as conn:
            c = claim_of(conn, doc_id, kind, idx)
        if c is None:
            raise ApiError(404, errors.WEB_NOT_FOUND.item(what=f"{kind[:-1]} {idx} of document {doc_id!r}"))
        rel_start, rel_end = c["start"] - c["context_start"], c["end"] - c["context_start"]
        passage = c["context"]
        return render(
            request,
            "claim.html",
            c=c,
            kind=kind,
            title=claims.label(c),
            before=passage[:rel_start],
            words=passage[rel_start:rel_end],
            after=passage[rel_end:],
            link=str(request.url.replace(query=None, fragment=None)),
            api=f"/api/v1{c['permalink']}",
        )

    @router.get("/speakers", response_class=HTMLResponse)
    def speakers_page(
        request: Request,
        q: Words = None,
        type: Literal["", "person", "organization", "anonymous", "document", "unknown"] = "",
        limit: Limit = 50,
        cursor: Cursor = None,
        sort: SpeakerSort = None,
    ) -> HTMLResponse:
        with reading(svc(request).engine) as conn:
            page = queries.speakers(conn, _blank(q), type or None, limit, cursor, sort)
        return render(
            request,
            "speakers.html",
            page=page,
            q=q or "",
            type=type,
            sort=sort or "",
            heads=sort_heads(queries.SPEAKER_SORTS, sort or "name", listing_link(request, query_string)),
            next_qs=query_string(request, cursor=page.next) if page.next else None,
            download=f"/api/v1/speakers?{query_string(request, cursor=None, limit=page_rows)}",
        )

    @router.get("/speakers/{speaker_id:path}", response_class=HTMLResponse)
    def speaker_page(
        request: Request,
        speaker_id: Annotated[str, Path(max_length=300)],
        limit: Limit = 100,
        cursor: Cursor = None,
    ) -> HTMLResponse:
        with reading(svc(request).engine) as conn:
            sp = queries.speaker(conn, speaker_id, page_rows)
            if sp is None:
                raise ApiError(404, errors.WEB_NOT_FOUND.item(what=f"speaker {speaker_id!r}"))
            quotes = queries.quotes(conn, Filters(speaker=speaker_id), limit, cursor)
        # A speaker's own id matches exactly; a name would also match others, so keep only theirs.
        quotes.items = [r for r in quotes.items if r["speaker_id"] == speaker_id]
        return render(
            request,
            "speaker.html",
            sp=sp,
            quotes=quotes,
            groups=same_words(quotes.items),
            next_qs=query_string(request, cursor=quotes.next) if quotes.next else None,
        )

    @router.get("/quotes", response_class=HTMLResponse)
    def quotes_page(
        request: Request,
        speaker: Words = None,
        since: DayQ = None,
        until: DayQ = None,
        outlet: Words = None,
        limit: Limit = 100,
        cursor: Cursor = None,
        facets: bool = False,
        sort: QuoteSort = None,
    ) -> HTMLResponse:
        f = Filters(speaker=_blank(speaker), since=_blank(since), until=_blank(until), outlet=_blank(outlet))
        with reading(svc(request).engine) as conn:
            page = queries.quotes(conn, f, limit, cursor, sort)
            counts = svc(request).claim_facets(conn, "quotes", f) if facets else None
        return render(
            request,
            "quotes.html",
            page=page,
            f=f,
            sort=sort or "",
            heads=sort_heads(queries.QUOTE_SORTS, sort or "-date", listing_link(request, query_string)),
            **facet_links(request, counts, query_string),
            next_qs=query_string(request, cursor=page.next) if page.next else None,
            download=f"/api/v1/quotes?{query_string(request, cursor=None, facets=None, limit=page_rows)}",
        )

    @router.get("/numbers", response_class=HTMLResponse)
    def numbers_page(
        request: Request,
        category: Words = None,
        claimant: Words = None,
        speaker: Words = None,
        since: DayQ = None,
        until: DayQ = None,
        outlet: Words = None,
        limit: Limit = 100,
        cursor: Cursor = None,
        facets: bool = False,
        sort: NumberSort = None,
    ) -> HTMLResponse:
        f = Filters(
            speaker=_blank(speaker),
            category=_blank(category),
            claimant=_blank(claimant),
            since=_blank(since),
            until=_blank(until),
            outlet=_blank(outlet),
        )
        with reading(svc(request).engine) as conn:
            page = queries.numbers(conn, f, limit, cursor, sort)
            cats = queries.categories(conn)
            counts = svc(request).claim_facets(conn, "numbers", f) if facets else None
        return render(
            request,
            "numbers.html",
            page=page,
            f=f,
            sort=sort or "",
            heads=sort_heads(queries.NUMBER_SORTS, sort or "-date", listing_link(request, query_string)),
            **facet_links(request, counts, query_string),
            categories=cats,
            next_qs=query_string(request, cursor=page.next) if page.next else None,
            download=f"/api/v1/numbers?{query_string(request, cursor=None, facets=None, limit=page_rows)}",
        )

    @router.get("/trackers", response_class=HTMLResponse)
    def trackers_page(request: Request) -> HTMLResponse:
        return render(request, "trackers.html", trackers=svc(request).trackers())

    @router.get("/trackers/{name}", response_class=HTMLResponse)
    def tracker_page(
        request: Request,
        name: Annotated[str, Path(max_length=64)],
        claimant: Words = None,
        sort: TrackerSort = None,
    ) -> HTMLResponse:
        tracker = svc(request).tracker(name)
        if tracker is None:
            raise ApiError(404, errors.WEB_NOT_FOUND.item(what=f"tracker {name!r}"))
        found = svc(request).timeline(tracker)
        who = _blank(claimant)
        order = sort or "date"  # the timeline's own order

        def link(by: str) -> str:
            # From the page's own parameters only: the unfiltered page is rendered once for all.
            return "?" + urlencode({k: v for k, v in (("claimant", who), ("sort", by)) if v}) + "#figures"

        def page(points: list, chart: Markup) -> HTMLResponse:
            return render(
                request,
                "tracker.html",
                tracker=tracker,
                points=points,
                rows=(sort_points(points, order) if order != "date" else points)[:TABLE_ROWS],
                sort=sort or "",
                heads=sort_heads(TRACKER_SORTS, order, link),
                truncated=found.truncated,
                chart=chart,
                point_href=point_href,
                claimant=who or "",
                claimant_types=sorted({p.claimant_type for p in found.points}),
                chart_files=len(points) <= CHART_FILE_POINTS,
                chart_limit=CHART_FILE_POINTS,
                all_points=len(found.points),
            )

        if who:

            def filtered() -> HTMLResponse:
                points = [p for p in found.points if claimant_matches(p, who)]
                return page(points, timeline_svg(points, tracker.title, tracker.unit))

            if who in {p.claimant_type for p in found.points}:
                # A claimant type (the choices the page offers: a handful) in one of the few sort
                # orders is rendered once as well.
                key = f"page?claimant={who}&sort={sort or ''}"
                return HTMLResponse(found.derived(key, lambda: filtered().body))
            return filtered()
        # Unfiltered, the page depends on the timeline and its (whitelisted) sort order alone: rendered
        # once per order.
        key = f"page?sort={sort}" if sort else "page"
        return HTMLResponse(found.derived(key, lambda: page(found.points, found.chart).body))

    @router.get("/trackers/{name}/chart.{fmt}")
    def tracker_chart(
        request: Request,
        name: Annotated[str, Path(max_length=64)],
        fmt: Literal["png", "svg"],
        claimant: Words = None,
    ) -> Response:
        """The tracker's chart as a file to keep (the CLI's matplotlib chart: PNG or SVG)."""
        tracker = svc(request).tracker(name)
        if tracker is None:
            raise ApiError(404, errors.WEB_NOT_FOUND.item(what=f"tracker {name!r}"))
        found = svc(request).timeline(tracker)
        who = _blank(claimant)
        points = [p for p in found.points if claimant_matches(p, who)] if who else found.points
        if len(points) > CHART_FILE_POINTS:
            raise ApiError(
                400,
                errors.WEB_BAD_REQUEST.item(
                    detail=f"{len(points)} figures are too many for a chart file (at most "
                    f"{CHART_FILE_POINTS}): narrow it with claimant=, or download the CSV"
                ),
            )
        if who:
            body = chart_file(tracker, points, fmt)
        else:
            body = found.derived(f"chart.{fmt}", lambda: chart_file(tracker, points, fmt))
        return Response(
            body,
            media_type="image/png" if fmt == "png" else "image/svg+xml",
            headers={
                "Content-Disposition": f'attachment; filename="tracker-{tracker.name}.{fmt}"',
                # matplotlib's SVG styles its shapes inline: allowed in this file (no script at all).
                "Content-Security-Policy": CHART_CSP,
            },
        )

    @router.get("/docs", response_class=HTMLResponse)
    def api_docs(request: Request) -> HTMLResponse:
        spec = request.app.openapi()
        return render(
            request, "apidocs.html", spec=spec, ops=apidocs.operations(spec), models=apidocs.schemas(spec)
        )

    @router.get("/redoc")
    def redoc() -> RedirectResponse:
        return RedirectResponse("/docs", status_code=308)

    @router.get("/extract", response_class=HTMLResponse)
    def extract_form(request: Request) -> HTMLResponse:
        return _with_csrf(request, lambda token: render(request, "extract.html", csrf=token, doc=None))

    @router.post("/extract", response_class=HTMLResponse)
    def extract_submit(
        request: Request,
        text: Annotated[str, Form(min_length=1)],
        csrf_token_: Annotated[str, Form(alias=CSRF_FIELD)] = "",
        source: Annotated[str, Form(max_length=500)] = "",
        store: Annotated[bool, Form()] = False,
        token: Annotated[str, Form(max_length=500)] = "",
    ) -> HTMLResponse:
        check_csrf(request, csrf_token_)
        service = svc(request)
        if store:
            check_token(request, token)
        doc = service.extract(text, _blank(source))
        stored = service.store(doc, None) if store else None
        identity = {s.id: s.id for s in doc.speakers}
        return _with_csrf(
            request,
            lambda t: render(
                request,
                "extract.html",
                csrf=t,
                doc=doc,
                body=document_html(doc, identity, link_speakers=False),
                stored=stored,
                text=text,
                source=source,
            ),
        )

    return router


def listing_link(request: Request, query_string: Callable[..., str]) -> Callable[[str], str]:
    """The link of a listing sorted by ``sort``: its filters kept, from its first page."""
    return lambda sort: "?" + query_string(request, sort=sort, cursor=None)


def sort_heads(names: Sequence[str], current: str, link: Callable[[str], str]) -> dict[str, dict[str, Any]]:
    """Per sortable column, the link of its header and its ``aria-sort`` (``None`` unless the
    listing is sorted by it): the current column's link sorts it the other way round; another's,
    newest or largest first for dates and counts, else A to Z."""
    name, desc = current.lstrip("-"), current.startswith("-")
    heads: dict[str, dict[str, str | None]] = {}
    for n in names:
        if n == name:
            heads[n] = {"href": link(n if desc else f"-{n}"), "aria": "descending" if desc else "ascending"}
        else:
            heads[n] = {"href": link(f"-{n}" if n in DESC_FIRST else n), "aria": None}
    return heads


#: The filter a facet's value sets: the month facet sets a date range.
_FACET_PARAM = {
    "speaker": "speaker",
    "kind": None,
    "category": "category",
    "claimant type": "claimant",
    "outlet": "outlet",
}


def facet_links(
    request: Request, counts: dict[str, Any] | None, query_string: Callable[..., str]
) -> dict[str, Any]:
    """Template values for the counts: the total, each facet's values with the link that filters
    by it (a value that cannot be filtered on has none), and the link that shows the counts.

    Counts are asked for (``facets=1``): over a whole ledger of thousands of documents they cost
    a few hundred milliseconds, more than the listing itself."""
    if counts is None:
        return {"counts": None, "show_counts": "?" + query_string(request, facets="1", cursor=None)}
    facets = {}
    for name, values in counts["facets"].items():
        rows = []
        for v in values:
            if name == "month":
                href = "?" + query_string(
                    request, since=f"{v['value']}-01", until=f"{v['value']}-31", cursor=None
                )
            elif param := _FACET_PARAM.get(name):
                href = "?" + query_string(request, **{param: v["value"], "cursor": None})
            else:
                href = None
            rows.append({"label": v.get("label") or v["value"], "n": v["n"], "href": href})
        facets[name] = rows
    return {"counts": {"total": counts["total"], "facets": facets}, "show_counts": None}


#: Figures a chart file may hold: matplotlib labels each one, and 2,000 took 40 s to draw.
CHART_FILE_POINTS = 300
#: The policy of a downloaded chart: inline styles (matplotlib's SVG), nothing else.
CHART_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'"


def chart_file(tracker: Tracker, points: list[Point], fmt: str) -> bytes:
    """The matplotlib chart of ``points`` (as ``claimledger track --chart`` draws it), as bytes."""
    with tempfile.TemporaryDirectory(prefix="claimledger-chart-") as tmp:
        return trackers.chart(tracker, points, FsPath(tmp) / f"chart.{fmt}").read_bytes()


def earliest_copy(doc_id: str, published: str | None, copies: list[dict[str, Any]]) -> str | None:
    """The id of the earliest published among a document and its syndicated copies (``None``
    when none of them is dated, or there are no copies)."""
    dated = [(published, doc_id)] if published else []
    dated += [(c["published"], c["id"]) for c in copies if c["published"]]
    return min(dated)[1] if copies and dated else None


def same_words(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """Quotes grouped by their words, in the order each is first met: a quote and its syndicated
    copies (or the same words in another outlet) are listed once, with where else they appear."""
    groups: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(" ".join(r["text"].split()).casefold(), []).append(r)
    return list(groups.values())


def _with_csrf(request: Request, make: Callable[[str], HTMLResponse]) -> HTMLResponse:
    token, new = csrf_token(request)
    response = make(token)
    if new:
        set_csrf_cookie(response, token)
    return response


def error_page(env: Environment) -> Callable[[Request, int, ErrorItem], HTMLResponse]:
    """The HTML error page renderer used by :func:`claimledger.web.problems.install`."""

    def render_error(request: Request, status: int, item: ErrorItem) -> HTMLResponse:
        html = env.get_template("error.html").render(
            request=request, path=request.url.path, status=status, item=item
        )
        return HTMLResponse(html, status_code=status)

    return render_error
