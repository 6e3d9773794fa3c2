"""Two-wheelers and boards: bicycle, motorcycle, moped, kick scooter, skateboard, longboard
(two_wheelers.yaml).

Each type is one typical model's published specifications (sources beside each entry). From
them this module builds an asset that reads as its type: a bicycle's diamond frame of tubes,
fork, bar, saddle, spoked wheels, chainring with cranks and pedals; a motorcycle's tank,
engine, exhaust, seat, forks and headlight; a scooter's leg shield, floorboard and round rear
body; a kick scooter's deck, stem and T-bar; a skateboard's deck, trucks and four small wheels.

Links, as physics.driving expects them: a single-track vehicle has `wheel_f` on a steering link
`steer_f` (a hinge along the raked steering axis through the front axle) and `wheel_r` on the
body; a skateboard has its front truck `truck_f` (a hinge about z: it steers) carrying
`wheel_fl`, `wheel_fr`, and `wheel_rl`, `wheel_rr` on the body. A bicycle's `crank` (chainring,
crank arms and pedals) turns on a hinge about y at the bottom bracket; the driver sets its
angle from the rider's cadence. Its `kickstand` (left side, behind the bottom bracket) is
drawn down; the driver folds it up to ride and swings it down to park, and a parked bicycle
leans KICKSTAND_LEAN_DEG to the left onto it. Wheels spin on hinges about y; forward rolling is a positive
angle. The asset frame is on the ground under the middle of the wheelbase, x forward, z up.

Anchors (asset frame, metres) for a rider: `seat` (pelvis on the saddle; for a board or kick
scooter the point between the feet on the deck), `grip_left`, `grip_right` (none on a
skateboard), `pedal_axle` (bicycle), `foot_left`, `foot_right` (the pedals at crank angle 0,
right crank forward; footpegs; floorboard; deck), `head` (top of the steering axis).
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import numpy as np
import yaml
from scipy.spatial.transform import Rotation

from worldreel.assets.registry import Asset, Link, Part
from worldreel.assets.vehicles import Engine

TWO_WHEELERS_FILE = Path(__file__).with_name("two_wheelers.yaml")
SINGLE_TRACK_WHEELS = ("wheel_f", "wheel_r")
BOARD_WHEELS = ("wheel_fl", "wheel_fr", "wheel_rl", "wheel_rr")
CRANK = "crank"
KICKSTAND = "kickstand"
KICKSTAND_MASS_KG = 0.35  # an aluminium rear-mount kickstand (Pletscher/Ursus class)
KICKSTAND_LEAN_DEG = 7.0  # a bicycle on its stand leans this far to the left (stands are
# adjustable; 5-10 degrees is typical: less and it falls over to the right, more and it lies)
TYRE_RGB = (0.04, 0.04, 0.04)
ALLOY_RGB = (0.78, 0.79, 0.81)
DARK_RGB = (0.12, 0.12, 0.13)
SADDLE_RGB = (0.08, 0.07, 0.06)
CHROME_RGB = (0.86, 0.87, 0.9)
LAMP_RGB = (1.0, 0.97, 0.82)
TAIL_RGB = (0.85, 0.04, 0.04)
URETHANE_RGB = (0.93, 0.9, 0.8)
GRIP_TAPE_RGB = (0.06, 0.06, 0.06)


@dataclass(frozen=True)
class TwoWheelerSpec:
    """One two-wheeler or board type's published specifications (two_wheelers.yaml)."""

    name: str
    description: str
    aliases: tuple[str, ...]
    paint: str
    layout: str  # single_track or board
    propulsion: str  # pedal, kick, engine, cvt
    length: float
    width: float
    height: float
    wheelbase: float
    wheel_radius: float
    tyre_width: float
    curb_mass: float
    wheel_mass: float
    knuckle_mass: float  # the steering link: fork, stem, bar (a board's front truck)
    head_angle: float  # degrees, steering axis to the ground
    seat: MappingProxyType
    max_steer: float  # degrees
    top_speed: float  # m/s
    crr: float
    drag_area: float  # Cd x A, m^2, machine alone
    rider_drag_area: float  # m^2 a rider adds
    service_brake: float
    hard_brake: float
    max_accel: float | None = None
    bar: MappingProxyType | None = None
    footpeg: MappingProxyType | None = None
    deck: MappingProxyType | None = None
    kick: MappingProxyType | None = None
    bottom_bracket: MappingProxyType | None = None
    crank_length: float = 0.0
    chainring: int = 0
    cogs: tuple[int, ...] = ()
    cadence_rpm: float = 0.0
    sustained_w: float = 0.0
    peak_w: float = 0.0
    hub_pawls: int = 0
    cylinders: int = 0
    engine: Engine | None = None
    gears: tuple[float, ...] = ()
    final_drive: float = 1.0
    track: float = 0.0  # a board's axle track
    drive: str = "rear"

    @property
    def single_track(self) -> bool:
        return self.layout == "single_track"

    @property
    def wheel_names(self) -> tuple[str, ...]:
        return SINGLE_TRACK_WHEELS if self.single_track else BOARD_WHEELS

    @property
    def steer_names(self) -> tuple[str, ...]:
        return ("steer_f",) if self.single_track else ("truck_f",)

    @property
    def driven_wheels(self) -> tuple[str, ...]:
        if self.propulsion == "kick":
            return ()  # the rider's foot pushes on the road, not on the wheels
        return ("wheel_r",)

    @property
    def body_mass(self) -> float:
        crank = CRANK_MASS_KG + KICKSTAND_MASS_KG if self.propulsion == "pedal" else 0.0
        return self.curb_mass - len(self.wheel_names) * self.wheel_mass - self.knuckle_mass - crank

    @property
    def max_steer_rad(self) -> float:
        return math.radians(self.max_steer)

    @property
    def front_x(self) -> float:
        return 0.5 * self.length

    @property
    def steer_axis(self) -> np.ndarray:
        """The steering axis' unit vector, up and back along the head tube (asset frame)."""
        a = math.radians(self.head_angle)
        return np.array([-math.cos(a), 0.0, math.sin(a)])

    @property
    def has_kickstand(self) -> bool:
        return self.propulsion == "pedal"

    @property
    def gear_ratios(self) -> tuple[float, ...]:
        """A bicycle's wheel turns per crank turn in each gear, lowest first."""
        return tuple(self.chainring / c for c in self.cogs)


