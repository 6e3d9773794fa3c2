"""Quoted words in a prompt are spoken, not parsed as things to show."""

import pytest

from worldreel.director import plan_scene
from worldreel.errors import PromptError
from worldreel.timeline import check_dialogue


def test_quoted_speech_becomes_a_spoken_line_the_clip_has_time_for():
    plan = plan_scene('a basketball bounces on the floor while the coach says "what a bounce, '
                      'keep your eyes on the ball"')
    lines = plan.scene.audio.dialogue
    assert [line.text for line in lines] == ["what a bounce, keep your eyes on the ball"]
    assert "bounce" not in plan.unknown_words and "eyes" not in plan.unknown_words
    check_dialogue(plan.scene)  # the engine's real length fits the planned clip


def test_several_lines_follow_each_other():
    plan = plan_scene('a ball drops. "Ready?" "Go!"')
    first, second = plan.scene.audio.dialogue
    assert second.at > first.at


def test_too_much_speech_for_a_fixed_clip_is_refused():
    with pytest.raises(PromptError, match="quoted speech needs about"):
        plan_scene('a ball drops "' + "word " * 60 + '"', duration=2.0)
