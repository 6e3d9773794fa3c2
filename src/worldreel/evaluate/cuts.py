"""Shot cuts: consecutive frames whose coarse structure has little in common.

Flow, flicker and smoothness across a cut measure the edit, not the picture, so every
frame-pair metric is left out there. Frames are compared by the normalised correlation of
thumbnails: a brightness flicker (an affine change of tone) keeps it at 1 and must not read as a
cut, moving subjects and pans blur out at thumbnail size, a new shot drops it towards 0.
"""

from __future__ import annotations

import numpy as np

from worldreel.evaluate.errors import require

CUT_CORRELATION = 0.5  # below this, two consecutive frames are different shots
THUMBNAIL_WIDTH_PX = 40


def thumbnail(gray: np.ndarray) -> np.ndarray:
    """Zero-mean, unit-norm thumbnail of a grey frame (area averaged)."""
    cv2 = require("cv2", "cut detection")
    height = max(2, round(gray.shape[0] * THUMBNAIL_WIDTH_PX / gray.shape[1]))
    small = cv2.resize(gray, (THUMBNAIL_WIDTH_PX, height), interpolation=cv2.INTER_AREA)
    small = small.astype(np.float64) - small.mean()
    norm = float(np.linalg.norm(small))
    return small / norm if norm > 1e-9 else small


def is_cut(before: np.ndarray, after: np.ndarray) -> bool:
    """Whether two consecutive frames (thumbnails) belong to different shots. Two flat frames
    (no structure to compare) are not a cut."""
    if not np.any(before) or not np.any(after):
        return False
    return float(np.sum(before * after)) < CUT_CORRELATION
