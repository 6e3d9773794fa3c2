"""Boats: a rowing dinghy, an outboard runabout and a sailing keelboat (boats.yaml).

Each boat type is one typical model's published specifications (boats.yaml, sources beside each
entry). From its hull dimensions this module builds one hull shape (`Hull`) that serves twice:

- as the water sees it: a grid of vertical columns under the deck, each from the hull's bottom
  to its sheer (`Hull.columns`), whose submerged parts physics.boating buoys up one by one, so a
  wave under the bow lifts the bow and a heeled boat is pushed back upright by its wider side;
- as the picture shows it: planks of the same shape (bottom, flared sides, transom, gunwale),
  with the type's fittings: thwarts and a pair of oars, a foredeck, console and outboard motor,
  or a deck, cabin, fin keel, mast, boom, mainsail and jib. The oars (each on two hinges at its
  rowlock) and the boom with its mainsail (on a hinge at the mast) are links that
  physics.boating swings: the oars through each stroke, the boom out to leeward.

Where the mass sits (`weights`: hull shell, crew, outboard, lead, rig) sets the body's inertia
and its still-water trim (`still_trim`), not the drawn planks' volumes.

The shape: a pointed bow (the half-beam falls as the square of the distance from the widest
station), a transom of the spec's width at the stern (none for a double-ender), a V bottom at
the spec's deadrise out to the chines, flared sides to the sheer, the keel rising at the bow
(rocker) and at a counter stern and the sheer rising towards it. The boat's mass is its hull, gear and crew (boats.yaml);
its waterline is where the hull displaces that mass of water (Archimedes, `Hull.draft`), and the
asset's frame is on that waterline, midships: a boat at z = the water's level floats at rest.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType

import numpy as np
import yaml
from scipy.spatial.transform import Rotation

from worldreel.assets.materials import MEDIA
from worldreel.assets.registry import Asset, Link, Part

BOATS_FILE = Path(__file__).with_name("boats.yaml")
# An adult aboard, with clothes: 75 kg (the ISO 12217-1 small-craft stability standard counts
# each person as 75 kg).
CREW_KG = 75.0
PLANK_M = 0.025  # hull planking as drawn (a GRP or plastic hull is 5-10 mm; thicker reads)
COLUMNS_ALONG, COLUMNS_ACROSS = 36, 14  # the grid the water buoys up (physics.boating)
FIN_COLUMNS = 4
FOIL_AREA = 0.685  # a NACA 00xx section's area over chord x thickness (Abbott & von Doenhoff)
TRIM_RGB = (0.12, 0.12, 0.13)
ANTIFOULING_RGB = (0.55, 0.10, 0.08)
SAIL_RGB = (0.97, 0.96, 0.92)
WOOD_RGB = (0.62, 0.45, 0.26)
ENGINE_RGB = (0.10, 0.10, 0.11)


@dataclass(frozen=True)
class HullShape:
    """The hull's published dimensions and the shape parameters read from boats.yaml."""

    length: float
    beam: float
    depth: float
    deadrise: float  # degrees
    chine: float
    rocker: float
    sheer_rise: float
    transom: float
    max_beam_at: float
    stern_rise: float = 0.0  # m the keel rises to the stern (a counter stern's overhang)


@dataclass(frozen=True)
class Outboard:
    power_kw: float
    cylinders: int
    idle_rpm: float
    max_rpm: float
    mass: float


@dataclass(frozen=True)
class Rowing:
    stroke_rate_spm: float
    drive_share: float
    power_w: float
    peak_force_n: float

    @property
    def period(self) -> float:
        """s from one catch to the next."""
        return 60.0 / self.stroke_rate_spm

    @property
    def drive_s(self) -> float:
        """s the blades are in the water each stroke."""
        return self.drive_share * self.period


@dataclass(frozen=True)
class Keel:
    chord: float
    thickness: float
    tip_depth: float  # below the waterline, m (the published draft)
    ballast: float


@dataclass(frozen=True)
class Rig:
    mast_height: float  # above the deck
    foot: float  # mainsail foot (E)
    luff: float  # mainsail luff (P)
    jib_foot: float  # J: mast to forestay at the deck
    jib_luff: float  # I: forestay height above the deck
    boom_height: float  # above the deck
    mass: float = 0.0  # kg of mast, boom, rigging and sails

    @property
    def area(self) -> float:
        """m^2 of mainsail and jib (triangles)."""
        return 0.5 * (self.foot * self.luff + self.jib_foot * self.jib_luff)


