"""Hammer blows: a hammer swung down onto a nail, and the wood that holds the nail.

The swing. A hand carries the hammer along an arc about a pivot behind its grip (the wrist and
elbow, a forearm's length behind the hand): lifted to the top of the swing, then swung down with
constant angular acceleration so that its face meets the nail's head at the action's speed.
While carried, the hammer is a free body put on its track every step with the track's velocity
(as people's limbs are, physics.cast). RELEASE_BEFORE_S before it lands the hand lets go: the
blow itself is the hammer's own momentum meeting the nail through a real contact (which is also
what is heard), and the hammer rebounds or rests on the nail as the contact says. FREE_AFTER_S
later the hand takes it again from wherever it is and lifts it for the next blow; after the
last one it is carried back to where it was placed and held there.

Each blow aims at the nail's head where it is when the downswing starts, so a nail driven deeper
by one blow is still met squarely by the next.

The nail. A nail asset moves only along its axis (a slide joint). Standing in a fixed wooden
thing (assets.mujoco_spec.mounted_pairs: its tip inside the wood), it is held there by dry
friction equal to the wood's withdrawal resistance over the length it is in, and its head stops
flush with the surface (a joint limit). The resistance per millimetre of penetration is the
Wood Handbook's withdrawal formula for smooth-shank nails driven into the side grain (USDA Forest
Products Laboratory, "Wood Handbook", FPL-GTR-190, 2010, ch. 8, eq. 8-1):

    p = 54.12 G^2.5 D   (N per mm of penetration, D the nail's diameter in mm)

with G the wood's specific gravity (oven-dry weight over volume at 12 % moisture), which we take
from the material's density: G = density / (1000 kg/m^3 x 1.12). For the table's wood (700
kg/m^3, G = 0.63) and a 3.76 mm nail that is 63 N/mm: 1.3 kN with 20 mm in, 3 kN near the end
(Douglas fir, G = 0.45, gives 28 N/mm). Driving a nail meets about the resistance it is later
withdrawn with, immediately after driving; so how deep each blow sends the nail is the hammer's
energy spent against that friction: a few millimetres for a 0.57 kg hammer at 5 m/s.

Limits. The blow's peak force is set by the contact spring (physics.contact_model: stiffness
grows with the physics rate), about m v w0 = 2 kN for this hammer at 5 m/s and 2400 Hz, where a
steel face on a nail peaks near 10 kN. Once the wood's grip nears that peak (about 35 mm in
this wood) blows stop driving the nail, and blows slower than about 4 m/s barely move it. The
first blows at 5 m/s agree with the energy balance within ~10 %; at 4800 and 9600 Hz they go
~30 % deeper than the hammer's kinetic energy allows, which is not understood yet.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.assets.materials import material
from worldreel.assets.mujoco_spec import (entity_asset, entity_corners, entity_material,
                                          entity_rotation, mounted_pairs)
from worldreel.assets.trains import car_spec
from worldreel.errors import SceneError
from worldreel.scene import Hammer, Scene
from worldreel.timeline import TimedAction

# The swing.
FOREARM_M = 0.25  # the pivot (elbow) behind the hand holding the grip
TOP_ANGLE_DEG = 60.0  # how far the hammer is raised about the pivot before each blow
LIFT_S = 0.35  # from the placed pose (or a rebound) to the top of the swing, at the least
RELEASE_BEFORE_S = 0.003  # the hand lets go this long before the face lands (15 mm at 5 m/s)
FREE_AFTER_S = 0.02  # the hammer rebounds on its own this long (the contact lasts ~3 ms),
# then the hand takes it again, before its handle drops onto the board
MIN_LIFT_S = 0.1  # the shortest lift between two blows
# The nail in wood.
WITHDRAWAL_N_PER_MM = 54.12  # Wood Handbook eq. 8-1 coefficient: p = 54.12 G^2.5 D, N/mm
MOISTURE = 0.12  # the moisture content G is referred to
WATER_DENSITY = 1000.0  # kg/m^3
# MuJoCo's dry friction is soft: below its limit it lets through (1 - impedance) of the push, as
# a slip damped with time constant NAIL_FRICTION_TIMECONST_S. A 7 g nail pushed with 1.2 kN
# slipped 7 m/s at MuJoCo's default impedance (0.9); at 0.9999 and 1 ms it creeps 9 mm/s, 0.03 mm
# over a blow's 3 ms contact, and 0.01 mm/s under a resting hammer.
NAIL_FRICTION_TIMECONST_S = 0.001
NAIL_FRICTION_IMPEDANCE = 0.9999


def withdrawal_resistance(density: float, diameter_m: float) -> float:
    """N per metre of penetration of a smooth nail of `diameter_m` in wood of `density`
    (kg/m^3), Wood Handbook eq. 8-1."""
    gravity = density / (WATER_DENSITY * (1.0 + MOISTURE))
    return WITHDRAWAL_N_PER_MM * gravity ** 2.5 * (diameter_m * 1000.0) * 1000.0


@dataclass(frozen=True)
class NailHold:
    """A nail standing in wood: its slide joint, how deep it starts and how hard it is held."""

    entity: str
    start_depth: float  # m of the nail inside the wood at t = 0
    length: float  # m from the tip to under the head
    resistance: float  # N per metre of depth


def nail_holds(scene: Scene) -> dict[str, NailHold]:
    """Every sliding nail whose tip starts inside a fixed wooden thing."""
    holds = {}
    for nail_id, mount_id in mounted_pairs(scene):
        nail = scene.entity(nail_id)
        spec = entity_asset(nail)
        if spec.joint != "slide" or car_spec(nail.asset) is not None:  # a train on its track
            continue
        mount = scene.entity(mount_id)
        axis = entity_rotation(nail).apply(spec.joint_axis)
        index = scene.entities.index(nail)
        if axis[2] < 0.7:
            raise SceneError(f"entities[{index}].rotation: the {nail_id!r} must stand within 45 "
                             "degrees of upright to be driven into what it stands in")
        top = float(entity_corners(mount)[:, 2].max())
        depth = (top - float(nail.position[2])) / float(axis[2])
        shank = next((p for p in spec.parts if p.name == "shank"), spec.parts[0])
        length = 2.0 * shank.size[1] * nail.scale
        if depth <= 0.0:
            continue
        if depth >= length:
            raise SceneError(f"entities[{index}].position: the {nail_id!r} starts buried in "
                             f"{mount_id!r}; raise z so that its head stands above the surface")
        density = material(entity_material(mount)).density
        holds[nail_id] = NailHold(nail_id, depth, length,
                                  withdrawal_resistance(density, 2.0 * shank.size[0] * nail.scale))
    return holds


@dataclass(frozen=True)
class _Blow:
    impact: float  # s, when the face lands
    down: float  # s, when the downswing starts (from rest at the top)


@dataclass
class _Swing:
    """One hammer's blows and the geometry of its swing."""

    entity: str
    target: str
    blows: list[_Blow]
    speed: float
    down_s: float
    start: float  # s, when the first lift starts
    heading: np.ndarray  # the handle's horizontal direction, grip to head
    face: np.ndarray  # the face centre in the hammer's frame (scaled)
    pivot_local: np.ndarray  # the pivot in the hammer's frame (scaled)
    rest_pos: np.ndarray
    rest_quat: np.ndarray  # x, y, z, w (scipy)
    index: int


