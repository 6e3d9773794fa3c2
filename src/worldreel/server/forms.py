"""Reading a request's body as OpenAI's SDK sends it: JSON or a multipart form, and a Scene file
given as input_reference."""

from __future__ import annotations

import json

from fastapi import Request
from starlette.datastructures import UploadFile

from worldreel.errors import WorldReelError
from worldreel.server import videos
from worldreel.server.errors import APIError


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
