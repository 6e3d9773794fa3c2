"""Ambience beds: the sound of a place, generated (not looped) for the whole clip.

Each bed is seeded noise shaped in the frequency domain plus a few sparse events (birds, passing
cars), built once for the clip's full length, so it has no loop point or seam. Beds are made at
unit level and scaled so their RMS sits at AudioOptions.ambience_level_db relative to full scale.
"""

from __future__ import annotations

from types import MappingProxyType
from collections.abc import Callable

import numpy as np

from worldreel.audio.clock import SAMPLE_RATE
from worldreel.errors import AudioError

EDGE_S = 0.01  # fade at the clip's ends so playback does not start or stop on a click
SPEED_OF_SOUND = 343.0  # m/s at 20 C


def shaped_noise(rng: np.random.Generator, n: int, slope: float, low_hz: float = 20.0,
                 high_hz: float = 16_000.0) -> np.ndarray:
    """Unit-RMS noise whose power falls as 1/f**slope between low_hz and high_hz.

    Shaped on the FFT of the whole length: circular, so it is seamless by construction, and free of
    the start-up transient a recursive filter would leave.
    """
    spectrum = np.fft.rfft(rng.standard_normal(n))
    f = np.fft.rfftfreq(n, 1.0 / SAMPLE_RATE)
    safe = np.maximum(f, 1e-3)
    shape = safe ** (-slope / 2.0)
    # Soft band edges (second-order slopes) rather than brick walls, which would ring.
    lo = (safe / low_hz) ** 2
    shape *= lo / (1.0 + lo) / np.sqrt(1.0 + (safe / high_hz) ** 4)
    shape[0] = 0.0  # no DC
    noise = np.fft.irfft(spectrum * shape, n)
    return noise / max(float(np.std(noise)), 1e-12)


def _smooth_control(rng: np.random.Generator, n: int, max_hz: float) -> np.ndarray:
    """A slow random curve in [0, 1] (gusts, crowd swell) with no energy above max_hz."""
    curve = shaped_noise(rng, n, 2.0, low_hz=0.02, high_hz=max_hz)
    lo, hi = np.percentile(curve, [2, 98])
    return np.clip((curve - lo) / max(hi - lo, 1e-9), 0.0, 1.0)


def _stereo(rng: np.random.Generator, n: int, slope: float, low: float, high: float,
            width: float = 0.6) -> np.ndarray:
    """Stereo noise: a shared part and independent parts, `width` 0 mono .. 1 fully decorrelated."""
    shared = shaped_noise(rng, n, slope, low, high)
    left = shaped_noise(rng, n, slope, low, high)
    right = shaped_noise(rng, n, slope, low, high)
    mono = np.sqrt(1.0 - width)
    side = np.sqrt(width)
    return np.stack([mono * shared + side * left, mono * shared + side * right], axis=1)


def room_tone(rng: np.random.Generator, n: int) -> np.ndarray:
    """Soft air of a quiet room: pinkish noise leaning brown, nothing above 8 kHz."""
    return _stereo(rng, n, 1.4, 25.0, 8_000.0, width=0.5)


def gym(rng: np.random.Generator, n: int) -> np.ndarray:
    """A big hall: mains hum of the lights, ventilation, and a distant murmur of the building."""
    t = np.arange(n) / SAMPLE_RATE
    mains = rng.choice([50.0, 60.0])
    hum = sum(a * np.sin(2 * np.pi * mains * k * t + rng.uniform(0, 2 * np.pi))
              for k, a in [(1, 1.0), (2, 0.5), (3, 0.25), (4, 0.12)])
    hum = np.stack([hum, hum], axis=1) * 0.25
    vent = _stereo(rng, n, 1.0, 60.0, 3_000.0, width=0.7) * 0.6
    swell = 0.4 + 0.6 * _smooth_control(rng, n, 0.3)
    murmur = _stereo(rng, n, 0.5, 300.0, 2_500.0, width=0.9) * swell[:, None] * 0.35
    return hum + vent + murmur


def park(rng: np.random.Generator, n: int) -> np.ndarray:
    """Outdoors on grass: wind with slow gusts, leaves, and sparse bird chirps."""
    gust = 0.25 + 0.75 * _smooth_control(rng, n, 0.25)  # the wind drops, it never stops
    dark = _stereo(rng, n, 2.0, 20.0, 900.0, width=0.8)
    bright = _stereo(rng, n, 1.0, 300.0, 4_000.0, width=0.9)
    wind = dark * (0.3 + 0.7 * gust)[:, None] + bright * (0.25 * gust ** 2)[:, None]
    leaves = _stereo(rng, n, 0.0, 2_000.0, 9_000.0, width=1.0) * (0.06 * gust)[:, None]
    return wind + leaves + birds(rng, n)


