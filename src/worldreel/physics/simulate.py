"""Play a Scene in MuJoCo and return its Recording.

Clocks: the physics step is 1 / scene.physics_rate; poses are sampled fps x oversample times a
second, which must divide the physics rate so every sample falls on a step; contact events are
timed inside steps (see contacts.py).

Bodies: the Recording poses every entity, then every extra body of multi-body assets (rope links,
wheels, cloth nodes, fracture pieces) named `<entity>.<link>`, in `assets.mujoco_spec.body_names`
order; the renderer poses them all as mocap bodies. A cloth entity's own pose is the centroid of
its nodes. Besides poses the Recording carries the audit data of physics.report: body masses, the
system's mechanical energy per sample, the worst contact penetration since the previous sample,
and which samples are passive (no action, pull or water acting).

Start checks: objects inside the floor or overlapping each other at t = 0 are rejected with a
SceneError naming the entity's field path and how far to move it, instead of exploding.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.assets import check_scene_assets
from worldreel.assets.mujoco_spec import (body_names, build_spec, entity_asset, entity_bottom,
                                          entity_is_breakable, entity_is_fixed)
from worldreel.errors import PhysicsError, SceneError
from worldreel.animation import animate, step_durations
from worldreel.physics.flocks import animate_flocks, check_flock_places
from worldreel.animation.performance import Performance
from worldreel.assets.animals import animal_segments
from worldreel.assets.people import character_segments
from worldreel.physics.actions import Launch, held_until, plan_launches, plan_pulls
from worldreel.physics.cast import Cast
from worldreel.physics.contact_model import contact_params
from worldreel.physics.contacts import ContactTracker
from worldreel.physics.fracture import FractureMonitor
from worldreel.physics.dents import vehicle_dents
from worldreel.physics.doors import Doors
from worldreel.physics.boating import Boating, check_boats
from worldreel.physics.driving import Driving
from worldreel.physics.flight import Flight
from worldreel.physics.rail import Rail
from worldreel.assets.transport import is_rail_or_air, road_scene
from worldreel.physics.riders import carried_masses, rider_tracks, vehicle_riders
from worldreel.physics.hammering import Hammering
from worldreel.physics.media import Medium
from worldreel.recording import Recording, SpeechSpan
from worldreel.scene import Scene
from worldreel.timeline import TimedLine, resolve_actions, resolve_flocks, simulation_scene

MAX_SPEED = 200.0  # m/s; faster than this the simulation has blown up
FLOOR_TOLERANCE = 0.005  # m an object may start inside the floor (rounding in hand-made scenes)
OVERLAP_TOLERANCE = 0.004  # m two objects may overlap at t = 0 (resting contact, rounding)
MEDIUM_STRIDE = 4  # buoyancy and drag are updated every this many steps (they change slowly)
# Bodies at rest sleep (MuJoCo skips them until something touches them or an action sets their
# velocity): a domino chain, a brick wall or a racked set of balls costs nothing while it waits.
# MuJoCo puts a tree to sleep once its speed has been under the tolerance for a fixed number of
# *steps*; at our physics rates that is about 2 ms, and a pendulum at the end of its swing or a ball
# at the top of a vertical throw is that slow for that long, so they would freeze in mid-air. So
# _SleepGuard decides instead, in time: a tree may sleep only after it has been still at
# SETTLE_CHECKS checks in a row, SETTLE_CHECK_S apart, and loses that right as soon as it moves
# again. Still: speed under SLEEP_TOLERANCE (turning weighted by the body's size, as MuJoCo
# does) and, for a tree touching nothing, acceleration under SLEEP_ACCELERATION (a turning point in
# free flight or on a pendulum is slow but accelerating; in contact the acceleration is dominated
# by the contact spring's jitter, and the speed over the checks decides). Something placed off
# balance (a tilted top, a leaning tower) is still when placed, so stillness counts only for a body
# that has moved since the start (it fell onto its support and settled) or, for every body, after
# SLEEP_AFTER_S: by then an off-balance one has started to fall.
SLEEP_TOLERANCE = 0.01  # m/s
SLEEP_ACCELERATION = 0.5  # m/s^2
SLEEP_AFTER_S = 0.3
SETTLE_CHECK_S = 0.005
SETTLE_CHECKS = 11  # still for 50 ms: a turning point in contact (a ball rolling up a slope) is
# that slow for that long only if it decelerates at under 0.4 m/s^2
SUPPORT_TILT_DEG = 5.0  # a contact this close to vertical holds a body up (release_resting)
SUPPORT_MARGIN_M = -0.0025  # see release_resting
POINT_SUPPORT_M = 0.005  # lowest points closer together than this: a body stands on a point
LOW_POINT_BAND_M = 0.001  # points this close above the lowest one bear on the support too
FACE_LEAN_RAD = 1e-6  # the lean of a thing spun on its face: out of a degenerate case, unseen
WAKE_NUDGE = 1e-9  # m/s: a released body with zero velocity must still wake up
# A light body tumbling fast about a lopsided inertia gains spin with every explicit (Euler) step
# of MuJoCo until the simulation blows up: a glass shard hit off its centre (one dropped glass in
# eight) and a toppled feather did, at 400 to 5000 rad/s. Such things are a blur long before, and
# air would slow a feather: the pieces of a broken thing, and free bodies whose inertia is more
# than SPIN_LIMIT_ANISOTROPY times larger about one axis than another (a feather, a hammer), spin
# at most SPIN_LIMIT, as game engines cap every body's. Balls are exempt: one rolling fast must
# keep spinning at v / r.
SPIN_LIMIT = 100.0  # rad/s
SPIN_LIMIT_ANISOTROPY = 10.0


@dataclass(frozen=True)
class PhysicsOptions:
    """How densely to sample poses: oversample > 1 for motion blur or slow motion."""

    oversample: int = 1


@dataclass(frozen=True)
class _Joint:
    qadr: int
    vadr: int
    nq: int
    nv: int


def check_start_poses(scene: Scene) -> None:
    """Reject scenes whose objects start inside the floor, saying how high to lift them. By a
    sea the floor under an object is the ground there (the sand, or the bottom under water)."""
    from worldreel.assets.water import water_of  # noqa: PLC0415

    water = water_of(scene.setting)
    for n, entity in enumerate(scene.entities):
        x, y = entity.position[:2]
        ground = 0.0 if water is None else float(water.bottom(x, y))
        inside = ground - entity_bottom(entity)
        if inside > FLOOR_TOLERANCE:
            raise SceneError(
                f"entities[{n}].position: {entity.id!r} starts {inside:.3f} m inside the floor; "
                f"raise z to at least {entity.position[2] + inside:.3f}"
            )


def check_overlaps(scene: Scene, model, data, geoms) -> None:
    """Reject objects that start inside each other (MuJoCo would fling them apart)."""
    index = {e.id: n for n, e in enumerate(scene.entities)}
    fixed = {e.id for e in scene.entities if entity_is_fixed(e, scene)}
    problems = []
    seen = set()
    for i in range(data.ncon):
        c = data.contact[i]
        a = geoms.get(model.geom(c.geom1).name)
        b = geoms.get(model.geom(c.geom2).name)
        if a is None or b is None or a.owner == b.owner or -c.dist <= OVERLAP_TOLERANCE:
            continue
        movable = [o for o in (a.owner, b.owner) if o in index and o not in fixed]
        if not movable:
            continue
        key = tuple(sorted((a.owner, b.owner)))
        if key in seen:
            continue
        seen.add(key)
        mover = movable[0]
        other = b.owner if mover == a.owner else a.owner
        problems.append(
            f"entities[{index[mover]}].position: {mover!r} starts {-c.dist * 1000:.0f} mm inside "
            f"{other!r}; move it at least {-c.dist:.3f} m away (e.g. raise z to "
            f"{scene.entities[index[mover]].position[2] - c.dist:.3f})"
        )
    if problems:
        raise SceneError("; ".join(problems))


def simulate(
    scene: Scene,
    options: PhysicsOptions = PhysicsOptions(),
    progress: Callable[[float], None] | None = None,
    performances: Mapping[str, Performance] | None = None,
    lines: tuple[TimedLine, ...] = (),
) -> Recording:
    """Simulate the Scene; poses at every sample, contact events with sub-step times.

    `performances`: each character's motion from the animation stage (made here from the
    Scene when not given). `lines`: the dialogue as spoken and timed, on this Scene's clock;
    the Recording says when each is heard. A time-lapse Scene is simulated on its world's
    clock (timeline.simulation_scene): the Recording's played_faster puts it on the clip's."""
    import mujoco  # noqa: PLC0415

    if scene.time_lapse > 1:
        scene = simulation_scene(scene)
    check_scene_assets(scene)
    check_boats(scene)  # a boat with no water under it: said before 'inside the floor'
    check_start_poses(scene)
    check_flock_places(scene)  # fish on dry land: refused before any simulation
    if performances is None:
        performances = animate(scene, lines) if scene.characters or scene.animals else {}
    lengths = tuple(t.end - t.start for t in lines) if lines else None
    durations = step_durations(scene)
    timed = resolve_actions(scene, durations, lengths)
    # the flocks' times too, so a step after the clip's end is said before any simulation
    flock_steps = resolve_flocks(scene, durations, lengths) if scene.flocks else {}
    sample_rate = scene.fps * options.oversample
    if scene.physics_rate % sample_rate:
        raise SceneError(
            f"physics_rate {scene.physics_rate} must be a multiple of fps x oversample "
            f"({sample_rate})"
        )
    steps_per_sample = scene.physics_rate // sample_rate
    dt = 1.0 / scene.physics_rate

    contacts = contact_params(scene.physics_rate)
    spec, geoms = build_spec(scene, movable="free", contacts=contacts)
    # a vehicle's rider is no limbs in the simulation, only mass in the vehicle: solved on it
    # once it has moved (physics.riders)
    riders = vehicle_riders(scene)
    cast = Cast(scene, {k: p for k, p in performances.items() if k not in riders},
                {**{k: s for k, s in character_segments(scene).items() if k not in riders},
                 **animal_segments(scene)})
    cast.add_to_spec(mujoco, spec, geoms, contacts)
    hammering = Hammering(scene, timed)
    hammering.add_to_spec(mujoco, spec)
    driving = Driving(road_scene(scene), timed, carried=carried_masses(scene))  # road vehicles
    driving.add_to_spec(mujoco, spec)
    movers = [m for m in (Rail(scene, timed), Flight(scene, timed)) if m.active]
    for mover in movers:
        mover.add_to_spec(mujoco, spec)
    doors = Doors(scene, timed)
    boating = Boating(scene, timed)  # boats: the water's forces on them are boating's own
    boating.add_to_spec(mujoco, spec)
    # Energy is computed (inside mj_step, for the state the step starts from) only in the step
    # before a sample: the same numbers as computing it in every step, without the cost.
    energy_bit = int(mujoco.mjtEnableBit.mjENBL_ENERGY)
    spec.option.enableflags |= energy_bit
    # Elliptic friction cones keep the normal response (restitution) separate from friction.
    spec.option.cone = mujoco.mjtCone.mjCONE_ELLIPTIC
    may_sleep = _may_sleep(scene)
    sleep_step = round(SLEEP_AFTER_S * scene.physics_rate) if may_sleep else -1
    settle_stride = max(1, round(SETTLE_CHECK_S * scene.physics_rate))
    spec.option.sleep_tolerance = SLEEP_TOLERANCE
    if may_sleep:
        spec.option.enableflags |= mujoco.mjtEnableBit.mjENBL_SLEEP
    try:
        model = spec.compile()
    except ValueError as exc:
        raise PhysicsError(f"the scene could not be built for simulation: {exc}") from None
    data = mujoco.MjData(model)
    guard = _SleepGuard(mujoco, model) if may_sleep else None

    names = body_names(scene)
    bodies = [model.body(name).id for name in names]
    joints = {e.id: _joint(model, b) for e, b in zip(scene.entities, bodies)
              if not entity_is_fixed(e, scene) and model.body_jntnum[b] > 0}
    cloth = {k: [names.index(n) for n in names if n.startswith(e.id + ".")]
             for k, e in enumerate(scene.entities) if entity_asset(e).flex is not None}
    # Free bodies that move as one with their entity until something frees them (the welded
    # pieces of a breakable): an action on the entity moves all of them.
    welded = {e.id: [(model.body(n).id, _joint(model, model.body(n).id)) for n in names
                     if n.startswith(e.id + ".") and model.body_dofnum[model.body(n).id] == 6]
              for e in scene.entities if e.id in joints}
    body_of = {e.id: b for e, b in zip(scene.entities, bodies)}
    swings = _swinging_links(scene, model)
    spin_limited = _spin_limited(scene, model, joints, welded, body_of, broken=())
    _initial_velocities(scene, model, data, joints)
    for eid, pieces in welded.items():
        _carry_welded(data, joints[eid], body_of[eid], pieces)
    cast.bind(model, data, welded)
    cast.drive(model, data, 0.0)
    hammering.bind(model, data)
    driving.bind(model, data)
    for mover in movers:
        mover.bind(model, data)
    doors.bind(model, data)
    boating.bind(model, data)
    mujoco.mj_forward(model, data)
    check_overlaps(scene, model, data, geoms)
    energy_on = model.opt.enableflags
    energy_off = energy_on & ~energy_bit
    model.opt.enableflags = energy_off
    if guard is not None:
        guard.release_resting(model, data)
    gravity = np.array(scene.setting.gravity, dtype=float)
    holds = {eid: t for eid, t in held_until(scene, timed).items() if eid in joints}
    held_pose = {eid: data.qpos[joints[eid].qadr:joints[eid].qadr + joints[eid].nq].copy()
                 for eid in holds}
    launches = list(plan_launches(scene, timed, gravity))
    pulls = plan_pulls(scene, timed)
    fracture = FractureMonitor(model, scene, geoms)
    medium = Medium(model, scene, [(b, entity_asset(scene.entity(n.split(".")[0])).drag_coefficient,
                                    "." not in n and entity_asset(scene.entity(n)).gas is not None)
                                   for n, b in zip(names, bodies) if model.body_dofnum[b] > 0
                                   and not is_rail_or_air(scene.entity(n.split(".")[0]).asset)
                                   and not boating.owns(n)],
                    MEDIUM_STRIDE * dt)
    medium_on = medium.active
    pull_bodies = {p.entity: model.body(p.entity).id for p in pulls}

    n_samples = scene.frame_count * options.oversample
    n_bodies = len(bodies)
    positions = np.zeros((n_samples, n_bodies, 3))
    quaternions = np.zeros((n_samples, n_bodies, 4))
    velocities = np.zeros((n_samples, n_bodies, 3))
    energy = np.zeros((n_samples, 2))
    penetration = np.zeros(n_samples)
    passive = np.ones(n_samples, dtype=bool)
    tracker = ContactTracker(model, geoms, dt, limbs=frozenset(f"{c}.{b}" for c, b in cast.limbs))
    total_steps = round(scene.duration * scene.physics_rate)
    vel = np.zeros(6)
    worst = 0.0
    free_index = [(k, joints[e.id]) for k, e in enumerate(scene.entities)
                  if e.id in joints and joints[e.id].nv == 6]

    # The effects that act on the world around each mj_step, in order. Each is small and named
    # for what it does; before-effects say whether something outside the system acted.
    def fire_launches(step: int, time: float) -> bool:
        if not (launches and launches[0].time <= time + 0.5 * dt):
            return False
        acted_on = _fire_launches(mujoco, model, data, {**swings, **joints}, launches, time, dt)
        for eid in acted_on:
            _carry_welded(data, joints[eid], body_of[eid], welded.get(eid, ()))
        return bool(acted_on)

    def apply_pulls(step: int, time: float) -> bool:
        return bool(pulls) and _apply_pulls(data, pulls, pull_bodies, time)

    def apply_medium(step: int, time: float) -> bool:
        if not medium_on:
            return False
        if step % MEDIUM_STRIDE == 0:
            medium.apply(mujoco, model, data, vel)
        return medium.level is not None or medium.lifts

    def guard_sleep(step: int, time: float) -> bool:
        if guard is not None and step % settle_stride == 0:
            guard.update(data, early=step < sleep_step)
        return False

    def move_limbs(step: int, time: float) -> bool:
        return cast.drive(model, data, time)

    def swing_hammers(step: int, time: float) -> bool:
        return hammering.active and hammering.drive(data, time)

    def drive_vehicles(step: int, time: float) -> bool:
        acted = driving.active and driving.drive(model, data, step, time)
        for mover in movers:  # trains and aircraft (physics.rail, physics.flight)
            acted |= mover.drive(model, data, step, time)
        return acted

    def swing_doors(step: int, time: float) -> bool:
        return doors.active and doors.drive(model, data, time, dt)

    def latch_doors(step: int, time: float) -> bool:
        if doors.active:
            doors.watch(model, data, time + dt, dt)
        return False

    def float_boats(step: int, time: float) -> bool:
        return boating.active and boating.drive(model, data, step, time)

    def advance(step: int) -> None:
        try:
            if (step + 1) % steps_per_sample:
                mujoco.mj_step(model, data)
            else:
                model.opt.enableflags = energy_on
                mujoco.mj_step(model, data)
                model.opt.enableflags = energy_off
        except mujoco.FatalError as exc:  # e.g. out of memory for contacts
            raise PhysicsError(f"the simulation failed at t={step * dt:.2f} s "
                               f"({str(exc).splitlines()[0]}); use fewer or simpler "
                               "entities") from None

    def limit_spin(step: int, time: float) -> bool:
        if len(spin_limited):
            _limit_spin(data, spin_limited, SPIN_LIMIT)
        return False

    def watch_contacts(step: int, time: float) -> bool:
        # Every step: at high physics rates a hard, fast impact (a ball on glass) lasts fewer
        # steps than any stride would skip, and a missed contact is a missing sound and break.
        nonlocal worst, spin_limited
        if data.ncon:
            deepest = -float(data.contact.dist.min())
            if deepest > worst:
                worst = deepest
            if fracture.watching:
                if fracture.check(mujoco, model, data, time):
                    spin_limited = _spin_limited(scene, model, joints, welded, body_of,
                                                 broken={b.entity for b in fracture.breaks})
        tracker.observe(model, data, time)
        return False

    def touch_by_limbs(step: int, time: float) -> bool:
        return cast.after_step(model, data, time)

    def keep_held(step: int, time: float) -> bool:
        if holds:
            _hold(data, joints, holds, held_pose, (step + 1) * dt, dt)
        return False

    before = [fire_launches, apply_pulls, apply_medium, guard_sleep, move_limbs, swing_hammers,
              drive_vehicles, swing_doors, float_boats]
    after = [limit_spin, watch_contacts, touch_by_limbs, keep_held, latch_doors]

    def step_once(step: int) -> bool:
        """One physics step; True if something outside the system acted on it."""
        time = step * dt
        acted = False
        for effect in before:
            acted |= effect(step, time)
        advance(step)
        for effect in after:
            acted |= effect(step, time)
        return acted

    step = 0
    for sample in range(n_samples):
        target_step = sample * steps_per_sample
        worst = 0.0
        while step < target_step:
            if step_once(step):
                passive[sample] = False
            step += 1
        penetration[sample] = worst
        mujoco.mj_kinematics(model, data)
        positions[sample] = data.xpos[bodies]
        quaternions[sample] = data.xquat[bodies]
        for k, b in enumerate(bodies):
            if model.body_dofnum[b] or model.body_parentid[b]:
                mujoco.mj_objectVelocity(model, data, mujoco.mjtObj.mjOBJ_BODY, b, vel, 0)
                velocities[sample, k] = vel[3:]
        for k, joint in free_index:  # exact, not one step stale
            velocities[sample, k] = data.qvel[joint.vadr:joint.vadr + 3]
        for k, nodes in cloth.items():
            positions[sample, k] = positions[sample, nodes].mean(axis=0)
            velocities[sample, k] = velocities[sample, nodes].mean(axis=0)
            quaternions[sample, k] = (1.0, 0.0, 0.0, 0.0)
        energy[sample] = data.energy - cast.energy(data, model)
        if driving.active:
            driving.record(data, sample / sample_rate)
        for mover in movers:
            mover.record(data, sample / sample_rate)
        if boating.active:
            boating.record(data, sample / sample_rate)
        _check_stable(mujoco, model, data, names, velocities[sample], sample / sample_rate)
        if progress is not None:
            progress((sample + 1) / n_samples)
    while step < total_steps:  # contacts after the last sample still belong to the clip
        step_once(step)
        step += 1
    _check_stable(mujoco, model, data, names, velocities[-1], scene.duration)

    recording = Recording(
        fps=scene.fps,
        oversample=options.oversample,
        duration=scene.duration,
        entity_ids=tuple(names),
        times=np.arange(n_samples) / sample_rate,
        positions=positions,
        quaternions=quaternions,
        velocities=velocities,
        events=tracker.finish(scene.duration),
        speech=tuple(SpeechSpan(t.index, t.speaker, t.start, t.end, t.line.text or t.line.sound,
                                t.spoken.voice.label if t.spoken.voice else "")
                     for t in lines),
        meta={"physics_rate": scene.physics_rate, "engine": f"mujoco {mujoco.__version__}",
              "gravity": list(scene.setting.gravity),
              "breaks": [b.to_dict() for b in fracture.breaks],
              "worst_penetration_m": float(penetration.max(initial=0.0)),
              "links": {e.id: [n for n in names if n.startswith(e.id + ".")]
                        for e in scene.entities if any(n.startswith(e.id + ".") for n in names)}},
        masses=np.array(model.body_mass[bodies]),
        energy=energy,
        penetration=penetration,
        passive=passive,
        characters=cast.tracks(np.arange(n_samples) / sample_rate),
        vehicles=driving.tracks() + tuple(t for m in movers for t in m.tracks())
        + boating.tracks(),
        doors=doors.events(),
    )
    if driving.active:  # a crash leaves its dents (read back from the impacts)
        recording = replace(recording, dents=vehicle_dents(scene, recording))
    if riders:  # on their vehicles as they moved; in the Scene's order
        tracks = {t.id: t for t in recording.characters}
        tracks.update({t.id: t for t in rider_tracks(scene, recording, dict(performances))})
        order = [c.id for c in scene.characters] + [a.id for a in scene.animals]
        recording = replace(recording, characters=tuple(tracks[i] for i in order
                                                        if i in tracks))
    # Birds and fish barely push the world: animated after it, reacting to what it did.
    flocks = animate_flocks(scene, recording, timed=flock_steps)
    return replace(recording, flocks=flocks) if flocks else recording


def _check_stable(mujoco, model, data, names: list[str], velocities: np.ndarray,
                  time: float) -> None:
    """Raise PhysicsError if the simulation blew up: a body faster than MAX_SPEED, or MuJoCo
    met a huge or NaN position, velocity or acceleration (it then resets the simulation and
    carries on from the start pose, so things would jump back and the clip be wrong)."""
    what = ""
    for kind, quantity in (("BADQPOS", "position"), ("BADQVEL", "velocity"),
                           ("BADQACC", "acceleration")):
        warning = data.warning[int(getattr(mujoco.mjtWarning, "mjWARN_" + kind))]
        if warning.number:
            index = int(warning.lastinfo)
            if kind == "BADQPOS":  # a qpos index: the body of the joint holding it
                joint = int(np.searchsorted(model.jnt_qposadr, index, side="right")) - 1
                body = int(model.jnt_bodyid[max(joint, 0)]) if model.njnt else 0
            else:  # a dof index
                body = int(model.dof_bodyid[index]) if index < model.nv else 0
            what = f": the {quantity} of {model.body(body).name or 'a body'!r} became huge or NaN"
            break
    fast = np.flatnonzero(~(np.abs(velocities).max(axis=1, initial=0.0) < MAX_SPEED))  # or NaN
    if not what and len(fast):
        what = f": {names[fast[0]]!r} moves faster than {MAX_SPEED:g} m/s"
    if what:
        raise PhysicsError(
            f"the simulation became unstable at t={time:.2f} s{what}; check for overlapping "
            "objects or extreme speeds, or raise physics_rate"
        )


def _spin_limited(scene: Scene, model, joints: dict, welded: dict, body_of: dict,
                  broken) -> np.ndarray:
    """(body id, first dof) of the free bodies whose spin is capped: the pieces of the entities
    that have broken and every lopsided free body (SPIN_LIMIT). Not the pieces of something
    still whole: its welds would pull back what the cap takes, and shake it to bits."""
    rows = []
    for eid, joint in joints.items():
        if joint.nv != 6:
            continue
        inertia = np.array(model.body_inertia[body_of[eid]])
        lopsided = inertia.max() > SPIN_LIMIT_ANISOTROPY * max(inertia.min(), 1e-12)
        if eid in broken:
            rows += [[body_of[eid], joint.vadr]] + [[body, piece.vadr]
                                                   for body, piece in welded.get(eid, ())]
        elif lopsided and not entity_is_breakable(scene.entity(eid)):
            rows.append([body_of[eid], joint.vadr])
    return np.array(rows, dtype=int).reshape(-1, 2)


def _limit_spin(data, bodies: np.ndarray, limit: float) -> None:
    """Scale down every spin faster than `limit` (rows of body id, first dof of its free joint),
    keeping the centre of mass's velocity: a free joint's linear velocity is its frame origin's,
    which a piece's centre of mass sits well away from, so the spin is part of it."""
    angular = bodies[:, 1:] + np.arange(3, 6)
    spin = data.qvel[angular]  # in the body frame
    speed = np.sqrt(np.einsum("ij,ij->i", spin, spin))
    fast = speed > limit
    if not fast.any():
        return
    body, angular = bodies[fast, 0], angular[fast]
    linear = angular - 3
    scale = limit / speed[fast]
    world_spin = np.einsum("nij,nj->ni", data.xmat[body].reshape(-1, 3, 3), spin[fast])
    lever = data.xipos[body] - data.xpos[body]
    data.qvel[linear] += (1.0 - scale)[:, None] * np.cross(world_spin, lever)
    data.qvel[angular] = spin[fast] * scale[:, None]


