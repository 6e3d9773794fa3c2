"""The vehicles gallery and drive test (issue #19): every vehicle type parked, seen three-quarters
from the front, frames of a car driving down the street and of a crossroads crash; and, for
each type, a flat-out run that measures what its engine and tyres give.

Usage: python benchmarks/vehicles.py [out_dir]   (default /tmp/vehicles)

Writes out_dir/vehicles_parked.png and out_dir/vehicles_moving.png, and prints a table: type,
mass, length, top speed reached in RUN_S, 0-50 and 0-100 km/h times against the road-test
0-100 of vehicles.yaml, and the preview's render time per frame. The floor for the render time
is the same renderer drawing the empty street in the same run.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

RUN_S = 15.0  # the flat-out run
RUN_TARGET_M_S = 45.0  # asked of the engine: more than it can reach in RUN_S
KMH = 1 / 3.6


def _label(frame, text):
    import numpy as np
    from PIL import Image, ImageDraw

    image = Image.fromarray(frame)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, 0, 8 + 7 * len(text), 16), fill=(0, 0, 0))
    draw.text((4, 2), text, fill=(255, 255, 255))
    return np.asarray(image)


def _render(scene, recording):
    from worldreel.render import RenderOptions, plan_camera, render_frames

    recording = recording.with_camera(plan_camera(scene, recording))
    return list(render_frames(scene, recording, RenderOptions(workers=1)))


def street_floor_ms(size: tuple[int, int]) -> float:
    """The floor of a render time: ms per frame of the empty street, drawn by the same
    renderer at this size (after one warm-up draw: GL context, textures)."""
    from worldreel.physics import simulate
    from worldreel.scene import Scene, Setting, Shot

    empty = Scene(duration=4 / 24, fps=24, resolution=size,
                  setting=Setting(environment="street"), shots=[Shot(start=0.0, size="wide")])
    empty_recording = simulate(empty)
    _render(empty, empty_recording)
    t0 = time.perf_counter()
    _render(empty, empty_recording)
    return (time.perf_counter() - t0) / 4 * 1000


def main() -> None:
    import numpy as np
    from PIL import Image

    from worldreel.assets import ASSETS
    from worldreel.assets.vehicles import vehicle_specs
    from worldreel.media.contact_sheet import contact_sheet
    from worldreel.physics import simulate
    from worldreel.scene import Drive, Entity, Scene, Setting, Shot

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/vehicles")
    out.mkdir(parents=True, exist_ok=True)
    size = (400, 260)
    street = Setting(environment="street")
    floor_ms = street_floor_ms(size)

    tiles, rows = [], []
    for name, spec in vehicle_specs().items():
        scene = Scene(duration=4 / 24, fps=24, resolution=size, setting=street,
                      entities=[Entity(id=name, asset=name)],
                      shots=[Shot(start=0.0, size="medium" if spec.length < 8 else "wide",
                                  subject=name, azimuth=145.0, elevation=22.0)])
        recording = simulate(scene)
        t0 = time.perf_counter()
        frames = _render(scene, recording)
        render_ms = (time.perf_counter() - t0) / len(frames) * 1000
        tiles.append(_label(frames[-1], f"{name} ({spec.curb_mass:.0f} kg)"))

        run = Scene(duration=RUN_S, fps=24, setting=street,
                    entities=[Entity(id=name, asset=name, position=(-40.0, 0.0, 0.0))],
                    actions=[Drive(entity=name, speed=RUN_TARGET_M_S)], shots=[Shot(start=0.0)])
        track = simulate(run).vehicles[0]
        times = np.arange(len(track.speed)) / 24

        def reach(v):
            hit = np.flatnonzero(track.speed >= v)
            return f"{times[hit[0]]:.1f}" if len(hit) else "-"

        mass = sum(link.mass for link in ASSETS[name].links) + ASSETS[name].mass
        rows.append((name, mass, spec.length, track.speed.max() / KMH, reach(50 * KMH),
                     reach(100 * KMH), spec.zero_to_100_s, render_ms))
    Image.fromarray(contact_sheet(tiles, columns=4)).save(out / "vehicles_parked.png")

    moving = []
    drive = Scene(duration=4.0, fps=24, resolution=size, setting=street,
                  entities=[Entity(id="car", asset="sedan", position=(-25.0, -1.8, 0.0),
                                   color="#b01c1c")],
                  actions=[Drive(entity="car", speed=50 * KMH)],
                  shots=[Shot(start=0.0, size="wide", subject="car", move="track",
                              azimuth=70.0, elevation=10.0)])
    frames = _render(drive, simulate(drive))
    moving += [_label(frames[k], f"drive t={k / 24:.1f} s") for k in (0, 24, 48, 72, 95)]
    crash = Scene(duration=3.0, fps=24, resolution=size, setting=street,
                  entities=[Entity(id="a", asset="hatchback", position=(-16.0, 0.0, 0.0),
                                   velocity=(10.0, 0.0, 0.0), color="#c0392b"),
                            Entity(id="b", asset="pickup", position=(0.0, -9.6, 0.0),
                                   rotation=(0.0, 0.0, 90.0), velocity=(0.0, 6.0, 0.0))],
                  shots=[Shot(start=0.0, size="medium", subject="a", azimuth=-60.0,
                               elevation=25.0)])
    frames = _render(crash, simulate(crash))
    moving += [_label(frames[k], f"crash t={k / 24:.2f} s") for k in (20, 29, 32, 35, 40, 52, 71)]
    Image.fromarray(contact_sheet(moving, columns=4)).save(out / "vehicles_moving.png")

    print(f"{'type':<10}{'kg':>7}{'m':>7}{'top km/h':>10}{'0-50 s':>8}{'0-100 s':>9}"
          f"{'(road test)':>12}{'render ms':>11}")
    for name, mass, length, top, t50, t100, published, ms in rows:
        print(f"{name:<10}{mass:>7.0f}{length:>7.2f}{top:>10.0f}{t50:>8}{t100:>9}"
              f"{published:>12.1f}{ms:>11.0f}")
    print(f"{'(street)':<10}{'':>53}{floor_ms:>11.0f}   floor: the empty street")
    print(f"wrote {out / 'vehicles_parked.png'} and {out / 'vehicles_moving.png'}")


if __name__ == "__main__":
    main()
