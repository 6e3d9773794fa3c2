"""The speech stage as a user meets it: delivery follows punctuation and the Scene, the system
voices carry everything without the neural one, vocal sounds are made for people and crowds,
and bad lines are refused or fall back by name - never silence."""

import numpy as np
import pytest

from worldreel.errors import SceneError
from worldreel.scene import Scene
from worldreel.speech import engines, speak
from worldreel.speech.casting import cast, installed_voices
from worldreel.speech.tests.test_casting import _family, f0_hz


def _say(text=None, voice="festival:slt", **line):
    scene = Scene.model_validate({"duration": 12.0, "audio": {"dialogue": [
        {"text": text, "voice": voice, **line} if text else {"voice": voice, **line}]}})
    return speak(scene)


def _samples(*args, **kwargs) -> np.ndarray:
    return np.asarray(_say(*args, **kwargs).lines[0].samples)


def _rms_db(x: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(x ** 2))))


def _voiced_fraction(x: np.ndarray, strength: float = 0.8, rate: int = 48_000) -> float:
    """Share of loud 40 ms frames whose autocorrelation has a pitch peak (70-400 Hz) over
    `strength` of its energy."""
    frame, voiced, loud = int(0.04 * rate), 0, 0
    top = np.abs(x).max()
    for start in range(0, len(x) - frame, frame):
        piece = x[start:start + frame] - x[start:start + frame].mean()
        if np.abs(piece).max() < 0.1 * top:
            continue
        loud += 1
        r = np.correlate(piece, piece, "full")[frame - 1:]
        voiced += r[rate // 400: rate // 70].max() > strength * r[0]
    return voiced / max(loud, 1)


def test_a_yes_no_question_rises_and_an_exclamation_is_louder():
    statement = _samples("You are coming home tonight.")
    question = _samples("You are coming home tonight?")
    exclaimed = _samples("You are coming home tonight!")
    tail = int(0.35 * 48_000)
    assert f0_hz(question[-tail:]) > 1.05 * f0_hz(statement[-tail:])
    assert _rms_db(exclaimed) > _rms_db(statement) + 2.0


def test_shouts_are_loud_and_high_and_whispers_quiet_and_unvoiced():
    normal = _samples("Get away from the door.")
    shouted = _samples("Get away from the door.", delivery="shout")
    whispered = _samples("Get away from the door.", delivery="whisper")
    assert _rms_db(shouted) > _rms_db(normal) + 6.0
    assert f0_hz(shouted) > 1.1 * f0_hz(normal)
    assert _rms_db(whispered) < _rms_db(normal) - 6.0
    assert _voiced_fraction(whispered) < 0.5 * _voiced_fraction(normal)


def test_without_the_neural_voice_the_system_voices_speak_for_everyone(monkeypatch):
    monkeypatch.setattr(engines.piper, "available", lambda: False)
    assert all(v.engine != "piper" for v in installed_voices())
    scene = _family()
    voices = cast(scene)
    assert {v.engine for v in voices.values()} <= {"festival", "flite", "espeak"}
    assert len({v.label for v in voices.values()}) == 6
    speech = speak(scene)
    assert all(np.abs(line.samples).max() > 0.1 for line in speech.lines)


def test_the_same_scene_gives_the_same_voices_and_samples():
    first, second = speak(_family()), speak(_family())
    assert [line.voice for line in first.lines] == [line.voice for line in second.lines]
    assert all(np.array_equal(a.samples, b.samples) for a, b in zip(first.lines, second.lines))


def test_a_line_in_a_script_the_voice_cannot_read_falls_back_by_name():
    speech = _say("Привет, как дела?")
    assert speech.lines[0].voice.label.startswith("espeak:ru")
    assert "cannot read cyrillic" in speech.notes[0]
    assert np.abs(speech.lines[0].samples).max() > 0.1  # spoken, not silent
    with pytest.raises(SceneError, match=r"audio\.dialogue\[0\]: no installed voice reads "
                                         "tifinagh"):
        _say("ⴰⵣⵓⵍ")


@pytest.mark.parametrize("line, message", [
    ({"text": "..."}, "needs words to say"),
    ({"text": "hi", "speaker": "nobody"}, "speaker 'nobody' is not a character or entity id"),
    ({"text": "hi", "sound": "laugh"}, "either text"),
    ({"sound": "yodel"}, "sound"),
    ({"text": "hi", "count": 3}, "count is for sounds"),
])
def test_bad_lines_are_refused_with_what_to_change(line, message):
    with pytest.raises(ValueError, match=message):
        Scene.model_validate({"duration": 5.0, "audio": {"dialogue": [line]}})


def test_laughter_is_voiced_bursts_and_a_crowd_is_louder_than_one():
    laugh = _say(sound="laugh", voice=None)
    samples = np.asarray(laugh.lines[0].samples)
    assert {p.symbol for p in laugh.lines[0].phones} >= {"hh", "pau"}
    assert _voiced_fraction(samples, strength=0.5) > 0.3  # breathy, as laughter is, but voiced
    one = _samples(sound="applause", voice=None, count=1)
    thirty = _samples(sound="applause", voice=None, count=30)
    assert _rms_db(thirty) > _rms_db(one) + 6.0
