"""Clips from one generator measured as a set: one offset from pairs too few in each clip."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from worldreel.cli import EXIT_OUT_OF_SYNC, EXIT_USER_ERROR, main
from worldreel.evaluate import evaluate_clip
from worldreel.evaluate.audio_onsets import Onset
from worldreel.evaluate.clip_set import set_sync
from worldreel.evaluate.sync import streams, sync_from_video, sync_of_set
from worldreel.evaluate.tests.toyclip import ToyBall, make_toy_clip

FRAME_MS = 1000.0 / 24
# Each clip is short enough to show one bounce: alone, its single pair lines up on any lag.
ONE_BOUNCE = [
    ToyBall(drop_height_m=1.6, x0_m=0.5),
    ToyBall(drop_height_m=1.2, x0_m=0.9, vx_m_per_s=-0.2),
    ToyBall(drop_height_m=1.8, x0_m=1.2, vx_m_per_s=0.1),
]
CLIP_S = 1.1


def test_pairs_too_few_in_each_clip_add_up_across_the_set():
    rng = np.random.default_rng(5)
    clips, alone = [], []
    for _ in range(4):
        # One impact seen and heard 200 ms late, and fainter unrelated motion and sound.
        hit = rng.uniform(0.8, 2.0)
        picture = [hit, *rng.uniform(0.0, 3.0, 2)]
        strengths = [1.0, 0.3, 0.3]
        onsets = sorted([Onset(hit + 0.2, 1.0), *(Onset(t, 0.3) for t in rng.uniform(0, 3, 2))],
                        key=lambda o: o.time_s)
        alone.append(sync_from_video(picture, onsets, fps=24, event_strengths=strengths,
                                     duration_s=3.0))
        clips.append(streams(picture, onsets, strengths, duration_s=3.0))
    assert all(result.insufficient_evidence for result in alone)
    lag, chance, results = sync_of_set(clips, fps=24)
    assert lag == pytest.approx(0.2, abs=0.001) and chance < 0.05
    assert all(r.matched == 1 and r.median_offset_ms == pytest.approx(200, abs=1) for r in results)


def test_unrelated_events_give_a_set_an_offset_no_more_often_than_chance_allows():
    # Four clips of three motion events and three sounds each, scattered at random: a verdict
    # is a false alarm, and they may come no more often than the chance limit (5%) promises,
    # give or take the spread of 1,000 trials (0.7%).
    false_alarms = 0
    for seed in range(1000):
        rng = np.random.default_rng(seed)
        clips = [
            streams(sorted(rng.uniform(0, 3, 3)),
                    [Onset(t, 1.0) for t in sorted(rng.uniform(0, 3, 3))], duration_s=3.0)
            for _ in range(4)
        ]
        lag, _, _ = sync_of_set(clips, fps=24)
        false_alarms += lag is not None
    assert false_alarms <= 0.06 * 1000


@pytest.fixture(scope="module")
def one_bounce_clips(tmp_path_factory):
    """{name: [paths]} of three one-bounce toy clips: in sync, and all with audio 200 ms late."""
    root = tmp_path_factory.mktemp("one_bounce")
    return {
        name: [
            make_toy_clip(root / name, f"clip{k}", duration_s=CLIP_S, ball=ball,
                          audio_shift_s=shift).path
            for k, ball in enumerate(ONE_BOUNCE)
        ]
        for name, shift in (("clean", 0.0), ("late", 0.2))
    }


@pytest.mark.parametrize("name, offset_ms", [("clean", 0.0), ("late", 200.0)])
def test_a_set_of_one_bounce_clips_is_measured_where_each_clip_is_not(one_bounce_clips, name,
                                                                      offset_ms):
    reports = [evaluate_clip(path) for path in one_bounce_clips[name]]
    assert all(r.sync.insufficient_evidence for r in reports)
    together = set_sync(reports)
    assert not together.insufficient_evidence
    assert together.clips_paired == 3
    assert set_sync(reports).chance == together.chance, "the measured chance is repeatable"
    assert together.median_offset_ms == pytest.approx(offset_ms, abs=FRAME_MS)
    assert together.in_sync is (offset_ms == 0.0)


def test_a_clip_out_of_step_with_the_rest_fails_the_set(one_bounce_clips, clips):
    # Three clips in sync that cannot show it alone, and one that shows by itself that its
    # sound is 200 ms late: whichever offset the set settles on, it is not in sync.
    reports = [evaluate_clip(path) for path in one_bounce_clips["clean"]]
    late = evaluate_clip(clips["late"].path)
    assert late.sync.median_offset_ms == pytest.approx(200.0, abs=FRAME_MS)
    together = set_sync([*reports, late])
    assert together.in_sync is False
    assert together.disagreeing or together.median_offset_ms > 125.0


def test_eval_of_several_clips_prints_and_writes_the_set(one_bounce_clips, tmp_path):
    out = tmp_path / "set.json"
    clean = [str(p) for p in one_bounce_clips["clean"]]
    result = CliRunner().invoke(main, ["eval", *clean, "--json", str(out)])
    assert result.exit_code == 0, result.output
    assert "the clips as one set" in result.output
    data = json.loads(out.read_text())
    assert len(data["clips"]) == 3 and data["set"]["in_sync"] is True
    late = [str(p) for p in one_bounce_clips["late"]]
    result = CliRunner().invoke(main, ["eval", *late, "--strict", "-q"])
    assert result.exit_code == EXIT_OUT_OF_SYNC and "the set of clips" in result.output


def test_eval_of_several_clips_refuses_one_clips_sidecars_and_checks_every_path(
        one_bounce_clips, tmp_path):
    clean = [str(p) for p in one_bounce_clips["clean"]]
    result = CliRunner().invoke(main, ["eval", *clean, "--recording", "x.events.json"])
    assert result.exit_code == EXIT_USER_ERROR and "one clip" in result.output
    notes = tmp_path / "notes.txt"
    notes.write_text("not a video")
    result = CliRunner().invoke(main, ["eval", *clean, str(notes), "--json",
                                       str(tmp_path / "out.json")])
    assert result.exit_code == EXIT_USER_ERROR and "notes.txt" in result.output
    assert not (tmp_path / "out.json").exists()
