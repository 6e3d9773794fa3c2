"""Boat sounds from the Recording: the outboard, hull slap, the bow wake, and oar splashes.

Every sound is timed from what physics recorded (a boat's VehicleTrack and its poses), never from
the Scene's intentions:

- Outboard: the exhaust note of audio.vehicles.engine at the track's rpm and throttle with the
  spec's cylinder count (a Mercury 40 FourStroke: 3), but an outboard exhausts through its
  propeller hub under water, so the note is muffled (low-passed at HUB_EXHAUST_HZ) and gurgles.
- Hull slap: where the water climbs the bow fastest. The bow's immersion (the surface over the
  bow point minus the bow's height, both from the Recording's poses and the Setting's water,
  assets.water) is differentiated; every peak of its rate above SLAP_RATE_M_S is a slap at that
  instant (parabolic interpolation between samples), its loudness growing with the rate: a
  hollow knock of the hull panel (HULL_KNOCK_HZ) and a splash.
- Bow wake: a hiss of breaking water growing with the speed through the water (as speed^2:
  the wave-making's energy).
- Oar splash: at each catch, when the blades go in: read back exactly from the rowing track,
  whose throttle over a drive is sin(pi tau / drive) (physics.boating): the first sample of a
  stroke with throttle s lies tau = drive / pi asin(s) after its catch. A quieter drip follows
  at the release, when the blades come out.

Sounds are mono at 1 m, placed like vehicles (audio.spatial.place) along the boat's path.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, sosfilt
from scipy.spatial.transform import Rotation

from worldreel.assets.boats import BoatSpec, boat_spec
from worldreel.assets.water import Water, water_of
from worldreel.audio.clock import SAMPLE_RATE
from worldreel.audio.spatial import SourcePath, place
from worldreel.audio.vehicles import engine
from worldreel.recording import Recording, VehicleTrack
from worldreel.rng import generator
from worldreel.scene import Scene

HUB_EXHAUST_HZ = 900.0  # an outboard's exhaust leaves under water through the hub: the highs go
HUB_GURGLE = 0.25  # bubbling of the exhaust in the water, relative to the note
SLAP_RATE_M_S = 0.04  # the water climbs the bow faster than this: a slap heard
SLAP_SPACING_S = 0.25  # two slaps closer than this are one
SLAP_GAIN = 0.5  # RMS-ish level at 1 m of a slap at 1 m/s of immersion rate
HULL_KNOCK_HZ = 140.0  # a small hull's bottom panels ring low (a hollow knock)
SLAP_DECAY_S = 0.09
WAKE_GAIN = 0.004  # hiss at 1 m at 1 m/s, x speed^2
WAKE_BAND_HZ = (900.0, 7_000.0)
SPLASH_GAIN = 0.35
SPLASH_BAND_HZ = (400.0, 5_000.0)
SPLASH_DECAY_S = 0.12
DRIP_SHARE = 0.3  # the release's drip, relative to the catch's splash
BOW_AT = 0.8  # the bow point: this share of the half length forward, on the waterline


@dataclass(frozen=True)
class Boats:
    """The placed boat sounds: dry stereo (n, 2), mono send (n,) at 1 m, how many boats, and
    the instants sounded (entity id -> times, s) of slaps and of oar catches."""

    dry: np.ndarray
    send: np.ndarray
    count: int
    slaps: dict
    catches: dict


def boat_tracks(recording: Recording, scene: Scene) -> tuple[VehicleTrack, ...]:
    """The tracks of Recording.vehicles that belong to boats."""
    return tuple(t for t in recording.vehicles if _spec(scene, t.id) is not None)


def road_tracks(recording: Recording, scene: Scene) -> tuple[VehicleTrack, ...]:
    """The tracks of Recording.vehicles that belong to road vehicles (audio.vehicles)."""
    return tuple(t for t in recording.vehicles if _spec(scene, t.id) is None)


def _spec(scene: Scene, entity_id: str) -> BoatSpec | None:
    try:
        return boat_spec(scene.entity(entity_id).asset)
    except (KeyError, ValueError, StopIteration):
        return None


def bow_immersion(recording: Recording, entity_id: str, spec: BoatSpec,
                  water: Water) -> np.ndarray:
    """m the water stands over the bow's waterline point at every Recording sample."""
    k = recording.index(entity_id)
    q = recording.quaternions[:, k]
    rotation = Rotation.from_quat(q[:, [1, 2, 3, 0]])
    bow = recording.positions[:, k] + rotation.apply([BOW_AT * spec.hull.half_length, 0.0, 0.0])
    times = np.asarray(recording.times, float)
    surface = np.array([float(water.height(x, y, t)) for (x, y, _), t in zip(bow, times)])
    return surface - bow[:, 2]


