"""Pre-fractured pieces of breakable assets: a Voronoi fracture of the asset's solid.

A breakable asset (`pieces` > 0, made of a material with a breaking speed) is cut into Voronoi
cells of its colliding parts. Each part is a convex solid (a box; a cylinder taken as a 16-sided
prism; an ellipsoid, sphere or capsule as a polytope of tangent planes around it), placed and
turned as in the asset. A cell is cut out of every part it reaches, so a piece is one or more
convex hulls: a bottle's cell that holds the top of its body and the start of its shoulder is one
shard of two hulls, and one that reaches only the neck is the neck snapped off. The cells are
computed once per (asset, pieces, seed) with scipy's half-space intersection: each is a part's
half-spaces plus the bisecting planes towards every other seed. The same Scene always gives the
same pieces, so physics and the renderer build identical geometry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from worldreel.rng import generator

PRISM_SIDES = 16
ROUND_PLANES = 96  # tangent planes around an ellipsoid (its polytope is ~2 % larger)
MIN_HULL_RADIUS_M = 2e-4  # a cell that only grazes a part leaves no sliver of it

# (shape, size, pos, euler degrees xyz): one convex part of an asset, as in registry.Part
Solid = tuple[str, tuple[float, ...], tuple[float, float, float], tuple[float, float, float]]


@dataclass(frozen=True)
class Piece:
    """One fragment: its centre (asset frame) and its convex hulls, vertices relative to that
    centre, with the index of the solid each hull was cut from (its colour)."""

    center: tuple[float, float, float]
    hulls: tuple[np.ndarray, ...]  # (V, 3) each
    solids: tuple[int, ...] = ()

    @property
    def vertices(self) -> np.ndarray:
        """All vertices of the piece, (V, 3), relative to its centre."""
        return np.vstack(self.hulls)


def _fibonacci(count: int) -> np.ndarray:
    """`count` unit vectors spread evenly over the sphere."""
    k = np.arange(count) + 0.5
    z = 1.0 - 2.0 * k / count
    phi = math.pi * (1.0 + 5**0.5) * k
    r = np.sqrt(1.0 - z * z)
    return np.column_stack([r * np.cos(phi), r * np.sin(phi), z])


def _local_halfspaces(shape: str, size: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(normals (K, 3), offsets (K,)) with n . x <= d describing the part in its own frame."""
    if shape == "box":
        normals = np.vstack([np.eye(3), -np.eye(3)])
        offsets = np.array([*size[:3], *size[:3]], dtype=float)
        return normals, offsets
    if shape == "cylinder":
        r, h = size[0], size[1]
        angles = 2 * math.pi * np.arange(PRISM_SIDES) / PRISM_SIDES
        normals = np.column_stack([np.cos(angles), np.sin(angles), np.zeros(PRISM_SIDES)])
        normals = np.vstack([normals, [0, 0, 1], [0, 0, -1]])
        offsets = np.concatenate([np.full(PRISM_SIDES, r), [h, h]])
        return normals, offsets
    if shape in ("ellipsoid", "sphere"):
        axes = np.array(size[:3] if shape == "ellipsoid" else (size[0],) * 3, dtype=float)
        u = _fibonacci(ROUND_PLANES)
        normals = u / axes  # the normal at the surface point axes * u
        normals /= np.linalg.norm(normals, axis=1, keepdims=True)
        offsets = np.einsum("ij,ij->i", normals, u * axes)
        return normals, offsets
    if shape == "capsule":  # the hull of two spheres: tangent planes of the sphere, shifted
        r, h = size[0], size[1]
        normals = _fibonacci(ROUND_PLANES)
        offsets = r + h * np.abs(normals[:, 2])
        return normals, offsets
    raise ValueError(f"cannot fracture a {shape}")


def _halfspaces(solid: Solid) -> tuple[np.ndarray, np.ndarray]:
    """The part's half-spaces in the asset frame."""
    from scipy.spatial.transform import Rotation  # noqa: PLC0415

    shape, size, pos, euler = solid
    normals, offsets = _local_halfspaces(shape, size)
    normals = normals @ Rotation.from_euler("xyz", euler, degrees=True).as_matrix().T
    return normals, offsets + normals @ np.asarray(pos, dtype=float)


