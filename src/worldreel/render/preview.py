"""The preview renderer: MuJoCo's OpenGL renderer in parallel worker processes.

Frames are rendered in chunks by a pool of processes (one GL context each), finished there
(antialiasing, tone, grade, vignette, grain: render.post) and handed to the parent through a ring
of shared-memory slots, so no frame is pickled. Chunks are delivered in order and at most a few are
in flight, so memory stays flat however long the clip is. On request the workers also write
arbitrary-output variables (AOVs): depth in millimetres and instance ids, as PNG sequences.
"""

from __future__ import annotations

import contextlib
import math
import multiprocessing
import os
import pickle
import threading
import time
import warnings
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from worldreel.assets.mujoco_spec import SEA, ENV_PREFIX, build_spec, entity_asset, sea_surface
from worldreel.assets.water import water_of
from worldreel.errors import RenderError
from worldreel.interrupts import uninterrupted
from worldreel.recording import Recording
from worldreel.render.dents import DentPainter
from worldreel.render.gl import BACKENDS, gl_backend
from worldreel.render.look import dress_spec, fog_range_m, scene_look, weather_particles
from worldreel.scene import Scene, scene_from_dict, scene_to_dict
from worldreel.tempfiles import held_scratch_file, shared_folder

CHUNK_FRAMES = 4
INFLIGHT_PER_WORKER = 2
WATCH_S = 0.5  # how often the parent looks at its workers while it waits for frames
STALL_S = 600  # a chunk that makes no progress this long (a GL driver hung): give up
PARENT_CHECK_S = 1.0  # how often a worker checks that its parent is alive
AOVS = ("depth", "segmentation")
SHUTTER = 0.5  # fraction of the frame interval the shutter is open (a 180-degree shutter)
NEAR_M, FAR_M = 0.03, 400.0  # clip planes
# Aircraft fly hundreds of metres away, beyond the far plane and the haze that hides the ground's
# far edge: with one in the Scene the far plane is SKY_FAR_M away (a long lens watches from far
# off; the depth buffer's precision is set by the near plane, so a far one costs little), and
# the haze starts at SKY_FOG_START of the aircraft's reach and is complete at SKY_FOG_END of it
# (a plane at its farthest is a little hazed, as in air of ~10 km visibility).
SKY_FAR_M = 10_000.0
SKY_FOG_START, SKY_FOG_END = 0.3, 4.0
DEPTH_UNITS_PER_M = 1000  # depth PNGs hold millimetres; 65535 (65.5 m) means "farther/sky"
SIGHT_STRIDE = 4  # frames between checks of what stands in the line of sight (per shot)


def sky_reach_m(scene) -> float:
    """The farthest from the origin an aircraft of the Scene can be during the clip (0 with
    none): where it starts, plus its altitude, plus the distance its fastest speed covers."""
    from worldreel.assets.aircraft import aircraft_spec  # noqa: PLC0415
    from worldreel.scene import Drive  # noqa: PLC0415

    reach = 0.0
    for e in scene.entities:
        if aircraft_spec(e.asset) is None:
            continue
        speeds = [float(np.linalg.norm(e.velocity))] + [
            a.speed for a in scene.actions if isinstance(a, Drive) and a.entity == e.id]
        reach = max(reach, float(np.linalg.norm(e.position)) + max(speeds) * scene.duration)
    return reach


@dataclass(frozen=True)
class RenderOptions:
    """How the preview is rendered (not what: that is the Scene).

    workers: render processes (0 = one per core, at most 4). msaa: OpenGL multisamples (costly on a
    software rasterizer; a cheap post antialiasing pass is used instead when 0). shadow_size: shadow
    map resolution. shadows: "map" (shadow-mapped key light: about doubles the cost on a
    software rasterizer), "blob" (soft contact shadows under each entity: nearly free) or "none".
    motion_blur: sub-frames accumulated per frame (1 = none). depth_of_field:
    blur by distance from the subject, from the depth buffer. aov: extra outputs ("depth",
    "segmentation") written as PNG sequences into aov_dir.
    """

    workers: int = 0
    msaa: int = 0
    antialias: bool = True
    shadows: str = "blob"
    shadow_size: int = 2048
    motion_blur: int = 1
    depth_of_field: bool = False
    aov: tuple[str, ...] = ()
    aov_dir: Path | None = None
    post: bool = True

    def __post_init__(self) -> None:
        unknown = sorted(set(self.aov) - set(AOVS))
        if unknown:
            raise RenderError(f"unknown AOV {', '.join(unknown)}; choose from {', '.join(AOVS)}")
        if self.aov and self.aov_dir is None:
            raise RenderError("AOVs need a folder to be written to (aov_dir)")
        if self.shadows not in ("map", "blob", "none"):
            raise RenderError(f"shadows {self.shadows!r}: choose map, blob or none")
        if self.motion_blur < 1:
            raise RenderError("motion_blur is a number of sub-frames, at least 1")

    @classmethod
    def quality(cls, name: str, **overrides) -> "RenderOptions":
        """Named presets: "preview" (real time on a laptop CPU) or "high" (shadow maps, 3-sample
        motion blur, depth of field: several times slower)."""
        presets = {"preview": {}, "high": dict(shadows="map", shadow_size=4096, motion_blur=3,
                                               depth_of_field=True)}
        if name not in presets:
            raise RenderError(f"quality {name!r}: choose {' or '.join(presets)}")
        return cls(**(presets[name] | overrides))

    def worker_count(self, frames: int) -> int:
        wanted = self.workers or min(os.cpu_count() or 1, 4)
        return max(1, min(wanted, math.ceil(frames / CHUNK_FRAMES)))