def birds(rng: np.random.Generator, n: int, rate_hz: float = 0.5) -> np.ndarray:
    """Sparse synthesized chirps: short frequency sweeps with vibrato, in phrases of 1-5 notes."""
    out = np.zeros((n, 2))
    duration = n / SAMPLE_RATE
    for _ in range(rng.poisson(rate_hz * duration)):
        onset = rng.uniform(0.0, duration)
        base = rng.uniform(2_500.0, 6_000.0)
        sweep = rng.uniform(-0.4, 0.4)
        pan = rng.uniform(-0.9, 0.9)
        level = 10 ** (rng.uniform(-18.0, -6.0) / 20.0)
        for note in range(int(rng.integers(1, 6))):
            length = rng.uniform(0.04, 0.12)
            start = int((onset + note * rng.uniform(0.08, 0.16)) * SAMPLE_RATE)
            m = int(length * SAMPLE_RATE)
            if start + m > n:
                break
            tt = np.arange(m) / SAMPLE_RATE
            freq = base * (1.0 + sweep * tt / length) * (1.0 + 0.03 * np.sin(2 * np.pi * 35 * tt))
            phase = 2 * np.pi * np.cumsum(freq) / SAMPLE_RATE
            chirp = (np.sin(phase) + 0.2 * np.sin(2 * phase)) * np.hanning(m) * level
            angle = (pan + 1.0) * np.pi / 4.0
            out[start:start + m, 0] += chirp * np.cos(angle)
            out[start:start + m, 1] += chirp * np.sin(angle)
    return out


def street(rng: np.random.Generator, n: int) -> np.ndarray:
    """A street: low rumble of the city, distant traffic, and cars passing now and then."""
    rumble = _stereo(rng, n, 2.0, 20.0, 200.0, width=0.4) * 0.5
    traffic = _stereo(rng, n, 1.0, 100.0, 3_000.0, width=0.8) * 0.3
    return rumble + traffic + passing_cars(rng, n)


def passing_cars(rng: np.random.Generator, n: int, rate_hz: float = 1.0 / 7.0) -> np.ndarray:
    """Cars driving by: tyre noise and a Doppler-shifted engine, swelling as they pass.

    Passes are drawn over a window wider than the clip so the clip can start mid-pass.
    """
    out = np.zeros((n, 2))
    duration = n / SAMPLE_RATE
    t = np.arange(n) / SAMPLE_RATE
    margin = 4.0
    tyres = _stereo(rng, n, 0.8, 200.0, 4_000.0, width=0.3)
    for _ in range(rng.poisson(rate_hz * (duration + 2 * margin))):
        closest = rng.uniform(-margin, duration + margin)
        speed = rng.uniform(8.0, 16.0) * rng.choice([-1.0, 1.0])  # m/s, sign: direction
        distance = rng.uniform(6.0, 20.0)
        x = speed * (t - closest)  # along the street, metres from the closest point
        r = np.sqrt(x * x + distance * distance)
        swell = distance / r  # 1/r law, 1 at the closest approach
        # Doppler: approaching sources sound higher (radial speed is -speed * x / r).
        doppler = SPEED_OF_SOUND / (SPEED_OF_SOUND + speed * x / r)
        engine_hz = rng.uniform(35.0, 60.0) * doppler
        phase = 2 * np.pi * np.cumsum(engine_hz) / SAMPLE_RATE + rng.uniform(0, 2 * np.pi)
        engine = np.sin(phase) + 0.5 * np.sin(2 * phase) + 0.3 * np.sin(3 * phase)
        pan = np.clip(x / r, -1.0, 1.0)
        angle = (pan + 1.0) * np.pi / 4.0
        level = rng.uniform(1.5, 3.0)
        car = swell ** 1.5 * level
        out[:, 0] += car * np.cos(angle) * (tyres[:, 0] + 0.3 * engine)
        out[:, 1] += car * np.sin(angle) * (tyres[:, 1] + 0.3 * engine)
    return out


def beach(rng: np.random.Generator, n: int) -> np.ndarray:
    """The sea: waves breaking every 6-12 s (a surge of low roar, then the hiss of the wash
    running back), under a steady distant surf and a little wind."""
    t = np.arange(n) / SAMPLE_RATE
    roar = _stereo(rng, n, 1.5, 40.0, 1_500.0, width=0.6)
    hiss = _stereo(rng, n, 0.3, 1_500.0, 10_000.0, width=0.9)
    surge = np.zeros(n)
    wash = np.zeros(n)
    start = -rng.uniform(0.0, 10.0)  # the clip may open in the middle of a wave
    while start < n / SAMPLE_RATE:
        rel = t - start
        after = rel >= 0
        surge[after] += _swell(rel[after], 1.0) * rng.uniform(0.6, 1.0)
        back = rel - 1.2
        behind = back >= 0
        wash[behind] += _swell(back[behind], 1.8) * 0.5
        start += rng.uniform(6.0, 12.0)
    distant = _stereo(rng, n, 2.0, 20.0, 400.0, width=0.5) * 0.5
    return roar * (0.15 + surge)[:, None] + hiss * (0.05 + 0.6 * wash)[:, None] + distant


def _swell(t: np.ndarray, peak_s: float) -> np.ndarray:
    """0 at t = 0 with zero slope, 1 at t = peak_s, then a long exponential-like fall."""
    x = t / peak_s
    return x * x * np.exp(2.0 * (1.0 - x))


