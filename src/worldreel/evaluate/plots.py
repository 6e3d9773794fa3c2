"""PNG plots of a report: audio onsets over the motion curves, and the per-frame metrics.

matplotlib is imported here only, with the Agg backend (no display needed).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from worldreel.evaluate.errors import require
from worldreel.evaluate.report import EvalReport
from worldreel.evaluate.sync import SOUND_EARLY_LIMIT_MS, SOUND_LATE_LIMIT_MS

SYNC_PNG = "sync.png"
LAG_PNG = "lag.png"
FRAMES_PNG = "frames.png"


def _pyplot():
    matplotlib = require("matplotlib", "plots")
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt  # noqa: PLC0415

    return plt


def _envelope(
    audio: np.ndarray, rate_hz: int, points_per_s: int = 1000
) -> tuple[np.ndarray, np.ndarray]:
    """Peak amplitude per 1 ms block: light enough to draw, sharp enough to show each onset."""
    x = np.abs(audio).max(axis=1) if audio.ndim == 2 else np.abs(audio)
    block = max(1, rate_hz // points_per_s)
    n = len(x) // block
    if n == 0:
        return np.zeros(0), np.zeros(0)
    peaks = x[: n * block].reshape(n, block).max(axis=1)
    return (np.arange(n) + 0.5) * block / rate_hz, peaks


def plot_sync(report: EvalReport, audio: np.ndarray | None, rate_hz: int, path: Path) -> Path:
    """Audio envelope with its onsets above the motion-change and motion-energy curves."""
    plt = _pyplot()
    fig, (top, bottom) = plt.subplots(
        2, 1, figsize=(12, 6), sharex=True, gridspec_kw={"height_ratios": [1, 1.4]}
    )
    if audio is not None and len(audio):
        t, env = _envelope(audio, rate_hz)
        top.fill_between(t, env, color="0.55", linewidth=0)
    top.set_ylabel("audio peak\n(full scale)")
    top.set_ylim(bottom=0)
    for onset in report.onsets:
        for ax in (top, bottom):
            ax.axvline(onset.time_s, color="tab:red", linewidth=1.0, alpha=0.8)

    a = report.analysis
    if a is not None:
        bottom.plot(
            a.times_s,
            np.nan_to_num(a.motion_change),
            color="tab:blue",
            linewidth=1.2,
            label="motion change (px/frame per frame x sqrt(area))",
        )
        bottom.set_ylabel("motion change")
        energy_ax = bottom.twinx()
        energy_ax.plot(
            a.times_s,
            np.nan_to_num(a.motion_energy),
            color="tab:green",
            linewidth=1.0,
            alpha=0.7,
            label="motion energy",
        )
        energy_ax.set_ylabel("motion energy\n(px/frame, mean over frame)", color="tab:green")
        curve = np.nan_to_num(a.motion_change)
        # Each source's events: the motion change's on its curve, the others as rows of
        # markers along the top, so what every source saw can be compared with the sounds.
        rows = iter(((0.94, "o", "tab:orange"), (0.86, "s", "tab:purple")))
        sources = report.event_sources or {"visual event": report.visual_events}
        first = next(iter(sources))
        for name, events in sources.items():
            times = [e.time_s for e in events]
            if name == first:
                bottom.plot(times, np.interp(times, a.times_s, curve), "v", color="black",
                            markersize=8, linestyle="none", label=name)
                continue
            height, marker, colour = next(rows)
            bottom.plot(times, [height] * len(times), marker, color=colour, markersize=6,
                        linestyle="none", transform=bottom.get_xaxis_transform(), label=name)
        bottom.plot([], [], color="tab:red", label="audio onset")
        bottom.plot([], [], color="tab:green", label="motion energy (right axis)")
        bottom.legend(
            loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=3, fontsize=8, frameon=False
        )
    if report.sync is not None:
        # Offsets above each paired sound, in the audio panel where nothing else is drawn.
        for pair in report.sync.pairs:
            if pair.offset_ms is not None:
                top.annotate(
                    f"{pair.offset_ms:+.0f} ms",
                    (pair.audio_time_s, 0.92),
                    xycoords=top.get_xaxis_transform(),
                    xytext=(4, 0),
                    textcoords="offset points",
                    ha="left",
                    fontsize=8,
                    color="tab:purple",
                )
    bottom.set_xlabel("clip time (s)", labelpad=2)
    fig.suptitle(_sync_title(report), fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _sync_title(report: EvalReport) -> str:
    sync = report.sync
    if sync is None or sync.median_offset_ms is None:
        return "A/V sync: no visual event paired with a sound"
    verdict = "in sync" if sync.in_sync else "OUT OF SYNC"
    return (
        f"A/V sync from the MP4: median {sync.median_offset_ms:+.1f} ms, worst "
        f"{sync.worst_offset_ms:+.1f} ms, {sync.matched} pairs ({verdict}; + = sound late)"
    )


def plot_lag(report: EvalReport, path: Path) -> Path:
    """The correlation of the picture's motion stops with the sound over lag, with the offset
    measured and its interval: why the answer is what it is (or why there is none)."""
    plt = _pyplot()
    found = report.stop_sync
    curve = found.curve
    fig, ax = plt.subplots(figsize=(10, 3.6))
    ax.plot(1000.0 * curve.lags_s, curve.correlation, color="tab:blue",
            label="correlation: speed drops (weighted cells) vs onset strength")
    ax.axvspan(-SOUND_EARLY_LIMIT_MS, SOUND_LATE_LIMIT_MS, color="tab:green", alpha=0.08,
               label="ITU-R BT.1359 window")
    result = report.sync
    if result is not None and result.median_offset_ms is not None:
        ax.axvline(result.median_offset_ms, color="tab:red",
                   label=f"offset {result.median_offset_ms:+.0f} ms ({result.source})")
        if result.interval_ms is not None:
            ax.axvspan(*result.interval_ms, color="tab:red", alpha=0.15, label="95% interval")
        title = f"A/V offset {result.median_offset_ms:+.0f} ms (+ = sound late)"
    else:
        title = f"A/V offset: no verdict ({found.reason or 'the timings disagree'})"
    ax.set_xlabel("lag: sound time minus picture time (ms)")
    ax.set_ylabel("correlation")
    ax.set_title(title, fontsize=10)
    ax.legend(fontsize=8, loc="upper left")
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def plot_frames(report: EvalReport, path: Path) -> Path:
    """Per-frame metrics, one panel each, cuts marked."""
    plt = _pyplot()
    a = report.analysis
    panels = [
        ("sharpness\n(var. Laplacian)", [(a.sharpness, "tab:blue", "sharpness")]),
        (
            "exposure",
            [
                (a.mean_luma, "tab:orange", "mean luma (0-1)"),
                (a.clipped_high, "tab:red", "clipped high (fraction)"),
                (a.clipped_low, "tab:purple", "clipped low (fraction)"),
            ],
        ),
        (
            "frame diff.\n(8-bit levels)",
            [
                (a.mad_levels, "tab:gray", "all pairs"),
                (np.where(a.static, a.mad_levels, np.nan), "tab:blue", "static camera (flicker)"),
            ],
        ),
        ("interpolation\nerror (levels)", [(a.interp_error, "tab:green", "smoothness error")]),
        (
            "similarity",
            [(a.background_similarity, "tab:brown", "background vs shot start")]
            + [
                (_track_series(a, track), None, f"subject {track.id}")
                for track in sorted(a.tracks, key=lambda t: -t.length)[:3]
                if track.length >= 3
            ],
        ),
    ]
    fig, axes = plt.subplots(len(panels), 1, figsize=(12, 2.0 * len(panels)), sharex=True)
    for ax, (ylabel, lines) in zip(axes, panels):
        for values, colour, label in lines:
            ax.plot(
                a.times_s,
                values,
                color=colour,
                linewidth=1.2,
                label=label,
                marker="." if len(a.times_s) < 200 else None,
                markersize=3,
            )
        ax.set_ylabel(ylabel, fontsize=9)
        ax.grid(alpha=0.3)
        ax.legend(loc="upper right", fontsize=7)
        for cut_time in a.times_s[a.cut]:
            ax.axvline(cut_time, color="black", linestyle="--", linewidth=1)
    axes[-1].set_xlabel("clip time (s)")
    p = report.picture
    title = "per-frame metrics"
    if p is not None:
        title += (
            f": flicker {_score(p.flicker_score)}, smoothness {_score(p.smoothness_score)}, "
            f"subject consistency {_score(p.subject.score)}"
        )
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path


def _score(value: float | None) -> str:
    return "-" if value is None else f"{value:.4f}"


def _track_series(analysis, track) -> np.ndarray:
    series = np.full(analysis.frame_count, np.nan)
    series[track.first_frame] = 1.0
    series[np.asarray(track.frames, dtype=int)] = track.similarities
    return series


def write_plots(
    report: EvalReport, audio: np.ndarray | None, rate_hz: int, directory: str | Path
) -> list[Path]:
    """Write sync.png and (when the video was analysed) frames.png into `directory`."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    paths = [plot_sync(report, audio, rate_hz, directory / SYNC_PNG)]
    if report.stop_sync is not None and report.stop_sync.curve is not None:
        paths.append(plot_lag(report, directory / LAG_PNG))
    if report.analysis is not None:
        paths.append(plot_frames(report, directory / FRAMES_PNG))
    return paths
