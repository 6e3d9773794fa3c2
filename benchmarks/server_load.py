"""Load on a local job server: 100 concurrent status polls and 10 concurrent creates against 2
workers (loopback only). Prints latency percentiles and what became of every job.

    MUJOCO_GL=egl .venv/bin/python benchmarks/server_load.py [--polls 100] [--creates 10]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from worldreel.server.tests.load import run_load
from worldreel.server.tests.serving import serving


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--polls", type=int, default=100)
    parser.add_argument("--creates", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, \
            serving(Path(folder) / "data", workers=args.workers) as server:
        started = time.perf_counter()
        result = run_load(server.api, polls=args.polls, creates=args.creates)
        took = time.perf_counter() - started
    print(f"{args.polls} polls + {args.creates} creates at once, {args.workers} workers")
    print(f"{'request':<10}{'n':>6}{'p50 ms':>10}{'p99 ms':>10}")
    for kind in ("poll", "create"):
        p50, p99 = result.percentiles(kind)
        print(f"{kind:<10}{len(getattr(result, kind + '_ms')):>6}{p50:>10.1f}{p99:>10.1f}")
    print("statuses:", dict(sorted(result.statuses.items())))
    done = sum(1 for s in result.finished.values() if s == "completed")
    print(f"jobs: {len(result.created)} created, {done} completed, "
          f"{len(result.created) - len(result.finished)} unfinished; all done in {took:.1f} s")


if __name__ == "__main__":
    main()
