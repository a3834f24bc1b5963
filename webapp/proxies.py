"""Behind a reverse proxy: believe `X-Forwarded-*` only from the addresses in SPBE_TRUSTED_PROXIES.

werkzeug's ProxyFix trusts the headers of every request; here it is applied only when the
connection comes from a trusted proxy, so a client talking to the server directly cannot choose
its own address (and with it, its rate-limit bucket or the loopback-only checks). One proxy hop
is believed (nginx in front), which is the common deployment.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from werkzeug.middleware.proxy_fix import ProxyFix

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted(value: str) -> list[Network]:
    """`10.0.0.5, 192.168.0.0/24, ::1` → networks; ValueError naming the bad entry."""
    networks = []
    for part in (p.strip() for p in value.split(",")):
        if not part:
            continue
        try:
            networks.append(ipaddress.ip_network(part, strict=False))
        except ValueError:
            raise ValueError(f"SPBE_TRUSTED_PROXIES: {part!r} is not an IP address or network"
                             ) from None
    return networks


class TrustedProxyFix:
    """ProxyFix for requests whose peer is a trusted proxy; other requests pass unchanged."""

    def __init__(self, app: Any, trusted: list[Network]) -> None:
        self.app = app
        self.trusted = trusted
        self.fixed = ProxyFix(app, x_for=1, x_proto=1, x_host=1, x_port=1, x_prefix=1)

    def _from_proxy(self, addr: str | None) -> bool:
        try:
            ip = ipaddress.ip_address((addr or "").split("%")[0])
        except ValueError:
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
            ip = ip.ipv4_mapped
        return any(ip in net for net in self.trusted)

    def __call__(self, environ: dict, start_response: Any) -> Any:
        if self._from_proxy(environ.get("REMOTE_ADDR")):
            return self.fixed(environ, start_response)
        return self.app(environ, start_response)
