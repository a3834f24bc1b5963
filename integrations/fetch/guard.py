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


def is_public(address: Address) -> bool:
    """False for private, loopback, link-local, multicast, reserved and unspecified addresses."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or (isinstance(address, ipaddress.IPv6Address) and address.is_site_local)
    )


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
