"""Animals' scripts played out: where each animal goes (paths, turns, jumps, postures), its legs
in the footfall pattern of its gait with feet planted on the floor (analytic leg IK), its head,
jaw, ears and tail, sampled as bone poses (a Performance) for physics.

Gaits (leg order in the patterns: fl, fr, hl, hr; a leg's stance starts at its phase offset
within a stride and lasts the duty factor of the stride):
- walk: four-beat lateral sequence LH, LF, RH, RF at 0, 0.25, 0.5, 0.75; duty 0.65.
- trot: diagonal pairs, LH + RF at 0, RH + LF at 0.5; duty 0.45 (a short suspension).
- canter: three-beat (right lead), LH at 0, RH + LF at 0.3, RF at 0.55; duty 0.4.
- gallop, transverse (horses, zebras, giraffes, cattle, sheep): LH 0, RH 0.1, LF 0.4, RF 0.5;
  rotary (dogs, cats, bears): LH 0, RH 0.1, RF 0.4, LF 0.5; duty 0.3, then a suspension.
- amble (an elephant's run): the walk's lateral sequence with duty 0.5.
Stride length follows Alexander & Jayes' dynamic similarity (J. Zool. 201, 1983: relative
stride length = 2.3 x Froude number^0.3, with the hip height as the length), so the stride
frequency follows from the speed. A foot in stance stays where it was put; the body moves over
it and the leg bends to it (two-bone IK above a cannon set from the leg's line).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.animation.performance import Grip, Performance
from worldreel.assets.animals import LEGS, AnimalBody, body_of_animal
from worldreel.errors import SceneError
from worldreel.scene import Animal, AnimalAction, Scene
from worldreel.timeline import TimedLine, TimedStep, resolve_scripts

ANIMATION_RATE = 120  # bone poses a second, as people's (animation.perform)
LOOKAHEAD_S = 0.5
GRAVITY = 9.81
# Alexander & Jayes (1983): stride length / hip height = 2.3 (v^2 / g h)^0.3.
STRIDE_K, STRIDE_EXP = 2.3, 0.3
# Acceleration of a gait from standstill and back, and turning rate, both scaled by dynamic
# similarity (a fraction of g; turns ~ sqrt(g / leg)): a dog reaches a trot in about half a
# second, a horse its canter in a second and a half (racing starts: ~0.3-0.5 g in the first
# strides, Williams et al. on greyhounds and horses).
ACCELERATION_G = 0.3
TURN_RATE = 1.2  # x sqrt(g / leg length) rad/s: a labrador ~330 deg/s, a horse ~190 deg/s
PATTERNS = {  # gait -> ({leg: phase offset}, duty factor)
    "walk": ({"hl": 0.0, "fl": 0.25, "hr": 0.5, "fr": 0.75}, 0.65),
    "amble": ({"hl": 0.0, "fl": 0.25, "hr": 0.5, "fr": 0.75}, 0.5),
    "trot": ({"hl": 0.0, "fr": 0.0, "hr": 0.5, "fl": 0.5}, 0.45),
    "canter": ({"hl": 0.0, "hr": 0.3, "fl": 0.3, "fr": 0.55}, 0.4),
    "gallop_transverse": ({"hl": 0.0, "hr": 0.1, "fl": 0.4, "fr": 0.5}, 0.3),
    "gallop_rotary": ({"hl": 0.0, "hr": 0.1, "fr": 0.4, "fl": 0.5}, 0.3),
}
LIFT = {"walk": 0.12, "amble": 0.14, "trot": 0.2, "canter": 0.25, "gallop": 0.28}  # x leg
BOB = {"walk": 0.012, "amble": 0.015, "trot": 0.02, "canter": 0.035, "gallop": 0.03}  # x leg
STAND_BEND = 0.96  # standing, the hip is this share of the leg's full length above the floor
# Moving, the legs bend more (a walking dog's hip is ~85 % of its leg's length up, a galloping
# horse's lower still) so the foot can stay planted over the stance's sweep.
GAIT_HEIGHT = {"walk": 0.87, "amble": 0.85, "trot": 0.85, "canter": 0.83, "gallop": 0.81}
# The shoulder blade and pelvis swing the top of each leg along the body towards its foot: a
# share of the foot's offset, at most a share of the leg's length.
SWING_SHARE, SWING_MAX = 0.35, 0.12
REACH = 0.985  # a leg stretches at most to this share of its full length
JUMP_CLEARANCE_M = 0.15  # hooves pass this far over what is jumped (a clean show jump)
# A kicked or rolled thing is run after to where it would be this long after at its start
# speed, at most this far: a ball on grass slows to a stop within a few metres a second.
ROLL_ON_S, ROLL_MAX_M = 1.0, 8.0
CATCH_WAIT_S = 3.0  # a catch waits this long for the thing (unless told how long)
TUCK = 0.5  # in the air the feet are drawn up to this share of the leg below the body


def _pattern(body: AnimalBody, gait: str) -> tuple[dict[str, float], float]:
    if gait == "gallop":
        return PATTERNS[f"gallop_{body.gaits.gallop_kind}"]
    return PATTERNS[gait]


def stride_length(body: AnimalBody, speed: float) -> float:
    """Alexander & Jayes' stride length (m) at `speed` for the animal's hip height."""
    h = body.hip_height
    froude = max(speed, 1e-6) ** 2 / (GRAVITY * h)
    return STRIDE_K * h * froude ** STRIDE_EXP


def gait_for(body: AnimalBody, verb: str, speed: float | None) -> tuple[str, float]:
    """The gait and speed a moving step goes at: a named gait at its species speed (or the
    speed asked), or for `run` (and a speed with walk) the gait that speed calls for."""
    g = body.gaits
    own = {"walk": g.walk, "trot": g.trot, "canter": g.canter, "gallop": g.gallop,
           "amble": g.amble}
    if verb in own and verb != "walk" and own[verb] is None:
        if verb in ("trot", "canter", "gallop") and g.amble is not None:
            verb = "amble"  # an elephant's fast gait
        else:
            have = [k for k, v in own.items() if v is not None]
            raise SceneError(f"a {body.species} does not {verb}: it can {', '.join(have)} "
                             "(or run)")
    if verb == "run":
        speed = speed or g.fastest()
        verb = None
    if verb is not None:
        return verb, float(speed or own[verb])
    ordered = [(k, v) for k, v in own.items() if v is not None]
    ordered.sort(key=lambda kv: kv[1])
    choice = ordered[0][0]
    for (name, v), nxt in zip(ordered, ordered[1:] + [(None, math.inf)]):
        if speed >= 0.5 * (v + (nxt[1] if nxt[0] else v * 2)) and nxt[0]:
            choice = nxt[0]
    return choice, float(min(speed, 1.3 * g.fastest()))


@dataclass
class Pose:
    """Where an animal is between steps."""

    xy: np.ndarray
    yaw: float  # radians
    posture: str = "stand"  # stand, sit, lie


@dataclass
class Segment:
    """One piece of an animal's motion over clip times [t0, t1)."""

    kind: str  # move, jump, posture, stand
    t0: float
    t1: float
    start: Pose
    end: Pose
    gait: str = "walk"
    speed: float = 0.0
    path: tuple = ()  # move: (points (K, 2)) straight pieces; chase: a sampled path
    height: float = 0.0  # jump: height of what is jumped
    target: str | None = None


@dataclass
class StepPlan:
    """How an animal's step plays: its duration and the pose it ends in (its segments are laid
    out once the start is known)."""

    verb: str
    before: Pose
    after: Pose
    duration: float
    segments: list = field(default_factory=list)  # (kind, offset s, duration s, data)
    thing: str | None = None


