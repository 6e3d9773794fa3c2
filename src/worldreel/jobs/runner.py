"""Running one claimed job: make its clip in a private staging folder, then publish it whole.

The clip, its sidecars and its previews are written into videos/.staging-<id>-<pid>/ (held under
a lock while the worker lives, so `JobStore.recover` can tell a dead worker's folder from a live
one's). Publishing is ONE rename of that folder to videos/<id>/, and only then is the job marked
completed: a process killed at any instant leaves either no published folder (the job runs again)
or a whole one (recover completes the job). A job deleted while it runs is noticed at its next
progress report; its worker stops and publishes nothing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import time
import traceback
from pathlib import Path

from pydantic import ValidationError

from worldreel.errors import (AudioError, MediaError, OutputError, PhysicsError, PromptError,
                              RenderError, RequestError, SceneError, SettingsError,
                              WorldReelError)
from worldreel.interrupts import uninterrupted
from worldreel.jobs.store import STAGING_PREFIX, VIDEO_FILES, Job, JobStore
from worldreel.media.previews import write_previews
from worldreel.pipeline import PlayOptions, make
from worldreel.pipeline.request import Request, request_problems
from worldreel.tempfiles import abandoned, hold

# Where each pipeline stage's share of the bar lies (percent); 100 is only ever "completed".
STAGES = {"simulate": (0, 35), "sound": (35, 40), "render": (40, 99)}

# The error code a failed job reports, by the type of what went wrong (first match wins).
ERROR_CODES: tuple[tuple[type[WorldReelError], str], ...] = (
    (RequestError, "invalid_request"),
    (SceneError, "invalid_request"),
    (PromptError, "invalid_request"),
    (SettingsError, "invalid_request"),
    (PhysicsError, "simulation_failed"),
    (RenderError, "render_failed"),
    (AudioError, "audio_failed"),
    (MediaError, "media_failed"),
    (OutputError, "media_failed"),
)


class Stopped(BaseException):  # noqa: N818 - a signal, like KeyboardInterrupt
    """The worker was told to stop (SIGTERM) in the middle of a job: the job goes back in the
    queue. A BaseException so that no `except Exception` on the way swallows it."""


class _Cancelled(Exception):  # noqa: N818
    """The job was deleted (or taken back) while it ran."""


def error_code(exc: WorldReelError) -> str:
    """The API error code for a typed error."""
    for kind, code in ERROR_CODES:
        if isinstance(exc, kind):
            return code
    return "generation_failed"


class _Progress:
    """The pipeline's progress(stage, done, total) as a job's percent, written only when the
    whole number grows; raises _Cancelled once the job is no longer in progress."""

    def __init__(self, store: JobStore, job_id: str):
        self.store, self.job_id, self.percent = store, job_id, 0

    def __call__(self, stage: str, done: float, total: float) -> None:
        low, high = STAGES.get(stage, (self.percent, self.percent))
        fraction = min(1.0, max(0.0, done / total)) if total else 1.0
        self.advance(int(low + (high - low) * fraction))

    def advance(self, percent: int) -> None:
        if percent > self.percent:
            self.percent = percent
            if not self.store.set_progress(self.job_id, percent):
                raise _Cancelled()

    def check(self) -> None:
        if not self.store.is_running(self.job_id):
            raise _Cancelled()


def run_job(store: JobStore, job: Job) -> None:
    """Make a claimed job's clip and publish it (completed), or record why not (failed). A job
    deleted meanwhile leaves nothing behind; `Stopped` puts the job back in the queue and is
    raised again."""
    staging = store.videos_dir / f"{STAGING_PREFIX}{job.id}-{os.getpid()}"
    lock = None
    try:
        lock = _staging_folder(staging)
        progress = _Progress(store, job.id)
        _make(store, job, staging, progress)
        progress.check()
        with uninterrupted():  # a SIGTERM now would put back a job that is as good as done
            store.remove_published(job.id)  # one a dead attempt published before recover ran
            os.rename(staging, store.video_dir(job.id))
            _fsync_folder(store.videos_dir)
            store.complete(job.id)
    except _Cancelled:
        pass
    except Stopped:
        store.release(job.id)
        raise
    except WorldReelError as exc:
        store.fail(job.id, error_code(exc), _without_paths(str(exc), store, staging))
    except Exception as exc:  # a bug: the user gets a line, the log gets the traceback
        where = "the server's log"
        with contextlib.suppress(OSError):  # a full disk must not keep the job from failing
            where = f"{_log_failure(store, job).name} in the data folder's logs/"
        store.fail(job.id, "internal_error",
                   f"the video could not be made ({type(exc).__name__}); see {where}")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if lock is not None:
            os.close(lock)


def _without_paths(message: str, store: JobStore, staging: Path) -> str:
    """An error message for the API: the server's folders are none of the user's business."""
    for folder, said in ((staging, "the video's folder"), (store.data_dir.absolute(), "data"),
                         (store.data_dir, "data")):
        message = message.replace(f"{folder}{os.sep}", "").replace(str(folder), said)
    return message


def _staging_folder(staging: Path) -> int:
    """Make the job's staging folder and hold its lock. Staging folders of this job that earlier
    attempts left (their workers died, and nobody holds them) are removed first."""
    job_prefix = staging.name.rsplit("-", 1)[0] + "-"
    for old in staging.parent.glob(f"{job_prefix}*"):
        if abandoned(old):
            shutil.rmtree(old, ignore_errors=True)
    staging.mkdir()
    lock = hold(staging)
    if lock is None:
        raise OutputError(f"{staging.name} is held by another process; is a second server "
                          "using this data folder?")
    return lock


def _make(store: JobStore, job: Job, staging: Path, progress: _Progress) -> None:
    try:
        request = Request.model_validate(job.request)
    except ValidationError as exc:
        raise RequestError(request_problems(exc)) from None
    video = staging / VIDEO_FILES["video"]
    make(request, video, PlayOptions(keep_recording=True), progress=progress)
    progress.check()
    write_previews(video, staging / VIDEO_FILES["thumbnail"],
                   staging / VIDEO_FILES["spritesheet"])
    for name in VIDEO_FILES.values():
        if (staging / name).is_file():
            _fsync_file(staging / name)  # on disk before the rename makes them visible


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_folder(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system syncs folders
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _log_failure(store: JobStore, job: Job) -> Path:
    """Append the current exception's traceback to logs/<id>.log (the id is checked)."""
    store.logs_dir.mkdir(parents=True, exist_ok=True)
    log = store.logs_dir / f"{store.video_dir(job.id).name}.log"
    stamp = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    with open(log, "a", encoding="utf-8") as out:
        out.write(f"{stamp} attempt {job.attempts}, pid {os.getpid()}\n")
        out.write(traceback.format_exc())
        out.write("\n")
    return log
