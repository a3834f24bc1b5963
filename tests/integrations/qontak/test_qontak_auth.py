"""Qontak authentication against the fake Qontak over real HTTP: the OAuth password grant, its
renewal (before expiry, after a 401, password again when the refresh token is dead), one token
shared by threads and restarts, the hand-set token, and Mekari's HMAC signature. The clock is
injected: nothing sleeps."""

import logging
import stat
import threading
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from pydantic import SecretStr

from integrations.qontak.auth import (
    REFRESH_MARGIN,
    Credentials,
    OAuth,
    OAuthTokens,
    TokenStore,
    auth_from_settings,
    hmac_authorization,
    token_url,
)
from integrations.qontak.client import QontakClient, QontakError, QontakUnavailable

from .fake_qontak import CREDENTIALS, HMAC_SECRET, HMAC_USER, TOKEN, FakeQontak

T0 = datetime(2026, 3, 2, 2, 0, tzinfo=UTC)


class Clock:
    def __init__(self) -> None:
        self.now = T0

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def fake():
    with FakeQontak(expires_in=3600) as server:
        yield server


@pytest.fixture
def clock():
    return Clock()


@pytest.fixture
def http():
    with httpx.Client(timeout=10) as client:
        yield client


def tokens(fake, tmp_path, http, clock, **changes):
    credentials = Credentials(**{**CREDENTIALS, **changes})
    return OAuthTokens(token_url(fake.url), credentials, TokenStore(tmp_path / "qontak.sqlite3"), http, clock)


def client(fake, tokens_):
    return QontakClient(fake.url, OAuth(tokens_), tokens_.http)


def test_token_url_is_on_the_api_host():
    assert token_url("https://chat-service.qontak.com/api/open/v1") == "https://chat-service.qontak.com/oauth/token"


def test_password_grant_then_the_stored_token_is_reused_after_a_restart(fake, tmp_path, http, clock):
    client(fake, tokens(fake, tmp_path, http, clock)).send_text("room-1", "hello")
    assert fake.grants == ["password"]
    assert fake.calls == [("POST", "messages/whatsapp/bot",
                           {"room_id": "room-1", "type": "text", "text": "hello"})]
    clock.now += timedelta(minutes=30)
    client(fake, tokens(fake, tmp_path, http, clock)).tag_room("room-1", "x")  # a new process
    assert fake.grants == ["password"] and len(fake.calls) == 2


def test_token_file_is_private(fake, tmp_path, http, clock):
    tokens(fake, tmp_path, http, clock).access_token()
    assert stat.S_IMODE((tmp_path / "qontak.sqlite3").stat().st_mode) == 0o600


def test_renewed_with_the_refresh_token_before_it_expires(fake, tmp_path, http, clock):
    t = tokens(fake, tmp_path, http, clock)
    first = t.access_token()
    clock.now = T0 + timedelta(seconds=3600) - REFRESH_MARGIN - timedelta(seconds=1)
    assert t.access_token() == first and fake.grants == ["password"]
    clock.now += timedelta(seconds=1)
    second = t.access_token()
    assert second != first and fake.grants == ["password", "refresh_token"]
    client(fake, t).send_text("r", "x")
    assert len(fake.calls) == 1


def test_a_401_renews_once_and_the_call_goes_through(fake, tmp_path, http, clock):
    t = tokens(fake, tmp_path, http, clock)
    c = client(fake, t)
    c.send_text("r", "one")
    fake.revoke_all()  # still "fresh" by its lifetime, but Qontak no longer takes it
    c.send_text("r", "two")
    assert fake.grants == ["password", "refresh_token"]
    assert [call[2]["text"] for call in fake.calls] == ["one", "two"]


def test_a_refused_refresh_token_falls_back_to_the_password_grant(fake, tmp_path, http, clock):
    t = tokens(fake, tmp_path, http, clock)
    t.access_token()
    fake.refresh_tokens.clear()
    clock.now += timedelta(hours=2)
    client(fake, t).send_text("r", "x")
    assert fake.grants == ["password", "password"] and len(fake.calls) == 1


def test_still_401_after_renewal_is_an_error_not_a_loop(fake, tmp_path, http, clock):
    t = tokens(fake, tmp_path, http, clock)
    t.access_token()
    fake.revoke_all()
    fake.honour_issued = False  # every token Qontak issues from now on is refused
    with pytest.raises(QontakError, match="401"):
        client(fake, t).send_text("r", "x")
    assert fake.grants == ["password", "refresh_token"] and fake.calls == []


