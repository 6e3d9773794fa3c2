"""Each character's script played out: clips blended over a posture, locomotion, gaze, reaching,
grips and the face, sampled as bone poses (a Performance) for physics.

The layers, bottom up: the posture's loop (idle standing, seated, lying); the steps' clips, each
eased in and out over BLEND_S (a full-body clip moves the legs and the pelvis, an upper-body clip
only the spine, arms and head); locomotion, which owns the legs and the pelvis while the body
walks; the gaze, which turns the neck and head towards what the step is about. Hands that take
hold of things are grips that physics carries out.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.animation import conversation, riding
from worldreel.animation import face as face_track
from worldreel.animation.clips import STANDARD_HEIGHT, UPPER_BONES, clip
from worldreel.animation.performance import Grip, Performance
from worldreel.animation.rig import (Rig, build_rig, forward_kinematics, joint_rules,
                                     local_rotations)
from worldreel.animation.script import (ScriptPlanner, StepPlan, aim_velocity,
                                        effector_offset, height_scale, seat_height,
                                        seated_bottom, target_point, thing_radius)
from worldreel.assets.people import body_of
from worldreel.scene import Animal, Character, Scene
from worldreel.timeline import StepDuration, TimedLine, TimedStep, resolve_scripts

ANIMATION_RATE = 120  # bone poses a second; physics interpolates between them
BLEND_S = 0.2  # clips ease in and out over this long
# Poses are worked out this far past the clip's end and then left unused: the smoothing of a
# track (the pelvis height) then reads the clip's last moments as it would in a longer clip, so
# a clip played on for longer (director.extend) moves exactly as it did up to its old end.
LOOKAHEAD_S = 0.5
EYE_HEIGHT = 0.93  # of standing height
POSTURE_LOOPS = {"standing": "idle", "seated": "sit", "lying": "lie"}
LEG_BONES = frozenset(b for b in joint_rules() if b not in UPPER_BONES)  # pelvis, legs, toes


# A worn thing (a catcher's mitt: lying pocket up (+z), cuff towards -x, in its own frame) in
# the left hand bone's frame: its x along the hand from the wrist to the middle knuckle, its z
# out of the palm (the way the fingers curl), found by forward kinematics of the rest pose; and
# its frame origin (the back of the mitt) this far behind the palm centre, so the hand is inside.
WORN_TURN = (0.8027, 0.49, 0.3341, 0.0627)  # (w, x, y, z)
WORN_BACK_M = 0.04


def step_durations(scene: Scene) -> StepDuration:
    """How long each script step lasts, for the timeline (plans the scripts as it goes):
    people's and animals'."""
    return _with_animals(scene, ScriptPlanner(scene).duration)


def _with_animals(scene: Scene, people: StepDuration) -> StepDuration:
    """`people`'s durations for characters, the animal planner's for animals."""
    if not scene.animals:
        return people
    from worldreel.animation.animals import AnimalPlanner  # noqa: PLC0415 - imports this

    animals = AnimalPlanner(scene)

    def duration(owner, index: int, start: float) -> float:
        if isinstance(owner, Animal):
            return animals.duration(owner, index, start)
        return people(owner, index, start)
    return duration


def animate(scene: Scene, lines: tuple[TimedLine, ...] = ()) -> dict[str, Performance]:
    """Every character's and animal's Performance over the whole clip, by id; `lines` (the
    dialogue as spoken and timed) move the speakers' lips and hands and turn the listeners."""
    animal_ids = {a.id for a in scene.animals}
    on_animals = {c.id for c in scene.characters if c.rides in animal_ids}
    out = _animate_people(scene, lines, skip=on_animals) if scene.characters else {}
    if scene.animals:
        from worldreel.animation.animals import animate_animals  # noqa: PLC0415

        animals = animate_animals(scene, lines, out)
        if on_animals:  # riders of animals: on the animal's own track
            out.update(_animate_people(scene, lines, only=on_animals, animals=animals))
            out = {c.id: out[c.id] for c in scene.characters}
        out.update(animals)
    return out