CRANK_MASS_KG = 0.8  # crankset with pedals (Shimano Tourney/Altus class, 170 mm)


@lru_cache(maxsize=1)
def two_wheeler_specs() -> MappingProxyType:
    """Every two-wheeler and board type by name, from two_wheelers.yaml."""
    table = yaml.safe_load(TWO_WHEELERS_FILE.read_text(encoding="utf-8"))
    specs = {}
    for name, row in table.items():
        row = dict(row)
        engine = row.pop("engine", None)
        if engine is not None:
            engine = dict(engine)
            engine["shift_up_rpm"] = tuple(engine["shift_up_rpm"])
            engine = Engine(**engine)
        mapped = {key: MappingProxyType(dict(row.pop(key))) for key in
                  ("seat", "bar", "footpeg", "deck", "kick", "bottom_bracket") if key in row}
        specs[name] = TwoWheelerSpec(
            name=name, aliases=tuple(row.pop("aliases", ())), engine=engine,
            gears=tuple(row.pop("gears", ())), cogs=tuple(row.pop("cogs", ())), **mapped, **row)
    return MappingProxyType(specs)


# --- geometry ---------------------------------------------------------------------------------

def _tube(p0, p1, radius: float, name: str, **kw) -> Part:
    """A capsule from p0 to p1."""
    p0, p1 = np.asarray(p0, dtype=float), np.asarray(p1, dtype=float)
    d = p1 - p0
    length = float(np.linalg.norm(d))
    rotation, _ = Rotation.align_vectors([d / length], [[0.0, 0.0, 1.0]])
    with warnings.catch_warnings():  # a vertical tube: gimbal lock, any third angle will do
        warnings.simplefilter("ignore", UserWarning)
        euler = tuple(float(a) for a in rotation.as_euler("xyz", degrees=True))
    return Part("capsule", (radius, 0.5 * length), tuple(float(c) for c in 0.5 * (p0 + p1)),
                euler, name=name, **kw)


def _box(center, half, name: str, euler=(0.0, 0.0, 0.0), **kw) -> Part:
    return Part("box", tuple(half), tuple(center), tuple(euler), name=name, **kw)


def _ring(radius: float, tube: float, count: int, name: str, y: float = 0.0, **kw) -> list[Part]:
    """A torus of `count` capsules in the wheel's plane (x-z), centred on the link origin."""
    points = [(radius * math.cos(2 * math.pi * k / count), y,
               radius * math.sin(2 * math.pi * k / count)) for k in range(count + 1)]
    return [_tube(a, b, tube, f"{name}{k}", collides=False, **kw)
            for k, (a, b) in enumerate(zip(points, points[1:]))]