def slap_times(recording: Recording, entity_id: str, spec: BoatSpec,
               water: Water) -> tuple[np.ndarray, np.ndarray]:
    """(instants s, immersion rates m/s) of the hull's slaps: peaks of the rate at which the
    water climbs the bow, over SLAP_RATE_M_S, at least SLAP_SPACING_S apart."""
    times = np.asarray(recording.times, float)
    if len(times) < 3:
        return np.zeros(0), np.zeros(0)
    rate = np.gradient(bow_immersion(recording, entity_id, spec, water), times)
    dt = times[1] - times[0]
    peaks = np.flatnonzero((rate[1:-1] > rate[:-2]) & (rate[1:-1] >= rate[2:])
                           & (rate[1:-1] > SLAP_RATE_M_S)) + 1
    out_t, out_r = [], []
    for i in peaks:
        a, b, c = rate[i - 1], rate[i], rate[i + 1]
        bend = a - 2.0 * b + c
        shift = 0.5 * (a - c) / bend if bend < 0.0 else 0.0
        t = times[i] + float(np.clip(shift, -0.5, 0.5)) * dt
        if out_t and t - out_t[-1] < SLAP_SPACING_S:
            if b > out_r[-1]:
                out_t[-1], out_r[-1] = t, float(b)
            continue
        out_t.append(t)
        out_r.append(float(b))
    return np.array(out_t), np.array(out_r)


def catch_times(track: VehicleTrack, sample_rate: float, spec: BoatSpec) -> np.ndarray:
    """s of every oar stroke's catch, read back from the rowing track's throttle."""
    throttle = np.asarray(track.throttle, float)
    drive = spec.rowing.drive_s
    starts = np.flatnonzero((throttle[1:] > 0.0) & (throttle[:-1] <= 0.0)) + 1
    if len(throttle) and throttle[0] > 0.0:
        starts = np.concatenate([[0], starts])
    tau = drive / math.pi * np.arcsin(np.clip(throttle[starts], 0.0, 1.0))
    return starts / float(sample_rate) - tau


def _band(rng: np.random.Generator, n: int, low: float, high: float) -> np.ndarray:
    sos = butter(2, [low, high], btype="bandpass", fs=SAMPLE_RATE, output="sos")
    noise = sosfilt(sos, rng.standard_normal(n))
    return noise / max(float(np.std(noise)), 1e-12)


def _add_at(out: np.ndarray, sound: np.ndarray, t: float) -> None:
    start = int(round(t * SAMPLE_RATE))
    if start >= len(out) or start + len(sound) <= 0:
        return
    lo = max(0, -start)
    hi = min(len(sound), len(out) - start)
    out[start + lo:start + hi] += sound[lo:hi]