class AnimalPlanner:
    """Plans every animal's steps in order, on request (the timeline asks for durations)."""

    def __init__(self, scene: Scene):
        self.scene = scene
        self.plans: dict[str, list[StepPlan]] = {a.id: [] for a in scene.animals}
        self.start = {a.id: Pose(np.array(a.position, float), math.radians(a.facing))
                      for a in scene.animals}

    def duration(self, animal: Animal, index: int, start: float) -> float:
        plans = self.plans[animal.id]
        while len(plans) <= index:
            before = plans[-1].after if plans else self.start[animal.id]
            plans.append(self._plan(animal, len(plans), before))
        return plans[index].duration

    def pose_before(self, animal: Animal, index: int) -> Pose:
        self.duration(animal, max(index - 1, 0), 0.0)
        return self.plans[animal.id][index - 1].after if index > 0 else self.start[animal.id]

    # -- where things are --------------------------------------------------------------------
    def where(self, name: str) -> np.ndarray:
        """A target's floor point at the start: a thing, a person or an animal."""
        for c in self.scene.characters:
            if c.id == name:
                return np.array(c.position, float)
        for a in self.scene.animals:
            if a.id == name:
                return np.array(a.position, float)
        return np.array(self.scene.entity(name).position[:2], float)

    def _size_of(self, name: str) -> tuple[float, float]:
        """(radius on the floor, height) of a thing, or a person's or animal's."""
        from worldreel.assets.mujoco_spec import entity_asset  # noqa: PLC0415

        try:
            entity = self.scene.entity(name)
        except KeyError:
            return 0.35, 1.0
        lo, hi = entity_asset(entity).bounds()
        extent = np.array(hi) - np.array(lo)
        return 0.5 * float(max(extent[0], extent[1])) * entity.scale, float(
            entity.position[2] + hi[2] * entity.scale)

    # -- planning ----------------------------------------------------------------------------
    def _plan(self, animal: Animal, k: int, before: Pose) -> StepPlan:
        step = animal.script[k]
        body = body_of_animal(animal)
        where = f"animals[{self.scene.animals.index(animal)}].script[{k}] ({step.do})"
        verb = step.do
        stand = replace(before, posture="stand")
        segments: list = []
        if before.posture != "stand" and verb not in ("idle", "wag", "look_at", "catch", "sit",
                                                       "lie_down", "stand_up"):
            segments.append(("posture", before, stand, _posture_seconds(body)))
            before = stand
        if verb in ("idle", "wag", "look_at"):
            segments.append(("stand", before, before, step.duration or 2.0))
        elif verb in ("sit", "lie_down", "stand_up"):
            goal = {"sit": "sit", "lie_down": "lie", "stand_up": "stand"}[verb]
            seconds = 0.0 if before.posture == goal else _posture_seconds(body)
            segments.append(("posture", before, replace(before, posture=goal),
                             max(seconds, 1e-3)))
            if step.duration:
                segments.append(("stand", segments[-1][2], segments[-1][2], step.duration))
        elif verb == "turn":
            goal = step.place if step.place is not None else (
                self.where(step.target) if step.target else None)
            yaw = before.yaw + math.pi / 2 if goal is None else _heading(before.xy, goal,
                                                                          before.yaw)
            segments += _turn(body, before, yaw)
        elif verb in ("walk", "trot", "canter", "gallop", "run"):
            gait, speed = gait_for(body, verb, step.speed)
            if step.place is not None:
                goal = np.array(step.place, float)
            elif step.target is not None:
                goal = self._beside(before.xy, step.target, body)
            else:  # straight on for the duration asked
                seconds = step.duration or 3.0
                goal = before.xy + speed * seconds * np.array([math.cos(before.yaw),
                                                              math.sin(before.yaw)])
            segments += _go(body, before, goal, gait, speed)
        elif verb == "chase":
            gait, speed = gait_for(body, "run", step.speed)
            moves = _go(body, before, self._beside(before.xy, step.target, body), gait, speed) \
                or [("move", before, before, step.duration or 1.0, {"gait": gait,
                                                                    "speed": speed})]
            kind, start, end, seconds, data = moves[-1]
            moves[-1] = (kind, start, end, step.duration or seconds,
                         {**data, "chase": step.target})
            segments += moves
        elif verb == "jump":
            segments += self._jump(body, before, step)
        elif verb == "fetch":
            thing = step.target
            gait, speed = gait_for(body, "run", step.speed or body.gaits.trot or body.gaits.walk)
            height = self._middle_height(thing)
            # caught already: it is in the mouth, to be brought back
            caught = any(s.do == "catch" and s.target == thing for s in animal.script[:k])
            here = before
            if not caught:
                at = self.comes_to_rest(thing)
                _, _, reach = reach_down(body, height)
                pick = at - reach * _unit(at - before.xy, before.yaw)
                segments += _go(body, before, pick, gait, speed)
                here = segments[-1][2] if segments else before
                if abs(_wrap(_heading(here.xy, at, here.yaw) - here.yaw)) > 0.05:
                    segments += _turn(body, here, _heading(here.xy, at, here.yaw))
                    here = segments[-1][2]
                segments.append(("pick", here, here, 0.6, {"thing": thing, "height": height}))
            giver = self._thrower(thing)
            if step.place is not None:
                back = np.array(step.place, float)
            elif caught and giver is not None:  # to the thrower's feet
                back = self._beside(here.xy, giver, body)
            else:
                back = before.xy
            segments += _go(body, here, back, gait, speed)
            there = segments[-1][2] if segments else here
            if giver is not None:
                there_yaw = _heading(there.xy, self.where(giver), there.yaw)
                segments += _turn(body, there, there_yaw)
                there = segments[-1][2]
            segments.append(("drop", there, there, 0.5, {"thing": thing, "height": height}))
        elif verb == "catch":
            thrower = self._thrower(step.target)
            yaw = before.yaw if thrower is None else _heading(before.xy, self.where(thrower),
                                                              before.yaw)
            segments += _turn(body, before, yaw)
            here = segments[-1][2] if segments else before
            segments.append(("catch", here, here, step.duration or CATCH_WAIT_S,
                             {"thing": step.target}))
        else:  # pragma: no cover - the schema lists every verb
            raise SceneError(f"{where}: cannot {verb}")
        segments = [s if len(s) == 5 else (*s, {}) for s in segments]
        after = segments[-1][2] if segments else before
        return StepPlan(verb, segments[0][1] if segments else before, after,
                        sum(s[3] for s in segments), segments, step.target)

    def comes_to_rest(self, thing: str) -> np.ndarray:
        """Where a thing will be to fetch or run after: where it is thrown to (a person's throw
        at a target, or the Scene's throw action: it lands by what it is aimed at), or, kicked,
        rolled or pushed along the floor, a few metres on (rolling resistance and bounces, which
        only physics knows, are not predicted); else where it lies."""
        from worldreel.scene import Kick, Push, Roll, Slide, Throw  # noqa: PLC0415

        for character in self.scene.characters:
            throws = [s for s in character.script if s.do in ("throw", "throw_underhand")
                      and s.target is not None and s.target != thing]
            if throws and (character.holds == thing or any(
                    s.do == "pick_up" and s.target == thing for s in character.script)):
                return self.where(throws[-1].target)
        for action in self.scene.actions:
            if action.entity != thing:
                continue
            if isinstance(action, Throw):
                return self.where(action.target)
            if isinstance(action, (Kick, Push, Roll, Slide)):
                direction = np.array(action.direction[:2], float)
                direction /= np.linalg.norm(direction)
                return self.where(thing) + direction * min(ROLL_ON_S * action.speed, ROLL_MAX_M)
        return self.where(thing)

    def _beside(self, xy: np.ndarray, target: str, body: AnimalBody) -> np.ndarray:
        if target in {e.id for e in self.scene.entities}:
            at = self.comes_to_rest(target)
        else:
            at = self.where(target)
        radius, _ = self._size_of(target)
        # its nose (the front of its head) stops short of what it comes to
        stop = radius + max(float(body.tails[:, 0].max()), 0.5 * body.shape.torso[0]
                            * body.shoulder_height) + 0.1
        away = xy - at
        d = np.linalg.norm(away)
        return at + (away / d * stop if d > 1e-6 else np.array([stop, 0.0]))

    def _middle_height(self, name: str) -> float:
        """How high the middle of a thing is (a ball lying on the floor: its radius)."""
        from worldreel.assets.mujoco_spec import entity_corners  # noqa: PLC0415

        try:
            corners = entity_corners(self.scene.entity(name))
        except KeyError:
            return 0.3
        return float(0.5 * (corners[:, 2].min() + corners[:, 2].max()))

    def _across(self, name: str, direction: np.ndarray) -> tuple[float, float]:
        """(half its depth along `direction`, its top) of what is jumped."""
        from worldreel.assets.mujoco_spec import entity_corners  # noqa: PLC0415

        try:
            corners = entity_corners(self.scene.entity(name))
        except KeyError:
            return 0.35, 0.5
        along = corners[:, :2] @ direction
        return 0.5 * float(np.ptp(along)), float(corners[:, 2].max())

    def _thrower(self, thing: str | None) -> str | None:
        """Who throws `thing` at some point (a person's throw step), if anyone."""
        for character in self.scene.characters:
            if character.holds == thing and any(s.do in ("throw", "throw_underhand")
                                                for s in character.script):
                return character.id
            for s in character.script:
                if s.do in ("throw", "throw_underhand", "kick") and s.target == thing:
                    return character.id
        return None

    def _jump(self, body: AnimalBody, before: Pose, step) -> list:
        out = []
        if step.target is None:
            flight = _flight(body, 0.3 * body.leg_length)
            out.append(("jump", before, before, flight + 0.5, {"height": 0.0, "flight": flight,
                                                               "crouch": 0.2}))
            return out
        at = self.where(step.target)
        direction = _unit(at - before.xy, before.yaw)
        depth, top = self._across(step.target, direction)
        h = body.leg_length
        # take off and land a body length and more from it, so that the fore feet cross it
        # well up the rise and the hind feet well before the fall (and the apex is over it)
        trunk = body.shape.torso[0] * body.shoulder_height
        run_up = depth + trunk + 0.6 * h
        take_off = at - run_up * direction
        landing = at + run_up * direction
        flight = _flight(body, top)
        # it comes in at the speed that carries it from take-off to landing in that time, in
        # the gait that speed calls for, and leaves the ground in its stride
        speed = 2.0 * run_up / flight
        gait, _ = gait_for(body, "run", speed)
        yaw = math.atan2(direction[1], direction[0])
        if abs(_wrap(yaw - before.yaw)) > math.radians(45):
            out += _turn(body, before, yaw)
            before = out[-1][2]
        out += _go(body, before, take_off, gait, speed, flying=True)
        here = out[-1][2] if out else before
        out.append(("jump", here, replace(here, xy=landing), flight,
                    {"height": top, "flight": flight, "crouch": 0.0}))
        # and runs out, slowing to a stand
        accel = ACCELERATION_G * GRAVITY
        stop = landing + direction * speed ** 2 / (2 * accel)
        out.append(("move", out[-1][2], Pose(stop, out[-1][2].yaw, "stand"), speed / accel,
                    {"gait": gait, "speed": speed, "start": speed}))
        return out


