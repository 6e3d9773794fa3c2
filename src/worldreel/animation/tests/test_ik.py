"""Inverse kinematics as a viewer would judge it: a hand reaches the point it is sent to (a cup
in front, a ball on a table, a box at the side) while the rest of the body keeps its pose; a
point out of reach gets the closest reach and says how far it fell short; a foot put on the
floor is exactly there and flat; joints stay within what a body can do."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from worldreel.animation import ik
from worldreel.animation.rig import build_rig, forward_kinematics, local_rotations
from worldreel.assets.people.body import BodyShape, build_body
from worldreel.errors import SceneError

ARMS_DOWN = {"upperarm_l": {"abduct": -37.0}, "upperarm_r": {"abduct": -37.0},
             "lowerarm_l": {"bend": -25.0}, "lowerarm_r": {"bend": -25.0},
             "thigh_l": {"flex": 3.0}, "calf_l": {"bend": 5.0}}


@lru_cache(maxsize=2)
def rig():
    return build_rig(build_body(BodyShape(age=30, gender=1.0)).skeleton)


def standing(samples: int = 1):
    sk = rig().skeleton
    return np.tile(sk.heads[0], (samples, 1)), Rotation.identity(samples)


def world(result, samples: int = 1):
    root, turn = standing(samples)
    return forward_kinematics(rig(), result.local, root, turn)


def palm(result, hand: str, samples: int = 1) -> np.ndarray:
    sk = rig().skeleton
    positions, quats = world(result, samples)
    k = sk.index(hand)
    rotation = Rotation.from_quat(np.roll(quats[:, k], -1, axis=1))
    return positions[:, k] + rotation.apply(ik.effector_point(sk, hand) - sk.heads[k])


def test_the_model_moves_exactly_as_the_rig():
    """The MuJoCo model's joints are the rig's DOFs: the same angles give the same bones."""
    import mujoco

    rig_ = rig()
    model = ik.rig_model(rig_)
    rng = np.random.default_rng(7)
    pose = {b: {d: float(rng.uniform(-30, 30)) for d in rig_.axes[b]} for b in model.bones}
    root, turn = np.array([[0.3, -0.2, 0.9]]), Rotation.from_euler("z", [[40.0]], degrees=True)
    positions, quats = forward_kinematics(rig_, local_rotations(rig_, pose, 1), root, turn)
    data = mujoco.MjData(model.model)
    data.qpos[:] = ik.pose_to_qpos(model, pose, root, turn, 1)[0]
    mujoco.mj_kinematics(model.model, data)
    for k, bone in enumerate(rig_.skeleton.names):
        if bone in model.bone_dofs:
            body = model.model.body(bone).id
            assert np.allclose(data.xpos[body], positions[0, k], atol=1e-9)
            assert min(np.abs(data.xquat[body] - quats[0, k]).max(),
                       np.abs(data.xquat[body] + quats[0, k]).max()) < 1e-9
    assert ik.rig_model(rig_) is model  # built once per skeleton


@pytest.mark.parametrize("hand, target", [
    ("hand_l", (0.5, 0.15, 1.3)),    # 0.5 m in front at chest height
    ("hand_r", (0.45, -0.1, 0.8)),   # a ball on a table
    ("hand_l", (0.0, 0.45, 1.0)),    # a box at the side
    ("hand_r", (0.3, -0.25, 1.9)),   # a shelf overhead
])
def test_a_hand_reaches_its_target(hand, target):
    root, turn = standing()
    result = ik.solve_ik(rig(), [ik.Reach(hand, np.array([target]))], root, turn, ARMS_DOWN)
    assert np.linalg.norm(palm(result, hand)[0] - target) < 0.01
    assert result.residual[0, 0] < 0.01
    assert result.reached().all()


def test_reaching_leaves_the_rest_of_the_body_as_it_was():
    root, turn = standing()
    result = ik.solve_ik(rig(), [ik.Reach("hand_l", np.array([[0.5, 0.15, 1.3]]))], root, turn,
                         ARMS_DOWN)
    for bone, dofs in ARMS_DOWN.items():
        if bone.endswith("_r") or bone.startswith(("thigh", "calf")):
            for dof, value in dofs.items():
                assert result.pose[bone][dof][0] == pytest.approx(value, abs=1e-6)
    # the trunk helps only a little for a reach the arm can nearly make
    assert abs(result.pose["spine_01"]["bend"][0]) < 10.0


def test_an_unreachable_target_gets_the_closest_reach_and_says_how_far_it_fell_short():
    root, turn = standing()
    target = np.array([2.5, 0.2, 1.3])
    result = ik.solve_ik(rig(), [ik.Reach("hand_l", target[None])], root, turn, ARMS_DOWN)
    hand = palm(result, "hand_l")[0]
    assert result.residual[0, 0] == pytest.approx(np.linalg.norm(hand - target), abs=1e-3)
    assert result.residual[0, 0] > 1.0
    assert not result.reached().any()
    # stretched toward it: the hand is as far forward as an arm and a bent trunk allow
    assert hand[0] > 0.6
    assert abs(hand[2] - target[2]) < 0.15


def test_joints_stay_within_human_ranges():
    root, turn = standing()
    result = ik.solve_ik(rig(), [ik.Reach("hand_r", np.array([[-0.6, -0.6, 0.3]]))], root, turn,
                         ARMS_DOWN)
    for bone, dofs in result.pose.items():
        for dof, values in dofs.items():
            low, high = ik.joint_limits(bone, dof)
            assert low - 1e-6 <= values.min() and values.max() <= high + 1e-6, (bone, dof)


def test_a_held_joint_keeps_an_angle_beyond_the_human_range_it_was_given():
    """A clip may bend the back further than the solver's ranges; a reach that moves only
    the arm must still work, and leave the back as the clip had it."""
    root, turn = standing()
    pose = {**ARMS_DOWN, "spine_01": {"bend": 45.0}}
    result = ik.solve_ik(rig(), [ik.Reach("hand_l", np.array([[0.4, 0.3, 0.9]]))], root, turn,
                         pose, move=("clavicle_l", "upperarm_l", "lowerarm_l", "hand_l"))
    assert result.pose["spine_01"]["bend"][0] == pytest.approx(45.0)
    assert np.linalg.norm(palm(result, "hand_l")[0] - [0.4, 0.3, 0.9]) < 0.01


def test_a_foot_is_placed_exactly_and_flat_with_the_knee_bending_forward():
    sk = rig().skeleton
    root = np.array([[-0.05, 0.0, 0.88]])
    turn = Rotation.identity(1)
    ankle = sk.heads[sk.index("foot_l")] + np.array([0.15, -0.05, 0.0])
    flat = Rotation.from_euler("z", [[8.0]], degrees=True)
    result = ik.solve_ik(rig(), [ik.Reach("foot_l", ankle[None], rotation=flat)], root, turn)
    positions, quats = forward_kinematics(rig(), result.local, root, turn)
    k = sk.index("foot_l")
    assert np.linalg.norm(positions[0, k] - ankle) < 0.002
    got = Rotation.from_quat(np.roll(quats[0, k], -1))
    assert (got.inv() * flat[0]).magnitude() < np.radians(1.0)
    assert result.pose["calf_l"]["bend"][0] > 0.0  # the hip came down: the knee bends


def test_a_moving_target_is_followed_smoothly_sample_after_sample():
    n = 60
    t = np.linspace(0.0, 1.0, n)
    target = np.column_stack([0.35 + 0.1 * t, 0.3 - 0.3 * t, 1.1 + 0.2 * t])
    root, turn = standing(n)
    result = ik.solve_ik(rig(), [ik.Reach("hand_l", target)], root, turn, ARMS_DOWN)
    assert result.residual.max() < 0.01
    for bone in ("upperarm_l", "lowerarm_l"):
        for values in result.pose[bone].values():
            assert np.abs(np.diff(values)).max() < 5.0  # degrees between samples: no flips


def test_blend_eases_a_reach_in_from_the_pose_it_was_given():
    n = 3
    root, turn = standing(n)
    target = np.tile([0.4, 0.3, 1.2], (n, 1))
    result = ik.solve_ik(rig(), [ik.Reach("hand_l", target, blend=np.array([0.0, 0.5, 1.0]))],
                         root, turn, ARMS_DOWN)
    rest = ik.solve_ik(rig(), [], root, turn, ARMS_DOWN)
    hands = palm(result, "hand_l", n)
    start = palm(rest, "hand_l", n)[0]
    assert np.linalg.norm(hands[0] - start) < 0.005
    assert np.linalg.norm(hands[1] - 0.5 * (start + target[1])) < 0.01
    assert np.linalg.norm(hands[2] - target[2]) < 0.01


def test_bad_requests_say_what_to_change():
    root, turn = standing()
    with pytest.raises(SceneError, match="bone"):
        ik.solve_ik(rig(), [ik.Reach("tail", np.zeros((1, 3)))], root, turn)
    with pytest.raises(SceneError, match="root_position"):
        ik.solve_ik(rig(), [], np.zeros(3), turn)
