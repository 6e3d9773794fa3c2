"""Look-at: the head and eyes turn to a world point (still or moving) within human limits.

The direction to the point is taken from the chest (the neck's parent bone, as the body's own
animation moves it), split over neck_01 and head, eased by a critically damped follow (heads
take a few tenths of a second to turn; eyes jump at once) and clamped to the ranges a head can
turn (yaw about +-70 deg, pitch -40 (down) .. +30 (up)). The eyes take up what the head leaves,
within their own range, and their direction relative to the head is returned for the face's
eye-look units.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.animation.rig import Rig, local_rotations
from worldreel.errors import SceneError

HEAD_YAW = 70.0  # deg either way (neck and head together; Ferrario et al. 2002: ~75)
HEAD_PITCH = (-40.0, 30.0)  # deg, down .. up
EYE_YAW = 35.0  # deg either way: the comfortable part of the eyes' ~45 deg range
EYE_PITCH = (-35.0, 25.0)  # deg, down .. up
NECK_SHARE = 0.45  # of the head's turn and nod taken by the neck (the rest by the head)

# The eyes' midpoint relative to the head bone's head, in head-bone lengths (measured on the
# MakeHuman eye joint cubes for an adult man and a 6-year-old girl: 0.51-0.52 forward,
# 0.26-0.27 up).
_EYES = np.array([0.51, 0.0, 0.265])


@dataclass(frozen=True)
class Gaze:
    """Per sample: the neck_01 and head DOF angles (degrees) that turn the head to the point,
    the eyes' direction relative to the head (yaw left +, pitch up +, degrees), and whether
    the eyes reach the point."""

    pose: dict[str, dict[str, np.ndarray]]
    eye_yaw: np.ndarray
    eye_pitch: np.ndarray
    on_target: np.ndarray

    @property
    def head_yaw(self) -> np.ndarray:
        """The head's turn relative to the chest (deg, left +), neck and head together."""
        return self.pose["neck_01"]["turn"] + self.pose["head"]["turn"]

    @property
    def head_pitch(self) -> np.ndarray:
        """The head's nod relative to the chest (deg, up +)."""
        return -(self.pose["neck_01"]["bend"] + self.pose["head"]["bend"])


def eye_point(rig: Rig) -> np.ndarray:
    """The middle between the eyes in the rest body frame."""
    sk = rig.skeleton
    k = sk.index("head")
    length = np.linalg.norm(sk.tails[k] - sk.heads[k])
    return sk.heads[k] + length * _EYES


def look_at(rig: Rig, times: np.ndarray, positions: np.ndarray, quats: np.ndarray,
            target, *, response: float = 0.2, blend=1.0) -> Gaze:
    """Turn the head and eyes toward `target` (world point (3,) or per sample (N, 3)).
    `positions`, `quats` are the body's bone heads and rotations from forward_kinematics
    (only the chest is used: the neck and head are what this sets). The head covers about
    three quarters of a sudden turn in `response` seconds; `blend` (0..1, scalar or (N,))
    eases the look in and out."""
    times = np.asarray(times, float)
    n = len(times)
    if positions.shape[0] != n or quats.shape[0] != n:
        raise SceneError("look_at: give one body pose per sample time")
    if response <= 0:
        raise SceneError(f"look response {response:g} s: give a positive time")
    target = np.broadcast_to(np.asarray(target, float), (n, 3))
    blend = np.broadcast_to(np.asarray(blend, float), (n,))
    sk = rig.skeleton
    neck = sk.index("neck_01")
    chest = sk.parents[neck]
    chest_rotation = Rotation.from_quat(np.roll(quats[:, chest], -1, axis=1))
    # where the eyes would be with the neck straight: the origin of the look
    neck_position = positions[:, chest] + chest_rotation.apply(sk.heads[neck] - sk.heads[chest])
    eyes_rest = eye_point(rig)
    eyes = neck_position + chest_rotation.apply(eyes_rest - sk.heads[neck])
    direction = chest_rotation.inv().apply(target - eyes)
    yaw = np.degrees(np.unwrap(np.arctan2(direction[:, 1], direction[:, 0])))
    pitch = np.degrees(np.arctan2(direction[:, 2], np.hypot(direction[:, 0], direction[:, 1])))
    # the head goes as far as it can and follows smoothly; beyond that the eyes must do
    head_yaw = _follow(times, np.clip(yaw, -HEAD_YAW, HEAD_YAW), response) * blend
    head_pitch = _follow(times, np.clip(pitch, *HEAD_PITCH), response) * blend
    head_yaw = np.clip(head_yaw, -HEAD_YAW, HEAD_YAW)
    head_pitch = np.clip(head_pitch, *HEAD_PITCH)
    pose = {"neck_01": {"bend": -NECK_SHARE * head_pitch, "turn": NECK_SHARE * head_yaw},
            "head": {"bend": -(1 - NECK_SHARE) * head_pitch,
                     "turn": (1 - NECK_SHARE) * head_yaw}}
    eye_yaw, eye_pitch = _eyes(rig, pose, chest_rotation, neck_position, target, n)
    on = (np.abs(eye_yaw) <= EYE_YAW) & (eye_pitch >= EYE_PITCH[0]) & \
        (eye_pitch <= EYE_PITCH[1])
    eye_yaw = np.clip(eye_yaw, -EYE_YAW, EYE_YAW) * blend
    eye_pitch = np.clip(eye_pitch, *EYE_PITCH) * blend
    return Gaze(pose, eye_yaw, eye_pitch, on & (blend > 0))


