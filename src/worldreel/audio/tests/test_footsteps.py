"""Footsteps: every heel strike of a walk is a contact event of the foot on the floor, and each
is heard on its sample (within 1 ms), by the floor's material and the shoe's."""

from __future__ import annotations

import numpy as np

from worldreel.animation import animate
from worldreel.animation.locomotion import locomote
from worldreel.animation.rig import build_rig
from worldreel.animation.script import ScriptPlanner
from worldreel.assets.people import body_of
from worldreel.audio import make_soundtrack
from worldreel.audio.tests.helpers import detect_onsets
from worldreel.physics import simulate
from worldreel.render import plan_camera
from worldreel.scene import scene_from_dict
from worldreel.timeline import resolve_scripts


def _walk(shoes: str, environment: str = "studio"):
    scene = scene_from_dict({
        "duration": 6.0, "setting": {"environment": environment, "floor_material": "wood"},
        "audio": {"ambience": False},
        "characters": [{"id": "ann", "body": {"age": 35, "gender": 0},
                        "outfit": {"shoes": shoes}, "position": [-2, 0],
                        "script": [{"do": "walk", "place": [1.5, 0]}]}]})
    recording = simulate(scene, performances=animate(scene))
    return scene, recording.with_camera(plan_camera(scene, recording))


def _heel_strikes(scene) -> list[float]:
    planner = ScriptPlanner(scene)
    resolve_scripts(scene, planner.duration)
    move = planner.plans["ann"][0].move
    rig = build_rig(body_of(scene.characters[0].body).skeleton)
    times = np.arange(0.0, move.duration, 1 / 120)
    return [f.time for f in locomote(rig, move, times).footfalls]


def test_every_heel_strike_is_a_footstep_event_on_the_floor():
    scene, recording = _walk("sneakers")
    steps = [e for e in recording.events if e.kind == "impact"
             and {e.body_a, e.body_b} & {"ann.foot_l", "ann.foot_r"}
             and "floor" in (e.body_a, e.body_b)]
    strikes = _heel_strikes(scene)
    assert len(strikes) >= 4
    for strike in strikes:  # the sole touches a few ms before the heel is flat on the plan
        assert min(abs(e.time - strike) for e in steps) < 0.03, strike
    assert len(steps) <= len(strikes) + 1  # one sound a step (the settling step may touch)
    assert all({e.material_a, e.material_b} == {"shoe", "wood"} for e in steps)


def test_every_footstep_is_heard_within_a_millisecond():
    scene, recording = _walk("barefoot")
    steps = [e.time for e in recording.events if e.kind == "impact"
             and "floor" in (e.body_a, e.body_b)]
    track = make_soundtrack(scene, recording)
    onsets = detect_onsets(track.stems["foley"])
    assert len(steps) >= 4
    errors = [float(np.min(np.abs(onsets - t))) for t in steps]
    assert max(errors) < 0.001, errors
