"""Where a thing or a person added to a laid-out Scene stands (director.edit): clear of
everything there, beside what it joins: at the end of a row it continues (a domino after the
last), else on rings round its anchor, side by side in view before behind.

Works on Scene data (scene_to_dict); positions are metres, the camera looks along +y.
"""

from __future__ import annotations

import math

import numpy as np

from worldreel.assets import ENVIRONMENTS, room_interior
from worldreel.assets.mujoco_spec import entity_bottom
from worldreel.director import geometry
from worldreel.director.cast import PERSONAL_SPACE_M, SPACING_M
from worldreel.scene import Entity

CLEARANCE_M = 0.08  # free space between a thing added and anything already there
ON_TOP_GAP_M = 0.002  # a thing set on another starts this far above it, to settle onto it
ROW_CLEARANCE_M = 0.01  # ... at the end of a row, whose own spacing says how close alike stand
RING_GAPS_M = (0.15, 0.3, 0.5, 0.8, 1.2, 1.8, 2.5, 3.5)  # edge to edge from the anchor
# Directions tried on each ring, degrees from +x: beside the anchor (across the view) first,
# then diagonals, then in front and behind.
RING_ANGLES_DEG = (0.0, 180.0, 30.0, 150.0, 330.0, 210.0, 60.0, 120.0, 300.0, 240.0, 90.0,
                   270.0)
ROW_MAX_STEP_M = 1.5  # two alike further apart than this are not a row
WALL_MARGIN_M = 0.3
PEOPLE_TRIES = 12


def solids_of(entity: dict) -> list[geometry.Solid]:
    return geometry.part_solids(entity["asset"], entity["position"],
                                entity.get("rotation", (0.0, 0.0, 0.0)),
                                entity.get("scale", 1.0))


def bottom_of(entity: dict) -> float:
    """The lowest z of an entity as physics sees it (every part of its asset, seen or not:
    assets.mujoco_spec.entity_bottom, which checks that nothing starts inside the floor)."""
    return entity_bottom(Entity(**{k: v for k, v in entity.items() if v is not None}))


def rest_height(asset: str, rotation, scale: float) -> float:
    """The z that stands the asset on the floor (its lowest point at z = 0)."""
    placed = {"id": "probe", "asset": asset, "rotation": tuple(rotation), "scale": scale}
    return round(0.0 - bottom_of(placed), 4)  # (0.0 - x: never -0.0)


def _xy_reach(solids: list[geometry.Solid], center: np.ndarray) -> float:
    lo, hi = geometry.bounds(solids)
    return float(max(np.hypot(*(lo[:2] - center[:2])), np.hypot(*(hi[:2] - center[:2]))))


def _min_gap(first: list[geometry.Solid], second: list[geometry.Solid]) -> float:
    lo1, hi1 = geometry.bounds(first)
    lo2, hi2 = geometry.bounds(second)
    apart = float(np.max(np.maximum(lo2 - hi1, lo1 - hi2)))
    if apart > CLEARANCE_M:
        return apart  # their boxes are already far enough apart
    return min(geometry.gap(a, b) for a in first for b in second)


def inside_room(solids: list[geometry.Solid], environment: str) -> bool:
    room = room_interior(ENVIRONMENTS[environment]) if environment in ENVIRONMENTS else None
    if room is None:
        return True
    lo, hi = geometry.bounds(solids)
    return bool(np.all(np.abs(lo[:2]) <= np.array(room[:2]) - WALL_MARGIN_M)
                and np.all(np.abs(hi[:2]) <= np.array(room[:2]) - WALL_MARGIN_M))


class Floor:
    """What stands in a Scene's data, to find free spots among it."""

    def __init__(self, data: dict) -> None:
        self.environment = data["setting"]["environment"]
        self.entities = [(e, solids_of(e)) for e in data["entities"]]
        self.people = [tuple(c["position"]) for c in data["characters"]]

    def clear(self, solids: list[geometry.Solid], clearance: float = CLEARANCE_M) -> bool:
        if not inside_room(solids, self.environment):
            return False
        if any(others and _min_gap(solids, others) < clearance for _, others in self.entities):
            return False
        lo, hi = geometry.bounds(solids)
        for x, y in self.people:  # a person with their arms and feet is a round column
            near = np.clip((x, y), lo[:2], hi[:2])
            if math.hypot(near[0] - x, near[1] - y) < PERSONAL_SPACE_M:
                return False
        return True

    def add(self, entity: dict) -> None:
        self.entities.append((entity, solids_of(entity)))

    def add_person(self, position: tuple[float, float]) -> None:
        self.people.append(position)


def overlaps_any(data: dict, ids: list[str]) -> bool:
    """Whether an entity of `ids` runs into another entity of the Scene data."""
    solids = {e["id"]: solids_of(e) for e in data["entities"]}
    return any(solids[i] and solids[j] and geometry.overlapping(solids[i], solids[j])
               for i in ids for j in solids if j != i)


