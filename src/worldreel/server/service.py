"""What every route needs: who is asking, their videos and limits, and admitting a new job.

One Service per app, over its job store; the routes (server.routes) only read HTTP and call it.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from fastapi import Request
from starlette.datastructures import UploadFile

from worldreel.jobs.store import Job, JobStore, is_job_id
from worldreel.server import videos
from worldreel.server.errors import APIError
from worldreel.server.settings import ServerSettings

MAX_LIST = 100  # videos on one page of GET /v1/videos


@dataclass(frozen=True)
class Owner:
    """Who asks: an API key's id and limits ("" and the server's limits without keys)."""

    id: str
    max_seconds: float | None = None
    max_pixels: int | None = None
    max_concurrent: int | None = None


class Service:
    """The job store and the server's settings, with the checks every route shares."""

    def __init__(self, store: JobStore, settings: ServerSettings):
        self.store, self.settings = store, settings
        self.admit = threading.Lock()  # the concurrent-jobs check and the job it admits: one step
        self.hashes: dict[tuple[str, int, int], str] = {}  # a published clip's SHA-256, by file

    def owner_of(self, request: Request) -> Owner:
        """Who asks (a 401 when the server has keys and none of them was sent)."""
        header = request.headers.get("authorization", "")
        if not self.store.has_keys():
            return Owner("", max_concurrent=self.settings.max_active_jobs)
        scheme, _, secret = header.partition(" ")
        given = scheme.lower() == "bearer" and secret
        key = self.store.key_for(secret.strip()) if given else None
        if key is None:
            raise APIError(401, "a valid API key is required: send it as 'Authorization: Bearer "
                                "KEY' (keys are made with `worldreel key add`)",
                           code="invalid_api_key")
        return Owner(key["id"], key["max_seconds"], key["max_pixels"],
                     key["max_concurrent"] or self.settings.max_active_jobs)

    def job_of(self, video_id: str, owner: Owner) -> Job:
        job = self.store.get(video_id, owner.id) if is_job_id(video_id) else None
        if job is None:
            raise APIError(404, f"no video {video_id[:80]!r}", param="video_id",
                           code="video_not_found")
        return job

    def completed(self, video_id: str, owner: Owner) -> Job:
        job = self.job_of(video_id, owner)
        if job.status != "completed":
            raise APIError(400, f"video {video_id} is {job.status}; it must be completed first",
                           param="video_id", code="video_not_ready")
        return job

    def admitted(self, owner: Owner, *, kind: str, model: str, request, scene,
                 prompt: str | None, source: str | None = None,
                 warnings: list[str] = ()) -> dict:
        """A new job for `owner`, within its limits (a 400 over seconds or size, a 429 with too
        many jobs at once), as the Video object to answer with."""
        seconds = videos.seconds_text(request, scene)
        if owner.max_seconds is not None and scene.duration > owner.max_seconds:
            raise APIError(400, f"{seconds} s is over this key's limit of "
                                f"{owner.max_seconds:g} s; ask for less", param="seconds",
                           code="limit_exceeded")
        width, height = scene.resolution
        if owner.max_pixels is not None and width * height > owner.max_pixels:
            raise APIError(400, f"{width}x{height} is over this key's limit of "
                                f"{owner.max_pixels} pixels; ask for a smaller size",
                           param="size", code="limit_exceeded")
        with self.admit:
            if owner.max_concurrent is not None and \
                    self.store.active_count(owner.id) >= owner.max_concurrent:
                raise APIError(429, f"{owner.max_concurrent} videos are already queued or "
                                    "rendering for this key; wait for one to finish",
                               code="too_many_jobs", headers={"Retry-After": "5"})
            job = self.store.create(owner=owner.id, kind=kind, model=model, request=request,
                                    prompt=prompt, seconds=seconds,
                                    size=videos.size_text(scene), source_id=source,
                                    warnings=tuple(warnings))
        return videos.video_object(job)

    @staticmethod
    def planned(request):
        """The Scene the request asks for, planned now: a prompt that cannot be shown is a 400
        at once, not a failed job later."""
        from worldreel import pipeline  # noqa: PLC0415

        plan = pipeline.request_plan(request)
        return plan, request.model_copy(update={"scene": plan.scene, "prompt": None,
                                                "seconds": None, "size": None})

    def source_video(self, fields: dict, owner: Owner, name: str = "video") -> Job:
        """The video an edit, extension or character is made from: by id, or a file made here."""
        ref = fields.get(name)
        if isinstance(ref, dict):
            ref = ref.get("id")
        ref = ref if ref is not None else fields.get(f"{name}[id]")
        if isinstance(ref, str):
            return self.completed(ref, owner)
        if isinstance(ref, UploadFile):
            ref.file.seek(0)
            digest = hashlib.file_digest(ref.file, "sha256").hexdigest()
            for job in self.completed_jobs(owner):
                if self.video_digest(job) == digest:
                    return job
            raise APIError(400, "this video was not made by this server: WorldReel edits and "
                                "extends its own clips (it replays their Scene); give a video "
                                "made here, or its id as video[id]", param=name,
                           code="unknown_video")
        raise APIError(400, f"{name} is required: a video made here (file) or {{\"id\": ...}}",
                       param=name, code="missing_field")

    def completed_jobs(self, owner: Owner):
        after = None
        while True:
            page, more = self.store.list(owner.id, after=after, limit=MAX_LIST, order="desc")
            yield from (job for job in page if job.status == "completed")
            if not more or not page:
                return
            after = page[-1].id

    def video_digest(self, job: Job) -> str | None:
        path = self.store.files(job.id).get("video")
        if path is None:
            return None
        info = path.stat()
        key = (job.id, info.st_size, info.st_mtime_ns)
        if key not in self.hashes:
            with path.open("rb") as clip:  # streamed: a clip can be large
                self.hashes[key] = hashlib.file_digest(clip, "sha256").hexdigest()
        return self.hashes[key]

    def source_scene(self, job: Job, owner: Owner):
        scene = self.store.scene_of(job.id, owner.id)
        if scene is None:
            raise APIError(400, f"video {job.id} has no Scene to edit", code="video_not_ready")
        return scene

    def looks(self, owner: Owner) -> tuple:
        from worldreel.scene import NamedLook  # noqa: PLC0415

        return tuple(NamedLook.from_dict(c["look"]) for c in self.store.characters(owner.id))
