"""Road vehicles: sedans to buses, with steered and driven wheels on hinges (vehicles.yaml).

Each vehicle type is one typical model's published specifications (vehicles.yaml, sources
beside each entry): dimensions, wheelbase, track, wheel size, curb mass, engine, gearbox and
drag. From them this module builds the asset: a painted body of primitives that reads as the
type at a glance (lower body with wheel arches, glass greenhouse, bumpers, lights) and four
wheels on hinges. Front wheels hang on steering links (a hinge about z) whose child wheel
spins (a hinge about y); rear wheels spin on the body. The asset frame is on the ground under
the middle of the wheelbase, x forward, so an entity at z = 0 stands on its tyres; the
entity's `color` is the paint. physics.driving turns the wheels with the engine's torque,
steers them and brakes them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import yaml

from worldreel.assets.doors import door_links, door_openings
from worldreel.assets.registry import Asset, Link, Part
from worldreel.scene import Brake, Drive, Scene
from worldreel.scene.models import MAX_DRIVE_SPEED_M_S

VEHICLES_FILE = Path(__file__).with_name("vehicles.yaml")
DRIVETRAIN_EFFICIENCY = 0.90  # tyre to crank (Heywood, ICE Fundamentals: 85-95 %)
WHEEL_NAMES = ("wheel_fl", "wheel_fr", "wheel_rl", "wheel_rr")
STEER_NAMES = ("steer_fl", "steer_fr")
GLASS_RGB = (0.07, 0.09, 0.12)  # dark tinted glass
TRIM_RGB = (0.10, 0.10, 0.11)  # bumpers, grille, wheel wells
HEADLIGHT_RGB = (1.0, 0.97, 0.82)
TAILLIGHT_RGB = (0.85, 0.04, 0.04)
TYRE_RGB = (0.05, 0.05, 0.05)
HUB_RGB = (0.78, 0.79, 0.81)
SPOKE_RGB = (0.22, 0.22, 0.24)
CARGO_BOX_RGB = (0.93, 0.93, 0.91)
# Braking on a dry road, for cars: service braking 3-4 m/s^2 is what drivers use for a normal
# stop (AASHTO "A Policy on Geometric Design of Highways and Streets", 2018, 3.2.2: 3.4 m/s^2
# comfortable, most drivers brake harder); an emergency stop with ABS on dry asphalt reaches
# 7.5-9 m/s^2 (Greibe, "Braking distance, friction and behaviour", Trafitec 2007). Buses and
# trucks give their own (vehicles.yaml).
SERVICE_BRAKE_M_S2 = 4.0
HARD_BRAKE_M_S2 = 8.0


@dataclass(frozen=True)
class Engine:
    """An engine as the gearbox sees it: flat torque up to where peak power takes over."""

    power_kw: float
    torque_nm: float
    idle_rpm: float
    redline_rpm: float
    shift_up_rpm: tuple[float, float]  # at light and at full throttle
    shift_down_rpm: float


@dataclass(frozen=True)
class VehicleSpec:
    """One vehicle type's published specifications (vehicles.yaml)."""

    name: str
    description: str
    aliases: tuple[str, ...]
    paint: str
    length: float
    width: float
    height: float
    wheelbase: float
    track: float
    front_overhang: float
    wheel_radius: float
    tyre_width: float
    curb_mass: float
    wheel_mass: float
    knuckle_mass: float
    clearance: float
    beltline: float
    shape: MappingProxyType
    drive: str  # "front", "rear" or "all"
    turning_circle: float  # m, kerb to kerb
    engine: Engine
    gears: tuple[float, ...]
    final_drive: float
    drag_coefficient: float
    frontal_area: float
    zero_to_100_s: float
    front_weight: float  # share of the curb weight on the front axle
    cargo: MappingProxyType | None = None
    service_brake: float = SERVICE_BRAKE_M_S2  # m/s^2 of a normal stop
    hard_brake: float = HARD_BRAKE_M_S2  # m/s^2 of an emergency stop
    max_accel: float | None = None  # m/s^2 a driver keeps under (None: what the engine gives)
    layout = "car"  # (two-wheelers: assets.two_wheelers)
    propulsion = "engine"
    single_track = False
    wheel_names = WHEEL_NAMES
    steer_names = STEER_NAMES

    @property
    def drag_area(self) -> float:
        """Cd x frontal area, m^2."""
        return self.drag_coefficient * self.frontal_area

    @property
    def top_speed(self) -> float:
        """What a Drive may ask of it, m/s (the Drive's own bound: cars reach it)."""
        return MAX_DRIVE_SPEED_M_S

    @property
    def body_mass(self) -> float:
        """The body's share of the curb mass: all but the wheels and steering knuckles."""
        return self.curb_mass - 4 * self.wheel_mass - 2 * self.knuckle_mass

    @property
    def max_steer_rad(self) -> float:
        """The outer front wheel's lock at the published turning circle (bicycle model about
        the rear axle: tan(delta) = wheelbase / turning radius of the axle's middle)."""
        radius = 0.5 * self.turning_circle - 0.5 * (self.track + self.tyre_width)
        return math.atan(self.wheelbase / max(radius, self.wheelbase))

    @property
    def driven_wheels(self) -> tuple[str, ...]:
        return {"front": WHEEL_NAMES[:2], "rear": WHEEL_NAMES[2:], "all": WHEEL_NAMES}[self.drive]

    @property
    def front_x(self) -> float:
        """The front bumper's x in the asset frame."""
        return 0.5 * self.wheelbase + self.front_overhang


