"""kill -9 during a job loses nothing: after a restart the job runs again and completes, and no
half-written file is ever served."""

from __future__ import annotations

import io
import time

import pytest

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")
av = pytest.importorskip("av")

from worldreel.server.tests.serving import start, stop  # noqa: E402

pytestmark = pytest.mark.slow


def _wait(server, video_id: str, until, timeout: float = 180.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        video = httpx.get(f"{server.api}/videos/{video_id}").json()
        if until(video):
            return video
        time.sleep(0.1)
    raise AssertionError(f"{video_id} never got there: {video}")


def test_sigkill_during_a_job_then_restart_completes_it(tmp_path):
    data = tmp_path / "data"
    server = start(data)
    try:
        first = httpx.post(server.api + "/videos", data={
            "prompt": "a basketball bounces on the floor", "seconds": "3",
            "size": "320x180"}).json()
        queued = httpx.post(server.api + "/videos", data={
            "prompt": "a tennis ball drops onto the floor", "seconds": "1",
            "size": "160x96"}).json()
        _wait(server, first["id"], lambda v: v["status"] == "in_progress" and v["progress"] > 5)
        server.kill()  # the server and, with it, its workers
        published = data / "videos" / first["id"]
        assert not published.exists()  # nothing was half-published
    finally:
        stop(server)
    server = start(data, port=None)
    try:
        # Served straight after the restart: no partial clip, only the job's status.
        content = httpx.get(f"{server.api}/videos/{first['id']}/content")
        assert content.status_code in (400, 200)
        for video_id, seconds in ((first["id"], 3.0), (queued["id"], 1.0)):
            done = _wait(server, video_id, lambda v: v["status"] in ("completed", "failed"))
            assert done["status"] == "completed", done
            clip = httpx.get(f"{server.api}/videos/{video_id}/content").content
            with av.open(io.BytesIO(clip)) as container:
                frames = sum(1 for _ in container.decode(video=0))
            assert frames == round(24 * seconds)
        listed = httpx.get(server.api + "/videos?order=asc").json()["data"]
        assert [v["id"] for v in listed] == [first["id"], queued["id"]]  # nothing lost or doubled
    finally:
        stop(server)
