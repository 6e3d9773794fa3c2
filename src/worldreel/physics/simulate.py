"""Play a Scene in MuJoCo and return its Recording.

Clocks: the physics step is 1 / scene.physics_rate; poses are sampled fps x oversample times a
second, which must divide the physics rate so every sample falls on a step; contact events are
timed inside steps (see contacts.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.assets import check_scene_assets
from worldreel.assets.mujoco_spec import build_spec, entity_bottom, entity_is_fixed
from worldreel.errors import PhysicsError, SceneError
from worldreel.physics.actions import Launch, held_until, plan_launches
from worldreel.physics.contact_model import contact_params
from worldreel.physics.contacts import ContactTracker
from worldreel.recording import Recording
from worldreel.scene import Scene
from worldreel.timeline import resolve_actions

MAX_SPEED = 200.0  # m/s; faster than this the simulation has blown up
FLOOR_TOLERANCE = 0.005  # m an object may start inside the floor (rounding in hand-made scenes)


@dataclass(frozen=True)
class PhysicsOptions:
    """How densely to sample poses: oversample > 1 for motion blur or slow motion."""

    oversample: int = 1


def check_start_poses(scene: Scene) -> None:
    """Reject scenes whose objects start inside the floor, saying how high to lift them."""
    for n, entity in enumerate(scene.entities):
        bottom = entity_bottom(entity)
        if bottom < -FLOOR_TOLERANCE:
            raise SceneError(
                f"entities[{n}].position: {entity.id!r} starts {-bottom:.3f} m inside the floor; "
                f"raise z to at least {entity.position[2] - bottom:.3f}"
            )


def simulate(
    scene: Scene,
    options: PhysicsOptions = PhysicsOptions(),
    progress: Callable[[float], None] | None = None,
) -> Recording:
    """Simulate the Scene; poses at every sample, contact events with sub-step times."""
    import mujoco  # noqa: PLC0415

    check_scene_assets(scene)
    check_start_poses(scene)
    timed = resolve_actions(scene)
    sample_rate = scene.fps * options.oversample
    if scene.physics_rate % sample_rate:
        raise SceneError(
            f"physics_rate {scene.physics_rate} must be a multiple of fps x oversample "
            f"({sample_rate})"
        )
    steps_per_sample = scene.physics_rate // sample_rate
    dt = 1.0 / scene.physics_rate

    spec, geoms = build_spec(scene, movable="free", contacts=contact_params(scene.physics_rate))
    try:
        model = spec.compile()
    except ValueError as exc:
        raise PhysicsError(f"the scene could not be built for simulation: {exc}") from None
    data = mujoco.MjData(model)

    bodies = [model.body(e.id).id for e in scene.entities]
    free = {e.id: _free_joint(model, b) for e, b in zip(scene.entities, bodies)
            if not entity_is_fixed(e, scene)}
    for entity in scene.entities:
        if entity.id in free:
            qadr, vadr = free[entity.id]
            data.qvel[vadr:vadr + 3] = entity.velocity
            local = Rotation.from_quat(np.roll(data.qpos[qadr + 3:qadr + 7], -1)).inv()
            data.qvel[vadr + 3:vadr + 6] = local.apply(entity.angular_velocity)
    mujoco.mj_forward(model, data)
    gravity = np.array(scene.setting.gravity, dtype=float)
    holds = {eid: t for eid, t in held_until(scene, timed).items() if eid in free}
    held_pose = {eid: data.qpos[free[eid][0]:free[eid][0] + 7].copy() for eid in holds}
    launches = list(plan_launches(scene, timed, gravity))

    n_samples = scene.frame_count * options.oversample
    positions = np.zeros((n_samples, len(bodies), 3))
    quaternions = np.zeros((n_samples, len(bodies), 4))
    velocities = np.zeros((n_samples, len(bodies), 3))
    tracker = ContactTracker(model, geoms, dt)
    total_steps = round(scene.duration * scene.physics_rate)

    step = 0
    for sample in range(n_samples):
        target_step = sample * steps_per_sample
        while step < target_step:
            _step(mujoco, model, data, tracker, free, holds, held_pose, launches, step, dt)
            step += 1
        _sample(data, scene, bodies, free, positions[sample], quaternions[sample],
                velocities[sample])
        if not (np.all(np.isfinite(velocities[sample]))
                and np.abs(velocities[sample]).max(initial=0.0) < MAX_SPEED):
            raise PhysicsError(
                f"the simulation became unstable at t={sample / sample_rate:.2f} s; check for "
                "overlapping objects or extreme speeds, or raise physics_rate"
            )
        if progress is not None:
            progress((sample + 1) / n_samples)
    while step < total_steps:  # contacts after the last sample still belong to the clip
        _step(mujoco, model, data, tracker, free, holds, held_pose, launches, step, dt)
        step += 1

    return Recording(
        fps=scene.fps,
        oversample=options.oversample,
        duration=scene.duration,
        entity_ids=tuple(e.id for e in scene.entities),
        times=np.arange(n_samples) / sample_rate,
        positions=positions,
        quaternions=quaternions,
        velocities=velocities,
        events=tracker.finish(scene.duration),
        meta={"physics_rate": scene.physics_rate, "engine": f"mujoco {mujoco.__version__}",
              "gravity": list(scene.setting.gravity)},
    )


def _free_joint(model, body: int) -> tuple[int, int]:
    joint = int(model.body_jntadr[body])
    return int(model.jnt_qposadr[joint]), int(model.jnt_dofadr[joint])


def _step(mujoco, model, data, tracker: ContactTracker, free, holds, held_pose,
          launches: list[Launch], step: int, dt: float) -> None:
    """One physics step from time step*dt: fire due launches, step, record contacts, hold."""
    _fire_launches(data, free, launches, step * dt, dt)
    mujoco.mj_step(model, data)
    tracker.observe(model, data, step * dt)
    _hold(data, free, holds, held_pose, (step + 1) * dt, dt)


def _hold(data, free, holds, held_pose, time: float, dt: float) -> None:
    """Keep entities that are waiting for their drop or throw exactly where they were placed."""
    for eid, release in holds.items():
        if time < release - 0.5 * dt:
            qadr, vadr = free[eid]
            data.qpos[qadr:qadr + 7] = held_pose[eid]
            data.qvel[vadr:vadr + 6] = 0.0


def _fire_launches(data, free, launches: list[Launch], time: float, dt: float) -> None:
    """Set the velocities of every launch due at the step starting at `time`."""
    while launches and launches[0].time <= time + 0.5 * dt:
        launch = launches.pop(0)
        if launch.entity not in free:
            continue
        qadr, vadr = free[launch.entity]
        if launch.linear is not None:
            data.qvel[vadr:vadr + 3] = launch.linear
        if launch.angular is not None:
            local = Rotation.from_quat(np.roll(data.qpos[qadr + 3:qadr + 7], -1)).inv()
            data.qvel[vadr + 3:vadr + 6] = local.apply(launch.angular)


def _sample(data, scene: Scene, bodies, free, pos_out, quat_out, vel_out) -> None:
    # After mj_step, xpos/xquat describe the state before the step; qpos is current.
    for k, (entity, body) in enumerate(zip(scene.entities, bodies)):
        if entity.id in free:
            qadr, vadr = free[entity.id]
            pos_out[k] = data.qpos[qadr:qadr + 3]
            quat_out[k] = data.qpos[qadr + 3:qadr + 7]
            vel_out[k] = data.qvel[vadr:vadr + 3]
        else:
            pos_out[k] = data.xpos[body]
            quat_out[k] = data.xquat[body]
            vel_out[k] = 0.0
