"""The physics gallery: twelve classic scenes simulated, rendered and timed.

Usage: python benchmarks/gallery.py [--out /tmp/gallery] [--size 640x360] [--only NAME ...]
                                    [--no-render]

For each scene it prints the simulated seconds per wall second of the physics alone (the floor it
must beat is real time x 5 for scenes under 200 bodies), the number of bodies, the worst contact
penetration and the largest rise of energy in a passive phase (physics.report), then renders the
clip (MP4 with sound) and a contact sheet of it; finally one sheet with a frame from every scene.
The restitution calibration of each physics rate is done once, before the timings.

Measured in the same run: the time spent inside MuJoCo's mj_step ("engine s") and the speed the
scene would reach if everything else (contact events, breakage, holds, sampling) were free
("engine x"): the ceiling set by the simulation itself at the scene's physics rate.
"""

from __future__ import annotations

import argparse
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from worldreel.assets.setups import (billiards_rack, block_tower, bowling_pins, brick_wall,
                                     domino_chain, pendulum_rig, rope_swing)
from worldreel.physics import simulate
from worldreel.physics.contact_model import restitution_curve
from worldreel.physics.report import physics_report
from worldreel.scene import (Drop, Entity, Push, Roll, Scene, Setting, Shot, Throw, Topple,
                             parse_size)

REALTIME_FLOOR = 5.0


def _scene(size, duration, entities, actions=(), setting=Setting(), shots=None, rate=4800,
           fps=24) -> Scene:
    return Scene(duration=duration, fps=fps, resolution=size, physics_rate=rate,
                 setting=setting, entities=tuple(entities), actions=tuple(actions),
                 shots=shots or (Shot(size="wide"),))


def basketball_miss(size):
    return _scene(size, 3.5, [
        Entity(id="ball", asset="basketball", position=(0.0, 0.0, 2.2)),
        Entity(id="hoop", asset="basketball_hoop", position=(6.0, 0.0, 0.0),
               rotation=(0.0, 0.0, 180.0))],
        [Throw(entity="ball", target="hoop", aim="miss", at=0.2)],
        Setting(environment="gym"), (Shot(size="wide", azimuth=-80.0, subject="hoop"),),
        rate=9600)  # the ball meets the glass at ~8 m/s: stiff contact keeps it under 2 mm


def dominoes(size):
    chain = domino_chain(16, start=(-0.9, 0.0, 0.0))
    return _scene(size, 4.0, chain, [Topple(entity="domino0", at=0.3, speed=0.6)], rate=2400,
                  shots=(Shot(size="medium", azimuth=-60.0, elevation=25.0, subject="domino8"),))


def bowling(size):
    pins = bowling_pins(head=(1.0, 0.0, 0.0))
    ball = Entity(id="bowling_ball", asset="bowling_ball", position=(-2.0, 0.02, 0.109))
    return _scene(size, 3.0, [ball, *pins], [Roll(entity="bowling_ball", speed=6.0, at=0.2)],
                  Setting(environment="gym", floor_material="hardwood"),
                  (Shot(size="wide", azimuth=-45.0, elevation=20.0, subject="pin0"),), rate=6000)


def billiards(size):
    table = Entity(id="table", asset="billiard_table")
    rack = billiards_rack(apex=(0.5, 0.0, 0.8))
    cue = Entity(id="cue", asset="billiard_ball", position=(-0.7, 0.0, 0.8 + 0.028575),
                 color="#f4f4ee")
    return _scene(size, 3.0, [table, cue, *rack], [Push(entity="cue", speed=2.5, at=0.2)],
                  Setting(environment="living_room"),
                  (Shot(size="wide", azimuth=-90.0, elevation=55.0, subject="table"),), rate=2400)


def pendulum(size):
    return _scene(size, 4.0, pendulum_rig(angle=50.0), [Drop(entity="pendulum", at=0.3)],
                  shots=(Shot(size="wide", azimuth=-90.0, subject="pendulum_frame"),))


