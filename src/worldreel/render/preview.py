"""The preview renderer: MuJoCo's OpenGL renderer in parallel worker processes.

Frames are rendered in chunks by a pool of processes (one GL context each), finished there
(antialiasing, tone, grade, vignette, grain: render.post) and handed to the parent through a ring
of shared-memory slots, so no frame is pickled. Chunks are delivered in order and at most a few are
in flight, so memory stays flat however long the clip is. On request the workers also write
arbitrary-output variables (AOVs): depth in millimetres and instance ids, as PNG sequences.
"""

from __future__ import annotations

import math
import multiprocessing
import os
import tempfile
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from worldreel.assets.mujoco_spec import ENV_PREFIX, build_spec
from worldreel.errors import RenderError
from worldreel.recording import Recording
from worldreel.render.gl import gl_backend
from worldreel.render.look import dress_spec, scene_look
from worldreel.scene import Scene, scene_from_dict, scene_to_dict

CHUNK_FRAMES = 4
INFLIGHT_PER_WORKER = 2
AOVS = ("depth", "segmentation")
SHUTTER = 0.5  # fraction of the frame interval the shutter is open (a 180-degree shutter)
DEPTH_UNITS_PER_M = 1000  # depth PNGs hold millimetres; 65535 (65.5 m) means "farther/sky"


@dataclass(frozen=True)
class RenderOptions:
    """How the preview is rendered (not what: that is the Scene).

    workers: render processes (0 = one per core, at most 4). msaa: OpenGL multisamples (costly on a
    software rasterizer; a cheap post antialiasing pass is used instead when 0). shadow_size: shadow
    map resolution. motion_blur: sub-frames accumulated per frame (1 = none). depth_of_field:
    blur by distance from the subject, from the depth buffer. aov: extra outputs ("depth",
    "segmentation") written as PNG sequences into aov_dir.
    """

    workers: int = 0
    msaa: int = 0
    antialias: bool = True
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
        if self.motion_blur < 1:
            raise RenderError("motion_blur is a number of sub-frames, at least 1")

    def worker_count(self, frames: int) -> int:
        wanted = self.workers or min(os.cpu_count() or 1, 4)
        return max(1, min(wanted, math.ceil(frames / CHUNK_FRAMES)))


_WORKER: dict = {}


def _store_payload(backend: str, scene_data: dict, recording: Recording, options: RenderOptions,
                   ring: tuple[str, tuple[int, ...]]) -> None:
    # Pool initializers must not fail (a failing one is restarted forever), so the real set-up
    # happens in the first task, where an error reaches the caller.
    os.environ["MUJOCO_GL"] = backend  # must precede the first import of mujoco in this process
    # One rasterizer thread per process: the pool already uses every core.
    os.environ.setdefault("LP_NUM_THREADS", "1")
    _WORKER["payload"] = (scene_data, recording, options, ring)


def _init_worker(scene_data: dict, recording: Recording, options: RenderOptions,
                 ring: tuple[str, tuple[int, ...]]) -> None:
    import mujoco  # noqa: PLC0415

    from worldreel.render.post import Finisher  # noqa: PLC0415

    scene = scene_from_dict(scene_data)
    spec, _ = build_spec(scene, movable="mocap")
    look = scene_look(scene)
    dress_spec(spec, scene, look, msaa=options.msaa, shadow_size=options.shadow_size)
    model = spec.compile()
    data = mujoco.MjData(model)
    bodies = [model.body(e).id for e in recording.entity_ids]
    mocap = [(k, int(model.body_mocapid[b])) for k, b in enumerate(bodies)
             if model.body_mocapid[b] >= 0]
    walls = [(g, np.array(model.geom_pos[g])) for g in range(model.ngeom)
             if model.geom(g).name.startswith(ENV_PREFIX + "wall")]
    # Instance id of every geom: 1 + the entity's index in the Recording, 0 for the world.
    body_entity = np.zeros(model.nbody, np.int32)
    for k, b in enumerate(bodies):
        body_entity[b] = k + 1
    for b in range(model.nbody):  # child bodies belong to their root entity
        root = int(model.body_rootid[b])
        if body_entity[b] == 0 and body_entity[root] != 0:
            body_entity[b] = body_entity[root]
    geom_instance = np.concatenate([[0], body_entity[model.geom_bodyid]]).astype(np.int32)
    path, shape = ring
    _WORKER.update(
        mujoco=mujoco, model=model, data=data, mocap=mocap, walls=walls,
        alpha={g: float(model.geom_rgba[g, 3]) for g, _ in walls},
        renderer=mujoco.Renderer(model, scene.height, scene.width),
        recording=recording, camera=mujoco.MjvCamera(), options=options, scene=scene,
        ring=np.memmap(path, dtype=np.uint8, mode="r+", shape=shape),
        finish=Finisher(scene.height, scene.width, look.grade, look.exposure,
                        antialiasing=options.antialias and options.msaa == 0, seed=scene.seed)
        if options.post else None,
        geom_instance=geom_instance, look=look,
    )


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
    mujoco.mj_kinematics(model, data)
    state["renderer"].update_scene(data, camera=state["camera"])


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
        renderer.enable_depth_rendering()
        depth = renderer.render()
        renderer.disable_depth_rendering()
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
        renderer.enable_segmentation_rendering()
        seg = renderer.render()
        renderer.disable_segmentation_rendering()
        geom = seg[..., 0]
        is_geom = seg[..., 1] == int(state["mujoco"].mjtObj.mjOBJ_GEOM)
        ids = np.where(is_geom, state["geom_instance"][np.clip(geom, -1, None) + 1], 0)
        dtype = np.uint8 if len(state["recording"].entity_ids) < 255 else np.uint16
        _write_png(folder / "segmentation" / f"{frame:05d}.png", ids.astype(dtype))