def _animate_people(scene: Scene, lines: tuple[TimedLine, ...], skip: frozenset | set = (),
                    only: set | None = None, animals: dict[str, Performance] | None = None
                    ) -> dict[str, Performance]:
    """The characters' Performances (not those in `skip`; only those in `only` when given);
    `animals`: the animals' Performances, which their riders need."""
    planner = ScriptPlanner(scene)
    lengths = tuple(timed.end - timed.start for timed in lines) if lines else None
    timed = resolve_scripts(scene, _with_animals(scene, planner.duration), lengths)
    timed = {c.id: timed[c.id] for c in scene.characters}
    times = np.arange(int(math.ceil((scene.duration + LOOKAHEAD_S) * ANIMATION_RATE)) + 2
                      ) / ANIMATION_RATE
    arrivals = _catch_times(scene, timed, planner)
    received = _handed_over(timed, planner)
    where = {cid: pose.xy for cid, pose in planner.start_poses.items()}
    where.update({a.id: a.position for a in scene.animals})  # a barking dog is looked at
    roles = conversation.parts(scene, lines, where)
    out: dict[str, Performance] = {}
    # givers first: a receiver's hand meets the giver's where the giver's really is
    order = sorted(scene.characters, key=lambda c: c.id in received)
    for character in order:
        if character.id in skip or (only is not None and character.id not in only):
            continue
        steps = timed[character.id]
        plans = planner.plans[character.id][: len(steps)]
        own = tuple(t for t in lines if t.speaker == character.id and not t.line.is_crowd)
        handed = received.get(character.id, [])
        if any(giver not in out for _, _, giver in handed):
            handed = []  # two people handing each other things: no meeting of hands
        out[character.id] = _perform(scene, character, steps, plans, planner, times, arrivals,
                                     _handover_points(handed, out, times), roles[character.id],
                                     own, _mount(scene, character, animals or {}, times))
    return {c.id: out[c.id] for c in scene.characters if c.id in out}


def _mount(scene: Scene, character: Character, animals: dict[str, Performance],
           times: np.ndarray) -> tuple[riding.Mount, riding.MountMotion, bool] | None:
    """What a rider rides and how it moves over `times`, and whether that motion is only the
    vehicle's standing start (physics moves it: the ride is solved again afterwards)."""
    mounted = riding.mount_of(scene, character)
    if mounted is None:
        return None
    kind, mount = mounted
    rig = _rig(character.body)
    if kind == "animal":
        from worldreel.assets.animals import body_of_animal  # noqa: PLC0415

        body = body_of_animal(mount)
        horse = animals[mount.id]
        pos, quat, _ = horse.at(times)
        return (riding.horse_mount(body, rig),
                riding.horse_motion(horse.bones, pos, quat, body), False)
    return riding.entity_mount(mount), riding.standing_still(mount, len(times)), True


def _handed_over(timed: dict[str, list[TimedStep]], planner: ScriptPlanner
                 ) -> dict[str, list[tuple[str, float, str]]]:
    """receiver -> [(thing, when, giver)]: what each person is handed, when and by whom."""
    received: dict[str, list[tuple[str, float, str]]] = {}
    for giver, steps in timed.items():
        for step, plan in zip(steps, planner.plans[giver]):
            if plan.verb == "hand_over" and plan.release_aim in timed:
                received.setdefault(plan.release_aim, []).append(
                    (plan.before.holding, step.start + plan.release_at, giver))
    return received


def _handover_points(handed: list[tuple[str, float, str]], out: dict[str, Performance],
                     times: np.ndarray) -> list[tuple[str, float, np.ndarray]]:
    """[(thing, when, where)]: where the giver's palm is as they let go (the receiver's hand
    meets it there), from the giver's own performance."""
    points = []
    for thing, when, giver in handed:
        performance = out[giver]
        k = min(int(np.searchsorted(times, when)), len(times) - 1)
        names = performance.bones
        palm = 0.5 * (performance.positions[k, names.index("hand_r")]
                      + performance.positions[k, names.index("middle_01_r")])
        points.append((thing, when, palm))
    return points


