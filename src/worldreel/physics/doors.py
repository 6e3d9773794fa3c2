"""Vehicle doors swung by Door actions: unlatched and opened to their stop, shut or slammed.

A vehicle's front door is a hinged link (assets.doors) held shut by its latch, a dry friction
in the hinge no drive or crash overcomes. A Door action to open it lets the latch go (an
"unlatch" DoorEvent) and a stiff servo on the hinge swings it along a smooth path to its stop
over OPEN_S (a hand pulling it open), then holds it there. To shut it the servo swings it back
along a path that reaches the body at the door's closing speed (doors.yaml: a normal close or a
slam, at its rear edge); what stops it is the hinge's limit, the body. The instant the hinge
angle reaches zero (interpolated between physics steps) is the "latch" DoorEvent, with the
speed the door struck at, and the latch holds it shut again: the car drives as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from worldreel.assets.doors import DoorSpec, door_link_name, door_spec
from worldreel.errors import SceneError
from worldreel.recording import DoorEvent
from worldreel.scene import Door, Scene
from worldreel.timeline import TimedAction

SERVO_W_RAD_S = 40.0  # the hand on the door: a stiff spring (0.16 s period), critically damped
LATCH_RAD = 1e-3  # a door this near shut has met the body


@dataclass
class _Door:
    entity: str
    side: str
    spec: DoorSpec
    commands: list[TimedAction]
    belt: float  # the beltline height in the vehicle's frame: where the edge's point is
    dof: int = -1
    qadr: int = -1
    body: int = -1
    mode: str = "shut"  # shut (latched), opening, open, closing
    start: float = 0.0
    from_angle: float = 0.0
    end_rate: float = 0.0  # rad/s at the body (closing)
    last_angle: float = 0.0
    last_rate: float = 0.0
    events: list[DoorEvent] = field(default_factory=list)


def _smooth(s: float) -> tuple[float, float]:
    """Smoothstep and its slope at s in [0, 1]."""
    s = min(max(s, 0.0), 1.0)
    return s * s * (3.0 - 2.0 * s), 6.0 * s * (1.0 - s)


class Doors:
    """The doors the Scene's Door actions move, driven and watched step by step."""

    def __init__(self, scene: Scene, timed: list[TimedAction]):
        doors: dict[tuple[str, str], _Door] = {}
        for t in sorted((t for t in timed if isinstance(t.action, Door)),
                        key=lambda t: (t.time, t.index)):
            action: Door = t.action
            entity = scene.entity(action.entity)
            spec = door_spec(entity.asset)
            if spec is None:  # scene_check reports it; a Scene played unchecked still fails
                raise SceneError(f"actions[{t.index}]: {action.entity!r} has no door")
            key = (action.entity, action.side)
            if key not in doors:
                from worldreel.assets.vehicles import vehicle_spec  # noqa: PLC0415

                doors[key] = _Door(action.entity, action.side, spec, [],
                                   vehicle_spec(entity.asset).beltline)
            doors[key].commands.append(t)
        self.doors = list(doors.values())
        self.active = bool(self.doors)

    def bind(self, model, data) -> None:
        for door in self.doors:
            body = model.body(f"{door.entity}.{door_link_name(door.side)}").id
            joint = int(model.body_jntadr[body])
            door.body, door.dof, door.qadr = body, int(model.jnt_dofadr[joint]), \
                int(model.jnt_qposadr[joint])
            door.last_angle = float(data.qpos[door.qadr])

    def drive(self, model, data, time: float, dt: float) -> bool:
        """Start what is due, and push each moving door along its path. True: a door moved."""
        acted = False
        for door in self.doors:
            while door.commands and door.commands[0].time <= time + 0.5 * dt:
                self._start(model, data, door, door.commands.pop(0).action, time)
            if door.mode == "shut":
                continue
            target, rate = self._path(door, time)
            angle, speed = float(data.qpos[door.qadr]), float(data.qvel[door.dof])
            inertia = door.spec.inertia
            data.qfrc_applied[door.dof] = inertia * (
                SERVO_W_RAD_S ** 2 * (target - angle) + 2.0 * SERVO_W_RAD_S * (rate - speed))
            acted = True
        return acted

    def watch(self, model, data, time: float, dt: float) -> None:
        """After a step ending at `time`: a closing door that has met the body latches."""
        for door in self.doors:
            angle, rate = float(data.qpos[door.qadr]), float(data.qvel[door.dof])
            if door.mode == "closing" and angle <= LATCH_RAD < door.last_angle:
                share = (door.last_angle - LATCH_RAD) / max(door.last_angle - angle, 1e-12)
                when = time - dt + share * dt
                speed = abs(door.last_rate) * door.spec.length
                door.events.append(DoorEvent(when, door.entity, door.side, "latch", speed,
                                             self._edge(data, door)))
                door.mode = "shut"
                data.qfrc_applied[door.dof] = 0.0
                model.dof_frictionloss[door.dof] = door.spec.latch_torque
            door.last_angle, door.last_rate = angle, rate

    def events(self) -> tuple[DoorEvent, ...]:
        return tuple(sorted((e for d in self.doors for e in d.events),
                            key=lambda e: (e.time, e.entity, e.side)))

    def _start(self, model, data, door: _Door, action: Door, time: float) -> None:
        angle = float(data.qpos[door.qadr])
        if action.open:
            if door.mode == "shut":
                model.dof_frictionloss[door.dof] = 0.0  # the handle pulled: the latch lets go
                door.events.append(DoorEvent(time, door.entity, door.side, "unlatch", 0.0,
                                             self._edge(data, door)))
            door.mode = "opening"
        else:
            if door.mode == "shut":
                return
            door.mode = "closing"
            speed = door.spec.slam_speed if action.slam else door.spec.close_speed
            door.end_rate = speed / door.spec.length
        door.start, door.from_angle = time, angle

    def _path(self, door: _Door, time: float) -> tuple[float, float]:
        """The angle (rad) and rate (rad/s) the hand moves the door along at `time`."""
        spec = door.spec
        elapsed = time - door.start
        if door.mode in ("opening", "open"):
            stop = np.radians(spec.open_deg)
            s, slope = _smooth(elapsed / spec.open_s)
            if elapsed >= spec.open_s:
                door.mode = "open"
            return door.from_angle + (stop - door.from_angle) * s, \
                (stop - door.from_angle) * slope / spec.open_s
        # Closing: a cubic from rest at from_angle to 0 at -end_rate (Hermite), then on
        # through the body at that rate until the hinge's limit stops it (the latch).
        duration = spec.close_s
        if elapsed >= duration:
            return -door.end_rate * (elapsed - duration), -door.end_rate
        s = elapsed / duration
        h00, h11 = 2 * s ** 3 - 3 * s ** 2 + 1, s ** 3 - s ** 2
        d00, d11 = (6 * s ** 2 - 6 * s) / duration, (3 * s ** 2 - 2 * s) / duration
        slope_end = -door.end_rate * duration
        return door.from_angle * h00 + slope_end * h11, \
            door.from_angle * d00 + slope_end * d11

    def _edge(self, data, door: _Door) -> tuple[float, float, float]:
        """The door's rear edge at the beltline, world m."""
        rotation = data.xmat[door.body].reshape(3, 3)
        local = np.array([-door.spec.length, 0.0, door.belt])
        return tuple(float(v) for v in data.xpos[door.body] + rotation @ local)
