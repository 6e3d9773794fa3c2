"""Mood and style words change the look of the clip (looks.yaml), or are said not to be shown."""

import pytest

from worldreel.director import plan_scene
from worldreel.director.tests.helpers import one


def _status(plan, text: str) -> str:
    return next(g.status for g in plan.grounding if g.text == text)


@pytest.mark.parametrize("prompt, word, look", [
    ("a serene morning, a crate rests on a bench", "serene",
     {"time_of_day": "golden_hour", "grade": "warm"}),
    ("a gloomy courtyard where a ball rolls", "gloomy", {"weather": "haze", "grade": "cold"}),
    ("a cheerful boy waves", "cheerful", {"time_of_day": "noon", "grade": "warm"}),
    ("an eerie hallway, a box slides", "eerie", {"weather": "fog"}),
    ("a cinematic shot of a domino falling", "cinematic shot", {"grade": "cinematic"}),
])
def test_a_mood_sets_the_look(prompt, word, look):
    plan = plan_scene(prompt)
    setting = plan.scene.setting
    assert {name: getattr(setting, name) for name in look} == look
    assert _status(plan, word) == "grounded"


def test_gloom_darkens_and_cheer_brightens():
    dark = plan_scene("a dreary yard with a barrel").scene.setting.exposure
    bright = plan_scene("a joyful yard with a barrel").scene.setting.exposure
    assert dark < 0.0 < bright


def test_a_word_naming_the_look_outranks_a_mood():
    setting = plan_scene("a peaceful street at night with a bench").scene.setting
    assert setting.time_of_day == "night"  # said outright
    assert setting.grade == "warm"  # the mood's, where nothing else said


def test_a_mood_with_nothing_left_to_show_is_not_grounded():
    plan = plan_scene("a ball bounces, film noir, cinematic")
    assert plan.scene.setting.grade == "noir"
    assert _status(plan, "cinematic") == "not_shown"


def test_a_mood_adjective_keeps_the_noun_phrase_whole():
    plan = plan_scene("the lovely green ball rolls off a table")
    assert one(plan.scene, "table")
    ball = next(e for e in plan.scene.entities if e.asset != "table")
    assert ball.color is not None  # "green" still reached the ball past "lovely"


@pytest.mark.parametrize("prompt, names", [
    ("a crate tips over in the style of Rembrandt", ["in the style of", "rembrandt"]),
    ("a ball drops onto a table, watercolor", ["watercolor"]),
    ("a box slides across the floor, Hokusai style", ["hokusai", "style"]),
])
def test_an_artistic_style_is_reported_not_shown(prompt, names):
    plan = plan_scene(prompt)
    for name in names:
        assert _status(plan, name) == "not_shown"
    assert any("artistic style" in w for w in plan.warnings)
    assert plan.scene.setting.grade == "neutral"  # nothing pretends to paint it


def test_a_still_frame_holds_the_camera():
    moving = plan_scene("a ball is kicked across a lawn").scene.shots
    held = plan_scene("in a still frame, a ball is kicked across a lawn").scene.shots
    assert moving[0].move == "track"
    assert [s.move for s in held] == ["static"]


def test_a_tableau_is_one_held_wide_picture():
    plan = plan_scene("a calm tableau: a marble rolls across a table")
    assert [(s.move, s.size) for s in plan.scene.shots] == [("static", "wide")]
    assert _status(plan, "tableau") == "grounded"