class Hull:
    """The hull's surface as functions of x (forward, m from midships) in the keel frame (z = 0
    at the keel's lowest point midships), its columns, volume and draft."""

    def __init__(self, shape: HullShape, keel: Keel | None = None):
        self.shape = shape
        self.keel = keel
        self.half_length = 0.5 * shape.length
        self.tan_deadrise = math.tan(math.radians(shape.deadrise))

    def _u(self, x):
        return np.asarray(x, float) / self.half_length

    def half_beam(self, x) -> np.ndarray:
        """Half-width at the sheer: widest at max_beam_at, to a point at the bow, to the transom
        (a share of the beam) at the stern."""
        s = self.shape
        u, um = self._u(x), s.max_beam_at
        fore = 1.0 - ((u - um) / (1.0 - um)) ** 2
        aft = 1.0 - (1.0 - s.transom) * ((um - u) / (1.0 + um)) ** 2
        return 0.5 * s.beam * np.clip(np.where(u >= um, fore, aft), 0.0, 1.0)

    def keel_z(self, x) -> np.ndarray:
        """The keel line: rising ahead of the widest station (rocker), a little at the stern."""
        s = self.shape
        u, um = self._u(x), s.max_beam_at
        fore = np.clip((u - um) / (1.0 - um), 0.0, 1.0) ** 2.2
        aft = np.clip((um - u) / (1.0 + um), 0.0, 1.0) ** 2
        return s.rocker * fore + s.stern_rise * aft

    def sheer_z(self, x) -> np.ndarray:
        u = self._u(x)
        s = self.shape
        return s.depth + s.sheer_rise * (np.maximum(u, 0.0) ** 2 + 0.3 * np.minimum(u, 0.0) ** 2)

    def chine(self, x) -> tuple[np.ndarray, np.ndarray]:
        """(half-width, height) of the chine, where the V bottom meets the side."""
        bc = self.shape.chine * self.half_beam(x)
        return bc, self.keel_z(x) + bc * self.tan_deadrise

    def bottom_z(self, x, y) -> np.ndarray:
        """The hull's underside at (x, y): the V bottom to the chine, then the side."""
        x, y = np.broadcast_arrays(np.asarray(x, float), np.abs(np.asarray(y, float)))
        b = self.half_beam(x)
        bc, zc = self.chine(x)
        bottom = self.keel_z(x) + y * self.tan_deadrise
        side = zc + (y - bc) / np.maximum(b - bc, 1e-6) * (self.sheer_z(x) - zc)
        return np.where(y <= bc, bottom, side)

    @cached_property
    def _hull_columns(self) -> tuple[np.ndarray, ...]:
        """Columns under the deck (keel frame): x, y, bottom z, top z, plan area."""
        n, m = COLUMNS_ALONG, COLUMNS_ACROSS
        dx = self.shape.length / n
        x = -self.half_length + dx * (np.arange(n) + 0.5)
        b = self.half_beam(x)
        frac = (np.arange(m) + 0.5) / m * 2.0 - 1.0
        xs = np.repeat(x, m)
        ys = (b[:, None] * frac[None, :]).ravel()
        area = np.repeat(dx * 2.0 * b / m, m)
        return xs, ys, self.bottom_z(xs, ys), self.sheer_z(xs), area

    def _fin_columns(self, fin_bottom: float) -> tuple[np.ndarray, ...]:
        k = self.keel
        dx = k.chord / FIN_COLUMNS
        xs = self.keel_x - 0.5 * k.chord + dx * (np.arange(FIN_COLUMNS) + 0.5)
        area = np.full(FIN_COLUMNS, dx * k.thickness * FOIL_AREA)
        return xs, np.zeros(FIN_COLUMNS), np.full(FIN_COLUMNS, fin_bottom), \
            self.keel_z(xs), area

    @property
    def keel_x(self) -> float:
        """The fin keel's middle: a little ahead of midships, under the mast's weight."""
        return 0.05 * self.shape.length

    def _keel_frame_columns(self, draft: float) -> tuple[np.ndarray, ...]:
        parts = [self._hull_columns]
        if self.keel is not None:  # the fin reaches its published tip depth below the water
            parts.append(self._fin_columns(draft - self.keel.tip_depth))
        return tuple(np.concatenate(c) for c in zip(*parts))

    def columns(self) -> tuple[np.ndarray, ...]:
        """Every column the water buoys up, in the asset frame (z = 0 on the waterline): x, y,
        bottom z, top z, plan area (m^2)."""
        x, y, z0, z1, a = self._keel_frame_columns(self.draft)
        return x, y, z0 - self.draft, z1 - self.draft, a

    def displaced(self, draft: float) -> float:
        """m^3 of hull (and fin) under the water floating at this draft (keel to waterline)."""
        _, _, z0, z1, a = self._keel_frame_columns(draft)
        return float(np.sum(a * np.clip(draft - z0, 0.0, z1 - z0)))

    def draft_for(self, mass: float, density: float) -> float:
        """The canoe body's draft (m, keel midships to waterline) at which the hull displaces
        `mass`: bisection of rho V(T) = m."""
        lo, hi = 0.0, float(self.sheer_z(0.0))
        if density * self.displaced(hi) < mass:
            raise ValueError(f"a hull of {self.shape.length} m cannot float {mass:.0f} kg")
        for _ in range(60):
            mid = 0.5 * (lo + hi)
            if density * self.displaced(mid) < mass:
                lo = mid
            else:
                hi = mid
        return 0.5 * (lo + hi)

    draft: float = 0.0  # set by BoatSpec once the mass is known

    def waterplane(self) -> tuple[float, float, float]:
        """At the design waterline: its length (LWL), area (m^2) and the hull's wetted
        surface (m^2, the bottom and sides below it; the fin's two faces)."""
        x = np.linspace(-self.half_length, self.half_length, 801)
        dx = x[1] - x[0]
        b, keel, t = self.half_beam(x), self.keel_z(x), self.draft
        ys = np.linspace(0.0, 1.0, 200)[None, :] * b[:, None]
        z = self.bottom_z(np.repeat(x[:, None], 200, 1), ys)
        under = z < t
        width = np.where(under.any(1), 2.0 * np.where(under, ys, 0.0).max(1), 0.0)
        wet_x = x[(keel < t) & (width > 0)]
        lwl = float(wet_x.max() - wet_x.min()) if len(wet_x) else 0.0
        seg = np.hypot(np.diff(ys, axis=1), np.diff(z, axis=1))
        girth = 2.0 * np.sum(np.where(under[:, 1:], seg, 0.0), axis=1)
        wetted = float(np.sum(girth) * dx)
        if self.keel is not None:
            wetted += 2.0 * self.keel.chord * (self.keel.tip_depth - t)
        return lwl, float(np.sum(width) * dx), wetted


