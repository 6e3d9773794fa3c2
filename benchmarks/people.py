"""The people gallery: twelve dressed characters of different ages, builds, skin tones, hair and
outfits, standing relaxed, to check by eye that people look like people and like twelve
different people.

Usage: python benchmarks/people.py [out/people/] [--size 220x300] [--only chef,boxer]

Writes three contact sheets to the folder: people_front.png (each person from the front and
three-quarter), people_faces.png (face close-ups) and people_back.png (from behind: hair and
coats). Prints a table of the twelve (age, height, sex, outfit, surfaces, parts) with the time to
dress each (appearance alone) against the time to shape its body (the floor, measured in the
same run) and the time to render its views.
"""

from __future__ import annotations

import argparse
import os
import time
from dataclasses import dataclass
from pathlib import Path

os.environ.setdefault("MUJOCO_GL", "egl")

import numpy as np  # noqa: E402

from worldreel.scene.characters import BodySpec, Hair, Outfit  # noqa: E402


@dataclass(frozen=True)
class Person:
    """One member of the gallery's cast."""

    name: str
    body: BodySpec
    outfit: Outfit
    hair: Hair
    ancestry: tuple[float, float, float]  # african, asian, caucasian: shapes the face


CAST = (
    Person("chef", BodySpec(age=45, gender=1.0, weight=0.75, muscle=0.5, skin="medium_light"),
           Outfit(uniform="chef"), Hair(style="short", color="dark_brown"), (0.1, 0.1, 0.8)),
    Person("referee", BodySpec(age=35, gender=1.0, weight=0.45, muscle=0.65, skin="dark"),
           Outfit(uniform="referee"), Hair(style="buzz", color="black"), (0.9, 0.0, 0.1)),
    Person("astronaut", BodySpec(age=38, gender=0.0, weight=0.45, muscle=0.6, skin="light"),
           Outfit(uniform="astronaut"), Hair(style="bun", color="blonde"), (0.0, 0.2, 0.8)),
    Person("boxer", BodySpec(age=26, gender=1.0, weight=0.5, muscle=0.95, skin="medium_dark"),
           Outfit(uniform="boxer"), Hair(style="buzz", color="black"), (0.5, 0.0, 0.5)),
    Person("raincoat", BodySpec(age=31, gender=0.0, weight=0.4, muscle=0.45, skin="medium"),
           Outfit(top="raincoat", top_color="#2f7a3a", bottom="jeans", shoes="boots",
                  shoes_color="#1f1f1f"),
           Hair(style="long", color="auburn"), (0.1, 0.2, 0.7)),
    Person("child", BodySpec(age=7, gender=1.0, weight=0.45, muscle=0.5, skin="medium_light"),
           Outfit(top="t_shirt", top_color="#e0a21c", bottom="shorts", bottom_color="#2c5aa0",
                  shoes="sneakers", shoes_color="#c0392b", hat="cap", hat_color="#c0392b"),
           Hair(style="curly", color="brown"), (0.2, 0.3, 0.5)),
    Person("elder", BodySpec(age=82, gender=0.0, weight=0.6, muscle=0.25, skin="very_light"),
           Outfit(top="sweater", top_color="#6d4c7d", bottom="skirt", bottom_color="#3b3b45",
                  shoes="shoes"),
           Hair(style="bun", color="white"), (0.0, 0.0, 1.0)),
    Person("doctor", BodySpec(age=52, gender=0.0, weight=0.5, muscle=0.45, skin="very_dark"),
           Outfit(uniform="doctor"), Hair(style="medium", color="black"), (1.0, 0.0, 0.0)),
    Person("police", BodySpec(age=41, gender=1.0, weight=0.65, muscle=0.6, skin="medium"),
           Outfit(uniform="police"), Hair(style="short", color="black"), (0.2, 0.6, 0.2)),
    Person("teen", BodySpec(age=15, gender=0.0, weight=0.35, muscle=0.45, skin="dark"),
           Outfit(top="tank_top", top_color="#f1f1f1", bottom="jeans", shoes="sneakers",
                  shoes_color="#ffffff"),
           Hair(style="ponytail", color="dark_brown"), (0.8, 0.0, 0.2)),
    Person("grandpa", BodySpec(age=71, gender=1.0, weight=0.85, muscle=0.35, skin="light",
                               height=1.70),
           Outfit(top="jacket", top_color="#4a5a3c", bottom="trousers", bottom_color="#6b6256",
                  shoes="shoes", hat="sun_hat"),
           Hair(style="short", color="grey"), (0.0, 0.1, 0.9)),
    Person("dancer", BodySpec(age=24, gender=0.0, weight=0.25, muscle=0.6, skin="medium_dark",
                              height=1.72),
           Outfit(top="dress", top_color="#c2185b", bottom="none", shoes="shoes",
                  shoes_color="#b0905a"),
           Hair(style="curly", color="black"), (0.7, 0.0, 0.3)),
)