def _posture_seconds(body: AnimalBody) -> float:
    return 0.5 + 0.5 * math.sqrt(body.leg_length)  # a dog ~0.8 s, a horse ~1.1 s


def _flight(body: AnimalBody, top: float) -> float:
    """Time in the air to carry the tucked feet JUMP_CLEARANCE_M over `top`."""
    rise = max(top + JUMP_CLEARANCE_M + TUCK * body.leg_length - STAND_BEND * body.leg_length,
               0.1 * body.leg_length)
    return 2.0 * math.sqrt(2.0 * rise / GRAVITY)


def _unit(v: np.ndarray, yaw: float) -> np.ndarray:
    n = float(np.linalg.norm(v))
    return v / n if n > 1e-6 else np.array([math.cos(yaw), math.sin(yaw)])


def _wrap(a: float) -> float:
    return (a + math.pi) % (2 * math.pi) - math.pi


def _heading(xy: np.ndarray, goal, default: float) -> float:
    d = np.asarray(goal, float)[:2] - xy
    if np.linalg.norm(d) < 1e-6:
        return default
    return default + _wrap(math.atan2(d[1], d[0]) - default)


def turn_rate(body: AnimalBody) -> float:
    """The fastest the animal turns on the spot, rad/s."""
    return TURN_RATE * math.sqrt(GRAVITY / body.leg_length)


def _turn(body: AnimalBody, before: Pose, yaw: float) -> list:
    gap = abs(yaw - before.yaw)
    if gap < 0.05:
        return []
    seconds = max(gap / turn_rate(body), 0.4)
    return [("move", before, replace(before, yaw=yaw), seconds,
             {"gait": "walk", "speed": body.gaits.walk * 0.6})]


def _go(body: AnimalBody, before: Pose, goal: np.ndarray, gait: str, speed: float,
        flying: bool = False) -> list:
    """Turn towards `goal` if it is well off to the side, then move there at `speed` (flying:
    still at full speed when it gets there, to jump)."""
    out = []
    distance = float(np.linalg.norm(goal - before.xy))
    if distance < 0.05:
        return out
    heading = _heading(before.xy, goal, before.yaw)
    if abs(heading - before.yaw) > math.radians(45):
        out += _turn(body, before, heading)
        before = out[-1][2]
    accel = ACCELERATION_G * GRAVITY
    ramp = speed / accel
    if flying:
        seconds = distance / speed + 0.5 * ramp if distance > 0.5 * speed * ramp else \
            math.sqrt(2 * distance / accel)
    else:
        seconds = distance / speed + ramp if distance > speed * ramp else 2 * math.sqrt(
            distance / accel)
    out.append(("move", before, Pose(np.asarray(goal, float), heading, "stand"), seconds,
                {"gait": gait, "speed": speed, "flying": flying}))
    return out


# -- sampling ----------------------------------------------------------------------------------

def _speed_profile(t: np.ndarray, seconds: float, distance: float, speed: float,
                   accel: float, flying: bool = False, start: float = 0.0) -> np.ndarray:
    """Distance covered at local times t of a trapezoidal speed profile (triangular when short);
    flying: no slowing at the end; `start` > 0: from that speed, slowing to a stop."""
    ramp = speed / accel
    if start > 0:
        t = np.minimum(t, start / accel)
        return np.clip(start * t - 0.5 * accel * t ** 2, 0.0, distance)
    if flying:
        s = np.where(t < ramp, 0.5 * accel * t ** 2, 0.5 * speed * ramp + speed * (t - ramp))
        return np.clip(s * distance / max(float(s[-1]) if len(s) else distance, 1e-9)
                       if distance < 0.5 * speed * ramp else s, 0.0, distance)
    if distance <= speed * ramp:  # never reaches full speed
        half = 0.5 * seconds
        top = accel * half
        s = np.where(t < half, 0.5 * accel * t ** 2,
                     0.5 * accel * half ** 2 + top * (t - half) - 0.5 * accel * (t - half) ** 2)
    else:
        cruise = seconds - 2 * ramp
        s = np.where(t < ramp, 0.5 * accel * t ** 2,
                     np.where(t < ramp + cruise, 0.5 * speed * ramp + speed * (t - ramp),
                              distance - 0.5 * accel * np.clip(seconds - t, 0, None) ** 2))
    return np.clip(s, 0.0, distance)


@dataclass
class _Track:
    """An animal's root and body state at every sample."""

    xy: np.ndarray  # (N, 2)
    yaw: np.ndarray  # (N,)
    cadence: np.ndarray  # (N,) speed that sets the stride frequency (0: standing)
    lift: np.ndarray  # (N,) jump: height of the body over standing
    posture: np.ndarray  # (N, 2) weights of sit and lie
    gait: list  # per move segment: (i0, i1, gait, speed array slice)
    neck: np.ndarray  # (N,) neck pitch, rad (+ raises)
    head_pitch: np.ndarray
    head_yaw: np.ndarray
    jaw: np.ndarray  # (N,) 0..1 open
    wag: np.ndarray  # (N,) tail wag amplitude 0..1
    jumps: list  # (i0, i1, flight start, flight end) sample indices and times
    pitch_extra: np.ndarray
    # (t0, t1) of a move -> (starts at speed, ends at speed): no easing of the gait there
    at_speed: dict = field(default_factory=dict)


def _smooth(u: np.ndarray) -> np.ndarray:
    u = np.clip(u, 0.0, 1.0)
    return u * u * (3 - 2 * u)


def _ramp(times: np.ndarray, a: float, b: float) -> np.ndarray:
    return _smooth((times - a) / max(b - a, 1e-6))


