"""The queue on Redis: work enqueued on one machine is run by workers elsewhere, events de-duplicated.

Needs `redis-server` on PATH (.ci/run installs it); skipped, and says so, where it is missing.
"""

import shutil
import socket
import subprocess

import pytest

from tests.helpers import wait_until
from workflows.jobs import Queue, job
from workflows.services import Services

RAN: list = []


@job("test.redis_record")
def _record(services, value):
    RAN.append(value)


@pytest.fixture
def redis_url(tmp_path):
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("redis-server is not installed")
    # A unix socket in tmp_path and no TCP port (`--port 0`): nothing to race other processes for.
    sock = tmp_path / "redis.sock"
    proc = subprocess.Popen([binary, "--port", "0", "--unixsocket", str(sock), "--save", "",
                             "--appendonly", "no", "--dir", str(tmp_path)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def accepting() -> bool:
        try:
            with socket.socket(socket.AF_UNIX) as s:
                s.connect(str(sock))
            return True
        except OSError:
            return False

    assert wait_until(accepting, timeout=10), "redis-server did not start"
    yield f"unix://{sock}?db=0"
    proc.terminate()
    proc.wait(timeout=10)


def test_two_workers_share_one_redis_queue(settings, redis_url):
    RAN.clear()
    s = settings.model_copy(update={"redis_url": redis_url, "jobs_immediate": False})
    producer = Queue(s, lambda: Services(s))
    worker_a = Queue(s.model_copy(update={"spbe_home": settings.spbe_home / "a"}), lambda: Services(s))
    worker_b = Queue(s.model_copy(update={"spbe_home": settings.spbe_home / "b"}), lambda: Services(s))
    for i in range(10):
        producer.enqueue("test.redis_record", value=i)
    assert len(worker_a.pending()) == 10
    ran = worker_a.drain(max_tasks=4) + worker_b.drain()
    assert ran == 10 and sorted(RAN) == list(range(10))
    assert not (s.spbe_home / "jobs.sqlite3").exists()  # nothing went to SQLite
    assert worker_a.remember_once("evt-x") is True
    assert worker_b.remember_once("evt-x") is False
    producer.huey.storage.flush_all()
