"""Riding as a viewer would judge it: the feet go round with the pedals and the knees bend as a
cyclist's do, the hands stay on the bars as they steer, the pelvis stays on a leaning seat,
a skateboarder's back foot is on the ground at each push, and a horse's rider stays in the
saddle through a gallop with the legs down the horse's sides, not through it.

The two-wheelers here are made-up anchors of the shape assets.vehicles gives (the asset frame
on the ground under the middle of the wheelbase), read through the same path as an asset's."""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from worldreel.animation import animate
from worldreel.animation.riding import (SIT_DROP, Mount, MountMotion, bone_world_point,
                                        horse_mount, horse_motion, mount_of_asset,
                                        push_instants, ride, standing_height, _foot_point)
from worldreel.animation.rig import build_rig
from worldreel.assets.animals import animal_parts, body_of_animal
from worldreel.assets.people import body_of
from worldreel.scene import BodySpec, Scene

# A city bicycle for a ~1.7 m adult: bottom bracket 0.28 m up, a 73 deg seat tube, the
# saddle's top 0.66 m from the crank centre along it, bars 0.6 m wide above the front axle.
BICYCLE = {"seat": (-0.21, 0.0, 0.91), "pedal_axle": (-0.02, 0.0, 0.28),
           "foot_left": (-0.19, 0.14, 0.28), "foot_right": (0.15, -0.14, 0.28),
           "grip_left": (0.33, 0.28, 1.03), "grip_right": (0.33, -0.28, 1.03),
           "head": (0.30, 0.0, 0.97)}
# A standard motorcycle (a Honda CB500-like): seat 0.79 m up, pegs under the hips, wide bars.
MOTORCYCLE = {"seat": (-0.25, 0.0, 0.79), "foot_left": (-0.12, 0.19, 0.36),
              "foot_right": (-0.12, -0.19, 0.36), "grip_left": (0.38, 0.36, 1.02),
              "grip_right": (0.38, -0.36, 1.02), "head": (0.42, 0.0, 0.93)}
SKATEBOARD = {"seat": (0.0, 0.0, 0.11), "foot_left": (0.21, 0.0, 0.11),
              "foot_right": (-0.21, 0.0, 0.11)}
KICK_SCOOTER = {"seat": (-0.02, 0.0, 0.08), "foot_left": (0.08, 0.0, 0.08),
                "foot_right": (-0.14, 0.0, 0.08), "grip_left": (0.36, 0.24, 0.95),
                "grip_right": (0.36, -0.24, 0.95), "head": (0.38, 0.0, 0.86)}
RATE = 120.0


@lru_cache(maxsize=2)
def rig(height: float | None = None):
    return build_rig(body_of(BodySpec(height=height)).skeleton)


def motion(n: int, crank=None, steer=None, lean_deg: float = 0.0, speed: float = 4.0,
           yaw_deg: float = 30.0) -> MountMotion:
    t = np.arange(n) / RATE
    heading = math.radians(yaw_deg)
    position = np.column_stack([speed * t * math.cos(heading), speed * t * math.sin(heading),
                                np.zeros(n)])
    rotation = Rotation.from_euler("zx", np.column_stack([np.full(n, yaw_deg),
                                                          np.full(n, lean_deg)]), degrees=True)
    zero = np.zeros(n)
    return MountMotion(position, rotation, zero if crank is None else crank,
                       zero if steer is None else steer)


def knee_flexion(positions: np.ndarray, skeleton, side: str) -> np.ndarray:
    """Degrees the knee is bent from straight (0: straight)."""
    hip, knee, ankle = (positions[:, skeleton.index(f"{b}_{side}")]
                        for b in ("thigh", "calf", "foot"))
    a, b = hip - knee, ankle - knee
    cos = np.sum(a * b, 1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)
    return 180.0 - np.degrees(np.arccos(np.clip(cos, -1, 1)))