def _lay_out(animal: Animal, body: AnimalBody, steps: list[TimedStep], plans: list[StepPlan],
             times: np.ndarray, chase_paths: dict[str, np.ndarray],
             arrivals: dict[str, float]) -> tuple[_Track, list]:
    """Sample the planned segments of every step at `times`."""
    n = len(times)
    start = Pose(np.array(animal.position, float), math.radians(animal.facing))
    xy = np.tile(start.xy, (n, 1))
    yaw = np.full(n, start.yaw)
    cadence = np.zeros(n)
    lift = np.zeros(n)
    pitch_extra = np.zeros(n)
    posture = np.zeros((n, 2))
    neck = np.zeros(n)
    head_pitch = np.zeros(n)
    head_yaw = np.zeros(n)
    jaw = np.zeros(n)
    wag = np.zeros(n)
    moves, jumps, events = [], [], []
    at_speed: dict[tuple[float, float], tuple[bool, bool]] = {}
    accel = ACCELERATION_G * GRAVITY
    weights = {"stand": (0.0, 0.0), "sit": (1.0, 0.0), "lie": (0.0, 1.0)}
    current = start
    for timed, plan in zip(steps, plans):
        t = timed.start
        for kind, before, after, seconds, data in plan.segments:
            t0, t1 = t, t + seconds
            t = t1
            span = (times >= t0) & (times < t1)
            later = times >= t1
            local = times[span] - t0
            # where the animal really is (a chase ends where its quarry led it)
            planned = float(np.linalg.norm(after.xy - before.xy))
            if kind != "move" or planned < 1e-6:  # in place: wherever it is
                after = replace(after, xy=after.xy + current.xy - before.xy)
            before = replace(before, xy=current.xy)
            current = after
            if kind == "move":
                gait, speed = data["gait"], data["speed"]
                chase = data.get("chase")
                if chase is not None and chase in chase_paths:
                    path = _pursue(chase_paths[chase], times, t0, t1, before, speed, accel, body)
                    if span.any():
                        current = Pose(path[span][-1].copy(), float(
                            _path_heading(path, span, before.yaw, turn_rate(body))[-1]))
                    xy[span] = path[span]
                    heading = _path_heading(path, span, before.yaw, turn_rate(body))
                    yaw[span] = heading
                    xy[later] = path[span][-1] if span.any() else before.xy
                    yaw[later] = heading[-1] if span.any() else before.yaw
                    v = np.linalg.norm(np.gradient(path[span], axis=0), axis=1) * ANIMATION_RATE \
                        if span.sum() > 1 else np.zeros(span.sum())
                    cadence[span] = np.maximum(v, 0.3 * body.gaits.walk)
                    # the gait of the pace it mostly keeps (a walking quarry is walked after)
                    pace = float(np.percentile(v, 75)) if len(v) else body.gaits.walk
                    gait = gait_for(body, "run", max(pace, body.gaits.walk))[0]
                    moves.append((t0, t1, gait, max(pace, body.gaits.walk)))
                    continue
                distance = float(np.linalg.norm(after.xy - before.xy))
                if distance > 1e-6:
                    planned = max(planned, 1e-6)
                    s = _speed_profile(local, seconds, planned, speed, accel,
                                       data.get("flying", False), data.get("start", 0.0)) * (
                        distance / planned)
                    xy[span] = before.xy + np.outer(s / distance, after.xy - before.xy)
                    v = np.gradient(s) * ANIMATION_RATE if len(s) > 1 else np.zeros(len(s))
                    cadence[span] = np.maximum(v, 0.3 * body.gaits.walk)
                    turn = min(0.4, 0.3 * seconds)
                    yaw[span] = before.yaw + (after.yaw - before.yaw) * _smooth(local / turn)
                else:  # turning on the spot: stepping round
                    yaw[span] = before.yaw + (after.yaw - before.yaw) * _smooth(local / seconds)
                    cadence[span] = speed
                xy[later] = after.xy
                yaw[later] = after.yaw
                moves.append((t0, t1, gait, speed))
                if data.get("flying") or data.get("start"):  # at speed into or out of a jump
                    at_speed[(t0, t1)] = (bool(data.get("start")), bool(data.get("flying")))
            elif kind == "posture":
                a, b = weights[before.posture], weights[after.posture]
                w = _smooth(local / seconds)[:, None]
                posture[span] = (1 - w) * np.array(a) + w * np.array(b)
                posture[later] = b
            elif kind == "jump":
                flight = data["flight"]
                crouch = data.get("crouch", 0.2)  # taken at a run: straight up from the stride
                a, b = t0 + crouch, t0 + crouch + flight
                inside = (times >= a) & (times < b)
                u = (times[inside] - a) / flight
                vz = 0.5 * GRAVITY * flight
                lift[inside] = vz * (times[inside] - a) - 0.5 * GRAVITY * (times[inside] - a) ** 2
                pitch_extra[inside] = 0.35 * np.cos(math.pi * u) * min(1.0, data["height"] /
                                                                      (0.5 * body.leg_length)
                                                                      + 0.3)
                dip = (times >= t0) & (times < a)
                lift[dip] = -0.12 * body.leg_length * np.sin(
                    math.pi * (times[dip] - t0) / max(crouch, 1e-6))
                land = (times >= b) & (times < t1)
                lift[land] = -0.12 * body.leg_length * np.sin(
                    math.pi * np.clip((times[land] - b) / 0.3, 0, 1))
                if np.linalg.norm(after.xy - before.xy) > 1e-6:
                    w = np.clip((times[span] - a) / flight, 0, 1)
                    xy[span] = before.xy + np.outer(w, after.xy - before.xy)
                xy[later] = after.xy
                jumps.append((t0, a, b, t1))
                neck[inside] += 0.15 * np.sin(math.pi * u)
            elif kind in ("pick", "drop"):
                down, tip, _ = reach_down(body, data.get("height", 0.05))
                w = np.sin(math.pi * np.clip(local / seconds, 0, 1))
                neck[span] -= down * np.minimum(1.0, 1.6 * w)
                head_pitch[span] -= tip * np.minimum(1.0, 1.6 * w)
                if kind == "pick":
                    jaw[span] = np.clip(1.0 - 2.5 * local / seconds, 0, 1)
                    events.append(("take", data["thing"], t0 + 0.5 * seconds))
                else:
                    jaw[span] = np.clip(2.5 * local / seconds - 0.75, 0, 1)
                    events.append(("drop", data["thing"], t0 + 0.55 * seconds))
            elif kind == "catch":
                neck[span] += 0.12 * _ramp(times[span], t0, t0 + 0.3)
                head_pitch[span] += 0.25 * _ramp(times[span], t0, t0 + 0.3)
                # the mouth opens as the thing comes, and shuts on it
                due = arrivals.get(data["thing"])
                if due is not None and t0 <= due < t1:
                    jaw[span] = np.maximum(jaw[span], np.minimum(
                        _ramp(times[span], due - 0.45, due - 0.2),
                        1 - _ramp(times[span], due + 0.02, due + 0.1)))
                events.append(("catch", data["thing"], t0, t1))
            if timed.step.do == "wag" or (kind == "stand" and body.species == "dog"):
                wag[span] = np.maximum(wag[span], 1.0 if timed.step.do == "wag" else 0.3)
            if timed.step.do == "look_at" and timed.step.target and kind == "stand":
                events.append(("look", timed.step.target, t0, t1))
    track = _Track(xy, yaw, cadence, lift, posture, moves, neck, head_pitch, head_yaw, jaw, wag,
                   jumps, pitch_extra)
    track.at_speed = at_speed
    return track, events


HEAD_DOWN = math.radians(75)  # taking a thing from the floor, the face points this far down


