"""The rides gallery (issue #19): every two-wheeler, boat, train car and aircraft standing (or,
for aircraft, flying level), and prompts with riders, boats, a train and a plane in motion, to
check by eye that each reads as its type and moves as it should.

Usage: python benchmarks/rides_gallery.py [out_dir]   (default /tmp/rides)

Writes out_dir/rides_parked.png and out_dir/rides_moving.png, and prints a table: per type its
mass and length and the preview's render time per frame; per prompt the simulated seconds per
wall second. The floor for the render time is the same renderer drawing the empty street in
the same run.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

os.environ.setdefault("MUJOCO_GL", "egl")
sys.path.insert(0, str(Path(__file__).parent))

from vehicles import _label, _render, street_floor_ms  # noqa: E402 - the vehicles gallery's

SIZE = (400, 260)
TWO_WHEELERS = ("bicycle", "motorcycle", "moped", "kick_scooter", "skateboard", "longboard")
BOATS = ("rowing_boat", "motorboat", "sailing_boat")
RAIL = ("locomotive", "carriage")
AIR = ("airliner", "light_aircraft")
MOVING = ("A cyclist rides down the street",
          "A biker speeds down the street",
          "A boy on a skateboard rolls past",
          "A woman rides a horse across a field and waves",
          "A motorboat speeds past a rowing boat",
          "A train passes through the countryside",
          "A plane flies overhead")


def _standing(name: str):
    """A Scene of one vehicle standing where it can: on the street, afloat, on its rails, or
    flying level (an aircraft cannot stand here)."""
    from worldreel.scene import Drive, Entity, Scene, Setting, Shot

    entities = [Entity(id=name, asset=name)]
    actions = []
    setting = Setting(environment="street")
    shot = Shot(start=0.0, size="medium", subject=name, azimuth=145.0, elevation=18.0)
    if name in BOATS:
        setting = Setting(environment="beach", water_level=3.0)
        entities = [Entity(id=name, asset=name, position=(0.0, 26.0, 0.0))]  # 1.2 m+ deep
    elif name in RAIL:
        setting = Setting(environment="park")
        entities = [Entity(id="track", asset="railway_track"), *entities]
        shot = Shot(start=0.0, size="wide", subject=name, azimuth=145.0, elevation=12.0)
    elif name in AIR:
        setting = Setting(environment="park")
        speed = 72.0 if name == "airliner" else 50.0
        entities = [Entity(id=name, asset=name, position=(0.0, 0.0, 200.0),
                           velocity=(speed, 0.0, 0.0))]
        actions = [Drive(entity=name, speed=speed)]
        shot = Shot(start=0.0, size="wide", subject=name, azimuth=120.0, elevation=10.0)
    return Scene(duration=4 / 24, fps=24, resolution=SIZE, setting=setting,
                 entities=entities, actions=actions, shots=[shot])


def main() -> None:
    import numpy as np
    from PIL import Image

    from worldreel.assets import ASSETS
    from worldreel.director import plan_scene
    from worldreel.media.contact_sheet import contact_sheet
    from worldreel.physics import simulate
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/rides")
    out.mkdir(parents=True, exist_ok=True)
    floor_ms = street_floor_ms(SIZE)

    tiles, rows = [], []
    for name in (*TWO_WHEELERS, *BOATS, *RAIL, *AIR):
        scene = _standing(name)
        recording = simulate(scene)
        t0 = time.perf_counter()
        frames = _render(scene, recording)
        ms = (time.perf_counter() - t0) / len(frames) * 1000
        asset = ASSETS[name]
        mass = (asset.mass or 0.0) + sum(link.mass or 0.0 for link in asset.links)
        lo, hi = asset.bounds()
        tiles.append(_label(frames[-1], f"{name} ({mass:.0f} kg)"))
        rows.append((name, mass, hi[0] - lo[0], ms))
    Image.fromarray(contact_sheet(tiles, columns=4)).save(out / "rides_parked.png")

    moving, speeds = [], []
    for prompt in MOVING:
        scene = plan_scene(prompt, duration=4.0, resolution=SIZE).scene
        t0 = time.perf_counter()
        recording = simulate(scene)
        speeds.append((prompt, scene.duration / (time.perf_counter() - t0)))
        frames = _render(scene, recording)
        for k in np.linspace(0, len(frames) - 1, 3).astype(int):
            moving.append(_label(frames[k], f"{prompt[:40]} t={k / scene.fps:.1f}"))
    Image.fromarray(contact_sheet(moving, columns=3)).save(out / "rides_moving.png")

    print(f"{'type':<16}{'kg':>9}{'body m':>7}{'render ms':>11}")  # body: wheels aside
    for name, mass, length, ms in rows:
        print(f"{name:<16}{mass:>9.0f}{length:>7.2f}{ms:>11.0f}")
    print(f"{'(street)':<32}{floor_ms:>11.0f}   floor: the empty street")
    print(f"\n{'prompt':<50}{'physics x real time':>20}")
    for prompt, speed in speeds:
        print(f"{prompt:<50}{speed:>20.2f}")
    print(f"wrote {out / 'rides_parked.png'} and {out / 'rides_moving.png'}")


if __name__ == "__main__":
    main()
