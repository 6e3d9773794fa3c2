"""Walking, running and turning as a viewer would judge them: the walker arrives where it was
sent and faces the way it went; planted feet stay put on the floor; nothing sinks into it;
knees never bend backwards; steps alternate at the cadence people use; a runner leaves the
ground between steps; a turn on the spot stays on the spot."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from worldreel.animation import locomotion as lo
from worldreel.animation.rig import build_rig, forward_kinematics
from worldreel.assets.people.body import BodyShape, build_body
from worldreel.errors import SceneError


@lru_cache(maxsize=2)
def rig(age: float = 30.0, gender: float = 1.0):
    return build_rig(build_body(BodyShape(age=age, gender=gender)).skeleton)


@lru_cache(maxsize=8)
def walk_3m(speed: float = 1.4):
    return lo.walk(rig(), [(3.0, 0.0)], speed=speed)


@lru_cache(maxsize=2)
def run_12m():
    return lo.walk(rig(), [(12.0, 0.0)], speed=4.0)


@lru_cache(maxsize=2)
def around_corner():
    return lo.walk(rig(), [(2.0, 0.0), (2.0, 2.0)], speed=1.2)


@lru_cache(maxsize=2)
def turn_120():
    return lo.turn_in_place(rig(), 0.0, 120.0, position=(0.5, -0.5))


def feet_points(motion, rig_):
    """Per foot: world heel and ball (toe hinge) positions over time, from the solved pose."""
    sk = rig_.skeleton
    feet = lo._feet(rig_)
    positions, quats = forward_kinematics(rig_, motion.local, motion.root_position,
                                          motion.root_rotation)
    out = {}
    for f, name in enumerate(lo.FEET):
        k = sk.index(name)
        rotation = Rotation.from_quat(np.roll(quats[:, k], -1, axis=1))
        heel = positions[:, k] + rotation.apply(feet.heel[f] - feet.ankle[f])
        ball = positions[:, sk.index("ball" + name[-2:])]
        out[name] = (heel, ball)
    return out, positions, quats


def standing_point(motion, rig_) -> np.ndarray:
    """Where the body stands at the end: midway between the ankles, on the floor."""
    sk = rig_.skeleton
    positions, _ = forward_kinematics(rig_, motion.local, motion.root_position,
                                      motion.root_rotation)
    return 0.5 * (positions[-1, sk.index("foot_l"), :2] + positions[-1, sk.index("foot_r"), :2])


MOTIONS = {"walk": walk_3m, "slow walk": lambda: walk_3m(0.5), "run": run_12m,
           "corner": around_corner, "turn": turn_120}


def test_a_3_m_walk_ends_at_its_target_facing_along_the_path():
    motion = walk_3m()
    end = motion.floor_xy[-1]
    assert np.linalg.norm(end - [3.0, 0.0]) < 0.05
    # the feet themselves stand at the target (ankles 13 cm behind the body's middle)
    feet = standing_point(motion, rig())
    assert np.linalg.norm(feet - [3.0 - 0.127, 0.0]) < 0.05
    assert abs(motion.yaw[-1]) < 2.0
    heading = np.degrees(motion.root_rotation[-1].as_euler("ZYX")[0])
    assert abs(heading) < 2.0
    # and it has come to rest: the last half second does not move
    last = motion.times > motion.times[-1] - 0.3
    assert np.ptp(motion.root_position[last], axis=0).max() < 0.005


def test_a_walk_round_a_corner_reaches_the_last_waypoint_facing_its_way():
    motion = around_corner()
    assert np.linalg.norm(motion.floor_xy[-1] - [2.0, 2.0]) < 0.05
    assert abs(motion.yaw[-1] - 90.0) < 2.0
    # it does not cut the corner by more than the turn needs
    nearest = np.min(np.linalg.norm(motion.floor_xy - [2.0, 0.0], axis=1))
    assert nearest < 0.5


@pytest.mark.parametrize("name", list(MOTIONS))
def test_planted_feet_stay_put_on_the_floor(name):
    motion = MOTIONS[name]()
    points, _, _ = feet_points(motion, rig())
    checked = 0
    for planted in motion.planted:
        inside = (motion.times >= planted.start) & (motion.times <= planted.end)
        if inside.sum() < 2:
            continue
        heel, ball = points[planted.foot]
        for point in (heel[inside], ball[inside]):
            slide = np.linalg.norm(point[:, :2] - point[0, :2], axis=1).max()
            assert slide < 0.02, f"{planted.foot} slid {slide:.3f} m at {planted.start:.2f} s"
            assert np.abs(point[:, 2]).max() < 0.015, "a planted foot is off the floor"
        checked += 1
    assert checked >= 3


@pytest.mark.parametrize("name", list(MOTIONS))
def test_no_leg_goes_through_the_floor(name):
    motion = MOTIONS[name]()
    sk = rig().skeleton
    _, positions, quats = feet_points(motion, rig())
    legs = [k for k, b in enumerate(sk.names) if b.startswith(("thigh", "calf", "foot", "ball"))]
    rotations = Rotation.from_quat(np.roll(quats[:, legs].reshape(-1, 4), -1, axis=1))
    offsets = np.tile(sk.tails[legs] - sk.heads[legs], (len(motion.times), 1))
    tails = positions[:, legs].reshape(-1, 3) + rotations.apply(offsets)
    assert positions[:, legs, 2].min() > -0.01
    assert tails[:, 2].min() > -0.01


@pytest.mark.parametrize("name", list(MOTIONS))
def test_knees_never_bend_backwards(name):
    motion = MOTIONS[name]()
    sk = rig().skeleton
    positions, _ = forward_kinematics(rig(), motion.local, motion.root_position,
                                      motion.root_rotation)
    for side in ("l", "r"):
        hip = positions[:, sk.index(f"thigh_{side}")]
        knee = positions[:, sk.index(f"calf_{side}")]
        ankle = positions[:, sk.index(f"foot_{side}")]
        forward = motion.root_rotation.apply([1.0, 0.0, 0.0])
        # the knee lies ahead of the hip-ankle line (or on it), never behind it
        along = ankle - hip
        along /= np.linalg.norm(along, axis=1, keepdims=True)
        offset = (knee - hip) - np.sum((knee - hip) * along, axis=1, keepdims=True) * along
        assert np.min(np.sum(offset * forward, axis=1)) > -0.01


def test_footfalls_alternate_at_a_walking_cadence():
    motion = lo.walk(rig(), [(8.0, 0.0)], speed=1.4)
    feet = [f.foot for f in motion.footfalls]
    assert all(a != b for a, b in zip(feet[:-1], feet[1:]))
    times = np.array([f.time for f in motion.footfalls])
    # cruising (away from the start and the stop): 1.7-2.1 steps a second for an adult
    cadence = 1.0 / np.diff(times[3:-3])
    assert np.all((cadence > 1.6) & (cadence < 2.1)), cadence
    positions = np.array([f.position[0] for f in motion.footfalls])
    step = np.diff(positions[3:-3])
    height = lo._feet(rig()).height
    assert np.all((step > 0.38 * height) & (step < 0.48 * height)), step


def test_slow_walk_takes_short_slow_steps_and_running_quick_long_ones():
    slow = lo.walk(rig(), [(4.0, 0.0)], speed=0.6)
    run = run_12m()
    for motion, low, high in ((slow, 1.0, 1.6), (run, 2.5, 3.1)):
        times = np.array([f.time for f in motion.footfalls])
        cadence = np.median(1.0 / np.diff(times[3:-3]))
        assert low < cadence < high


def test_a_runner_leaves_the_ground_between_steps():
    motion = run_12m()
    points, _, _ = feet_points(motion, rig())
    lowest = np.minimum.reduce([np.minimum(h[:, 2], b[:, 2]) for h, b in points.values()])
    cruising = (motion.times > 1.5) & (motion.times < 2.5)
    airborne = lowest[cruising] > 0.02
    assert airborne.mean() > 0.15
    walking = walk_3m()
    points, _, _ = feet_points(walking, rig())
    lowest = np.minimum.reduce([np.minimum(h[:, 2], b[:, 2]) for h, b in points.values()])
    assert lowest.max() < 0.02  # a walker always has a foot down


def test_the_pelvis_moves_like_a_walkers():
    motion = lo.walk(rig(), [(8.0, 0.0)], speed=1.4)
    cruising = (motion.times > 2.0) & (motion.times < 4.0)
    z = motion.root_position[cruising, 2]
    # vertical excursion of a few centimetres, not a bounce and not a glide
    assert 0.015 < np.ptp(z) < 0.08
    y = motion.root_position[cruising, 1]
    assert 0.01 < np.ptp(y) < 0.08  # sways toward the stance foot
    standing = lo._feet(rig()).pelvis[2]
    assert np.all(z < standing + 0.005)


def test_a_turn_on_the_spot_stays_there_and_ends_facing_the_new_way():
    motion = turn_120()
    assert abs(motion.yaw[-1] - 120.0) < 1.0
    assert np.linalg.norm(motion.floor_xy - [0.5, -0.5], axis=1).max() < 1e-6
    points, _, _ = feet_points(motion, rig())
    feet = [0.5 * (h[-1] + b[-1]) for h, b in points.values()]
    assert np.linalg.norm(0.5 * (feet[0] + feet[1])[:2] - [0.5, -0.5]) < 0.12
    assert len(motion.footfalls) >= 2
    assert motion.footfalls[0].foot == "foot_l"  # turning left opens with the left foot


def test_a_walk_facing_away_first_turns_toward_the_path():
    motion = lo.walk(rig(), [(0.0, 2.0)], speed=1.2, start_yaw=0.0, end_yaw=180.0)
    assert abs(motion.yaw[0]) < 1e-6
    assert np.linalg.norm(motion.floor_xy[-1] - [0.0, 2.0]) < 0.05
    assert abs(motion.yaw[-1] - 180.0) < 2.0
    moving = np.linalg.norm(np.diff(motion.floor_xy, axis=0), axis=1) > 1e-4
    first_move = np.argmax(moving)
    assert abs(motion.yaw[first_move + 1] - 90.0) < 15.0  # turned before setting off


def test_timing_is_known_before_the_body_is_built():
    rig_ = rig()
    height = lo._feet(rig_).height
    path = [(0.0, 0.0), (3.0, 1.0)]
    expected = lo.gait_duration(path, 0.0, 90.0, 1.3, "walk", height)
    motion = lo.walk(rig_, path[1:], 1.3, start=path[0], start_yaw=0.0, end_yaw=90.0)
    assert abs(motion.duration - expected) < 0.1


def test_impossible_requests_say_what_to_change():
    with pytest.raises(SceneError, match="speed"):
        lo.walk(rig(), [(3.0, 0.0)], speed=12.0)
    with pytest.raises(SceneError, match="run to go faster"):
        lo.walk(rig(), [(3.0, 0.0)], speed=3.0, running=False)
    with pytest.raises(SceneError, match="target"):
        lo.walk(rig(), [(0.0, 0.0)], speed=1.0)
    with pytest.raises(SceneError, match="turn rate"):
        lo.turn_in_place(rig(), 0.0, 90.0, turn_rate=0.0)