def _spokes(inner: float, outer: float, count: int, tube: float, name: str,
            y: float = 0.0, **kw) -> list[Part]:
    out = []
    for k in range(count):
        a = 2 * math.pi * k / count
        c, s = math.cos(a), math.sin(a)
        out.append(_tube((inner * c, y, inner * s), (outer * c, y, outer * s), tube,
                         f"{name}{k}", collides=False, **kw))
    return out


def _spoked_wheel(s: TwoWheelerSpec, style: str) -> tuple[Part, ...]:
    """The tyre's contact shape (an ellipsoid, round in section as a tyre is: a leaning wheel
    rolls on its shoulder; it is not drawn) and what is drawn: tyre, rim, spokes, hub."""
    r, half = s.wheel_radius, 0.5 * s.tyre_width
    contact = Part("ellipsoid", (r, half, r), material="tyre", rgb=TYRE_RGB, alpha=0.0,
                   name="tyre")
    parts = [contact, *_ring(r - half, half, 20, "tread", material="tyre", rgb=TYRE_RGB)]
    if style == "bicycle":
        rim = r - 2 * half - 0.01
        parts += _ring(rim, 0.008, 16, "rim", material="aluminium", rgb=ALLOY_RGB)
        parts += _spokes(0.02, rim, 16, 0.0018, "spoke", material="metal", rgb=CHROME_RGB)
        parts.append(Part("cylinder", (0.022, 0.05), euler=(90.0, 0.0, 0.0), material="metal",
                          rgb=ALLOY_RGB, collides=False, name="hub"))
    elif style == "motorcycle":
        rim = r - 2 * half + 0.01
        parts += _ring(rim, 0.014, 16, "rim", material="aluminium", rgb=DARK_RGB)
        parts += _spokes(0.06, rim, 6, 0.014, "spoke", material="aluminium", rgb=DARK_RGB)
        parts.append(Part("cylinder", (0.06, 0.07), euler=(90.0, 0.0, 0.0), material="metal",
                          rgb=ALLOY_RGB, collides=False, name="hub"))
        parts.append(Part("cylinder", (0.145, 0.003), (0.0, 0.06, 0.0), (90.0, 0.0, 0.0),
                          material="metal", rgb=CHROME_RGB, collides=False, name="disc"))
    else:  # a scooter's small pressed wheel: a disc with a few holes' worth of spokes
        rim = r - 2 * half + 0.005
        parts.append(Part("cylinder", (rim, 0.6 * half), euler=(90.0, 0.0, 0.0),
                          material="metal", rgb=ALLOY_RGB, collides=False, name="disc"))
        parts += _spokes(0.02, rim - 0.01, 5, 0.008, "spoke", y=0.6 * half + 0.002,
                         material="metal", rgb=DARK_RGB)
    return tuple(parts)


def _single_track_links(s: TwoWheelerSpec, style: str, steer_parts: list[Part],
                        extra: tuple[Link, ...] = ()) -> tuple[Link, ...]:
    x = 0.5 * s.wheelbase
    r = s.wheel_radius
    axis = tuple(float(a) for a in s.steer_axis)
    return (
        Link("steer_f", tuple(steer_parts), (x, 0.0, r), "hinge", axis, mass=s.knuckle_mass,
             range=(-70.0, 70.0)),
        Link("wheel_f", _spoked_wheel(s, style), (0.0, 0.0, 0.0), "hinge", (0.0, 1.0, 0.0),
             parent="steer_f", mass=s.wheel_mass),
        Link("wheel_r", _spoked_wheel(s, style), (-x, 0.0, r), "hinge", (0.0, 1.0, 0.0),
             mass=s.wheel_mass),
        *extra,
    )


