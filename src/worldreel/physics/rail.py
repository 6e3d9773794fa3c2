"""Trains on their rails: traction, resistance, brakes and couplings of rail vehicles.

Every rail car (assets.trains) is a body on a slide joint along its own x axis, laid on the
centre line of the railway_track it stands on: it cannot leave the rails (a straight track;
curves are not modelled). Cars standing end to end on one track are coupled (assets.trains
.consists): a joint equality keeps each car's travel equal to the leading car's (the couplings
and buffers as one stiff drawgear), and the cars do not collide with each other. Each car's
rotating parts (wheelsets, gears, traction motors) add their spin inertia as the slide's
armature (trains.yaml rotating_mass), so a train accelerates as its "effective mass" says.

Every CONTROL_S the driver (this module) reads the consist's speed and sets:

- traction: the locomotives' force at the rails at full power, min(starting tractive effort,
  power at the rails / speed) (trains.yaml, the published figures), of which a speed
  controller asks what brings it to the Drive's speed; the throttle is the share used, and a
  diesel-electric's engine runs at the speed of its throttle notch (8 notches, idle to full
  rpm), not the wheels';
- resistance on every car: steel wheels' rolling resistance and the air's drag on the leading
  end and along the train (trains.yaml, Davis-type terms);
- brakes: a Brake (service or emergency rate, trains.yaml braking) or the stop at a Drive's
  `distance`: each car braked in proportion to its mass, so the couplings carry no braking
  load; below STOP_SPEED_M_S the brakes hold the train (dry friction on the slides).

A train placed with a velocity runs on at that speed; one with no Drive stands braked.
Each sample the leading locomotive's drivetrain is recorded as a VehicleTrack (speed along
the locomotive's heading, engine rpm, throttle notch as `gear`, throttle, brake share), the
same record road vehicles leave, so audio reads one place.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from worldreel.assets.materials import MEDIA
from worldreel.assets.trains import CarSpec, Consist, braking, car_spec, consists
from worldreel.errors import SceneError
from worldreel.recording import VehicleTrack
from worldreel.scene import Brake, Drive, Scene
from worldreel.timeline import TimedAction

CONTROL_S = 1.0 / 240.0  # the driver's update interval (control_timestep)
SPEED_GAIN_PER_S = 1.5  # speed error -> acceleration asked (settles in about 2 s)
STOP_SPEED_M_S = 0.05  # slower than this a stopping train is held by its brakes
HOLD_FRICTION = 0.15  # the brakes' hold on a standing train, a share of its weight
GRAVITY_M_S2 = 9.81
# The couplings: a joint equality (travel of car = travel of the leader) with a stiff, well
# damped response: 20 ms time constant, critical damping. Buffers and drawgear springs
# deflect a few centimetres under the kilonewtons they pass.
COUPLING_SOLREF = (0.02, 1.0)
OFF_END_M = 0.5  # a car's end this far past its track's end has left the rails


@dataclass
class _Train:
    """One consist with at least one locomotive: its cars' addresses and the driver's state."""

    consist: Consist
    specs: tuple[CarSpec, ...]
    commands: list[tuple[float, Drive | Brake]]
    leader: str  # the locomotive whose heading is "forward" and whose track is recorded
    dofs: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    signs: np.ndarray = field(default_factory=lambda: np.zeros(0))  # car x . leader's x
    masses: np.ndarray = field(default_factory=lambda: np.zeros(0))
    effective_mass: float = 0.0  # masses plus rotating mass
    mode: str = "parked"  # parked, drive, brake
    target: float = 0.0  # m/s forward (negative: backing)
    decel: float = 0.0  # m/s^2 of a stop in progress
    stop_after: float | None = None  # odometer reading to stop at
    odometer: float = 0.0
    last_q: float = 0.0
    throttle: float = 0.0
    brake: float = 0.0
    samples: list = field(default_factory=list)

    @property
    def mass(self) -> float:
        return float(self.masses.sum())


def _drag_area(specs: tuple[CarSpec, ...]) -> float:
    """m^2 of Cd A of a consist: the leading end's and every further car's along the train."""
    lead = specs[0]
    return lead.drag_coefficient * lead.front_area + sum(s.trailing_drag_area for s in specs[1:])


class Rail:
    """The drivers of a Scene's trains: built into the spec, bound to the model, applied before
    every physics step (`drive`) and recorded at every sample (`record`)."""

    def __init__(self, scene: Scene, timed: list[TimedAction]):
        self.scene = scene
        medium = scene.setting.medium
        self.air_density = MEDIA[medium].density if medium in MEDIA else 0.0
        self.gravity = abs(float(scene.setting.gravity[2])) or GRAVITY_M_S2
        self.braking = braking()
        self.consists = consists(scene)
        self.trains: list[_Train] = []
        for consist in self.consists:
            if not consist.locomotives:
                continue
            ids = set(consist.locomotives)
            commands = [(t.time, t.action) for t in timed
                        if isinstance(t.action, (Drive, Brake)) and t.action.entity in ids]
            leader = commands[0][1].entity if commands else consist.locomotives[0]
            specs = tuple(car_spec(scene.entity(c).asset) for c in consist.cars)
            self.trains.append(_Train(consist, specs, commands, leader))
        self.cars = [c for consist in self.consists for c in consist.cars]
        self.active = bool(self.cars)
        self._stride = max(1, round(CONTROL_S * scene.physics_rate))

    # --- building -------------------------------------------------------------------------
    def add_to_spec(self, mujoco, spec) -> None:
        """Name each car's slide; give it its rotating mass; couple the cars of a consist; keep
        coupled cars from colliding with each other (their buffers touch)."""
        for consist in self.consists:
            for car in consist.cars:
                joint = spec.body(car).joints[0]
                joint.name = f"{car}:rail"
                c = car_spec(self.scene.entity(car).asset)
                joint.armature = c.rotating_mass * c.mass
            first = consist.cars[0]
            for car, facing in zip(consist.cars[1:], consist.facing[1:]):
                eq = spec.add_equality()
                eq.type = mujoco.mjtEq.mjEQ_JOINT
                eq.name1, eq.name2 = f"{car}:rail", f"{first}:rail"
                # travel along the track is facing x q: q_car = (facing_car / facing_first) q_first
                eq.data[:5] = [0.0, float(facing * consist.facing[0]), 0.0, 0.0, 0.0]
                eq.solref = list(COUPLING_SOLREF)
            for a, b in zip(consist.cars, consist.cars[1:]):
                exclude = spec.add_exclude()
                exclude.bodyname1, exclude.bodyname2 = a, b

    def bind(self, model, data) -> None:
        """Find each car's slide; give a consist one speed (a placed velocity of any car);
        brake standing trains."""
        self._dof, self._body = {}, {}
        for car in self.cars:
            body = model.body(car).id
            self._body[car] = body
            self._dof[car] = int(model.jnt_dofadr[model.body_jntadr[body]])
        for consist in self.consists:  # one speed for coupled cars: the first that moves
            speeds = [float(data.qvel[self._dof[c]]) * f
                      for c, f in zip(consist.cars, consist.facing)]
            moving = next((s for s in speeds if abs(s) > 1e-9), 0.0)
            for c, f in zip(consist.cars, consist.facing):
                data.qvel[self._dof[c]] = moving * f
        for train in self.trains:
            consist = train.consist
            lead_facing = consist.facing[consist.cars.index(train.leader)]
            train.dofs = np.array([self._dof[c] for c in consist.cars])
            train.signs = np.array([f * lead_facing for f in consist.facing], dtype=float)
            train.masses = np.array([s.mass for s in train.specs])
            train.effective_mass = float(sum(s.mass * (1.0 + s.rotating_mass)
                                             for s in train.specs))
            speed = self._speed(data, train)
            if abs(speed) > STOP_SPEED_M_S:
                train.mode, train.target = "drive", speed
            else:
                self._hold(model, train)
        for consist in self.consists:  # cars with no locomotive stand braked
            if not consist.locomotives:
                for c in consist.cars:
                    model.dof_frictionloss[self._dof[c]] = HOLD_FRICTION * car_spec(
                        self.scene.entity(c).asset).mass * self.gravity

    # --- state ----------------------------------------------------------------------------
    def _speed(self, data, train: _Train) -> float:
        """m/s along the leading locomotive's heading."""
        return float(data.qvel[train.dofs[0]] * train.signs[0])

    # --- the driver -----------------------------------------------------------------------
    def drive(self, model, data, step: int, time: float) -> bool:
        """Update the drivers every CONTROL_S. True while some train's traction or brakes act."""
        if step % self._stride == 0:
            for train in self.trains:
                self._control(model, data, train, time)
        return any(t.mode != "parked" for t in self.trains)

    def _control(self, model, data, train: _Train, time: float) -> None:
        while train.commands and train.commands[0][0] <= time + 1e-9:
            self._start(model, data, train, train.commands.pop(0)[1])
        speed = self._speed(data, train)
        q = float(data.qpos[train.dofs[0]])
        train.odometer += abs(q - train.last_q)
        train.last_q = q
        if train.mode == "parked":
            data.qfrc_applied[train.dofs] = 0.0
            train.throttle = train.brake = 0.0
            return
        resistance = self._resistance(train, speed)  # N against the motion, per car
        if train.mode == "drive":
            accel = self._drive_accel(train, speed)
        else:
            accel = -math.copysign(train.decel, speed)
        if train.mode == "brake" and abs(speed) < STOP_SPEED_M_S:
            self._park(model, data, train)
            return
        forward = math.copysign(1.0, speed if abs(speed) > 1e-6 else (train.target or 1.0))
        # the force along "forward" (the sign of travel) the whole train needs beyond resistance
        needed = train.effective_mass * accel * forward + resistance.sum()
        traction = 0.0
        brake = 0.0
        if needed > 0.0 and train.mode == "drive":
            available = self._tractive_effort(train, speed)
            traction = min(needed, available)
            train.throttle = traction / max(available, 1e-9)
            train.brake = 0.0
        else:
            brake = min(max(-needed, 0.0), train.effective_mass * self.braking.emergency)
            train.throttle = 0.0
            train.brake = brake / (train.effective_mass * self.braking.emergency)
        # per car, along its own slide: resistance and brakes by mass, traction on locomotives
        share = train.masses / train.mass
        along = -resistance - brake * share
        locos = np.array([s.kind == "locomotive" for s in train.specs])
        efforts = np.array([s.tractive_force_n if s.kind == "locomotive" else 0.0
                            for s in train.specs])
        if traction > 0.0:
            along = along + traction * efforts / efforts[locos].sum()
        data.qfrc_applied[train.dofs] = along * forward * train.signs

    def _start(self, model, data, train: _Train, action: Drive | Brake) -> None:
        model.dof_frictionloss[train.dofs] = 0.0
        if isinstance(action, Brake):
            train.mode = "brake"
            train.decel = self.braking.emergency if action.hard else self.braking.service
            return
        sign = 1.0
        if action.direction is not None:
            heading = self._heading(model, data, train)
            sign = 1.0 if float(np.dot(action.direction[:2], heading)) >= 0.0 else -1.0
        train.mode, train.target, train.decel = "drive", sign * action.speed, 0.0
        train.stop_after = train.odometer + action.distance if action.distance else None

    def _heading(self, model, data, train: _Train) -> np.ndarray:
        body = model.body(train.leader).id
        x = data.xmat[body].reshape(3, 3)[:, 0]
        return x[:2] / max(float(np.linalg.norm(x[:2])), 1e-12)

    def _drive_accel(self, train: _Train, speed: float) -> float:
        """The acceleration asked along the leader's heading: towards the target speed, or a
        service stop so as to halt `distance` on."""
        service = self.braking.service
        if train.stop_after is not None:
            left = train.stop_after - train.odometer
            if train.decel > 0.0 or left <= speed * speed / (2.0 * service) + abs(speed) * CONTROL_S:
                train.decel = min(max(speed * speed / (2.0 * max(left, 0.02)), 0.05),
                                  self.braking.emergency)
                if abs(speed) < STOP_SPEED_M_S:
                    train.mode = "brake"
                return -math.copysign(train.decel, speed)
        return SPEED_GAIN_PER_S * (train.target - speed)

    def _resistance(self, train: _Train, speed: float) -> np.ndarray:
        """N against the motion on each car: rolling resistance and (on the leader) the air's
        drag of the whole train."""
        rolling = self.braking.rolling * train.masses * self.gravity * math.tanh(speed / 0.05)
        rolling = np.abs(rolling)
        drag = 0.5 * self.air_density * _drag_area(train.specs) * speed * speed
        out = rolling.copy()
        out[0] += drag
        return out

    def _tractive_effort(self, train: _Train, speed: float) -> float:
        return float(sum(s.tractive_effort(speed) for s in train.specs if s.kind == "locomotive"))

    def _hold(self, model, train: _Train) -> None:
        model.dof_frictionloss[train.dofs] = HOLD_FRICTION * train.masses * self.gravity

    def _park(self, model, data, train: _Train) -> None:
        train.mode, train.throttle, train.brake = "parked", 0.0, 0.0
        data.qfrc_applied[train.dofs] = 0.0
        data.qvel[train.dofs] = 0.0
        self._hold(model, train)

    # --- recording ------------------------------------------------------------------------
    def record(self, data, time: float) -> None:
        self._check_on_track(data, time)
        for train in self.trains:
            speed = self._speed(data, train)
            spec = train.specs[train.consist.cars.index(train.leader)]
            notch = math.ceil(train.throttle * spec.engine["notches"] - 1e-6)
            rpm = spec.engine["idle_rpm"] + notch / spec.engine["notches"] * (
                spec.engine["full_rpm"] - spec.engine["idle_rpm"])
            # a locomotive's diesel runs (idles) while it stands, as on any working train
            train.samples.append((speed, rpm, notch, train.throttle, train.brake))

    def _check_on_track(self, data, time: float) -> None:
        """Refuse a train that runs off the end of its track (there are no rails beyond)."""
        for consist in self.consists:
            line = consist.track
            for car in consist.cars:
                spec = car_spec(self.scene.entity(car).asset)
                along = float(line.along(data.xpos[self._body[car]][:2]))
                if abs(along) + 0.5 * spec.length > 0.5 * line.length + OFF_END_M:
                    raise SceneError(
                        f"{car!r} runs off the end of the railway_track {line.entity!r} at "
                        f"t={time:.2f} s; start the train further back, make it slower or the "
                        "clip shorter, or move the track along its line")

    def tracks(self) -> tuple[VehicleTrack, ...]:
        out = []
        for train in self.trains:
            rows = np.array(train.samples, dtype=float).reshape(-1, 5)
            out.append(VehicleTrack(train.leader, rows[:, 0], rows[:, 1], rows[:, 2].astype(int),
                                    rows[:, 3], rows[:, 4]))
        return tuple(out)
