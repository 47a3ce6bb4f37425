"""The FastAPI application of ``claimledger serve``: pages, the HTTP API, static files, protections."""

from __future__ import annotations

import gc
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.responses import FileResponse, Response
from fastapi.staticfiles import StaticFiles
from jinja2 import Environment, PackageLoader, select_autoescape
from starlette.datastructures import Headers
from starlette.staticfiles import NotModifiedResponse
from starlette.types import Scope

from .. import __version__
from ..ledger.outlets import outlet_name
from ..settings import Settings
from . import api, pages, problems
from .formatting import path_id, safe_url, value, value_range
from .security import CSRF_FIELD, AllowedHosts, BodyLimit, HostPolicy, SecurityHeaders
from .service import WebService


def templates() -> Environment:
    """The Jinja2 environment: package templates, autoescaping on for every template."""
    env = Environment(
        loader=PackageLoader("claimledger.web", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        path_id=path_id,
        safe_url=safe_url,
        outlet_name=outlet_name,
        value=value,
        value_range=value_range,
        csrf_field=CSRF_FIELD,
        version=__version__,
    )
    return env


def create_app(db: str, settings: Settings | None = None, hosts: HostPolicy | None = None) -> FastAPI:
    """The app over the ledger ``db`` (read-only; ``POST /api/v1/ingest`` writes with the token).

    It answers only to the Host names of ``hosts`` (by default the loopback names, on the port the
    server listens on); other requests get 400.
    """
    service = WebService.open(db, settings)
    hosts = hosts or HostPolicy.serving()

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # What start-up made (modules, the app, its routes and templates) lives as long as the
        # server: out of the collector's sight, a full collection no longer walks it. Under load,
        # each full collection was a pause of 110-160 ms for every request in flight.
        gc.freeze()
        yield
        service.close()
        gc.unfreeze()  # the app may live on in a process that goes on (tests, an embedding program)

    app = FastAPI(
        title="claimledger",
        version=__version__,
        description="Read the claim ledger: documents, quotes, speakers, numbers, trackers.",
        # Swagger UI and ReDoc load scripts from a CDN, which the CSP forbids: /docs is a server-made
        # page instead (pages.py, apidocs.py).
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        # No tracing, metrics or log hooks: nothing to export to, and no per-request cost.
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    app.state.service = service
    app.state.settings = service.settings
    app.state.hosts = hosts
    env = templates()
    app.include_router(api.build_router(service.settings.web_page_rows))
    app.include_router(pages.build_router(env, service.settings.web_page_rows))
    app.mount("/static", PreloadedStatic(str(resources.files("claimledger.web") / "static")), name="static")
    render_error = pages.error_page(env)
    problems.install(app, render_error)
    _declare_bearer(app)
    # Outermost last: the body limit applies before anything reads the body; the Host check's
    # refusals get the security headers.
    app.add_middleware(
        AllowedHosts,
        policy=hosts,
        refuse=lambda request, item: problems.error_response(request, 400, item, render_error),
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit=service.settings.web_max_body_bytes)
    return app


class PreloadedStatic(StaticFiles):
    """Starlette's static files, with the folder's files read once, at start-up: a plain GET of one
    is answered from memory on the event loop, with the same headers (ETag, Last-Modified, 304 to
    a matching If-None-Match). Starlette stats, opens and reads the file through the thread pool,
    where under load a 7 KB stylesheet waited behind the pages being rendered (36 ms p50 at 8
    concurrent readers). Anything else (HEAD, a Range, another path) is Starlette's, as before."""

    def __init__(self, directory: str) -> None:
        super().__init__(directory=directory)
        self._files: dict[str, tuple[bytes, Headers]] = {}
        for entry in os.scandir(directory):
            if entry.is_file():
                with open(entry.path, "rb") as f:
                    stat = os.fstat(f.fileno())
                    body = f.read()
                headers = Headers(raw=FileResponse(entry.path, stat_result=stat).raw_headers)
                self._files[entry.name] = (body, headers)

    async def get_response(self, path: str, scope: Scope) -> Response:
        found = self._files.get(path)
        request_headers = Headers(scope=scope)
        if found is None or scope["method"] != "GET" or "range" in request_headers:
            return await super().get_response(path, scope)
        body, headers = found
        if self.is_not_modified(headers, request_headers):
            return NotModifiedResponse(headers)
        return Response(body, headers=headers)


def _declare_bearer(app: FastAPI) -> None:
    """Name the bearer scheme that ``POST /api/v1/ingest`` requires in the OpenAPI document."""
    default = app.openapi

    def openapi() -> dict:
        if app.openapi_schema is None:
            schema = default()
            schema.setdefault("components", {}).setdefault("securitySchemes", {})["bearer"] = {
                "type": "http",
                "scheme": "bearer",
                "description": "the server's web_token",
            }
            app.openapi_schema = schema
        return app.openapi_schema

    # FastAPI's documented way to extend the schema; mypy refuses assigning to a method
    app.openapi = openapi  # type: ignore[method-assign]
