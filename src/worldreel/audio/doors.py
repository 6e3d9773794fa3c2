"""Car doors heard: the soft click of a latch letting go, the clunk and thump of a door shut.

A car door's closing sound has two parts (Parizet, Guyader & Nosulenko, "Analysis of car
door closing sound quality", Applied Acoustics 69, 2008, 12-22): a low "thump", the door's
and body's panels and the cabin's air compressed by the door (most energy below ~200 Hz,
ringing for tens of ms), and the latch's metallic "clunk/click" (a few kHz, a few ms). Both
start the instant the door meets the body: the "latch" DoorEvent's time, to the sample. Their
level grows with the speed the door struck at (amplitude in proportion to the speed, energy to
its square), so a slam is louder and a gentle close a softer clunk. Opening is a quiet click
of the handle and the latch releasing. The modes' frequencies and decays are estimates that
match the published spectra's shape (thump 40-150 Hz, latch 1.3-4 kHz).

Sounds are mono at 1 m like all foley, placed at the door's edge through spatial.place.
"""

from __future__ import annotations

import numpy as np

from worldreel.audio.clock import SAMPLE_RATE
from worldreel.audio.spatial import SourcePath, place
from worldreel.audio.vehicles import Vehicles
from worldreel.recording import DoorEvent, Recording
from worldreel.rng import generator

REFERENCE_SPEED_M_S = 2.5  # a slam (assets/doors.yaml): the levels below are a slam's
THUMP_MODES = ((45.0, 0.060, 1.0), (92.0, 0.040, 0.7), (140.0, 0.025, 0.45))  # Hz, s, gain
THUMP_PEAK = 0.7  # at 1 m
LATCH_MODES = ((1300.0, 0.006, 1.0), (2400.0, 0.004, 0.8), (3700.0, 0.003, 0.6))
LATCH_PEAK = 0.45
CLICK_PEAK = 0.06  # the handle and the latch letting go, at 1 m
CLICK_GAP_S = 0.035  # the handle's click, then the latch's
SOUND_S = 0.35  # long enough for the thump to die away


def _modes(modes, n: int) -> np.ndarray:
    t = np.arange(n) / SAMPLE_RATE
    out = np.zeros(n)
    for f, tau, gain in modes:
        out += gain * np.exp(-t / tau) * np.sin(2 * np.pi * f * t)
    return out / max(float(np.abs(out).max()), 1e-12)


def _click(rng: np.random.Generator, n: int) -> np.ndarray:
    """A half-millisecond tick of broadband noise, its energy above 1 kHz."""
    width = int(0.0005 * SAMPLE_RATE)
    tick = rng.standard_normal(width) * np.hanning(width)
    tick = np.diff(tick, prepend=0.0)  # first difference: the highs of a hard tick
    out = np.zeros(n)
    out[:width] = tick / max(float(np.abs(tick).max()), 1e-12)
    return out


def door_sound(event: DoorEvent, rng: np.random.Generator) -> np.ndarray:
    """Mono float64 at 1 m of one door moment, starting at the event's instant (sample 0)."""
    n = int(SOUND_S * SAMPLE_RATE)
    if event.kind == "latch":
        level = event.speed / REFERENCE_SPEED_M_S
        latch = _modes(LATCH_MODES, n) + 0.5 * _click(rng, n)
        # the thump's first half-cycle starts at once: the door meets the body at sample 0
        return level * (THUMP_PEAK * _modes(THUMP_MODES, n) + LATCH_PEAK * latch / 1.5)
    gap = int(CLICK_GAP_S * SAMPLE_RATE)
    out = _click(rng, n)
    out[gap:] += 0.7 * _click(rng, n - gap)
    return CLICK_PEAK * out


def render_doors(recording: Recording, seed: int, n_samples: int) -> Vehicles:
    """Every door moment of the recording, placed at the door's edge: dry stereo (n, 2), the
    mono send at 1 m (n,), and how many were heard."""
    dry = np.zeros((n_samples, 2))
    send = np.zeros(n_samples)
    for k, event in enumerate(recording.doors):
        start = int(round(event.time * SAMPLE_RATE))
        if start >= n_samples:
            continue
        mono = door_sound(event, generator(seed, f"audio.door.{event.entity}.{k}"))
        mono = mono[: n_samples - start]
        point = np.asarray(event.point, dtype=float)
        path = SourcePath(np.array([0.0, recording.duration]), np.stack([point, point]))
        dry[start:start + len(mono)] += place(mono, start, path, recording.camera)
        send[start:start + len(mono)] += mono
    return Vehicles(dry, send, len(recording.doors))