@dataclass(frozen=True)
class BoatSpec:
    """One boat type's published specifications (boats.yaml) and the hull built from them."""

    name: str
    description: str
    aliases: tuple[str, ...]
    paint: str
    inside: str
    shape: HullShape
    hull_mass: float
    crew: int
    gear_mass: float
    published_draft: float | None
    propulsion: str  # oars, outboard or sail
    turning_radius: float
    engine: Outboard | None = None
    top_speed: float | None = None
    rowing: Rowing | None = None
    keel: Keel | None = None
    rig: Rig | None = None
    breeze_m_s: float = 0.0
    resistance_coefficient: float | None = None

    @property
    def mass(self) -> float:
        """kg afloat: hull (with its engine or rig), gear and crew."""
        return self.hull_mass + self.gear_mass + self.crew * CREW_KG

    @cached_property
    def hull(self) -> Hull:
        hull = Hull(self.shape, self.keel)
        hull.draft = hull.draft_for(self.mass, MEDIA["water"].density)
        return hull

    @cached_property
    def waterplane(self) -> tuple[float, float, float]:
        """(LWL, waterplane area, wetted surface) at the design waterline (Hull.waterplane)."""
        return self.hull.waterplane()

    @property
    def draft(self) -> float:
        """m from the waterline down to the canoe body's keel, midships (Archimedes)."""
        return self.hull.draft

    @property
    def deepest(self) -> float:
        """m from the waterline down to the lowest point of the boat (the fin's tip, the
        outboard's skeg or the keel)."""
        if self.keel is not None:
            return self.keel.tip_depth
        if self.engine is not None:
            return self.draft + 0.25
        return self.draft


