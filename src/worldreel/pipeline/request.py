"""The request model: what a user asks for, shared by every surface (CLI, job server, studio).

A Request is a prompt or a Scene plus the options that shape the clip (seconds, size, fps, seed,
quality, music, slow motion). It is validated here once, with one message per bad field, so the
CLI and the server stay thin and cannot disagree about what is allowed.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from worldreel.errors import RequestError
from worldreel.scene import NamedLook, Scene
from worldreel.scene.limits import MAX_DURATION_S, MAX_FPS, MAX_PROMPT_CHARS, MAX_SLOW_MOTION
from worldreel.scene.models import MUSIC_MOODS, FrameSize

QUALITIES = ("preview", "high")
DEFAULT_FPS = 24
DEFAULT_SIZE = (1280, 720)


class Request(BaseModel):
    """One clip asked for: a prompt (the director writes the Scene) or a Scene played as given."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    prompt: str | None = Field(None, min_length=1, max_length=MAX_PROMPT_CHARS)
    scene: Scene | None = None
    seconds: float | None = Field(None, gt=0.0, le=MAX_DURATION_S,
                                  description="clip length; default: chosen from the action")
    size: FrameSize | None = Field(None, description="WxH, even sides")
    fps: int | None = Field(None, ge=1, le=MAX_FPS)
    seed: int | None = Field(None, ge=0, lt=2**63)
    quality: Literal[QUALITIES] = "preview"  # type: ignore[valid-type]
    music: Literal[MUSIC_MOODS] | None = None  # type: ignore[valid-type]
    slow_motion: int | None = Field(None, ge=1, le=MAX_SLOW_MOTION)
    cast: tuple[NamedLook, ...] = Field((), description="looks kept by name that the prompt may "
                                        "name ('Maya waves')", max_length=100)

    @field_validator("music", mode="before")
    @classmethod
    def _mood_any_case(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _prompt_or_scene(self) -> Request:
        if (self.prompt is None) == (self.scene is None):
            raise ValueError("give either a prompt or a Scene, not both and not neither")
        if self.prompt is not None and not self.prompt.strip():
            raise ValueError("the prompt is empty; say what happens")
        return self


def make_request(**fields: object) -> Request:
    """A validated Request, or RequestError naming every bad field and what to give instead."""
    try:
        return Request.model_validate(fields)
    except ValidationError as exc:
        raise RequestError(request_problems(exc)) from None


def checked_option(name: str, value: object) -> object:
    """One option checked on its own, as the Request will take it (the CLI checks each flag as
    it is read); raises ValueError with the reason."""
    try:
        return getattr(Request.model_validate({"prompt": "-", name: value}), name)
    except ValidationError as exc:
        raise ValueError(request_problems(exc).removeprefix(f"{name}: ")) from None


def request_problems(exc: ValidationError) -> str:
    """One line per bad field: 'seconds: must be at most 60' (the Scene's own paths kept)."""
    lines = []
    for error in exc.errors(include_url=False):
        where = ".".join(str(p) for p in error["loc"]) or "request"
        message = error["msg"].removeprefix("Value error, ")
        lines.append(f"{where}: {message}")
    return "; ".join(dict.fromkeys(lines))
