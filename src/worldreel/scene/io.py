"""Scene YAML/JSON input and output, with validation errors that name the field path."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from worldreel.errors import SceneError
from worldreel.scene.models import Scene, action_kinds


def scene_from_dict(data: Any, source: str = "scene") -> Scene:
    """Validate plain data into a Scene; every bad field is reported at once."""
    if not isinstance(data, dict):
        raise SceneError(f"{source}: a Scene must be a mapping of fields, got {type(data).__name__}")
    try:
        return Scene.model_validate(data)
    except ValidationError as exc:
        raise SceneError(f"{source}: {describe_validation_error(exc)}") from None


def describe_validation_error(exc: ValidationError) -> str:
    """One line per problem: 'field.path: what is wrong'."""
    lines = []
    for error in exc.errors():
        path = _field_path(error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown field (check the spelling)"
        lines.append(f"{path}: {message}" if path else message)
    return "; ".join(lines)


_ACTION_KINDS = frozenset(action_kinds())


def _field_path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item in _ACTION_KINDS or (isinstance(item, str) and ("[" in item or "(" in item)):
            continue  # tags pydantic inserts into union paths (action kinds, validators)
        else:
            parts.append(("." if parts else "") + str(item))
    return "".join(parts)


def load_scene(path: str | Path) -> Scene:
    """Read a Scene from a .yaml/.yml/.json file."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SceneError(f"{path}: no such scene file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SceneError(f"{path}: cannot read scene file ({exc})") from None
    return scene_from_text(text, source=str(path))


def scene_from_text(text: str, source: str = "scene") -> Scene:
    """Parse YAML (a superset of JSON) text into a Scene."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "malformed YAML"
        raise SceneError(f"{source}: malformed YAML{where}: {problem}") from None
    if data is None:
        raise SceneError(f"{source}: the scene file is empty")
    return scene_from_dict(data, source)


def scene_to_dict(scene: Scene) -> dict[str, Any]:
    """Plain JSON-compatible data (tuples become lists), round-trippable through scene_from_dict."""
    data = json.loads(scene.model_dump_json())
    # An action reads best with its kind first.
    data["actions"] = [{"kind": a.pop("kind"), **a} for a in data["actions"]]
    return data


def scene_to_yaml(scene: Scene) -> str:
    """YAML text of the Scene, fields in schema order."""
    return yaml.safe_dump(scene_to_dict(scene), sort_keys=False, default_flow_style=None, width=100)
