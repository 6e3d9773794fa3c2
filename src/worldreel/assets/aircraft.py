"""Aircraft: a passenger jet (A320) and a light propeller aircraft (Cessna 172), aircraft.yaml.

Each type is one real model's published specifications (aircraft.yaml, sources beside each
entry): dimensions, wing area, mass, stall and maximum speeds, drag polar and engines. From them
this module builds the asset (fuselage, swept or straight wings, tail, nacelles or propeller)
and the aerodynamic numbers physics.flight needs: the lift coefficient at which the wing stalls
(from the published stall speed), the induced-drag factor, the air's density at altitude (ISA).

An aircraft entity is placed in the air: its position is its centre of gravity, its z the
altitude. aircraft_problems refuses what it cannot do - stand on the ground or take off (not
simulated), fly slower than its stall speed, faster than its maximum, stop, or brake.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import numpy as np
import yaml

from worldreel.assets.registry import Asset, Part
from worldreel.scene import Brake, Drive, Scene

AIRCRAFT_FILE = Path(__file__).with_name("aircraft.yaml")
GRAVITY_M_S2 = 9.81
SEA_LEVEL_DENSITY = 1.225  # kg/m^3, ISA (ICAO Doc 7488, Manual of the ICAO Standard Atmosphere)
# ISA troposphere: rho = rho0 (1 - L h / T0)^(g M / (R L) - 1), L = 6.5 K/km, T0 = 288.15 K
ISA_LAPSE_PER_M = 0.0065 / 288.15
ISA_DENSITY_EXPONENT = 4.2559
MIN_ALTITUDE_M = 30.0  # lower than this it would be landing or taking off: not simulated
WINDOW_RGB = (0.08, 0.10, 0.14)
TRIM_RGB = (0.55, 0.57, 0.60)


@dataclass(frozen=True)
class AircraftSpec:
    """One aircraft type's published specifications (aircraft.yaml)."""

    name: str
    description: str
    kind: str  # jet or propeller
    aliases: tuple[str, ...]
    paint: str
    length: float
    span: float
    height: float
    fuselage_diameter: float
    wing_area: float
    mass: float
    stall_speed: float
    max_speed: float
    cd0: float
    oswald: float
    stall_attitude_deg: float
    max_bank_deg: float
    wing_sweep_deg: float
    engines: int
    tail_x: float
    fin_height: float
    tailplane_span: float
    high_wing: bool
    thrust_kn: float = 0.0
    fan_blades: int = 0
    n1_max_rpm: float = 0.0
    idle_n1: float = 0.0
    engine_x: float = 0.0
    engine_y: float = 0.0
    engine_diameter: float = 0.0
    power_kw: float = 0.0
    static_thrust_kn: float = 0.0
    propeller_efficiency: float = 0.0
    propeller_blades: int = 0
    propeller_diameter: float = 0.0
    max_rpm: float = 0.0
    idle_rpm: float = 0.0
    cylinders: int = 0

    @property
    def aspect_ratio(self) -> float:
        return self.span ** 2 / self.wing_area

    @property
    def cl_max(self) -> float:
        """The wing's maximum lift coefficient, from the published stall speed at `mass`."""
        return 2.0 * self.mass * GRAVITY_M_S2 / (
            SEA_LEVEL_DENSITY * self.wing_area * self.stall_speed ** 2)

    @property
    def lift_slope(self) -> float:
        """dC_L/dalpha per radian of a finite wing (Helmbold / DATCOM, unswept approximation
        with the sweep's cosine): 2 pi AR / (2 + sqrt(AR^2 / cos^2 L + 4))."""
        ar = self.aspect_ratio
        cos = math.cos(math.radians(self.wing_sweep_deg))
        return 2.0 * math.pi * ar / (2.0 + math.sqrt(ar * ar / (cos * cos) + 4.0))

    def induced_factor(self) -> float:
        return 1.0 / (math.pi * self.oswald * self.aspect_ratio)

    def stall_speed_at(self, density: float) -> float:
        """m/s of the 1-g stall in air of this density (indicated speed is what stays fixed)."""
        return self.stall_speed * math.sqrt(SEA_LEVEL_DENSITY / density)

    def max_thrust(self, speed: float, density: float) -> float:
        """N of all engines at full throttle at this true airspeed (static thrust falling with
        density; a propeller's thrust is its power over speed, efficiency included)."""
        sigma = density / SEA_LEVEL_DENSITY
        if self.kind == "jet":
            return self.engines * 1000.0 * self.thrust_kn * sigma
        power = self.engines * 1000.0 * self.power_kw * self.propeller_efficiency * sigma
        return min(self.engines * 1000.0 * self.static_thrust_kn * sigma,
                   power / max(speed, 1e-6))


