"""Labelled question files, evaluation (top-1, MRR, handover precision/recall) and calibration.

A labelled file is JSON lines: `{"question", "expected": entry id or null (outside the levy),
"language": "en"|"id"?, "kind"?}`. A question should go to a person when it is outside the levy
(`expected` null) or its entry is marked for handover; handover precision and recall count
"handed over" as the positive class.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .kb import Entry, KnowledgeBaseError
from .policy import LOW_CONFIDENCE, Calibration, Chatbot, features


@dataclass(frozen=True)
class Labelled:
    question: str
    expected: str | None
    language: str | None = None
    kind: str = ""


def parse_labelled(text: str, origin: str, known: set[str] | None = None) -> list[Labelled]:
    """Rows of a labelled JSON-lines file; unknown entry ids are refused when `known` is given."""
    rows = []
    for number, line in enumerate(text.lstrip("\ufeff").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except ValueError:
            raise KnowledgeBaseError(f"{origin} line {number} is not valid JSON") from None
        if not isinstance(item, dict) or not isinstance(item.get("question"), str):
            raise KnowledgeBaseError(f"{origin} line {number} needs a string `question`")
        expected = item.get("expected")
        if expected is not None and not isinstance(expected, str):
            raise KnowledgeBaseError(f"{origin} line {number}: `expected` must be an id or null")
        if known is not None and expected is not None and expected not in known:
            raise KnowledgeBaseError(f"{origin} line {number}: no entry {expected!r} in the knowledge base")
        language = item.get("language")
        if language not in (None, "en", "id"):
            raise KnowledgeBaseError(f"{origin} line {number}: language must be \"en\" or \"id\"")
        rows.append(Labelled(item["question"], expected, language, str(item.get("kind", ""))))
    if not rows:
        raise KnowledgeBaseError(f"{origin} has no labelled questions")
    return rows


def load_labelled(path: Path, known: set[str] | None = None) -> list[Labelled]:
    try:
        text = path.read_text(encoding="utf-8")
    except (FileNotFoundError, IsADirectoryError):
        raise KnowledgeBaseError(f"{path}: no such file") from None
    except UnicodeDecodeError:
        raise KnowledgeBaseError(f"{path} is not UTF-8 text") from None
    return parse_labelled(text, str(path), known)


def should_hand_over(row: Labelled, by_id: dict[str, Entry]) -> bool:
    return row.expected is None or by_id[row.expected].handover


def evaluate(bot: Chatbot, rows: list[Labelled]) -> dict:
    """Top-1, MRR@5, handover precision/recall, answer accuracy and language accuracy."""
    by_id = {e.id: e for e in bot.entries}
    top1 = rr = in_scope = 0
    tp = fp = fn = 0
    correct_answers = answered = 0
    lang_ok = lang_n = 0
    unsure = unsure_offered = outside_offered = 0
    misses: list[dict] = []
    for row in rows:
        reply = bot.ask(row.question)
        hits = bot.retriever.search(row.question, k=5)
        ids = [h.entry.id for h in hits]
        if row.expected is not None:
            in_scope += 1
            if ids and ids[0] == row.expected:
                top1 += 1
            if row.expected in ids:
                rr += 1 / (ids.index(row.expected) + 1)
        want = should_hand_over(row, by_id)
        tp += reply.handoff and want
        fp += reply.handoff and not want
        fn += want and not reply.handoff
        if reply.reason == LOW_CONFIDENCE and row.expected is not None:
            unsure += 1
            unsure_offered += row.expected in dict(reply.suggestions)
        outside_offered += row.expected is None and bool(reply.suggestions)
        if not reply.handoff:
            answered += 1
            correct_answers += reply.entry_id == row.expected
        if row.language:
            lang_n += 1
            lang_ok += reply.language == row.language
        wrong_route = reply.handoff != want
        wrong_entry = row.expected is not None and (not ids or ids[0] != row.expected)
        if wrong_route or wrong_entry or (not reply.handoff and reply.entry_id != row.expected):
            misses.append({"question": row.question, "expected": row.expected, "got": ids[0] if ids else None,
                           "handoff": reply.handoff, "confidence": round(reply.confidence, 3)})
    out_of_scope = [r for r in rows if r.expected is None]
    oos_handed = sum(bot.ask(r.question).handoff for r in out_of_scope)
    return {
        "questions": len(rows),
        "in_scope": in_scope,
        "out_of_scope": len(out_of_scope),
        "top1": _ratio(top1, in_scope),
        "mrr": _ratio(rr, in_scope),
        "handover_precision": _ratio(tp, tp + fp),
        "handover_recall": _ratio(tp, tp + fn),
        "out_of_scope_handed_over": _ratio(oos_handed, len(out_of_scope)),
        "answered": answered,
        "answer_accuracy": _ratio(correct_answers, answered),
        "language_accuracy": _ratio(lang_ok, lang_n),
        # In-scope questions handed over for low confidence, and how many were offered their entry
        # among the "did you mean" choices; out-of-scope questions shown choices at all.
        "unsure_in_scope": unsure,
        "unsure_offered_right": unsure_offered,
        "out_of_scope_offered_choices": outside_offered,
        "misses": misses,
    }


def _ratio(num: float, den: float) -> float | None:
    return round(num / den, 4) if den else None


def calibrate(bot: Chatbot, rows: list[Labelled], precision: float = 0.95, origin: str = "") -> Calibration:
    """Fit the confidence model on labelled rows: label 1 when the best entry is the expected one.

    The threshold is the lowest confidence at which answered questions are right at least
    `precision` of the time on these rows (answering fewer questions rather than wrong ones), and
    above every question outside the levy in these rows: those must all go to a person.
    """
    x, y, outside = [], [], []
    for row in rows:
        hits = bot.retriever.search(row.question, k=5)
        x.append(features(bot.retriever, hits, row.question, bot.lex))
        y.append(int(row.expected is not None and bool(hits) and hits[0].entry.id == row.expected))
        outside.append(row.expected is None)
    if len(set(y)) < 2:
        raise KnowledgeBaseError("calibration needs both right and wrong retrievals (add questions "
                                 "outside the levy)")
    weights, bias = fit_logistic(np.asarray(x, dtype=float), np.asarray(y, dtype=float))
    fitted = Calibration(weights=tuple(round(float(w), 4) for w in weights),
                         bias=round(bias, 4), threshold=0.5, fitted_on=origin)
    scored = sorted(((fitted.confidence(f), label) for f, label in zip(x, y, strict=True)), reverse=True)
    threshold, right = 1.0, 0
    for n, (conf, label) in enumerate(scored, start=1):
        right += label
        if right / n >= precision:
            threshold = conf
    highest_outside = max((fitted.confidence(f) for f, o in zip(x, outside, strict=True) if o), default=0.0)
    threshold = max(threshold, highest_outside + 1e-4)
    return Calibration(fitted.weights, fitted.bias, round(threshold, 4), origin)


def fit_logistic(x: np.ndarray, y: np.ndarray, c: float = 10.0, steps: int = 100) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method (the objective of scikit-learn's
    LogisticRegression(C=c): c · log-loss + ½‖w‖², intercept not penalised). Deterministic."""
    design = np.hstack([x, np.ones((len(x), 1))])
    theta = np.zeros(design.shape[1])
    penalty = np.eye(design.shape[1]) / c
    penalty[-1, -1] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-design @ theta))
        gradient = design.T @ (p - y) + penalty @ theta
        hessian = design.T @ (design * (p * (1 - p))[:, None]) + penalty
        step = np.linalg.solve(hessian, gradient)
        theta -= step
        if np.abs(step).max() < 1e-10:
            break
    return theta[:-1], float(theta[-1])