def _fork_and_bar(s: TwoWheelerSpec, crown: float, top: float, blade: float, gap: float,
                  fork_rgb, bar_rgb) -> list[Part]:
    """Fork blades from the axle up the steering axis to the crown, the steerer to `top`, a
    stem forward to the bar, and the bar with grips (steering link frame: the front axle)."""
    u = s.steer_axis
    axle_x = 0.5 * s.wheelbase
    bar = np.array([s.bar["x"] - axle_x, 0.0, s.bar["z"] - s.wheel_radius])
    half = s.bar["half_spread"]
    head = crown * u
    top_point = top * u
    parts = [_tube((0.0, side * gap, 0.0), head + np.array([0.0, side * gap, 0.0]), blade,
                   f"fork{side:+d}", material="metal", rgb=fork_rgb) for side in (-1, 1)]
    if gap > 0.0:
        parts.append(_tube(head + np.array([0.0, -gap, 0.0]), head + np.array([0.0, gap, 0.0]),
                           blade, "crown", material="metal", rgb=fork_rgb))
    else:  # a single leg (a scooter's trailing-link fork)
        parts = parts[:1]
    parts.append(_tube(head, top_point, 0.8 * blade, "steerer", material="metal", rgb=bar_rgb))
    parts.append(_tube(top_point, bar, 0.8 * blade, "stem", material="metal", rgb=bar_rgb,
                       collides=False))
    parts.append(_tube(bar + np.array([0.0, -half, 0.0]), bar + np.array([0.0, half, 0.0]),
                       0.012, "bar", material="metal", rgb=bar_rgb))
    for side in (-1, 1):
        parts.append(_tube(bar + np.array([0.0, side * (half - 0.11), 0.0]),
                           bar + np.array([0.0, side * (half + 0.005), 0.0]), 0.018,
                           f"grip{side:+d}", material="rubber", rgb=DARK_RGB, collides=False))
    return parts


def _bicycle(s: TwoWheelerSpec) -> tuple[list[Part], tuple[Link, ...], dict]:
    r, half_wb = s.wheel_radius, 0.5 * s.wheelbase
    u = s.steer_axis
    front = np.array([half_wb, 0.0, r])
    rear = np.array([-half_wb, 0.0, r])
    bb = np.array([s.bottom_bracket["x"], 0.0, r - s.bottom_bracket["drop"]])
    saddle = np.array([s.seat["x"], 0.0, s.seat["z"]])
    head_lo, head_hi = front + 0.42 * u, front + 0.60 * u
    cluster = bb + 0.62 * (saddle - bb)
    tube = dict(material="aluminium")
    parts = [
        _tube(head_hi, cluster, 0.016, "top_tube", **tube),
        _tube(head_lo, bb, 0.021, "down_tube", **tube),
        _tube(bb, cluster, 0.016, "seat_tube", **tube),
        _tube(head_lo, head_hi, 0.022, "head_tube", **tube),
        _tube(cluster, saddle - np.array([0.0, 0.0, 0.03]), 0.0135, "seatpost",
              material="metal", rgb=ALLOY_RGB),
        Part("ellipsoid", (0.13, 0.075, 0.025), tuple(saddle - np.array([0.02, 0.0, 0.02])),
             material="rubber", rgb=SADDLE_RGB, name="saddle"),
        Part("cylinder", (0.028, 0.045), tuple(bb), (90.0, 0.0, 0.0), material="metal",
             rgb=ALLOY_RGB, name="bottom_bracket"),
    ]
    for side in (-1, 1):
        stay = rear + np.array([0.0, side * 0.068, 0.0])
        parts += [_tube(bb + np.array([0.0, side * 0.035, 0.0]), stay, 0.010,
                        f"chainstay{side:+d}", **tube),
                  _tube(cluster + np.array([0.0, side * 0.02, 0.0]), stay, 0.009,
                        f"seatstay{side:+d}", **tube)]
    # drive side (right, -y): cassette and the chain's two runs (they do not turn)
    ring_r = 0.0127 * s.chainring / (2 * math.pi)
    cog_r = 0.0127 * 20 / (2 * math.pi)
    chain_y = -0.065
    parts.append(Part("cylinder", (cog_r, 0.018), tuple(rear + np.array([0.0, chain_y + 0.01,
                                                                         0.0])),
                      (90.0, 0.0, 0.0), material="metal", rgb=ALLOY_RGB, collides=False,
                      name="cassette"))
    for sign in (-1, 1):
        parts.append(_tube(bb + np.array([0.0, chain_y, sign * ring_r]),
                           rear + np.array([0.0, chain_y, sign * cog_r]), 0.004,
                           f"chain{sign:+d}", material="metal", rgb=DARK_RGB, collides=False))
    # the crankset (its own link): chainring with five spider arms, two cranks, two pedals
    crank = s.crank_length
    crank_parts = [*_ring(ring_r, 0.004, 14, "ring", y=chain_y, material="metal",
                          rgb=ALLOY_RGB),
                   *_spokes(0.02, ring_r, 5, 0.006, "spider", y=chain_y, material="metal",
                            rgb=ALLOY_RGB)]
    for side, direction in ((-1, 1.0), (1, -1.0)):  # right crank forward at angle 0
        y_arm, y_pedal = side * 0.080, side * 0.125
        end = np.array([direction * crank, y_arm, 0.0])
        crank_parts += [
            _tube((0.0, side * 0.05, 0.0), end, 0.010, f"crank{side:+d}", material="aluminium",
                  rgb=DARK_RGB, collides=False),
            _box((direction * crank, y_pedal, 0.0), (0.045, 0.045, 0.010), f"pedal{side:+d}",
                 material="plastic", rgb=DARK_RGB, collides=False),
        ]
    steer = _fork_and_bar(s, 0.40, 0.66, 0.013, 0.05, ALLOY_RGB, DARK_RGB)
    links = _single_track_links(s, "bicycle", steer, (
        Link(CRANK, tuple(crank_parts), tuple(float(c) for c in bb), "hinge", (0.0, 1.0, 0.0),
             mass=CRANK_MASS_KG), _kickstand(bb)))
    anchors = {
        "pedal_axle": tuple(float(c) for c in bb),
        "foot_right": (float(bb[0] + crank), -0.125, float(bb[2] + 0.01)),
        "foot_left": (float(bb[0] - crank), 0.125, float(bb[2] + 0.01)),
        "head": tuple(float(c) for c in front + 0.66 * u),
    }
    return parts, links, anchors