class _SleepGuard:
    """Lets a tree sleep only while it is at rest (see SLEEP_TOLERANCE); MuJoCo's own rule counts
    steps, not time, and would freeze a pendulum at the end of its swing."""

    def __init__(self, mujoco, model):
        policy = np.array(model.tree_sleep_policy)
        allowed = (int(mujoco.mjtSleepPolicy.mjSLEEP_AUTO_ALLOWED),
                   int(mujoco.mjtSleepPolicy.mjSLEEP_ALLOWED))
        moving = np.flatnonzero((np.array(model.tree_dofnum) > 0) & np.isin(policy, allowed))
        order = np.argsort(np.array(model.tree_dofadr)[moving], kind="stable")
        self._trees = moving[order]  # trees that may sleep, in dof order
        starts = np.array(model.tree_dofadr)[self._trees]
        ends = starts + np.array(model.tree_dofnum)[self._trees]
        # the dofs of those trees (contiguous per tree) and where each tree's run starts
        self._dofs = np.concatenate([np.arange(a, b) for a, b in zip(starts, ends)]
                                    or [np.zeros(0, dtype=int)])
        self._runs = np.concatenate([[0], np.cumsum(ends - starts)[:-1]]).astype(int)
        self._length = np.array(model.dof_length)[self._dofs]  # speeds in m/s
        # One slot more than there are trees: the world's geoms (tree -1) read that last one,
        # which holds -1 like every tree that may not sleep, even in a scene with no tree at all.
        slot = np.full(int(model.ntree) + 1, -1)
        slot[self._trees] = np.arange(len(self._trees))
        self._slot_of_geom = slot[np.array(model.body_treeid)[np.array(model.geom_bodyid)]]
        self._granted = np.zeros(len(self._trees), dtype=bool)  # own policy given back
        self._moved = np.zeros(len(self._trees), dtype=bool)
        self._calm = np.zeros(len(self._trees), dtype=int)  # checks in a row it was still
        self._model = model
        self._policy = policy
        self._never = int(mujoco.mjtSleepPolicy.mjSLEEP_NEVER)
        model.tree_sleep_policy[self._trees] = self._never
        self.active = len(self._trees) > 0

    def release_resting(self, model, data) -> None:
        """Let trees that start at rest and statically supported sleep from the first step.

        A body is supported when every contact it has at t = 0 either holds it up (the contact
        normal within SUPPORT_TILT_DEG of vertical, pushing it up) or presses on it from above,
        its centre of mass lies at least SUPPORT_MARGIN_M inside the convex hull of the points
        holding it up, and whatever holds it up is fixed or supported in turn: a brick in a
        wall, a block in a straight tower, a standing domino. Anything leaning, tilted on an
        edge or balanced on a point waits (it may be about to fall).
        """
        if not self.active or data.ncon == 0:
            return
        gravity = np.array(model.opt.gravity)
        if gravity[2] >= 0.0 or np.hypot(gravity[0], gravity[1]) > 1e-9:
            return  # the test below is for gravity along -z
        tree_of = np.array(model.body_treeid)
        candidate = ~self._granted
        for k, tree in enumerate(self._trees):
            start, nv = int(model.tree_dofadr[tree]), int(model.tree_dofnum[tree])
            if model.tree_bodynum[tree] != 1 or nv != 6 or np.any(data.qvel[start:start + nv]):
                candidate[k] = False
        if not candidate.any():
            return
        slot = {int(tree): k for k, tree in enumerate(self._trees)}
        cos_tilt = math.cos(math.radians(SUPPORT_TILT_DEG))
        points: dict[int, list] = {}
        holders: dict[int, set] = {}
        bad: set[int] = set()
        contact = data.contact
        bodies = np.array(model.geom_bodyid)[contact.geom]
        normals = contact.frame[:, :3]
        for (b1, b2), n, pos in zip(bodies.tolist(), normals.tolist(), contact.pos.tolist()):
            # the normal points from geom1 to geom2: the push on body 2 is +n, on body 1 -n
            for body, other, up in ((b2, b1, n[2]), (b1, b2, -n[2])):
                if up > cos_tilt:
                    points.setdefault(body, []).append(pos[:2])
                    holders.setdefault(body, set()).add(other)
                elif up >= -cos_tilt:
                    bad.add(body)
        stable: dict[int, bool] = {}
        for body, pts in points.items():
            k = slot.get(int(tree_of[body]))
            if k is None or not candidate[k] or body in bad:
                continue
            stable[body] = _inside_hull(np.array(pts), data.xipos[body, :2], SUPPORT_MARGIN_M)
        changed = True
        while changed:  # supported only by what is fixed or supported itself
            changed = False
            for body, ok in stable.items():
                if ok and not all(model.body_dofnum[h] == 0 and model.body_weldid[h] == 0
                                  or stable.get(h, False) for h in holders[body]):
                    stable[body] = False
                    changed = True
        settled = np.zeros(len(self._trees), dtype=bool)
        for body, ok in stable.items():
            if ok:
                settled[slot[int(tree_of[body])]] = True
        self._let_sleep(settled)

    def update(self, data, early: bool) -> None:
        """Give trees at rest their sleep policy back; take it from those that move again.

        `early`: before SLEEP_AFTER_S, when only trees that have moved may sleep."""
        if not self.active:
            return
        weighted = np.abs(data.qvel[self._dofs]) * self._length
        speed = np.maximum.reduceat(weighted, self._runs)
        accel = np.maximum.reduceat(np.abs(data.qacc[self._dofs]) * self._length, self._runs)
        touching = np.zeros(len(self._trees) + 1, dtype=bool)  # the extra slot: not ours
        if data.ncon:
            geoms = data.contact.geom.ravel()
            touching[self._slot_of_geom[geoms[geoms >= 0]]] = True  # (flex contacts: geom -1)
        moving = speed >= SLEEP_TOLERANCE
        asleep = data.tree_awake[self._trees] == 0
        still = asleep | ~moving & ((accel < SLEEP_ACCELERATION) | touching[:-1])
        self._calm = np.where(still, self._calm + 1, 0)
        self._moved |= moving
        settled = ~self._granted & (self._calm >= SETTLE_CHECKS)
        if early:
            settled &= self._moved
        self._let_sleep(settled)
        woken = self._granted & ~still
        if woken.any():  # moving again (woken by a contact or an action): MuJoCo may not decide
            self._model.tree_sleep_policy[self._trees[woken]] = self._never
            self._granted &= ~woken

    def _let_sleep(self, settled: np.ndarray) -> None:
        """Give the `settled` trees their own sleep policy back."""
        if settled.any():
            trees = self._trees[settled]
            self._model.tree_sleep_policy[trees] = self._policy[trees]
            self._granted |= settled