def _row_candidates(row: list[dict]) -> list[np.ndarray]:
    """Past either end of a row of alike things, one step on (the last end first)."""
    if len(row) < 2:
        return []
    first, second = (np.asarray(e["position"], dtype=float) for e in row[:2])
    before, last = (np.asarray(e["position"], dtype=float) for e in row[-2:])
    out = []
    for end, step in ((last, last - before), (first, first - second)):
        step[2] = 0.0
        if 1e-6 < np.linalg.norm(step) <= ROW_MAX_STEP_M:
            out.append(end + step)
    return out


def free_spot(floor: Floor, entity: dict, anchor: dict | None, row: list[dict],
              mirror: bool) -> list[float] | None:
    """A position for `entity` (its asset, rotation, scale and height set) clear of the floor:
    continuing `row`, else round `anchor` (None: round the middle of what stands there).
    `mirror`: try the -x side first (the seed's choice). None when nothing is free."""
    z = entity["position"][2]
    in_row = _row_candidates(row)
    candidates = list(in_row)
    if anchor is not None:
        center = np.asarray(anchor["position"], dtype=float)
        reach = _xy_reach(solids_of(anchor), center)
    elif any(solids for _, solids in floor.entities):
        lo, hi = geometry.bounds([s for _, solids in floor.entities for s in solids])
        center = (lo + hi) / 2
        reach = float(np.hypot(*(hi[:2] - lo[:2]))) / 2
    else:
        center, reach = np.zeros(3), 0.0
    own = _xy_reach(geometry.part_solids(entity["asset"], (0.0, 0.0, 0.0),
                                         entity.get("rotation", (0.0, 0.0, 0.0)),
                                         entity.get("scale", 1.0)), np.zeros(3))
    side = -1.0 if mirror else 1.0
    for gap in RING_GAPS_M:
        distance = reach + own + gap
        for angle in RING_ANGLES_DEG:
            a = math.radians(angle)
            candidates.append(center + distance * np.array([side * math.cos(a), math.sin(a), 0.0]))
    for n, spot in enumerate(candidates):
        position = [round(float(spot[0]), 3), round(float(spot[1]), 3), z]
        trial = {**entity, "position": position}
        if floor.clear(solids_of(trial), ROW_CLEARANCE_M if n < len(in_row) else CLEARANCE_M):
            return position
    return None


def spot_on_top(floor: Floor, entity: dict, support: dict) -> list[float] | None:
    """A position for `entity` resting on top of `support` ("a ball on the table"): over its
    middle, else nearer its edges; None when its top has no room."""
    lo, hi = geometry.bounds(solids_of(support))
    z = round(max(float(hi[2]), bottom_of(support)) + rest_height(entity["asset"], entity.get("rotation", (0.0, 0.0, 0.0)),
                                         entity.get("scale", 1.0)) + ON_TOP_GAP_M, 4)
    middle, half = (lo[:2] + hi[:2]) / 2, (hi[:2] - lo[:2]) / 2
    for fx, fy in ((0, 0), (-0.5, 0), (0.5, 0), (0, -0.5), (0, 0.5)):
        position = [round(float(middle[0] + fx * half[0]), 3),
                    round(float(middle[1] + fy * half[1]), 3), z]
        if floor.clear(solids_of({**entity, "position": position}), clearance=0.0):
            return position
    return None


def person_spot(floor: Floor, row_y: float, xs: list[float], mirror: bool
                ) -> tuple[float, float] | None:
    """Where a person added to a row of people (at `row_y`, standing at `xs`) stands: one step
    past its end, clear of the things and the others; None when nothing is free."""
    side = -1.0 if mirror else 1.0
    ends = (max(xs), min(xs)) if xs else (0.0, 0.0)
    for n in range(PEOPLE_TRIES):
        for direction in (side, -side):
            end = ends[0] if direction > 0 else ends[1]
            x = end + direction * SPACING_M * (n + (1 if xs else 0))
            for y in (row_y, row_y - SPACING_M * n):
                spot = (round(x, 2), round(y, 2))
                if _person_clear(floor, spot):
                    return spot
    return None


def _person_clear(floor: Floor, spot: tuple[float, float]) -> bool:
    if any(math.hypot(spot[0] - x, spot[1] - y) < SPACING_M - 1e-6 for x, y in floor.people):
        return False
    for _, solids in floor.entities:
        if not solids:
            continue
        lo, hi = geometry.bounds(solids)
        near = np.clip(spot, lo[:2], hi[:2])
        if math.hypot(near[0] - spot[0], near[1] - spot[1]) < PERSONAL_SPACE_M:
            return False
    room = room_interior(ENVIRONMENTS[floor.environment]) \
        if floor.environment in ENVIRONMENTS else None
    return room is None or (abs(spot[0]) <= room[0] - PERSONAL_SPACE_M
                            and abs(spot[1]) <= room[1] - PERSONAL_SPACE_M)
