"""A ridden horse in the preview: it wears its saddle, the reins run from its bit to the
rider's hands and the stirrups hang under the rider's feet, frame after frame; the rider and
the horse are framed together."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from worldreel.physics import simulate
from worldreel.render import plan_camera
from worldreel.render.animals import SEGMENTS, AnimalPoser, add_animals
from worldreel.scene import Scene


@lru_cache(maxsize=1)
def ridden():
    scene = Scene.model_validate({
        "duration": 1.5, "fps": 12,
        "animals": [{"id": "horse", "species": "horse", "script": [
            {"do": "trot", "place": [6, 0]}]}],
        "characters": [{"id": "ann", "rides": "horse"}],
        "shots": [{"size": "wide", "subject": "ann"}]})
    return scene, simulate(scene)


def test_the_reins_and_stirrups_join_the_horse_to_its_riders_hands_and_feet():
    import mujoco

    scene, recording = ridden()
    spec = mujoco.MjSpec()
    add_animals(mujoco, spec, scene)
    model = spec.compile()
    data = mujoco.MjData(model)
    poser = AnimalPoser(model, scene, recording)
    rider = recording.characters[0]
    for sample in (0.0, 7.0, 17.0):
        poser.pose(model, data, sample)
        i = int(round(sample))
        for side in ("l", "r"):
            last = model.body(f"horse:rein_{side}{SEGMENTS - 1}").mocapid[0]
            palm = 0.5 * (rider.bone_trajectory(f"hand_{side}")[i]
                          + rider.bone_trajectory(f"middle_01_{side}")[i])
            # the last link's middle is half a link short of the hand
            assert np.linalg.norm(data.mocap_pos[last] - palm) < 0.15
            iron = model.body(f"horse:iron_{side}").mocapid[0]
            ball = rider.bone_trajectory(f"ball_{side}")[i]
            assert np.linalg.norm(data.mocap_pos[iron] - ball) < 0.03


def test_a_rider_and_the_horse_are_framed_together():
    scene, recording = ridden()
    track = plan_camera(scene, recording)
    rider = recording.characters[0]
    horse = recording.characters[1]
    for f in range(0, len(track.positions), 6):
        i = f * recording.oversample
        cam, target = track.positions[f], track.targets[f]
        forward = (target - cam) / np.linalg.norm(target - cam)
        for point in (rider.bone_trajectory("head")[i] + [0, 0, 0.15],
                      horse.bone_trajectory("head")[i],
                      horse.bone_trajectory("foot_hl")[i]):
            to = point - cam
            angle = np.degrees(np.arccos(np.dot(to, forward) / np.linalg.norm(to)))
            assert angle < 0.5 * track.fovy[f], (f, angle)


def test_a_riders_whole_body_shot_reaches_down_to_the_ground_under_the_mount():
    from worldreel.render.camera import character_middles

    _, recording = ridden()
    rider = recording.characters[0]
    alone = character_middles(recording)[:, 0]
    mounted = character_middles(recording, frozenset({"ann"}))[:, 0]
    crown = rider.bone_trajectory("head")[:: recording.oversample][: len(mounted), 2] + 0.2
    assert np.allclose(mounted[:, 2], 0.5 * crown)  # halfway from the ground to the crown
    assert (alone[:, 2] > mounted[:, 2] + 0.3).all()  # not from the feet in the stirrups
