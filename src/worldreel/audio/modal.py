"""Modal synthesis: a struck body as a bank of exponentially damped sinusoids.

Each mode i rings at f_i with decay rate d_i = pi * f_i * loss_factor (van den Doel, Kry & Pai,
"FoleyAutomatic", SIGGRAPH 2001). A mode is a two-pole resonator whose impulse response is
g * exp(-d n / fs) * sin(w (n + 1)); driving the bank with a force signal through `resonate` is the
convolution of the force with the modes, for impacts (a pulse) and rolling/sliding (noise) alike.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import lfilter

from worldreel.assets import Acoustic
from worldreel.assets.materials import REFERENCE_SIZE_M
from worldreel.audio.clock import NYQUIST, SAMPLE_RATE

MIN_MODE_HZ = 30.0  # below this a mode is felt, not heard on most speakers: lifted to here
# Above this a mode is dropped: barely audible, and too close to Nyquist to synthesize cleanly.
MAX_MODE_HZ = min(18_000.0, 0.45 * SAMPLE_RATE)
# A floor or wall radiates mostly from the patch around the impact; beyond ~1 m the ringing size
# stops growing, otherwise a floor's modes would fall below hearing.
MAX_RINGING_SIZE_M = 1.0
MIN_RINGING_SIZE_M = 0.005
# Large bodies (floors, walls, furniture) are fastened to something that drains their vibration
# (the coupling loss of Cremer & Heckl): an added decay rate that grows from 0 at 0.3 m to
# MOUNT_DECAY_PER_S at 1 m, so a floor thumps instead of humming for seconds.
MOUNT_DECAY_PER_S = 25.0
MOUNT_FROM_M = 0.3
DECAY_FLOOR_DB = 80.0  # a ring is cut once every mode is this far down
MAX_RING_S = 4.0

# Seeded variation between repeated strikes (strike position, temperature, microscopic geometry).
DETUNE_SIGMA = 0.006  # relative frequency deviation per mode
DECAY_SIGMA = 0.05  # relative decay deviation per mode
POSITION_GAIN_RANGE = (0.55, 1.0)  # a mode's gain depends on where the body is struck


@dataclass(frozen=True)
class Modes:
    """A bank of modes: frequencies (Hz), decay rates (1/s) and linear gains, same length."""

    freqs: np.ndarray
    decays: np.ndarray
    gains: np.ndarray

    def __add__(self, other: Modes) -> Modes:
        return Modes(np.concatenate([self.freqs, other.freqs]),
                     np.concatenate([self.decays, other.decays]),
                     np.concatenate([self.gains, other.gains]))

    def scaled(self, factor: float) -> Modes:
        return Modes(self.freqs, self.decays, self.gains * factor)

    def ring_seconds(self) -> float:
        """How long until every mode is DECAY_FLOOR_DB down, capped at MAX_RING_S."""
        if not len(self.decays):
            return 0.0
        slowest = float(np.min(self.decays))
        return min(MAX_RING_S, DECAY_FLOOR_DB / 20.0 * np.log(10.0) / max(slowest, 1e-6))


def modes_of(acoustic: Acoustic, size: float) -> Modes:
    """The modes of a body of this material and size (metres): bigger rings lower, as 1/size."""
    ringing = float(np.clip(size, MIN_RINGING_SIZE_M, MAX_RINGING_SIZE_M))
    count = min(len(acoustic.ratios), len(acoustic.gains))
    freqs = acoustic.base_hz * np.asarray(acoustic.ratios[:count]) * (REFERENCE_SIZE_M / ringing)
    gains = np.asarray(acoustic.gains[:count], dtype=float)
    freqs = np.maximum(freqs, MIN_MODE_HZ)
    keep = freqs < min(MAX_MODE_HZ, NYQUIST)
    freqs, gains = freqs[keep], gains[keep]
    mounted = np.clip((ringing - MOUNT_FROM_M) / (MAX_RINGING_SIZE_M - MOUNT_FROM_M), 0.0, 1.0)
    decays = np.pi * freqs * acoustic.loss_factor + MOUNT_DECAY_PER_S * mounted
    return Modes(freqs, decays, gains)


def varied(modes: Modes, rng: np.random.Generator) -> Modes:
    """The same modes with small seeded deviations, so repeated strikes are not identical."""
    n = len(modes.freqs)
    freqs = modes.freqs * (1.0 + DETUNE_SIGMA * rng.standard_normal(n))
    freqs = np.clip(freqs, MIN_MODE_HZ, MAX_MODE_HZ)
    decays = modes.decays * (1.0 + DECAY_SIGMA * rng.standard_normal(n)).clip(0.5, 1.5)
    gains = modes.gains * rng.uniform(*POSITION_GAIN_RANGE, n)
    return Modes(freqs, decays, gains)


def resonate(modes: Modes, force: np.ndarray) -> np.ndarray:
    """Drive the bank with `force` (one value per sample); returns the summed ringing, float64.

    Each mode is the resonator y[n] = 2 r cos(w) y[n-1] - r^2 y[n-2] + sin(w) x[n], whose impulse
    response is r^n sin(w (n + 1)): non-zero from the first sample, so a sound starts exactly
    where its force starts.
    """
    out = np.zeros(len(force))
    for f, d, g in zip(modes.freqs, modes.decays, modes.gains, strict=True):
        w = 2.0 * np.pi * f / SAMPLE_RATE
        r = np.exp(-d / SAMPLE_RATE)
        out += g * lfilter([np.sin(w)], [1.0, -2.0 * r * np.cos(w), r * r], force)
    return out
