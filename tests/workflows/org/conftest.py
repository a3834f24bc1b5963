"""Organisation fixtures: the packaged default and the second demo organisation (WIB)."""

from __future__ import annotations

from pathlib import Path

import pytest

from workflows.org.model import DATA

SUKAMAJU = DATA / "sukamaju" / "org.toml"
BALI = DATA / "bali" / "org.toml"


@pytest.fixture
def sukamaju_settings(settings):
    """The shared test settings with SPBE_ORG naming the second demo organisation."""
    return settings.model_copy(update={"spbe_org": SUKAMAJU})


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path
