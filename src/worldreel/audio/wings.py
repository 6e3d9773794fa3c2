"""The sounds of flocks: wingbeats (the loud claps of a pigeon's take-off, then soft whirring
strokes), pigeons cooing while they stand, and fish breaking the surface when startled; each
started on the sample of its Recording event and placed where the bird is.

A pigeon's take-off clatter is its wings meeting at the top of the first strokes (a broadband
clap; the take-off wing sounds of pigeons alarm their flock: Hingee & Magrath 2009, Proc R Soc
B 276:4173, on crested pigeons); once under
way its strokes are a soft whirr a few tens of dB quieter. The coo is synthesized here: a low
tone gliding up and down over ~0.6 s (feral pigeons coo at ~0.3-0.6 kHz), with a breathy edge.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.signal import butter, sosfilt

from worldreel.assets.flocks import species
from worldreel.audio.clock import SAMPLE_RATE, sample_at
from worldreel.audio.spatial import SourcePath, place
from worldreel.recording import FlockEvent, Recording
from worldreel.rng import generator

# Peak level at 1 m (the spatial stage's reference distance) of a 0.35 kg pigeon's take-off
# clap; other birds scale with wing area, and with each stroke's strength.
CLAP_PEAK = 0.5
WHIRR_PEAK = 0.2  # a whole-strength stroke that does not clap; a cruising one (0.15) is
# ~24 dB under a pigeon's clap
COO_PEAK = 0.12
SPLASH_PEAK = 0.15  # a 0.35 m fish's tail slapping the surface; smaller fish in proportion
REFERENCE_WING_M2 = 0.06  # the pigeon's


def _band(low: float, high: float):
    return butter(2, [low, high], btype="bandpass", fs=SAMPLE_RATE, output="sos")


_CLAP_BAND = _band(700.0, 9000.0)
_WHIRR_BAND = _band(150.0, 1800.0)
_SPLASH_BAND = _band(300.0, 4000.0)


def clap(strength: float, size: float, rng: np.random.Generator) -> np.ndarray:
    """A downstroke with the wings clapping: 40 ms of band-passed noise, sharp attack."""
    n = int(0.04 * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    noise = sosfilt(_CLAP_BAND, rng.standard_normal(n))
    out = noise * np.exp(-t / 0.006)
    out[0] = abs(out[0]) + 1e-3  # the onset is the event's own sample, never a zero
    return CLAP_PEAK * strength * size * out / max(float(np.abs(out).max()), 1e-9)


def whirr(strength: float, size: float, stroke_s: float, rng: np.random.Generator
          ) -> np.ndarray:
    """A soft stroke: low noise swelling and fading over the downstroke (half a cycle)."""
    n = max(int(0.5 * stroke_s * SAMPLE_RATE), 64)
    t = np.arange(n) / n
    noise = sosfilt(_WHIRR_BAND, rng.standard_normal(n))
    out = noise * np.sin(np.pi * np.minimum(t * 1.4, 1.0)) ** 0.5
    out[0] = abs(out[0]) + 1e-4
    return WHIRR_PEAK * strength * size * out / max(float(np.abs(out).max()), 1e-9)


def coo(rng: np.random.Generator) -> np.ndarray:
    """A pigeon's coo: ~0.65 s, a tone gliding 330 -> 440 -> 300 Hz in two swells, with a
    couple of harmonics and some breath."""
    duration = 0.65 * rng.uniform(0.9, 1.1)
    n = int(duration * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    x = t / duration
    pitch = rng.uniform(0.9, 1.1) * np.interp(x, [0.0, 0.3, 0.45, 1.0], [330, 440, 400, 300])
    pitch = pitch * (1 + 0.015 * np.sin(2 * np.pi * 6.0 * t))
    phase = 2 * np.pi * np.cumsum(pitch) / SAMPLE_RATE
    tone = np.sin(phase) + 0.3 * np.sin(2 * phase) + 0.1 * np.sin(3 * phase)
    swell = np.interp(x, [0.0, 0.08, 0.3, 0.4, 0.5, 0.8, 1.0], [0, 1, 0.8, 0.3, 0.9, 0.6, 0])
    breath = sosfilt(_WHIRR_BAND, rng.standard_normal(n)) * 0.15
    out = (tone + breath) * swell
    out[0] = 1e-4
    return COO_PEAK * out / max(float(np.abs(out).max()), 1e-9)


def splash(rng: np.random.Generator) -> np.ndarray:
    """A fish's tail breaking the surface: a short wet burst."""
    n = int(0.12 * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    out = sosfilt(_SPLASH_BAND, rng.standard_normal(n)) * np.exp(-t / 0.03)
    out[0] = abs(out[0]) + 1e-4
    return SPLASH_PEAK * out / max(float(np.abs(out).max()), 1e-9)


def _sound(event: FlockEvent, kind, rng: np.random.Generator) -> np.ndarray | None:
    if kind.is_fish:
        return splash(rng) * min(kind.length_m / 0.35, 1.0) if event.kind == "startle" else None
    size = math.sqrt(kind.wing_area_m2 / REFERENCE_WING_M2)
    if event.kind == "flap":
        if event.strength >= 0.9:  # a pigeon's take-off clap
            return clap(event.strength, size, rng)
        return whirr(event.strength, size, 1.0 / kind.flap_hz_cruise, rng)
    if event.kind == "coo":
        return coo(rng)
    return None


def render_wings(recording: Recording, seed: int, n_samples: int,
                 water_level: float | None = None) -> tuple[np.ndarray, int]:
    """Stereo (n_samples, 2) of every flock's sounds, each starting on its event's sample and
    placed by the camera (audio.spatial); and how many sounds were made. A fish's startle
    splashes only when it is within a body length of the surface (`water_level`)."""
    dry = np.zeros((n_samples, 2))
    made = 0
    for track in recording.flocks:
        kind = species(track.species)
        for event in track.events:
            start = sample_at(event.time)
            if not 0 <= start < n_samples:
                continue
            if kind.is_fish and (water_level is None or
                                 water_level - event.point[2] > kind.length_m):
                continue
            rng = generator(seed, f"audio.wings.{track.id}.{event.member}.{event.kind}.{start}")
            mono = _sound(event, kind, rng)
            if mono is None:
                continue
            mono = mono[: n_samples - start]
            dry[start:start + len(mono)] += place(mono, start, SourcePath.fixed(event.point),
                                                  recording.camera)
            made += 1
    return dry, made
