"""Motion smoothness: how well each frame is predicted by interpolating its two neighbours.

VBench drops every other frame, re-creates it with a learned interpolator and scores
(255 - mean abs error) / 255. Here the interpolator is classical: optical flow from frame k-1 to
k+1, each neighbour warped half way along it and averaged. Smooth, physically plausible motion is
predicted well; a stutter, a dropped or swapped frame, or a jump is not.
"""

from __future__ import annotations

import numpy as np

from worldreel.evaluate.errors import require
from worldreel.evaluate.flicker import level_score, mean_abs_diff


def interpolate_middle(
    before: np.ndarray, after: np.ndarray, flow: np.ndarray, grid: tuple[np.ndarray, np.ndarray]
) -> np.ndarray:
    """The frame half way between `before` and `after`, given the flow before -> after.

    The flow is anchored on `before`; reading it at the middle frame's own pixels instead is the
    usual first-order approximation (exact for smooth flow fields)."""
    cv2 = require("cv2", "frame interpolation")
    xx, yy = grid
    half_x, half_y = 0.5 * flow[..., 0], 0.5 * flow[..., 1]
    from_before = cv2.remap(
        before, xx - half_x, yy - half_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    from_after = cv2.remap(
        after, xx + half_x, yy + half_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
    return cv2.addWeighted(from_before, 0.5, from_after, 0.5, 0.0)


def interpolation_error(predicted: np.ndarray, actual: np.ndarray) -> float:
    """Mean absolute error in 8-bit levels."""
    return mean_abs_diff(predicted, actual)


def smoothness_score(errors_levels: np.ndarray) -> float | None:
    """VBench-style score (255 - mean error) / 255 over the frames that were interpolated."""
    return level_score(errors_levels)