RELAXED = {"upperarm_l": {"abduct": -40.0}, "upperarm_r": {"abduct": -40.0},
           "lowerarm_l": {"bend": -15.0}, "lowerarm_r": {"bend": -15.0}}


def body_shape(spec: BodySpec, ancestry: tuple[float, float, float]):
    """The body shape of a BodySpec."""
    from worldreel.assets.people.body import BodyShape

    return BodyShape(age=spec.age, gender=spec.gender, weight=spec.weight, muscle=spec.muscle,
                     height=spec.height, ancestry=ancestry)


def build_model(body, surfaces, parts):
    """A MuJoCo model of one person on mocap bones over a floor, with lights."""
    import mujoco

    from worldreel.assets.people.appearance import add_materials
    from worldreel.assets.people.skin import TWIST_BONES, add_skin, skin_data

    spec = mujoco.MjSpec()
    spec.visual.global_.offwidth, spec.visual.global_.offheight = 1600, 1200
    spec.visual.headlight.ambient = [0.28, 0.28, 0.3]
    spec.visual.headlight.diffuse = [0.32, 0.32, 0.32]
    spec.visual.headlight.specular = [0.1, 0.1, 0.1]
    spec.visual.quality.shadowsize = 2048
    spec.visual.quality.numslices, spec.visual.quality.numstacks = 64, 48  # round helmets
    floor = spec.worldbody.add_geom(type=mujoco.mjtGeom.mjGEOM_PLANE, size=[4, 4, 0.1])
    floor.rgba = [0.62, 0.63, 0.65, 1]
    for pos, direction, power in (([2.5, -1.8, 4.0], [-0.5, 0.35, -1.0], 0.5),
                                  ([2.0, 2.5, 2.5], [-0.5, -0.6, -0.5], 0.25),
                                  ([-2.5, 0.5, 3.0], [0.7, -0.1, -0.6], 0.25)):
        light = spec.worldbody.add_light()
        light.pos, light.dir = pos, direction
        light.diffuse = [power] * 3
        light.specular = [0.2] * 3
        light.castshadow = power > 0.4
    for bone in body.skeleton.names + TWIST_BONES:
        spec.worldbody.add_body(name="p:" + bone, mocap=True)
    add_materials(spec, [s.material for s in surfaces] + [p.material for p in parts])
    for surface in surfaces:
        add_skin(spec, body, skin_data(body, surface, twist=True), "p:")
    for part in parts:
        geom = spec.body("p:" + part.bone).add_geom(
            type=getattr(mujoco.mjtGeom, "mjGEOM_" + part.geom.upper()))
        geom.size = list(part.size) + [0.0] * (3 - len(part.size))
        geom.pos, geom.quat, geom.rgba = part.pos, part.quat, part.rgba
        geom.contype = geom.conaffinity = 0
        if part.material:
            geom.material = part.material
    return spec.compile()


def pose(model, body, angles: dict) -> "object":
    """MjData with the bones in a pose (bone -> dof -> degrees)."""
    import mujoco
    from scipy.spatial.transform import Rotation

    from worldreel.animation.rig import build_rig, forward_kinematics, local_rotations

    data = mujoco.MjData(model)
    rig = build_rig(body.skeleton)
    pos, quat = forward_kinematics(rig, local_rotations(rig, angles, 1),
                                   body.skeleton.heads[0][None], Rotation.identity(1))
    set_pose(model, data, body, pos[0], quat[0])
    return data


def set_pose(model, data, body, positions, quaternions) -> None:
    """Put the mocap bones (and the arms' twist bones) of a person at one pose: bone heads
    (B, 3) and world rotations (B, 4; w, x, y, z) in skeleton order."""
    import mujoco

    from worldreel.assets.people.skin import TWIST_BONES, twist_limb, twist_transforms

    names = body.skeleton.names
    for k, bone in enumerate(names):
        m = model.body_mocapid[model.body("p:" + bone).id]
        data.mocap_pos[m], data.mocap_quat[m] = positions[k], quaternions[k]
    twists = twist_transforms(body.skeleton, quaternions)
    for j, bone in enumerate(TWIST_BONES):
        m = model.body_mocapid[model.body("p:" + bone).id]
        data.mocap_pos[m] = positions[names.index(twist_limb(bone)[0])]
        data.mocap_quat[m] = twists[j]
    mujoco.mj_forward(model, data)


