"""Remixing a Scene by a prompt: what the prompt asks changes, and nothing else does."""

from __future__ import annotations

import functools

import pytest

from worldreel.assets import check_scene_assets
from worldreel.director import NamedLook, edit_scene, plan_scene
from worldreel.director.geometry import overlaps
from worldreel.director.lexicon import COLORS
from worldreel.director.tests.helpers import bottom, is_supported
from worldreel.director.wordnet import wordnet
from worldreel.errors import PromptError
from worldreel.scene import Scene, scene_from_dict, scene_to_dict
from worldreel.timeline import in_slow_motion

pytestmark = pytest.mark.skipif(wordnet() is None, reason="needs WordNet (apt: wordnet-base)")


def _differences(old: object, new: object, path: str = "") -> dict[str, tuple]:
    """Every path whose value differs (a list of another length differs as a whole)."""
    if isinstance(old, dict) and isinstance(new, dict):
        out: dict[str, tuple] = {}
        for key in sorted(set(old) | set(new)):
            out |= _differences(old.get(key), new.get(key), f"{path}.{key}" if path else key)
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new):
        out = {}
        for n, (a, b) in enumerate(zip(old, new)):
            out |= _differences(a, b, f"{path}[{n}]")
        return out
    return {} if old == new else {path: (old, new)}


@functools.cache
def _scene(prompt: str) -> Scene:
    return plan_scene(prompt).scene


def _remix(scene: Scene, prompt: str, **options) -> tuple[Scene, dict[str, tuple]]:
    """The remixed Scene (checked playable) and what differs from the old one."""
    edited = edit_scene(scene, prompt, **options).scene
    check_scene_assets(edited)
    assert scene_from_dict(scene_to_dict(edited)) == edited
    return edited, _differences(scene_to_dict(scene), scene_to_dict(edited))


BALL_AND_CRATE = "a ball bounces next to a crate"
TWO_BALLS = "two balls bounce next to a crate"
PASS = "a man throws a ball to a woman"
ROW = "a row of dominoes topples"


def _index(scene: Scene, entity_id: str) -> int:
    return [e.id for e in scene.entities].index(entity_id)


@pytest.mark.parametrize(("prompt", "field", "value"), [
    ("make the ball red", "color", COLORS["red"]),
    ("paint the box blue", "color", COLORS["blue"]),
    ("the crate should be metal", "material", "metal"),
])
def test_a_things_colour_or_material_changes_and_nothing_else(prompt, field, value):
    scene = _scene(BALL_AND_CRATE)
    thing = "crate" if "crate" in prompt or "box" in prompt else "basketball"
    _, changed = _remix(scene, prompt)
    assert changed == {f"entities[{_index(scene, thing)}].{field}": (None, value)}


def test_a_material_that_is_also_a_thing_is_read_as_the_material():
    scene = _scene("a glass falls off a table and shatters")
    for prompt in ("make the table glass", "the table should be made of glass"):
        _, changed = _remix(scene, prompt)
        assert changed == {f"entities[{_index(scene, 'table')}].material": (None, "glass")}


def test_everything_is_every_thing():
    scene = _scene(BALL_AND_CRATE)
    edited, changed = _remix(scene, "make everything blue")
    assert all(e.color == COLORS["blue"] for e in edited.entities)
    assert len(changed) == len(scene.entities)


def test_alike_things_are_all_changed_unless_the_prompt_says_which():
    scene = _scene(TWO_BALLS)
    balls = [e.id for e in scene.entities if e.asset == "basketball"]
    assert len(balls) == 2
    plan = edit_scene(scene, "make the ball green")
    assert {e.id for e in plan.scene.entities if e.color == COLORS["green"]} == set(balls)
    assert any("first ball" in w for w in plan.warnings)  # told how to pick one
    _, changed = _remix(scene, "make the second ball green")
    assert changed == {f"entities[{_index(scene, balls[1])}].color": (None, COLORS["green"])}


def test_clothes_and_hair_of_a_person_change_and_nothing_else():
    scene = _scene(PASS)
    woman, man = (scene.character(i) for i in ("woman", "man"))
    w, m = (f"characters[{[c.id for c in scene.characters].index(i)}]" for i in ("woman", "man"))
    _, changed = _remix(scene, "give the woman a green coat")
    assert changed == {f"{w}.outfit.top": (woman.outfit.top, "coat"),
                       f"{w}.outfit.top_color": (woman.outfit.top_color, COLORS["green"])}
    _, changed = _remix(scene, "give the man blonde hair")
    assert changed == {f"{m}.hair.color": (man.hair.color, "blonde")}


