"""Shot cuts: consecutive frames that neither share their coarse structure nor follow by motion.

Flow, flicker and smoothness across a cut measure the edit, not the picture, so every
frame-pair metric is left out there. Two signals decide, both blind to a brightness flicker:
- the normalised correlation of thumbnails (a new shot of another place drops it towards 0);
- the residual after warping one frame onto the other with their optical flow: motion is
  explained by the flow, a cut to a similar view (the same court from closer) is not. It must
  stand out against the residuals of the pairs before it, so a steadily noisy or flickering
  shot does not read as a string of cuts.
"""

from __future__ import annotations

import numpy as np

from worldreel.evaluate.errors import require

HARD_CUT_CORRELATION = 0.5  # thumbnails this different are another shot, whatever the flow says
SOFT_CUT_CORRELATION = 0.9  # below this a flow residual that stands out also makes a cut
RESIDUAL_FLOOR_LEVELS = 6.0  # a flow-warp residual under this is never a cut
RESIDUAL_JUMP = 3.0  # times the median residual of the recent pairs
THUMBNAIL_WIDTH_PX = 40


def thumbnail(gray: np.ndarray) -> np.ndarray:
    """Zero-mean, unit-norm thumbnail of a grey frame (area averaged)."""
    cv2 = require("cv2", "cut detection")
    height = max(2, round(gray.shape[0] * THUMBNAIL_WIDTH_PX / gray.shape[1]))
    small = cv2.resize(gray, (THUMBNAIL_WIDTH_PX, height), interpolation=cv2.INTER_AREA)
    small = small.astype(np.float64) - small.mean()
    norm = float(np.linalg.norm(small))
    return small / norm if norm > 1e-9 else small


def correlation(before: np.ndarray, after: np.ndarray) -> float:
    """Normalised correlation of two thumbnails; 1 for two flat frames (nothing to compare)."""
    if not np.any(before) or not np.any(after):
        return 1.0
    return float(np.sum(before * after))


def warp_residual(
    before: np.ndarray, after: np.ndarray, flow: np.ndarray, grid: tuple[np.ndarray, np.ndarray]
) -> float:
    """Mean absolute difference (8-bit levels) between `before` and `after` pulled back along
    the flow before -> after."""
    cv2 = require("cv2", "cut detection")
    xx, yy = grid
    warped = cv2.remap(
        after,
        xx + flow[..., 0],
        yy + flow[..., 1],
        cv2.INTER_LINEAR,
        borderMode=cv2.BORDER_REPLICATE,
    )
    return float(cv2.norm(warped, before, cv2.NORM_L1) / before.size)


def is_cut(thumb_correlation: float, residual: float, recent_residuals: list[float]) -> bool:
    """Whether a frame pair spans a cut, given the residuals of the pairs before it in the shot."""
    if thumb_correlation < HARD_CUT_CORRELATION:
        return True
    usual = float(np.median(recent_residuals)) if recent_residuals else 0.0
    return thumb_correlation < SOFT_CUT_CORRELATION and residual > max(
        RESIDUAL_FLOOR_LEVELS, RESIDUAL_JUMP * usual
    )
