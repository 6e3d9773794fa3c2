"""An animal's Performance: the body, neck, head, jaw, ears, tail and legs posed at every sample,
the mouth's grips, and the public entry points (animate_animals, catch_point).
"""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.animation.animals.gaits import ANIMATION_RATE, LOOKAHEAD_S, _envelope, _ramp
from worldreel.animation.animals.legs import (_bob, _body_frame, _joints, _legs_pose, _plan_feet,
                                              _stride_phase)
from worldreel.animation.animals.plan import AnimalPlanner, StepPlan
from worldreel.animation.animals.track import _lay_out
from worldreel.animation.performance import Grip, Performance
from worldreel.assets.animals import AnimalBody, body_of_animal
from worldreel.scene import Animal, AnimalAction, Scene
from worldreel.timeline import TimedLine, TimedStep, resolve_scripts


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
    from worldreel.animation.riding import start_pose  # noqa: PLC0415

    look.update({c.id: np.array([*start_pose(scene, c)[0], 1.0]) for c in scene.characters})
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