@pytest.mark.parametrize(("prompt", "field", "value"), [
    ("now at night", "time_of_day", "night"),
    ("at dawn", "time_of_day", "dawn"),
    ("make it rain", "weather", "rain"),
    ("in the snow", "weather", "snow"),
    ("in fog", "weather", "fog"),
    ("in a gym", "environment", "gym"),
    ("on the beach", "environment", "beach"),
])
def test_time_weather_and_place_change_with_everything_where_it_was(prompt, field, value):
    scene = _scene(BALL_AND_CRATE)
    _, changed = _remix(scene, prompt)
    assert changed == {f"setting.{field}": (getattr(scene.setting, field), value)}


def test_an_added_ball_is_like_the_first_beside_it_and_falls_as_it_does():
    scene = _scene(BALL_AND_CRATE)
    edited, changed = _remix(scene, "add a second ball")
    assert set(changed) == {"entities", "actions"}
    assert edited.entities[:len(scene.entities)] == scene.entities  # the old ones untouched
    assert edited.actions[:len(scene.actions)] == scene.actions
    (new,) = edited.entities[len(scene.entities):]
    ball = scene.entity("basketball")
    assert new.asset == "basketball" and new.id not in {e.id for e in scene.entities}
    assert new.position[2] == ball.position[2]  # held as high, and let go alike
    assert [a.kind for a in edited.actions if a.entity == new.id] == ["drop"]
    assert not overlaps(list(edited.entities))


def test_an_added_crate_stands_on_the_floor_clear_of_the_others():
    scene = _scene(BALL_AND_CRATE)
    edited, changed = _remix(scene, "add a crate")
    assert set(changed) == {"entities"}
    new = edited.entities[-1]
    assert new.asset == "crate" and new.id == "crate_2"
    assert abs(bottom(new)) < 1e-3
    assert not overlaps(list(edited.entities))


def test_a_thing_added_on_another_rests_on_its_top():
    scene = _scene("a glass falls off a table and shatters")
    edited, _ = _remix(scene, "add a ball on the table")
    ball = edited.entities[-1]
    assert bottom(ball) > 0.5 and is_supported(edited, ball)
    assert not overlaps(list(edited.entities))


def test_more_dominoes_continue_the_row_at_its_spacing():
    scene = _scene(ROW)
    edited, changed = _remix(scene, "add two more dominoes")
    assert set(changed) == {"entities", "duration"}
    assert edited.duration > scene.duration  # the wave reaches the new end in the clip
    xs = sorted(e.position[0] for e in edited.entities)
    steps = {round(b - a, 3) for a, b in zip(xs, xs[1:])}
    assert len(edited.entities) == len(scene.entities) + 2 and len(steps) == 1
    assert len({e.id for e in edited.entities}) == len(edited.entities)


def test_an_added_person_stands_clear_of_the_others():
    scene = _scene(PASS)
    edited, changed = _remix(scene, "add another person")
    assert set(changed) == {"characters"}
    assert edited.characters[:2] == scene.characters
    new = edited.characters[-1]
    assert new.id == "person" and new.script == ()
    assert all(abs(new.position[0] - c.position[0]) >= 1.2 for c in scene.characters)


def test_a_named_look_is_added_by_name():
    maya = NamedLook(name="Maya", body={"age": 31, "gender": 0, "skin": "dark"},
                     outfit={"top": "raincoat", "top_color": "#ffcc00"},
                     hair={"style": "bun", "color": "black"})
    edited, _ = _remix(_scene(PASS), "add Maya", cast=[maya])
    added = edited.character("maya")
    assert (added.body, added.outfit, added.hair) == (maya.body, maya.outfit, maya.hair)


@pytest.mark.parametrize("prompt", ["remove the crate", "without the crate"])
def test_a_removed_thing_is_gone_and_the_rest_kept(prompt):
    scene = _scene(BALL_AND_CRATE)
    edited, changed = _remix(scene, prompt)
    assert set(changed) == {"entities"}
    assert list(edited.entities) == [e for e in scene.entities if e.id != "crate"]


def test_removing_what_people_act_on_takes_their_deeds_with_it():
    scene = _scene(PASS)
    plan = edit_scene(scene, "remove the ball")
    edited = plan.scene
    assert not edited.entities
    assert all(not c.script and c.holds is None for c in edited.characters)
    assert any("throw" in w for w in plan.warnings)  # the user is told what went