@lru_cache(maxsize=1)
def vehicle_specs() -> MappingProxyType:
    """Every vehicle type by name, from vehicles.yaml."""
    table = yaml.safe_load(VEHICLES_FILE.read_text(encoding="utf-8"))
    specs = {}
    for name, row in table.items():
        row = dict(row)
        engine = dict(row.pop("engine"))
        engine["shift_up_rpm"] = tuple(engine["shift_up_rpm"])
        cargo = row.pop("cargo", None)
        specs[name] = VehicleSpec(
            name=name, aliases=tuple(row.pop("aliases", ())), gears=tuple(row.pop("gears")),
            shape=MappingProxyType(dict(row.pop("shape"))), engine=Engine(**engine),
            cargo=MappingProxyType(dict(cargo)) if cargo else None, **row)
    return MappingProxyType(specs)


def vehicle_spec(asset_name: str):
    """The specifications of a vehicle asset (a VehicleSpec, or a TwoWheelerSpec for a
    bicycle, motorcycle, moped, kick scooter or skateboard), or None for anything that is not
    a vehicle."""
    from worldreel.assets.two_wheelers import two_wheeler_specs  # noqa: PLC0415 - builds on us

    return vehicle_specs().get(asset_name) or two_wheeler_specs().get(asset_name)


def vehicle_action_problems(scene: Scene) -> list[str]:
    """One line for every Drive or Brake given to something that is not a vehicle or a boat,
    and for every Drive faster than its vehicle type can go."""
    from worldreel.assets.boats import boat_spec, boat_specs  # noqa: PLC0415 - boats drive too
    from worldreel.assets.two_wheelers import two_wheeler_specs  # noqa: PLC0415

    known = ", ".join(sorted([*vehicle_specs(), *two_wheeler_specs()]))
    boats = ", ".join(sorted(boat_specs()))
    problems = []
    for n, action in enumerate(scene.actions):
        if isinstance(action, (Drive, Brake)):
            entity = scene.entity(action.entity)
            spec = vehicle_spec(entity.asset)
            if spec is None and boat_spec(entity.asset) is None:
                problems.append(f"actions[{n}]: {action.entity!r} is a {entity.asset}, which "
                                f"cannot {action.kind}; only vehicles can ({known}), and boats "
                                f"({boats})")
            elif spec is not None and isinstance(action, Drive) and \
                    action.speed > spec.top_speed + 1e-9:
                problems.append(
                    f"actions[{n}].speed: {action.speed:g} m/s is faster than a "
                    f"{entity.asset.replace('_', ' ')} goes (its top speed is "
                    f"{spec.top_speed:g} m/s, {spec.top_speed * 3.6:.0f} km/h); ask for at "
                    "most that")
    return problems