def _catch_times(scene: Scene, timed: dict[str, list[TimedStep]], planner: ScriptPlanner
                 ) -> dict[tuple[str, int], float]:
    """When the thing each catch waits for arrives, for catches of things thrown at the
    catcher: (catcher, step index) -> arrival time. The catch's hands close then."""
    throws = []
    for thrower, steps in timed.items():
        for step, plan in zip(steps, planner.plans[thrower]):
            if plan.release_aim is not None and plan.release_at is not None:
                release = step.start + plan.release_at
                stand = plan.after
                offset = effector_offset(scene.character(thrower), clip(plan.clip),
                                         clip(plan.clip).events.get("release", 0.0), "hand_r")
                start = np.array([*stand.xy, 0.0]) + np.append(
                    Rotation.from_euler("z", stand.yaw, degrees=True).apply(offset)[:2],
                    offset[2])
                velocity = aim_velocity(scene, plan.release_aim, start,
                                        planner.current_poses())
                point = target_point(scene, plan.release_aim, planner.current_poses())
                flight = float(np.linalg.norm(point[:2] - start[:2])
                               / max(np.linalg.norm(velocity[:2]), 1e-6))
                throws.append((plan.release_aim, plan.before.holding, release + flight))
    arrivals = {}
    for catcher, steps in timed.items():
        for step, plan in zip(steps, planner.plans[catcher]):
            if plan.verb != "catch":
                continue
            for aim, thing, arrival in throws:
                if aim == catcher and thing == plan.target and arrival >= step.start:
                    arrivals[(catcher, step.index)] = arrival
                    break
    return arrivals


@lru_cache(maxsize=32)
def _rig(body_spec) -> Rig:
    return build_rig(body_of(body_spec).skeleton)


def _ramp(times: np.ndarray, start: float, end: float, ease_in: bool = True,
          ease_out: bool = True) -> np.ndarray:
    """0..1 weight of something that starts at `start` and ends at `end`: eased in over the
    BLEND_S after its start (nothing moves before its time) and out over the BLEND_S after
    its end."""
    x = np.clip((times - start) / BLEND_S, 0.0, 1.0) if ease_in else (times >= start)
    up = 1.0 - (1.0 - x) ** 2  # leaves at once (an action starts on its frame), arrives softly
    y = np.clip((end - times) / BLEND_S + 1.0, 0.0, 1.0) if ease_out else (times <= end)
    down = y * y * (3.0 - 2.0 * y)  # smoothstep
    return np.minimum(up, down).astype(float)


def _blend_into(pose: dict, layer: dict, w: np.ndarray, bones=None) -> None:
    """pose <- (1 - w) pose + w layer, DOF by DOF (a DOF missing on one side is at rest)."""
    for bone, dofs in layer.items():
        if bones is not None and bone not in bones:
            continue
        target = pose.setdefault(bone, {})
        for dof, value in dofs.items():
            base = target.get(dof, 0.0)
            target[dof] = (1.0 - w) * base + w * value


