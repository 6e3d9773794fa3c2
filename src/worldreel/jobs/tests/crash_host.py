"""A stand-in server for the crash test: recover the job store in DATA, run workers over it, and
wait to be killed (SIGTERM stops the workers cleanly; SIGKILL is what the test sends).

    python -m worldreel.jobs.tests.crash_host DATA [WORKERS]
"""

from __future__ import annotations

import signal
import sys
from pathlib import Path

from worldreel.jobs.store import JobStore
from worldreel.jobs.workers import Workers


def main(data: Path, count: int = 1) -> None:
    store = JobStore(data)
    requeued = store.recover()
    workers = Workers(data, count)
    workers.start()
    print(f"ready requeued={requeued}", flush=True)
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    try:
        while True:
            signal.pause()
    finally:
        workers.stop()


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]) if len(sys.argv) > 2 else 1)
