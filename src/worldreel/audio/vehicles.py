"""Vehicle sounds from the drivetrain the physics recorded (recording.VehicleTrack): the engine,
the tyres on the road and the brakes, each following its track sample by sample.

- Engine: a four-stroke fires each cylinder every second revolution, so the exhaust pulses come
  at f = rpm / 60 x cylinders / 2 (the "firing frequency", the engine order cylinders/2 that
  dominates engine sound: e.g. Heywood, "Internal Combustion Engine Fundamentals", ch. 1;
  Zeller, "Handbook of Automotive Acoustics"). The pulse train is synthesized as its harmonics;
  the muffler takes the highs off; under load (throttle) the pulses are stronger and brighter
  and vary from cycle to cycle (combustion variability: a rougher sound), and the intake hisses.
  Gear changes are heard because rpm drops in the track. At rpm 0 the engine is silent.
- Tyres: tyre/road noise on asphalt is broadband with most energy around 0.8-1.2 kHz and grows
  as 30-40 log10(speed) dB (Sandberg & Ejsmont, "Tyre/Road Noise Reference Book", 2002, ch. 7-8):
  amplitude ~ speed^1.75 here (35 log10 v).
- Brakes: hard braking near a stop makes a disc squeal, a friction-excited pad/disc mode at a
  few kHz (Kinkaid, O'Reilly & Papadopoulos 2003, "Automotive disc brake squeal", J. Sound Vib.
  267, 105-166: squeal 1-16 kHz, typically at low speed).

Sounds are mono at the level heard 1 m away, like foley (audio.impact); render_vehicles places
each at its vehicle's position, through spatial.place (distance, pan, Doppler).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, lfilter, sosfilt

from worldreel.audio.clock import SAMPLE_RATE
from worldreel.audio.road_surfaces import asphalt_share, road_noise, surface_masks
from worldreel.audio.spatial import SourcePath, place
from worldreel.audio.two_wheelers import pedalled_or_kicked_sound
from worldreel.assets.vehicles import vehicle_spec
from worldreel.errors import AudioError
from worldreel.recording import Recording, VehicleTrack
from worldreel.rng import generator

ENGINE_GAIN = 0.25  # RMS at 1 m of an engine at REFERENCE_RPM, no throttle
REFERENCE_RPM = 1_000.0
ENGINE_LOAD_DB = 12.0  # full throttle over closed: the exhaust pulses' strength
ENGINE_TOP_HZ = 6_000.0  # harmonics roll off steeply above this (the muffler took them)
MUFFLER_HZ = 600.0  # exhaust harmonics above fall 6 dB/octave, less under load
MAX_HARMONICS = 120
ROUGHNESS = 0.35  # cycle-to-cycle pulse strength variation at full throttle (0.1 at idle)
HALF_ORDER = 0.12  # uneven cylinders: the crank's own orders (rpm/60 x 0.5, 1) at this share
INTAKE_GAIN = 0.15  # intake hiss at full throttle, relative to the engine
# Exhaust flow noise: each exhaust pulse is a turbulent puff (broadband) as well as a pressure
# wave (the harmonics), growing with load.
EXHAUST_NOISE = 0.2
EXHAUST_BAND_HZ = (150.0, 2_500.0)
INTAKE_BAND_HZ = (1_000.0, 4_000.0)
TYRE_GAIN = 0.012  # RMS at 1 m at 1 m/s; x speed^TYRE_EXPONENT
TYRE_EXPONENT = 1.75
TYRE_BAND_HZ = (400.0, 2_500.0)  # tyre/road noise's main band, peaking ~1 kHz
SQUEAL_BRAKE = 0.5  # brake pedal above this...
SQUEAL_SPEED_M_S = (0.1, 3.0)  # ...between these speeds squeals
SQUEAL_HZ = (2_000.0, 5_000.0)  # each vehicle's squeal mode, drawn in this range
SQUEAL_GAIN = 0.3


def vehicle_sound(track: VehicleTrack, sample_rate: float, n_samples: int,
                  rng: np.random.Generator, *, cylinders: int = 4,
                  surfaces: Mapping[str, np.ndarray] | None = None) -> np.ndarray:
    """Mono float32 at 48 kHz, n_samples long, of one vehicle as its track (sampled at the
    Recording's `sample_rate`) drives: engine, tyres and brakes, at 1 m. surfaces: the share of
    each road surface under it per sample (audio.road_surfaces.surface_masks; None: asphalt).
    ValueError for a track whose arrays differ in length or a cylinder count outside 1..16."""
    if not 1 <= int(cylinders) <= 16:
        raise ValueError(f"cylinders must be 1..16, got {cylinders}")
    arrays = (track.speed, track.rpm, track.gear, track.throttle, track.brake)
    if len({len(a) for a in arrays}) != 1 or len(track.rpm) == 0:
        raise ValueError(f"vehicle {track.id!r}: speed, rpm, gear, throttle and brake must be "
                         "equally long, one value per Recording sample")
    at = np.arange(n_samples) / SAMPLE_RATE
    times = np.arange(len(track.rpm)) / float(sample_rate)

    def follow(values: np.ndarray) -> np.ndarray:
        return np.interp(at, times, np.asarray(values, dtype=float))

    rpm = np.maximum(follow(track.rpm), 0.0)
    throttle = np.clip(follow(track.throttle), 0.0, 1.0)
    speed = np.abs(follow(track.speed))
    brake = np.clip(follow(track.brake), 0.0, 1.0)
    sound = engine(rpm, throttle, int(cylinders), rng)  # drawn in this order: a sound's
    roar = tyres(speed, rng)  # noise does not change with what else it carries
    sound = sound + squeal(speed, brake, rng)
    if surfaces is None:
        return (sound + roar).astype(np.float32)
    roar = roar * asphalt_share(surfaces, n_samples) + road_noise(speed, surfaces, rng)
    return (sound + roar).astype(np.float32)


def engine(rpm: np.ndarray, throttle: np.ndarray, cylinders: int,
           rng: np.random.Generator) -> np.ndarray:
    """The exhaust note (and intake) of a four-stroke following rpm and throttle per sample."""
    n = len(rpm)
    out = np.zeros(n)
    running = rpm > 1.0
    if not running.any():
        return out
    firing = rpm / 60.0 * cylinders / 2.0
    phase = np.cumsum(firing) / SAMPLE_RATE  # firing cycles so far
    # Cycle-to-cycle variation: each firing's strength is drawn anew, held over its cycle.
    cycle = np.floor(phase).astype(int)
    strengths = rng.standard_normal(cycle[-1] + 2)
    rough = 1.0 + (0.1 + (ROUGHNESS - 0.1) * throttle) * strengths[cycle]
    # Muffler corner rises under load: a bright, hard note at full throttle, a dull one idling.
    corner = MUFFLER_HZ * (1.0 + 2.0 * throttle)
    offsets = rng.uniform(0, 2 * np.pi, MAX_HARMONICS + 2)
    for k in range(1, MAX_HARMONICS + 1):
        f = k * firing
        if f.min() > 2 * ENGINE_TOP_HZ:
            break
        gain = (1.0 / k ** 0.5) / np.sqrt(1.0 + (f / corner) ** 2) / (
            1.0 + (f / ENGINE_TOP_HZ) ** 4)
        out += gain * np.sin(2 * np.pi * k * phase + offsets[k])
    # The crank's half orders (cylinders differ a little): rpm/60 x 0.5 and x 1.
    crank = phase / (cylinders / 2.0)
    out += HALF_ORDER * (np.sin(np.pi * crank + offsets[0]) + np.sin(2 * np.pi * crank
                                                                       + offsets[-1]))
    out *= rough
    load = 10 ** (ENGINE_LOAD_DB * throttle / 20.0)
    level = ENGINE_GAIN * (rpm / REFERENCE_RPM) ** 0.7 * load * running
    out = out / np.sqrt(0.5 * np.sum(1.0 / np.arange(1, 9)))  # ~unit RMS at idle
    low, high = INTAKE_BAND_HZ
    intake = _band(rng, n, low, high) * INTAKE_GAIN * throttle * running
    low, high = EXHAUST_BAND_HZ
    puffs = (0.5 + 0.5 * np.cos(2 * np.pi * phase)) ** 2  # gated by each firing's pulse
    out = out + _band(rng, n, low, high) * puffs * EXHAUST_NOISE * (0.3 + throttle)
    # Switching the engine on or off is not a click: a 20 ms ramp in the level.
    smooth = _smoothed(level, 0.02)
    return (out + intake) * smooth


def tyres(speed: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Tyre/road roar on asphalt, growing with speed."""
    if speed.max(initial=0.0) <= 0.0:
        return np.zeros(len(speed))
    low, high = TYRE_BAND_HZ
    return _band(rng, len(speed), low, high) * TYRE_GAIN * speed ** TYRE_EXPONENT


def squeal(speed: np.ndarray, brake: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A brake squeal while braking hard near a stop: a tone wavering around the vehicle's own
    pad/disc mode, swelling in and out with the conditions."""
    slow, fast = SQUEAL_SPEED_M_S
    on = (brake > SQUEAL_BRAKE) & (speed > slow) & (speed < fast)
    f0 = float(rng.uniform(*SQUEAL_HZ))  # drawn always: the rest of the sound does not shift
    if not on.any():
        return np.zeros(len(speed))
    envelope = _smoothed(on * (brake - SQUEAL_BRAKE) / (1.0 - SQUEAL_BRAKE), 0.05)
    t = np.arange(len(speed)) / SAMPLE_RATE
    wobble = 1.0 + 0.004 * np.sin(2 * np.pi * 7.0 * t)  # stick-slip modulates the mode a little
    phase = 2 * np.pi * np.cumsum(f0 * wobble) / SAMPLE_RATE
    return SQUEAL_GAIN * envelope * (np.sin(phase) + 0.2 * np.sin(2 * phase))


def _band(rng: np.random.Generator, n: int, low: float, high: float) -> np.ndarray:
    sos = butter(2, [low, high], btype="bandpass", fs=SAMPLE_RATE, output="sos")
    noise = sosfilt(sos, rng.standard_normal(n))
    return noise / max(float(np.std(noise)), 1e-12)


def _smoothed(values: np.ndarray, seconds: float) -> np.ndarray:
    """One-pole smoothing (causal) with this time constant: control changes do not click."""
    pole = np.exp(-1.0 / (seconds * SAMPLE_RATE))
    return lfilter([1.0 - pole], [1.0, -pole], values, zi=[values[0] * pole])[0]


@dataclass(frozen=True)
class Vehicles:
    """The placed vehicle sounds: dry stereo (n, 2), mono send (n,) at 1 m, and how many."""

    dry: np.ndarray
    send: np.ndarray
    count: int


def render_vehicles(recording: Recording, seed: int, n_samples: int, *,
                    cylinders: Mapping[str, int] | None = None, wet: bool = False,
                    assets: Mapping[str, str] | None = None) -> Vehicles:
    """Every vehicle track of the recording rendered and placed where its entity is (its path
    through the clip: distance, pan and Doppler as it passes the camera). assets: each
    vehicle's asset name by id, which picks its sound (a bicycle's freewheel and chain, a
    skateboard's wheels and pushes: audio.two_wheelers) and its engine's cylinders (a
    motorcycle's twin, a moped's single); cylinders: per vehicle id, over that (default 4: a
    car). AudioError for a track with no entity of its id in the recording (nowhere to sound
    from). The tyres sound of the surface under them (the Recording's roll events:
    audio.road_surfaces), a dry road's wet when `wet` (rain)."""
    dry = np.zeros((n_samples, 2))
    send = np.zeros(n_samples)
    count = 0
    rate = recording.fps * recording.oversample
    times = np.asarray(recording.times, dtype=float)
    for track in recording.vehicles:
        if track.id not in recording.entity_ids:
            raise AudioError(f"vehicle track {track.id!r} has no entity of that id in the "
                             "recording: its sound has nowhere to come from")
        spec = vehicle_spec((assets or {}).get(track.id, ""))
        rng = generator(seed, f"audio.vehicle.{track.id}")
        if spec is not None and spec.propulsion in ("pedal", "kick"):
            mono = pedalled_or_kicked_sound(track, spec, rate, n_samples, rng)
        else:
            count_default = getattr(spec, "cylinders", 0) or 4
            mono = vehicle_sound(track, rate, n_samples, rng,
                                 cylinders=(cylinders or {}).get(track.id, count_default),
                                 surfaces=surface_masks(recording, track.id, n_samples, wet))
        if not np.any(mono):
            continue
        path = SourcePath(times, recording.trajectory(track.id).astype(float))
        dry += place(mono.astype(float), 0, path, recording.camera)
        send += mono
        count += 1
    return Vehicles(dry, send, count)