def _perform(scene: Scene, character: Character, steps: list[TimedStep], plans: list[StepPlan],
             planner: ScriptPlanner, times: np.ndarray,
             arrivals: dict[tuple[str, int], float],
             received: list[tuple[str, float, np.ndarray]], part: conversation.Part,
             own_lines: tuple[TimedLine, ...],
             mounted: tuple[riding.Mount, riding.MountMotion, bool] | None = None
             ) -> Performance:
    rig = _rig(character.body)
    skeleton = rig.skeleton
    scale = height_scale(character)
    n = len(times)
    start_pose = planner.start_poses[character.id]
    # Where the body is on the floor and which way it faces; its posture; over time.
    xy = np.tile(np.array(start_pose.xy, float), (n, 1))
    yaw = np.full(n, float(start_pose.yaw))
    posture = np.full(n, start_pose.posture, dtype=object)
    pose: dict = {}
    root_offset = np.zeros((n, 3))
    pitch = np.zeros(n)
    legs_owned = np.zeros(n)  # weight of locomotion on the legs and the pelvis
    loco_root = np.zeros((n, 3))
    loco_pose: dict = {}
    stance = None  # where the feet stand after the last move, while nothing else moves them
    for timed, plan in zip(steps, plans):
        after = times >= timed.start + plan.clip_start
        xy[after] = plan.after.xy
        yaw[after] = plan.after.yaw
        posture[times >= timed.start + plan.duration] = plan.after.posture
        if plan.move is not None:
            stance = _place_move(plan, timed, times, xy, yaw, legs_owned, loco_root, loco_pose,
                                 rig, stance)
        if plan.clip is not None and clip(plan.clip).layer == "full":
            stance = None  # a full-body clip (a kick, sitting down) sets the feet again
    if mounted is None:
        _posture_loops(pose, root_offset, pitch, posture, times)
    else:  # a rider: the riding posture under the script's clips, where the mount is
        pose.update({bone: {dof: np.full(n, v) for dof, v in dofs.items()}
                     for bone, dofs in riding.style_pose(mounted[0].style).items()})
        xy, yaw = riding.heading(mounted[1], mounted[0].style)
    holding = _holding(steps, plans, times, character.holds is not None)
    for _, when, _ in received:  # handed something: held from then on
        holding = np.maximum(holding, np.clip((times - when) / (2 * BLEND_S), 0.0, 1.0))
    if holding.any():  # a thing in hand is held in front, not dangled at the side
        _blend_into(pose, clip("hold").pose(times), holding, UPPER_BONES)
    if loco_pose:  # walking arms swing; a clip played while walking (a wave) goes over them
        _blend_into(pose, loco_pose, legs_owned, UPPER_BONES)
    for beat in part.beats:  # talking hands, a listener's nod: under the script's own clips
        c = clip(beat.clip)
        w = _ramp(times, beat.start, beat.end) * (times <= beat.end + BLEND_S)
        local = np.clip(times - beat.start, 0.0, c.duration if not c.loop else None)
        _blend_into(pose, c.pose(local), w, UPPER_BONES)
    for timed, plan in zip(steps, plans):
        if plan.clip is None:
            continue
        c = clip(plan.clip)
        begin = timed.start + plan.clip_start
        arrival = arrivals.get((character.id, timed.index))
        if arrival is not None:  # the hands close as the thing arrives
            begin = max(begin, arrival - c.events.get("grab", 0.0) / plan.rate)
        end = begin + plan.clip_length
        changes_posture = plan.after.posture != plan.before.posture
        w = _ramp(times, begin, end, ease_out=not changes_posture) * (times <= end + BLEND_S)
        if changes_posture:  # it ends in the new posture's loop: hold its last frame till then
            w = np.where(times > end, 0.0, w)
        local = np.clip((times - begin) * plan.rate, 0.0, c.duration if not c.loop else None)
        bones = UPPER_BONES if c.layer == "upper" or mounted is not None else None
        _blend_into(pose, c.pose(local), w, bones)
        if c.layer == "full":
            root_offset[:] = (1 - w)[:, None] * root_offset + w[:, None] * c.root(local)
            pitch[:] = (1 - w) * pitch + w * c.root_turn(local)
    root_offset[:, 2] += _seat_lift(scene, character, steps, plans, times, scale)
    if loco_pose:  # the legs follow the footsteps while walking
        _blend_into(pose, loco_pose, legs_owned, LEG_BONES)
    eye_yaw, eye_pitch = _gaze(scene, character, steps, plans, planner, times, pose, xy, yaw,
                               part.attention)
    if mounted is not None:
        return _ride(character, rig, steps, pose, times, mounted, part, own_lines, plans,
                     eye_yaw, eye_pitch, scene)
    rest_pelvis = skeleton.heads[0]
    facing = Rotation.from_euler("z", yaw[:, None], degrees=True)
    offset = facing.apply(root_offset * scale)
    # the rest pelvis head sits rest_pelvis from the character's floor point
    standing_root = np.column_stack([xy, np.zeros(n)]) + facing.apply(rest_pelvis) + offset
    root = (1 - legs_owned)[:, None] * standing_root + legs_owned[:, None] * loco_root
    rotation = facing * Rotation.from_euler("y", pitch[:, None], degrees=True)
    _reach_things(scene, rig, steps, plans, times, pose, root, rotation)
    for _, when, where in received:  # the hand meets the giver's where the thing is let go
        _reach_point(rig, where, when, when, times, pose, root, rotation)
    positions, quats = forward_kinematics(rig, local_rotations(rig, pose, n), root, rotation)
    grips = _grips(scene, character, steps, plans, planner, times, positions, skeleton)
    grips += tuple(Grip(character.id, "hand_r", thing, when, _next_release(steps, plans, when),
                        offset=tuple(_palm_offset(skeleton))) for thing, when, _ in received)
    units, weights = face_track.face(scene, character, steps, plans, times, eye_yaw, eye_pitch,
                                     own_lines, part.smiles)
    return Performance(character.id, float(ANIMATION_RATE), skeleton.names, positions, quats,
                       units, weights, grips, tuple(steps))


