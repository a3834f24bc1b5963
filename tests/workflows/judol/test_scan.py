"""End to end on fake OPD sites served from 127.0.0.1: classification by `spbe scan`, the findings
lifecycle in the embedded workspace, the jobs, the button and the demo."""

import json
from datetime import datetime

import pytest
from click.testing import CliRunner

from workflows.cli import _register, cli
from workflows.jobs import Queue
from workflows.judol.fakesites import EXPECTED, KINDS, FakeSites
from workflows.judol.service import scan_and_record
from workflows.judol.sync import seed_sites, write_report

from ...conftest import BUTTON_SECRET

TECHNIQUES = {
    "ua-cloaking": {"cloaking-user-agent"},
    "referrer-cloaking": {"cloaking-referrer"},
    "sitemap-doorway": {"sitemap-injection", "injected-page"},
    "hidden-links": {"hidden-links", "gambling-links"},
}


@pytest.fixture
def sites():
    fake = FakeSites(pages=4)
    fake.start()
    yield fake
    fake.stop()


@pytest.fixture
def runner(monkeypatch, tmp_path):
    monkeypatch.setenv("SPBE_HOME", str(tmp_path / "cli-home"))
    monkeypatch.delenv("NOTION_TOKEN", raising=False)
    _register()
    return CliRunner()


