"""A fake Qontak Open API on 127.0.0.1 (port 0): records every call, checks the credentials.

API calls are accepted with the hand-set bearer `TOKEN`, an access token the fake's
`/oauth/token` issued and has not revoked, or a valid Mekari HMAC signature (`HMAC_USER`,
`HMAC_SECRET`). `/oauth/token` serves the password and refresh-token grants (refresh tokens are
rotated: each works once) for `CREDENTIALS`.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import re
import threading

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

TOKEN = "test-qontak-token"
CREDENTIALS = {"username": "bot@lovebali.example", "password": "pa55-word",
               "client_id": "client-1", "client_secret": "client-secret-1"}
HMAC_USER, HMAC_SECRET = "hmac-client", "hmac-secret-1"
_HMAC = re.compile(r'hmac username="([^"]*)", algorithm="hmac-sha256", headers="date request-line", '
                   r'signature="([^"]*)"')


def _json(payload: dict, status: int = 200) -> Response:
    return Response(json.dumps(payload), status, content_type="application/json")


class FakeQontak:
    """`with FakeQontak() as fake:` serves on `fake.url`; `fake.calls` lists (method, path, body)."""

    def __init__(self, expires_in: int | None = 3600) -> None:
        self.calls: list[tuple[str, str, dict]] = []
        self.fail_next: list[int] = []  # statuses to answer API calls with, one per coming call
        self.token_fail_next: list[int] = []  # the same for /oauth/token
        self.grants: list[str] = []  # grant types served, in order
        self.tokens: set[str] = {TOKEN}  # access tokens accepted
        self.refresh_tokens: set[str] = set()
        self.expires_in = expires_in
        self.honour_issued = True  # False: tokens it issues are refused (a broken account)
        self.hmac_dates: list[str] = []
        self._issued = 0
        self._lock = threading.Lock()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/open/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def revoke_all(self) -> None:
        """Forget every issued access token (as after a password change on Qontak's side)."""
        with self._lock:
            self.tokens = {TOKEN}

    def app(self, environ, start_response):  # type: ignore[no-untyped-def]
        request = Request(environ)
        if request.path == "/oauth/token" and request.method == "POST":
            response = self._token(request.get_json(silent=True) or {})
        elif not self._authorized(request):
            response = _json({"status": "error", "message": "unauthorized"}, 401)
        else:
            body = request.get_json(silent=True) or {}
            with self._lock:
                status = self.fail_next.pop(0) if self.fail_next else 200
                if status == 200:
                    self.calls.append((request.method, request.path.removeprefix("/api/open/v1/"), body))
            response = _json({"status": "success" if status == 200 else "error", "data": {}}, status)
        return response(environ, start_response)

    def _authorized(self, request: Request) -> bool:
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            with self._lock:
                return header.removeprefix("Bearer ") in self.tokens
        match = _HMAC.fullmatch(header)
        date = request.headers.get("Date")
        if match is None or date is None or match.group(1) != HMAC_USER:
            return False
        target = request.full_path.rstrip("?")
        signed = f"date: {date}\n{request.method} {target} HTTP/1.1".encode()
        expected = base64.b64encode(hmac.new(HMAC_SECRET.encode(), signed, hashlib.sha256).digest()).decode()
        with self._lock:
            self.hmac_dates.append(date)
        return hmac.compare_digest(expected, match.group(2))

    def _token(self, body: dict) -> Response:
        with self._lock:
            status = self.token_fail_next.pop(0) if self.token_fail_next else 200
            if status != 200:
                return _json({"error": "server_error"}, status)
            if (body.get("client_id"), body.get("client_secret")) != \
                    (CREDENTIALS["client_id"], CREDENTIALS["client_secret"]):
                return _json({"error": "invalid_client"}, 401)
            grant = body.get("grant_type")
            if grant == "password":
                if (body.get("username"), body.get("password")) != \
                        (CREDENTIALS["username"], CREDENTIALS["password"]):
                    return _json({"error": "invalid_grant"}, 400)
            elif grant == "refresh_token":
                if body.get("refresh_token") not in self.refresh_tokens:
                    return _json({"error": "invalid_grant"}, 400)
                self.refresh_tokens.discard(body["refresh_token"])
            else:
                return _json({"error": "unsupported_grant_type"}, 400)
            self._issued += 1
            access, refresh = f"access-{self._issued}", f"refresh-{self._issued}"
            if self.honour_issued:
                self.tokens.add(access)
            self.refresh_tokens.add(refresh)
            self.grants.append(grant)
        payload = {"access_token": access, "token_type": "Bearer", "refresh_token": refresh,
                   "created_at": 1700000000}
        if self.expires_in is not None:
            payload["expires_in"] = self.expires_in
        return _json(payload)

    def __enter__(self) -> FakeQontak:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