def _ride(character: Character, rig: Rig, steps, pose: dict, times: np.ndarray,
          mounted: tuple[riding.Mount, riding.MountMotion, bool], part: conversation.Part,
          own_lines: tuple[TimedLine, ...], plans, eye_yaw, eye_pitch, scene: Scene
          ) -> Performance:
    """A rider's Performance: the pose solved onto the mount; for a vehicle's rider also what
    the ride is solved again from once physics has moved the vehicle."""
    mount, motion, again = mounted
    hands = riding.free_hands(steps, times, _ramp)
    solved = riding.ride(rig, mount, motion, times, pose, hands)
    units, weights = face_track.face(scene, character, steps, plans, times, eye_yaw, eye_pitch,
                                     own_lines, part.smiles)
    later = riding.RideInput(mount, pose, hands) if again else None
    return Performance(character.id, float(ANIMATION_RATE), rig.skeleton.names,
                       solved.positions, solved.quaternions, units, weights, (), tuple(steps),
                       later)


def _seat_lift(scene: Scene, character: Character, steps, plans, times: np.ndarray,
               scale: float) -> np.ndarray:
    """Raise or lower a sitting body (clip metres, like Clip.root) from the seat the clip
    would sit it on to the seat it sits on: eased in over sitting down, out over standing up."""
    lift = np.zeros(len(times))
    seat = None
    for timed, plan in zip(steps, plans):
        begin = timed.start + plan.clip_start
        share = np.clip((times - begin) / max(plan.clip_length, 1e-6), 0.0, 1.0)
        if plan.verb == "sit" and plan.target is not None:
            seat = (seat_height(scene.entity(plan.target))
                    - seated_bottom(character.body)) / scale
            lift = np.where(times >= begin, seat * share, lift)
        elif plan.verb == "stand_up" and seat is not None:
            lift = np.where(times >= begin, seat * (1.0 - share), lift)
            seat = None
    return lift


def _holding(steps, plans, times: np.ndarray, from_start: bool) -> np.ndarray:
    """0..1 over time: how much the right hand holds something (eased in after a grab, out
    before a release)."""
    held = np.full(len(times), from_start, dtype=float)
    for timed, plan in zip(steps, plans):
        if plan.grab_at is not None:
            grab = timed.start + plan.grab_at
            held = np.maximum(held, np.clip((times - grab) / (2 * BLEND_S), 0.0, 1.0))
        if plan.release_at is not None:
            release = timed.start + plan.release_at
            held = np.minimum(held, np.clip((release - times) / BLEND_S, 0.0, 1.0))
    return held


def _posture_loops(pose: dict, root_offset: np.ndarray, pitch: np.ndarray, posture: np.ndarray,
                   times: np.ndarray) -> None:
    """The posture's own loop under everything: idle standing, seated, lying."""
    for name, loop_name in POSTURE_LOOPS.items():
        mask = posture == name
        if not mask.any():
            continue
        c = clip(loop_name)
        w = mask.astype(float)
        _blend_into(pose, c.pose(times), w)
        root_offset[mask] = c.root(times[mask])
        pitch[mask] = c.root_turn(times[mask])


