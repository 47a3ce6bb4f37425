"""One error shape for the whole HTTP API, and an error page for the HTML side.

Every API error, whatever raised it (a missing row, a bad parameter, an unknown route, a wrong
method, a body too large, a bug), is ``{"ok": false, "error": {"code", "message"}, "status"}``
with a CL-E04x code (see :mod:`claimledger.errors`). HTML pages get the same message as a page.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from .. import errors
from ..ledger.cursor import BadCursor
from ..model import ErrorItem
from .db import QueryTimeout

log = logging.getLogger(__name__)


class ErrorBody(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    """The API's error shape."""

    ok: bool = False
    error: ErrorBody
    status: int


#: Declared on every API operation so that the OpenAPI document tells the truth about errors.
ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": ErrorOut, "description": text}
    for code, text in {
        400: "bad parameter or cursor",
        401: "token missing or wrong",
        403: "writing disabled",
        404: "not found",
        413: "body too large",
        422: "invalid request",
        503: "query time limit reached",
    }.items()
}


class ApiError(Exception):
    """An error with its HTTP status and coded item; raised anywhere a request cannot be served."""

    def __init__(self, status: int, item: ErrorItem, headers: dict[str, str] | None = None) -> None:
        super().__init__(item.message)
        self.status, self.item, self.headers = status, item, headers or {}


def error_json(status: int, item: ErrorItem, headers: dict[str, str] | None = None) -> JSONResponse:
    """The API error response."""
    return JSONResponse(
        {"ok": False, "error": item.to_dict(), "status": status}, status_code=status, headers=headers
    )


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def error_response(
    request: Request, status: int, item: ErrorItem, render_error: Any, headers: dict[str, str] | None = None
) -> Response:
    """The API's error shape for API paths, else ``render_error(request, status, item)``'s HTML page."""
    if _is_api(request):
        return error_json(status, item, headers)
    page: HTMLResponse = render_error(request, status, item)
    page.headers.update(headers or {})
    return page


def install(app: FastAPI, render_error: Any) -> None:
    """Register the handlers; ``render_error(request, status, item)`` renders the HTML error page."""

    def respond(
        request: Request, status: int, item: ErrorItem, headers: dict[str, str] | None = None
    ) -> Response:
        return error_response(request, status, item, render_error, headers)

    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> Response:
        return respond(request, exc.status, exc.item, exc.headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404:
            item = errors.WEB_NOT_FOUND.item(what="this page or resource")
        elif exc.status_code == 405:
            item = errors.WEB_METHOD.item(method=request.method)
        else:
            item = errors.WEB_BAD_REQUEST.item(detail=str(exc.detail))
        return respond(request, exc.status_code, item, dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def _invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', 'invalid')}"
            for e in exc.errors()[:5]
        )
        return respond(request, 422, errors.WEB_BAD_REQUEST.item(detail=problems))

    @app.exception_handler(BadCursor)
    async def _cursor(request: Request, exc: BadCursor) -> Response:
        return respond(request, 400, errors.WEB_BAD_CURSOR.item())

    @app.exception_handler(QueryTimeout)
    async def _timeout(request: Request, exc: QueryTimeout) -> Response:
        limit = request.app.state.settings.web_sql_timeout_s
        return respond(request, 503, errors.WEB_QUERY_TIMEOUT.item(limit=limit))

    @app.exception_handler(Exception)
    async def _internal(request: Request, exc: Exception) -> Response:
        # Logged with its traceback; the client learns only that it failed (no internals leak).
        log.exception("error serving %s %s", request.method, request.url.path)
        # This handler runs outside the middleware stack (Starlette's ServerErrorMiddleware), so the
        # security headers are added here.
        from .security import HEADERS

        response = respond(request, 500, errors.WEB_INTERNAL.item())
        response.headers.update({k.decode(): v.decode() for k, v in HEADERS})
        return response
