"""How the Qontak client authenticates: a hand-set bearer token, the OAuth2 password grant, or
Mekari's HMAC gateway signature. Each is an `httpx.Auth`, so the client's calls stay the same.

- `Bearer`: `QONTAK_ACCESS_TOKEN` as it is (set by hand; never renewed).
- `OAuth`: `POST /oauth/token` with the account's username, password, client_id and
  client_secret (`grant_type=password`) gives an access token, a refresh token and `expires_in`;
  renewed with `grant_type=refresh_token` before it expires and once when Qontak answers 401,
  falling back to the password grant when the refresh token is refused. The token lives in
  `$SPBE_HOME/qontak.sqlite3` (mode 0600), so a restart and every worker thread or process share
  one token; renewing takes SQLite's write lock, so two workers never renew at once.
- `MekariHmac`: `Authorization: hmac username=..., algorithm="hmac-sha256", headers="date
  request-line", signature=...` plus a `Date` header, for the api.mekari.com gateway.

Secrets (password, client secret, tokens, HMAC secret) never appear in a log line or an error
message. Errors come from the client's family (`QontakError`, `QontakUnavailable`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import logging
import os
import sqlite3
import threading
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import httpx

from .errors import QontakError, QontakUnavailable

log = logging.getLogger("spbe.qontak")
Clock = Callable[[], datetime]
# Renew this long before `expires_in` runs out (at most half the lifetime), so a job never starts
# a call with a dying token.
REFRESH_MARGIN = timedelta(minutes=5)
EXPIRED = datetime(1970, 1, 1, tzinfo=UTC)

SCHEMA = """
CREATE TABLE IF NOT EXISTS tokens (
  key TEXT PRIMARY KEY,
  access_token TEXT NOT NULL,
  refresh_token TEXT,
  renew_at TEXT,
  obtained_at TEXT NOT NULL
);
"""


class TokenRefused(QontakError):
    """The token endpoint refused the grant (4xx): wrong credentials or a dead refresh token."""


@dataclass(frozen=True)
class Token:
    access: str = field(repr=False)
    refresh: str | None = field(repr=False)
    renew_at: datetime | None  # None: Qontak gave no lifetime; renewed only after a 401

    def fresh(self, now: datetime) -> bool:
        return self.renew_at is None or now < self.renew_at


def renewal_time(obtained: datetime, lifetime: float | None) -> datetime | None:
    """When to renew a token of `lifetime` seconds: REFRESH_MARGIN (or half the lifetime) early."""
    if lifetime is None:
        return None
    life = timedelta(seconds=lifetime)
    return obtained + life - min(REFRESH_MARGIN, life / 2)


class TokenStore:
    """Tokens in one SQLite file, shared by threads and processes; a connection per call."""

    def __init__(self, path: Path) -> None:
        self.path = path
        if not path.exists():  # created private: it holds live credentials
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY, 0o600))
        with closing(self._connect()) as db, db:
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=30, isolation_level=None)

    def load(self, key: str) -> Token | None:
        with closing(self._connect()) as db:
            return _read(db, key)

    @contextmanager
    def locked(self, key: str) -> Iterator[tuple[Token | None, Callable[[Token, datetime], None]]]:
        """(the stored token, a writer) inside one write transaction: other renewers wait."""
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield _read(db, key), lambda token, now: _write(db, key, token, now)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")


def _read(db: sqlite3.Connection, key: str) -> Token | None:
    row = db.execute("SELECT access_token, refresh_token, renew_at FROM tokens WHERE key = ?",
                     (key,)).fetchone()
    if row is None:
        return None
    return Token(row[0], row[1], datetime.fromisoformat(row[2]) if row[2] else None)


def _write(db: sqlite3.Connection, key: str, token: Token, now: datetime) -> None:
    db.execute("INSERT OR REPLACE INTO tokens (key, access_token, refresh_token, renew_at, obtained_at) "
               "VALUES (?, ?, ?, ?, ?)",
               (key, token.access, token.refresh, token.renew_at.isoformat() if token.renew_at else None,
                now.isoformat()))


@dataclass(frozen=True)
class Credentials:
    username: str
    password: str = field(repr=False)
    client_id: str
    client_secret: str = field(repr=False)


class OAuthTokens:
    """The current access token of one Qontak account: obtained, stored, renewed (thread-safe)."""

    def __init__(self, token_url: str, credentials: Credentials, store: TokenStore,
                 http: httpx.Client, clock: Clock) -> None:
        self.token_url = token_url
        self.credentials = credentials
        self.store = store
        self.http = http
        self.clock = clock
        self.key = f"oauth {token_url} {credentials.username} {credentials.client_id}"
        self._lock = threading.Lock()

    def access_token(self) -> str:
        """A token valid for at least REFRESH_MARGIN, renewed (by one renewer only) if need be."""
        token = self.store.load(self.key)
        if token is not None and token.fresh(self.clock()):
            return token.access
        with self._lock, self.store.locked(self.key) as (token, write):
            if token is not None and token.fresh(self.clock()):  # renewed meanwhile by another
                return token.access
            token = self._renew(token)
            write(token, self.clock())
            return token.access

    def refused(self, access: str) -> None:
        """Qontak answered 401 to `access`: renew at the next call, unless renewed already."""
        with self._lock, self.store.locked(self.key) as (token, write):
            if token is not None and token.access == access:
                write(replace(token, renew_at=EXPIRED), self.clock())

    def _renew(self, old: Token | None) -> Token:
        if old is not None and old.refresh:
            try:
                return self._grant({"grant_type": "refresh_token", "refresh_token": old.refresh})
            except TokenRefused as exc:
                log.info("Qontak refused the refresh token (%s); using the password grant", exc)
        c = self.credentials
        return self._grant({"grant_type": "password", "username": c.username, "password": c.password})

    def _grant(self, body: dict[str, str]) -> Token:
        grant = body["grant_type"]
        body = {**body, "client_id": self.credentials.client_id,
                "client_secret": self.credentials.client_secret}
        now = self.clock()  # before the call: the lifetime is counted from no later than this
        try:
            response = self.http.post(self.token_url, json=body, headers={"Accept": "application/json"})
        except httpx.HTTPError as exc:
            raise QontakUnavailable(f"Qontak token endpoint unreachable: {type(exc).__name__}") from None
        status = response.status_code
        if status == 429 or status >= 500:
            raise QontakUnavailable(f"Qontak token endpoint answered {status}")
        data = _json(response)
        if status >= 400:
            error = data.get("error") if isinstance(data.get("error"), str) else ""
            raise TokenRefused(f"Qontak refused the {grant} grant: {status} {error[:60]}".rstrip())
        access, expires_in = data.get("access_token"), data.get("expires_in")
        if not isinstance(access, str) or not access:
            raise QontakError(f"Qontak's {grant} grant gave no access_token")
        refresh = data.get("refresh_token") if isinstance(data.get("refresh_token"), str) else None
        lifetime = expires_in if isinstance(expires_in, int | float) and expires_in > 0 else None
        log.info("Qontak access token obtained (%s grant, expires in %s s)", grant, lifetime)
        return Token(access, refresh, renewal_time(now, lifetime))


def _json(response: httpx.Response) -> dict:
    try:
        data = response.json()
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


class Bearer(httpx.Auth):
    """A fixed bearer token (QONTAK_ACCESS_TOKEN)."""

    def __init__(self, token: str) -> None:
        self._token = token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token}"
        yield request


class OAuth(httpx.Auth):
    """The stored OAuth token; one renewal and one retry when Qontak answers 401."""

    def __init__(self, tokens: OAuthTokens) -> None:
        self.tokens = tokens

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        access = self.tokens.access_token()
        request.headers["Authorization"] = f"Bearer {access}"
        response = yield request
        if response.status_code == 401:
            self.tokens.refused(access)
            request.headers["Authorization"] = f"Bearer {self.tokens.access_token()}"
            yield request


class MekariHmac(httpx.Auth):
    """Mekari API gateway HMAC-SHA256 over the Date header and the request line."""

    def __init__(self, username: str, secret: str, clock: Clock) -> None:
        self.username = username
        self._secret = secret.encode()
        self.clock = clock

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        date = format_datetime(self.clock().astimezone(UTC), usegmt=True)
        request.headers["Date"] = date
        request.headers["Authorization"] = hmac_authorization(
            self.username, self._secret, date, request.method, request.url.raw_path.decode("ascii"))
        yield request


def hmac_authorization(username: str, secret: bytes, date: str, method: str, target: str) -> str:
    """The Authorization header value of Mekari's HMAC scheme (target: path and query)."""
    signed = f"date: {date}\n{method} {target} HTTP/1.1"
    signature = base64.b64encode(hmac.new(secret, signed.encode(), hashlib.sha256).digest()).decode()
    return (f'hmac username="{username}", algorithm="hmac-sha256", headers="date request-line", '
            f'signature="{signature}"')


