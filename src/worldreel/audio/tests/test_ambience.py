"""Ambience: each place has a bed at the asked level, present throughout and without seams."""

import numpy as np
import pytest

from worldreel.audio import SAMPLE_RATE, make_soundtrack
from worldreel.audio.ambience import BEDS, ambience_bed
from worldreel.audio.tests.helpers import centroid, recording, scene
from worldreel.errors import AudioError
from worldreel.rng import generator


@pytest.mark.parametrize("name", sorted(set(BEDS) - {"silence"}))
def test_bed_is_present_level_and_seamless(name):
    bed = ambience_bed(name, 3 * SAMPLE_RATE, -40.0, generator(3, "audio.ambience"))
    assert bed.shape == (3 * SAMPLE_RATE, 2)
    assert 20 * np.log10(np.sqrt(np.mean(bed ** 2))) == pytest.approx(-40.0, abs=0.1)
    assert abs(bed.mean()) < 1e-4  # no DC
    # Present throughout: every 250 ms window within 15 dB of the whole (gusts and cars swell).
    body = bed[int(0.02 * SAMPLE_RATE): -int(0.02 * SAMPLE_RATE)]
    windows = body[: len(body) // 12000 * 12000].reshape(-1, 12000, 2)
    levels = 10 * np.log10(np.mean(windows ** 2, axis=(1, 2)))
    assert levels.min() > -40.0 - 15.0
    # Seamless: no sample-to-sample jump far outside the bed's own step statistics.
    steps = np.abs(np.diff(bed, axis=0))
    assert steps.max() < 12 * steps.std() + 1e-9
    # The left and right channels are not copies: the bed has width.
    assert np.corrcoef(bed[:, 0], bed[:, 1])[0, 1] < 0.95


def test_beds_have_their_character():
    n = 4 * SAMPLE_RATE
    beds = {name: ambience_bed(name, n, -40.0, generator(5, "audio.ambience")) for name in BEDS}

    def share(x, lo, hi):
        spectrum = np.abs(np.fft.rfft(x.mean(axis=1))) ** 2
        f = np.fft.rfftfreq(len(x), 1.0 / SAMPLE_RATE)
        return spectrum[(f >= lo) & (f < hi)].sum() / spectrum.sum()

    mains = max(share(beds["gym"], 49, 51), share(beds["gym"], 59, 61))
    assert mains > 0.02  # the hum of the lights
    assert share(beds["park"], 0, 500) > 0.5  # wind lives low
    assert share(beds["street"], 0, 300) > 0.3  # rumble


def test_same_seed_same_bed_and_other_seed_other_bed():
    a = ambience_bed("park", SAMPLE_RATE, -40.0, generator(1, "audio.ambience"))
    b = ambience_bed("park", SAMPLE_RATE, -40.0, generator(1, "audio.ambience"))
    c = ambience_bed("park", SAMPLE_RATE, -40.0, generator(2, "audio.ambience"))
    assert a.tobytes() == b.tobytes() and a.tobytes() != c.tobytes()


def test_ambience_off_gives_a_silent_bed():
    track = make_soundtrack(scene(0.5, ambience=False), recording(0.5))
    assert not np.any(track.stems["ambience"])


def test_unknown_bed_names_the_known_ones():
    with pytest.raises(AudioError, match="room_tone"):
        ambience_bed("seaside", 100, -40.0, generator(0, "x"))


def test_every_environment_has_its_own_bed():
    from worldreel.assets import ENVIRONMENTS
    from worldreel.audio.ambience import BEDS

    assert {e.ambience for e in ENVIRONMENTS.values()} <= set(BEDS)


def _bed(name, seconds=20.0, **kw):
    from worldreel.audio.ambience import ambience_bed
    from worldreel.rng import generator

    return ambience_bed(name, int(seconds * SAMPLE_RATE), -40.0, generator(3, "t"), **kw)


def test_waves_break_and_wash_back_on_the_beach():
    bed = _bed("beach")[:, 0]
    window = int(0.5 * SAMPLE_RATE)
    levels = [10 * np.log10(np.mean(bed[i:i + window] ** 2) + 1e-20)
              for i in range(0, len(bed) - window, window)]
    assert max(levels) - min(levels) > 6.0  # surges, not a steady hiss


def test_rain_is_bright_outdoors_and_drums_darkly_on_a_roof():
    clear, outside, inside = _bed("park", 4.0), _bed("park", 4.0, weather="rain"), \
        _bed("room_tone", 4.0, weather="rain", indoor=True)
    assert centroid(outside[:, 0]) > 1.5 * centroid(clear[:, 0])
    assert centroid(inside[:, 0]) < 0.5 * centroid(outside[:, 0])


def test_there_is_no_air_to_carry_sound_on_the_moon():
    assert not np.any(_bed("silence", 1.0))