def reach_down(body: AnimalBody, height: float) -> tuple[float, float, float]:
    """(neck pitch down, head pitch down on the neck, both rad; how far ahead of the body's
    middle the mouth then is, m) that bring a standing animal's mouth to `height` above the
    floor (the middle of a thing lying there), its face turned down: forward kinematics of
    neck and head in the body's side plane, the neck's angle searched."""
    drop = (STAND_BEND - 1.0) * body.leg_length
    base = body.heads[body.bone("neck")] + [0, 0, drop]
    poll = body.heads[body.bone("head")] + [0, 0, drop]
    mouth = body.mouth() + [0, 0, drop]
    rest = math.radians(body.shape.head[3])  # the head's angle below horizontal at rest
    best = (0.0, 0.0, float(mouth[0]), math.inf)
    for angle in np.linspace(0.0, 2.4, 241):
        tip = float(np.clip(HEAD_DOWN - rest - angle, -1.0, 0.6))
        neck = Rotation.from_euler("Y", angle)
        head = Rotation.from_euler("Y", angle + tip)
        at = base + neck.apply(poll - base) + head.apply(mouth - poll)
        miss = abs(at[2] - height)
        if miss < best[3]:
            best = (float(angle), tip, float(at[0]), miss)
    return best[:3]


def _pursue(target: np.ndarray, times: np.ndarray, t0: float, t1: float, before: Pose,
            speed: float, accel: float, body: AnimalBody) -> np.ndarray:
    """A path that runs after a moving target's floor track, keeping a body length behind."""
    path = np.tile(before.xy, (len(times), 1))
    p = before.xy.copy()
    v = 0.0
    dt = 1.0 / ANIMATION_RATE
    keep = body.shape.torso[0] * body.shoulder_height + 0.4
    for i, t in enumerate(times):
        if t < t0:
            continue
        if t >= t1:
            path[i] = p
            continue
        gap = target[i] - p
        d = float(np.linalg.norm(gap))
        wanted = min(speed, max(d - keep, 0.0) * 2.0)
        v = min(wanted, v + accel * dt) if wanted > v else max(wanted, v - accel * dt)
        if d > 1e-6:
            p = p + gap / d * v * dt
        path[i] = p
    return path


def _path_heading(path: np.ndarray, span: np.ndarray, default: float, most: float
                  ) -> np.ndarray:
    """Which way the body faces along a path: its direction of travel, turned at most `most`
    rad/s (the species' turning rate)."""
    seg = path[span]
    out = np.full(len(seg), default)
    current = default
    rate = most / ANIMATION_RATE
    for k in range(1, len(seg)):
        d = seg[k] - seg[k - 1]
        if np.linalg.norm(d) > 1e-5:
            goal = current + _wrap(math.atan2(d[1], d[0]) - current)
            current += float(np.clip(goal - current, -rate, rate))
        out[k] = current
    return out


# -- the body and its legs ---------------------------------------------------------------------

def _stride_phase(body: AnimalBody, times: np.ndarray, cadence: np.ndarray, t0: float,
                  t1: float) -> tuple[np.ndarray, int]:
    """Stride phase (strides since t0) over [t0, t1], scaled to a whole number of strides."""
    inside = (times >= t0) & (times <= t1)
    v = cadence[inside]
    freq = v / np.array([stride_length(body, x) for x in np.maximum(v, 1e-3)])
    phase = np.concatenate([[0.0], np.cumsum(0.5 * (freq[1:] + freq[:-1])) / ANIMATION_RATE])
    count = max(1, int(round(phase[-1]))) if len(phase) else 1
    if len(phase) and phase[-1] > 0:
        phase *= count / phase[-1]
    return phase, count


@dataclass
class _Legs:
    feet: np.ndarray  # (N, 4, 3) fetlock targets
    foot_yaw: np.ndarray  # (N, 4)
    flick: np.ndarray  # (N, 4) foot pitch in swing, rad
    stance: np.ndarray  # (N, 4) bool


def _body_frame(body: AnimalBody, track: _Track, times: np.ndarray):
    """Per sample: the pelvis head's world position, the body's rotation, and the hip/shoulder
    joints of each leg."""
    h = body.leg_length
    length = float(np.linalg.norm(body.heads[body.bone("chest")] - body.heads[body.bone("pelvis")]))
    depth = body.shape.torso[1] * body.shoulder_height
    stand = STAND_BEND * h
    sit, lie = track.posture[:, 0], track.posture[:, 1]
    crouch = np.zeros(len(times))
    for t0, t1, gait, speed in track.gait:
        inside = (times >= t0) & (times <= t1)
        g = "gallop" if gait.startswith("gallop") else gait
        crouch[inside] = np.maximum(crouch[inside], (STAND_BEND - GAIT_HEIGHT[g]) * h
                                    * _envelope(times[inside], t0, t1,
                                                *track.at_speed.get((t0, t1), (False, False))))
    z_hip = stand * (1 - sit - lie) + (0.55 * depth) * sit + (0.55 * depth) * lie - crouch
    z_sh = stand * (1 - sit - lie) + (0.97 * stand) * sit + (0.6 * depth) * lie - crouch
    # Gait bob and the gallop's rocking: a little up and down twice a stride (walk, trot) or
    # once (canter, gallop), added below once the stride phase is known.
    z_hip = z_hip + track.lift
    z_sh = z_sh + track.lift
    return z_hip, z_sh, length


