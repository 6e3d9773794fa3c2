"""Planning a character's script: where the body goes, which clip plays, how long each step lasts
and what the hands take hold of (verbs.yaml says how each verb is performed).

Steps are planned in script order from the character's state after the step before (where it
stands, which way it faces, sitting or standing, what it holds), so the timeline can ask how
long each lasts (step_durations) and the performance can be sampled afterwards.

A step aimed at something (kick the ball, pick up the cup, sit on the chair) first brings the body
to where the clip's effector meets the target at the clip's named instant: the right foot on the
back of the ball at "strike", the right hand on the cup at "grab". The distance is found by
forward kinematics of the clip itself, so each clip places the body it needs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from scipy.spatial.transform import Rotation

from worldreel.animation.clips import STANDARD_HEIGHT, Clip, clip
from worldreel.animation.paths import obstacles, plan_path
from worldreel.animation.rig import Rig, build_rig, forward_kinematics, local_rotations
from worldreel.assets.mujoco_spec import entity_asset
from worldreel.assets.people import body_of
from worldreel.errors import SceneError
from worldreel.scene import Character, Scene

TAKE_STANDING_ABOVE_M = 0.4  # a thing this high off the floor is taken standing, not stooping
MAX_LIFT_KG = 25.0  # heavier things are not picked up in one hand
SEATS = ("chair",)  # assets a person can sit on (their seat height is their top)
SEAT_REACH_M = 1.2  # a seat this close (from the body) can be sat on without being named
KICK_CLEARANCE_M = 0.08  # the ball stands this far ahead of the toes at a kick's "strike"
THROW_RATES = (0.5, 2.0)  # a throwing arm moves at most this much slower or faster than authored
GRAVITY = 9.81
STEP_ASIDE_M = 0.12  # closer than this to where a step needs the body, it does not walk there
TURN_MIN_DEG = 12.0  # a smaller change of facing needs no turn
WALK_SPEED, RUN_SPEED = 1.3, 3.5  # m/s when the script gives none (preferred speeds, Bohannon 1997)


@lru_cache(maxsize=1)
def verb_table() -> dict[str, dict]:
    return yaml.safe_load(Path(__file__).with_name("verbs.yaml").read_text())


@dataclass(frozen=True)
class Pose2D:
    """Where a character stands and faces, and its posture."""

    xy: tuple[float, float]
    yaw: float  # degrees about z, 0 = +x
    posture: str = "standing"  # standing, seated, lying
    holding: str | None = None  # entity in the right hand


@dataclass(frozen=True)
class Move:
    """Locomotion of one step: from a floor point and facing to another, along `path` (floor
    waypoints from start to end, around whatever stands in the way)."""

    gait: str  # walk, run, turn
    start: Pose2D
    end: Pose2D
    speed: float
    duration: float
    path: tuple[tuple[float, float], ...] = ()


@dataclass(frozen=True)
class StepPlan:
    """How one step is performed, in step time (0 = the step's start)."""

    index: int
    verb: str
    move: Move | None
    clip: str | None
    clip_start: float  # when the clip begins (after the move)
    clip_length: float  # how long it plays (cycles of a loop, or one play)
    duration: float
    before: Pose2D
    after: Pose2D
    target: str | None
    grab_at: float | None = None  # step time the hand takes hold of `target`
    grab_on_contact: bool = False
    release_at: float | None = None  # step time the held thing is let go
    release_aim: str | None = None  # what a released thing is thrown at
    gaze: str | None = None
    events: dict[str, float] = field(default_factory=dict)
    rate: float = 1.0  # the clip plays this many times faster than authored (a throw's arm)


SEAT_BONES = ("pelvis", "thigh_l", "thigh_r")  # what rests on a seat


@lru_cache(maxsize=32)
def seated_bottom(body_spec) -> float:
    """Height above the floor of the underside of the buttocks and thighs of this body in the
    "sit" clip's pose, as authored (clip root scaled to the body): the seat height the clip
    sits it on."""
    from worldreel.assets.people.segments import dominant_vertices  # noqa: PLC0415
    from worldreel.assets.people.skin import posed_vertices  # noqa: PLC0415

    body = body_of(body_spec)
    rig = _rig(body_spec)
    sit = clip("sit")
    t = np.array([0.0])
    scale = body.shape.standing_height() / STANDARD_HEIGHT
    root = body.skeleton.heads[0] + sit.root(t)[0] * scale
    turn = Rotation.from_euler("y", sit.root_turn(t)[:, None], degrees=True)
    pos, quat = forward_kinematics(rig, local_rotations(rig, sit.pose(t), 1), root[None], turn)
    ids = np.concatenate([dominant_vertices(b) for b in SEAT_BONES]).astype(int)
    return float(posed_vertices(body, pos[0], quat[0], ids)[:, 2].min())


def seat_height(entity) -> float:
    """Height of a seat's surface above the floor (its "top" anchor)."""
    from worldreel.assets.mujoco_spec import anchor_point  # noqa: PLC0415

    return float(anchor_point(entity, "top")[2])


def height_scale(character: Character) -> float:
    """Body height over the 1.75 m adult clips are authored for."""
    return body_of(character.body).shape.standing_height() / STANDARD_HEIGHT


@lru_cache(maxsize=32)
def _rig(body_spec) -> Rig:
    return build_rig(body_of(body_spec).skeleton)


def effector_offset(character: Character, clip_: Clip, at: float, effector: str) -> np.ndarray:
    """Where an effector is at clip time `at`, in the body frame relative to the character's
    floor point (the point between its feet), standing at the origin facing +x."""
    rig = _rig(character.body)
    skeleton = rig.skeleton
    t = np.array([at])
    root = skeleton.heads[0] + clip_.root(t)[0] * height_scale(character)
    pose = clip_.pose(t)
    turn = Rotation.from_euler("y", clip_.root_turn(t)[:, None], degrees=True)
    pos, quat = forward_kinematics(rig, local_rotations(rig, pose, 1), root[None], turn)
    names = skeleton.names
    if effector == "hands":
        point = 0.5 * (pos[0, names.index("hand_l")] + pos[0, names.index("hand_r")])
    elif effector == "foot_r":  # the tip of the toes: the front of the kicking foot
        k = names.index("ball_r")
        q = quat[0, k]
        toes = skeleton.tails[k] - skeleton.heads[k]
        point = pos[0, k] + Rotation.from_quat([q[1], q[2], q[3], q[0]]).apply(toes)
    else:
        point = pos[0, names.index(effector)]
    return point


def aim_velocity(scene: Scene, target: str, start: np.ndarray, poses: dict[str, Pose2D]
                 ) -> np.ndarray:
    """The velocity that carries a thrown thing from `start` to the target on a natural arc
    (rising about a quarter of the distance above the higher end): a hoop's rim, a person's
    chest (where a catch meets it), a thing's middle."""
    from worldreel.assets.mujoco_spec import anchor_point  # noqa: PLC0415

    if target in poses:  # a person: into their hands, held out to catch
        catcher = scene.character(target)
        pose = poses[target]
        hands = effector_offset(catcher, clip("catch"), clip("catch").events["grab"], "hands")
        point = np.array([*pose.xy, 0.0]) + np.append(_rotate(hands[:2], pose.yaw), hands[2])
    elif target in {a.id for a in scene.animals}:  # an animal: into its mouth, as it waits
        from worldreel.animation.animals import catch_point  # noqa: PLC0415

        point = catch_point(scene, target)
    else:
        entity = scene.entity(target)
        anchors = entity_asset(entity).anchors
        point = anchor_point(entity, "rim") if "rim" in anchors else anchor_point(entity)
    distance = float(np.linalg.norm(point[:2] - start[:2]))
    rise = max(0.25 * distance, 0.3) + max(point[2] - start[2], 0.0)
    up = math.sqrt(2 * GRAVITY * rise)
    down = math.sqrt(max(2 * GRAVITY * (rise - (point[2] - start[2])), 0.0))
    flight = (up + down) / GRAVITY
    velocity = (point - start) / flight
    velocity[2] += 0.5 * GRAVITY * flight
    return velocity


def target_point(scene: Scene, name: str, poses: dict[str, Pose2D]) -> np.ndarray:
    """Where a target stands at the start: a thing's centre, or a character's floor point."""
    if name in poses:
        x, y = poses[name].xy
        return np.array([x, y, 0.0])
    if name in {a.id for a in scene.animals}:
        x, y = scene.animal(name).position
        return np.array([x, y, 0.0])
    entity = scene.entity(name)
    point = np.array(entity.position, dtype=float)
    return point


def thing_radius(scene: Scene, name: str) -> float:
    try:
        entity = scene.entity(name)
    except KeyError:
        return 0.25  # a person, seen from the side
    return entity_asset(entity).radius * entity.scale


def _yaw_towards(origin: tuple[float, float], point: np.ndarray, default: float) -> float:
    d = np.asarray(point[:2]) - np.asarray(origin)
    if np.hypot(*d) < 1e-6:
        return default
    return math.degrees(math.atan2(d[1], d[0]))


def _rotate(offset: np.ndarray, yaw: float) -> np.ndarray:
    c, s = math.cos(math.radians(yaw)), math.sin(math.radians(yaw))
    return np.array([c * offset[0] - s * offset[1], s * offset[0] + c * offset[1]])


def _angle_gap(a: float, b: float) -> float:
    return abs((b - a + 180.0) % 360.0 - 180.0)


def plan_move(gait: str, start: Pose2D, xy: tuple[float, float], yaw: float,
              speed: float | None, body_height: float, blocked: list[np.ndarray] = ()
              ) -> Move | None:
    """Locomotion from `start` to stand at `xy` facing `yaw` (None when already there), around
    the `blocked` footprints (paths.obstacles)."""
    distance = float(np.hypot(xy[0] - start.xy[0], xy[1] - start.xy[1]))
    end = replace(start, xy=(float(xy[0]), float(xy[1])), yaw=yaw)
    from worldreel.animation.locomotion import gait_duration, turn_duration  # noqa: PLC0415

    if distance < STEP_ASIDE_M:
        if _angle_gap(start.yaw, yaw) < TURN_MIN_DEG:
            return None
        return Move("turn", start, replace(end, xy=start.xy), 0.0,
                    turn_duration(start.yaw, yaw, body_height))

    speed = speed or (RUN_SPEED if gait == "run" else WALK_SPEED)
    path = tuple(plan_path(start.xy, end.xy, list(blocked)))
    gait = gait if gait in ("walk", "run") else "walk"
    return Move(gait, start, end, speed, gait_duration(path, start.yaw, yaw, speed, gait,
                                                       body_height), path)


class ScriptPlanner:
    """Plans every character's steps in order, on request (the timeline asks for durations)."""

    def __init__(self, scene: Scene):
        self.scene = scene
        self.plans: dict[str, list[StepPlan]] = {c.id: [] for c in scene.characters}
        from worldreel.animation.riding import start_pose  # noqa: PLC0415

        self.start_poses = {c.id: Pose2D(*start_pose(scene, c), holding=c.holds)
                            for c in scene.characters}

    def duration(self, character: Character, index: int, start: float) -> float:
        plans = self.plans[character.id]
        while len(plans) <= index:
            k = len(plans)
            before = plans[-1].after if plans else self.start_poses[character.id]
            plans.append(self._plan(character, k, before))
        return plans[index].duration

    def _plan(self, character: Character, k: int, before: Pose2D) -> StepPlan:
        step = character.script[k]
        spec = verb_table()[step.do]
        where = f"characters[{self.scene.characters.index(character)}].script[{k}] ({step.do})"
        height = body_of(character.body).shape.standing_height()
        target = step.target
        needs = spec.get("needs")
        if needs == "target" and target is None and step.place is None:
            raise SceneError(f"{where}: say what to {step.do.replace('_', ' ')} (target: an id)")
        if needs == "held" and before.holding is None:
            raise SceneError(
                f"{where}: {character.id!r} holds nothing to {step.do.replace('_', ' ')}; "
                "pick something up first (do: pick_up) or start holding it (holds: <id>)")
        if needs == "seat":
            target = self._seat(character, step.target, before, where)
        if step.do == "pick_up" and target is not None:
            self._check_loose(target, where)
        if step.do in ("pick_up", "catch") and before.holding is not None:
            raise SceneError(f"{where}: {character.id!r} already holds {before.holding!r}; put "
                             "it down, throw it or hand it over first")
        if before.posture != "standing" and (spec.get("move") or spec.get("approach")) \
                and step.do not in ("stand_up", "get_up"):
            raise SceneError(f"{where}: {character.id!r} is {before.posture}; it must stand up "
                             f"(do: {'get_up' if before.posture == 'lying' else 'stand_up'}) "
                             f"before it can {step.do.replace('_', ' ')}")
        move = None
        after = before
        if spec.get("move"):
            xy, yaw = self._destination(character, step, before)
            move = plan_move(spec["move"], before, xy, yaw, step.speed, height,
                             self._blocked(character, target))
            after = move.end if move else before
        if step.do == "pick_up" and target is not None and self._on_furniture(target):
            spec = {**spec, **verb_table()["take"]}  # from a table: reach, not stoop
        clip_name = spec.get("clip")
        clip_ = clip(clip_name) if clip_name else None
        approach = spec.get("approach")
        if approach and (target is not None or step.place is not None):
            xy, yaw = self._approach(character, step, spec, clip_, target, before)
            move = plan_move("walk", before, xy, yaw, None, height,
                             self._blocked(character, target))
            after = move.end if move else before
        elif spec.get("face") and (target is not None or step.place is not None) \
                and character.rides is None:  # (a rider faces where the mount goes)
            point = self._aim_point(step, target)
            yaw = _yaw_towards(before.xy, point, before.yaw)
            move = plan_move("turn", before, before.xy, yaw, None, height)
            after = move.end if move else before
        clip_start = move.duration if move else 0.0
        rate = 1.0
        if spec.get("release", {}).get("aim") and clip_ is not None and target is not None:
            rate = self._throw_rate(character, clip_, spec["release"]["at"], target, after)
        if clip_ is not None:
            length = clip_.duration / rate
            if spec.get("lasts"):
                length = step.duration or spec.get("default_s", clip_.duration)
        else:
            length = step.duration or spec.get("default_s", 0.0) if spec.get("lasts") else 0.0
        events = {name: clip_start + t / rate
                  for name, t in (clip_.events.items() if clip_ else ())}
        grab_at = release_at = None
        release_aim = None
        holding = after.holding
        if "grip" in spec:
            at = spec["grip"].get("at", "")
            grab_at = clip_start + length if at == "end" else events.get(at, clip_start)
            holding = target if step.do != "catch" else (step.target or "?")
        if "release" in spec:
            release_at = events.get(spec["release"]["at"], clip_start + length)
            release_aim = target if spec["release"].get("aim") or spec["release"].get("to") else None
            holding = None
        posture = spec.get("posture", after.posture)
        after = replace(after, posture=posture, holding=holding)
        if step.do == "catch" and step.target is None:
            raise SceneError(f"{where}: say what to catch (target: the thing's id)")
        gaze = target if spec.get("gaze") else None
        return StepPlan(k, step.do, move, clip_name, clip_start, length, clip_start + length,
                        before, after, target, grab_at, spec.get("grip", {}).get("on_contact",
                                                                                  False),
                        release_at, release_aim, gaze, events, rate)

    def _throw_rate(self, character: Character, clip_: Clip, event: str, target: str,
                    stand: Pose2D) -> float:
        """How much faster (or slower) a throw plays so that the hand moves at the speed the
        throw needs at the release: the thing leaves at about the hand's speed."""
        at = clip_.events[event]
        dt = 0.01
        ahead, behind = (effector_offset(character, clip_, t, "hand_r") for t in (at + dt, at - dt))
        hand_speed = float(np.linalg.norm(ahead - behind)) / (2 * dt)
        release = effector_offset(character, clip_, at, "hand_r")
        start = np.array([*stand.xy, 0.0]) + np.append(_rotate(release[:2], stand.yaw),
                                                       release[2])
        needed = float(np.linalg.norm(aim_velocity(self.scene, target, start,
                                                   self.current_poses())))
        return float(np.clip(needed / max(hand_speed, 1e-3), *THROW_RATES))

    def _blocked(self, character: Character, target: str | None) -> list[np.ndarray]:
        """What a walk of `character` must go around: every thing but its target and what it
        holds, every other person where they stand now."""
        exclude = {character.id, target or ""}
        held = self.current_poses()[character.id].holding
        exclude |= {held or ""} | {c.holds or "" for c in self.scene.characters} | {
            c.left_hand or "" for c in self.scene.characters}
        people = {cid: pose.xy for cid, pose in self.current_poses().items()}
        return obstacles(self.scene, exclude, people)

    def _aim_point(self, step, target: str | None) -> np.ndarray:
        if target is not None:
            return target_point(self.scene, target, self.current_poses())
        return np.array([*step.place, 0.0])

    def current_poses(self) -> dict[str, Pose2D]:
        """Where everyone stands after the steps planned so far (at the end of planning: the
        end of every script)."""
        return {cid: (plans[-1].after if plans else self.start_poses[cid])
                for cid, plans in self.plans.items()}

    def _destination(self, character: Character, step, before: Pose2D
                     ) -> tuple[tuple[float, float], float]:
        """Where a walk, run or turn ends, and facing which way."""
        if step.place is not None:
            goal = np.array([*step.place, 0.0])
            stop = 0.0
        elif step.target is not None:
            goal = target_point(self.scene, step.target, self.current_poses())
            # stop in front of the thing or person, not inside it
            stop = thing_radius(self.scene, step.target) + 0.35
        else:
            raise SceneError(f"{character.id!r}: say where to {step.do} (place: [x, y] or "
                             "target: an id)")
        yaw = _yaw_towards(before.xy, goal, before.yaw)
        if step.do == "turn":
            return before.xy, yaw
        direction = _rotate(np.array([1.0, 0.0]), yaw)
        distance = float(np.hypot(*(goal[:2] - np.array(before.xy))))
        end = np.array(before.xy) + direction * max(distance - stop, 0.0)
        return (float(end[0]), float(end[1])), yaw

    def _approach(self, character: Character, step, spec: dict, clip_: Clip | None,
                  target: str | None, before: Pose2D) -> tuple[tuple[float, float], float]:
        """Where to stand so that the clip's effector meets the target at its instant."""
        approach = spec["approach"]
        goal = self._aim_point(step, target)
        yaw = _yaw_towards(before.xy, goal, before.yaw)
        if "distance" in approach or clip_ is None:
            reach = approach.get("distance", 0.6) * height_scale(character)
            xy = goal[:2] - _rotate(np.array([reach, 0.0]), yaw)
            return (float(xy[0]), float(xy[1])), yaw
        effector = approach["effector"]
        if effector == "seat":
            # sit facing the way the seat faces (its +x), the seated pelvis over its middle
            yaw = float(self.scene.entity(target).rotation[2])
            offset = effector_offset(character, clip_, clip_.duration, "pelvis")
            xy = goal[:2] - _rotate(offset, yaw)[:2]
            return (float(xy[0]), float(xy[1])), yaw
        at = clip_.duration if approach.get("at") == "end" else clip_.events.get(
            approach.get("at", ""), 0.5 * clip_.duration)
        offset = effector_offset(character, clip_, at, effector)
        radius = thing_radius(self.scene, target) if target else 0.0
        if effector == "foot_r":  # the ball's back a little ahead of the toes at the strike:
            # met by the foot as it swings through, fast, and clear of the foot standing
            offset = offset + np.array([radius + KICK_CLEARANCE_M, 0.0, 0.0])
        elif effector == "hands":  # the palms meet the near face of the box
            offset = offset + np.array([radius, 0.0, 0.0])
        xy = goal[:2] - _rotate(offset[:2], yaw)
        return (float(xy[0]), float(xy[1])), yaw

    def _seat(self, character: Character, named: str | None, before: Pose2D, where: str) -> str:
        if named is not None:
            asset_name = self.scene.entity(named).asset if named in {
                e.id for e in self.scene.entities} else "a person"
            if asset_name not in SEATS:
                raise SceneError(f"{where}: {character.id!r} cannot sit on {named!r} "
                                 f"({asset_name}); seats are: {', '.join(SEATS)}")
            return named
        seats = [e for e in self.scene.entities if e.asset in SEATS]
        near = [(float(np.hypot(e.position[0] - before.xy[0], e.position[1] - before.xy[1])),
                 e.id) for e in seats]
        near = [n for n in near if n[0] <= SEAT_REACH_M]
        if not near:
            raise SceneError(
                f"{where}: {character.id!r} has no seat within {SEAT_REACH_M:g} m to sit on; "
                "put a chair beside it or name one (target: <chair id>)")
        return min(near)[1]

    def _on_furniture(self, target: str) -> bool:
        """Whether a thing rests up off the floor (on a table, a counter): taken standing."""
        from worldreel.assets.mujoco_spec import entity_bottom  # noqa: PLC0415

        return entity_bottom(self.scene.entity(target)) > TAKE_STANDING_ABOVE_M

    def _check_loose(self, target: str, where: str) -> None:
        if target not in {e.id for e in self.scene.entities}:
            raise SceneError(f"{where}: {target!r} is a person; people are not picked up")
        entity = self.scene.entity(target)
        asset_ = entity_asset(entity)
        if asset_.fixed or asset_.joint != "free" or asset_.links or (
                asset_.mass is not None and asset_.mass > MAX_LIFT_KG):
            raise SceneError(f"{where}: {target!r} ({entity.asset}) cannot be picked up by "
                             "hand: it is fixed, jointed or too heavy")
