"""World-frame solids of entities, for laying props out without interpenetration.

Boxes are oriented boxes (exact), spheres are spheres; cylinders and capsules are bounded by
the oriented box around them, which only ever errs on the side of keeping things apart. Parts
that do not collide (decals) are ignored, as the physics ignores them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from worldreel.assets import ASSETS, Part
from worldreel.scene import Entity

CONTACT_TOLERANCE_M = 1e-4  # resting contact is not an overlap


def rotation_matrix(euler_deg: tuple[float, float, float]) -> np.ndarray:
    """Rotation of extrinsic x-y-z Euler angles in degrees (the Scene convention)."""
    ax, ay, az = (math.radians(a) for a in euler_deg)
    rx = np.array([[1, 0, 0], [0, math.cos(ax), -math.sin(ax)], [0, math.sin(ax), math.cos(ax)]])
    ry = np.array([[math.cos(ay), 0, math.sin(ay)], [0, 1, 0], [-math.sin(ay), 0, math.cos(ay)]])
    rz = np.array([[math.cos(az), -math.sin(az), 0], [math.sin(az), math.cos(az), 0], [0, 0, 1]])
    return rz @ ry @ rx


@dataclass(frozen=True)
class Solid:
    """A sphere (radius > 0, no axes) or an oriented box (half extents along `axes` columns)."""

    center: np.ndarray
    radius: float = 0.0
    axes: np.ndarray | None = None
    half: np.ndarray | None = None

    def bounds(self) -> tuple[np.ndarray, np.ndarray]:
        if self.axes is None:
            return self.center - self.radius, self.center + self.radius
        reach = np.abs(self.axes) @ self.half
        return self.center - reach, self.center + reach


def _part_half(part: Part, scale: float) -> np.ndarray:
    s = [v * scale for v in part.size]
    if part.shape in ("box", "ellipsoid") and len(s) >= 3:
        return np.array(s[:3])
    if part.shape == "cylinder":
        return np.array([s[0], s[0], s[1]])
    if part.shape == "capsule":
        return np.array([s[0], s[0], s[1] + s[0]])
    # a shape this module does not know: bound it by a cube of its largest size
    reach = max(s) * 2 if s else 0.0
    return np.array([reach, reach, reach])


def _parts_with_offsets(spec) -> list[tuple[object, np.ndarray]]:
    """Every part of an asset with the offset of the body it belongs to, in the asset frame at
    rest: the entity body's parts, then those of its links (wheels, rope segments, cloth and
    soft-ball nodes), each link at its parent's offset plus its own position."""
    out = [(part, np.zeros(3)) for part in spec.parts]
    offsets: dict[str, np.ndarray] = {}
    for link in getattr(spec, "links", ()):
        base = offsets.get(link.parent, np.zeros(3)) if link.parent else np.zeros(3)
        offsets[link.name] = base + np.asarray(link.pos, dtype=float)
        out += [(part, offsets[link.name]) for part in link.parts]
    return out


def part_solids(asset_name: str, position, rotation=(0.0, 0.0, 0.0), scale: float = 1.0
                ) -> list[Solid]:
    """Collidable solids of an asset placed at `position` with Euler `rotation` (degrees)."""
    spec = ASSETS[asset_name]
    body = rotation_matrix(tuple(rotation))  # type: ignore[arg-type]
    origin = np.asarray(position, dtype=float)
    out = []
    for part, offset in _parts_with_offsets(spec):
        if not part.collides or part.shape == "plane":
            continue
        center = origin + body @ ((np.asarray(part.pos) + offset) * scale)
        if part.shape == "sphere":
            out.append(Solid(center, radius=part.size[0] * scale))
        else:
            axes = body @ rotation_matrix(part.euler)
            out.append(Solid(center, axes=axes, half=_part_half(part, scale)))
    return out


def entity_solids(entity: Entity) -> list[Solid]:
    return part_solids(entity.asset, entity.position, entity.rotation, entity.scale)


def bounds(solids: list[Solid]) -> tuple[np.ndarray, np.ndarray]:
    """Axis-aligned world bounds of a set of solids (a point at the origin for none)."""
    if not solids:
        return np.zeros(3), np.zeros(3)
    los, his = zip(*(s.bounds() for s in solids))
    return np.min(los, axis=0), np.max(his, axis=0)


def _sphere_box_gap(sphere: Solid, box: Solid) -> float:
    local = box.axes.T @ (sphere.center - box.center)  # type: ignore[union-attr]
    closest = np.clip(local, -box.half, box.half)
    outside = np.linalg.norm(local - closest)
    if outside > 0:
        return float(outside - sphere.radius)
    return float(-(np.min(box.half - np.abs(local)) + sphere.radius))  # centre inside the box


def _box_box_gap(a: Solid, b: Solid) -> float:
    """Largest separation along the 15 separating axes (negative: they overlap)."""
    axes = [a.axes[:, i] for i in range(3)] + [b.axes[:, i] for i in range(3)]  # type: ignore
    for i in range(3):
        for j in range(3):
            cross = np.cross(a.axes[:, i], b.axes[:, j])  # type: ignore[index]
            norm = np.linalg.norm(cross)
            if norm > 1e-9:
                axes.append(cross / norm)
    d = b.center - a.center
    best = -math.inf
    for axis in axes:
        ra = float(np.sum(np.abs(a.axes.T @ axis) * a.half))  # type: ignore[union-attr]
        rb = float(np.sum(np.abs(b.axes.T @ axis) * b.half))  # type: ignore[union-attr]
        best = max(best, abs(float(d @ axis)) - ra - rb)
    return best


def gap(a: Solid, b: Solid) -> float:
    """Separation between two solids in metres (negative when they interpenetrate)."""
    if a.axes is None and b.axes is None:
        return float(np.linalg.norm(a.center - b.center) - a.radius - b.radius)
    if a.axes is None:
        return _sphere_box_gap(a, b)
    if b.axes is None:
        return _sphere_box_gap(b, a)
    return _box_box_gap(a, b)


def overlapping(first: list[Solid], second: list[Solid],
                tolerance: float = CONTACT_TOLERANCE_M) -> bool:
    """Whether any solid of one set interpenetrates any of the other by more than tolerance."""
    if not first or not second:
        return False
    lo1, hi1 = bounds(first)
    lo2, hi2 = bounds(second)
    if np.any(lo1 > hi2 + tolerance) or np.any(lo2 > hi1 + tolerance):
        return False
    return any(gap(a, b) < -tolerance for a in first for b in second)


def overlaps(entities: list[Entity]) -> list[tuple[str, str]]:
    """Pairs of entity ids that interpenetrate at their initial poses."""
    solids = [entity_solids(e) for e in entities]
    out = []
    for i in range(len(entities)):
        for j in range(i + 1, len(entities)):
            if solids[i] and solids[j] and overlapping(solids[i], solids[j]):
                out.append((entities[i].id, entities[j].id))
    return out
