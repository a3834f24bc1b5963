"""Optional: an LLM (any OpenAI-compatible endpoint, through httpx) rephrases a retrieved answer.

It never answers on its own: it gets the question and the knowledge-base answer and may only
reword it. `faithful` (pure) then checks the result: every number, amount, date and web address
in the rewording must be in the original, none of the original's may be lost, and it may not grow
past twice the length. Anything else (a refusal, an invented figure, a timeout, an error status)
and the original answer is sent unchanged. Handovers are never rephrased. Off unless
CHATBOT_LLM_URL is set.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import httpx

log = logging.getLogger("spbe.chatbot")
_NUMBER = re.compile(r"\d[\d.,/]*\d|\d")
_ADDRESS = re.compile(r"(?i)\b(?:https?://)?(?:[a-z0-9-]+\.)+[a-z]{2,}\b(?:/[^\s]*)?")

PROMPT = ("You rephrase answers of the {service} help desk. Reword the given answer so it reads "
          "naturally as a reply to the question, in {language}. Use only facts in the answer: add no "
          "number, date, amount, place, name or web address, and drop none. Reply with the reworded "
          "answer only.")


def _numbers(text: str) -> set[str]:
    return {re.sub(r"[.,]", "", n) for n in _NUMBER.findall(text)}


def _addresses(text: str) -> set[str]:
    return {a.lower().rstrip(".,)") for a in _ADDRESS.findall(text)}


def faithful(original: str, candidate: str) -> bool:
    """True when `candidate` keeps exactly the figures and addresses of `original`, and is short."""
    if not candidate.strip() or len(candidate) > 2 * len(original) + 40:
        return False
    return _numbers(candidate) == _numbers(original) and _addresses(candidate) <= _addresses(original) \
        and _addresses(original) <= _addresses(candidate)


class Rephraser:
    """One OpenAI-compatible chat-completions endpoint on an `httpx.Client` owned by the caller."""

    def __init__(self, base_url: str, model: str, api_key: str | None, http: httpx.Client,
                 service: str = "public service") -> None:
        self.service = service
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.http = http
        self.headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}

    def rephrase(self, question: str, answer: str, language: str) -> str:
        """The reworded answer if the endpoint gives a faithful one, else `answer`."""
        body: dict[str, Any] = {
            "model": self.model,
            "temperature": 0,
            "messages": [
                {"role": "system", "content": PROMPT.format(
                    service=self.service, language="Indonesian" if language == "id" else "English")},
                {"role": "user", "content": f"Question: {question}\nAnswer: {answer}"},
            ],
        }
        try:
            response = self.http.post(self.url, json=body, headers=self.headers)
            response.raise_for_status()
            candidate = response.json()["choices"][0]["message"]["content"]
        except (httpx.HTTPError, ValueError, KeyError, IndexError, TypeError) as exc:
            log.warning("rephrasing skipped: %s", type(exc).__name__)
            return answer
        if not isinstance(candidate, str) or not faithful(answer, candidate):
            log.info("rephrasing refused: it changed the answer's facts")
            return answer
        return candidate.strip()
