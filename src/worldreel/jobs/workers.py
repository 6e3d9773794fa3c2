"""Worker processes: each loops claim -> run_job until told to stop.

Workers are separate OS processes (multiprocessing, "spawn": no state copied from the server),
each with its own connection to the job store. A worker ends its job when its server dies, even
by SIGKILL (it watches its parent), so a restarted server never races a stray worker of the old
one. A worker that dies (a crash in a native library, the OOM killer) is replaced, and its job is
queued again, up to MAX_ATTEMPTS tries in all.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import threading
import time
from pathlib import Path

from worldreel.interrupts import deliver
from worldreel.jobs.runner import Stopped, run_job
from worldreel.jobs.store import JobStore

POLL_S = 0.2  # how often an idle worker looks for a queued job
PARENT_CHECK_S = 0.5  # how often a worker checks that its server is alive
WATCH_S = 0.5  # how often the server looks for workers that died
KILL_GRACE_S = 5.0  # after SIGTERM, how long a worker has to put its job back
RESPAWN_S = 5.0  # at most one new worker per slot this often (one that dies at start-up)

log = logging.getLogger("worldreel.jobs")


class Workers:
    """`count` worker processes over the job store in `data_dir`, replaced when they die."""

    def __init__(self, data_dir: Path, count: int = 1):
        if count < 1:
            raise ValueError("at least one worker is needed")
        self.data_dir, self.count = Path(data_dir), count
        self._context = multiprocessing.get_context("spawn")
        self._stop = self._context.Event()
        self._processes: list = []
        self._born: list[float] = []  # when each slot's worker was started (time.monotonic)
        self._names = [f"{socket.gethostname()}-{os.getpid()}-{n}" for n in range(count)]
        self._watcher: threading.Thread | None = None
        self._store: JobStore | None = None
        self._guard = threading.Lock()

    def start(self) -> None:
        """Start the workers (call `JobStore.recover` first, once, at start-up)."""
        with self._guard:
            if self._processes:
                raise RuntimeError("the workers are already started")
            self._stop.clear()
            self._store = JobStore(self.data_dir)
            self._processes = [self._spawn(name) for name in self._names]
            self._born = [time.monotonic()] * self.count
        self._watcher = threading.Thread(target=self._watch, name="worldreel-workers-watch",
                                         daemon=True)
        self._watcher.start()

    def _spawn(self, name: str):
        # Not daemonic: a worker starts render processes of its own, which daemons may not.
        process = self._context.Process(target=work, name=f"worldreel-worker-{name}",
                                        args=(str(self.data_dir), name, self._stop, os.getpid()))
        process.start()
        return process

    def _watch(self) -> None:
        while not self._stop.wait(WATCH_S):
            with self._guard:
                if self._stop.is_set():
                    return
                for i, process in enumerate(self._processes):
                    if process.is_alive() or time.monotonic() - self._born[i] < RESPAWN_S:
                        continue
                    log.warning("worker %s died (exit code %s); starting another",
                                self._names[i], process.exitcode)
                    self._requeue(self._names[i], process.pid)
                    self._processes[i] = self._spawn(self._names[i])
                    self._born[i] = time.monotonic()

    def _requeue(self, name: str, pid: int | None) -> None:
        """Put back the job of a worker that died, and remove what it was writing."""
        try:
            if self._store is not None:
                self._store.requeue_worker(name)
                if pid is not None:
                    self._store.remove_staging_of(pid)
        except Exception:  # the store busy beyond its timeout: recover() does it at restart
            log.exception("could not put back the job of worker %s", name)

    def stop(self, timeout: float = 10) -> None:
        """Let the workers finish their jobs but start no new one; after `timeout` seconds, stop
        the rest (their jobs go back in the queue)."""
        self._stop.set()
        if self._watcher is not None:
            self._watcher.join()
            self._watcher = None
        with self._guard:
            deadline = time.monotonic() + timeout
            for process in self._processes:
                process.join(max(0.0, deadline - time.monotonic()))
            late = [p for p in self._processes if p.is_alive()]
            for process in late:
                process.terminate()  # SIGTERM: the worker puts its job back and exits
            for process in late:
                process.join(KILL_GRACE_S)
                if process.is_alive():
                    process.kill()
                    process.join()
            for name, process in zip(self._names, self._processes):
                self._requeue(name, process.pid)  # a job whose worker had to be killed
            self._processes = []
            if self._store is not None:
                self._store.close()
                self._store = None

    def alive(self) -> int:
        """How many worker processes are running."""
        with self._guard:
            return sum(p.is_alive() for p in self._processes)


def work(data_dir: str, name: str, stop, parent: int) -> None:
    """One worker process: claim a job, run it, repeat, until `stop` is set."""
    # Ctrl-C in the server's terminal reaches the whole group; the server decides when we stop.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def terminated(signum, frame):
        deliver(_raise_stopped)  # now, or after a few lines that must not be cut (interrupts)

    store = None
    try:
        signal.signal(signal.SIGTERM, terminated)
        threading.Thread(target=_leave_with, args=(parent,), daemon=True).start()
        store = JobStore(Path(data_dir))
        while not stop.is_set():
            try:
                job = store.claim(name)
            except Exception:  # the database busy beyond its timeout: try again shortly
                log.exception("worker %s could not claim a job", name)
                job = None
            if job is None:
                stop.wait(POLL_S)
                continue
            run_job(store, job)
    except Stopped:
        pass  # a job claimed just now, before run_job, is put back by Workers.stop
    finally:
        if store is not None:
            store.close()


def _raise_stopped() -> None:
    raise Stopped()


def _leave_with(parent: int) -> None:
    """Exit when the server is gone (killed with SIGKILL, it cannot stop us): its restart
    queues our job again, and two processes must never make the same job."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_S)
    os._exit(1)