def _box(x0, x1, y0, y1, z0, z1, name, **kw) -> Part:
    return Part("box", (0.5 * (x1 - x0), 0.5 * (y1 - y0), 0.5 * (z1 - z0)),
                (0.5 * (x0 + x1), 0.5 * (y0 + y1), 0.5 * (z0 + z1)), name=name, **kw)


def _slab(x0, z0, x1, z1, half_width, depth, name, inward: float, **kw) -> Part:
    """A slanted pane from (x0, z0) to (x1, z1), `depth` thick, its outer face on that line and
    its thickness on the side of the normal (-dz, dx) for inward = +1, the other for -1 (the
    cabin's side: the pane fills the wedge between the beltline and the roof)."""
    length = math.hypot(x1 - x0, z1 - z0)
    pitch = math.degrees(math.atan2(-(z1 - z0), x1 - x0))  # about y: x axis along the pane
    nx, nz = -(z1 - z0) / length, (x1 - x0) / length  # the pane's normal (left of x0 -> x1)
    cx = 0.5 * (x0 + x1) + inward * nx * 0.5 * depth
    cz = 0.5 * (z0 + z1) + inward * nz * 0.5 * depth
    return Part("box", (0.5 * length, half_width, 0.5 * depth), (cx, 0.0, cz), (0.0, pitch, 0.0),
                name=name, **kw)


def _lower_body(v: VehicleSpec) -> list[Part]:
    """The painted lower body with stepped wheel arches, and the dark wheel wells inside."""
    xf = v.front_x
    xr = xf - v.length
    half_w = 0.5 * v.width
    r = v.wheel_radius
    arch = r + 0.05
    z0, zb = v.clearance, v.beltline
    cargo_x = xf - v.cargo["x_cargo"] if v.cargo else None
    bed = v.cargo is not None and v.cargo["kind"] == "bed"
    bed_floor = 2.0 * r + 0.12  # a pickup's bed floor clears the rear wheels
    parts = []
    axles = (0.5 * v.wheelbase, -0.5 * v.wheelbase)
    # Cut points along x: the body's ends and each arch's edges.
    cuts = [xr + 0.06]
    for ax in sorted(axles):
        cuts += [ax - arch, ax + arch]
    cuts.append(xf - 0.06)

    def top(x):
        if cargo_x is not None and x < cargo_x:
            return bed_floor if bed else None
        return zb

    pieces = []
    for k, (a, b) in enumerate(zip(cuts, cuts[1:])):
        in_arch = k % 2 == 1
        if cargo_x is not None and a < cargo_x < b:  # split at the cargo's front
            pieces += [(a, cargo_x, in_arch), (cargo_x, b, in_arch)]
        else:
            pieces.append((a, b, in_arch))
    for n, (a, b, in_arch) in enumerate(pieces):
        middle = 0.5 * (a + b)
        zt = top(middle)
        if zt is None:  # under a truck's box: the box is built with the cargo
            continue
        if not in_arch:
            parts.append(_box(a, b, -half_w, half_w, z0, zt, f"body{n}"))
            continue
        ax = min(axles, key=lambda x: abs(x - middle))
        # over the wheel: a stepped arch (its middle highest), and a narrow well between
        # the wheels
        for lo, hi, rise in ((ax - arch, ax - 0.55 * arch, 0.83), (ax - 0.55 * arch,
                              ax + 0.55 * arch, 1.0), (ax + 0.55 * arch, ax + arch, 0.83)):
            lo, hi = max(lo, a), min(hi, b)
            bottom = r + rise * arch
            if hi > lo and zt > bottom + 0.02:
                parts.append(_box(lo, hi, -half_w, half_w, bottom, zt, f"arch{n}_{lo:.2f}"))
        inner = 0.5 * (v.track - v.tyre_width) - 0.15
        parts.append(_box(a, b, -inner, inner, z0, min(zt, r + arch), f"well{n}",
                          rgb=TRIM_RGB))
    if bed:
        wall = 0.06
        for side in (-1, 1):
            parts.append(_box(xr + 0.06, cargo_x, side * half_w - (wall if side > 0 else 0.0),
                              side * half_w + (0.0 if side > 0 else wall), bed_floor, zb,
                              f"bed_side{side:+d}"))
        parts.append(_box(xr + 0.06, xr + 0.06 + wall, -half_w, half_w, bed_floor, zb,
                          "tailgate"))
        parts.append(_box(cargo_x - wall, cargo_x, -half_w, half_w, bed_floor, zb,
                          "bed_front"))
        parts.append(_box(xr + 0.06 + wall, cargo_x - wall, -half_w + wall, half_w - wall,
                          bed_floor, bed_floor + 0.01, "bed_liner", rgb=TRIM_RGB,
                          collides=False))  # the dark liner shows the bed is open
    return parts


