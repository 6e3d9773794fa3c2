"""Scene YAML/JSON input and output, with validation errors that name the field path.

Reading is guarded (limits in scene.limits): only a regular file is opened, so a pipe or a
device (/dev/zero) never blocks or fills memory; at most MAX_SCENE_FILE_BYTES are read; the YAML
may nest MAX_NESTING_DEPTH levels and expand to MAX_YAML_NODES values; a key given twice is an
error, not silently the later one. Loading stays safe: no tag runs code.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.constructor import ConstructorError
from yaml.events import AliasEvent, CollectionEndEvent, CollectionStartEvent, ScalarEvent

from worldreel.errors import SceneError
from worldreel.scene.limits import (MAX_NESTING_DEPTH, MAX_QUOTED_CHARS, MAX_REPORTED_PROBLEMS,
                                    MAX_SCENE_FILE_BYTES, MAX_YAML_NODES)
from worldreel.scene.models import Scene, action_kinds


def scene_from_dict(data: Any, source: str = "scene") -> Scene:
    """Validate plain data into a Scene; every bad field is reported at once."""
    if not isinstance(data, dict):
        raise SceneError(f"{source}: a Scene must be a mapping of fields, got {type(data).__name__}")
    try:
        return Scene.model_validate(data)
    except ValidationError as exc:
        error = SceneError(f"{source}: {describe_validation_error(exc)}")
        error.problems = validation_problems(exc)  # each on its own, for editors
        raise error from None
    except RecursionError:  # a structure that contains itself (YAML `&a [*a]`)
        raise SceneError(f"{source}: a value contains itself; write it out instead of "
                         "referring back to it") from None


def problems_line(problems: list[str]) -> str:
    """Problems joined by '; ' into one line: at most MAX_REPORTED_PROBLEMS of them, then how
    many more, so that a Scene with thousands of mistakes still gets a readable message."""
    shown = problems[:MAX_REPORTED_PROBLEMS]
    if len(problems) > MAX_REPORTED_PROBLEMS:
        shown.append(f"and {len(problems) - MAX_REPORTED_PROBLEMS} more problems")
    return "; ".join(shown)


def validation_problems(exc: ValidationError) -> list[tuple[str, str]]:
    """(field path, what is wrong) for each problem, in the order pydantic found them."""
    problems = []
    for error in exc.errors():
        message = error["msg"].removeprefix("Value error, ")
        if error["type"] == "extra_forbidden":
            message = "unknown field (check the spelling)"
        elif error["type"] == "finite_number":
            message = f"must be a finite number, not {error['input']!r}"
        problems.append((_field_path(error["loc"]), message))
    return problems


def describe_validation_error(exc: ValidationError) -> str:
    """One line: 'field.path: what is wrong' for each problem (see `problems_line`)."""
    return problems_line([f"{path}: {message}" if path else message
                          for path, message in validation_problems(exc)])


_ACTION_KINDS = frozenset(action_kinds())


def _field_path(loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    for item in loc:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif item in _ACTION_KINDS or (isinstance(item, str) and ("[" in item or "(" in item)):
            continue  # tags pydantic inserts into union paths (action kinds, validators)
        else:
            parts.append(("." if parts else "") + _quoted(str(item)))
    return "".join(parts)


def _quoted(text: str) -> str:
    """`text` cut to MAX_QUOTED_CHARS (a field name from a hostile file can be a megabyte)."""
    return text if len(text) <= MAX_QUOTED_CHARS else text[:MAX_QUOTED_CHARS] + "..."


def load_scene(path: str | Path) -> Scene:
    """Read a Scene from a .yaml/.yml/.json file."""
    path = Path(path)
    return scene_from_text(read_scene_file(path), source=str(path))


def read_scene_file(path: Path) -> str:
    """The text of a Scene file: a regular file (checked before it is opened, so a pipe or a
    device never blocks), of at most MAX_SCENE_FILE_BYTES, in UTF-8."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise SceneError(f"{path}: no such scene file") from None
    except OSError as exc:
        raise SceneError(f"{path}: cannot read scene file ({exc.strerror or exc})") from None
    _check_regular(path, info)
    try:
        # O_NONBLOCK: should the path have become a pipe since the check, opening it does not
        # wait for a writer; the check below then refuses it.
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(path, flags)
        with os.fdopen(fd, "rb") as file:
            _check_regular(path, os.fstat(file.fileno()))
            data = file.read(MAX_SCENE_FILE_BYTES + 1)
    except OSError as exc:
        raise SceneError(f"{path}: cannot read scene file ({exc.strerror or exc})") from None
    if len(data) > MAX_SCENE_FILE_BYTES:
        _too_big(path, MAX_SCENE_FILE_BYTES, grew=True)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise SceneError(f"{path}: not a text file (byte {exc.start} is not UTF-8); a Scene is "
                         "YAML or JSON text in UTF-8") from None


