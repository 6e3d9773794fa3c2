"""Vehicles' front doors: a door link per side hinged at its front edge, and the Door action's
checks (doors.yaml).

A door is a painted panel over the lower body from its hinges back (standing a few mm proud of
the body, so its seams show) with its window above the beltline; behind it the body carries a
dark opening, seen only when the door swings out. The hinge turns about z, positive opening
on both sides, from 0 (shut, against the body: the joint's limit) to the door's stop. Its
latch is dry friction in the hinge strong enough to hold the door shut in any drive or crash
(FMVSS 206's 11 kN at the door's rear edge); physics.doors releases it to open the door and
takes the latch back when the door shuts.

A door is drawn and weighed but does not collide: the body's own side, a few mm inside it,
takes every blow (so a crash plays as it did, with the body's crush contact), and an open
door passes through what it swings into (not modelled: a door stopped by a post).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import yaml

from worldreel.assets.registry import Link, Part
from worldreel.scene import Door, Scene

if TYPE_CHECKING:
    from worldreel.assets.vehicles import VehicleSpec

DOORS_FILE = Path(__file__).with_name("doors.yaml")
SIDES = {"left": 1, "right": -1}  # y sign of a side in the vehicle's frame
PANEL_M = 0.012  # the door skin's thickness
PROUD_M = 0.004  # how far it stands off the body
OPENING_RGB = (0.03, 0.03, 0.035)  # the cabin seen through an open door
GLASS_RGB = (0.07, 0.09, 0.12)
TUMBLEHOME_M = 0.07  # the greenhouse (and so the door's window) leans in this much


@dataclass(frozen=True)
class DoorSpec:
    """One vehicle type's front doors (doors.yaml)."""

    hinge_x: float  # m behind the front bumper
    length: float
    mass: float
    open_deg: float
    open_s: float
    close_s: float
    close_speed: float  # m/s at the rear edge
    slam_speed: float
    latch_force: float  # N at the rear edge

    @property
    def latch_torque(self) -> float:
        """N m the latch holds about the hinges."""
        return self.latch_force * self.length

    @property
    def inertia(self) -> float:
        """kg m^2 about the hinges: a uniform plate's m L^2 / 3."""
        return self.mass * self.length ** 2 / 3.0


@lru_cache(maxsize=1)
def _table() -> dict:
    return yaml.safe_load(DOORS_FILE.read_text(encoding="utf-8"))


def door_spec(vehicle_type: str) -> DoorSpec | None:
    """The front doors of a vehicle type, or None for one without (a bus, a truck, a non-car)."""
    table = _table()
    row = table["types"].get(vehicle_type)
    if row is None:
        return None
    return DoorSpec(hinge_x=float(row["hinge_x"]), length=float(row["length"]),
                    mass=float(row["mass"]), open_deg=float(table["open_deg"]),
                    open_s=float(table["open_s"]), close_s=float(table["close_s"]),
                    close_speed=float(table["close_speed_m_s"]),
                    slam_speed=float(table["slam_speed_m_s"]),
                    latch_force=float(table["latch_force_n"]))


def door_link_name(side: str) -> str:
    return f"door_{side[0]}"


def door_links(v: VehicleSpec) -> tuple[Link, ...]:
    """The two front doors of a vehicle as hinged links (none for a type without doors)."""
    d = door_spec(v.name)
    if d is None:
        return ()
    links = []
    half_w = 0.5 * v.width
    x_hinge = v.front_x - d.hinge_x
    bottom, belt = v.clearance + 0.06, v.beltline
    top = v.height - 0.14  # the window frame stops below the roof's edge
    for side, sign in SIDES.items():
        outer = sign * (half_w + PROUD_M + PANEL_M)
        panel_y = -sign * 0.5 * PANEL_M  # link frame: the hinge line is the skin's outer face
        glass_y = -sign * (TUMBLEHOME_M + 0.5 * PANEL_M)
        parts = (
            Part("box", (0.5 * d.length, 0.5 * PANEL_M, 0.5 * (belt - bottom)),
                 (-0.5 * d.length, panel_y, 0.5 * (bottom + belt)), material="car_body",
                 collides=False, name="panel"),
            Part("box", (0.5 * d.length - 0.08, 0.5 * PANEL_M, 0.5 * (top - belt)),
                 (-0.5 * d.length - 0.06, glass_y, 0.5 * (belt + top)), material="glass",
                 rgb=GLASS_RGB, collides=False, name="window"),
            Part("box", (0.05, 0.01, 0.012), (-d.length + 0.18, 0.0, belt - 0.08),
                 material="plastic", rgb=(0.1, 0.1, 0.11), collides=False, name="handle"),
        )
        links.append(Link(door_link_name(side), parts, (x_hinge, outer, 0.0), "hinge",
                          (0.0, 0.0, -float(sign)), mass=d.mass, friction=d.latch_torque,
                          range=(0.0, d.open_deg)))
    return tuple(links)


def door_openings(v: VehicleSpec) -> list[Part]:
    """Dark panels on the body under each door: the cabin seen when a door is open."""
    d = door_spec(v.name)
    if d is None:
        return []
    x_hinge = v.front_x - d.hinge_x
    half_w = 0.5 * v.width
    bottom = v.clearance + 0.08
    parts = []
    for side, sign in SIDES.items():
        y = sign * (half_w + 0.5 * PROUD_M)
        parts.append(Part("box", (0.5 * d.length - 0.02, 0.5 * PROUD_M * 0.8,
                                  0.5 * (v.beltline - bottom)),
                          (x_hinge - 0.5 * d.length, y, 0.5 * (bottom + v.beltline)),
                          rgb=OPENING_RGB, collides=False, name=f"door_opening_{side}"))
    return parts


def door_action_problems(scene: Scene) -> list[str]:
    """One line per Door action that cannot be played: given to something with no doors, or
    opening a door already open, or shutting one already shut (doors start shut)."""
    problems = []
    state: dict[tuple[str, str], bool] = {}
    with_doors = sorted(t for t in _table()["types"])
    timed = sorted(((a.at if a.at is not None else float("inf"), n, a)
                    for n, a in enumerate(scene.actions) if isinstance(a, Door)),
                   key=lambda x: (x[0], x[1]))
    for _, n, action in timed:
        entity = scene.entity(action.entity)
        if door_spec(entity.asset) is None:
            problems.append(f"actions[{n}]: {action.entity!r} is a {entity.asset}, which has no "
                            f"door to open or shut; only these have: {', '.join(with_doors)}")
            continue
        key = (action.entity, action.side)
        if state.get(key, False) == action.open:
            now = "open" if action.open else "shut"
            problems.append(f"actions[{n}]: the {action.side} door of {action.entity!r} is "
                            f"already {now} then; {'shut' if action.open else 'open'} it first")
        state[key] = action.open
    return problems
