"""The motion-stop A/V offset (evaluate.av_offset): on synthetic stops whose true offset is
known, on unrelated sound, on a shifted copy of a real clip, and on real camera footage when the
internal clips are present."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from worldreel.evaluate import av_offset
from worldreel.evaluate.audio_onsets import Onset
from worldreel.evaluate.defects import delay_audio
from worldreel.media.reader import iter_frames, read_audio

FPS = 30.0
FRAMES = 300
HOP_S = 0.005
REALVID = Path(__file__).resolve().parents[5] / "shared" / "benchmarks" / "realvid"


def _stopping_picture(stop_times: np.ndarray) -> av_offset.PictureSignals:
    """One cell of 48 where a thing moves at 10 px/frame and stops dead at each time; the
    other cells hold flow noise."""
    rng = np.random.default_rng(3)
    times = np.arange(FRAMES) / FPS
    speed = rng.uniform(0.0, 0.3, size=(FRAMES, 48))
    dt = 1.0 / FPS
    for stop in stop_times:
        j = int(stop // dt)  # the stop falls inside (t_j, t_j+1), a fraction phi in
        phi = stop / dt - j
        speed[max(j - 3, 1) : j + 1, 20] = 10.0  # moving over the frames before
        speed[j + 1, 20] = 10.0 * phi  # ... part of the interval it stops in
    speed[0] = np.nan  # no flow into the first frame
    return av_offset.PictureSignals(speed=speed, times_s=times, fps=FPS)


def _sound(onset_times: np.ndarray) -> tuple[np.ndarray, list[Onset]]:
    envelope = np.zeros(int(FRAMES / FPS / HOP_S) + 1)
    for t in onset_times:
        if 0 <= t < FRAMES / FPS:
            envelope[int(round(t / HOP_S))] = 1.0
    return envelope, [Onset(float(t), 0.5) for t in onset_times if 0 <= t < FRAMES / FPS]


STOPS = np.array([0.62, 1.43, 2.05, 3.31, 4.12, 4.97, 5.88, 6.41, 7.77, 8.53, 9.2])
# Where the method puts a frame's picture: a quarter frame after its timestamp (exposure).
EXPOSURE_S = av_offset.EXPOSURE_FRACTION / FPS


@pytest.mark.parametrize("offset_s", [0.0, 0.2, -0.1])
def test_offset_of_stops_and_their_sounds(offset_s):
    envelope, onsets = _sound(STOPS + EXPOSURE_S + offset_s)
    found = av_offset.sync_from_stops(
        _stopping_picture(STOPS), envelope, HOP_S, onsets, np.random.default_rng(0)
    )
    result = found.result
    assert not result.insufficient_evidence, found.reason
    assert result.median_offset_ms == pytest.approx(1000 * offset_s, abs=5.0)
    assert result.chance <= 0.05
    low, high = result.interval_ms
    assert low <= 1000 * offset_s <= high
    assert result.in_sync is (offset_s == 0.0)
    # The correlation over lag peaks near the offset: the plot shows why.
    curve = found.curve
    assert abs(curve.lags_s[np.argmax(curve.correlation)] - offset_s) <= 1.0 / FPS


def test_unrelated_sound_abstains():
    rng = np.random.default_rng(11)
    envelope, onsets = _sound(np.sort(rng.uniform(0.2, 9.8, size=11)))
    found = av_offset.sync_from_stops(
        _stopping_picture(STOPS), envelope, HOP_S, onsets, np.random.default_rng(0)
    )
    assert found.result.insufficient_evidence
    assert found.result.median_offset_ms is None and found.reason


def test_a_regular_rhythm_without_a_distinct_beat_abstains():
    """Stops every 0.3 s and sounds every 0.3 s through the whole clip line up as well on
    several lags within the search: only irregular timing could tell them apart, and there is
    none."""
    stops = np.arange(0.5, 9.5, 0.3)
    envelope, onsets = _sound(np.arange(0.0, 10.0, 0.3) + 0.05)
    found = av_offset.sync_from_stops(
        _stopping_picture(stops), envelope, HOP_S, onsets, np.random.default_rng(0)
    )
    assert found.result.insufficient_evidence, found.result.to_dict()


def test_same_input_same_answer():
    envelope, onsets = _sound(STOPS + 0.05)
    runs = [
        av_offset.sync_from_stops(
            _stopping_picture(STOPS), envelope, HOP_S, onsets, np.random.default_rng(0)
        ).result.to_dict()
        for _ in range(2)
    ]
    assert runs[0] == runs[1]


def test_shifted_copy_keeps_the_picture_and_moves_the_sound(clips, tmp_path):
    src = clips["clean"].path
    for shift in (0.1, -0.1):
        out = delay_audio(src, tmp_path / f"shift{shift}.mp4", shift)
        before, after = list(iter_frames(src)), list(iter_frames(out))
        assert len(before) == len(after)
        assert all(np.array_equal(a, b) for a, b in zip(before, after))
        a, b = read_audio(src).mean(axis=1), read_audio(out).mean(axis=1)
        n = min(len(a), len(b))
        lag = np.argmax(np.correlate(b[:n], a[:n], mode="full")) - (n - 1)
        assert lag / 48_000 == pytest.approx(shift, abs=0.001)


@pytest.mark.skipif(not REALVID.is_dir(), reason="internal real clips (../shared) absent")
def test_real_footage_offset_and_shift(tmp_path):
    """A drumstick on a metal rail, filmed (Greatest Hits): as published, then 200 ms late."""
    from worldreel.evaluate import evaluate_clip  # noqa: PLC0415

    clip = REALVID / "04_greatesthits_drumstick_metal_rail.mp4"
    sync = evaluate_clip(clip).sync
    assert not sync.insufficient_evidence and sync.in_sync is True
    assert abs(sync.median_offset_ms) <= 45.0
    late = evaluate_clip(delay_audio(clip, tmp_path / "late.mp4", 0.2)).sync
    assert late.in_sync is False
    assert abs(late.median_offset_ms - sync.median_offset_ms - 200.0) <= 20.0
