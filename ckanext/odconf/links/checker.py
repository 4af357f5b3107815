"""Check one outside link: HEAD, then a ranged GET where HEAD is refused.

Redirects are followed here, hop by hop, so that every hop's host is resolved
and checked (``safety``) and rate-limited (``throttle``) before a connection
is made, and the connection goes to the address that was checked: TLS still
uses the host name for SNI and certificate checks, HTTP sends it as ``Host``.
Each request has a wall-clock deadline that also covers a server that drips
its headers or body: a watchdog shuts the socket when it passes. Nothing of a
response body is kept but the few bytes read to sniff a missing content type.
"""
from __future__ import annotations

import dataclasses
import datetime
import http.client
import socket
import ssl
import threading
import time
from typing import Callable, Optional
from urllib.parse import urljoin, urlsplit

import magic

from ckanext.odconf.links import safety

MAX_REDIRECTS = 5
# HEAD answers that mean "ask me with GET instead"
HEAD_REFUSED = frozenset({403, 405, 501})
REDIRECTS = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
SNIFF_BYTES = 512

WORKS, MOVED, BROKEN = "works", "moved", "broken"


@dataclasses.dataclass(frozen=True)
class Settings:
    """How links are checked (from the ``odconf.links.*`` options)."""

    timeout: float = 10.0
    user_agent: str = "ckanext-odconf link checker"
    allowed_hosts: tuple[str, ...] = ()


@dataclasses.dataclass
class Result:
    """What a check found out about one link.

    ``state`` is works, moved (a permanent redirect led to a working page) or
    broken; ``problem`` names the kind of failure (``PROBLEMS``), ``error``
    says it in words.
    """

    url: str
    state: str
    checked_at: datetime.datetime
    status_code: Optional[int] = None
    final_url: Optional[str] = None
    content_type: Optional[str] = None
    size: Optional[int] = None
    problem: Optional[str] = None
    error: Optional[str] = None


# Kinds of failure, the ``problem`` of a broken result.
PROBLEMS = ("http", "timeout", "unsafe", "unresolvable", "connection", "redirects", "invalid")


class CheckFailed(Exception):
    """A check could not get an answer; ``problem`` is one of ``PROBLEMS``."""

    def __init__(self, problem: str, message: str) -> None:
        super().__init__(message)
        self.problem = problem


@dataclasses.dataclass
class _Answer:
    status: int
    headers: http.client.HTTPMessage
    head: bytes


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    """HTTPS to an address already checked, with the host name for SNI and the certificate."""

    def __init__(self, address: str, port: int, host_name: str, timeout: float) -> None:
        self._tls = ssl.create_default_context()
        super().__init__(address, port, timeout=timeout, context=self._tls)
        self._host_name = host_name

    def connect(self) -> None:
        http.client.HTTPConnection.connect(self)
        self.sock = self._tls.wrap_socket(self.sock, server_hostname=self._host_name)


def _shut(connection: http.client.HTTPConnection) -> None:
    """Wake a read blocked on a dripping server (the watchdog's deadline)."""
    sock = connection.sock
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass


def _sniff_bytes(method: str, response: http.client.HTTPResponse, deadline: float) -> bytes:
    """The first bytes of a GET's body, read only to tell the type of a document
    whose server does not say it; best effort until the deadline (the status
    has arrived: a stalled body does not make the link broken)."""
    head = b""
    if method != "GET" or response.msg.get("Content-Type"):
        return head
    try:
        while len(head) < SNIFF_BYTES and time.monotonic() < deadline:
            chunk = response.read1(SNIFF_BYTES - len(head))
            if not chunk:
                break
            head += chunk
    except (OSError, http.client.HTTPException):
        pass
    return head