def _greenhouse(v: VehicleSpec) -> list[Part]:
    """Glass cabin, windscreen and rear window, roof and pillars; a van's or a bus's upper body."""
    s = v.shape
    xf = v.front_x
    zb, roof = v.beltline, v.height
    roof_t = 0.06
    half_g = 0.5 * v.width - 0.07  # the greenhouse leans in (tumblehome)
    x_screen, x_front = xf - s["x_screen"], xf - s["x_roof_front"]
    x_back, x_tail = xf - s["x_roof_rear"], xf - s["x_tail"]
    x_glass_end = xf - s.get("x_glass_end", s["x_roof_rear"])
    glass = dict(material="glass", rgb=GLASS_RGB)
    parts = [_box(x_glass_end, x_front, -half_g, half_g, zb, roof - roof_t, "cabin_glass",
                  **glass)]
    if x_back < x_glass_end:  # a van's windowless upper body behind its cab
        parts.append(_box(x_back, x_glass_end, -half_g - 0.02, half_g + 0.02, zb, roof - roof_t,
                          "upper_body"))
    depth = min(0.6, (x_screen - x_front) * (roof - roof_t - zb)
                / math.hypot(x_screen - x_front, roof - roof_t - zb) + 0.02)
    if x_screen - x_front > 0.05:
        parts.append(_slab(x_screen, zb, x_front, roof - roof_t, half_g, depth, "windscreen",
                           inward=1.0, **glass))
    if x_back - x_tail > 0.05:
        back_depth = min(0.6, (x_back - x_tail) * (roof - roof_t - zb)
                         / math.hypot(x_back - x_tail, roof - roof_t - zb) + 0.02)
        parts.append(_slab(x_tail, zb, x_back, roof - roof_t, half_g, back_depth,
                           "rear_window", inward=-1.0, **glass))
    parts.append(_box(x_back, x_front, -half_g - 0.01, half_g + 0.01, roof - roof_t, roof,
                      "roof"))
    # Pillars between the side windows: one (a car's B pillar) or one every 1.3 m (a bus).
    span = x_front - x_glass_end
    count = max(1, int(span / 1.3)) if span > 3.0 else 1
    for k in range(count):
        x = x_glass_end + span * (k + 1) / (count + 1)
        parts.append(_box(x - 0.04, x + 0.04, -half_g - 0.012, half_g + 0.012, zb,
                          roof - roof_t, f"pillar{k}", collides=False))
    return parts


def _cargo_box(v: VehicleSpec) -> list[Part]:
    if v.cargo is None or v.cargo["kind"] != "box":
        return []
    xf = v.front_x
    xr = xf - v.length
    x0 = xf - v.cargo["x_cargo"]
    bottom = 2.0 * v.wheel_radius + 0.12
    rails = 0.5 * (v.track - v.tyre_width) - 0.15
    return [_box(xr + 0.06, x0, -0.5 * v.width, 0.5 * v.width, bottom, v.cargo["top"], "cargo_box",
                 rgb=CARGO_BOX_RGB),
            _box(xr + 0.3, x0, -rails, rails, v.clearance + 0.1, bottom, "frame", rgb=TRIM_RGB)]


