"""Contact sheet of the kitchen and table things (issue #16), each a close-up still on a table in
the kitchen, to check by eye that each reads as what it is.

Usage: python benchmarks/kitchen_sheet.py [-o /tmp/kitchen_sheet.png] [--size 320x240]
"""

from __future__ import annotations

import argparse
from pathlib import Path

THINGS = ("bottle", "mug", "bowl", "apple", "orange", "coin", "pot", "pot_lid")


def main() -> None:
    import numpy as np
    from PIL import Image, ImageDraw

    from worldreel.assets import ASSETS
    from worldreel.media.contact_sheet import contact_sheet
    from worldreel.physics import simulate
    from worldreel.render import RenderOptions, plan_camera, render_frames
    from worldreel.scene import Entity, Scene, Setting, Shot, parse_size

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", default="/tmp/kitchen_sheet.png")
    parser.add_argument("--size", default="320x240")
    parser.add_argument("--things", default=",".join(THINGS))
    args = parser.parse_args()
    width, height = parse_size(args.size)
    fps = 24
    tiles = []
    for name in args.things.split(","):
        spec = ASSETS[name]
        top = 0.75 + spec.rest_height + 0.001
        scene = Scene(
            duration=2 / fps, fps=fps, resolution=(width, height),
            setting=Setting(environment="kitchen"),
            entities=[Entity(id="table", asset="table"),
                      Entity(id="thing", asset=name, position=(0.0, 0.0, top),
                             rotation=(0.0, 0.0, -60.0))],
            # a coin is 24 mm across: a long lens to fill the frame with it
            shots=[Shot(start=0.0, size="extreme_close", subject="thing", elevation=25.0,
                        azimuth=200.0, fov=8.0 if spec.extent < 0.05 else 40.0)])
        recording = simulate(scene)
        recording = recording.with_camera(plan_camera(scene, recording))
        frame = list(render_frames(scene, recording, RenderOptions(workers=1)))[-1]
        image = Image.fromarray(frame)
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, 8 + 7 * len(name), 16), fill=(0, 0, 0))
        draw.text((4, 2), name, fill=(255, 255, 255))
        tiles.append(np.asarray(image))
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(contact_sheet(tiles, columns=4)).save(out)
    print(f"wrote {out} ({len(tiles)} tiles)")


if __name__ == "__main__":
    main()
