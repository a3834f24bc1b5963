"""The OPD site list: a CSV (`name,url,opd`) imported into the Sites database.

The CSV is the organisation's data (named by `sites` in its settings file, or given to
`spbe org import-sites FILE`); rows are upserted by URL, then by name, so a re-import is a no-op
and a site that moved keeps its findings. Nothing is deleted: a site missing from a new file keeps
its row (and its history) until someone archives it in Notion.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from integrations.fetch import BadURL, parse_target
from workflows.inputs import MAX_DATA_BYTES, InputTooLarge, read_capped

COLUMNS = ("name", "url", "opd")
MAX_SITES = 5000


class SitesError(ValueError):
    """The CSV cannot be imported (one line naming the file, row and problem)."""


def parse_sites(text: str, where: str = "sites CSV") -> list[dict[str, str]]:
    """Rows of a sites CSV; every URL must be http(s) with a host, and URLs must not repeat."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = [h.strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in ("name", "url") if c not in header]
    if missing:
        raise SitesError(f"{where}: header needs columns name,url[,opd] (missing {', '.join(missing)})")
    reader.fieldnames = header
    sites, seen = [], {}
    for line, row in enumerate(reader, start=2):
        name, url = (row.get("name") or "").strip(), (row.get("url") or "").strip()
        if not name and not url:
            continue
        if not name:
            raise SitesError(f"{where}: line {line}: empty name")
        try:
            _, host, _ = parse_target(url)
        except BadURL as exc:
            raise SitesError(f"{where}: line {line}: {exc}") from None
        key = url.rstrip("/").lower()
        if key in seen:
            raise SitesError(f"{where}: line {line}: {url} repeats line {seen[key]}")
        seen[key] = line
        sites.append({"name": name, "url": url, "opd": (row.get("opd") or "").strip()})
        if len(sites) > MAX_SITES:
            raise SitesError(f"{where}: more than {MAX_SITES} sites")
    if not sites:
        raise SitesError(f"{where}: no sites")
    return sites


def read_sites(path: Path) -> list[dict[str, str]]:
    """Parse a sites CSV file (UTF-8, at most 1 MiB)."""
    try:
        data = read_capped(path, MAX_DATA_BYTES)
    except InputTooLarge as exc:
        raise SitesError(str(exc)) from None
    except OSError as exc:
        raise SitesError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise SitesError(f"{path}: not UTF-8 text") from None
    return parse_sites(text, str(path))


def import_sites(ws: Any, sites: list[dict[str, str]]) -> dict[str, int]:
    """Upsert `sites` into the Sites database (idempotent); counts created/updated/total."""
    from workflows.judol.sync import seed_sites

    return seed_sites(ws, sites)


def import_org_sites(services: Any) -> dict[str, int]:
    """Import the CSV the organisation file names (`[org] sites`) into Sites."""
    path = services.org.sites_file
    if path is None:
        raise SitesError(f"{services.org.source}: [org] names no sites CSV "
                         "(use `spbe org import-sites FILE`)")
    return import_sites(services.workspace, read_sites(path))