def weights(spec: BoatSpec) -> list[tuple[str, float, tuple[float, float, float],
                                          tuple[float, float, float]]]:
    """Where the boat's mass sits (asset frame): (what, kg, centre, box half-sizes) of the hull
    shell, its crew seated, the outboard on the transom, gear on the floor, the lead in the
    fin keel and the rig aloft. The lead low down and the crew up high set how stiff the boat
    is against heeling; spread evenly over the hull they would not."""
    hull, t, s = spec.hull, spec.draft, spec.shape
    h = hull.half_length
    depth = float(hull.sheer_z(0.0))
    sole = float(hull.keel_z(0.0)) - t + 0.1
    engine = spec.engine.mass if spec.engine is not None else 0.0
    ballast = spec.keel.ballast if spec.keel is not None else 0.0
    rig = spec.rig.mass - BOOM_MASS_KG if spec.rig is not None else 0.0  # the boom: a link
    shell = spec.hull_mass - ballast - rig - (BOOM_MASS_KG if spec.rig is not None else 0.0)
    # (an outboard is gear: boats.yaml)
    gear = spec.gear_mass - engine
    if spec.rowing is not None:  # the oars and rowlocks weigh as links of their own
        gear -= 2.0 * (OAR_MASS_KG + ROWLOCK_MASS_KG)
    items = [("hull", shell, (-0.05 * s.length, 0.0, 0.4 * depth - t),
              (0.35 * s.length, 0.35 * s.beam, 0.3 * depth))]
    seat = {"oars": 0.0, "outboard": -0.3 * s.length, "sail": -0.3 * s.length}[spec.propulsion]
    seat_z = depth - t + (0.3 if spec.propulsion == "sail" else 0.1)
    if spec.crew:
        items.append(("crew", spec.crew * CREW_KG, (seat, 0.0, seat_z), (0.2, 0.2, 0.3)))
    if engine:
        items.append(("outboard", engine, (-h - 0.2, 0.0, float(hull.sheer_z(-h)) - t),
                      (0.25, 0.15, 0.4)))
    if gear > 0.0:
        items.append(("gear", gear, (-0.2 * s.length, 0.0, sole), (0.3, 0.3, 0.1)))
    if ballast:
        span = spec.keel.tip_depth - t
        items.append(("ballast", ballast, (hull.keel_x, 0.0, -t - 0.6 * span),
                      (0.4 * spec.keel.chord, 0.5 * spec.keel.thickness, 0.3 * span)))
    if rig:
        x_mast = h - 0.2 - spec.rig.jib_foot
        items.append(("rig", rig, (x_mast - 0.3, 0.0, depth - t + 0.4 * spec.rig.mast_height),
                      (0.5, 0.05, 0.4 * spec.rig.mast_height)))
    return items


def inertial(spec: BoatSpec) -> tuple[np.ndarray, np.ndarray]:
    """(centre of mass, principal moments about x, y, z there) of the boat's weights, each a
    solid box (the parallel-axis theorem adds them)."""
    items = weights(spec)
    masses = np.array([m for _, m, _, _ in items])
    centres = np.array([c for _, _, c, _ in items])
    com = masses @ centres / masses.sum()
    moments = np.zeros(3)
    for (_, m, c, half), d in zip(items, centres - com):
        a, b, c2 = (2.0 * np.asarray(half)) ** 2
        own = m / 12.0 * np.array([b + c2, a + c2, a + b])
        moments += own + m * np.array([d[1] ** 2 + d[2] ** 2, d[0] ** 2 + d[2] ** 2,
                                       d[0] ** 2 + d[1] ** 2])
    return com, moments


def still_trim(spec: BoatSpec) -> tuple[float, float]:
    """(rise m, pitch rad about y, + bow down) of the boat at rest in still water from its
    design waterline: where its weights (`inertial`) and the columns' buoyancy balance in force
    and in moment. A boat heavy aft (an outboard) sits by the stern."""
    from scipy.optimize import fsolve  # noqa: PLC0415

    x, _, z0, z1, area = spec.hull.columns()
    com = inertial(spec)[0]
    rho = MEDIA["water"].density

    def balance(state):
        rise, pitch = state
        c, s = math.cos(pitch), math.sin(pitch)
        bottom_z = -x * s + z0 * c + rise
        wet = np.clip(-bottom_z / c, 0.0, z1 - z0)
        volume = area * wet
        centre_x = (x * c + (z0 + 0.5 * wet) * s)
        com_x = com[0] * c + com[2] * s
        return [rho * volume.sum() / spec.mass - 1.0,
                float(volume @ (centre_x - com_x)) / max(volume.sum(), 1e-9) / spec.shape.length]

    rise, pitch = fsolve(balance, [0.0, 0.0], xtol=1e-10)
    return float(rise), float(pitch)


def _spec(name: str, row: dict) -> BoatSpec:
    row = dict(row)
    kinds = {"engine": Outboard, "rowing": Rowing, "keel": Keel, "rig": Rig}
    extra = {key: cls(**row.pop(key)) for key, cls in kinds.items() if key in row}
    return BoatSpec(name=name, aliases=tuple(row.pop("aliases", ())),
                    shape=HullShape(**row.pop("hull")), **extra, **row)