def _inside_hull(points: np.ndarray, point: np.ndarray, margin: float) -> bool:
    """Whether `point` lies at least `margin` inside the convex hull of 2-D `points`."""
    from scipy.spatial import ConvexHull, QhullError  # noqa: PLC0415

    if len(points) < 3:
        return False
    try:
        hull = ConvexHull(points)
    except QhullError:  # collinear: a line of support, no area
        return False
    return bool(np.all(hull.equations[:, :2] @ point + hull.equations[:, 2] <= -margin))


def _may_sleep(scene: Scene) -> bool:
    """Sleeping is safe unless forces act from outside (water, air drag, pulls, a balloon's
    buoyancy)."""
    from worldreel.assets.water import water_of  # noqa: PLC0415
    from worldreel.scene import Door, Drive, Pull  # noqa: PLC0415

    setting = scene.setting
    return (water_of(setting) is None and not setting.air_drag
            and not any(isinstance(a, (Pull, Drive, Door)) for a in scene.actions)
            and not any(entity_asset(e).gas for e in scene.entities))


def _joint(model, body: int) -> _Joint:
    joint = int(model.body_jntadr[body])
    kind = int(model.jnt_type[joint])
    nq, nv = {0: (7, 6), 1: (4, 3), 2: (1, 1), 3: (1, 1)}[kind]
    return _Joint(int(model.jnt_qposadr[joint]), int(model.jnt_dofadr[joint]), nq, nv)