_WORKER: dict = {}


def _store_payload(backend: str, scene_data: dict, options: RenderOptions,
                   ring: tuple[str, tuple[int, ...]], parent: int) -> None:
    # The real set-up happens in the first task, where an error reaches the caller as itself
    # (a failing initializer only says the pool broke).
    os.environ["MUJOCO_GL"] = backend  # must precede the first import of mujoco in this process
    os.environ["PYOPENGL_PLATFORM"] = backend
    # One rasterizer thread per process: the pool already uses every core.
    os.environ.setdefault("LP_NUM_THREADS", "1")
    _WORKER["payload"] = (scene_data, options, ring)
    threading.Thread(target=_leave_with, args=(parent,), daemon=True).start()


def _leave_with(parent: int) -> None:
    """Exit when the parent is gone (killed with SIGKILL, it cannot stop us): a worker waiting
    for work that will never come would hold its memory and GL context forever."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_S)
    os._exit(1)


def _init_worker(scene_data: dict, options: RenderOptions,
                 ring: tuple[str, tuple[int, ...]]) -> None:
    import mujoco  # noqa: PLC0415

    from worldreel.errors import route_mujoco_messages  # noqa: PLC0415
    from worldreel.render.post import Finisher  # noqa: PLC0415

    route_mujoco_messages()  # no MUJOCO_LOG.TXT in the user's folder from a worker either
    scene = scene_from_dict(scene_data)
    spec, _ = build_spec(scene, movable="mocap")
    look = scene_look(scene)
    dress_spec(spec, scene, look, msaa=options.msaa, shadow_size=options.shadow_size)
    if scene.characters:
        from worldreel.render.people import add_people  # noqa: PLC0415

        add_people(mujoco, spec, scene)
    if scene.animals:
        from worldreel.render.animals import add_animals  # noqa: PLC0415

        add_animals(mujoco, spec, scene)
    with warnings.catch_warnings():
        # A cloth's sheet is only drawn here (its nodes are posed from the Recording), so it
        # has no forces, which MuJoCo would warn about to the user's terminal.
        warnings.filterwarnings("ignore", message=r"flex '.*' is not rigid", category=UserWarning)
        model = spec.compile()
    # Clip planes in metres, not in units of the model's extent (a far sun would push the near
    # plane through a close-up).
    sky = sky_reach_m(scene)
    model.vis.map.znear = NEAR_M / model.stat.extent
    model.vis.map.zfar = (SKY_FAR_M if sky > 0.0 else FAR_M) / model.stat.extent
    if look.fog > 0:
        start, end = fog_range_m(look)
        if sky > 0.0:  # aircraft up to `sky` away: the haze thins so they show (see sky_reach_m)
            start, end = max(start, SKY_FOG_START * sky), max(end, SKY_FOG_END * sky)
        model.vis.map.fogstart = start / model.stat.extent
        model.vis.map.fogend = end / model.stat.extent
    if options.shadows != "map":
        model.light_castshadow[:] = 0
    names = [model.geom(g).name for g in range(model.ngeom)]
    for g, name in enumerate(names):
        if name + "/face" in names:  # a textured face covers it: drawing both costs twice
            model.geom_rgba[g, 3] = 0.0
    walls = [(g, np.array(model.geom_pos[g])) for g in range(model.ngeom)
             if names[g].startswith(ENV_PREFIX + "wall")]
    # Other set dressing (counters, desks...) is cut away when it stands in the line of sight.
    dressing = [(g, *_world_box(mujoco, model, g)) for g in range(model.ngeom)
                if names[g].startswith(ENV_PREFIX) and not names[g].startswith(ENV_PREFIX + "wall")
                and model.geom_bodyid[g] == 0 and model.geom_rbound[g] > 0
                and model.geom_rgba[g, 3] >= 1.0]  # see-through things (water) never hide
    path, shape = ring
    renderer = mujoco.Renderer(model, scene.height, scene.width)
    if look.fog > 0:
        renderer.scene.flags[mujoco.mjtRndFlag.mjRND_FOG] = 1
    _WORKER.update(
        mujoco=mujoco, model=model, data=mujoco.MjData(model), walls=walls, dressing=dressing,
        alpha={g: float(model.geom_rgba[g, 3]) for g in range(model.ngeom)},
        renderer=renderer, camera=mujoco.MjvCamera(), options=options, scene=scene,
        ring=np.memmap(path, dtype=np.uint8, mode="r+", shape=shape),
        finish=Finisher(scene.height, scene.width, look.grade, look.exposure,
                        antialiasing=options.antialias and options.msaa == 0, seed=scene.seed)
        if options.post else None,
        look=look, recording_path=None,
    )
    water = water_of(scene.setting)
    surface = sea_surface(water) if water is not None and water.waves else None
    if surface is not None:
        _WORKER["sea"] = (surface, surface.points(), model.hfield(SEA).id)
    # shadows lie on the ground: by a sea, on the beach slope and the bed under the water
    _WORKER["ground"] = water.bottom if water is not None and water.shore is not None else None
    renderer.render()  # the first draw compiles shaders and uploads textures: do it now


def _world_box(mujoco, model, geom: int) -> tuple[np.ndarray, np.ndarray]:
    """(low, high) corners of a world-fixed geom's axis-aligned bounding box, world frame."""
    rotation = np.zeros(9)
    mujoco.mju_quat2Mat(rotation, model.geom_quat[geom])
    rotation = rotation.reshape(3, 3)
    centre = model.geom_pos[geom] + rotation @ model.geom_aabb[geom, :3]
    half = np.abs(rotation) @ model.geom_aabb[geom, 3:]
    return centre - half, centre + half


