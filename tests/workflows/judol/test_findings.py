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


def obs(url="https://diskes.baliprov.go.id/", technique="hidden-links", where="div.x (inline)"):
    return observe(SITE, [Finding(url, technique, "slot gacor", where, 0.9)])[0]


def row(o: Observed, status="Open", last=date(2026, 11, 27), **extra):
    return {
        "id": f"page-{o.fingerprint[:6]}",
        "Fingerprint": o.fingerprint,
        "URL": o.url,
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


def test_fingerprint_ignores_rotating_evidence_but_not_place_or_technique():
    a = fingerprint(SITE, "u", "hidden-links", 'a[href] "SLOT88"')
    assert a == fingerprint(SITE + "/", "u", "hidden-links", 'a[href] "ZEUS77"')
    assert a != fingerprint(SITE, "u", "gambling-links", 'a[href] "SLOT88"')
    assert a != fingerprint(SITE, "u2", "hidden-links", 'a[href] "SLOT88"')
    assert evidence_key("div.ft-partner (stylesheet .ft-partner: display:none)") == "div.ft-partner"


def test_observe_keeps_one_per_fingerprint():
    f1 = Finding("u", "meta-hijack", "a", "title", 0.5)
    f2 = Finding("u", "meta-hijack", "b", "title", 0.9)
    (only,) = observe(SITE, [f1, f2])
    assert only.evidence == "title: b"


def test_office_time():
    instant = datetime(2026, 11, 27, 16, 30, tzinfo=UTC)  # `now` comes in the organisation's zone
    assert office_day(instant.astimezone(ZoneInfo("Asia/Makassar"))) == date(2026, 11, 28)  # 00:30
    assert office_day(instant.astimezone(ZoneInfo("Asia/Jakarta"))) == date(2026, 11, 27)  # 23:30
    assert run_title(NOW.astimezone(ZoneInfo("Asia/Makassar"))) == "Scan judol 2026-11-27 10:00 WITA"
    assert run_title(NOW.astimezone(ZoneInfo("Asia/Jakarta"))) == "Scan judol 2026-11-27 09:00 WIB"
