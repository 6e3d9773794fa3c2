"""What a speech engine returns: the waveform and its phones with times.

Phones are written in one phone set whatever the engine: ARPAbet (the CMU dictionary's 39
phonemes), lower case, without stress digits, plus "pau" for a pause. Festival and flite speak it
natively; espeak-ng's and Piper's IPA is mapped onto it (speech.engines.ipa). Visemes are derived
from these phones (speech.visemes), so every engine drives the face the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

SAMPLE_RATE = 48_000  # the soundtrack's rate (audio.clock.SAMPLE_RATE): engines resample to it
PAUSE = "pau"
ARPABET = frozenset({
    "aa", "ae", "ah", "ao", "aw", "ax", "ay", "eh", "er", "ey", "ih", "iy", "ow", "oy", "uh", "uw",
    "b", "ch", "d", "dh", "f", "g", "hh", "jh", "k", "l", "m", "n", "ng", "p", "r", "s", "sh", "t",
    "th", "v", "w", "y", "z", "zh", PAUSE})


@dataclass(frozen=True)
class Phone:
    """One phone of a spoken line, `start` to `end` seconds from the line's first sample."""

    symbol: str
    start: float
    end: float

    def __post_init__(self) -> None:
        if self.symbol not in ARPABET:
            raise ValueError(f"{self.symbol!r} is not an ARPAbet phone")
        if not 0.0 <= self.start <= self.end:
            raise ValueError(f"phone {self.symbol!r} has times {self.start}..{self.end}")


@dataclass(frozen=True)
class Spoken:
    """A line as an engine spoke it: mono float64 samples at 48 kHz whose first sample is the
    first sound (the engine's leading and trailing silence trimmed), and its phones in order,
    covering the samples. `timing` says where the phone times come from: the engine itself, or an
    alignment of the phone string to the waveform."""

    samples: np.ndarray
    phones: tuple[Phone, ...]
    timing: Literal["engine", "aligned"]

    @property
    def seconds(self) -> float:
        return len(self.samples) / SAMPLE_RATE