def test_feet_go_round_with_the_pedals_and_the_knees_bend_as_a_cyclists():
    bike = mount_of_asset("bicycle", BICYCLE)
    assert bike.style == "pedals" and bike.crank == pytest.approx(0.17)
    n = 120  # one revolution in a second (60 rpm), the bicycle leaning 10 deg into a turn
    crank = np.linspace(0, 2 * math.pi, n)
    solved = ride(rig(), bike, motion(n, crank, lean_deg=10.0), np.arange(n) / RATE)
    skeleton = rig().skeleton
    for side in "lr":
        foot = bone_world_point(rig(), solved, f"foot_{side}", _foot_point(rig(), side, "pedals"))
        assert np.linalg.norm(foot - solved.targets[f"foot_{side}"], axis=1).max() < 0.02
        flexion = knee_flexion(solved.positions, skeleton, side)
        # a cyclist's knee: ~30 deg at the bottom of the stroke to ~110 at the top
        assert 20.0 < flexion.min() < 45.0 and 95.0 < flexion.max() < 125.0
    # the pedals really went round (the targets are not one point) ...
    right = solved.targets["foot_r"]
    assert np.ptp(right[:, 2]) == pytest.approx(2 * 0.17, abs=0.01)
    # ... and the knees stay outside the top tube, on their own sides
    frame = motion(n, crank, lean_deg=10.0)
    for side, sign in (("l", 1), ("r", -1)):
        knee = solved.positions[:, skeleton.index(f"calf_{side}")]
        local = frame.rotation.inv().apply(knee - frame.position)
        assert (sign * local[:, 1] > 0.06).all()


def test_hands_stay_on_the_grips_as_the_bars_steer():
    bike = mount_of_asset("bicycle", BICYCLE)
    n = 90
    steer = np.radians(25.0) * np.sin(np.linspace(0, 2 * math.pi, n))
    solved = ride(rig(), bike, motion(n, steer=steer), np.arange(n) / RATE)
    left, right = solved.targets["hand_l"], solved.targets["hand_r"]
    assert np.ptp(left[:, 0] - right[:, 0]) > 0.2  # the bars really turned
    assert np.nanmax(solved.residual[:, :2]) < 0.02


def test_pelvis_stays_on_a_seat_leaning_twenty_degrees():
    bike = mount_of_asset("bicycle", BICYCLE)
    n = 30
    frame = motion(n, lean_deg=20.0)
    solved = ride(rig(), bike, frame, np.arange(n) / RATE)
    pelvis = solved.positions[:, 0]
    rotation = Rotation.from_quat(np.roll(solved.quaternions[:, 0], -1, axis=1))
    sit_bones = pelvis - rotation.apply([0.0, 0.0, SIT_DROP * standing_height(rig())])
    seat = frame.world(np.array(BICYCLE["seat"]))
    assert np.linalg.norm(sit_bones - seat, axis=1).max() < 0.02
    # the body leans with the bicycle: the spine's top is off to the side it leans to
    top = solved.positions[:, rig().skeleton.index("neck_01")]
    assert np.all(frame.rotation.inv().apply(top - pelvis)[:, 2] > 0.3)
    assert np.all((top - pelvis)[:, 2] < np.linalg.norm(top - pelvis, axis=1) * 0.97)


@pytest.mark.parametrize("name, anchors, style", [
    ("skateboard", SKATEBOARD, "deck_sideways"), ("kick_scooter", KICK_SCOOTER, "deck_forward")])
