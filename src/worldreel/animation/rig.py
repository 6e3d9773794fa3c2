"""The rig: named degrees of freedom of each bone (joints.yaml), poses made of them, and forward
kinematics from poses to bone transforms in the world.

A bone's rest orientation is the body frame (x forward, y left, z up), so a bone's world rotation
is its parent's times its own local rotation, and its world position is its parent's plus the
parent's rotation applied to the rest offset between their heads. A skin then moves every vertex
by the transforms of its bones relative to their rest heads (linear blend skinning).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from scipy.spatial.transform import Rotation

from worldreel.assets.people.body import Skeleton
from worldreel.errors import SceneError

_AXES = {"x": (1.0, 0.0, 0.0), "y": (0.0, 1.0, 0.0), "z": (0.0, 0.0, 1.0)}


@lru_cache(maxsize=1)
def joint_rules() -> dict[str, dict[str, str]]:
    """Bone -> {dof name: axis rule} for every bone, the right side mirrored from the left."""
    raw = yaml.safe_load((Path(__file__).with_name("joints.yaml")).read_text())
    rules = dict(raw)
    for bone, dofs in raw.items():
        if bone.endswith("_l"):
            rules[bone[:-2] + "_r"] = dofs
    return rules


def _axis(rule: str) -> np.ndarray:
    sign = -1.0 if rule.startswith("-") else 1.0
    return sign * np.array(_AXES[rule.lstrip("-")])


def _mirror_axial(axis: np.ndarray) -> np.ndarray:
    """An axis of rotation reflected through the body's y = 0 plane (a pseudo-vector)."""
    return np.array([-axis[0], axis[1], -axis[2]])


@dataclass(frozen=True)
class Rig:
    """A skeleton with the world-frame axis of every named DOF of every bone."""

    skeleton: Skeleton
    axes: dict[str, dict[str, np.ndarray]]  # bone -> dof -> unit axis

    def dof_axis(self, bone: str, dof: str) -> np.ndarray:
        try:
            return self.axes[bone][dof]
        except KeyError:
            known = ", ".join(self.axes.get(bone, {})) or "none"
            raise SceneError(f"bone {bone!r} has no degree of freedom {dof!r} "
                             f"(it has: {known})") from None


def build_rig(skeleton: Skeleton) -> Rig:
    """Resolve every DOF's axis on this skeleton's rest pose."""
    rules = joint_rules()
    axes: dict[str, dict[str, np.ndarray]] = {}
    for k, bone in enumerate(skeleton.names):
        right = bone.endswith("_r")
        direction = skeleton.tails[k] - skeleton.heads[k]
        if right:  # rules are written for the left twin: work in its mirror image
            direction = direction * np.array([1.0, -1.0, 1.0])
        direction = direction / max(np.linalg.norm(direction), 1e-9)
        bone_axes = {}
        for dof, rule in rules.get(bone, {}).items():
            if rule == "bone":
                axis = direction.copy()
            elif rule.startswith("bone_"):
                axis = np.cross(direction, _axis(rule[5:]))
            else:
                axis = _axis(rule)
            axis = axis / max(np.linalg.norm(axis), 1e-9)
            if right:  # back from the mirror image: an axis of rotation is a pseudo-vector
                axis = _mirror_axial(axis)
            bone_axes[dof] = axis
        axes[bone] = bone_axes
    return Rig(skeleton, axes)


def local_rotations(rig: Rig, pose: dict[str, dict[str, np.ndarray]],
                    samples: int) -> list[Rotation]:
    """Local rotations of every bone (each over `samples`) from a pose of DOF angles in
    degrees: bone -> dof -> (samples,) array or scalar. Unnamed DOFs stay at rest."""
    names = rig.skeleton.names
    result = [Rotation.identity(samples) for _ in names]
    for bone, dofs in pose.items():
        if bone not in rig.axes:
            raise SceneError(f"pose names bone {bone!r}, which the rig does not have")
        k = names.index(bone)
        rotation = Rotation.identity(samples)
        for dof in rig.axes[bone]:  # the order of joints.yaml
            if dof not in dofs:
                continue
            angle = np.broadcast_to(np.radians(np.asarray(dofs[dof], float)), (samples,))
            rotation = rotation * Rotation.from_rotvec(angle[:, None] * rig.dof_axis(bone, dof))
        unknown = set(dofs) - set(rig.axes[bone])
        if unknown:
            rig.dof_axis(bone, sorted(unknown)[0])  # raises, naming the bone's DOFs
        result[k] = rotation
    return result


def forward_kinematics(rig: Rig, local: list[Rotation], root_position: np.ndarray,
                       root_rotation: Rotation) -> tuple[np.ndarray, np.ndarray]:
    """World positions (samples, bones, 3) of every bone's head and world quaternions
    (samples, bones, 4; w, x, y, z), from local rotations, the pelvis head's world position
    (samples, 3) and the body's world rotation."""
    skeleton = rig.skeleton
    count = len(root_position)
    positions = np.zeros((count, len(skeleton.names), 3))
    rotations: list[Rotation] = []
    for k, parent in enumerate(skeleton.parents):
        if parent < 0:
            world = root_rotation * local[k]
            positions[:, k] = root_position
        else:
            offset = skeleton.heads[k] - skeleton.heads[parent]
            positions[:, k] = positions[:, parent] + rotations[parent].apply(offset)
            world = rotations[parent] * local[k]
        rotations.append(world)
    quats = np.stack([np.roll(r.as_quat(), 1, axis=-1) for r in rotations], axis=1)
    return positions, quats
