"""A/V sync measured from the MP4 alone on rendered clips, against the exact sidecar figure.

Usage: python benchmarks/gallery_sync.py [DIR ...] [--shift 0.2]

For every `clip.mp4` in DIR (default /tmp/gallery, where benchmarks/gallery.py writes) that has
its `clip.events.json` beside it, prints:
- the sidecar's median offset (every contact against its own sound: the truth, to the sample),
- the offset measured from a copy of the MP4 alone (no sidecars), with the number of pairs and
  the chance probability of their agreement, or "insufficient evidence",
- the same for a copy whose soundtrack is delayed by --shift seconds (a planted defect),
and counts clips measured within one frame of the truth, wrong, and left without a verdict.
Then the clips as one set (one offset for all, as from one generator: evaluate.clip_set), clean
and with every soundtrack delayed, graded against the sidecars' median offset.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import numpy as np

from worldreel.evaluate import evaluate_clip
from worldreel.evaluate.clip_set import set_sync
from worldreel.evaluate.defects import delay_audio
from worldreel.evaluate.report import percent


def _measured(sync) -> bool:
    return sync is not None and not sync.insufficient_evidence and sync.median_offset_ms is not None


def _mp4_only(sync) -> str:
    if not _measured(sync):
        return "insufficient evidence"
    return f"{sync.median_offset_ms:+7.1f} ms ({sync.matched} pairs, chance {percent(sync.chance)})"


def _grade(sync, truth_ms: float, frame_ms: float) -> str:
    if not _measured(sync):
        return "n/a"
    return "ok" if abs(sync.median_offset_ms - truth_ms) <= frame_ms else "WRONG"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dirs", nargs="*", default=["/tmp/gallery"])
    parser.add_argument("--shift", type=float, default=0.2, help="planted audio delay, s")
    args = parser.parse_args()
    clips = sorted(
        clip
        for folder in args.dirs
        for clip in Path(folder).glob("*.mp4")
        if clip.with_name(clip.stem + ".events.json").exists()
    )
    if not clips:
        raise SystemExit(f"no clip with an events sidecar in {', '.join(args.dirs)}")
    tally = {"ok": 0, "WRONG": 0, "n/a": 0}
    shifted_title = f"audio +{1000 * args.shift:.0f} ms, MP4 alone"
    print(f"{'clip':20s} {'sidecar':>10s}  {'MP4 alone':38s} {shifted_title}")
    clean_reports, late_reports, truths = [], [], []
    with tempfile.TemporaryDirectory() as scratch:
        for clip in clips:
            with_sidecars = evaluate_clip(clip)
            truth = with_sidecars.event_sync.median_offset_ms if with_sidecars.event_sync else None
            truth = 0.0 if truth is None else truth
            alone = Path(scratch) / clip.name
            shutil.copy(clip, alone)
            late = delay_audio(alone, Path(scratch) / f"{clip.stem}_late.mp4", args.shift)
            frame_ms = 1000.0 / (with_sidecars.media.fps or 24.0)
            clean_reports.append(evaluate_clip(alone))
            late_reports.append(evaluate_clip(late))
            truths.append(truth)
            clean, shifted = clean_reports[-1].sync, late_reports[-1].sync
            grades = (
                _grade(clean, truth, frame_ms),
                _grade(shifted, truth + 1000 * args.shift, frame_ms),
            )
            for grade in grades:
                tally[grade] += 1
            print(
                f"{clip.stem:20s} {truth:+8.1f} ms  {_mp4_only(clean):34s} {grades[0]:5s} "
                f"{_mp4_only(shifted):34s} {grades[1]}"
            )
    print(f"within one frame: {tally['ok']}, wrong: {tally['WRONG']}, no verdict: {tally['n/a']}")
    truth = float(np.median(truths))
    frame_ms = 1000.0 / (clean_reports[0].media.fps or 24.0)
    print(f"\nthe {len(clips)} clips as one set (sidecars' median offset {truth:+.1f} ms):")
    for title, reports, expected in (("MP4s alone", clean_reports, truth),
                                     (shifted_title.replace("MP4 alone", "MP4s alone"),
                                      late_reports, truth + 1000 * args.shift)):
        together = set_sync(reports)
        if together.insufficient_evidence:
            print(f"  {title:28s} insufficient evidence")
            continue
        grade = "ok" if abs(together.median_offset_ms - expected) <= frame_ms else "WRONG"
        print(f"  {title:28s} {together.median_offset_ms:+7.1f} ms ({together.matched} pairs in "
              f"{together.clips_paired} clips, chance {percent(together.chance)}, by "
              f"{together.source}) {grade}")


if __name__ == "__main__":
    main()
