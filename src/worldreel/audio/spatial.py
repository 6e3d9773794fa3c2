"""Placing a mono sound in the stereo picture of the camera that is live when it plays.

Per video frame we take the active camera (so a cut moves the sound with the picture), and from
the source's position relative to it: an equal-power pan from its azimuth, a 1/r level, and an
air-absorption high shelf that darkens far sounds. Values are interpolated per sample; at a cut
they switch over CUT_RAMP_S so the jump does not click. No propagation delay is applied: film
sound is laid in sync with the action it belongs to. A moving source is Doppler shifted: the
signal is read through a delay that grows with the source's distance *from where it started*
(so the onset stays on its sample) at the speed of sound; only the source's own motion counts,
since camera moves and cuts are not movements of a listener.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import lfilter

from worldreel.audio.clock import SAMPLE_RATE
from worldreel.recording import CameraTrack

REFERENCE_DISTANCE_M = 1.0  # sounds are rendered at the level heard this far away
MIN_DISTANCE_M = 0.5  # closer than this the point-source 1/r law overstates the level
MAX_DISTANCE_M = 300.0
# Air absorption (ISO 9613-1, 20 C, 50 % RH) is ~0.03 dB/m at 4 kHz and ~0.1 dB/m at 8 kHz; we
# shelve everything above AIR_SPLIT_HZ by AIR_DB_PER_M, a little more than the air alone, as
# distant sources also lose their direct high end to obstacles and ground.
AIR_SPLIT_HZ = 2_000.0
AIR_DB_PER_M = 0.25
MAX_AIR_LOSS_DB = 30.0
CUT_RAMP_S = 0.003
CENTRE_GAIN = float(np.sqrt(0.5))  # equal-power pan law at the centre
SPEED_OF_SOUND_M_S = 343.0  # dry air at 20 C
DOPPLER_MIN_SPEED_M_S = 0.5  # slower sources shift pitch by < 0.15 %: not worth resampling


@dataclass(frozen=True)
class SourcePath:
    """Where a sound comes from over time: positions (K, 3) at times (K,), K >= 1."""

    times: np.ndarray
    positions: np.ndarray

    @classmethod
    def fixed(cls, point) -> SourcePath:
        return cls(np.zeros(1), np.asarray(point, dtype=float).reshape(1, 3))

    def at(self, t: np.ndarray) -> np.ndarray:
        """(len(t), 3) positions, held at the ends."""
        if len(self.times) == 1:
            return np.repeat(self.positions, len(t), axis=0)
        return np.stack([np.interp(t, self.times, self.positions[:, k]) for k in range(3)], axis=1)


def pan_gains(azimuth: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Equal-power (left, right) gains for azimuths in radians, positive to the camera's right.

    Sources behind the camera are folded to the front (a stereo pair cannot place them behind).
    """
    pan = np.clip(np.sin(azimuth), -1.0, 1.0)
    angle = (pan + 1.0) * np.pi / 4.0
    return np.cos(angle), np.sin(angle)


def camera_view(camera: CameraTrack, t: np.ndarray, points: np.ndarray
                ) -> tuple[np.ndarray, np.ndarray]:
    """(azimuth radians, distance metres) of `points` seen from the camera live at times `t`."""
    frame = np.clip(np.searchsorted(camera.times, t, side="right") - 1, 0, len(camera.times) - 1)
    eye = camera.positions[frame]
    forward = camera.targets[frame] - eye
    forward /= np.maximum(np.linalg.norm(forward, axis=1, keepdims=True), 1e-9)
    right = np.cross(forward, np.array([0.0, 0.0, 1.0]))
    norm = np.linalg.norm(right, axis=1, keepdims=True)
    # Looking straight down: take the world x axis as "right".
    right = np.where(norm > 1e-6, right / np.maximum(norm, 1e-9), np.array([1.0, 0.0, 0.0]))
    rel = points - eye
    distance = np.linalg.norm(rel, axis=1)
    azimuth = np.arctan2(np.einsum("ij,ij->i", rel, right), np.einsum("ij,ij->i", rel, forward))
    return azimuth, distance


