"""The FastAPI app: OpenAI's Videos API routes over the job store, and the studio's files.

Handlers only read the HTTP request, ask the request model and the job store, and shape the
answer the way OpenAI's API does; the work happens in the job workers.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from worldreel.errors import WorldReelError
from worldreel.jobs.store import Job, JobStore, is_job_id
from worldreel.jobs.workers import Workers
from worldreel.server import videos
from worldreel.server.errors import (APIError, api_error, http_error, validation_error,
                                     worldreel_error)
from worldreel.server.limits import BodyLimit
from worldreel.server.settings import ServerSettings

STATIC = Path(__file__).with_name("static")
CONTENT = {  # variant -> (file, media type); the first three are OpenAI's
    "video": ("video", "video/mp4"),
    "thumbnail": ("thumbnail", "image/webp"),
    "spritesheet": ("spritesheet", "image/jpeg"),
    "scene": ("scene", "application/yaml"),
    "events": ("events", "application/json"),
    "recording": ("recording", "application/octet-stream"),
}
MAX_LIST = 100
CHARACTER_NAME = r"^[A-Za-z][A-Za-z'-]{0,31}$"


@dataclass(frozen=True)
class Owner:
    """Who asks: an API key's id and limits ("" and the server's limits without keys)."""

    id: str
    max_seconds: float | None = None
    max_pixels: int | None = None
    max_concurrent: int | None = None


def create_app(settings: ServerSettings = ServerSettings()) -> FastAPI:
    """The server's app. Its workers start and stop with the app's lifespan."""
    store = JobStore(Path(settings.data_dir))
    admit = threading.Lock()  # the concurrent-jobs check and the job it admits are one step
    hashes: dict[tuple[str, int, int], str] = {}

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        store.recover()  # what a killed server left: queued again, or completed if published
        workers = Workers(Path(settings.data_dir), settings.workers)
        workers.start()
        try:
            yield
        finally:
            workers.stop()

    app = FastAPI(title="WorldReel", summary="OpenAI's Videos API, served by simulation.",
                  lifespan=lifespan, docs_url="/docs", redoc_url=None)
    app.add_exception_handler(APIError, api_error)
    app.add_exception_handler(WorldReelError, worldreel_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_middleware(BodyLimit, json_bytes=settings.max_json_bytes,
                       upload_bytes=settings.max_upload_bytes)
    if settings.cors_origins:
        from fastapi.middleware.cors import CORSMiddleware  # noqa: PLC0415

        app.add_middleware(CORSMiddleware, allow_origins=list(settings.cors_origins),
                           allow_methods=["*"], allow_headers=["*"])

    def owner_of(request: Request) -> Owner:
        header = request.headers.get("authorization", "")
        if not store.has_keys():
            return Owner("", max_concurrent=settings.max_active_jobs)
        scheme, _, secret = header.partition(" ")
        key = store.key_for(secret.strip()) if scheme.lower() == "bearer" and secret else None
        if key is None:
            raise APIError(401, "a valid API key is required: send it as 'Authorization: Bearer "
                                "KEY' (keys are made with `worldreel key add`)",
                           code="invalid_api_key")
        return Owner(key["id"], key["max_seconds"], key["max_pixels"],
                     key["max_concurrent"] or settings.max_active_jobs)

    def job_of(video_id: str, owner: Owner) -> Job:
        job = store.get(video_id, owner.id) if is_job_id(video_id) else None
        if job is None:
            raise APIError(404, f"no video {video_id[:80]!r}", param="video_id",
                           code="video_not_found")
        return job

    def completed(video_id: str, owner: Owner) -> Job:
        job = job_of(video_id, owner)
        if job.status != "completed":
            raise APIError(400, f"video {video_id} is {job.status}; it must be completed first",
                           param="video_id", code="video_not_ready")
        return job

    def admitted(owner: Owner, *, kind: str, model: str, request, scene, prompt: str | None,
                 source: str | None = None, warnings: list[str] = ()) -> dict:
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
        with admit:
            if owner.max_concurrent is not None and \
                    store.active_count(owner.id) >= owner.max_concurrent:
                raise APIError(429, f"{owner.max_concurrent} videos are already queued or "
                                    "rendering for this key; wait for one to finish",
                               code="too_many_jobs", headers={"Retry-After": "5"})
            job = store.create(owner=owner.id, kind=kind, model=model, request=request,
                               prompt=prompt, seconds=seconds, size=videos.size_text(scene),
                               source_id=source, warnings=tuple(warnings))
        return videos.video_object(job)

    def planned(request):
        """The Scene the request asks for, planned now: a prompt that cannot be shown is a 400
        at once, not a failed job later."""
        from worldreel import pipeline  # noqa: PLC0415

        plan = pipeline.request_plan(request)
        return plan, request.model_copy(update={"scene": plan.scene, "prompt": None,
                                                "seconds": None, "size": None})

    def source_video(fields: dict, owner: Owner, name: str = "video") -> Job:
        """The video an edit, extension or character is made from: by id, or a file made here."""
        ref = fields.get(name)
        if isinstance(ref, dict):
            ref = ref.get("id")
        ref = ref if ref is not None else fields.get(f"{name}[id]")
        if isinstance(ref, str):
            return completed(ref, owner)
        if isinstance(ref, UploadFile):
            digest = hashlib.sha256(ref.file.read()).hexdigest()
            for job in completed_jobs(owner):
                if video_digest(job) == digest:
                    return job
            raise APIError(400, "this video was not made by this server: WorldReel edits and "
                                "extends its own clips (it replays their Scene); give a video "
                                "made here, or its id as video[id]", param=name,
                           code="unknown_video")
        raise APIError(400, f"{name} is required: a video made here (file) or {{\"id\": ...}}",
                       param=name, code="missing_field")

    def completed_jobs(owner: Owner):
        after = None
        while True:
            page, more = store.list(owner.id, after=after, limit=MAX_LIST, order="desc")
            yield from (job for job in page if job.status == "completed")
            if not more or not page:
                return
            after = page[-1].id

    def video_digest(job: Job) -> str | None:
        path = store.files(job.id).get("video")
        if path is None:
            return None
        info = path.stat()
        key = (job.id, info.st_size, info.st_mtime_ns)
        if key not in hashes:
            hashes[key] = hashlib.sha256(path.read_bytes()).hexdigest()
        return hashes[key]

    def source_scene(job: Job, owner: Owner):
        scene = store.scene_of(job.id, owner.id)
        if scene is None:
            raise APIError(400, f"video {job.id} has no Scene to edit", code="video_not_ready")
        return scene

    def looks(owner: Owner) -> tuple:
        from worldreel.scene import NamedLook  # noqa: PLC0415

        return tuple(NamedLook.from_dict(c["look"]) for c in store.characters(owner.id))

    # -- routes ---------------------------------------------------------------------------

    @app.post("/v1/videos")
    async def create_video(request: Request):
        owner = owner_of(request)
        fields = await form_fields(request)
        model, quality = videos.model_quality(fields.get("model"))
        scene = videos.scene_field(fields)
        reference = fields.get("input_reference")
        if isinstance(reference, UploadFile):
            scene = scene or await reference_scene(reference)

        def create() -> dict:
            req = videos.request_from(fields, quality=quality, scene=scene)
            if scene is None:  # the characters kept by name, for a prompt that names them
                req = req.model_copy(update={"cast": looks(owner)})
            played, job_request = planned(req)
            return admitted(owner, kind="create", model=model, request=job_request,
                            scene=played.scene, prompt=req.prompt or played.scene.prompt,
                            warnings=played.warnings)

        return await run_in_threadpool(create)

    @app.get("/v1/videos")
    def list_videos(request: Request, after: str | None = None, limit: int = 20,
                    order: str = "desc"):
        owner = owner_of(request)
        if not 1 <= limit <= MAX_LIST:
            raise APIError(400, f"limit must be 1..{MAX_LIST}", param="limit")
        if order not in ("asc", "desc"):
            raise APIError(400, "order must be 'asc' or 'desc'", param="order")
        if after is not None:
            job_of(after, owner)
        jobs, more = store.list(owner.id, after=after, limit=limit, order=order)
        data = [videos.video_object(j) for j in jobs]
        return {"object": "list", "data": data, "has_more": more,
                "first_id": data[0]["id"] if data else None,
                "last_id": data[-1]["id"] if data else None}

    @app.get("/v1/videos/{video_id}")
    def retrieve_video(video_id: str, request: Request):
        job = job_of(video_id, owner_of(request))
        headers = {"openai-poll-after-ms": str(settings.poll_after_ms)}
        return JSONResponse(videos.video_object(job), headers=headers)

    @app.delete("/v1/videos/{video_id}")
    def delete_video(video_id: str, request: Request):
        owner = owner_of(request)
        job_of(video_id, owner)
        store.delete(video_id, owner.id)
        return {"id": video_id, "object": "video.deleted", "deleted": True}

    @app.get("/v1/videos/{video_id}/content")
    def video_content(video_id: str, request: Request, variant: str = "video"):
        if variant not in CONTENT:
            raise APIError(400, f"variant must be one of {', '.join(CONTENT)}", param="variant")
        job = completed(video_id, owner_of(request))
        name, media_type = CONTENT[variant]
        path = store.files(job.id).get(name)
        if path is None:
            raise APIError(404, f"video {video_id} has no {variant}", param="variant")
        suffix = path.suffix
        return FileResponse(path, media_type=media_type,
                            filename=f"{video_id}{'' if variant == 'video' else '.' + variant}"
                                     f"{suffix}", content_disposition_type="inline")

    @app.get("/v1/videos/{video_id}/report")
    def video_report(video_id: str, request: Request):
        job = completed(video_id, owner_of(request))
        from worldreel.server.report import clip_report  # noqa: PLC0415

        return clip_report(store.files(job.id))

    @app.post("/v1/videos/{video_id}/remix")
    async def remix_video(video_id: str, request: Request):
        owner = owner_of(request)
        fields = await form_fields(request)
        prompt = videos.text_field(fields, "prompt", required=True)
        source = completed(video_id, owner)
        return await run_in_threadpool(edited, owner, source, prompt, "remix")

    @app.post("/v1/videos/edits")
    async def edit_video(request: Request):
        owner = owner_of(request)
        fields = await form_fields(request)
        prompt = videos.text_field(fields, "prompt", required=True)
        source = source_video(fields, owner)
        return await run_in_threadpool(edited, owner, source, prompt, "edit")

    def edited(owner: Owner, source: Job, prompt: str, kind: str) -> dict:
        from worldreel.director import edit_scene  # noqa: PLC0415

        plan = edit_scene(source_scene(source, owner), prompt, cast=looks(owner))
        old = source.request
        req = videos.request_from({}, quality=old.get("quality", "preview"), scene=plan.scene)
        played, job_request = planned(req)
        return admitted(owner, kind=kind, model=source.model, request=job_request,
                        scene=played.scene, prompt=prompt, source=source.id,
                        warnings=[*plan.warnings, *played.warnings])

    @app.post("/v1/videos/extensions")
    async def extend_video(request: Request):
        owner = owner_of(request)
        fields = await form_fields(request)
        prompt = videos.text_field(fields, "prompt", required=True)
        seconds = videos.text_field(fields, "seconds", required=True)
        if seconds not in videos.EXTENSION_SECONDS:
            try:
                extra = float(seconds)
            except ValueError:
                extra = -1.0
            if not 0 < extra <= 60:
                raise APIError(400, f"seconds {seconds!r}: give the extension's length, e.g. "
                                    f"{', '.join(videos.EXTENSION_SECONDS)}", param="seconds")
        source = source_video(fields, owner)

        def extend() -> dict:
            from worldreel.director import extend_scene  # noqa: PLC0415

            plan = extend_scene(source_scene(source, owner), prompt, float(seconds))
            req = videos.request_from({}, quality=source.request.get("quality", "preview"),
                                      scene=plan.scene)
            played, job_request = planned(req)
            return admitted(owner, kind="extend", model=source.model, request=job_request,
                            scene=played.scene, prompt=prompt, source=source.id,
                            warnings=[*plan.warnings, *played.warnings])

        return await run_in_threadpool(extend)

    @app.post("/v1/videos/characters")
    async def create_character(request: Request):
        import re  # noqa: PLC0415

        owner = owner_of(request)
        fields = await form_fields(request)
        name = videos.text_field(fields, "name", required=True, limit=64)
        if not re.fullmatch(CHARACTER_NAME, name):
            raise APIError(400, f"name {name!r}: one word of letters (up to 32), e.g. 'Maya'; "
                                "prompts then name the character by it", param="name")
        source = source_video(fields, owner)
        from worldreel.director import look_of  # noqa: PLC0415

        look = look_of(source_scene(source, owner), name=name)
        character = store.add_character(owner=owner.id, name=name,
                                        look=look.to_dict())
        return character_object(character)

    @app.get("/v1/videos/characters/{character_id}")
    def get_character(character_id: str, request: Request):
        owner = owner_of(request)
        character = store.get_character(character_id, owner.id)
        if character is None:
            raise APIError(404, f"no character {character_id[:80]!r}", param="character_id",
                           code="character_not_found")
        return character_object(character)

    @app.post("/v1/scenes/validate")
    async def validate_scene(request: Request):
        owner_of(request)
        fields = await form_fields(request)
        if videos.scene_field(fields) is None:
            raise APIError(400, "give the Scene as scene (JSON) or scene_yaml (text)",
                           param="scene")
        return {"ok": True}

    @app.get("/v1/models")
    def list_models(request: Request):
        owner_of(request)
        now = int(time.time())
        return {"object": "list", "data": [{"id": name, "object": "model", "created": now,
                                            "owned_by": f"worldreel-{quality}"}
                                           for name, quality in videos.MODELS.items()]}

    if settings.studio and STATIC.is_dir():
        app.mount("/", StaticFiles(directory=STATIC, html=True), name="studio")
    return app


def character_object(character: dict) -> dict:
    return {"id": character["id"], "object": "character", "name": character["name"],
            "created_at": character["created_at"]}


async def form_fields(request: Request) -> dict:
    """The request's fields from JSON, a multipart form (as the SDK sends) or a urlencoded form;
    nested form keys (`video[id]`) are kept as written."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in ("multipart/form-data", "application/x-www-form-urlencoded"):
        form = await request.form(max_files=2, max_fields=64)
        return {key: value for key, value in form.multi_items()}
    body = await request.body()
    if not body:
        return {}
    if kind not in ("application/json", ""):
        raise APIError(415, f"send JSON or a multipart form, not {kind}", code="unsupported_media")
    try:
        fields = json.loads(body)
    except (ValueError, RecursionError):
        raise APIError(400, "the body is not valid JSON", code="invalid_json") from None
    if not isinstance(fields, dict):
        raise APIError(400, "the body must be a JSON object", code="invalid_json")
    return fields


async def reference_scene(upload: UploadFile):
    """An input_reference that is a Scene file (YAML or JSON); images cannot guide a simulation."""
    from worldreel.scene import scene_from_text  # noqa: PLC0415
    from worldreel.scene.limits import MAX_SCENE_FILE_BYTES  # noqa: PLC0415

    data = await upload.read(MAX_SCENE_FILE_BYTES + 1)
    if (upload.content_type or "").startswith("image/") or data[:4] in (b"\x89PNG", b"RIFF") \
            or data[:3] == b"\xff\xd8\xff":
        raise APIError(400, "input_reference: WorldReel cannot take a look from an image; give "
                            "a Scene file (YAML or JSON, e.g. a clip's scene variant) or leave it "
                            "out", param="input_reference", code="unsupported_reference")
    if len(data) > MAX_SCENE_FILE_BYTES:
        raise APIError(413, "input_reference: a Scene file is at most 2 MiB",
                       param="input_reference")
    try:
        return scene_from_text(data.decode("utf-8"), source="input_reference")
    except UnicodeDecodeError:
        raise APIError(400, "input_reference: not a Scene file (YAML or JSON text)",
                       param="input_reference") from None
    except WorldReelError as exc:
        raise videos.scene_problem(exc) from None
