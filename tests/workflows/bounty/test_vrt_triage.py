"""VRT lookup/search, endpoint normalisation, scope check and duplicate suggestions."""

from __future__ import annotations

from workflows.bounty.triage import (
    Candidate,
    host_in_scope,
    normalise_endpoint,
    suggest_duplicates,
)
from workflows.bounty.vrt import taxonomy


def test_vrt_priority_cwe_and_mapped_cvss():
    t = taxonomy()
    xss = t.get("cross_site_scripting_xss.stored.non_admin_to_anyone")
    assert (xss.priority, xss.cwe) == (2, ("CWE-79",))
    assert xss.cvss_v3.startswith("CVSS:3.1/AV:N/")
    sqli = t.get("server_side_injection.sql_injection")
    assert sqli.priority == 1 and "CWE-89" in sqli.cwe
    # A category has no priority of its own: the triager decides.
    assert t.get("cross_site_scripting_xss").priority is None
    # CWE is inherited from the nearest ancestor that has one.
    assert t.get("cross_site_scripting_xss.reflected.non_self").cwe == ("CWE-79",)
    assert t.get("no_such_class") is None
    assert len([c for c in t.classes.values() if c.leaf]) == 329


def test_renamed_ids_resolve_to_the_current_class():
    t = taxonomy()
    old = t.get("unvalidated_redirects_and_forwards.open_redirect.get_based_all_users")
    assert old.id == "unvalidated_redirects_and_forwards.open_redirect.get_based"


def test_search_as_you_type_matches_words_in_any_order_and_cwe():
    t = taxonomy()
    ids = [c.id for c in t.search("stored xss")]
    assert "cross_site_scripting_xss.stored.non_admin_to_anyone" in ids
    assert all(i.startswith("cross_site_scripting_xss.stored") for i in ids)
    assert [c.id for c in t.search("cwe 89")] == ["server_side_injection.sql_injection"]
    assert t.search("   ") == []
    assert len(t.search("a", limit=5)) == 5


def test_endpoint_normalisation_templates_ids_and_ignores_values():
    a = normalise_endpoint("https://WWW.Example.go.id:443/api/users/1234/?id=1&q=<script>")
    b = normalise_endpoint("example.go.id/api/users/98/?q=x&id=2")
    assert a == b
    assert a.host == "example.go.id" and a.path == "/api/users/{id}" and a.params == ("id", "q")
    assert normalise_endpoint("http://x.go.id:8080/a").host == "x.go.id:8080"
    assert normalise_endpoint("http://[::1").host == ""


def test_scope_check_exact_and_wildcard():
    scope = ["https://baliprov.go.id", "*.baliprov.go.id"]
    assert host_in_scope("baliprov.go.id", scope)
    assert host_in_scope("diskominfos.baliprov.go.id", scope)
    assert not host_in_scope("baliprov.go.id.evil.com", scope)
    assert not host_in_scope("example.com", scope)


def _cand(i, url, vrt, text, asset="a1"):
    return Candidate(i, asset, normalise_endpoint(url), vrt, text)


def test_near_identical_report_gets_a_duplicate_suggestion():
    original = _cand("r1", "https://ppid.baliprov.go.id/search?q=1",
                     "cross_site_scripting_xss.reflected.non_self",
                     "Reflected XSS in search parameter q. The q parameter is echoed without encoding.")
    other = _cand("r2", "https://ppid.baliprov.go.id/login",
                  "broken_authentication_and_session_management.weak_login_function",
                  "Login form sends the password over plain HTTP.")
    new = _cand("r3", "http://www.ppid.baliprov.go.id/search/?q=%3Cscript%3E",
                "cross_site_scripting_xss.reflected.non_self",
                "XSS reflected in the search parameter q: the q parameter is echoed without encoding")
    got = suggest_duplicates(new, [original, other])
    assert [s.id for s in got] == ["r1"]
    assert {"host", "path", "parameter", "vrt"} <= set(got[0].reasons)


def test_same_class_elsewhere_is_not_a_duplicate():
    a = _cand("r1", "https://a.baliprov.go.id/x?id=1", "server_side_injection.sql_injection",
              "SQL injection in id", asset="a1")
    b = _cand("r2", "https://b.baliprov.go.id/y?page=1", "server_side_injection.sql_injection",
              "Time based blind SQLi via page parameter on the news archive", asset="a2")
    assert suggest_duplicates(b, [a]) == []


def test_endpoint_scope_uses_asset_urls_and_scope_hosts():
    from workflows.bounty.submission import endpoint_in_scope

    assets = {"a1": {"url": "https://ppid.baliprov.go.id", "hosts": ""},
              "a2": {"url": "https://www.baliprov.go.id", "hosts": "*.baliprov.go.id, sso.bali.id"}}
    assert endpoint_in_scope("a1", "https://ppid.baliprov.go.id/x?q=1", assets)
    assert endpoint_in_scope("other", "https://anything.baliprov.go.id/", assets)
    assert endpoint_in_scope("other", "sso.bali.id/login", assets)
    assert not endpoint_in_scope("other", "https://baliprov.go.id.evil.example/", assets)
    assert endpoint_in_scope("a1", "", assets) and not endpoint_in_scope("other", "", assets)