def _cut_dressing(recording: Recording, dressing: list) -> dict[int, frozenset[int]]:
    """The set dressing cut away in each shot: every piece that stands, at some frame of the
    shot, between the camera and what it looks at or any of the scene's things. Decided per shot
    so nothing pops in or out while the camera rolls."""
    track = recording.camera
    things = recording.frame_positions()[:, ["." not in e for e in recording.entity_ids]]
    if recording.characters:  # people's middles too: no counter may hide them
        from worldreel.render.camera import character_middles  # noqa: PLC0415

        things = np.concatenate([things, character_middles(recording)], axis=1)
    cut: dict[int, frozenset[int]] = {}
    for shot in np.unique(track.shot_index):
        frames = np.flatnonzero(track.shot_index == shot)
        frames = np.unique(np.append(frames[::SIGHT_STRIDE], frames[-1]))
        cut[int(shot)] = frozenset(
            g for g, lo, hi in dressing
            if any(_segment_hits_box(track.positions[f], point, lo, hi)
                   for f in frames for point in (track.targets[f], *things[f])))
    return cut


def _use_recording(path: str) -> None:
    """Load the Recording a chunk refers to (once per worker) and map its entities to bodies."""
    state = _WORKER
    if state["recording_path"] == path:
        return
    with open(path, "rb") as handle:
        recording: Recording = pickle.load(handle)
    model, scene = state["model"], state["scene"]
    bodies = [model.body(e).id for e in recording.entity_ids]
    mocap = [(k, int(model.body_mocapid[b])) for k, b in enumerate(bodies)
             if model.body_mocapid[b] >= 0]
    # Instance id of every geom: 1 + the entity's index in the Recording, 0 for the world.
    body_entity = np.zeros(model.nbody, np.int32)
    for k, b in enumerate(bodies):
        body_entity[b] = k + 1
    for b in range(model.nbody):  # child bodies belong to their root entity
        root = int(model.body_rootid[b])
        if body_entity[b] == 0 and body_entity[root] != 0:
            body_entity[b] = body_entity[root]
    # Blob shadows: footprint radius and the entity origin's height above its lowest point.
    footprints = []
    for entity_id in recording.entity_ids:
        if "." in entity_id:  # a link of a multi-body entity (rope link, shard): no blob
            footprints.append((0.0, 0.0))
            continue
        entity = scene.entity(entity_id)
        lo, hi = entity_asset(entity).bounds()
        half_xy = 0.5 * max(hi[0] - lo[0], hi[1] - lo[1]) * entity.scale
        footprints.append((min(half_xy, 0.35), -lo[2] * entity.scale))
    people = animals = None
    if recording.characters and scene.characters:
        from worldreel.render.people import PeoplePoser  # noqa: PLC0415

        people = PeoplePoser(model, scene, recording)
    if recording.characters and scene.animals:
        from worldreel.render.animals import AnimalPoser  # noqa: PLC0415

        animals = AnimalPoser(model, scene, recording)
    # People's ids follow the entities', in the Scene's order; each of their skins is theirs.
    person = {c.id: len(recording.entity_ids) + 1 + n for n, c in enumerate(scene.characters)}
    # Animals' follow the people's; every solid on their bones is theirs.
    beast = {a.id: len(person) + len(recording.entity_ids) + 1 + n
             for n, a in enumerate(scene.animals)}
    for b in range(model.nbody) if beast else ():
        owner = model.body(b).name.split(":")[0]
        if owner in beast and ":" in model.body(b).name:
            body_entity[b] = beast[owner]
    skin_instance = np.array([person.get(model.skin(s).name.split(":")[0], 0)
                              for s in range(model.nskin)], np.int32)
    flocks = None
    if recording.flocks:
        from worldreel.render.birds import FlockPainter  # noqa: PLC0415

        flocks = FlockPainter(recording)
    if state.get("dents") is not None:  # the last recording's dents off this model
        state["dents"].apply(model, -1.0)
    state["dents"] = DentPainter(model, recording, scene.seed) if recording.dents else None
    from worldreel.render.wakes import WakePainter  # noqa: PLC0415

    wakes = WakePainter.of(scene, recording)  # foam behind boats under way
    state.update(recording=recording, recording_path=path, mocap=mocap, footprints=footprints,
                 people=people, animals=animals, flocks=flocks, skin_instance=skin_instance,
                 wakes=wakes,
                 instance_count=len(recording.entity_ids) + len(scene.characters)
                 + len(scene.animals),
                 cut_dressing=_cut_dressing(recording, state["dressing"]),
                 geom_instance=np.concatenate([[0], body_entity[model.geom_bodyid]]
                                              ).astype(np.int32))