def _initial_velocities(scene: Scene, model, data, joints: dict[str, _Joint]) -> None:
    for entity in scene.entities:
        joint = joints.get(entity.id)
        if joint is None:
            continue
        if joint.nv == 6:
            data.qvel[joint.vadr:joint.vadr + 3] = entity.velocity
            local = Rotation.from_quat(np.roll(data.qpos[joint.qadr + 3:joint.qadr + 7], -1)).inv()
            data.qvel[joint.vadr + 3:joint.vadr + 6] = local.apply(entity.angular_velocity)
        elif joint.nv == 1:
            axis = Rotation.from_euler("xyz", entity.rotation, degrees=True).apply(
                entity_asset(entity).joint_axis)
            along = entity.velocity if entity_asset(entity).joint == "slide" else \
                entity.angular_velocity
            data.qvel[joint.vadr] = float(np.dot(axis, along))


def _hold(data, joints, holds, held_pose, time: float, dt: float) -> None:
    """Keep entities that are waiting for their drop or throw exactly where they were placed;
    released ones are dropped from `holds`."""
    for eid, release in list(holds.items()):
        if time < release - 0.5 * dt:
            joint = joints[eid]
            data.qpos[joint.qadr:joint.qadr + joint.nq] = held_pose[eid]
            data.qvel[joint.vadr:joint.vadr + joint.nv] = 0.0
        else:
            del holds[eid]


