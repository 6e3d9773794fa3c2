"""Rail vehicles and the track they run on (trains.yaml): a diesel locomotive, passenger
carriages and `railway_track`.

Each car type is one real model's published specifications (trains.yaml, sources beside each
entry); from them this module builds the asset: a painted body of primitives that reads as the
type at a glance (cab ends with windscreens and yellow warning panels, a window band, roof,
underframe, buffers) on two bogies whose wheels (drawn only: the track carries the car) stand
on the rail heads. A car moves only along its own x axis (a slide joint, physics.rail): it
cannot leave the rails. The asset frame is on the ground (the ballast's foot) under the middle
of the car, x forward, so a car and the track it stands on are placed at the same z.

`railway_track` is TRACK_LENGTH_M of standard-gauge jointed line: two rails of 18.288 m lengths
with a gap and fishplates at every joint, concrete sleepers at their real spacing, and the
ballast bed. Its frame is on the ground in the middle of its length, x along the line.

A train entity does not bring its rails: the rails are part of the world, seen before the train
comes and after it has gone, and several cars (a locomotive and its carriages) stand on one
track, so a Scene with a train needs a railway_track entity under it (train_problems says which
car stands off every track, and where to lay one).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import numpy as np
import yaml
from scipy.spatial.transform import Rotation

from worldreel.assets.registry import Asset, Part
from worldreel.scene import Brake, Drive, Entity, Scene

TRAINS_FILE = Path(__file__).with_name("trains.yaml")
TRACK_ASSET = "railway_track"
GLASS_RGB = (0.07, 0.09, 0.12)
UNDERFRAME_RGB = (0.10, 0.10, 0.11)
WHEEL_RGB = (0.25, 0.24, 0.23)
WARNING_YELLOW = (0.98, 0.80, 0.05)  # UK: a train's front end is painted yellow (GM/RT2131)
ROOF_RGB = (0.35, 0.36, 0.37)
RAIL_RGB = (0.45, 0.43, 0.41)
SLEEPER_RGB = (0.62, 0.61, 0.58)
BALLAST_RGB = (0.42, 0.40, 0.38)
VERGE_RGB = (0.22, 0.42, 0.15)
VERGE_HALF_WIDTH_M = 60.0
BUFFER_HEIGHT_M = 1.065  # buffer centres above the rail head (UK: 1,065 mm, GM/RT2100)
ON_TRACK_M = 0.05  # a car this far off a track's centre line is not on it
ALIGNED_DEG = 1.0  # a car turned more than this from the line is not on it
JOINED_M = 0.05  # track pieces whose rails meet this close are one line
COUPLING_GAP_M = 1.0  # cars whose ends are this close are coupled (buffers touching: ~0)


@dataclass(frozen=True)
class TrackSpec:
    """The track's geometry (trains.yaml `track`)."""

    gauge: float
    rail_height: float
    rail_head: float
    rail_foot: float
    rail_length: float
    joint_gap: float
    sleeper_length: float
    sleeper_width: float
    sleeper_depth: float
    sleeper_spacing: float
    ballast_depth: float
    ballast_top_width: float
    ballast_bottom_width: float
    pad: float
    length: float

    @property
    def sleeper_top(self) -> float:
        return self.ballast_depth + self.sleeper_depth

    @property
    def rail_top(self) -> float:
        """The rail heads' height above the track's frame (where wheels stand)."""
        return self.sleeper_top + self.pad + self.rail_height

    @property
    def rail_centres(self) -> float:
        """Distance between the two rails' centre lines: the gauge plus one head."""
        return self.gauge + self.rail_head

    def joints(self) -> np.ndarray:
        """x of every rail joint along the track, in its frame (the ends excluded)."""
        count = int(self.length // self.rail_length)
        xs = -0.5 * self.length + self.rail_length * np.arange(1, count + 1)
        return xs[xs < 0.5 * self.length - 1e-6]


@dataclass(frozen=True)
class CarSpec:
    """One rail vehicle type's published specifications (trains.yaml `cars`)."""

    name: str
    description: str
    kind: str  # locomotive or carriage
    aliases: tuple[str, ...]
    paint: str
    length: float
    width: float
    height: float  # above the rail head
    mass: float
    bogie_centres: float
    axles_per_bogie: int
    axle_spacing: float
    wheel_diameter: float
    floor: float
    rotating_mass: float
    front_area: float
    drag_coefficient: float
    trailing_drag_area: float = 0.0
    power_at_rail_kw: float = 0.0
    starting_tractive_effort_kn: float = 0.0
    max_speed: float = 0.0
    engine: MappingProxyType | None = None
    gear_teeth: tuple[int, int] | None = None

    @property
    def axles(self) -> tuple[float, ...]:
        """x of every axle in the car's frame, front first."""
        out = []
        for centre in (0.5 * self.bogie_centres, -0.5 * self.bogie_centres):
            first = centre + 0.5 * (self.axles_per_bogie - 1) * self.axle_spacing
            out += [first - k * self.axle_spacing for k in range(self.axles_per_bogie)]
        return tuple(out)

    @property
    def tractive_force_n(self) -> float:
        return 1000.0 * self.starting_tractive_effort_kn

    def tractive_effort(self, speed: float) -> float:
        """N at the rails at full power: the starting effort (adhesion) until the power at the
        rails takes over (F = P / v)."""
        power = 1000.0 * self.power_at_rail_kw
        return min(self.tractive_force_n, power / max(abs(speed), 1e-6))


@dataclass(frozen=True)
class Braking:
    service: float
    emergency: float
    rolling: float


@lru_cache(maxsize=1)
def _table() -> dict:
    return yaml.safe_load(TRAINS_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def track_spec() -> TrackSpec:
    return TrackSpec(**_table()["track"])


@lru_cache(maxsize=1)
def braking() -> Braking:
    return Braking(**_table()["braking"])


@lru_cache(maxsize=1)
def car_specs() -> MappingProxyType:
    """Every rail vehicle type by name, from trains.yaml."""
    specs = {}
    for name, row in _table()["cars"].items():
        row = dict(row)
        engine = row.pop("engine", None)
        teeth = row.pop("gear_teeth", None)
        specs[name] = CarSpec(name=name, aliases=tuple(row.pop("aliases", ())),
                              engine=MappingProxyType(engine) if engine else None,
                              gear_teeth=tuple(teeth) if teeth else None, **row)
    return MappingProxyType(specs)


def car_spec(asset_name: str) -> CarSpec | None:
    """The specifications of a rail vehicle asset, or None for anything else."""
    return car_specs().get(asset_name)


# --- where cars stand -------------------------------------------------------------------------


@dataclass(frozen=True)
class TrackLine:
    """A railway_track entity's line in the world: its middle, unit direction and length."""

    entity: str
    origin: np.ndarray  # (3,) the frame's origin
    direction: np.ndarray  # (2,) unit, along x
    length: float
    pieces: int = 1  # track entities laid end to end along one line, as one

    def along(self, xy: np.ndarray) -> np.ndarray:
        """Distance (m) along the line from its middle of each (.., 2) point."""
        return (np.asarray(xy)[..., :2] - self.origin[:2]) @ self.direction

    def across(self, xy: np.ndarray) -> np.ndarray:
        """Signed distance (m) of each point left of the line."""
        normal = np.array([-self.direction[1], self.direction[0]])
        return (np.asarray(xy)[..., :2] - self.origin[:2]) @ normal

    def joints_along(self) -> np.ndarray:
        """Rail joints along the line from its middle: each piece's, and where pieces meet."""
        piece = self.length / self.pieces
        middles = -0.5 * self.length + piece * (np.arange(self.pieces) + 0.5)
        inner = track_spec().joints()
        meets = -0.5 * self.length + piece * np.arange(1, self.pieces)
        return np.sort(np.concatenate([(middles[:, None] + inner[None, :]).ravel(), meets]))


def _heading(entity: Entity) -> np.ndarray:
    x = Rotation.from_euler("xyz", entity.rotation, degrees=True).apply([1.0, 0.0, 0.0])
    return x[:2] / max(float(np.linalg.norm(x[:2])), 1e-12)


def track_lines(scene: Scene) -> list[TrackLine]:
    """The lines of rail in the Scene: track entities laid end to end along one line (rails
    meeting within JOINED_M) make one line, which a train runs along from piece to piece."""
    length = track_spec().length
    lines = [TrackLine(e.id, np.array(e.position, dtype=float), _heading(e), length)
             for e in scene.entities if e.asset == TRACK_ASSET]
    merged = True
    while merged:
        merged = False
        for a in lines:
            for b in lines:
                if a is not b and (joined := _joined(a, b)) is not None:
                    lines = [line for line in lines if line is not a and line is not b]
                    lines.append(joined)
                    merged = True
                    break
            if merged:
                break
    return lines


def _joined(a: TrackLine, b: TrackLine) -> TrackLine | None:
    """One line of `a` and `b` when b continues a along the same line, end to end."""
    if abs(float(np.dot(a.direction, b.direction))) < math.cos(math.radians(ALIGNED_DEG)) \
            or abs(float(a.across(b.origin))) > ON_TRACK_M \
            or abs(float(a.origin[2] - b.origin[2])) > ON_TRACK_M:
        return None
    gap = abs(float(a.along(b.origin))) - 0.5 * (a.length + b.length)
    if abs(gap) > JOINED_M:
        return None
    first, second = (a, b) if float(a.along(b.origin)) > 0 else (b, a)
    middle = 0.5 * (first.origin - 0.5 * first.length * np.append(first.direction, 0.0)
                    + second.origin + 0.5 * second.length * np.append(first.direction, 0.0))
    return TrackLine(first.entity, middle, first.direction, a.length + b.length,
                     a.pieces + b.pieces)


def track_under(scene: Scene, entity: Entity) -> TrackLine | None:
    """The track a car stands on: its middle on the line (within ON_TRACK_M, at the track's
    z), within the line's length, and turned along it (either way)."""
    spec = car_spec(entity.asset)
    for line in track_lines(scene):
        xy = np.array(entity.position[:2], dtype=float)
        aligned = abs(float(np.dot(_heading(entity), line.direction)))
        if (abs(float(line.across(xy))) <= ON_TRACK_M
                and abs(entity.position[2] - line.origin[2]) <= ON_TRACK_M
                and abs(float(line.along(xy))) <= 0.5 * (line.length - spec.length)
                and aligned >= math.cos(math.radians(ALIGNED_DEG))):
            return line
    return None


def train_problems(scene: Scene) -> list[str]:
    """One line for every rail vehicle not standing on a railway_track's rails, and every
    Drive or Brake a rail vehicle cannot obey."""
    problems = []
    index = {e.id: n for n, e in enumerate(scene.entities)}
    for n, entity in enumerate(scene.entities):
        if entity.asset == TRACK_ASSET and entity.scale != 1.0:
            problems.append(f"entities[{n}].scale: a {TRACK_ASSET} is standard gauge, "
                            f"{track_spec().length:g} m long; leave scale at 1 and lay "
                            "another one for more line")
        spec = car_spec(entity.asset)
        if spec is None:
            continue
        if entity.scale != 1.0:
            problems.append(f"entities[{n}].scale: a {entity.asset} is built to its real "
                            "size; leave scale at 1")
        if track_under(scene, entity) is None:
            x, y, z = entity.position
            problems.append(
                f"entities[{n}].position: the {entity.asset} {entity.id!r} does not stand on "
                f"the rails of any {TRACK_ASSET}; add an entity {{asset: {TRACK_ASSET}, "
                f"position: [{x:g}, {y:g}, {z:g}], rotation: {list(entity.rotation)}}} "
                f"(it lays {track_spec().length:g} m of line along its x) or move the "
                f"{entity.asset} onto one's centre line, turned along it")
    for n, action in enumerate(scene.actions):
        if not isinstance(action, (Drive, Brake)):
            continue
        entity = scene.entities[index[action.entity]]
        spec = car_spec(entity.asset)
        if spec is None:
            continue
        if spec.kind != "locomotive":
            problems.append(f"actions[{n}]: {action.entity!r} is a {entity.asset}, which has "
                            f"no engine or driver's cab; give the {action.kind} to the "
                            "locomotive it is coupled to")
            continue
        if isinstance(action, Drive):
            if action.speed > spec.max_speed:
                problems.append(f"actions[{n}].speed: a {entity.asset} runs at most "
                                f"{spec.max_speed:g} m/s ({spec.max_speed * 3.6:.0f} km/h); "
                                "ask for less")
            if action.path:
                problems.append(f"actions[{n}].path: a train follows its rails; give a "
                                "direction along the track (forward or back) instead of a path")
            elif action.direction is not None:
                d = np.array(action.direction[:2], dtype=float)
                d /= np.linalg.norm(d)
                if abs(float(np.dot(d, _heading(entity)))) < math.cos(math.radians(ALIGNED_DEG)):
                    problems.append(f"actions[{n}].direction: a train can only go along its "
                                    f"track; give {list(np.round(_heading(entity), 3))} or "
                                    "its opposite")
    return problems


# --- geometry ---------------------------------------------------------------------------------


def _box(x0, x1, y0, y1, z0, z1, name, **kw) -> Part:
    return Part("box", (0.5 * (x1 - x0), 0.5 * (y1 - y0), 0.5 * (z1 - z0)),
                (0.5 * (x0 + x1), 0.5 * (y0 + y1), 0.5 * (z0 + z1)), name=name, **kw)


def _bogies(c: CarSpec, rail_top: float, gauge_half: float) -> list[Part]:
    """Side frames and wheels (drawn: the car is carried by its slide along the track)."""
    r = 0.5 * c.wheel_diameter
    drawn = dict(collides=False)
    parts = []
    for k, x in enumerate(c.axles):
        for side in (-1, 1):
            parts.append(Part("cylinder", (r, 0.07), (x, side * gauge_half, rail_top + r),
                              (90.0, 0.0, 0.0), material="metal", rgb=WHEEL_RGB,
                              name=f"wheel{k}{'lr'[side > 0]}", **drawn))
        parts.append(Part("cylinder", (0.08, gauge_half), (x, 0.0, rail_top + r),
                          (90.0, 0.0, 0.0), material="metal", rgb=UNDERFRAME_RGB,
                          name=f"axle{k}", **drawn))
    span = (c.axles_per_bogie - 1) * c.axle_spacing + 2 * r + 0.3
    for b, centre in enumerate((0.5 * c.bogie_centres, -0.5 * c.bogie_centres)):
        for side in (-1, 1):
            y = side * (gauge_half + 0.16)
            parts.append(_box(centre - 0.5 * span, centre + 0.5 * span, y - 0.08, y + 0.08,
                              rail_top + 0.35 * r, rail_top + 1.45 * r, f"sideframe{b}{side:+d}",
                              material="metal", rgb=UNDERFRAME_RGB, **drawn))
    return parts


def _ends(c: CarSpec, rail_top: float, cab: bool) -> list[Part]:
    """Buffers at both ends; a locomotive's cab ends (windscreens, yellow warning panel)."""
    half_l, half_w = 0.5 * c.length, 0.5 * c.width
    z_buf = rail_top + BUFFER_HEIGHT_M
    parts = []
    for end in (1, -1):
        face = end * (half_l - 0.45)  # buffers stick out 0.45 m beyond the body's end
        for side in (-1, 1):
            parts.append(Part("cylinder", (0.19, 0.225), (face + end * 0.225, side * 0.87, z_buf),
                              (0.0, 90.0, 0.0), material="metal", rgb=UNDERFRAME_RGB,
                              name=f"buffer{end:+d}{side:+d}"))
        if not cab:  # a coach's gangway: the dark bellows between cars
            parts.append(_box(face - (0.02 if end > 0 else 0.0), face + (0.0 if end > 0 else 0.02),
                              -0.55, 0.55, rail_top + c.floor, rail_top + c.floor + 2.05,
                              f"gangway{end:+d}", rgb=UNDERFRAME_RGB, collides=False))
            continue
        skin = (face, face + end * 0.015)
        lo, hi = min(skin), max(skin)
        parts.append(_box(lo, hi, -half_w + 0.05, half_w - 0.05, rail_top + c.floor,
                          rail_top + c.floor + 1.05, f"warning{end:+d}", rgb=WARNING_YELLOW,
                          collides=False))
        for side in (-1, 1):
            y0 = 0.08 if side > 0 else -half_w + 0.25
            y1 = half_w - 0.25 if side > 0 else -0.08
            parts.append(_box(lo, hi, y0, y1, rail_top + c.floor + 1.25, rail_top + c.floor + 2.05,
                              f"windscreen{end:+d}{side:+d}", material="glass", rgb=GLASS_RGB,
                              collides=False))
            # the cab's side window behind the windscreen
            x_side = end * (half_l - 0.45 - 1.0)
            y_side = side * (half_w + 0.006)
            parts.append(_box(x_side - 0.45, x_side + 0.45, y_side - 0.008, y_side + 0.008,
                              rail_top + c.floor + 1.25, rail_top + c.floor + 2.0,
                              f"cab_window{end:+d}{side:+d}", material="glass", rgb=GLASS_RGB,
                              collides=False))
        parts.append(_box(lo, hi, -0.35, 0.35, rail_top + c.floor + 0.55, rail_top + c.floor + 0.75,
                          f"headlights{end:+d}", rgb=(1.0, 0.97, 0.85), collides=False))
    return parts


def car_asset(c: CarSpec) -> Asset:
    """One rail vehicle's asset: underframe and body (they collide), bogies, ends."""
    track = track_spec()
    rail_top = track.rail_top
    half_l = 0.5 * c.length - 0.45  # the body's ends (buffers beyond)
    half_w = 0.5 * c.width
    z_floor = rail_top + c.floor
    top = rail_top + c.height
    locomotive = c.kind == "locomotive"
    parts = [
        _box(-half_l, half_l, -half_w + 0.1, half_w - 0.1, z_floor - 0.3, z_floor, "underframe",
             material="metal", rgb=UNDERFRAME_RGB),
        _box(-half_l, half_l, -half_w, half_w, z_floor, top - 0.35, "body"),
        _box(-half_l + 0.2, half_l - 0.2, -half_w + 0.3, half_w - 0.3, top - 0.35, top, "roof",
             rgb=ROOF_RGB),
    ]
    for side in (-1, 1):  # the roof's curve at the eaves
        parts.append(Part("box", (half_l - 0.1, 0.2, 0.05),
                          (0.0, side * (half_w - 0.17), top - 0.3), (side * 35.0, 0.0, 0.0),
                          rgb=ROOF_RGB, name=f"eave{side:+d}", collides=False))
    if locomotive:  # the fuel tank between the bogies, and the radiator grilles on the sides
        tank = 0.5 * c.bogie_centres - 2.8
        parts.append(_box(-tank, tank, -half_w + 0.35, half_w - 0.35, z_floor - 1.0, z_floor - 0.3,
                          "fuel_tank", material="metal", rgb=UNDERFRAME_RGB))
        for side in (-1, 1):
            y = side * (half_w + 0.006)
            parts.append(_box(-4.5, 1.5, y - 0.008, y + 0.008, z_floor + 1.2, top - 0.6,
                              f"grille{side:+d}", rgb=(0.32, 0.09, 0.10), collides=False))
    else:  # the window band and the doors at both ends
        for side in (-1, 1):
            y = side * (half_w + 0.006)
            parts.append(_box(-half_l + 1.6, half_l - 1.6, y - 0.008, y + 0.008, z_floor + 0.95,
                              z_floor + 1.75, f"windows{side:+d}", material="glass",
                              rgb=GLASS_RGB, collides=False))
            for end in (1, -1):
                x = end * (half_l - 0.9)
                parts.append(_box(x - 0.4, x + 0.4, y - 0.01, y + 0.01, z_floor + 0.05,
                                  z_floor + 1.95, f"door{end:+d}{side:+d}",
                                  rgb=(0.12, 0.20, 0.40), collides=False))
            parts.append(_box(-half_l, half_l, y - 0.009, y + 0.009, z_floor + 0.55,
                              z_floor + 0.7, f"stripe{side:+d}", rgb=(0.92, 0.92, 0.90),
                              collides=False))
    parts += _bogies(c, rail_top, 0.5 * track.rail_centres)
    parts += _ends(c, rail_top, cab=locomotive)
    paint = tuple(int(c.paint[i:i + 2], 16) / 255.0 for i in (1, 3, 5))
    return Asset(c.name, c.description, tuple(parts), "metal", mass=c.mass, rgb=paint,
                 aliases=c.aliases, joint="slide", joint_axis=(1.0, 0.0, 0.0),
                 drag_coefficient=max(c.drag_coefficient, 0.1),
                 anchors={"front": (0.5 * c.length, 0.0, z_floor),
                          "rear": (-0.5 * c.length, 0.0, z_floor), "roof": (0.0, 0.0, top)})


def track_asset(t: TrackSpec) -> Asset:
    """Standard-gauge jointed track on sleepers and ballast, t.length long."""
    half = 0.5 * t.length
    parts = [
        _box(-half, half, -0.5 * t.ballast_bottom_width, 0.5 * t.ballast_bottom_width, 0.0,
             0.5 * t.ballast_depth, "ballast_foot", material="stone", rgb=BALLAST_RGB),
        _box(-half, half, -0.5 * t.ballast_top_width, 0.5 * t.ballast_top_width,
             0.5 * t.ballast_depth, t.sleeper_top - 0.02, "ballast", material="stone",
             rgb=BALLAST_RGB),
    ]
    # The lineside land (grass verges) either side, a hair under the ground: seen where the
    # line runs on beyond the scene's own floor (a square 80 m across about the origin)
    parts.append(_box(-half, half, -VERGE_HALF_WIDTH_M, VERGE_HALF_WIDTH_M, -0.0045, -0.003,
                      "verge", material="grass", rgb=VERGE_RGB, collides=False))
    count = int(t.length / t.sleeper_spacing)
    for k in range(count):
        x = -half + (k + 0.5) * t.sleeper_spacing
        parts.append(_box(x - 0.5 * t.sleeper_width, x + 0.5 * t.sleeper_width,
                          -0.5 * t.sleeper_length, 0.5 * t.sleeper_length, t.ballast_depth,
                          t.sleeper_top + 0.01, f"sleeper{k}", material="concrete",
                          rgb=SLEEPER_RGB, collides=False))
    ends = np.concatenate([[-half], t.joints(), [half]])
    z0 = t.sleeper_top + t.pad
    for side in (-1, 1):
        y = side * 0.5 * t.rail_centres
        for k, (a, b) in enumerate(zip(ends, ends[1:])):
            a1 = a + (0.5 * t.joint_gap if k > 0 else 0.0)
            b1 = b - (0.5 * t.joint_gap if k < len(ends) - 2 else 0.0)
            # the foot, and the web with the head (one box: a rail seen from a metre away)
            parts.append(_box(a1, b1, y - 0.5 * t.rail_foot, y + 0.5 * t.rail_foot, z0,
                              z0 + 0.02, f"rail_foot{side:+d}_{k}", material="metal",
                              rgb=RAIL_RGB, collides=False))
            parts.append(_box(a1, b1, y - 0.5 * t.rail_head, y + 0.5 * t.rail_head, z0 + 0.02,
                              z0 + t.rail_height, f"rail{side:+d}_{k}", material="metal",
                              rgb=RAIL_RGB))
        for k, x in enumerate(t.joints()):  # fishplates bolted across each joint, both faces
            for face in (-1, 1):
                yf = y + face * (0.5 * t.rail_head + 0.01)
                parts.append(_box(x - 0.35, x + 0.35, yf - 0.01, yf + 0.01, z0 + 0.05,
                                  z0 + 0.14, f"fishplate{side:+d}_{k}{face:+d}",
                                  material="metal", rgb=(0.30, 0.28, 0.26), collides=False))
    return Asset(TRACK_ASSET, f"{t.length:g} m of standard-gauge railway track (jointed rails "
                 "on concrete sleepers and ballast)", tuple(parts), "stone", fixed=True,
                 aliases=("railway track", "railway", "railway line", "rail track", "rails",
                          "train track", "railroad", "railroad track"),
                 anchors={"rail_top": (0.0, 0.0, t.rail_top)})


TRAIN_ASSETS: list[Asset] = [*(car_asset(c) for c in car_specs().values()),
                             track_asset(track_spec())]


@dataclass(frozen=True)
class Consist:
    """Cars coupled on one track: their ids in order along the track's x (highest first), each
    car's facing (+1 along the track's x, -1 against it) and the locomotives among them."""

    track: TrackLine
    cars: tuple[str, ...]
    facing: tuple[int, ...]
    locomotives: tuple[str, ...]


def consists(scene: Scene) -> list[Consist]:
    """The Scene's rail vehicles grouped into coupled trains: cars on one track whose ends are
    within COUPLING_GAP_M of each other are coupled (a lone car is a consist of one)."""
    on_track: dict[str, list] = {}
    lines = {}
    for entity in scene.entities:
        spec = car_spec(entity.asset)
        if spec is None:
            continue
        line = track_under(scene, entity)
        if line is None:
            continue
        lines[line.entity] = line
        s = float(line.along(np.array(entity.position[:2], dtype=float)))
        facing = 1 if float(np.dot(_heading(entity), line.direction)) > 0 else -1
        on_track.setdefault(line.entity, []).append((s, entity.id, facing, spec))
    out = []
    for track_id, cars in on_track.items():
        cars.sort(key=lambda c: -c[0])
        groups = [[cars[0]]]
        for prev, car in zip(cars, cars[1:]):
            gap = (prev[0] - 0.5 * prev[3].length) - (car[0] + 0.5 * car[3].length)
            if gap <= COUPLING_GAP_M:
                groups[-1].append(car)
            else:
                groups.append([car])
        for group in groups:
            out.append(Consist(lines[track_id], tuple(c[1] for c in group),
                               tuple(c[2] for c in group),
                               tuple(c[1] for c in group if c[3].kind == "locomotive")))
    return out
