"""Pairing events with onsets, and the BT.1359 window."""

from __future__ import annotations

import numpy as np
import pytest

from worldreel.evaluate.audio_onsets import Onset, detect_onsets
from worldreel.evaluate.sync import (
    chance_probability,
    distinct,
    sync_from_events,
    sync_from_video,
    within_bt1359,
)
from worldreel.recording import ContactEvent


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
    onsets = [Onset(0.51, 1.0), Onset(1.4, 1.0), Onset(1.81, 1.0)]
    result = sync_from_video([0.5, 1.1, 1.8], onsets, fps=24, duration_s=4.0)
    assert [p.picture_time_s for p in result.pairs if p.offset_ms is None] == [1.1]
    assert result.unpaired_onsets == 1
    assert result.median_offset_ms == pytest.approx(10.0)


def test_one_lucky_pair_is_insufficient_evidence_not_an_offset():
    # Two sounds, motion peaks that line up with at most one of them at any lag.
    onsets = [Onset(1.65, 1.0), Onset(2.195, 1.0)]
    result = sync_from_video([1.764, 1.929, 2.238, 2.567], onsets, fps=24)
    assert result.insufficient_evidence
    assert result.matched == 0 and result.median_offset_ms is None and result.in_sync is None


# Motion events (time s, strength) and onsets (time s, strength) measured from the MP4s of the
# physics gallery (benchmarks/gallery.py), which the sidecars prove are in sync to the sample.
# Pairing every event with every sound, chance lined up more pairs at +500 ms (tower) and
# +168 ms (wall) than the true lag did: neither may now get a wrong offset.
TOWER_MOTION = [(0.208, 260.3), (0.542, 38.7), (0.717, 141.8), (1.04, 142.2), (1.292, 61.7),
                (1.472, 45.2), (2.622, 50.9)]
TOWER_SOUNDS = [(0.5, 0.015), (0.704, 0.796), (1.044, 0.763), (1.278, 0.239), (1.442, 0.258),
                (1.482, 0.743), (1.569, 0.215), (1.715, 0.148), (1.769, 0.696), (1.976, 0.437),
                (2.069, 0.072), (2.13, 0.31), (2.232, 0.254), (2.301, 0.237)]
WALL_MOTION = [(1.024, 374.8), (1.223, 102.5), (1.458, 117.8), (1.578, 74.3), (1.708, 57.6),
               (2.121, 96.2)]
WALL_SOUNDS = [(1.108, 0.682), (1.175, 0.409), (1.38, 0.269), (1.436, 0.202), (1.502, 0.35),
               (1.62, 0.295), (1.675, 0.223), (1.765, 0.201), (1.974, 0.097), (2.066, 0.215),
               (2.202, 0.151), (2.301, 0.091), (2.377, 0.083), (2.475, 0.074), (2.498, 0.055),
               (2.641, 0.124), (2.831, 0.049), (3.036, 0.076), (3.111, 0.083), (3.322, 0.099)]


def _from_measured(motion, sounds):
    return sync_from_video(
        [t for t, _ in motion],
        [Onset(t, s) for t, s in sounds],
        fps=24,
        event_strengths=[s for _, s in motion],
        duration_s=4.0,
    )


@pytest.mark.parametrize(
    "motion, sounds",
    [(TOWER_MOTION, TOWER_SOUNDS), (WALL_MOTION, WALL_SOUNDS)],
    ids=["tower", "wall"],
)
def test_a_collapse_gets_no_wrong_offset(motion, sounds):
    result = _from_measured(motion, sounds)
    if not result.insufficient_evidence:
        assert abs(result.median_offset_ms) <= 1000.0 / 24 and result.in_sync is True
    else:
        assert result.median_offset_ms is None and result.in_sync is None


