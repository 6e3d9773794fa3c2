"""The crunch of a collision between vehicle bodies: sheet metal buckling, plastic cracking and,
harder, glass breaking, instead of the clang a rigid steel body would ring with.

A car body is thin painted steel panels on a frame with plastic bumpers and trim. A low-speed
hit crumples them: each panel that buckles snaps through with a click (a broadband transient;
buckling "oil-canning" of thin shells), many over the ~0.1 s the crush lasts, the panels ring
only briefly (they are damped by paint, sealer and their mountings: loss factors ~0.01-0.1,
Cremer & Heckl, "Structure-Borne Sound"), the whole body thuds low, the bumper's plastic
cracks, and above a few m/s glass breaks and tinkles down. The crush of a frontal crash test
at 56 km/h (NHTSA NCAP) lasts ~0.1-0.15 s; low-speed bumper tests (IIHS at 10 km/h, RCAR at
15 km/h) are shorter and gentler, so the crunch lasts CRUSH_S plus a little per m/s.

The sound is mono at the level heard 1 m away, starting on the event's sample, like
audio.impact; level follows the impulse the same way (impact_level).
"""

from __future__ import annotations

import numpy as np
from scipy.signal import butter, sosfilt

from worldreel.assets import Material
from worldreel.audio.clock import SAMPLE_RATE
from worldreel.audio.impact import impact_level
from worldreel.recording import ContactEvent

CAR_BODY = "car_body"
CRUNCH_SPEED_M_S = 1.0  # slower touches of bodies just knock (the ordinary impact sound)
CRUSH_S = 0.08  # the crumpling lasts this long at CRUNCH_SPEED_M_S...
CRUSH_S_PER_M_S = 0.03  # ...and this much longer per m/s more
MAX_CRUSH_S = 0.6
CLICKS_PER_S = 500.0  # buckling events per second at the start of the crush
THUD_HZ = (45.0, 90.0)  # the body's bulk (the panels' and frame's lowest modes) thuds here
THUD_DECAY_S = 0.06
PANEL_HZ = (300.0, 2_500.0)  # short panel rings excited by the clicks
PANEL_DECAY_S = 0.012
PLASTIC_SHARE = 0.4  # of the clicks, cracks of the plastic (duller, shorter)
GLASS_SPEED_M_S = 4.0  # a side window or lamp breaks from about here (our estimate)
GLASS_HZ = (3_000.0, 9_000.0)
GLASS_S = 0.5
CREASE_SHARE = 0.25  # the continuous creasing noise against a loud click
CRUNCH_GAIN = 1.5  # against impact_level: sheet metal radiates well


def is_crunch(event: ContactEvent, material_a: Material, material_b: Material) -> bool:
    """An impact between a car body and anything, fast enough to crumple it."""
    return CAR_BODY in (material_a.name, material_b.name) and event.speed >= CRUNCH_SPEED_M_S