def _place_move(plan: StepPlan, timed: TimedStep, times: np.ndarray, xy: np.ndarray,
                yaw: np.ndarray, legs_owned: np.ndarray, loco_root: np.ndarray, loco_pose: dict,
                rig: Rig, stance):
    """The body's floor point, facing and legs over a move, starting from `stance` (the feet
    where the move before left them); returns where the feet are left."""
    from worldreel.animation.locomotion import locomote  # noqa: PLC0415

    move = plan.move
    begin, end = timed.start, timed.start + move.duration
    # past the end too, while the legs ease back into the posture (it holds the last stance)
    inside = (times >= begin) & (times <= end + BLEND_S)
    if not inside.any():
        return None
    result = locomote(rig, move, times[inside] - begin, stance)
    xy[inside] = result.floor_xy
    yaw[inside] = result.yaw
    # Locomotion takes the legs at once (a walk starts from the stance the posture stands in;
    # easing two leg poses into each other drags the feet through the floor) and gives them
    # back to the posture eased, once it stands still.
    w = _ramp(times, begin, end, ease_in=False)
    legs_owned[:] = np.maximum(legs_owned, w)
    loco_root[inside] = result.root_position
    # the legs and pelvis, and the arms' swing and the trunk's counter-turn (an upper layer
    # that clips played while walking replace)
    for layer in (result.pose, result.upper):
        for bone, dofs in layer.items():
            target = loco_pose.setdefault(bone, {})
            for dof, value in dofs.items():
                track = target.setdefault(dof, np.zeros(len(times)))
                track[inside] = value
    return result.final_stance()


def _gaze(scene: Scene, character: Character, steps, plans, planner, times, pose, xy,
          yaw, attention=()) -> tuple[np.ndarray, np.ndarray]:
    """Turn the neck and head towards what each step is about (and, under that, to whoever
    the character speaks to or listens to), the head following within ~0.2 s and the eyes
    leading it; returns the eyes' yaw and pitch in the head (degrees)."""
    from worldreel.animation.gaze import EYE_PITCH, EYE_YAW, head_turn  # noqa: PLC0415

    height = body_of(character.body).shape.standing_height()
    eye_yaw, eye_pitch = np.zeros(len(times)), np.zeros(len(times))
    eyes = np.column_stack([xy, np.full(len(times), EYE_HEIGHT * height)])
    people = {c.id: c for c in scene.characters}
    looks = [(a.target, a.start, a.end) for a in attention]
    looks += [(plan.gaze, timed.start, timed.end) for timed, plan in zip(steps, plans)
              if plan.gaze is not None]
    for target, start, end in looks:
        point = target_point(scene, target, planner.current_poses())
        if target in people:  # their eyes
            point = point + np.array(
                [0.0, 0.0, EYE_HEIGHT * body_of(people[target].body).shape.standing_height()])
        elif target in {a.id for a in scene.animals}:  # an animal: about its head
            from worldreel.assets.animals import body_of_animal  # noqa: PLC0415

            point = point + np.array([0.0, 0.0, body_of_animal(
                scene.animal(target)).shoulder_height])
        w = _ramp(times, start, end)
        if not w.any():
            continue
        angles = head_turn(eyes, yaw, point, times)
        _blend_into(pose, {b: {d: pose.get(b, {}).get(d, 0.0) + v for d, v in dofs.items()}
                           for b, dofs in angles.items()}, w)
        d = np.asarray(point) - eyes
        want = (np.degrees(np.arctan2(d[:, 1], d[:, 0])) - yaw + 180.0) % 360.0 - 180.0
        want_pitch = np.degrees(np.arctan2(d[:, 2], np.hypot(d[:, 0], d[:, 1])))
        head = angles["neck_01"]["turn"] + angles["head"]["turn"]
        head_pitch = -(angles["neck_01"]["bend"] + angles["head"]["bend"])
        eye_yaw = (1 - w) * eye_yaw + w * np.clip(want - head, -EYE_YAW, EYE_YAW)
        eye_pitch = (1 - w) * eye_pitch + w * np.clip(want_pitch - head_pitch, *EYE_PITCH)
    return eye_yaw, eye_pitch


