"""A time-lapse clip: the world simulated whole on its own clock, then played k times faster;
what is heard keeps the world's pitch."""

import numpy as np
import pytest

from worldreel.audio import make_soundtrack
from worldreel.errors import SceneError
from worldreel.physics import simulate
from worldreel.render import plan_camera
from worldreel.scene import Drop, Entity, Scene, scene_from_text

DROP_M = 1.0
FALL_S = (2 * DROP_M / 9.81) ** 0.5  # 0.4515 s


def _drop_scene(**clock) -> Scene:
    return Scene(duration=clock.pop("duration", 1.0), fps=24, **clock,
                 entities=[Entity(id="pin", asset="bowling_pin", position=(0, 0, DROP_M))],
                 actions=[Drop(entity="pin", at=0.1)])


def _played(scene: Scene):
    return simulate(scene).played_faster(scene.time_lapse)


def test_a_time_lapse_plays_the_whole_world_in_the_clip_length():
    scene = _drop_scene(time_lapse=10)  # one clip second: ten seconds of the world
    recording = _played(scene)
    assert recording.duration == pytest.approx(1.0)
    assert recording.frame_count == 24
    first = recording.impacts()[0]
    # dropped at world 1.0 s (clip 0.1 s), it lands FALL_S later in the world's time
    assert first.time == pytest.approx((1.0 + FALL_S) / 10, abs=0.003)


def _centroid_hz(signal: np.ndarray, rate: int) -> float:
    spectrum = np.abs(np.fft.rfft(signal * np.hanning(len(signal))))
    return float((spectrum * np.fft.rfftfreq(len(signal), 1.0 / rate)).sum() / spectrum.sum())


def test_a_time_lapse_impact_rings_at_the_pitch_the_world_gives_it():
    pitches = []
    for scene in (_drop_scene(duration=2.0), _drop_scene(duration=1.0, time_lapse=10)):
        recording = _played(scene)
        recording = recording.with_camera(plan_camera(scene, recording))  # the listener
        track = make_soundtrack(scene, recording)
        foley = track.stems["foley"].mean(axis=1)
        at = int(recording.impacts()[0].time * track.sample_rate)
        # the first landing's ring, before the next bounce (30 ms later in the time-lapse)
        pitches.append(_centroid_hz(foley[at:at + track.sample_rate // 50], track.sample_rate))
    # the same knock, not one ten times higher as a tape played ten times faster would give
    assert pitches[1] == pytest.approx(pitches[0], rel=0.3)


def test_old_scene_files_load_without_a_time_lapse():
    scene = scene_from_text("version: 1\nduration: 2.0\nslow_motion: 2\n")
    assert scene.time_lapse == 1 and scene.slow_motion == 2


@pytest.mark.parametrize("fields, says", [
    ({"slow_motion": 2, "time_lapse": 10}, "either"),
    ({"duration": 5.0, "time_lapse": 20}, "at most"),
])
def test_an_impossible_clock_is_refused(fields, says):
    with pytest.raises((SceneError, ValueError), match=says):
        Scene(**fields)