def crunch_sound(event: ContactEvent, rng: np.random.Generator, max_length: int) -> np.ndarray:
    """Mono float64 crunch from the event's sample on, at most max_length samples."""
    crush = min(MAX_CRUSH_S, CRUSH_S + CRUSH_S_PER_M_S * (event.speed - CRUNCH_SPEED_M_S))
    glass = event.speed >= GLASS_SPEED_M_S
    length = int((crush + 0.15 + (GLASS_S if glass else 0.0)) * SAMPLE_RATE)
    length = max(1, min(max_length, length))
    t = np.arange(length) / SAMPLE_RATE
    sound = np.zeros(length)

    # The body's low thud: its lowest modes struck by the whole crush's force.
    f = rng.uniform(*THUD_HZ)
    rise = np.minimum(t / 0.004, 1.0)
    sound += 0.8 * rise * np.sin(2 * np.pi * f * t) * np.exp(-t / THUD_DECAY_S)

    # Buckling clicks, thinning out as the crush ends; the first on the event's sample.
    clicks = _click_times(rng, crush)
    impulses = np.zeros(length)
    plastic = np.zeros(length)
    for i, at in enumerate(clicks):
        k = int(at * SAMPLE_RATE)
        if k >= length:
            continue
        size = rng.pareto(2.5) + 0.3  # a few big snaps among many small ones
        if i and rng.random() < PLASTIC_SHARE:
            plastic[k] += size
        else:
            impulses[k] += size * (1.5 if i == 0 else 1.0)
    # Clicks: each a ~0.3 ms broadband burst; through short, damped panel rings as well.
    burst = np.exp(-np.arange(int(0.0006 * SAMPLE_RATE)) / (0.0002 * SAMPLE_RATE))
    clicks_sound = np.convolve(impulses, burst * rng.standard_normal(len(burst)))[:length]
    rings = np.zeros(length)
    for _ in range(6):
        hz = rng.uniform(*PANEL_HZ)
        ring_t = np.arange(int(5 * PANEL_DECAY_S * SAMPLE_RATE)) / SAMPLE_RATE
        ring = np.sin(2 * np.pi * hz * ring_t) * np.exp(-ring_t / PANEL_DECAY_S)
        rings += np.convolve(impulses, ring)[:length] * rng.uniform(0.1, 0.25)
    crack = np.convolve(plastic, np.exp(-np.arange(int(0.002 * SAMPLE_RATE)) /
                                        (0.0005 * SAMPLE_RATE)))[:length]
    crack = sosfilt(_band(800.0, 5_000.0), crack * rng.standard_normal(length))
    # Between the snaps the metal creases and scrapes continuously: a band of noise whose level
    # follows the crush (strongest at first contact, gone when the crush ends).
    creasing = sosfilt(_band(250.0, 6_000.0), rng.standard_normal(length))
    creasing *= np.clip(1.0 - t / crush, 0.0, 1.0) ** 1.5 * np.minimum(t / 0.002, 1.0)
    creasing /= max(float(np.max(np.abs(creasing))), 1e-12)
    sound += 1.2 * clicks_sound + rings + 0.8 * crack + CREASE_SHARE * creasing

    if glass:
        sound += 0.5 * _tinkle(rng, length, start=crush * 0.4)
    peak = float(np.max(np.abs(sound), initial=0.0))
    sound = sound / peak if peak > 0 else sound
    sound *= CRUNCH_GAIN * impact_level(event.impulse)
    fade = min(length // 4, int(0.005 * SAMPLE_RATE))
    if fade:
        sound[-fade:] *= np.linspace(1.0, 0.0, fade)
    return sound


def _click_times(rng: np.random.Generator, crush: float) -> np.ndarray:
    """Buckling times: a Poisson process whose rate falls linearly to 0 over the crush; 0 first."""
    times = [0.0]
    t = 0.0
    while True:
        t += rng.exponential(1.0 / CLICKS_PER_S)
        if t >= crush:
            break
        if rng.random() < 1.0 - t / crush:  # thinning: the rate falls as the crush ends
            times.append(t)
    return np.array(times)


def _tinkle(rng: np.random.Generator, length: int, start: float) -> np.ndarray:
    """Glass fragments falling and striking: many short high rings scattered over GLASS_S."""
    out = np.zeros(length)
    count = int(rng.integers(25, 45))
    for at in start + GLASS_S * rng.beta(1.2, 2.5, count):
        k = int(at * SAMPLE_RATE)
        if k >= length:
            continue
        hz = rng.uniform(*GLASS_HZ)
        m = min(length - k, int(0.05 * SAMPLE_RATE))
        ring_t = np.arange(m) / SAMPLE_RATE
        out[k:k + m] += rng.uniform(0.2, 1.0) * np.sin(2 * np.pi * hz * ring_t) * np.exp(
            -ring_t / rng.uniform(0.005, 0.02))
    return out


def _band(low: float, high: float) -> np.ndarray:
    return butter(2, [low, high], btype="bandpass", fs=SAMPLE_RATE, output="sos")