def _render_chunk(frames: list[int], slot: int) -> tuple[int, int]:
    if "renderer" not in _WORKER:
        _init_worker(*_WORKER["payload"])
    state = _WORKER
    ring = state["ring"]
    for i, frame in enumerate(frames):
        ring[slot, i] = _render_frame(state, frame)
    return slot, len(frames)


def _ring_file(slots: int, height: int, width: int) -> tuple[str, tuple[int, ...]]:
    """A file in shared memory (/dev/shm where there is one) holding `slots` chunks of frames."""
    folder = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
    fd, path = tempfile.mkstemp(prefix="worldreel-frames-", dir=folder)
    shape = (slots, CHUNK_FRAMES, height, width, 3)
    os.ftruncate(fd, int(np.prod(shape)))
    os.close(fd)
    return path, shape


def prepare_aov_dir(folder: Path, aov: tuple[str, ...], entity_ids: tuple[str, ...]) -> None:
    """Create the AOV folders and write ids.json: which instance id is which entity."""
    import json  # noqa: PLC0415

    for name in aov:
        (folder / name).mkdir(parents=True, exist_ok=True)
    doc = {"depth_units_per_metre": DEPTH_UNITS_PER_M, "depth_far": 65535,
           "instance_ids": {"0": "world"} | {str(k + 1): e for k, e in enumerate(entity_ids)}}
    (folder / "ids.json").write_text(json.dumps(doc, indent=1) + "\n")


def render_frames(scene: Scene, recording: Recording,
                  options: RenderOptions = RenderOptions()) -> Iterator[np.ndarray]:
    """Yield every video frame (H, W, 3) uint8 sRGB, in order."""
    if recording.camera is None:
        raise RenderError("the recording has no camera track; plan one with render.plan_camera")
    frames = recording.frame_count
    chunks = [list(range(s, min(s + CHUNK_FRAMES, frames))) for s in range(0, frames, CHUNK_FRAMES)]
    workers = options.worker_count(frames)
    slots = workers * INFLIGHT_PER_WORKER
    if options.aov:
        prepare_aov_dir(Path(options.aov_dir), options.aov, recording.entity_ids)
    ring = _ring_file(slots, scene.height, scene.width)
    context = multiprocessing.get_context("spawn")
    try:
        view = np.memmap(ring[0], dtype=np.uint8, mode="r+", shape=ring[1])
        with context.Pool(workers, initializer=_store_payload,
                          initargs=(gl_backend(), scene_to_dict(scene), recording, options,
                                    ring)) as pool:
            pending: deque = deque()
            queue = iter(chunks)
            free = deque(range(slots))
            for chunk in queue:
                pending.append(pool.apply_async(_render_chunk, (chunk, free.popleft())))
                if not free:
                    break
            while pending:
                slot, count = pending.popleft().get()
                for i in range(count):
                    yield np.array(view[slot, i])  # a copy: the slot is reused next
                nxt = next(queue, None)
                if nxt is not None:
                    pending.append(pool.apply_async(_render_chunk, (nxt, slot)))
        del view
    except RenderError:
        raise
    except Exception as exc:  # a worker's GL or MuJoCo failure, re-raised here by the pool
        raise RenderError(f"rendering failed: {exc}") from exc
    finally:
        os.unlink(ring[0])
