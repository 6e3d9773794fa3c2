"""Bad input: one clear line naming what to change, a non-zero exit, and no partial files."""

from __future__ import annotations

import pytest

from tests.conftest import run_cli

PROMPT = "a ball drops"


def _assert_refused(result, needle: str, folder=None):
    assert result.exit_code != 0
    message = result.stderr.strip()
    assert needle in message, message
    assert len(message.splitlines()) <= 2, message
    if folder is not None:
        assert [p.name for p in folder.iterdir()] == [], "nothing may be left behind"


@pytest.mark.parametrize("prompt", ["", "   "])
def test_empty_prompt(tmp_path, prompt):
    result = run_cli("generate", prompt, "-o", str(tmp_path / "c.mp4"), "--quiet")
    _assert_refused(result, "prompt", tmp_path)


@pytest.mark.parametrize("size,needle", [("0x0", "out of range"),
                                         ("100000x100000", "out of range"),
                                         ("641x361", "even width and height"),
                                         ("wide", "WIDTHxHEIGHT")])
def test_bad_sizes(tmp_path, size, needle):
    result = run_cli("generate", PROMPT, "-o", str(tmp_path / "c.mp4"), "--size", size)
    _assert_refused(result, needle, tmp_path)


@pytest.mark.parametrize("seconds", ["-1", "0", "100000", "nan"])
def test_bad_durations(tmp_path, seconds):
    result = run_cli("generate", PROMPT, "-o", str(tmp_path / "c.mp4"), "--seconds", seconds)
    _assert_refused(result, "--seconds", tmp_path)


def test_malformed_yaml(tmp_path):
    scene = tmp_path / "s.yaml"
    scene.write_text("entities: [ {id: ball, asset: basketball\n")
    result = run_cli("render", str(scene), "-o", str(tmp_path / "c.mp4"))
    _assert_refused(result, "malformed YAML at line")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]


def test_unknown_asset_in_a_scene(tmp_path):
    scene = tmp_path / "s.yaml"
    scene.write_text("entities:\n- {id: pet, asset: dragon, position: [0, 0, 1]}\n")
    result = run_cli("render", str(scene), "-o", str(tmp_path / "c.mp4"))
    _assert_refused(result, "entities[0].asset: unknown asset 'dragon'")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]


def test_output_in_a_missing_directory(tmp_path):
    result = run_cli("generate", PROMPT, "-o", str(tmp_path / "nope" / "c.mp4"))
    _assert_refused(result, "does not exist; create it first", tmp_path)


def test_output_in_an_unwritable_directory():
    # /proc refuses new files even to root, unlike a chmod-ed folder.
    result = run_cli("generate", PROMPT, "-o", "/proc/worldreel-test.mp4")
    _assert_refused(result, "cannot write in directory /proc")


def test_output_must_be_an_mp4(tmp_path):
    result = run_cli("generate", PROMPT, "-o", str(tmp_path / "c.avi"))
    _assert_refused(result, "must end in .mp4", tmp_path)


def test_interrupted_encode_leaves_nothing(tmp_path, monkeypatch):
    """A failure in the middle of encoding removes the partial file and sidecars."""
    import worldreel.pipeline as pipeline

    def broken_frames(*args, **kwargs):
        import numpy as np

        yield np.zeros((96, 160, 3), np.uint8)
        raise KeyboardInterrupt

    monkeypatch.setattr(pipeline, "render_frames", broken_frames)
    result = run_cli("generate", PROMPT, "-o", str(tmp_path / "c.mp4"), "--size", "160x96",
                     "--seconds", "1", "--quiet")
    assert result.exit_code == 130
    assert list(tmp_path.iterdir()) == []


def test_an_existing_clip_is_not_replaced_without_overwrite(tmp_path):
    clip = tmp_path / "c.mp4"
    clip.write_bytes(b"the user's own film")
    result = run_cli("generate", PROMPT, "-o", str(clip), "--quiet")
    _assert_refused(result, "already exists; pass --overwrite")
    assert clip.read_bytes() == b"the user's own film"


def test_overwrite_replaces_clip_and_sidecars(tmp_path):
    clip = tmp_path / "c.mp4"
    clip.write_bytes(b"old")
    result = run_cli("generate", PROMPT, "-o", str(clip), "--overwrite", "--seconds", "1",
                     "--size", "64x48", "--quiet")
    assert result.exit_code == 0, result.stderr
    assert clip.read_bytes()[4:8] == b"ftyp"


def test_rendering_never_overwrites_the_scene_being_rendered(tmp_path):
    scene = tmp_path / "take.scene.yaml"
    scene.write_text("# my hand-edited scene\nentities:\n"
                     "- {id: ball, asset: basketball, position: [0, 0, 1]}\n")
    result = run_cli("render", str(scene), "-o", str(tmp_path / "take.mp4"), "--overwrite")
    _assert_refused(result, "the file being rendered")
    assert scene.read_text().startswith("# my hand-edited scene")


def test_stems_folder_whose_parent_is_missing(tmp_path):
    result = run_cli("generate", PROMPT, "-o", str(tmp_path / "c.mp4"), "--stems",
                     str(tmp_path / "no" / "stems"))
    _assert_refused(result, "its parent folder does not exist", tmp_path)


PERSON = "characters:\n- id: ann\n  script:\n"


@pytest.mark.parametrize("script,needle", [
    ("  - {do: wave, target: bob}\n", "characters[0].script[0].target 'bob' is not an entity"),
    ("  - {id: a, do: wave, after: b}\n  - {id: b, do: nod, after: a}\n",
     "'after' forms a cycle (a -> b -> a)"),
    ("  - {do: wave, after: nothing}\n", "script[0].after 'nothing' is not an action id"),
    ("  - {do: sit}\n", "'ann' has no seat within 1.2 m to sit on"),
    ("  - {do: dance, at: 9}\n", "after the clip ends"),
    ("  - {do: fly}\n", "characters[0].script[0].do: Input should be 'idle'"),
    ("  - {do: throw, target: ann}\n", "cannot throw itself"),
    ("  - {do: kick}\n", "say what to kick"),
])
def test_bad_scripts_are_refused_before_any_work(tmp_path, script, needle):
    scene = tmp_path / "s.yaml"
    scene.write_text("duration: 3\n" + PERSON + script)
    result = run_cli("render", str(scene), "-o", str(tmp_path / "c.mp4"), "--quiet")
    _assert_refused(result, needle)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.yaml"]


def test_a_shot_of_someone_who_is_not_there(tmp_path):
    scene = tmp_path / "s.yaml"
    scene.write_text("characters: [{id: ann}]\nshots: [{subject: bob}]\n")
    result = run_cli("render", str(scene), "-o", str(tmp_path / "c.mp4"), "--quiet")
    _assert_refused(result,
                    "shots[0].subject 'bob' is not an entity, character, animal or flock id")
