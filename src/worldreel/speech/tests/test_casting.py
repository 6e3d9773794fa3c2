"""Casting: six kinds of people get six voices that fit them, the same ones every time."""

import numpy as np
import pytest

from worldreel.errors import SceneError
from worldreel.evaluate.pitch import median_f0
from worldreel.scene import Scene
from worldreel.speech import speak
from worldreel.speech.casting import cast

PEOPLE = {"man": (35, 1.0), "woman": (32, 0.0), "boy": (9, 1.0), "girl": (8, 0.0),
          "old_man": (78, 1.0), "old_woman": (80, 0.0)}


def _family(**audio):
    characters = [{"id": name, "body": {"age": age, "gender": gender},
                   "position": [k * 0.8, 0.0]}
                  for k, (name, (age, gender)) in enumerate(PEOPLE.items())]
    lines = [{"text": "I have something to tell you.", "speaker": name} for name in PEOPLE]
    return Scene.model_validate({"duration": 30.0, "characters": characters,
                                 "audio": {"dialogue": lines, **audio}})


def f0_hz(samples: np.ndarray) -> float:
    """Median fundamental of the voiced frames (worldreel.evaluate.pitch)."""
    return median_f0(np.asarray(samples, dtype=float)) or 0.0


def test_six_people_get_six_distinct_voices_the_same_every_time():
    scene = _family()
    voices = cast(scene)
    labels = [voices[name].label for name in PEOPLE]
    assert len(set(labels)) == 6, labels
    assert cast(scene) == voices
    assert cast(_family()) == voices  # a new but equal Scene: the same cast


def test_voices_fit_their_bodies():
    speech = speak(_family())
    pitch = {name: f0_hz(np.asarray(line.samples)) for name, line in zip(PEOPLE, speech.lines)}
    assert pitch["man"] < 170 and pitch["old_man"] < 190  # men speak low
    assert pitch["woman"] > 150 and pitch["old_woman"] > 140
    assert min(pitch["boy"], pitch["girl"]) > pitch["man"] + 60  # no child with a bass voice
    assert pitch["girl"] > pitch["woman"]


def test_an_unknown_voice_or_engine_is_named():
    scene = Scene.model_validate({"duration": 5.0, "audio": {"dialogue": [
        {"text": "Hello", "voice": "festival:nobody"}]}})
    with pytest.raises(SceneError, match=r"audio\.dialogue\[0\]: festival has no voice 'nobody'"):
        speak(scene)
    scene = Scene.model_validate({"duration": 5.0, "audio": {"dialogue": [
        {"text": "Hello", "voice": "bark:en"}]}})
    with pytest.raises(SceneError, match="no speech engine 'bark'"):
        speak(scene)