@lru_cache(maxsize=1)
def boat_specs() -> MappingProxyType:
    """Every boat type by name, from boats.yaml."""
    table = yaml.safe_load(BOATS_FILE.read_text(encoding="utf-8"))
    return MappingProxyType({name: _spec(name, row) for name, row in table.items()})


def boat_spec(asset_name: str) -> BoatSpec | None:
    """The specifications of a boat asset, or None for anything that is not a boat."""
    return boat_specs().get(asset_name)


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i:i + 2], 16) / 255.0 for i in (1, 3, 5))


def _plank(a0, b0, a1, b1, thick: float, name: str, **kw) -> Part:
    """A box through four corners: edge a0-b0 at one station, a1-b1 at the next (the quad need
    not be flat; the box is its best fit), `thick` thick on the inner side."""
    a0, b0, a1, b1 = (np.asarray(p, float) for p in (a0, b0, a1, b1))
    m0, m1 = 0.5 * (a0 + b0), 0.5 * (a1 + b1)
    along = m1 - m0
    length = float(np.linalg.norm(along))
    u = along / max(length, 1e-9)
    across = 0.5 * ((b0 - a0) + (b1 - a1))
    v = across - np.dot(across, u) * u
    width = float(np.linalg.norm(v))
    v = v / max(width, 1e-9)
    w = np.cross(u, v)
    euler = Rotation.from_matrix(np.stack([u, v, w], axis=1)).as_euler("xyz", degrees=True)
    centre = 0.5 * (m0 + m1)
    return Part("box", (0.5 * length + 0.01, 0.5 * width + 0.005, 0.5 * thick),
                tuple(float(c) for c in centre), tuple(float(e) for e in euler), name=name, **kw)


def _segments(spec: BoatSpec) -> np.ndarray:
    n = max(8, round(spec.shape.length / 0.35))
    h = spec.hull.half_length
    # closer together towards the bow, where the planform turns fastest
    t = np.linspace(0.0, 1.0, n + 1)
    return -h + 2.0 * h * (1.0 - (1.0 - t) ** 1.35)


def _hull_parts(spec: BoatSpec) -> list[Part]:
    """Bottom and side planks both sides, transom, gunwale cap: the shape of `Hull`."""
    hull, t = spec.hull, spec.draft
    xs = _segments(spec)
    b, keel, sheer = hull.half_beam(xs), hull.keel_z(xs) - t, hull.sheer_z(xs) - t
    bc, zc = hull.chine(xs)
    zc = zc - t
    parts = []
    for k in range(len(xs) - 1):
        for side in (1.0, -1.0):
            s = f"{k}{'p' if side > 0 else 's'}"
            keel0, keel1 = (xs[k], 0.0, keel[k]), (xs[k + 1], 0.0, keel[k + 1])
            ch0 = (xs[k], side * bc[k], zc[k])
            ch1 = (xs[k + 1], side * bc[k + 1], zc[k + 1])
            sh0 = (xs[k], side * b[k], sheer[k])
            sh1 = (xs[k + 1], side * b[k + 1], sheer[k + 1])
            parts.append(_plank(keel0, ch0, keel1, ch1, PLANK_M, f"bottom{s}"))
            parts.append(_plank(ch0, sh0, ch1, sh1, PLANK_M, f"side{s}"))
            parts.append(_plank(sh0, (xs[k], side * (b[k] + 0.03), sheer[k]), sh1,
                                (xs[k + 1], side * (b[k + 1] + 0.03), sheer[k + 1]), 0.05,
                                f"gunwale{s}", rgb=TRIM_RGB, material="rubber",
                                collides=False))
    if spec.shape.transom > 0.0:
        x0 = xs[0]
        parts.append(Part("box", (PLANK_M, float(b[0]), 0.5 * float(sheer[0] - keel[0])),
                          (float(x0) + PLANK_M, 0.0, 0.5 * float(sheer[0] + keel[0])),
                          name="transom"))
    # the hull inside: a lighter sole (floor) over the bottom
    inner = _rgb(spec.inside)
    mid = (xs[:-1] + xs[1:]) * 0.5
    for k, x in enumerate(mid):
        half = float(hull.chine(x)[0]) * 0.9
        z = float(hull.keel_z(x)) - t + half * hull.tan_deadrise + 0.03
        if half > 0.08 and x < hull.half_length * 0.75:
            parts.append(Part("box", (0.5 * (xs[k + 1] - xs[k]) + 0.01, half, 0.01),
                              (float(x), 0.0, z), rgb=inner, collides=False, name=f"sole{k}"))
    return parts


