"""The checker never fetches loopback, private, link-local or metadata
addresses: refused after resolving the name and at every redirect, without
a connection being made."""
from __future__ import annotations

import ipaddress
import time

import pytest

from ckanext.odconf.links import checker, safety

from .conftest import LinkServer

CLOSED = checker.Settings(timeout=5.0)
TEST_OPTION_ON = checker.Settings(timeout=5.0, allowed_hosts=("127.0.0.1",))


@pytest.mark.parametrize("address, kind", [
    ("127.0.0.1", "a loopback address"),
    ("::1", "a loopback address"),
    ("::ffff:127.0.0.1", "a loopback address"),
    ("10.0.0.1", "a private address"),
    ("172.16.5.4", "a private address"),
    ("192.168.1.1", "a private address"),
    ("fd12:3456::1", "a private address"),
    ("169.254.169.254", "a cloud metadata address"),
    ("fd00:ec2::254", "a cloud metadata address"),
    ("::ffff:169.254.169.254", "a cloud metadata address"),
    ("169.254.10.1", "a link-local address"),
    ("fe80::1", "a link-local address"),
    ("224.0.0.1", "a multicast address"),
    ("ff02::1", "a multicast address"),
    ("0.0.0.0", "an unspecified address"),
    ("::", "an unspecified address"),
    ("240.0.0.1", "a reserved address"),
    ("100.64.0.1", "not a public address"),
])
def test_addresses_that_are_not_public_are_refused(address: str, kind: str) -> None:
    assert safety.refusal(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize("address", ["93.184.215.14", "2606:2800:21f:cb07:6820:80da:af6b:8b2c",
                                     "::ffff:8.8.8.8"])
def test_public_addresses_pass(address: str) -> None:
    assert safety.refusal(ipaddress.ip_address(address)) == ""


@pytest.mark.parametrize("host, reason", [
    ("127.0.0.1", "127.0.0.1 is a loopback address"),
    ("localhost", "localhost is a loopback address"),
    ("[::1]", "::1 is a loopback address"),
    ("[::ffff:127.0.0.1]", "a loopback address"),
])
def test_loopback_is_refused_without_a_connection(
        link_server: LinkServer, host: str, reason: str) -> None:
    port = link_server.server_address[1]
    result = checker.check(f"http://{host}:{port}/ok", CLOSED)
    assert (result.state, result.problem) == ("broken", "unsafe")
    assert reason in result.error
    assert link_server.count() == 0
    # the control: with the test option the same server is fetched
    assert checker.check(link_server.url("/ok"), TEST_OPTION_ON).state == "works"
    assert link_server.count() == 1


@pytest.mark.parametrize("url, reason", [
    ("http://10.0.0.1/", "10.0.0.1 is a private address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a cloud metadata address"),
    ("http://[fd00:ec2::254]/latest/meta-data/", "fd00:ec2::254 is a cloud metadata address"),
])
def test_private_and_metadata_addresses_are_refused_at_once(url: str, reason: str) -> None:
    started = time.monotonic()
    result = checker.check(url, CLOSED)
    assert (result.state, result.problem) == ("broken", "unsafe")
    assert reason in result.error
    # a connection attempt to an unrouted address would wait for the 5 s timeout
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize("target, reason", [
    ("http://localhost:{port}/ok", "localhost is a loopback address"),
    ("http://[::1]:{port}/ok", "::1 is a loopback address"),
    ("http://10.0.0.1/", "10.0.0.1 is a private address"),
    ("http://169.254.169.254/latest/meta-data/", "a cloud metadata address"),
])
def test_a_redirect_to_a_forbidden_address_is_refused_at_the_redirect(
        link_server: LinkServer, target: str, reason: str) -> None:
    target = target.format(port=link_server.server_address[1])
    started = time.monotonic()
    result = checker.check(link_server.url(f"/redirect?to={target}"), TEST_OPTION_ON)
    assert (result.state, result.problem) == ("broken", "unsafe")
    assert reason in result.error
    assert time.monotonic() - started < 0.5
    # the allowed host was asked once (HEAD); the forbidden target never
    assert link_server.count() == 1 and link_server.count("/ok") == 0


def test_a_name_with_any_forbidden_address_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    # DNS may hand out either address of a name: one private address is enough to refuse
    monkeypatch.setattr(safety, "resolve", lambda host, port: [
        ipaddress.ip_address("93.184.215.14"), ipaddress.ip_address("10.1.2.3")])
    with pytest.raises(safety.UnsafeAddress, match="10.1.2.3"):
        safety.safe_address("mixed.example", 80)
