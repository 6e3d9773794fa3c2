"""Hostile Scene files: each is refused at load time, before any work, with one line naming the
file, the field and what to change, a non-zero exit, and nothing written."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from tests.conftest import run_cli
from worldreel.scene.limits import (MAX_ENTITIES, MAX_NESTING_DEPTH, MAX_PROMPT_CHARS,
                                    MAX_SCENE_FILE_BYTES)

BALL = "entities:\n- {id: ball, asset: basketball, position: [0, 0, 1]}\n"


def _render(tmp_path, text: str | bytes, name: str = "s.yaml"):
    """Render a Scene file holding `text`; return (CLI result, the files left besides it)."""
    scene = tmp_path / name
    if isinstance(text, bytes):
        scene.write_bytes(text)
    else:
        scene.write_text(text)
    result = run_cli("render", str(scene), "-o", str(tmp_path / "c.mp4"), "--quiet")
    return result, sorted(p.name for p in tmp_path.iterdir() if p.name != name)


def _refused(result, left, *needles: str) -> str:
    assert result.exit_code != 0
    message = result.stderr.strip()
    assert len(message.splitlines()) == 1, message
    for needle in needles:
        assert needle in message, message
    assert left == [], f"nothing may be written, found {left}"
    return message


# --- 1. size: the file, and every free text in it ------------------------------------------------

def test_a_scene_file_over_the_size_limit(tmp_path):
    result, left = _render(tmp_path, BALL + "#" * MAX_SCENE_FILE_BYTES + "\n")
    _refused(result, left, "s.yaml", f"at most {MAX_SCENE_FILE_BYTES:,} bytes")


def test_a_prompt_longer_than_the_cli_takes(tmp_path):
    result, left = _render(tmp_path, BALL + f"prompt: {'a' * (MAX_PROMPT_CHARS + 1)}\n")
    _refused(result, left, "s.yaml", "prompt:", f"at most {MAX_PROMPT_CHARS} characters")


@pytest.mark.parametrize("field,value,needle", [
    ("asset", "x" * 5000, "entities[0].asset: String should have at most 64 characters"),
    ("id", "b" * 65, "entities[0].id: String should match pattern"),
    ("color", '"#' + "a" * 5000 + '"', "entities[0].color: String should have at most 64 "
                                       "characters"),
])
def test_overlong_names_and_ids(tmp_path, field, value, needle):
    entity = {"id": "ball", "asset": "basketball", "position": "[0, 0, 1]", field: value}
    text = "entities:\n- {" + ", ".join(f"{k}: {v}" for k, v in entity.items()) + "}\n"
    result, left = _render(tmp_path, text)
    message = _refused(result, left, "s.yaml", needle)
    assert len(message) < 500, "a refused value is not echoed back whole"


def _run_subprocess(*args: str) -> subprocess.CompletedProcess:
    """The real command in its own process, under a timeout: a regression here would block
    forever (a pipe) or eat all memory (/dev/zero) inside the test process."""
    env = dict(os.environ, MUJOCO_GL=os.environ.get("MUJOCO_GL", "egl"))
    return subprocess.run([sys.executable, "-m", "worldreel", *args], capture_output=True,
                          text=True, timeout=20, env=env)


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_pipes_and_devices_are_refused_without_reading(tmp_path, kind):
    if kind == "fifo":
        source = tmp_path / "scene.yaml"
        os.mkfifo(source)  # no writer: opening it for reading would block forever
    else:
        source = "/dev/zero"  # endless: reading it would fill memory
    out = tmp_path / "c.mp4"
    done = _run_subprocess("render", str(source), "-o", str(out), "--quiet")
    assert done.returncode != 0
    message = done.stderr.strip()
    assert len(message.splitlines()) == 1, message
    assert f"{source}: is not a regular file" in message
    assert not out.exists()


def test_a_folder_is_not_a_scene(tmp_path):
    folder = tmp_path / "scenes"
    folder.mkdir()
    result = run_cli("render", str(folder), "-o", str(tmp_path / "c.mp4"), "--quiet")
    assert result.exit_code != 0
    assert "scenes: is a folder" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scenes"]


def test_a_binary_file(tmp_path):
    result, left = _render(tmp_path, b"\x89PNG\r\n\x1a\n\xff\xfe\x00\x00")
    _refused(result, left, "s.yaml: not a text file")


# --- 2. nesting ----------------------------------------------------------------------------------

@pytest.mark.parametrize("depth", [MAX_NESTING_DEPTH + 1, 100_000])
def test_deep_nesting(tmp_path, depth):
    result, left = _render(tmp_path, "prompt: " + "[" * depth + "]" * depth + "\n")
    _refused(result, left, "s.yaml", "nest")


def test_an_alias_bomb(tmp_path):
    """A few hundred bytes of aliases of aliases that expand to 9**9 values."""
    names = "abcdefghi"
    rows = [f"{names[0]}: &{names[0]} [{', '.join(['x'] * 9)}]"]
    rows += [f"{n}: &{n} [{', '.join(['*' + p] * 9)}]" for p, n in zip(names, names[1:])]
    result, left = _render(tmp_path, "\n".join(rows) + "\n")
    _refused(result, left, "s.yaml", "expands to more than")


# --- 3. duplicate keys, safe loading -------------------------------------------------------------

def test_a_duplicate_key(tmp_path):
    result, left = _render(tmp_path, "duration: 2\nseed: 1\nduration: 3\n" + BALL)
    _refused(result, left, "s.yaml: line 3: the field 'duration' is given twice "
                           "(first at line 1)")


def test_a_duplicate_key_in_an_entity(tmp_path):
    text = "entities:\n- id: ball\n  asset: basketball\n  position: [0, 0, 1]\n  asset: crate\n"
    result, left = _render(tmp_path, text)
    _refused(result, left, "s.yaml: line 5: the field 'asset' is given twice (first at line 3)")


def test_merge_keys_may_still_be_overridden(tmp_path):
    from worldreel.scene import load_scene

    scene = tmp_path / "s.yaml"
    scene.write_text("shots:\n- &wide {start: 0, size: wide, elevation: 20}\n"
                     "- {<<: *wide, start: 1, size: close}\nduration: 2\n" + BALL)
    shots = load_scene(scene).shots
    assert (shots[1].size, shots[1].elevation) == ("close", 20)


def test_python_tags_run_nothing(tmp_path):
    marker = tmp_path / "ran"
    result, left = _render(tmp_path, f"prompt: !!python/object/apply:os.system "
                                     f"['touch {marker}']\n" + BALL)
    _refused(result, left, "s.yaml: malformed YAML", "python/object")
    assert not marker.exists()


def test_an_integer_too_long_to_read(tmp_path):
    result, left = _render(tmp_path, "seed: " + "9" * 5000 + "\n" + BALL)
    _refused(result, left, "s.yaml: malformed YAML at line 1", "integer too long")


# --- 4. NaN and infinity -------------------------------------------------------------------------

@pytest.mark.parametrize("text,path", [
    (BALL + "shots:\n- {start: 0, azimuth: .nan}\n", "shots[0].azimuth"),
    ("entities:\n- {id: ball, asset: basketball, position: [0, .nan, 1]}\n",
     "entities[0].position[1]"),
    ("entities:\n- {id: ball, asset: basketball, position: [0, 0, 1], velocity: [.inf, 0, 0]}\n",
     "entities[0].velocity[0]"),
    (BALL + "setting: {gravity: [0, 0, -.inf]}\n", "setting.gravity[2]"),
    (BALL + "duration: .nan\n", "duration"),
    (BALL + "actions:\n- {kind: push, entity: ball, speed: .nan}\n", "actions[0].speed"),
    (BALL + "characters:\n- {id: ann, position: [1, 1], script: [{do: walk, place: [.nan, 0]}]}\n",
     "characters[0].script[0].place[0]"),
    (BALL + "seed: 1e999\n", "seed"),
])
def test_non_finite_numbers(tmp_path, text, path):
    result, left = _render(tmp_path, text)
    _refused(result, left, f"s.yaml: {path}: ")


# --- 5. numbers MuJoCo cannot take ---------------------------------------------------------------

@pytest.mark.parametrize("entity,needle", [
    ("angular_velocity: [0, 0, 1e12]", "entities[0].angular_velocity: spin 1e+12 rad/s is too "
                                       "fast; give at most 500 rad/s"),
    ("velocity: [1e5, 0, 0]", "entities[0].velocity: speed 1e+05 m/s is too fast; give at most "
                              "100 m/s"),
    ("position: [1e30, 0, 1]", "entities[0].position: coordinate 1e+30 m is too far from the "
                               "origin"),
    ("rotation: [0, 0, 1e300]", "entities[0].rotation: angle 1e+300 degrees"),
    ("mass: 1e-12", "entities[0].mass: Input should be greater than or equal to 0.00001"),
    ("scale: 1e6", "entities[0].scale: Input should be less than or equal to 20"),
])
def test_physically_impossible_entities(tmp_path, entity, needle):
    text = "entities:\n- {id: ball, asset: basketball, " + (
        "" if entity.startswith("position") else "position: [0, 0, 1], ") + entity + "}\n"
    result, left = _render(tmp_path, text)
    _refused(result, left, "s.yaml: " + needle)


@pytest.mark.parametrize("text,needle", [
    (BALL + "setting: {gravity: [0, 0, -1e9]}\n", "setting.gravity: gravity 1e+09 m/s^2 is too "
                                                  "strong"),
    (BALL + "characters:\n- {id: ann, position: [1e7, 0]}\n", "characters[0].position: "
                                                             "coordinate 1e+07 m"),
    (BALL + "actions:\n- {kind: push, entity: ball, direction: [0, 0, 1]}\n",
     "actions[0].direction: needs a horizontal component"),
    (BALL + "actions:\n- {kind: roll, entity: ball, direction: [1e300, 1e300, 0]}\n",
     "actions[0].direction: direction components must be within"),
    (BALL + "actions:\n- {kind: drop, entity: ball, delay: 1e300}\n",
     "actions[0].delay: Input should be less than or equal to 60"),
    (BALL + "shots:\n- {start: 0, azimuth: 1e300}\n", "shots[0].azimuth: Input should be less"),
])
def test_other_unbounded_numbers(tmp_path, text, needle):
    result, left = _render(tmp_path, text)
    _refused(result, left, "s.yaml: " + needle)


@pytest.mark.filterwarnings("ignore:MuJoCo")  # MuJoCo's own note of the reset
@pytest.mark.parametrize("field,value,what", [
    ("angular_velocity", (0.0, 0.0, 1e12), "the velocity of 'ball' became huge or NaN"),
    ("position", (1e30, 0.0, 1.0), "the position of 'ball' became huge or NaN"),
    ("velocity", (0.0, 0.0, 400.0), "'ball' moves faster than 200 m/s"),
])
def test_a_simulation_mujoco_resets_is_an_error(tmp_path, monkeypatch, field, value, what):
    """Past validation (a Scene built in code without it), MuJoCo resets the simulation to the
    start pose; that is a PhysicsError naming the body, not a clip of a frozen start pose."""
    from worldreel.errors import PhysicsError
    from worldreel.physics import simulate
    from worldreel.scene import Entity, Scene

    monkeypatch.chdir(tmp_path)  # MuJoCo logs its warning to MUJOCO_LOG.TXT in the cwd
    scene = Scene(duration=0.25, entities=(Entity(id="ball", asset="basketball",
                                                  position=(0.0, 0.0, 1.0)),))
    ball = scene.entities[0].model_copy(update={field: value})  # model_copy does not validate
    with pytest.raises(PhysicsError, match="the simulation became unstable") as info:
        simulate(scene.model_copy(update={"entities": (ball,)}))
    assert what in str(info.value)


# --- 6. counts -----------------------------------------------------------------------------------

def test_ten_thousand_entities_are_refused_at_once(tmp_path):
    rows = "".join(f"- {{id: b{k}, asset: basketball, position: [{k % 100}, {k // 100}, 1]}}\n"
                   for k in range(10_000))
    result, left = _render(tmp_path, "entities:\n" + rows)
    _refused(result, left, f"s.yaml: entities: 10000 entities are more than a Scene may hold; "
                           f"give at most {MAX_ENTITIES}")


def test_many_bad_fields_make_one_readable_line(tmp_path):
    rows = "".join(f"- {{id: b{k}, asset: basketball, position: [0, 0, 1], colour: red}}\n"
                   for k in range(150))
    result, left = _render(tmp_path, "entities:\n" + rows)
    message = _refused(result, left, "entities[0].colour: unknown field", "and 140 more problems")
    assert len(message) < 1000
