"""Replay the official SDK's recorded Notion interactions against the embedded workspace.

Each cassette (tests/integrations/notion_local/cassettes/notion-sdk-py, unedited) is replayed in
a fresh workspace, in order. Ids and cursors the recording learned from earlier responses are
swapped for the ones the workspace gave at the same place in its own responses; the recording's
parent page is the workspace's root page and its bot is the workspace's bot. A request recorded
with a 401 is sent with a wrong token (the recording hides the token it used).

Each response is compared with the recorded one on status, `object` and the set of keys of every
object, recursively (list items pairwise); values (ids, times, texts) are ignored, as is
`request_id`. Run `python -m tests.integrations.notion_local.replay` for the table.
"""

from __future__ import annotations

import json
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
import yaml

from integrations.notion_local import LocalWorkspace
from integrations.notion_local.clock import ManualClock

CASSETTES = Path(__file__).with_name("cassettes") / "notion-sdk-py"
RECORDED_ROOT = "393abc1e-edcd-80f3-813b-e205934558c6"  # the page the SDK's tests run under
RECORDED_AT = datetime(2026, 7, 4, 9, 11, tzinfo=UTC)
_ID = re.compile(r"[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                 r"[0-9a-fA-F]{12}")
IGNORED_KEYS = frozenset({"request_id"})
REPORT = pytest.StashKey[list]()  # tables the replay test leaves for the terminal summary


def canonical(raw: str) -> str:
    c = raw.replace("-", "").lower()
    return f"{c[:8]}-{c[8:12]}-{c[12:16]}-{c[16:20]}-{c[20:]}"


def endpoint_of(method: str, path: str) -> str:
    """`GET /v1/pages/{id}`: the route with ids (and the task id) replaced."""
    path = re.sub(r"task_[0-9a-fA-F-]+", "{id}", path)
    return f"{method} {_ID.sub('{id}', path)}"


@dataclass
class Result:
    """One replayed request."""

    cassette: str
    endpoint: str
    recorded_status: int
    status: int
    implemented: bool
    differences: list[str] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        return not self.differences


def key_differences(recorded, ours, path: str = "$") -> list[str]:
    """Where the key sets differ, recursively (values ignored; list items compared pairwise)."""
    out: list[str] = []
    if isinstance(recorded, dict) and isinstance(ours, dict):
        want = set(recorded) - IGNORED_KEYS
        have = set(ours) - IGNORED_KEYS
        for key in sorted(want - have):
            out.append(f"{path}.{key} missing")
        for key in sorted(have - want):
            out.append(f"{path}.{key} extra")
        if recorded.get("object") != ours.get("object") and "object" in want & have:
            out.append(f"{path}.object {ours.get('object')!r} != {recorded.get('object')!r}")
        for key in sorted(want & have):
            out.extend(key_differences(recorded[key], ours[key], f"{path}.{key}"))
    elif isinstance(recorded, list) and isinstance(ours, list):
        for i, (a, b) in enumerate(zip(recorded, ours, strict=False)):
            out.extend(key_differences(a, b, f"{path}[{i}]"))
    elif isinstance(recorded, dict) != isinstance(ours, dict) or \
            isinstance(recorded, list) != isinstance(ours, list):
        if recorded is not None and ours is not None:
            out.append(f"{path} is {type(ours).__name__}, recorded {type(recorded).__name__}")
    return out


class Replayer:
    """One cassette against one fresh workspace."""

    def __init__(self, name: str):
        self.name = name
        self.clock = ManualClock(RECORDED_AT)
        self.workspace = LocalWorkspace(":memory:", clock=self.clock)
        self.ids: dict[str, str] = {RECORDED_ROOT: self.workspace.root_page_id}
        self.cursors: dict[str, str] = {}
        self.http = httpx.Client(transport=httpx.WSGITransport(app=self.workspace.wsgi_app),
                                 base_url="http://notion.local")

    def close(self) -> None:
        self.http.close()
        self.workspace.close()

    def swap(self, text: str) -> str:
        """Recorded ids and cursors in a request replaced by the workspace's."""
        for recorded, ours in self.cursors.items():
            text = text.replace(recorded, ours)
        return _ID.sub(lambda m: self.ids.get(canonical(m.group(0)), m.group(0)), text)

    def learn(self, recorded, ours) -> None:
        """Pair ids and cursors found at the same place in both responses."""
        if isinstance(recorded, dict) and isinstance(ours, dict):
            if recorded.get("type") == "bot" and isinstance(recorded.get("id"), str):
                self.ids.setdefault(canonical(recorded["id"]), self.workspace.bot_id)
            for key in recorded.keys() & ours.keys():
                a, b = recorded[key], ours[key]
                if isinstance(a, str) and isinstance(b, str):
                    if key == "next_cursor":
                        self.cursors[a] = b
                    elif _ID.fullmatch(a) and _ID.fullmatch(b):
                        self.ids.setdefault(canonical(a), b)
                else:
                    self.learn(a, b)
        elif isinstance(recorded, list) and isinstance(ours, list):
            for a, b in zip(recorded, ours, strict=False):
                self.learn(a, b)

    def seed_people(self, interactions: list[dict]) -> None:
        """The recorded workspace's people exist here too (same names), so user calls match."""
        for item in interactions:
            try:
                body = json.loads(item["response"]["body"]["string"])
            except (ValueError, TypeError):
                continue
            for user in _users(body):
                key = canonical(user["id"])
                if key not in self.ids:
                    email = (user.get("person") or {}).get("email")
                    self.ids[key] = self.workspace.add_user(user.get("name") or "", email)

    def run(self, item: dict) -> Result | None:
        request, response = item["request"], item["response"]
        url = urlsplit(request["uri"])
        if url.hostname != "api.notion.com":
            return None  # the SDK's own tests of plain HTTP errors against another host
        headers = {k: v[0] if isinstance(v, list) else v for k, v in request["headers"].items()}
        recorded_status = response["status"]["code"]
        token = self.workspace.token if recorded_status != 401 else "ntn_wrong_token"
        send = {"Authorization": f"Bearer {token}",
                "Notion-Version": headers.get("notion-version", "2025-09-03")}
        if headers.get("content-type"):
            send["Content-Type"] = headers["content-type"]
        body = request.get("body") or ""
        content = self.swap(body).encode() if isinstance(body, str) else body
        target = self.swap(url.path + (f"?{url.query}" if url.query else ""))
        got = self.http.request(request["method"], target, headers=send, content=content or None)
        recorded = json.loads(response["body"]["string"])
        ours = got.json()
        self.learn(recorded, ours)
        implemented = not (ours.get("code") == "invalid_request_url" and
                           recorded.get("code") != "invalid_request_url")
        result = Result(self.name, endpoint_of(request["method"], url.path), recorded_status,
                        got.status_code, implemented)
        if got.status_code != recorded_status:
            result.differences.append(f"status {got.status_code} != {recorded_status}")
        if ours.get("object") != recorded.get("object"):
            result.differences.append(f"object {ours.get('object')!r} != "
                                      f"{recorded.get('object')!r}")
        result.differences.extend(key_differences(recorded, ours))
        return result


def _users(node):
    if isinstance(node, dict):
        if node.get("object") == "user" and node.get("type") == "person" and "id" in node:
            yield node
        for value in node.values():
            yield from _users(value)
    elif isinstance(node, list):
        for value in node:
            yield from _users(value)


def replay_all(directory: Path = CASSETTES) -> list[Result]:
    """Every request of every cassette, replayed."""
    results = []
    for path in sorted(directory.glob("*.yaml")):
        interactions = yaml.safe_load(path.read_text(encoding="utf-8"))["interactions"]
        replayer = Replayer(path.stem)
        try:
            replayer.seed_people(interactions)
            for item in interactions:
                found = replayer.run(item)
                if found is not None:
                    results.append(found)
        finally:
            replayer.close()
    return results


def table(results: list[Result]) -> str:
    """The conformance table: endpoint -> matched / total, implemented endpoints first."""
    by_endpoint: dict[str, list[Result]] = defaultdict(list)
    for r in results:
        by_endpoint[r.endpoint].append(r)
    lines = [f"{'endpoint':<52} {'matched':>7} / total"]
    done = [(k, v) for k, v in sorted(by_endpoint.items()) if all(r.implemented for r in v)]
    missing = [(k, v) for k, v in sorted(by_endpoint.items()) if not all(r.implemented for r in v)]
    for key, rows in done:
        lines.append(f"{key:<52} {sum(r.matched for r in rows):>7} / {len(rows)}")
    implemented = [r for r in results if r.implemented]
    matched = sum(r.matched for r in implemented)
    lines.append(f"{'implemented endpoints':<52} {matched:>7} / {len(implemented)} "
                 f"({100 * matched / max(1, len(implemented)):.1f}%)")
    if missing:
        lines.append("not implemented (answered 400 invalid_request_url, as Notion answers an "
                     "unknown path):")
        for key, rows in missing:
            lines.append(f"  {key:<50} {len(rows):>7} requests")
    return "\n".join(lines)


def misses(results: list[Result]) -> str:
    """Every difference on implemented endpoints, one line per request."""
    return "\n".join(f"{r.cassette}: {r.endpoint}: {'; '.join(r.differences[:6])}"
                     for r in results if r.implemented and not r.matched)


if __name__ == "__main__":
    found = replay_all()
    print(table(found))
    if "-v" in sys.argv[1:]:
        print(misses(found))
