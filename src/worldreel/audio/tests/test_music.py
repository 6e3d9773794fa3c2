"""Music on request: played by FluidSynth, under the foley, and a clear error when unavailable."""

import shutil
from pathlib import Path

import numpy as np
import pytest

from worldreel.audio import SAMPLE_RATE, make_soundtrack
from worldreel.audio import music as music_module
from worldreel.audio.tests.helpers import impact, recording, rms_db, scene
from pydantic import ValidationError

from worldreel.errors import AudioError
from worldreel.scene.models import MUSIC_MOODS

needs_synth = pytest.mark.skipif(
    shutil.which("fluidsynth") is None
    or not any(Path(p).is_file() for p in music_module.SOUNDFONTS),
    reason="needs fluidsynth and a GM SoundFont (apt-get install fluidsynth fluid-soundfont-gm)")


@needs_synth
def test_music_plays_under_the_foley_and_ducks_for_hits():
    events = [impact(1.5, impulse=2.0)]
    rec = recording(3.0, events)
    track = make_soundtrack(scene(3.0, seed=4, music="upbeat"), rec)
    again = make_soundtrack(scene(3.0, seed=4, music="upbeat"), rec)
    assert track.mix.tobytes() == again.mix.tobytes()
    music = track.stems["music"]
    assert music.shape == (3 * SAMPLE_RATE, 2)
    # Present from the start, softer than the foley, and dipped around the hit.
    assert rms_db(music[: SAMPLE_RATE // 2]) > -60.0
    hit = slice(int(1.5 * SAMPLE_RATE), int(1.7 * SAMPLE_RATE))
    assert rms_db(music[hit]) < rms_db(track.stems["foley"][hit]) - 6.0
    around = rms_db(music[int(1.45 * SAMPLE_RATE): int(1.75 * SAMPLE_RATE)])
    away = rms_db(music[int(0.3 * SAMPLE_RATE): int(0.9 * SAMPLE_RATE)])
    assert around < away - 3.0
    assert track.meta["music"] == "upbeat"


def test_unknown_mood_lists_the_moods():
    with pytest.raises(ValidationError, match="calm"):
        scene(0.5, music="jazzy-polka")
    with pytest.raises(AudioError, match="calm"):
        music_module.score("jazzy-polka", 0.5, np.random.default_rng(0))


def test_the_scene_knows_every_mood_the_score_plays():
    assert set(MUSIC_MOODS) == set(music_module.MOODS)


def test_missing_synth_says_what_to_install(monkeypatch):
    monkeypatch.setattr(music_module.shutil, "which", lambda name: None)
    with pytest.raises(AudioError, match="apt-get install fluidsynth fluid-soundfont-gm"):
        make_soundtrack(scene(0.5, music="calm"), recording(0.5))
    monkeypatch.setattr(music_module, "SOUNDFONTS", ("/nonexistent/gm.sf2",))
    with pytest.raises(AudioError, match="fluid-soundfont-gm"):
        music_module.soundfont()
