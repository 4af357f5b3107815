"""Which addresses the link checker may connect to (server-side request forgery).

A host name is resolved once; every address it resolves to must be public,
and the checker then connects to that very address (no second lookup that
could answer differently).
"""
from __future__ import annotations

import ipaddress
import socket
from typing import Iterable, Union

IPAddress = Union[ipaddress.IPv4Address, ipaddress.IPv6Address]

# Cloud metadata services; both are inside ranges refused anyway, named here
# so the refusal says what they are.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address) for address in ("169.254.169.254", "fd00:ec2::254")
)


class UnsafeAddress(Exception):
    """The link points at an address the checker must not fetch; the message says why."""


class UnresolvableHost(Exception):
    """The host name does not resolve."""


def refusal(address: IPAddress) -> str:
    """Why ``address`` may not be fetched, or '' when it is a public address."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    for kind, refused in (
        ("a cloud metadata address", address in METADATA_ADDRESSES),
        ("a loopback address", address.is_loopback),
        ("an unspecified address", address.is_unspecified),
        ("a link-local address", address.is_link_local),
        ("a multicast address", address.is_multicast),
        ("a reserved address", address.is_reserved),
        ("a private address", address.is_private),
        # carrier-grade NAT, 6to4/Teredo relays, documentation ranges...
        ("not a public address", not address.is_global),
    ):
        if refused:
            return kind
    return ""


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address ``host`` resolves to (an IP literal resolves to itself)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as error:
        raise UnresolvableHost(f"the host name {host} does not resolve ({error})") from error
    addresses: list[IPAddress] = []
    for info in infos:
        # drop an IPv6 zone ("fe80::1%eth0"), the address alone decides
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


def safe_address(host: str, port: int, allowed_hosts: Iterable[str] = ()) -> IPAddress:
    """The address to connect to for ``host``, after checking all it resolves to.

    :raises UnsafeAddress: when any address is refused (a name with one
        private address among public ones is refused: DNS could hand out either)
    :raises UnresolvableHost: when the name does not resolve
    """
    addresses = resolve(host, port)
    if not addresses:
        raise UnresolvableHost(f"the host name {host} has no address")
    if host.lower() not in {allowed.lower() for allowed in allowed_hosts}:
        for address in addresses:
            reason = refusal(address)
            if reason:
                raise UnsafeAddress(f"refused: {host} is {reason} ({address})"
                                    if str(address) != host.strip("[]")
                                    else f"refused: {address} is {reason}")
    return addresses[0]
