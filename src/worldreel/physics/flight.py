"""Flying aircraft: lift, drag and thrust on a free body, and the pilot who flies it.

An aircraft (assets.aircraft) is a free body; gravity pulls it down like anything else and
this module adds the air's forces at its centre of gravity, from its published wing area,
stall speed (hence C_Lmax), drag polar and engines, in air of the ISA density at its altitude:

- lift L = 1/2 rho v^2 S C_L, perpendicular to its velocity and tilted by its bank angle. The
  pilot (an autopilot: altitude hold and heading select) asks for the lift that holds the
  entity's altitude (L cos(bank) = m (g + a_z), a_z from the height error) and turns by banking:
  a coordinated turn at bank phi curves the path at radius R = v^2 / (g tan phi), so the bank
  for a wanted turn rate w is atan(v w / g), at most the type's bank limit and never more than
  the lift the wing can give (C_L <= C_Lmax: a slow aircraft turns wider). Asking more lift than
  C_Lmax gives is a stall: the Scene is refused before that (assets.aircraft), so C_L is only
  capped here;
- drag D = 1/2 rho v^2 S (C_D0 + C_L^2 / (pi e AR)): a slow aircraft, flying at high C_L, has
  high induced drag;
- thrust along the velocity, what holds the Drive's speed against drag (a speed controller),
  at most the engines' thrust at that speed (jets: static thrust scaled by density;
  propellers: power x efficiency / speed, at most the static thrust).

Attitude is set from the flight state, not simulated: the nose points along the velocity,
raised by the angle of attack the lift needs (near the stall it flies nose-up), banked into
the turn. Guidance: a Drive's `path` points are followed by pure pursuit in the horizontal
plane (then straight on), a `direction` by turning onto that heading; with neither it flies
straight on. Each sample its engines are recorded as a VehicleTrack: speed (airspeed), rpm
(a jet's fan N1, a propeller's rpm), throttle (thrust over the maximum), gear 0, brake 0.

Not modelled: take-off and landing, wind, rotational dynamics (control surfaces, stability),
and climbs or descents (the altitude is held).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.assets.aircraft import AircraftSpec, aircraft_spec, air_density, start_speed
from worldreel.assets.transport import sea_level_density
from worldreel.recording import VehicleTrack
from worldreel.scene import Drive, Scene
from worldreel.timeline import TimedAction

CONTROL_S = 1.0 / 240.0  # the autopilot's update interval (control_timestep)
ALTITUDE_W_RAD_S = 0.6  # altitude hold: natural frequency of the height loop
ALTITUDE_ZETA = 0.9  # and its damping ratio
SPEED_GAIN_PER_S = 0.3  # speed error -> acceleration asked of the engines
HEADING_GAIN_PER_S = 0.25  # heading error -> turn rate asked
ROLL_RATE_RAD_S = math.radians(10.0)  # how fast the bank changes (airliners roll ~5-10 deg/s)
LOOKAHEAD_S, MIN_LOOKAHEAD_M = 6.0, 150.0  # pure pursuit of a path: 6 s ahead, >= 150 m
STRAIGHT_ON_M = 5000.0  # after the last path point it flies straight on
GRAVITY_M_S2 = 9.81
CRUISE_ATTITUDE_DEG = 2.0  # the nose's pitch above the path at low C_L (flaps in)


@dataclass
class _Aircraft:
    entity: str
    spec: AircraftSpec
    commands: list[tuple[float, Drive]]
    altitude: float
    density: float
    target: float  # m/s
    body: int = 0
    qadr: int = 0
    vadr: int = 0
    mass: float = 0.0
    path: np.ndarray | None = None  # (n, 2) points to pass, then straight on
    path_index: int = 0
    heading_goal: float | None = None  # rad, a Drive's direction
    bank: float = 0.0  # rad, positive: left wing down (turning left)
    cl: float = 0.0
    thrust: float = 0.0
    throttle: float = 0.0
    samples: list = field(default_factory=list)


class Flight:
    """The pilots of a Scene's aircraft: bound to the model, applied before every physics step
    (`drive`) and recorded at every sample (`record`)."""

    def __init__(self, scene: Scene, timed: list[TimedAction]):
        self.scene = scene
        sea_level = sea_level_density(scene)
        self.gravity = abs(float(scene.setting.gravity[2])) or GRAVITY_M_S2
        self.aircraft: list[_Aircraft] = []
        for entity in scene.entities:
            spec = aircraft_spec(entity.asset)
            if spec is None:
                continue
            commands = [(t.time, t.action) for t in timed
                        if isinstance(t.action, Drive) and t.action.entity == entity.id]
            z = float(entity.position[2])
            speed = start_speed(scene, entity.id) or spec.stall_speed * 1.3
            self.aircraft.append(_Aircraft(entity.id, spec, commands, z,
                                           air_density(z, sea_level), speed))
        self.active = bool(self.aircraft)
        self._stride = max(1, round(CONTROL_S * scene.physics_rate))

    def add_to_spec(self, mujoco, spec) -> None:
        """Nothing to add: an aircraft is a free body like a thrown ball."""

    def bind(self, model, data) -> None:
        """Find each aircraft's free joint and start it flying level along its heading at its
        starting speed."""
        for a in self.aircraft:
            a.body = model.body(a.entity).id
            joint = int(model.body_jntadr[a.body])
            a.qadr, a.vadr = int(model.jnt_qposadr[joint]), int(model.jnt_dofadr[joint])
            a.mass = float(model.body_subtreemass[a.body])
            q = data.qpos[a.qadr + 3:a.qadr + 7]
            heading = Rotation.from_quat([q[1], q[2], q[3], q[0]]).apply([1.0, 0.0, 0.0])[:2]
            heading /= max(float(np.linalg.norm(heading)), 1e-12)
            placed = np.array(data.qvel[a.vadr:a.vadr + 2])
            if np.linalg.norm(placed) < 1e-9:
                data.qvel[a.vadr:a.vadr + 2] = heading * a.target
            data.qvel[a.vadr + 2] = 0.0
            a.target = float(np.linalg.norm(data.qvel[a.vadr:a.vadr + 2]))
            self._set_attitude(data, a)

    # --- the pilot ------------------------------------------------------------------------
    def drive(self, model, data, step: int, time: float) -> bool:
        if step % self._stride == 0:
            for a in self.aircraft:
                self._control(data, a, time)
        return True  # the air's forces act on every aircraft, always

    def _control(self, data, a: _Aircraft, time: float) -> None:
        while a.commands and a.commands[0][0] <= time + 1e-9:
            self._start(data, a, a.commands.pop(0)[1])
        spec = a.spec
        v = np.array(data.qvel[a.vadr:a.vadr + 3])
        speed = max(float(np.linalg.norm(v)), 1.0)
        forward = v / speed
        q = 0.5 * a.density * speed * speed  # dynamic pressure
        # how much lift the wing can give, and so the steepest bank that still holds height
        most_lift = q * spec.wing_area * spec.cl_max
        weight = a.mass * self.gravity
        limit = math.radians(spec.max_bank_deg)
        if most_lift > weight:
            limit = min(limit, math.acos(min(1.0, weight / most_lift)))
        else:
            limit = 0.0
        wanted = self._wanted_turn_rate(data, a, speed)
        bank_goal = float(np.clip(math.atan(speed * wanted / self.gravity), -limit, limit))
        step = ROLL_RATE_RAD_S * CONTROL_S
        a.bank += float(np.clip(bank_goal - a.bank, -step, step))
        # altitude hold: the vertical acceleration asked, then the lift that gives it
        z, vz = float(data.qpos[a.qadr + 2]), float(v[2])
        w = ALTITUDE_W_RAD_S
        accel_z = w * w * (a.altitude - z) - 2.0 * ALTITUDE_ZETA * w * vz
        lift = a.mass * (self.gravity + accel_z) / math.cos(a.bank)
        a.cl = float(np.clip(lift / (q * spec.wing_area), 0.0, spec.cl_max))
        lift = a.cl * q * spec.wing_area
        drag = q * spec.wing_area * (spec.cd0 + spec.induced_factor() * a.cl ** 2)
        most_thrust = spec.max_thrust(speed, a.density)
        a.thrust = float(np.clip(drag + a.mass * SPEED_GAIN_PER_S * (a.target - speed),
                                 0.0, most_thrust))
        a.throttle = a.thrust / most_thrust
        up = np.array([0.0, 0.0, 1.0]) - forward[2] * forward
        up /= max(float(np.linalg.norm(up)), 1e-9)
        left = np.cross(up, forward)
        lift_dir = math.cos(a.bank) * up + math.sin(a.bank) * left
        data.xfrc_applied[a.body, :3] = (a.thrust - drag) * forward + lift * lift_dir
        data.xfrc_applied[a.body, 3:] = 0.0
        self._set_attitude(data, a)

    def _start(self, data, a: _Aircraft, action: Drive) -> None:
        a.target = action.speed
        position = np.array(data.qpos[a.qadr:a.qadr + 2])
        if action.path:
            points = [position] + [np.array(p, dtype=float) for p in action.path]
            last = points[-1] - points[-2]
            points.append(points[-1] + last / max(np.linalg.norm(last), 1e-9) * STRAIGHT_ON_M)
            a.path, a.path_index, a.heading_goal = np.array(points), 1, None
        elif action.direction is not None:
            a.path, a.heading_goal = None, math.atan2(action.direction[1], action.direction[0])

    def _wanted_turn_rate(self, data, a: _Aircraft, speed: float) -> float:
        """rad/s of turn (positive: left) towards the path's look-ahead point or the heading."""
        v = data.qvel[a.vadr:a.vadr + 2]
        heading = math.atan2(v[1], v[0])
        if a.path is not None:
            position = np.array(data.qpos[a.qadr:a.qadr + 2])
            # move on to the next point once it is behind (or within the look-ahead)
            reach = max(MIN_LOOKAHEAD_M, LOOKAHEAD_S * speed)
            while a.path_index < len(a.path) - 1 and (
                    np.linalg.norm(a.path[a.path_index] - position) < reach):
                a.path_index += 1
            goal = a.path[a.path_index]
            bearing = math.atan2(goal[1] - position[1], goal[0] - position[0])
        elif a.heading_goal is not None:
            bearing = a.heading_goal
        else:
            return 0.0
        error = (bearing - heading + math.pi) % (2.0 * math.pi) - math.pi
        return HEADING_GAIN_PER_S * error

    def _set_attitude(self, data, a: _Aircraft) -> None:
        """Nose along the velocity, pitched up by the angle of attack, banked into the turn."""
        v = data.qvel[a.vadr:a.vadr + 3]
        yaw = math.atan2(v[1], v[0])
        gamma = math.atan2(v[2], max(math.hypot(v[0], v[1]), 1e-9))
        spec = a.spec
        # the body's angle of attack: the stall attitude at C_Lmax, less as C_L falls along
        # the lift slope, never under the cruise attitude (flaps in, trimmed)
        alpha = math.radians(spec.stall_attitude_deg) - (spec.cl_max - a.cl) / spec.lift_slope
        alpha = max(alpha, math.radians(CRUISE_ATTITUDE_DEG))
        # MuJoCo's quaternion w, x, y, z of yaw (z), then pitch (nose up: -y), then roll (x)
        rot = Rotation.from_euler("ZYX", [yaw, -(gamma + alpha), -a.bank])
        x, y, z, w = rot.as_quat()
        data.qpos[a.qadr + 3:a.qadr + 7] = [w, x, y, z]
        data.qvel[a.vadr + 3:a.vadr + 6] = 0.0

    # --- recording ------------------------------------------------------------------------
    def record(self, data, time: float) -> None:
        for a in self.aircraft:
            speed = float(np.linalg.norm(data.qvel[a.vadr:a.vadr + 3]))
            a.samples.append((speed, engine_rpm(a.spec, a.throttle), 0, a.throttle, 0.0))

    def tracks(self) -> tuple[VehicleTrack, ...]:
        out = []
        for a in self.aircraft:
            rows = np.array(a.samples, dtype=float).reshape(-1, 5)
            out.append(VehicleTrack(a.entity, rows[:, 0], rows[:, 1], rows[:, 2].astype(int),
                                    rows[:, 3], rows[:, 4]))
        return tuple(out)


def engine_rpm(spec: AircraftSpec, throttle: float) -> float:
    """A jet's fan speed N1 (thrust grows about as N1^2, so N1 ~ sqrt of the thrust share,
    never under flight idle) or a fixed-pitch propeller's rpm (the power it absorbs grows as
    rpm^3: rpm ~ cube root of the power share, never under idle)."""
    throttle = min(max(throttle, 0.0), 1.0)
    if spec.kind == "jet":
        return spec.n1_max_rpm * max(spec.idle_n1, math.sqrt(throttle))
    return max(spec.idle_rpm, spec.max_rpm * throttle ** (1.0 / 3.0))
