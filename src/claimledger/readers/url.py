"""Fetching ``http(s)://`` inputs with httpx, guarded against server-side request forgery.

Every address a host name resolves to is vetted (loopback, private, link-local, multicast,
reserved, unspecified and other non-global addresses are refused unless ``fetch_allow_private``),
before each request, on every redirect (redirects are followed here, not by httpx) and again at
connect time: the custom network backend resolves, vets, and connects to the vetted IP itself, so
a DNS answer that changes between the check and the connection (rebinding) cannot slip through.
TLS still uses the host name for SNI and certificate checks, and the Host header is unchanged.

The body is read raw and decoded here, not by httpx, which decodes every ``Content-Encoding``
layer of a chunk before the caller can count it (two gzip layers of 2 KB make a gigabyte): one
gzip layer is accepted (it is all the request asks for), decoded in steps through the capped
decompressor; more layers or another encoding are refused.

The resolver and the connector are parameters, so tests can stub them and never leave 127.0.0.1.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from .. import errors
from ..model import ErrorItem, Status
from ..settings import Settings
from .capped import CappedGzipReader, DecompressionLimit, TruncatedGzip
from .record import Kind, Record

#: host, port → the IP addresses it resolves to.
Resolver = Callable[[str, int], list[str]]
#: ip, port, timeout → an open httpcore network stream to that address.
Connector = Callable[[str, int, float | None], httpcore.NetworkStream]

USER_AGENT = "claimledger/{version} (+https://github.com/claimledger/claimledger)"


class Refused(Exception):
    """The URL or an address it resolves to is not allowed; ``item`` is the coded error."""

    def __init__(self, item: ErrorItem) -> None:
        super().__init__(item.message)
        self.item = item


def system_resolver(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (the system resolver, TCP only)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def system_connector(ip: str, port: int, timeout: float | None) -> httpcore.NetworkStream:
    """A plain TCP connection to ``ip`` (no name resolution happens here)."""
    return httpcore.SyncBackend().connect_tcp(ip, port, timeout=timeout)


def address_refusal(ip: str) -> str | None:
    """Why ``ip`` must not be fetched from (e.g. "loopback"), or None for a public address."""
    addr = ipaddress.ip_address(ip.split("%", 1)[0])
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        addr = addr.ipv4_mapped
    for flag in ("loopback", "private", "link_local", "multicast", "reserved", "unspecified"):
        if getattr(addr, f"is_{flag}"):
            return flag.replace("_", "-")
    if not addr.is_global:
        return "not a global address"
    return None


@dataclass
class Guard:
    """Resolves a host and vets every address; the one place the address policy lives."""

    allow_private: bool = False
    resolver: Resolver = system_resolver
    resolved: list[tuple[str, list[str]]] = field(default_factory=list)

    def vetted(self, url: str, host: str, port: int) -> list[str]:
        """The addresses of ``host``, all allowed; raises :class:`Refused` otherwise."""
        try:
            ips = [host] if _is_ip(host) else self.resolver(host, port)
        except OSError as exc:
            raise Refused(errors.FETCH_FAILED.item(url=url, reason=f"cannot resolve {host}: {exc}")) from None
        self.resolved.append((host, ips))
        if not ips:
            raise Refused(errors.FETCH_FAILED.item(url=url, reason=f"{host} has no address"))
        if not self.allow_private:
            for ip in ips:
                why = address_refusal(ip)
                if why:
                    reason = f"{host} resolves to {ip} ({why})"
                    raise Refused(errors.URL_REFUSED.item(url=url, reason=reason))
        return ips


class _VettingBackend(httpcore.NetworkBackend):
    """httpcore network backend that connects only to addresses the guard vetted just now."""

    def __init__(self, guard: Guard, connector: Connector) -> None:
        self.guard, self.connector = guard, connector
        self.url = ""

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.NetworkStream:
        ips = self.guard.vetted(self.url, host, port)
        last: Exception | None = None
        for ip in ips:
            try:
                return self.connector(ip, port, timeout)
            except (httpcore.ConnectError, httpcore.ConnectTimeout, OSError) as exc:
                last = exc
        raise httpcore.ConnectError(f"cannot connect to {host}:{port}: {last}")

    def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("unix sockets are not fetched")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


class _GuardedTransport(httpx.HTTPTransport):
    """httpx's transport with the vetting backend in its connection pool (no proxies, no env)."""

    def __init__(self, backend: _VettingBackend, timeout: float) -> None:
        super().__init__(trust_env=False)
        # HTTPTransport takes no network backend, so its pool is replaced by an equivalent one with ours.
        self._pool = httpcore.ConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=4,
            network_backend=backend,
        )


def fetch(
    url: str,
    settings: Settings,
    *,
    resolver: Resolver = system_resolver,
    connector: Connector = system_connector,
) -> Record:
    """Fetch ``url`` into a :class:`Record`; never raises for network or policy problems."""
    if not settings.fetch_urls:
        return _failed(url, errors.FETCH_OFF.item(url=url), "skipped")
    guard = Guard(settings.fetch_allow_private, resolver)
    backend = _VettingBackend(guard, connector)
    deadline = time.monotonic() + settings.fetch_timeout_s
    from .. import __version__

    headers = {
        "User-Agent": USER_AGENT.format(version=__version__),
        "Accept": "text/html, text/plain;q=0.9",
        "Accept-Encoding": "gzip",  # the one encoding decoded here (see _body)
    }
    with httpx.Client(
        transport=_GuardedTransport(backend, settings.fetch_timeout_s),
        timeout=httpx.Timeout(settings.fetch_timeout_s),
        follow_redirects=False,
        trust_env=False,
        headers=headers,
    ) as client:
        current = url
        for hop in range(settings.fetch_max_redirects + 1):
            try:
                host, port = _check_url(current, url)
                guard.vetted(current, host, port)
                backend.url = current
                result = _get(client, current, settings, deadline)
            except Refused as exc:
                return _failed(url, exc.item)
            except httpx.HTTPError as exc:
                return _failed(url, _http_error(url, exc))
            if isinstance(result, str):
                current = result
                continue
            data, ctype, status = result
            kind: Kind | None
            kind = "text" if ctype.startswith("text/plain") else "html" if "html" in ctype else None
            prov: dict[str, str | int] = {"fetched_url": current, "http_status": status, "redirects": hop}
            return Record(url, data, kind=kind, url=current, provenance=prov)
    return _failed(url, errors.TOO_MANY_REDIRECTS.item(url=url, limit=settings.fetch_max_redirects))