def _check_regular(path: Path, info: os.stat_result) -> None:
    if stat.S_ISDIR(info.st_mode):
        raise SceneError(f"{path}: is a folder; give the path of a Scene file (.yaml or .json)")
    if not stat.S_ISREG(info.st_mode):
        raise SceneError(f"{path}: is not a regular file (a pipe, socket or device); save the "
                         "Scene to a .yaml or .json file and give its path")
    if info.st_size > MAX_SCENE_FILE_BYTES:
        _too_big(path, info.st_size)


def _too_big(path: Path | str, size: int, grew: bool = False) -> None:
    raise SceneError(f"{path}: the scene file is {'more than ' if grew else ''}{size:,} bytes; "
                     f"a Scene file may be at most {MAX_SCENE_FILE_BYTES:,} bytes (is it the "
                     "right file?)")


def scene_from_text(text: str, source: str = "scene") -> Scene:
    """Parse YAML (a superset of JSON) text into a Scene."""
    if len(text) > MAX_SCENE_FILE_BYTES:
        _too_big(source, len(text.encode("utf-8", "replace")))
    try:
        _check_structure(text, source)
        data = yaml.load(text, Loader=_StrictLoader)  # noqa: S506 (a safe loader)
    except _DuplicateKey as exc:
        raise SceneError(f"{source}: line {exc.line}: the field {exc.key!r} is given twice "
                         f"(first at line {exc.first}); keep one") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or getattr(exc, "reason", None) or "malformed YAML"
        raise SceneError(f"{source}: malformed YAML{where}: {problem}") from None
    if data is None:
        raise SceneError(f"{source}: the scene file is empty")
    return scene_from_dict(data, source)


_YamlLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when built with it


class _DuplicateKey(Exception):
    def __init__(self, key: str, line: int, first: int):
        super().__init__(key)
        self.key, self.line, self.first = key, line, first


class _StrictLoader(_YamlLoader):  # type: ignore[misc, valid-type]
    """Safe loading (no tag constructs arbitrary objects) where a key given twice in one
    mapping is an error instead of the later one silently winning."""

    def construct_mapping(self, node, deep=False):
        if isinstance(node, yaml.MappingNode):
            first: dict[Any, int] = {}
            for key_node, _ in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    continue  # `<<: *defaults`: explicit keys override merged ones
                key = self.construct_object(key_node, deep=deep)
                try:
                    seen = first.get(key)
                except TypeError:
                    continue  # an unhashable key: the base class reports it
                line = key_node.start_mark.line + 1
                if seen is not None:
                    raise _DuplicateKey(_quoted(str(key)), line, seen)
                first[key] = line
        return super().construct_mapping(node, deep=deep)

    def construct_yaml_int(self, node):
        try:
            return super().construct_yaml_int(node)
        except ValueError:  # Python refuses to convert integers of over 4,300 digits
            raise ConstructorError(None, None, "an integer too long to read",
                                   node.start_mark) from None


_StrictLoader.add_constructor("tag:yaml.org,2002:int", _StrictLoader.construct_yaml_int)


def _check_structure(text: str, source: str) -> None:
    """Refuse YAML nested deeper than MAX_NESTING_DEPTH or holding more than MAX_YAML_NODES
    values once aliases are expanded, from the event stream (flat, so this check cannot itself
    recurse) before anything is built."""
    open_sizes: list[list] = []  # per open collection: [anchor, values in it so far]
    anchored: dict[str, int] = {}  # values an anchor expands to
    for event in yaml.parse(text, Loader=_YamlLoader):
        if isinstance(event, CollectionStartEvent):
            if len(open_sizes) >= MAX_NESTING_DEPTH:
                raise SceneError(f"{source}: line {event.start_mark.line + 1}: nested more than "
                                 f"{MAX_NESTING_DEPTH} levels deep; a Scene needs about six")
            open_sizes.append([event.anchor, 1])
            continue
        if isinstance(event, CollectionEndEvent):
            anchor, size = open_sizes.pop()
        elif isinstance(event, AliasEvent):
            anchor, size = None, anchored.get(event.anchor, 1)
        elif isinstance(event, ScalarEvent):
            anchor, size = event.anchor, 1
        else:
            continue
        if anchor is not None:
            anchored[anchor] = size
        if open_sizes:
            open_sizes[-1][1] += size
            if open_sizes[-1][1] > MAX_YAML_NODES:
                raise SceneError(f"{source}: line {event.start_mark.line + 1}: the YAML expands "
                                 f"to more than {MAX_YAML_NODES:,} values (aliases of aliases?); "
                                 "write the Scene out plainly")


def scene_to_dict(scene: Scene) -> dict[str, Any]:
    """Plain JSON-compatible data (tuples become lists), round-trippable through scene_from_dict."""
    data = json.loads(scene.model_dump_json())
    # An action reads best with its kind first.
    data["actions"] = [{"kind": a.pop("kind"), **a} for a in data["actions"]]
    return data


def scene_to_yaml(scene: Scene) -> str:
    """YAML text of the Scene, fields in schema order."""
    return yaml.safe_dump(scene_to_dict(scene), sort_keys=False, default_flow_style=None, width=100)