REACHING = ("pick_up", "reach")  # verbs whose hand meets the thing (at the clip's "grab", or
# its end when it has none)
REACH_LEAD_S, REACH_FOLLOW_S = 0.6, 0.3  # the hand is steered there over this, and let go
PALM_HALF_M = 0.02  # the palm centre sits this far off what it closes on


def _reach_things(scene: Scene, rig: Rig, steps, plans, times: np.ndarray, pose: dict,
                  root: np.ndarray, rotation: Rotation) -> None:
    """Bring the right hand onto the thing a step takes or reaches for, wherever it is (a cup on
    a table, a ball on the floor), by inverse kinematics (ik.solve_ik) eased in towards the
    clip's instant; after it, the hand keeps the clip's motion but never goes below where the
    thing was (a cup taken from a table is lifted, not pushed through it)."""
    entities = {e.id for e in scene.entities}
    for timed, plan in zip(steps, plans):
        if plan.verb not in REACHING or plan.target not in entities:
            continue
        end = timed.start + plan.clip_start + plan.clip_length
        at = timed.start + plan.events["grab"] if "grab" in plan.events else end
        first = min(np.searchsorted(times, at - REACH_LEAD_S), len(times) - 1)
        thing = np.array(scene.entity(plan.target).position, dtype=float)
        # the palm meets the near side of the thing, not its middle
        near = thing[:2] - root[first, :2]
        near /= max(float(np.linalg.norm(near)), 1e-9)
        radius = thing_radius(scene, plan.target)
        thing[:2] -= near * (radius + PALM_HALF_M)
        _reach_point(rig, thing, at, end, times, pose, root, rotation, keep_above=True)


def _reach_point(rig: Rig, point: np.ndarray, at: float, end: float, times: np.ndarray,
                 pose: dict, root: np.ndarray, rotation: Rotation,
                 keep_above: bool = False) -> None:
    """Steer the right palm onto `point` by inverse kinematics, eased in over REACH_LEAD_S to
    `at`; after it the hand keeps the clip's own motion from there (never below `point` with
    `keep_above`: a cup taken from a table is lifted, not pushed through it) and is let go over
    REACH_FOLLOW_S once the clip lifts it (or at `end`)."""
    from worldreel.animation.ik import Reach, effector_point, solve_ik  # noqa: PLC0415

    skeleton = rig.skeleton
    window = np.flatnonzero((times >= at - REACH_LEAD_S) & (times <= end + REACH_FOLLOW_S))
    if len(window) < 2:
        return
    t = times[window]
    hand = skeleton.index("hand_r")
    palm_rest = effector_point(skeleton, "hand_r")
    # where the clip alone puts the palm
    n = len(times)
    pos, quat = forward_kinematics(rig, local_rotations(rig, pose, n), root, rotation)
    turn = Rotation.from_quat(quat[window, hand][:, [1, 2, 3, 0]])
    palm = pos[window, hand] + turn.apply(palm_rest - skeleton.heads[hand])
    after = t > at
    grab = np.flatnonzero(~after)[-1] if (~after).any() else 0
    target = np.where(after[:, None], palm - palm[grab] + point, point)
    if keep_above:
        target[:, 2] = np.where(after, np.maximum(target[:, 2], point[2]), point[2])
    lifted = after & (palm[:, 2] >= point[2])  # the clip's hand is above it again
    free = np.flatnonzero(lifted)
    release = min(t[free[0]] if len(free) else end, end)  # eased out by the window's end
    blend = (_smoothstep_between(t, at - REACH_LEAD_S, at)
             * (1.0 - _smoothstep_between(t, release, release + REACH_FOLLOW_S)))
    sliced = {b: {d: np.broadcast_to(np.asarray(v, float), (n,))[window]
                  for d, v in dofs.items()} for b, dofs in pose.items()}
    solved = solve_ik(rig, [Reach("hand_r", target, blend=blend)], root[window],
                      rotation[window], sliced)
    for bone, dofs in solved.pose.items():
        for dof, value in dofs.items():
            full = np.array(np.broadcast_to(np.asarray(pose.get(bone, {}).get(dof, 0.0),
                                                       float), (n,)))
            full[window] = value
            pose.setdefault(bone, {})[dof] = full


