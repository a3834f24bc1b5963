"""`spbe serve`: the web app, a job worker and (embedded mode) the workspace API, on one port."""

from __future__ import annotations

import ipaddress
import logging
import signal

import click
from werkzeug.serving import make_server

from integrations.notion import NotionError

from .services import Services
from .settings import Settings


def run_server(settings: Settings, host: str, port: int, workers: int = 2) -> None:
    """Serve until interrupted."""
    from webapp import create_app

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one line per Notion call is noise
    services = Services(settings)
    try:
        services.workspace.init()  # idempotent; the workers' jobs need every database
    except NotionError as exc:
        raise click.ClickException(f"cannot prepare the Notion databases: {exc}") from None
    app = create_app(settings, services)
    consumer = services.queue.start_worker(workers)
    server = make_server(host, port, app, threaded=True)
    url = f"http://{host}:{server.server_port}"
    click.echo(f"SPBE Ops serving on {url}  (jobs: {workers} worker threads)", err=True)
    if settings.embedded:
        services.workspace.local.files_base_url = f"{url}/notion"  # file links work in a browser
        loopback = _is_loopback_host(host)
        click.echo(f"embedded workspace API: {url}/notion (token: `spbe workspace token`)"
                   + ("" if loopback else "; answers loopback clients only"), err=True)
        click.echo(f"workspace browser: {url}/workspace/", err=True)
    signal.signal(signal.SIGTERM, _exit)
    try:
        server.serve_forever()
    except (KeyboardInterrupt, SystemExit):
        pass
    finally:
        server.shutdown()
        consumer.stop(graceful=True)


def _exit(signum: int, frame: object) -> None:
    raise SystemExit(0)


def _is_loopback_host(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"