def _eyes(rig: Rig, pose: dict, chest_rotation: Rotation, neck_position: np.ndarray,
          target: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """The direction of the target from the eyes, in the head's frame (the head as posed)."""
    sk = rig.skeleton
    neck, head = sk.index("neck_01"), sk.index("head")
    local = local_rotations(rig, pose, n)
    neck_rotation = chest_rotation * local[neck]
    head_rotation = neck_rotation * local[head]
    head_position = neck_position + neck_rotation.apply(sk.heads[head] - sk.heads[neck])
    eyes = head_position + head_rotation.apply(eye_point(rig) - sk.heads[head])
    seen = head_rotation.inv().apply(target - eyes)
    yaw = np.degrees(np.arctan2(seen[:, 1], seen[:, 0]))
    pitch = np.degrees(np.arctan2(seen[:, 2], np.hypot(seen[:, 0], seen[:, 1])))
    return yaw, pitch


def _follow(times: np.ndarray, goal: np.ndarray, response: float) -> np.ndarray:
    """A critically damped follower of `goal`, starting on it, stepped exactly between
    samples (the goal held over each step) so any sample spacing gives the same motion.
    A sudden change is covered three quarters of the way in `response` seconds."""
    # (1 + t/tau) exp(-t/tau) = 1/4 at t = 2.69 tau
    tau = response / 2.69
    value, rate = float(goal[0]), 0.0
    out = np.empty(len(goal))
    out[0] = value
    for i in range(1, len(goal)):
        dt = times[i] - times[i - 1]
        # exact solution of x'' = (g - x)/tau^2 - 2x'/tau over dt with g constant
        e = np.exp(-dt / tau)
        offset = value - goal[i - 1]
        c = rate + offset / tau
        value = goal[i - 1] + (offset + c * dt) * e
        rate = (c - (offset + c * dt) / tau) * e
        out[i] = value
    return out


def head_turn(eyes: np.ndarray, yaw: np.ndarray, point, times: np.ndarray | None = None,
              response: float = 0.2) -> dict[str, dict[str, np.ndarray]]:
    """Neck and head DOF angles (degrees, to add to the body's own) that turn a head whose eyes
    are at `eyes` (n, 3) on a body facing `yaw` (deg, (n,)) toward the world `point` ((3,) or
    (n, 3)), within the head's range. Without a body pose to hand it takes the chest as
    upright and facing `yaw`; given `times` it follows the point as look_at does."""
    eyes = np.asarray(eyes, float).reshape(-1, 3)
    n = len(eyes)
    yaw = np.broadcast_to(np.asarray(yaw, float), (n,))
    point = np.broadcast_to(np.asarray(point, float), (n, 3))
    d = point - eyes
    turn = np.degrees(np.unwrap(np.arctan2(d[:, 1], d[:, 0]) - np.radians(yaw)))
    turn = (turn + 180.0) % 360.0 - 180.0
    pitch = np.degrees(np.arctan2(d[:, 2], np.hypot(d[:, 0], d[:, 1])))
    turn = np.clip(turn, -HEAD_YAW, HEAD_YAW)
    pitch = np.clip(pitch, *HEAD_PITCH)
    if times is not None:
        turn = _follow(np.asarray(times, float), turn, response)
        pitch = _follow(np.asarray(times, float), pitch, response)
    return {"neck_01": {"bend": -NECK_SHARE * pitch, "turn": NECK_SHARE * turn},
            "head": {"bend": -(1 - NECK_SHARE) * pitch, "turn": (1 - NECK_SHARE) * turn}}
