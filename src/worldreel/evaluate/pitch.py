"""Pitch of a voice: the fundamental frequency per frame, for measuring voices and vocal sounds
(speech tests and benchmarks; any recorded voice).

Per 40 ms frame (10 ms hop): the autocorrelation of the magnitude spectrum below `top_hz`,
whitened over 300 Hz so that noise shaped by formants does not pass for a pitch; a frame is
voiced when its peak exceeds 0.35, and its F0 is the shortest lag whose peak is within 70% of
the best (which avoids octave errors).

`harmonic_f0` measures one F0 for a whole short, rough sound (a bark, a moo) the frame tracker
misreads: a harmonic sieve over the sound's whole spectrum.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import uniform_filter1d

SAMPLE_RATE = 48_000


def f0_track(x: np.ndarray, *, rate: int = SAMPLE_RATE, low: float = 60.0,
             high: float = 1000.0, top_hz: float = 4000.0) -> np.ndarray:
    """F0 (Hz) per 40 ms frame (10 ms hop), NaN where unvoiced."""
    x = np.asarray(x, dtype=float)
    frame, hop = int(0.04 * rate), int(0.01 * rate)
    if len(x) < frame:
        return np.full(0, np.nan)
    frames = np.lib.stride_tricks.sliding_window_view(x, frame)[::hop]
    energy = np.sum(frames ** 2, axis=1)
    nfft = 4 * frame
    bin_hz = rate / nfft
    spec = np.abs(np.fft.rfft(frames * np.hanning(frame), nfft, axis=1))[:, : int(top_hz / bin_hz)]
    white = (spec / (uniform_filter1d(spec, int(300 / bin_hz), axis=1) + 1e-12)) ** 2
    white[:, : int(50 / bin_hz)] = 0.0
    ac = np.fft.irfft(white, nfft, axis=1)
    ac /= ac[:, :1]
    lags = np.arange(int(rate / high), int(rate / low))
    out = np.full(len(frames), np.nan)
    for i, row in enumerate(ac[:, lags]):
        if energy[i] < energy.max() * 1e-3 or row.max() < 0.35:
            continue
        j = int(np.argmax(row >= 0.7 * row.max()))
        while j + 1 < len(row) and row[j + 1] >= row[j]:
            j += 1
        out[i] = rate / lags[j]
    return out


def median_f0(x: np.ndarray, *, min_share: float = 0.05, **options) -> float | None:
    """Median F0 (Hz) of the voiced frames; None when under `min_share` of frames are voiced."""
    track = f0_track(x, **options)
    voiced = track[~np.isnan(track)]
    if len(track) == 0 or len(voiced) < min_share * len(track):
        return None
    return float(np.median(voiced))


def harmonic_f0(x: np.ndarray, low: float, high: float, harmonics: int = 5, *,
                rate: int = SAMPLE_RATE) -> float:
    """F0 (Hz, searched in [low, high) in 0.5 Hz steps) whose first `harmonics` multiples stand
    highest, on average in dB, above the points midway between them, in the whole sound's
    spectrum (a harmonic sieve: half the true F0 puts its midpoints on the true harmonics and
    loses)."""
    x = np.asarray(x, float)
    size = 1 << int(np.ceil(np.log2(max(len(x), 4096) * 2)))
    spec = 20 * np.log10(np.abs(np.fft.rfft(x * np.hanning(len(x)), size)) + 1e-9)
    hz = np.fft.rfftfreq(size, 1 / rate)
    candidates = np.arange(low, high, 0.5)
    k = np.arange(1, harmonics + 1)
    peaks = np.interp(candidates[:, None] * k[None, :], hz, spec).mean(axis=1)
    valleys = np.interp(candidates[:, None] * (k[None, :] - 0.5), hz, spec).mean(axis=1)
    return float(candidates[np.argmax(peaks - valleys)])
