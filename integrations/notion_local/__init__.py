"""The embedded Notion-compatible workspace: a WSGI app over SQLite speaking Notion's REST API.

Design. `LocalWorkspace(path)` owns one SQLite file (WAL, one connection behind a lock, one
transaction per request). Objects are JSON blobs in Notion's response shapes keyed by id; pages
are indexed by data source, and queries load a data source's pages and filter, sort and
paginate in Python (fast enough for 5,000 rows). The app (`wsgi_app`) speaks API version
2025-09-03 under `/v1/`, is used in-process through `httpx.WSGITransport` by the official
`notion_client`, and is mounted at `/notion` by `spbe serve`. Every request is logged (method,
route with `{id}`, status, ms) in the same file so another process can read `read_stats(path)`.
Fault switches (rate limit, injected errors, outages) live in memory only.

Deliberate deviations from Notion:
- None about time: page, block, comment and upload times are cut to the minute as on Notion
  (databases keep milliseconds, as Notion's do); the clock is injectable (`clock=`).
- No formula, rollup, button or two-way (dual) relation properties; no views, markdown or page
  moves.
- Select/status options sent in a schema PATCH are merged into the existing ones, never removed.
- A property's stored values are dropped when its type changes (Notion converts them).
- People and relation values must be well-formed ids; they are not checked for existence.
- Only pages under pages and data sources appear in search; titles are matched by substring.
- Query filter and sort semantics where Notion is unspecified are listed in `filters.py`.
"""

from .errors import NotionError
from .storage import read_stats
from .workspace import LocalWorkspace

__all__ = ["LocalWorkspace", "NotionError", "read_stats"]