def test_a_boards_back_foot_is_on_the_ground_at_each_push(name, anchors, style):
    board = mount_of_asset(name, anchors)
    assert board.style == style and (board.grips is None) == (name == "skateboard")
    n = int(3.0 * RATE)
    t = np.arange(n) / RATE
    pushes = np.array([0.5, 1.3, 2.1])
    # the kick phase: whole turns at the pushes, still after the last (coasting)
    crank = 2 * math.pi * np.interp(t, [0.0, *pushes, 2.6], [0.6, 1.0, 2.0, 3.0, 3.4])
    assert push_instants(t, crank) == pytest.approx(pushes, abs=1e-9)
    frame = motion(n, crank, speed=3.0)
    solved = ride(rig(), board, frame, t)
    back = bone_world_point(rig(), solved, "foot_r", _foot_point(rig(), "r", style))
    front = bone_world_point(rig(), solved, "foot_l", _foot_point(rig(), "l", style))
    frame_s = 1.0 / 24.0
    for push in pushes:  # on the ground within a frame of the push instant
        near = np.abs(t - push) <= frame_s
        assert back[near, 2].min() < 0.01
        assert back[(t >= push) & (t < push + 0.15), 2].max() < 0.01  # planted, pushing
    deck = anchors["seat"][2]
    assert back[:, 2].min() > -0.005 and front[:, 2].min() > deck - 0.005  # never through
    coasting = t > 2.9
    assert np.abs(back[coasting, 2] - deck).max() < 0.02  # back on the board after
    assert np.linalg.norm(front - frame.world(np.array(anchors["foot_left"])),
                          axis=1).max() < 0.02  # the front foot never leaves it
    if board.grips is not None:  # and a scooter's hands stay on its bars
        assert np.nanmax(solved.residual[:, :2]) < 0.02


@lru_cache(maxsize=1)
def galloping_horse():
    scene = Scene.model_validate({"duration": 3.0, "animals": [
        {"id": "horse", "species": "horse", "script": [{"do": "gallop", "place": [40, 0]}]}]})
    return scene.animals[0], animate(scene)["horse"]


def _inside_trunk(points: np.ndarray, horse, performance) -> np.ndarray:
    """(n, m): each point's ellipsoid level in the nearest trunk solid of the horse's look
    (below 1: inside it)."""
    parts = [p for p in animal_parts(body_of_animal(horse))
             if p.geom == "ellipsoid" and p.bone in ("pelvis", "spine", "chest")]
    level = np.full(points.shape[:2], np.inf)
    for part in parts:
        k = performance.bones.index(part.bone)
        bone = Rotation.from_quat(np.roll(performance.quaternions[:, k], -1, axis=1))
        turn = Rotation.from_quat(np.roll(part.quat, -1))
        local = np.stack([turn.inv().apply(bone[i].inv().apply(
            points[i] - performance.positions[i, k]) - np.array(part.pos))
            for i in range(len(points))])
        level = np.minimum(level, np.linalg.norm(local / np.array(part.size), axis=-1))
    return level


def test_a_horse_rider_stays_in_the_saddle_with_the_legs_down_its_sides():
    horse, performance = galloping_horse()
    body = body_of_animal(horse)
    saddle = horse_mount(body, rig())
    frame = horse_motion(performance.bones, performance.positions, performance.quaternions, body)
    times = np.arange(len(performance.positions)) / performance.rate
    solved = ride(rig(), saddle, frame, times)
    assert np.ptp(frame.position[:, 0]) > 12.0  # it really galloped off
    assert np.ptp(frame.position[:, 2]) > 0.04  # and its back heaved under the saddle
    pelvis = solved.positions[:, 0]
    rotation = Rotation.from_quat(np.roll(solved.quaternions[:, 0], -1, axis=1))
    sit_bones = pelvis - rotation.apply([0.0, 0.0, SIT_DROP * standing_height(rig())])
    assert np.linalg.norm(sit_bones - frame.world(saddle.seat), axis=1).max() < 0.02
    assert np.nanmax(solved.residual) < 0.02  # hands at the reins, feet in the stirrups
    skeleton = rig().skeleton
    legs = []
    for side in "lr":
        for bone, child in (("thigh", "calf"), ("calf", "foot"), ("foot", "ball")):
            a = solved.positions[:, skeleton.index(f"{bone}_{side}")]
            b = solved.positions[:, skeleton.index(f"{child}_{side}")]
            legs += [(1 - u) * a + u * b for u in np.linspace(0, 1, 5)]
    level = _inside_trunk(np.stack(legs, axis=1), horse, performance)
    assert level.min() > 1.0  # the leg bones pass outside the horse's trunk
    # and the legs hang down its sides: feet below the barrel's middle, wider than it
    for side, sign in (("l", 1), ("r", -1)):
        foot = frame.rotation.inv().apply(
            solved.positions[:, skeleton.index(f"foot_{side}")] - frame.position)
        assert (sign * foot[:, 1] > 0.5 * body.shape.torso[2] * body.shoulder_height).all()


