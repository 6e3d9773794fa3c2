"""Loudness (ITU-R BS.1770-4 integrated LUFS) and true peak (dBTP).

Both are computed in numpy through the FFT (the K-weighting filter applied as its exact
frequency response over a zero-padded signal, the 4x oversampling as spectral zero-padding):
importing scipy.signal (pyloudnorm's engine) costs more than a 5 s clip's whole audio analysis.

True peak follows BS.1770 Annex 2: the peak of the signal upsampled 4x, which catches the
inter-sample overs that a sample peak misses and that clip after AAC decoding.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

TRUE_PEAK_OVERSAMPLE = 4
TRUE_PEAK_LIMIT_DBTP = -1.0  # EBU R128 / streaming delivery ceiling
MIN_GATED_S = 0.4  # BS.1770 gating blocks are 400 ms: shorter audio has no integrated loudness
BLOCK_STEP_S = 0.1  # gating blocks overlap by 75 %
ABSOLUTE_GATE_LUFS = -70.0
RELATIVE_GATE_LU = -10.0
# K-weighting (BS.1770-4 / pyloudnorm's parameters): a +4 dB high shelf at 1.5 kHz, then a
# high pass at 38 Hz, both RBJ biquads at the signal's rate.
SHELF_GAIN_DB, SHELF_Q, SHELF_HZ = 4.0, 1.0 / np.sqrt(2.0), 1500.0
HIGH_PASS_Q, HIGH_PASS_HZ = 0.5, 38.0
FILTER_TAIL_S = 0.5  # zero padding that holds the filters' impulse responses (no wrap-around)


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


def fast_length(n: int) -> int:
    """The smallest 2^a 3^b 5^c >= n: an FFT length numpy transforms quickly."""
    best = 1 << max(0, int(n - 1).bit_length())
    p5 = 1
    while p5 < best:
        p35 = p5
        while p35 < best:
            m = p35
            while m < n:
                m *= 2
            best = min(best, m)
            p35 *= 3
        p5 *= 5
    return best


def _biquad_response(b: tuple, a: tuple, z: np.ndarray) -> np.ndarray:
    """H(z) of a biquad at points z on the unit circle."""
    zi = 1.0 / z
    return (b[0] + b[1] * zi + b[2] * zi * zi) / (a[0] + a[1] * zi + a[2] * zi * zi)


def k_weighting_response(rate_hz: int, n_fft: int) -> np.ndarray:
    """Complex frequency response of the K-weighting filter at the rfft bins of n_fft."""
    z = np.exp(2j * np.pi * np.arange(n_fft // 2 + 1) / n_fft)
    amp = 10.0 ** (SHELF_GAIN_DB / 40.0)
    w0 = 2.0 * np.pi * SHELF_HZ / rate_hz
    alpha, cos = np.sin(w0) / (2.0 * SHELF_Q), np.cos(w0)
    root = 2.0 * np.sqrt(amp) * alpha
    shelf = _biquad_response(
        (
            amp * ((amp + 1) + (amp - 1) * cos + root),
            -2.0 * amp * ((amp - 1) + (amp + 1) * cos),
            amp * ((amp + 1) + (amp - 1) * cos - root),
        ),
        ((amp + 1) - (amp - 1) * cos + root, 2.0 * ((amp - 1) - (amp + 1) * cos),
         (amp + 1) - (amp - 1) * cos - root),
        z,
    )
    w0 = 2.0 * np.pi * HIGH_PASS_HZ / rate_hz
    alpha, cos = np.sin(w0) / (2.0 * HIGH_PASS_Q), np.cos(w0)
    high_pass = _biquad_response(
        ((1 + cos) / 2, -(1 + cos), (1 + cos) / 2), (1 + alpha, -2.0 * cos, 1 - alpha), z
    )
    return shelf * high_pass


def integrated_lufs(audio: np.ndarray, rate_hz: int) -> float | None:
    """BS.1770-4 gated loudness of (n, channels) audio (all channels weighted 1, as L/R/C)."""
    x = audio.astype(np.float64).reshape(len(audio), -1)
    n_fft = fast_length(len(x) + int(FILTER_TAIL_S * rate_hz))
    weighted = np.fft.irfft(
        np.fft.rfft(x, n=n_fft, axis=0) * k_weighting_response(rate_hz, n_fft)[:, None],
        n=n_fft,
        axis=0,
    )[: len(x)]
    block, step = int(round(MIN_GATED_S * rate_hz)), int(round(BLOCK_STEP_S * rate_hz))
    if len(x) < block:
        return None
    sums = np.concatenate([np.zeros((1, x.shape[1])), np.cumsum(weighted**2, axis=0)])
    starts = np.arange(0, len(x) - block + 1, step)
    power = ((sums[starts + block] - sums[starts]) / block).sum(axis=1)  # per block
    with np.errstate(divide="ignore"):
        loudness = -0.691 + 10.0 * np.log10(power)
    gated = power[loudness > ABSOLUTE_GATE_LUFS]
    if len(gated) == 0:
        return None
    relative = -0.691 + 10.0 * np.log10(gated.mean()) + RELATIVE_GATE_LU
    gated = power[(loudness > ABSOLUTE_GATE_LUFS) & (loudness > relative)]
    if len(gated) == 0:
        return None
    return float(-0.691 + 10.0 * np.log10(gated.mean()))


def true_peak_dbtp(audio: np.ndarray) -> float | None:
    """Peak of the 4x-oversampled signal (band-limited interpolation), dB re full scale."""
    if audio.size == 0:
        return None
    x = audio.astype(np.float64).reshape(len(audio), -1)
    padded = fast_length(len(x) + 64)  # zeros after the end: the interpolation does not wrap around
    spectrum = np.fft.rfft(x, n=padded, axis=0)
    upsampled = np.fft.irfft(spectrum, n=padded * TRUE_PEAK_OVERSAMPLE, axis=0)
    return _db(float(np.max(np.abs(upsampled))) * TRUE_PEAK_OVERSAMPLE)


def measure_loudness(audio: np.ndarray, rate_hz: int) -> LoudnessResult:
    """Integrated loudness, true peak and sample peak of (n, channels) float audio."""
    if audio.size == 0:
        return LoudnessResult(None, None, None)
    lufs = None
    if len(audio) >= MIN_GATED_S * rate_hz and np.any(audio):
        lufs = integrated_lufs(audio, rate_hz)
    return LoudnessResult(
        integrated_lufs=lufs,
        true_peak_dbtp=true_peak_dbtp(audio),
        sample_peak_dbfs=_db(float(np.max(np.abs(audio)))),
    )
