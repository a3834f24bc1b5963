"""Fixtures for the queue tests: a private redis-server.

Needs `redis-server` on PATH (.ci/run installs it); tests using it are skipped, and say so, where
it is missing. Redis listens on a Unix socket in the test's directory: no TCP port to race for.
"""

import shutil
import subprocess
import time

import pytest


@pytest.fixture
def redis_url(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    sock = tmp_path / "redis.sock"
    proc = subprocess.Popen([binary, "--port", "0", "--unixsocket", str(sock), "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    import redis

    client = redis.Redis(unix_socket_path=str(sock))
    deadline = time.monotonic() + 10
    while True:
        try:
            if sock.exists() and client.ping():
                break
        except redis.ConnectionError:
            pass
        if time.monotonic() > deadline or proc.poll() is not None:
            proc.kill()
            pytest.fail("redis-server did not start")
        time.sleep(0.02)  # polling a condition with a deadline, not synchronisation by sleep
    client.close()
    yield f"unix://{sock}"
    proc.terminate()
    proc.wait(timeout=10)