def _motorcycle(s: TwoWheelerSpec) -> tuple[list[Part], tuple[Link, ...], dict]:
    r, half_wb = s.wheel_radius, 0.5 * s.wheelbase
    u = s.steer_axis
    front = np.array([half_wb, 0.0, r])
    rear = np.array([-half_wb, 0.0, r])
    head_lo = front + 0.55 * u
    pivot = np.array([-0.26, 0.0, 0.42])
    dark = dict(material="metal", rgb=DARK_RGB)
    paint = dict(material="car_body")
    parts = [
        Part("ellipsoid", (0.30, 0.17, 0.13), (0.10, 0.0, 0.86), (0.0, 8.0, 0.0),
             name="tank", **paint),
        _box((0.06, 0.0, 0.45), (0.22, 0.15, 0.16), "crankcase", **dark),
        _box((0.20, 0.0, 0.66), (0.10, 0.14, 0.09), "cylinders", (0.0, -25.0, 0.0),
             material="aluminium", rgb=(0.55, 0.56, 0.58)),
        _box((0.33, 0.0, 0.58), (0.025, 0.19, 0.13), "radiator", material="metal",
             rgb=(0.08, 0.08, 0.08)),
        _box((-0.24, 0.0, 0.79), (0.25, 0.14, 0.045), "seat", (0.0, -4.0, 0.0),
             material="rubber", rgb=SADDLE_RGB),
        _box((-0.60, 0.0, 0.85), (0.17, 0.09, 0.05), "tail", (0.0, -10.0, 0.0), **paint),
        _box((-0.765, 0.0, 0.86), (0.012, 0.06, 0.025), "tail_light", rgb=TAIL_RGB,
             collides=False),
        _tube((-0.35, 0.0, 0.72), (-0.78, 0.0, 0.58), 0.03, "rear_hugger",
              material="plastic", rgb=DARK_RGB, collides=False),
        _tube(pivot + np.array([0.0, 0.0, 0.05]), (-0.40, 0.0, 0.76), 0.025, "shock",
              material="metal", rgb=(0.75, 0.2, 0.1)),
        # exhaust: headers down from the cylinder head, under the engine, a muffler right
        _tube((0.27, -0.05, 0.60), (0.26, -0.06, 0.22), 0.022, "header", material="metal",
              rgb=CHROME_RGB),
        _tube((0.26, -0.06, 0.22), (-0.16, -0.15, 0.24), 0.028, "collector", material="metal",
              rgb=CHROME_RGB),
        _tube((-0.18, -0.17, 0.26), (-0.58, -0.19, 0.40), 0.065, "muffler", material="metal",
              rgb=(0.2, 0.2, 0.22)),
    ]
    for side in (-1, 1):
        y = side * 0.11
        parts += [
            _tube(head_lo + np.array([0.0, y, 0.0]), pivot + np.array([0.0, y, 0.08]), 0.022,
                  f"frame{side:+d}", **dark),
            _tube(pivot + np.array([0.0, y, 0.0]), rear + np.array([0.0, y, 0.0]), 0.024,
                  f"swingarm{side:+d}", **dark),
            _tube((-0.20, y, 0.78), (-0.70, y * 0.7, 0.84), 0.015, f"subframe{side:+d}", **dark),
            _tube((-0.14, side * 0.10, 0.33), (-0.14, side * 0.20, 0.33), 0.014,
                  f"footpeg{side:+d}", **dark),
        ]
    steer = _fork_and_bar(s, 0.55, 0.74, 0.028, 0.10, (0.85, 0.7, 0.2), DARK_RGB)
    lamp = 0.62 * u + np.array([0.12, 0.0, 0.0])
    steer += [
        Part("cylinder", (0.085, 0.05), tuple(lamp), (0.0, 90.0, 0.0), material="metal",
             rgb=DARK_RGB, name="headlight_shell"),
        Part("cylinder", (0.075, 0.004), tuple(lamp + np.array([0.052, 0.0, 0.0])),
             (0.0, 90.0, 0.0), rgb=LAMP_RGB, collides=False, name="headlight"),
        _box((0.0, 0.0, r + 0.04), (0.2, 0.07, 0.012), "front_fender", material="plastic",
             rgb=DARK_RGB, collides=False),
    ]
    links = _single_track_links(s, "motorcycle", steer)
    return parts, links, {"head": tuple(float(c) for c in front + 0.74 * u)}


