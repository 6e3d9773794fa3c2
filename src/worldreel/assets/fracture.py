"""Pre-fractured pieces of breakable assets: a Voronoi fracture of the asset's solid.

A breakable asset (`pieces` > 0, made of a material with a breaking speed) is cut into convex
Voronoi cells of its first part (a box or a cylinder, the cylinder taken as a 16-sided prism). The
cells are computed once per (asset, pieces, seed) with scipy's half-space intersection: each cell
is the solid's half-spaces plus the bisecting planes towards every other seed. The same Scene
always gives the same pieces, so physics and the renderer build identical geometry.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from worldreel.rng import generator

PRISM_SIDES = 16


@dataclass(frozen=True)
class Piece:
    """One convex fragment: its centre (asset frame) and vertices relative to that centre."""

    center: tuple[float, float, float]
    vertices: np.ndarray  # (V, 3)


def _halfspaces(shape: str, size: tuple[float, ...]) -> tuple[np.ndarray, np.ndarray]:
    """(normals (K, 3), offsets (K,)) with n . x <= d describing the solid."""
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
    raise ValueError(f"cannot fracture a {shape}; breakable assets are a box or a cylinder")


def _seeds(shape: str, size: tuple[float, ...], count: int, seed: int, name: str) -> np.ndarray:
    rng = generator(seed, f"fracture:{name}")
    normals, offsets = _halfspaces(shape, size)
    half = np.array([size[0], size[0] if shape == "cylinder" else size[1],
                     size[1] if shape == "cylinder" else size[2]])
    points: list[np.ndarray] = []
    while len(points) < count:
        p = rng.uniform(-0.85 * half, 0.85 * half)
        if np.all(normals @ p <= 0.85 * offsets):
            points.append(p)
    return np.array(points)


@lru_cache(maxsize=64)
def fracture(shape: str, size: tuple[float, ...], count: int, seed: int, name: str
             ) -> tuple[Piece, ...]:
    """`count` convex pieces that together fill the solid exactly."""
    from scipy.spatial import ConvexHull, HalfspaceIntersection  # noqa: PLC0415

    normals, offsets = _halfspaces(shape, size)
    seeds = _seeds(shape, size, count, seed, name)
    pieces = []
    for i, s in enumerate(seeds):
        others = np.delete(seeds, i, axis=0)
        bis_n = others - s
        bis_d = 0.5 * (np.sum(others**2, axis=1) - s @ s)
        a = np.vstack([normals, bis_n])
        d = np.concatenate([offsets, bis_d])
        hs = HalfspaceIntersection(np.column_stack([a, -d]), s)
        vertices = hs.intersections
        hull = ConvexHull(vertices)
        vertices = vertices[hull.vertices]
        center = vertices.mean(axis=0)
        pieces.append(Piece(tuple(float(v) for v in center), vertices - center))
    return tuple(pieces)
