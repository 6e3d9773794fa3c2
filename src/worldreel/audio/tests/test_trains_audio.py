"""Train sounds (audio.trains): a clack when each wheelset crosses each rail joint, at the time
the Recording puts it there; the traction gears' whine at their mesh frequency; the horn."""

from __future__ import annotations

import numpy as np
import pytest

from worldreel.assets.trains import car_specs, consists, track_spec
from worldreel.audio.clock import SAMPLE_RATE
from worldreel.audio.trains import (JointPass, clacks, gear_whine, horn_times, joint_passes,
                                    render_trains)
from worldreel.physics import simulate
from worldreel.rng import generator
from worldreel.scene import Drive, Entity, Scene, Setting, Shot

LOCO, COACH = car_specs()["locomotive"], car_specs()["carriage"]


def _scene(velocity: float, actions=(), duration: float = 2.0) -> Scene:
    x = -50.0
    return Scene(duration=duration, fps=24, setting=Setting(environment="park"),
                 entities=[Entity(id="track", asset="railway_track"),
                           Entity(id="loco", asset="locomotive", position=(x, 0.0, 0.0),
                                  velocity=(velocity, 0.0, 0.0)),
                           Entity(id="coach", asset="carriage",
                                  position=(x - 0.5 * (LOCO.length + COACH.length), 0.0, 0.0),
                                  velocity=(velocity, 0.0, 0.0))],
                 actions=list(actions), shots=[Shot(start=0.0)])


def test_every_wheelset_clacks_on_every_joint_at_the_time_it_passes_it():
    speed = 20.0
    scene = _scene(speed)
    recording = simulate(scene)
    passes = joint_passes(recording, scene, consists(scene)[0])
    expected = []
    for car, spec in (("loco", LOCO), ("coach", COACH)):
        s0 = scene.entity(car).position[0]
        for k, x in enumerate(spec.axles):
            for j in track_spec().joints():
                t = (j - s0 - x) / speed
                if 0.0 < t < recording.times[-1]:
                    expected.append((round(t, 6), car, k))
    expected.sort()
    assert len(passes) == len(expected) > 10
    for p, (t, car, axle) in zip(passes, expected):
        assert (p.car, p.axle) == (car, axle)
        assert p.time == pytest.approx(t, abs=1e-3)  # within a millisecond
        assert p.speed == pytest.approx(speed, rel=0.01)


def test_a_clack_starts_on_its_sample_and_is_louder_faster():
    n = SAMPLE_RATE
    slow = clacks([JointPass(0.25, "c", 0, 5.0)], n, generator(1, "t"))
    fast = clacks([JointPass(0.5, "c", 0, 25.0)], n, generator(1, "t"))
    assert np.flatnonzero(slow)[0] == round(0.25 * SAMPLE_RATE)
    assert np.flatnonzero(fast)[0] == round(0.5 * SAMPLE_RATE)
    assert np.abs(fast).max() > 4.0 * np.abs(slow).max()


def test_the_traction_gears_whine_at_their_mesh_frequency():
    speed = np.full(SAMPLE_RATE, 25.0)
    tone = gear_whine(speed, np.ones(SAMPLE_RATE), LOCO)
    spectrum = np.abs(np.fft.rfft(tone))
    peak = np.argmax(spectrum) * SAMPLE_RATE / len(tone)
    mesh = 25.0 / (np.pi * LOCO.wheel_diameter) * LOCO.gear_teeth[0]
    assert peak == pytest.approx(mesh, abs=1.5)  # 604 Hz at 25 m/s


def test_a_train_starting_from_a_stand_sounds_its_horn_and_is_heard():
    scene = _scene(0.0, [Drive(entity="loco", speed=5.0, at=0.5)], 2.5)
    recording = simulate(scene)
    track = next(t for t in recording.vehicles if t.id == "loco")
    assert horn_times(track, recording) == [pytest.approx(0.5, abs=0.05)]
    n = int(2.5 * SAMPLE_RATE)
    trains = render_trains(scene, recording, scene.seed, n)
    assert trains.count == 1
    before = np.abs(trains.send[: int(0.45 * SAMPLE_RATE)]).max()
    during = np.abs(trains.send[int(0.6 * SAMPLE_RATE):int(1.1 * SAMPLE_RATE)]).max()
    assert before > 0.0  # the diesel idles
    assert during > 3.0 * before  # the horn over it


def test_the_soundtrack_plays_a_train_as_a_train_not_as_a_car():
    from worldreel.audio.soundtrack import make_soundtrack  # noqa: PLC0415

    scene = _scene(15.0, duration=1.0)
    recording = simulate(scene)
    track = make_soundtrack(scene, recording)
    assert track.meta["trains"] == 1 and track.meta["vehicles"] == 0
    assert np.abs(track.stems["foley"]).max() > 0.0
