"""Contact sheet of every setting x three shot sizes, to check by eye that each place reads.

Usage: python benchmarks/settings_sheet.py [-o out/settings_sheet.png] [--size 384x216]
                                           [--grade neutral] [--time-of-day auto]

Each setting gets one short Scene (a ball rolling past a crate) with three one-frame shots looking
towards the set's dressing: extreme wide, medium and close. Rows are settings, columns shot sizes; the setting's name is written on each row.
Prints the render time of each row.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path


def main() -> None:
    import numpy as np
    from PIL import Image, ImageDraw

    from worldreel.assets import ENVIRONMENTS
    from worldreel.media.contact_sheet import contact_sheet
    from worldreel.physics import simulate
    from worldreel.render import RenderOptions, plan_camera, render_frames
    from worldreel.scene import Entity, Roll, Scene, Setting, Shot, parse_size

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", default="out/settings_sheet.png")
    parser.add_argument("--size", default="384x216")
    parser.add_argument("--grade", default="neutral")
    parser.add_argument("--time-of-day", default="auto")
    parser.add_argument("--weather", default="clear")
    args = parser.parse_args()
    width, height = parse_size(args.size)
    sizes = ("extreme_wide", "medium", "close")
    fps = 24
    tiles = []
    print(f"{'setting':<14}{'render s':>9}")
    for name in ENVIRONMENTS:
        scene = Scene(
            duration=len(sizes) / fps, fps=fps, resolution=(width, height),
            setting=Setting(environment=name, grade=args.grade, time_of_day=args.time_of_day,
                            weather=args.weather),
            entities=[Entity(id="ball", asset="soccer_ball", position=(-0.6, 0.0, 0.11)),
                      Entity(id="crate", asset="crate", position=(-1.4, -0.9, 0.25))],
            actions=[Roll(entity="ball", direction=(1, 0, 0), speed=1.0)],
            shots=[Shot(start=k / fps, size=size, subject="ball",
                        elevation=12.0 if k == 0 else 8.0, azimuth=195.0)
                   for k, size in enumerate(sizes)])
        recording = simulate(scene)
        recording = recording.with_camera(plan_camera(scene, recording))
        t0 = time.perf_counter()
        frames = list(render_frames(scene, recording, RenderOptions(workers=1)))
        print(f"{name:<14}{time.perf_counter() - t0:>9.2f}")
        for k, frame in enumerate(frames):
            image = Image.fromarray(frame)
            draw = ImageDraw.Draw(image)
            label = f"{name} - {sizes[k]}"
            draw.rectangle((0, 0, 8 + 7 * len(label), 16), fill=(0, 0, 0))
            draw.text((4, 2), label, fill=(255, 255, 255))
            tiles.append(np.asarray(image))
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(contact_sheet(tiles, columns=len(sizes))).save(out)
    print(f"wrote {out} ({len(tiles)} tiles)")


if __name__ == "__main__":
    main()
