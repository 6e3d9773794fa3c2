"""Aligning phones onto a waveform that came without them (speech.align), where the truth is
known: espeak-ng reports its own phone times at every speed and in every variant, so a rendering
aligned from another rendering can be checked against what the engine says."""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from worldreel.speech.align import align, dtw_path, features, warp_times
from worldreel.speech.engines import espeak
from worldreel.speech.spoken import SAMPLE_RATE, Spoken

TEXT = ("The quick brown fox jumps over the lazy dog, and then, quite suddenly, it starts to "
        "rain on the old wooden bridge.")


@pytest.fixture(scope="module")
def reference() -> Spoken:
    if not espeak.available():
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng)")
    return espeak.synthesize(TEXT, "en-us")


def boundary_errors(aligned, truth) -> np.ndarray:
    assert [p.symbol for p in aligned] == [p.symbol for p in truth.phones]
    return np.abs(np.array([p.end for p in aligned[:-1]])
                  - np.array([p.end for p in truth.phones[:-1]]))


@pytest.mark.parametrize(("voice", "rate"), [("en-us", 1.3), ("en-us", 0.8), ("en-us+f3", 1.3)])
def test_aligned_boundaries_are_where_the_engine_put_them(reference: Spoken, voice: str,
                                                          rate: float) -> None:
    """espeak-ng at another speed (its pauses stretch differently from its phones) and in a
    female variant (another pitch and formants): median boundary error under 30 ms (2-7 ms
    measured), nine in ten under 60 ms."""
    truth = espeak.synthesize(TEXT, voice, rate=rate)
    errors = boundary_errors(align(reference, truth.samples), truth)
    assert np.median(errors) < 0.030
    assert np.percentile(errors, 90) < 0.060


def test_alignment_beats_stretching_the_reference(reference: Spoken) -> None:
    """The point of warping: a uniform stretch of the reference's times is several times worse."""
    truth = espeak.synthesize(TEXT, "en-us", rate=1.3)
    aligned = np.median(boundary_errors(align(reference, truth.samples), truth))
    scale = truth.seconds / reference.seconds
    stretched = np.median(np.abs(np.array([p.end * scale for p in reference.phones[:-1]])
                                 - np.array([p.end for p in truth.phones[:-1]])))
    assert aligned < stretched / 3, (aligned, stretched)


def test_a_waveform_aligns_onto_itself(reference: Spoken) -> None:
    aligned = align(reference, reference.samples)
    errors = boundary_errors(aligned, reference)
    assert np.max(errors) < 0.011  # one 10 ms frame at most


def test_phones_cover_the_target_and_none_is_lost(reference: Spoken) -> None:
    """Squeezed onto a clip a third as long, every phone keeps its place and some time."""
    short = reference.samples[::3].copy()  # the same sounds, 3x faster (and higher)
    aligned = align(reference, short)
    assert len(aligned) == len(reference.phones)
    assert aligned[0].start == 0.0
    assert aligned[-1].end == pytest.approx(len(short) / SAMPLE_RATE)
    for before, after in pairwise(aligned):
        assert before.end == after.start
        assert before.end - before.start >= 0.005


def test_dtw_follows_a_sequence_played_at_half_speed() -> None:
    frames = np.random.default_rng(7).normal(size=(40, 5))
    slow = np.repeat(frames, 2, axis=0)  # every frame twice
    path = dtw_path(frames, slow)
    assert tuple(path[0]) == (0, 0) and tuple(path[-1]) == (39, 79)
    steps = np.diff(path, axis=0)
    assert {tuple(step) for step in steps} <= {(1, 0), (0, 1), (1, 1)}
    for i, j in path:
        assert j // 2 == i  # frame i is paired with its two copies only
    # A time on the first sequence lands at twice that time on the second.
    assert warp_times([0.1, 0.2], path, 0.01) == pytest.approx([0.205, 0.405], abs=0.006)


def test_features_are_deterministic_and_centred() -> None:
    tone = np.sin(2 * np.pi * 440 * np.arange(SAMPLE_RATE) / SAMPLE_RATE)
    first, again = features(tone), features(tone)
    assert np.array_equal(first, again)
    assert first.shape == (101, 26)  # a frame every 10 ms over 1 s; 13 cepstra and their deltas
    assert np.allclose(first[:, :13].mean(axis=0), 0.0, atol=1e-9)
