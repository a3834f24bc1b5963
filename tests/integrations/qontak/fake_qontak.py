"""A fake Qontak Open API on 127.0.0.1 (port 0): records every call, checks the bearer token."""

from __future__ import annotations

import json
import threading

from werkzeug.serving import make_server
from werkzeug.wrappers import Request, Response

TOKEN = "test-qontak-token"


class FakeQontak:
    """`with FakeQontak() as fake:` serves on `fake.url`; `fake.calls` lists (method, path, body)."""

    def __init__(self) -> None:
        self.calls: list[tuple[str, str, dict]] = []
        self.fail_next: list[int] = []  # statuses to answer with, one per coming call
        self._lock = threading.Lock()
        self.server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}/api/open/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def app(self, environ, start_response):  # type: ignore[no-untyped-def]
        request = Request(environ)
        if request.headers.get("Authorization") != f"Bearer {TOKEN}":
            return Response(json.dumps({"status": "error", "message": "unauthorized"}), 401,
                            content_type="application/json")(environ, start_response)
        body = request.get_json(silent=True) or {}
        with self._lock:
            status = self.fail_next.pop(0) if self.fail_next else 200
            if status == 200:
                self.calls.append((request.method, request.path.removeprefix("/api/open/v1/"), body))
        payload = {"status": "success" if status == 200 else "error", "data": {}}
        return Response(json.dumps(payload), status, content_type="application/json")(environ, start_response)

    def __enter__(self) -> FakeQontak:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