def _moped(s: TwoWheelerSpec) -> tuple[list[Part], tuple[Link, ...], dict]:
    r, half_wb = s.wheel_radius, 0.5 * s.wheelbase
    u = s.steer_axis
    front = np.array([half_wb, 0.0, r])
    paint = dict(material="car_body")
    parts = [
        _box((0.08, 0.0, 0.23), (0.34, 0.19, 0.03), "floorboard", material="rubber",
             rgb=DARK_RGB),
        _box((0.44, 0.0, 0.60), (0.035, 0.25, 0.37), "leg_shield", (0.0, -14.0, 0.0), **paint),
        _box((0.36, 0.0, 0.45), (0.05, 0.14, 0.22), "tunnel", **paint),
        Part("ellipsoid", (0.45, 0.27, 0.25), (-0.42, 0.0, 0.50), name="rear_body", **paint),
        Part("ellipsoid", (0.36, 0.15, 0.05), (-0.24, 0.0, 0.77), (0.0, -3.0, 0.0),
             material="rubber", rgb=(0.30, 0.18, 0.10), name="seat"),
        _box((-0.86, 0.0, 0.58), (0.01, 0.08, 0.03), "tail_light", rgb=TAIL_RGB,
             collides=False),
        _box((-0.52, -0.12, 0.24), (0.20, 0.05, 0.08), "engine", material="metal",
             rgb=DARK_RGB),
        _tube((-0.55, -0.20, 0.25), (-0.82, -0.20, 0.33), 0.045, "muffler", material="metal",
              rgb=(0.25, 0.25, 0.27)),
    ]
    steer = _fork_and_bar(s, 0.45, 0.90, 0.022, 0.0, DARK_RGB, DARK_RGB)
    bar_local = np.array([s.bar["x"] - half_wb, 0.0, s.bar["z"] - r])
    steer += [
        _box(bar_local + np.array([0.0, 0.0, 0.0]), (0.08, 0.22, 0.055), "headset", **paint),
        Part("cylinder", (0.07, 0.02), tuple(bar_local + np.array([0.08, 0.0, 0.0])),
             (0.0, 90.0, 0.0), rgb=LAMP_RGB, collides=False, name="headlight"),
        # the mudguard: a shell over the wheel's top (its lower half inside the tyre's arc)
        Part("ellipsoid", (0.2, 0.075, 0.11), (0.0, 0.0, r - 0.02), name="front_fender",
             collides=False, **paint),
    ]
    links = _single_track_links(s, "moped", steer)
    return parts, links, {"head": tuple(float(c) for c in front + 0.90 * u)}


