"""Errors raised at the Notion boundary.

```
NotionError                  anything that went wrong at the boundary
├── NotionRequestError       Notion answered with an error object (code, status, message)
│   ├── NotFound             object_not_found
│   └── ValidationFailed     validation_error / invalid_request / invalid_json
├── NotionUnavailable        retries exhausted (429 / 5xx / 409 / timeouts / connection)
└── SchemaError              a database is missing or its schema does not match
```
"""

from __future__ import annotations


class NotionError(Exception):
    """Anything that went wrong at the Notion boundary."""


class NotionRequestError(NotionError):
    """Notion answered with an error object."""

    def __init__(self, code: str, status: int, message: str) -> None:
        super().__init__(f"{code} ({status}): {message}")
        self.code = code
        self.status = status
        self.message = message


class NotFound(NotionRequestError):
    """object_not_found: missing, trashed for good, or not shared with the integration."""


class ValidationFailed(NotionRequestError):
    """validation_error and friends: the request itself is wrong."""


class NotionUnavailable(NotionError):
    """Notion kept failing (rate limits, 5xx, conflicts, timeouts) until retries ran out."""


class SchemaError(NotionError):
    """A database is missing or its schema does not match the declaration."""