def _deck(spec: BoatSpec, x_from: float, name: str) -> list[Part]:
    """A deck over the hull from x_from to the bow, at the sheer."""
    hull, t = spec.hull, spec.draft
    xs = _segments(spec)
    parts = []
    for k in range(len(xs) - 1):
        x0, x1 = xs[k], xs[k + 1]
        if x1 <= x_from:
            continue
        x0 = max(x0, x_from)
        half = float(min(hull.half_beam(x0), hull.half_beam(x1)))
        if half < 0.03:
            half = 0.03
        z = float(0.5 * (hull.sheer_z(x0) + hull.sheer_z(x1))) - t
        pitch = -math.degrees(math.atan2(float(hull.sheer_z(x1) - hull.sheer_z(x0)), x1 - x0))
        parts.append(Part("box", (0.5 * (x1 - x0) + 0.01, half, 0.015), (0.5 * (x0 + x1), 0.0, z),
                          (0.0, pitch, 0.0), rgb=_rgb(spec.inside), name=f"{name}{k}"))
    return parts


def _inner_half_width(spec: BoatSpec, x: float, z: float) -> float:
    """The hull's half-width inside its planking at height z (asset frame) over station x: a
    seat there spans the flared sides without poking through them."""
    hull = spec.hull
    b, bc = float(hull.half_beam(x)), float(hull.chine(x)[0])
    zc, zs = float(hull.chine(x)[1]) - spec.draft, float(hull.sheer_z(x)) - spec.draft
    share = float(np.clip((z - zc) / max(zs - zc, 1e-6), 0.0, 1.0))
    return bc + share * (b - bc) - 1.5 * PLANK_M


def _rowing_fittings(spec: BoatSpec) -> list[Part]:
    """Three thwarts (bow, rowing, stern seats); the oars are links (`_oar_links`)."""
    hull, t = spec.hull, spec.draft
    parts = []
    wood = dict(material="wood", rgb=WOOD_RGB)
    for k, x in enumerate((-0.38 * hull.half_length * 2, 0.0, 0.3 * hull.half_length * 2)):
        z = float(hull.sheer_z(x)) - t - 0.16
        half = _inner_half_width(spec, x, z)
        parts.append(Part("box", (0.12, half, 0.015), (x, 0.0, z), name=f"thwart{k}", **wood))
    return parts


# The oars: 2.1 m (a 3 m dinghy's: about 1.5 x its beam), 0.6 m inboard of the rowlock; each
# hangs on two hinges at its rowlock (a sweep about the vertical, then the blade's rise), which
# physics.boating swings through each stroke. Angles in degrees.
OAR_INBOARD_M, OAR_OUTBOARD_M = 0.6, 1.5
OAR_MASS_KG, ROWLOCK_MASS_KG = 2.3, 0.2
OAR_REST_SWEEP = 27.0  # shipped at rest: trailing aft
ROWLOCK_X = -0.12  # m from midships: the rower's thwart is just ahead


def rowlock(spec: BoatSpec, side: float) -> tuple[float, float, float]:
    """A rowlock's pin (asset frame), on the gunwale each side (side +1: port, -1: starboard)."""
    hull = spec.hull
    z = float(hull.sheer_z(ROWLOCK_X)) - spec.draft + 0.05
    return (ROWLOCK_X, side * float(hull.half_beam(ROWLOCK_X)), z)


def oar_rest_dip(spec: BoatSpec) -> float:
    """Degrees the oar's loom dips below level for its blade to reach the still water."""
    return -math.degrees(math.asin(min(rowlock(spec, 1.0)[2] / OAR_OUTBOARD_M, 0.9)))


def _oar_links(spec: BoatSpec) -> tuple[Link, ...]:
    """Per side a rowlock (a hinge about the vertical: the sweep) and the oar on it (a hinge
    across the oar: the blade's rise), drawn at rest; port's angles are starboard's mirrored."""
    wood = dict(material="wood", rgb=WOOD_RGB, collides=False)
    links = []
    for side, tag in ((1.0, "p"), (-1.0, "s")):
        reach = 0.5 * (OAR_OUTBOARD_M - OAR_INBOARD_M)
        links.append(Link(f"rowlock_{tag}", (Part("box", (0.02, 0.02, 0.05), material="metal",
                                                   rgb=(0.7, 0.7, 0.72), collides=False,
                                                   name="pin"),),
                          rowlock(spec, side), "hinge", (0.0, 0.0, 1.0), mass=ROWLOCK_MASS_KG,
                          angle=side * OAR_REST_SWEEP))
        links.append(Link(f"oar_{tag}", (
            Part("capsule", (0.02, 0.5 * (OAR_INBOARD_M + OAR_OUTBOARD_M)), (0.0, side * reach,
                 0.0), (90.0, 0.0, 0.0), name="loom", **wood),
            Part("box", (0.08, 0.22, 0.008), (0.0, side * (OAR_OUTBOARD_M - 0.22), 0.0),
                 name="blade", **wood)),
            (0.0, 0.0, 0.0), "hinge", (1.0, 0.0, 0.0), parent=f"rowlock_{tag}",
            mass=OAR_MASS_KG, angle=side * oar_rest_dip(spec)))
    return tuple(links)


