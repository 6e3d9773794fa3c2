"""The animal gallery: every species (and the dog breeds) standing, from the side and at three
quarters, and a dog and a horse in each gait across a stride, to check by eye that each animal
reads as itself and that the legs move as the gait says.

Usage: python benchmarks/animals.py [out/animals/] [--size 320x240]

Writes animals_idle.png and animals_gaits.png to the folder and prints a table: per animal its
mass, shoulder height, bones and parts, and the time to build and animate it against the time
to render its pictures (the floor, measured in the same run).
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

os.environ.setdefault("MUJOCO_GL", "egl")

import numpy as np  # noqa: E402

from worldreel.scene import BREEDS, SPECIES, Animal, AnimalAction, Scene  # noqa: E402

GAITS = ("walk", "trot", "canter", "gallop")


def _spec(mujoco):
    spec = mujoco.MjSpec()
    spec.visual.global_.offwidth, spec.visual.global_.offheight = 1600, 1200
    spec.visual.headlight.ambient = [0.35, 0.35, 0.37]
    spec.visual.headlight.diffuse = [0.35, 0.35, 0.35]
    spec.visual.quality.shadowsize = 2048
    floor = spec.worldbody.add_geom(type=mujoco.mjtGeom.mjGEOM_PLANE, size=[40, 40, 0.1])
    floor.rgba = [0.55, 0.62, 0.5, 1]
    light = spec.worldbody.add_light()
    light.pos, light.dir = [2.0, -3.0, 8.0], [-0.2, 0.35, -1.0]
    light.diffuse = [0.55] * 3
    light.castshadow = True
    return spec


def _label(image: np.ndarray, text: str) -> np.ndarray:
    from PIL import Image, ImageDraw

    picture = Image.fromarray(image)
    ImageDraw.Draw(picture).text((6, 4), text, fill=(0, 0, 0))
    return np.asarray(picture)


def _shot(mujoco, renderer, data, lookat, azimuth, distance, elevation=-8.0) -> np.ndarray:
    camera = mujoco.MjvCamera()
    camera.lookat[:] = lookat
    camera.azimuth, camera.elevation, camera.distance = azimuth, elevation, distance
    renderer.update_scene(data, camera)
    return renderer.render().copy()


def idle_sheet(size: tuple[int, int]) -> tuple[np.ndarray, list[tuple]]:
    """Every species and dog breed at rest, side and three-quarter views."""
    import mujoco

    from worldreel.assets.animals import animal_parts, build_body
    from worldreel.render.animals import add_animal, animal_bone_body

    cast = [(s, b) for s in SPECIES for b in (BREEDS.get(s) or (None,))]
    frames, rows = [], []
    for species, breed in cast:
        start = time.perf_counter()
        body = build_body(species, breed)
        parts = animal_parts(body)
        built = time.perf_counter() - start
        spec = _spec(mujoco)
        add_animal(mujoco, spec, "a", body)
        model = spec.compile()
        data = mujoco.MjData(model)
        for k, bone in enumerate(body.names):
            m = model.body_mocapid[model.body(animal_bone_body("a", bone)).id]
            data.mocap_pos[m] = body.heads[k]
        mujoco.mj_forward(model, data)
        renderer = mujoco.Renderer(model, size[1], size[0])
        h = body.shoulder_height
        top = float(np.max(np.r_[body.heads[:, 2], body.tails[:, 2]]))
        front, back = float(body.tails[:, 0].max()), float(body.tails[:, 0].min())
        reach = max(1.3 * top, 0.95 * (front - back) + 0.2 * h)
        centre = (0.5 * (front + back), 0, 0.5 * top)
        start = time.perf_counter()
        name = breed or species
        frames.append(_label(_shot(mujoco, renderer, data, centre, 90, 1.15 * reach), name))
        frames.append(_label(_shot(mujoco, renderer, data, centre, 125, 1.15 * reach, -15),
                             name + " 3/4"))
        shot = time.perf_counter() - start
        renderer.close()
        rows.append((name, body.mass, h, len(body.names), len(parts), built, shot))
    from worldreel.media.contact_sheet import contact_sheet

    return contact_sheet(frames, columns=6), rows


def gait_sheet(size: tuple[int, int]) -> tuple[np.ndarray, list[tuple]]:
    """A dog and a horse in each gait: six frames across one stride, seen from the side."""
    import mujoco

    from worldreel.animation.animals import animate_animals, stride_period
    from worldreel.assets.animals import body_of_animal
    from worldreel.render.animals import add_animal, animal_bone_body

    frames, rows = [], []
    for species in ("dog", "horse"):
        for gait in GAITS:
            animal = Animal(id="a", species=species, position=(0.0, 0.0), script=(
                AnimalAction(do=gait, place=(60.0, 0.0)),))
            scene = Scene(duration=6.0, animals=(animal,))
            start = time.perf_counter()
            perf = animate_animals(scene)["a"]
            animated = time.perf_counter() - start
            body = body_of_animal(animal)
            spec = _spec(mujoco)
            add_animal(mujoco, spec, "a", body)
            model = spec.compile()
            data = mujoco.MjData(model)
            renderer = mujoco.Renderer(model, size[1], size[0])
            period = stride_period(perf, 3.0)
            ids = [model.body_mocapid[model.body(animal_bone_body("a", b)).id]
                   for b in perf.bones]
            start = time.perf_counter()
            for k in range(6):
                t = 3.0 + k * period / 6
                pos, quat, _ = perf.at(np.array([t]))
                data.mocap_pos[ids] = pos[0]
                data.mocap_quat[ids] = quat[0]
                mujoco.mj_forward(model, data)
                middle = pos[0, perf.bones.index("spine")]
                h = body.shoulder_height
                frames.append(_label(_shot(mujoco, renderer, data, (middle[0], 0, 0.5 * h), 90,
                                           2.6 * h + 0.4, -3), f"{species} {gait} {k}/6"))
            shot = time.perf_counter() - start
            renderer.close()
            rows.append((f"{species} {gait}", body.mass, body.shoulder_height, len(perf.bones),
                         period, animated, shot))
    from worldreel.media.contact_sheet import contact_sheet

    return contact_sheet(frames, columns=6), rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", default="out/animals")
    parser.add_argument("--size", default="320x240")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from PIL import Image

    sheet, rows = idle_sheet(size)
    Image.fromarray(sheet).save(out / "animals_idle.png")
    print(f"{'animal':18} {'kg':>7} {'h m':>5} {'bones':>5} {'parts':>5} {'build s':>8} "
          f"{'render s':>8}")
    for name, mass, h, bones, parts, built, shot in rows:
        print(f"{name:18} {mass:7.1f} {h:5.2f} {bones:5d} {parts:5d} {built:8.3f} {shot:8.3f}")
    sheet, rows = gait_sheet(size)
    Image.fromarray(sheet).save(out / "animals_gaits.png")
    print(f"\n{'gait':18} {'kg':>7} {'h m':>5} {'bones':>5} {'stride s':>8} {'anim s':>8} "
          f"{'render s':>8}")
    for name, mass, h, bones, period, animated, shot in rows:
        print(f"{name:18} {mass:7.1f} {h:5.2f} {bones:5d} {period:8.3f} {animated:8.3f} "
              f"{shot:8.3f}")
    print(f"\nwrote {out / 'animals_idle.png'} and {out / 'animals_gaits.png'}")


if __name__ == "__main__":
    main()