def views(model, data, body, size: tuple[int, int]) -> dict[str, np.ndarray]:
    """Front, three-quarter, back and face close-up pictures of the posed person."""
    import mujoco

    from worldreel.assets.people.regions import body_regions

    width, height = size
    renderer = mujoco.Renderer(model, height, width)
    tall = body.shape.standing_height()
    head = body_regions(body).head_centre
    shots = {
        "front": ((0, 0, 0.52 * tall), 180, -4, 1.55 * tall + 0.5),
        "three_quarter": ((0, 0, 0.52 * tall), 145, -8, 1.55 * tall + 0.5),
        "back": ((0, 0, 0.55 * tall), 20, -8, 1.55 * tall + 0.5),
        "face": ((head[0] + 0.03, 0, head[2] - 0.035 * tall / 1.7), 160, -3, 0.55),
    }
    out = {}
    for name, (lookat, azimuth, elevation, distance) in shots.items():
        camera = mujoco.MjvCamera()
        camera.lookat[:] = lookat
        camera.azimuth, camera.elevation, camera.distance = azimuth, elevation, distance
        renderer.update_scene(data, camera)
        out[name] = renderer.render().copy()
    renderer.close()
    return out


def _labelled(image: np.ndarray, text: str) -> np.ndarray:
    from PIL import Image, ImageDraw

    picture = Image.fromarray(image)
    ImageDraw.Draw(picture).text((6, 4), text, fill=(255, 255, 255))
    return np.asarray(picture)


def sheet(rows: list[list[np.ndarray]]) -> np.ndarray:
    """Images in a grid with thin gaps."""
    gap = 4
    h, w = rows[0][0].shape[:2]
    cols = max(len(r) for r in rows)
    out = np.full((len(rows) * (h + gap), cols * (w + gap), 3), 24, np.uint8)
    for i, row in enumerate(rows):
        for j, image in enumerate(row):
            out[i * (h + gap):i * (h + gap) + h, j * (w + gap):j * (w + gap) + w] = image
    return out


def main() -> None:
    from PIL import Image

    from worldreel.assets.people.appearance import character_parts, character_surfaces
    from worldreel.assets.people.body import build_body

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", nargs="?", default="out/people/")
    parser.add_argument("--size", default="220x300", help="width x height of one view")
    parser.add_argument("--only", default="", help="comma-separated names of the cast")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    cast = [p for p in CAST if not args.only or p.name in args.only.split(",")]

    pictures: dict[str, dict[str, np.ndarray]] = {}
    print(f"{'name':10s} {'age':>4s} {'height':>6s} {'sex':>6s}  {'outfit':34s} {'surf':>4s} "
          f"{'parts':>5s} {'body s':>6s} {'dress s':>7s} {'render s':>8s}")
    totals = np.zeros(3)
    for person in cast:
        t0 = time.perf_counter()
        body = build_body(body_shape(person.body, person.ancestry))
        t1 = time.perf_counter()
        surfaces = character_surfaces(body, person.body, person.outfit, person.hair)
        parts = character_parts(body, person.outfit, person.hair)
        t2 = time.perf_counter()
        model = build_model(body, surfaces, parts)
        data = pose(model, body, RELAXED)
        pictures[person.name] = views(model, data, body, size)
        t3 = time.perf_counter()
        totals += (t1 - t0, t2 - t1, t3 - t2)
        o = person.outfit
        outfit = (f"uniform {o.uniform}" if o.uniform != "none" else
                  f"{o.top}/{o.bottom}/{o.shoes}" + (f"/{o.hat}" if o.hat != "none" else ""))
        outfit += f", {person.hair.style} {person.hair.color}"
        sex = "female" if person.body.gender < 0.5 else "male"
        print(f"{person.name:10s} {person.body.age:4.0f} {body.shape.standing_height():6.2f} "
              f"{sex:>6s}  {outfit:34s} {len(surfaces):4d} {len(parts):5d} {t1 - t0:6.2f} "
              f"{t2 - t1:7.2f} {t3 - t2:8.2f}")
    print(f"{'total':10s} {'':4s} {'':6s} {'':6s}  {'':34s} {'':4s} {'':5s} {totals[0]:6.2f} "
          f"{totals[1]:7.2f} {totals[2]:8.2f}")

    names = list(pictures)
    pairs = [np.hstack([_labelled(pictures[n]["front"], n), pictures[n]["three_quarter"]])
             for n in names]
    per_row = 4
    Image.fromarray(sheet([pairs[k:k + per_row] for k in range(0, len(pairs), per_row)])
                    ).save(out / "people_front.png")
    faces = [_labelled(pictures[n]["face"], n) for n in names]
    Image.fromarray(sheet([faces[k:k + 6] for k in range(0, len(faces), 6)])
                    ).save(out / "people_faces.png")
    backs = [_labelled(pictures[n]["back"], n) for n in names]
    Image.fromarray(sheet([backs[k:k + 6] for k in range(0, len(backs), 6)])
                    ).save(out / "people_back.png")
    print(f"wrote {out / 'people_front.png'}, people_faces.png, people_back.png")


if __name__ == "__main__":
    main()
