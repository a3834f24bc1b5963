"""Shared data for the bug-bounty web tests."""

from __future__ import annotations

import re

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + b"\x00" * 64
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
XSS = "<script>alert(1)</script>"


def csrf(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def form(asset_id: str, **over) -> dict:
    data = {
        "title": "Reflected XSS di pencarian PPID",
        "asset": asset_id,
        "endpoint": "https://ppid.baliprov.go.id/search?q=test",
        "vrt": "cross_site_scripting_xss.reflected.non_self",
        "cvss_vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N",
        "description": "The q parameter of the search page is reflected into the HTML without "
                       "encoding, so a crafted link runs script in the visitor's browser.",
        "steps": "1. Open /search?q=<script>alert(1)</script>\n2. The alert box appears.",
        "impact": "An attacker can steal sessions of visitors who follow a link.",
        "name": "Ayu Lestari",
        "email": "ayu@student.unud.ac.id",
        "university": "Universitas Udayana",
        "student_id": "2105551001",
        "course_code": "KJK-301",
        "lecturer": "Dr. Made",
        "consent": "y",
    }
    data.update(over)
    return {k: v for k, v in data.items() if v is not None}


def seed_assets(ws) -> dict[str, str]:
    repo = ws.repo("assets")
    ppid = repo.create({"Name": "PPID Provinsi Bali", "URL": "https://ppid.baliprov.go.id",
                        "In Scope": True, "Type": "web"}).id
    out = repo.create({"Name": "Server lama", "URL": "https://old.baliprov.go.id",
                       "In Scope": False, "Type": "web"}).id
    return {"ppid": ppid, "out": out}
