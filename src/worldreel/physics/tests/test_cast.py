"""People's limbs in the simulation: a kick, a push, a throw, a catch and a carry move or stop
their things through physics; a footstep is a contact event. The limbs' motion is built by hand
here (a foot swept forward, a hand lowered), so these check physics, not the motion library."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from worldreel.animation.performance import Grip, Performance
from worldreel.animation.rig import build_rig, forward_kinematics, local_rotations
from worldreel.assets.people import body_of
from worldreel.physics import simulate
from worldreel.scene import Character, Entity, Scene

RATE = 120.0
RELAXED = {"upperarm_l": {"abduct": -40}, "upperarm_r": {"abduct": -40}}


def _scene(duration: float, entities=(), **character) -> Scene:
    return Scene(duration=duration, entities=list(entities),
                 characters=[Character(id="ann", body={"age": 30, "gender": 1.0}, **character)])


def _standing(scene: Scene) -> tuple[np.ndarray, np.ndarray, np.ndarray, tuple[str, ...]]:
    """Times and bone tracks of the character standing still at the origin, facing +x."""
    body = body_of(scene.characters[0].body)
    rig = build_rig(body.skeleton)
    times = np.arange(int(scene.duration * RATE) + 2) / RATE
    n = len(times)
    root = np.tile(body.skeleton.heads[0], (n, 1))
    pos, quat = forward_kinematics(rig, local_rotations(rig, RELAXED, n), root,
                                   Rotation.identity(n))
    return times, pos, quat, body.skeleton.names


def _sweep(times, pos, names, bones, start, end, distance, axis=0) -> float:
    """Move `bones` by `distance` along `axis` between `start` and `end`; return the speed."""
    s = np.clip((times - start) / (end - start), 0.0, 1.0)
    for bone in bones:
        pos[:, names.index(bone), axis] += distance * s
    return abs(distance) / (end - start)


def test_a_kick_moves_the_ball_at_about_the_speed_of_the_foot():
    scene = _scene(1.2, [Entity(id="ball", asset="soccer_ball", position=(0.45, -0.1, 0.11))])
    times, pos, quat, names = _standing(scene)
    _sweep(times, pos, names, ["foot_r", "ball_r"], 0.5, 0.7, -0.3)  # draw back
    foot_speed = _sweep(times, pos, names, ["foot_r", "ball_r"], 0.7, 0.85, 0.9)
    recording = simulate(scene, performances={"ann": Performance("ann", RATE, names, pos, quat)})
    kick = [e for e in recording.events if {e.body_a, e.body_b} == {"ann.foot_r", "ball"}]
    assert kick and 0.7 <= kick[0].time <= 0.85
    after = recording.times > kick[0].time + 0.03
    speed = np.linalg.norm(recording.velocities[after, recording.index("ball"), :2], axis=1)[0]
    assert abs(speed - foot_speed) <= 0.2 * foot_speed, (speed, foot_speed)


def test_a_push_topples_a_standing_board():
    # a 1 m tall, 0.2 m thick board of 10 kg, its near face 0.4 m in front of the body
    scene = _scene(2.0, [Entity(id="box", asset="domino", position=(0.5, 0.0, 0.5),
                                scale=5.0, mass=10.0)])
    times, pos, quat, names = _standing(scene)
    arms = [b for b in names if b.startswith(("hand_", "lowerarm_", "upperarm_", "thumb",
                                              "index", "middle", "ring", "pinky"))]
    _sweep(times, pos, names, arms, 0.3, 0.6, 0.45)
    recording = simulate(scene, performances={"ann": Performance("ann", RATE, names, pos, quat)})
    start = recording.trajectory("box")[0]
    end = recording.trajectory("box")[-1]
    assert end[0] - start[0] > 0.1  # pushed away from the body
    tilt = Rotation.from_quat(recording.quaternions[-1, recording.index("box")][[1, 2, 3, 0]])
    assert abs(tilt.apply([0, 0, 1.0])[2]) < 0.2  # and over on its side
    hits = [e for e in recording.events if "box" in (e.body_a, e.body_b)
            and (e.body_a.startswith("ann.") or e.body_b.startswith("ann."))]
    assert hits


def test_a_thrown_ball_leaves_with_the_hand_velocity():
    scene = _scene(1.0, [Entity(id="ball", asset="tennis_ball", position=(0.0, 0.0, 2.0))],
                   holds="ball")
    times, pos, quat, names = _standing(scene)
    hand = [b for b in names if b.endswith("_r") and b.startswith(
        ("hand", "thumb", "index", "middle", "ring", "pinky"))]
    _sweep(times, pos, names, hand, 0.2, 0.5, 0.6)
    _sweep(times, pos, names, hand, 0.2, 0.5, 0.3, axis=2)
    grip = Grip("ann", "hand_r", "ball", 0.0, 0.4, offset=(0.05, -0.03, -0.06))
    recording = simulate(scene, performances={"ann": Performance(
        "ann", RATE, names, pos, quat, grips=(grip,))})
    after = np.flatnonzero(recording.times > 0.42)[0]
    flight = recording.times[after] - 0.4
    hand_velocity = np.array([0.6, 0.0, 0.3]) / 0.3 + np.array([0.0, 0.0, -9.81 * flight])
    ball = recording.velocities[after, recording.index("ball")]
    assert np.linalg.norm(ball - hand_velocity) <= 0.2 * np.linalg.norm(hand_velocity)


def test_a_held_cup_moves_with_the_hand_and_stays_where_it_is_put_down():
    scene = _scene(1.6, [Entity(id="cup", asset="glass", position=(0.0, 0.0, 2.0))],
                   holds="cup")
    times, pos, quat, names = _standing(scene)
    hand = [b for b in names if b.endswith("_r") and b.startswith(
        ("hand", "thumb", "index", "middle", "ring", "pinky", "lowerarm"))]
    _sweep(times, pos, names, hand, 0.2, 0.8, 0.4)
    grip = Grip("ann", "hand_r", "cup", 0.0, None, offset=(0.06, -0.04, -0.07))
    recording = simulate(scene, performances={"ann": Performance(
        "ann", RATE, names, pos, quat, grips=(grip,))})
    cup = recording.trajectory("cup")
    palm = recording.character("ann").bone_trajectory("hand_r")
    gap = np.linalg.norm(cup - palm, axis=1)
    assert np.ptp(gap) < 0.005  # rigid in the hand
    assert cup[-1, 0] - cup[0, 0] == pytest.approx(0.4, abs=0.02)


def test_a_caught_ball_stops_in_the_hand():
    probe = _scene(1.2)
    times, pos, quat, names = _standing(probe)
    palm = 0.5 * (pos[0, names.index("hand_r")] + pos[0, names.index("middle_01_r")])
    flight = (1.6 - palm[0]) / 4.0  # thrown at 4 m/s from 1.6 m in front, to meet the palm
    start = (1.6, palm[1], palm[2] + 0.5 * 9.81 * flight ** 2)
    scene = _scene(1.2, [Entity(id="ball", asset="tennis_ball", position=start,
                                velocity=(-4.0, 0.0, 0.0))])
    grip = Grip("ann", "hand_r", "ball", 0.1, None, on_contact=True)
    recording = simulate(scene, performances={"ann": Performance(
        "ann", RATE, names, pos, quat, grips=(grip,))})
    ball = recording.velocities[:, recording.index("ball")]
    end = np.linalg.norm(ball[-10:], axis=1)
    assert end.max() < 0.05  # stopped, held
    assert recording.trajectory("ball")[-1, 2] > 0.5  # in the hand, not on the floor


def test_a_footstep_is_a_contact_event_when_the_foot_lands():
    scene = _scene(1.0)
    times, pos, quat, names = _standing(scene)
    foot = ["foot_r", "ball_r"]
    lift = np.interp(times, [0.0, 0.3, 0.5, 0.6], [0.0, 0.08, 0.08, 0.0])
    for bone in foot:
        pos[:, names.index(bone), 2] += lift
    recording = simulate(scene, performances={"ann": Performance("ann", RATE, names, pos, quat)})
    steps = [e for e in recording.events if e.kind == "impact"
             and {e.body_a, e.body_b} == {"ann.foot_r", "floor"}]
    assert len(steps) == 1
    assert steps[0].time == pytest.approx(0.6, abs=0.01)
    assert {steps[0].material_a, steps[0].material_b} >= {"shoe"}


def test_a_scripted_pick_up_and_throw_leaves_the_hand_at_the_hand_speed():
    from worldreel.animation import animate

    scene = Scene.model_validate({
        "duration": 12.0,
        "entities": [{"id": "ball", "asset": "tennis_ball", "position": [0.9, 0.3, 0.033]},
                     {"id": "bin", "asset": "crate", "position": [5.0, 0.0, 0.25]}],
        "characters": [{"id": "ann", "body": {"age": 30, "gender": 1},
                        "script": [{"id": "take", "do": "pick_up", "target": "ball"},
                                   {"id": "toss", "do": "throw", "target": "bin"}]}]})
    performances = animate(scene)
    recording = simulate(scene, performances=performances)
    (grip,) = performances["ann"].grips
    assert grip.entity == "ball" and grip.release_velocity is not None
    ball = recording.trajectory("ball")
    rate = recording.sample_rate
    lifted = recording.times < grip.end
    assert ball[lifted & (recording.times > grip.start + 0.5), 2].min() > 0.5  # in the hand
    # the hand's speed at the release, from the limb's track that physics played (120 Hz)
    played = performances["ann"]
    hand = played.positions[:, played.bones.index("hand_r")]
    k = int(round(grip.end * played.rate))
    hand_speed = np.linalg.norm(hand[k + 1] - hand[k - 1]) * played.rate / 2
    i = int(np.ceil(grip.end * rate))
    flight = recording.times[i] - grip.end  # the ball falls a little before the sample
    ball_velocity = recording.velocities[i, recording.index("ball")] + [0, 0, 9.81 * flight]
    ball_speed = np.linalg.norm(ball_velocity)
    assert abs(ball_speed - hand_speed) <= 0.2 * hand_speed, (ball_speed, hand_speed)
    hits = [e for e in recording.events if {e.body_a, e.body_b} == {"ball", "bin"}]
    assert hits  # and it reaches what it was thrown at


def test_a_ball_thrown_to_someone_is_caught_and_stops_in_their_hands():
    from worldreel.animation import animate

    scene = Scene.model_validate({
        "duration": 12.0,
        "entities": [{"id": "ball", "asset": "tennis_ball", "position": [0.8, 0.3, 0.033]}],
        "characters": [
            {"id": "ann", "body": {"age": 30, "gender": 1},
             "script": [{"id": "take", "do": "pick_up", "target": "ball"},
                        {"do": "throw", "target": "bob"}]},
            {"id": "bob", "body": {"age": 12, "gender": 0}, "position": [4.5, 0.4],
             "facing": 180, "script": [{"do": "catch", "target": "ball", "after": "take"}]}]})
    recording = simulate(scene, performances=animate(scene))
    ball = recording.trajectory("ball")
    palm = recording.character("bob").bone_trajectory("hand_r")
    speed = np.linalg.norm(recording.velocities[:, recording.index("ball")], axis=1)
    end = recording.times > 11.9
    assert np.linalg.norm(ball[end] - palm[end], axis=1).max() < 0.2  # in bob's hands
    assert speed[end].max() < 1.0  # moving only as the hands move
    assert ball[end, 2].min() > 0.5  # not on the floor


def test_a_cup_on_a_table_is_taken_standing_and_held_not_knocked_over():
    from worldreel.animation import animate

    scene = Scene.model_validate({
        "duration": 7.0,
        "entities": [{"id": "table", "asset": "table", "position": [1.2, 0.0, 0.0]},
                     {"id": "cup", "asset": "glass", "position": [0.75, 0.1, 0.83]}],
        "characters": [{"id": "ann", "script": [{"do": "pick_up", "target": "cup"}]}]})
    recording = simulate(scene, performances=animate(scene))
    pelvis = recording.character("ann").bone_trajectory("pelvis")
    assert pelvis[:, 0].max() < 0.6 - 0.1  # she stays out of the table (its edge: x = 0.6)
    cup = recording.trajectory("cup")
    palm = recording.character("ann").bone_trajectory("hand_r")
    assert np.linalg.norm(cup[-1] - palm[-1]) < 0.15  # in her hand at the end
    assert cup[-1, 2] > 0.83  # lifted off the table, not dropped
    assert not [e for e in recording.events if "cup" in (e.body_a, e.body_b)
                and e.time > 0.5 and e.speed > 0.3]  # nothing knocked it


def test_a_walk_goes_around_a_table_in_the_way():
    from worldreel.animation import animate

    scene = Scene.model_validate({
        "duration": 9.0,
        "entities": [{"id": "table", "asset": "table", "position": [1.5, 0.0, 0.0]}],
        "characters": [{"id": "ann", "script": [{"do": "walk", "place": [3.2, 0.0]}]}]})
    performance = animate(scene)["ann"]
    pelvis = performance.positions[:, performance.bones.index("pelvis")]
    over_table = (np.abs(pelvis[:, 0] - 1.5) < 0.6) & (np.abs(pelvis[:, 1]) < 0.4 + 0.1)
    assert not over_table.any()  # never through its 1.2 x 0.8 m top
    assert np.linalg.norm(pelvis[-1, :2] - [3.2, 0.0]) < 0.3  # and gets there


def test_a_thing_handed_over_ends_in_the_other_persons_hand():
    from worldreel.animation import animate

    scene = Scene.model_validate({
        "duration": 8.0,
        "entities": [{"id": "apple", "asset": "tennis_ball", "position": [0.0, 0.0, 1.5]}],
        "characters": [
            {"id": "ann", "holds": "apple",
             "script": [{"do": "hand_over", "target": "bob", "at": 0.5}]},
            {"id": "bob", "position": [2.5, 0.3], "facing": 180}]})
    recording = simulate(scene, performances=animate(scene))
    apple = recording.trajectory("apple")
    ann = recording.character("ann").bone_trajectory("hand_r")
    bob = recording.character("bob").bone_trajectory("hand_r")
    assert np.linalg.norm(apple[5] - ann[5]) < 0.15  # in ann's hand at first
    assert np.linalg.norm(apple[-1] - bob[-1]) < 0.15  # in bob's at the end
    assert np.linalg.norm(recording.velocities[-1, recording.index("apple")]) < 0.5
    # hands meet: it passes from hand to hand without a jump
    given = next(g.start for g in animate(scene)["bob"].grips if g.entity == "apple")
    near = np.abs(recording.times - given) < 0.3
    speed = np.linalg.norm(np.diff(apple, axis=0), axis=1) * recording.sample_rate
    assert speed[near[1:]].max() < 3.0  # a hand's pace (it jumped at 13 m/s when it snapped)


def test_a_standing_foot_carries_its_share_of_the_body():
    """Pressed its sole's depth into the floor, a person's foot is held up by half the body's
    weight and an animal's by a quarter: footsteps have a body's force, on two feet or four."""
    from worldreel.assets.animals import animal_segments
    from worldreel.assets.people import character_segments
    from worldreel.assets.people.segments import SOLE_PRESS_M
    from worldreel.physics.cast import GRAVITY, _floor_stiffness
    from worldreel.scene import Animal, Character, Scene

    scene = Scene(characters=(Character(id="ann"),),
                  animals=(Animal(id="rex", species="dog", position=(2.0, 0.0)),))
    for segs, share in ((character_segments(scene)["ann"], 0.5),
                        (animal_segments(scene)["rex"], 0.25)):
        mass = sum(s.mass for s in segs)
        feet = [s for s in segs if s.bone.startswith("foot_")]
        for foot in feet:
            held = _floor_stiffness(foot, mass, len(feet)) * foot.mass * SOLE_PRESS_M
            assert held == pytest.approx(share * mass * GRAVITY)
