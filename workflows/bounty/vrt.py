"""Bugcrowd's Vulnerability Rating Taxonomy (v1.14.1, Apache-2.0, data/vrt/): classes, priority,
CWE and the mapped CVSS 3 vector, and a search for the report form's picker.

A class is addressed by its dotted id (`cross_site_scripting_xss.stored.non_admin_to_anyone`).
Every node can be picked (a reporter may not know the variant); its priority is its own, and a
node without one ("varies", or a category) has none: the triager decides. CWE and CVSS mappings
inherit from the nearest ancestor, as the VRT's mapping files specify. Renamed ids resolve through
`deprecated-node-mapping.json`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "vrt"
PRIORITY_LABEL = {1: "P1 Critical", 2: "P2 High", 3: "P3 Medium", 4: "P4 Low", 5: "P5 Informational"}


@dataclass(frozen=True)
class VrtClass:
    """One node of the taxonomy."""

    id: str
    name: str  # "Category > Subcategory > Variant"
    priority: int | None
    cwe: tuple[str, ...]
    cvss_v3: str | None  # with the CVSS:3.1/ prefix the mapping files lack
    leaf: bool

    @property
    def label(self) -> str:
        p = f"P{self.priority}" if self.priority else "P?"
        return f"{self.name} ({p})"


class Taxonomy:
    """Lookup and search over the VRT."""

    def __init__(self, classes: dict[str, VrtClass], renamed: dict[str, str], release: str) -> None:
        self.classes = classes
        self.renamed = renamed
        self.release = release
        self._haystack = {cid: _fold(f"{c.name} {cid.replace('_', ' ')} {' '.join(c.cwe)}")
                          for cid, c in classes.items()}

    def get(self, class_id: str) -> VrtClass | None:
        """The class for `class_id` (renamed ids followed), or None."""
        cid = (class_id or "").strip()
        if cid in self.classes:
            return self.classes[cid]
        return self.classes.get(self.renamed.get(cid, ""))

    def search(self, query: str, limit: int = 20) -> list[VrtClass]:
        """Classes whose name, id or CWE contain every word of `query`; leaves first."""
        words = _fold(query).split()
        if not words:
            return []
        hits = [c for cid, c in self.classes.items()
                if all(w in self._haystack[cid] for w in words)]
        hits.sort(key=lambda c: (not c.leaf, c.priority or 9, c.name))
        return hits[:limit]


def _fold(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", " ", text.lower())


def _walk_mapping(nodes: list[dict], key: str, prefix: str, inherited, out: dict) -> None:
    for node in nodes:
        cid = f"{prefix}.{node['id']}" if prefix else node["id"]
        value = node.get(key, inherited)
        out[cid] = value
        _walk_mapping(node.get("children", []), key, cid, value, out)


def _load_json(*parts: str) -> dict:
    return json.loads(DATA.joinpath(*parts).read_text(encoding="utf-8"))


@cache
def taxonomy() -> Taxonomy:
    """The packaged taxonomy (loaded once)."""
    vrt = _load_json("vulnerability-rating-taxonomy.json")
    cwe_doc = _load_json("mappings", "cwe", "cwe.json")
    cvss_doc = _load_json("mappings", "cvss_v3", "cvss_v3.json")
    cwe: dict[str, list[str] | None] = {}
    cvss: dict[str, str | None] = {}
    _walk_mapping(cwe_doc["content"], "cwe", "", cwe_doc["metadata"].get("default"), cwe)
    _walk_mapping(cvss_doc["content"], "cvss_v3", "", cvss_doc["metadata"].get("default"), cvss)
    classes: dict[str, VrtClass] = {}

    def walk(nodes: list[dict], prefix: str, names: list[str], top_cwe, top_cvss) -> None:
        for node in nodes:
            cid = f"{prefix}.{node['id']}" if prefix else node["id"]
            path = [*names, node["name"]]
            node_cwe = cwe.get(cid, top_cwe)
            node_cvss = cvss.get(cid, top_cvss)
            children = node.get("children", [])
            classes[cid] = VrtClass(
                id=cid, name=" > ".join(path), priority=node.get("priority"),
                cwe=tuple(node_cwe or ()),
                cvss_v3=f"CVSS:3.1/{node_cvss}" if node_cvss else None, leaf=not children)
            walk(children, cid, path, node_cwe, node_cvss)

    walk(vrt["content"], "", [], cwe_doc["metadata"].get("default"),
         cvss_doc["metadata"].get("default"))
    renamed = {}
    for old, versions in _load_json("deprecated-node-mapping.json").items():
        newest = versions[max(versions, key=lambda v: tuple(int(x) for x in v.split(".")))]
        renamed[old] = newest
    return Taxonomy(classes, renamed, vrt["metadata"]["release_date"][:10])
