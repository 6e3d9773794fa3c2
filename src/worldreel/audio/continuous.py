"""Rolling rumble and sliding scrape: noise from the surfaces' roughness driving both bodies' modes.

Following van den Doel et al. (2001), a continuous contact is the same modal bank as an impact,
excited by a noise force whose spectrum follows the contact: rolling low-passes the roughness
(the contact patch averages it, cutoff rising with speed), sliding is brighter and chatters with
micro-impacts (stick-slip). The level follows the tangential speed sample by sample, so a ball
that slows down fades, and the sound spans exactly [event.time, event.end].
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, lfilter, sosfilt

from worldreel.assets import Material
from worldreel.audio.clock import SAMPLE_RATE
from worldreel.audio.modal import modes_of, resonate, varied
from worldreel.recording import ContactEvent

MIN_SPAN_S = 0.01
MIN_SPEED = 0.02  # m/s: slower is creep, not sound
EDGE_S = 0.008  # fade at the span's edges: the contact starts and stops, it does not click
REFERENCE_FORCE_N = 5.0  # normal force of a ~0.5 kg body resting
# RMS level at 1 m of a 1 m/s roll / slide under REFERENCE_FORCE_N (impact reference: 1.0 peak).
ROLL_GAIN = 0.012
SLIDE_GAIN = 0.032
ROLL_SPEED_EXPONENT = 1.2
SLIDE_SPEED_EXPONENT = 0.8
ROLL_CUTOFF_HZ_PER_MPS = 350.0
SLIDE_CENTRE_HZ_PER_MPS = 1200.0
CHATTER_PER_M = 60.0  # stick-slip micro impacts per metre slid
DIRECT_SHARE = 0.35
SUBSONIC_HZ = 40.0  # how much of the roughness noise is heard directly, besides the modes


def span_samples(event: ContactEvent, clip_samples: int) -> tuple[int, int]:
    """[start, stop) samples of the span, clipped to the clip."""
    start = int(round(event.time * SAMPLE_RATE))
    stop = min(clip_samples, int(round(event.end * SAMPLE_RATE)))
    return start, stop


def continuous_sound(event: ContactEvent, material_a: Material, material_b: Material,
                     speed: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Mono float64 sound of a roll or slide, one sample per entry of `speed` (m/s per sample)."""
    n = len(speed)
    if n < MIN_SPAN_S * SAMPLE_RATE or float(np.max(speed, initial=0.0)) < MIN_SPEED:
        return np.zeros(n)
    a, b = material_a.acoustic, material_b.acoustic
    mean_speed = float(np.mean(speed))
    white = rng.standard_normal(n)
    if event.kind == "roll":
        roughness = _rolling_roughness(white, mean_speed, event.size_a)
        gain, exponent = ROLL_GAIN, ROLL_SPEED_EXPONENT
    else:
        roughness = _sliding_roughness(white, mean_speed, rng)
        gain, exponent = SLIDE_GAIN, SLIDE_SPEED_EXPONENT
    # Nothing below hearing: sub-audio roughness would only leave an offset that thumps when the
    # span ends and the master's DC blocker lets go of it.
    roughness = sosfilt(butter(2, SUBSONIC_HZ, btype="high", fs=SAMPLE_RATE, output="sos"),
                        roughness)
    roughness /= max(float(np.std(roughness)), 1e-12)

    modes = (varied(modes_of(a, event.size_a), rng).scaled(a.loudness)
             + varied(modes_of(b, event.size_b), rng).scaled(b.loudness))
    ringing = resonate(modes, roughness)
    ringing /= max(float(np.std(ringing)), 1e-12)
    sound = (1.0 - DIRECT_SHARE) * ringing + DIRECT_SHARE * roughness

    duration = max(event.end - event.time, 1e-6)
    force = max(event.impulse / duration, 0.0)
    level = (gain * np.sqrt(force / REFERENCE_FORCE_N) * 0.5 * (a.loudness + b.loudness)
             * np.clip(speed, 0.0, None) ** exponent)
    return sound * level * _edges(n)


def _rolling_roughness(white: np.ndarray, speed: float, radius: float) -> np.ndarray:
    """Low rumble: roughness low-passed at a speed-dependent cutoff, bumping once per turn."""
    cutoff = float(np.clip(40.0 + ROLL_CUTOFF_HZ_PER_MPS * speed, 40.0, 2500.0))
    rumble = sosfilt(butter(2, cutoff, fs=SAMPLE_RATE, output="sos"), white)
    turn_hz = speed / (2.0 * np.pi * max(radius, 0.01))
    t = np.arange(len(white)) / SAMPLE_RATE
    return rumble * (1.0 + 0.25 * np.sin(2.0 * np.pi * turn_hz * t))


def _sliding_roughness(white: np.ndarray, speed: float, rng: np.random.Generator) -> np.ndarray:
    """Scrape: band-passed roughness plus sparse stick-slip clicks."""
    centre = float(np.clip(300.0 + SLIDE_CENTRE_HZ_PER_MPS * speed, 300.0, 6000.0))
    band = sosfilt(butter(2, [centre / 2.0, min(centre * 2.0, 0.45 * SAMPLE_RATE)], btype="band",
                          fs=SAMPLE_RATE, output="sos"), white)
    band /= max(float(np.std(band)), 1e-12)
    clicks = np.zeros(len(white))
    count = rng.poisson(CHATTER_PER_M * speed * len(white) / SAMPLE_RATE)
    if count:
        clicks[rng.integers(0, len(white), count)] = rng.uniform(2.0, 6.0, count) * rng.choice(
            [-1.0, 1.0], count)
    # Each click is a short decaying crack, not a single-sample spike (which would alias).
    pole = np.exp(-1.0 / (0.0004 * SAMPLE_RATE))
    clicks = lfilter([1.0], [1.0, -pole], clicks)
    return band + clicks


def _edges(n: int) -> np.ndarray:
    """Raised-cosine fade in and out over EDGE_S (or a quarter of a short span)."""
    k = max(1, min(int(EDGE_S * SAMPLE_RATE), n // 4))
    env = np.ones(n)
    ramp = 0.5 - 0.5 * np.cos(np.pi * (np.arange(k) + 0.5) / k)
    env[:k] = ramp
    env[n - k:] = np.minimum(env[n - k:], ramp[::-1])
    return env