def seesaw_scene(size):
    from worldreel.assets.setups import seesaw  # noqa: PLC0415

    return _scene(size, 3.0, [*seesaw(),
                              Entity(id="weight", asset="bowling_ball", position=(1.3, 0.0, 1.6)),
                              Entity(id="toy", asset="basketball", position=(-1.3, 0.0, 0.74))],
                  [Drop(entity="weight", at=0.3)], setting=Setting(environment="park"),
                  shots=(Shot(size="wide", azimuth=-90.0, subject="seesaw"),))


def tower(size):
    blocks = block_tower(6)
    ball = Entity(id="ball", asset="bowling_ball", position=(-1.5, 0.0, 0.8))
    return _scene(size, 4.0, [*blocks, ball],
                  [Throw(entity="ball", target="block3_1", flight_time=0.6, at=0.2)], rate=3600,
                  shots=(Shot(size="wide", azimuth=-60.0, subject="block0_1"),))


def wrecking_ball(size, angle=55.0, rate=4800):
    wall = brick_wall(rows=6, columns=6, position=(0.0, 0.0, 0.0), scale=2.0)
    # Hung just in front of the wall (x = -0.1) and pulled back towards -x by `angle` degrees,
    # the ball meets the wall at the bottom of its swing, at full speed.
    rig = pendulum_rig(position=(-0.3, 0.0, 0.0), angle=angle, asset="wrecking_ball",
                       prefix="wrecker")
    return _scene(size, 4.0, [*rig, *wall], [Drop(entity="wrecker", at=0.2)],
                  Setting(environment="street"),
                  (Shot(size="wide", azimuth=-100.0, elevation=15.0, subject="brick0_0"),),
                  rate=rate)


def glass_shatter(size):
    return _scene(size, 2.5, [
        Entity(id="glass", asset="glass", position=(0.0, 0.0, 1.2)),
        Entity(id="ball", asset="rubber_ball", position=(0.3, 0.0, 1.2))],
        [Drop(entity="glass", at=0.3), Drop(entity="ball", at=0.3)],
        Setting(environment="living_room", floor_material="stone"),
        (Shot(size="medium", azimuth=-90.0, elevation=20.0),))


def cloth_on_chair(size):
    return _scene(size, 3.0, [Entity(id="chair", asset="chair"),
                              Entity(id="cloth", asset="cloth", position=(0.0, 0.0, 1.05))],
                  setting=Setting(environment="living_room"), rate=2400,
                  shots=(Shot(size="wide", azimuth=-60.0, elevation=20.0, subject="cloth"),))


def rope(size):
    return _scene(size, 4.0, rope_swing(angle=50.0), [Drop(entity="swing", at=0.2)],
                  Setting(environment="park"),
                  (Shot(size="wide", azimuth=-90.0, subject="swing_frame"),))


def float_sink(size):
    return _scene(size, 4.0, [
        Entity(id="duck", asset="rubber_duck", position=(-0.25, 0.0, 0.9)),
        Entity(id="stone", asset="stone", position=(0.25, 0.0, 0.9))],
        [Drop(entity="duck", at=0.2), Drop(entity="stone", at=0.2)],
        Setting(environment="park", water_level=0.6, floor_material="sand"),
        (Shot(size="medium", azimuth=-90.0, elevation=30.0),))