def test_a_style_needs_a_known_name():
    from worldreel.errors import SceneError

    with pytest.raises(SceneError, match="riding style"):
        Mount("unicycle", np.zeros(3), (np.zeros(3), np.zeros(3)))


@pytest.mark.parametrize("height", [1.5, 1.95])
def test_a_rider_too_small_or_tall_for_the_bicycle_pedals_smoothly(height):
    """A saddle set for someone else: the short rider's feet leave the pedals a little at the
    bottom instead of the knees locking straight and snapping back, the tall rider's knees
    come up high; the legs move smoothly either way."""
    bike = mount_of_asset("bicycle", BICYCLE)
    n = 240
    crank = np.linspace(0, 4 * math.pi, n)
    frame = motion(n, crank)
    solved = ride(rig(height), bike, frame, np.arange(n) / RATE)
    skeleton = rig(height).skeleton
    for side in "lr":
        flexion = knee_flexion(solved.positions, skeleton, side)
        assert 15.0 < flexion.min() and flexion.max() < 135.0
        for bone in ("calf", "foot"):
            path = solved.positions[:, skeleton.index(f"{bone}_{side}")] - frame.position
            # a pedal goes round at 1.1 m/s (9 mm a sample): no jump of twice that
            assert np.linalg.norm(np.diff(path, axis=0), axis=1).max() < 0.02


def test_a_motorcyclist_sits_with_feet_on_the_pegs_and_hands_on_the_bars():
    bike = mount_of_asset("motorcycle", MOTORCYCLE)
    assert bike.style == "pegs" and bike.pedal_axle is None
    n = 60
    steer = np.radians(15.0) * np.sin(np.linspace(0, 2 * math.pi, n))
    solved = ride(rig(), bike, motion(n, steer=steer, lean_deg=30.0, speed=15.0),
                  np.arange(n) / RATE)
    assert np.nanmax(solved.residual) < 0.02
    for side in "lr":  # the knees bent about a right angle, as on a standard motorcycle
        flexion = knee_flexion(solved.positions, rig().skeleton, side)
        assert 60.0 < flexion.min() and flexion.max() < 125.0


def test_at_a_trot_the_rider_rises_on_one_beat_and_sits_on_the_next():
    scene = Scene.model_validate({"duration": 3.0, "animals": [
        {"id": "horse", "species": "horse", "script": [{"do": "trot", "place": [12, 0]}]}]})
    horse = scene.animals[0]
    performance = animate(scene)["horse"]
    body = body_of_animal(horse)
    saddle = horse_mount(body, rig())
    frame = horse_motion(performance.bones, performance.positions, performance.quaternions, body)
    times = np.arange(len(performance.positions)) / performance.rate
    solved = ride(rig(), saddle, frame, times)
    rotation = Rotation.from_quat(np.roll(solved.quaternions[:, 0], -1, axis=1))
    sit_bones = solved.positions[:, 0] - rotation.apply(
        [0.0, 0.0, SIT_DROP * standing_height(rig())])
    height = frame.rotation.inv().apply(sit_bones - frame.world(saddle.seat))[:, 2]
    trotting = (times > 1.5) & (times < 2.7)
    up = height[trotting] > 0.06
    assert up.any() and (~up).any()  # up off the saddle, and back down on it
    rises = np.flatnonzero(np.diff(up.astype(int)) == 1)
    assert len(rises) >= 1 and np.abs(height[trotting]).min() < 0.01
    stride = np.diff(rises) / performance.rate if len(rises) > 1 else np.array([0.66])
    assert np.all((stride > 0.4) & (stride < 1.0))  # once a stride: every other beat
    assert np.nanmax(solved.residual) < 0.02  # the feet stay in the stirrups as she rises
