"""Events acknowledged vs processed when `spbe serve` is killed with SIGKILL mid-burst.

Runs the drill of tests/workflows/drill.py twice: against this checkout (leased, acknowledged
queue) and against a baseline checkout (default: 84a692b, the last commit before
acknowledgements, where huey deletes a job when a worker takes it and the event id is marked seen
before the job is stored). Prints, for each: events answered 2xx, events whose handler ran,
acknowledged events never processed (lost), handlers that ran more than once, and the burst's
acknowledged events per second; then the ratios.

    .venv/bin/python scripts/bench_queue_kill9.py [--events 600] [--clients 16] [--kills 3]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.workflows.drill import Server, effects, run_burst  # noqa: E402


def settle(home: Path, wanted: set[str], quiet: float = 5.0, limit: float = 60.0) -> dict[str, int]:
    """Effects once every wanted id is there, or nothing changed for `quiet` seconds."""
    end, last, since = time.monotonic() + limit, -1, time.monotonic()
    while True:
        done = effects(home)
        if wanted <= set(done) or time.monotonic() > end:
            return done
        if len(done) != last:
            last, since = len(done), time.monotonic()
        elif time.monotonic() - since > quiet:
            return done
        time.sleep(0.2)


def drill(label: str, src: Path | None, args: argparse.Namespace, work: Path) -> dict:
    home = work / label / "home"
    server = Server(home, src=src, lease_seconds=2)
    try:
        result = run_burst(server, events=args.events, clients=args.clients, kills=args.kills)
        done = settle(home, set(result.acked))
    finally:
        server.kill()
    acked = set(result.acked)
    return {"label": label, "acked": len(acked), "processed": len(acked & set(done)),
            "lost": len(acked - set(done)), "twice": sum(1 for v in done.values() if v > 1),
            "rate": len(acked) / result.seconds if result.seconds else 0.0,
            "unanswered": args.events - len(acked)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=600)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--baseline", default="84a692b", help="git revision of the baseline")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        base_src = work / "baseline-src"
        base_src.mkdir()
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(base_src)], input=archive, check=True)
        rows = [drill("ours", None, args, work), drill(f"baseline {args.baseline}", base_src, args,
                                                         work)]
    print(f"{args.events} signed events, {args.clients} clients, kill -9 x{args.kills} mid-burst")
    print(f"{'':22} {'answered 2xx':>12} {'processed':>10} {'lost':>5} {'ran twice':>10} "
          f"{'acked/s':>8}")
    for r in rows:
        print(f"{r['label']:22} {r['acked']:>12} {r['processed']:>10} {r['lost']:>5} "
              f"{r['twice']:>10} {r['rate']:>8.0f}")
    ours, base = rows
    print(f"lost per 1000 acknowledged: ours {1000 * ours['lost'] / max(1, ours['acked']):.1f}, "
          f"baseline {1000 * base['lost'] / max(1, base['acked']):.1f}")
    print(f"acknowledged events per second, ours / baseline: {ours['rate'] / max(base['rate'], 1e-9):.2f}")


if __name__ == "__main__":
    main()
