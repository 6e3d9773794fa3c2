"""The audio clock: one sample rate for the whole pipeline and the time <-> sample conversions.

Every sound that answers an event is placed with `sample_at`, so picture and sound agree to the
sample (an event at t seconds starts at sample round(t * SAMPLE_RATE)).
"""

from __future__ import annotations

SAMPLE_RATE = 48_000  # Hz, the pipeline's audio rate (DESIGN: float32 at 48 kHz)
NYQUIST = SAMPLE_RATE / 2


def sample_at(t: float) -> int:
    """Index of the sample at time `t` seconds."""
    return int(round(t * SAMPLE_RATE))


def sample_count(duration: float) -> int:
    """Number of samples in a clip of `duration` seconds."""
    return max(1, int(round(duration * SAMPLE_RATE)))
