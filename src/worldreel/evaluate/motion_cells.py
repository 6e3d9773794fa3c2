"""Where in the frame things move: the speed of the camera-compensated flow averaged over a
coarse grid of cells, one row per frame.

A sound is made by one thing in one place: a drumstick on a rim, a ball on the floor. The
whole-frame motion change mixes that place with everything else that moves (a player walking,
a hand-held camera's residual shake), so A/V sync correlates the sound with each cell's speed
drops on its own and lets the cells that follow the sound speak (evaluate.av_offset).
"""

from __future__ import annotations

import numpy as np

from worldreel.evaluate.errors import require

CELL_COLUMNS = 8
CELL_ROWS = 6


def cell_means(image: np.ndarray) -> np.ndarray:
    """(CELL_ROWS * CELL_COLUMNS,) means of a (H, W) image over the grid, row by row."""
    cv2 = require("cv2", "motion cells")
    small = cv2.resize(
        np.ascontiguousarray(image, dtype=np.float32),
        (CELL_COLUMNS, CELL_ROWS),
        interpolation=cv2.INTER_AREA,
    )
    return small.ravel().astype(np.float64)


class CellSeries:
    """Rows of cell values by frame index, NaN where a frame has none (the first and last
    frame, cuts)."""

    def __init__(self) -> None:
        self.rows: dict[int, np.ndarray] = {}

    def set(self, frame: int, values: np.ndarray) -> None:
        self.rows[frame] = values

    def array(self, frames: int) -> np.ndarray:
        out = np.full((frames, CELL_ROWS * CELL_COLUMNS), np.nan)
        for frame, values in self.rows.items():
            if 0 <= frame < frames:
                out[frame] = values
        return out
