"""Dialogue: lines are placed from their start sample, the bed steps back for them, an in-room
line reverberates and narration stays dry."""

import numpy as np
import pytest

from worldreel.audio import SAMPLE_RATE, make_soundtrack
from worldreel.audio.tests.helpers import recording, rms_db
from worldreel.errors import SceneError
from worldreel.scene import AudioOptions, Line, Scene, Setting
from worldreel.speech import speak
from worldreel.timeline import resolve_lines


def _scene(lines, duration=3.0, environment="park"):
    return Scene(duration=duration, setting=Setting(environment=environment),
                 audio=AudioOptions(dialogue=tuple(lines)))


def _track(scene):
    lines = resolve_lines(scene, speak(scene))
    return make_soundtrack(scene, recording(scene.duration), lines=lines), lines


def test_a_line_starts_on_its_sample_and_the_bed_ducks_under_it():
    scene = _scene([Line(text="Watch the ball bounce.", at=1.0)])
    track, lines = _track(scene)
    words = track.stems["dialogue"][:, 0]
    first = int(np.flatnonzero(words)[0])
    assert first == SAMPLE_RATE  # exactly at 1.000 s
    spoken = lines[0].end - lines[0].start
    bed = track.stems["ambience"][:, 0]
    during = bed[int(1.2 * SAMPLE_RATE):int((1.0 + spoken - 0.2) * SAMPLE_RATE)]
    before = bed[int(0.1 * SAMPLE_RATE):int(0.7 * SAMPLE_RATE)]
    assert rms_db(during) < rms_db(before) - 6.0


def test_a_line_too_long_for_the_clip_is_refused_with_its_path():
    scene = _scene([Line(text="This sentence is far too long to fit in what is left of the "
                           "clip after it starts.", at=1.5)], duration=2.0)
    with pytest.raises(SceneError, match=r"audio\.dialogue\[0\]: the line takes .* after the clip"):
        resolve_lines(scene, speak(scene))


def test_narration_is_centred_and_dry():
    scene = _scene([Line(text="Once upon a time.", at=0.5)], environment="studio")
    track, lines = _track(scene)
    left, right = track.stems["dialogue"][:, 0], track.stems["dialogue"][:, 1]
    assert np.allclose(left, right)
    end = int(lines[0].end * SAMPLE_RATE)
    assert np.abs(left[end + 2400:]).max() == 0.0  # no reverb tail after the last word


def _with_speaker(record, x: float):
    """The recording with a character "ann" whose head stands at (x, 0, 1.5)."""
    from dataclasses import replace

    from worldreel.recording import CharacterTrack

    n = len(record.times)
    positions = np.tile([[x, 0.0, 1.5]], (n, 1, 1))
    quats = np.tile([[1.0, 0.0, 0.0, 0.0]], (n, 1, 1))
    return replace(record, characters=(CharacterTrack("ann", ("head",), positions, quats),))


@pytest.mark.parametrize("x, louder", [(2.0, 1), (-2.0, 0)])
def test_a_line_sounds_from_the_speakers_mouth_and_in_the_room(x, louder):
    from worldreel.audio.tests.helpers import camera

    scene = Scene.model_validate({
        "duration": 3.0, "setting": {"environment": "studio"},
        "characters": [{"id": "ann", "position": [x, 0.0]}],
        "audio": {"ambience": False, "dialogue": [{"text": "Over here.", "speaker": "ann",
                                                   "at": 0.5}]}})
    lines = resolve_lines(scene, speak(scene))
    record = _with_speaker(recording(3.0, camera=camera(3.0)), x)
    stem = make_soundtrack(scene, record, lines=lines).stems["dialogue"]
    left, right = rms_db(stem[:, 0]), rms_db(stem[:, 1])
    assert (right - left if louder else left - right) > 3.0  # panned to the speaker's side
    end = int(lines[0].end * SAMPLE_RATE)
    assert rms_db(stem[end + 2400:end + 9600]) > rms_db(stem[:int(0.45 * SAMPLE_RATE)]) + 20