def test_wrong_credentials_are_a_clear_error_without_the_secret(fake, tmp_path, http, clock, caplog):
    caplog.set_level(logging.DEBUG)
    t = tokens(fake, tmp_path, http, clock, password="wrong-pa55")
    with pytest.raises(QontakError, match="refused the password grant: 400 invalid_grant") as info:
        client(fake, t).send_text("r", "x")
    assert not isinstance(info.value, QontakUnavailable)
    t = tokens(fake, tmp_path, http, clock, client_secret="wrong-secret")
    with pytest.raises(QontakError, match="401 invalid_client"):
        t.access_token()
    text = caplog.text + str(info.value)
    for secret in ("wrong-pa55", "wrong-secret", CREDENTIALS["password"], "access-", "refresh-"):
        assert secret not in text


def test_token_endpoint_down_is_retryable(fake, tmp_path, http, clock):
    fake.token_fail_next = [503]
    with pytest.raises(QontakUnavailable, match="503"):
        tokens(fake, tmp_path, http, clock).access_token()
    unreachable = OAuthTokens("http://127.0.0.1:9/oauth/token", Credentials(**CREDENTIALS),
                              TokenStore(tmp_path / "q2.sqlite3"), http, clock)
    with pytest.raises(QontakUnavailable, match="unreachable"):
        unreachable.access_token()
    fake.token_fail_next = [429]
    with pytest.raises(QontakUnavailable, match="429"):  # through the client: the job retries
        client(fake, tokens(fake, tmp_path, http, clock)).send_text("r", "x")
    assert fake.grants == [] and fake.calls == []


def test_a_short_lifetime_is_renewed_at_half_time_not_at_every_call(tmp_path, http, clock):
    with FakeQontak(expires_in=120) as fake:
        t = tokens(fake, tmp_path, http, clock)
        first = t.access_token()
        clock.now += timedelta(seconds=59)
        assert t.access_token() == first
        clock.now += timedelta(seconds=1)
        assert t.access_token() != first and fake.grants == ["password", "refresh_token"]


def test_a_working_session_logs_no_secret(fake, tmp_path, http, clock, caplog):
    caplog.set_level(logging.DEBUG)  # httpx and httpcore included
    t = tokens(fake, tmp_path, http, clock)
    c = client(fake, t)
    c.send_text("r", "one")
    fake.revoke_all()
    c.send_text("r", "two")
    assert fake.grants == ["password", "refresh_token"] and "oauth/token" in caplog.text
    for secret in (*CREDENTIALS.values(), "access-1", "access-2", "refresh-1", "refresh-2"):
        if secret != CREDENTIALS["username"]:
            assert secret not in caplog.text


def test_secrets_stay_out_of_reprs(fake, tmp_path, http, clock):
    t = tokens(fake, tmp_path, http, clock)
    t.access_token()
    shown = repr(t.credentials) + repr(t.store.load(t.key))
    assert CREDENTIALS["username"] in shown
    for secret in (CREDENTIALS["password"], CREDENTIALS["client_secret"], "access-1", "refresh-1"):
        assert secret not in shown


def test_threads_and_workers_share_one_renewal(fake, tmp_path, http, clock):
    shared = tokens(fake, tmp_path, http, clock)
    workers = [shared] * 4 + [tokens(fake, tmp_path, http, clock) for _ in range(4)]  # 4 "processes"
    barrier = threading.Barrier(len(workers))
    seen: list[str] = []
    errors: list[BaseException] = []

    def run(t):
        try:
            barrier.wait(timeout=10)
            seen.append(t.access_token())
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(t,)) for t in workers]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=30)
    assert errors == [] and len(seen) == len(workers)
    assert fake.grants == ["password"] and len(set(seen)) == 1
    # expired: again one renewal for all of them
    clock.now += timedelta(hours=2)
    barrier.reset()
    seen.clear()
    threads = [threading.Thread(target=run, args=(t,)) for t in workers]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=30)
    assert errors == [] and fake.grants == ["password", "refresh_token"] and len(set(seen)) == 1


def test_no_expires_in_means_renewal_only_after_a_401(tmp_path, http, clock):
    with FakeQontak(expires_in=None) as fake:
        t = tokens(fake, tmp_path, http, clock)
        first = t.access_token()
        clock.now += timedelta(days=400)
        assert t.access_token() == first
        fake.revoke_all()
        client(fake, t).send_text("r", "x")
        assert fake.grants == ["password", "refresh_token"]


