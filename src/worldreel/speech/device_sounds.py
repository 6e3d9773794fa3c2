"""Signals a vehicle makes when told to, as lines of dialogue: a car's horn and a bicycle's bell.

They are lines (`Line(sound="horn", speaker=<the car>)`) because they are timed like a line (at a
moment, after something) and placed where their speaker is; no mouth moves, so their phones are
one "pau".

- Horn: a twin electric horn. Each horn's diaphragm is driven by a self-interrupting magnet, so
  its pressure is a pulse-like (square-ish) wave, rich in harmonics, radiated through a spiral
  trumpet that favours the 2-3 kHz region. Twin sets pair a low and a high horn about a third
  apart; twin sets commonly pair ~400-420 Hz with ~500-510 Hz, and 420 + 500 Hz is a minor
  third (500/420 = 1.19). UN ECE Regulation 28 measures a horn's level in the 1.8-3.55 kHz
  band, where its trumpet radiates best.
- Bell: a bicycle bell's dome, struck twice by its lever's striker ("ding-ding"). A thin dome
  rings at the bending modes of a thin ring, f_m ~ m (m^2 - 1) / sqrt(m^2 + 1), m = 2, 3, 4, 5
  (Fletcher & Rossing, "The Physics of Musical Instruments", 2nd ed., ch. 2, the flexural
  modes of a ring): 1 : 2.83 : 5.42 : 8.77, inharmonic;
  every mode is a close doublet (the dome is not perfectly round), which beats. A 55 mm bell's
  lowest mode is ~2.5 kHz (our estimate from its size); higher modes die faster (damping grows
  with frequency, van den Doel, Kry & Pai 2001).
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, sosfilt

from worldreel.speech.spoken import SAMPLE_RATE
from worldreel.speech.voice_source import fade

KINDS = ("horn", "bell")
SECONDS = {"horn": (0.08, 0.6, 10.0), "bell": (0.2, 1.2, 5.0)}  # shortest, natural, longest
# dB SPL 1 m away. A car horn: UN ECE R28 asks 93-112 dB(A) at 7 m, +17 dB at 1 m by the
# inverse-square law; we take 115. A bicycle bell: ~90 dB close by (our estimate).
SPL_DB = {"horn": 115.0, "bell": 90.0}

HORN_HZ = (420.0, 500.0)
HORN_ATTACK_S = 0.012  # the diaphragm builds up over a few cycles
HORN_RELEASE_S = 0.02
HORN_DUTY = 0.35  # share of each cycle the contacts are closed: a pulse wave
HORN_TRUMPET_HZ = (1_800.0, 3_550.0)  # ECE R28's band, where the trumpet radiates best
HORN_TRUMPET_GAIN = 2.0
HORN_TOP_HZ = 12_000.0

BELL_HZ = 2_500.0
BELL_RATIOS = tuple(m * (m * m - 1) / np.sqrt(m * m + 1) / (6 / np.sqrt(5)) for m in (2, 3, 4, 5))
BELL_GAINS = (1.0, 0.55, 0.3, 0.15)
BELL_T60_S = 1.2  # of the lowest mode; mode m decays BELL_RATIOS[m] times faster
BELL_SPLIT = 0.004  # doublet spacing as a share of each mode's frequency
BELL_STRIKES_S = (0.0, 0.16)  # a lever bell's "ding-ding"


def device_sound(kind: str, rng: np.random.Generator, seconds: float | None = None) -> np.ndarray:
    """Samples (float64, 48 kHz) of a horn or bell lasting `seconds` (its natural length if
    None). ValueError for an unknown kind or a length outside its range."""
    if kind not in KINDS:
        raise ValueError(f"unknown device sound {kind!r}; kinds are {', '.join(KINDS)}")
    lo, natural, hi = SECONDS[kind]
    length = natural if seconds is None else float(seconds)
    if not lo <= length <= hi:
        raise ValueError(f"a {kind} lasts {lo:g}..{hi:g} s, not {length:g} s")
    n = max(1, int(round(length * SAMPLE_RATE)))
    return horn(rng, n) if kind == "horn" else bell(rng, n)


def horn(rng: np.random.Generator, n: int) -> np.ndarray:
    """A twin horn held for n samples."""
    t = np.arange(n) / SAMPLE_RATE
    sound = np.zeros(n)
    for f in HORN_HZ:
        f = f * (1.0 + 0.005 * rng.standard_normal())  # horns are not tuned exactly
        # Band-limited pulse wave: harmonic k of a duty-d pulse has amplitude sin(pi k d) / k.
        phase = 2 * np.pi * f * t + rng.uniform(0, 2 * np.pi)
        for k in range(1, int(HORN_TOP_HZ / f) + 1):
            sound += np.sin(np.pi * k * HORN_DUTY) / k * np.sin(k * phase)
    trumpet = sosfilt(butter(2, HORN_TRUMPET_HZ, btype="bandpass", fs=SAMPLE_RATE,
                             output="sos"), sound)
    sound = sound + HORN_TRUMPET_GAIN * trumpet
    envelope = np.minimum(1.0, t / HORN_ATTACK_S) * np.minimum(1.0, (n / SAMPLE_RATE - t)
                                                              / HORN_RELEASE_S)
    return sound * np.clip(envelope, 0.0, 1.0)


def bell(rng: np.random.Generator, n: int) -> np.ndarray:
    """A bicycle bell struck BELL_STRIKES_S apart, ringing down over n samples."""
    t = np.arange(n) / SAMPLE_RATE
    base = BELL_HZ * (1.0 + 0.02 * rng.standard_normal())
    sound = np.zeros(n)
    for strike, level in zip(BELL_STRIKES_S, (1.0, 0.85)):
        since = t - strike
        on = since >= 0
        for ratio, gain in zip(BELL_RATIOS, BELL_GAINS):
            f = base * ratio
            if f * (1 + BELL_SPLIT) >= 0.45 * SAMPLE_RATE:
                continue
            decay = np.log(1000.0) / (BELL_T60_S / ratio)
            ring = np.zeros(n)
            for split in (-0.5 * BELL_SPLIT, 0.5 * BELL_SPLIT):
                ring[on] += 0.5 * np.sin(2 * np.pi * f * (1 + split) * since[on]
                                         + rng.uniform(0, 2 * np.pi))
            sound += level * gain * ring * np.exp(-decay * np.maximum(since, 0.0))
    return fade(sound, 0.002)
