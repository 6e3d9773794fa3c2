"""Impacts of small, dull objects over a still background, seen from the MP4 alone."""

from __future__ import annotations

import numpy as np
import pytest

from worldreel.evaluate import evaluate_clip
from worldreel.evaluate.foreground_track import ForegroundTracker
from worldreel.evaluate.tests.toyclip import ToyBall, bounce_schedule, make_toy_clip, toy_frames

FPS = 24
DURATION_S = 3.5
# A grey ball 14 px across in a 640x360 wide shot: 7 px at the 320 px analysis size, where
# optical flow loses it as it nears the floor at a ball's width per frame, and too dull for the
# colour tracker.
SMALL_DULL_BALL = ToyBall(radius_m=0.04, colour=(150, 150, 150), x0_m=1.0, vx_m_per_s=0.5)


def _tracked(frames, still=True) -> ForegroundTracker:
    tracker = ForegroundTracker(width_px=frames[0].shape[1])
    for k, frame in enumerate(frames):
        tracker.update(k, frame, camera_still=still)
    return tracker


def test_bounces_of_a_small_ball_are_timed_to_a_fraction_of_a_frame():
    frames = toy_frames(SMALL_DULL_BALL, FPS, DURATION_S, 320, 180)
    bounces, _ = bounce_schedule(SMALL_DULL_BALL, DURATION_S)
    times = np.arange(len(frames)) / FPS
    events = _tracked(frames).events(times, FPS)
    # Every event is a bounce; the fifth, at a third of the first's speed, turns the ball by
    # less than four times the bending of its flight, which is not taken for an impact.
    assert len(events) == 4
    for event, bounce in zip(events, bounces):
        assert event.time_s == pytest.approx(bounce, abs=0.006)


def test_nothing_is_tracked_while_the_camera_moves():
    frames = toy_frames(SMALL_DULL_BALL, FPS, DURATION_S, 320, 180)
    times = np.arange(len(frames)) / FPS
    tracker = _tracked(frames, still=False)
    assert tracker.tracks == [] and tracker.events(times, FPS) == []


def test_a_thing_at_rest_is_background_not_an_event():
    resting = ToyBall(drop_height_m=0.04, radius_m=0.04, vx_m_per_s=0.0, colour=(150, 150, 150))
    frames = toy_frames(resting, FPS, 2.0, 320, 180)
    tracker = _tracked(frames)
    assert tracker.tracks == []


@pytest.mark.parametrize("shift_s", [0.0, 0.2], ids=["clean", "audio 200 ms late"])
def test_a_small_dull_ball_in_a_wide_shot_is_in_sync_from_the_mp4_alone(tmp_path, shift_s):
    clip = make_toy_clip(
        tmp_path, width=640, height=360, duration_s=DURATION_S, audio_shift_s=shift_s,
        ball=SMALL_DULL_BALL,
    )
    sync = evaluate_clip(clip.path).sync
    assert not sync.insufficient_evidence, sync.to_dict()
    assert sync.matched >= 3
    assert sync.median_offset_ms == pytest.approx(1000.0 * shift_s, abs=1000.0 / FPS)
    assert sync.in_sync is (shift_s == 0.0)