def _carry_welded(data, joint: _Joint, body: int, pieces) -> None:
    """Give welded pieces the rigid-body velocity of their entity at their own positions."""
    if joint.nv != 6 or not pieces:
        return
    root = Rotation.from_quat(np.roll(data.qpos[joint.qadr + 3:joint.qadr + 7], -1))
    linear = data.qvel[joint.vadr:joint.vadr + 3].copy()
    omega = root.apply(data.qvel[joint.vadr + 3:joint.vadr + 6])
    origin = data.qpos[joint.qadr:joint.qadr + 3]
    for _, piece in pieces:
        offset = data.qpos[piece.qadr:piece.qadr + 3] - origin
        data.qvel[piece.vadr:piece.vadr + 3] = linear + np.cross(omega, offset)
        local = Rotation.from_quat(np.roll(data.qpos[piece.qadr + 3:piece.qadr + 7], -1)).inv()
        data.qvel[piece.vadr + 3:piece.vadr + 6] = local.apply(omega)


def _fire_launches(mujoco, model, data, joints, launches: list[Launch], time: float,
                   dt: float) -> list[str]:
    """Set the velocities of every launch due at the step starting at `time`; return the
    entities that were launched."""
    fired = []
    while launches and launches[0].time <= time + 0.5 * dt:
        launch = launches.pop(0)
        joint = joints.get(launch.entity)
        if joint is None:
            continue
        if joint.nv != 6:
            rate = _hinge_rate(mujoco, model, data, joint, launch.linear)
            if rate:  # a push swings a door or a hanging bell on its hinge (a drop has none)
                data.qvel[joint.vadr] = rate
            elif not np.any(data.qvel[joint.vadr:joint.vadr + joint.nv]):
                data.qvel[joint.vadr] = WAKE_NUDGE  # otherwise only released: wake it if asleep
            continue
        fired.append(launch.entity)
        qadr, vadr = joint.qadr, joint.vadr
        local = Rotation.from_quat(np.roll(data.qpos[qadr + 3:qadr + 7], -1)).inv()
        if launch.linear is not None:
            data.qvel[vadr:vadr + 3] = launch.linear
        if launch.angular is not None:
            data.qvel[vadr + 3:vadr + 6] = local.apply(launch.angular)
        if launch.tilt is not None:
            _lean_on_support(mujoco, model, data, joint, model.body(launch.entity).id,
                             launch.tilt)
        if launch.spin_rate is not None:
            data.qvel[vadr + 3:vadr + 6] = [0.0, 0.0, launch.spin_rate]  # about its own z
        if not np.any(data.qvel[vadr:vadr + 6]):
            data.qvel[vadr + 2] = -WAKE_NUDGE
    return fired


