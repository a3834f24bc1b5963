"""No office, place, time zone or office host is written in the package code: they come from the
organisation settings (SPBE_ORG). Data files (`data/`, `demo_data/`, `*.toml`, `*.csv`, `*.json`)
and the demo generators (`demo.py`, `demo_data.py`, `fakesites.py`) may name the demo offices."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("integrations", "workflows", "webapp", "templates")
DEMO_FILES = {"demo.py", "demo_data.py", "fakesites.py"}
FORBIDDEN = re.compile(
    r"Bali|WITA|\bWIB\b|\bWIT\b|Makassar|Jakarta|Jayapura|Pontianak|Asia/|Pemerintah Provinsi|"
    r"Pemprov|Pemkab|Pemkot|Diskominfo|baliprov|\.go\.id/|timedelta\(hours=[789]\)|UTC\+[789]|"
    r"Sukamaju|sukamajukab")
# Generic examples of the .go.id suffix in docstrings are not an office ("ppid.example.go.id").
ALLOWED = re.compile(r"example\.go\.id")


def _code_files():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*")):
            if path.suffix not in (".py", ".html", ".txt", ".js", ".css") or not path.is_file():
                continue
            parts = set(path.relative_to(ROOT).parts)
            if parts & {"data", "demo_data", "spec", "__pycache__"} or path.name in DEMO_FILES:
                continue
            yield path


def test_package_code_names_no_office_zone_or_host():
    found = []
    for path in _code_files():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if FORBIDDEN.search(ALLOWED.sub("", line)):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert found == []


def test_the_check_sees_the_code():
    files = {p.relative_to(ROOT).as_posix() for p in _code_files()}
    assert {"templates/base.html", "workflows/progress/sync.py", "workflows/judol/findings.py",
            "webapp/progress.py"} <= files
    assert FORBIDDEN.search('OFFICE_TZ = timezone(timedelta(hours=8), "WITA")')
