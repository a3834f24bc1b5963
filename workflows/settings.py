"""One settings object, built in entry points only (CLI, create_app, job workers) and passed down."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import SecretStr, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Environment (and `.env`) settings; names as in DESIGN.md."""

    model_config = SettingsConfigDict(env_file=".env", extra="ignore")

    spbe_home: Path = Path("./var")
    # The organisation settings file (TOML, docs/organisation.md); unset = $SPBE_HOME/org.toml
    # when `spbe init --org` wrote one, else the packaged default organisation.
    spbe_org: Path | None = None
    notion_token: SecretStr | None = None
    notion_parent_page_id: str | None = None
    notion_webhook_verification_token: SecretStr | None = None
    spbe_button_secret: SecretStr | None = None
    redis_url: str | None = None
    secret_key: SecretStr | None = None
    # Client-side limiter: Notion's documented average is 3 requests/s.
    notion_rate_per_second: float = 3.0
    notion_burst: int = 10
    # A running job's lease: a worker that dies (kill -9) gives its jobs up after this long.
    spbe_job_lease_seconds: float = 30.0
    # Extra modules whose jobs and handlers are loaded (plug-ins), comma-separated.
    spbe_job_modules: str = ""
    # Reverse proxies whose X-Forwarded-* headers are believed: addresses or networks, comma-separated.
    spbe_trusted_proxies: str = ""
    # Extra Host names (comma-separated) the embedded workspace browser answers besides loopback.
    spbe_workspace_hosts: str = ""
    # Careers: candidates of positions closed longer than this are purged (`spbe careers purge`).
    careers_retention_days: int = 180
    # Qontak omnichannel (chatbot adapter): off while the webhook secret or the token is unset.
    qontak_base_url: str = "https://chat-service.qontak.com/api/open/v1"
    qontak_access_token: SecretStr | None = None  # a hand-set bearer; wins over the two below
    # OAuth2 password grant (token kept in $SPBE_HOME/qontak.sqlite3 and renewed), all four or none.
    qontak_username: str | None = None
    qontak_password: SecretStr | None = None
    qontak_client_id: str | None = None
    qontak_client_secret: SecretStr | None = None
    # Mekari API gateway HMAC (QONTAK_BASE_URL=https://api.mekari.com/qontak/chat/v1), both or none.
    qontak_hmac_username: str | None = None
    qontak_hmac_secret: SecretStr | None = None
    qontak_webhook_secret: SecretStr | None = None
    qontak_handover_tag: str = "chatbot-handover"
    qontak_handover_agent_id: str | None = None  # unset: round-robin assignment
    # Chatbot conversation log: turns older than this are deleted (daily job, `spbe chatbot purge`).
    chatbot_log_retention_days: int = 90
    # Optional LLM that only rephrases the chatbot's retrieved answers (OpenAI-compatible API).
    chatbot_llm_url: str | None = None  # e.g. http://127.0.0.1:11434/v1
    chatbot_llm_model: str = "gpt-4o-mini"
    chatbot_llm_api_key: SecretStr | None = None
    # Chatbot retrieval: "hybrid" (TF-IDF + multilingual embeddings; needs the `embeddings` extra
    # and an AVX2 CPU), "tfidf", or "auto": hybrid where it can run, else TF-IDF. docs/chatbot.md
    # has the latency and quality figures of both.
    chatbot_retriever: Literal["auto", "tfidf", "hybrid"] = "auto"
    # Embedded workspace only: enforce Notion's rate limit (3 requests/s on average, bursts of
    # `notion_local_burst`, 429 + Retry-After), and run our client's limiter as against Notion.
    notion_local_rate_limit: bool = False
    notion_local_burst: int = 3
    # Jobs run inline (tests, one-off CLI runs) instead of through the queue.
    jobs_immediate: bool = False
    # Outgoing email (bug-bounty notifications); unset host = mail is logged, not sent.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: SecretStr | None = None
    smtp_from: str = "SPBE Ops <noreply@localhost>"
    smtp_starttls: bool = True
    # Bug bounty: security.txt Contact, and the public address used in links sent by email.
    bounty_contact: str | None = None  # unset = mailto: the organisation's security_email
    public_base_url: str | None = None

    @property
    def embedded(self) -> bool:
        """True when no Notion token is set: the embedded workspace is the backend."""
        return self.notion_token is None

    def home(self) -> Path:
        """The data directory, created on first use."""
        self.spbe_home.mkdir(parents=True, exist_ok=True)
        return self.spbe_home


class SettingsError(ValueError):
    """A bad setting in the environment or .env, named in one line without its value."""


def load_settings() -> Settings:
    """Settings from the environment and .env. A bad value raises SettingsError naming the
    setting's environment name and what it should be, never the value (it may be a secret, and
    pydantic's own message quotes it)."""
    try:
        return Settings()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']).upper() or 'settings'}: {err['msg']}"
            for err in exc.errors(include_url=False, include_input=False))
        raise SettingsError(f"bad setting: {problems}") from None
