"""A small Qontak Open API client: reply in a room, tag it, assign it to a person.

Errors: `errors.py` (QontakError, and QontakUnavailable: worth retrying). Authentication (a
hand-set token, the OAuth password grant with renewal, or Mekari's HMAC): `auth.py`.

Paths follow the Open API used in Qontak's public docs and SDKs (reference report, section 2):
`POST messages/whatsapp/bot` to reply, `POST rooms/{id}/tags` to tag, `POST rooms/{id}/agents/{agent}`
to assign one agent, `POST rooms/{id}/assign_round_robin` to let Qontak pick one.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from .auth import Bearer, Clock, auth_from_settings
from .errors import QontakError, QontakUnavailable

__all__ = ["QontakClient", "QontakError", "QontakUnavailable"]


class QontakClient:
    """Calls on one `httpx.Client` (owned by the caller), authenticated by `auth` (a bearer token
    string, or an `httpx.Auth` from `auth.py`)."""

    def __init__(self, base_url: str, auth: str | httpx.Auth, http: httpx.Client) -> None:
        self.base_url = base_url.rstrip("/")
        self.http = http
        self.auth = Bearer(auth) if isinstance(auth, str) else auth
        self.headers = {"Accept": "application/json"}

    @classmethod
    def from_settings(cls, settings: Any, http: httpx.Client,
                      clock: Clock = lambda: datetime.now(UTC)) -> QontakClient:
        """The client of the configured credentials (`auth.auth_from_settings`); QontakError if none."""
        return cls(settings.qontak_base_url, auth_from_settings(settings, http, clock), http)

    def _post(self, path: str, body: dict | None = None) -> dict:
        try:
            response = self.http.post(f"{self.base_url}/{path}", json=body or {}, headers=self.headers,
                                      auth=self.auth)
        except httpx.HTTPError as exc:
            raise QontakUnavailable(f"Qontak unreachable: {type(exc).__name__}") from None
        if response.status_code == 429 or response.status_code >= 500:
            raise QontakUnavailable(f"Qontak answered {response.status_code} to {path}")
        if response.status_code >= 400:
            raise QontakError(f"Qontak refused {path}: {response.status_code} {response.text[:200]}")
        try:
            data = response.json()
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {"data": data}

    def send_text(self, room_id: str, text: str) -> dict:
        """Reply in a room as the bot."""
        return self._post("messages/whatsapp/bot", {"room_id": room_id, "type": "text", "text": text})

    def tag_room(self, room_id: str, tag: str) -> dict:
        return self._post(f"rooms/{room_id}/tags", {"tag": tag})

    def assign_agent(self, room_id: str, agent_id: str) -> dict:
        return self._post(f"rooms/{room_id}/agents/{agent_id}")

    def assign_round_robin(self, room_id: str) -> dict:
        return self._post(f"rooms/{room_id}/assign_round_robin")
