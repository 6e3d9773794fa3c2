"""Impacts: heard at the contact time to the sample, louder when harder, sounding like their
materials, varied between repeats and reproducible from the seed."""

import numpy as np
import pytest

from worldreel.audio import SAMPLE_RATE, make_soundtrack
from worldreel.audio.tests.helpers import (
    camera, centroid, detect_onsets, impact, recording, rms_db, scene,
)
from worldreel.errors import AudioError

PAIRS = [("leather", "hardwood", 0.12), ("felt", "hardwood", 0.034), ("rubber", "concrete", 0.03),
         ("glass", "concrete", 0.1), ("metal", "wood", 0.1), ("wood", "stone", 0.1),
         ("plastic", "hardwood", 0.11), ("ceramic", "ceramic", 0.1), ("cloth", "sand", 0.2)]


@pytest.mark.parametrize("environment, with_camera", [("park", False), ("gym", True)])
def test_an_impact_starts_on_its_sample(environment, with_camera):
    t = 0.1234567
    rec = recording(0.6, [impact(t, impulse=0.5, point=(1.0, 2.0, 0.0))],
                    camera=camera(0.6) if with_camera else None)
    track = make_soundtrack(scene(0.6, environment=environment, ambience=False), rec)
    foley = track.stems["foley"]
    first = int(np.flatnonzero(np.any(foley != 0, axis=1))[0])
    assert first == round(t * SAMPLE_RATE)
    # ... and it is a sharp onset: most of the way up within 0.2 ms.
    env = np.abs(foley[first:first + SAMPLE_RATE // 20]).max(axis=1)
    assert env[: int(0.0002 * SAMPLE_RATE)].max() > 0.1 * env.max()


def test_impacts_in_a_reverberant_room_are_heard_on_time():
    times = [0.2, 0.75, 1.3]
    events = [impact(t, impulse=1.5 - 0.4 * k) for k, t in enumerate(times)]
    track = make_soundtrack(scene(1.8, environment="gym"),
                            recording(1.8, events, camera=camera(1.8)))
    onsets = detect_onsets(track.mix)
    assert max(float(np.min(np.abs(onsets - t))) for t in times) < 0.001


def test_every_audible_impact_is_heard_within_a_millisecond():
    times = np.arange(len(PAIRS)) * 0.3 + 0.1
    events = [impact(t, a, b, impulse=0.3 + 0.2 * (i % 3), size_a=s)
              for i, (t, (a, b, s)) in enumerate(zip(times, PAIRS, strict=True))]
    track = make_soundtrack(scene(float(times[-1] + 0.3), environment="street"),
                            recording(float(times[-1] + 0.3), events))
    onsets = detect_onsets(track.mix)
    errors = [float(np.min(np.abs(onsets - t))) for t in times]
    assert max(errors) < 0.001, dict(zip([p[0] + "/" + p[1] for p in PAIRS], errors, strict=True))


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


def _band_db(sound: np.ndarray, lo: float, hi: float) -> float:
    power = np.abs(np.fft.rfft(sound)) ** 2
    freqs = np.fft.rfftfreq(len(sound), 1.0 / SAMPLE_RATE)
    return float(10 * np.log10(power[(freqs >= lo) & (freqs < hi)].sum() + 1e-30))


def test_a_hoof_thuds_on_turf_and_clops_on_stone():
    """A gallop on grass is heard as dull thuds, not the clicks a hoof makes on concrete: the
    long soft contact leaves little above 4 kHz."""
    highs = {}
    for floor in ("grass", "concrete"):
        track = make_soundtrack(scene(0.6, ambience=False), recording(
            0.6, [impact(0.05, floor, "hoof", impulse=40.0, speed=2.0, size_a=1.0,
                         size_b=0.048)]))
        foley = track.stems["foley"].mean(axis=1)
        highs[floor] = _band_db(foley, 4000, 20000) - _band_db(foley, 0, 500)
    assert highs["grass"] < -35.0, highs
    assert highs["concrete"] > highs["grass"] + 20.0, highs
