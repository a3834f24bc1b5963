"""`spbe serve`: the web app, job workers and (embedded mode) the workspace API, on one port.

The HTTP server is waitress (docs/queue.md says why): a fixed pool of request threads and a
bounded number of connections; request bodies are buffered by waitress's event loop before a thread
is taken, so slow clients cannot hold the threads. The job workers, their scheduler and the lease
renewal run as threads of the same process.

SIGTERM (and Ctrl-C): stop accepting connections, let the requests in progress finish (their
items are stored before they are answered), give running jobs a few seconds, hand the leases of
those still running back to the queue (the next start runs them again), and exit, all within
`SHUTDOWN_SECONDS`.
"""

from __future__ import annotations

import ipaddress
import logging
import signal
import time
from typing import Any

import click
from waitress.server import create_server

from integrations.notion import NotionError

from .services import Services
from .settings import Settings

log = logging.getLogger("spbe.serve")

SHUTDOWN_SECONDS = 10.0
# Of those: requests in progress get up to 5 s (waitress's own wait), running jobs what is left of
# 8 s but at most JOB_GRACE; the rest is for handing leases back and exiting.
JOB_GRACE = 5.0
THREADS = 8
CONNECTION_LIMIT = 100


def run_server(settings: Settings, host: str, port: int, workers: int = 2,
               threads: int = THREADS, connection_limit: int = CONNECTION_LIMIT) -> None:
    """Serve until SIGTERM or SIGINT."""
    from webapp import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per Notion call is noise
    services = Services(settings)
    try:
        services.workspace.init()  # idempotent; the workers' jobs need every database
    except NotionError as exc:
        raise click.ClickException(f"cannot prepare the Notion databases: {exc}") from None
    app = create_app(settings, services)
    server = create_server(app, host=host, port=port, threads=threads,
                           connection_limit=connection_limit, channel_timeout=30,
                           ident="spbe", clear_untrusted_proxy_headers=False)
    worker = services.queue.start_worker(workers)
    url = f"http://{host}:{server.effective_port}"
    click.echo(f"SPBE Ops serving on {url}  (jobs: {workers} worker threads; HTTP: {threads} "
               f"threads, at most {connection_limit} connections)", err=True)
    if settings.embedded:
        services.workspace.local.files_base_url = f"{url}/notion"  # file links work in a browser
        loopback = _is_loopback_host(host)
        click.echo(f"embedded workspace API: {url}/notion (token: `spbe workspace token`)"
                   + ("" if loopback else "; answers loopback clients only"), err=True)
        click.echo(f"workspace browser: {url}/workspace/", err=True)
    stopping: dict[str, float] = {}

    def stop(signum: int, frame: Any) -> None:
        if stopping:
            return
        stopping["at"] = time.monotonic()
        log.info("received %s: no new connections; finishing", signal.Signals(signum).name)
        server.close()  # the listening socket: new connections are refused from now on
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.run()  # on SystemExit waitress waits for the requests in progress, then returns
    finally:
        server.task_dispatcher.shutdown(timeout=1)  # no-op after SIGTERM: waitress did it
        started = stopping.get("at", time.monotonic())
        left = min(JOB_GRACE, max(0.5, SHUTDOWN_SECONDS - 2 - (time.monotonic() - started)))
        requeued = worker.stop(timeout=left)
        log.info("stopped; %d running job(s) handed back to the queue", requeued)


def _is_loopback_host(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
