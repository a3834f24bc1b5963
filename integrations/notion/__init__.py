"""The Notion boundary: the only package that imports `notion_client` (see docs/notion-boundary.md)."""

from . import blocks
from .client import Notion, RateLimiter
from .errors import (
    NotFound,
    NotionError,
    NotionRequestError,
    NotionUnavailable,
    SchemaError,
    ValidationFailed,
)
from .files import FileRef
from .repository import Repository, Row
from .schemas import SCHEMAS
from .workspace import Workspace

__all__ = [
    "blocks", "FileRef", "Notion", "RateLimiter", "NotFound", "NotionError", "NotionRequestError",
    "NotionUnavailable", "SchemaError", "ValidationFailed", "Repository", "Row", "SCHEMAS",
    "Workspace",
]
