"""The routes of OpenAI's Videos API (and WorldReel's extras): each reads the HTTP request,
asks the Service, and answers in the shape OpenAI's API does."""

from __future__ import annotations

import re
import time

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from worldreel.jobs.store import Job
from worldreel.server import videos
from worldreel.server.errors import APIError
from worldreel.server.forms import form_fields, reference_scene
from worldreel.server.service import MAX_LIST, Owner, Service

CONTENT = {  # variant -> (file, media type); the first three are OpenAI's
    "video": ("video", "video/mp4"),
    "thumbnail": ("thumbnail", "image/webp"),
    "spritesheet": ("spritesheet", "image/jpeg"),
    "scene": ("scene", "application/yaml"),
    "events": ("events", "application/json"),
    "recording": ("recording", "application/octet-stream"),
}
CHARACTER_NAME = r"^[A-Za-z][A-Za-z'-]{0,31}$"

router = APIRouter()


def service(request: Request) -> Service:
    """The app's one Service (server.app puts it in the app's state)."""
    return request.app.state.service


@router.post("/v1/videos")
async def create_video(request: Request):
    svc = service(request)
    owner = svc.owner_of(request)
    fields = await form_fields(request)
    model, quality = videos.model_quality(fields.get("model"))
    scene = videos.scene_field(fields)
    reference = fields.get("input_reference")
    if isinstance(reference, UploadFile):
        scene = scene or await reference_scene(reference)

    def create() -> dict:
        req = videos.request_from(fields, quality=quality, scene=scene)
        if scene is None:  # the characters kept by name, for a prompt that names them
            req = req.model_copy(update={"cast": svc.looks(owner)})
        played, job_request = svc.planned(req)
        return svc.admitted(owner, kind="create", model=model, request=job_request,
                            scene=played.scene, prompt=req.prompt or played.scene.prompt,
                            warnings=played.warnings)

    return await run_in_threadpool(create)


@router.get("/v1/videos")
def list_videos(request: Request, after: str | None = None, limit: int = 20,
                order: str = "desc"):
    svc = service(request)
    owner = svc.owner_of(request)
    if not 1 <= limit <= MAX_LIST:
        raise APIError(400, f"limit must be 1..{MAX_LIST}", param="limit")
    if order not in ("asc", "desc"):
        raise APIError(400, "order must be 'asc' or 'desc'", param="order")
    if after is not None:
        svc.job_of(after, owner)
    jobs, more = svc.store.list(owner.id, after=after, limit=limit, order=order)
    data = [videos.video_object(j) for j in jobs]
    return {"object": "list", "data": data, "has_more": more,
            "first_id": data[0]["id"] if data else None,
            "last_id": data[-1]["id"] if data else None}


@router.get("/v1/videos/{video_id}")
def retrieve_video(video_id: str, request: Request):
    svc = service(request)
    job = svc.job_of(video_id, svc.owner_of(request))
    headers = {"openai-poll-after-ms": str(svc.settings.poll_after_ms)}
    return JSONResponse(videos.video_object(job), headers=headers)


@router.delete("/v1/videos/{video_id}")
def delete_video(video_id: str, request: Request):
    svc = service(request)
    owner = svc.owner_of(request)
    svc.job_of(video_id, owner)
    svc.store.delete(video_id, owner.id)
    return {"id": video_id, "object": "video.deleted", "deleted": True}


@router.get("/v1/videos/{video_id}/content")
def video_content(video_id: str, request: Request, variant: str = "video"):
    svc = service(request)
    if variant not in CONTENT:
        raise APIError(400, f"variant must be one of {', '.join(CONTENT)}", param="variant")
    job = svc.completed(video_id, svc.owner_of(request))
    name, media_type = CONTENT[variant]
    path = svc.store.files(job.id).get(name)
    if path is None:
        raise APIError(404, f"video {video_id} has no {variant}", param="variant")
    suffix = path.suffix
    return FileResponse(path, media_type=media_type,
                        filename=f"{video_id}{'' if variant == 'video' else '.' + variant}"
                                 f"{suffix}", content_disposition_type="inline")


@router.get("/v1/videos/{video_id}/report")
def video_report(video_id: str, request: Request):
    svc = service(request)
    job = svc.completed(video_id, svc.owner_of(request))
    from worldreel.server.report import clip_report  # noqa: PLC0415

    return clip_report(svc.store.files(job.id))