def _kick_scooter(s: TwoWheelerSpec) -> tuple[list[Part], tuple[Link, ...], dict]:
    r, half_wb = s.wheel_radius, 0.5 * s.wheelbase
    u = s.steer_axis
    front = np.array([half_wb, 0.0, r])
    deck = s.deck
    top = deck["z"]
    x0, x1 = -0.5 * deck["length"] - 0.05, 0.5 * deck["length"] - 0.05
    head_lo, head_hi = front + 0.14 * u, front + 0.30 * u
    alloy = dict(material="aluminium", rgb=ALLOY_RGB)
    parts = [
        _box((0.5 * (x0 + x1), 0.0, top - 0.015), (0.5 * (x1 - x0), 0.5 * deck["width"], 0.015),
             "deck", **alloy),
        _box((0.5 * (x0 + x1), 0.0, top + 0.001), (0.5 * (x1 - x0) - 0.01,
                                                    0.5 * deck["width"] - 0.01, 0.001),
             "grip_tape", material="rubber", rgb=GRIP_TAPE_RGB, collides=False),
        _tube((x1, 0.0, top - 0.01), head_lo, 0.02, "neck", **alloy),
        _tube(head_lo, head_hi, 0.022, "head_tube", **alloy),
        _box((-half_wb + 0.01, 0.0, 2 * r + 0.012), (0.085, 0.035, 0.008), "fender_brake",
             material="plastic", rgb=DARK_RGB),
    ]
    for side in (-1, 1):
        parts.append(_tube((x0, side * 0.03, top - 0.015), (-half_wb, side * 0.03, r), 0.009,
                           f"rear_dropout{side:+d}", **alloy))
    steer = _fork_and_bar(s, 0.14, 0.31, 0.011, 0.03, ALLOY_RGB, ALLOY_RGB)
    # the stem runs up the steering axis to the T-bar
    bar_local = np.array([s.bar["x"] - half_wb, 0.0, s.bar["z"] - r])
    steer.append(_tube(0.31 * u, bar_local, 0.016, "stem_tube", material="aluminium",
                       rgb=ALLOY_RGB))
    links = _single_track_links(s, "scooter", steer)
    anchors = {"foot_left": (0.06, 0.03, top), "foot_right": (-0.14, -0.03, top),
               "head": tuple(float(c) for c in front + bar_local)}
    return parts, links, anchors


def _skateboard(s: TwoWheelerSpec) -> tuple[list[Part], tuple[Link, ...], dict]:
    r, half_wb = s.wheel_radius, 0.5 * s.wheelbase
    deck = s.deck
    z = deck["z"]
    flat = 0.5 * s.wheelbase + 0.06
    kick = 0.5 * deck["length"] - flat
    width = 0.5 * deck["width"]
    wood = dict(material="wood", rgb=None)
    lift = math.radians(deck.get("kick_deg", 16.0))  # the nose's and tail's kick
    parts = [_box((0.0, 0.0, z), (flat, width, 0.0055), "deck", **wood),
             _box((0.0, 0.0, z + 0.0062), (flat, width - 0.004, 0.0008), "grip_tape",
                  material="rubber", rgb=GRIP_TAPE_RGB, collides=False)]
    for side, name in ((1, "nose"), (-1, "tail")):
        cx = side * (flat + 0.5 * kick * math.cos(lift))
        cz = z + 0.5 * kick * math.sin(lift)
        parts += [_box((cx, 0.0, cz), (0.5 * kick, width * 0.97, 0.0055), name,
                       (0.0, -side * math.degrees(lift), 0.0), **wood),
                  _box((cx, 0.0, cz + 0.006), (0.5 * kick - 0.004, width * 0.95, 0.0008),
                       f"{name}_tape", (0.0, -side * math.degrees(lift), 0.0),
                       material="rubber", rgb=GRIP_TAPE_RGB, collides=False)]
    truck = dict(material="aluminium", rgb=ALLOY_RGB)
    half_track = 0.5 * s.track

    def truck_parts(body_frame_x: float, on_link: bool) -> list[Part]:
        # baseplate under the deck, the hanger down to the axle (link frame: the axle)
        x = 0.0 if on_link else body_frame_x
        base_z = z - 0.0055 - (r if on_link else 0.0)
        axle_z = 0.0 if on_link else r
        return [_box((x, 0.0, base_z - 0.006), (0.035, 0.03, 0.006), "baseplate", **truck),
                _tube((x, 0.0, base_z - 0.012), (x, 0.0, axle_z + 0.012), 0.012, "kingpin",
                      **truck),
                _tube((x, -half_track + 0.02, axle_z), (x, half_track - 0.02, axle_z), 0.011,
                      "hanger", **truck)]

    def wheel() -> tuple[Part, ...]:
        return (Part("cylinder", (r, 0.5 * s.tyre_width), euler=(90.0, 0.0, 0.0),
                     material="plastic", rgb=URETHANE_RGB, name="tyre"),
                Part("box", (0.7 * r, 0.5 * s.tyre_width + 0.001, 0.004), material="plastic",
                     rgb=(0.75, 0.7, 0.6), collides=False, name="mark"))

    parts += [p for p in truck_parts(-half_wb, on_link=False)]
    links = [Link("truck_f", tuple(truck_parts(half_wb, on_link=True)), (half_wb, 0.0, r),
                  "hinge", (0.0, 0.0, 1.0), mass=s.knuckle_mass, range=(-30.0, 30.0))]
    for suffix, side in (("l", 1), ("r", -1)):
        links.append(Link(f"wheel_f{suffix}", wheel(), (0.0, side * half_track, 0.0), "hinge",
                          (0.0, 1.0, 0.0), parent="truck_f", mass=s.wheel_mass))
    for suffix, side in (("l", 1), ("r", -1)):
        links.append(Link(f"wheel_r{suffix}", wheel(), (-half_wb, side * half_track, r),
                          "hinge", (0.0, 1.0, 0.0), mass=s.wheel_mass))
    top = z + 0.0063
    anchors = {"foot_left": (half_wb - 0.03, 0.0, top), "foot_right": (-half_wb + 0.02, 0.0, top),
               "head": (half_wb, 0.0, top)}
    return parts, tuple(links), anchors


