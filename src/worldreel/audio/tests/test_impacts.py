"""Impacts: heard at the contact time to the sample, louder when harder, sounding like their
materials, varied between repeats and reproducible from the seed."""

import numpy as np
import pytest

from worldreel.audio import SAMPLE_RATE, make_soundtrack
from worldreel.audio.tests.helpers import (
    centroid, detect_onsets, impact, recording, rms_db, scene,
)
from worldreel.errors import AudioError

PAIRS = [("leather", "hardwood", 0.12), ("felt", "hardwood", 0.034), ("rubber", "concrete", 0.03),
         ("glass", "concrete", 0.1), ("metal", "wood", 0.1), ("wood", "stone", 0.1),
         ("plastic", "hardwood", 0.11), ("ceramic", "ceramic", 0.1), ("cloth", "sand", 0.2)]


def test_each_impact_starts_on_its_sample():
    times = [0.1234567, 0.5, 0.77777]
    track = make_soundtrack(scene(1.0, ambience=False),
                            recording(1.0, [impact(t, impulse=0.5) for t in times[:1]]))
    foley = track.stems["foley"]
    first = int(np.flatnonzero(np.any(foley != 0, axis=1))[0])
    assert first == round(times[0] * SAMPLE_RATE)


def test_every_audible_impact_is_heard_within_a_millisecond():
    times = np.arange(len(PAIRS)) * 0.3 + 0.1
    events = [impact(t, a, b, impulse=0.3 + 0.2 * (i % 3), size_a=s)
              for i, (t, (a, b, s)) in enumerate(zip(times, PAIRS))]
    track = make_soundtrack(scene(float(times[-1] + 0.3), environment="street"),
                            recording(float(times[-1] + 0.3), events))
    onsets = detect_onsets(track.mix)
    errors = [float(np.min(np.abs(onsets - t))) for t in times]
    assert max(errors) < 0.001, dict(zip([p[0] + "/" + p[1] for p in PAIRS], errors))


def test_harder_impact_is_louder():
    events = [impact(0.2, impulse=0.3), impact(0.8, impulse=3.0)]
    track = make_soundtrack(scene(1.4, ambience=False), recording(1.4, events))
    soft = track.mix[int(0.2 * SAMPLE_RATE): int(0.35 * SAMPLE_RATE)]
    hard = track.mix[int(0.8 * SAMPLE_RATE): int(0.95 * SAMPLE_RATE)]
    assert rms_db(hard) > rms_db(soft) + 6.0


@pytest.mark.parametrize("bright, dull", [(("metal", "concrete"), ("wood", "concrete")),
                                          (("glass", "concrete"), ("rubber", "concrete"))])
def test_materials_are_distinguishable(bright, dull):
    centroids = []
    for a, b in (bright, dull):
        size = 0.03 if a == "rubber" else 0.1
        track = make_soundtrack(scene(0.6, ambience=False),
                                recording(0.6, [impact(0.05, a, b, impulse=0.5, size_a=size)]))
        centroids.append(centroid(track.stems["foley"][: int(0.3 * SAMPLE_RATE)]))
    assert centroids[0] > 1.3 * centroids[1], centroids


def test_resting_jitter_is_silent():
    jitter = [impact(0.1 + 0.01 * k, impulse=2e-4, speed=0.01) for k in range(20)]
    track = make_soundtrack(scene(0.5, ambience=False), recording(0.5, jitter))
    assert not np.any(track.stems["foley"])
    assert track.meta["impacts"] == 0 and track.meta["skipped_events"] == 20
    assert np.all(np.isfinite(track.mix))


def test_repeated_hits_vary_but_the_seed_reproduces_them():
    events = [impact(0.1, impulse=1.0), impact(0.6, impulse=1.0)]
    rec = recording(1.1, events)
    first = make_soundtrack(scene(1.1, seed=7), rec)
    again = make_soundtrack(scene(1.1, seed=7), rec)
    other = make_soundtrack(scene(1.1, seed=8), rec)
    assert first.mix.tobytes() == again.mix.tobytes()
    assert first.mix.tobytes() != other.mix.tobytes()
    foley = first.stems["foley"]
    n = int(0.4 * SAMPLE_RATE)
    one = foley[int(0.1 * SAMPLE_RATE):][:n]
    two = foley[int(0.6 * SAMPLE_RATE):][:n]
    assert not np.allclose(one, two, atol=1e-4)  # the same hit twice is not a copy


def test_unknown_material_says_what_to_change():
    with pytest.raises(AudioError, match="unobtainium"):
        make_soundtrack(scene(0.5), recording(0.5, [impact(0.1, "unobtainium")]))
