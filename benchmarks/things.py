"""The things gallery (issue #16): a labelled contact sheet of every asset in the registry, each
a close still where it rests in the living room, to check by eye that each reads as what it is.

Usage: python benchmarks/things.py [-o /tmp/things.png] [--size 320x240] [--things a,b,...]

The shot is sized to the thing (a coin with a long lens, a door in a medium shot) and seen from
the front, a little from the side and above. Prints each thing's render time, and any thing
that cannot be staged on its own (with the reason) instead of a tile.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

AZIMUTH_DEG = 60.0  # looking along +y and a little along +x: the front, three-quarters
ELEVATION_DEG = 25.0
SETTLE_FRAMES = 2  # the still is taken after this many frames: it has come to rest on its base


def shot_for(extent: float) -> tuple[str, float | None]:
    """The shot size and field of view (None: the size's own) that fill a frame with a thing
    `extent` metres across."""
    if extent < 0.05:
        return "extreme_close", 8.0  # a coin is 24 mm across: a long lens
    if extent < 0.4:
        return "extreme_close", None
    if extent < 1.3:
        return "close", None
    return "medium", None


def resting_height(spec) -> float:
    """Where its frame stands so that nothing of it starts under the floor (a hanging pendulum,
    a rope: their frame is at the top)."""
    low = float(spec.bounds()[0][2])
    return max(spec.rest_height, -low + 0.002)


def main() -> None:
    import numpy as np
    from PIL import Image, ImageDraw

    from worldreel.assets import ASSETS
    from worldreel.errors import WorldReelError
    from worldreel.media.contact_sheet import contact_sheet
    from worldreel.physics import simulate
    from worldreel.render import RenderOptions, plan_camera, render_frames
    from worldreel.scene import Entity, Scene, Setting, Shot, parse_size

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-o", "--output", default="/tmp/things.png")
    parser.add_argument("--size", default="320x240")
    parser.add_argument("--things", default=",".join(ASSETS))
    args = parser.parse_args()
    width, height = parse_size(args.size)
    fps = 24
    tiles = []
    for name in args.things.split(","):
        spec = ASSETS[name]
        size, fov = shot_for(spec.extent)
        shot = Shot(start=0.0, size=size, subject=name, azimuth=AZIMUTH_DEG,
                    elevation=ELEVATION_DEG, **({"fov": fov} if fov else {}))
        t0 = time.perf_counter()
        try:
            scene = Scene(duration=SETTLE_FRAMES / fps, fps=fps, resolution=(width, height),
                          setting=Setting(environment="living_room"),
                          entities=[Entity(id=name, asset=name,
                                           position=(0.0, 0.0, resting_height(spec)))],
                          shots=[shot])
            recording = simulate(scene)
            recording = recording.with_camera(plan_camera(scene, recording))
            frame = list(render_frames(scene, recording, RenderOptions(workers=1)))[-1]
        except (WorldReelError, ValueError) as error:
            print(f"{name:<16} not staged on its own: {str(error).splitlines()[0]}")
            continue
        print(f"{name:<16}{time.perf_counter() - t0:>7.2f} s")
        image = Image.fromarray(frame)
        draw = ImageDraw.Draw(image)
        draw.rectangle((0, 0, 8 + 7 * len(name), 16), fill=(0, 0, 0))
        draw.text((4, 2), name, fill=(255, 255, 255))
        tiles.append(np.asarray(image))
    out = Path(args.output)
    out.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(contact_sheet(tiles, columns=8)).save(out)
    print(f"wrote {out} ({len(tiles)} of {len(args.things.split(','))} things)")


if __name__ == "__main__":
    main()
