"""Pairing events with onsets, and the BT.1359 window."""

from __future__ import annotations

import pytest

from worldreel.evaluate.audio_onsets import Onset
from worldreel.evaluate.sync import pair_events, sync_from_video, within_bt1359


def test_bt1359_window():
    assert within_bt1359(0.0) and within_bt1359(-45.0) and within_bt1359(125.0)
    assert not within_bt1359(-46.0) and not within_bt1359(126.0)


def test_a_shift_past_half_the_event_spacing_is_not_paired_with_the_neighbour():
    picture = [0.5, 0.9, 1.5, 2.2]  # 0.4 s apart at the closest
    onsets = [Onset(t + 0.3, 1.0) for t in picture]
    result = sync_from_video(picture, onsets, fps=24)
    assert result.median_offset_ms == pytest.approx(300.0)
    assert result.matched == 4 and result.in_sync is False


def test_unmatched_events_and_stray_onsets_are_counted():
    onsets = [Onset(0.51, 1.0), Onset(1.2, 1.0), Onset(1.71, 1.0)]
    result = pair_events([0.5, 1.0, 1.7], ["a", "b", "c"], onsets, tolerance_s=0.05, source="video")
    assert [p.label for p in result.pairs if p.offset_ms is None] == ["b"]
    assert result.unpaired_onsets == 1
    assert result.median_offset_ms == pytest.approx(10.0)


def test_one_lucky_pair_is_insufficient_evidence_not_an_offset():
    # Two sounds, motion peaks that line up with at most one of them at any lag.
    onsets = [Onset(1.65, 1.0), Onset(2.195, 1.0)]
    result = sync_from_video([1.764, 1.929, 2.238, 2.567], onsets, fps=24)
    assert result.insufficient_evidence
    assert result.matched == 0 and result.median_offset_ms is None and result.in_sync is None
