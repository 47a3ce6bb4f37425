"""HTTP-level protections: security headers, a request body limit, CSRF for forms, the API token.

The header and body-limit middlewares are plain ASGI (no buffering, no BaseHTTPMiddleware):
Starlette has no body-size limit of its own, and the header set is small enough to state here.
"""

from __future__ import annotations

import hmac
import json
import secrets

from fastapi import Request, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import errors
from .problems import ApiError

#: Scripts and styles only from our own /static; no inline script, no eval, no framing, no plugins.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
CSRF_COOKIE = "claimledger_csrf"
CSRF_FIELD = "csrf_token"


class SecurityHeaders:
    """Adds :data:`HEADERS` to every HTTP response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {k.lower() for k, _ in message.get("headers", [])}
                message["headers"] = [*message.get("headers", []), *(h for h in HEADERS if h[0] not in names)]
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuses request bodies over ``limit`` bytes with 413, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def _refuse(self, send: Send) -> None:
        body = {"ok": False, "error": errors.WEB_TOO_LARGE.item(limit=self.limit).to_dict(), "status": 413}
        raw = json.dumps(body).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(raw)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": raw})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, val in scope.get("headers", []):
            if name == b"content-length":
                try:
                    too_large = int(val) > self.limit
                except ValueError:
                    too_large = True  # a Content-Length that is not a number is refused as well
                if too_large:
                    await self._refuse(send)
                    return
        seen = 0
        started = refused = False

        async def counting_receive() -> Message:
            nonlocal seen, refused
            if refused:
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    # Answer 413 now and tell the app the client is gone: whatever it does next
                    # (an error about the body, usually) is not sent.
                    refused = True
                    if not started:
                        await self._refuse(send)
                    return {"type": "http.disconnect"}
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if refused:
                return
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, tracking_send)
        except Exception:
            if not refused:
                raise
            # The app failed on the body it did not get; the client has its 413 already.


def csrf_token(request: Request) -> tuple[str, bool]:
    """The browser's anti-forgery token, and whether it is new (then the response must set the cookie)."""
    token = request.cookies.get(CSRF_COOKIE, "")
    if 20 <= len(token) <= 100:
        return token, False
    return secrets.token_urlsafe(32), True


def set_csrf_cookie(response: Response, token: str) -> None:
    """Double-submit cookie: SameSite=Strict and HttpOnly; the form carries the same value."""
    response.set_cookie(CSRF_COOKIE, token, httponly=True, samesite="strict", path="/")


def check_csrf(request: Request, submitted: str | None) -> None:
    """Reject a form POST whose token does not match its cookie, or that comes from another origin."""
    origin = request.headers.get("origin")
    # Browsers send Origin on POST; "null" (a sandboxed or privacy-stripped origin) is not ours either.
    if origin is not None and origin != f"{request.url.scheme}://{request.url.netloc}":
        raise ApiError(403, errors.WEB_CSRF.item())
    cookie = request.cookies.get(CSRF_COOKIE, "")
    if not cookie or not submitted or not hmac.compare_digest(cookie.encode(), submitted.encode()):
        raise ApiError(403, errors.WEB_CSRF.item())


def check_token(request: Request, given: str | None = None) -> None:
    """Writes need ``web_token``: 403 when it is unset (writes off), 401 when missing or wrong.

    ``given`` is a token typed into a form; the API sends ``Authorization: Bearer <token>``.
    """
    expected = request.app.state.settings.web_token
    if not expected:
        raise ApiError(403, errors.WEB_WRITES_DISABLED.item())
    if given is None:
        scheme, _, value = request.headers.get("authorization", "").partition(" ")
        given = value.strip() if scheme.lower() == "bearer" else ""
    if not given or not hmac.compare_digest(given.encode(), expected.encode()):
        raise ApiError(401, errors.WEB_UNAUTHORIZED.item(), {"WWW-Authenticate": "Bearer"})
