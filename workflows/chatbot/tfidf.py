"""TF-IDF vectors over word n-grams or character n-grams within word boundaries, on scipy.sparse.

The same weighting as scikit-learn's TfidfVectorizer(sublinear_tf=True, smooth_idf=True, norm="l2"):
tf = 1 + ln(count), idf = ln((1 + n) / (1 + df)) + 1, rows scaled to unit length. Written here
(30 lines) rather than imported because importing scikit-learn alone costs half a second of the
two-second start-up budget (docs/chatbot.md).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable

import numpy as np
from scipy import sparse

_TOKEN = re.compile(r"(?u)\b\w[\w'-]*\b")


def word_ngrams(text: str, n_max: int = 2) -> list[str]:
    tokens = _TOKEN.findall(text)
    grams = list(tokens)
    for n in range(2, n_max + 1):
        grams += [" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1)]
    return grams


def char_wb_ngrams(text: str, n_min: int = 3, n_max: int = 5) -> list[str]:
    """Character n-grams of each space-padded word (short words count once, whole)."""
    grams = []
    for word in text.split():
        padded = f" {word} "
        for n in range(n_min, n_max + 1):
            if len(padded) <= n:
                grams.append(padded)
                break
            grams += [padded[i:i + n] for i in range(len(padded) - n + 1)]
    return grams


class Tfidf:
    """Fitted on documents; `matrix` is features × documents (CSR), each document of unit length."""

    def __init__(self, analyzer: Callable[[str], list[str]], docs: list[str]) -> None:
        self.analyzer = analyzer
        counts = [Counter(analyzer(d)) for d in docs]
        df: Counter[str] = Counter()
        for c in counts:
            df.update(c.keys())
        terms = sorted(df)
        self.vocabulary = {term: i for i, term in enumerate(terms)}
        n = len(docs)
        self.idf = np.log((1 + n) / (1 + np.array([df[t] for t in terms], dtype=np.float64))) + 1
        # Vectorised: one (term, document, count) triple per distinct term of each document.
        vocab = self.vocabulary
        rows = np.fromiter((vocab[t] for c in counts for t in c), dtype=np.int64)
        cols = np.repeat(np.arange(n), [len(c) for c in counts])
        tf = np.fromiter((k for c in counts for k in c.values()), dtype=np.float64, count=len(rows))
        vals = (1 + np.log(tf)) * self.idf[rows]
        norms = np.sqrt(np.bincount(cols, weights=vals * vals, minlength=n))
        vals = vals / np.where(norms > 0, norms, 1)[cols]
        self.idf = self.idf.astype(np.float32)
        self.matrix = sparse.csr_matrix((vals.astype(np.float32), (rows, cols)), shape=(len(terms), n))

    def _weights(self, counts: Counter[str]) -> dict[int, float]:
        vec = {self.vocabulary[t]: (1 + math.log(c)) * float(self.idf[self.vocabulary[t]])
               for t, c in counts.items() if t in self.vocabulary}
        norm = math.sqrt(sum(v * v for v in vec.values()))
        return {i: v / norm for i, v in vec.items()} if norm else {}

    def similarities(self, text: str) -> np.ndarray:
        """Cosine similarity of `text` to every document."""
        vec = self._weights(Counter(self.analyzer(text)))
        if not vec:
            return np.zeros(self.matrix.shape[1], dtype=np.float32)
        idx = np.fromiter(vec.keys(), dtype=np.int64, count=len(vec))
        vals = np.fromiter(vec.values(), dtype=np.float32, count=len(vec))
        return np.asarray(self.matrix[idx].T @ vals).ravel()