def _get(client: httpx.Client, url: str, settings: Settings, deadline: float) -> tuple[bytes, str, int] | str:
    """(body, content type, status) of a 2xx response, or the next URL of a redirect."""
    with client.stream("GET", url) as resp:
        if resp.is_redirect:
            location = resp.headers.get("location", "")
            if not location:
                raise Refused(errors.FETCH_FAILED.item(url=url, reason="a redirect without a Location"))
            return urljoin(url, location)
        if resp.status_code >= 400 or resp.status_code < 200:
            raise Refused(errors.FETCH_FAILED.item(url=url, reason=f"HTTP status {resp.status_code}"))
        declared = resp.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > settings.max_input_bytes:
            raise Refused(errors.TOO_LARGE.item(size=int(declared), limit=settings.max_input_bytes))
        body = _body(resp, url, settings, deadline)
        ctype = resp.headers.get("content-type", "").lower()
        return body, ctype, resp.status_code


#: Decoded bytes produced per step: the most a body can pass its cap by before it is stopped.
_STEP = 64 * 1024


def _body(resp: httpx.Response, url: str, settings: Settings, deadline: float) -> bytes:
    """The response body, decoded and capped as it arrives; raises :class:`Refused`.

    The bytes on the wire are capped at ``max_input_bytes`` (CL-E004); decoded bytes at
    ``max_input_bytes`` too, and at ``max_decoded_bytes`` and ``max_decompression_ratio`` when the
    body is gzip-encoded (CL-E020). More than one encoding layer, or one other than gzip, is refused
    before anything is decoded (CL-E029).
    """
    layers = [v.lower() for v in resp.headers.get_list("content-encoding", split_commas=True)]
    layers = [v for v in layers if v and v != "identity"]
    if len(layers) > 1 or (layers and layers[0] not in ("gzip", "x-gzip")):
        what = "more than one encoding layer" if len(layers) > 1 else "an encoding other than gzip"
        reason = f"the response has Content-Encoding {', '.join(layers)!r}: {what} is refused"
        raise Refused(errors.FETCH_FAILED.item(url=url, reason=reason[:200]))
    wire = _Wire(resp, url, settings, deadline)
    if not layers:
        return b"".join(iter(wire.read, b""))
    cap = min(settings.max_input_bytes, settings.max_decoded_bytes)
    reader = CappedGzipReader(wire, cap, settings.max_decompression_ratio)
    parts: list[bytes] = []
    try:
        while chunk := reader.read(_STEP):
            parts.append(chunk)
    except DecompressionLimit as exc:
        raise Refused(errors.DECOMPRESSION_LIMIT.item(source=url, reason=exc.reason)) from None
    except TruncatedGzip as exc:
        if wire.size == 0:  # no body at all, whatever the header says
            return b""
        raise Refused(errors.FETCH_FAILED.item(url=url, reason=f"the gzip body is damaged: {exc}")) from None
    return b"".join(parts)


class _Wire:
    """The raw (still encoded) body as a readable file, capped at ``max_input_bytes`` and the deadline."""

    def __init__(self, resp: httpx.Response, url: str, settings: Settings, deadline: float) -> None:
        self._chunks = resp.iter_raw(_STEP)
        self._pending = b""
        self._url, self._settings, self._deadline = url, settings, deadline
        self.size = 0

    def read(self, n: int = -1) -> bytes:
        if not self._pending:
            self._pending = next(self._chunks, b"")
            self.size += len(self._pending)
            limit = self._settings.max_input_bytes
            if self.size > limit:
                raise Refused(errors.TOO_LARGE.item(size=self.size, limit=limit))
            if time.monotonic() > self._deadline:
                timeout = self._settings.fetch_timeout_s
                reason = f"no complete response within fetch_timeout_s={timeout:g} s"
                raise Refused(errors.FETCH_FAILED.item(url=self._url, reason=reason))
        n = len(self._pending) if n < 0 else n
        out, self._pending = self._pending[:n], self._pending[n:]
        return out


def _check_url(url: str, original: str) -> tuple[str, int]:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        reason = f"the scheme of {url[:200]} is not http(s)"
        raise Refused(errors.URL_REFUSED.item(url=original, reason=reason))
    if not parts.hostname:
        raise Refused(errors.URL_REFUSED.item(url=original, reason="no host name"))
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise Refused(errors.URL_REFUSED.item(url=original, reason="an invalid port")) from None
    return parts.hostname, port


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True


def _http_error(url: str, exc: httpx.HTTPError) -> ErrorItem:
    cause: BaseException | None = exc
    while cause is not None:  # the guard's refusal arrives wrapped by httpcore and httpx
        if isinstance(cause, Refused):
            return cause.item
        cause = cause.__cause__ or cause.__context__
    return errors.FETCH_FAILED.item(url=url, reason=f"{type(exc).__name__}: {str(exc)[:160]}")


def _failed(url: str, item: ErrorItem, status: Status = "failed") -> Record:
    return Record(url, None, url=url, status=status, errors=[item])