def _motor_fittings(spec: BoatSpec) -> list[Part]:
    """Foredeck, a centre console with a windscreen, a seat, and the outboard on the transom."""
    hull, t = spec.hull, spec.draft
    L = spec.shape.length
    parts = _deck(spec, 0.18 * L, "foredeck")
    inner = _rgb(spec.inside)
    sole = float(hull.keel_z(0.0)) - t + 0.12
    parts += [
        Part("box", (0.28, 0.32, 0.38), (0.0, 0.0, sole + 0.38), rgb=inner, name="console"),
        Part("box", (0.01, 0.34, 0.16), (0.22, 0.0, sole + 0.88), (0.0, -25.0, 0.0),
             material="glass", rgb=(0.25, 0.32, 0.38), alpha=0.6, collides=False,
             name="windscreen"),
        Part("cylinder", (0.1, 0.01), (0.12, 0.0, sole + 0.82), (0.0, -60.0, 0.0),
             rgb=TRIM_RGB, collides=False, name="wheel"),
        Part("box", (0.28, 0.5, 0.2), (-0.3 * L, 0.0, sole + 0.2), rgb=inner, name="seat"),
    ]
    x_t = -hull.half_length
    top = float(hull.sheer_z(x_t)) - t
    motor = dict(material="plastic", rgb=ENGINE_RGB)
    parts += [
        Part("box", (0.26, 0.19, 0.24), (x_t - 0.2, 0.0, top + 0.2), name="cowling", **motor),
        Part("box", (0.08, 0.06, 0.5 * (top + 0.25 + 0.1)), (x_t - 0.16, 0.0,
             0.5 * (top - 0.25 + 0.1) - 0.05), name="leg", **motor),
        Part("box", (0.16, 0.1, 0.01), (x_t - 0.17, 0.0, -spec.draft - 0.02),
             collides=False, name="cavitation_plate", **motor),
        Part("cylinder", (0.16, 0.03), (x_t - 0.22, 0.0, -spec.draft - 0.15),
             (0.0, 90.0, 0.0), material="metal", rgb=(0.3, 0.3, 0.32), collides=False,
             name="propeller"),
    ]
    return parts


def _sail_fittings(spec: BoatSpec) -> list[Part]:
    """Deck, cabin, cockpit, fin keel and rudder, mast, boom, mainsail and jib."""
    hull, t, rig, keel = spec.hull, spec.draft, spec.rig, spec.keel
    L = spec.shape.length
    h = hull.half_length
    parts = _deck(spec, -h + 0.02, "deck")
    inner = _rgb(spec.inside)
    deck_z = float(hull.sheer_z(0.0)) - t
    parts += [
        Part("box", (0.9, 0.85, 0.2), (0.12 * L, 0.0, deck_z + 0.2), rgb=inner, name="cabin"),
        Part("box", (0.04, 0.6, 0.08), (0.12 * L + 0.9, 0.0, deck_z + 0.2), rgb=TRIM_RGB,
             collides=False, name="cabin_windows"),
        Part("box", (0.8, 0.7, 0.02), (-0.28 * L, 0.0, deck_z + 0.012), rgb=TRIM_RGB,
             collides=False, name="cockpit"),
    ]
    x_keel = hull.keel_x
    span = keel.tip_depth - t
    parts.append(Part("box", (0.5 * keel.chord, 0.5 * keel.thickness, 0.5 * span),
                      (x_keel, 0.0, -t - 0.5 * span + 0.02), rgb=ANTIFOULING_RGB,
                      material="metal", name="fin_keel"))
    parts.append(Part("box", (0.2, 0.025, 0.45), (-h + 0.3, 0.0, -t - 0.2),
                      rgb=ANTIFOULING_RGB, collides=False, name="rudder"))
    bow = h - 0.2
    x_mast = mast_x(spec)
    parts.append(Part("cylinder", (0.06, 0.5 * rig.mast_height),
                      (x_mast, 0.0, deck_z + 0.5 * rig.mast_height), material="aluminium",
                      rgb=(0.78, 0.79, 0.8), collides=False, name="mast"))
    sail = dict(material="cloth", rgb=SAIL_RGB, collides=False)
    strips = 14
    jib_top = deck_z + min(rig.jib_luff, rig.mast_height)
    dzj = (jib_top - deck_z - 0.3) / strips
    for k in range(strips):  # the jib: from the forestay aft to the mast, narrowing up
        z = deck_z + 0.3 + dzj * (k + 0.5)
        frac = (z - deck_z) / (jib_top - deck_z)
        x_stay = bow - rig.jib_foot * frac
        chord = max(0.02, (x_stay - (x_mast + 0.12)) * (1.0 - frac) + 0.02)
        parts.append(Part("box", (0.5 * chord, 0.006, 0.5 * dzj + 0.003),
                          (x_stay - 0.5 * chord, 0.08, z), name=f"jib{k}", **sail))
    stay = math.hypot(rig.jib_foot, jib_top - deck_z)
    parts.append(Part("cylinder", (0.006, 0.5 * stay), (0.5 * (bow + x_mast), 0.0,
                      0.5 * (deck_z + jib_top)),
                      (0.0, -math.degrees(math.atan2(rig.jib_foot, jib_top - deck_z)), 0.0),
                      material="metal", rgb=(0.6, 0.6, 0.6), collides=False, name="forestay"))
    return parts


