"""What the Videos API says and takes: model names, the video object, and turning a request's
form or JSON fields into a validated pipeline Request."""

from __future__ import annotations

from collections.abc import Mapping

from worldreel.assets import check_scene_assets
from worldreel.errors import RequestError, SceneError
from worldreel.jobs.store import Job
from worldreel.pipeline.request import Request, make_request
from worldreel.scene import Scene, scene_from_dict, scene_from_text
from worldreel.server.errors import APIError

# The names clients may send as `model`, and the quality each one renders at. OpenAI's names
# map to our two real-time qualities, so code written for Sora runs unchanged.
MODELS = {
    "sora-2": "preview",
    "sora-2-2025-10-06": "preview",
    "sora-2-2025-12-08": "preview",
    "sora-2-pro": "high",
    "sora-2-pro-2025-10-06": "high",
    "worldreel-preview": "preview",
    "worldreel-high": "high",
}
DEFAULT_MODEL = "sora-2"
# OpenAI's default size, so a client that leaves it out gets the frame it expects. Seconds left
# out are not OpenAI's 4: the director makes the clip as long as what happens (a kick cut off
# before it lands is no clip), and the Video object says the length.
DEFAULT_SIZE = "720x1280"
EXTENSION_SECONDS = ("4", "8", "12", "16", "20")


def video_object(job: Job) -> dict:
    """The Video object as OpenAI's API returns it."""
    error = None
    if job.status == "failed":
        error = {"code": job.error_code or "internal_error", "message": job.error_message or ""}
    return {
        "id": job.id, "object": "video", "status": job.status, "progress": job.progress,
        "created_at": job.created_at, "completed_at": job.completed_at,
        "expires_at": job.expires_at, "error": error, "model": job.model, "prompt": job.prompt,
        "remixed_from_video_id": job.source_id if job.kind == "remix" else None,
        "seconds": job.seconds, "size": job.size,
        # WorldReel's extra: what the director said (stand-ins, words it could not show), so
        # nothing is substituted or left out without a word to the user
        "warnings": list(job.warnings),
    }


def model_quality(model: object) -> tuple[str, str]:
    """(model name, render quality) for a `model` field, or a 400 naming the models."""
    name = DEFAULT_MODEL if model in (None, "") else model
    if not isinstance(name, str) or name not in MODELS:
        raise APIError(400, f"model {name!r} is not served here; choose one of "
                            f"{', '.join(MODELS)}", param="model", code="invalid_model")
    return name, MODELS[name]


def text_field(fields: Mapping[str, object], name: str, *, required: bool = False,
               limit: int = 100_000) -> str | None:
    """A form or JSON field that must be text."""
    value = fields.get(name)
    if value is None:
        if required:
            raise APIError(400, f"{name} is required", param=name, code="missing_field")
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        raise APIError(400, f"{name} must be text", param=name, code="invalid_type")
    if len(value) > limit:
        raise APIError(400, f"{name} is {len(value)} characters long; keep it under {limit}",
                       param=name, code="too_long")
    return value


def scene_field(fields: Mapping[str, object]) -> Scene | None:
    """A Scene given in place of a prompt (WorldReel's extra): `scene` as a JSON object or
    `scene_yaml` as text; its problems each named for inline display."""
    data, text = fields.get("scene"), fields.get("scene_yaml")
    if data is None and text is None:
        return None
    if text is not None and not isinstance(text, str):
        raise APIError(400, "scene_yaml must be text", param="scene_yaml")
    try:
        if isinstance(data, str) or data is None:
            scene = scene_from_text(data if data is not None else text, source="scene")
        else:
            scene = scene_from_dict(data, source="scene")
        check_scene_assets(scene)  # unknown assets are the editor's to show, not a failed job's
    except SceneError as exc:
        raise scene_problem(exc) from None
    return scene


def scene_problem(exc: Exception) -> APIError:
    """A 400 for a bad Scene with each field's problem as a detail."""
    details = [{"param": f"scene.{path}" if path else "scene", "message": message}
               for path, message in getattr(exc, "problems", [])]
    return APIError(400, str(exc), param=details[0]["param"] if details else "scene",
                    code="invalid_scene", details=details or None)


def request_from(fields: Mapping[str, object], *, quality: str,
                 scene: Scene | None = None) -> Request:
    """A validated Request from the API's fields (seconds and size as OpenAI writes them)."""
    values = {"quality": quality,
              "seconds": text_field(fields, "seconds"),
              "size": text_field(fields, "size") or (None if scene else DEFAULT_SIZE)}
    for extra in ("seed", "fps", "music", "slow_motion"):
        if fields.get(extra) is not None:
            values[extra] = text_field(fields, extra)
    if scene is not None:
        values["scene"] = scene
    else:
        values["prompt"] = text_field(fields, "prompt", required=True)
    try:
        return make_request(**{k: v for k, v in values.items() if v is not None})
    except RequestError as exc:
        first = str(exc).split(":", 1)[0]
        raise APIError(400, str(exc), param=first if first in Request.model_fields else None,
                       code="invalid_request") from None


def seconds_text(request: Request, scene: Scene) -> str:
    """`seconds` as the API reports it: a whole number without a point, like OpenAI's."""
    seconds = request.seconds if request.seconds is not None else scene.duration
    return f"{seconds:g}"


def size_text(scene: Scene) -> str:
    width, height = scene.resolution
    return f"{width}x{height}"


def character_object(character: dict) -> dict:
    return {"id": character["id"], "object": "character", "name": character["name"],
            "created_at": character["created_at"]}