def test_slow_motion_stretches_every_time():
    scene = _scene(BALL_AND_CRATE)
    edited, _ = _remix(scene, "in slow motion")
    assert edited.slow_motion > 1
    assert edited == in_slow_motion(scene, edited.slow_motion)


def test_the_clip_is_made_as_long_as_asked():
    scene = _scene(BALL_AND_CRATE)
    _, changed = _remix(scene, "make it 8 seconds long")
    assert changed == {"duration": (scene.duration, 8.0)}


def test_the_floor_is_made_of_what_the_prompt_says():
    scene = _scene(BALL_AND_CRATE)
    for prompt, material in (("the floor should be ice", "ice"), ("on grass", "grass")):
        _, changed = _remix(scene, prompt)
        assert changed == {"setting.floor_material": (None, material)}


def test_a_resized_thing_keeps_standing_where_it_stood():
    scene = _scene(BALL_AND_CRATE)
    crate = scene.entity("crate")
    edited, changed = _remix(scene, "make the crate bigger")
    grown = edited.entity("crate")
    assert set(changed) == {f"entities[{_index(scene, 'crate')}].{f}"
                            for f in ("scale", "position[2]")}
    assert grown.scale > crate.scale and abs(bottom(grown) - bottom(crate)) < 1e-3


def test_it_is_what_was_just_added():
    scene = _scene(BALL_AND_CRATE)
    edited, _ = _remix(scene, "add a crate and make it red")
    assert [e.id for e in edited.entities if e.color == COLORS["red"]] == ["crate_2"]


def test_quoted_words_are_said_after_the_rest_in_the_speakers_voice():
    maya = NamedLook(name="Maya", body={"gender": 0}, voice="espeak:en+f3")
    scene = plan_scene('Maya says "hi" to a man', cast=[maya]).scene
    edited, changed = _remix(scene, 'Maya says "bye"', cast=[maya])
    assert set(changed) == {"audio.dialogue"}
    assert edited.audio.dialogue[:-1] == scene.audio.dialogue
    last = edited.audio.dialogue[-1]
    assert (last.text, last.speaker, last.voice) == ("bye", "maya", maya.voice)


def test_several_changes_in_one_prompt():
    scene = _scene(BALL_AND_CRATE)
    edited, changed = _remix(scene, "make the ball red and the crate metal, at night")
    assert edited.entity("basketball").color == COLORS["red"]
    assert edited.entity("crate").material == "metal"
    assert edited.setting.time_of_day == "night" and len(changed) == 3


@pytest.mark.parametrize(("prompt", "said"), [
    ("add a second dog", "cannot add or change animals yet"),
    ("add a panda", "no pandas yet"),
    ("make the lamp red", "no lamp"),
    ("hello there", "make the ball red"),  # says what a remix understands
])
def test_a_remix_that_changes_nothing_says_why(prompt, said):
    with pytest.raises(PromptError, match=said):
        edit_scene(_scene(BALL_AND_CRATE), prompt)


def test_words_not_understood_beside_a_change_are_reported():
    plan = edit_scene(_scene(BALL_AND_CRATE), "make the ball red and frobnicate it")
    assert plan.scene.entity("basketball").color == COLORS["red"]
    assert "frobnicate" in plan.unknown_words
    assert any("frobnicate" in w for w in plan.warnings)


def test_the_same_remix_gives_the_same_scene():
    scene = _scene(BALL_AND_CRATE)
    prompt = "add two balls and a crate, make it rain"
    assert edit_scene(scene, prompt).scene == edit_scene(scene, prompt).scene
    assert edit_scene(scene, prompt, seed=3).scene == edit_scene(scene, prompt, seed=3).scene


def test_bad_inputs_are_refused_with_what_to_change():
    with pytest.raises(PromptError, match="empty"):
        edit_scene(_scene(BALL_AND_CRATE), "   ")
    with pytest.raises(PromptError, match="seed"):
        edit_scene(_scene(BALL_AND_CRATE), "make the ball red", seed=-1)


@pytest.mark.slow
def test_a_remixed_scene_plays_and_the_added_dominoes_fall_too():
    from worldreel.physics import simulate  # noqa: PLC0415

    edited = edit_scene(_scene(ROW), "add two more dominoes").scene
    recording = simulate(edited)
    for domino in edited.entities:
        w, x, y, z = recording.quaternions[-1, recording.index(domino.id)]
        upright = 1.0 - 2.0 * (x * x + y * y)  # cosine of its tilt from standing
        assert upright < 0.5, f"{domino.id} is still standing at the end of the clip"