def _lean_on_support(mujoco, model, data, joint: _Joint, body: int, rotvec: np.ndarray) -> None:
    """Lean a free body standing on one point (a top on its peg) by `rotvec` about that point;
    one standing on a face or an edge (its lowest points spread more than POINT_SUPPORT_M) only
    by FACE_LEAN_RAD, about their middle, which presses its face no deeper than a micrometre.

    The points are found from the body's shapes, not its contacts (a top that waited still for
    its spin is asleep, and MuJoCo keeps no contacts for it). Even a plate or a glass spun on its
    base must not turn about an axis exactly upright: MuJoCo's plane-cylinder test then reads
    rounding noise as a point a radius under the floor (see actions.spin_tilt) and throws it up.
    """
    mujoco.mj_kinematics(model, data)
    points = np.concatenate([_low_points(model, data, g) for g in range(model.ngeom)
                             if model.geom_bodyid[g] == body and model.geom_contype[g]])
    bottom = points[:, 2].min()
    support = points[points[:, 2] < bottom + LOW_POINT_BAND_M]
    if np.ptp(support[:, :2], axis=0).max() > POINT_SUPPORT_M:
        rotvec = rotvec / max(float(np.linalg.norm(rotvec)), 1e-12) * FACE_LEAN_RAD
    pivot = support.mean(axis=0)
    turn = Rotation.from_rotvec(rotvec)
    qadr = joint.qadr
    origin = data.qpos[qadr:qadr + 3].copy()
    pose = Rotation.from_quat(np.roll(data.qpos[qadr + 3:qadr + 7], -1))
    data.qpos[qadr:qadr + 3] = pivot + turn.apply(origin - pivot)
    data.qpos[qadr + 3:qadr + 7] = np.roll((turn * pose).as_quat(), 1)
    mujoco.mj_kinematics(model, data)


