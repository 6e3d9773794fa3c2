"""Sounds of pedalled and kicked vehicles from their recorded tracks (recording.VehicleTrack):
a bicycle's freewheel and chain, a board's or kick scooter's wheels and the rider's pushes.

- Freewheel: while the rider coasts, the hub's pawls click over its ratchet once per tooth:
  hub_pawls clicks per wheel turn (two_wheelers.yaml), the wheel's turns integrated from the
  recorded speed (speed / wheel radius). Each click is a tiny metal tick, a 3-6 kHz ring
  dying in ~2 ms (the ratchet ring's high modes). While pedalling the pawls are engaged and
  silent.
- Chain: while pedalling, each chain roller meshing with the chainring is a small impact:
  the mesh rate is the crank's turns per second (from the recorded crank angle) x chainring
  teeth, heard as a soft whirr (noise in 1.5-5 kHz modulated at the mesh rate).
- Tyres: a bicycle tyre's hum is the car's tyre/road noise (audio.vehicles.tyres) scaled by
  the contact patch's width (a 40 mm tyre against a 215 mm one).
- Hard small wheels (a skateboard's or kick scooter's urethane on asphalt) rumble: the
  road's texture shakes the board as it rolls, low broadband noise (80-1200 Hz) growing
  with speed (amplitude ~ speed^1.5, as rolling noise grows 30-40 dB per decade of speed,
  Sandberg & Ejsmont 2002).
- Pushes: each kick's foot strike on the road (the kick phase crossing a whole cycle,
  crank / 2 pi passing an integer: interpolated between the track's samples to the audio
  sample) is a short scuff: a shoe sole slapping and scraping asphalt, broadband noise
  decaying over ~60 ms with a scrape tail through the push.

Levels are at 1 m, like foley; audio.vehicles places them.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.signal import butter, sosfilt

from worldreel.audio.clock import SAMPLE_RATE
from worldreel.recording import VehicleTrack

TICK_GAIN = 0.08  # a freewheel's ticking at 1 m: clearly heard on a quiet street
TICK_HZ = (3_000.0, 6_000.0)
TICK_DECAY_S = 0.0015
TICK_ATTACK_S = 0.0001
CHAIN_GAIN = 0.02
CHAIN_BAND_HZ = (1_500.0, 5_000.0)
BICYCLE_TYRE_SHARE = 40.0 / 215.0  # contact patch width against a car tyre's
RUMBLE_GAIN = 0.02  # at 1 m/s; x speed^RUMBLE_EXPONENT
RUMBLE_EXPONENT = 1.5
RUMBLE_BAND_HZ = (80.0, 1_200.0)
PUSH_GAIN = 0.35
PUSH_SLAP_S = 0.012  # the sole's slap
PUSH_SCRAPE_S = 0.25  # the scrape through the push
PUSH_BAND_HZ = (200.0, 4_000.0)
PEDALLING_RAD_S = 0.5  # the crank turning faster than this: the rider pedals


def wheel_turns(speed: np.ndarray, wheel_radius: float) -> np.ndarray:
    """Turns of the wheel so far at each audio sample (speed per audio sample, m/s)."""
    return np.cumsum(np.abs(speed)) / SAMPLE_RATE / (2 * math.pi * wheel_radius)


def freewheel(speed: np.ndarray, pedalling: np.ndarray, wheel_radius: float, pawls: int,
              rng: np.random.Generator) -> np.ndarray:
    """The ratchet's clicks while coasting: one per tooth the pawls pass."""
    n = len(speed)
    out = np.zeros(n)
    teeth = np.floor(wheel_turns(speed, wheel_radius) * pawls)
    at = np.flatnonzero(np.diff(teeth) > 0) + 1
    at = at[~pedalling[at]]
    if len(at) == 0:
        return out
    length = int(6 * TICK_DECAY_S * SAMPLE_RATE)
    t = np.arange(length) / SAMPLE_RATE
    f = rng.uniform(*TICK_HZ)
    click = np.sin(2 * math.pi * f * t) * np.exp(-t / TICK_DECAY_S)
    click += 0.5 * np.sin(2 * math.pi * 1.63 * f * t) * np.exp(-t / (0.6 * TICK_DECAY_S))
    click *= np.minimum(t / TICK_ATTACK_S, 1.0)  # the pawl's strike is fast, not a step
    strength = TICK_GAIN * np.clip(np.abs(speed[at]) / 3.0, 0.3, 1.0) * (
        1.0 + 0.15 * rng.standard_normal(len(at)))
    for k, s in zip(at, strength):
        end = min(n, k + length)
        out[k:end] += s * click[:end - k]
    return out


