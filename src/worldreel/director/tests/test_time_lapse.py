"""Time-lapse words: the world runs many times faster than the clip, the clip keeps its length."""

import pytest

from worldreel.director import plan_scene


def _status(plan, text: str) -> str:
    return next(g.status for g in plan.grounding if g.text == text)


@pytest.mark.parametrize("prompt, word", [
    ("a time-lapse of a marble rolling down a ramp", "time lapse"),
    ("timelapse, a crate tips over", "timelapse"),
    ("a ball rolls across a table in time lapse", "time lapse"),
])
def test_a_time_lapse_shows_much_more_world_than_clip(prompt, word):
    plan = plan_scene(prompt)
    scene = plan.scene
    assert scene.time_lapse >= 10
    assert scene.duration >= 3.0  # a clip one can watch, not the story squeezed to a blink
    assert scene.duration * scene.time_lapse >= 30.0  # half a minute of the world or more
    assert _status(plan, word) == "grounded"
    assert any("time-lapse" in w and "faster" in w for w in plan.warnings)


def test_the_story_happens_on_the_faster_clock():
    normal = plan_scene("a crate tips over").scene
    lapse = plan_scene("a time lapse of a crate tipping over").scene
    k = lapse.time_lapse
    assert [a.kind for a in lapse.actions] == [a.kind for a in normal.actions]
    assert lapse.actions[0].at == pytest.approx(normal.actions[0].at / k, abs=1e-3)


def test_an_asked_length_is_the_clips():
    scene = plan_scene("time-lapse: a ball bounces on the floor", duration=2.0).scene
    assert scene.duration == pytest.approx(2.0)
    assert scene.time_lapse >= 10


def test_a_clip_cannot_be_slowed_and_sped_up_at_once():
    plan = plan_scene("a ball drops in slow motion, time lapse")
    assert plan.scene.slow_motion > 1 and plan.scene.time_lapse == 1
    assert _status(plan, "time lapse") == "not_shown"
    assert any("not a time-lapse" in w for w in plan.warnings)


def test_people_in_a_time_lapse_act_on_the_fast_clock():
    plan = plan_scene("a time lapse of a woman who walks and waves")
    scene = plan.scene
    assert scene.time_lapse >= 10
    first = scene.characters[0].script[0]
    assert first.at < 0.1  # the world's 0.3 s lead-in, ten times shorter or more
