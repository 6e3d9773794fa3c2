"""The Scene's limits (scene.limits): each one has its reason, a Scene at a limit loads, one
past it is refused with the field path, and the reader refuses what it cannot read safely."""

import math
import re
from pathlib import Path

import pytest

from worldreel.errors import SceneError
from worldreel.scene import limits, load_scene, scene_from_dict, scene_from_text
from worldreel.scene.limits import (MAX_ACTIONS, MAX_CHARACTERS, MAX_ENTITIES, MAX_LINES,
                                    MAX_NESTING_DEPTH, MAX_SCENE_FILE_BYTES, MAX_SCRIPT_STEPS,
                                    MAX_SHOTS)


def test_every_limit_says_why():
    """Each constant has a comment on its line or right above it (the reason for the number)."""
    lines = Path(limits.__file__).read_text().splitlines()
    for n, line in enumerate(lines):
        if re.match(r"^[A-Z_][A-Z0-9_, ]* = ", line):
            reason = "#" in line or lines[n - 1].lstrip().startswith("#")
            assert reason, f"limits.py line {n + 1} gives no reason: {line}"


def test_old_imports_still_work():
    from worldreel.scene import models

    for name in ("SCENE_VERSION", "MAX_DURATION_S", "MAX_WIDTH", "MAX_HEIGHT", "MIN_SIDE",
                 "MAX_FPS", "MAX_SLOW_MOTION"):
        assert getattr(models, name) == getattr(limits, name)


def _entities(n):
    return [{"id": f"b{k}", "asset": "basketball", "position": [k % 20, k // 20, 1]}
            for k in range(n)]


def _scene(field, n):
    duration = 60.0
    data = {"duration": duration, "entities": _entities(1)}
    if field == "entities":
        data["entities"] = _entities(n)
    elif field == "characters":
        data["characters"] = [{"id": f"p{k}", "position": [k, 5]} for k in range(n)]
    elif field == "actions":
        data["actions"] = [{"kind": "drop", "entity": "b0", "at": 0.1 * k} for k in range(n)]
    elif field == "script":
        data["characters"] = [{"id": "ann", "script": [{"do": "wave"}] * n}]
    elif field == "lines":
        data["audio"] = {"dialogue": [{"text": "hello"}] * n}
    elif field == "shots":
        data["shots"] = [{"start": k * duration / n} for k in range(n)]
    return data


COUNTS = [("entities", MAX_ENTITIES, "entities"), ("characters", MAX_CHARACTERS, "characters"),
          ("actions", MAX_ACTIONS, "actions"), ("script", MAX_SCRIPT_STEPS, "characters[0].script"),
          ("lines", MAX_LINES, "audio.dialogue"), ("shots", MAX_SHOTS, "shots")]


@pytest.mark.parametrize("field,limit,path", COUNTS)
def test_counts_at_the_limit_load_and_one_more_is_refused(field, limit, path):
    scene_from_dict(_scene(field, limit))
    with pytest.raises(SceneError, match=rf"^s.yaml: {re.escape(path)}: {limit + 1} .* give at "
                                         rf"most {limit}$"):
        scene_from_dict(_scene(field, limit + 1), "s.yaml")


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf])
def test_non_finite_numbers_from_code_are_refused(value):
    data = {"entities": [{"id": "ball", "asset": "basketball", "position": [0, 0, 1],
                          "angular_velocity": [0, value, 0]}]}
    with pytest.raises(SceneError, match=r"entities\[0\]\.angular_velocity\[1\]: must be a "
                                         "finite number"):
        scene_from_dict(data)


def test_bounds_admit_what_real_scenes_use():
    scene = scene_from_dict({
        "setting": {"gravity": [0, 0, -24.79]},  # Jupiter
        "entities": [{"id": "ball", "asset": "basketball", "position": [999, -999, 1],
                      "rotation": [-360, 90, 360], "velocity": [57, 57, 57],
                      "angular_velocity": [0, 0, 500], "mass": 1e-5},
                     {"id": "feather", "asset": "feather", "position": [0, 0, 1], "mass": 5e-4}],
        "shots": [{"start": 0, "azimuth": -360}]})
    assert scene.entities[0].velocity == (57, 57, 57)


def test_scene_text_over_the_limit():
    with pytest.raises(SceneError, match=rf"^text: the scene file is "
                                         rf"{MAX_SCENE_FILE_BYTES + 1:,} bytes"):
        scene_from_text("#" * (MAX_SCENE_FILE_BYTES + 1), source="text")


def test_nesting_at_the_limit_is_read_and_one_more_refused():
    def nested(levels):  # the top mapping is one level
        inner = levels - 1
        return "prompt: " + "[" * inner + "]" * inner + "\n"

    with pytest.raises(SceneError, match="prompt: Input should be a valid string"):
        scene_from_text(nested(MAX_NESTING_DEPTH))
    with pytest.raises(SceneError, match=f"line 1: nested more than {MAX_NESTING_DEPTH} levels"):
        scene_from_text(nested(MAX_NESTING_DEPTH + 1))


def test_duplicate_keys_in_flow_style():
    text = "entities: [{id: ball, asset: basketball, id: ball}]\n"
    with pytest.raises(SceneError, match=r"line 1: the field 'id' is given twice"):
        scene_from_text(text)


def test_aliases_are_still_allowed():
    text = ("entities:\n- {id: a, asset: basketball, position: &p [0, 0, 1]}\n"
            "- {id: b, asset: basketball, position: [1, 0, 1], velocity: *p}\n")
    assert scene_from_text(text).entities[1].velocity == (0, 0, 1)


def test_a_file_at_the_size_limit_is_read_and_one_byte_more_refused(tmp_path):
    path = tmp_path / "s.yaml"
    path.write_text("#" * (MAX_SCENE_FILE_BYTES - 1) + "\n")  # all comment: empty once read
    with pytest.raises(SceneError, match="the scene file is empty"):
        load_scene(path)
    path.write_text("#" * MAX_SCENE_FILE_BYTES + "\n")
    with pytest.raises(SceneError, match=f"{MAX_SCENE_FILE_BYTES + 1:,} bytes; a Scene file "
                                         f"may be at most {MAX_SCENE_FILE_BYTES:,} bytes"):
        load_scene(path)


def test_a_scene_with_a_long_unknown_field_is_quoted_short():
    with pytest.raises(SceneError) as info:
        scene_from_dict({"x" * 10_000: 1})
    assert len(str(info.value)) < 200
