"""A/V sync from the MP4 alone on real WorldReel clips (made by the CLI), clean and with the
audio delayed by 200 ms.

The clips are small (320x180, 3 s) so the whole module takes about 15 s. Each is evaluated
without its sidecars, as any third-party MP4 would be; the sidecar's contact times are the truth
only for the report on failure.
"""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from worldreel.evaluate import evaluate_clip
from worldreel.evaluate.defects import delay_audio

FRAME_MS = 1000.0 / 24
SHIFT_S = 0.2
PROMPTS = {
    "basketball": "a basketball bounces off the backboard and falls to the floor",
    "tennis": "a tennis ball bounces on the floor",
    "crate": "a red ball drops onto a wooden crate",
}
# Clips whose impacts are visible in the picture: the MP4 alone must measure their offset.
# The basketball's camera follows the ball, so the whole-frame motion change is swamped by
# camera motion and parallax; its bounces are timed from the tracked ball instead.
MUST_MEASURE = ("basketball", "tennis", "crate")


@pytest.fixture(scope="session")
def real_reports(tmp_path_factory):
    """{name: (clean report, delayed report)} for the gallery prompts, made in parallel."""
    made = tmp_path_factory.mktemp("real_clips")
    alone = tmp_path_factory.mktemp("real_clips_alone")
    cli = [sys.executable, "-m", "worldreel.cli"]
    if shutil.which("worldreel"):
        cli = ["worldreel"]
    jobs = {
        name: subprocess.Popen(
            [*cli, "generate", prompt, "-o", str(made / f"{name}.mp4"), "--size", "320x180",
             "--seconds", "3", "-q"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
        )
        for name, prompt in PROMPTS.items()
    }
    reports = {}
    for name, job in jobs.items():
        output, _ = job.communicate(timeout=120)
        assert job.returncode == 0, output.decode(errors="replace")
        clean = alone / f"{name}.mp4"  # no sidecars beside it: the MP4 alone
        shutil.copy(made / f"{name}.mp4", clean)
        late = delay_audio(clean, alone / f"{name}_late.mp4", SHIFT_S)
        reports[name] = (evaluate_clip(clean), evaluate_clip(late))
    return reports


def _describe(report) -> str:
    return (
        f"motion events {[round(e.time_s, 3) for e in report.visual_events]}, "
        f"onsets {[round(o.time_s, 3) for o in report.onsets]}, sync {report.sync.to_dict()}"
    )


@pytest.mark.parametrize("name", sorted(PROMPTS))
def test_clean_clip_in_sync_or_insufficient_evidence(real_reports, name):
    sync = real_reports[name][0].sync
    if name in MUST_MEASURE:
        assert not sync.insufficient_evidence, _describe(real_reports[name][0])
    if sync.insufficient_evidence:
        assert sync.in_sync is None and sync.median_offset_ms is None
        return
    assert sync.matched >= 2
    assert sync.median_abs_offset_ms <= FRAME_MS, _describe(real_reports[name][0])
    assert sync.in_sync is True


@pytest.mark.parametrize("name", sorted(PROMPTS))
def test_audio_delayed_200ms_flagged_with_the_offset(real_reports, name):
    sync = real_reports[name][1].sync
    if name in MUST_MEASURE:
        assert not sync.insufficient_evidence, _describe(real_reports[name][1])
    if sync.insufficient_evidence:
        assert sync.in_sync is None and sync.median_offset_ms is None
        return
    assert sync.in_sync is False, _describe(real_reports[name][1])
    assert abs(sync.median_offset_ms - 1000.0 * SHIFT_S) <= FRAME_MS, _describe(
        real_reports[name][1]
    )
