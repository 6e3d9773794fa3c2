"""Listen and look: every animal call (speech.animal_calls), the horn and bell
(speech.device_sounds), two car crunches (audio.crunch), a vehicle drive-by and a pass-by
(audio.vehicles) as WAVs and a spectrogram sheet.

Usage: python benchmarks/animal_sounds.py [out/]   (default /tmp/animal_sounds)

Writes <case>.wav (16-bit, 48 kHz) for each case and sheet.png (one spectrogram per case,
0-12 kHz). Prints a table: case, kind, seconds, render time, F0 (a harmonic sieve over the
whole sound's spectrum, searched from 0.6x the call's lowest table F0 to 1.5x its highest for
this animal's size; "-" for unvoiced sounds), peak dBFS, and integrated loudness (LUFS, ITU-R
BS.1770 through audio.master; "nan" under 0.4 s) of the file as written.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from scipy.io import wavfile

from worldreel.audio.master import integrated_loudness
from worldreel.evaluate.pitch import harmonic_f0
from worldreel.recording import VehicleTrack
from worldreel.rng import generator
from worldreel.speech.animal_calls import AnimalTraits
from worldreel.speech.spoken import SAMPLE_RATE
from worldreel.speech.vocal_sounds import MAN, vocal_sound

CASES = (  # name, kind, species, breed, size
    ("bark_chihuahua", "bark", "dog", "chihuahua", 1.0),
    ("bark_labrador", "bark", "dog", "labrador", 1.0),
    ("bark_mastiff", "bark", "dog", "mastiff", 1.0),
    ("barking_beagle", "barking", "dog", "beagle", 1.0),
    ("growl_german_shepherd", "growl", "dog", "german_shepherd", 1.0),
    ("whine_husky", "whine", "dog", "husky", 1.0),
    ("yelp_corgi", "yelp", "dog", "corgi", 1.0),
    ("howl_husky", "howl", "dog", "husky", 1.0),
    ("meow", "meow", "cat", None, 1.0), ("meow_kitten", "meow", "cat", None, 0.6),
    ("purr", "purr", "cat", None, 1.0), ("hiss", "hiss", "cat", None, 1.0),
    ("cat_growl", "growl", "cat", None, 1.0),
    ("moo", "moo", "cow", None, 1.0), ("moo_calf", "moo", "cow", None, 0.55),
    ("neigh", "neigh", "horse", None, 1.0), ("snort", "snort", "horse", None, 1.0),
    ("baa", "baa", "sheep", None, 1.0), ("roar", "roar", "bear", None, 1.0),
    ("bear_growl", "growl", "bear", None, 1.0), ("trumpet", "trumpet", "elephant", None, 1.0),
    ("coo", "coo", "pigeon", None, 1.0), ("chirp", "chirp", "sparrow", None, 1.0),
    ("horn", "horn", None, None, 1.0), ("bell", "bell", None, None, 1.0),
)


def search_range(kind: str, traits) -> tuple[float, float] | None:
    """Where to look for this call's F0: its table's F0 range for this animal, widened."""
    from worldreel.speech.animal_calls import _table  # noqa: PLC0415

    if not isinstance(traits, AnimalTraits):
        return (300.0, 700.0) if kind == "horn" else None
    entry = _table()[traits.species]["calls"][kind]
    if "hiss" in entry or entry.get("pulsed") or not any(v for _, v in entry.get("voicing", [])):
        return None
    hz = [v * traits.f0_factor for _, v in entry["f0"]]
    return 0.6 * min(hz), 1.5 * max(hz)


def drive_by(seconds: float = 6.0) -> np.ndarray:
    """A car accelerating through 1st and 2nd gear and braking to a stop, at 1 m."""
    from worldreel.audio.vehicles import vehicle_sound  # noqa: PLC0415

    rate = 96.0
    t = np.arange(int(seconds * rate) + 1) / rate
    speed = np.interp(t, [0, 0.5, 3.5, 4.5, 5.5, 6.0], [0, 0, 16, 16, 0, 0])
    gear = np.where(speed < 7.0, 1, 2) * (t > 0.4)
    rpm = np.where(gear == 0, 850.0, np.maximum(850.0, speed * np.where(gear == 1, 420, 230)))
    throttle = np.where((t > 0.5) & (t < 3.5), 0.8, 0.1)
    brake = np.where(t > 4.5, 0.8, 0.0)
    track = VehicleTrack("car", speed, rpm, gear, throttle, brake)
    return vehicle_sound(track, rate, int(seconds * SAMPLE_RATE), generator(0, "bench.car"))


def crunch(speed: float) -> np.ndarray:
    """Two car bodies colliding at `speed` m/s (audio.crunch)."""
    from worldreel.audio.crunch import crunch_sound  # noqa: PLC0415
    from worldreel.recording import ContactEvent  # noqa: PLC0415

    event = ContactEvent(time=0.0, kind="impact", body_a="car", body_b="van",
                         material_a="car_body", material_b="car_body", point=(0.0, 0.0, 0.5),
                         normal=(1.0, 0.0, 0.0), impulse=1400.0 * speed, speed=speed,
                         end=0.1, size_a=1.5, size_b=1.5)
    return crunch_sound(event, generator(0, f"bench.crunch.{speed}"), 2 * SAMPLE_RATE)


def pass_by(seconds: float = 6.0) -> np.ndarray:
    """(n, 2): a car at 20 m/s, 3000 rpm in 3rd, passing 8 m in front of a roadside camera at
    t = 3 s (audio.vehicles.render_vehicles: distance, pan and the Doppler drop)."""
    from worldreel.audio.vehicles import render_vehicles  # noqa: PLC0415
    from worldreel.recording import CameraTrack, Recording  # noqa: PLC0415

    fps, over = 24, 4
    times = np.arange(int(seconds * fps * over) + 1) / (fps * over)
    n = len(times)
    positions = np.zeros((n, 1, 3))
    positions[:, 0, 0] = -60.0 + 20.0 * times
    positions[:, 0, 2] = 0.6
    velocities = np.zeros((n, 1, 3))
    velocities[:, 0, 0] = 20.0
    quats = np.tile([1.0, 0.0, 0.0, 0.0], (n, 1, 1))
    frames = int(seconds * fps)
    camera = CameraTrack(times=np.arange(frames) / fps,
                         positions=np.tile([0.0, -8.0, 1.5], (frames, 1)),
                         targets=np.tile([0.0, 0.0, 0.5], (frames, 1)),
                         fovy=np.full(frames, 50.0), shot_index=np.zeros(frames, int))
    ones = np.ones(n)
    drive = VehicleTrack("car", 20.0 * ones, 3000.0 * ones, 3 * ones.astype(int), 0.4 * ones,
                         0.0 * ones)
    record = Recording(fps=fps, oversample=over, duration=seconds, entity_ids=("car",),
                       times=times, positions=positions, quaternions=quats,
                       velocities=velocities, camera=camera, vehicles=(drive,))
    return render_vehicles(record, 0, int(seconds * SAMPLE_RATE)).dry


def main(out: Path) -> None:
    import matplotlib  # noqa: PLC0415

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt  # noqa: PLC0415

    out.mkdir(parents=True, exist_ok=True)
    rows, sounds = [], []
    for name, kind, species, breed, size in CASES:
        traits = MAN if species is None else AnimalTraits(species, size, breed)
        began = time.perf_counter()
        spoken = vocal_sound(kind, traits, generator(0, f"bench.{name}"))
        rows.append((name, kind, spoken.samples, time.perf_counter() - began,
                     search_range(kind, traits)))
    for speed in (2.0, 8.0):
        began = time.perf_counter()
        hit = crunch(speed)
        rows.append((f"crunch_{speed:g}m_s", "crunch", hit / np.abs(hit).max() * 0.7,
                     time.perf_counter() - began, None))
    began = time.perf_counter()
    car = drive_by()
    rows.append(("drive_by", "engine", car / max(np.abs(car).max(), 1e-9) * 0.7,
                 time.perf_counter() - began, None))
    print(f"{'case':24s} {'kind':8s} {'s':>5s} {'ms':>6s} {'F0 Hz':>7s} {'peak':>6s} {'LUFS':>6s}")
    for name, kind, samples, took, where in rows:
        x = np.asarray(samples, float)
        f0 = harmonic_f0(x, *where) if where else None
        pcm = np.int16(np.clip(x, -1, 1) * 32767)
        wavfile.write(out / f"{name}.wav", SAMPLE_RATE, pcm)
        lufs = integrated_loudness(np.stack([x, x], axis=1)) if len(x) > 0.4 * SAMPLE_RATE \
            else float("nan")
        peak = 20 * np.log10(max(np.abs(x).max(), 1e-12))
        print(f"{name:24s} {kind:8s} {len(x) / SAMPLE_RATE:5.2f} {took * 1e3:6.0f} "
              f"{(f'{f0:.0f}' if f0 else '-'):>7s} {peak:6.1f} {lufs:6.1f}")
        sounds.append((name, x))
    cols = 4
    rows_n = -(-len(sounds) // cols)
    fig, axes = plt.subplots(rows_n, cols, figsize=(4 * cols, 2.4 * rows_n))
    for ax, (name, x) in zip(axes.flat, sounds):
        ax.specgram(x + 1e-9, NFFT=1024, Fs=SAMPLE_RATE, noverlap=768, cmap="magma",
                    vmin=-150, vmax=-30)
        ax.set_ylim(0, 12_000)
        ax.set_title(name, fontsize=9)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[len(sounds):]:
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(out / "sheet.png", dpi=80)
    stereo = pass_by()
    stereo = stereo / np.abs(stereo).max() * 0.7
    wavfile.write(out / "pass_by.wav", SAMPLE_RATE, np.int16(stereo * 32767))
    print(f"wrote {len(sounds) + 1} WAVs (pass_by.wav: stereo, Doppler) and sheet.png to {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/animal_sounds"))