BOOM_MASS_KG = 18.0  # of the rig's mass: a 3 m aluminium boom (~2 kg/m), its fittings and
# the mainsail (~8 kg of Dacron at 12 m^2); an estimate


def mast_x(spec: BoatSpec) -> float:
    """The mast's x (asset frame): the jib's foot (J) behind the stem."""
    return spec.hull.half_length - 0.2 - spec.rig.jib_foot


def _boom_link(spec: BoatSpec) -> tuple[Link, ...]:
    """The boom and the mainsail on it, hinged at the mast (the gooseneck) so the sheet can let
    them out to leeward (physics.boating); drawn along the centreline."""
    rig = spec.rig
    deck_z = float(spec.hull.sheer_z(0.0)) - spec.draft
    pivot = (mast_x(spec), 0.0, deck_z + rig.boom_height)
    parts = [Part("cylinder", (0.045, 0.5 * rig.foot), (-0.5 * rig.foot, 0.0, 0.0),
                  (0.0, 90.0, 0.0), material="aluminium", rgb=(0.78, 0.79, 0.8),
                  collides=False, name="spar")]
    sail = dict(material="cloth", rgb=SAIL_RGB, collides=False)
    strips = 14
    dz = rig.luff / strips
    for k in range(strips):  # the mainsail: a triangle of strips, its foot on the boom
        chord = rig.foot * (1.0 - (k + 0.5) / strips)
        parts.append(Part("box", (0.5 * chord, 0.006, 0.5 * dz + 0.003),
                          (-0.06 - 0.5 * chord, 0.0, dz * (k + 0.5)), name=f"main{k}", **sail))
    return (Link("boom", tuple(parts), pivot, "hinge", (0.0, 0.0, 1.0), mass=BOOM_MASS_KG,
                 range=(-85.0, 85.0)),)


FITTINGS = {"oars": _rowing_fittings, "outboard": _motor_fittings, "sail": _sail_fittings}
HULL_MATERIAL = {"oars": "plastic", "outboard": "resin", "sail": "resin"}


def boat_asset(spec: BoatSpec) -> Asset:
    """The asset of one boat type: hull and fittings, its frame on the waterline midships."""
    parts = (*_hull_parts(spec), *FITTINGS[spec.propulsion](spec))
    h = spec.hull.half_length
    links = _oar_links(spec) if spec.rowing is not None else (
        _boom_link(spec) if spec.rig is not None else ())
    carried = sum(link.mass for link in links)
    return Asset(spec.name, spec.description, tuple(parts), HULL_MATERIAL[spec.propulsion],
                 mass=spec.mass - carried, rgb=_rgb(spec.paint), aliases=spec.aliases,
                 links=links,
                 anchors={"bow": (h, 0.0, float(spec.hull.sheer_z(h)) - spec.draft),
                          "stern": (-h, 0.0, float(spec.hull.sheer_z(-h)) - spec.draft)})


BOAT_ASSETS: list[Asset] = [boat_asset(s) for s in boat_specs().values()]