def _bounds(spaces: list[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """The axis-aligned box around polytopes given by their half-spaces."""
    lo, hi = np.full(3, np.inf), np.full(3, -np.inf)
    for normals, offsets in spaces:
        for k in range(3):  # the support of the polytope along +-axis k, by linear programming
            for sign in (1.0, -1.0):
                value = _support(normals, offsets, sign * np.eye(3)[k])
                if sign > 0:
                    hi[k] = max(hi[k], value)
                else:
                    lo[k] = min(lo[k], -value)
    return lo, hi


def _support(normals: np.ndarray, offsets: np.ndarray, direction: np.ndarray) -> float:
    from scipy.optimize import linprog  # noqa: PLC0415

    result = linprog(-direction, A_ub=normals, b_ub=offsets, bounds=[(None, None)] * 3,
                     method="highs")
    return float(-result.fun)


def _seeds(solids: tuple[Solid, ...], count: int, seed: int, name: str) -> np.ndarray:
    """Seeds spread uniformly through the solid (by volume), kept off its surface."""
    rng = generator(seed, f"fracture:{name}")
    spaces = [_halfspaces(s) for s in solids]
    inner = []
    for (normals, offsets), (_, _, pos, _) in zip(spaces, solids):
        # the part shrunk by 15 % about its centre: n . x <= 0.85 d + 0.15 n . c
        inner.append((normals, 0.85 * offsets + 0.15 * normals @ np.asarray(pos, dtype=float)))
    lo, hi = _bounds(inner)  # for one part at the origin: 0.85 of its half sizes
    points: list[np.ndarray] = []
    while len(points) < count:
        p = rng.uniform(lo, hi)
        if any(np.all(n @ p <= d) for n, d in inner):
            points.append(p)
    return np.array(points)


def _chebyshev_center(normals: np.ndarray, offsets: np.ndarray) -> tuple[np.ndarray, float]:
    """The centre and radius of the largest ball inside {x : n . x <= d}; radius <= 0: empty."""
    from scipy.optimize import linprog  # noqa: PLC0415

    norms = np.linalg.norm(normals, axis=1)
    a = np.column_stack([normals, norms])
    result = linprog([0.0, 0.0, 0.0, -1.0], A_ub=a, b_ub=offsets,
                     bounds=[(None, None)] * 3 + [(0.0, None)], method="highs")
    if result.status != 0:
        return np.zeros(3), 0.0
    return result.x[:3], float(result.x[3])


@lru_cache(maxsize=64)
def fracture_solids(solids: tuple[Solid, ...], count: int, seed: int, name: str
                    ) -> tuple[Piece, ...]:
    """`count` pieces that together fill the union of the solids exactly."""
    from scipy.spatial import ConvexHull, HalfspaceIntersection  # noqa: PLC0415

    seeds = _seeds(solids, count, seed, name)
    spaces = [_halfspaces(s) for s in solids]
    pieces = []
    for i, s in enumerate(seeds):
        others = np.delete(seeds, i, axis=0)
        bis_n = others - s
        bis_d = 0.5 * (np.sum(others**2, axis=1) - s @ s)
        hulls, owners = [], []
        for j, (normals, offsets) in enumerate(spaces):
            a = np.vstack([normals, bis_n])
            d = np.concatenate([offsets, bis_d])
            inside, radius = _chebyshev_center(a, d)
            if radius < MIN_HULL_RADIUS_M:
                continue
            vertices = HalfspaceIntersection(np.column_stack([a, -d]), inside).intersections
            hulls.append(vertices[ConvexHull(vertices).vertices])
            owners.append(j)
        center = np.vstack(hulls).mean(axis=0)
        pieces.append(Piece(tuple(float(v) for v in center),
                            tuple(h - center for h in hulls), tuple(owners)))
    return tuple(pieces)


def fracture(shape: str, size: tuple[float, ...], count: int, seed: int, name: str
             ) -> tuple[Piece, ...]:
    """`count` convex pieces that together fill one solid (a box or a cylinder) exactly."""
    return fracture_solids(((shape, tuple(size), (0.0, 0.0, 0.0), (0.0, 0.0, 0.0)),),
                           count, seed, name)
