"""Small hand-built Scenes and Recordings for the audio tests: no physics engine needed."""

from __future__ import annotations

import numpy as np

from worldreel.audio import SAMPLE_RATE
from worldreel.recording import CameraTrack, ContactEvent, Recording
from worldreel.scene import Scene

FPS = 24
OVERSAMPLE = 4


def scene(duration: float = 2.0, seed: int = 0, environment: str = "park", **audio) -> Scene:
    return Scene.model_validate({
        "seed": seed, "duration": duration, "fps": FPS,
        "setting": {"environment": environment}, "audio": audio,
    })


def impact(time: float, material_a: str = "leather", material_b: str = "hardwood",
           impulse: float = 1.0, point=(0.0, 0.0, 0.0), size_a: float = 0.12,
           size_b: float = 1.0, speed: float | None = None) -> ContactEvent:
    return ContactEvent(time=time, kind="impact", body_a="ball", body_b="floor",
                        material_a=material_a, material_b=material_b, point=tuple(point),
                        normal=(0.0, 0.0, 1.0), impulse=impulse,
                        speed=speed if speed is not None else 4.0 * impulse,
                        end=time + 0.005, size_a=size_a, size_b=size_b)


def span(time: float, end: float, kind: str = "roll", speed: float = 2.0,
         material_a: str = "leather", material_b: str = "hardwood", force: float = 6.0,
         size_a: float = 0.12) -> ContactEvent:
    return ContactEvent(time=time, kind=kind, body_a="ball", body_b="floor",
                        material_a=material_a, material_b=material_b, point=(0.0, 0.0, 0.0),
                        normal=(0.0, 0.0, 1.0), impulse=force * (end - time), speed=speed,
                        end=end, size_a=size_a, size_b=1.0)


def recording(duration: float, events=(), camera: CameraTrack | None = None,
              ball_velocity=None) -> Recording:
    """One entity, "ball", resting at the origin (or moving with `ball_velocity(t)` m/s)."""
    n = int(round(duration * FPS * OVERSAMPLE)) + 1
    times = np.arange(n) / (FPS * OVERSAMPLE)
    velocities = np.zeros((n, 1, 3))
    if ball_velocity is not None:
        velocities[:, 0] = np.array([ball_velocity(t) for t in times])
    positions = np.zeros((n, 1, 3))
    positions[1:, 0] = np.cumsum(velocities[:-1, 0], axis=0) / (FPS * OVERSAMPLE)
    quats = np.zeros((n, 1, 4))
    quats[..., 0] = 1.0
    return Recording(fps=FPS, oversample=OVERSAMPLE, duration=duration, entity_ids=("ball",),
                     times=times, positions=positions, quaternions=quats, velocities=velocities,
                     events=tuple(events), camera=camera)


def camera(duration: float, position=(0.0, -5.0, 1.5), target=(0.0, 0.0, 0.5),
           cuts: dict | None = None) -> CameraTrack:
    """A static camera; `cuts` maps a time to a new (position, target) from then on."""
    frames = int(round(duration * FPS))
    times = np.arange(frames) / FPS
    positions = np.tile(np.asarray(position, dtype=float), (frames, 1))
    targets = np.tile(np.asarray(target, dtype=float), (frames, 1))
    shot = np.zeros(frames, dtype=int)
    for k, (t, (pos, tgt)) in enumerate(sorted((cuts or {}).items()), start=1):
        after = times >= t - 1e-9
        positions[after] = pos
        targets[after] = tgt
        shot[after] = k
    return CameraTrack(times=times, positions=positions, targets=targets,
                       fovy=np.full(frames, 40.0), shot_index=shot)


def envelope(x: np.ndarray, window_s: float = 0.0002) -> np.ndarray:
    """Energy envelope: RMS over a short centred window, of the mono sum."""
    mono = x.mean(axis=1) if x.ndim == 2 else x
    k = max(1, int(window_s * SAMPLE_RATE))
    power = np.convolve(mono.astype(np.float64) ** 2, np.ones(k) / k, mode="same")
    return np.sqrt(power)


def detect_onset(x: np.ndarray, near: float, before_s: float = 0.01, after_s: float = 0.05,
                 fraction: float = 0.1) -> float:
    """Time (s) where the energy envelope first reaches `fraction` of its local maximum, looking
    from before_s before `near` to after_s after it."""
    env = envelope(x)
    lo = max(0, int((near - before_s) * SAMPLE_RATE))
    hi = min(len(env), int((near + after_s) * SAMPLE_RATE))
    window = env[lo:hi]
    return (lo + int(np.argmax(window >= fraction * window.max()))) / SAMPLE_RATE


def rms_db(x: np.ndarray) -> float:
    return float(20 * np.log10(np.sqrt(np.mean(np.asarray(x, dtype=np.float64) ** 2)) + 1e-20))


def centroid(x: np.ndarray) -> float:
    mono = x.mean(axis=1) if x.ndim == 2 else x
    spectrum = np.abs(np.fft.rfft(mono.astype(np.float64))) ** 2
    freqs = np.fft.rfftfreq(len(mono), 1.0 / SAMPLE_RATE)
    return float(np.sum(freqs * spectrum) / np.sum(spectrum))


def detect_onsets(x: np.ndarray, rise_db: float = 12.0, short_s: float = 0.0003,
                  long_s: float = 0.02, hold_s: float = 0.005) -> np.ndarray:
    """Onset times (s) found blind, from the audio alone: where the energy of the last short_s
    exceeds that of the long_s before it by rise_db. One onset per hold_s."""
    mono = (x.mean(axis=1) if x.ndim == 2 else x).astype(np.float64)
    power = np.concatenate([[0.0], np.cumsum(mono ** 2)])
    s, w = int(short_s * SAMPLE_RATE), int(long_s * SAMPLE_RATE)
    n = np.arange(s + w, len(mono) + 1)
    recent = (power[n] - power[n - s]) / s
    before = (power[n - s] - power[n - s - w]) / w
    ratio = 10 * np.log10((recent + 1e-20) / (before + 1e-20))
    onsets, last = [], -np.inf
    for i in np.flatnonzero(ratio > rise_db):
        t = (n[i] - s) / SAMPLE_RATE  # the short window's start: where the rise began
        if t - last > hold_s:
            onsets.append(t)
            last = t
    return np.array(onsets)