def slap(rate: float, rng: np.random.Generator) -> np.ndarray:
    """One hull slap at this immersion rate: a hollow knock and a splash, starting at once."""
    n = int(0.4 * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    knock = np.sin(2 * np.pi * HULL_KNOCK_HZ * rng.uniform(0.9, 1.1) * t) * np.exp(
        -t / (0.5 * SLAP_DECAY_S))
    splash = _band(rng, n, 300.0, 3_000.0) * np.exp(-t / SLAP_DECAY_S)
    attack = np.minimum(1.0, t / 0.002)  # a 2 ms rise: a slap, not a click
    return SLAP_GAIN * min(rate, 2.0) * attack * (0.8 * knock + 0.6 * splash)


def splash(rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    """A blade going in: a burst of broadband water noise with a bubbly low body."""
    n = int(0.5 * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    low, high = SPLASH_BAND_HZ
    attack = np.minimum(1.0, t / 0.004)
    body = np.sin(2 * np.pi * rng.uniform(220.0, 320.0) * t) * np.exp(-t / 0.04)
    return SPLASH_GAIN * gain * attack * (_band(rng, n, low, high) * np.exp(-t / SPLASH_DECAY_S)
                                          + 0.5 * body)


def boat_sound(track: VehicleTrack, spec: BoatSpec, sample_rate: float, n_samples: int,
               rng: np.random.Generator, slaps: tuple[np.ndarray, np.ndarray] = (),
               catches: np.ndarray | None = None) -> np.ndarray:
    """Mono float32 at 48 kHz of one boat at 1 m: its outboard, bow wake, slaps at `slaps`
    (instants, rates) and oar splashes at `catches` (s)."""
    at = np.arange(n_samples) / SAMPLE_RATE
    times = np.arange(len(track.speed)) / float(sample_rate)
    speed = np.abs(np.interp(at, times, np.asarray(track.speed, float)))
    out = np.zeros(n_samples)
    if spec.engine is not None:
        rpm = np.interp(at, times, np.asarray(track.rpm, float))
        throttle = np.clip(np.interp(at, times, np.asarray(track.throttle, float)), 0.0, 1.0)
        note = engine(rpm, throttle, spec.engine.cylinders, rng)
        sos = butter(2, HUB_EXHAUST_HZ, fs=SAMPLE_RATE, output="sos")
        running = rpm > 1.0
        gurgle = _band(rng, n_samples, 80.0, 600.0) * HUB_GURGLE * float(np.std(note) or 0.0)
        out += sosfilt(sos, note) + gurgle * running * (0.3 + throttle)
    low, high = WAKE_BAND_HZ
    out += _band(rng, n_samples, low, high) * WAKE_GAIN * speed ** 2
    if len(slaps):
        for t, rate in zip(*slaps):
            _add_at(out, slap(float(rate), rng), float(t))
    if catches is not None:
        for t in catches:
            _add_at(out, splash(rng), float(t))
            _add_at(out, splash(rng, DRIP_SHARE), float(t) + spec.rowing.drive_s)
    return out.astype(np.float32)


def render_boats(recording: Recording, scene: Scene, n_samples: int) -> Boats:
    """Every boat of the recording sounded and placed where it is."""
    dry = np.zeros((n_samples, 2))
    send = np.zeros(n_samples)
    water = water_of(scene.setting)
    rate = recording.fps * recording.oversample
    times = np.asarray(recording.times, float)
    count, all_slaps, all_catches = 0, {}, {}
    for track in boat_tracks(recording, scene):
        spec = _spec(scene, track.id)
        slaps = slap_times(recording, track.id, spec, water) if water is not None else ()
        catches = catch_times(track, rate, spec) if spec.rowing is not None else None
        all_slaps[track.id] = slaps[0] if len(slaps) else np.zeros(0)
        all_catches[track.id] = catches if catches is not None else np.zeros(0)
        mono = boat_sound(track, spec, rate, n_samples,
                          generator(scene.seed, f"audio.boat.{track.id}"), slaps, catches)
        if not np.any(mono):
            continue
        path = SourcePath(times, recording.trajectory(track.id).astype(float))
        dry += place(mono.astype(float), 0, path, recording.camera)
        send += mono
        count += 1
    return Boats(dry, send, count, all_slaps, all_catches)