@pytest.mark.parametrize("workers", ["0", "2"])  # parsed in-process, and in a process pool
def test_scan_classifies_all_six_kinds(runner, sites, workers):
    urls = list(sites.urls.values())
    result = runner.invoke(cli, ["scan", *urls, "--allow-private", "--workers", workers, "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [s["url"] for s in doc["sites"]] == urls
    for kind, site in zip(KINDS, doc["sites"], strict=True):
        assert site["verdict"] == EXPECTED[kind], (kind, site)
        found = {f["technique"] for f in site["findings"]}
        assert TECHNIQUES.get(kind, set()) <= found, (kind, found)
        for finding in site["findings"]:
            assert set(finding) == {"url", "technique", "evidence", "urls"}
            assert finding["url"] == finding["urls"][0]
        assert len(found) == len(site["findings"])  # one finding per site and technique
    doorway = doc["sites"][KINDS.index("sitemap-doorway")]
    assert any("google8f3a1c2b9d.html" in n for n in doorway["notes"])


def test_scan_refuses_loopback_without_allow_private(runner, sites):
    result = runner.invoke(cli, ["scan", sites.urls["clean"], "--json"])
    assert result.exit_code == 2
    assert "non-public address" in result.output and result.stdout == ""


def test_unreachable_site_is_an_error_entry(runner):
    result = runner.invoke(cli, ["scan", "http://127.0.0.1:9/", "--allow-private", "--json"])
    assert result.exit_code == 0
    (site,) = json.loads(result.stdout)["sites"]
    assert site["verdict"] == "error" and site["error"] and site["findings"] == []


def test_check_command(runner, tmp_path):
    page = tmp_path / "p.html"
    page.write_text("<title>Slot gacor maxwin link alternatif</title><p>Dinas</p>")
    ok = runner.invoke(cli, ["judol", "check", str(page), "--json"])
    assert ok.exit_code == 0 and json.loads(ok.stdout)["verdict"] == "infected"
    assert runner.invoke(cli, ["judol", "check", str(tmp_path / "missing.html")]).exit_code == 2
    assert runner.invoke(cli, ["judol", "check", str(page), "--url", "javascript:x"]).exit_code == 2


def _statuses(services, site_id):
    repo = services.workspace.repo("scan_findings")
    rows = repo.query(filter=repo.where("Site", "contains", site_id))
    return {r.get("Technique"): r.get("Status") for r in rows}


def test_findings_lifecycle_open_fixed_reopened(services, sites):
    url = sites.urls["hidden-links"]
    seed_sites(services.workspace, [{"name": "Dinas Pariwisata", "url": url, "opd": "Dispar"}])
    site = services.workspace.repo("sites").find(url, key="URL")

    _, report = scan_and_record(services, [url], allow_private=True, run="run-1")
    assert _statuses(services, site.id) == {"hidden-links": "Open", "gambling-links": "Open"}
    repo = services.workspace.repo("scan_findings")
    rows = repo.query(filter=repo.where("Site", "contains", site.id))
    assert len(rows) == 2  # one row per site and technique, whatever the number of pages
    for r in rows:
        assert r.get("URL Count") == len(r.get("URLs").splitlines()) >= 1
        assert r.get("URL") == r.get("URLs").splitlines()[0]
    assert (report.new, report.fixed, report.open) == (2, 0, 2)
    assert services.workspace.repo("sites").get(site.id).get("Verdict") == "infected"

    scan_and_record(services, [url], allow_private=True, run="run-1b")  # seen again: no change
    assert set(_statuses(services, site.id).values()) == {"Open"}

    sites.switch("hidden-links", "clean")
    _, report = scan_and_record(services, [url], allow_private=True, run="run-2")
    assert set(_statuses(services, site.id).values()) == {"Fixed"}
    assert (report.new, report.fixed, report.open) == (0, 2, 0)
    assert services.workspace.repo("sites").get(site.id).get("Verdict") == "clean"

    sites.switch("hidden-links", "hidden-links")
    _, report = scan_and_record(services, [url], allow_private=True, run="run-3")
    assert set(_statuses(services, site.id).values()) == {"Reopened"}
    assert report.reopened == 2 and report.open == 2
    assert len(_statuses(services, site.id)) == 2  # same rows, no duplicates

    page = services.workspace.list_children(report.page_id, deep=True)
    text = json.dumps(page, ensure_ascii=False)
    assert "Reopened" in text and "hidden-links" in text and "Dinas Pariwisata" in text


def test_unreachable_rescan_does_not_fix_findings(services, sites):
    url = sites.urls["hidden-links"]
    seed_sites(services.workspace, [{"name": "Dispar", "url": url, "opd": "Dispar"}])
    site = services.workspace.repo("sites").find(url, key="URL")
    scan_and_record(services, [url], allow_private=True, run="r1")
    sites.stop()
    scans, _ = scan_and_record(services, [url], allow_private=True, run="r2")
    assert scans[0].verdict == "error"
    assert set(_statuses(services, site.id).values()) == {"Open"}
    assert services.workspace.repo("sites").get(site.id).get("Verdict") == "error"


def test_scan_all_job_fans_out_one_job_per_site(services, sites):
    seed_sites(services.workspace, [{"name": k, "url": u, "opd": k} for k, u in sites.urls.items()])
    services.enqueue("judol.scan_all", allow_private=True)
    verdicts = {r.get("Name"): r.get("Verdict") for r in services.workspace.repo("sites").iter_all()}
    assert verdicts == {k: EXPECTED[k] for k in KINDS}
    report = write_report(services.workspace, services.now())
    assert report.open > 0


def test_daily_scan_is_registered_as_periodic(settings):
    queue = Queue(settings, lambda: None)
    assert ("judol.scan_all", {"minute": "0", "hour": "1"}) in queue.periodic_jobs()
    due = [t.name for t in queue.huey.read_periodic(datetime(2026, 11, 27, 1, 0))]
    assert "periodic.judol.scan_all" in due
    later = [t.name for t in queue.huey.read_periodic(datetime(2026, 11, 27, 2, 0))]
    assert "periodic.judol.scan_all" not in later


def test_rescan_button_scans_the_site_behind_the_guard(client, services, sites):
    url = sites.urls["clean"]
    seed_sites(services.workspace, [{"name": "Dishub", "url": url, "opd": "Dishub"}])
    site = services.workspace.repo("sites").find(url, key="URL")
    resp = client.post(
        "/webhooks/button/rescan-site",
        headers={"X-SPBE-Secret": BUTTON_SECRET},
        json={"source": {"type": "automation"}, "data": {"object": "page", "id": site.id}},
    )
    assert resp.status_code == 202
    row = services.workspace.repo("sites").get(site.id)
    # The button job runs with the SSRF guard on: a loopback "site" is refused, recorded as error.
    assert row.get("Verdict") == "error" and row.get("Last Scan") is not None


def test_demo_classifies_every_fake_site(services):
    from workflows.judol.demo import run_demo

    lines = run_demo(services)
    assert "UNEXPECTED" not in "\n".join(lines)
    assert len([ln for ln in lines if "[ok]" in ln]) == 6

    def active():
        rows = services.workspace.repo("scan_findings").iter_all()
        return sum(1 for r in rows if r.get("Status") in ("Open", "Reopened"))

    first = active()
    run_demo(services)  # new ports: the previous run's rows are archived, not left open
    assert active() == first > 0


def test_progress_reports_pages_and_finished_sites():
    from workflows.judol.crawler import run_scan

    seen = []
    with FakeSites(kinds=("clean", "hidden-links"), pages=3) as urls:
        scans = run_scan(
            list(urls.values()),
            allow_private=True,
            progress=lambda s: seen.append((s.sites, s.sites_done, s.pages)),
        )
    assert seen[-1] == (2, 2, sum(s.pages for s in scans))
    assert [done for _, done, _ in seen] == sorted(done for _, done, _ in seen)
