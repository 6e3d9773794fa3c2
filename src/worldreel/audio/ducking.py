"""Ducking: one stem dips while another is busy (music under foley, the bed under dialogue)."""

from __future__ import annotations

import numpy as np
from scipy.ndimage import maximum_filter1d

from worldreel.audio.clock import SAMPLE_RATE

DUCK_DB = 8.0  # how far the music dips while the foley is busy
DUCK_THRESHOLD_DB = 12.0  # foley within this many dB of its loudest moments ducks the music
DUCK_HOLD_S = 0.25
DUCK_SMOOTH_S = 0.12
DIALOGUE_DUCK_DB = 10.0  # ambience and music step back further for words


def duck(music: np.ndarray, under: np.ndarray | None, depth_db: float = DUCK_DB) -> np.ndarray:
    """Dip `music` (any stem) by up to depth_db around the busy moments of `under` (offline, so
    the dip can begin a little before a hit or a word instead of after it)."""
    if under is None or not np.any(under):
        return music
    hop = int(0.01 * SAMPLE_RATE)
    frames = len(under) // hop
    if frames < 2:
        return music
    power = np.mean(under[: frames * hop].reshape(frames, hop, -1) ** 2, axis=(1, 2))
    level = 10.0 * np.log10(power + 1e-20)
    busy = np.clip((level - (level.max() - DUCK_THRESHOLD_DB)) / 6.0, 0.0, 1.0)
    busy = maximum_filter1d(busy, size=max(1, int(DUCK_HOLD_S / 0.01)))
    width = max(1, int(DUCK_SMOOTH_S / 0.01))
    window = np.hanning(width + 2)[1:-1]
    busy = np.convolve(busy, window / window.sum(), mode="same")
    centres = (np.arange(frames) + 0.5) * hop
    gain_db = -depth_db * np.interp(np.arange(len(music)), centres, busy)
    return music * (10.0 ** (gain_db / 20.0))[:, None]
