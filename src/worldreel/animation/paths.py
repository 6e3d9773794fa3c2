"""Walking paths that go around things: the floor as a grid of free and blocked cells, the
shortest way through it (scipy's Dijkstra on the grid graph), pulled taut into a few straight
legs.

Blocked: the footprint of every thing standing on the floor (furniture, walls and dressing of
the setting, things lying about) and of every other person, grown by the walker's shoulder
half-width so the body passes clear; the thing the walk is going to is not an obstacle.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra

from worldreel.assets import environment
from worldreel.assets.mujoco_spec import entity_corners, quat_from_euler
from worldreel.errors import SceneError
from worldreel.scene import Scene

CELL_M = 0.05
CLEARANCE_M = 0.25  # half a shoulder width and a little room (adult biacromial ~0.4 m)
PERSON_RADIUS_M = 0.25
MAX_OBSTACLE_BOTTOM_M = 1.2  # things hung higher than this (a hoop's board) are walked under


def _part_corners(part) -> np.ndarray:
    from scipy.spatial.transform import Rotation  # noqa: PLC0415

    size = np.array(list(part.size) + [0.0] * (3 - len(part.size)))
    if part.shape in ("sphere",):
        size = np.full(3, size[0])
    elif part.shape in ("capsule", "cylinder"):
        size = np.array([size[0], size[0], size[1]])
    elif part.shape == "plane":
        return np.zeros((0, 3))
    corners = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)]) * size
    q = quat_from_euler(part.euler)
    rotation = Rotation.from_quat([q[1], q[2], q[3], q[0]])
    return np.asarray(part.pos) + rotation.apply(corners)


def obstacles(scene: Scene, exclude: set[str], people: dict[str, tuple[float, float]]
              ) -> list[np.ndarray]:
    """Floor footprints (k, 2) of everything a walker must go around, as corner sets; people
    as small squares around where they stand."""
    shapes = []
    for entity in scene.entities:
        if entity.id in exclude:
            continue
        corners = entity_corners(entity)
        if corners[:, 2].min() > MAX_OBSTACLE_BOTTOM_M:
            continue
        shapes.append(corners[:, :2])
    for part in environment(scene.setting.environment).parts:
        corners = _part_corners(part)
        if len(corners) and corners[:, 2].min() <= MAX_OBSTACLE_BOTTOM_M and \
                corners[:, 2].max() > 0.05:
            shapes.append(corners[:, :2])
    for name, (x, y) in people.items():
        if name in exclude:
            continue
        r = PERSON_RADIUS_M
        shapes.append(np.array([[x - r, y - r], [x + r, y + r]]))
    return shapes


def plan_path(start: tuple[float, float], goal: tuple[float, float],
              blocked: list[np.ndarray], clearance: float = CLEARANCE_M
              ) -> list[tuple[float, float]]:
    """Waypoints from `start` to `goal` (both included) that keep `clearance` from every
    footprint; a straight line when nothing is in the way. A goal that cannot be reached is a
    SceneError."""
    start_a, goal_a = np.asarray(start, float), np.asarray(goal, float)
    boxes = [(s.min(axis=0) - clearance, s.max(axis=0) + clearance) for s in blocked]
    # a box the walker starts or ends inside does not block it (it stands by the table)
    boxes = [(lo, hi) for lo, hi in boxes
             if not (_inside(start_a, lo, hi) or _inside(goal_a, lo, hi))]
    if _clear(start_a, goal_a, boxes):
        return [_floats(start_a), _floats(goal_a)]
    everything = np.vstack([start_a, goal_a] + [b for box in boxes for b in box])
    lo = everything.min(axis=0) - 1.0
    hi = everything.max(axis=0) + 1.0
    shape = np.ceil((hi - lo) / CELL_M).astype(int) + 1
    if shape.prod() > 400_000:
        raise SceneError("a walk spans more than 30 m around obstacles; shorten it")
    xs = lo[0] + CELL_M * np.arange(shape[0])
    ys = lo[1] + CELL_M * np.arange(shape[1])
    gx, gy = np.meshgrid(xs, ys, indexing="ij")
    free = np.ones(shape, dtype=bool)
    for box_lo, box_hi in boxes:
        free &= ~((gx >= box_lo[0]) & (gx <= box_hi[0]) & (gy >= box_lo[1]) & (gy <= box_hi[1]))
    index = np.arange(free.size).reshape(shape)
    rows, cols, weights = [], [], []
    for dx, dy in ((1, 0), (0, 1), (1, 1), (1, -1)):
        a = index[max(0, -dx):shape[0] - max(0, dx), max(0, -dy):shape[1] - max(0, dy)]
        b = index[max(0, dx):, max(0, dy):shape[1] + min(0, dy)][: a.shape[0], : a.shape[1]]
        ok = free.ravel()[a] & free.ravel()[b]
        rows.append(a[ok])
        cols.append(b[ok])
        weights.append(np.full(int(ok.sum()), math.hypot(dx, dy) * CELL_M))
    graph = coo_matrix((np.concatenate(weights), (np.concatenate(rows), np.concatenate(cols))),
                       shape=(free.size, free.size)).tocsr()
    cell = lambda p: tuple(np.clip(np.round((p - lo) / CELL_M).astype(int), 0, shape - 1))  # noqa: E731
    source, target = index[cell(start_a)], index[cell(goal_a)]
    distances, previous = dijkstra(graph, directed=False, indices=source,
                                   return_predecessors=True)
    if not np.isfinite(distances[target]):
        raise SceneError(f"no way from {tuple(np.round(start_a, 2))} to "
                         f"{tuple(np.round(goal_a, 2))}: things block every path; move them "
                         "or the person")
    cells = [target]
    while cells[-1] != source:
        cells.append(previous[cells[-1]])
    points = [np.array([xs[c // shape[1]], ys[c % shape[1]]]) for c in reversed(cells)]
    points[0], points[-1] = start_a, goal_a
    return [_floats(p) for p in _taut(points, boxes)]


def _floats(point: np.ndarray) -> tuple[float, float]:
    return float(point[0]), float(point[1])


def _inside(p: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> bool:
    return bool(np.all(p >= lo) and np.all(p <= hi))


def _clear(a: np.ndarray, b: np.ndarray, boxes) -> bool:
    """Whether the segment a-b misses every box (slab test)."""
    d = b - a
    for lo, hi in boxes:
        t0, t1 = 0.0, 1.0
        hit = True
        for k in range(2):
            if abs(d[k]) < 1e-12:
                if not lo[k] <= a[k] <= hi[k]:
                    hit = False
                    break
                continue
            u, v = (lo[k] - a[k]) / d[k], (hi[k] - a[k]) / d[k]
            t0, t1 = max(t0, min(u, v)), min(t1, max(u, v))
            if t0 > t1:
                hit = False
                break
        if hit:
            return False
    return True


def _taut(points: list[np.ndarray], boxes) -> list[np.ndarray]:
    """Drop every waypoint the path can skip in a straight line (string pulling)."""
    out = [points[0]]
    k = 0
    while k < len(points) - 1:
        j = len(points) - 1
        while j > k + 1 and not _clear(points[k], points[j], boxes):
            j -= 1
        out.append(points[j])
        k = j
    return out
