"""Temporal flicker on static-camera spans, scored like VBench's temporal_flickering.

VBench averages the mean absolute difference (MAD, 8-bit levels) between consecutive frames of a
static-camera clip and scores (255 - MAD) / 255: 1 is perfectly steady. Pairs across a cut or
with the camera moving are left out, since there the difference is motion, not flicker.
"""

from __future__ import annotations

import numpy as np

FLICKER_OK_SCORE = 0.97  # MAD under ~7.6 levels: the range VBench reports for good generators


def mean_abs_diff(a: np.ndarray, b: np.ndarray) -> float:
    """Mean absolute difference of two uint8 frames, in 8-bit levels."""
    return float(np.mean(np.abs(a.astype(np.int16) - b.astype(np.int16))))


def level_score(errors_levels: np.ndarray) -> float | None:
    """VBench-style score (255 - mean error) / 255 of 8-bit-level errors (None if none)."""
    errors_levels = np.asarray(errors_levels, dtype=np.float64)
    errors_levels = errors_levels[np.isfinite(errors_levels)]
    if len(errors_levels) == 0:
        return None
    return float((255.0 - errors_levels.mean()) / 255.0)


def flicker_score(mad_levels: np.ndarray) -> float | None:
    """VBench temporal-flickering score of the given consecutive-pair MADs (None if none)."""
    return level_score(mad_levels)