def _low_points(model, data, geom: int) -> np.ndarray:
    """Points of a geom that can be its lowest: the bottom of a sphere or of a capsule's two
    end spheres, the rims of a cylinder's ends, the corners of a box, an ellipsoid's lowest
    point (world frame)."""
    centre = data.geom_xpos[geom]
    frame = data.geom_xmat[geom].reshape(3, 3)
    size = model.geom_size[geom]
    kind = int(model.geom_type[geom])
    down = np.array([0.0, 0.0, -1.0])
    if kind == int(mujoco_geom().mjGEOM_SPHERE):
        return (centre + size[0] * down)[None]
    if kind == int(mujoco_geom().mjGEOM_CAPSULE):
        ends = centre + np.outer([1.0, -1.0], frame[:, 2] * size[1])
        return ends + size[0] * down
    if kind == int(mujoco_geom().mjGEOM_CYLINDER):
        angle = np.linspace(0.0, 2.0 * np.pi, 24, endpoint=False)
        rim = np.outer(np.cos(angle), frame[:, 0]) + np.outer(np.sin(angle), frame[:, 1])
        return np.concatenate([centre + size[0] * rim + sign * size[1] * frame[:, 2]
                               for sign in (1.0, -1.0)])
    if kind == int(mujoco_geom().mjGEOM_BOX):
        corners = np.array([[x, y, z] for x in (-1, 1) for y in (-1, 1) for z in (-1, 1)])
        return centre + (corners * size) @ frame.T
    if kind == int(mujoco_geom().mjGEOM_ELLIPSOID):
        local = frame.T @ down  # the support point of an ellipsoid along `down`
        scaled = size * size * local / max(np.linalg.norm(size * local), 1e-12)
        return (centre + frame @ scaled)[None]
    return centre[None]


