"""An animal's script planned step by step: where it goes and in what gait, how long each step
lasts (for the timeline), where things it fetches, catches or jumps are, and how it reaches
down to the floor.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.animation.animals.gaits import (ACCELERATION_G, CATCH_WAIT_S, GRAVITY,
                                               JUMP_CLEARANCE_M, ROLL_MAX_M, ROLL_ON_S, STAND_BEND,
                                               TUCK, gait_for, turn_rate)
from worldreel.assets.animals import AnimalBody, body_of_animal
from worldreel.errors import SceneError
from worldreel.scene import Animal, Scene


@dataclass
class Pose:
    """Where an animal is between steps."""

    xy: np.ndarray
    yaw: float  # radians
    posture: str = "stand"  # stand, sit, lie


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
            if c.id == name:  # (a rider: where the mount starts)
                from worldreel.animation.riding import start_pose  # noqa: PLC0415

                return np.array(start_pose(self.scene, c)[0], float)
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
