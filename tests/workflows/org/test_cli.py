"""`spbe init --org`, `spbe org import-sites|show`, and `spbe demo --no-serve` for both demo
organisations, each end to end in its own SPBE_HOME."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from integrations.notion import Workspace
from workflows.core_cli import init
from workflows.judol.cli import judol
from workflows.org.cli import org
from workflows.settings import Settings

from .conftest import BALI, SUKAMAJU, write

COMMANDS = {"init": init, "org": org, "judol": judol}


def spbe(settings: Settings, command: str, *argv: str):
    """`spbe COMMAND ARGV...` with these settings (the top-level group would read the environment)."""
    return CliRunner().invoke(COMMANDS[command], list(argv), obj=settings, catch_exceptions=False)


def test_init_org_sets_up_a_new_organisation_in_one_step_and_is_idempotent(settings):
    home_settings = settings.model_copy(update={"spbe_org": None})
    first = spbe(home_settings, "init", "--org", str(SUKAMAJU))
    assert first.exit_code == 0, first.output
    assert "organisation: Pemerintah Kabupaten Sukamaju (Asia/Jakarta)" in first.output
    assert "created" in first.output and "Sites: 9 created, 0 updated, 9 in sites.csv" in first.output
    home = settings.spbe_home
    assert (home / "org.toml").read_bytes() == SUKAMAJU.read_bytes()
    assert (home / "sites.csv").exists()
    assert (home / "logo.png").read_bytes() == (SUKAMAJU.parent / "logo.png").read_bytes()
    again = spbe(home_settings, "init", "--org", str(SUKAMAJU))
    actions = [line.split()[0] for line in again.output.splitlines()[1:-1]]
    assert again.exit_code == 0 and len(actions) == 13 and set(actions) == {"ok"}
    assert "Sites: 0 created, 0 updated" in again.output
    shown = spbe(home_settings, "org", "show", "--json", "--year", "2025")  # no SPBE_ORG now
    doc = json.loads(shown.output)
    assert doc["short_name"] == "Pemkab Sukamaju" and doc["timezone_label"] == "WIB"
    assert doc["holidays"]["2025-10-10"].startswith("Hari Jadi")
    assert doc["schedules"]["judol.scan_all"]["utc_crontab"] == [
        {"minute": "30", "hour": "0", "day_of_week": "1,2,3,4,5"}]
    urls = {r.get("URL") for r in Workspace.open(home_settings).repo("sites").iter_all()}
    assert "https://dinkes.sukamajukab.example/" in urls and len(urls) == 9


def test_init_org_upgrades_a_schema_missing_a_column(settings):
    s = settings.model_copy(update={"spbe_org": None})
    assert spbe(s, "init", "--org", str(SUKAMAJU)).exit_code == 0
    ws = Workspace.open(s)
    sites = ws.repo("sites")
    ws.notion.call("data_sources.update", data_source_id=sites.data_source_id,
                   properties={"Verdict": None})  # someone deleted a column in Notion
    again = spbe(s, "init", "--org", str(SUKAMAJU))
    assert again.exit_code == 0 and "upgraded  sites\n" in again.output
    props = ws.notion.call("data_sources.retrieve", data_source_id=sites.data_source_id)["properties"]
    assert "Verdict" in props


def test_init_org_switching_organisation_says_so(settings):
    s = settings.model_copy(update={"spbe_org": None})
    assert spbe(s, "init", "--org", str(SUKAMAJU)).exit_code == 0
    switched = spbe(s, "init", "--org", str(BALI))
    assert switched.exit_code == 0 and "replacing Pemerintah Kabupaten Sukamaju" in switched.output


def test_init_org_refuses_a_bad_file_and_writes_nothing(settings, tmp_path):
    bad = write(tmp_path / "org.toml", '[org]\nname = "Pemkot X"\nshort_name = "Pemkot X"\n'
                                        'timezone = "Asia/Atlantis"\n')
    result = spbe(settings, "init", "--org", str(bad))
    assert result.exit_code == 2 and "org.timezone" in result.output
    assert len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    assert not (settings.spbe_home / "org.toml").exists()
    broken_csv = write(tmp_path / "x.toml", '[org]\nname = "Pemkot X"\nshort_name = "Pemkot X"\n'
                                            'timezone = "Asia/Jakarta"\nsites = "s.csv"\n')
    write(tmp_path / "s.csv", "name,url\nPortal,ftp://x.example/\n")
    result = spbe(settings, "init", "--org", str(broken_csv))
    assert result.exit_code == 2 and "line 2" in result.output and "http(s)" in result.output
    assert not (settings.spbe_home / "org.toml").exists()
    (tmp_path / "s.csv").unlink()
    result = spbe(settings, "init", "--org", str(broken_csv))
    assert result.exit_code == 2 and "cannot read" in result.output and "s.csv" in result.output
    svg = write(tmp_path / "y.toml", '[org]\nname = "Pemkot X"\nshort_name = "Pemkot X"\n'
                                     'timezone = "Asia/Jakarta"\n[branding]\nlogo = "l.svg"\n')
    write(tmp_path / "l.svg", "<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>")
    result = spbe(settings, "init", "--org", str(svg))
    assert result.exit_code == 2 and "branding.logo" in result.output and "not a PNG" in result.output
    assert not (settings.spbe_home / "org.toml").exists()


def test_import_sites_upserts_and_reports_bad_rows(settings, services, tmp_path):
    good = write(tmp_path / "opd.csv", "\ufeffName,URL,OPD\nDinas A,https://a.example/,Dinas A\n"
                                       "Dinas B,https://b.example/,Dinas B\n")
    first = spbe(settings, "org", "import-sites", str(good))
    assert first.exit_code == 0 and "Sites: 2 created, 0 updated, 2 in the file" in first.output
    moved = write(tmp_path / "moved.csv", "name,url,opd\nDinas A,https://a2.example/,Dinas A\n")
    assert "0 created, 1 updated" in spbe(settings, "org", "import-sites", str(moved)).output
    rows = {r.get("Name"): r.get("URL") for r in services.workspace.repo("sites").iter_all()}
    assert rows == {"Dinas A": "https://a2.example/", "Dinas B": "https://b.example/"}
    for text, message in (("name\nx\n", "missing url"),
                          ("name,url\nA,https://a.example/\nB,https://A.example\n", "repeats line 2"),
                          ("name,url\n,https://a.example/\n", "empty name"),
                          ("name,url\n", "no sites")):
        result = spbe(settings, "org", "import-sites", str(write(tmp_path / "bad.csv", text)))
        assert result.exit_code == 2 and message in result.output, (text, result.output)
    missing = spbe(settings, "org", "import-sites", str(tmp_path / "none.csv"))
    assert missing.exit_code == 2 and "cannot read" in missing.output


def test_judol_seed_sites_loads_the_organisations_csv(settings, services):
    result = spbe(settings, "judol", "seed-sites")
    assert result.exit_code == 0 and "29 in the seed list" in result.output
    suk = spbe(settings.model_copy(update={"spbe_org": SUKAMAJU}), "judol", "seed-sites")
    # Same workspace: the two rows whose names both lists share ("Dinas Kesehatan", ...) are
    # matched by name and moved, the others are new.
    assert "7 created, 2 updated, 9 in the seed list" in suk.output


def _demo(tmp_path, org_file) -> tuple[str, Settings]:
    home = tmp_path / org_file.parent.name
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOTION_", "REDIS_", "SPBE_"))}
    env.update(SPBE_HOME=str(home), SPBE_ORG=str(org_file))
    proc = subprocess.run([sys.executable, "-c", "from workflows.cli import main; main()", "demo",
                           "--no-serve"], env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout, Settings(_env_file=None, spbe_home=home, spbe_org=org_file)


@pytest.mark.parametrize("org_file, short, zone, host, sites", [
    (BALI, "Pemprov Bali", "WITA", "baliprov.go.id", 29),
    (SUKAMAJU, "Pemkab Sukamaju", "WIB", "sukamajukab.example", 9),
])
def test_demo_runs_for_both_organisations(tmp_path, org_file, short, zone, host, sites):
    out, settings = _demo(tmp_path, org_file)
    assert f"judol: {sites} {short} sites in Sites" in out
    assert "report page 'Scan judol " in out and f" {zone}': new " in out
    ws = Workspace.open(settings)
    urls = [r.get("URL", "") for r in ws.repo("sites").iter_all()]
    other = "sukamajukab.example" if org_file == BALI else "baliprov.go.id"
    assert sum(host in u for u in urls) >= 9 and not any(other in u for u in urls)
    units = {r.get("Unit") for r in ws.repo("positions").iter_all()}
    from workflows.org import read_org

    org = read_org(org_file)
    assert org.office in units
    assets = [r.get("URL") for r in ws.repo("assets").iter_all()]
    assert assets and all(host in url for url in assets)
    top = {b["child_page"]["title"] for b in ws.list_children(ws.parent_page_id)
           if b["type"] == "child_page"}
    pages = org.pages  # page titles come from the settings ([pages]; defaults for the default)
    assert {pages.progress, pages.judol_reports, pages.index_report.format(year=2024),
            pages.bounty, pages.careers} <= top
    assert f"report page '{pages.index_report.format(year=2024)}' written" in out
    assert f"Satu Data {org.demo.region} " in out  # the demo portfolio names the organisation


@pytest.mark.parametrize("argv", [["progress", "reconcile"], ["serve", "--port", "0"]])
def test_a_bad_organisation_file_is_one_line_and_exit_2_for_any_command(tmp_path, argv):
    bad = write(tmp_path / "bad.toml", '[org]\nname = "Pemkot X"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NOTION_", "REDIS_", "SPBE_"))}
    env.update(SPBE_HOME=str(tmp_path / "home"), SPBE_ORG=str(bad))
    proc = subprocess.run([sys.executable, "-c", "from workflows.cli import main; main()", *argv],
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 2
    assert proc.stderr.strip() == f"error: {bad}: org.short_name: Field required"
