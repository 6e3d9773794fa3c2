"""Speed of `worldreel eval` on a synthetic clip, against decoding the same clip alone (the floor).

Usage: python benchmarks/eval_speed.py [--seconds 5] [--size 1280x720] [--fps 24] [--runs 3]

Builds a bouncing-ball clip with sound using plain PyAV (outside the timings), then times, in this
one process: the decode-only floor (every video frame and the audio decoded, nothing else), the
first evaluation (which pays the one-off imports: OpenCV, PyAV, and librosa with scipy and numba
for the onsets, about 1.5 CPU s, more than a 5 s clip's audio analysis itself) and
the best of `--runs` further evaluations. Prints clip seconds, wall seconds, the real-time factor (clip
seconds / wall seconds), the ratio to the floor, and the CPU seconds used (all threads).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path


def timed(func, *args) -> tuple[float, float, object]:
    """(wall seconds, CPU seconds of this process, result). CPU time barely changes when other
    work shares the cores, so it shows what the wall time would be on an idle machine."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = func(*args)
    return time.perf_counter() - wall, time.process_time() - cpu, result


def decode_floor_s(path: Path) -> float:
    """Wall time to decode every video frame (threaded, as evaluation does) and the audio."""
    import av

    started = time.perf_counter()
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"
        for _ in container.decode(stream):
            pass
    with av.open(str(path)) as container:
        for _ in container.decode(audio=0):
            pass
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--size", default="1280x720")
    parser.add_argument("--fps", type=int, default=24)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    width, height = (int(v) for v in args.size.lower().split("x"))

    from worldreel.evaluate.tests.toyclip import make_toy_clip

    with tempfile.TemporaryDirectory() as tmp:
        clip = make_toy_clip(
            Path(tmp), "bench", fps=args.fps, duration_s=args.seconds, width=width, height=height
        )
        floors = [timed(decode_floor_s, clip.path) for _ in range(args.runs)]
        floor_s, floor_cpu, _ = min(floors)

        def first_call():
            from worldreel.evaluate import evaluate_clip

            return evaluate_clip(clip.path)

        first_s, first_cpu, report = timed(first_call)
        from worldreel.evaluate import evaluate_clip

        warm_s, warm_cpu, _ = min(timed(evaluate_clip, clip.path) for _ in range(args.runs))

    rows = [
        ("decode only (floor)", floor_s, floor_cpu),
        ("eval, first call (with imports)", first_s, first_cpu),
        ("eval, warm (best of %d)" % args.runs, warm_s, warm_cpu),
    ]
    load = os.getloadavg()[0]
    print(
        f"eval speed: {width}x{height} @ {args.fps} fps, {args.seconds:g} s clip, "
        f"{os.cpu_count()} cores (load average {load:.1f}: other work on the machine slows "
        f"every row alike), analysis at {report.analysis.analysis_width} px wide"
    )
    print(f"{'run':34s} {'clip s':>7s} {'wall s':>7s} {'x real time':>12s} {'x floor':>8s} "
          f"{'cpu s':>7s}")
    for name, wall, cpu in rows:
        print(f"{name:34s} {args.seconds:7.2f} {wall:7.3f} {args.seconds / wall:12.2f} "
              f"{wall / floor_s:8.2f} {cpu:7.3f}")
    import sys

    heavy = sorted({m.split(".")[0] for m in sys.modules} & {"scipy", "librosa", "numba"})
    print(f"heavy modules imported by the first call: {', '.join(heavy) or 'none'}")
    sync = report.sync
    print(
        f"(sanity: {sync.matched} sound/motion pairs, median offset "
        f"{sync.median_offset_ms:+.1f} ms)"
        if sync and sync.matched
        else "(sanity: no pairs)"
    )


if __name__ == "__main__":
    main()