def _warm() -> bool:
    if "renderer" not in _WORKER:
        _init_worker(*_WORKER["payload"])
    return True


def _set_camera(state: dict, frame: int) -> None:
    track = state["recording"].camera
    position, target = track.positions[frame], track.targets[frame]
    offset = target - position
    distance = float(np.linalg.norm(offset))
    forward = offset / max(distance, 1e-9)
    cam = state["camera"]
    cam.type = state["mujoco"].mjtCamera.mjCAMERA_FREE
    cam.lookat[:] = target
    cam.distance = distance
    cam.azimuth = math.degrees(math.atan2(forward[1], forward[0]))
    cam.elevation = math.degrees(math.asin(np.clip(forward[2], -1.0, 1.0)))
    state["model"].vis.global_.fovy = float(track.fovy[frame])
    # Cut away walls the camera stands behind, the way a set is opened for filming.
    for geom, centre in state["walls"]:
        outward = centre.copy()
        outward[2] = 0.0
        behind = float(np.dot(position - centre, outward)) > 0.0
        state["model"].geom_rgba[geom, 3] = 0.0 if behind else state["alpha"][geom]
    cut = state["cut_dressing"][int(track.shot_index[frame])]
    for geom, _, _ in state["dressing"]:
        state["model"].geom_rgba[geom, 3] = 0.0 if geom in cut else state["alpha"][geom]


