"""Precision and recall of the judol detector on the labelled evaluation set, per split.

    python scripts/eval_judol.py [--split dev|test] [--errors]

A page is *flagged* when its verdict is not clean (infected or suspicious): that is what puts a
row in Scan Findings in front of a team. Precision = flagged infected pages / flagged pages,
recall = flagged infected pages / infected pages, each with a 95% Wilson score interval. Every
split is measured twice: with the page's URL (as a scan fetches it) and without (as `spbe judol
check FILE` reads a saved page). `--errors` lists the misclassified pages of the dev split only:
the test split is for measuring, never for tuning (tests/workflows/judol/eval/generate.py).
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workflows.judol.detector import detect  # noqa: E402

EVAL = ROOT / "tests" / "workflows" / "judol" / "eval"


def wilson(successes: int, n: int, z: float = 1.959964) -> tuple[float, float]:
    """95% Wilson score interval of a proportion (well-behaved at 0 and 1, unlike the normal one)."""
    if n == 0:
        return (0.0, 1.0)
    p = successes / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denom
    return (max(0.0, centre - half), min(1.0, centre + half))


def evaluate(split: str, with_url: bool) -> dict:
    """Counts, precision, recall and the misclassified pages of one split in one mode."""
    manifest = json.loads((EVAL / split / "manifest.json").read_text(encoding="utf-8"))
    tp = fp = fn = tn = 0
    errors = []
    for name, case in sorted(manifest.items()):
        html = (EVAL / split / name).read_text(encoding="utf-8")
        result = detect(html, case["url"] if with_url else "")
        flagged = result.verdict != "clean"
        infected = case["verdict"] != "clean"
        tp += flagged and infected
        fp += flagged and not infected
        fn += infected and not flagged
        tn += not flagged and not infected
        if flagged != infected:
            errors.append(
                (
                    name,
                    result.verdict,
                    [f"{e.technique}@{e.where}: {e.snippet[:60]}" for e in result.evidence],
                )
            )
    return {
        "split": split,
        "mode": "with URL" if with_url else "file only",
        "pages": len(manifest),
        "clean": fp + tn,
        "infected": tp + fn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "precision_ci": wilson(tp, tp + fp),
        "recall": tp / (tp + fn) if tp + fn else 1.0,
        "recall_ci": wilson(tp, tp + fn),
        "errors": errors,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test"], action="append")
    parser.add_argument("--errors", action="store_true", help="list the dev split's misclassified pages")
    args = parser.parse_args()
    print(
        f"{'split':5} {'mode':10} {'pages':>5} {'clean':>5} {'inf':>4} {'TP':>4} {'FP':>4} {'FN':>4}  "
        f"{'precision [95% CI]':24} {'recall [95% CI]':24}"
    )
    for split in args.split or ["dev", "test"]:
        for with_url in (True, False):
            r = evaluate(split, with_url)
            p, (plo, phi), rc, (rlo, rhi) = r["precision"], r["precision_ci"], r["recall"], r["recall_ci"]
            print(
                f"{split:5} {r['mode']:10} {r['pages']:5} {r['clean']:5} {r['infected']:4} {r['tp']:4} "
                f"{r['fp']:4} {r['fn']:4}  {p:.3f} [{plo:.3f}, {phi:.3f}]     {rc:.3f} [{rlo:.3f}, {rhi:.3f}]"
            )
            if args.errors and split == "dev":
                for name, verdict, ev in r["errors"]:
                    print(f"    {name}: {verdict} {ev[:3]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