def _knots(camera: CameraTrack, start_t: float, end_t: float) -> np.ndarray:
    """Times at which the placement is evaluated: every frame in the span, and just before cuts."""
    times = camera.times
    inside = times[(times > start_t) & (times < end_t)]
    cuts = times[camera.cut_frames] if len(camera.cut_frames) else np.zeros(0)
    before_cuts = cuts[(cuts > start_t) & (cuts < end_t)] - CUT_RAMP_S
    before_cuts = before_cuts[before_cuts > start_t]
    return np.unique(np.concatenate([[start_t], inside, before_cuts, [end_t]]))


def _knot_views(camera: CameraTrack, knots: np.ndarray, path: SourcePath
                ) -> tuple[np.ndarray, np.ndarray]:
    """Views at knots; a knot just before a cut keeps the previous camera."""
    cuts = camera.times[camera.cut_frames] if len(camera.cut_frames) else np.zeros(0)
    # Look up the camera slightly earlier for the pre-cut knots so they see the outgoing shot.
    lookup = knots.copy()
    for cut in cuts:
        pre = np.isclose(knots, cut - CUT_RAMP_S)
        lookup[pre] = cut - 2 * CUT_RAMP_S
    return camera_view(camera, lookup, path.at(knots))


def radial_speed(path: SourcePath, camera: CameraTrack, knots: np.ndarray) -> np.ndarray:
    """Speed (m/s) at which the source moves away from the live camera, at each knot."""
    if len(path.times) < 2:
        return np.zeros(len(knots))
    h = 0.0005  # s: a centred difference of the path over one millisecond
    velocity = (path.at(knots + h) - path.at(knots - h)) / (2 * h)
    frame = np.clip(np.searchsorted(camera.times, knots, side="right") - 1, 0,
                    len(camera.times) - 1)
    away = path.at(knots) - camera.positions[frame]
    away /= np.maximum(np.linalg.norm(away, axis=1, keepdims=True), 1e-9)
    return np.einsum("ij,ij->i", velocity, away)


def doppler_shifted(mono: np.ndarray, t: np.ndarray, knots: np.ndarray, path: SourcePath,
                    camera: CameraTrack) -> np.ndarray:
    """`mono` as heard from the camera while its source moves (unchanged for still sources)."""
    speed = radial_speed(path, camera, knots)
    if len(mono) < 2 or np.abs(speed).max(initial=0.0) < DOPPLER_MIN_SPEED_M_S:
        return mono
    # Extra delay, in samples, accumulated since the onset: d(t) - d(t0) over c.
    rate = np.interp(t, knots, speed) / SPEED_OF_SOUND_M_S
    delay = np.concatenate([[0.0], np.cumsum(rate[:-1])])
    index = np.arange(len(mono)) - delay
    return np.interp(index, np.arange(len(mono)), mono, left=0.0, right=0.0)


def place(mono: np.ndarray, start: int, path: SourcePath, camera: CameraTrack | None
          ) -> np.ndarray:
    """Stereo (len, 2) float64 rendering of `mono`, which starts at sample `start`."""
    n = len(mono)
    out = np.empty((n, 2))
    if camera is None or len(camera.times) == 0:
        out[:, 0] = mono * CENTRE_GAIN
        out[:, 1] = mono * CENTRE_GAIN
        return out
    start_t = start / SAMPLE_RATE
    end_t = (start + max(n - 1, 0)) / SAMPLE_RATE
    knots = _knots(camera, start_t, end_t)
    azimuth, distance = _knot_views(camera, knots, path)
    distance = np.clip(distance, MIN_DISTANCE_M, MAX_DISTANCE_M)
    left, right = pan_gains(azimuth)
    level = REFERENCE_DISTANCE_M / distance
    air_db = np.minimum(AIR_DB_PER_M * distance, MAX_AIR_LOSS_DB)
    high = 10.0 ** (-air_db / 20.0)

    t = start_t + np.arange(n) / SAMPLE_RATE
    mono = doppler_shifted(mono, t, knots, path, camera)
    high_t = np.interp(t, knots, high)
    # Complementary split: low + high == mono exactly when the shelf gain is 1.
    pole = np.exp(-2.0 * np.pi * AIR_SPLIT_HZ / SAMPLE_RATE)
    low = lfilter([1.0 - pole], [1.0, -pole], mono)
    shelved = low + high_t * (mono - low)
    out[:, 0] = shelved * np.interp(t, knots, left * level)
    out[:, 1] = shelved * np.interp(t, knots, right * level)
    return out
