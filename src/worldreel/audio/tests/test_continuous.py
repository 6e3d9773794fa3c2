"""Rolling and sliding: heard for exactly as long as the contact lasts, louder when faster."""

import numpy as np

from worldreel.audio import SAMPLE_RATE, make_soundtrack
from worldreel.audio.tests.helpers import recording, rms_db, scene, span


def _window(x, start, stop):
    return x[int(start * SAMPLE_RATE): int(stop * SAMPLE_RATE)]


def test_roll_sounds_over_its_span_and_stops_after():
    track = make_soundtrack(scene(2.0, ambience=False),
                            recording(2.0, [span(0.3, 1.5, "roll", speed=2.0)],
                                      ball_velocity=lambda t: (2.0 if 0.3 <= t <= 1.5 else 0.0,
                                                               0.0, 0.0)))
    foley = track.stems["foley"]
    during = rms_db(_window(foley, 0.35, 1.45))
    # Sound in every 100 ms of the span, within 10 dB of its average.
    for t in np.arange(0.35, 1.4, 0.1):
        assert rms_db(_window(foley, t, t + 0.1)) > during - 10.0
    assert not np.any(_window(foley, 0.0, 0.299))  # nothing before
    assert rms_db(_window(foley, 1.55, 2.0)) < during - 60.0  # silence after (past the DC blocker)
    assert track.meta["continuous"] == 1


def test_faster_slide_is_louder_and_brighter_than_slow_roll():
    def level(kind, speed):
        track = make_soundtrack(scene(1.0, ambience=False),
                                recording(1.0, [span(0.1, 0.9, kind, speed=speed,
                                                     material_a="wood", material_b="wood")]))
        return rms_db(_window(track.stems["foley"], 0.2, 0.8))

    assert level("roll", 3.0) > level("roll", 0.75) + 6.0
    assert level("slide", 2.0) > level("slide", 0.5) + 4.0


def test_a_slowing_ball_fades():
    track = make_soundtrack(
        scene(2.0, ambience=False),
        recording(2.0, [span(0.1, 1.9, "roll", speed=1.5)],
                  ball_velocity=lambda t: (max(0.0, 3.0 * (1.0 - t / 1.9)), 0.0, 0.0)))
    foley = track.stems["foley"]
    assert rms_db(_window(foley, 0.2, 0.5)) > rms_db(_window(foley, 1.4, 1.7)) + 6.0
