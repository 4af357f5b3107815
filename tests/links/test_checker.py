"""One check against a local server: the status recorded for each kind of answer."""
from __future__ import annotations

import pathlib
import socket
import ssl
import subprocess
import threading
import time

import pytest

from ckanext.odconf.links import checker, safety
from ckanext.odconf.links.throttle import HostThrottle

from .conftest import SLOW_SECONDS, LinkServer

SETTINGS = checker.Settings(timeout=1.0, user_agent="odconf-test-agent",
                            allowed_hosts=("127.0.0.1",))


def test_a_page_that_answers_works(link_server: LinkServer) -> None:
    result = checker.check(link_server.url("/ok"), SETTINGS)
    assert (result.state, result.status_code, result.content_type) == ("works", 200, "text/html")
    assert result.size == len("<html><body></body></html>") + 2000
    assert result.final_url == link_server.url("/ok")
    assert [request[1] for request in link_server.requests] == ["HEAD"]
    assert link_server.requests[0][3]["User-Agent"] == "odconf-test-agent"


def test_a_permanent_redirect_is_moved_with_its_final_address(link_server: LinkServer) -> None:
    result = checker.check(link_server.url("/moved"), SETTINGS)
    assert (result.state, result.status_code) == ("moved", 200)
    assert result.final_url == link_server.url("/ok")


def test_a_temporary_redirect_to_a_working_page_works(link_server: LinkServer) -> None:
    result = checker.check(link_server.url("/found"), SETTINGS)
    assert (result.state, result.status_code) == ("works", 200)
    assert result.final_url == link_server.url("/ok")


@pytest.mark.parametrize("path, code", [("/missing", 404), ("/error", 500)])
def test_an_error_answer_is_broken(link_server: LinkServer, path: str, code: int) -> None:
    result = checker.check(link_server.url(path), SETTINGS)
    assert (result.state, result.status_code, result.problem) == ("broken", code, "http")
    assert result.error == f"the server answered {code}"


def test_head_refused_then_a_ranged_get(link_server: LinkServer) -> None:
    result = checker.check(link_server.url("/no-head"), SETTINGS)
    assert (result.state, result.status_code) == ("works", 206)
    # no Content-Type header: sniffed from the first bytes; the size from Content-Range
    assert (result.content_type, result.size) == ("application/pdf", 5009)
    head, get = link_server.requests
    assert (head[1], get[1], get[3]["Range"]) == ("HEAD", "GET", "bytes=0-1023")


@pytest.mark.parametrize("path", ["/slow", "/drip-headers"])
def test_a_slow_answer_is_cut_at_the_timeout(link_server: LinkServer, path: str) -> None:
    started = time.monotonic()
    result = checker.check(link_server.url(path), SETTINGS)
    elapsed = time.monotonic() - started
    assert (result.state, result.problem) == ("broken", "timeout")
    assert result.error == "no answer within 1 s"
    assert elapsed < 1.8 < SLOW_SECONDS


def test_an_endless_body_is_not_read_to_its_end(link_server: LinkServer) -> None:
    started = time.monotonic()
    result = checker.check(link_server.url("/endless"), SETTINGS)
    assert (result.state, result.status_code, result.size) == ("works", 200, None)
    assert time.monotonic() - started < 1.0


def test_a_dripping_body_holds_the_check_no_longer_than_the_timeout(
        link_server: LinkServer) -> None:
    started = time.monotonic()
    result = checker.check(link_server.url("/drip-body"), SETTINGS)
    elapsed = time.monotonic() - started
    # the status arrived in time: the link works; reading stopped at the deadline
    assert (result.state, result.status_code) == ("works", 200)
    assert 0.9 < elapsed < 1.8


def test_a_redirect_loop_is_broken(link_server: LinkServer) -> None:
    result = checker.check(link_server.url("/loop"), SETTINGS)
    assert (result.state, result.problem) == ("broken", "redirects")
    assert link_server.count("/loop") == checker.MAX_REDIRECTS + 1


@pytest.mark.parametrize("url, problem", [
    ("ftp://example.org/file", "invalid"),
    ("http://no-such-host.invalid/", "unresolvable"),
    ("http://127.0.0.1:1/", "connection"),
    ("http://127.0.0.1:99999/", "invalid"),
])
def test_addresses_that_cannot_be_fetched_say_why(url: str, problem: str) -> None:
    result = checker.check(url, SETTINGS)
    assert (result.state, result.problem) == ("broken", problem)
    assert result.error


@pytest.mark.usefixtures("with_plugins")
def test_the_host_throttle_spaces_requests_across_throttles() -> None:
    host = f"throttle-{time.time()}.example"
    first, second = HostThrottle(600, "odconf:test"), HostThrottle(600, "odconf:test")
    started = time.monotonic()
    for _ in range(5):
        first.wait(host)
        second.wait(host)
    # ten requests at 10 per second: nine intervals of 0.1 s
    assert time.monotonic() - started >= 0.85


def test_https_goes_to_the_checked_address_with_the_host_name_for_tls(
        tmp_path: pathlib.Path) -> None:
    """The connection is made to the address that was checked, while TLS names
    the host (SNI) and verifies the certificate for it: a self-signed one fails."""
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(tmp_path / "key.pem"),
                    "-out", str(tmp_path / "cert.pem")], check=True, capture_output=True)
    names: list[str] = []
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    context.sni_callback = lambda connection, name, _context: names.append(name) and None
    # listen where the checker will connect: the first address of the name
    first = safety.resolve("localhost", 443)[0]
    listener = socket.create_server(
        (str(first), 0), family=socket.AF_INET6 if first.version == 6 else socket.AF_INET)

    def accept() -> None:
        connection, _address = listener.accept()
        try:
            context.wrap_socket(connection, server_side=True).close()
        except (ssl.SSLError, OSError):
            pass  # the checker refuses the certificate

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    port = listener.getsockname()[1]
    result = checker.check(f"https://localhost:{port}/",
                           checker.Settings(timeout=2.0, allowed_hosts=("localhost",)))
    thread.join(timeout=5)
    listener.close()
    assert names == ["localhost"]
    assert (result.state, result.problem) == ("broken", "connection")
    assert "CERTIFICATE_VERIFY_FAILED" in (result.error or "")
