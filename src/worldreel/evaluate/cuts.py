"""Shot cuts: consecutive frames whose tone distributions have little in common.

Flow, flicker and smoothness across a cut measure the edit, not the picture, so every
frame-pair metric is left out there.
"""

from __future__ import annotations

import numpy as np

CUT_DISTANCE = 0.45  # Bhattacharyya distance of grey histograms; a moving subject stays < 0.2
HIST_BINS = 32


def tone_histogram(gray: np.ndarray) -> np.ndarray:
    hist = np.bincount((gray[::2, ::2] >> 3).ravel(), minlength=HIST_BINS).astype(np.float64)
    return hist / max(hist.sum(), 1.0)


def is_cut(hist_before: np.ndarray, hist_after: np.ndarray) -> bool:
    """Whether two consecutive frames belong to different shots."""
    bc = float(np.sum(np.sqrt(hist_before * hist_after)))
    return np.sqrt(max(0.0, 1.0 - bc)) > CUT_DISTANCE
