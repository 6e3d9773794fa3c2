"""Quoted words in a prompt are spoken, not parsed as things to show."""

from worldreel.director import plan_scene


def test_quoted_speech_becomes_a_spoken_line():
    plan = plan_scene('a basketball bounces on the floor while the coach says "what a bounce, '
                      'keep your eyes on the ball"')
    lines = plan.scene.audio.dialogue
    assert [line.text for line in lines] == ["what a bounce, keep your eyes on the ball"]
    assert "bounce" not in plan.unknown_words and "eyes" not in plan.unknown_words
    assert lines[0].at is None  # placed by the timeline once its real length is known


def test_several_lines_keep_their_order():
    plan = plan_scene('a ball drops. "Ready?" "Go!"')
    assert [line.text for line in plan.scene.audio.dialogue] == ["Ready?", "Go!"]