def mujoco_geom():
    import mujoco  # noqa: PLC0415

    return mujoco.mjtGeom


MIN_LEVER_M = 0.01  # a push this close to a hinge's axis cannot turn it (a seesaw's middle)


def _swinging_links(scene: Scene, model) -> dict[str, _Joint]:
    """The hinge of each fixed entity whose first link swings on one (a door's leaf in its
    frame): what an action on the entity moves."""
    swings = {}
    for entity in scene.entities:
        links = entity_asset(entity).links
        if entity_is_fixed(entity, scene) and links and links[0].joint == "hinge":
            swings[entity.id] = _joint(model, model.body(f"{entity.id}.{links[0].name}").id)
    return swings


def _hinge_rate(mujoco, model, data, joint: _Joint, linear) -> float | None:
    """The hinge's angular speed (rad/s) that moves its body's centre of mass at `linear`'s
    component along the circle it can move on; None where that is not a hinge's to give."""
    index = int(model.dof_jntid[joint.vadr])
    if linear is None or model.jnt_type[index] != mujoco.mjtJoint.mjJNT_HINGE:
        return None
    axis = data.xaxis[index]
    lever = data.xipos[model.jnt_bodyid[index]] - data.xanchor[index]
    lever = lever - axis * float(axis @ lever)
    reach = float(np.linalg.norm(lever))
    if reach < MIN_LEVER_M:
        return None
    tangent = np.cross(axis, lever) / reach
    return float(np.asarray(linear) @ tangent) / reach


def _apply_pulls(data, pulls, pull_bodies, time: float) -> bool:
    acted = False
    for body in pull_bodies.values():
        data.xfrc_applied[body, :3] = 0.0
    for pull in pulls:
        if pull.start <= time < pull.end:
            data.xfrc_applied[pull_bodies[pull.entity], :3] += pull.force
            acted = True
    return acted