def air_density(altitude: float, sea_level: float = SEA_LEVEL_DENSITY) -> float:
    """kg/m^3 at this altitude (ISA troposphere), scaled to the Setting's sea-level density."""
    return sea_level * max(1.0 - ISA_LAPSE_PER_M * max(altitude, 0.0), 0.1) ** ISA_DENSITY_EXPONENT


@lru_cache(maxsize=1)
def aircraft_specs() -> MappingProxyType:
    """Every aircraft type by name, from aircraft.yaml."""
    table = yaml.safe_load(AIRCRAFT_FILE.read_text(encoding="utf-8"))
    return MappingProxyType({name: AircraftSpec(name=name, aliases=tuple(row.pop("aliases", ())),
                                                **row)
                             for name, row in ((n, dict(r)) for n, r in table.items())})


def aircraft_spec(asset_name: str) -> AircraftSpec | None:
    """The specifications of an aircraft asset, or None for anything else."""
    return aircraft_specs().get(asset_name)


def start_speed(scene: Scene, entity_id: str) -> float | None:
    """m/s an aircraft flies at when the clip starts: its placed velocity, or else its first
    Drive's speed (it is already flying); None when neither is given."""
    entity = scene.entity(entity_id)
    speed = float(np.linalg.norm(entity.velocity[:2]))
    if speed > 0.0:
        return speed
    drives = [a for a in scene.actions if isinstance(a, Drive) and a.entity == entity_id]
    return drives[0].speed if drives else None


def aircraft_problems(scene: Scene, sea_level_density: float) -> list[str]:
    """One line for every aircraft placed where or flying how it cannot."""
    problems = []
    for n, entity in enumerate(scene.entities):
        spec = aircraft_spec(entity.asset)
        if spec is None:
            continue
        z = entity.position[2]
        if z < MIN_ALTITUDE_M:
            problems.append(f"entities[{n}].position: the {entity.asset} {entity.id!r} is at "
                            f"{z:g} m; aircraft are simulated in flight only (no take-off or "
                            f"landing): raise z to at least {MIN_ALTITUDE_M:g}")
            continue
        if sea_level_density <= 0.0:
            problems.append(f"entities[{n}]: the {entity.asset} {entity.id!r} cannot fly "
                            "without air; set the medium to air")
            continue
        stall = spec.stall_speed_at(air_density(z, sea_level_density))
        speed = start_speed(scene, entity.id)
        if speed is None:
            problems.append(f"entities[{n}].velocity: the {entity.asset} {entity.id!r} is in "
                            f"the air and must fly: give it a velocity (at least {stall:.0f} "
                            "m/s along its heading) or a drive action")
        elif entity.velocity[2] != 0.0:
            problems.append(f"entities[{n}].velocity: an aircraft holds its altitude; give a "
                            "level velocity (z 0)")
        elif speed < stall and np.linalg.norm(entity.velocity[:2]) > 0.0:  # (a Drive's speed
            problems.append(_too_slow(f"entities[{n}].velocity", entity.asset, entity.id,  # is
                                      speed, stall))  # said with the Drive)
    for n, action in enumerate(scene.actions):
        if not isinstance(action, (Drive, Brake)):
            continue
        entity = scene.entity(action.entity)
        spec = aircraft_spec(entity.asset)
        if spec is None:
            continue
        if isinstance(action, Brake):
            problems.append(f"actions[{n}]: an aircraft cannot brake to a stop in the air; "
                            "give it a slower drive speed (at least its stall speed) instead")
            continue
        stall = spec.stall_speed_at(air_density(entity.position[2], sea_level_density))
        if action.speed < stall:
            problems.append(_too_slow(f"actions[{n}].speed", entity.asset, action.entity,
                                      action.speed, stall))
        if action.speed > spec.max_speed:
            problems.append(f"actions[{n}].speed: a {entity.asset} flies at most "
                            f"{spec.max_speed:g} m/s; ask for less")
        if action.distance is not None:
            problems.append(f"actions[{n}].distance: an aircraft cannot stop in the air; "
                            "leave distance out")
    return problems