def _segment_hits_box(start: np.ndarray, end: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> bool:
    """Whether the segment start-end passes through the axis-aligned box lo..hi (slab test)."""
    direction = end - start
    t0, t1 = 0.0, 1.0
    for k in range(3):
        if abs(direction[k]) < 1e-12:
            if not lo[k] <= start[k] <= hi[k]:
                return False
            continue
        a = (lo[k] - start[k]) / direction[k]
        b = (hi[k] - start[k]) / direction[k]
        t0, t1 = max(t0, min(a, b)), min(t1, max(a, b))
        if t0 > t1:
            return False
    return True


def _pose_at(recording: Recording, sample: float) -> tuple[np.ndarray, np.ndarray]:
    """Positions and quaternions of every entity at a fractional sample index (interpolated)."""
    last = len(recording.times) - 1
    sample = min(max(sample, 0.0), last)
    i = int(math.floor(sample))
    j = min(i + 1, last)
    a = sample - i
    if a < 1e-9 or i == j:
        return recording.positions[i], recording.quaternions[i]
    pos = (1 - a) * recording.positions[i] + a * recording.positions[j]
    q0, q1 = recording.quaternions[i], recording.quaternions[j]
    q1 = np.where((np.sum(q0 * q1, axis=1) < 0)[:, None], -q1, q1)
    quat = (1 - a) * q0 + a * q1  # nlerp: exact enough between neighbouring samples
    return pos, quat / np.linalg.norm(quat, axis=1, keepdims=True)


def _draw(state: dict, frame: int, sample: float) -> None:
    mujoco, model, data = state["mujoco"], state["model"], state["data"]
    pos, quat = _pose_at(state["recording"], sample)
    for k, m in state["mocap"]:
        data.mocap_pos[m] = pos[k]
        data.mocap_quat[m] = quat[k]
    if state["people"] is not None:
        state["people"].pose(model, data, sample)
    if state.get("animals") is not None:
        state["animals"].pose(model, data, sample)
    if state.get("sea") is not None:
        _move_sea(state, sample)
    if state.get("dents") is not None:
        state["dents"].apply(model, sample / state["recording"].sample_rate)
    mujoco.mj_kinematics(model, data)
    if model.nflex:  # cloth and soft bodies: their surface follows the posed nodes
        mujoco.mj_flex(model, data)
    state["renderer"].update_scene(data, camera=state["camera"])
    scene = state["renderer"].scene
    if state.get("dents") is not None:  # crushed skin: solid, seen by depth and segmentation
        state["dents"].draw(mujoco, data, scene)
    state["base_ngeom"] = scene.ngeom  # what the model holds; decoration is added after
    if state["options"].shadows == "blob":
        _add_blob_shadows(state, scene, pos)
        if state["people"] is not None:
            for x, y, radius, height in state["people"].shadows(sample):
                _add_blob(state, scene, x, y, radius, height)
        if state.get("animals") is not None:
            for x, y, radius, height in state["animals"].shadows(sample):
                _add_blob(state, scene, x, y, radius, height)
        if state.get("flocks") is not None:
            for x, y, radius, height in state["flocks"].shadows(sample):
                _add_blob(state, scene, x, y, radius, height)
    if state.get("flocks") is not None:
        _add_flocks(state, scene, sample)
    if state.get("wakes") is not None:
        ellipsoid = mujoco.mjtGeom.mjGEOM_ELLIPSOID
        for size, centre, turn, rgba in state["wakes"].patches(sample):
            _add_geom(state, scene, ellipsoid, size, centre, rgba, turn)
    particles = weather_particles(state["look"], sample / state["recording"].sample_rate,
                                  state["recording"].camera.targets[frame],
                                  state["scene"].seed,
                                  count=900 if state["look"].weather == "rain" else 500)
    if particles is not None:
        _add_particles(state, scene, *particles)


def _add_flocks(state: dict, scene, sample: float) -> None:
    """Every bird and fish, shape by shape (render.birds), as lit decoration geoms."""
    kinds = {"ellipsoid": state["mujoco"].mjtGeom.mjGEOM_ELLIPSOID,
             "box": state["mujoco"].mjtGeom.mjGEOM_BOX,
             "capsule": state["mujoco"].mjtGeom.mjGEOM_CAPSULE,
             "sphere": state["mujoco"].mjtGeom.mjGEOM_SPHERE}
    for shape, size, centre, rotation, rgba, glow in state["flocks"].shapes(sample):
        if scene.ngeom >= scene.maxgeom:
            return
        _add_geom(state, scene, kinds[shape], size, centre, rgba, rotation.reshape(-1))
        scene.geoms[scene.ngeom - 1].emission = glow


def _move_sea(state: dict, sample: float) -> None:
    """Raise the drawn sea to its surface at this sample's time (the swell physics floats
    things on), and hand the new heights to the GL context."""
    mujoco, model, renderer = state["mujoco"], state["model"], state["renderer"]
    surface, points, field = state["sea"]
    scene = state["scene"]
    t = sample / state["recording"].sample_rate * scene.time_lapse / scene.slow_motion  # world s
    start, count = int(model.hfield_adr[field]), int(model.hfield_nrow[field] *
                                                      model.hfield_ncol[field])
    model.hfield_data[start:start + count] = surface.grid(t, points).ravel()
    # mujoco.Renderer keeps its GL context private; it is this worker's only one
    if renderer._gl_context is not None:
        renderer._gl_context.make_current()
    mujoco.mjr_uploadHField(model, renderer._mjr_context, field)


def _add_geom(state: dict, scene, kind, size, pos, rgba, mat=None) -> None:
    mujoco = state["mujoco"]
    if scene.ngeom >= scene.maxgeom:
        return
    geom = scene.geoms[scene.ngeom]
    mujoco.mjv_initGeom(geom, kind, np.asarray(size, float), np.asarray(pos, float),
                        np.eye(3).reshape(-1) if mat is None else mat,
                        np.asarray(rgba, np.float32))
    geom.category = mujoco.mjtCatBit.mjCAT_DECOR
    scene.ngeom += 1


BLOB_RINGS = tuple((1.6 - 0.18 * k, 0.035 + 0.01 * k) for k in range(7))  # soft falloff  # (radius factor, opacity), soft edge out


def _add_blob_shadows(state: dict, scene, pos: np.ndarray) -> None:
    """Soft dark discs on the floor under every entity, fading and spreading with height."""
    for k, (radius, bottom) in enumerate(state["footprints"]):
        if radius <= 0.0:
            continue
        _add_blob(state, scene, float(pos[k, 0]), float(pos[k, 1]), radius,
                  max(float(pos[k, 2]) - bottom, 0.0))


def _add_blob(state: dict, scene, x: float, y: float, radius: float, height: float) -> None:
    """One soft shadow of `radius` on the ground at (x, y), for something `height` above the
    floor's z = 0 (the sand; where the ground lies lower, the shadow does too)."""
    kind = state["mujoco"].mjtGeom.mjGEOM_ELLIPSOID
    ground = 0.0 if state.get("ground") is None else float(state["ground"](x, y))
    height = max(height - ground, 0.0)
    spread = 1.0 + 0.35 * height
    fade = 1.0 / (1.0 + 0.9 * height) ** 2
    for factor, alpha in BLOB_RINGS:
        r = radius * factor * spread
        _add_geom(state, scene, kind, (r, r, 0.001), (x, y, ground + 0.004),
                  (0.0, 0.0, 0.0, alpha * fade))


def _add_particles(state: dict, scene, positions: np.ndarray, halves: np.ndarray) -> None:
    mujoco = state["mujoco"]
    rain = halves[0, 2] > halves[0, 0] * 2
    kind = mujoco.mjtGeom.mjGEOM_BOX if rain else mujoco.mjtGeom.mjGEOM_SPHERE
    rgba = (0.75, 0.8, 0.88, 0.45) if rain else (0.97, 0.97, 1.0, 0.95)
    for p, h in zip(positions, halves):
        _add_geom(state, scene, kind, h, p, rgba)


def _render_frame(state: dict, frame: int) -> np.ndarray:
    recording: Recording = state["recording"]
    options: RenderOptions = state["options"]
    renderer = state["renderer"]
    _set_camera(state, frame)
    base = frame * recording.oversample
    k = options.motion_blur
    if k == 1:
        _draw(state, frame, base)
        image = renderer.render()
    else:
        # Sub-frame accumulation over an open shutter, poses interpolated between samples.
        acc = np.zeros((renderer.height, renderer.width, 3), np.uint16)
        for s in range(k):
            _draw(state, frame, base + recording.oversample * SHUTTER * (s / k - 0.5))
            acc += renderer.render()
        image = ((acc + k // 2) // k).astype(np.uint8)
    depth = None
    if options.depth_of_field or "depth" in options.aov:
        decorated = renderer.scene.ngeom
        renderer.scene.ngeom = state["base_ngeom"]  # depth of things, not of blended decoration
        renderer.enable_depth_rendering()
        depth = renderer.render()
        renderer.disable_depth_rendering()
        renderer.scene.ngeom = decorated
    if state["finish"] is not None:
        if options.depth_of_field and depth is not None:
            from worldreel.render.post import depth_of_field  # noqa: PLC0415

            track = recording.camera
            focus = float(np.linalg.norm(track.targets[frame] - track.positions[frame]))
            focal = 12.0 / math.tan(math.radians(track.fovy[frame]) / 2)
            image = depth_of_field(image, depth, focus, focal, state["look"].f_number)
        image = state["finish"](image, frame)
    if options.aov:
        _write_aovs(state, frame, depth)
    return image


def _write_png(path: Path, array: np.ndarray) -> None:
    from PIL import Image  # noqa: PLC0415

    tmp = path.with_name(f".{path.name}.tmp")
    Image.fromarray(array).save(tmp, format="PNG", compress_level=1)
    os.replace(tmp, path)


def _write_aovs(state: dict, frame: int, depth: np.ndarray | None) -> None:
    options: RenderOptions = state["options"]
    folder = Path(options.aov_dir)
    if "depth" in options.aov and depth is not None:
        mm = np.clip(np.round(depth * DEPTH_UNITS_PER_M), 0, 65535).astype(np.uint16)
        _write_png(folder / "depth" / f"{frame:05d}.png", mm)
    if "segmentation" in options.aov:
        renderer = state["renderer"]
        decorated = renderer.scene.ngeom
        renderer.scene.ngeom = state["base_ngeom"]  # blended shadows and weather: no ids
        renderer.enable_segmentation_rendering()
        seg = renderer.render()
        renderer.disable_segmentation_rendering()
        renderer.scene.ngeom = decorated
        found, kind = seg[..., 0], seg[..., 1]
        ids = np.zeros(found.shape, np.int32)
        objects = state["mujoco"].mjtObj
        # Things are geoms; people are skins (one per body part and garment).
        for objtype, table in ((objects.mjOBJ_GEOM, state["geom_instance"][1:]),
                               (objects.mjOBJ_SKIN, state["skin_instance"])):
            mask = (kind == int(objtype)) & (found >= 0) & (found < len(table))
            ids[mask] = table[found[mask]]
        dtype = np.uint8 if state["instance_count"] < 255 else np.uint16
        _write_png(folder / "segmentation" / f"{frame:05d}.png", ids.astype(dtype))


def _render_chunk(recording_path: str, frames: list[int], slot: int) -> tuple[int, int]:
    _warm()
    _use_recording(recording_path)
    state = _WORKER
    ring = state["ring"]
    for i, frame in enumerate(frames):
        ring[slot, i] = _render_frame(state, frame)
    return slot, len(frames)


def _machine_failure(exc: BaseException) -> bool:
    """Whether a worker's error is the machine's (OpenGL, MuJoCo, memory, the file system)
    rather than a bug: said as a rendering failure the user can act on."""
    module = type(exc).__module__.split(".")[0]
    return module in ("mujoco", "OpenGL") or isinstance(exc, OSError | MemoryError |
                                                          RuntimeError)


def _ring_file(slots: int, height: int, width: int) -> tuple[int, str, tuple[int, ...]]:
    """A scratch file in shared memory holding `slots` chunks of frames: (the descriptor
    holding its lock, its path, its shape)."""
    fd, path = held_scratch_file("frames", shared_folder())
    shape = (slots, CHUNK_FRAMES, height, width, 3)
    os.truncate(path, int(np.prod(shape)))
    return fd, str(path), shape


def prepare_aov_dir(folder: Path, aov: tuple[str, ...], entity_ids: tuple[str, ...],
                    character_ids: tuple[str, ...] = ()) -> None:
    """Create the AOV folders and write ids.json: which instance id is which entity or person
    (people after the entities)."""
    import json  # noqa: PLC0415

    for name in aov:
        (folder / name).mkdir(parents=True, exist_ok=True)
    named = [*entity_ids, *character_ids]
    doc = {"depth_units_per_metre": DEPTH_UNITS_PER_M, "depth_far": 65535,
           "instance_ids": {"0": "world"} | {str(k + 1): e for k, e in enumerate(named)}}
    (folder / "ids.json").write_text(json.dumps(doc, indent=1) + "\n")


class Preview:
    """A warm pool of render workers for one Scene: start it early, render when the Recording is in.

    The workers import MuJoCo, build and dress the model, open their GL context and make their
    textures as soon as the pool starts, so that work overlaps simulation and sound. A worker
    that dies (killed for memory, a crash in the GL driver) is noticed within a second
    (concurrent.futures breaks the pool), not waited for.
    """

    def __init__(self, scene: Scene, options: RenderOptions = RenderOptions()):
        self.scene, self.options = scene, options
        self.workers = options.worker_count(scene.frame_count)
        self.slots = self.workers * INFLIGHT_PER_WORKER
        self.pool: ProcessPoolExecutor | None = None
        self.ring_lock = None
        self.backend_chosen = os.environ.get("MUJOCO_GL", "").strip().lower() in BACKENDS
        try:
            with uninterrupted():  # made and known to close(), or not made
                self.ring_lock, ring_path, ring_shape = _ring_file(self.slots, scene.height,
                                                                   scene.width)
                self.ring = (ring_path, ring_shape)
            self._start(gl_backend() if self.backend_chosen else BACKENDS[0])
        except BaseException:
            self.close()  # workers started before the failure are not left running
            raise

    def _start(self, backend: str) -> None:
        # Each submit here starts a worker: a Ctrl-C in the middle would leave one half-born,
        # printing a traceback of its own, so signals wait until the workers are up.
        with uninterrupted():
            self.pool = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn"),
                initializer=_store_payload,
                initargs=(backend, scene_to_dict(self.scene), self.options, self.ring,
                          os.getpid()))
            self.warming = [self.pool.submit(_warm) for _ in range(self.workers)]

    def _fall_back(self) -> None:
        """The guessed GL backend failed: probe for one that works and start again."""
        self._stop_workers()
        self.backend_chosen = True
        self._start(gl_backend())

    def frames(self, recording: Recording) -> Iterator[np.ndarray]:
        """Yield every video frame (H, W, 3) uint8 sRGB of the Recording, in order."""
        if recording.camera is None:
            raise RenderError("the recording has no camera track; plan one with "
                              "render.plan_camera")
        if self.options.aov:
            prepare_aov_dir(Path(self.options.aov_dir), self.options.aov, recording.entity_ids,
                            tuple(c.id for c in self.scene.characters)
                            + tuple(a.id for a in self.scene.animals))
        lock = rec_path = None
        try:
            with uninterrupted():  # made and known to this block, or not made
                lock, rec_path = held_scratch_file("recording", shared_folder())
            with open(rec_path, "wb") as handle:
                pickle.dump(recording, handle, protocol=pickle.HIGHEST_PROTOCOL)
            try:
                for warming in self.warming:
                    self._result(warming)
            except RenderError:
                raise
            except Exception:
                if self.backend_chosen:
                    raise
                self._fall_back()
            yield from self._deliver(str(rec_path), recording.frame_count)
        except RenderError:
            raise
        except Exception as exc:
            if not _machine_failure(exc):
                raise  # a bug in WorldReel: the CLI says so (exit 70), not "rendering failed"
            raise RenderError(f"rendering failed: {exc}") from exc
        finally:
            if rec_path is not None:
                rec_path.unlink(missing_ok=True)
                os.close(lock)

    def _result(self, future: Future):
        """The future's result; a dead worker said within a second, a hung one after STALL_S."""
        waited = 0.0
        while True:
            try:
                return future.result(timeout=WATCH_S)
            except FutureTimeout:
                waited += WATCH_S
                if waited >= STALL_S:
                    raise RenderError(f"a render worker made no progress for {STALL_S} s (a hung "
                                      "GL driver?); try again, or with --quality preview"
                                      ) from None
            except BrokenProcessPool:
                raise RenderError("a render worker died (killed, perhaps for memory, or crashed "
                                  "in OpenGL); try again with a smaller --size, or free memory"
                                  ) from None

    def _deliver(self, rec_path: str, frames: int) -> Iterator[np.ndarray]:
        chunks = [list(range(s, min(s + CHUNK_FRAMES, frames)))
                  for s in range(0, frames, CHUNK_FRAMES)]
        view = np.memmap(self.ring[0], dtype=np.uint8, mode="r+", shape=self.ring[1])
        pending: deque = deque()
        queue = iter(chunks)
        free = deque(range(self.slots))
        for chunk in queue:
            pending.append(self.pool.submit(_render_chunk, rec_path, chunk, free.popleft()))
            if not free:
                break
        while pending:
            slot, count = self._result(pending.popleft())
            for i in range(count):
                yield np.array(view[slot, i])  # a copy: the slot is reused next
            nxt = next(queue, None)
            if nxt is not None:
                pending.append(self.pool.submit(_render_chunk, rec_path, nxt, slot))
        del view

    def _stop_workers(self) -> None:
        """Stop the workers now, whatever they are doing (a failure or Ctrl-C must not wait for
        the chunks in flight)."""
        if self.pool is None:
            return
        pool, self.pool = self.pool, None
        # concurrent.futures has no public way to kill its workers before Python 3.14.
        terminate = getattr(pool, "terminate_workers", None)
        processes = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        if terminate is not None:
            terminate()
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(timeout=5)
            if process.is_alive():
                process.kill()
                process.join()

    def close(self) -> None:
        self._stop_workers()
        if self.ring_lock is not None:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(self.ring[0])
            os.close(self.ring_lock)
            self.ring_lock = None

    def __enter__(self) -> "Preview":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def render_frames(scene: Scene, recording: Recording, options: RenderOptions = RenderOptions(),
                  warm: Preview | None = None) -> Iterator[np.ndarray]:
    """Yield every video frame (H, W, 3) uint8 sRGB, in order (on `warm`'s pool when given)."""
    if recording.camera is None:
        raise RenderError("the recording has no camera track; plan one with render.plan_camera")
    if warm is not None:
        yield from warm.frames(recording)
        return
    with Preview(scene, options) as preview:
        yield from preview.frames(recording)
