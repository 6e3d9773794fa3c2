"""Car doors: a door opens to its stop and stands there, shuts and latches, a slam is heard the
instant the door meets the body (louder than a gentle close), shut doors stay shut while the
car drives and brakes, and Door actions that cannot be played are refused with one clear
message each."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from worldreel.assets.scene_check import check_scene_assets
from worldreel.audio.clock import SAMPLE_RATE
from worldreel.audio.doors import render_doors
from worldreel.errors import SceneError
from worldreel.physics import simulate
from worldreel.scene import Brake, Door, Entity, Scene, load_scene, scene_from_dict

EXAMPLES = Path(__file__).resolve().parents[4] / "examples"


def door_angle(recording, car: str, side: str = "left") -> np.ndarray:
    """(N,) degrees the door stands open from the body, per sample."""
    body = recording.quaternions[:, recording.index(car)]
    door = recording.quaternions[:, recording.index(f"{car}.door_{side[0]}")]
    relative = Rotation.from_quat(body[:, [1, 2, 3, 0]]).inv() * \
        Rotation.from_quat(door[:, [1, 2, 3, 0]])
    return np.degrees(np.linalg.norm(relative.as_rotvec(), axis=1))


@pytest.fixture(scope="module")
def slam():
    scene = load_scene(EXAMPLES / "car_door_slam.yaml")
    check_scene_assets(scene)
    return scene, simulate(scene)


def test_a_door_opens_to_its_stop_and_shuts(slam):
    scene, recording = slam
    angle = door_angle(recording, "car")
    t = recording.times
    assert angle[t < 0.5].max() < 0.2  # shut until it is opened at 0.5 s
    assert angle[(t > 1.6) & (t < 2.3)] == pytest.approx(68.0, abs=1.0)  # at its stop
    assert angle[t > 3.25].max() < 0.5  # shut again after the slam
    assert door_angle(recording, "car", "right").max() < 0.2  # the other door never moved
    kinds = [(e.kind, e.side) for e in recording.doors]
    assert kinds == [("unlatch", "left"), ("latch", "left")]


def test_a_slam_is_heard_within_a_millisecond_of_the_door_meeting_the_body(slam):
    scene, recording = slam
    latch = next(e for e in recording.doors if e.kind == "latch")
    # the hand's path brings the door to the body at 2.3 s + close_s (0.9 s), at slam speed
    assert latch.time == pytest.approx(3.2, abs=0.002)
    assert latch.speed == pytest.approx(2.5, rel=0.05)
    n = int(scene.duration * SAMPLE_RATE)
    sound = render_doors(recording, scene.seed, n).send  # at 1 m, before the air's delay
    around = np.abs(sound[int((latch.time - 0.1) * SAMPLE_RATE):])
    onset = np.flatnonzero(around > 0.05 * around.max())[0] / SAMPLE_RATE + latch.time - 0.1
    assert abs(onset - latch.time) < 0.001
    # the opening's latch click is quiet beside the slam
    unlatch = int(0.5 * SAMPLE_RATE)
    assert np.abs(sound[unlatch:unlatch + 4800]).max() < 0.2 * around.max()


def test_a_slam_is_louder_than_a_gentle_close():
    def peak(slam: bool) -> float:
        scene = Scene(duration=3.0, resolution=(64, 48),
                      entities=[Entity(id="car", asset="hatchback", position=(0, 0, 0))],
                      actions=[Door(entity="car", side="right", at=0.2),
                               Door(entity="car", side="right", open=False, slam=slam, at=1.5)])
        recording = simulate(scene)
        (latch,) = [e for e in recording.doors if e.kind == "latch"]
        return latch.speed, float(np.abs(render_doors(recording, 0, 3 * SAMPLE_RATE).send).max())

    (hard, loud), (soft, quiet) = peak(True), peak(False)
    assert hard == pytest.approx(2.5, rel=0.05) and soft == pytest.approx(1.2, rel=0.05)
    assert loud / quiet == pytest.approx(hard / soft, rel=0.05)  # amplitude in step with speed


def test_shut_doors_stay_shut_while_the_car_drives_and_stops_hard():
    scene = Scene(duration=3.0, resolution=(64, 48),
                  entities=[Entity(id="car", asset="sedan", position=(0, 0, 0),
                                   velocity=(12.0, 0.0, 0.0))],
                  actions=[Brake(entity="car", hard=True, at=1.0)])
    recording = simulate(scene)
    assert recording.vehicles[0].speed[-1] < 0.5  # it stopped
    for side in ("left", "right"):
        assert door_angle(recording, "car", side).max() < 0.2


@pytest.mark.parametrize("actions, message", [
    ([{"kind": "door", "entity": "box", "at": 0.5}], "'box' is a crate, which has no door"),
    ([{"kind": "door", "entity": "bus", "at": 0.5}], "'bus' is a bus, which has no door"),
    ([{"kind": "door", "entity": "car", "open": False, "at": 0.5}],
     "the left door of 'car' is already shut then; open it first"),
    ([{"kind": "door", "entity": "car", "at": 0.5}, {"kind": "door", "entity": "car", "at": 1.0}],
     "the left door of 'car' is already open then; shut it first"),
])
def test_doors_that_cannot_be_played_are_refused(actions, message):
    scene = scene_from_dict({
        "duration": 2.0,
        "entities": [{"id": "car", "asset": "sedan", "position": [0, 0, 0]},
                     {"id": "bus", "asset": "bus", "position": [0, 8, 0]},
                     {"id": "box", "asset": "crate", "position": [5, -5, 0.25]}],
        "actions": actions})
    with pytest.raises(SceneError) as error:
        check_scene_assets(scene)
    assert message in str(error.value)
    assert str(error.value).count("door") <= 3  # one problem, said once


def test_a_slam_must_shut_the_door():
    with pytest.raises(SceneError, match="a door is slammed shut: give open: false"):
        scene_from_dict({"duration": 2.0,
                         "entities": [{"id": "car", "asset": "sedan", "position": [0, 0, 0]}],
                         "actions": [{"kind": "door", "entity": "car", "slam": True, "at": 0.5}]})
