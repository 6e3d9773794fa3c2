"""Coordinates for a story: where every entity starts, and the cue each motion becomes.

Every motion is laid out by a small template in a frame where it heads along +x (a ball rolls
off a table towards +x; a hoop's board faces +x and the shooter stands on +x). A template that
refers to something already placed (the table two balls roll off) builds around it; otherwise it
is set down to the right of everything placed so far, so unrelated groups never overlap. At the
end the whole layout is centred on the origin and checked for interpenetration.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Literal

import numpy as np

from worldreel.assets import ASSETS, ENVIRONMENTS, MATERIALS, room_interior, setups
from worldreel.assets.water import SEA_SURFACE_M
from worldreel.director import geometry
from worldreel.director import lexicon as lx
from worldreel.director.interpret import Motion, Story, Thing
from worldreel.errors import PromptError

# Distances (m), speeds (m/s) and times (s) of the templates; chosen so that a default camera
# sees the whole event and the event is over in a few seconds.
DROP_HEIGHT_M = 1.5  # bottom of a dropped thing above the floor
DROP_HEIGHT_ON_SUPPORT_M = 1.0  # ... above a table, crate or other thing it lands on
HELD_HEIGHT_M = 1.2
HOOP_SHOT_DISTANCE_M = 4.2  # horizontal, rim to release point (a free throw is 4.19 m)
HOOP_RELEASE_HEIGHT_M = 2.0  # release height of a jump shot
HOOP_FLIGHT_S = 1.15
THROW_DISTANCE_M = 3.0
THROW_HEIGHT_M = 1.4
THROW_FLIGHT_S = 0.75
LOB_DISTANCE_M = 0.8  # a toss onto a table starts this far before its edge
LOB_FLIGHT_S = 0.9
ROLL_SPEED = 1.2
TABLE_ROLL_SPEED = 0.7
RAMP_START_SPEED = 0.25
EDGE_GAP_M = 0.25  # from a thing rolling off a support to the edge it heads for
TARGET_GAP_M = 1.2  # free floor between a roller and what it rolls into
PUSH_GAP_M = 0.6
PUSH_SLIDE_M = 0.8  # how far a pushed thing slides when it hits nothing
DOMINO_SPACING = 0.6  # centre-to-centre, in domino heights
DOMINO_PUSH_SPEED = 0.6
DOMINO_WAVE_SPEED = 1.0  # m/s, a toppling wave of dominoes spaced at 0.6 h (about sqrt(g h))
COLLIDE_HALF_DISTANCE_M = 1.0
GROUP_GAP_M = 0.8
ROW_WIDTH_M = 7.0  # unrelated groups wrap into a new row beyond this (narrower in a room)
WALL_CLEARANCE_M = 0.3  # in a walled room, rows keep this far from the side walls
STAGGER_SPAN_S = 5.0  # "one after another": all of them start within this
BALL_SETTLE_S = 2.0  # bounces die out
SOLID_SETTLE_S = 1.0
JITTER_M = 0.03  # seeded variation of unspecified positions
KICK_SPEED = 6.0  # m/s, a light kick of a football (a hard shot is 25+; a pass 8-12)
KICK_ELEVATION_DEG = 20.0  # a kick with nothing to hit lofts the ball across the ground
KICK_AT_TARGET_SPEED = 6.0
KICK_AT_TARGET_ELEVATION_DEG = 3.0  # a low drive along the ground at what it should hit
KICK_TARGET_GAP_M = 2.5
SPIN_RATE = 60.0  # rad/s, a top spun by hand (about 10 turns a second)
# A top spins a few seconds before it wobbles down: spun at SPIN_RATE the registry's top stands
# about 5 s (its peg's friction brings it to the speed it cannot stand below, assets.registry),
# then falls and rolls round on its rim for a second or two (SPIN_SETTLE_S).
SPIN_S = 5.5
SPIN_SETTLE_S = 2.5
# A coin flipped from the thumb (Diaconis, Holmes & Montgomery, "Dynamical bias in the coin
# toss", SIAM Review 49, 2007: about 38 turns a second, half a second in the air): it leaves the
# hand at chest height going up at g t / 2 = 2.45 m/s and a little forward, turning end over end
# about a horizontal axis.
FLIP_HEIGHT_M = 1.1  # a hand at chest height over the floor
FLIP_OVER_TABLE_M = 0.45  # ... or over a table top
FLIP_VELOCITY = (0.3, 0.0, 2.45)
FLIP_RATE = 240.0  # rad/s
FLIP_SETTLE_S = 2.5  # it bounces, skitters and rings down flat
# A disc spun on its rim (a pot lid on a table): let go leaning RIM_TILT_DEG, turning about its
# own axis at RIM_SPIN_RATE (a flick of the fingers, ~6 turns a second); it precesses, rattles
# lower and settles flat within RIM_SPIN_S.
RIM_TILT_DEG = 20.0
RIM_SPIN_RATE = 40.0
RIM_SPIN_S = 5.0
PULL_S = 1.5  # how long a pull lasts
PULL_MARGIN = 2.5  # pull force as a multiple of the friction that holds the thing
PULL_WHEELED_ACCEL = 1.0  # m/s^2 a pulled cart picks up speed at
BREAK_MARGIN = 1.25  # planned impact speed over the material's breaking speed
TOPPLE_MARGIN = 1.4  # a topple's nudge over the least that tips the thing over
SWING_ANGLE_DEG = {"wrecking_ball": 60.0, "pendulum": 30.0, "rope_swing": 45.0, "rope": 30.0}
ROPE_FRAME_M = 2.5  # height of the frame a rope or swing hangs from
CLOTH_DROP_M = 0.25  # a cloth starts this far above what it falls over
CLOTH_HEIGHT_M = 1.0  # ... or above the floor
SEESAW_DROP_M = 0.8  # a thing dropped onto a seesaw end starts this far above it
# A push on a door's leaf (physics: the speed its centre of mass, half way out, is given): a
# door pushed open or shut by hand swings at ~1-2 rad/s, its edge at ~1 m/s; a slam throws the
# edge at 3-4 m/s (estimates from filmed door swings; a slammed 0.9 m door shuts in ~0.25 s).
# A bell is rung by swinging it: 1 m/s at its centre of mass (0.16 m below the pivot) swings
# it ~50 degrees, and its clapper strikes the lip at each end of the swing.
SWING_SPEEDS = {"open": 0.5, "close": 0.5, "slam": 1.8, "slam_open": 1.5, "ring": 1.0}
SWING_SETTLE_S = 2.0


def swing_direction(body: "Body", opening: bool) -> tuple[float, float, float]:
    """The horizontal way a push on the hinged part of a door-like thing swings it open (or
    shut): along the circle its centre of mass moves on, at its starting angle."""
    from scipy.spatial.transform import Rotation  # noqa: PLC0415

    link = ASSETS[body.asset].links[0]
    axis = np.asarray(link.axis, dtype=float)
    centre = np.mean([p.pos for p in link.parts if p.collides], axis=0)
    lever = Rotation.from_rotvec(math.radians(link.angle) * axis).apply(centre)
    tangent = Rotation.from_euler("xyz", body.rotation, degrees=True).apply(
        np.cross(axis, lever))
    tangent[2] = 0.0
    tangent /= max(float(np.linalg.norm(tangent)), 1e-9)
    sign = 1.0 if opening else -1.0
    return tuple(round(float(sign * v), 4) for v in tangent)
BREAK_SHOT_SPEED = 4.0
# By the sea: the shoreline stands this far beyond the last thing on the sand (beyond, when the
# sea is behind the set); what is sent into it comes down this far out, a toss taking this long.
SHORE_GAP_M = 0.8
SEA_BEHIND_M = 3.0
SEA_LANDING_M = 1.5
SEA_THROW_FLIGHT_S = 1.0
SEA_KICK_ELEVATION_DEG = 35.0
ROLL_INTO_SEA_MARGIN = 1.3  # a roll into the sea starts this much faster than just enough
SEA_MOTIONS = frozenset({"throw", "roll", "push", "drop"})
DEFAULT_SEA_M = 0.45
# Putting. A holed putt is best struck to finish 17 in (0.43 m) past the hole had it missed
# (Pelz, "Dave Pelz's Putting Bible", 2000); a ball reaching the hole faster than about
# 1.31 m/s skips over it even dead centre (Holmes, "Putting: how a golf ball and hole
# interact", Am. J. Phys. 59, 129, 1991), so a putt meant to drop arrives under that.
PUTT_PAST_HOLE_M = 0.43
PUTT_CAPTURE_SPEED = 1.31
PUTT_DISTANCE_M = 2.5  # a makeable putt, in the green's length before its hole
PUTT_MISS_OFFSET_M = 0.06  # a miss passes this far beside the hole's centre (it is 54 mm)
NAIL_START_DEPTH_M = 0.02  # a nail stands in the board tapped in this far, ready to be driven
NAIL_OFFSET_M = 0.1  # ... this far along the board from its middle (the handle over the board)
HAMMER_READY_M = 0.04  # the hammer's face waits this far above the nail's head
HAMMER_SPEED = 5.0  # m/s of the face at impact (scene.models.Hammer)
HAMMER_INTERVAL_S = 0.8  # from one blow to the next: a steady, unhurried rhythm
HAMMER_FIRST_BLOW_S = 0.6  # the first blow lands about this long after the action starts (a
# 0.35 s lift and a 0.2 s swing at 5 m/s: physics.hammering)

_VIVID = ("#d62828", "#1f5fd1", "#2a9d3f", "#fcbf49", "#7b2cbf", "#f77f00", "#22b8cf",
          "#f28ab2")


@dataclass
class Body:
    """An entity-to-be: one instance of a thing with its initial pose and motion."""

    id: str
    thing: Thing
    index: int
    position: np.ndarray = field(default_factory=lambda: np.zeros(3))
    rotation: tuple[float, float, float] = (0.0, 0.0, 0.0)
    velocity: np.ndarray = field(default_factory=lambda: np.zeros(3))
    spin: np.ndarray = field(default_factory=lambda: np.zeros(3))  # rad/s, world axes, at t = 0
    color: str | None = None
    placed: bool = False

    @property
    def asset(self) -> str:
        return self.thing.asset

    def solids(self) -> list[geometry.Solid]:
        return geometry.part_solids(self.asset, self.position, self.rotation, self.thing.scale)


@dataclass
class Cue:
    """An action-to-be: what happens to one body, when within its motion, and how long the
    event lasts (`beat`: start to the key impact; `settle`: after it, until things rest)."""

    kind: Literal["drop", "throw", "roll", "push", "kick", "slide", "pull", "spin", "topple",
                  "hammer"]
    body: Body
    motion: Motion | None
    target: Body | None = None
    aim: str = "direct"
    flight_time: float | None = None
    direction: tuple[float, float, float] = (1.0, 0.0, 0.0)
    speed: float = 1.0
    offset: float = 0.0
    beat: float = 0.5
    settle: float = SOLID_SETTLE_S
    elevation: float = 0.0  # kick: degrees above horizontal
    rate: float = 0.0  # spin: rad/s
    force: float = 0.0  # pull: N
    hold: float = 0.0  # pull: s
    blows: int = 0  # hammer: strokes, `interval` apart
    interval: float = 0.0


@dataclass
class Flight:
    """A body set moving at t = 0 by its initial velocity (a toss with no target entity)."""

    body: Body
    motion: Motion
    beat: float
    settle: float
    close: bool = False  # a small thing whose motion reads only close up (a flipped coin)


@dataclass
class Layout:
    bodies: list[Body]
    cues: list[Cue]
    flights: list[Flight]
    notes: list[str]
    shore: float | None = None  # by the sea: where the water begins, along `toward`
    toward: tuple[float, float] = (1.0, 0.0)


# ---------------------------------------------------------------------------------------------
def _unit(v) -> np.ndarray:
    v = np.asarray(v, dtype=float)
    n = np.linalg.norm(v)
    return v / n if n > 1e-12 else np.array([1.0, 0.0, 0.0])


class _Builder:
    def __init__(self, story: Story, gravity: float, floor_material: str, rng,
                 row_width: float = ROW_WIDTH_M) -> None:
        self.story = story
        self.row_width = row_width
        self.g = gravity
        self.floor_material = floor_material
        self.rng = rng
        self.bodies: dict[int, list[Body]] = {}
        self.order: list[Body] = []
        self.cues: list[Cue] = []
        self.flights: list[Flight] = []
        self.notes: list[str] = []
        self.reach_x = -math.inf  # right-most x any placed body or motion path reaches
        self.ramp_lanes: dict[int, int] = {}
        self.top_lanes: dict[tuple[int, int], int] = {}
        self._make_bodies()

    # -- bodies -----------------------------------------------------------------------------
    def _make_bodies(self) -> None:
        totals: dict[str, int] = {}
        for thing in self.story.things:
            totals[thing.asset] = totals.get(thing.asset, 0) + self._instances(thing)
        seen: dict[str, int] = {}
        for thing in self.story.things:
            bodies = []
            n = self._instances(thing)
            colors = self._colors(thing, n)
            for i in range(n):
                seen[thing.asset] = seen.get(thing.asset, 0) + 1
                body_id = thing.asset if totals[thing.asset] == 1 else \
                    f"{thing.asset}_{seen[thing.asset]}"
                body = Body(body_id, thing, i, color=colors[i])
                bodies.append(body)
                self.order.append(body)
            self.bodies[thing.key] = bodies

    @staticmethod
    def _instances(thing: Thing) -> int:
        return thing.count * (thing.groups if thing.is_row else 1)

    def _colors(self, thing: Thing, n: int) -> list[str | None]:
        if thing.varied_color:
            start = int(self.rng.integers(len(_VIVID)))
            return [_VIVID[(start + i) % len(_VIVID)] for i in range(n)]
        if len(thing.colors) > 1 and n > 1:
            return [thing.colors[i % len(thing.colors)] for i in range(n)]
        return [thing.colors[0] if thing.colors else None] * n

    # -- sizes ------------------------------------------------------------------------------
    @staticmethod
    def rest(thing: Thing) -> float:
        return ASSETS[thing.asset].rest_height * thing.scale

    @staticmethod
    def _asset_bounds(thing: Thing) -> tuple[np.ndarray, np.ndarray]:
        if ASSETS[thing.asset].links:  # wheels, nodes and segments are part of its size
            lo, hi = geometry.bounds(geometry.part_solids(thing.asset, (0.0, 0.0, 0.0)))
            return np.asarray(lo), np.asarray(hi)
        lo, hi = ASSETS[thing.asset].bounds()
        return np.array(lo), np.array(hi)

    @classmethod
    def half(cls, thing: Thing) -> np.ndarray:
        lo, hi = cls._asset_bounds(thing)
        return 0.5 * (hi - lo) * thing.scale

    @classmethod
    def center_offset(cls, thing: Thing) -> np.ndarray:
        lo, hi = cls._asset_bounds(thing)
        return 0.5 * (hi + lo) * thing.scale

    def top(self, body: Body) -> tuple[float, np.ndarray, np.ndarray]:
        """Height, centre (xy) and half size (xy) of the surface things can rest on: the
        asset's "top" anchor (a table top, a chair seat) or its highest flat box."""
        spec = ASSETS[body.asset]
        s = body.thing.scale
        rot = geometry.rotation_matrix(body.rotation)
        boxes = [p for p in spec.parts if p.shape == "box" and p.collides
                 and not any(abs(a) > 1e-9 for a in p.euler)]
        if spec.parts[0].shape == "sphere":
            r = spec.parts[0].size[0] * s
            return float(body.position[2] + r), body.position[:2].copy(), np.array([0.0, 0.0])
        if "top" in spec.anchors:
            anchor = np.array(spec.anchors["top"])
            at_top = [p for p in boxes if abs(p.pos[2] + p.size[2] - anchor[2]) < 0.03]
            if at_top:
                part = max(at_top, key=lambda p: p.size[0] * p.size[1])
                center = body.position[:2] + (rot @ (np.array(part.pos) * s))[:2]
                return (float(body.position[2] + anchor[2] * s), center,
                        np.array(part.size[:2]) * s)
            center = body.position + rot @ (anchor * s)
            return float(center[2]), center[:2], np.array([0.1, 0.1]) * s
        if boxes:
            part = max(boxes, key=lambda p: p.pos[2] + p.size[2])
            z = body.position[2] + (part.pos[2] + part.size[2]) * s
            center = body.position[:2] + (rot @ (np.array(part.pos) * s))[:2]
            return float(z), center, np.array(part.size[:2]) * s
        lo, hi = geometry.bounds(body.solids())
        return float(hi[2]), 0.5 * (lo[:2] + hi[:2]), 0.5 * (hi[:2] - lo[:2])

    def fall_time(self, height: float) -> float:
        if self.g < 0.05:
            return 1.5  # weightless: nothing falls; give the moment some time anyway
        return math.sqrt(2.0 * max(height, 0.0) / self.g)

    def friction(self, thing: Thing, surface: str | None = None) -> float:
        mover = MATERIALS[thing.material or ASSETS[thing.asset].material].friction
        floor = MATERIALS[surface or self.floor_material].friction
        return max(mover, floor)  # MuJoCo combines friction of two geoms by their maximum

    @staticmethod
    def wheeled(thing: Thing) -> bool:
        """On wheels (hinged links): it rolls, friction does not stop it."""
        return any(link.joint == "hinge" and any(p.shape == "cylinder" and p.collides
                                                 for p in link.parts)
                   for link in ASSETS[thing.asset].links)  # not a laptop's lid

    def slide_speed(self, thing: Thing, distance: float, surface: str | None = None) -> float:
        """Speed at which a pushed thing slides about `distance` before friction stops it."""
        if self.g < 0.05:
            return 1.0
        if self.wheeled(thing):
            return ROLL_SPEED
        return min(8.0, math.sqrt(2.0 * self.friction(thing, surface) * self.g * distance))

    def jitter(self) -> np.ndarray:
        return np.array([*self.rng.uniform(-JITTER_M, JITTER_M, 2), 0.0])

    # -- placing ----------------------------------------------------------------------------
    def is_placed(self, thing: Thing) -> bool:
        return all(b.placed for b in self.bodies[thing.key])

    def set_pose(self, body: Body, position, rotation=(0.0, 0.0, 0.0)) -> None:
        body.position = np.asarray(position, dtype=float)
        body.rotation = tuple(float(a) for a in rotation)  # type: ignore[assignment]
        body.placed = True

    def row_step(self, thing: Thing, room: float | None = None) -> float:
        """Centre-to-centre spacing along a row; squeezed (not below touching) to fit `room`."""
        half = self.half(thing)
        step = DOMINO_SPACING * 2 * half[2] if thing.asset == "domino" else 2 * half[0] + 0.1
        if room is not None and thing.count > 1:
            fit = (room - 2 * half[0]) / (thing.count - 1)
            if fit < step:
                self.notes.append(f"the {thing.count} {thing.plural} stand closer together "
                                  "than usual to fit")
                step = max(fit, 2 * half[0] + 0.01)
                if step > fit:
                    self.notes.append(f"the row of {thing.plural} is longer than what it stands "
                                      "on; its ends overhang")
        return step

    def place_on(self, thing: Thing, x: float, y: float = 0.0, z_base: float = 0.0,
                 yaw: float = 0.0, spread: str = "x", room: float | None = None) -> list[Body]:
        """Stand a thing's bodies on a surface at height z_base, the first one at (x, y).

        Rows run along +x at 0.6 domino heights; stacks pile up; other sets spread along
        `spread` with a hand's width between them.
        """
        if thing.setup is not None:
            self.place_setup(thing, x - self.half(thing)[0], y, z_base)
            return self.bodies[thing.key]
        if thing.is_rig:
            self.place_rig(thing, x, y, z_base)
            return self.bodies[thing.key]
        bodies = [b for b in self.bodies[thing.key] if not b.placed]
        rest = self.rest(thing)
        half = self.half(thing)
        if thing.is_row:
            step = self.row_step(thing, room)
            rows = max(1, len(bodies) // max(1, thing.count))
            for n, body in enumerate(bodies):
                row, k = divmod(n, thing.count)
                lane = (row - (rows - 1) / 2) * (2 * half[1] + 0.2)
                self.set_pose(body, (x + k * step, y + lane, z_base + rest), (0.0, 0.0, yaw))
        elif thing.arrangement == "stack" and thing.stackable:
            for n, body in enumerate(bodies):
                self.set_pose(body, (x, y, z_base + rest + n * 2 * half[2]), (0.0, 0.0, yaw))
        else:
            pitch = 2 * (half[1] if spread == "y" else half[0]) + 0.2
            for n, body in enumerate(bodies):
                offset = (n - (len(bodies) - 1) / 2) * pitch
                pos = (x + offset, y, z_base + rest) if spread == "x" else (x, y + offset,
                                                                          z_base + rest)
                self.set_pose(body, pos, (0.0, 0.0, yaw))
        return self.bodies[thing.key]

    def place_setup(self, thing: Thing, near_x: float, y: float, z: float) -> None:
        """Lay out a classic set-up (assets.setups) with its near side at near_x, centred on y,
        standing on a surface at height z; it faces +x, where strikes come from -x."""
        kind = thing.setup
        if kind == "pins":
            entities = setups.bowling_pins(head=(0.0, 0.0, z))
        elif kind == "rack":
            entities = setups.billiards_rack(apex=(0.0, 0.0, z))
        elif kind == "tower":
            entities = setups.block_tower(levels=thing.levels, position=(0.0, 0.0, z))
        else:
            entities = setups.brick_wall(rows=thing.levels, columns=thing.columns,
                                         position=(0.0, 0.0, z), direction=(0.0, 1.0, 0.0),
                                         scale=thing.scale)
        bodies = self.bodies[thing.key]
        for body, entity in zip(bodies, entities):
            self.set_pose(body, entity.position, entity.rotation)
            body.color = body.color or entity.color
        lows, highs = zip(*(geometry.bounds(b.solids()) for b in bodies))
        lo, hi = np.min(lows, axis=0), np.max(highs, axis=0)
        shift = np.array([near_x - lo[0], y - 0.5 * (lo[1] + hi[1]), 0.0])
        for body in bodies:
            body.position = body.position + shift

    def place_rig(self, rig: Thing, x: float, y: float = 0.0, z: float = 0.0,
                  pivot: float | None = None) -> None:
        """Hang a pendulum, wrecking ball, rope or swing from its gantry (pivot above (x, y),
        held back towards -x), set a seesaw on its fulcrum, or hold a cloth up flat."""
        body = self.bodies[rig.key][0]
        frame = next((t for t in self.story.things if t.rig_of is rig), None)
        angle = SWING_ANGLE_DEG.get(rig.asset, 30.0)
        if rig.asset in ("pendulum", "wrecking_ball"):
            entities = setups.pendulum_rig(position=(x, y, z), angle=angle, asset=rig.asset)
            if pivot is not None:  # a lower frame, so the bob sweeps through something low
                frame_entity, bob = entities
                entities = [frame_entity.model_copy(update={"scale": pivot}),
                            bob.model_copy(update={"position": (x, y, z + pivot)})]
        elif rig.asset in ("rope_swing", "rope"):
            entities = setups.rope_swing(position=(x, y, z), angle=angle)
            if rig.asset == "rope":
                entities[1] = entities[1].model_copy(update={"asset": "rope"})
        elif rig.asset == "seesaw":
            entities = setups.seesaw(position=(x, y, z))
            entities = [entities[1], entities[0]] if entities[0].asset != "seesaw_base" else \
                entities
        else:  # a cloth, held flat until it falls
            self.set_pose(body, (x, y, z + CLOTH_HEIGHT_M + self.rest(rig)))
            return
        for entity in entities:
            if entity.asset == rig.asset:
                self.set_pose(body, entity.position, entity.rotation)
            elif frame is not None:
                frame.scale = entity.scale
                self.set_pose(self.bodies[frame.key][0], entity.position, entity.rotation)

    def rest_on_top(self, thing: Thing) -> float:
        """Frame height above a surface it stands on: its rest height, or more where part of
        it reaches below its frame (a ramp's board sinks into a floor, not into a table)."""
        lo, _ = geometry.bounds(geometry.part_solids(thing.asset, (0.0, 0.0, 0.0),
                                                     scale=thing.scale))
        return max(self.rest(thing), -float(lo[2]))

    def place_on_top(self, thing: Thing, support: Body, at: str = "center") -> list[Body]:
        """Rest a thing's bodies on a support, spread over its top; `at` = center | edge | far."""
        if {"top", "bottom"} <= set(ASSETS[support.asset].anchors) and thing.movable:
            self._on_incline([b for b in self.bodies[thing.key] if not b.placed], support)
            return self.bodies[thing.key]
        z, center, half_xy = self.top(support)
        if thing.setup is not None:  # a tower or pins stand in the middle of the top
            self.place_setup(thing, 0.0, float(center[1]), z)
            lo, hi = geometry.bounds([s for b in self.bodies[thing.key] for s in b.solids()])
            for body in self.bodies[thing.key]:
                body.position = body.position + np.array([center[0] - 0.5 * (lo[0] + hi[0]),
                                                          0.0, 0.0])
            return self.bodies[thing.key]
        if {"left", "right"} <= set(ASSETS[support.asset].anchors):
            # a seesaw: things set on it sit on its left end (drops come onto the right)
            end = self._anchor(support, "left")
            center, half_xy = end[:2] + np.array([0.2, 0.0]), np.array([0.2, 0.14])
        bodies = [b for b in self.bodies[thing.key] if not b.placed]
        size = self.half(thing)
        rest = self.rest_on_top(thing)
        if thing.is_row:
            room = 2 * half_xy[0] - 0.04
            step = self.row_step(thing, room)
            length = step * (thing.count - 1) + 2 * size[0]
            start = center[0] - min(length, room) / 2 + size[0]
            self.place_on(thing, start, center[1], z_base=z, room=room)
            return self.bodies[thing.key]
        if thing.arrangement == "stack" and thing.stackable:
            for k, body in enumerate(bodies):
                self.set_pose(body, (center[0], center[1], z + rest + k * 2 * size[2]))
            return self.bodies[thing.key]
        lane_key = (support.thing.key, support.index)
        used = self.top_lanes.get(lane_key, 0)
        across = max(0.0, half_xy[1] - size[1])
        if at in ("edge", "far"):
            # movers about to roll or slide along x: side by side across the top
            x = (min(center[0] + half_xy[0] - EDGE_GAP_M, center[0] + half_xy[0] - size[0] - 0.02)
                 if at == "edge" else center[0] - half_xy[0] + size[0] + 0.05)
            for k, body in enumerate(bodies):
                slot = used + k
                offset = ((slot + 1) // 2) * (2 * size[1] + 0.08) * (1 if slot % 2 else -1)
                self.set_pose(body, (x, center[1] + max(-across, min(across, offset)), z + rest))
            self.top_lanes[lane_key] = used + len(bodies)
            return self.bodies[thing.key]
        # at rest: a grid over the top; what does not fit stands on the floor beside it
        pitch = 2 * size[:2] + 0.05
        nx = max(1, int(2 * half_xy[0] // pitch[0]))
        ny = max(1, int(2 * half_xy[1] // pitch[1]))
        free = max(0, nx * ny - used)
        on_top, beside = bodies[:free], bodies[free:]
        cols = min(nx, len(on_top) + used)
        rows = -(-(len(on_top) + used) // nx) if on_top else 0
        for k, body in enumerate(on_top):
            ix, iy = (used + k) % nx, (used + k) // nx
            x = center[0] + (ix - (cols - 1) / 2) * pitch[0]
            y = center[1] + (iy - (rows - 1) / 2) * pitch[1]
            self.set_pose(body, (x, y, z + rest))
        self.top_lanes[lane_key] = used + len(on_top)
        if beside:
            lo, hi = geometry.bounds(support.solids())
            for k, body in enumerate(beside):
                self.set_pose(body, (float(hi[0]) + 0.25 + size[0] + k * pitch[0],
                                     float(center[1]), self.rest(thing)))
            self.notes.append(f"not all the {thing.plural} fit on the {support.thing.label}; "
                              "the rest stand beside it")
        return self.bodies[thing.key]

    def cursor(self) -> float:
        return 0.0 if self.reach_x == -math.inf else self.reach_x + GROUP_GAP_M

    def commit(self, new: list[Body], pinned: bool, reach: float | None = None) -> None:
        """Set a group placed around the origin down in free space (unless it was built around
        something already placed): to the right of the last group, or at the start of a new row
        behind the others once a row is row_width long, so the scene stays in one view (and in
        its room)."""
        if not new:
            return
        if not pinned and self.reach_x != -math.inf:
            lows, highs = zip(*(geometry.bounds(b.solids()) for b in new))
            lo, hi = np.min(lows, axis=0), np.max(highs, axis=0)
            right = max(float(hi[0]), reach if reach is not None else -math.inf)
            shift = np.array([self.cursor() - lo[0], 0.0, 0.0])
            if self.cursor() + right - lo[0] > self.row_width:
                others = [b for b in self.order if b.placed and b not in new]
                behind = max(float(geometry.bounds(b.solids())[1][1]) for b in others)
                shift = np.array([-lo[0], behind + GROUP_GAP_M - lo[1], 0.0])
                self.reach_x = -math.inf
            for body in new:
                body.position = body.position + shift
            reach = None if reach is None else reach + shift[0]
        hi_x = max(float(geometry.bounds(b.solids())[1][0]) for b in new)
        self.reach_x = max(self.reach_x, hi_x, reach if reach is not None else -math.inf)

    # -- templates --------------------------------------------------------------------------
    def lay_out(self) -> None:
        for motion in self.story.motions:
            before = {id(b) for b in self.order if b.placed}
            pinned = self._motion(motion)
            new = [b for b in self.order if b.placed and id(b) not in before]
            self.commit(new, pinned, self._reach(motion))
        for thing in self.story.things:
            if not self.is_placed(thing) and not (thing.asset == "wall" and thing.location is None):
                self._static(thing, depth=0)
        for thing in self.story.things:
            if not self.is_placed(thing):
                self._backdrop(thing)
        for thing in self.story.breaking:
            self._make_it_break(thing)
        self._onto_the_water()

    def _onto_the_water(self) -> None:
        """Loose things set down in a scene full of water start on its surface, to float or
        sink from there, not on the bottom under it."""
        level = self.story.water_level
        if level is None or self.story.sea is not None:  # by the sea: see shoreline()
            return
        moving = {id(c.body) for c in self.cues} | {id(f.body) for f in self.flights}
        for body in self.order:
            thing = body.thing
            if id(body) in moving or not thing.movable or thing.is_rig or thing.setup or (
                    thing.location is not None and thing.location[1] is not None):
                continue
            low = float(geometry.bounds(body.solids())[0][2])
            if low < level:
                body.position = body.position + np.array([0.0, 0.0, level + 0.01 - low])

    # -- breakage ---------------------------------------------------------------------------
    def _make_it_break(self, thing: Thing) -> None:
        """A thing the prompt says breaks must meet something faster than its material's
        breaking speed: a drop starts high enough, a strike comes fast enough; where the
        template cannot promise it (a slide off a low table), say so."""
        spec = ASSETS[thing.asset]
        limit = MATERIALS[thing.material or spec.material].breaking_speed
        if not spec.pieces or limit is None:
            self.notes.append(f"the {thing.label} cannot break here; it stays whole")
            return
        need = BREAK_MARGIN * limit
        for body in self.bodies[thing.key]:
            speed = self._planned_impact(body, need)
            if speed is not None and speed < limit:
                self.notes.append(f"the {thing.label} meets the ground at about {speed:.1f} m/s, "
                                  f"too slowly to break (it takes {limit:g} m/s)")

    def _planned_impact(self, body: Body, need: float) -> float | None:
        """The closing speed of the first impact planned for a body, raising a drop or
        speeding up a strike to reach `need`; None when nothing is planned to hit it."""
        own = next((c for c in self.cues if c.body is body), None)
        if own is not None and own.kind == "drop":
            floor = 0.0
            if own.motion is not None and own.motion.target is not None:
                floor = self.top(self.bodies[own.motion.target.key][0])[0]
            height = float(body.position[2] - self.rest(body.thing)) - floor
            told = own.motion is not None and own.motion.height is not None
            if self.g >= 0.05 and not told and math.sqrt(2 * self.g * max(height, 0.0)) < need:
                lift = need * need / (2 * self.g) - height
                body.position = body.position + np.array([0.0, 0.0, lift])
                own.beat = self.fall_time(height + lift)
                self.notes.append(f"the {body.thing.label} is dropped from "
                                  f"{height + lift:.1f} m so that it breaks")
                height += lift
            return math.sqrt(2 * self.g * max(height, 0.0))
        if own is not None and own.kind in ("push", "slide", "roll", "pull") and \
                own.motion is not None and own.motion.off_edge and own.motion.support:
            z = float(body.position[2] - self.rest(body.thing))
            return math.sqrt(2 * self.g * max(z, 0.0))  # its fall off the edge
        if own is not None and own.kind == "topple":
            # falling over from standing: its top lands at about sqrt(3 g h) (a rod)
            height = 2.0 * float(self.half(body.thing)[2])
            return math.sqrt(3.0 * self.g * height + own.speed ** 2)
        for swing in self.cues:
            if swing.motion is not None and swing.motion.kind == "swing" and \
                    swing.motion.target is body.thing:
                # struck by a bob (its speed at the bottom), then falling over
                rig = swing.motion.movers[0]
                length = -ASSETS[rig.asset].anchors.get("bob", (0.0, 0.0, -2.0))[2]
                angle = math.radians(SWING_ANGLE_DEG.get(rig.asset, 30.0))
                bob = math.sqrt(2 * self.g * length * (1 - math.cos(angle)))
                height = 2.0 * float(self.half(body.thing)[2])
                return max(bob, math.sqrt(3.0 * self.g * height))
        strikes = [c for c in self.cues if c.target is body or (
            c.motion is not None and c.motion.target is body.thing and c.body is not body)]
        for cue in strikes:
            if cue.kind in ("roll", "push", "slide", "kick") and cue.speed < need * 1.2:
                cue.speed = round(need * 1.2, 3)
                self.notes.append(f"the {cue.body.thing.label} comes faster so that the "
                                  f"{body.thing.label} breaks")
            return max(cue.speed, need) if cue.kind != "drop" else None
        if own is not None and own.kind == "throw":
            return need
        return None

    def _reach(self, motion: Motion) -> float | None:
        """How far right a motion with no target may carry its movers."""
        if motion.kind in ("roll", "push") and motion.target is None:
            bodies = [b for m in motion.movers for b in self.bodies[m.key]]
            run = 6.0 if motion.flavour == "kick" else 1.5
            return max(float(b.position[0]) for b in bodies) + run
        return None

    def _motion(self, motion: Motion) -> bool:
        kind = motion.kind
        if kind == "throw":
            return self._throw(motion)
        if kind == "drop":
            return self._drop(motion)
        if kind in ("roll", "push"):
            return self._roll(motion)
        if kind == "topple":
            return self._topple(motion)
        if kind == "collide":
            return self._collide(motion)
        if kind == "spin":
            return self._spin(motion)
        if kind == "swing":
            return self._swing(motion)
        if kind == "drape":
            return self._drape(motion)
        if kind == "hammer":
            return self._hammer(motion)
        return False

    def _hammer(self, motion: Motion) -> bool:
        """A nail standing in a board, a hammer held face down just above its head, swung down
        onto it (physics.hammering times the blows)."""
        hammer, nail = motion.movers[0], motion.target
        assert nail is not None and nail.location is not None and nail.location[1] is not None
        board = nail.location[1]
        pinned = self._ensure_on_floor(board)
        top = self._anchor(self.bodies[board.key][0], "top")
        nail_body = self.bodies[nail.key][0]
        self.set_pose(nail_body, (float(top[0]) + NAIL_OFFSET_M, float(top[1]),
                                  float(top[2]) - NAIL_START_DEPTH_M))
        head = self._anchor(nail_body, "head")
        body = self.bodies[hammer.key][0]
        rotation = (90.0, 0.0, 0.0)  # handle along +x towards the head, face down
        face = geometry.rotation_matrix(rotation) @ (
            np.array(ASSETS[hammer.asset].anchors["face"]) * hammer.scale)
        self.set_pose(body, head + np.array([0.0, 0.0, HAMMER_READY_M]) - face, rotation)
        blows = motion.blows or 3
        speed = HAMMER_SPEED * motion.speed_factor if motion.speed is None else motion.speed
        self.cues.append(Cue("hammer", body, motion, target=nail_body,
                             speed=round(min(speed, 10.0), 3), blows=blows,
                             interval=HAMMER_INTERVAL_S,
                             beat=HAMMER_FIRST_BLOW_S + (blows - 1) * HAMMER_INTERVAL_S,
                             settle=SOLID_SETTLE_S))
        return pinned

    def _swing(self, motion: Motion) -> bool:
        """Release a held pendulum (or wrecking ball, or swing); what it should hit stands
        where the bob passes lowest, fastest."""
        rig = motion.movers[0]
        spec = ASSETS[rig.asset]
        if "bob" in spec.anchors:
            length = -spec.anchors["bob"][2] * rig.scale
            reach = spec.parts[0].size[0] * rig.scale
        else:
            length, reach = 2.0, 0.1
        target = motion.target
        pivot = None
        if target is not None and "bob" in spec.anchors and not self.is_placed(target):
            # the bob passes its lowest point at three quarters of the target's height, above
            # its centre of mass, so that it knocks it over rather than lifting it
            height = 2 * self.half(target)[2] if target.setup is None else None
            if height is not None and length + reach + 0.4 > length + 0.75 * height:
                pivot = max(length + reach + 0.02, length + 0.75 * height)
        self.place_rig(rig, 0.0, pivot=pivot)
        body = self.bodies[rig.key][0]
        if target is not None and not self.is_placed(target):
            self._put_ahead(target, float(body.position[0]) + reach + 0.03,
                            float(body.position[1]))
            lowest = float(body.position[2]) - length - reach
            tops = [geometry.bounds(b.solids())[1][2] for b in self.bodies[target.key]]
            if max(tops) < lowest:
                self.notes.append(f"the {rig.label} swings over the {target.label}: its "
                                  f"lowest point is {lowest:.2f} m above the floor")
        angle = math.radians(SWING_ANGLE_DEG.get(rig.asset, 30.0))
        quarter = 0.5 * math.pi * math.sqrt(length / max(self.g, 0.05)) * (1 + angle ** 2 / 16)
        self.cues.append(Cue("drop", body, motion, beat=quarter, settle=3.0))  # held, then let go
        return False

    def _drape(self, motion: Motion) -> bool:
        """A cloth let go flat above what it falls over (or above the floor)."""
        cloth = motion.movers[0]
        body = self.bodies[cloth.key][0]
        target = motion.target
        pinned = False
        if target is not None:
            pinned = self._ensure_on_floor(target)
            lo, hi = geometry.bounds([s for b in self.bodies[target.key] for s in b.solids()])
            center = 0.5 * (lo + hi)
            self.set_pose(body, (float(center[0]), float(center[1]),
                                 float(hi[2]) + CLOTH_DROP_M))
            height = float(hi[2]) + CLOTH_DROP_M
        else:
            self.place_rig(cloth, 0.0)
            height = float(body.position[2])
        self.flights.append(Flight(body, motion, self.fall_time(height), 2.0))
        return pinned

    def _break_shot(self, motion: Motion) -> bool:
        """A billiards break: the rack on the table's foot spot, the cue ball at the head
        string, struck straight at the apex ball."""
        rack = motion.target
        assert rack is not None and rack.location is not None and rack.location[1] is not None
        table = rack.location[1]
        pinned = self._ensure_on_floor(table)
        z, center, half_xy = self.top(self.bodies[table.key][0])
        if not self.is_placed(rack):
            self.place_setup(rack, float(center[0] + 0.3 * half_xy[0]), float(center[1]), z)
        movers = self._movers(motion)
        start = float(center[0] - 0.5 * half_xy[0])
        for body, y in zip(movers, self._lanes(movers, 0.1)):
            self.set_pose(body, (start, float(center[1]) + y, z + self.rest(body.thing)))
        speed = motion.speed or BREAK_SHOT_SPEED * motion.speed_factor
        run = float(center[0] + 0.3 * half_xy[0]) - start
        for k, body in enumerate(movers):
            self.cues.append(Cue("roll", body, motion, direction=(1.0, 0.0, 0.0),
                                 speed=round(speed, 3), offset=self._offset(motion, k),
                                 beat=run / max(speed, 0.05), settle=BALL_SETTLE_S + 1.0))
        return pinned

    def _spin(self, motion: Motion) -> bool:
        """A top (or a coin) spun where it stands: on the floor, or on what holds it."""
        pinned = False
        where = motion.support or motion.target  # "spins on the table"
        for mover in motion.movers:
            if where is not None and mover.location is None and where.can_hold(mover):
                mover.location = ("on", where)
            if not self.is_placed(mover):
                pinned = self._ensure_on_floor(mover) or pinned
            rate = SPIN_RATE * motion.speed_factor
            if mover.asset in lx.SPUN_ON_RIM:
                self._spin_on_rim(mover, motion)
                continue
            for k, body in enumerate(self.bodies[mover.key]):
                self.cues.append(Cue("spin", body, motion, rate=round(rate, 2),
                                     offset=self._offset(motion, k), beat=SPIN_S,
                                     settle=SPIN_SETTLE_S))
        return pinned

    def _spin_on_rim(self, mover: Thing, motion: Motion) -> None:
        """Lean each body on its rim where it lies and set it turning about its own axis at
        t = 0 (a flight: nothing holds a leaning disc up until a later action)."""
        rate = RIM_SPIN_RATE * motion.speed_factor
        for body in self.bodies[mover.key]:
            bottom = geometry.bounds(body.solids())[0][2]
            body.rotation = (RIM_TILT_DEG, 0.0, float(body.rotation[2]))
            lowest = geometry.bounds(body.solids())[0][2]
            body.position = body.position + np.array([0.0, 0.0, bottom - lowest + 0.0005])
            body.spin = geometry.rotation_matrix(body.rotation) @ np.array([0.0, 0.0, rate])
            self.flights.append(Flight(body, motion, RIM_SPIN_S, SOLID_SETTLE_S, close=True))

    def mass(self, thing: Thing) -> float:
        """kg: the asset's mass, or its material density times its bounding volume."""
        spec = ASSETS[thing.asset]
        if spec.mass is not None:
            return spec.mass * thing.scale ** 3
        size = 2 * self.half(thing)
        density = MATERIALS[thing.material or spec.material].density
        return float(density * np.prod(size))

    def flavoured(self, cue: Cue, motion: Motion, surface: str | None = None) -> Cue:
        """Make a roll or push cue the action its verb names: a kick, a slide or a pull."""
        flavour = motion.flavour
        thing = cue.body.thing
        if flavour in SWING_SPEEDS and cue.kind == "push" and thing.asset in lx.SWINGING:
            cue.direction = swing_direction(cue.body,
                                            opening=flavour in ("open", "slam_open", "ring"))
            cue.speed = round(SWING_SPEEDS[flavour] * motion.speed_factor, 3)
            cue.settle = max(cue.settle, SWING_SETTLE_S)
            return cue
        if flavour == "slide" and cue.kind == "push":
            cue.kind = "slide"
        elif flavour == "pull" and cue.kind in ("push", "roll"):
            friction = self.friction(thing, surface) * self.mass(thing) * max(self.g, 1.0)
            if self.wheeled(thing):  # nothing holds it back: pull it up to a walking pace
                friction = self.mass(thing) * PULL_WHEELED_ACCEL / PULL_MARGIN
            cue.kind = "pull"
            cue.force = round(min(1.0e4, max(1.0, PULL_MARGIN * friction)), 2)
            cue.hold = PULL_S
            cue.beat = max(cue.beat, PULL_S)
        elif flavour == "kick" and cue.kind == "roll":
            cue.kind = "kick"
            if motion.target is not None:
                cue.speed = round(motion.speed or KICK_AT_TARGET_SPEED * motion.speed_factor, 3)
                cue.elevation = KICK_AT_TARGET_ELEVATION_DEG
            else:
                cue.speed = round(motion.speed or KICK_SPEED * motion.speed_factor, 3)
                cue.elevation = KICK_ELEVATION_DEG
            cue.beat = min(cue.beat, 1.0)
            cue.settle = BALL_SETTLE_S + 1.0
        return cue

    def _movers(self, motion: Motion) -> list[Body]:
        return [b for m in motion.movers for b in self.bodies[m.key]]

    def _ensure_on_floor(self, thing: Thing, x: float = 0.0) -> bool:
        """Place a thing that a motion refers to; True if it was already placed (pinned)."""
        if self.is_placed(thing):
            return True
        if thing.location is not None and thing.location[1] is not None and \
                self.is_placed(thing.location[1]):
            self._static(thing, depth=0)
            return True
        if thing.location is not None and thing.location[0] in ("on", "edge") and \
                thing.location[1] is not None:
            support = thing.location[1]
            self.place_on(support, x)
            self.place_on_top(thing, self.bodies[support.key][0])
            return False
        self.place_on(thing, x)
        return False

    def _lanes(self, bodies: list[Body], spacing: float) -> list[float]:
        n = len(bodies)
        return [(k - (n - 1) / 2) * spacing for k in range(n)]

    def _grid_above(self, bodies: list[Body], center: np.ndarray, half_xy: np.ndarray,
                    z: float) -> None:
        """Set bodies in a grid over a surface (centre, half size) with their bottoms at
        height z, in layers one above another when they do not fit side by side."""
        size = np.max([self.half(b.thing) for b in bodies], axis=0)
        pitch = 2 * size[:2] + 0.05
        nx = max(1, int(2 * half_xy[0] // pitch[0]))
        ny = max(1, int(2 * half_xy[1] // pitch[1]))
        per_layer = nx * ny
        for k, body in enumerate(bodies):
            layer, index = divmod(k, per_layer)
            in_layer = min(per_layer, len(bodies) - layer * per_layer)
            cols, rows = min(nx, in_layer), -(-in_layer // nx)
            ix, iy = index % nx, index // nx
            x = center[0] + (ix - (cols - 1) / 2) * pitch[0]
            y = center[1] + (iy - (rows - 1) / 2) * pitch[1]
            pos = np.array([x, y, z + layer * (2 * size[2] + 0.05) + self.rest(body.thing)])
            self.set_pose(body, pos + self.jitter() * (len(bodies) == 1))

    def _drop(self, motion: Motion) -> bool:
        movers = self._movers(motion)
        target = motion.target
        pinned = False
        held = [m for m in motion.movers if m.location is not None and m.location[1]
                is not None and m.location[0] in ("on", "edge", "above")]
        if target is None and held and self.is_placed(held[0].location[1]):  # type: ignore
            target = held[0].location[1]  # "a ball on a crate drops": from above the crate
        if target is not None:
            pinned = self._ensure_on_floor(target)
            z, center, half_xy = self.top(self.bodies[target.key][0])
            height = motion.height if motion.height is not None else DROP_HEIGHT_ON_SUPPORT_M
            if "right" in ASSETS[target.asset].anchors and "left" in ASSETS[target.asset].anchors:
                # a seesaw: onto one end, so that it tips
                end = self._anchor(self.bodies[target.key][0], "right")
                center, half_xy = end[:2] - np.array([0.15, 0.0]), np.array([0.12, 0.12])
                height = motion.height if motion.height is not None else SEESAW_DROP_M
            self._grid_above(movers, center, half_xy, z + height)
            beat = self.fall_time(height)
        else:
            height = motion.height if motion.height is not None else DROP_HEIGHT_M
            spacing = max(2 * self.half(b.thing)[0] for b in movers) + 0.35
            for body, x in zip(movers, self._lanes(movers, spacing)):
                pos = np.array([x, 0.0, height + self.rest(body.thing)])
                self.set_pose(body, pos + self.jitter() * (len(movers) == 1))
            beat = self.fall_time(height)
        for k, body in enumerate(movers):
            self.cues.append(Cue("drop", body, motion, offset=self._offset(motion, k),
                                 beat=beat, settle=self._settle(body)))
        return pinned

    def _offset(self, motion: Motion, k: int, gap: float = 0.6) -> float:
        """Start of the k-th mover after the first: staggered movers go one after another,
        squeezed so that the whole series starts within STAGGER_SPAN_S."""
        if not motion.stagger and gap == 0.6:
            return 0.0
        n = sum(len(self.bodies[m.key]) for m in motion.movers)
        return k * min(gap, STAGGER_SPAN_S / max(1, n - 1))

    def _settle(self, body: Body) -> float:
        return BALL_SETTLE_S if body.thing.is_ball else SOLID_SETTLE_S

    def _throw(self, motion: Motion) -> bool:
        movers = self._movers(motion)
        target = motion.target
        factor = motion.speed_factor
        if target is not None and target.is_hoop:
            pinned = self._ensure_on_floor(target)
            hoop = self.bodies[target.key][0]
            rim = self._anchor(hoop, "rim")
            aim = motion.aim
            flight = max(0.6, min(2.0, HOOP_FLIGHT_S / factor))
            distance = motion.distance or HOOP_SHOT_DISTANCE_M + float(self.rng.uniform(-0.3,
                                                                                        0.3))
            side = 1.2 if aim == "bank" else 0.0
            for k, (body, y) in enumerate(zip(movers, self._lanes(movers, 0.7))):
                lateral = side + y + float(self.rng.uniform(-0.25, 0.25))
                pos = rim + np.array([distance, lateral, 0.0])
                pos[2] = HOOP_RELEASE_HEIGHT_M
                self.set_pose(body, pos)
                self.cues.append(Cue("throw", body, motion, target=hoop, aim=aim,
                                     flight_time=round(flight, 3),
                                     offset=self._offset(motion, k, gap=1.2), beat=flight,
                                     settle=BALL_SETTLE_S))
            return pinned
        if target is not None:
            pinned = self._ensure_on_floor(target)
            goal = self._aim_body(target)
            flight = max(0.4, min(2.0, THROW_FLIGHT_S / factor))
            distance = motion.distance or THROW_DISTANCE_M
            goal_center = self._center(goal)
            surface = target.asset in ("table", "ramp")
            for k, (body, y) in enumerate(zip(movers, self._lanes(movers, 0.5))):
                start = np.array([goal_center[0] - distance, goal_center[1] + y, THROW_HEIGHT_M])
                self.set_pose(body, start)
                if surface and (motion.flavour == "flip" or body.asset in lx.FLIPPED):
                    # flipped from a hand over the table's middle, to land on it
                    z, center, half_xy = self.top(goal)
                    self._flip(body, motion, float(center[0] - 0.3 * half_xy[0]),
                               float(center[1] + y), float(z + self.rest(body.thing)),
                               FLIP_OVER_TABLE_M)
                elif surface:
                    # A toss onto a table is a gentle lob from nearby onto its near half, so
                    # the ball stays on it; launched by hand, at t = 0.
                    z, center, half_xy = self.top(goal)
                    start = np.array([center[0] - half_xy[0] - LOB_DISTANCE_M, center[1] + y,
                                      THROW_HEIGHT_M])
                    self.set_pose(body, start)
                    aim_at = np.array([center[0] - 0.4 * half_xy[0], center[1] + y,
                                       z + self.rest(body.thing)])
                    body.velocity = self._ballistic(start, aim_at, LOB_FLIGHT_S / factor)
                    self.flights.append(Flight(body, motion, LOB_FLIGHT_S / factor,
                                               self._settle(body)))
                else:
                    self.cues.append(Cue("throw", body, motion, target=goal,
                                         flight_time=round(flight, 3),
                                         offset=self._offset(motion, k), beat=flight,
                                         settle=self._settle(body)))
            return pinned
        # No target entity: a toss across the floor, or a throw down at the ground.
        for body, x in zip(movers, self._lanes(movers, 0.6)):
            if motion.flavour == "flip" or body.asset in lx.FLIPPED:
                self._flip(body, motion, x)
                continue
            start = np.array([x, 0.0, 1.6 if motion.to_floor else THROW_HEIGHT_M])
            if motion.to_floor:
                velocity = np.array([1.0, 0.0, -4.0]) * factor
            else:
                velocity = np.array([2.2, 0.0, 3.2]) * factor
            self.set_pose(body, start)
            body.velocity = velocity
            self.flights.append(Flight(body, motion, self._flight_to_floor(start, velocity,
                                                                           body), BALL_SETTLE_S))
        return False

    def _flip(self, body: Body, motion: Motion, x: float, y: float = 0.0,
              ground: float = 0.0, height: float = FLIP_HEIGHT_M) -> None:
        """Flipped from the thumb, `height` above the ground it lands on: up and a little
        forward, turning end over end about y."""
        start = np.array([x, y, ground + height])
        self.set_pose(body, start)
        body.velocity = np.array(FLIP_VELOCITY) * motion.speed_factor
        body.spin = np.array([0.0, FLIP_RATE * motion.speed_factor, 0.0])
        vz, g = float(body.velocity[2]), max(self.g, 0.05)
        flight = (vz + math.sqrt(vz * vz + 2 * g * height)) / g
        self.flights.append(Flight(body, motion, flight, FLIP_SETTLE_S, close=True))

    def _aim_body(self, target: Thing) -> Body:
        """What a throw aims at: the thing, or for a tower or wall the piece at its middle
        (a strike there brings it down; one at its foot only knocks a piece out)."""
        bodies = self.bodies[target.key]
        if target.setup not in ("tower", "wall"):
            return bodies[0]
        top = max(float(b.position[2]) for b in bodies)
        mid_y = float(np.mean([b.position[1] for b in bodies]))
        return min(bodies, key=lambda b: abs(float(b.position[2]) - 0.4 * top)
                   + abs(float(b.position[1]) - mid_y))

    def _flight_to_floor(self, start: np.ndarray, velocity: np.ndarray, body: Body) -> float:
        h = float(start[2] - self.rest(body.thing))
        vz = float(velocity[2])
        if self.g < 0.05:
            return 1.0
        return (vz + math.sqrt(vz * vz + 2 * self.g * h)) / self.g

    def _ballistic(self, start: np.ndarray, goal: np.ndarray, flight: float) -> np.ndarray:
        gravity = np.array([0.0, 0.0, -self.g])
        return (goal - start - 0.5 * gravity * flight**2) / flight

    def _anchor(self, body: Body, name: str) -> np.ndarray:
        spec = ASSETS[body.asset]
        local = np.array(spec.anchors[name]) * body.thing.scale
        return body.position + geometry.rotation_matrix(body.rotation) @ local

    def _center(self, body: Body) -> np.ndarray:
        lo, hi = geometry.bounds(body.solids())
        return 0.5 * (lo + hi)

    def _roll_speed(self, motion: Motion, base: float) -> float:
        return motion.speed if motion.speed is not None else base * motion.speed_factor

    def _roll(self, motion: Motion) -> bool:
        movers = self._movers(motion)
        support = motion.support
        target = motion.target
        kind = "roll" if motion.kind == "roll" else "push"
        if target is not None and target.setup == "rack" and target.location is not None:
            return self._break_shot(motion)
        if target is not None and "hole" in ASSETS[target.asset].anchors:
            return self._putt(motion, movers)
        if support is not None and support.asset == "ramp" or (
                support is not None and "top" in ASSETS[support.asset].anchors
                and "bottom" in ASSETS[support.asset].anchors):
            return self._ramp(motion, movers, kind)
        if support is not None and (support.is_hoop or support.is_ball):
            support = None
        if support is not None:
            pinned = self._ensure_on_floor(support)
            base = self.bodies[support.key][0]
            z, center, half_xy = self.top(base)
            at = "edge" if motion.off_edge else "far"
            for mover in motion.movers:
                self.place_on_top(mover, base, at=at)
            if kind == "roll":
                speed = self._roll_speed(motion, TABLE_ROLL_SPEED)
            else:
                speed = motion.speed or self.slide_speed(motion.movers[0], EDGE_GAP_M + 0.5,
                                                         ASSETS[support.asset].material
                                                         ) * motion.speed_factor
            run = max(0.05, center[0] + half_xy[0] - max(b.position[0] for b in movers))
            fall = self.fall_time(z)
            beat = run / max(speed, 0.05) + fall
            if target is not None:
                landing = center[0] + half_xy[0] + speed * fall + 0.5
                self._put_ahead(target, landing, center[1])
            for k, body in enumerate(movers):
                cue = Cue(kind, body, motion, direction=(1.0, 0.0, 0.0),
                          speed=round(speed, 3), offset=self._offset(motion, k),
                          beat=beat, settle=self._settle(body))
                self.cues.append(self.flavoured(cue, motion, ASSETS[support.asset].material))
            return pinned
        # On the floor: towards a target straight ahead, or just away along +x.
        pinned = False
        spacing = max(2 * self.half(b.thing)[1] for b in movers) + 0.3
        start_x = 0.0
        for body, y in zip(movers, self._lanes(movers, spacing)):
            self.set_pose(body, (start_x, y, self.rest(body.thing)))
        front = max(b.position[0] + self.half(b.thing)[0] for b in movers)
        gap = motion.distance or (PUSH_GAP_M if kind == "push" else
                                  KICK_TARGET_GAP_M if motion.flavour == "kick" else TARGET_GAP_M)
        if kind == "roll":
            speed = self._roll_speed(motion, ROLL_SPEED)
        else:
            slide = gap + 0.3 if target is not None else PUSH_SLIDE_M
            speed = motion.speed or self.slide_speed(motion.movers[0], slide) * \
                motion.speed_factor
        if target is not None:
            if self.is_placed(target):
                # Built around an already placed target: move the movers to face it.
                pinned = True
                goal = self.bodies[target.key][0]
                tx = float(goal.position[0] - self.half(target)[0])
                for body, y in zip(movers, self._lanes(movers, spacing)):
                    self.set_pose(body, (tx - gap - self.half(body.thing)[0], goal.position[1]
                                         + y, self.rest(body.thing)))
            else:
                self._put_ahead(target, front + gap, 0.0)
        beat = gap / max(speed, 0.05)
        for k, body in enumerate(movers):
            cue = Cue(kind, body, motion, direction=(1.0, 0.0, 0.0),
                      speed=round(speed, 3), offset=self._offset(motion, k),
                      beat=beat, settle=self._settle(body))
            self.cues.append(self.flavoured(cue, motion))
        return pinned

    def rolling_deceleration(self, thing: Thing) -> float:
        """m/s^2 a ball rolling without slipping loses to rolling resistance as the simulation
        plays it: torque C_rr r N about the contact, so a = C_rr g / (1 + k), k = I / (m r^2)
        (2/5 solid, 2/3 a shell). C_rr is the ball's material's (assets.mujoco_spec)."""
        spec = ASSETS[thing.asset]
        k = 2.0 / 3.0 if spec.hollow else 2.0 / 5.0
        return MATERIALS[thing.material or spec.material].rolling * self.g / (1.0 + k)

    def _putt(self, motion: Motion, movers: list[Body]) -> bool:
        """Balls on the putting green, PUTT_DISTANCE_M before its hole (along +x), each rolled
        at the speed that brings it to the hole at the arrival speed of a good putt, found
        from the simulation's rolling resistance: v0^2 = v^2 + 2 a d. A miss is aimed beside
        the hole and rolls on past it."""
        green = motion.target
        assert green is not None
        pinned = self._ensure_on_floor(green)
        base = self.bodies[green.key][0]
        hole = self._anchor(base, "hole")
        lo, _ = geometry.bounds(base.solids())
        room = float(hole[0] - lo[0]) - 0.15  # from the hole back to the green's near edge
        distance = motion.distance or PUTT_DISTANCE_M
        if distance > room:
            self.notes.append(f"a {distance:.1f} m putt does not fit on the green; it is "
                              f"{room:.1f} m long")
            distance = room
        miss = motion.aim == "miss"
        for k, (body, y) in enumerate(zip(movers, self._lanes(movers, 0.12))):
            thing = body.thing
            a = self.rolling_deceleration(thing)
            arrive = math.sqrt(2.0 * a * PUTT_PAST_HOLE_M) * motion.speed_factor
            if not miss:
                arrive = min(arrive, 0.9 * PUTT_CAPTURE_SPEED)
            speed = motion.speed or math.sqrt(arrive * arrive + 2.0 * a * distance)
            start = hole + np.array([-distance, y, self.rest(thing)])
            aim = hole + np.array([0.0, PUTT_MISS_OFFSET_M if miss else 0.0, 0.0])
            self.set_pose(body, start)
            direction = _unit((aim - start) * np.array([1.0, 1.0, 0.0]))
            beat = distance / max(0.5 * (speed + arrive), 0.05)
            cue = Cue("roll", body, motion, direction=tuple(  # type: ignore[arg-type]
                round(float(c), 4) for c in direction), speed=round(speed, 3),
                offset=self._offset(motion, k, gap=2.0), beat=beat, settle=BALL_SETTLE_S)
            self.cues.append(cue)
        return pinned

    def _put_ahead(self, target: Thing, x_front: float, y: float) -> None:
        """Place what a mover heads for so that its near side is at x_front."""
        if self.is_placed(target):
            return
        if target.setup is not None:
            self.place_setup(target, x_front, y, 0.0)
            return
        half = self.half(target)
        offset = self.center_offset(target)
        if target.asset == "ramp":
            # approach a ramp from its low end: turn it round so the slope faces the mover
            self.place_on(target, x_front + half[0], y, yaw=180.0)
            return
        if target.asset == "wall":
            self.place_on(target, x_front + half[0] - offset[0], y)
            return
        first_x = x_front + half[0] - offset[0]
        if target.location is not None and target.location[0] in ("on",) and \
                target.location[1] is not None and not self.is_placed(target.location[1]):
            support = target.location[1]
            self.place_on(support, x_front + self.half(support)[0])
            self.place_on_top(target, self.bodies[support.key][0])
            return
        self.place_on(target, first_x, y, spread="y")

    def _on_incline(self, movers: list[Body], base: Body) -> tuple[float, np.ndarray, float]:
        """Set bodies at the top of an incline (its "top" anchor), side by side across it.

        Returns the slope angle, the unit vector down the slope and the slope's length.
        """
        ramp = base.thing
        spec = ASSETS[ramp.asset]
        slope = next((p for p in spec.parts if p.name == "slope"), None)
        rot = geometry.rotation_matrix(base.rotation)
        top = self._anchor(base, "top")
        bottom = self._anchor(base, "bottom")
        if slope is not None:
            theta = math.radians(slope.euler[1])
            normal = rot @ geometry.rotation_matrix(slope.euler) @ np.array([0.0, 0.0, 1.0])
            center = base.position + rot @ (np.array(slope.pos) * ramp.scale)
            # the anchor is near the board; put it exactly on the board's upper face
            top = top - (float((top - center) @ normal) - slope.size[2] * ramp.scale) * normal
        else:
            theta = math.atan2(top[2] - bottom[2], np.linalg.norm((bottom - top)[:2]))
            normal = _unit([math.sin(theta), 0.0, math.cos(theta)])
        down = _unit(np.array([bottom[0] - top[0], bottom[1] - top[1], 0.0]))
        downslope = _unit(down * math.cos(theta) + np.array([0.0, 0.0, -math.sin(theta)]))
        across = np.cross(np.array([0.0, 0.0, 1.0]), down)
        width = min(self.half(ramp)[1], 0.3 * ramp.scale)
        used = self.ramp_lanes.get(ramp.key, 0)
        for k, body in enumerate(movers):
            size = self.half(body.thing)
            lane = used + k
            y = 0.0 if lane == 0 else ((lane + 1) // 2) * (2 * size[1] + 0.05) * (
                1 if lane % 2 else -1)
            y = max(-(width - size[1]), min(width - size[1], y))
            if body.thing.is_ball:
                pos = top + normal * (size[2] + 0.002) + across * y + downslope * 0.02
                self.set_pose(body, pos)
            else:
                pos = top + normal * (size[2] + 0.002) + downslope * (size[0] + 0.02) + \
                    across * y
                yaw = math.degrees(math.atan2(down[1], down[0]))
                self.set_pose(body, pos, (0.0, math.degrees(theta), yaw))
        self.ramp_lanes[ramp.key] = used + len(movers)
        return theta, downslope, float(np.linalg.norm(bottom - top))

    def _ramp(self, motion: Motion, movers: list[Body], kind: str) -> bool:
        ramp = motion.support
        assert ramp is not None
        pinned = self._ensure_on_floor(ramp)
        base = self.bodies[ramp.key][0]
        theta, downslope, length = self._on_incline(movers, base)
        speed = self._roll_speed(motion, RAMP_START_SPEED)
        if kind == "roll":
            # rolling without slipping down an incline: a = 5/7 g sin(theta) for a solid ball
            accel = 5.0 / 7.0 * self.g * math.sin(theta)
        else:
            mu = 0.0 if self.wheeled(motion.movers[0]) else self.friction(
                motion.movers[0], ASSETS[ramp.asset].material)
            accel = self.g * (math.sin(theta) - mu * math.cos(theta))
            if accel <= 0.05 and motion.speed is None:
                # friction holds a box on this slope: push it hard enough to reach the bottom
                speed = math.sqrt(2 * (0.05 - accel) * (length + 0.3)) * motion.speed_factor
        accel = max(accel, 0.05)
        beat = (-speed + math.sqrt(speed * speed + 2 * accel * length)) / accel
        if motion.target is not None:
            bottom = self._anchor(base, "bottom")
            self._put_ahead(motion.target, float(bottom[0]) + 0.8, float(bottom[1]))
        for k, body in enumerate(movers):
            cue = Cue(kind, body, motion, direction=tuple(  # type: ignore[arg-type]
                round(float(c), 4) for c in downslope), speed=round(speed, 3),
                offset=self._offset(motion, k), beat=beat, settle=self._settle(body))
            self.cues.append(self.flavoured(cue, motion, ASSETS[ramp.asset].material))
        return pinned

    def _topple(self, motion: Motion) -> bool:
        pinned = False
        for mover in motion.movers:
            if not self.is_placed(mover):
                pinned = self._ensure_on_floor(mover) or pinned
            bodies = self.bodies[mover.key]
            heads = [b for b in bodies if b.index % mover.count == 0] if mover.is_row else bodies
            length = (mover.count - 1) * DOMINO_SPACING * 2 * self.half(mover)[2]
            beat = 0.25 + length / DOMINO_WAVE_SPEED
            speed = motion.speed or max(DOMINO_PUSH_SPEED, TOPPLE_MARGIN * self.tipping_speed(
                mover)) * motion.speed_factor
            for k, body in enumerate(heads):
                self.cues.append(Cue("topple", body, motion, direction=(1.0, 0.0, 0.0),
                                     speed=round(speed, 3), offset=self._offset(motion, k),
                                     beat=beat, settle=SOLID_SETTLE_S))
        return pinned

    def tipping_speed(self, thing: Thing) -> float:
        """Speed of its top (m/s) that just tips a standing block over its front bottom edge:
        the spin about that edge must lift the centre of mass over it (I w^2 / 2 = m g rise,
        a box's inertia about an edge I = m (a^2 + b^2) / 3 for full sides a, b)."""
        half = self.half(thing)
        d, h = float(half[0]), float(half[2])
        diagonal = math.hypot(d, h)
        inertia = 4.0 * diagonal ** 2 / 3.0  # per kg
        omega = math.sqrt(2.0 * max(self.g, 0.05) * (diagonal - h) / inertia)
        return omega * 2.0 * h

    def _collide(self, motion: Motion) -> bool:
        """Movers head for one point from around it (two: head on), on the floor or on the
        top of the support they all stand on."""
        movers = self._movers(motion)
        n = len(movers)
        radius = (motion.distance / 2) if motion.distance else COLLIDE_HALF_DISTANCE_M
        speed = self._roll_speed(motion, ROLL_SPEED)
        supports = {m.location[1].key for m in motion.movers if m.location is not None
                    and m.location[0] in ("on", "edge") and m.location[1] is not None}
        center = np.zeros(3)
        pinned = False
        if len(supports) == 1 and all(m.location is not None for m in motion.movers):
            support = motion.movers[0].location[1]  # type: ignore[index]
            if not support.is_ball and not support.is_hoop and support.asset != "ramp":
                pinned = self._ensure_on_floor(support)
                z, xy, half_xy = self.top(self.bodies[support.key][0])
                margin = max(self.half(b.thing)[0] for b in movers) + 0.05
                radius = min(radius, max(0.1, min(half_xy) - margin) if n > 2 else
                             max(0.1, half_xy[0] - margin))
                center = np.array([xy[0], xy[1], z])
        for k, body in enumerate(movers):
            angle = math.pi + 2 * math.pi * k / n
            offset = np.array([radius * math.cos(angle), radius * math.sin(angle), 0.0])
            self.set_pose(body, center + offset + np.array([0.0, 0.0, self.rest(body.thing)]))
            direction = _unit(-offset)
            kind = "roll" if body.thing.is_ball else "push"
            s = speed if kind == "roll" else (motion.speed or self.slide_speed(
                body.thing, radius + 0.3) * motion.speed_factor)
            beat = (radius - self.half(body.thing)[0]) / max(s, 0.05)
            self.cues.append(Cue(kind, body, motion, direction=tuple(  # type: ignore[arg-type]
                round(float(c), 4) for c in direction), speed=round(s, 3), beat=beat,
                settle=self._settle(body)))
        return pinned

    # -- things nobody moves ------------------------------------------------------------------
    def _static(self, thing: Thing, depth: int) -> None:
        if self.is_placed(thing):
            return
        if thing.rig_of is not None:  # a gantry or fulcrum stands where its rig is placed
            if not self.is_placed(thing.rig_of):
                self._static(thing.rig_of, depth)
            return
        location = thing.location
        other = location[1] if location is not None else None
        if other is not None and not self.is_placed(other) and depth < 4:
            self._static(other, depth + 1)
        before = {id(b) for b in self.order if b.placed}
        pinned = False
        if location is None and thing.asset == "wall":
            # a wall something stands in front of or behind stands across the view, the way a
            # wall nobody uses does (_backdrop), so "in front of" it is between it and the camera
            self.place_on(thing, 0.0, yaw=90.0)
        elif location is None or (other is None and location[0] != "held"):
            self.place_on(thing, 0.0)
        elif location[0] == "held":
            for body, x in zip(self.bodies[thing.key], self._lanes(self.bodies[thing.key], 0.5)):
                self.set_pose(body, (x, 0.0, HELD_HEIGHT_M + self.rest(thing)))
                self.cues.append(Cue("drop", body, None, beat=self.fall_time(HELD_HEIGHT_M),
                                     settle=self._settle(body)))
        else:
            relation = location[0]
            assert other is not None
            anchor = self.bodies[other.key][0]
            pinned = True
            if relation in ("on", "edge") and not other.is_hoop and not other.is_ball:
                self.place_on_top(thing, anchor, at="edge" if relation == "edge" else "center")
            elif relation in ("above", "over"):
                z, center, _ = self.top(anchor)
                for body, x in zip(self.bodies[thing.key],
                                   self._lanes(self.bodies[thing.key], 0.3)):
                    self.set_pose(body, (center[0] + x, center[1], z + DROP_HEIGHT_ON_SUPPORT_M
                                         * 0.8 + self.rest(thing)))
                    self.cues.append(Cue("drop", body, None, beat=self.fall_time(
                        z + 0.8), settle=self._settle(body)))
            elif relation == "under" and other.asset == "table":
                self.place_on(thing, float(anchor.position[0]), float(anchor.position[1]))
            else:
                self._beside(thing, anchor, relation)
        new = [b for b in self.order if b.placed and id(b) not in before]
        self.commit(new, pinned)

    def _beside(self, thing: Thing, anchor: Body, relation: str) -> None:
        lo, hi = geometry.bounds(anchor.solids())
        half = self.half(thing)
        offset = self.center_offset(thing)
        gap = 0.25
        if relation == "left":
            self.place_on(thing, float(lo[0]) - gap - half[0] - offset[0],
                          float(anchor.position[1]))
        elif relation in ("front", "behind") and thing.asset == "wall":
            # a wall behind something stands across the view, like a backdrop
            y = float(hi[1]) + gap + half[0] if relation == "behind" else float(lo[1]) - gap - \
                half[0]
            self.place_on(thing, float(anchor.position[0]), y, yaw=90.0)
        elif relation == "front":
            self.place_on(thing, float(anchor.position[0]), float(lo[1]) - gap - half[1])
        elif relation == "behind":
            self.place_on(thing, float(anchor.position[0]), float(hi[1]) + gap + half[1])
        else:  # near, by, right, under (not a table)
            self.place_on(thing, float(hi[0]) + gap + half[0] - offset[0],
                          float(anchor.position[1]))

    def _backdrop(self, thing: Thing) -> None:
        """A wall nobody uses stands behind the scene, facing the camera side."""
        placed = [b for b in self.order if b.placed]
        if placed:
            lows, highs = zip(*(geometry.bounds(b.solids()) for b in placed))
            lo, hi = np.min(lows, axis=0), np.max(highs, axis=0)
        else:
            lo, hi = np.zeros(3), np.zeros(3)
        half = self.half(thing)
        x = 0.5 * (lo[0] + hi[0])
        y = hi[1] + 0.6 + half[0]
        self.place_on(thing, float(x), float(y), yaw=90.0)


    # -- by the sea -------------------------------------------------------------------------------
    def _sea_bound(self) -> list[Body]:
        """Bodies sent into the sea: movers of untargeted motions "into the sea"."""
        if self.story.sea != "into":
            return []
        motions = [m for m in self.story.motions if m.target is None and not m.to_floor
                   and m.kind in SEA_MOTIONS]
        return [b for m in motions for b in self._movers(m)]

    def shoreline(self, level: float) -> tuple[float, tuple[float, float]]:
        """Where the sea begins (distance along the direction out to sea, and that direction),
        with every body not said to be in the water on the sand before it; motions "into the
        sea" are aimed to come down beyond it, and floating things start on its surface, whose
        world height is `level`."""
        sent = self._sea_bound()
        toward = (1.0, 0.0) if sent else (0.0, 1.0)  # thrown across the view, or behind
        axis = 0 if sent else 1
        afloat = [b for t in self.story.floating for b in self.bodies[t.key] if b not in sent]
        dropped = [b for b in sent if (cue := self._cue_of(b)) is not None and cue.kind == "drop"]
        wet = {id(b) for b in afloat + dropped}
        dry = [float(geometry.bounds(b.solids())[1][axis]) for b in self.order
               if b.placed and id(b) not in wet]
        # (a person's kick or throw "into the sea" sends the thing away from them, behind it)
        shore = max(dry, default=0.0) + (SHORE_GAP_M if self.story.sea == "into"
                                         else SEA_BEHIND_M)
        out = shore + SEA_LANDING_M
        for body in dropped + afloat:
            position = np.array(body.position, dtype=float)
            position[axis] = out
            low = float(geometry.bounds(geometry.part_solids(
                body.asset, position, body.rotation, body.thing.scale))[0][2])
            if body in afloat and self._cue_of(body) is None:
                position[2] += level + 0.01 - low  # on the surface, to float from there
            body.position = position
        for body in sent:
            self._aim_into_sea(body, out, level)
        return round(shore, 3), toward

    def _cue_of(self, body: Body) -> Cue | None:
        return next((c for c in self.cues if c.body is body), None)

    def _aim_into_sea(self, body: Body, goal_x: float, level: float) -> None:
        """Launch a thrown, kicked or rolled body so that it comes down in the water at goal_x
        (or beyond, where it was going farther anyway)."""
        start = np.array(body.position, dtype=float)
        reach = max(goal_x - float(start[0]), 0.5 * THROW_DISTANCE_M)
        flight = next((f for f in self.flights if f.body is body), None)
        if flight is not None:  # a toss: its initial velocity
            time = SEA_THROW_FLIGHT_S / max(flight.motion.speed_factor, 0.25)
            goal = np.array([start[0] + reach, start[1], level + self.rest(body.thing)])
            body.velocity = self._ballistic(start, goal, time)
            flight.beat = time
            return
        cue = self._cue_of(body)
        if cue is None or self.g < 0.05:
            return
        if cue.kind == "kick":
            e = math.radians(SEA_KICK_ELEVATION_DEG)
            rise = level - float(start[2])  # its centre comes down to the surface
            speed = math.sqrt(self.g * reach ** 2 / (2 * math.cos(e) ** 2 *
                                                     max(reach * math.tan(e) - rise, 0.05)))
            cue.speed, cue.elevation = round(speed, 3), SEA_KICK_ELEVATION_DEG
            cue.direction = (1.0, 0.0, 0.0)
            cue.beat = reach / (speed * math.cos(e))
        elif cue.kind in ("roll", "push", "slide", "pull"):
            run = reach - SEA_LANDING_M + 0.5  # into the shallows: the water lifts it from there
            if cue.kind == "roll":
                spec = ASSETS[body.asset]
                rolling = MATERIALS[body.thing.material or spec.material].rolling
                shape = 2.0 / 3.0 if spec.hollow else 0.4  # I / m r^2
                need = math.sqrt(2.0 * rolling * self.g / (1.0 + shape) * run)
            else:
                need = self.slide_speed(body.thing, run, self.floor_material)
            cue.speed = round(min(max(cue.speed, ROLL_INTO_SEA_MARGIN * need + 0.3), 10.0), 3)
            cue.beat = run / max(cue.speed, 0.05)


def sea_depth(environment: str) -> float:
    """Depth (m) of the sea's bed in an environment (its Setting.water_level): its own sea's,
    else a beach's (a lake in a park is as deep as the sea at a beach)."""
    env = ENVIRONMENTS[environment]
    if env.sea is not None:
        return env.sea_depth
    beach = ENVIRONMENTS.get("beach")
    return beach.sea_depth if beach is not None and beach.sea is not None else DEFAULT_SEA_M


# ---------------------------------------------------------------------------------------------
def _driven_in(a: Body, b: Body) -> bool:
    """A nail stands inside the board it is driven into, by design."""
    return "slide" in (ASSETS[a.asset].joint, ASSETS[b.asset].joint)


def _center_and_separate(bodies: list[Body], notes: list[str]) -> None:
    """Centre the layout on the origin and nudge apart anything that still interpenetrates."""
    if not bodies:
        return
    lows, highs = zip(*(geometry.bounds(b.solids()) for b in bodies))
    lo, hi = np.min(lows, axis=0), np.max(highs, axis=0)
    shift = np.array([-(lo[0] + hi[0]) / 2, -(lo[1] + hi[1]) / 2, 0.0])
    for body in bodies:
        body.position = body.position + shift
    for k, body in enumerate(bodies):
        tries = 0
        while tries < 60 and any(geometry.overlapping(body.solids(), other.solids())
                                 for other in bodies[:k] if not _driven_in(body, other)):
            body.position = body.position + np.array([0.0, 0.1, 0.0])
            tries += 1
        if tries:
            notes.append(f"moved {body.id} {tries * 0.1:.1f} m aside to keep it clear")


def lay_out(story: Story, *, gravity: float, floor_material: str, environment: str,
            rng) -> Layout:
    """Place every thing of the story and turn its motions into cues; by the sea (story.sea),
    also where the shore is."""
    room = room_interior(ENVIRONMENTS[environment])
    row_width = ROW_WIDTH_M if room is None else min(ROW_WIDTH_M,
                                                     2 * (room[0] - WALL_CLEARANCE_M))
    builder = _Builder(story, gravity, floor_material, rng, row_width)
    builder.lay_out()
    bodies = builder.order
    _center_and_separate(bodies, builder.notes)
    shore, toward = None, (1.0, 0.0)
    if story.sea is not None or ENVIRONMENTS[environment].sea is not None:
        shore, toward = builder.shoreline(SEA_SURFACE_M)  # the sea meets the sand
    if room is not None and bodies:
        lows, highs = zip(*(geometry.bounds(b.solids()) for b in bodies))
        lo, hi = np.min(lows, axis=0), np.max(highs, axis=0)
        if hi[0] - lo[0] > 2 * room[0] or hi[1] - lo[1] > 2 * room[1]:
            place = environment.replace("_", " ")
            raise PromptError(
                f"the {len(bodies)} things of this prompt need {hi[0] - lo[0]:.1f} x "
                f"{hi[1] - lo[1]:.1f} m of floor, more than the {place} has "
                f"({2 * room[0]:.1f} x {2 * room[1]:.1f} m); name fewer things, or set the "
                "scene somewhere larger (a gym, a park)")
    return Layout(bodies, builder.cues, builder.flights, builder.notes, shore, toward)