def chain(crank_rate: np.ndarray, chainring: int, rng: np.random.Generator) -> np.ndarray:
    """The chain's whirr while pedalling: rollers meshing at turns/s x teeth."""
    n = len(crank_rate)
    rate = np.maximum(crank_rate, 0.0) / (2 * math.pi) * chainring  # meshes per second
    if rate.max(initial=0.0) <= 0.0:
        return np.zeros(n)
    phase = np.cumsum(rate) / SAMPLE_RATE
    pulses = (0.5 + 0.5 * np.cos(2 * math.pi * phase)) ** 4
    return _band(rng, n, *CHAIN_BAND_HZ) * pulses * CHAIN_GAIN * np.clip(rate / 60.0, 0.0, 1.5)


def rumble(speed: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Hard small wheels rolling on asphalt."""
    if np.abs(speed).max(initial=0.0) <= 0.0:
        return np.zeros(len(speed))
    return _band(rng, len(speed), *RUMBLE_BAND_HZ) * RUMBLE_GAIN * np.abs(speed) ** RUMBLE_EXPONENT


def push_times(track: VehicleTrack, sample_rate: float) -> np.ndarray:
    """Seconds at which a foot pushes on the road: the kick phase crossing whole cycles,
    interpolated between the track's samples."""
    cycles = np.asarray(track.crank, dtype=float) / (2 * math.pi)
    k = np.flatnonzero(np.floor(cycles[1:]) > np.floor(cycles[:-1]))
    if len(k) == 0:
        return np.zeros(0)
    whole = np.floor(cycles[k + 1])
    fraction = (whole - cycles[k]) / np.maximum(cycles[k + 1] - cycles[k], 1e-12)
    return (k + np.clip(fraction, 0.0, 1.0)) / float(sample_rate)


def pushes(times: np.ndarray, n: int, rng: np.random.Generator) -> np.ndarray:
    """A sole's slap and scrape at each push time."""
    out = np.zeros(n)
    length = int(PUSH_SCRAPE_S * SAMPLE_RATE)
    t = np.arange(length) / SAMPLE_RATE
    envelope = np.exp(-t / PUSH_SLAP_S) + 0.15 * np.exp(-t / (0.4 * PUSH_SCRAPE_S))
    for when in times:
        start = int(round(when * SAMPLE_RATE))
        if start >= n:
            continue
        end = min(n, start + length)
        noise = _band(rng, length, *PUSH_BAND_HZ)
        out[start:end] += PUSH_GAIN * (envelope * noise)[:end - start]
    return out


def pedalled_or_kicked_sound(track: VehicleTrack, spec, sample_rate: float, n_samples: int,
                             rng: np.random.Generator) -> np.ndarray:
    """Mono at 1 m of a bicycle (freewheel, chain, tyres) or a kicked vehicle (wheels and
    pushes), following its track sampled at the Recording's `sample_rate`."""
    from worldreel.audio.vehicles import tyres  # noqa: PLC0415 - vehicles imports us

    at = np.arange(n_samples) / SAMPLE_RATE
    times = np.arange(len(track.speed)) / float(sample_rate)
    speed = np.abs(np.interp(at, times, np.asarray(track.speed, dtype=float)))
    if spec.propulsion == "pedal":
        crank = np.interp(at, times, np.asarray(track.crank, dtype=float))
        crank_rate = np.gradient(crank) * SAMPLE_RATE
        pedalling = crank_rate > PEDALLING_RAD_S
        sound = (freewheel(speed, pedalling, spec.wheel_radius, spec.hub_pawls, rng)
                 + chain(np.where(pedalling, crank_rate, 0.0), spec.chainring, rng)
                 + BICYCLE_TYRE_SHARE * tyres(speed, rng))
    else:
        sound = rumble(speed, rng) + pushes(push_times(track, sample_rate), n_samples, rng)
    return sound.astype(np.float32)


def _band(rng: np.random.Generator, n: int, low: float, high: float) -> np.ndarray:
    sos = butter(2, [low, high], btype="bandpass", fs=SAMPLE_RATE, output="sos")
    noise = sosfilt(sos, rng.standard_normal(n))
    return noise / max(float(np.std(noise)), 1e-12)
