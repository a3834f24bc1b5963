"""Run the official Python SDK's own test suite against `spbe serve`, cassettes off.

A second conformance check beside the cassette replay (tests/integrations/notion_local): the
SDK's tests (ramnes/notion-sdk-py `tests/`) make real requests, here to the embedded workspace
that `spbe serve` mounts at /notion, instead of replaying their recordings. Not part of the
default test run: it needs a checkout of the SDK and its test dependencies.

    python -m venv /tmp/sdkvenv
    /tmp/sdkvenv/bin/pip install ./notion-sdk-py pytest pytest-vcr pytest-asyncio pytest-mock \\
        pytest-timeout pytest-cov 'vcrpy==6.0.2'
    python scripts/sdk_suite.py --sdk ./notion-sdk-py --python /tmp/sdkvenv/bin/python

It starts `spbe serve --port 0` on 127.0.0.1 with a temporary SPBE_HOME, points the SDK's
clients at it (a pytest plugin sets `base_url`), gives the tests the workspace token and root
page (NOTION_TOKEN, NOTION_TEST_PAGE_ID), runs them with `--disable-vcr`, and prints passed /
failed per test module plus the failures' endpoints. Tests marked to run on the network only
count: the SDK's tests that never leave the process (mocks, helpers) are reported apart.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

PLUGIN = '''
"""Point every notion_client client at the embedded workspace."""
import os

from notion_client import client as _client

BASE = os.environ["SPBE_SDK_BASE_URL"]

for _cls in (_client.Client, _client.AsyncClient):
    _orig = _cls.__init__

    def _init(self, options=None, client=None, _orig=_orig, **kwargs):
        if isinstance(options, dict):
            options = {**options, "base_url": BASE}
        elif options is None:
            kwargs["base_url"] = BASE
        _orig(self, options, client, **kwargs)

    _cls.__init__ = _init
'''


def start_server(home: Path) -> tuple[subprocess.Popen, str]:
    """`spbe serve` on a free port chosen by the OS; its base URL once it listens."""
    env = {**os.environ, "SPBE_HOME": str(home)}
    env.pop("NOTION_TOKEN", None)
    spbe = Path(sys.executable).parent / "spbe"
    proc = subprocess.Popen([str(spbe), "serve", "--host", "127.0.0.1",
                             "--port", "0", "--workers", "1"], env=env,
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, text=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stderr.readline()
        if not line and proc.poll() is not None:
            break
        found = re.search(r"serving on (http://127\.0\.0\.1:\d+)", line)
        if found:
            return proc, found.group(1)
    proc.kill()
    raise SystemExit("spbe serve did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sdk", type=Path, required=True, help="a notion-sdk-py checkout")
    parser.add_argument("--python", default=sys.executable,
                        help="interpreter with the SDK and its test dependencies")
    parser.add_argument("-k", default=None, help="pytest -k expression")
    args = parser.parse_args()
    tests = args.sdk / "tests"
    if not tests.is_dir():
        parser.error(f"{tests} is not a directory")
    from integrations.notion_local import LocalWorkspace

    with tempfile.TemporaryDirectory() as tmp:
        home = Path(tmp) / "home"
        proc, url = start_server(home)
        try:
            local = LocalWorkspace(home / "workspace.sqlite3")
            token, root = local.token, local.root_page_id
            local.close()
            (Path(tmp) / "spbe_sdk_plugin.py").write_text(PLUGIN)
            report = Path(tmp) / "junit.xml"
            env = {**os.environ, "NOTION_TOKEN": token, "NOTION_TEST_PAGE_ID": root,
                   "SPBE_SDK_BASE_URL": f"{url}/notion",
                   "PYTHONPATH": os.pathsep.join([tmp, str(args.sdk)])}
            command = [args.python, "-m", "pytest", str(tests), "-p", "spbe_sdk_plugin",
                       "--disable-vcr", "-q", "-o", "addopts=", "-p", "no:cacheprovider",
                       "-p", "no:randomly", f"--junitxml={report}", "--timeout=60"]
            if args.k:
                command += ["-k", args.k]
            subprocess.run(command, env=env, cwd=args.sdk, check=False,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            summarise(report)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    return 0


def summarise(report: Path) -> None:
    """Passed / failed per module; network tests (the ones with a recorded cassette) apart."""
    root = ET.parse(report).getroot()
    cassettes = {p.stem for p in (Path(__file__).resolve().parent.parent / "tests" /
                                  "integrations" / "notion_local" / "cassettes" /
                                  "notion-sdk-py").glob("*.yaml")}
    counts: Counter = Counter()
    failures = []
    for case in root.iter("testcase"):
        name = case.get("name", "")
        module = (case.get("classname") or "").rsplit(".", 1)[-1]
        network = name.split("[")[0] in cassettes
        if case.find("skipped") is not None:
            outcome = "skipped"
        elif case.find("failure") is not None or case.find("error") is not None:
            outcome = "failed"
            node = case.find("failure") if case.find("failure") is not None else case.find(
                "error")
            failures.append((module, name, (node.get("message") or "")[:160]))
        else:
            outcome = "passed"
        counts[(module, "network" if network else "offline", outcome)] += 1
    print(f"{'module':20} {'kind':8} {'passed':>7} {'failed':>7} {'skipped':>8}")
    for module, kind in sorted({(m, k) for m, k, _ in counts}):
        row = [counts[(module, kind, o)] for o in ("passed", "failed", "skipped")]
        print(f"{module:20} {kind:8} {row[0]:7} {row[1]:7} {row[2]:8}")
    modules = {m for m, _, _ in counts}
    passed = sum(counts[(m, "network", "passed")] for m in modules)
    total = passed + sum(counts[(m, "network", "failed")] for m in modules)
    print(f"\nnetwork tests (those with a recorded cassette): {passed} / {total} passed")
    for module, name, message in failures:
        print(f"FAILED {module}::{name}: {message}")


if __name__ == "__main__":
    raise SystemExit(main())