def _trim(v: VehicleSpec) -> list[Part]:
    """Bumpers (they collide), and lights, grille, plates and mirrors (drawn only)."""
    xf = v.front_x
    xr = xf - v.length
    half_w = 0.5 * v.width
    z0, zb = v.clearance, v.beltline
    bumper_h = min(0.3, 0.45 * (zb - z0))
    plastic = dict(material="plastic", rgb=TRIM_RGB)
    drawn = dict(collides=False)
    lamp_z = zb - 0.14
    lamp_y = half_w - 0.22
    face_f, face_r = xf - 0.06, xr + 0.06
    parts = [
        _box(xf - 0.14, xf, -half_w + 0.03, half_w - 0.03, z0 + 0.04, z0 + 0.04 + bumper_h,
             "bumper_front", **plastic),
        _box(xr, xr + 0.14, -half_w + 0.03, half_w - 0.03, z0 + 0.04, z0 + 0.04 + bumper_h,
             "bumper_rear", **plastic),
        _box(face_f, face_f + 0.012, -0.22 * v.width, 0.22 * v.width, lamp_z - 0.08,
             lamp_z + 0.05, "grille", rgb=(0.03, 0.03, 0.03), **drawn),
    ]
    for side in (-1, 1):
        parts += [
            _box(face_f, face_f + 0.014, side * lamp_y - 0.13, side * lamp_y + 0.13,
                 lamp_z - 0.05, lamp_z + 0.05, f"headlight{side:+d}", rgb=HEADLIGHT_RGB, **drawn),
            _box(face_r - 0.014, face_r, side * lamp_y - 0.10, side * lamp_y + 0.10,
                 lamp_z - 0.06, lamp_z + 0.06, f"taillight{side:+d}", rgb=TAILLIGHT_RGB, **drawn),
        ]
    plate_z = z0 + 0.04 + 0.5 * bumper_h
    parts += [_box(xf, xf + 0.01, -0.26, 0.26, plate_z - 0.06, plate_z + 0.06, "plate_front",
                   rgb=(0.95, 0.95, 0.92), **drawn),
              _box(xr - 0.01, xr, -0.26, 0.26, plate_z - 0.06, plate_z + 0.06, "plate_rear",
                   rgb=(0.95, 0.95, 0.92), **drawn)]
    x_mirror = xf - v.shape["x_screen"] - 0.15
    for side in (-1, 1):
        parts.append(_box(x_mirror - 0.06, x_mirror + 0.06, side * (half_w + 0.01) - 0.09,
                          side * (half_w + 0.01) + 0.09, zb + 0.05, zb + 0.17,
                          f"mirror{side:+d}", **drawn))
    if v.name == "bus":  # the destination sign over the windscreen
        parts.append(_box(xf - 0.05, xf - 0.03, -0.8, 0.8, v.height - 0.35, v.height - 0.12,
                          "destination_sign", rgb=(1.0, 0.62, 0.08), **drawn))
    return parts


def _wheel_parts(v: VehicleSpec, side: int) -> tuple[Part, ...]:
    """A tyre (the only part that touches the road) with a hub cap and two spokes on its outer
    face, so that its turning shows."""
    r, half = v.wheel_radius, 0.5 * v.tyre_width
    out = side * (half + 0.004)
    face = side * (half + 0.012)
    return (
        Part("cylinder", (r, half), euler=(90.0, 0.0, 0.0), material="tyre", rgb=TYRE_RGB,
             name="tyre"),
        Part("cylinder", (0.62 * r, 0.006), (0.0, out, 0.0), (90.0, 0.0, 0.0), material="metal",
             rgb=HUB_RGB, collides=False, name="hub"),
        Part("box", (0.55 * r, 0.006, 0.045 * r / 0.33), (0.0, face, 0.0), material="metal",
             rgb=SPOKE_RGB, collides=False, name="spoke_a"),
        Part("box", (0.045 * r / 0.33, 0.006, 0.55 * r), (0.0, face, 0.0), material="metal",
             rgb=SPOKE_RGB, collides=False, name="spoke_b"),
    )


