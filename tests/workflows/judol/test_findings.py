"""The findings lifecycle plan (pure): Open, seen again, Fixed, Reopened; fingerprints."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from workflows.judol.findings import (
    Observed,
    evidence_key,
    fingerprint,
    observe,
    office_day,
    plan_findings,
    run_title,
)
from workflows.judol.pages import Finding

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # 10:00 WITA
LATER = datetime(2026, 11, 28, 2, 0, tzinfo=UTC)
SITE = "https://diskes.baliprov.go.id"


def obs(url="https://diskes.baliprov.go.id/", technique="hidden-links", where="div.x (inline)"):  # noqa: D103
    return observe(SITE, [Finding(url, technique, "slot gacor", where, 0.9)])[0]


def row(o: Observed, status="Open", last=date(2026, 11, 27), **extra):
    return {
        "id": f"page-{o.fingerprint[:6]}",
        "Title": o.title,
        "Fingerprint": o.fingerprint,
        "URL": o.url,
        "URLs": "\n".join(o.urls),
        "URL Count": len(o.urls),
        "Technique": o.technique,
        "Status": status,
        "Last Seen": last,
        "Evidence": o.evidence,
        **extra,
    }


def test_new_finding_is_created_open():
    o = obs()
    plan = plan_findings([], [o], {o.url}, NOW, "site-1", "run-1")
    assert plan.counts == {"new": 1, "fixed": 0, "reopened": 0}
    created = plan.creates[0]
    assert created["Status"] == "Open" and created["Site"] == ["site-1"]
    assert created["First Seen"] == created["Last Seen"] == date(2026, 11, 27)
    assert created["Fingerprint"] == o.fingerprint and created["Run"] == "run-1"


def test_seen_again_same_day_writes_nothing_and_next_day_moves_last_seen():
    o = obs()
    assert plan_findings([row(o)], [o], {o.url}, NOW, "s", "r").updates == {}
    plan = plan_findings([row(o, status="Notified")], [o], {o.url}, LATER, "s", "r")
    assert plan.updates == {row(o)["id"]: {"Last Seen": date(2026, 11, 28)}}


def test_not_observed_on_a_checked_url_is_fixed():
    o = obs()
    plan = plan_findings([row(o)], [], {o.url}, LATER, "s", "run-2")
    assert plan.updates == {row(o)["id"]: {"Status": "Fixed", "Run": "run-2"}}
    assert plan.counts["fixed"] == 1


def test_not_observed_on_an_unchecked_url_stays_open():
    o = obs(url="https://diskes.baliprov.go.id/deep/page/")
    assert plan_findings([row(o)], [], {"https://diskes.baliprov.go.id/"}, LATER, "s", "r").updates == {}


def test_sitemap_findings_are_fixed_by_any_complete_scan():
    o = obs(
        url="https://diskes.baliprov.go.id/gacor/",
        technique="sitemap-injection",
        where="sitemap https://diskes.baliprov.go.id/sitemap.xml",
    )
    plan = plan_findings([row(o)], [], set(), LATER, "s", "r")
    assert plan.updates[row(o)["id"]]["Status"] == "Fixed"


def test_fixed_and_seen_again_is_reopened():
    o = obs()
    plan = plan_findings([row(o, status="Fixed")], [o], {o.url}, LATER, "s", "run-3")
    assert plan.updates[row(o)["id"]]["Status"] == "Reopened"
    assert plan.counts == {"new": 0, "fixed": 0, "reopened": 1}


def test_fixed_rows_not_seen_stay_fixed():
    o = obs()
    assert plan_findings([row(o, status="Fixed")], [], {o.url}, LATER, "s", "r").updates == {}


def test_fingerprint_is_site_and_technique():
    a = fingerprint(SITE, "hidden-links")
    assert a == fingerprint(SITE + "/", "hidden-links")
    assert a != fingerprint(SITE, "gambling-links")
    assert a != fingerprint("https://dinkes.baliprov.go.id", "hidden-links")
    assert evidence_key("div.ft-partner (stylesheet .ft-partner: display:none)") == "div.ft-partner"


def test_observe_keeps_one_per_technique_with_every_url():
    found = [
        Finding(f"{SITE}/p/{i}/", "cloaking-referrer", "302 → https://zeus138.site/", "Google visitor", 0.9)
        for i in range(12)
    ] + [
        Finding(f"{SITE}/", "meta-hijack", "a", "title", 0.5),
        Finding(f"{SITE}/", "meta-hijack", "b", "title", 0.9),
    ]
    cloak, hijack = observe(SITE, found)
    assert cloak.technique == "cloaking-referrer" and len(cloak.urls) == 12 and cloak.url == f"{SITE}/p/0/"
    assert cloak.title == "cloaking-referrer · diskes.baliprov.go.id (12 URL)"
    assert hijack.evidence.endswith("title: b")
    plan = plan_findings([], [cloak, hijack], set(cloak.urls), NOW, "site-1", "run-1")
    assert len(plan.creates) == 2  # a dozen cloaked URLs are one row
    assert plan.creates[0]["URL Count"] == 12 and plan.creates[0]["URLs"].count("\n") == 11


def test_fixed_only_when_no_url_shows_it_any_more():
    urls = [f"{SITE}/a/", f"{SITE}/b/", f"{SITE}/c/"]
    before = observe(SITE, [Finding(u, "hidden-links", "x", "div.x", 0.9) for u in urls])[0]
    now = observe(SITE, [Finding(urls[0], "hidden-links", "x", "div.x", 0.9)])[0]
    # b was fetched and is clean now, c was not fetched this time: the row stays, with a and c
    plan = plan_findings([row(before)], [now], {urls[0], urls[1]}, LATER, "s", "r")
    change = plan.updates[row(before)["id"]]
    assert change["URLs"] == f"{urls[0]}\n{urls[2]}" and change["URL Count"] == 2
    assert "Status" not in change
    # none observed, c still unchecked: open with c only; then c fetched and clean: Fixed
    left = plan_findings([row(before)], [], {urls[0], urls[1]}, LATER, "s", "r").updates[row(before)["id"]]
    assert left == {"URL": urls[2], "URLs": urls[2], "URL Count": 1}
    assert plan_findings([row(before)], [], set(urls), LATER, "s", "r2").updates[row(before)["id"]] == {
        "Status": "Fixed",
        "Run": "r2",
    }


def test_office_time():
    instant = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)  # `now` comes in the organisation's zone
    assert office_day(instant.astimezone(ZoneInfo("Asia/Makassar"))) == date(2026, 11, 28)  # 00:30
    assert office_day(instant.astimezone(ZoneInfo("Asia/Jakarta"))) == date(2026, 11, 27)  # 23:30
    assert run_title(NOW.astimezone(ZoneInfo("Asia/Makassar"))) == "Scan judol 2026-11-27 10:00 WITA"
    assert run_title(NOW.astimezone(ZoneInfo("Asia/Jakarta"))) == "Scan judol 2026-11-27 09:00 WIB"