def _request(url: str, method: str, settings: Settings,
             wait_for_host: Callable[[str], None]) -> _Answer:
    """One HTTP request, no redirect followed, within ``settings.timeout`` seconds."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise CheckFailed("invalid", f"not an http(s) address: {url}")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as error:
        raise CheckFailed("invalid", f"invalid port in {url}") from error
    host = parts.hostname
    try:
        address = safety.safe_address(host, port, settings.allowed_hosts)
    except safety.UnsafeAddress as error:
        raise CheckFailed("unsafe", str(error)) from error
    except safety.UnresolvableHost as error:
        raise CheckFailed("unresolvable", str(error)) from error
    wait_for_host(host)

    # host[:port] as written (IPv6 in brackets); credentials in a URL are not sent
    host_header = parts.netloc.rsplit("@", 1)[-1]
    target = parts.path or "/"
    if parts.query:
        target += "?" + parts.query
    headers = {"Host": host_header, "User-Agent": settings.user_agent, "Accept": "*/*",
               "Accept-Encoding": "identity"}
    if method == "GET":
        headers["Range"] = "bytes=0-1023"

    connection: http.client.HTTPConnection
    if parts.scheme == "https":
        connection = _PinnedHTTPSConnection(str(address), port, host, settings.timeout)
    else:
        connection = http.client.HTTPConnection(str(address), port, timeout=settings.timeout)
    deadline = time.monotonic() + settings.timeout
    watchdog: Optional[threading.Timer] = None
    try:
        connection.connect()
        watchdog = threading.Timer(max(deadline - time.monotonic(), 0), _shut, args=(connection,))
        watchdog.daemon = True
        watchdog.start()
        connection.request(method, target, headers=headers)
        response = connection.getresponse()
        if time.monotonic() >= deadline:
            # the watchdog's shutdown ends a dripping header block early
            raise CheckFailed("timeout", f"no answer within {settings.timeout:g} s")
        return _Answer(response.status, response.msg, _sniff_bytes(method, response, deadline))
    except CheckFailed:
        raise
    except (socket.timeout, TimeoutError) as error:
        raise CheckFailed("timeout", f"no answer within {settings.timeout:g} s") from error
    except ssl.SSLError as error:
        raise CheckFailed("connection", f"TLS failed: {error}") from error
    except (OSError, http.client.HTTPException) as error:
        if time.monotonic() >= deadline:
            raise CheckFailed("timeout", f"no answer within {settings.timeout:g} s") from error
        raise CheckFailed("connection", f"connection failed: {error or type(error).__name__}") from error
    finally:
        if watchdog is not None:
            watchdog.cancel()
        connection.close()


def _follow(url: str, method: str, settings: Settings,
            wait_for_host: Callable[[str], None]) -> tuple[_Answer, str, bool]:
    """Request ``url`` and follow its redirects; the last answer, its URL, and
    whether a permanent redirect was followed."""
    moved = False
    for _hop in range(MAX_REDIRECTS + 1):
        answer = _request(url, method, settings, wait_for_host)
        location = answer.headers.get("Location")
        if answer.status not in REDIRECTS or not location:
            return answer, url, moved
        moved = moved or answer.status in PERMANENT_REDIRECTS
        url = urljoin(url, location.strip())
    raise CheckFailed("redirects", f"more than {MAX_REDIRECTS} redirects")


def _size(answer: _Answer) -> Optional[int]:
    """The size of the whole document when the answer says it."""
    content_range = answer.headers.get("Content-Range") or ""
    if answer.status == 206 and "/" in content_range:
        total = content_range.rsplit("/", 1)[1].strip()
        return int(total) if total.isdigit() else None
    length = (answer.headers.get("Content-Length") or "").strip()
    return int(length) if length.isdigit() and answer.status != 206 else None


def check(url: str, settings: Settings,
          wait_for_host: Callable[[str], None] = lambda host: None) -> Result:
    """Check ``url``: HEAD, a ranged GET when HEAD is refused, redirects followed.

    ``wait_for_host`` is called with the host name before every request (the
    per-host rate limit). Never raises for anything the link or its server does.
    """
    checked_at = datetime.datetime.now(datetime.timezone.utc)
    try:
        answer, final_url, moved = _follow(url, "HEAD", settings, wait_for_host)
        if answer.status in HEAD_REFUSED:
            answer, final_url, moved = _follow(url, "GET", settings, wait_for_host)
    except CheckFailed as failure:
        return Result(url=url, state=BROKEN, checked_at=checked_at,
                      problem=failure.problem, error=str(failure))
    content_type = (answer.headers.get("Content-Type") or "").split(";", 1)[0].strip() or None
    if content_type is None and answer.head:
        content_type = magic.from_buffer(answer.head, mime=True)
    result = Result(url=url, state=WORKS, checked_at=checked_at, status_code=answer.status,
                    final_url=final_url, content_type=content_type, size=_size(answer))
    if answer.status >= 400:
        result.state, result.problem = BROKEN, "http"
        result.error = f"the server answered {answer.status}"
    elif moved and final_url != url:
        result.state = MOVED
    return result
