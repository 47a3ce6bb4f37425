"""HTTP-level protections: allowed Host names, security headers, a request body limit, CSRF for
forms, the API token.

The middlewares are plain ASGI (no buffering, no BaseHTTPMiddleware): Starlette has no body-size
limit of its own, the header set is small enough to state here, and Starlette's
TrustedHostMiddleware neither checks the port nor answers in the API's error shape.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import re
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from fastapi import Request, Response
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import errors
from ..model import ErrorItem
from .problems import ApiError

#: Scripts and styles only from our own /static; no inline script, no eval, no framing, no plugins.
CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    # same-origin, not no-referrer: under no-referrer a browser sends ``Origin: null`` with a
    # same-origin form POST, which the anti-forgery check (rightly) refuses. Other sites still get
    # no Referer.
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
]
CSRF_COOKIE = "claimledger_csrf"
CSRF_FIELD = "csrf_token"
#: The loopback names a local server always answers to, whatever address it binds.
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")
_DEFAULT_PORTS = {"http": 80, "ws": 80, "https": 443, "wss": 443}
# A Host header (RFC 9110 uri-host [":" port]) of a DNS name, an IPv4 address or a bracketed IPv6
# address. Anything else (userinfo, paths, spaces, several names) is refused, not guessed at.
_HOST_RE = re.compile(
    r"(?P<name>[A-Za-z0-9][A-Za-z0-9.-]{0,252}|\[[0-9A-Fa-f:.]{2,45}\])(?::(?P<port>[0-9]{1,5}))?"
)


def parse_host(value: str) -> tuple[str, int | None] | None:
    """``(name, port)`` of a Host header or ``NAME[:PORT]``, the name lowercased and an IP address in
    its canonical form (``[::1]`` and ``::1`` are the same); ``None`` when it is not one."""
    m = _HOST_RE.fullmatch(value.strip())
    if m is None:
        return None
    name = m["name"].lower()
    port = int(m["port"]) if m["port"] else None
    if port is not None and port > 65535:
        return None
    bracketed = name.startswith("[")
    try:
        name = ipaddress.ip_address(name.strip("[]")).compressed
    except ValueError:
        if bracketed:
            return None
    return name, port


def parse_host_option(value: str) -> tuple[str, int | None] | None:
    """Like :func:`parse_host`, also taking an IPv6 address without brackets (``::1``), as
    ``--host`` and ``--allow-host`` are written."""
    if value.count(":") > 1 and not value.startswith("["):
        value = f"[{value}]"
    return parse_host(value)


@dataclass(frozen=True)
class HostPolicy:
    """The Host names the server answers to; any other gets 400 (a DNS-rebinding guard).

    A page on an attacker's domain that resolves to 127.0.0.1 is same-origin with the server in
    the user's browser, but its requests carry the attacker's name in ``Host``. ``bound`` names
    (the loopback names and the bound address) must come with the port the server listens on;
    ``extra`` names (``--allow-host``, e.g. a reverse proxy's public name) with any port: the
    proxy, not this server, decides the port its clients use.
    """

    bound: frozenset[str]
    extra: frozenset[str] = frozenset()

    @classmethod
    def serving(cls, host: str = "127.0.0.1", allow: Iterable[str] = ()) -> HostPolicy:
        """The policy of a server bound to ``host``, also answering to each name of ``allow``;
        raises ValueError naming a value of ``allow`` that is not a host name or address alone."""
        bound = {p[0] for n in (*LOOPBACK_NAMES, host) if (p := parse_host_option(n))}
        extra = set()
        for value in allow:
            parsed = parse_host_option(value)
            if parsed is None or parsed[1] is not None:
                raise ValueError(f"not a host name or address (without a port): {value!r}")
            extra.add(parsed[0])
        return cls(frozenset(bound), frozenset(extra))

    def allows(self, host: str | None, server_port: int | None, scheme: str = "http") -> bool:
        """Whether a request with this ``Host`` (or an ``Origin``'s host part) is for this server;
        ``server_port`` is the port it listens on (``None``: unknown, any port)."""
        parsed = parse_host(host) if host else None
        if parsed is None:
            return False
        name, port = parsed
        port = port if port is not None else _DEFAULT_PORTS.get(scheme)
        if name in self.bound and (server_port is None or port == server_port):
            return True
        return name in self.extra


class AllowedHosts:
    """Answers 400 to a request whose ``Host`` the :class:`HostPolicy` does not allow.

    ``refuse(request, item)`` makes the response (the API's error shape or the HTML error page).
    """

    def __init__(
        self, app: ASGIApp, policy: HostPolicy, refuse: Callable[[Request, ErrorItem], Response]
    ) -> None:
        self.app, self.policy, self.refuse = app, policy, refuse

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        hosts = Headers(scope=scope).getlist("host")
        server = scope.get("server")
        port = server[1] if server else None
        if len(hosts) == 1 and self.policy.allows(hosts[0], port, scope.get("scheme", "http")):
            await self.app(scope, receive, send)
            return
        item = errors.WEB_BAD_REQUEST.item(
            detail="the Host header names no address this server answers to "
            "(start it with --allow-host NAME for a name a proxy forwards)"
        )
        await self.refuse(Request(scope), item)(scope, receive, send)


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


def origin_allowed(request: Request, origin: str) -> bool:
    """Whether ``origin`` is one of the names the server answers to (never judged by the request's
    own Host header, which the client chooses)."""
    scheme, sep, host = origin.partition("://")
    if not sep or scheme not in ("http", "https"):
        return False  # "null" (a sandboxed or privacy-stripped origin) and the like
    policy: HostPolicy = request.app.state.hosts
    server = request.scope.get("server")
    return policy.allows(host, server[1] if server else None, scheme)


def check_csrf(request: Request, submitted: str | None) -> None:
    """Reject a form POST whose token does not match its cookie, or that comes from another origin."""
    origin = request.headers.get("origin")
    # Browsers send Origin on POST; when they do, it must name this server.
    if origin is not None and not origin_allowed(request, origin):
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
