"""Errors of the fetch boundary.

```
FetchError              anything that stops a fetch before a response is read
├── BadURL              not http(s), no host, unparsable
├── BlockedTarget       the host resolves to a private, loopback, link-local, multicast or
│                       reserved address (SSRF guard; `allow_private` lifts it)
└── FetchFailed         DNS failure, refused connection, timeout, TLS or protocol error
```

A response that is too large or of an unwanted content type is not an error: the result says so.
"""

from __future__ import annotations


class FetchError(Exception):
    """Anything that stops a fetch before a response is read."""


class BadURL(FetchError):
    """The URL is not an http(s) URL with a host."""


class BlockedTarget(FetchError):
    """The SSRF guard refused the target address."""


class FetchFailed(FetchError):
    """The network failed: DNS, connection, timeout, TLS or protocol."""