def _face_down(heading: np.ndarray) -> Rotation:
    """The hammer's orientation at impact: handle along `heading`, its face pointing down."""
    yaw = math.atan2(float(heading[1]), float(heading[0]))
    return Rotation.from_euler("z", yaw) * Rotation.from_euler("x", 90.0, degrees=True)


def plan_swings(scene: Scene, timed: list[TimedAction]) -> list[_Swing]:
    """The blows of every hammer action, with their times."""
    swings = []
    for item in timed:
        action = item.action
        if not isinstance(action, Hammer):
            continue
        hammer = scene.entity(action.entity)
        spec = entity_asset(hammer)
        if "face" not in spec.anchors or "grip" not in spec.anchors:
            raise SceneError(f"actions[{item.index}].entity: {hammer.asset!r} has no face to "
                             "strike with; swing a hammer")
        face = np.array(spec.anchors["face"]) * hammer.scale
        grip = np.array(spec.anchors["grip"]) * hammer.scale
        pivot_local = grip - np.array([FOREARM_M, 0.0, 0.0])
        reach = float(np.linalg.norm(face - pivot_local))
        down_s = 2.0 * math.radians(TOP_ANGLE_DEG) * reach / action.speed
        need = down_s + RELEASE_BEFORE_S + FREE_AFTER_S + MIN_LIFT_S
        if action.blows > 1 and action.interval < need:
            raise SceneError(f"actions[{item.index}].interval: {action.interval:g} s is too short "
                             f"to lift and swing again at {action.speed:g} m/s; give at least "
                             f"{need:.2f} s")
        heading = entity_rotation(hammer).apply([1.0, 0.0, 0.0])
        heading[2] = 0.0
        if np.linalg.norm(heading) < 1e-6:
            raise SceneError(f"entities[{scene.entities.index(hammer)}].rotation: the "
                             f"{hammer.id!r} handle points straight up or down; lay it level")
        heading /= np.linalg.norm(heading)
        first = item.time + LIFT_S + down_s
        blows = [_Blow(first + k * action.interval, first + k * action.interval - down_s)
                 for k in range(action.blows)]
        swings.append(_Swing(hammer.id, action.target, blows, action.speed, down_s, item.time,
                             heading, face, pivot_local, np.array(hammer.position, dtype=float),
                             entity_rotation(hammer).as_quat(), item.index))
    return swings


