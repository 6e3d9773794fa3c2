"""Driving road vehicles: engine torque on the driven wheels, steering, brakes, and the driver.

A vehicle (assets.vehicles) is a body on four wheel hinges; its front wheels hang on steering
hinges. Nothing pushes the body: the engine's torque turns the driven wheels (a joint torque,
its reaction on the body), the tyres' friction on the road moves the vehicle, and brakes are dry
friction in the wheel hinges (MuJoCo's frictionloss), which also holds a stopped vehicle
without creeping. Every CONTROL_S the driver (this module) reads the vehicle's state and sets:

- throttle: a speed controller asks for an acceleration (proportional to the speed error,
  with the rolling resistance and air drag fed forward), which the engine can give only up to
  its torque through the current gear (flat torque to where peak power takes over) and the
  tyres only up to their grip on the driven axle (weight transfer included): a sedan reaches
  100 km/h in about the road-test time, a bus crawls;
- gear: an automatic gearbox's ratios and final drive (vehicles.yaml), shifting up at an rpm
  between a light- and a full-throttle shift point, down below a shift-down rpm; the engine's
  rpm follows the wheels through the gear, never below idle (a torque converter at launch);
- steering: pure pursuit (Coulter, "Implementation of the Pure Pursuit Path Tracking
  Algorithm", CMU-RI-TR-92-01, 1992) of a smooth curve through the Drive's waypoints, at most
  the vehicle's lock (from its turning circle) and STEER_RATE; the two front wheels turn by
  Ackermann geometry. The speed is kept to what the curve ahead allows at LATERAL_ACCEL;
- brakes: to stop after a Drive's `distance`, or on a Brake (the vehicle's service or hard
  deceleration, assets.vehicles), the
  brake torque that gives the deceleration, split between the axles by their dynamic loads.

A crash (a contact with something other than the road pushing harder than CRASH_ACCEL times
the vehicle's weight-free mass) makes the driver lift off at once: the collision is the bodies'
own momentum exchange, the wheels roll freely, and after REACTION_S the driver brakes hard to a
stop. A vehicle with no Drive stands with its parking brake on, engine off; one placed with a
velocity cruises at that speed from the start.

Each sample, the drivetrain as the sound needs it (speed, engine rpm, gear, throttle, brake) is
recorded as a VehicleTrack. Engines run from a vehicle's first Drive (or from the start for one
placed moving) to the end of the clip; a parked vehicle's engine is off (rpm 0, gear 0).

Two-wheelers and boards (assets.two_wheelers) use the same driver with their own engines:

- balance: a bicycle, motorcycle, moped or kick scooter stays up by a roll controller, a
  torque on the body about its heading axis that tracks the lean of a coordinated turn,
  atan(v^2 kappa / g) with kappa = tan(steer) / wheelbase from the steering, as a PD loop
  (natural frequency BALANCE_W_RAD_S, critically damped, over the inertia about the tyres'
  contact line) with gravity and the turn's centrifugal torque fed forward. A real rider
  balances by steering under the fall (the capsize and weave modes of the Whipple model,
  Meijaard et al., Proc. R. Soc. A 463, 2007); simulating that needs the exact fork geometry,
  tyre models and a rider model tuned together, and fails as a fall. The roll controller
  gives the same lean angles and keeps every ride upright. A riderless bicycle parks on its
  kickstand: held up, it is leaned to the stand's angle, the stand swung down, and then the
  controller lets go (stand and tyres hold it); a ridden one stays upright (the rider's foot
  down). A rider's hands hold the bar: a single-track's steering spring is stiffer than a
  car's (0.2 x the physics rate), so that the wheels' gyroscopic torque cannot twitch it.
  Brakes: the load moves to the front wheel as it stops, and the rear brake is kept to
  REAR_BRAKE_GRIP of its tyre's grip (a locked rear slides out). A skateboard stands on
  four wheels; a board's rider brakes by dragging a foot (a force at the centre of mass).
- engines: a motorcycle's gearbox as a car's (its `gears` fold in the primary reduction); a
  moped's CVT holds the engine at an rpm between its light- and full-throttle points (a
  centrifugal clutch slips below the engagement rpm); a bicycle's engine is its rider: power
  from PEAK (a sprint start) decaying over SPRINT_S to the sustained power, through the chain
  (CHAIN_EFFICIENCY) and the cog that keeps the cadence nearest the rider's (the crank turns
  with the rear wheel while the rider pedals and stands still while freewheeling); a kick
  scooter and a skateboard are pushed by the rider's foot: a push of `push_s` at the start of
  each kick cycle (`period_s`) gives the speed the controller wants (at most `max_dv` a kick),
  and between pushes the vehicle coasts against rolling resistance; at speed the kicks stop
  and start again when it has slowed.
- a rider's mass (`carried`, kg per vehicle) rides on the body above the seat (a seated
  rider's centre of mass SEATED_COM_M above the saddle, a standing one's STANDING_COM_M above
  the deck) and adds the rider's drag area.

Not modelled: suspension (the body rides rigidly on stiff tyres: fine on a flat road), tyre
slip curves (Coulomb friction at the contact instead), reversing, and crash deformation while
it happens: a crash shoves the bodies apart as rigid bodies with the body's restitution; the
dents it leaves are read back from its impacts afterwards (physics.dents).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.assets import MATERIALS, environment
from worldreel.assets.materials import MEDIA
from worldreel.assets import ASSETS
from worldreel.assets.mujoco_spec import FLOOR, floor_parts
from worldreel.assets.two_wheelers import KICKSTAND, KICKSTAND_LEAN_DEG
from worldreel.assets.vehicles import (DRIVETRAIN_EFFICIENCY, VehicleSpec,
                                       vehicle_action_problems, vehicle_spec)
from worldreel.assets.water import water_of
from worldreel.errors import SceneError
from worldreel.physics.contact_model import SOLIMP
from worldreel.recording import VehicleTrack
from worldreel.scene import Brake, Drive, Scene
from worldreel.timeline import TimedAction

CONTROL_S = 1.0 / 240.0  # the driver's update interval (control_timestep)
REACTION_S = 1.0  # a driver's brake reaction time (Green, "How long does it take to stop?",
# Transportation Human Factors 2, 2000: 0.7-1.5 s to an unexpected event)
LATERAL_ACCEL_M_S2 = 3.0  # drivers keep below ~0.3 g in ordinary curves (Bosetti, Da Lio &
# Saroldi, "On the human control of vehicles", Vehicle System Dynamics 52, 2014)
STEER_RATE_RAD_S = math.radians(60.0)  # road-wheel angle rate: a brisk turn of the wheel
SPEED_GAIN_PER_S = 1.5  # speed error -> acceleration asked (a 0.7 s time constant)
SPEED_INTEGRAL_PER_S2 = 0.3  # removes what the feed-forward misses (contact losses)
LOOKAHEAD_S, MIN_LOOKAHEAD_M = 0.6, 3.0  # pure pursuit's look-ahead: 0.6 s of travel, >= 3 m
STOP_SPEED_M_S = 0.3  # slower than this a stopping vehicle is held by its brakes
CRASH_ACCEL_M_S2 = 30.0  # a contact force over 3 g of the vehicle's mass: a crash, not a nudge
TRACTION_MARGIN = 0.9  # of the tyres' grip the driver asks for (no wheelspin)
DRIVEN_WHEEL_SPIN = 1e-3  # m/s below which a vehicle counts as standing
STEER_STIFFNESS_W = 150.0  # rad/s: natural frequency of the steering hinge's position spring
PATH_STEP_M = 0.25  # resolution of the curve through the waypoints
TURN_RADII = 1.5  # a turn onto a Drive's direction: an arc this many times its tightest
STRAIGHT_ON_M = 2000.0  # after the last waypoint (or along a direction) it drives straight on
BRAKE_SOLREF = (0.001, 1.0)  # stiff dry friction: a held wheel does not creep (see
BRAKE_SOLIMP = (0.99, 0.999, 0.001, 0.5, 2.0)  # assets.mujoco_spec.HINGE_FRICTION_*)
GRAVITY_M_S2 = 9.81
# A vehicle's body crushes in a crash: front ends crush ~0.6 m in a 56 km/h (15.6 m/s) rigid
# barrier test over a ~0.1 s pulse (NHTSA NCAP frontal tests; Campbell, "Energy basis for
# collision severity", SAE 740565, 1974: force linear in crush). A linear spring with that
# crush is w = v / x = 26 rad/s, the same whatever the mass (MuJoCo's direct solref is in
# acceleration space); damped to the car body's restitution (e = exp(-zeta pi / sqrt(1 -
# zeta^2))). Its contacts take these (priority) against anything they meet but the road.
# Measured: at 26 rad/s two boxes overlap so deep (0.4 m at 10 m/s) that the box collider
# turns the normal vertical and throws the cars up 4 m/s; with the road's stiff contact
# (1200 rad/s) the 2 ms, 400 g blow slams the wheels into the road and they bounce 1.8 m/s.
# 60 rad/s (a 50 ms crash, 0.17 m of overlap at 10 m/s) keeps them down (< 1.3 m/s up).
# The bodies overlap by that depth instead of denting (no deformation is modelled).
CRUSH_W_RAD_S = 60.0  # rad/s: stiffer than the 26 of a real crush (see below)
CRUSH_PRIORITY = 3
# The tyres on the road stand for tyres and suspension together (no suspension is modelled):
# a spring that sinks a loaded wheel TYRE_SINK_M (a car tyre deflects 10-20 mm under its
# load: vertical stiffness ~200-250 kN/m, Pacejka, "Tyre and Vehicle Dynamics", 2012, ch. 1),
# damped as shock absorbers damp a body's ride (ride damping ratios 0.2-0.4, Milliken &
# Milliken, "Race Car Vehicle Dynamics", 1995, ch. 16; we take 0.7 for the rigid body's lack
# of any other damping). The road's own contact (1200 rad/s at 2400 Hz) made wheels chatter
# on the road for half a second after a crash (40 tyre impacts, up to 1.4 m/s).
TYRE_SINK_M = 0.012
TYRE_DAMPING_RATIO = 0.7
# Two-wheelers (see the module docstring).
BALANCE_W_RAD_S = 10.0  # the roll loop's natural frequency: a lean settles in ~0.5 s
MAX_LEAN_RAD = math.radians(45.0)  # beyond what a road tyre holds (motorcycle racers ~60)
CHAIN_EFFICIENCY = 0.97  # a clean derailleur chain (Spicer et al., "Effects of frictional
# loss on bicycle chain drive efficiency", J. Mech. Design 123, 2001: 98.6 % at best)
SPRINT_S = 8.0  # a rider's peak power fades to the sustained power over ~10 s (Wilson,
# "Bicycling Science", fig. 2.4: maximum power falls by half between 5 s and 30 s)
PEDAL_MIN_SPEED_M_S = 1.0  # below this the pedal force is what PEAK gives here (no stall)
SEATED_COM_M = 0.30  # a seated rider's centre of mass above the saddle (trunk, head, thighs)
STANDING_COM_M = 0.95  # a standing adult's centre of mass above the deck (~55 % of 1.75 m)
KICK_RESUME_M_S = 0.25  # a kicker coasting at speed kicks again once this much slower
MAX_CARRIED_KG = 300.0
STAND_DOWN_RAD = math.radians(3.0)
REAR_BRAKE_GRIP = 0.7  # of a two-wheeler's rear tyre's grip its rear brake uses at most  # a kickstand this near its stop carries the bike


@dataclass
class _Command:
    time: float
    action: Drive | Brake


@dataclass
class _Path:
    """A curve the vehicle follows: points every PATH_STEP_M, their arc length and curvature."""

    points: np.ndarray  # (n, 2)
    s: np.ndarray  # (n,)
    curvature: np.ndarray  # (n,) 1/m

    def nearest(self, point: np.ndarray, start: int) -> int:
        window = slice(start, min(start + 400, len(self.s)))
        d = np.einsum("ij,ij->i", self.points[window] - point, self.points[window] - point)
        return start + int(np.argmin(d))

    def at(self, s: float) -> np.ndarray:
        k = int(np.clip(np.searchsorted(self.s, s), 1, len(self.s) - 1))
        f = (s - self.s[k - 1]) / max(self.s[k] - self.s[k - 1], 1e-9)
        return self.points[k - 1] + min(max(f, 0.0), 1.0) * (self.points[k] - self.points[k - 1])


def _hermite_path(start: np.ndarray, heading: np.ndarray, waypoints: list[np.ndarray],
                  end_heading: np.ndarray | None = None) -> _Path:
    """A C1 curve from `start` (leaving along `heading`) through the waypoints (Catmull-Rom
    tangents), then straight on along the last segment (or along `end_heading`)."""
    knots = [start] + waypoints
    tangents = []
    for k, p in enumerate(knots):
        if k == 0:
            tangents.append(heading * np.linalg.norm(knots[1] - p))
        elif k == len(knots) - 1:
            chord = p - knots[k - 1]
            tangents.append(chord if end_heading is None else
                            end_heading * np.linalg.norm(chord))
        else:
            tangents.append(0.5 * (knots[k + 1] - knots[k - 1]))
    points = [start]
    for (p0, p1), (m0, m1) in zip(zip(knots, knots[1:]), zip(tangents, tangents[1:])):
        n = max(2, int(np.linalg.norm(p1 - p0) / (0.5 * PATH_STEP_M)))
        t = np.linspace(0.0, 1.0, n + 1)[1:, None]
        h00, h10 = 2 * t**3 - 3 * t**2 + 1, t**3 - 2 * t**2 + t
        h01, h11 = -2 * t**3 + 3 * t**2, t**3 - t**2
        points += list(h00 * p0 + h10 * m0 + h01 * p1 + h11 * m1)
    end = knots[-1]
    out = tangents[-1] / max(np.linalg.norm(tangents[-1]), 1e-9)
    return _path_from(np.array(points + [end + out * STRAIGHT_ON_M]))


def _straight_path(start: np.ndarray, direction: np.ndarray) -> _Path:
    return _path_from(np.array([start, start + direction * STRAIGHT_ON_M]))


def _path_from(points: np.ndarray) -> _Path:
    """Resample a polyline every PATH_STEP_M and estimate its curvature."""
    seg = np.linalg.norm(np.diff(points, axis=0), axis=1)
    keep = np.concatenate([[True], seg > 1e-6])
    points = points[keep]
    s = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(points, axis=0), axis=1))])
    grid = np.arange(0.0, s[-1], PATH_STEP_M)
    resampled = np.stack([np.interp(grid, s, points[:, 0]), np.interp(grid, s, points[:, 1])], 1)
    heading = np.unwrap(np.arctan2(*np.diff(resampled, axis=0).T[::-1]))
    curvature = np.abs(np.gradient(heading, PATH_STEP_M)) if len(heading) > 1 else \
        np.zeros(len(heading))
    curvature = np.concatenate([curvature, [0.0]])
    return _Path(resampled, grid, curvature)


@dataclass
class _Vehicle:
    """One vehicle's model addresses, constants and the driver's state."""

    entity: str
    spec: VehicleSpec
    commands: list[_Command]
    engine_from: float  # s; inf: never runs
    body: int = 0
    qadr: int = 0
    vadr: int = 0
    wheel_dofs: np.ndarray = field(default_factory=lambda: np.zeros(4, dtype=int))
    crank_qadr: int = -1
    crank_dof: int = -1
    stand_qadr: int = -1  # a bicycle's kickstand hinge (-1: none)
    stand_fold: float = 0.0  # rad from down to folded
    carried: float = 0.0  # kg of rider on the body
    roll_inertia: float = 0.0  # kg m^2 about the tyres' contact line
    steer_qadr: np.ndarray = field(default_factory=lambda: np.zeros(2, dtype=int))
    steer_dofs: np.ndarray = field(default_factory=lambda: np.zeros(2, dtype=int))
    mass: float = 0.0
    inertial_mass: float = 0.0  # mass plus the wheels' spin inertia over r^2
    front_share: float = 0.5  # static share of the weight on the front axle
    com_height: float = 0.5
    # the driver
    mode: str = "parked"  # parked, drive, brake, crashed
    action: Drive | Brake | None = None
    path: _Path | None = None
    path_index: int = 0
    target_speed: float = 0.0
    stop_after: float | None = None  # odometer reading to stop at
    odometer: float = 0.0
    last_xy: np.ndarray | None = None
    integral: float = 0.0
    steer: float = 0.0
    gear: int = 0
    throttle: float = 0.0
    brake: float = 0.0
    crash_time: float | None = None
    stopping: float | None = None  # deceleration of a stop in progress
    drive_start: float = 0.0
    crank: float = 0.0  # rad: a bicycle's crank angle, a kicker's cycle phase x 2 pi
    kick_accel: float = 0.0  # m/s^2 of the push in progress
    kicking: bool = False  # in a kick cycle (else holding just short of the next push)
    samples: list = field(default_factory=list)


def check_driving(scene: Scene) -> None:
    """Raise a SceneError for a Drive or Brake on something that is not a vehicle."""
    problems = vehicle_action_problems(scene)
    if problems:
        raise SceneError("; ".join(problems))


class Driving:
    """The drivers of a Scene's vehicles: built into the spec, bound to the model, applied
    before every physics step (`drive`) and recorded at every sample (`record`)."""

    def __init__(self, scene: Scene, timed: list[TimedAction],
                 carried: Mapping[str, float] = MappingProxyType({})):
        """carried: kg a vehicle carries on its body (a rider), by vehicle entity id."""
        check_driving(scene)
        for vid, kg in carried.items():
            asset = next((e.asset for e in scene.entities if e.id == vid), None)
            if asset is None or vehicle_spec(asset) is None:
                raise SceneError(f"carried: {vid!r} is not a vehicle of the scene; a rider's mass "
                                 "rides on a vehicle")
            if not 0.0 <= float(kg) <= MAX_CARRIED_KG:
                raise SceneError(f"carried: {kg} kg on {vid!r} is outside 0..{MAX_CARRIED_KG:g}")
        self.scene = scene
        medium = MEDIA[scene.setting.medium] if scene.setting.medium in MEDIA else MEDIA["air"]
        self.air_density = medium.density
        self.gravity = abs(float(scene.setting.gravity[2])) or GRAVITY_M_S2
        self.vehicles: list[_Vehicle] = []
        for entity in scene.entities:
            spec = vehicle_spec(entity.asset)
            if spec is None:
                continue
            commands = [_Command(t.time, t.action) for t in timed
                        if isinstance(t.action, (Drive, Brake)) and t.action.entity == entity.id]
            moving = float(np.linalg.norm(entity.velocity[:2])) > DRIVEN_WHEEL_SPIN
            drives = [c.time for c in commands if isinstance(c.action, Drive)]
            engine_from = 0.0 if moving else (min(drives) if drives else math.inf)
            self.vehicles.append(_Vehicle(entity.id, spec, commands, engine_from,
                                          carried=float(carried.get(entity.id, 0.0))))
        self.active = bool(self.vehicles)
        self._now = 0.0
        self._stride = max(1, round(CONTROL_S * scene.physics_rate))
        self._dt = 1.0 / scene.physics_rate
        self._floor_names = {name for name, _ in floor_parts(water_of(scene.setting))} | {FLOOR}
        # A tyre rolls harder on a soft or loose road, and grips it less: there the floor's
        # C_rr and its (tyre-on-surface) friction rule (gravel 0.02 and 0.6, an unpaved road
        # 0.05 and 0.68: Wong, assets.materials); on a hard road the tyre's own
        tyre, floor = MATERIALS["tyre"], MATERIALS[
            scene.setting.floor_material or environment(scene.setting.environment).floor_material]
        loose = floor.rolling > tyre.rolling
        self._rolling = floor.rolling if loose else tyre.rolling
        self._grip = min(tyre.friction, floor.friction) if loose else tyre.friction

    # --- building -------------------------------------------------------------------------
    def add_to_spec(self, mujoco, spec) -> None:
        """Wheels do not collide with their own body (they sit in its arches); steering hinges
        get a position spring; wheel hinges get stiff dry friction (the brakes)."""
        for v in self.vehicles:
            r = v.spec.wheel_radius
            wheel_iz = v.spec.wheel_mass * (3 * r * r + v.spec.tyre_width ** 2) / 12.0
            steer_inertia = wheel_iz + 0.4 * v.spec.knuckle_mass * (0.3 * r) ** 2
            # an explicit spring is stable while w dt stays well under 1 (slow physics rates)
            w_steer = min(STEER_STIFFNESS_W, 0.2 * self.scene.physics_rate)
            if v.spec.layout == "single_track":
                # A rider's hands hold the bar: the wheels' gyroscopic torque as the bike
                # rolls must not steer it (at 45 m/s a 0.4 degree twitch is a 1 g swerve).
                # The bar is held as a stiffer spring (w of 0.2 x the physics rate).
                w_steer = 0.2 * self.scene.physics_rate
            stiffness = steer_inertia * w_steer ** 2
            links = (*v.spec.steer_names, *v.spec.wheel_names)
            if v.spec.propulsion == "pedal":
                links += ("crank", KICKSTAND)
                # the stand is swung down or up by a stiff spring (a rider's foot), held
                # down against its stop (the joint's range) while it carries the bike
                stand = spec.body(f"{v.entity}.{KICKSTAND}").joints[0]
                inertia = 0.35 * 0.3 ** 2 / 3.0
                w_stand = min(STEER_STIFFNESS_W, 0.2 * self.scene.physics_rate)
                stand.stiffness = [inertia * w_stand ** 2, 0.0, 0.0]
                stand.damping = [2.0 * inertia * w_stand, 0.0, 0.0]
            for link in links:
                exclude = spec.add_exclude()
                exclude.bodyname1, exclude.bodyname2 = v.entity, f"{v.entity}.{link}"
            if v.carried > 0.0:
                self._add_rider_mass(spec, v)
            for link in v.spec.steer_names:
                joint = spec.body(f"{v.entity}.{link}").joints[0]
                joint.stiffness = [stiffness, 0.0, 0.0]
                joint.damping = [2.0 * math.sqrt(stiffness * steer_inertia), 0.0, 0.0]
            e = MATERIALS["car_body"].restitution
            zeta = -math.log(e) / math.sqrt(math.pi ** 2 + math.log(e) ** 2)
            for geom in spec.body(v.entity).geoms:
                if geom.contype or geom.conaffinity:
                    geom.priority = CRUSH_PRIORITY
                    geom.solref = [-CRUSH_W_RAD_S ** 2, -2.0 * zeta * CRUSH_W_RAD_S]
                    geom.solimp = list(SOLIMP)
            tyres = {f"{v.entity}.{link}#0" for link in v.spec.wheel_names}
            w = math.sqrt(GRAVITY_M_S2 / TYRE_SINK_M)
            for pair in spec.pairs:
                if pair.geomname2 in tyres or pair.geomname1 in tyres:
                    pair.solref = [-w * w, -2.0 * TYRE_DAMPING_RATIO * w]
                    pair.friction = [self._grip, self._grip, *list(pair.friction)[2:]]
            for link in v.spec.wheel_names:
                joint = spec.body(f"{v.entity}.{link}").joints[0]
                joint.solref_friction = list(BRAKE_SOLREF)
                joint.solimp_friction = list(BRAKE_SOLIMP)

    @staticmethod
    def _add_rider_mass(spec, v: _Vehicle) -> None:
        """The rider's mass as a body welded over the seat: a seated rider's centre of mass
        SEATED_COM_M above the saddle, a standing one's STANDING_COM_M above the deck, with
        the inertia of a 0.4 x 0.3 x 1.0 m (seated 0.6 m tall) block of that mass."""
        seat = np.array(ASSETS[v.spec.name].anchors.get("seat", (0.0, 0.0, 0.0)), dtype=float)
        seated = v.spec.propulsion in ("pedal", "engine", "cvt")
        height = 0.6 if seated else 1.0
        body = spec.body(v.entity).add_body()
        body.name = f"{v.entity}.rider_mass"
        body.pos = list(seat + np.array([0.0, 0.0, SEATED_COM_M if seated else STANDING_COM_M]))
        body.explicitinertial = True
        body.ipos = [0.0, 0.0, 0.0]  # (MjSpec otherwise copies pos into it: twice as high)
        body.iquat = [1.0, 0.0, 0.0, 0.0]
        body.mass = v.carried
        m = v.carried
        a, b, c = 0.4, 0.3, height
        body.inertia = [m * (b * b + c * c) / 12, m * (a * a + c * c) / 12,
                        m * (a * a + b * b) / 12]

    def bind(self, model, data) -> None:
        """Find each vehicle's joints; spin the wheels of one placed moving; set parking
        brakes."""
        vehicle_of_body = np.full(model.nbody, -1, dtype=int)
        for k, v in enumerate(self.vehicles):
            v.body = model.body(v.entity).id
            joint = int(model.body_jntadr[v.body])
            v.qadr, v.vadr = int(model.jnt_qposadr[joint]), int(model.jnt_dofadr[joint])
            wheels = [model.body(f"{v.entity}.{w}").id for w in v.spec.wheel_names]
            steers = [model.body(f"{v.entity}.{s}").id for s in v.spec.steer_names]
            v.wheel_dofs = np.array([model.jnt_dofadr[model.body_jntadr[b]] for b in wheels])
            v.steer_dofs = np.array([model.jnt_dofadr[model.body_jntadr[b]] for b in steers])
            v.steer_qadr = np.array([model.jnt_qposadr[model.body_jntadr[b]] for b in steers])
            tree = [v.body, *wheels, *steers]
            if v.spec.propulsion == "pedal":
                crank = model.body(f"{v.entity}.crank").id
                v.crank_qadr = int(model.jnt_qposadr[model.body_jntadr[crank]])
                v.crank_dof = int(model.jnt_dofadr[model.body_jntadr[crank]])
                stand = model.body(f"{v.entity}.{KICKSTAND}").id
                joint = int(model.body_jntadr[stand])
                v.stand_qadr = int(model.jnt_qposadr[joint])
                v.stand_fold = float(model.jnt_range[joint][1])
                tree += [crank, stand]
            if v.carried > 0.0:
                tree.append(model.body(f"{v.entity}.rider_mass").id)
            vehicle_of_body[tree] = k
            v.mass = float(model.body_subtreemass[v.body])
            r = v.spec.wheel_radius
            spin = sum(float(model.body_inertia[b][1]) for b in wheels)
            v.inertial_mass = v.mass + spin / (r * r)
            # where the weight sits: the centre of mass in the body frame
            com = self._com_local(model, data, v)
            half = 0.5 * v.spec.wheelbase
            v.front_share = float(np.clip((com[0] + half) / v.spec.wheelbase, 0.2, 0.8))
            v.com_height = float(max(com[2], 0.2))
            # about the contact line: the whole mass at the centre of mass's height, plus its
            # own roll inertia (~ a fifth of that for a bike and rider: a tall, narrow body)
            v.roll_inertia = 1.2 * v.mass * max(com[2], 0.05) ** 2
            entity = self.scene.entity(v.entity)
            heading = self._heading(data, v)
            speed = float(np.dot(np.asarray(entity.velocity[:2]), heading))
            if abs(speed) > DRIVEN_WHEEL_SPIN:
                data.qvel[v.wheel_dofs] = speed / r
                v.mode, v.target_speed = "drive", abs(speed)
                v.path = _straight_path(self._position(data, v), heading)
                if v.stand_qadr >= 0:  # riding: the stand is up
                    data.qpos[v.stand_qadr] = model.qpos_spring[v.stand_qadr] = v.stand_fold
            else:
                self._hold(model, v)
                if self._on_stand_when_parked(v):  # it leans on its stand from the start
                    self._lean_onto_stand(data, v)
                elif v.stand_qadr >= 0:  # a rider holds it up, a foot down: stand up
                    data.qpos[v.stand_qadr] = model.qpos_spring[v.stand_qadr] = v.stand_fold
        self._vehicle_of_geom = vehicle_of_body[model.geom_bodyid]
        self._floor_geom = np.array([model.geom(g).name in self._floor_names
                                     for g in range(model.ngeom)], dtype=bool)

    @staticmethod
    def _on_stand_when_parked(v: _Vehicle) -> bool:
        """A bicycle with no rider stands on its kickstand when parked; one with a rider
        stays upright (the rider's foot down: the roll controller stands for it)."""
        return v.stand_qadr >= 0 and v.carried == 0.0

    @staticmethod
    def _lean_onto_stand(data, v: _Vehicle) -> None:
        """Tilt a parked bicycle left about its contact line (the body's x axis through its
        origin on the road) by the stand's lean, so that it stands on stand and tyres."""
        q = data.qpos[v.qadr + 3:v.qadr + 7]
        body = Rotation.from_quat([q[1], q[2], q[3], q[0]])
        leaned = body * Rotation.from_euler("x", -KICKSTAND_LEAN_DEG, degrees=True)
        x, y, z, w = leaned.as_quat()
        data.qpos[v.qadr + 3:v.qadr + 7] = (w, x, y, z)

    def _com_local(self, model, data, v: _Vehicle) -> np.ndarray:
        import mujoco  # noqa: PLC0415

        mujoco.mj_kinematics(model, data)
        mujoco.mj_comPos(model, data)
        rotation = data.xmat[v.body].reshape(3, 3)
        return rotation.T @ (data.subtree_com[v.body] - data.xpos[v.body])

    # --- state ----------------------------------------------------------------------------
    @staticmethod
    def _heading(data, v: _Vehicle) -> np.ndarray:
        q = data.qpos[v.qadr + 3:v.qadr + 7]
        x = Rotation.from_quat([q[1], q[2], q[3], q[0]]).apply([1.0, 0.0, 0.0])[:2]
        return x / max(np.linalg.norm(x), 1e-9)

    @staticmethod
    def _position(data, v: _Vehicle) -> np.ndarray:
        return np.array(data.qpos[v.qadr:v.qadr + 2])

    def _speed(self, data, v: _Vehicle) -> float:
        return float(np.dot(data.qvel[v.vadr:v.vadr + 2], self._heading(data, v)))

    # --- the driver -----------------------------------------------------------------------
    def drive(self, model, data, step: int, time: float) -> bool:
        """Watch for crashes every step; update the drivers every CONTROL_S. True while some
        vehicle's engine or brakes act."""
        if data.ncon:
            self._watch_crashes(model, data, time)
        if step % self._stride == 0:
            self._now = time
            for v in self.vehicles:
                self._control(model, data, v, time)
        return any(v.mode != "parked" for v in self.vehicles)

    def _watch_crashes(self, model, data, time: float) -> None:
        import mujoco  # noqa: PLC0415

        n = data.ncon
        g1, g2 = data.contact.geom1[:n], data.contact.geom2[:n]
        v1, v2 = self._vehicle_of_geom[g1], self._vehicle_of_geom[g2]
        hit = ((v1 >= 0) & ~self._floor_geom[g2] & (v1 != v2)) | \
              ((v2 >= 0) & ~self._floor_geom[g1] & (v1 != v2))
        if not hit.any():
            return
        force = np.zeros(6)
        for c in np.flatnonzero(hit):
            mujoco.mj_contactForce(model, data, int(c), force)
            for k in (v1[c], v2[c]):
                if k < 0:
                    continue
                v = self.vehicles[k]
                if v.crash_time is None and force[0] > CRASH_ACCEL_M_S2 * v.mass:
                    v.crash_time = time
                    if v.mode == "drive" or v.mode == "brake":
                        v.mode, v.path = "crashed", None  # hands off: no more steering
                        self._release(model, v)
                        data.qfrc_applied[v.wheel_dofs] = 0.0

    def _control(self, model, data, v: _Vehicle, time: float) -> None:
        while v.commands and v.commands[0].time <= time + 0.5 * self._dt:
            self._start(model, data, v, v.commands.pop(0).action, time)
        position = self._position(data, v)
        if v.last_xy is not None:
            v.odometer += float(np.linalg.norm(position - v.last_xy))
        v.last_xy = position
        speed = self._speed(data, v)
        if v.stand_qadr >= 0 and not (v.mode == "parked" and self._on_stand_when_parked(v)):
            model.qpos_spring[v.stand_qadr] = v.stand_fold  # riding: the stand folded up
        if v.spec.single_track:
            self._balance(model, data, v, speed)
        if v.mode == "crashed" and time >= v.crash_time + REACTION_S:
            v.mode, v.stopping = "brake", v.spec.hard_brake
        accel = None  # the acceleration asked of the engine (> 0) or the brakes (< 0)
        if v.mode == "drive":
            accel = self._drive_accel(v, speed, time)
        elif v.mode == "brake":
            accel = -(v.stopping or v.spec.service_brake)
        if v.mode in ("drive", "brake") and v.path is not None:
            self._steer(model, data, v, speed)
        if accel is None:  # parked, or crashed and coasting: no throttle
            v.throttle = 0.0
            data.qfrc_applied[v.wheel_dofs] = 0.0
            if v.spec.propulsion == "kick" and not v.spec.single_track:
                data.qfrc_applied[v.vadr + 3:v.vadr + 6] = 0.0  # no foot on the road
            if v.mode == "crashed":
                self._resist(data, v, speed)
            self._shift(v, speed, time)
            return
        if accel < 0.0 and speed < STOP_SPEED_M_S:
            self._park(model, data, v)
            self._shift(v, speed, time)
            return
        if v.spec.propulsion == "kick" and v.mode == "drive" and v.stopping is None:
            self._kick(model, data, v, speed)  # kicks, or coasts when fast enough
        elif v.spec.layout == "board" and accel < 0.0:
            self._foot_drag(model, data, v, speed, accel)
        else:
            self._apply(model, data, v, speed, accel)
        self._shift(v, speed, time)
        self._turn_crank(data, v, speed)

    def _start(self, model, data, v: _Vehicle, action: Drive | Brake, time: float) -> None:
        v.action = action
        v.stopping = None
        if isinstance(action, Brake):
            v.mode = "brake"
            v.stopping = v.spec.hard_brake if action.hard else v.spec.service_brake
            return
        v.mode, v.target_speed, v.integral = "drive", action.speed, 0.0
        v.crash_time = None
        v.drive_start = time
        v.stop_after = v.odometer + action.distance if action.distance is not None else None
        heading = self._heading(data, v)
        start = self._position(data, v)
        if action.path:
            v.path = _hermite_path(start, heading, [np.array(p, dtype=float) for p in action.path])
        elif action.direction is not None:
            # turn onto the new heading along an arc of TURN_RADII times the tightest turning
            # radius, then straight on (not back onto the line through where it started)
            d = np.array(action.direction[:2], dtype=float)
            d /= np.linalg.norm(d)
            angle = math.atan2(heading[0] * d[1] - heading[1] * d[0], float(np.dot(heading, d)))
            if abs(angle) < 1e-3:
                v.path = _straight_path(start, d)
            else:
                radius = TURN_RADII * v.spec.wheelbase / math.tan(v.spec.max_steer_rad)
                side = math.copysign(1.0, angle) * np.array([-heading[1], heading[0]])
                end = start + radius * (math.sin(abs(angle)) * heading
                                        + (1.0 - math.cos(abs(angle))) * side)
                v.path = _hermite_path(start, heading, [end], end_heading=d)
        else:
            v.path = _straight_path(start, heading)
        v.path_index = 0
        self._release(model, v)

    def _drive_accel(self, v: _Vehicle, speed: float, time: float) -> float:
        """The acceleration the driver asks for: towards the target speed, slowing for curves
        ahead and for the stop at `distance`."""
        target = v.target_speed
        if v.path is not None:
            s_now = v.path.s[v.path_index]
            horizon = speed * speed / (2.0 * v.spec.service_brake) + 10.0
            ahead = (v.path.s >= s_now) & (v.path.s <= s_now + horizon)
            kappa = v.path.curvature[ahead]
            if len(kappa) and kappa.max() > 1e-4:
                allowed = np.sqrt(LATERAL_ACCEL_M_S2 / np.maximum(kappa, 1e-6)
                                  + 2.0 * v.spec.service_brake * (v.path.s[ahead] - s_now))
                target = min(target, float(allowed.min()))
        if v.stop_after is not None:
            left = v.stop_after - v.odometer
            if v.stopping is not None or left <= speed * speed / (2.0 * v.spec.service_brake) + \
                    speed * CONTROL_S:
                # brake so as to stop where asked: v^2 / (2 x what is left), asked afresh
                need = speed * speed / (2.0 * max(left, 0.02))
                v.stopping = min(max(need, 0.5), v.spec.hard_brake)
                return -v.stopping
        error = target - speed
        if abs(error) < 1.0:  # only near the target: no wind-up while the engine is flat out
            v.integral = float(np.clip(v.integral + error * CONTROL_S, -2.0, 2.0))
        accel = SPEED_GAIN_PER_S * error + SPEED_INTEGRAL_PER_S2 * v.integral
        if v.spec.max_accel is not None:  # a bus with standing passengers
            accel = min(accel, v.spec.max_accel)
        return accel

    def _resistance(self, v: _Vehicle, speed: float) -> float:
        """N against the motion: rolling resistance and air drag."""
        # a board's small urethane wheels roll as they do; tyres as the surface lets them
        crr = getattr(v.spec, "crr", None) or self._rolling
        rolling = crr * v.mass * self.gravity * math.tanh(speed / 0.1)
        area = v.spec.drag_area + (getattr(v.spec, "rider_drag_area", 0.0) if v.carried > 0.0
                                   else 0.0)  # a rider sitting up on a two-wheeler
        drag = 0.5 * self.air_density * area * speed * abs(speed)
        return rolling + drag

    def _resist(self, data, v: _Vehicle, speed: float) -> None:
        heading = self._heading(data, v)
        force = -self._resistance(v, speed) * heading
        data.qfrc_applied[v.vadr:v.vadr + 2] = force

    def _apply(self, model, data, v: _Vehicle, speed: float, accel: float) -> None:
        """Engine torque on the driven wheels or brake friction on all four for `accel`."""
        spec = v.spec
        r = spec.wheel_radius
        resistance = self._resistance(v, speed)
        self._resist(data, v, speed)
        wanted = v.inertial_mass * accel + resistance  # N at the tyres
        data.qfrc_applied[v.wheel_dofs] = 0.0
        if wanted > 0.0:
            available = min(self._engine_force(v, speed), self._traction(v))
            force = min(wanted, available)
            v.throttle = float(min(1.0, force / max(self._engine_force(v, speed), 1e-9)))
            v.brake = 0.0
            self._set_brakes(model, v, 0.0, 0.0)
            driven = [k for k, w in enumerate(spec.wheel_names) if w in spec.driven_wheels]
            data.qfrc_applied[v.wheel_dofs[driven]] = force * r / len(driven)
            return
        decel = -wanted / v.inertial_mass
        v.throttle = 0.0
        v.brake = float(min(1.0, decel / v.spec.hard_brake))
        front = v.front_share + decel * v.com_height / (self.gravity * spec.wheelbase)
        total = -wanted * r
        if spec.layout != "single_track":
            front = float(np.clip(front, 0.3, 0.9))
            self._set_brakes(model, v, front * total, (1.0 - front) * total)
            return
        # A two-wheeler's rear unloads as it stops: a rider (or ABS) keeps the rear brake
        # under REAR_BRAKE_GRIP of what its tyre can hold, since a locked rear slides out and
        # the bike falls; the front takes the rest, up to TRACTION_MARGIN of its own grip.
        # the load moves forward with the whole deceleration (air drag included: a third of
        # a hard stop at 45 m/s), not only the brakes' share of it
        front = v.front_share + max(decel, -accel) * v.com_height / (self.gravity * spec.wheelbase)
        front = float(np.clip(front, 0.05, 0.98))
        grip = MATERIALS["tyre"].friction * v.mass * self.gravity * r
        rear = min((1.0 - front) * total, REAR_BRAKE_GRIP * (1.0 - front) * grip)
        self._set_brakes(model, v, min(total - rear, TRACTION_MARGIN * front * grip), rear)

    def _engine_force(self, v: _Vehicle, speed: float) -> float:
        """N at the tyres at full throttle in the current gear."""
        if v.spec.propulsion == "pedal":
            return self._pedal_force(v, speed)
        if v.spec.propulsion == "cvt":
            rpm, ratio = self._cvt(v, speed, 1.0)
            return self._torque(v, rpm) * ratio * DRIVETRAIN_EFFICIENCY / v.spec.wheel_radius
        spec, engine = v.spec, v.spec.engine
        gear = max(v.gear, 1)
        ratio = spec.gears[gear - 1] * spec.final_drive
        rpm = min(max(abs(speed) / spec.wheel_radius * ratio * 60.0 / (2 * math.pi),
                      engine.idle_rpm), engine.redline_rpm)
        torque = min(engine.torque_nm, engine.power_kw * 1000.0 / (rpm * 2 * math.pi / 60.0))
        return torque * ratio * DRIVETRAIN_EFFICIENCY / spec.wheel_radius

    @staticmethod
    def _torque(v: _Vehicle, rpm: float) -> float:
        """N m at full throttle: flat to where peak power takes over."""
        engine = v.spec.engine
        return min(engine.torque_nm, engine.power_kw * 1000.0 / (max(rpm, 1.0) * math.pi / 30.0))

    def _cvt(self, v: _Vehicle, speed: float, throttle: float) -> tuple[float, float]:
        """(engine rpm, overall ratio) of a CVT scooter: the belt holds the engine at an rpm
        between the light- and full-throttle points (shift_up_rpm) within its ratio range
        (gears: low, high); below the clutch's engagement (shift_down_rpm) the clutch slips
        and the engine revs with the throttle on the low ratio."""
        engine = v.spec.engine
        low, high = v.spec.gears[0] * v.spec.final_drive, v.spec.gears[1] * v.spec.final_drive
        held = engine.shift_up_rpm[0] + throttle * (engine.shift_up_rpm[1] - engine.shift_up_rpm[0])
        per_ratio = abs(speed) / v.spec.wheel_radius * 30.0 / math.pi  # wheel rpm
        if per_ratio * low < engine.shift_down_rpm:  # the clutch slips: launch on the low ratio
            return max(held, engine.idle_rpm), low
        ratio = float(np.clip(held / max(per_ratio, 1e-6), high, low))
        return float(min(max(per_ratio * ratio, engine.idle_rpm), engine.redline_rpm)), ratio

    def _rider_power(self, v: _Vehicle, time: float) -> float:
        """W a cyclist can give: the sprint's peak fading to the sustained power."""
        spec = v.spec
        fade = math.exp(-max(time - v.drive_start, 0.0) / SPRINT_S)
        return spec.sustained_w + (spec.peak_w - spec.sustained_w) * fade

    def _pedal_force(self, v: _Vehicle, speed: float) -> float:
        power = self._rider_power(v, self._now)
        return power * CHAIN_EFFICIENCY / max(abs(speed), PEDAL_MIN_SPEED_M_S)

    def _pedal_gear(self, v: _Vehicle, speed: float) -> int:
        """The gear (1 lowest) whose cadence at this speed is nearest the rider's."""
        wheel_rpm = abs(speed) / v.spec.wheel_radius * 30.0 / math.pi
        cadences = np.array([wheel_rpm / g for g in v.spec.gear_ratios])
        return int(np.argmin(np.abs(cadences - v.spec.cadence_rpm))) + 1

    def _turn_crank(self, data, v: _Vehicle, speed: float) -> None:
        """A bicycle's crank turns with the rear wheel through the gear while the rider
        pedals (throttle > 0) and stands still while freewheeling; it is drawn at that angle."""
        if v.spec.propulsion != "pedal":
            return
        rate = 0.0
        if v.throttle > 0.0 and v.gear > 0:
            wheel = float(data.qvel[v.wheel_dofs[-1]])  # the rear wheel, rad/s
            rate = max(wheel, 0.0) / v.spec.gear_ratios[v.gear - 1]
        v.crank += rate * CONTROL_S
        data.qpos[v.crank_qadr] = v.crank
        data.qvel[v.crank_dof] = rate

    def _kick(self, model, data, v: _Vehicle, speed: float) -> None:
        """A kicker's foot: each kick cycle starts (crank / 2 pi crossing an integer) with a
        push of push_s that gives the speed the controller wants (at most max_dv); between
        pushes it coasts. Once at speed the rider stops kicking, holding the cycle just short
        of the next push, and kicks again when KICK_RESUME_M_S slower."""
        kick = v.spec.kick
        self._release(model, v)
        v.brake = 0.0
        self._resist(data, v, speed)
        if not v.spec.single_track:  # (a single-track's were just set by the roll controller)
            data.qfrc_applied[v.vadr + 3:v.vadr + 6] = 0.0
        heading = self._heading(data, v)
        cycle = v.crank / (2 * math.pi)
        if not v.kicking:
            if speed > v.target_speed - KICK_RESUME_M_S:
                v.throttle = 0.0
                return
            v.kicking = True
            cycle = math.ceil(cycle) - 1e-9  # the next push starts now
        before = math.floor(cycle)
        cycle += CONTROL_S / kick["period_s"]
        if math.floor(cycle) > before:  # a kick cycle begins: push, or stop kicking
            coast_loss = self._resistance(v, speed) / v.mass * kick["period_s"]
            need = v.target_speed - speed + coast_loss
            if need < 0.05:
                v.kicking, v.kick_accel, v.throttle = False, 0.0, 0.0
                v.crank = (math.floor(cycle) - 1e-6) * 2 * math.pi  # short of the next push
                return
            v.kick_accel = min(need, kick["max_dv"]) / kick["push_s"]
        v.crank = cycle * 2 * math.pi
        pushing = (cycle - math.floor(cycle)) * kick["period_s"] < kick["push_s"]
        force = v.inertial_mass * v.kick_accel if pushing else 0.0
        v.throttle = float(min(1.0, v.kick_accel / max(kick["max_dv"] / kick["push_s"], 1e-9))
                           if pushing else 0.0)
        # The road pushes back on the foot, and the leg passes it to the rider's body: the
        # push moves the whole of rider and board, acting at their centre of mass (at the
        # board's wheels it would tip a standing rider over backwards).
        self._push_at_com(data, v, force * heading)

    @staticmethod
    def _push_at_com(data, v: _Vehicle, force_xy: np.ndarray) -> None:
        """Add a horizontal force (N) at the centre of mass of the vehicle and its rider."""
        push = np.array([force_xy[0], force_xy[1], 0.0])
        lever = data.subtree_com[v.body] - data.xpos[v.body]
        rotation = data.xmat[v.body].reshape(3, 3)
        data.qfrc_applied[v.vadr:v.vadr + 2] += push[:2]
        data.qfrc_applied[v.vadr + 3:v.vadr + 6] += rotation.T @ np.cross(lever, push)

    def _foot_drag(self, model, data, v: _Vehicle, speed: float, accel: float) -> None:
        """A board has no brakes: the rider drags a foot on the road, which slows rider and
        board together (through the rider's leg, at their centre of mass; wheel brakes
        would pitch a standing rider over the nose)."""
        self._release(model, v)
        self._resist(data, v, speed)
        data.qfrc_applied[v.vadr + 3:v.vadr + 6] = 0.0
        v.throttle = 0.0
        v.brake = float(min(1.0, -accel / v.spec.hard_brake))
        drag = v.inertial_mass * accel + self._resistance(v, speed)  # N, < 0: what the foot adds
        self._push_at_com(data, v, min(drag, 0.0) * self._heading(data, v))

    def _balance(self, model, data, v: _Vehicle, speed: float) -> None:
        """The roll controller: a torque about the heading axis that leans the body to the
        coordinated turn's angle for its speed and steering (see the module docstring)."""
        if v.mode == "crashed":
            data.qfrc_applied[v.vadr + 3:v.vadr + 6] = 0.0
            return
        rotation = data.xmat[v.body].reshape(3, 3)
        roll = math.asin(float(np.clip(rotation[2, 1], -1.0, 1.0)))  # + : right side down
        roll_rate = float(data.qvel[v.vadr + 3])  # body frame: about its own x
        curvature = math.tan(v.steer) / v.spec.wheelbase
        lateral = speed * speed * curvature  # m/s^2 towards the left of a left turn
        target = float(np.clip(-math.atan2(lateral, self.gravity), -MAX_LEAN_RAD, MAX_LEAN_RAD))
        if v.mode == "parked" and self._on_stand_when_parked(v):
            # Parking: held up, the bike is leaned to its stand's angle; there the stand is
            # swung down, and once it is down nothing holds the bike but stand and tyres.
            lean = -math.radians(KICKSTAND_LEAN_DEG)
            if data.qpos[v.stand_qadr] < STAND_DOWN_RAD:
                data.qfrc_applied[v.vadr + 3:v.vadr + 6] = 0.0
                return
            target, lateral = lean, 0.0
            if abs(roll - lean) < math.radians(0.5) and abs(roll_rate) < 0.05:
                model.qpos_spring[v.stand_qadr] = 0.0
        w = BALANCE_W_RAD_S
        h = v.com_height
        feed = -v.mass * h * (self.gravity * math.sin(roll) + lateral * math.cos(roll))
        torque = v.roll_inertia * (w * w * (target - roll) - 2.0 * w * roll_rate) + feed
        # a free joint's rotational forces are in the body frame: about its x, the heading
        data.qfrc_applied[v.vadr + 3:v.vadr + 6] = (torque, 0.0, 0.0)

    def _traction(self, v: _Vehicle) -> float:
        """N the driven tyres can push with, the weight shifting back as the vehicle
        accelerates (a front-driven car loses grip, a rear-driven one gains)."""
        mu = self._grip
        h_l = v.com_height / v.spec.wheelbase
        if v.spec.drive == "front":
            accel = mu * self.gravity * v.front_share / (1.0 + mu * h_l)
        elif v.spec.drive == "rear":
            accel = mu * self.gravity * (1.0 - v.front_share) / max(1.0 - mu * h_l, 0.3)
        else:
            accel = mu * self.gravity
        return TRACTION_MARGIN * v.mass * min(accel, mu * self.gravity)

    def _set_brakes(self, model, v: _Vehicle, front: float, rear: float) -> None:
        """Brake torques (N m) on the front and the rear axle, shared by their wheels."""
        n_front = max(1, len(v.wheel_dofs) // 2)
        n_rear = max(1, len(v.wheel_dofs) - n_front)
        model.dof_frictionloss[v.wheel_dofs[:n_front]] = max(front, 0.0) / n_front
        model.dof_frictionloss[v.wheel_dofs[n_front:]] = max(rear, 0.0) / n_rear

    def _hold(self, model, v: _Vehicle) -> None:
        """Brakes on hard enough to hold the wheels (a parked vehicle, or one stopped)."""
        mu = self._grip
        per_axle = mu * v.mass * self.gravity * v.spec.wheel_radius
        self._set_brakes(model, v, per_axle, per_axle)

    def _release(self, model, v: _Vehicle) -> None:
        self._set_brakes(model, v, 0.0, 0.0)

    def _park(self, model, data, v: _Vehicle) -> None:
        v.mode, v.throttle, v.brake, v.stopping = "parked", 0.0, 0.0, None
        data.qfrc_applied[v.wheel_dofs] = 0.0
        data.qfrc_applied[v.vadr:v.vadr + 3] = 0.0
        if not v.spec.single_track:  # (a single-track's roll torque is the balance's)
            data.qfrc_applied[v.vadr + 3:v.vadr + 6] = 0.0  # a foot's push or drag ends
        self._hold(model, v)

    def _steer(self, model, data, v: _Vehicle, speed: float) -> None:
        """Pure pursuit of the path from the rear axle, rate-limited, Ackermann-split."""
        spec = v.spec
        heading = self._heading(data, v)
        rear = self._position(data, v) - 0.5 * spec.wheelbase * heading
        v.path_index = v.path.nearest(rear, v.path_index)
        lookahead = max(MIN_LOOKAHEAD_M, LOOKAHEAD_S * abs(speed))
        goal = v.path.at(v.path.s[v.path_index] + lookahead)
        to_goal = goal - rear
        distance = max(float(np.linalg.norm(to_goal)), 1e-6)
        alpha = math.atan2(heading[0] * to_goal[1] - heading[1] * to_goal[0],
                           float(np.dot(heading, to_goal)))
        wanted = math.atan2(2.0 * spec.wheelbase * math.sin(alpha), distance)
        wanted = float(np.clip(wanted, -spec.max_steer_rad, spec.max_steer_rad))
        step = STEER_RATE_RAD_S * CONTROL_S
        v.steer += float(np.clip(wanted - v.steer, -step, step))
        if spec.single_track:  # the fork turns about the raked axis: more than the road angle
            model.qpos_spring[v.steer_qadr[0]] = v.steer / math.sin(math.radians(spec.head_angle))
            return
        if spec.layout == "board":
            model.qpos_spring[v.steer_qadr[0]] = v.steer
            return
        tan = math.tan(v.steer)
        half = 0.5 * spec.track
        for k, side in enumerate((1.0, -1.0)):  # left, right: the inner wheel turns more
            angle = math.atan2(spec.wheelbase * tan, spec.wheelbase - side * half * tan)
            if angle > 0.5 * math.pi:
                angle -= math.pi
            model.qpos_spring[v.steer_qadr[k]] = angle

    def _shift(self, v: _Vehicle, speed: float, time: float) -> None:
        """The automatic gearbox: up at an rpm between the light- and full-throttle shift
        points, down below the shift-down rpm."""
        spec, engine = v.spec, v.spec.engine
        if time < v.engine_from:
            v.gear = 0
            return
        if v.mode == "parked" and abs(speed) < STOP_SPEED_M_S:
            v.gear = 0
            return
        if spec.propulsion == "kick":
            v.gear = 0
            return
        if spec.propulsion == "pedal":
            v.gear = self._pedal_gear(v, speed)
            return
        if spec.propulsion == "cvt":
            v.gear = 1
            return
        v.gear = max(v.gear, 1)
        up = engine.shift_up_rpm[0] + v.throttle * (engine.shift_up_rpm[1] - engine.shift_up_rpm[0])
        while v.gear < len(spec.gears) and self._wheel_rpm(v, speed, v.gear) > up:
            v.gear += 1
        while v.gear > 1 and self._wheel_rpm(v, speed, v.gear) < engine.shift_down_rpm:
            v.gear -= 1

    @staticmethod
    def _wheel_rpm(v: _Vehicle, speed: float, gear: int) -> float:
        ratio = v.spec.gears[gear - 1] * v.spec.final_drive
        return abs(speed) / v.spec.wheel_radius * ratio * 60.0 / (2 * math.pi)

    def _rpm(self, v: _Vehicle, speed: float, time: float) -> float:
        engine = v.spec.engine
        if engine is None or time < v.engine_from:  # pedalled, kicked; or not started
            return 0.0
        if v.gear == 0:
            return engine.idle_rpm
        if v.spec.propulsion == "cvt":
            return self._cvt(v, speed, v.throttle)[0]
        rpm = self._wheel_rpm(v, speed, v.gear)
        if v.gear == 1:  # the torque converter slips at launch: revs rise with the throttle
            rpm = max(rpm, engine.idle_rpm + v.throttle * (engine.shift_up_rpm[0] -
                                                           engine.idle_rpm))
        return float(min(max(rpm, engine.idle_rpm), engine.redline_rpm))

    # --- recording ------------------------------------------------------------------------
    def record(self, data, time: float) -> None:
        """Note every vehicle's drivetrain at this sample."""
        for v in self.vehicles:
            speed = self._speed(data, v)
            if v.spec.single_track or v.spec.layout == "board":
                steer = float(data.qpos[v.steer_qadr[0]])
            else:
                steer = v.steer
            v.samples.append((speed, self._rpm(v, speed, time), v.gear,
                              v.throttle if time >= v.engine_from else 0.0, v.brake,
                              v.crank, steer))

    def tracks(self) -> tuple[VehicleTrack, ...]:
        out = []
        for v in self.vehicles:
            rows = np.array(v.samples, dtype=float).reshape(-1, 7)
            out.append(VehicleTrack(v.entity, rows[:, 0], rows[:, 1], rows[:, 2].astype(int),
                                    rows[:, 3], rows[:, 4], crank=rows[:, 5], steer=rows[:, 6]))
        return tuple(out)


def is_vehicle(entity_asset_name: str) -> bool:
    """Whether an asset is a road vehicle that can Drive and Brake."""
    return vehicle_spec(entity_asset_name) is not None


