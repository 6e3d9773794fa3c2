"""Dialogue: lines are spoken from their time, the bed steps back for them, bad lines are named."""

import numpy as np
import pytest

from worldreel.audio import SAMPLE_RATE, make_soundtrack
from worldreel.audio import speech
from worldreel.audio.tests.helpers import recording, rms_db
from worldreel.errors import AudioError, SceneError
from worldreel.scene import AudioOptions, Line, Scene, Setting
from worldreel.timeline import check_dialogue


def _scene(lines, duration=3.0):
    return Scene(duration=duration, setting=Setting(environment="park"),
                 audio=AudioOptions(dialogue=tuple(lines)))


def test_a_line_starts_on_its_sample_and_the_bed_ducks_under_it():
    scene = _scene([Line(text="Watch the ball bounce.", at=1.0)])
    track = make_soundtrack(scene, recording(3.0))
    words = track.stems["dialogue"][:, 0]
    first = int(np.flatnonzero(words)[0])
    assert first == SAMPLE_RATE  # exactly at 1.000 s
    spoken = speech.spoken_seconds(scene.audio.dialogue[0])
    bed = track.stems["ambience"][:, 0]
    during = bed[int(1.2 * SAMPLE_RATE):int((1.0 + spoken - 0.2) * SAMPLE_RATE)]
    before = bed[int(0.1 * SAMPLE_RATE):int(0.7 * SAMPLE_RATE)]
    assert rms_db(during) < rms_db(before) - 6.0


def test_a_line_too_long_for_the_clip_is_refused_with_its_path():
    scene = _scene([Line(text="This sentence is far too long to fit in what is left of the "
                           "clip after it starts.", at=1.5)], duration=2.0)
    with pytest.raises(SceneError, match=r"audio\.dialogue\[0\]: the line takes .* after the clip"):
        check_dialogue(scene)


def test_an_unknown_voice_is_named():
    with pytest.raises(AudioError, match="voice 'zz'"):
        speech.speak(Line(text="Hello", voice="zz"))


def test_without_the_speech_engine_the_message_says_what_to_install(monkeypatch):
    monkeypatch.setattr(speech.shutil, "which", lambda name: None)
    with pytest.raises(AudioError, match="apt-get install espeak-ng"):
        speech.speak(Line(text="An uncached line for this test", voice="en-us"))
