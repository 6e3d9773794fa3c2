"""The crash test: a server killed with SIGKILL in the middle of a job loses nothing. After a
restart the job runs again from the start and completes; no half-written file is ever published."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import av
import pytest

from worldreel.jobs.store import STAGING_PREFIX, JobStore
from worldreel.pipeline.request import make_request

SECONDS, FPS = 3, 24
# Large enough that rendering lasts seconds: the kill must land mid-render, not after a clip
# that finished between two polls (it did once under a loaded CI machine at 160x120).
SIZE = "480x360"


def _host(data: Path, requeued: int = 0) -> subprocess.Popen:
    """The stand-in server, in a process group of its own (so the test can kill all of it)."""
    src = Path(__file__).resolve().parents[3]
    env = os.environ | {"PYTHONPATH": os.pathsep.join(
        filter(None, [str(src), os.environ.get("PYTHONPATH")]))}
    host = subprocess.Popen([sys.executable, "-m", "worldreel.jobs.tests.crash_host", str(data)],
                            stdout=subprocess.PIPE, text=True, env=env, start_new_session=True)
    assert host.stdout.readline().strip() == f"ready requeued={requeued}"
    return host


def _killed(host: subprocess.Popen, whole_group: bool) -> None:
    """SIGKILL the server (with its workers, or alone: they must then leave by themselves)."""
    if whole_group:
        os.killpg(host.pid, signal.SIGKILL)
    else:
        os.kill(host.pid, signal.SIGKILL)
    host.wait(10)
    # Its workers are in the same group; wait until every one of them is gone.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(host.pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise AssertionError("processes of the killed server are still alive")


def _until(store: JobStore, job_id: str, done, timeout: float):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = store.get(job_id, "")
        if done(job):
            return job
        if job.status == "completed" or job.status == "failed":
            break
        # Whatever can be fetched at any instant is whole: a published folder has its video.
        assert not store.files(job_id) or (store.video_dir(job_id) / "video.mp4").is_file()
        time.sleep(0.02)
    raise AssertionError(f"the job is {store.get(job_id, '')}")


@pytest.mark.slow
@pytest.mark.parametrize("whole_group", [True, False], ids=["with-workers", "server-alone"])
def test_a_server_killed_mid_job_loses_nothing(tmp_path, whole_group):
    store = JobStore(tmp_path)
    request = make_request(prompt="a ball drops", seconds=SECONDS, size=SIZE, fps=FPS)
    job = store.create(owner="", kind="create", model="sora-2", request=request,
                       prompt=request.prompt, seconds=str(SECONDS), size=SIZE)
    host = _host(tmp_path)
    try:
        # killed while rendering: the staging folder then holds a half-encoded clip
        running = _until(store, job.id, lambda j: j.status == "in_progress" and j.progress >= 40,
                         timeout=120)
    finally:
        _killed(host, whole_group)
    assert 40 <= running.progress < 100
    assert store.get(job.id, "").status == "in_progress"
    left = os.listdir(store.videos_dir)
    assert any(name.startswith(STAGING_PREFIX) for name in left)  # the partial work is there...
    assert job.id not in left and store.files(job.id) == {}  # ...and none of it is published

    host = _host(tmp_path, requeued=1)  # recover() put the interrupted job back
    try:
        done = _until(store, job.id, lambda j: j.status in ("completed", "failed"), timeout=180)
    finally:
        host.terminate()
        host.wait(30)
    assert done.status == "completed", done.error_message
    assert done.attempts == 2 and done.progress == 100
    assert os.listdir(store.videos_dir) == [job.id]  # the dead run's staging is gone
    files = store.files(job.id)
    assert {"video", "thumbnail", "spritesheet", "scene", "events", "recording"} == set(files)
    with av.open(str(files["video"])) as clip:
        assert sum(1 for _ in clip.decode(video=0)) == SECONDS * FPS
