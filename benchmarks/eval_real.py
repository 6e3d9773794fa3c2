"""A/V offset from the MP4 alone on real camera footage, as published and with shifted sound.

Usage: python benchmarks/eval_real.py [DIR] [--shifts 0.2 -0.1] [--keep DIR]

For every MP4 in DIR (default ../shared/benchmarks/realvid, internal test material that never
enters the repository) it evaluates the clip as published, taken to be in sync, and copies whose
soundtrack is shifted by each --shifts value (positive = sound later; the picture is copied
packet for packet). Each run is graded:
- ok: an offset within 45 ms of the truth, with the right BT.1359 verdict (in sync for the
  original, out of sync for a shift outside the window);
- abstain: insufficient evidence;
- WRONG: a confident wrong answer, i.e. flagged out of sync when in sync, or an offset more
  than 100 ms from the truth at a chance below 5%;
- off: any other answer that is not ok.
Then the tally and the speed (clip seconds per wall second, warm: the first run pays imports).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from worldreel.evaluate import evaluate_clip
from worldreel.evaluate.defects import delay_audio
from worldreel.evaluate.report import percent
from worldreel.evaluate.sync import within_bt1359

CORRECT_MS = 45.0  # the tolerance: the BT.1359 early limit
WRONG_MS = 100.0  # further than this from the truth at a small chance is confidently wrong
CONFIDENT = 0.05
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "shared" / "benchmarks" / "realvid"


def grade(sync, truth_ms: float) -> str:
    """ok, abstain, WRONG or off for one run (module docstring)."""
    if sync is None or sync.insufficient_evidence or sync.median_offset_ms is None:
        return "abstain"
    offset = sync.median_offset_ms
    confident = sync.chance is not None and sync.chance < CONFIDENT
    if within_bt1359(truth_ms) and sync.in_sync is False:
        return "WRONG"
    if abs(offset - truth_ms) > WRONG_MS and confident:
        return "WRONG"
    if abs(offset - truth_ms) <= CORRECT_MS and sync.in_sync == within_bt1359(truth_ms):
        return "ok"
    return "off"


def _offset(sync) -> str:
    if sync is None or sync.insufficient_evidence or sync.median_offset_ms is None:
        return "insufficient evidence"
    interval = getattr(sync, "interval_ms", None)
    ci = f" [{interval[0]:+.0f}, {interval[1]:+.0f}]" if interval else ""
    return f"{sync.median_offset_ms:+7.1f} ms{ci} chance {percent(sync.chance)}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=DEFAULT_DIR)
    parser.add_argument("--shifts", type=float, nargs="*", default=[0.2, -0.1])
    parser.add_argument("--keep", type=Path, help="write the shifted copies here")
    parser.add_argument(
        "--truth", action="append", default=[], metavar="STEM=MS",
        help="a clip's own offset as published (default 0: taken to be in sync)",
    )
    args = parser.parse_args()
    own = {stem: float(ms) for stem, ms in (item.split("=", 1) for item in args.truth)}
    clips = sorted(args.folder.glob("*.mp4"))
    if not clips:
        raise SystemExit(f"no MP4 in {args.folder}")
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="eval_real_"))
    scratch.mkdir(parents=True, exist_ok=True)
    evaluate_clip(clips[0])  # warm: imports and first-call costs are not the method's speed
    tally: dict[str, int] = {"ok": 0, "abstain": 0, "off": 0, "WRONG": 0}
    clip_s = wall_s = 0.0
    print(f"{'clip':<44} {'truth':>7}  {'measured':<46} grade")
    for clip in clips:
        for shift in [0.0, *args.shifts]:
            path = clip
            if shift:
                path = delay_audio(clip, scratch / f"{clip.stem}_{shift * 1000:+.0f}ms.mp4", shift)
            started = time.perf_counter()
            report = evaluate_clip(path)
            wall_s += time.perf_counter() - started
            clip_s += report.duration_s
            truth = own.get(clip.stem, 0.0) + 1000.0 * shift
            mark = grade(report.sync, truth)
            tally[mark] += 1
            print(f"{clip.stem[:44]:<44} {truth:+5.0f}ms  {_offset(report.sync):<46} {mark}")
    runs = sum(tally.values())
    print(
        f"\n{runs} runs: {tally['ok']} ok, {tally['abstain']} abstain, {tally['off']} off, "
        f"{tally['WRONG']} confidently wrong"
    )
    print(f"speed: {clip_s:.1f} s of clips in {wall_s:.1f} s = {clip_s / wall_s:.2f}x real time")


if __name__ == "__main__":
    main()
