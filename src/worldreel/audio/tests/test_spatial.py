"""Space: sounds sit where the live camera sees them, quieter and darker when far."""

import numpy as np

from worldreel.audio import SAMPLE_RATE, make_soundtrack
from worldreel.audio.spatial import SourcePath, place
from worldreel.audio.tests.helpers import camera, centroid, impact, recording, rms_db, scene


def _channels(track, t, length=0.2):
    seg = track.stems["foley"][int(t * SAMPLE_RATE): int((t + length) * SAMPLE_RATE)]
    return rms_db(seg[:, 0]), rms_db(seg[:, 1])


def test_pan_follows_the_camera():
    # Camera at y = -5 looking at +y: +x is to its right.
    events = [impact(0.1, point=(-3.0, 0.0, 0.0)), impact(0.5, point=(3.0, 0.0, 0.0)),
              impact(0.9, point=(0.0, 0.0, 0.0))]
    track = make_soundtrack(scene(1.2, ambience=False),
                            recording(1.2, events, camera=camera(1.2, target=(0.0, 0.0, 0.0))))
    left_l, left_r = _channels(track, 0.1)
    right_l, right_r = _channels(track, 0.5)
    centre_l, centre_r = _channels(track, 0.9)
    assert left_l > left_r + 6.0
    assert right_r > right_l + 6.0
    assert abs(centre_l - centre_r) < 0.5


def test_without_camera_sounds_are_centred():
    track = make_soundtrack(scene(0.5, ambience=False),
                            recording(0.5, [impact(0.1, point=(5.0, 0.0, 0.0))]))
    left, right = _channels(track, 0.1)
    assert abs(left - right) < 1e-6


def test_a_cut_moves_the_sound_with_the_picture():
    # The same spot is on the right before the cut at 0.5 s and on the left after it
    # (the new camera looks the other way).
    cam = camera(1.2, position=(0.0, -5.0, 1.5), target=(0.0, 0.0, 0.0),
                 cuts={0.5: ((0.0, 5.0, 1.5), (0.0, 0.0, 0.0))})
    events = [impact(0.1, point=(3.0, 0.0, 0.0)), impact(0.7, point=(3.0, 0.0, 0.0))]
    track = make_soundtrack(scene(1.2, ambience=False), recording(1.2, events, camera=cam))
    before_l, before_r = _channels(track, 0.1, 0.3)
    after_l, after_r = _channels(track, 0.7, 0.3)
    assert before_r > before_l + 6.0
    assert after_l > after_r + 6.0


def test_far_sounds_are_quieter_and_darker():
    mono = np.random.default_rng(0).standard_normal(SAMPLE_RATE // 4)
    cam = camera(1.0, position=(0.0, 0.0, 0.0), target=(0.0, 1.0, 0.0))
    near = place(mono, 0, SourcePath.fixed((0.0, 2.0, 0.0)), cam)
    far = place(mono, 0, SourcePath.fixed((0.0, 40.0, 0.0)), cam)
    assert rms_db(near) - rms_db(far) > 20.0  # 1/r: 26 dB for 20x the distance
    assert centroid(far) < 0.8 * centroid(near)  # air absorbs the highs


def _pitch_hz(x: np.ndarray) -> float:
    """Frequency of the strongest spectral peak, refined by parabolic interpolation."""
    spectrum = np.abs(np.fft.rfft(x * np.hanning(len(x))))
    k = int(np.argmax(spectrum[1:-1])) + 1
    a, b, c = np.log(spectrum[k - 1:k + 2])
    return (k + 0.5 * (a - c) / (a - 2 * b + c)) * SAMPLE_RATE / len(x)


def _moving_tone(velocity):
    """A 1 kHz tone from a source passing 20 m in front of a still camera at `velocity`."""
    duration = 1.0
    times = np.linspace(0.0, duration, 25)
    start = np.array([0.0, 20.0, 1.5]) - np.array(velocity) * 0.5
    path = SourcePath(times, start + np.outer(times, velocity))
    cam = camera(duration, position=(0.0, -20.0, 1.5), target=(0.0, 0.0, 1.5))
    tone = np.sin(2 * np.pi * 1000.0 * np.arange(int(duration * SAMPLE_RATE)) / SAMPLE_RATE)
    return place(tone, 0, path, cam).sum(axis=1)


def test_a_source_coming_closer_sounds_higher_and_one_leaving_lower():
    toward = _pitch_hz(_moving_tone((0.0, -34.3, 0.0))[4800:43200])
    away = _pitch_hz(_moving_tone((0.0, 34.3, 0.0))[4800:43200])
    still = _pitch_hz(_moving_tone((0.0, 0.0, 0.0))[4800:43200])
    assert abs(still - 1000.0) < 1.0
    # A moving source is heard at f / (1 -+ v/c); our delay-line model is first order in v/c,
    # within 1.5 % of that at a tenth of the speed of sound (and far closer at ball speeds).
    assert abs(toward - 1000.0 / (1 - 0.1)) < 0.015 * 1111.1
    assert abs(away - 1000.0 / (1 + 0.1)) < 0.015 * 909.1
    assert toward > 1090.0 and away < 910.0


def test_doppler_keeps_the_onset_on_its_sample():
    out = _moving_tone((0.0, -34.3, 0.0))
    assert out[0] == 0.0 and abs(out[1]) > 0.0  # sin starts at 0 and is already rising
