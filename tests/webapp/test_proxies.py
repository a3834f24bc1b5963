"""Behind nginx: X-Forwarded-* is believed from SPBE_TRUSTED_PROXIES only."""

import pytest
from flask import request, url_for

from webapp import create_app
from webapp.proxies import parse_trusted

FORWARDED = {"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https",
             "X-Forwarded-Host": "spbe.baliprov.go.id"}


def probe_client(settings, services, trusted):
    s = settings.model_copy(update={"spbe_trusted_proxies": trusted})
    services.settings = s
    app = create_app(s, services)

    @app.get("/_probe")
    def _probe():
        from flask_limiter.util import get_remote_address

        return {"addr": request.remote_addr, "limit_key": get_remote_address(),
                "url": url_for("_probe", _external=True)}

    return app.test_client()


def probe(client, peer):
    return client.get("/_probe", headers=FORWARDED, environ_base={"REMOTE_ADDR": peer}).get_json()


def test_headers_from_a_trusted_proxy_give_the_client_address_and_public_url(settings, services):
    client = probe_client(settings, services, "10.0.0.5, 192.168.1.0/24")
    for peer in ("10.0.0.5", "192.168.1.77"):
        got = probe(client, peer)
        assert got == {"addr": "203.0.113.7", "limit_key": "203.0.113.7",
                       "url": "https://spbe.baliprov.go.id/_probe"}


def test_headers_from_anyone_else_are_ignored(settings, services):
    client = probe_client(settings, services, "10.0.0.5")
    got = probe(client, "198.51.100.9")
    assert got == {"addr": "198.51.100.9", "limit_key": "198.51.100.9",
                   "url": "http://localhost/_probe"}


def test_no_trusted_proxies_by_default(settings, services):
    got = probe(probe_client(settings, services, ""), "127.0.0.1")
    assert got["addr"] == "127.0.0.1" and got["url"].startswith("http://localhost/")


def test_bad_proxy_setting_is_a_clear_error():
    assert [str(n) for n in parse_trusted("10.0.0.5, ::1,192.168.0.0/16")] == [
        "10.0.0.5/32", "::1/128", "192.168.0.0/16"]
    with pytest.raises(ValueError, match="'nginx' is not an IP address"):
        parse_trusted("10.0.0.5, nginx")


def test_serve_refuses_a_bad_proxy_setting_with_exit_2(settings):
    from click.testing import CliRunner

    from workflows.core_cli import serve

    bad = settings.model_copy(update={"spbe_trusted_proxies": "proxy.local"})
    result = CliRunner().invoke(serve, ["--port", "0"], obj=bad)
    assert result.exit_code == 2 and "SPBE_TRUSTED_PROXIES" in result.output
