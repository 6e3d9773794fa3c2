"""Gallery of flock species and the example scatter, to look at (not a timing benchmark).

    python benchmarks/birds.py [out/]

writes out/birds.png (each species standing and in flight, from the side and from above, drawn
by render.birds exactly as the preview draws them) and out/scatter.png (frames of
examples/pigeons_scatter.yaml played at 320x240), and prints how long each took.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
TILE = (240, 320)  # height, width of one view


def _track(kind, standing: bool, wing: float):
    from worldreel.recording import FlockTrack  # noqa: PLC0415

    z = kind.stand_m if standing else 0.5
    pos = np.array([[[0.0, 0.0, z]]] * 2)
    quat = np.array([[[1.0, 0.0, 0.0, 0.0]]] * 2)
    spread = 0.0 if standing or kind.is_fish else 1.0
    return FlockTrack("one", kind.name, pos, quat, np.full((2, 1), wing),
                      np.full((2, 1), spread), np.zeros((2, 1)))


def _view(mujoco, renderer, model, data, painter, distance: float, elevation: float,
          target_z: float) -> np.ndarray:
    camera = mujoco.MjvCamera()
    camera.type = mujoco.mjtCamera.mjCAMERA_FREE
    camera.lookat[:] = (0.0, 0.0, target_z)
    camera.distance = distance
    camera.azimuth = 120.0 if elevation > -80 else 0.0
    camera.elevation = elevation
    renderer.update_scene(data, camera=camera)
    scene = renderer.scene
    kinds = {"ellipsoid": mujoco.mjtGeom.mjGEOM_ELLIPSOID, "box": mujoco.mjtGeom.mjGEOM_BOX,
             "capsule": mujoco.mjtGeom.mjGEOM_CAPSULE, "sphere": mujoco.mjtGeom.mjGEOM_SPHERE}
    for shape, size, centre, rotation, rgba, glow in painter.shapes(0.0):
        geom = scene.geoms[scene.ngeom]
        mujoco.mjv_initGeom(geom, kinds[shape], np.asarray(size, float), centre,
                            rotation.reshape(-1), rgba)
        geom.emission = glow
        scene.ngeom += 1
    return renderer.render().copy()


def gallery(out: Path) -> Path:
    import mujoco  # noqa: PLC0415
    from PIL import Image, ImageDraw  # noqa: PLC0415

    from worldreel.assets.flocks import SPECIES  # noqa: PLC0415
    from worldreel.recording import Recording  # noqa: PLC0415
    from worldreel.render.birds import FlockPainter  # noqa: PLC0415

    model = mujoco.MjModel.from_xml_string("""
    <mujoco><visual><headlight ambient="0.3 0.3 0.3" diffuse="0.4 0.4 0.4"/>
      <global offwidth="640" offheight="480"/></visual>
    <worldbody><light pos="1 -1 4" dir="-0.2 0.2 -1"/>
      <geom type="plane" size="5 5 0.1" rgba="0.32 0.34 0.30 1"/></worldbody></mujoco>""")
    data = mujoco.MjData(model)
    mujoco.mj_forward(model, data)
    renderer = mujoco.Renderer(model, *TILE)
    rows = []
    labels = []
    for name, kind in SPECIES.items():
        size = kind.wingspan_m if not kind.is_fish else kind.length_m
        views = []
        poses = [(True, 0.0), (False, 0.1)] if not kind.is_fish else [(False, 0.0), (False, 0.35)]
        for standing, wing in poses:
            painter = FlockPainter(_recording(Recording, _track(kind, standing, wing)))
            z = kind.stand_m if standing else 0.5
            views.append(_view(mujoco, renderer, model, data, painter, 1.6 * size + 0.2, -8.0, z))
            views.append(_view(mujoco, renderer, model, data, painter, 1.6 * size + 0.2, -89.0, z))
        rows.append(np.concatenate(views, axis=1))
        labels.append(name)
    sheet = Image.fromarray(np.concatenate(rows, axis=0))
    draw = ImageDraw.Draw(sheet)
    for k, name in enumerate(labels):
        what = "swimming: side, top | tail bent: side, top" if SPECIES[name].is_fish else \
            "standing: side, top | gliding: side, top"
        draw.text((6, k * TILE[0] + 4), f"{name}: {what}",
                  fill=(255, 255, 255))
    path = out / "birds.png"
    sheet.save(path)
    return path


def _recording(Recording, track):
    n = len(track.positions)
    return Recording(fps=24, oversample=1, duration=n / 24, entity_ids=(),
                     times=np.arange(n) / 24.0, positions=np.zeros((n, 0, 3)),
                     quaternions=np.zeros((n, 0, 4)), velocities=np.zeros((n, 0, 3)),
                     flocks=(track,))


def scatter(out: Path) -> Path:
    from worldreel.media.contact_sheet import clip_contact_sheet  # noqa: PLC0415
    from worldreel.pipeline import PlayOptions, play, with_overrides  # noqa: PLC0415
    from worldreel.scene import load_scene  # noqa: PLC0415

    scene = with_overrides(load_scene(ROOT / "examples" / "pigeons_scatter.yaml"),
                           size=(320, 240))
    clip = out / "scatter.mp4"
    play(scene, clip, PlayOptions(overwrite=True))
    return clip_contact_sheet(clip, out / "scatter.png", count=12, columns=4)


def main() -> None:
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "out")
    out.mkdir(parents=True, exist_ok=True)
    print(f"{'what':<12} {'seconds':>8}  file")
    for name, make in (("gallery", gallery), ("scatter", scatter)):
        start = time.perf_counter()
        path = make(out)
        print(f"{name:<12} {time.perf_counter() - start:8.1f}  {path}")


if __name__ == "__main__":
    main()
