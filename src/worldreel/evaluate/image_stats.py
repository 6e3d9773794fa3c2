"""Per-frame picture statistics: sharpness (variance of the Laplacian) and exposure/clipping."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from worldreel.evaluate.errors import require

CLIP_HIGH = 254  # a channel at or above this is blown out (8-bit RGB)
CLIP_LOW = 1  # every channel at or below this is crushed to black
SHARPNESS_SOFT = 50.0  # variance of the Laplacian below which a 720p frame reads as soft


@dataclass(frozen=True)
class Exposure:
    mean_luma: float  # 0..1, Rec. 709 weights on sRGB code values
    clipped_high_fraction: float
    clipped_low_fraction: float


def sharpness(luma: np.ndarray, gain: float = 1.0) -> float:
    """Variance of the Laplacian of a full-size luma plane, in full-range 8-bit units squared
    (`gain` maps limited-range code values to full range, so both read the same)."""
    cv2 = require("cv2", "sharpness")
    lap = cv2.Laplacian(luma, cv2.CV_16S, ksize=1)
    _, std = cv2.meanStdDev(lap)
    return float(std[0, 0] ** 2) * gain * gain


def exposure(rgb: np.ndarray) -> Exposure:
    """Mean brightness and the fractions of blown-out and crushed pixels of an RGB frame."""
    small = rgb[::2, ::2]  # the fractions converge long before full resolution
    luma = (0.2126 * small[..., 0] + 0.7152 * small[..., 1] + 0.0722 * small[..., 2]) / 255.0
    peak = small.max(axis=-1)
    return Exposure(
        mean_luma=float(luma.mean()),
        clipped_high_fraction=float(np.mean(peak >= CLIP_HIGH)),
        clipped_low_fraction=float(np.mean(peak <= CLIP_LOW)),
    )
