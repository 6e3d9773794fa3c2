"""Running a job: a clip published whole with its sidecars and previews, progress that only grows,
failures with a code and a message, and a job deleted mid-run leaving nothing behind."""

from __future__ import annotations

import os

import av
import pytest
from PIL import Image

import worldreel.jobs.runner as runner
from worldreel.errors import PhysicsError
from worldreel.jobs.runner import error_code, run_job
from worldreel.jobs.store import JobStore
from worldreel.media.previews import spritesheet_size
from worldreel.pipeline.request import make_request

TINY = dict(prompt="a ball drops", seconds=1, size="64x48", fps=8)


def _claimed(store: JobStore, **fields):
    request = make_request(**(TINY | fields))
    job = store.create(owner="k", kind="create", model="sora-2", request=request,
                       prompt=request.prompt, seconds="1", size="64x48")
    claimed = store.claim("test")
    assert claimed.id == job.id
    return claimed


def test_a_job_is_published_whole_then_completed(tmp_path, monkeypatch):
    store = JobStore(tmp_path)
    job = _claimed(store)
    seen = []
    real = store.set_progress
    monkeypatch.setattr(store, "set_progress",
                        lambda job_id, p: (seen.append(p), real(job_id, p))[1])
    run_job(store, job)
    done = store.get(job.id, "k")
    assert done.status == "completed" and done.progress == 100 and done.completed_at
    assert seen == sorted(set(seen)) and 0 < seen[0] and seen[-1] == 99  # grows, written once
    files = store.files(job.id)
    assert set(files) == {"video", "thumbnail", "spritesheet", "scene", "events", "recording"}
    assert os.listdir(store.videos_dir) == [job.id]  # no staging left
    assert sorted(os.listdir(store.video_dir(job.id))) == sorted(p.name for p in files.values())
    with av.open(str(files["video"])) as clip:
        assert sum(1 for _ in clip.decode(video=0)) == 8
    with Image.open(files["thumbnail"]) as thumb:
        assert thumb.format == "WEBP" and thumb.size == (64, 48)
    with Image.open(files["spritesheet"]) as sprites:
        assert sprites.format == "JPEG" and sprites.size == spritesheet_size(8, 64, 48)
    assert store.scene_of(job.id, "k").resolution == (64, 48)
    assert store.scene_of(job.id, "someone else") is None


def test_a_stored_scene_plays_again_as_a_remix(tmp_path):
    store = JobStore(tmp_path)
    first = _claimed(store)
    run_job(store, first)
    scene = store.scene_of(first.id, "k")
    request = make_request(scene=scene, seed=7)  # the Scene travels through the store as JSON
    store.create(owner="k", kind="remix", model="sora-2", request=request, prompt=None,
                 seconds="1", size="64x48", source_id=first.id)
    remix = store.claim("test")
    run_job(store, remix)
    done = store.get(remix.id, "k")
    assert (done.status, done.source_id) == ("completed", first.id), done.error_message
    played = store.scene_of(remix.id, "k")
    assert played.seed == 7 and played.entities == scene.entities


@pytest.mark.parametrize("at", [20, 60])  # while simulating; while rendering
def test_a_job_deleted_while_running_stops_and_leaves_nothing(tmp_path, monkeypatch, at):
    store = JobStore(tmp_path)
    job = _claimed(store)
    real = store.set_progress

    def delete_midway(job_id, percent):
        if percent >= at:
            store.delete(job_id, "k")
        return real(job_id, percent)

    monkeypatch.setattr(store, "set_progress", delete_midway)
    run_job(store, job)
    assert store.get(job.id, "k") is None
    assert os.listdir(store.videos_dir) == []


def test_a_typed_error_fails_the_job_with_its_code_and_message(tmp_path, monkeypatch):
    store = JobStore(tmp_path)
    job = _claimed(store)

    def unstable(request, output, *args, **kwargs):
        raise PhysicsError(f"{output}: the simulation became unstable at 0.4 s; lower the speeds")

    monkeypatch.setattr(runner, "make", unstable)
    run_job(store, job)
    failed = store.get(job.id, "k")
    assert (failed.status, failed.error_code) == ("failed", "simulation_failed")
    assert failed.error_message == ("video.mp4: the simulation became unstable at 0.4 s; "
                                    "lower the speeds")  # no server paths in what users see
    assert os.listdir(store.videos_dir) == []


def test_a_request_the_director_cannot_play_is_an_invalid_request(tmp_path):
    store = JobStore(tmp_path)
    job = _claimed(store, prompt="a person walks to the door, opens it and waves", seconds=0.5)
    run_job(store, job)
    failed = store.get(job.id, "k")
    assert (failed.status, failed.error_code) == ("failed", "invalid_request")
    assert failed.error_message


def test_a_bug_fails_the_job_and_logs_the_traceback(tmp_path, monkeypatch):
    store = JobStore(tmp_path)
    job = _claimed(store)
    monkeypatch.setattr(runner, "make", lambda *a, **k: 1 / 0)
    run_job(store, job)
    failed = store.get(job.id, "k")
    assert (failed.status, failed.error_code) == ("failed", "internal_error")
    assert "ZeroDivisionError" in failed.error_message
    assert str(tmp_path) not in failed.error_message  # no server paths in what users see
    log = (tmp_path / "logs" / f"{job.id}.log").read_text()
    assert "Traceback" in log and "ZeroDivisionError" in log
    assert os.listdir(store.videos_dir) == []


def test_error_codes_follow_the_error_type():
    from worldreel.errors import DurationError, MediaError, RequestError
    assert error_code(RequestError("x")) == "invalid_request"
    assert error_code(DurationError(1.0, 2.0)) == "invalid_request"
    assert error_code(MediaError("x")) == "media_failed"
