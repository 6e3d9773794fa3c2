"""Looking at things as a viewer would judge it: the head turns toward a point, no further than a
neck can, the eyes doing the rest; it turns smoothly in a few tenths of a second, not in one
frame; it follows a moving point; the look is taken from the chest, so a body that has turned
looks at the same point with a different neck."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.animation import gaze
from worldreel.animation.rig import build_rig, forward_kinematics, local_rotations
from worldreel.assets.people.body import BodyShape, build_body

RATE = 60.0


@lru_cache(maxsize=1)
def rig():
    return build_rig(build_body(BodyShape(age=30, gender=0.0)).skeleton)


def body(n: int, facing_deg: float = 0.0):
    """A standing body facing `facing_deg`, its bones over n samples, and the sample times."""
    sk = rig().skeleton
    turn = Rotation.from_euler("z", np.full((n, 1), facing_deg), degrees=True)
    root = np.tile([1.0, 2.0, 0.0], (n, 1)) + turn.apply(sk.heads[0])
    positions, quats = forward_kinematics(rig(), local_rotations(rig(), {}, n), root, turn)
    return np.arange(n) / RATE, positions, quats, root, turn


def head_heading(result: gaze.Gaze, root, turn) -> tuple[np.ndarray, np.ndarray]:
    """Where the head's face points in the world (yaw, pitch; degrees), by forward kinematics."""
    sk = rig().skeleton
    n = len(root)
    _, quats = forward_kinematics(rig(), local_rotations(rig(), result.pose, n), root, turn)
    forward = Rotation.from_quat(np.roll(quats[:, sk.index("head")], -1, axis=1)).apply(
        [1.0, 0.0, 0.0])
    return (np.degrees(np.arctan2(forward[:, 1], forward[:, 0])),
            np.degrees(np.arcsin(np.clip(forward[:, 2], -1, 1))))


def eye_level_point(bearing_deg: float, distance: float, facing_deg: float = 0.0):
    times, positions, quats, root, turn = body(2, facing_deg)
    eyes = gaze.eye_point(rig())
    eyes_world = root[0] + turn[0].apply(eyes - rig().skeleton.heads[0])
    angle = np.radians(bearing_deg)
    return eyes_world + distance * np.array([np.cos(angle), np.sin(angle), 0.0])


def test_the_head_turns_to_a_point_off_to_the_side():
    n = 90
    times, positions, quats, root, turn = body(n)
    point = eye_level_point(35.0, 2.0)
    result = gaze.look_at(rig(), times, positions, quats, point)
    yaw, pitch = head_heading(result, root, turn)
    assert abs(yaw[-1] - 35.0) < 3.0
    assert abs(pitch[-1]) < 3.0
    assert abs(result.eye_yaw[-1]) < 4.0  # the head faces it: the eyes look straight on
    assert result.on_target[-1]


def test_a_point_behind_the_shoulder_turns_the_head_only_as_far_as_a_neck_can():
    n = 60
    times, positions, quats, root, turn = body(n)
    point = eye_level_point(130.0, 2.0)
    result = gaze.look_at(rig(), times, positions, quats, point)
    yaw, _ = head_heading(result, root, turn)
    assert abs(yaw).max() <= gaze.HEAD_YAW + 0.5
    assert yaw[-1] > gaze.HEAD_YAW - 2.0
    # the eyes take up the rest, to the edge of their own range, and cannot quite get there
    assert result.eye_yaw[-1] == gaze.EYE_YAW
    assert not result.on_target[-1]
    # a point beside the body, at 90 deg, is still seen: head 70 + eyes 20
    result = gaze.look_at(rig(), times, positions, quats, eye_level_point(90.0, 2.0))
    assert result.on_target[-1]
    assert 10.0 < result.eye_yaw[-1] < gaze.EYE_YAW


def test_looking_down_and_up_stays_within_a_necks_range():
    n = 30
    times, positions, quats, root, turn = body(n)
    floor = root[0] + np.array([0.3, 0.0, -root[0, 2]])  # the floor by the toes
    down = gaze.look_at(rig(), times, positions, quats, floor)
    assert down.head_pitch[-1] >= gaze.HEAD_PITCH[0] - 1e-9
    assert down.head_pitch[-1] < gaze.HEAD_PITCH[0] + 1.0
    assert down.eye_pitch[-1] < -10.0
    sky = gaze.look_at(rig(), times, positions, quats, root[0] + [0.5, 0.0, 5.0])
    assert sky.head_pitch[-1] <= gaze.HEAD_PITCH[1] + 1e-9


def test_the_head_turns_smoothly_in_a_few_tenths_of_a_second():
    n = 120
    times, positions, quats, root, turn = body(n)
    ahead, side = eye_level_point(0.0, 2.0), eye_level_point(40.0, 2.0)
    target = np.where((times >= 0.5)[:, None], side, ahead)
    result = gaze.look_at(rig(), times, positions, quats, target)
    yaw = result.head_yaw
    assert abs(yaw[int(0.5 * RATE)]) < 0.5  # nothing before the point moves
    after = yaw[int(0.7 * RATE)]  # 0.2 s after the switch: about three quarters there
    assert 0.6 * 40 < after < 0.9 * 40
    assert abs(yaw[-1] - 40.0) < 2.0
    assert yaw.max() < 40.0 + 0.5  # critically damped: no overshoot
    assert np.abs(np.diff(yaw)).max() < 4.0  # no jump from one frame to the next
    # the eyes jump to the new point at once and come back to centre as the head arrives
    assert result.eye_yaw[int(0.5 * RATE) + 1] > 25.0
    assert abs(result.eye_yaw[-1]) < 4.0


def test_a_moving_point_is_followed():
    n = 180
    times, positions, quats, root, turn = body(n)
    bearing = np.linspace(-40.0, 40.0, n)
    eyes = eye_level_point(0.0, 0.0)
    target = eyes + 3.0 * np.column_stack([np.cos(np.radians(bearing)),
                                           np.sin(np.radians(bearing)), np.zeros(n)])
    result = gaze.look_at(rig(), times, positions, quats, target)
    yaw, _ = head_heading(result, root, turn)
    # the head trails a little behind and the eyes keep the point in view
    assert np.abs(yaw[60:] - bearing[60:]).max() < 8.0
    assert result.on_target.all()


def test_a_body_turned_away_looks_at_the_same_point_with_its_neck():
    n = 60
    point = eye_level_point(0.0, 2.0)
    times, positions, quats, root, turn = body(n, facing_deg=-30.0)
    result = gaze.look_at(rig(), times, positions, quats, point)
    assert abs(result.head_yaw[-1] - 30.0) < 3.0
    yaw, _ = head_heading(result, root, turn)
    assert abs(yaw[-1]) < 3.0


def test_head_turn_for_a_body_known_only_by_where_it_faces():
    eyes = np.array([[0.0, 0.0, 1.6]] * 3)
    angles = gaze.head_turn(eyes, np.array([0.0, 0.0, 90.0]), np.array([0.0, 2.0, 1.6]))
    turn = angles["neck_01"]["turn"] + angles["head"]["turn"]
    assert np.allclose(turn, [gaze.HEAD_YAW, gaze.HEAD_YAW, 0.0])
    assert np.allclose(angles["neck_01"]["bend"], 0.0)