def _bob(body: AnimalBody, track: _Track, times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    up_h, up_s = np.zeros(len(times)), np.zeros(len(times))
    for t0, t1, gait, speed in track.gait:
        phase, _ = _stride_phase(body, times, track.cadence, t0, t1)
        inside = (times >= t0) & (times <= t1)
        g = "gallop" if gait.startswith("gallop") else gait
        amp = BOB[g] * body.leg_length * _envelope(times[inside], t0, t1,
                                                   *track.at_speed.get((t0, t1), (False, False)))
        if g in ("walk", "trot", "amble"):
            wave = np.cos(4 * math.pi * phase)
            up_h[inside] += amp * wave
            up_s[inside] += amp * wave
        else:
            up_h[inside] += amp * np.cos(2 * math.pi * (phase - 0.1))
            up_s[inside] += amp * np.cos(2 * math.pi * (phase - 0.45))
    return up_h, up_s


def _envelope(t: np.ndarray, t0: float, t1: float, going: bool = False,
              flying: bool = False) -> np.ndarray:
    """0..1: a gait's crouch and bob eased in at its start and out at its end (not where it
    is already at speed: out of a jump, into one)."""
    start = np.ones_like(t) if going else _ramp(t, t0, t0 + 0.4)
    end = np.ones_like(t) if flying else 1 - _ramp(t, t1 - 0.4, t1)
    return np.minimum(start, end)


def _joints(body: AnimalBody, pelvis: np.ndarray, rot: Rotation) -> dict[str, np.ndarray]:
    """World position of each leg's top joint (hip or shoulder)."""
    base = body.heads[body.bone("pelvis")]
    return {leg: pelvis + rot.apply(body.heads[body.bone(f"upper_{leg}")] - base)
            for leg in LEGS}


def _nominal_feet(body: AnimalBody, xy: np.ndarray, yaw: np.ndarray, posture: np.ndarray
                  ) -> np.ndarray:
    """(N, 4, 3) where each fetlock stands on the floor, under the body at rest or folded in a
    posture (sitting: hind feet drawn forward; lying: fore feet out ahead, hind tucked)."""
    h = body.leg_length
    out = np.zeros((len(xy), 4, 3))
    c, s = np.cos(yaw), np.sin(yaw)
    sit, lie = posture[:, 0], posture[:, 1]
    for j, leg in enumerate(LEGS):
        fetlock = body.heads[body.bone(f"foot_{leg}")]
        x, y = fetlock[0], fetlock[1]
        if leg[0] == "h":
            x = x + 0.35 * h * sit + 0.25 * h * lie
            y = y * (1 + 0.6 * lie)
        else:
            x = x + 0.0 * sit + 0.45 * h * lie
        out[:, j, 0] = xy[:, 0] + c * x - s * y
        out[:, j, 1] = xy[:, 1] + s * x + c * y
        out[:, j, 2] = fetlock[2] * (1 - 0.5 * lie)
    return out


def stance_share(body: AnimalBody, gait: str, speed: float) -> float:
    """The longest duty factor the legs can keep planted at `speed`: the stance sweeps the foot
    half a stance's travel before and behind the hip, which the leg must reach."""
    h = body.leg_length
    height = (GAIT_HEIGHT[gait] + 1.5 * BOB[gait]) * h  # at the top of the bob and rocking
    reach = math.sqrt(max((REACH * h) ** 2 - height ** 2, 0.0)) + SWING_MAX * h
    return 2.0 * 0.9 * reach / max(stride_length(body, speed), 1e-6)


def _plan_feet(body: AnimalBody, track: _Track, times: np.ndarray) -> _Legs:
    """Every fetlock's target at every sample: planted in stance, swung between plants."""
    nominal = _nominal_feet(body, track.xy, track.yaw, track.posture)
    feet = nominal.copy()
    foot_yaw = np.repeat(track.yaw[:, None], 4, axis=1)
    flick = np.zeros((len(times), 4))
    stance = np.ones((len(times), 4), dtype=bool)
    h = body.leg_length
    for t0, t1, gait, speed in track.gait:
        inside = np.flatnonzero((times >= t0) & (times <= t1))
        if len(inside) < 2:
            continue
        phase, count = _stride_phase(body, times, track.cadence, t0, t1)
        offsets, duty = _pattern(body, gait)
        g = "gallop" if gait.startswith("gallop") else gait
        duty = min(duty, stance_share(body, g, speed))
        for j, leg in enumerate(LEGS):
            o = offsets[leg]
            # stances [k + o, k + o + duty] in stride phase; plants at mid-stance, the first and
            # last at the standing feet of the segment's ends
            ks = range(-1, count + 1)
            plants = []
            for k in ks:
                a, b = k + o, k + o + duty
                if b <= 0 or a >= count:
                    continue
                if a <= 0:  # standing at the start: it lifts by half a stance after
                    where = inside[0]
                    b = min(b, 0.5 * duty)
                elif b >= count:  # comes to stand: put down half a stance before the end
                    where = inside[-1]
                    a = max(a, count - 0.5 * duty)
                else:
                    where = inside[min(int(np.searchsorted(phase, a + 0.5 * duty)),
                                       len(inside) - 1)]
                plants.append((max(a, 0.0), min(b, count), nominal[where, j],
                               track.yaw[where]))
            # the first plant is where the foot stood; the last, where it stands after
            if not plants or plants[0][0] > 0:
                plants.insert(0, (0.0, 0.0, nominal[inside[0], j], track.yaw[inside[0]]))
            if plants[-1][1] < count:
                plants.append((count, count, nominal[inside[-1], j], track.yaw[inside[-1]]))
            for (a0, b0, p0, y0), (a1, b1, p1, y1) in zip(plants, plants[1:]):
                stand_i = inside[(phase >= a0) & (phase <= b0)]
                feet[stand_i, j] = p0
                foot_yaw[stand_i, j] = y0
                swing = (phase > b0) & (phase < a1)
                swing_i = inside[swing]
                if len(swing_i):
                    u = (phase[swing] - b0) / max(a1 - b0, 1e-6)
                    w = _smooth(u)[:, None]
                    feet[swing_i, j] = (1 - w) * p0 + w * p1
                    step = float(np.linalg.norm(p1[:2] - p0[:2]))
                    height = min(LIFT[g] * h, 0.2 * h + 0.5 * step)
                    feet[swing_i, j, 2] += height * np.sin(math.pi * u)
                    foot_yaw[swing_i, j] = y0 + (y1 - y0) * w[:, 0]
                    flick[swing_i, j] = (1.6 if leg[0] == "f" else 0.8) * np.sin(math.pi * u)
                    stance[swing_i, j] = False
            last = plants[-1]
            stand_i = inside[phase >= last[0]]
            feet[stand_i, j] = last[2]
            foot_yaw[stand_i, j] = last[3]
    # Jumps: planted at take-off and landing, drawn up under the body in the air.
    for t0, a, b, t1 in track.jumps:
        air = (times >= a) & (times < b)
        if not air.any():
            continue
        i_air = np.flatnonzero(air)
        before_i = max(i_air[0] - 1, 0)
        after_i = min(i_air[-1] + 1, len(times) - 1)
        u = (times[air] - a) / (b - a)
        for j, leg in enumerate(LEGS):
            tucked = nominal[air, j].copy()
            fore = leg[0] == "f"
            c, s = np.cos(track.yaw[air]), np.sin(track.yaw[air])
            ahead = (0.15 if fore else -0.1) * h
            tucked[:, 0] += c * ahead
            tucked[:, 1] += s * ahead
            tucked[:, 2] = track.lift[air] + STAND_BEND * h - TUCK * h + body.heads[
                body.bone(f"foot_{leg}")][2]
            takeoff = _smooth(u / 0.25)[:, None]
            landing = _smooth((u - 0.7) / 0.3)[:, None]
            start, end = feet[before_i, j], nominal[after_i, j]
            path = (1 - takeoff) * start + takeoff * tucked
            path = (1 - landing) * path + landing * end
            feet[air, j] = path
            stance[air, j] = False
            flick[air, j] = (1.8 if fore else 0.9) * np.sin(math.pi * u)
    return _Legs(feet, foot_yaw, flick, stance)


def _two_bone(top: np.ndarray, goal: np.ndarray, a: float, b: float, bend: np.ndarray
              ) -> np.ndarray:
    """The middle joint (N, 3) of a two-bone chain from `top` to `goal`, bending towards `bend`
    (N, 3): the law of cosines in the plane of the chain and the bend direction."""
    d_vec = goal - top
    d = np.linalg.norm(d_vec, axis=1)
    d = np.clip(d, abs(a - b) + 1e-4, a + b - 1e-6)
    axis = d_vec / np.maximum(np.linalg.norm(d_vec, axis=1), 1e-9)[:, None]
    cos_a = (a * a + d * d - b * b) / (2 * a * d)
    sin_a = np.sqrt(np.clip(1 - cos_a ** 2, 0, 1))
    side = bend - np.sum(bend * axis, axis=1)[:, None] * axis
    side /= np.maximum(np.linalg.norm(side, axis=1), 1e-9)[:, None]
    return top + a * (cos_a[:, None] * axis + sin_a[:, None] * side)


def _align(rest: np.ndarray, now: np.ndarray, base: Rotation) -> Rotation:
    """The bone rotation (from rest) that turns its rest direction, carried by `base`, onto
    `now` by the shortest arc."""
    carried = base.apply(rest)
    carried /= np.linalg.norm(carried, axis=1, keepdims=True)
    target = now / np.maximum(np.linalg.norm(now, axis=1, keepdims=True), 1e-9)
    axis = np.cross(carried, target)
    s = np.linalg.norm(axis, axis=1)
    c = np.sum(carried * target, axis=1)
    angle = np.arctan2(s, c)
    unit = np.divide(axis, s[:, None], out=np.zeros_like(axis), where=s[:, None] > 1e-9)
    return Rotation.from_rotvec(unit * angle[:, None]) * base


def _legs_pose(body: AnimalBody, joints: dict, legs: _Legs, rot: Rotation,
               positions: np.ndarray, rotations: dict) -> None:
    """Solve each leg to its fetlock target and write its bones' heads and rotations."""
    forward = rot.apply(np.array([1.0, 0.0, 0.0]))
    up = np.array([0.0, 0.0, 1.0])
    for j, leg in enumerate(LEGS):
        a, b, c, _ = body.segment_lengths(leg)
        fetlock = legs.feet[:, j]
        ahead = np.sum((fetlock - joints[leg]) * forward, axis=1)
        limit = SWING_MAX * body.leg_length
        top = joints[leg] + np.clip(SWING_SHARE * ahead, -limit, limit)[:, None] * forward
        line = top - fetlock
        line /= np.maximum(np.linalg.norm(line, axis=1, keepdims=True), 1e-9)
        fore = leg[0] == "f"
        swing = (~legs.stance[:, j]).astype(float)[:, None]
        fold = legs.flick[:, j][:, None] / 1.6
        # the cannon leans along the leg's line, upright-ish; swinging, it folds back (fore) or
        # forward-up under the hock (hind)
        lean = 0.6 * line + 0.4 * up - (0.5 if fore else -0.3) * fold * forward * swing
        lean /= np.linalg.norm(lean, axis=1, keepdims=True)
        hock = fetlock + c * lean
        if np.any(np.linalg.norm(hock - top, axis=1) > a + b):  # too far: the cannon goes
            far = np.linalg.norm(hock - top, axis=1) > a + b  # straight on the leg's line
            hock[far] = fetlock[far] + c * line[far]
        bend = forward * (-1.0 if fore else 1.0)
        knee = _two_bone(top, hock, a, b, bend)
        hock = knee + b * (hock - knee) / np.maximum(
            np.linalg.norm(hock - knee, axis=1, keepdims=True), 1e-9)
        low = hock + c * (fetlock - hock) / np.maximum(
            np.linalg.norm(fetlock - hock, axis=1, keepdims=True), 1e-9)
        chain = {"upper": (top, knee), "lower": (knee, hock), "cannon": (hock, low)}
        for bone, (p, q) in chain.items():
            k = body.bone(f"{bone}_{leg}")
            positions[:, k] = p
            rotations[k] = _align(body.tails[k] - body.heads[k], q - p, rot)
        k = body.bone(f"foot_{leg}")
        positions[:, k] = low
        pitch = legs.flick[:, j]
        rotations[k] = Rotation.from_euler("ZY", np.stack([legs.foot_yaw[:, j], pitch], 1))


def _chain(body: AnimalBody, bone: str, parent_rot: Rotation, parent_pos: np.ndarray,
           local: Rotation, positions: np.ndarray, rotations: dict) -> None:
    k = body.bone(bone)
    parent = body.parents[k]
    positions[:, k] = parent_pos + parent_rot.apply(body.heads[k] - body.heads[parent])
    rotations[k] = parent_rot * local


def _arrivals(scene: Scene, people: dict[str, Performance]) -> dict[tuple[str, str], float]:
    """(animal, thing) -> when a thing a person throws to the animal reaches its mouth: the
    hand lets go with the aimed velocity, and the thing flies ballistically to the point
    (animation.script.aim_velocity) it was aimed at."""
    out = {}
    animals = {a.id for a in scene.animals}
    for cid, perf in people.items():
        character = scene.character(cid)
        aimed = {s.target for s in character.script if s.do in ("throw", "throw_underhand")}
        for grip in perf.grips:
            if grip.release_velocity is None or grip.end is None:
                continue
            for target in aimed & animals:
                point = catch_point(scene, target)
                hand = perf.at(np.array([grip.end]))[0][0, perf.bones.index(grip.hand)]
                v = np.asarray(grip.release_velocity)
                flight = float(np.linalg.norm(point[:2] - hand[:2])) / max(
                    float(np.linalg.norm(v[:2])), 1e-6)
                out[(target, grip.entity)] = grip.end + flight
    return out


def _perform_one(scene: Scene, animal: Animal, steps: list[TimedStep], plans: list[StepPlan],
                 times: np.ndarray, lines: tuple[TimedLine, ...],
                 chase_paths: dict[str, np.ndarray], look_points: dict[str, np.ndarray],
                 people: dict[str, Performance] | None = None) -> Performance:
    body = body_of_animal(animal)
    arrivals = {thing: t for (who, thing), t in _arrivals(scene, people or {}).items()
                if who == animal.id}
    track, events = _lay_out(animal, body, steps, plans, times, chase_paths, arrivals)
    n = len(times)
    z_hip, z_sh, length = _body_frame(body, track, times)
    up_h, up_s = _bob(body, track, times)
    z_hip, z_sh = z_hip + up_h, z_sh + up_s
    pitch = np.arcsin(np.clip((z_sh - z_hip) / length, -0.9, 0.9)) + track.pitch_extra
    rot = Rotation.from_euler("ZY", np.stack([track.yaw, -pitch], 1))
    # the body's middle is on the planned floor point; the pelvis head half a trunk behind
    middle = np.column_stack([track.xy, 0.5 * (z_hip + z_sh)])
    pelvis = middle - rot.apply(np.array([0.5 * length, 0.0, 0.0]))
    positions = np.zeros((n, len(body.names), 3))
    rotations: dict[int, Rotation] = {}
    k = body.bone("pelvis")
    positions[:, k] = pelvis
    rotations[k] = rot
    ident = Rotation.identity(n)
    phase_wave = _breath(times)
    _chain(body, "spine", rot, pelvis, ident, positions, rotations)
    _chain(body, "chest", rot, positions[:, body.bone("spine")], ident, positions, rotations)
    # neck and head: carried, nodding with the walk, lowered to pick up, turned to look
    nod = np.zeros(n)
    for t0, t1, gait, speed in track.gait:
        if gait in ("walk", "amble"):
            phase, _ = _stride_phase(body, times, track.cadence, t0, t1)
            inside = (times >= t0) & (times <= t1)
            nod[inside] = 0.06 * np.sin(4 * math.pi * phase) * _envelope(times[inside], t0, t1)
    sit = track.posture[:, 0]
    neck_pitch = track.neck + nod + 0.02 * phase_wave - pitch * (0.6 * sit + 0.3)
    head_yaw = _look(body, track, times, events, look_points, rot)
    _chain(body, "neck", rot, positions[:, body.bone("chest")],
           Rotation.from_euler("ZY", np.stack([0.5 * head_yaw, -neck_pitch], 1)), positions,
           rotations)
    neck_rot = rotations[body.bone("neck")]
    _chain(body, "head", neck_rot, positions[:, body.bone("neck")],
           Rotation.from_euler("ZY", np.stack([0.5 * head_yaw, -track.head_pitch], 1)),
           positions, rotations)
    head_rot = rotations[body.bone("head")]
    jaw = np.maximum(track.jaw, _speaking(animal.id, lines, times))
    _chain(body, "jaw", head_rot, positions[:, body.bone("head")],
           Rotation.from_euler("Y", 0.45 * jaw[:, None]), positions, rotations)
    flick = _ear_flicks(scene, animal, times)
    for side, sign in (("l", 1.0), ("r", -1.0)):
        _chain(body, f"ear_{side}", head_rot, positions[:, body.bone("head")],
               Rotation.from_euler("X", sign * flick[:, None]), positions, rotations)
    # tail: wagged side to side, swished, lifted in a gallop
    speed = track.cadence
    wag = track.wag * 0.6 * np.sin(2 * math.pi * 2.5 * times)
    swish = 0.12 * np.sin(2 * math.pi * 0.4 * times + 1.0)
    raise_ = np.clip(speed / max(body.gaits.fastest(), 1e-3), 0, 1) * 0.5
    parent_rot, parent_pos = rot, pelvis
    for j, bone in enumerate(b for b in body.names if b.startswith("tail_")):
        local = Rotation.from_euler("ZY", np.stack([(wag + swish) * (0.6 + 0.4 * j),
                                                    -raise_ / (j + 1)], 1))
        _chain(body, bone, parent_rot, parent_pos, local, positions, rotations)
        k = body.bone(bone)
        parent_rot, parent_pos = rotations[k], positions[:, k]
    parent_rot, parent_pos = head_rot, positions[:, body.bone("head")]
    for j, bone in enumerate(b for b in body.names if b.startswith("trunk_")):
        local = Rotation.from_euler("Y", (0.15 * np.sin(2 * math.pi * 0.3 * times + j)
                                          + 0.1 * j * phase_wave)[:, None])
        _chain(body, bone, parent_rot, parent_pos, local, positions, rotations)
        k = body.bone(bone)
        parent_rot, parent_pos = rotations[k], positions[:, k]
    legs = _plan_feet(body, track, times)
    joints = _joints(body, pelvis, rot)
    _legs_pose(body, joints, legs, rot, positions, rotations)
    quats = np.zeros((n, len(body.names), 4))
    for k in range(len(body.names)):
        xyzw = rotations[k].as_quat()
        quats[:, k] = xyzw[:, [3, 0, 1, 2]]
    grips = _grips(animal, events)
    return Performance(animal.id, float(ANIMATION_RATE), body.names, positions, quats,
                       grips=grips, steps=tuple(steps))


def _breath(times: np.ndarray) -> np.ndarray:
    return np.sin(2 * math.pi * 0.3 * times)


def _ear_flicks(scene: Scene, animal: Animal, times: np.ndarray) -> np.ndarray:
    """Now and then an ear twitches (seeded, so the same Scene twitches the same)."""
    from worldreel.rng import generator  # noqa: PLC0415

    rng = generator(scene.seed, f"animal.ears.{animal.id}")
    out = np.zeros(len(times))
    t = float(rng.uniform(0.5, 3.0))
    while t < times[-1]:
        out += 0.35 * np.exp(-((times - t) / 0.08) ** 2)
        t += float(rng.uniform(1.5, 5.0))
    return out


def _look(body, track, times, events, look_points, rot) -> np.ndarray:
    """Head yaw (rad) turning towards what a look_at step names, within reach of the neck."""
    out = np.zeros(len(times))
    for event in events:
        if event[0] != "look" or event[1] not in look_points:
            continue
        _, name, t0, t1 = event
        point = look_points[name]
        inside = (times >= t0) & (times < t1)
        d = point[:2] - track.xy[inside]
        want = np.arctan2(d[:, 1], d[:, 0]) - track.yaw[inside]
        want = (want + np.pi) % (2 * np.pi) - np.pi
        w = np.minimum(_ramp(times[inside], t0, t0 + 0.4), 1 - _ramp(times[inside], t1 - 0.4, t1))
        out[inside] = np.clip(want, -1.2, 1.2) * w
    return out


def _speaking(animal_id: str, lines: tuple[TimedLine, ...], times: np.ndarray) -> np.ndarray:
    """0..1: the jaw open while the animal's lines sound (a bark, a moo): open through each
    phone that is not a pause, closed in pauses, eased over 40 ms."""
    out = np.zeros(len(times))
    for timed in lines:
        if timed.line.speaker != animal_id:
            continue
        phones = getattr(getattr(timed, "spoken", None), "phones", None) or ()
        spans = [(timed.start + p.start, timed.start + p.end) for p in phones
                 if getattr(p, "phone", getattr(p, "symbol", "")) != "pau"]
        if not spans:
            spans = [(timed.start, timed.end)]
        for a, b in spans:
            out = np.maximum(out, np.minimum(_ramp(times, a - 0.04, a),
                                             1 - _ramp(times, b, b + 0.04)))
    return out


def _grips(animal: Animal, events: list) -> tuple[Grip, ...]:
    """The mouth's hold on things: taken when the head is down at them (fetch), or caught on
    touching (catch); let go when put down."""
    grips = []
    drops = {thing: t for kind, thing, *rest in events if kind == "drop" for t in rest[:1]}
    for event in events:
        kind, thing = event[0], event[1]
        if kind == "take":
            grips.append(Grip(animal.id, "jaw", thing, event[2], drops.get(thing),
                              offset=tuple(_mouth_offset(animal))))
        elif kind == "catch":
            later = [t for k, th, *r in events if k == "drop" and th == thing for t in r[:1]
                     if t > event[2]]
            grips.append(Grip(animal.id, "jaw", thing, event[2], later[0] if later else None,
                              on_contact=True))
    # a thing caught and then fetched is taken once: the catch holds it until the drop
    caught = {g.entity for g in grips if g.on_contact}
    return tuple(g for g in grips if g.on_contact or g.entity not in caught)


def _mouth_offset(animal: Animal) -> np.ndarray:
    """Where a held thing sits in the jaw bone's frame (from its head)."""
    body = body_of_animal(animal)
    return body.mouth() - body.heads[body.bone("jaw")]


# -- the public face -----------------------------------------------------------------------------

def animal_durations(scene: Scene):
    """How long each animal's step lasts (for the timeline), from a planner of the Scene."""
    return AnimalPlanner(scene).duration


def catch_point(scene: Scene, animal_id: str, index: int | None = None) -> np.ndarray:
    """Where a thing thrown to the animal is caught: its mouth as it waits at its catch step
    (standing, sitting or lying, where its script has it), facing the thrower. Found by playing
    that wait alone: the animal put there in its posture, nobody else acting."""
    animal = scene.animal(animal_id)
    planner = AnimalPlanner(scene)
    catches = [k for k, s in enumerate(animal.script) if s.do == "catch"]
    k = index if index is not None else (catches[0] if catches else len(animal.script))
    pose = planner.pose_before(animal, k) if k > 0 else planner.start[animal.id]
    if k < len(animal.script):
        planner.duration(animal, k, 0.0)
        pose = replace(pose, yaw=planner.plans[animal.id][k].after.yaw)
    verb = {"sit": "sit", "lie": "lie_down"}.get(pose.posture)
    thing = animal.script[k].target if k < len(animal.script) else None
    waiting = AnimalAction(do="catch", target=thing, duration=1.0) if thing else AnimalAction(
        do="idle", duration=1.0)
    wait = ((AnimalAction(do=verb),) if verb else ()) + (waiting,)
    alone = replace_model(animal, position=tuple(map(float, pose.xy)),
                          facing=math.degrees(pose.yaw), script=wait)
    quiet = scene.model_copy(update={
        "animals": (alone,), "duration": 4.0,
        "characters": tuple(c.model_copy(update={"script": ()}) for c in scene.characters)})
    perf = animate_animals(quiet)[animal.id]
    i = min(int((perf.steps[-1].end - 0.1) * perf.rate), len(perf.positions) - 1)
    jaw = perf.bones.index("jaw")
    q = perf.quaternions[i, jaw]
    return perf.positions[i, jaw] + Rotation.from_quat([q[1], q[2], q[3], q[0]]).apply(
        _mouth_offset(animal))


def replace_model(model, **changes):
    """A copy of a frozen Scene model with some fields changed (not validated again)."""
    return model.model_copy(update=changes)


def animate_animals(scene: Scene, lines: tuple[TimedLine, ...] = (),
                    people: dict[str, Performance] | None = None) -> dict[str, Performance]:
    """Every animal's Performance over the whole clip, by animal id. `lines`: the dialogue as
    timed (an animal's own sounds open its mouth); `people`: the characters' Performances (an
    animal chasing a person follows where they really go)."""
    if not scene.animals:
        return {}
    from worldreel.animation.perform import step_durations  # noqa: PLC0415

    planner = AnimalPlanner(scene)
    everyone = step_durations(scene)

    def durations(owner, index, start):
        if isinstance(owner, Animal):
            return planner.duration(owner, index, start)
        return everyone(owner, index, start)

    lengths = tuple(t.end - t.start for t in lines) if lines else None
    timed = resolve_scripts(scene, durations, lengths)
    times = np.arange(int(math.ceil((scene.duration + LOOKAHEAD_S) * ANIMATION_RATE)) + 2
                      ) / ANIMATION_RATE
    paths: dict[str, np.ndarray] = {}
    for cid, perf in (people or {}).items():
        k = perf.bones.index("pelvis")
        paths[cid] = perf.at(times)[0][:, k, :2]
    look = {e.id: np.array(e.position, float) for e in scene.entities}
    look.update({c.id: np.array([*c.position, 1.0]) for c in scene.characters})
    look.update({a.id: np.array([*a.position, 0.5]) for a in scene.animals})
    out: dict[str, Performance] = {}
    # animals chased by others first, so the chaser follows where they really go
    order = sorted(scene.animals, key=lambda a: not any(
        s.do == "chase" and s.target == a.id for other in scene.animals for s in other.script))
    for animal in order:
        steps = timed[animal.id]
        plans = planner.plans[animal.id][: len(steps)]
        out[animal.id] = _perform_one(scene, animal, steps, plans, times, lines, paths, look,
                                      people)
        k = out[animal.id].bones.index("spine")
        paths[animal.id] = out[animal.id].positions[:, k, :2]
    return {a.id: out[a.id] for a in scene.animals}


def stride_period(performance: Performance, at: float) -> float:
    """Seconds of one stride around clip time `at`, from the feet's lift-offs (for galleries)."""
    feet = [k for k, b in enumerate(performance.bones) if b.startswith("foot_")]
    z = performance.positions[:, feet[0], 2]
    i = int(at * performance.rate)
    window = z[max(i - 3 * int(performance.rate), 0): i + 3 * int(performance.rate)]
    ground = window.min() + 1e-3
    up = np.flatnonzero((window[1:] > ground) & (window[:-1] <= ground))
    if len(up) < 2:
        return 1.0
    return float(np.median(np.diff(up))) / performance.rate