def _min_jerk(s: float) -> tuple[float, float]:
    """Position (0..1) and its rate (per unit s) of a minimum-jerk move at fraction s."""
    s = min(max(s, 0.0), 1.0)
    return s ** 3 * (10 - 15 * s + 6 * s * s), 30 * s * s * (1 - s) ** 2


class Hammering:
    """Drives every hammer along its swings and holds every nail in its wood."""

    def __init__(self, scene: Scene, timed: list[TimedAction]):
        self.scene = scene
        self.swings = plan_swings(scene, timed)
        self.nails = nail_holds(scene)
        self.active = bool(self.swings or self.nails)
        self._state: dict[str, dict] = {}

    # -- building ---------------------------------------------------------------------------
    def add_to_spec(self, mujoco, spec) -> None:
        """Nails: their stop at the surface and their friction; hammers: never asleep."""
        for hold in self.nails.values():
            joint = spec.body(hold.entity).joints[0]
            joint.limited = mujoco.mjtLimited.mjLIMITED_TRUE
            # q is the nail's travel along its axis (out of the wood): its head stops flush,
            # and it can be pulled out no further than it is in
            joint.range = [-(hold.length - hold.start_depth), hold.start_depth]
            joint.frictionloss = hold.resistance * hold.start_depth
            joint.solref_friction = [NAIL_FRICTION_TIMECONST_S, 1.0]
            joint.solimp_friction = [NAIL_FRICTION_IMPEDANCE, NAIL_FRICTION_IMPEDANCE, 0.001,
                                     0.5, 2.0]
        for swing in self.swings:
            spec.body(swing.entity).sleep = mujoco.mjtSleepPolicy.mjSLEEP_NEVER

    def bind(self, model, data) -> None:
        self._model = model
        for hold in self.nails.values():
            body = model.body(hold.entity).id
            joint = int(model.body_jntadr[body])
            self._state[hold.entity] = {"q": int(model.jnt_qposadr[joint]),
                                        "dof": int(model.jnt_dofadr[joint])}
        for swing in self.swings:
            body = model.body(swing.entity).id
            joint = int(model.body_jntadr[body])
            target = model.body(swing.target).id
            self._state[swing.entity] = {
                "q": int(model.jnt_qposadr[joint]), "v": int(model.jnt_dofadr[joint]),
                "target": target, "from": None, "aim": None, "blow": 0}

    # -- every step -------------------------------------------------------------------------
    def drive(self, data, time: float) -> bool:
        """Set the nails' friction for their depth and put carried hammers on their track;
        True while a hand acts on a hammer."""
        model = self._model
        for hold in self.nails.values():
            state = self._state[hold.entity]
            depth = hold.start_depth - float(data.qpos[state["q"]])
            model.dof_frictionloss[state["dof"]] = hold.resistance * max(depth, 0.0)
        acted = False
        for swing in self.swings:
            acted |= self._carry(swing, data, time)
        return acted

    def _carry(self, swing: _Swing, data, time: float) -> bool:
        state = self._state[swing.entity]
        qadr, vadr = state["q"], state["v"]
        if time < swing.start:
            self._put(data, qadr, vadr, swing.rest_pos, Rotation.from_quat(swing.rest_quat),
                      np.zeros(3), np.zeros(3))
            return False
        # which phase: carried up to blow k's top, swinging down, free, or going home
        for k, blow in enumerate(swing.blows):
            if time < blow.down:
                return self._lift(swing, data, time, blow.down, k)
            if time < blow.impact - RELEASE_BEFORE_S:
                self._down(swing, data, time, blow, k)
                return True
            if time < blow.impact + FREE_AFTER_S:
                state["from"] = None  # the hand has let go
                return False
        return self._home(swing, data, time)

    def _aim(self, swing: _Swing, data) -> tuple[np.ndarray, np.ndarray]:
        """Impact pose (origin, rotation as x, y, z, w) for the nail's head where it is now."""
        target = self.scene.entity(swing.target)
        spec = entity_asset(target)
        head = np.array(spec.anchors.get("head", spec.bounds()[1])) * target.scale
        body = self._state[swing.entity]["target"]
        world_head = data.xpos[body] + data.xmat[body].reshape(3, 3) @ head
        rotation = _face_down(swing.heading)
        origin = world_head - rotation.apply(swing.face)
        return origin, rotation.as_quat()

    def _arc(self, swing: _Swing, aim, angle: float) -> tuple[np.ndarray, Rotation, np.ndarray]:
        """Pose at `angle` (rad, 0 at impact) up the arc: origin, rotation, and the pivot."""
        origin, quat = aim
        impact = Rotation.from_quat(quat)
        pivot = origin + impact.apply(swing.pivot_local)
        axis = np.cross(swing.heading, [0.0, 0.0, 1.0])
        turn = Rotation.from_rotvec(axis * angle)
        return pivot + turn.apply(origin - pivot), turn * impact, pivot

    def _top(self, swing: _Swing, data, k: int):
        state = self._state[swing.entity]
        if state["aim"] is None or state["blow"] != k:
            state["aim"], state["blow"] = self._aim(swing, data), k
        position, rotation, _ = self._arc(swing, state["aim"], math.radians(TOP_ANGLE_DEG))
        return position, rotation

    def _lift(self, swing: _Swing, data, time: float, until: float, k: int) -> bool:
        """Carry the hammer from where the hand took it to the top of blow k's swing."""
        state = self._state[swing.entity]
        if state["from"] is None:
            state["from"] = (time, *self._pose(data, state))
        begun, position, rotation = state["from"]
        goal_position, goal_rotation = self._top(swing, data, k)
        self._move(data, state, time, begun, until, position, rotation, goal_position,
                   goal_rotation)
        return True

    def _down(self, swing: _Swing, data, time: float, blow: _Blow, k: int) -> None:
        state = self._state[swing.entity]
        state["from"] = None
        aim = state["aim"] if state["aim"] is not None and state["blow"] == k else None
        if aim is None:
            state["aim"], state["blow"] = self._aim(swing, data), k
            aim = state["aim"]
        top = math.radians(TOP_ANGLE_DEG)
        tau = time - blow.down
        alpha = 2.0 * top / swing.down_s ** 2  # constant angular acceleration from rest
        angle = top - 0.5 * alpha * tau * tau
        omega = -alpha * tau  # about the swing axis
        position, rotation, pivot = self._arc(swing, aim, angle)
        axis = np.cross(swing.heading, [0.0, 0.0, 1.0])
        spin = axis * omega
        self._put(data, state["q"], state["v"], position, rotation,
                  np.cross(spin, position - pivot), spin)

    def _home(self, swing: _Swing, data, time: float) -> bool:
        """After the last blow: back to where it was placed, and held there."""
        state = self._state[swing.entity]
        if state["from"] is None:
            state["from"] = (time, *self._pose(data, state))
        begun, position, rotation = state["from"]
        self._move(data, state, time, begun, begun + LIFT_S, position, rotation, swing.rest_pos,
                   Rotation.from_quat(swing.rest_quat))
        return True

    @staticmethod
    def _pose(data, state) -> tuple[np.ndarray, Rotation]:
        q = state["q"]
        return (data.qpos[q:q + 3].copy(),
                Rotation.from_quat(np.roll(data.qpos[q + 3:q + 7], -1)))

    def _move(self, data, state, time, begun, until, position, rotation, goal_position,
              goal_rotation) -> None:
        """A minimum-jerk carry from one pose to another between `begun` and `until`."""
        span = max(until - begun, 1e-6)
        s, rate = _min_jerk((time - begun) / span)
        rate /= span
        delta = goal_position - position
        turn = goal_rotation * rotation.inv()
        rotvec = turn.as_rotvec()
        now = Rotation.from_rotvec(rotvec * s) * rotation
        self._put(data, state["q"], state["v"], position + delta * s, now, delta * rate,
                  rotvec * rate)

    @staticmethod
    def _put(data, qadr: int, vadr: int, position, rotation: Rotation, linear, angular) -> None:
        """Place a free body: position, orientation, the velocity of its frame origin and its
        angular velocity (world axes; MuJoCo wants it in the body's own)."""
        data.qpos[qadr:qadr + 3] = position
        data.qpos[qadr + 3:qadr + 7] = np.roll(rotation.as_quat(), 1)
        data.qvel[vadr:vadr + 3] = linear
        data.qvel[vadr + 3:vadr + 6] = rotation.inv().apply(angular)


def nail_depths(recording, scene: Scene) -> dict[str, np.ndarray]:
    """How deep each nail standing in wood is (m) at every sample of a Recording."""
    holds = nail_holds(scene)
    out = {}
    for nail_id, hold in holds.items():
        k = recording.entity_ids.index(nail_id)
        start = np.array(scene.entity(nail_id).position)
        axis = entity_rotation(scene.entity(nail_id)).apply(entity_asset(
            scene.entity(nail_id)).joint_axis)
        out[nail_id] = hold.start_depth - (recording.positions[:, k] - start) @ axis
    return out
