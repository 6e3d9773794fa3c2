"""A prompt's quoted speech gets a clip long enough to hear it, from the lines' real lengths."""

import pytest

from worldreel.errors import SceneError
from worldreel.pipeline import plan
from worldreel.speech import speak
from worldreel.timeline import resolve_lines


def test_the_clip_grows_to_hold_the_quoted_speech():
    planned = plan('a ball drops "' + "one more word " * 12 + '"')
    lines = resolve_lines(planned.scene, speak(planned.scene))
    assert lines[-1].end <= planned.scene.duration
    assert planned.scene.duration > 5.0  # longer than the default clip: the words need it


def test_too_much_speech_for_a_fixed_clip_is_refused():
    with pytest.raises(SceneError, match=r"audio\.dialogue\[0\]: the line takes"):
        plan('a ball drops "' + "word " * 60 + '"', seconds=2.0)
