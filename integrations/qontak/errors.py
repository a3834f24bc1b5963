"""The Qontak adapter's errors (one family):

    QontakError            the adapter is off, or Qontak answered with an error status
    ├── auth.TokenRefused  the token endpoint refused a grant (wrong credentials, dead refresh token)
    └── QontakUnavailable  network failure, timeout, 429 or 5xx: worth retrying later
"""

from __future__ import annotations


class QontakError(Exception):
    """Qontak refused the call, or the adapter is not configured."""


class QontakUnavailable(QontakError, ConnectionError):
    """Qontak could not be reached or asked us to slow down: retry later (a ConnectionError, so
    the job queue retries it with back-off like any network failure)."""
