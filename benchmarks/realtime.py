"""Real-time factor of prompt -> MP4, against the encoder alone on the same frames (the floor).

Usage: python benchmarks/realtime.py [--seconds 5] [--size 1280x720] [--fps 24] [--workers 0]

Prints a table: wall seconds of each stage and of the whole run, the real-time factor
(clip seconds / wall seconds), and the ratio of the whole run to the floor measured in the same run.
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from worldreel import pipeline
from worldreel.audio import make_soundtrack
from worldreel.media import encode_clip
from worldreel.media.reader import iter_frames, read_audio
from worldreel.physics import simulate
from worldreel.render import RenderOptions, plan_camera
from worldreel.scene import parse_size


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompt", default=pipeline.DEFAULT_PROMPT)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--fps", type=int, default=24)
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()
    size = parse_size(args.size)

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.mp4"
        options = pipeline.PlayOptions(render=RenderOptions(workers=args.workers))
        planned = pipeline.plan(args.prompt, seconds=args.seconds, fps=args.fps, size=size)
        scene = planned.scene

        t0 = time.perf_counter()
        recording = simulate(scene)
        t_sim = time.perf_counter() - t0
        t0 = time.perf_counter()
        make_soundtrack(scene, recording.with_camera(plan_camera(scene, recording)))
        t_sound = time.perf_counter() - t0

        t0 = time.perf_counter()
        pipeline.play(scene, out, options)
        t_total = time.perf_counter() - t0

        frames = list(iter_frames(out))  # decoded once, outside the timings
        audio = read_audio(out)[: round(scene.duration * 48_000)]
        floor_out = Path(tmp) / "floor.mp4"
        t0 = time.perf_counter()
        encode_clip(floor_out, iter(frames), audio, fps=scene.fps, size=scene.resolution,
                    frame_count=len(frames))
        t_floor = time.perf_counter() - t0

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    clip_s = scene.duration
    rows = [
        ("simulate (alone)", t_sim),
        ("sound (alone)", t_sound),
        ("encode only (floor)", t_floor),
        ("prompt -> MP4 (whole)", t_total),
    ]
    print(f"clip: {clip_s:g} s {scene.width}x{scene.height}@{scene.fps}, "
          f"{len(recording.events)} events, prompt: {args.prompt!r}")
    print(f"{'stage':<24}{'wall s':>9}{'x real time':>13}")
    for name, seconds in rows:
        print(f"{name:<24}{seconds:>9.2f}{clip_s / seconds:>13.2f}")
    print(f"whole / floor ratio: {t_total / t_floor:.2f}   "
          f"(main process peak RSS {peak_mb:.0f} MB, frames held for the floor)")


if __name__ == "__main__":
    main()