def test_settings_pick_the_scheme(fake, settings, http, clock):
    from integrations.qontak.auth import Bearer, MekariHmac

    s = settings.model_copy(update={"qontak_base_url": fake.url})
    with pytest.raises(QontakError, match="no Qontak credentials"):
        auth_from_settings(s, http, clock)
    oauth = s.model_copy(update={"qontak_username": CREDENTIALS["username"],
                                 "qontak_password": SecretStr(CREDENTIALS["password"]),
                                 "qontak_client_id": CREDENTIALS["client_id"]})
    with pytest.raises(QontakError, match="incomplete: QONTAK_CLIENT_SECRET not set"):
        auth_from_settings(oauth, http, clock)
    oauth = oauth.model_copy(update={"qontak_client_secret": SecretStr(CREDENTIALS["client_secret"])})
    QontakClient.from_settings(oauth, http, clock).send_text("r", "via oauth")
    assert fake.grants == ["password"] and (settings.home() / "qontak.sqlite3").exists()
    assert isinstance(auth_from_settings(oauth, http, clock), OAuth)
    hand_set = oauth.model_copy(update={"qontak_access_token": SecretStr(TOKEN)})
    assert isinstance(auth_from_settings(hand_set, http, clock), Bearer)  # the hand-set token wins
    QontakClient.from_settings(hand_set, http, clock).send_text("r", "by hand")
    assert fake.grants == ["password"] and len(fake.calls) == 2
    with pytest.raises(QontakError, match="both QONTAK_HMAC_USERNAME and QONTAK_HMAC_SECRET"):
        auth_from_settings(s.model_copy(update={"qontak_hmac_username": HMAC_USER}), http, clock)
    hmac_settings = s.model_copy(update={"qontak_hmac_username": HMAC_USER,
                                         "qontak_hmac_secret": SecretStr(HMAC_SECRET)})
    assert isinstance(auth_from_settings(hmac_settings, http, clock), MekariHmac)


def test_hmac_signature_is_accepted_by_the_gateway(fake, settings, http, clock):
    s = settings.model_copy(update={"qontak_base_url": fake.url, "qontak_hmac_username": HMAC_USER,
                                    "qontak_hmac_secret": SecretStr(HMAC_SECRET)})
    c = QontakClient.from_settings(s, http, clock)
    c.send_text("room-1", "hi")
    c.assign_round_robin("room-1")
    assert [call[1] for call in fake.calls] == ["messages/whatsapp/bot", "rooms/room-1/assign_round_robin"]
    assert fake.hmac_dates == ["Mon, 02 Mar 2026 02:00:00 GMT"] * 2
    wrong = s.model_copy(update={"qontak_hmac_secret": SecretStr("not-the-secret")})
    with pytest.raises(QontakError, match="401"):
        QontakClient.from_settings(wrong, http, clock).send_text("room-1", "hi")
    assert len(fake.calls) == 2


def test_hmac_header_format():
    # Signed string "date: <Date>\n<METHOD> <path?query> HTTP/1.1" (reference, section 2); the
    # expected value from `printf ... | openssl dgst -sha256 -hmac secret -binary | base64`.
    header = hmac_authorization("user", b"secret", "Mon, 02 Mar 2026 02:00:00 GMT", "GET",
                                "/qontak/chat/v1/rooms?limit=1")
    assert header == ('hmac username="user", algorithm="hmac-sha256", headers="date request-line", '
                      'signature="9OKcPjfz+Dj0ApnIqSsVJh5hs/l3sBACOlhsEzd9Pnc="')


WORKER = """
import sys
from datetime import datetime
import httpx
from integrations.qontak.auth import Credentials, OAuthTokens, TokenStore
url, path, now, *cred = sys.argv[1:]
with httpx.Client(timeout=10) as http:
    tokens = OAuthTokens(url, Credentials(*cred), TokenStore(__import__("pathlib").Path(path)), http,
                         lambda: datetime.fromisoformat(now))
    print(tokens.access_token())
"""


def test_worker_processes_share_one_token(fake, tmp_path):
    import subprocess
    import sys

    args = [sys.executable, "-c", WORKER, token_url(fake.url), str(tmp_path / "qontak.sqlite3"),
            T0.isoformat(), *CREDENTIALS.values()]
    procs = [subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    outputs = [p.communicate(timeout=60) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err for _, err in outputs]
    assert len({out.strip() for out, _ in outputs}) == 1 and fake.grants == ["password"]
