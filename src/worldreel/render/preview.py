"""The preview renderer: MuJoCo's OpenGL renderer in parallel worker processes.

Frames are rendered in chunks by a pool of processes (one GL context each) and delivered in order;
at most a few chunks are in flight, so memory stays flat however long the clip is.
"""

from __future__ import annotations

import math
import multiprocessing
import os
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from worldreel.assets.mujoco_spec import ENV_PREFIX, build_spec
from worldreel.errors import RenderError
from worldreel.recording import Recording
from worldreel.render.gl import gl_backend
from worldreel.render.look import dress_spec
from worldreel.scene import Scene, scene_from_dict, scene_to_dict

CHUNK_FRAMES = 6
INFLIGHT_PER_WORKER = 2


@dataclass(frozen=True)
class RenderOptions:
    """workers: render processes (0 = one per core, at most 4)."""

    workers: int = 0

    def worker_count(self, frames: int) -> int:
        wanted = self.workers or min(os.cpu_count() or 1, 4)
        return max(1, min(wanted, math.ceil(frames / CHUNK_FRAMES)))


_WORKER: dict = {}


def _store_payload(backend: str, scene_data: dict, recording: Recording) -> None:
    # Pool initializers must not fail (a failing one is restarted forever), so the real set-up
    # happens in the first task, where an error reaches the caller.
    os.environ["MUJOCO_GL"] = backend  # must precede the first import of mujoco in this process
    _WORKER["payload"] = (scene_data, recording)


def _init_worker(scene_data: dict, recording: Recording) -> None:
    import mujoco  # noqa: PLC0415

    scene = scene_from_dict(scene_data)
    spec, _ = build_spec(scene, movable="mocap")
    dress_spec(spec, scene)
    model = spec.compile()
    data = mujoco.MjData(model)
    bodies = [model.body(e).id for e in recording.entity_ids]
    mocap = [(k, int(model.body_mocapid[b])) for k, b in enumerate(bodies)
             if model.body_mocapid[b] >= 0]
    walls = [(g, np.array(model.geom_pos[g])) for g in range(model.ngeom)
             if model.geom(g).name.startswith(ENV_PREFIX + "wall")]
    _WORKER.update(
        mujoco=mujoco, model=model, data=data, mocap=mocap, walls=walls,
        alpha={g: float(model.geom_rgba[g, 3]) for g, _ in walls},
        renderer=mujoco.Renderer(model, scene.height, scene.width),
        recording=recording, camera=mujoco.MjvCamera(),
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


def _render_chunk(frames: list[int]) -> np.ndarray:
    if "renderer" not in _WORKER:
        _init_worker(*_WORKER["payload"])
    state = _WORKER
    mujoco, model, data = state["mujoco"], state["model"], state["data"]
    recording: Recording = state["recording"]
    out = np.empty((len(frames), state["renderer"].height, state["renderer"].width, 3), np.uint8)
    for i, frame in enumerate(frames):
        sample = frame * recording.oversample
        for k, m in state["mocap"]:
            data.mocap_pos[m] = recording.positions[sample, k]
            data.mocap_quat[m] = recording.quaternions[sample, k]
        mujoco.mj_kinematics(model, data)
        _set_camera(state, frame)
        state["renderer"].update_scene(data, camera=state["camera"])
        out[i] = state["renderer"].render()
    return out


def render_frames(scene: Scene, recording: Recording,
                  options: RenderOptions = RenderOptions()) -> Iterator[np.ndarray]:
    """Yield every video frame (H, W, 3) uint8 sRGB, in order."""
    if recording.camera is None:
        raise RenderError("the recording has no camera track; plan one with render.plan_camera")
    frames = recording.frame_count
    chunks = [list(range(s, min(s + CHUNK_FRAMES, frames))) for s in range(0, frames, CHUNK_FRAMES)]
    workers = options.worker_count(frames)
    context = multiprocessing.get_context("spawn")
    try:
        with context.Pool(workers, initializer=_store_payload,
                          initargs=(gl_backend(), scene_to_dict(scene), recording)) as pool:
            pending: deque = deque()
            queue = iter(chunks)
            for chunk in queue:
                pending.append(pool.apply_async(_render_chunk, (chunk,)))
                if len(pending) >= workers * INFLIGHT_PER_WORKER:
                    break
            while pending:
                block = pending.popleft().get()
                nxt = next(queue, None)
                if nxt is not None:
                    pending.append(pool.apply_async(_render_chunk, (nxt,)))
                yield from block
    except RenderError:
        raise
    except Exception as exc:  # a worker's GL or MuJoCo failure, re-raised here by the pool
        raise RenderError(f"rendering failed: {exc}") from exc
