"""Inverse kinematics of the rig with mink: hands, feet and other end effectors placed on world
targets while the rest of the body keeps the pose it was given.

The rig becomes a MuJoCo model (cached per skeleton): a free root at the pelvis head and one
body per bone (fingers left out: they never carry a target and only slow the solve). A bone's
named DOFs (joints.yaml) are its joints, hinges about the rig's own axes in the rig's order, so
the solution *is* a pose of DOF angles and composes exactly with `rig.local_rotations`. Hinges
rather than ball joints because a knee or an elbow must only bend one way: every hinge carries
a human range of motion (`JOINT_LIMITS`) that the solver never leaves.

Each sample is solved by a few differential-IK steps (mink's QP, daqp), warm-started from the
previous sample's solution, with a posture task pulling every moving DOF toward the input pose
so the body keeps its shape where the targets do not ask otherwise.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
import hashlib

import mink
import mujoco
import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.animation.rig import Rig, forward_kinematics, local_rotations
from worldreel.assets.people.body import Skeleton
from worldreel.errors import SceneError

# Human ranges of motion in degrees, in the rig's DOF signs (right side mirrored from the left,
# so the same numbers hold for both). Normal adult ranges after the AAOS tables (Greene &
# Heckman 1994) and Kapandji, "The Physiology of the Joints"; the spine's totals are split over
# its three bones and the neck's over neck_01 and head. Ranges are relative to the rest pose:
# the arms rest about 40 deg abducted, the elbows about 45 deg bent, the knees about 6 deg bent.
JOINT_LIMITS: dict[str, dict[str, tuple[float, float]]] = {
    "pelvis": {"bend": (-30, 70), "side": (-25, 25), "turn": (-40, 40)},
    "spine_01": {"bend": (-10, 30), "side": (-12, 12), "turn": (-10, 10)},
    "spine_02": {"bend": (-10, 25), "side": (-12, 12), "turn": (-15, 15)},
    "spine_03": {"bend": (-10, 25), "side": (-12, 12), "turn": (-15, 15)},
    "neck_01": {"bend": (-35, 30), "side": (-25, 25), "turn": (-40, 40)},
    "head": {"bend": (-25, 25), "side": (-15, 15), "turn": (-40, 40)},
    "clavicle_l": {"forward": (-15, 30), "raise": (-10, 35)},
    "upperarm_l": {"twist": (-80, 80), "flex": (-50, 170), "abduct": (-50, 140)},
    "lowerarm_l": {"twist": (-80, 80), "bend": (-42, 100)},
    "hand_l": {"twist": (-20, 20), "flex": (-70, 70), "deviate": (-30, 30)},
    "thigh_l": {"flex": (-35, 120), "abduct": (-30, 45), "twist": (-40, 40)},
    "calf_l": {"bend": (-5, 150)},
    "foot_l": {"flex": (-50, 35), "roll": (-25, 25)},  # loaded: a lunge bends the ankle ~35
    "ball_l": {"flex": (-30, 70)},
}

# Which bones move, by default, to bring an end effector to its target: a hand by its arm and
# (stiffly) the spine, so a far reach leans the trunk; a foot by its leg; the head by the neck.
CHAINS: dict[str, tuple[str, ...]] = {
    "hand_l": ("clavicle_l", "upperarm_l", "lowerarm_l", "hand_l",
               "spine_01", "spine_02", "spine_03"),
    "foot_l": ("thigh_l", "calf_l", "foot_l"),
    "ball_l": ("thigh_l", "calf_l", "foot_l", "ball_l"),
    "head": ("neck_01", "head"),
}

# How strongly each bone holds its input pose (per radian) against the targets (1 per metre).
# Small, so a reachable target is met to a fraction of a millimetre and the posture only picks
# among the poses that meet it; their ratios share a reach out: the trunk is 30 times stiffer
# than the limbs, so the arm stretches first and the back bends only for what the arm cannot.
_STIFFNESS = {"spine_01": 3e-3, "spine_02": 3e-3, "spine_03": 3e-3, "clavicle_l": 1e-3,
              "pelvis": 3e-3}
_DEFAULT_STIFFNESS = 1e-4
# Largest change of any joint in one solver step (rad): a far target must not fling a limb
# round past where it should stop (the linearised step would overshoot).
_MAX_STEP = 0.3

_FINGERS = ("thumb", "index", "middle", "ring", "pinky")
_CACHE_SIZE = 8
_MODELS: OrderedDict[bytes, RigModel] = OrderedDict()


def _left(bone: str) -> str:
    return bone[:-2] + "_l" if bone.endswith("_r") else bone


def joint_limits(bone: str, dof: str) -> tuple[float, float]:
    """The human range (degrees) of one DOF; unlisted DOFs (fingers) get +-180."""
    return JOINT_LIMITS.get(_left(bone), {}).get(dof, (-180.0, 180.0))


def chain(bone: str) -> tuple[str, ...]:
    """The bones that move, by default, to bring `bone` to a target."""
    left = CHAINS.get(_left(bone))
    if left is None:
        return (bone,)
    if bone.endswith("_r"):
        return tuple(b[:-2] + "_r" if b.endswith("_l") else b for b in left)
    return left


@dataclass(frozen=True)
class RigModel:
    """The rig as a MuJoCo model: qpos[0:7] is the free root (pelvis head position, body
    rotation wxyz), then one hinge per named DOF, in radians."""

    rig: Rig
    model: mujoco.MjModel
    dofs: tuple[tuple[str, str], ...]  # (bone, dof) of each hinge, in qpos order
    qpos_index: dict[tuple[str, str], int]
    dof_index: dict[tuple[str, str], int]
    bone_dofs: dict[str, tuple[int, ...]] = field(repr=False)  # bone -> velocity indices

    @property
    def bones(self) -> tuple[str, ...]:
        return tuple(self.bone_dofs)


def _skeleton_key(skeleton: Skeleton) -> bytes:
    digest = hashlib.sha1()
    digest.update("|".join(skeleton.names).encode())
    digest.update(np.asarray(skeleton.parents, np.int64).tobytes())
    digest.update(np.ascontiguousarray(skeleton.heads, np.float64).tobytes())
    digest.update(np.ascontiguousarray(skeleton.tails, np.float64).tobytes())
    return digest.digest()


def rig_model(rig: Rig) -> RigModel:
    """The MuJoCo model of `rig`, built once per skeleton (a few are kept)."""
    key = _skeleton_key(rig.skeleton)
    cached = _MODELS.get(key)
    if cached is not None:
        _MODELS.move_to_end(key)
        return cached
    built = _build_model(rig)
    _MODELS[key] = built
    while len(_MODELS) > _CACHE_SIZE:
        _MODELS.popitem(last=False)
    return built


def _build_model(rig: Rig) -> RigModel:
    skeleton = rig.skeleton
    spec = mujoco.MjSpec()
    spec.compiler.degree = False
    root = spec.worldbody.add_body(name="root", pos=skeleton.heads[0])
    root.add_freejoint(name="root")
    _give_mass(root)
    bodies = {}
    dofs: list[tuple[str, str]] = []
    for k, bone in enumerate(skeleton.names):
        if bone.startswith(_FINGERS):
            continue
        parent = skeleton.parents[k]
        if parent < 0:
            holder, offset = root, np.zeros(3)
        else:
            holder, offset = bodies[parent], skeleton.heads[k] - skeleton.heads[parent]
        body = holder.add_body(name=bone, pos=offset)
        _give_mass(body)
        bodies[k] = body
        for dof, axis in rig.axes[bone].items():
            low, high = joint_limits(bone, dof)
            body.add_joint(name=f"{bone}.{dof}", type=mujoco.mjtJoint.mjJNT_HINGE, axis=axis,
                           range=np.radians([low, high]), limited=True)
            dofs.append((bone, dof))
    model = spec.compile()
    qpos_index, dof_index, bone_dofs = {}, {}, {}
    for bone, dof in dofs:
        joint = model.joint(f"{bone}.{dof}")
        qpos_index[(bone, dof)] = int(model.jnt_qposadr[joint.id])
        dof_index[(bone, dof)] = int(model.jnt_dofadr[joint.id])
    for bone in (skeleton.names[k] for k in bodies):
        bone_dofs[bone] = tuple(dof_index[(bone, d)] for d in rig.axes[bone])
    return RigModel(rig, model, tuple(dofs), qpos_index, dof_index, bone_dofs)


def _give_mass(body) -> None:
    # MuJoCo wants every moving body to have inertia; the IK never uses it.
    body.explicitinertial = True
    body.mass = 1.0
    body.inertia = [1e-3, 1e-3, 1e-3]


@dataclass(frozen=True)
class Reach:
    """A target for one end effector over the samples: the world position (samples, 3) or (3,)
    that a point of `bone` must reach, and optionally the bone's world rotation. `point` is in
    the rest body frame (default: the bone's head, or for a hand the middle of the palm).
    `blend` (scalar or (samples,), 0..1) eases the target in: 0 leaves the input pose's
    effector where it is, 1 is the target. `turn_weight` (scalar or (samples,)) scales how
    much the rotation matters (0: only the point counts, the pose decides the rest)."""

    bone: str
    position: np.ndarray
    rotation: Rotation | None = None
    point: np.ndarray | None = None
    blend: float | np.ndarray = 1.0
    turn_weight: float | np.ndarray = 1.0


@dataclass(frozen=True)
class IKResult:
    """The solved pose as DOF angles (degrees, bone -> dof -> (samples,)) and as local
    rotations (as rig.local_rotations gives), the root (unchanged unless it was allowed to
    move), and for every Reach the distance (samples,) left between its point and target."""

    pose: dict[str, dict[str, np.ndarray]]
    local: list[Rotation]
    root_position: np.ndarray
    root_rotation: Rotation
    residual: np.ndarray  # (samples, reaches) metres

    def reached(self, tolerance: float = 0.01) -> np.ndarray:
        """(samples, reaches): whether each target was reached within `tolerance` metres."""
        return self.residual <= tolerance


def effector_point(skeleton: Skeleton, bone: str) -> np.ndarray:
    """The rest-frame point of `bone` that reaches a target by default: a hand's palm centre
    (between wrist and the middle finger's knuckle), otherwise the bone's head."""
    k = skeleton.index(bone)
    if bone.startswith("hand_"):
        knuckle = skeleton.heads[skeleton.index("middle_01" + bone[-2:])]
        return 0.5 * (skeleton.heads[k] + knuckle)
    return skeleton.heads[k].copy()


class _PointTask(mink.Task):
    """A point fixed on a body driven to a world position (3 rows; mink's FrameTask would also
    pin the orientation, which a hand reaching a ball should be free to choose)."""

    def __init__(self, model: mujoco.MjModel, body: int, offset: np.ndarray, cost: float):
        super().__init__(cost=np.full(3, cost), gain=1.0, lm_damping=1e-3)
        self.body = body
        self.offset = offset
        self.target = np.zeros(3)
        self._jacp = np.zeros((3, model.nv))

    def world_point(self, configuration: mink.Configuration) -> np.ndarray:
        data = configuration.data
        return data.xpos[self.body] + data.xmat[self.body].reshape(3, 3) @ self.offset

    def compute_error(self, configuration: mink.Configuration) -> np.ndarray:
        return self.world_point(configuration) - self.target

    def compute_jacobian(self, configuration: mink.Configuration) -> np.ndarray:
        mujoco.mj_jac(configuration.model, configuration.data, self._jacp, None,
                      self.world_point(configuration), self.body)
        return self._jacp


def pose_to_qpos(rm: RigModel, pose: dict[str, dict[str, np.ndarray]],
                 root_position: np.ndarray, root_rotation: Rotation,
                 samples: int) -> np.ndarray:
    """(samples, nq) configurations of the model from a pose of DOF angles (degrees)."""
    q = np.zeros((samples, rm.model.nq))
    q[:, 0:3] = np.broadcast_to(root_position, (samples, 3))
    quat = root_rotation.as_quat()
    q[:, 3:7] = np.broadcast_to(np.roll(quat, 1, axis=-1), (samples, 4))
    for bone, dofs in pose.items():
        for dof, value in dofs.items():
            index = rm.qpos_index.get((bone, dof))
            if index is not None:
                q[:, index] = np.radians(np.broadcast_to(np.asarray(value, float), (samples,)))
    return q


def qpos_to_pose(rm: RigModel, q: np.ndarray,
                 base: dict[str, dict[str, np.ndarray]] | None = None
                 ) -> dict[str, dict[str, np.ndarray]]:
    """A pose of DOF angles (degrees, (samples,) each) from model configurations; bones the
    model leaves out (fingers) keep their angles in `base`."""
    pose: dict[str, dict[str, np.ndarray]] = {}
    for (bone, dof), index in rm.qpos_index.items():
        pose.setdefault(bone, {})[dof] = np.degrees(q[:, index])
    for bone, dofs in (base or {}).items():
        if bone not in rm.bone_dofs:
            pose[bone] = dict(dofs)
    return pose


def _samples(root_position: np.ndarray) -> int:
    root_position = np.asarray(root_position, float)
    if root_position.ndim != 2 or root_position.shape[1] != 3:
        raise SceneError(f"root_position must be (samples, 3), got {root_position.shape}")
    return len(root_position)


def _per_sample(value, samples: int, width: int = 0) -> np.ndarray:
    """A scalar or per-sample value as (samples,) or, given a width, (samples, width)."""
    shape = (samples, width) if width else (samples,)
    return np.broadcast_to(np.asarray(value, float), shape)


def solve_ik(rig: Rig, reaches: list[Reach], root_position: np.ndarray,
             root_rotation: Rotation, pose: dict[str, dict[str, np.ndarray]] | None = None,
             *, move: tuple[str, ...] | None = None, move_root: bool = False,
             tolerance: float = 2e-4, max_steps: int = 30) -> IKResult:
    """Solve each sample so every Reach is met, starting from `pose` (DOF angles in degrees,
    scalars or (samples,) arrays; default the rest pose) and moving only the bones in `move`
    (default: the chains of the reached bones) and, if `move_root`, the root. Targets out of
    reach give the closest pose the joint ranges allow; `IKResult.residual` says how far."""
    samples = _samples(root_position)
    pose = pose or {}
    rm = rig_model(rig)
    model = rm.model
    for reach in reaches:
        if reach.bone not in rm.bone_dofs:
            raise SceneError(f"IK target on bone {reach.bone!r}: give one of "
                             f"{', '.join(rm.bones)}")
    if move is None:
        move = tuple(dict.fromkeys(b for r in reaches for b in chain(r.bone)))
    unknown = [b for b in move if b not in rm.bone_dofs]
    if unknown:
        raise SceneError(f"IK cannot move bone {unknown[0]!r}: give bones of "
                         f"{', '.join(rm.bones)}")
    base_q = pose_to_qpos(rm, pose, root_position, root_rotation, samples)
    moving = np.zeros(model.nv, bool)
    for bone in move:
        moving[list(rm.bone_dofs[bone])] = True
    if move_root:
        moving[:6] = True
    frozen = np.flatnonzero(~moving).tolist()

    configuration = mink.Configuration(model)
    stiffness = np.zeros(model.nv)
    for bone, indices in rm.bone_dofs.items():
        stiffness[list(indices)] = _STIFFNESS.get(_left(bone), _DEFAULT_STIFFNESS)
    posture = mink.PostureTask(model, cost=stiffness)
    tracks = _target_tracks(rm, reaches, base_q, samples)
    effectors = [_Effector(model, reach, track, samples) for reach, track in zip(reaches, tracks)]
    tasks: list[mink.Task] = [posture] + [e.task for e in effectors]
    constraints = [mink.DofFreezingTask(model, frozen)] if frozen else []
    held = ~_qpos_mask(rm, moving)
    # Only what moves keeps to the human ranges: a held joint keeps the angle it was given,
    # even one beyond them (a clip's), which would otherwise leave the solver no solution.
    limit = mink.ConfigurationLimit(model)
    limit.lower[held] = -mujoco.mjMAXVAL
    limit.upper[held] = mujoco.mjMAXVAL
    limits = [limit]
    low, high = limit.lower, limit.upper

    solved = base_q.copy()
    residual = np.zeros((samples, len(reaches)))
    q = base_q[0].copy()
    for i in range(samples):
        q[held] = base_q[i][held]
        configuration.update(np.clip(q, low, high))
        posture.set_target(base_q[i])
        for effector in effectors:
            effector.aim(i)
        q, residual[i] = _solve_sample(configuration, tasks, constraints, limits, effectors,
                                       tolerance, max_steps)
        solved[i] = q
    out_pose = qpos_to_pose(rm, solved, pose)
    out_root_rotation = Rotation.from_quat(np.roll(solved[:, 3:7], -1, axis=1))
    return IKResult(out_pose, local_rotations(rig, out_pose, samples),
                    solved[:, 0:3].copy(), out_root_rotation, residual)


class _Effector:
    """One Reach as a mink task, re-aimed each sample; measures how far its point is off."""

    def __init__(self, model: mujoco.MjModel, reach: Reach, track: dict, samples: int):
        self.body = model.body(reach.bone).id
        self.offset = track["offset"]
        self.point_target = track["point_target"]
        self.track = track
        if reach.rotation is None:
            self.task: mink.Task = _PointTask(model, self.body, self.offset, cost=1.0)
            self.turn_weight = None
        else:
            self.task = mink.FrameTask(reach.bone, "body", position_cost=1.0,
                                       orientation_cost=_TURN_COST, lm_damping=1e-3)
            self.turn_weight = _per_sample(reach.turn_weight, samples)
        self.current = np.zeros(3)

    def aim(self, i: int) -> None:
        self.current = self.point_target[i]
        if self.turn_weight is None:
            self.task.target = self.current
            return
        self.task.set_orientation_cost(_TURN_COST * self.turn_weight[i])
        self.task.set_target(mink.SE3.from_rotation_and_translation(
            mink.SO3(self.track["wxyz"][i]), self.track["position"][i]))

    def miss(self, configuration: mink.Configuration) -> float:
        """Distance (m) of the point from its target."""
        data = configuration.data
        point = data.xpos[self.body] + data.xmat[self.body].reshape(3, 3) @ self.offset
        return float(np.linalg.norm(point - self.current))


# How much a target's rotation weighs against its position: radians against metres, so a
# 0.1 rad error costs like a 3 cm miss; enough to place a flat foot, not so much that an
# unreachable turn pulls the point off its target.
_TURN_COST = 0.3


def _qpos_mask(rm: RigModel, moving: np.ndarray) -> np.ndarray:
    """The qpos entries of the moving velocity DOFs (the free root has 7 qpos for 6 DOFs)."""
    mask = np.zeros(rm.model.nq, bool)
    mask[0:7] = moving[0]
    for key, velocity_index in rm.dof_index.items():
        mask[rm.qpos_index[key]] = moving[velocity_index]
    return mask


def _target_tracks(rm: RigModel, reaches: list[Reach], base_q: np.ndarray,
                   samples: int) -> list[dict[str, np.ndarray]]:
    """Per reach, the (samples, 3) world target of the body origin (or of the point, for a
    position-only reach) and the rotation (wxyz), eased from the input pose by `blend`."""
    skeleton = rm.rig.skeleton
    tracks = []
    start = _effector_start(rm, reaches, base_q)
    for j, reach in enumerate(reaches):
        k = skeleton.index(reach.bone)
        point = effector_point(skeleton, reach.bone) if reach.point is None else \
            np.asarray(reach.point, float)
        offset = point - skeleton.heads[k]
        blend = _per_sample(reach.blend, samples)[:, None]
        goal = _per_sample(reach.position, samples, 3)
        reached_point = (1.0 - blend) * start[j]["point"] + blend * goal
        track = {"offset": offset, "point_target": reached_point}
        if reach.rotation is None:
            track["position"] = reached_point
        else:
            quat = reach.rotation.as_quat().reshape(-1, 4)
            goal_rotation = Rotation.from_quat(np.broadcast_to(quat, (samples, 4)))
            rotation = _slerp_blend(start[j]["rotation"], goal_rotation, blend[:, 0])
            track["position"] = reached_point - rotation.apply(offset)
            track["wxyz"] = np.roll(rotation.as_quat(), 1, axis=1)
        tracks.append(track)
    return tracks


def _slerp_blend(a: Rotation, b: Rotation, t: np.ndarray) -> Rotation:
    delta = (a.inv() * b).as_rotvec()
    return a * Rotation.from_rotvec(delta * t[:, None])


def _effector_start(rm: RigModel, reaches: list[Reach], base_q: np.ndarray) -> list[dict]:
    """Where each effector point is, and how its bone is turned, in the input pose: only
    computed when some blend is below 1 (it costs a forward kinematics per sample)."""
    need = any(np.any(np.asarray(r.blend) < 1.0) for r in reaches)
    samples = len(base_q)
    out = []
    if not need:
        for _ in reaches:
            out.append({"point": np.zeros((samples, 3)),
                        "rotation": Rotation.identity(samples)})
        return out
    pose = qpos_to_pose(rm, base_q)
    local = local_rotations(rm.rig, pose, samples)
    root_rotation = Rotation.from_quat(np.roll(base_q[:, 3:7], -1, axis=1))
    positions, quats = forward_kinematics(rm.rig, local, base_q[:, 0:3], root_rotation)
    skeleton = rm.rig.skeleton
    for reach in reaches:
        k = skeleton.index(reach.bone)
        rotation = Rotation.from_quat(np.roll(quats[:, k], -1, axis=1))
        point = effector_point(skeleton, reach.bone) if reach.point is None else \
            np.asarray(reach.point, float)
        out.append({"point": positions[:, k] + rotation.apply(point - skeleton.heads[k]),
                    "rotation": rotation})
    return out


def _solve_sample(configuration: mink.Configuration, tasks: list, constraints: list,
                  limits: list, effectors: list[_Effector], tolerance: float,
                  max_steps: int) -> tuple[np.ndarray, np.ndarray]:
    """Differential-IK steps until every target is within `tolerance` or stops improving."""
    previous = np.inf
    for _ in range(max_steps):
        velocity = mink.solve_ik(configuration, tasks, 1.0, "daqp", damping=1e-6,
                                 limits=limits, constraints=constraints)
        step = float(np.abs(velocity).max(initial=0.0))
        if step > _MAX_STEP:
            velocity = velocity * (_MAX_STEP / step)
        configuration.integrate_inplace(velocity, 1.0)
        worst = max((e.miss(configuration) for e in effectors), default=0.0)
        # Stop when the points are on target and the rest has settled, or when an out-of-
        # reach target stops improving.
        if worst <= tolerance and step < 1e-3:
            break
        if worst > tolerance and previous - worst < 1e-6 and step < 1e-3:
            break
        previous = worst
    errors = np.array([e.miss(configuration) for e in effectors])
    return configuration.q.copy(), errors
