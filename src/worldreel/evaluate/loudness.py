"""Loudness (ITU-R BS.1770-4 integrated LUFS, via pyloudnorm) and true peak (dBTP).

True peak follows BS.1770 Annex 2: the peak of the signal upsampled 4x, which catches the
inter-sample overs that a sample peak misses and that clip after AAC decoding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from worldreel.evaluate.errors import require

TRUE_PEAK_OVERSAMPLE = 4
TRUE_PEAK_LIMIT_DBTP = -1.0  # EBU R128 / streaming delivery ceiling
MIN_GATED_S = 0.4  # BS.1770 gating blocks are 400 ms: shorter audio has no integrated loudness


@dataclass(frozen=True)
class LoudnessResult:
    integrated_lufs: float | None  # None: silent or shorter than one gating block
    true_peak_dbtp: float | None  # None: digital silence
    sample_peak_dbfs: float | None

    @property
    def peak_ok(self) -> bool | None:
        return None if self.true_peak_dbtp is None else self.true_peak_dbtp <= TRUE_PEAK_LIMIT_DBTP

    def to_dict(self) -> dict:
        return {
            "integrated_lufs": _r(self.integrated_lufs),
            "true_peak_dbtp": _r(self.true_peak_dbtp),
            "sample_peak_dbfs": _r(self.sample_peak_dbfs),
            "true_peak_ok": self.peak_ok,
            "true_peak_limit_dbtp": TRUE_PEAK_LIMIT_DBTP,
        }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _db(amplitude: float) -> float | None:
    return None if amplitude <= 0.0 else float(20.0 * np.log10(amplitude))


def true_peak_dbtp(audio: np.ndarray) -> float | None:
    """Peak of the 4x-oversampled signal, dB relative to full scale."""
    from scipy.signal import resample_poly  # noqa: PLC0415

    if audio.size == 0:
        return None
    upsampled = resample_poly(audio, TRUE_PEAK_OVERSAMPLE, 1, axis=0)
    return _db(float(np.max(np.abs(upsampled))))


def measure_loudness(audio: np.ndarray, rate_hz: int) -> LoudnessResult:
    """Integrated loudness, true peak and sample peak of (n, channels) float audio."""
    if audio.size == 0:
        return LoudnessResult(None, None, None)
    lufs = None
    if len(audio) >= MIN_GATED_S * rate_hz and np.any(audio):
        pyloudnorm = require("pyloudnorm", "loudness measurement")
        value = float(pyloudnorm.Meter(rate_hz).integrated_loudness(audio.astype(np.float64)))
        lufs = value if np.isfinite(value) else None
    return LoudnessResult(
        integrated_lufs=lufs,
        true_peak_dbtp=true_peak_dbtp(audio),
        sample_peak_dbfs=_db(float(np.max(np.abs(audio)))),
    )
