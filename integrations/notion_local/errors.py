"""The one error type the workspace raises; the app renders it as Notion's error object."""

from __future__ import annotations

NOT_SHARED = "Make sure the relevant pages and databases are shared with your integration."


class NotionError(Exception):
    """An API error with Notion's status, code and message."""

    def __init__(self, status: int, code: str, message: str, additional_data=None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.additional_data = additional_data
        self.headers: dict[str, str] = {}

    def with_headers(self, headers: dict[str, str]) -> NotionError:
        """Attach response headers (e.g. Retry-After) and return self."""
        self.headers.update(headers)
        return self

    def body(self, request_id: str) -> dict:
        """Notion's error object."""
        out = {
            "object": "error",
            "status": self.status,
            "code": self.code,
            "message": self.message,
            "request_id": request_id,
        }
        if self.additional_data is not None:
            out["additional_data"] = self.additional_data
        return out


def invalid(message: str) -> NotionError:
    """400 validation_error."""
    return NotionError(400, "validation_error", message)


def not_found(kind: str, object_id: str) -> NotionError:
    """404 object_not_found in Notion's wording."""
    return NotionError(
        404, "object_not_found", f"Could not find {kind} with ID: {object_id}. {NOT_SHARED}"
    )


def too_long(path: str, limit: int, actual: int) -> NotionError:
    """A length limit breach in Notion's message form."""
    return invalid(
        f"body failed validation: {path}.length should be ≤ `{limit}`, instead was `{actual}`."
    )


def wrong_type(path: str, expected: str, value) -> NotionError:
    """A value of the wrong type in Notion's message form."""
    import json

    shown = json.dumps(value, ensure_ascii=False)
    if len(shown) > 60:
        shown = shown[:57] + "..."
    return invalid(f"body failed validation: {path} should be {expected}, instead was `{shown}`.")
