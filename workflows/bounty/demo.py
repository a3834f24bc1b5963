"""`spbe demo` step for the bug bounty: assets, researchers and reports in different states.

Reports go through the same path as the form (stored on our side, then copied to Notion), so
their status pages work; the demo keeps their status-page links in the store so that a second
run prints them again instead of adding more reports.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

from .program import course_token, publish_weekly, update_points, update_sla
from .sla import calendar_of
from .store import File, Store
from .sync import sync_report
from .vrt import taxonomy

# {name} and {domain} are the organisation's (`[org] name`, the host of `[org] website`).
ASSETS = [
    ("Portal {name}", "https://www.{domain}", True, "web", "*.{domain}"),
    ("PPID {short}", "https://ppid.{domain}", True, "web", ""),
    ("Satu Data {short}", "https://data.{domain}", True, "web", ""),
    ("API Layanan Perizinan", "https://api-perizinan.{domain}", True, "api", ""),
    ("Server arsip lama", "https://arsip-lama.{domain}", False, "web", ""),
]
PEOPLE = [
    ("Ayu Lestari", "ayu.demo@student.unud.ac.id", "Universitas Udayana", "2105551001", True),
    ("Budi Santoso", "budi.demo@stikom-bali.ac.id", "ITB STIKOM Bali", "190030001", False),
    ("Citra Dewi", "citra.demo@ui.ac.id", "Universitas Indonesia", "2006123456", True),
]
# (reporter, asset, vrt, title, endpoint, final status, duplicate of (index), days ago)
REPORTS = [
    (0, 1, "server_side_injection.sql_injection", "SQL injection pada parameter id dokumen PPID",
     "https://ppid.{domain}/dokumen?id=12", "Fixed", None, 9),
    (1, 1, "server_side_injection.sql_injection", "SQLi di halaman dokumen PPID (parameter id)",
     "https://ppid.{domain}/dokumen/?id=99", "Duplicate", 0, 8),
    (2, 2, "cross_site_scripting_xss.reflected.non_self", "Reflected XSS pada pencarian Satu Data",
     "https://data.{domain}/search?q=test", "Valid", None, 6),
    (1, 3, "broken_access_control.idor.read_sensitive_information_iterable_object_identifiers",
     "IDOR pada status permohonan izin", "https://api-perizinan.{domain}/v1/izin/1001",
     "Needs More Info", None, 4),
    (2, 0, "server_security_misconfiguration.clickjacking.non_sensitive_action",
     "Clickjacking di halaman beranda", "https://www.{domain}/", "Not Applicable", None, 3),
    (0, 2, "sensitive_data_exposure.disclosure_of_secrets.for_internal_asset",
     "Kunci API internal terlihat di berkas JavaScript", "https://data.{domain}/app.js",
     "Triaged", None, 1),
    (1, 0, "cross_site_scripting_xss.stored.non_admin_to_anyone",
     "Stored XSS pada kolom komentar berita", "https://www.{domain}/berita/123", "New", None, 0),
]
SCREENSHOT = bytes.fromhex(  # a 1x1 PNG
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63f8cfc0f01f0005000 1ff89993d1d"
    "0000000049454e44ae426082".replace(" ", ""))


def _localised(org: Any, rows: list[tuple]) -> list[tuple]:
    """Rows with {name}, {short} and {domain} of the organisation filled in."""
    host = urlsplit(org.org.website).hostname or "example.go.id"
    values = {"name": org.name, "short": org.short_name,
              "domain": host.removeprefix("www.")}
    return [tuple(v.format(**values) if isinstance(v, str) else v for v in row) for row in rows]


def run_demo(services: Any, base: str = "http://127.0.0.1:8000") -> list[str]:
    """Seed the program and print where to look."""
    ws = services.workspace
    store = Store(services.settings.home())
    now = services.now()
    asset_ids = []
    for name, url, scope, kind, hosts in _localised(services.org, ASSETS):
        asset_ids.append(ws.repo("assets").upsert({"Name": name, "URL": url, "In Scope": scope,
                                                   "Type": kind, "Scope Hosts": hosts}).id)
    links = store.get_value("demo-links")
    if links is None:
        links = _seed_reports(services, store, asset_ids, now)
        store.put("demo-links", links)
    update_points(ws)
    update_sla(ws, now, calendar_of(services.org))
    publish_weekly(ws, now, services.org.tz, services.org.pages.bounty)
    secret = store.secret(services.settings)
    lines = [f"bounty: {len(ASSETS)} assets, {len(PEOPLE)} researchers, {len(links)} reports "
             f"(statuses: {', '.join(sorted({r[5] for r in REPORTS}))})",
             f"  policy {base}/bounty/policy · form {base}/bounty/report · "
             f"leaderboard {base}/bounty/leaderboard",
             f"  lecturer view KJK-301: {base}/bounty/course/KJK-301/{course_token(secret, 'KJK-301')}"]
    lines += [f"  status page {rid} ({status}): {base}/bounty/r/{token}"
              for rid, status, token in links[:3]]
    return lines


def _seed_reports(services: Any, store: Store, asset_ids: list[str], now) -> list[list[str]]:
    ws = services.workspace
    repo = ws.repo("bug_reports")
    pages: list[str] = []
    links = []
    for who, asset, vrt, title, endpoint, status, dup, days in _localised(services.org, REPORTS):
        name, email, uni, nim, fame = PEOPLE[who]
        cls = taxonomy().get(vrt)
        if cls is None:
            raise ValueError(f"demo data names an unknown VRT class {vrt}")
        data = {
            "title": title, "asset": asset_ids[asset], "endpoint": endpoint, "vrt": cls.id,
            "cvss_vector": cls.cvss_v3 or "", "description": f"{title}. Ditemukan saat praktikum "
            "keamanan web; detail teknis ada di langkah reproduksi.",
            "steps": f"1. Buka {endpoint}\n2. Ubah parameter seperti pada tangkapan layar.",
            "impact": "Data atau sesi pengguna lain dapat diakses tanpa izin.",
            "name": name, "email": email, "university": uni, "student_id": nim,
            "course_code": "KJK-301" if who != 2 else "IF-201", "lecturer": "Dr. Made Sudarma",
            "consent": True, "hall_of_fame": fame, "cvss": None,
        }
        if cls.cvss_v3:
            from .cvss import score_vector

            data["cvss"] = score_vector(cls.cvss_v3).as_dict()
        report_id, token = store.create(data, [File("bukti.png", "image/png", SCREENSHOT)],
                                        now - timedelta(days=days))
        page = sync_report(services, store, report_id)
        pages.append(page)
        values: dict[str, Any] = {"Status": status}
        if dup is not None:
            values["Duplicate Of"] = [pages[dup]]
        if status != "New":
            values["Acknowledged"] = now - timedelta(days=days) + timedelta(hours=5)
        if status not in ("New", "Triaged"):
            values["Triaged"] = now - timedelta(days=days) + timedelta(hours=20)
        repo.update(page, values)
        store.set_status(report_id, status, notified=True)
        if status in ("Needs More Info", "Valid", "Fixed"):
            ws.comment(page, "[publik] Terima kasih. Mohon sertakan permintaan HTTP lengkap. / "
                             "Thank you. Please include the full HTTP request.")
        links.append([report_id, status, token])
    return links
