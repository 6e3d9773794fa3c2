"""Real-time factor of prompt -> MP4, against the encoder alone on the same frames (the floor).

Usage: python benchmarks/realtime.py [--seconds 5] [--size 1280x720] [--fps 24] [--workers 0]
                                     [--options] [--memory 5,20] [--people 4]

Prints a table: wall seconds of each stage and of the whole run, the real-time factor
(clip seconds / wall seconds), and the ratio of the whole run to the floor measured in the same run.
`--options` adds a table of what each render option costs (frames rendered alone, same run);
`--memory 5,20` plays clips of those lengths in fresh processes and reports the peak resident
memory of the whole process tree (the CLI process and its render workers) for each.
`--people 4` adds a table for the same scene with that many people in it, each walking, waving
and talking around the action: animation, simulation and the frames alone, against the frames
of the scene without them (the render frame-rate ratio).

Heavy modules are imported inside main(): render workers are spawned processes that re-import
the main script, and the `worldreel` command's own script is light, so the benchmark must be too.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import replace
from pathlib import Path


def _tree_rss_bytes(root: int) -> int:
    """Resident memory of a process and all its descendants (Linux /proc)."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def peak_tree_rss(command: list[str], interval: float = 0.05) -> tuple[float, int, str]:
    """Run a command; return (wall seconds, peak RSS of its process tree in bytes, stderr)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                               text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            peak = max(peak, _tree_rss_bytes(process.pid))
            time.sleep(interval)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = process.communicate()
    done.set()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"{' '.join(command)} failed: {err.strip()[-400:]}")
    return time.perf_counter() - start, peak, err


def option_costs(scene, recording, variants) -> list[tuple[str, float]]:
    """Wall seconds to render every frame of the clip under each set of render options."""
    from worldreel.render import RenderOptions, render_frames

    rows = []
    for label, kwargs in variants:
        t0 = time.perf_counter()
        for _ in render_frames(scene, recording, RenderOptions(**kwargs)):
            pass
        rows.append((label, time.perf_counter() - t0))
    return rows


PEOPLE_SCRIPT = ("walk 1.5 m from 0 s", "wave at 0.8 s", "talk at 2.5 s")


def with_people(scene, count: int):
    """The scene with `count` people standing in a ring around it, each walking a little
    towards the middle, waving and talking (PEOPLE_SCRIPT)."""
    import math

    from worldreel.scene import scene_from_dict, scene_to_dict

    data = scene_to_dict(scene)
    ages = (34, 8, 71, 25, 45, 16)
    characters = []
    for k in range(count):
        angle = 2 * math.pi * k / count + 0.3
        x, y = 3.2 * math.cos(angle), 3.2 * math.sin(angle)
        facing = (math.degrees(angle) + 360.0) % 360.0 - 180.0  # towards the middle
        towards = (x - 1.5 * math.cos(angle), y - 1.5 * math.sin(angle))
        characters.append({
            "id": f"person{k}", "body": {"age": ages[k % len(ages)], "gender": k % 2},
            "position": [x, y], "facing": facing,
            "script": [{"do": "walk", "place": list(towards), "at": 0.0},
                       {"do": "wave", "at": 0.8}, {"do": "talk", "at": 2.5, "duration": 1.5}]})
    data["characters"] = characters
    return scene_from_dict(data, source="benchmark scene with people")


def people_costs(scene, recording, count: int, workers: int, repeat: int = 1
                 ) -> list[tuple[str, float]]:
    """Wall seconds of animating, simulating and rendering the scene with `count` people,
    and of rendering its frames with and without them (the last two rows; the fastest of
    `repeat` runs of each, taken in turn)."""
    from worldreel.animation import animate
    from worldreel.physics import simulate
    from worldreel.render import plan_camera

    crowd = with_people(scene, count)
    t0 = time.perf_counter()
    performances = animate(crowd)
    t_animate = time.perf_counter() - t0
    t0 = time.perf_counter()
    crowd_recording = simulate(crowd, performances=performances)
    t_sim = time.perf_counter() - t0
    # one camera for both, framing the people: the same view with and without them
    crowd_recording = crowd_recording.with_camera(plan_camera(crowd, crowd_recording))
    recording = recording.with_camera(crowd_recording.camera)
    alone = with_them = float("inf")
    for _ in range(repeat):  # alternated, so a busy moment of the machine hits both alike
        alone = min(alone, option_costs(scene, recording, [("", dict(workers=workers))])[0][1])
        with_them = min(with_them, option_costs(crowd, crowd_recording,
                                                [("", dict(workers=workers))])[0][1])
    return [("animate (people)", t_animate), ("simulate with people", t_sim),
            ("frames without people (same camera)", alone),
            (f"frames with {count} people (same camera)", with_them)]


def main() -> None:
    from worldreel import pipeline
    from worldreel.audio import make_soundtrack
    from worldreel.media import encode_clip
    from worldreel.media.reader import iter_frames, read_audio
    from worldreel.physics import simulate
    from worldreel.render import RenderOptions, plan_camera
    from worldreel.scene import parse_size

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prompt", default=pipeline.DEFAULT_PROMPT)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--fps", type=int, default=24)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--repeat", type=int, default=3,
                        help="runs of the whole and of the floor; the fastest of each counts "
                             "(the machine is shared: the minimum is the least disturbed)")
    parser.add_argument("--preset", default=None, help="x264 preset (default: the pipeline's)")
    parser.add_argument("--options", action="store_true", help="add the per-option cost table")
    parser.add_argument("--memory", default="", help="clip lengths (s) to measure peak RSS of")
    parser.add_argument("--people", type=int, default=0,
                        help="also measure the scene with this many people in it")
    args = parser.parse_args()
    size = parse_size(args.size)

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "bench.mp4"
        options = pipeline.PlayOptions(render=RenderOptions(workers=args.workers), overwrite=True)
        if args.preset:
            options = replace(options, encode_preset=args.preset)
        planned = pipeline.plan(args.prompt, seconds=args.seconds, fps=args.fps, size=size)
        scene = planned.scene

        t0 = time.perf_counter()
        recording = simulate(scene)
        t_sim = time.perf_counter() - t0
        recording = recording.with_camera(plan_camera(scene, recording))
        t0 = time.perf_counter()
        make_soundtrack(scene, recording)
        t_sound = time.perf_counter() - t0

        totals = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            pipeline.play(scene, out, options)
            totals.append(time.perf_counter() - t0)
        pipeline.play(scene, out, options)
        t_total = min(totals)

        frames = list(iter_frames(out))  # decoded once, outside the timings
        audio = read_audio(out)[: round(scene.duration * 48_000)]
        floor_out = Path(tmp) / "floor.mp4"
        floors = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            encode_clip(floor_out, iter(frames), audio, fps=scene.fps, size=scene.resolution,
                        frame_count=len(frames), preset=options.encode_preset)
            floors.append(time.perf_counter() - t0)
        t_floor = min(floors)
        del frames

        variants = []
        if args.options:
            w = args.workers
            variants = [
                ("render: default (blob shadows, post AA)", dict(workers=w)),
                ("render: no post-processing", dict(workers=w, post=False)),
                ("render: shadow map 2048", dict(workers=w, shadows="map")),
                ("render: shadow map 4096", dict(workers=w, shadows="map", shadow_size=4096)),
                ("render: MSAA x4, no post AA", dict(workers=w, msaa=4)),
                ("render: motion blur x3", dict(workers=w, motion_blur=3)),
                ("render: depth of field", dict(workers=w, depth_of_field=True)),
            ]
        option_rows = option_costs(scene, recording, variants)
        people_rows = people_costs(scene, recording, args.people, args.workers,
                                   args.repeat) if args.people else []

    clip_s = scene.duration
    rows = [
        ("simulate (alone)", t_sim),
        ("sound (alone)", t_sound),
        (f"encode only (floor, {options.encode_preset})", t_floor),
        ("prompt -> MP4 (whole)", t_total),
        *option_rows,
    ]
    print(f"clip: {clip_s:g} s {scene.width}x{scene.height}@{scene.fps}, "
          f"{len(recording.events)} events, {os.cpu_count()} cores, "
          f"prompt: {args.prompt!r}")
    print(f"{'stage':<44}{'wall s':>9}{'x real time':>13}")
    for name, seconds in rows:
        print(f"{name:<44}{seconds:>9.2f}{clip_s / seconds:>13.2f}")
    print(f"whole / floor ratio: {t_total / t_floor:.2f}   (fastest of {args.repeat}; all whole "
          f"runs: {', '.join(f'{t:.2f}' for t in totals)} s)")

    if people_rows:
        print(f"\nwith {args.people} people ({'; '.join(PEOPLE_SCRIPT)}):")
        print(f"{'stage':<44}{'wall s':>9}{'x real time':>13}")
        for name, seconds in people_rows:
            print(f"{name:<44}{seconds:>9.2f}{clip_s / seconds:>13.2f}")
        alone, crowd = people_rows[-2][1], people_rows[-1][1]
        print(f"render frame rate with people / without: {alone / crowd:.2f}")

    if args.memory:
        print(f"\n{'clip length':<14}{'wall s':>9}{'x real time':>13}{'peak tree RSS MB':>18}")
        peaks = []
        for seconds in [float(s) for s in args.memory.split(",")]:
            with tempfile.TemporaryDirectory() as tmp:
                command = [sys.executable, "-m", "worldreel", "generate", args.prompt,
                           "-o", str(Path(tmp) / "m.mp4"), "--seconds", f"{seconds:g}",
                           "--size", args.size, "--fps", str(args.fps), "--quiet"]
                wall, peak, _ = peak_tree_rss(command)
            peaks.append(peak)
            print(f"{seconds:<14g}{wall:>9.2f}{seconds / wall:>13.2f}{peak / 2**20:>18.0f}")
        if len(peaks) > 1:
            print(f"peak RSS, longest / shortest: {peaks[-1] / peaks[0]:.3f}")


if __name__ == "__main__":
    main()
