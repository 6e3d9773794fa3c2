"""Aircraft sounds: a jet's roar and fan tone or a propeller's beat, heard as far away as they
are - late by the sound's travel time, Doppler shifted, and with the air's absorption of high
frequencies over the distance.

- Jet (turbofan): jet mixing noise, broadband with its peak a few hundred hertz, and fan
  noise: broadband above 1 kHz with a tone at the blade-passing frequency BPF = blades x N1 /
  60 and its harmonics (Smith, "Aircraft Noise", 1989, ch. 3-4), louder with thrust.
- Propeller: the blade-passing tone rpm / 60 x blades and its harmonics (the thickness and
  loading pulses of each blade passing, Smith 1989 ch. 6), the piston engine's exhaust
  (audio.vehicles.engine, a four-stroke) and broadband noise.

Propagation (propagate): a sound emitted at time te from the aircraft at x(te) reaches the
listener at the camera at t = te + |x(te) - camera(t)| / c. For every output sample te is
solved by fixed-point iteration (it converges for any source slower than sound), and the
source's sound is read at te: this gives the travel delay (a plane 686 m away is heard 2 s
late) and the Doppler shift together. Spreading is 1/r. Air absorbs high frequencies by
alpha(f) dB per metre (ISO 9613-1:1993, the formula of its section 6, at AIR_TEMPERATURE_K,
AIR_HUMIDITY_PCT and sea-level pressure): applied frame by frame (a short-time Fourier
transform) for the distance of that frame; the frame-wise gains leave a floor about 75 dB
under the unabsorbed level (leakage between frames), far below anything audible. Unlike audio.spatial.place, which keeps film sound
in sync with the picture, an aircraft far up is heard where it was, as in life - that is
what makes a plane overhead sound like one.

Before the clip begins the aircraft is taken to have flown as it flies at its start (the
sound heard at t = 0 left it seconds earlier).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, istft, sosfilt, stft

from worldreel.assets.aircraft import AircraftSpec, aircraft_spec
from worldreel.audio.clock import SAMPLE_RATE
from worldreel.audio.spatial import SPEED_OF_SOUND_M_S, camera_view, pan_gains
from worldreel.audio.vehicles import engine
from worldreel.recording import CameraTrack, Recording, VehicleTrack
from worldreel.rng import generator
from worldreel.scene import Scene

AIR_TEMPERATURE_K = 293.15  # 20 C
AIR_HUMIDITY_PCT = 50.0
PRESSURE_RATIO = 1.0  # p / 101.325 kPa
MIN_DISTANCE_M = 1.0
FRAME = 1024  # STFT frame for the absorption (21 ms at 48 kHz), hop FRAME / 2
JET_GAIN = 60.0  # RMS at 1 m of a jet at full thrust (the level relative to other sounds)
JET_IDLE_SHARE = 0.25  # at flight idle, of the full-thrust level
JET_MIXING_HZ = (80.0, 1_500.0)
FAN_BROADBAND_HZ = (1_000.0, 8_000.0)
FAN_TONE_SHARE = 0.35
PROP_GAIN = 6.0  # RMS at 1 m of a light aircraft at full power
PROP_HARMONICS = 12
PRE_ROLL_S = 8.0  # the longest travel time synthesized before the clip (2.7 km)


def absorption_db_per_m(f: np.ndarray, temperature: float = AIR_TEMPERATURE_K,
                        humidity_pct: float = AIR_HUMIDITY_PCT,
                        pressure_ratio: float = PRESSURE_RATIO) -> np.ndarray:
    """Pure-tone attenuation of sound in air, dB/m, at frequencies f (ISO 9613-1:1993, eq. 5,
    with the relaxation frequencies of oxygen and nitrogen, eqs. 3-4, and the molar
    concentration of water vapour from the relative humidity, Annex B)."""
    f = np.asarray(f, dtype=float)
    t0, t01 = 293.15, 273.16
    c = -6.8346 * (t01 / temperature) ** 1.261 + 4.6151
    h = humidity_pct * 10.0 ** c / pressure_ratio
    fr_o = pressure_ratio * (24.0 + 4.04e4 * h * (0.02 + h) / (0.391 + h))
    tr = temperature / t0
    fr_n = pressure_ratio * tr ** -0.5 * (9.0 + 280.0 * h * np.exp(-4.170 * (tr ** (-1 / 3) - 1)))
    return 8.686 * f * f * (
        1.84e-11 / pressure_ratio * tr ** 0.5
        + tr ** -2.5 * (0.01275 * np.exp(-2239.1 / temperature) / (fr_o + f * f / fr_o)
                        + 0.1068 * np.exp(-3352.0 / temperature) / (fr_n + f * f / fr_n)))


@dataclass(frozen=True)
class FlightPath:
    """Where a source is over time: positions (K, 3) at times (K,), extrapolated before the
    first time along the first velocity (and held after the last)."""

    times: np.ndarray
    positions: np.ndarray

    def at(self, t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, dtype=float)
        out = np.stack([np.interp(t, self.times, self.positions[:, k]) for k in range(3)], 1)
        if len(self.times) > 1:
            v0 = (self.positions[1] - self.positions[0]) / (self.times[1] - self.times[0])
            early = t < self.times[0]
            out[early] = self.positions[0] + np.outer(t[early] - self.times[0], v0)
        return out


def listener_positions(camera: CameraTrack | None, t: np.ndarray) -> np.ndarray:
    """(len(t), 3) where the listener is: the live camera, or the origin with no camera."""
    if camera is None or len(camera.times) == 0:
        return np.zeros((len(t), 3))
    frame = np.clip(np.searchsorted(camera.times, t, side="right") - 1, 0, len(camera.times) - 1)
    return camera.positions[frame]


def emission_times(t: np.ndarray, path: FlightPath, ears: np.ndarray,
                   iterations: int = 8) -> tuple[np.ndarray, np.ndarray]:
    """(te, distance): when the sound heard at each t left the source, and how far it came
    (te = t - |x(te) - ear(t)| / c, by fixed-point iteration)."""
    te = t - np.linalg.norm(path.at(t) - ears, axis=1) / SPEED_OF_SOUND_M_S
    for _ in range(iterations):
        te = t - np.linalg.norm(path.at(te) - ears, axis=1) / SPEED_OF_SOUND_M_S
    distance = np.linalg.norm(path.at(te) - ears, axis=1)
    return te, distance


def absorbed(signal: np.ndarray, distance: np.ndarray) -> np.ndarray:
    """`signal` with each short frame's spectrum attenuated by the air over that frame's
    distance (distance: per sample)."""
    if len(signal) < FRAME:
        return signal
    freqs, frames, spectrum = stft(signal, fs=SAMPLE_RATE, nperseg=FRAME, noverlap=FRAME // 2,
                                   boundary="even", padded=True)
    centre = np.clip((frames * SAMPLE_RATE).astype(int), 0, len(signal) - 1)
    loss_db = np.outer(absorption_db_per_m(freqs), distance[centre])
    spectrum = spectrum * 10.0 ** (-loss_db / 20.0)
    _, out = istft(spectrum, fs=SAMPLE_RATE, nperseg=FRAME, noverlap=FRAME // 2,
                   boundary=True)
    return out[:len(signal)]


def propagate(source: np.ndarray, source_start: float, path: FlightPath,
              camera: CameraTrack | None, n_samples: int) -> np.ndarray:
    """Stereo (n_samples, 2) heard at the camera of a mono `source` at 1 m whose first sample
    was emitted at time `source_start` (<= 0 for sound emitted before the clip)."""
    t = np.arange(n_samples) / SAMPLE_RATE
    ears = listener_positions(camera, t)
    te, distance = emission_times(t, path, ears)
    index = (te - source_start) * SAMPLE_RATE
    heard = np.interp(index, np.arange(len(source)), source, left=0.0, right=0.0)
    heard = absorbed(heard / np.maximum(distance, MIN_DISTANCE_M), distance)
    out = np.empty((n_samples, 2))
    if camera is None or len(camera.times) == 0:
        out[:, 0] = out[:, 1] = heard * np.sqrt(0.5)
        return out
    azimuth, _ = camera_view(camera, t, path.at(te))
    left, right = pan_gains(azimuth)
    out[:, 0] = heard * left
    out[:, 1] = heard * right
    return out


def _band(rng: np.random.Generator, n: int, low: float, high: float, order: int = 2
          ) -> np.ndarray:
    sos = butter(order, [low, high], btype="bandpass", fs=SAMPLE_RATE, output="sos")
    noise = sosfilt(sos, rng.standard_normal(n))
    return noise / max(float(np.std(noise)), 1e-12)


def _tones(frequency: np.ndarray, harmonics: int, rolloff: float,
           rng: np.random.Generator) -> np.ndarray:
    """A harmonic series on a time-varying fundamental, k-th harmonic at 1 / k^rolloff."""
    phase = 2 * np.pi * np.cumsum(frequency) / SAMPLE_RATE
    out = np.zeros(len(frequency))
    for k in range(1, harmonics + 1):
        keep = k * frequency < 0.45 * SAMPLE_RATE
        out += keep * np.sin(k * phase + rng.uniform(0, 2 * np.pi)) / k ** rolloff
    return out


def jet_sound(rpm: np.ndarray, throttle: np.ndarray, spec: AircraftSpec,
              rng: np.random.Generator) -> np.ndarray:
    """A turbofan at 1 m: jet mixing roar, fan broadband and the blade-passing tone."""
    n = len(rpm)
    bpf = spec.fan_blades * rpm / 60.0
    level = JET_GAIN * (JET_IDLE_SHARE + (1.0 - JET_IDLE_SHARE) * np.clip(throttle, 0, 1))
    roar = _band(rng, n, *JET_MIXING_HZ)
    fan = _band(rng, n, *FAN_BROADBAND_HZ)
    tone = _tones(bpf, 3, 1.0, rng)
    return level * (roar + 0.5 * fan + FAN_TONE_SHARE * tone)


def propeller_sound(rpm: np.ndarray, throttle: np.ndarray, spec: AircraftSpec,
                    rng: np.random.Generator) -> np.ndarray:
    """A piston single at 1 m: the propeller's blade-passing tone and harmonics, the engine's
    exhaust, broadband noise."""
    n = len(rpm)
    bpf = spec.propeller_blades * rpm / 60.0
    level = PROP_GAIN * (0.3 + 0.7 * np.clip(throttle, 0, 1))
    prop = _tones(bpf, PROP_HARMONICS, 0.8, rng)
    exhaust = engine(rpm, throttle, spec.cylinders, rng)
    hiss = _band(rng, n, 300.0, 4_000.0)
    return level * (prop + 0.5 * exhaust + 0.2 * hiss)


def aircraft_source(track: VehicleTrack, spec: AircraftSpec, rate: float, n_samples: int,
                    rng: np.random.Generator) -> tuple[np.ndarray, float]:
    """(mono at 1 m, the time its first sample was emitted): PRE_ROLL_S before the clip (as
    the aircraft flew at its start) to its end."""
    pre = int(PRE_ROLL_S * SAMPLE_RATE)
    at = (np.arange(pre + n_samples) - pre) / SAMPLE_RATE
    times = np.arange(len(track.rpm)) / float(rate)
    rpm = np.interp(at, times, np.asarray(track.rpm, dtype=float))
    throttle = np.interp(at, times, np.asarray(track.throttle, dtype=float))
    if len(track.rpm) > 1:  # the first sample precedes the pilot's first control
        rpm[at < times[1]] = track.rpm[1]
        throttle[at < times[1]] = track.throttle[1]
    make = jet_sound if spec.kind == "jet" else propeller_sound
    return make(rpm, throttle, spec, rng), -PRE_ROLL_S


@dataclass(frozen=True)
class Aircraft:
    """The placed aircraft sounds: dry stereo (n, 2), and how many aircraft."""

    dry: np.ndarray
    count: int


def render_aircraft(scene: Scene, recording: Recording, seed: int, n_samples: int) -> Aircraft:
    """Every aircraft with a VehicleTrack in the Recording, heard at the camera."""
    dry = np.zeros((n_samples, 2))
    count = 0
    rate = recording.fps * recording.oversample
    for track in recording.vehicles:
        if track.id not in recording.entity_ids:
            continue
        spec = aircraft_spec(scene.entity(track.id).asset)
        if spec is None:
            continue
        source, start = aircraft_source(track, spec, rate, n_samples,
                                        generator(seed, f"audio.aircraft.{track.id}"))
        path = FlightPath(np.asarray(recording.times, dtype=float),
                          recording.trajectory(track.id).astype(float))
        dry += propagate(source, start, path, recording.camera, n_samples)
        count += 1
    return Aircraft(dry, count)
