"""One settings object, built in entry points only (CLI, create_app, job workers) and passed down."""

from __future__ import annotations

from pathlib import Path

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Environment (and `.env`) settings; names as in DESIGN.md."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    spbe_home: Path = Path("./var")
    notion_token: SecretStr | None = None
    notion_parent_page_id: str | None = None
    notion_webhook_verification_token: SecretStr | None = None
    spbe_button_secret: SecretStr | None = None
    redis_url: str | None = None
    secret_key: SecretStr | None = None
    # Client-side limiter: Notion's documented average is 3 requests/s.
    notion_rate_per_second: float = 3.0
    notion_burst: int = 10
    # Embedded workspace only: enforce Notion's rate limit (3 requests/s on average, bursts of
    # `notion_local_burst`, 429 + Retry-After), and run our client's limiter as against Notion.
    notion_local_rate_limit: bool = False
    notion_local_burst: int = 3
    # Jobs run inline (tests, one-off CLI runs) instead of through the queue.
    jobs_immediate: bool = False

    @property
    def embedded(self) -> bool:
        """True when no Notion token is set: the embedded workspace is the backend."""
        return self.notion_token is None

    def home(self) -> Path:
        """The data directory, created on first use."""
        self.spbe_home.mkdir(parents=True, exist_ok=True)
        return self.spbe_home
