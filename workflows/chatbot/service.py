"""The chatbot as the web app and the Qontak job use it: Approved entries, reloaded, and logged.

The knowledge base is read from Notion (Approved entries of Knowledge Base) and rebuilt at most
every `RELOAD_SECONDS`, so an editor's approval is served within minutes without a restart; when
Knowledge Base has no Approved entries the bundled seed answers. One service per Services object.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import replace
from datetime import datetime
from typing import Any

import httpx

from .convlog import ConversationLog
from .embedding import make_chatbot
from .kb import Entry, load_json_kb, seed_path, with_curated_variants
from .policy import Chatbot, Reply, contact_link, fallback_texts, web_texts

log = logging.getLogger("spbe.chatbot")
RELOAD_SECONDS = 300.0
_CREATE = threading.Lock()


class ChatService:
    """Answers messages from the current knowledge base and logs each turn."""

    def __init__(self, services: Any, entries: list[Entry] | None = None) -> None:
        self.services = services
        self._fixed = entries
        self._bot: Chatbot | None = None
        self._loaded_at: datetime | None = None
        self._lock = threading.Lock()
        self.source = ""
        self._http: httpx.Client | None = None
        self.log = ConversationLog(services.settings.home() / "chatbot.sqlite3")

    def _load(self) -> tuple[list[Entry], str]:
        if self._fixed is not None:
            return self._fixed, "given"
        from integrations.notion import NotionError

        from .store import load_approved

        try:
            entries = load_approved(self.services.settings)
        except NotionError as exc:  # keep serving what was loaded, or the seed
            log.warning("Knowledge Base could not be read (%s); serving the previous entries", exc)
            if self._bot is not None:
                return self._bot.entries, self.source
            entries = []
        if entries:
            return entries, "Knowledge Base"
        return load_json_kb(seed_path()), "seed"

    def bot(self, now: datetime) -> Chatbot:
        """The chatbot, rebuilt when the knowledge base was read more than RELOAD_SECONDS ago."""
        with self._lock:
            stale = self._loaded_at is None or (now - self._loaded_at).total_seconds() > RELOAD_SECONDS
            if self._bot is None or stale:
                entries, self.source = self._load()
                entries = with_curated_variants(entries)
                if self._bot is None or entries != self._bot.entries:
                    official = self.services.org.chatbot.official_site
                    self._bot = make_chatbot(entries, self.services.settings, fallback_texts(official),
                                             strict=False)
                self._loaded_at = now
            return self._bot

    def reload(self) -> None:
        """Read the knowledge base again at the next message."""
        with self._lock:
            self._loaded_at = None

    def answer(self, message: str, session: str, channel: str, now: datetime) -> Reply:
        """The reply to one message on `channel` ("web": no officer in the conversation, so a
        hand-over points to `[chatbot] handover_url`; "qontak": the officer joins the room)."""
        bot = self.bot(now)
        if channel == "web":
            text = self.services.org.chatbot
            reply = bot.ask(message, texts=web_texts(text.official_site, text.handover_url))
            if reply.handoff:
                reply = replace(reply, contact_url=contact_link(text.handover_url, message))
        else:
            reply = bot.ask(message)
        reply = self.rephrased(reply)
        self.log.record(reply, session, channel, now)
        return reply

    def rephrased(self, reply: Reply) -> Reply:
        """The reply reworded by the optional LLM (answers only, facts checked), else as it is."""
        settings = self.services.settings
        if not getattr(settings, "chatbot_llm_url", None) or reply.handoff:
            return reply
        from .rephrase import Rephraser

        key = settings.chatbot_llm_api_key.get_secret_value() if settings.chatbot_llm_api_key else None
        if self._http is None:
            self._http = httpx.Client(timeout=httpx.Timeout(5.0))
        text = Rephraser(settings.chatbot_llm_url, settings.chatbot_llm_model, key, self._http,
                         service=self.services.org.chatbot.service_en).rephrase(
            reply.question, reply.answer, reply.language)
        return replace(reply, answer=text)

    def close(self) -> None:
        self.log.close()
        if self._http is not None:
            self._http.close()
            self._http = None


def chat_service(services: Any) -> ChatService:
    """The ChatService of `services`, built on first use and kept on it."""
    with _CREATE:
        service = getattr(services, "_chat_service", None)
        if service is None:
            service = ChatService(services)
            services._chat_service = service
        return service
