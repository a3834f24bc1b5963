"""The SSRF guard: http(s) URLs only, and only public addresses after DNS resolution.

The fetcher connects to the very address checked here (the URL's host is replaced by the IP, the
Host header and TLS SNI keep the name), so a second DNS answer cannot swap in an internal address
(DNS rebinding). Every redirect hop goes through the guard again.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from urllib.parse import urlsplit

from .errors import BadURL, BlockedTarget, FetchFailed

Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def parse_target(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL, or BadURL."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise BadURL(f"malformed URL {url!r}: {exc}") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise BadURL(f"only http(s) URLs can be fetched, not {url!r}")
    host = (parts.hostname or "").rstrip(".")
    if not host:
        raise BadURL(f"URL has no host: {url!r}")
    return scheme, host, port or (443 if scheme == "https" else 80)


_NAT64 = ipaddress.ip_network("64:ff9b::/96")


def embedded_ipv4(address: Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries: IPv4-mapped, 6to4, Teredo (server and client) or
    NAT64 (64:ff9b::/96). Each form reaches that IPv4 host, so each must pass the guard too."""
    if not isinstance(address, ipaddress.IPv6Address):
        return None
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_public(address: Address) -> bool:
    """True only for globally routable addresses (`is_global`: no private, loopback, link-local,
    shared 100.64.0.0/10, IETF 192.0.0.0/24, documentation, reserved or multicast space), and for
    IPv6 forms that embed an IPv4 address, only when that IPv4 address is global as well."""
    if address.is_multicast or not address.is_global:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.teredo:
        server, client = address.teredo
        return is_public(server) and is_public(client)
    inner = embedded_ipv4(address)
    return inner is None or is_public(inner)


def check_addresses(host: str, addresses: list[str], allow_private: bool) -> str:
    """The address to connect to; BlockedTarget if any answer is not public (unless allowed)."""
    if not addresses:
        raise FetchFailed(f"{host} did not resolve")
    parsed = [ipaddress.ip_address(a.split("%", 1)[0]) for a in addresses]
    if not allow_private:
        for address in parsed:
            if not is_public(address):
                raise BlockedTarget(f"{host} resolves to non-public address {address}")
    return str(parsed[0])


async def resolve(host: str, port: int) -> list[str]:
    """Addresses of `host` (an IP literal resolves to itself)."""
    try:
        return [str(ipaddress.ip_address(host))]
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise FetchFailed(f"cannot resolve {host}: {exc}") from None
    seen: list[str] = []
    for info in infos:
        address = str(info[4][0])
        if address not in seen:
            seen.append(address)
    return seen