def test_pairs_agreeing_to_a_millisecond_are_evidence_where_loose_ones_are_not():
    # Two bounces seen and heard, and a third sound: within half a millisecond of one lag the
    # pairs are a measurement; 38 ms apart (inside the half-frame window) they could be chance.
    picture = [0.52, 1.31, 2.7]
    tight = [Onset(0.5204, 1.0), Onset(1.31, 1.0), Onset(2.3, 1.0)]
    loose = [Onset(0.501, 1.0), Onset(1.329, 1.0), Onset(2.3, 1.0)]
    measured = sync_from_video(picture, tight, fps=24, duration_s=4.0)
    assert measured.matched == 2 and measured.chance <= 0.05
    assert measured.median_offset_ms == pytest.approx(0.2, abs=0.1)
    assert sync_from_video(picture, loose, fps=24, duration_s=4.0).insufficient_evidence


def test_distinct_events_keep_a_loud_sound_beside_a_quiet_one_but_not_two_alike():
    times = [1.0, 1.1, 2.0, 2.12, 3.0]
    strengths = [1.0, 0.1, 1.0, 0.9, 0.5]
    assert distinct(times, strengths) == [0, 4]


def test_chance_falls_with_agreement_and_rises_with_clutter():
    few = chance_probability(2, 3, 3, 0.02, 3.0)
    assert chance_probability(3, 3, 3, 0.02, 3.0) < few < chance_probability(2, 12, 12, 0.02, 3.0)
    assert 0.0 <= few <= 1.0


def _collapse_with_its_sound(rng, rate_hz):
    """A collapse: 300 impacts in one second, a hard hit first and many quiet ones after, each
    sounding on its exact sample (a decaying noise burst, amplitude by impulse)."""
    times = np.sort(np.concatenate([[1.0], rng.uniform(1.0, 2.0, 299)]))
    impulses = np.exp(rng.uniform(np.log(0.01), np.log(10.0), len(times)))
    impulses[0] = 30.0
    ring = np.arange(int(0.08 * rate_hz)) / rate_hz
    burst = rng.normal(0.0, 1.0, len(ring)) * np.exp(-ring / 0.015)
    audio = rng.normal(0.0, 1e-4, 3 * rate_hz)
    for t, impulse in zip(times, impulses):
        start = int(round(t * rate_hz))
        audio[start : start + len(burst)] += 0.02 * impulse * burst
    events = [
        ContactEvent(time=float(t), kind="impact", body_a=f"brick{i}", body_b="floor",
                     material_a="brick", material_b="concrete", point=(0.0, 0.0, 0.0),
                     normal=(0.0, 0.0, 1.0), impulse=float(impulse), speed=1.0,
                     end=float(t) + 0.01)
        for i, (t, impulse) in enumerate(zip(times, impulses))
    ]
    return events, 0.9 * audio / np.abs(audio).max()


def test_sidecar_sync_of_a_collapse_is_exact_not_a_chance_lag():
    # Counting every contact against every onset within 12 ms, chance put the lag at +33 ms;
    # the heaviest hits within 2 ms of their sounds leave chance no room.
    rate_hz = 48000
    events, audio = _collapse_with_its_sound(np.random.default_rng(3), rate_hz)
    result = sync_from_events(events, audio, rate_hz, detect_onsets(audio, rate_hz))
    assert abs(result.lag_ms) < 1.0
    assert abs(result.median_offset_ms) < 2.0 and result.matched >= 30


def test_an_agreement_found_on_one_of_several_event_lists_counts_chance_for_all():
    # Two pairs within half a millisecond are a verdict when one list of picture events was
    # tried, but not when it was the best of three: the chance is counted for all three.
    picture = [0.52, 1.31, 2.7]
    onsets = [Onset(0.5204, 1.0), Onset(1.31, 1.0), Onset(2.3, 1.0)]
    one = sync_from_video(picture, onsets, fps=24, duration_s=4.0)
    three = sync_from_video(picture, onsets, fps=24, duration_s=4.0, trials=3)
    assert not one.insufficient_evidence and three.insufficient_evidence
    assert three.chance == pytest.approx(1.0 - (1.0 - one.chance) ** 3)
