"""The master: at the Scene's loudness, never clipping, calm with near-silent clips."""

import numpy as np
import pyloudnorm
import pytest
from scipy.signal import resample_poly

from worldreel.audio import SAMPLE_RATE, make_soundtrack
from worldreel.audio.master import limit, master
from worldreel.audio.tests.helpers import camera, impact, recording, scene, span


def true_peak_db(x: np.ndarray) -> float:
    up = resample_poly(x.astype(np.float64), 4, 1, axis=0)
    return float(20 * np.log10(np.abs(up).max()))


@pytest.mark.parametrize("environment, target", [("park", -16.0), ("living_room", -16.0),
                                                 ("street", -23.0)])
def test_loudness_hits_the_target_and_never_clips(environment, target):
    events = [impact(0.2, impulse=3.0), impact(0.7, "metal", "concrete", impulse=0.5, size_a=0.1),
              impact(1.1, impulse=0.2), span(1.2, 1.9, speed=2.0)]
    track = make_soundtrack(scene(2.0, environment=environment, loudness_lufs=target),
                            recording(2.0, events))
    mix = track.mix
    assert mix.dtype == np.float32 and mix.shape == (2 * SAMPLE_RATE, 2)
    loudness = pyloudnorm.Meter(SAMPLE_RATE).integrated_loudness(mix.astype(np.float64))
    assert abs(loudness - target) <= 1.0
    assert np.abs(mix).max() <= 1.0
    assert true_peak_db(mix) <= -1.0


def test_silent_clip_stays_quiet_and_finite():
    track = make_soundtrack(scene(1.0, ambience=False), recording(1.0))
    assert np.all(np.isfinite(track.mix)) and not np.any(track.mix)
    bed_only = make_soundtrack(scene(1.0, environment="park"), recording(1.0))
    rms = np.sqrt(np.mean(bed_only.mix.astype(np.float64) ** 2))
    assert 20 * np.log10(rms) == pytest.approx(-42.0, abs=1.0)  # the bed, not boosted to -16


def test_near_silent_foreground_gets_bounded_gain():
    whisper = np.zeros((SAMPLE_RATE, 2))
    whisper[1000:1100] = 1e-9
    out = master(whisper, np.zeros_like(whisper), -16.0)
    assert np.all(np.isfinite(out.mix)) and np.abs(out.mix).max() < 1e-3


def test_a_very_short_clip_is_mastered():
    track = make_soundtrack(scene(0.15), recording(0.15, [impact(0.02, impulse=1.0)]))
    assert track.mix.shape == (round(0.15 * SAMPLE_RATE), 2)
    assert np.all(np.isfinite(track.mix)) and true_peak_db(track.mix) <= -1.0


def test_limiter_holds_the_ceiling_on_hostile_material():
    rng = np.random.default_rng(1)
    t = np.arange(SAMPLE_RATE) / SAMPLE_RATE
    # Full-scale-plus square bursts, inter-sample peaks near Nyquist/4, and a lone spike.
    square = 3.0 * np.sign(np.sin(2 * np.pi * 997 * t)) * (t % 0.25 < 0.05)
    nearly_nyquist = 2.0 * np.sin(2 * np.pi * 11_999 * t + 0.7)
    x = np.stack([square + 0.1 * rng.standard_normal(len(t)), nearly_nyquist], axis=1)
    x[30_000, 0] = 20.0
    y = limit(x)
    assert true_peak_db(y) <= -1.0
    assert np.all(np.abs(y) <= np.abs(x) + 1e-12)  # a limiter only turns down


def test_a_hit_in_the_last_millisecond_keeps_the_loudness():
    events = [impact(0.05, impulse=1.0), impact(0.999, impulse=1.0)]
    track = make_soundtrack(scene(1.0, environment="gym"),
                            recording(1.0, events, camera=camera(1.0)))
    loudness = pyloudnorm.Meter(SAMPLE_RATE).integrated_loudness(track.mix.astype(np.float64))
    assert abs(loudness + 16.0) <= 1.0 and true_peak_db(track.mix) <= -1.0