@router.post("/v1/videos/{video_id}/remix")
async def remix_video(video_id: str, request: Request):
    svc = service(request)
    owner = svc.owner_of(request)
    fields = await form_fields(request)
    prompt = videos.text_field(fields, "prompt", required=True)
    source = svc.completed(video_id, owner)
    return await run_in_threadpool(edited, svc, owner, source, prompt, "remix")


@router.post("/v1/videos/edits")
async def edit_video(request: Request):
    svc = service(request)
    owner = svc.owner_of(request)
    fields = await form_fields(request)
    prompt = videos.text_field(fields, "prompt", required=True)
    source = svc.source_video(fields, owner)
    return await run_in_threadpool(edited, svc, owner, source, prompt, "edit")


def edited(svc: Service, owner: Owner, source: Job, prompt: str, kind: str) -> dict:
    """A remix or edit: the source's Scene changed by the prompt, admitted as a new job."""
    from worldreel.director import edit_scene  # noqa: PLC0415

    plan = edit_scene(svc.source_scene(source, owner), prompt, cast=svc.looks(owner))
    old = source.request
    req = videos.request_from({}, quality=old.get("quality", "preview"), scene=plan.scene)
    played, job_request = svc.planned(req)
    return svc.admitted(owner, kind=kind, model=source.model, request=job_request,
                        scene=played.scene, prompt=prompt, source=source.id,
                        warnings=[*plan.warnings, *played.warnings])


@router.post("/v1/videos/extensions")
async def extend_video(request: Request):
    svc = service(request)
    owner = svc.owner_of(request)
    fields = await form_fields(request)
    prompt = videos.text_field(fields, "prompt", required=True)
    seconds = videos.text_field(fields, "seconds", required=True)
    try:
        extra = float(seconds)  # its range is extend_scene's to check: it knows the clip's room
    except ValueError:
        raise APIError(400, f"seconds {seconds!r}: give the extension's length, e.g. "
                            f"{', '.join(videos.EXTENSION_SECONDS)}", param="seconds") from None
    source = svc.source_video(fields, owner)

    def extend() -> dict:
        from worldreel.director import extend_scene  # noqa: PLC0415

        plan = extend_scene(svc.source_scene(source, owner), prompt, extra)
        req = videos.request_from({}, quality=source.request.get("quality", "preview"),
                                  scene=plan.scene)
        played, job_request = svc.planned(req)
        return svc.admitted(owner, kind="extend", model=source.model, request=job_request,
                            scene=played.scene, prompt=prompt, source=source.id,
                            warnings=[*plan.warnings, *played.warnings])

    return await run_in_threadpool(extend)


@router.post("/v1/videos/characters")
async def create_character(request: Request):
    svc = service(request)
    owner = svc.owner_of(request)
    fields = await form_fields(request)
    name = videos.text_field(fields, "name", required=True, limit=64)
    if not re.fullmatch(CHARACTER_NAME, name):
        raise APIError(400, f"name {name!r}: one word of letters (up to 32), e.g. 'Maya'; "
                            "prompts then name the character by it", param="name")
    source = svc.source_video(fields, owner)
    from worldreel.director import look_of  # noqa: PLC0415

    look = look_of(svc.source_scene(source, owner), name=name)
    character = svc.store.add_character(owner=owner.id, name=name,
                                    look=look.to_dict())
    return videos.character_object(character)


@router.get("/v1/videos/characters/{character_id}")
def get_character(character_id: str, request: Request):
    svc = service(request)
    owner = svc.owner_of(request)
    character = svc.store.get_character(character_id, owner.id)
    if character is None:
        raise APIError(404, f"no character {character_id[:80]!r}", param="character_id",
                       code="character_not_found")
    return videos.character_object(character)


@router.post("/v1/scenes/validate")
async def validate_scene(request: Request):
    svc = service(request)
    svc.owner_of(request)
    fields = await form_fields(request)
    if videos.scene_field(fields) is None:
        raise APIError(400, "give the Scene as scene (JSON) or scene_yaml (text)",
                       param="scene")
    return {"ok": True}


@router.get("/v1/models")
def list_models(request: Request):
    svc = service(request)
    svc.owner_of(request)
    now = int(time.time())
    return {"object": "list", "data": [{"id": name, "object": "model", "created": now,
                                        "owned_by": f"worldreel-{quality}"}
                                       for name, quality in videos.MODELS.items()]}