def office(rng: np.random.Generator, n: int) -> np.ndarray:
    """An office: ventilation, the hum of lights and machines, and a keyboard now and then."""
    t = np.arange(n) / SAMPLE_RATE
    mains = rng.choice([50.0, 60.0])
    hum = sum(a * np.sin(2 * np.pi * mains * k * t + rng.uniform(0, 2 * np.pi))
              for k, a in [(2, 0.6), (3, 0.3), (6, 0.15)])  # transformers buzz at 2x mains
    hvac = _stereo(rng, n, 1.2, 40.0, 2_500.0, width=0.6)
    keys = np.zeros((n, 2))
    duration = n / SAMPLE_RATE
    for _ in range(rng.poisson(0.25 * duration)):  # a burst of typing every few seconds
        at = rng.uniform(0.0, duration)
        pan = rng.uniform(-0.8, 0.8)
        for _ in range(int(rng.integers(4, 20))):
            at += rng.uniform(0.08, 0.25)
            k = int(at * SAMPLE_RATE)
            m = int(0.006 * SAMPLE_RATE)
            if k + m > n:
                break
            click = rng.standard_normal(m) * np.exp(-np.arange(m) / (0.0012 * SAMPLE_RATE)) * 0.6
            keys[k:k + m, 0] += click * np.cos((pan + 1.0) * np.pi / 4.0)
            keys[k:k + m, 1] += click * np.sin((pan + 1.0) * np.pi / 4.0)
    return 0.12 * np.stack([hum, hum], axis=1) + 0.8 * hvac + keys


def silence(rng: np.random.Generator, n: int) -> np.ndarray:
    """Nothing: there is no air to carry a sound (the moon, space)."""
    return np.zeros((n, 2))


def rain(rng: np.random.Generator, n: int, indoor: bool) -> np.ndarray:
    """Rain: a dense hiss of drops with louder close ones; indoors the same rain drums on the
    roof, darker and duller."""
    hiss = _stereo(rng, n, 0.2, 400.0, 12_000.0, width=1.0)
    drops = np.zeros((n, 2))
    duration = n / SAMPLE_RATE
    m = int(0.004 * SAMPLE_RATE)
    decay = np.exp(-np.arange(m) / (0.0008 * SAMPLE_RATE))
    for _ in range(rng.poisson(40.0 * duration)):
        k = int(rng.uniform(0.0, duration) * SAMPLE_RATE)
        if k + m > n:
            continue
        pan = rng.uniform(-1.0, 1.0)
        tick = rng.standard_normal(m) * decay * rng.uniform(0.5, 2.5)
        drops[k:k + m, 0] += tick * np.cos((pan + 1.0) * np.pi / 4.0)
        drops[k:k + m, 1] += tick * np.sin((pan + 1.0) * np.pi / 4.0)
    wet = hiss + drops
    if indoor:  # through a roof: the highs are gone, the drumming remains
        wet = np.fft.irfft(np.fft.rfft(wet, axis=0) * _lowpass(n, 1_200.0)[:, None], n, axis=0)
    return wet


def _lowpass(n: int, corner_hz: float) -> np.ndarray:
    f = np.fft.rfftfreq(n, 1.0 / SAMPLE_RATE)
    return 1.0 / np.sqrt(1.0 + (f / corner_hz) ** 4)


BEDS: MappingProxyType[str, Callable[[np.random.Generator, int], np.ndarray]] = MappingProxyType({
    "room_tone": room_tone,
    "gym": gym,
    "park": park,
    "street": street,
    "beach": beach,
    "office": office,
    "silence": silence,
})
RAIN_LEVEL_DB = 6.0  # rain over the place's own bed: it dominates, as it does


def ambience_bed(name: str, n: int, level_db: float, rng: np.random.Generator,
                 weather: str = "clear", indoor: bool = False) -> np.ndarray:
    """(n, 2) float64 bed `name` (with rain over it when it rains) whose RMS is level_db dBFS."""
    try:
        make = BEDS[name]
    except KeyError:
        raise AudioError(
            f"unknown ambience {name!r}; known ambiences: {', '.join(sorted(BEDS))}. "
            "Give the environment one of these, or set audio.ambience: false"
        ) from None
    bed = make(rng, n)
    if weather == "rain" and name != "silence":
        place_rms = max(float(np.sqrt(np.mean(bed ** 2))), 1e-12)
        wet = rain(rng, n, indoor)
        wet *= place_rms * 10.0 ** (RAIN_LEVEL_DB / 20.0) / max(float(np.sqrt(np.mean(wet ** 2))),
                                                                1e-12)
        bed = bed + wet
    bed = bed - bed.mean(axis=0)  # no DC offset
    rms = float(np.sqrt(np.mean(bed ** 2)))
    if rms > 0:
        bed *= 10.0 ** (level_db / 20.0) / rms
    k = min(int(EDGE_S * SAMPLE_RATE), n // 4)
    if k > 0:
        ramp = np.linspace(0.0, 1.0, k)[:, None]
        bed[:k] *= ramp
        bed[n - k:] *= ramp[::-1]
    return bed
