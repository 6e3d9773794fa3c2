"""Stems on disk: one 48 kHz WAV per stem, written atomically."""

import numpy as np
from scipy.io import wavfile

from worldreel.audio import SAMPLE_RATE, make_soundtrack, write_stems
from worldreel.audio.tests.helpers import impact, recording, scene


def test_stems_are_written_as_48k_wavs(tmp_path):
    track = make_soundtrack(scene(0.5), recording(0.5, [impact(0.1)]))
    assert track.sample_rate == SAMPLE_RATE
    assert set(track.stems) == {"foley", "ambience"}
    paths = write_stems(track, tmp_path / "stems")
    assert set(paths) == {"foley", "ambience", "mix"}
    for name, path in paths.items():
        rate, data = wavfile.read(path)
        assert rate == SAMPLE_RATE and data.shape == (round(0.5 * SAMPLE_RATE), 2)
        expected = track.mix if name == "mix" else track.stems[name]
        assert np.array_equal(data, expected)
    assert sorted(p.name for p in (tmp_path / "stems").iterdir()) == [
        "ambience.wav", "foley.wav", "mix.wav"]  # no temporary files left behind


def test_an_unwritable_place_is_a_clear_error(tmp_path):
    import pytest

    from worldreel.errors import OutputError

    blocker = tmp_path / "a_file"
    blocker.write_text("not a directory")
    track = make_soundtrack(scene(0.2, ambience=False), recording(0.2))
    with pytest.raises(OutputError, match="a_file"):
        write_stems(track, blocker / "stems")
