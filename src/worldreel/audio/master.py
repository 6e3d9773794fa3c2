"""Mastering: integrated loudness to the Scene's target (ITU-R BS.1770 via pyloudnorm), then a
look-ahead limiter that keeps the true peak at or below -1.5 dBTP (-1 dBTP after AAC encoding).

The ambience bed is laid at its own absolute level and the foreground (foley, music, speech) is
gained so the whole mix reaches the target; a silent foreground is left alone rather than
boosted into noise. True peak is measured on the signal oversampled 4x (BS.1770-4 Annex 2).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyloudnorm
from scipy.ndimage import maximum_filter1d
from scipy.signal import resample_poly

from worldreel.audio.clock import SAMPLE_RATE

# -1 dBTP is the delivery limit (EBU R128, streaming platforms) for the *encoded* file; AAC adds
# a few tenths of a dB of overshoot, so the master leaves half a decibel for the codec.
DELIVERY_TRUE_PEAK_DBTP = -1.0
CODEC_HEADROOM_DB = 0.5
TRUE_PEAK_CEILING_DBTP = DELIVERY_TRUE_PEAK_DBTP - CODEC_HEADROOM_DB
LIMITER_TARGET_DBTP = -1.3  # aim a little under the ceiling: the gain curve is not the signal
LOOKAHEAD_S = 0.0015
# Two releases: the first SLOW_RANGE_DB of reduction recover slowly (no pumping on a ringing
# body), anything deeper is a transient (the crack of a hit) and recovers fast, like a clipper
# that cannot alias: a mastering engineer's transient limiting.
RELEASE_DB_PER_S = 150.0
FAST_RELEASE_DB_PER_S = 2000.0
SLOW_RANGE_DB = 4.0
SILENT_LUFS = -70.0  # BS.1770 absolute gate: quieter than this counts as silence
MAX_GAIN_DB = 40.0
MIN_GAIN_DB = -60.0
LOUDNESS_TOLERANCE_LU = 0.2
LOUDNESS_PASSES = 5
LIMITER_PASSES = 3
OVERSAMPLE = 4
BLOCK_S = 0.4  # BS.1770 gating block


@dataclass(frozen=True)
class Mastered:
    """The master and what was done to get it."""

    mix: np.ndarray  # (n, 2) float32
    gain_db: float  # applied to the foreground
    loudness_lufs: float
    true_peak_dbtp: float


def integrated_loudness(x: np.ndarray) -> float:
    """Integrated loudness (LUFS) of (n, 2) audio; -inf for silence.

    A clip shorter than one gating block is measured as if it repeated, which keeps its average
    K-weighted power (zero padding would understate it).
    """
    x = np.asarray(x, dtype=np.float64)
    if not np.any(x):
        return float("-inf")
    block = int(BLOCK_S * SAMPLE_RATE) + 1
    if len(x) < block:
        x = np.resize(x, (block, x.shape[1]))
    with np.errstate(divide="ignore"):
        value = pyloudnorm.Meter(SAMPLE_RATE).integrated_loudness(x)
    return float(value) if np.isfinite(value) else float("-inf")


def sample_peaks(x: np.ndarray) -> np.ndarray:
    """(n,) true-peak magnitude around each sample: max over channels and 4x oversampled phases."""
    pad = 32
    x = np.asarray(x, dtype=np.float64)
    peaks = np.zeros(len(x))
    for channel in range(x.shape[1]):
        padded = np.pad(x[:, channel], pad)  # contiguous per channel: much faster to filter
        up = np.abs(resample_poly(padded, OVERSAMPLE, 1)[pad * OVERSAMPLE:
                                                        (pad + len(x)) * OVERSAMPLE])
        for phase in range(OVERSAMPLE):
            np.maximum(peaks, up[phase::OVERSAMPLE], out=peaks)
    return peaks


def true_peak_dbtp(x: np.ndarray) -> float:
    """True peak of (n, 2) audio in dBTP (-inf for silence)."""
    peak = float(sample_peaks(x).max()) if len(x) else 0.0
    return 20.0 * np.log10(peak) if peak > 0 else float("-inf")


def limiter_gain(x: np.ndarray, ceiling_dbtp: float = LIMITER_TARGET_DBTP) -> np.ndarray:
    """(n,) smooth gain that keeps every true peak of x under the ceiling.

    Needed reduction (dB) -> maximum over the look-ahead window (the gain is down before the peak
    arrives) -> linear-in-dB release -> moving average over the look-ahead (smooth attack). The
    average of values that are each <= the gain needed at a peak is itself <= it, so the
    guarantee survives the smoothing.
    """
    n = len(x)
    ceiling = 10.0 ** (ceiling_dbtp / 20.0)
    with np.errstate(divide="ignore"):
        need = np.maximum(0.0, 20.0 * np.log10(np.maximum(sample_peaks(x), 1e-12) / ceiling))
    if not np.any(need > 0):
        return np.ones(n)
    look = max(1, int(LOOKAHEAD_S * SAMPLE_RATE))
    # ahead[i] = max(need[i : i + look]): the filter window shifted to start at i.
    ahead = maximum_filter1d(need, look, origin=-(look // 2), mode="constant", cval=0.0)
    held = np.maximum(_released(np.minimum(ahead, SLOW_RANGE_DB), RELEASE_DB_PER_S),
                      _released(ahead, FAST_RELEASE_DB_PER_S))
    gain = 10.0 ** (-held / 20.0)
    smooth = np.convolve(np.pad(gain, (look - 1, 0), constant_values=1.0), np.ones(look) / look,
                         mode="valid")
    return np.minimum(smooth, 1.0)


def _released(reduction: np.ndarray, db_per_s: float) -> np.ndarray:
    """Reduction (dB) that follows rises at once and falls at db_per_s:
    max over k <= n of u[k] - rate * (n - k)."""
    ramp = db_per_s / SAMPLE_RATE * np.arange(len(reduction))
    return np.maximum.accumulate(reduction + ramp) - ramp


def limit(x: np.ndarray) -> np.ndarray:
    """x with its true peak at or below TRUE_PEAK_CEILING_DBTP.

    A fast gain change moves the peaks between samples a little, so the limiter runs again on its
    own output where that left a sliver over the ceiling; a static trim is the last resort.
    """
    y = x
    for _ in range(LIMITER_PASSES):
        y = y * limiter_gain(y)[:, None]
        if true_peak_dbtp(y) <= TRUE_PEAK_CEILING_DBTP:
            return y
    over = true_peak_dbtp(y) - TRUE_PEAK_CEILING_DBTP
    return y * 10.0 ** (-(over + 0.05) / 20.0)


def master(foreground: np.ndarray, bed: np.ndarray, target_lufs: float) -> Mastered:
    """Gain the foreground so foreground + bed reaches target_lufs, then true-peak limit."""
    foreground = np.asarray(foreground, dtype=np.float64)
    bed = np.asarray(bed, dtype=np.float64)
    fg_loudness = integrated_loudness(foreground)
    gain_db = 0.0
    if fg_loudness > SILENT_LUFS:
        gain_db = float(np.clip(target_lufs - fg_loudness, MIN_GAIN_DB, MAX_GAIN_DB))
    mix = limit(foreground * 10.0 ** (gain_db / 20.0) + bed)
    loudness = integrated_loudness(mix)
    if fg_loudness > SILENT_LUFS:
        # The limiter and the bed move the loudness a little: correct and limit again, keeping
        # the pass that came closest.
        best = (abs(target_lufs - loudness), gain_db, mix, loudness)
        for _ in range(LOUDNESS_PASSES):
            error = target_lufs - loudness
            if abs(error) <= LOUDNESS_TOLERANCE_LU or not np.isfinite(loudness):
                break
            new_gain = float(np.clip(gain_db + error, MIN_GAIN_DB, MAX_GAIN_DB))
            if new_gain == gain_db:
                break
            gain_db = new_gain
            mix = limit(foreground * 10.0 ** (gain_db / 20.0) + bed)
            loudness = integrated_loudness(mix)
            if abs(target_lufs - loudness) < best[0]:
                best = (abs(target_lufs - loudness), gain_db, mix, loudness)
        _, gain_db, mix, loudness = best
    mix = np.nan_to_num(mix, nan=0.0, posinf=0.0, neginf=0.0).astype(np.float32)
    return Mastered(mix, gain_db, loudness, true_peak_dbtp(mix))
