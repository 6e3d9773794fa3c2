"""Worker processes: a job submitted is claimed and made by a separate process, with progress on
the way; stopping them mid-job puts the job back in the queue; a worker that dies is replaced and
its job runs again."""

from __future__ import annotations

import os
import signal
import time

from PIL import Image

from worldreel.jobs.store import JobStore
from worldreel.jobs.workers import Workers
from worldreel.pipeline.request import make_request


def _submit(store: JobStore, **fields):
    request = make_request(**({"prompt": "a ball drops", "seconds": 1, "size": "64x48",
                               "fps": 8} | fields))
    return store.create(owner="", kind="create", model="sora-2", request=request,
                        prompt=request.prompt, seconds=str(request.seconds),
                        size="x".join(map(str, request.size)))


def _wait(store: JobStore, job_id: str, done, timeout: float = 120.0) -> list[int]:
    """Poll the job until done(job); the progress values seen on the way."""
    seen, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = store.get(job_id, "")
        seen.append(job.progress)
        if done(job):
            return seen
        time.sleep(0.02)
    raise AssertionError(f"job still {store.get(job_id, '')} after {timeout} s")


def test_a_worker_process_makes_a_submitted_job(tmp_path):
    store = JobStore(tmp_path)
    workers = Workers(tmp_path, count=1)
    workers.start()
    try:
        assert workers.alive() == 1
        job = _submit(store)
        seen = _wait(store, job.id, lambda j: j.status in ("completed", "failed"))
    finally:
        workers.stop()
    done = store.get(job.id, "")
    assert done.status == "completed", done.error_message
    assert done.progress == 100 and done.attempts == 1
    assert seen == sorted(seen) and any(0 < p < 100 for p in seen)  # it moved, never back
    files = store.files(job.id)
    assert {"video", "thumbnail", "spritesheet", "scene"} <= set(files)
    with Image.open(files["thumbnail"]) as thumb:
        assert thumb.size == (64, 48)
    with Image.open(files["spritesheet"]) as sprites:
        assert sprites.size == (5 * 64, 2 * 48)  # 8 frames, 5 a row
    assert workers.alive() == 0


def test_stopping_workers_mid_job_puts_the_job_back(tmp_path):
    store = JobStore(tmp_path)
    workers = Workers(tmp_path, count=1)
    workers.start()
    job = _submit(store, seconds=3, size="160x120", fps=24)
    try:
        _wait(store, job.id, lambda j: j.progress > 0)
    finally:
        workers.stop(timeout=0)  # SIGTERM at once: the worker gives the job back
    back = store.get(job.id, "")
    assert (back.status, back.progress, back.attempts) == ("queued", 0, 1)
    assert os.listdir(store.videos_dir) == []  # its staging folder removed


def test_a_worker_that_dies_is_replaced_and_its_job_runs_again(tmp_path):
    store = JobStore(tmp_path)
    workers = Workers(tmp_path, count=1)
    workers.start()
    job = _submit(store, seconds=2, size="96x64", fps=12)
    try:
        _wait(store, job.id, lambda j: j.progress > 0)
        os.kill(workers._processes[0].pid, signal.SIGKILL)
        _wait(store, job.id, lambda j: j.status in ("completed", "failed"), timeout=180)
        assert workers.alive() == 1
    finally:
        workers.stop()
    done = store.get(job.id, "")
    assert (done.status, done.attempts) == ("completed", 2)
    assert sorted(os.listdir(store.videos_dir)) == [job.id]
