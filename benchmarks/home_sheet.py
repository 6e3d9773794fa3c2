"""Contact sheet of the home and office things (assets/home.py), to check by eye that each reads.

Usage: python benchmarks/home_sheet.py [-o /tmp/home_sheet.png] [--size 480x320]

Each thing rests in the living room and is filmed in close-up from two sides (front and a
three-quarter view from above); its name is written on each tile. Prints the render time of each.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

# asset, where its frame stands, the shot size, (azimuth, elevation) of the two views
THINGS = [
    ("book", (0.0, 0.0, 0.015), "extreme_close", ((200.0, 35.0), (120.0, 20.0))),
    ("phone", (0.0, 0.0, 0.004), "extreme_close", ((200.0, 45.0), (150.0, 15.0))),
    ("laptop", (0.0, 0.0, 0.0), "close", ((270.0, 20.0), (220.0, 35.0))),
    ("door", (0.0, 0.0, 0.0), "medium", ((270.0, 8.0), (60.0, 10.0))),
    ("bell", (0.0, 0.0, 0.0), "extreme_close", ((270.0, 5.0), (300.0, -20.0))),
    ("clock", (0.0, 0.0, 0.0), "extreme_close", ((90.0, 0.0), (125.0, 10.0))),
]


def main() -> None:
    import numpy as np
    from PIL import Image, ImageDraw

    from worldreel.assets import ASSETS
    from worldreel.media.contact_sheet import contact_sheet
    from worldreel.physics import simulate
    from worldreel.render import RenderOptions, plan_camera, render_frames
    from worldreel.scene import Entity, Scene, Setting, Shot, parse_size

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", default="/tmp/home_sheet.png")
    parser.add_argument("--size", default="480x320")
    args = parser.parse_args()
    width, height = parse_size(args.size)
    fps = 24
    tiles = []
    for name, position, size, views in THINGS:
        if name not in ASSETS:
            continue
        scene = Scene(
            duration=len(views) / fps, fps=fps, resolution=(width, height),
            setting=Setting(environment="living_room"),
            entities=[Entity(id=name, asset=name, position=position)],
            shots=[Shot(start=k / fps, size=size, subject=name, azimuth=az, elevation=el)
                   for k, (az, el) in enumerate(views)])
        recording = simulate(scene)
        recording = recording.with_camera(plan_camera(scene, recording))
        t0 = time.perf_counter()
        frames = list(render_frames(scene, recording, RenderOptions(workers=1)))
        print(f"{name:<10}{time.perf_counter() - t0:>7.2f} s")
        for frame in frames:
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
