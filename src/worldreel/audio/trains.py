"""Train sounds from the Recording: the locomotive's diesel and traction gears, the wheels'
rolling noise and their clack over every rail joint, the horn and the brakes.

- Diesel: a two-stroke fires every cylinder once a revolution, so a V12 two-stroke (EMD 710)
  fires at rpm / 60 x 12: the same pulse train as a four-stroke with twice the cylinders, which
  is how audio.vehicles.engine is asked for it. A diesel-electric's engine speed follows the
  throttle notch (the VehicleTrack's rpm), not the train's speed.
- Traction gears: the motor's pinion meshes with the axle's bull gear, a whine at the gear
  mesh frequency = wheel revolutions a second x bull gear teeth (trains.yaml gear_teeth),
  louder under power.
- Rolling noise: wheel and rail roughness excite both, broadband with most energy 500-2500 Hz,
  growing 30 log10(speed) dB (Thompson, "Railway Noise and Vibration", 2009, ch. 2-5):
  amplitude ~ speed^1.5, from every car.
- Joints: each wheelset crossing a rail joint drops into the gap and strikes the far rail's
  end, the "clickety-clack" of jointed track: a thump and a ring, stronger with speed (the
  impact speed grows with train speed; Thompson 2009, ch. 7). The times are where each axle of
  each car passes a joint of the track it stands on, from the Recording's poses (joint_passes).
- Horn: a two-tone air horn (high then low note) sounded when a train starts from a stand,
  and about HORN_LEAD_S before a moving train passes the camera (a warning, as at whistle
  boards). The notes are chosen in the range of locomotive air horns (300-700 Hz), not a
  measured pair.
- Brakes: tread and disc brakes squeal near a stop (audio.vehicles.squeal).

Every car's sounds are placed where it is, with distance, pan and Doppler (audio.spatial.place),
so a passing train is heard car by car.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, sosfilt

from worldreel.assets.trains import CarSpec, Consist, car_spec, consists
from worldreel.audio.clock import SAMPLE_RATE
from worldreel.audio.spatial import SourcePath, place
from worldreel.audio.vehicles import engine, squeal
from worldreel.recording import Recording, VehicleTrack
from worldreel.rng import generator
from worldreel.scene import Scene

DIESEL_GAIN = 6.0  # the big diesel over a car's engine (audio.vehicles ENGINE_GAIN scale)
WHINE_GAIN = 0.25  # RMS at 1 m of the traction gears at 20 m/s under full power
ROLLING_GAIN = 0.02  # RMS at 1 m per car at 1 m/s; x speed^1.5
ROLLING_BAND_HZ = (500.0, 2_500.0)
CLACK_GAIN = 0.12  # peak at 1 m of one wheelset's clack at 1 m/s; x speed
CLACK_RING_HZ = (900.0, 2_300.0)  # the rail end's and wheel's ring
CLACK_THUMP_HZ = 70.0  # the wheelset's drop into the gap
CLACK_DECAY_S = (0.012, 0.03)  # ring, thump
HORN_NOTES_HZ = (440.0, 330.0)  # high, then low (see the module docstring)
HORN_NOTE_S = 0.7
HORN_GAIN = 4.0
HORN_LEAD_S = 4.0  # the horn sounds this long before a train passes the camera
HORN_PASS_SPEED_M_S = 8.0  # only trains passing at least this fast sound it
START_SPEED_M_S = 0.3


@dataclass(frozen=True)
class JointPass:
    """A wheelset crossing a rail joint: when, which car and axle (0 = the car's front), and
    the car's speed then (m/s)."""

    time: float
    car: str
    axle: int
    speed: float


def joint_passes(recording: Recording, scene: Scene, consist: Consist) -> list[JointPass]:
    """Every time an axle of a car of the consist passes a rail joint of its track: the car's
    travel along the track from its recorded positions, each axle offset by its place in the
    car, crossing times interpolated linearly between samples."""
    track = consist.track
    joints = track.joints_along()
    times = np.asarray(recording.times, dtype=float)
    out = []
    for car, facing in zip(consist.cars, consist.facing):
        spec = car_spec(scene.entity(car).asset)
        s = track.along(recording.trajectory(car)[:, :2])
        speed = np.gradient(s, times) if len(times) > 1 else np.zeros(len(s))
        for k, x in enumerate(spec.axles):
            axle = s + facing * x
            for j in joints:
                d = axle - j
                crossing = np.flatnonzero(np.sign(d[:-1]) * np.sign(d[1:]) < 0)
                for i in crossing:
                    f = d[i] / (d[i] - d[i + 1])
                    t = times[i] + f * (times[i + 1] - times[i])
                    out.append(JointPass(float(t), car, k, float(abs(speed[i] + f * (
                        speed[i + 1] - speed[i])))))
    return sorted(out, key=lambda p: p.time)


def clack(speed: float, rng: np.random.Generator) -> np.ndarray:
    """One wheelset over a joint at 1 m: a ringing strike and a low thump, ~speed loud."""
    n = int(0.12 * SAMPLE_RATE)
    t = np.arange(n) / SAMPLE_RATE
    low, high = CLACK_RING_HZ
    sos = butter(2, [low, high], btype="bandpass", fs=SAMPLE_RATE, output="sos")
    ring = sosfilt(sos, rng.standard_normal(n))
    ring /= max(float(np.abs(ring).max()), 1e-12)
    ring *= np.exp(-t / CLACK_DECAY_S[0])
    thump = np.sin(2 * np.pi * CLACK_THUMP_HZ * t) * np.exp(-t / CLACK_DECAY_S[1])
    return CLACK_GAIN * speed * (0.6 * ring + thump)


def clacks(passes: list[JointPass], n_samples: int, rng: np.random.Generator) -> np.ndarray:
    """Mono of every joint pass, each starting on its sample."""
    out = np.zeros(n_samples)
    for p in passes:
        start = int(round(p.time * SAMPLE_RATE))
        if start >= n_samples or p.speed < 0.05:
            continue
        hit = clack(p.speed, rng)
        end = min(n_samples, start + len(hit))
        out[start:end] += hit[:end - start]
    return out


def _band(rng: np.random.Generator, n: int, low: float, high: float) -> np.ndarray:
    sos = butter(2, [low, high], btype="bandpass", fs=SAMPLE_RATE, output="sos")
    noise = sosfilt(sos, rng.standard_normal(n))
    return noise / max(float(np.std(noise)), 1e-12)


def rolling(speed: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A car's wheels rolling on the rails."""
    if np.abs(speed).max(initial=0.0) <= 0.0:
        return np.zeros(len(speed))
    return _band(rng, len(speed), *ROLLING_BAND_HZ) * ROLLING_GAIN * np.abs(speed) ** 1.5


def gear_whine(speed: np.ndarray, throttle: np.ndarray, spec: CarSpec) -> np.ndarray:
    """The traction gears' mesh tone (and its second harmonic)."""
    if spec.gear_teeth is None:
        return np.zeros(len(speed))
    wheel_rev_s = np.abs(speed) / (np.pi * spec.wheel_diameter)
    mesh = wheel_rev_s * spec.gear_teeth[0]
    phase = 2 * np.pi * np.cumsum(mesh) / SAMPLE_RATE
    level = WHINE_GAIN * np.minimum(np.abs(speed) / 20.0, 1.5) * (0.3 + 0.7 * throttle)
    return level * (np.sin(phase) + 0.3 * np.sin(2 * phase))


def horn(n: int, start: int, rng: np.random.Generator) -> np.ndarray:
    """A two-tone air horn, high then low, from sample `start`: a reed-driven horn's buzzy
    tone (harmonics falling 1/k), with a short swell at each note's start and end."""
    out = np.zeros(n)
    note = int(HORN_NOTE_S * SAMPLE_RATE)
    t = np.arange(note) / SAMPLE_RATE
    swell = np.minimum(1.0, np.minimum(t / 0.04, (HORN_NOTE_S - t) / 0.06))
    for k, f0 in enumerate(HORN_NOTES_HZ):
        tone = np.zeros(note)
        for h in range(1, 12):
            tone += np.sin(2 * np.pi * h * f0 * (1.0 + 0.002 * rng.standard_normal()) * t
                           + rng.uniform(0, 2 * np.pi)) / h
        a = start + k * note
        if a >= n:
            break
        b = min(n, a + note)
        out[a:b] += HORN_GAIN * (tone * swell)[:b - a]
    return out


def horn_times(track: VehicleTrack, recording: Recording) -> list[float]:
    """When the locomotive's horn sounds: as it starts from a stand, and HORN_LEAD_S before a
    moving train passes nearest the camera."""
    rate = recording.fps * recording.oversample
    speed = np.abs(np.asarray(track.speed, dtype=float))
    times = []
    standing = speed < 0.05
    starts = np.flatnonzero(standing[:-1] & (speed[1:] > 0.05))
    times += [float(i / rate) for i in starts[:1]]
    camera = recording.camera
    if camera is not None and len(camera.times):
        path = recording.trajectory(track.id)
        eye = np.stack([np.interp(recording.times, camera.times, camera.positions[:, k])
                        for k in range(3)], axis=1)
        nearest = int(np.argmin(np.linalg.norm(path - eye, axis=1)))
        t = float(recording.times[nearest]) - HORN_LEAD_S
        if speed[nearest] >= HORN_PASS_SPEED_M_S and 0.0 <= t and 0 < nearest < len(speed) - 1:
            times.append(t)
    return sorted(times)


@dataclass(frozen=True)
class Trains:
    """The placed train sounds: dry stereo (n, 2), mono send (n,) at 1 m, and how many trains."""

    dry: np.ndarray
    send: np.ndarray
    count: int


def render_trains(scene: Scene, recording: Recording, seed: int, n_samples: int) -> Trains:
    """Every train of the Scene (a consist with a locomotive, its VehicleTrack in the
    Recording) rendered car by car and placed where each car is."""
    dry = np.zeros((n_samples, 2))
    send = np.zeros(n_samples)
    tracks = {t.id: t for t in recording.vehicles}
    rate = recording.fps * recording.oversample
    times = np.asarray(recording.times, dtype=float)
    at = np.arange(n_samples) / SAMPLE_RATE
    count = 0
    for consist in consists(scene):
        leader = next((c for c in consist.locomotives if c in tracks), None)
        if leader is None:
            continue
        count += 1
        track = tracks[leader]
        rng = generator(seed, f"audio.train.{leader}")
        passes = joint_passes(recording, scene, consist)
        speed = np.interp(at, np.arange(len(track.speed)) / rate, track.speed)
        throttle = np.interp(at, np.arange(len(track.throttle)) / rate, track.throttle)
        for car in consist.cars:
            spec = car_spec(scene.entity(car).asset)
            mono = rolling(speed, rng) + clacks([p for p in passes if p.car == car], n_samples,
                                                rng)
            if car in consist.locomotives:
                rpm = np.interp(at, np.arange(len(track.rpm)) / rate, track.rpm)
                cylinders = spec.engine["cylinders"] * (4 // spec.engine["strokes"])
                mono = mono + DIESEL_GAIN * engine(rpm, throttle, cylinders, rng)
                mono = mono + gear_whine(speed, throttle, spec)
            if car == leader:
                brake = np.interp(at, np.arange(len(track.brake)) / rate, track.brake)
                mono = mono + squeal(np.abs(speed), brake, rng)
                for t in horn_times(track, recording):
                    mono = mono + horn(n_samples, int(round(t * SAMPLE_RATE)), rng)
            path = SourcePath(times, recording.trajectory(car).astype(float))
            dry += place(mono, 0, path, recording.camera)
            send += mono
    return Trains(dry, send, count)
