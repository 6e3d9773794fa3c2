"""Riders played: a horse's rider comes out of the simulation on the horse; a vehicle's rider
is mass in the vehicle while it drives and comes out sitting on it wherever it went.

No two-wheeler asset is needed for the vehicle's path: a sedan given a seat, grips and foot
spots on its roof stands in for one (the anchors are all the rider reads)."""

from __future__ import annotations

import dataclasses
from types import MappingProxyType

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

import worldreel.assets.registry as registry
import worldreel.assets.scene_check as scene_check
from worldreel.physics import driving
from worldreel.animation.ik import effector_point
from worldreel.animation.riding import (SIT_DROP, grip_points, horse_mount, mount_of_asset,
                                        standing_height)
from worldreel.animation.rig import build_rig
from worldreel.assets.animals import body_of_animal
from worldreel.assets.people import body_of
from worldreel.assets.people.segments import body_mass
from worldreel.physics import simulate
from worldreel.physics.riders import carried_masses
from worldreel.scene import BodySpec, Scene

ROOF = {"seat": (-0.6, 0.0, 1.45), "grip_left": (-0.1, 0.3, 1.62),
        "grip_right": (-0.1, -0.3, 1.62), "head": (-0.05, 0.0, 1.55),
        "foot_left": (-0.35, 0.45, 1.22), "foot_right": (-0.35, -0.45, 1.22)}


@pytest.fixture
def seated_sedan(monkeypatch):
    sedan = registry.ASSETS["sedan"]
    assets = MappingProxyType({**registry.ASSETS, "sedan": dataclasses.replace(
        sedan, anchors={**sedan.anchors, **ROOF})})
    monkeypatch.setattr(registry, "ASSETS", assets)
    monkeypatch.setattr(scene_check, "ASSETS", assets)
    monkeypatch.setattr(driving, "ASSETS", assets)  # where the rider's mass is put


def _sit_bones(track, rig):
    pelvis = track.bone_positions[:, 0]
    turn = Rotation.from_quat(np.roll(track.bone_quaternions[:, 0], -1, axis=1))
    return pelvis - turn.apply([0.0, 0.0, SIT_DROP * standing_height(rig)])


def test_a_vehicles_rider_sits_on_it_wherever_it_drives(seated_sedan):
    scene = Scene.model_validate({
        "duration": 3.6, "entities": [{"id": "car", "asset": "sedan"}],
        "actions": [{"kind": "drive", "entity": "car", "speed": 5.0, "at": 0.2,
                     "path": [[8, 0], [16, 6]]}],
        "characters": [{"id": "ann", "rides": "car", "script": [{"do": "wave", "at": 0.3}]}]})
    assert carried_masses(scene) == {"car": pytest.approx(body_mass(body_of(BodySpec())))}
    recording = simulate(scene)
    assert [t.id for t in recording.characters] == ["ann"]
    k = recording.index("car")
    assert np.linalg.norm(recording.positions[-1, k, :2] - recording.positions[0, k, :2]) > 4
    turn = Rotation.from_quat(np.roll(recording.quaternions[:, k], -1, axis=1))
    seat = recording.positions[:, k] + turn.apply(ROOF["seat"])
    rig = build_rig(body_of(BodySpec()).skeleton)
    track = recording.characters[0]
    assert len(track.bone_positions) == len(recording.times)
    assert np.linalg.norm(_sit_bones(track, rig) - seat, axis=1).max() < 0.02
    # no limb of the rider touched anything while it rode
    assert not [e for e in recording.events if "ann." in e.body_a or "ann." in e.body_b]
    # the wave took the right hand off its grip and brought it back
    palm = effector_point(rig.skeleton, "hand_r") - rig.skeleton.heads[track.bone("hand_r")]
    hand = track.bone_trajectory("hand_r") + Rotation.from_quat(
        np.roll(track.bone_quaternions[:, track.bone("hand_r")], -1, axis=1)).apply(palm)
    # the grip turns with the car's steering (a stand-in's "bars" about its `head`)
    steer = next(t for t in recording.vehicles if t.id == "car").steer
    mount = mount_of_asset("sedan", registry.ASSETS["sedan"].anchors)
    grip = recording.positions[:, k] + turn.apply(grip_points(mount, steer)[1])
    off = np.linalg.norm(hand - grip, axis=1)
    assert off[0] < 0.02 and off.max() > 0.2 and off[-1] < 0.02


def test_a_horses_rider_comes_out_of_the_simulation_on_the_horse():
    scene = Scene.model_validate({
        "duration": 2.0,
        "animals": [{"id": "horse", "species": "horse", "script": [
            {"do": "walk", "place": [8, 0]}]}],
        "characters": [{"id": "ann", "rides": "horse"}]})
    recording = simulate(scene)
    assert [t.id for t in recording.characters] == ["ann", "horse"]
    rider, horse = recording.characters
    body = body_of_animal(scene.animals[0])
    rig = build_rig(body_of(BodySpec()).skeleton)
    saddle = horse_mount(body, rig).seat
    k = horse.bone("spine")
    turn = Rotation.from_quat(np.roll(horse.bone_quaternions[:, k], -1, axis=1))
    seat = horse.bone_positions[:, k] + turn.apply(saddle - body.heads[body.bone("spine")])
    assert np.linalg.norm(_sit_bones(rider, rig) - seat, axis=1).max() < 0.02
    assert rider.bone_trajectory("pelvis")[-1, 0] - rider.bone_trajectory("pelvis")[0, 0] > 1.5


def test_a_riders_mass_rides_in_the_vehicle_at_its_seat(seated_sedan):
    import mujoco

    from worldreel.assets.mujoco_spec import build_spec
    from worldreel.physics.driving import Driving

    scene = Scene.model_validate({"entities": [{"id": "car", "asset": "sedan"}],
                                  "characters": [{"id": "ann", "rides": "car"}]})
    found = []
    for carried in ({}, carried_masses(scene)):
        spec, _ = build_spec(scene, movable="free")
        driving = Driving(scene, [], carried=carried)
        driving.add_to_spec(mujoco, spec)
        model = spec.compile()
        data = mujoco.MjData(model)
        driving.bind(model, data)
        found.append((driving.vehicles[0].mass, driving.vehicles[0].com_height))
    (bare, low), (ridden, high) = found
    assert ridden - bare == pytest.approx(body_mass(body_of(BodySpec())))
    assert high > low + 0.05  # a rider up on the seat raises the centre of mass


def test_the_horse_rider_example_is_a_valid_scene():
    from pathlib import Path

    from worldreel.assets.scene_check import check_scene_assets
    from worldreel.scene import load_scene

    scene = load_scene(Path(__file__).resolve().parents[4] / "examples" / "horse_rider.yaml")
    check_scene_assets(scene)
    assert scene.character("ann").rides == "horse"


def test_a_ridden_vehicle_is_framed_up_to_its_riders_head(seated_sedan):
    from worldreel.render.camera import _subject_middle, _subject_radius

    alone = Scene.model_validate({"entities": [{"id": "car", "asset": "sedan"}]})
    ridden = Scene.model_validate({"entities": [{"id": "car", "asset": "sedan"}],
                                   "characters": [{"id": "ann", "rides": "car"}]})
    crown = ROOF["seat"][2] + 0.52 * body_of(BodySpec()).shape.standing_height()
    assert _subject_middle(ridden, "car")[2] == pytest.approx(0.5 * crown)
    assert _subject_middle(alone, "car")[2] < 0.5 * crown - 0.3
    assert _subject_radius(ridden, "ann") >= _subject_radius(alone, "car")