SCENES = {
    "basketball_miss": basketball_miss, "domino_chain": dominoes, "bowling_strike": bowling,
    "billiards_break": billiards, "pendulum": pendulum, "seesaw": seesaw_scene,
    "tower_collapse": tower, "wrecking_ball": wrecking_ball, "glass_shatter": glass_shatter,
    "cloth_over_chair": cloth_on_chair, "rope_swing": rope, "float_vs_sink": float_sink,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="/tmp/gallery")
    parser.add_argument("--size", default="640x360")
    parser.add_argument("--only", nargs="*")
    parser.add_argument("--no-render", action="store_true")
    args = parser.parse_args()
    if not args.no_render:
        import os  # noqa: PLC0415

        from worldreel.render.gl import gl_backend  # noqa: PLC0415

        os.environ.setdefault("MUJOCO_GL", gl_backend())  # before MuJoCo is first imported
    size = parse_size(args.size)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    names = args.only or list(SCENES)
    scenes = {name: SCENES[name](size) for name in names}
    for rate in sorted({s.physics_rate for s in scenes.values()}):
        restitution_curve(rate)  # one-time calibration, outside the timings

    print(f"{'scene':<18}{'bodies':>7}{'sim s':>7}{'wall s':>8}{'x real':>8}{'engine s':>9}"
          f"{'engine x':>9}{'pen mm':>8}{'dE %':>7}  verdict")
    rows = []
    for name, scene in scenes.items():
        with _engine_clock() as engine:
            t0 = time.perf_counter()
            recording = simulate(scene)
            wall = time.perf_counter() - t0
        report = physics_report(recording)
        speed = scene.duration / wall
        bodies = len(recording.entity_ids)
        ok = speed >= REALTIME_FLOOR or bodies >= 200
        rows.append((name, recording))
        rise = report["energy"]["worst_passive_rise"]
        print(f"{name:<18}{bodies:>7}{scene.duration:>7.1f}{wall:>8.2f}{speed:>8.1f}"
              f"{engine[0]:>9.2f}{scene.duration / max(engine[0], 1e-9):>9.1f}"
              f"{report['penetration']['worst_m'] * 1000:>8.2f}"
              f"{(rise if rise is not None else float('nan')) * 100:>7.2f}  "
              f"{'ok' if ok else 'SLOW'}", flush=True)
    if args.no_render:
        return

    from worldreel import pipeline  # noqa: PLC0415
    from worldreel.media.contact_sheet import clip_contact_sheet, contact_sheet  # noqa: PLC0415
    from worldreel.media.reader import iter_frames  # noqa: PLC0415

    stills = []
    for name, scene in scenes.items():
        clip = out / f"{name}.mp4"
        pipeline.play(scene, clip, pipeline.PlayOptions(overwrite=True))
        clip_contact_sheet(clip, out / f"{name}.png")
        spectrogram_png(clip, out / f"{name}.spectrogram.png")
        frames = list(iter_frames(clip))
        stills.append(frames[int(len(frames) * 0.6)])
        print(f"rendered {clip}", flush=True)
    sheet = contact_sheet(stills, columns=4)
    _write_png(sheet, out / "gallery.png")
    print(f"contact sheet {out / 'gallery.png'}")


@contextmanager
def _engine_clock():
    """Seconds spent inside mujoco.mj_step while the block runs (a one-element list)."""
    import mujoco  # noqa: PLC0415

    spent = [0.0]
    step = mujoco.mj_step
    clock = time.perf_counter

    def timed_step(model, data):
        t0 = clock()
        step(model, data)
        spent[0] += clock() - t0

    mujoco.mj_step = timed_step
    try:
        yield spent
    finally:
        mujoco.mj_step = step


def spectrogram_png(clip: Path, path: Path) -> None:
    """The clip's soundtrack (left channel) as a labelled spectrogram, with its contact events."""
    import json  # noqa: PLC0415

    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    from worldreel.media.reader import read_audio  # noqa: PLC0415

    audio = read_audio(clip)[:, 0]
    events = json.loads(clip.with_suffix("").with_suffix(".events.json").read_text())["events"]
    fig, ax = plt.subplots(figsize=(10, 3.2), dpi=100)
    ax.specgram(audio + 1e-9, NFFT=1024, Fs=48_000, noverlap=768, cmap="magma", vmin=-130)
    for event in events:
        if event["kind"] == "impact":
            ax.axvline(event["time"], color="cyan", lw=0.6, alpha=0.5)
    ax.set(ylim=(0, 12_000), xlabel="time (s)", ylabel="Hz",
           title=f"{clip.stem}: soundtrack, impacts marked")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)


def _write_png(image: np.ndarray, path: Path) -> None:
    from PIL import Image  # noqa: PLC0415

    Image.fromarray(image).save(path)


if __name__ == "__main__":
    main()