def _too_slow(path: str, asset: str, entity: str, speed: float, stall: float) -> str:
    return (f"{path}: the {asset} {entity!r} cannot fly at {speed:g} m/s: it stalls below "
            f"{stall:.1f} m/s (its published stall speed, flaps down, at its altitude); ask for "
            f"at least {1.3 * stall:.0f} m/s (1.3 x stall, an approach speed)")


# --- geometry ---------------------------------------------------------------------------------


def _wing(span_half: float, chord: float, thick: float, x: float, z: float, sweep: float,
          side: int, name: str, **kw) -> Part:
    """A wing (or tailplane) panel from the centre line out to span_half, swept back."""
    tan = math.tan(math.radians(sweep))
    return Part("box", (0.5 * chord, 0.5 * span_half / math.cos(math.radians(sweep)), thick),
                (x - 0.5 * span_half * tan, side * 0.5 * span_half, z),
                (0.0, 0.0, side * sweep), name=name, **kw)


def aircraft_asset(a: AircraftSpec) -> Asset:
    """The asset of one aircraft type, its frame at the centre of gravity."""
    r = 0.5 * a.fuselage_diameter
    x_front = 0.42 * a.length  # the CG sits a little ahead of the middle
    x_back = x_front - a.length
    nose_len = 1.6 * r
    tail_len = 3.2 * r if a.kind == "jet" else 0.45 * a.length
    barrel = (x_front - nose_len, x_back + tail_len)
    chord = a.wing_area / a.span
    z_wing = (r - 0.1 * r) if a.high_wing else -0.55 * r
    trim = dict(rgb=TRIM_RGB, material="aluminium")
    parts = [
        Part("cylinder", (r, 0.5 * (barrel[0] - barrel[1])), (0.5 * sum(barrel), 0.0, 0.0),
             (0.0, 90.0, 0.0), name="fuselage"),
        Part("ellipsoid", (nose_len, r, r), (barrel[0], 0.0, 0.0), name="nose"),
        Part("ellipsoid", (tail_len, 0.8 * r, 0.8 * r), (barrel[1], 0.0, 0.15 * r),
             name="tail_cone"),
    ]
    for side in (1, -1):
        parts.append(_wing(0.5 * a.span, chord, 0.06 * chord, 0.1 * chord, z_wing,
                           a.wing_sweep_deg, side, f"wing{side:+d}", **trim))
        parts.append(_wing(0.5 * a.tailplane_span, 0.45 * chord, 0.04 * chord,
                           a.tail_x - tail_len * 0.2, 0.3 * r, a.wing_sweep_deg * 1.2, side,
                           f"tailplane{side:+d}", **trim))
        # cockpit windows and (a jet) the cabin's window line
        parts.append(Part("box", (0.18 * nose_len, 0.02, 0.18 * r),
                          (barrel[0] + 0.35 * nose_len, side * 0.78 * r, 0.35 * r),
                          (0.0, 0.0, side * -25.0), rgb=WINDOW_RGB, material="glass",
                          collides=False, name=f"cockpit{side:+d}"))
        if a.kind == "jet":
            parts.append(Part("box", (0.5 * (barrel[0] - barrel[1]) - 1.0, 0.02, 0.09),
                              (0.5 * sum(barrel), side * (r + 0.005), 0.3 * r), rgb=WINDOW_RGB,
                              material="glass", collides=False, name=f"windows{side:+d}"))
            x_e, y_e = a.engine_x, a.engine_y
            parts.append(Part("cylinder", (0.5 * a.engine_diameter, 1.9),
                              (x_e - 0.5 * y_e * math.tan(math.radians(a.wing_sweep_deg)),
                               side * y_e, z_wing - 0.75 * a.engine_diameter),
                              (0.0, 90.0, 0.0), name=f"engine{side:+d}", **trim))
            parts.append(Part("cylinder", (0.42 * a.engine_diameter, 0.01),
                              (x_e - 0.5 * y_e * math.tan(math.radians(a.wing_sweep_deg)) + 1.9,
                               side * y_e, z_wing - 0.75 * a.engine_diameter),
                              (0.0, 90.0, 0.0), rgb=(0.12, 0.12, 0.13), collides=False,
                              name=f"fan{side:+d}"))
        else:  # the high wing's strut and the fixed landing gear
            parts.append(Part("capsule", (0.03, 0.5 * math.hypot(0.3 * a.span, z_wing + r)),
                              (0.0, side * 0.15 * a.span, 0.5 * (z_wing - r)),
                              (side * math.degrees(math.atan2(0.3 * a.span, z_wing + r)), 0.0,
                               0.0), collides=False, name=f"strut{side:+d}", **trim))
            parts.append(Part("cylinder", (0.22, 0.08), (-0.4, side * 1.25, -r - 0.55),
                              (90.0, 0.0, 0.0), rgb=(0.05, 0.05, 0.05), collides=False,
                              name=f"wheel{side:+d}"))
            parts.append(Part("capsule", (0.025, 0.45), (-0.4, side * 0.8, -r - 0.2),
                              (side * 50.0, 0.0, 0.0), collides=False, name=f"leg{side:+d}",
                              **trim))
    parts.append(Part("box", (0.35 * chord, 0.03 * chord, 0.5 * a.fin_height),
                      (a.tail_x - 0.1 * a.fin_height * math.tan(math.radians(35.0)), 0.0,
                       0.5 * r + 0.5 * a.fin_height), (0.0, -30.0 if a.kind == "jet" else -20.0,
                                                       0.0),
                      rgb=(0.10, 0.22, 0.45), name="fin"))
    if a.kind == "propeller":
        x_p = barrel[0] + nose_len + 0.05
        parts.append(Part("ellipsoid", (0.22, 0.14, 0.14), (x_p, 0.0, 0.0), rgb=(0.85, 0.1, 0.1),
                          collides=False, name="spinner"))
        # the turning propeller as a camera sees it at 24 frames a second (45 turns a second
        # at 2,700 rpm): a faint disc the blades sweep, not blades standing still
        parts.append(Part("cylinder", (0.5 * a.propeller_diameter, 0.01), (x_p + 0.05, 0.0, 0.0),
                          (0.0, 90.0, 0.0), rgb=(0.15, 0.15, 0.15), alpha=0.25,
                          collides=False, name="propeller_disc"))
        parts.append(Part("cylinder", (0.2, 0.05), (x_front - 0.9, 0.0, -r - 0.55),
                          (90.0, 0.0, 0.0), rgb=(0.05, 0.05, 0.05), collides=False,
                          name="nose_wheel"))
    paint = tuple(int(a.paint[i:i + 2], 16) / 255.0 for i in (1, 3, 5))
    return Asset(a.name, a.description, tuple(parts), "aluminium", mass=a.mass, rgb=paint,
                 aliases=a.aliases, drag_coefficient=a.cd0,
                 anchors={"nose": (x_front, 0.0, 0.0), "tail": (x_back, 0.0, 0.0)})


AIRCRAFT_ASSETS: list[Asset] = [aircraft_asset(a) for a in aircraft_specs().values()]