OAUTH_SETTINGS = ("qontak_username", "qontak_password", "qontak_client_id", "qontak_client_secret")


def _secret(value: Any) -> str:
    return value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)


def token_url(base_url: str) -> str:
    """`/oauth/token` on the API's host (https://chat-service.qontak.com/oauth/token)."""
    return str(httpx.URL(base_url).copy_with(path="/oauth/token", query=None, fragment=None))


def auth_from_settings(settings: Any, http: httpx.Client, clock: Clock) -> httpx.Auth:
    """The configured scheme: QONTAK_ACCESS_TOKEN, else the OAuth settings, else HMAC."""
    if settings.qontak_access_token is not None:
        return Bearer(settings.qontak_access_token.get_secret_value())
    oauth = {name: getattr(settings, name, None) for name in OAUTH_SETTINGS}
    if any(v is not None for v in oauth.values()):
        missing = [name.upper() for name, value in oauth.items() if value is None]
        if missing:
            raise QontakError(f"the Qontak OAuth settings are incomplete: {', '.join(missing)} not set")
        credentials = Credentials(*(_secret(oauth[name]) for name in OAUTH_SETTINGS))
        store = TokenStore(settings.home() / "qontak.sqlite3")
        return OAuth(OAuthTokens(token_url(settings.qontak_base_url), credentials, store, http, clock))
    username, secret = getattr(settings, "qontak_hmac_username", None), \
        getattr(settings, "qontak_hmac_secret", None)
    if (username is None) != (secret is None):
        raise QontakError("set both QONTAK_HMAC_USERNAME and QONTAK_HMAC_SECRET for the Mekari gateway")
    if username is not None:
        return MekariHmac(username, _secret(secret), clock)
    raise QontakError("no Qontak credentials (QONTAK_ACCESS_TOKEN, the QONTAK_USERNAME/PASSWORD/"
                      "CLIENT_ID/CLIENT_SECRET OAuth settings, or QONTAK_HMAC_*): the adapter is off")
