"""Listen and look: the non-speech vocal sounds (speech.vocal_sounds) as WAVs and spectrograms.

Usage: python benchmarks/vocal_sounds.py [--out /tmp/vocal_sounds] [--seed 0] [--no-png]

Renders laughter (man, woman, child), applause of 1 and 30 people, a cheering crowd of 30, a
murmuring crowd of 10, and a man's shout, gasp, sigh and cough. Writes each as a 16-bit WAV (a
crowd whose peak exceeds full scale is scaled to -1 dBFS for the file; the table says by how
much) and a spectrogram PNG (0-12 kHz, 60 dB range), plus overview.png with all of them.
Prints a table: kind, who, count, seconds, render time, peak and RMS dBFS (before any file
scaling), spectral centroid, and the median F0 of the voiced frames (whitened autocorrelation;
"-" where fewer than 5% of the frames are voiced; "*": pitch found only below 1 kHz, in at least
a quarter of the frames).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from worldreel.rng import generator
from worldreel.speech.spoken import SAMPLE_RATE
from worldreel.speech.vocal_sounds import vocal_sound
from worldreel.speech.voice_source import CHILD, MAN, WOMAN

CASES = (  # file name, kind, who, count
    ("laugh_man", "laugh", "man", 1), ("laugh_woman", "laugh", "woman", 1),
    ("laugh_child", "laugh", "child", 1), ("applause_1", "applause", "man", 1),
    ("applause_30", "applause", "man", 30), ("cheer_30", "cheer", "man", 30),
    ("murmur_10", "murmur", "woman", 10), ("shout", "shout", "man", 1),
    ("gasp", "gasp", "woman", 1), ("sigh", "sigh", "man", 1), ("cough", "cough", "man", 1),
)
WHO = {"man": MAN, "woman": WOMAN, "child": CHILD}


def f0_median(x: np.ndarray, low: float = 60.0, high: float = 1000.0,
              top_hz: float = 4000.0) -> float | None:
    """Median F0 (Hz) of the voiced frames (worldreel.evaluate.pitch)."""
    from worldreel.evaluate.pitch import median_f0

    return median_f0(x, low=low, high=high, top_hz=top_hz)


def centroid(x: np.ndarray) -> float:
    """Power-weighted mean frequency (Hz) of the whole sound."""
    power = np.abs(np.fft.rfft(x)) ** 2
    f = np.fft.rfftfreq(len(x), 1.0 / SAMPLE_RATE)
    return float(np.sum(f * power) / max(np.sum(power), 1e-30))


def db(value: float) -> float:
    return 20.0 * np.log10(max(value, 1e-12))


def spectrogram_png(ax, x: np.ndarray, title: str) -> None:
    from scipy.signal import spectrogram

    f, t, s = spectrogram(x, SAMPLE_RATE, nperseg=1024, noverlap=768, window="hann")
    keep = f <= 12_000
    level = 10 * np.log10(s[keep] + 1e-20)
    top = level.max()
    ax.pcolormesh(t, f[keep] / 1000, level, vmin=top - 60, vmax=top, shading="auto",
                  cmap="magma")
    ax.set_title(title, fontsize=9)
    ax.set_xlabel("s", fontsize=8)
    ax.set_ylabel("kHz", fontsize=8)
    ax.tick_params(labelsize=7)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("/tmp/vocal_sounds"))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-png", action="store_true", help="skip the spectrograms")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    import soundfile

    rows, sounds = [], []
    for name, kind, who, count in CASES:
        started = time.perf_counter()
        spoken = vocal_sound(kind, WHO[who], generator(args.seed, f"bench/{name}"), count=count)
        ms = 1000 * (time.perf_counter() - started)
        x = spoken.samples
        peak = float(np.max(np.abs(x)))
        scale = min(1.0, 10 ** (-1 / 20) / peak) if peak > 1.0 else 1.0
        soundfile.write(args.out / f"{name}.wav", x * scale, SAMPLE_RATE, subtype="PCM_16")
        f0, low_band = f0_median(x), False
        if f0 is None:  # a breathy voice (a sigh) shows its pitch only in its lowest harmonics
            f0, low_band = f0_median(x, top_hz=1000.0, min_share=0.25), True
        rows.append((name, kind, who, count, spoken.seconds, ms, db(peak),
                     db(float(np.sqrt(np.mean(x ** 2)))), centroid(x), f0, low_band, db(scale)))
        sounds.append((name, x))

    print(f"{'file':<13} {'kind':<9} {'who':<6} {'count':>5} {'secs':>5} {'ms':>6} "
          f"{'peak dB':>8} {'RMS dB':>7} {'centroid':>9} {'F0 med':>7} {'file gain':>9}")
    for name, kind, who, count, secs, ms, peak, rms, cen, f0, low_band, gain in rows:
        f0s = (f"{f0:6.0f}" + ("*" if low_band else " ")) if f0 else f"{'-':>7}"
        print(f"{name:<13} {kind:<9} {who:<6} {count:>5} {secs:>5.2f} {ms:>6.0f} {peak:>8.1f} "
              f"{rms:>7.1f} {cen:>8.0f}Hz {f0s} {gain:>8.1f}dB")

    if args.no_png:
        return
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    for name, x in sounds:
        fig, ax = plt.subplots(figsize=(max(4.0, 2.2 * len(x) / SAMPLE_RATE + 1.5), 3.2))
        spectrogram_png(ax, x, name)
        fig.tight_layout()
        fig.savefig(args.out / f"{name}.png", dpi=110)
        plt.close(fig)
    fig, axes = plt.subplots(4, 3, figsize=(13, 11))
    for ax, (name, x) in zip(axes.flat, sounds):
        spectrogram_png(ax, x, name)
    for ax in axes.flat[len(sounds):]:
        ax.axis("off")
    fig.tight_layout()
    fig.savefig(args.out / "overview.png", dpi=90)
    plt.close(fig)
    print(f"wrote {len(sounds)} WAVs and spectrograms to {args.out}")


if __name__ == "__main__":
    main()