def _smoothstep_between(t: np.ndarray, a: float, b: float) -> np.ndarray:
    x = np.clip((t - a) / max(b - a, 1e-9), 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def _palm_offset(skeleton) -> np.ndarray:
    """Where a thing sits in the right hand, in the hand bone's frame: at the palm centre
    (ik.effector_point), a little to its palm side."""
    from worldreel.animation.ik import effector_point  # noqa: PLC0415 - ik loads mink

    wrist = skeleton.heads[skeleton.index("hand_r")]
    return effector_point(skeleton, "hand_r") - wrist + np.array([0.0, 0.03, -0.02])


def _palm(positions: np.ndarray, skeleton, hand: str) -> np.ndarray:
    """(N, 3) world palm centres (ik.effector_point: between wrist and middle knuckle)."""
    side = hand[-2:]
    return 0.5 * (positions[:, skeleton.index(hand)]
                  + positions[:, skeleton.index("middle_01" + side)])


def _grips(scene: Scene, character: Character, steps, plans, planner, times, positions,
           skeleton) -> tuple[Grip, ...]:
    """The hands' grips: what is held from the start, taken, caught, let go or thrown."""
    grips = []
    held: tuple[str, float, bool] | None = None  # what, from when, from the first touch
    if character.holds is not None:  # put in the hand at the start
        held = (character.holds, 0.0, False)
    in_hand = tuple(float(v) for v in _palm_offset(skeleton))

    def grip(until: float | None, velocity=None) -> Grip:
        assert held is not None
        thing, start, on_contact = held
        put_in_hand = start == 0.0 and character.holds is not None and not on_contact
        # a catch in a mitt is held by the mitt's hand, where the ball went in
        hand = "hand_l" if on_contact and character.left_hand is not None else "hand_r"
        return Grip(character.id, hand, thing, start, until, on_contact=on_contact,
                    release_velocity=velocity, offset=in_hand if put_in_hand else None)

    for timed, plan in zip(steps, plans):
        if plan.grab_at is not None and plan.target is not None:
            # a catch holds from the touch inside its window (until a later step lets go)
            held = (plan.target, timed.start, True) if plan.grab_on_contact else \
                (plan.target, timed.start + plan.grab_at, False)
        if plan.release_at is not None and held is not None:
            release = timed.start + plan.release_at
            velocity = None
            if plan.release_aim is not None and plan.verb != "hand_over":  # thrown at it
                hand = _palm(positions, skeleton, "hand_r")
                i = min(int(round(release * ANIMATION_RATE)), len(times) - 1)
                velocity = tuple(float(v) for v in aim_velocity(
                    scene, plan.release_aim, hand[i], planner.current_poses()))
            grips.append(grip(release, velocity))
            held = None
    if held is not None:
        grips.append(grip(None))
    if character.left_hand is not None:  # worn all clip long: palm to the pocket
        grips.append(Grip(character.id, "hand_l", character.left_hand, 0.0, None,
                          offset=tuple(float(v) for v in _worn_offset(skeleton)),
                          turn=WORN_TURN))
    return tuple(grips)


def _worn_offset(skeleton) -> np.ndarray:
    """Where a thing worn on the left hand (a mitt) sits in the hand bone's frame: its frame
    origin a little behind the palm centre, so the hand is inside it."""
    from worldreel.animation.ik import effector_point  # noqa: PLC0415 - ik loads mink

    wrist = skeleton.heads[skeleton.index("hand_l")]
    w, x, y, z = WORN_TURN
    back = Rotation.from_quat([x, y, z, w]).apply([0.0, 0.0, -WORN_BACK_M])
    return effector_point(skeleton, "hand_l") - wrist + back


def _next_release(steps, plans, after: float) -> float | None:
    for timed, plan in zip(steps, plans):
        if timed.start > after and plan.release_at is not None:
            return timed.start + plan.release_at
    return None
