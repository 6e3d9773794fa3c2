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