def kickstand_geometry(bb: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, float]:
    """(pivot, leg down, hinge axis, fold angle in degrees) of a rear-mount kickstand behind
    the bottom bracket on the left chainstay. Down, its foot is on the road when the bicycle
    leans KICKSTAND_LEAN_DEG to the left (the body frame's points on the road then satisfy
    z = y tan(lean)); folded, it lies back along the chainstay."""
    pivot = bb + np.array([-0.05, 0.045, -0.01])
    foot_y = 0.22
    foot = np.array([pivot[0] - 0.08, foot_y, foot_y * math.tan(math.radians(KICKSTAND_LEAN_DEG))
                     + 0.012])  # the foot's radius above the road
    down = foot - pivot
    length = float(np.linalg.norm(down))
    up = np.array([-0.31, 0.03, 0.06])
    up = up / np.linalg.norm(up) * length
    axis = np.cross(down, up)
    axis /= np.linalg.norm(axis)
    fold = math.degrees(math.acos(float(np.dot(down, up)) / (length * length)))
    return pivot, down, axis, fold


def _kickstand(bb: np.ndarray) -> Link:
    pivot, down, axis, fold = kickstand_geometry(bb)
    return Link(KICKSTAND, (
        _tube((0.0, 0.0, 0.0), down, 0.009, "leg", material="aluminium", rgb=DARK_RGB),
        Part("sphere", (0.012,), tuple(float(c) for c in down), material="rubber",
             rgb=DARK_RGB, name="foot"),
    ), tuple(float(c) for c in pivot), "hinge", tuple(float(a) for a in axis),
        mass=KICKSTAND_MASS_KG, range=(0.0, fold))


_BUILDERS = {"bicycle": _bicycle, "motorcycle": _motorcycle, "moped": _moped,
             "kick_scooter": _kick_scooter, "skateboard": _skateboard, "longboard": _skateboard}


def two_wheeler_asset(s: TwoWheelerSpec) -> Asset:
    """The asset of one type: its body (curb mass less wheels, steering link and crank) and
    links, with the rider's anchors."""
    parts, links, anchors = _BUILDERS[s.name](s)
    seat = (s.seat["x"], 0.0, s.seat["z"])
    anchors = {"seat": seat, **anchors}
    if s.bar is not None:
        for name, side in (("grip_left", 1), ("grip_right", -1)):
            anchors[name] = (s.bar["x"], side * (s.bar["half_spread"] - 0.05), s.bar["z"])
    if s.footpeg is not None:
        for name, side in (("foot_left", 1), ("foot_right", -1)):
            anchors[name] = (s.footpeg["x"], side * s.footpeg["half_spread"], s.footpeg["z"])
    anchors["front"] = (s.front_x, 0.0, 0.5 * s.height)
    anchors["rear"] = (-s.front_x, 0.0, 0.5 * s.height)
    paint = tuple(int(s.paint[i:i + 2], 16) / 255.0 for i in (1, 3, 5))
    material = "wood" if s.layout == "board" else "car_body"
    return Asset(s.name, s.description, tuple(parts), material, mass=s.body_mass, rgb=paint,
                 aliases=s.aliases, links=links, drag_coefficient=1.0,
                 anchors={k: tuple(float(c) for c in v) for k, v in anchors.items()})


TWO_WHEELER_ASSETS: list[Asset] = [two_wheeler_asset(s) for s in two_wheeler_specs().values()]
