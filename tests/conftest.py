"""Shared fixtures: settings on a temporary SPBE_HOME, services on the embedded workspace, the app."""

from __future__ import annotations

import pytest

from workflows.services import Services
from workflows.settings import Settings

WEBHOOK_SECRET = "secret_test_webhook_verification_token"
BUTTON_SECRET = "test-button-secret"


@pytest.fixture
def settings(tmp_path) -> Settings:
    """Embedded workspace in a temporary home; jobs run inline."""
    return Settings(
        _env_file=None,
        spbe_home=tmp_path / "home",
        notion_token=None,
        notion_parent_page_id=None,
        redis_url=None,
        notion_webhook_verification_token=WEBHOOK_SECRET,
        spbe_button_secret=BUTTON_SECRET,
        secret_key="test-secret-key",
        jobs_immediate=True,
    )


@pytest.fixture
def job_modules() -> list[str] | None:
    """Modules whose jobs the `services` fixture loads (None: JOB_MODULES). A test module that
    registers its own jobs overrides this fixture with `[*JOB_MODULES, __name__]`."""
    return None


@pytest.fixture
def services(settings, job_modules) -> Services:
    """Services with every database initialised in the embedded workspace."""
    from workflows.jobs import Registry

    svc = Services(settings, registry=Registry.load(job_modules))
    svc.workspace.init()
    return svc


@pytest.fixture
def app(settings, services):
    """The Flask app on those services."""
    from webapp import create_app

    application = create_app(settings, services)
    application.config["TESTING"] = True
    return application


@pytest.fixture
def client(app):
    """Flask test client."""
    return app.test_client()