def _wheels(v: VehicleSpec) -> tuple[Link, ...]:
    r = v.wheel_radius
    x = 0.5 * v.wheelbase
    y = 0.5 * v.track
    links = []
    for suffix, side in (("l", 1), ("r", -1)):
        # the steering knuckle (brake, hub): hidden inside the wheel
        links.append(Link(f"steer_f{suffix}", (Part("sphere", (0.3 * r,), material="metal",
                                                     rgb=TRIM_RGB, collides=False,
                                                     name="knuckle"),),
                          (x, side * y, r), "hinge", (0.0, 0.0, 1.0), mass=v.knuckle_mass,
                          range=(-60.0, 60.0)))
        links.append(Link(f"wheel_f{suffix}", _wheel_parts(v, side), (0.0, 0.0, 0.0), "hinge",
                          (0.0, 1.0, 0.0), parent=f"steer_f{suffix}", mass=v.wheel_mass))
    for suffix, side in (("l", 1), ("r", -1)):
        links.append(Link(f"wheel_r{suffix}", _wheel_parts(v, side), (-x, side * y, r), "hinge",
                          (0.0, 1.0, 0.0), mass=v.wheel_mass))
    return tuple(links)


def _powertrain(v: VehicleSpec, parts: list[Part]) -> list[Part]:
    """Hidden blocks low over the engine's axle (front, or a rear-engined bus's rear) that put
    the body's centre of mass where the published axle loads say.

    The body weighs its share of the curb mass spread evenly over the volume of its solid
    parts (assets.mujoco_spec); an engine and gearbox are far denser than the rest, so the
    block adds the volume that moves the centre of mass to the front_weight share. It lies
    inside the body (never touched), and counts as often as it is repeated."""
    solid = [p for p in parts if p.collides]
    volumes = [8.0 * p.size[0] * p.size[1] * p.size[2] for p in solid]
    v0 = sum(volumes)
    x0 = sum(vol * p.pos[0] for vol, p in zip(volumes, solid)) / v0
    half = 0.5 * v.wheelbase
    target = -half + v.front_weight * v.wheelbase  # the whole vehicle's centre of mass
    front_unsprung = 2.0 * (v.wheel_mass + v.knuckle_mass)
    rear_unsprung = 2.0 * v.wheel_mass
    x_body = (v.curb_mass * target - front_unsprung * half + rear_unsprung * half) / v.body_mass
    axle = half if v.front_weight >= 0.5 or v.name != "bus" else -half
    lo = axle - 0.3 if axle > 0 else v.front_x - v.length + 0.3
    hi = axle + 0.5 if axle > 0 else axle + 0.3
    xb = 0.5 * (lo + hi)
    if abs(xb - x_body) < 0.05 or (x_body - x0) * (xb - x0) <= 0:
        return []
    volume = v0 * (x_body - x0) / (xb - x_body)
    inner = 0.5 * (v.track - v.tyre_width) - 0.2
    area = (hi - lo) * 2.0 * inner
    tall = max(0.3, min(0.8, v.beltline - v.clearance - 0.1))
    copies = max(1, math.ceil(volume / (area * tall)))
    height = volume / (copies * area)
    z0 = v.clearance + 0.02
    return [_box(lo, hi, -inner, inner, z0, z0 + height, f"powertrain{k}", rgb=TRIM_RGB)
            for k in range(copies)]


def vehicle_asset(v: VehicleSpec) -> Asset:
    """The asset of one vehicle type: its body (curb mass less wheels) and four wheel links."""
    parts = [*_lower_body(v), *_cargo_box(v), *_greenhouse(v), *_trim(v)]
    parts = (*parts, *_powertrain(v, parts), *door_openings(v))
    paint = tuple(int(v.paint[i:i + 2], 16) / 255.0 for i in (1, 3, 5))
    doors = door_links(v)  # their mass is the body's: they are part of the curb mass
    return Asset(v.name, v.description, parts, "car_body",
                 mass=v.body_mass - sum(d.mass for d in doors), rgb=paint,
                 aliases=v.aliases, links=_wheels(v) + doors,
                 drag_coefficient=v.drag_coefficient,
                 anchors={"front": (v.front_x, 0.0, v.beltline),
                          "rear": (v.front_x - v.length, 0.0, v.beltline),
                          "roof": (0.0, 0.0, v.height)})


VEHICLE_ASSETS: list[Asset] = [vehicle_asset(v) for v in vehicle_specs().values()]
