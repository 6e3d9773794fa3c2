"""EvalReport: every measurement of one clip, as JSON-ready data and as a rich table."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from worldreel.evaluate.audio_onsets import Onset
from worldreel.evaluate.av_offset import MotionSync
from worldreel.evaluate.learned_sync import LearnedSync
from worldreel.evaluate.consistency import ConsistencyResult, subject_consistency
from worldreel.evaluate.flicker import FLICKER_OK_SCORE, flicker_score
from worldreel.evaluate.identity import IdentityResult
from worldreel.evaluate.loudness import LoudnessResult
from worldreel.evaluate.motion import VisualEvent
from worldreel.evaluate.physics_report import PhysicsReport
from worldreel.evaluate.smoothness import smoothness_score
from worldreel.evaluate.sync import (
    MIN_AGREEING_PAIRS,
    SyncResult,
    outside_window,
)
from worldreel.evaluate.video_pass import VideoAnalysis
from worldreel.media.reader import MediaInfo

SMOOTHNESS_OK_SCORE = 0.98  # VBench scale: interpolation error under ~5 levels
CONSISTENCY_OK_SCORE = 0.8  # whole-frame colour similarity to the shot's first frame (clean: ~0.99)
EXPOSURE_LUMA_RANGE = (0.08, 0.92)  # mean luma outside this is under- or over-exposed
CLIPPED_OK_FRACTION = 0.02  # mean fraction of blown-out or crushed pixels
SHARPNESS_DROP = 0.5  # a frame under this fraction of the median sharpness is a blur frame


@dataclass(frozen=True)
class PictureSummary:
    """Clip-level picture metrics reduced from the per-frame series."""

    flicker_score: float | None
    static_pairs: int  # consecutive-frame pairs with a still camera (where flicker is measured)
    smoothness_score: float | None
    worst_interpolation_frame: int | None
    subject: ConsistencyResult
    background_consistency: float | None
    sharpness_median: float | None
    blur_frames: int
    mean_luma: float | None
    clipped_high_fraction: float | None
    clipped_low_fraction: float | None
    cuts: int

    def to_dict(self) -> dict:
        def r(v, d=4):
            return None if v is None else round(float(v), d)

        return {
            "flicker_score": r(self.flicker_score),
            "static_pairs": self.static_pairs,
            "smoothness_score": r(self.smoothness_score),
            "worst_interpolation_frame": self.worst_interpolation_frame,
            "subject_consistency": r(self.subject.score),
            "subject_consistency_worst": r(self.subject.worst),
            "subjects_tracked": self.subject.tracks,
            "background_consistency": r(self.background_consistency),
            "sharpness_median": r(self.sharpness_median, 2),
            "blur_frames": self.blur_frames,
            "mean_luma": r(self.mean_luma),
            "clipped_high_fraction": r(self.clipped_high_fraction),
            "clipped_low_fraction": r(self.clipped_low_fraction),
            "cuts": self.cuts,
        }


def _finite_mean(values: np.ndarray) -> float | None:
    values = values[np.isfinite(values)]
    return float(values.mean()) if len(values) else None


def picture_summary(analysis: VideoAnalysis) -> PictureSummary:
    static_mad = analysis.mad_levels[analysis.static]
    interp = analysis.interp_error
    sharp = analysis.sharpness[np.isfinite(analysis.sharpness)]
    median_sharp = float(np.median(sharp)) if len(sharp) else None
    return PictureSummary(
        flicker_score=flicker_score(static_mad),
        static_pairs=int(np.sum(np.isfinite(static_mad))),
        smoothness_score=smoothness_score(interp),
        worst_interpolation_frame=int(np.nanargmax(interp))
        if np.any(np.isfinite(interp))
        else None,
        subject=subject_consistency(analysis.tracks),
        background_consistency=_finite_mean(analysis.background_similarity),
        sharpness_median=median_sharp,
        blur_frames=int(np.sum(sharp < SHARPNESS_DROP * median_sharp)) if median_sharp else 0,
        mean_luma=_finite_mean(analysis.mean_luma),
        clipped_high_fraction=_finite_mean(analysis.clipped_high),
        clipped_low_fraction=_finite_mean(analysis.clipped_low),
        cuts=int(np.sum(analysis.cut)),
    )


@dataclass
class EvalReport:
    """Everything measured on one clip. Sections that could not be measured are None, with the
    reason in `notes`."""

    path: str
    media: MediaInfo
    picture: PictureSummary | None = None
    sync: SyncResult | None = None  # from the MP4 alone
    # The motion-stop timing behind it (evaluate.av_offset), with its correlation over lag.
    stop_sync: MotionSync | None = None
    # A learned sync model's score (evaluate.learned_sync), when one was given.
    learned_sync: LearnedSync | None = None
    event_sync: SyncResult | None = None  # against the events sidecar
    loudness: LoudnessResult | None = None
    physics: PhysicsReport | None = None
    identity: IdentityResult | None = None
    visual_events: list[VisualEvent] = field(default_factory=list)
    # Every source's picture events (evaluate.picture_event_sources), for pairing across clips.
    event_sources: dict[str, list[VisualEvent]] = field(default_factory=dict)
    onsets: list[Onset] = field(default_factory=list)
    analysis: VideoAnalysis | None = None
    plots: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    wall_s: float = 0.0

    @property
    def duration_s(self) -> float:
        """The analysed span: up to the end of the last frame."""
        if self.analysis is None or not len(self.analysis.times_s):
            return self.media.duration_s
        return float(self.analysis.times_s[-1]) + 1.0 / self.analysis.fps

    @property
    def in_sync(self) -> bool | None:
        """The sidecar's verdict when there is one (exact event times), else the MP4's."""
        for result in (self.event_sync, self.sync):
            if result is not None and result.in_sync is not None:
                return result.in_sync
        return None

    def to_dict(self) -> dict:
        """JSON-ready: plain dicts, lists, numbers, strings, booleans and None."""
        return {
            "path": self.path,
            "media": self.media.to_dict(),
            "picture": None if self.picture is None else self.picture.to_dict(),
            "sync": None if self.sync is None else self.sync.to_dict(),
            "event_sync": None if self.event_sync is None else self.event_sync.to_dict(),
            "stop_sync": None if self.stop_sync is None else self.stop_sync.to_dict(),
            "learned_sync": None if self.learned_sync is None else self.learned_sync.to_dict(),
            "loudness": None if self.loudness is None else self.loudness.to_dict(),
            "physics": None if self.physics is None else self.physics.to_dict(),
            "identity": None if self.identity is None else self.identity.to_dict(),
            "visual_events": [
                {"time_s": round(e.time_s, 5), "frame": e.frame, "strength": round(e.strength, 3)}
                for e in self.visual_events
            ],
            "onsets": [
                {"time_s": round(o.time_s, 5), "strength": round(o.strength, 5)}
                for o in self.onsets
            ],
            "frames": _series_dict(self.analysis),
            "plots": self.plots,
            "notes": self.notes,
            "wall_s": round(self.wall_s, 3),
        }

    def rows(self) -> list[tuple[str, str, str]]:
        """(metric, value, verdict) rows of the summary table."""
        return _rows(self)

    def table(self):
        """A rich Table of the summary."""
        return rows_table(f"worldreel eval: {self.path}", self.rows())

    def render_table(self, console=None) -> None:
        """Print the summary table (and the notes) to a rich Console."""
        if console is None:
            from rich.console import Console  # noqa: PLC0415

            console = Console()
        console.print(self.table())
        for note in self.notes:
            console.print(f"[dim]note: {note}[/dim]")


def rows_table(title: str, rows: list[tuple[str, str, str]]):
    """A rich Table of (metric, value, verdict) rows, verdicts coloured by their first word."""
    from rich.table import Table  # noqa: PLC0415

    table = Table(title=title, title_justify="left")
    table.add_column("metric")
    table.add_column("value", overflow="fold")
    table.add_column("verdict")
    styles = {"ok": "green", "FAIL": "bold red", "warn": "yellow"}
    for metric, value, verdict in rows:
        style = styles.get(verdict.split(" ")[0], "dim")
        table.add_row(metric, value, f"[{style}]{verdict}[/{style}]" if verdict else "")
    return table


def _series_dict(analysis: VideoAnalysis | None) -> dict | None:
    if analysis is None:
        return None
    names = (
        "times_s",
        "sharpness",
        "mean_luma",
        "clipped_high",
        "clipped_low",
        "mad_levels",
        "camera_px",
        "motion_energy",
        "motion_change",
        "interp_error",
        "background_similarity",
    )

    def clean(values: np.ndarray) -> list:
        return [None if not np.isfinite(v) else round(float(v), 5) for v in values]

    data = {name: clean(getattr(analysis, name)) for name in names}
    data["static"] = [bool(v) for v in analysis.static]
    data["cut"] = [bool(v) for v in analysis.cut]
    return data


def percent(probability: float) -> str:
    """A probability as a percentage with two significant figures: 0.0031 -> '0.31%'."""
    value = 100.0 * probability
    return f"{value:.0f}%" if value >= 10.0 else f"{value:.2g}%"


def _verdict(ok: bool | None, fail_word: str = "FAIL") -> str:
    if ok is None:
        return "n/a"
    return "ok" if ok else fail_word


def _fmt(value: float | None, pattern: str, missing: str = "-") -> str:
    return missing if value is None else pattern.format(value)


def _sync_rows(name: str, sync: SyncResult | None) -> list[tuple[str, str, str]]:
    if sync is None:
        return []
    if sync.insufficient_evidence:
        return [
            (
                name,
                (
                    f"insufficient evidence: of {len(sync.pairs)} motion events and "
                    f"{sync.unpaired_onsets} sounds, fewer than {MIN_AGREEING_PAIRS} distinct "
                    "pairs agree beyond chance"
                ),
                "n/a",
            )
        ]
    if sync.matched == 0:
        return [(name, f"no pairs ({len(sync.pairs)} events)", "n/a")]
    value = (
        f"median {sync.median_offset_ms:+.1f} ms, worst {sync.worst_offset_ms:+.1f} ms "
        f"({sync.matched}/{len(sync.pairs)} paired"
        + ("" if sync.chance is None else f", chance {percent(sync.chance)}")
        + ")"
        + (
            ""
            if sync.interval_ms is None
            else f"; 95% interval {sync.interval_ms[0]:+.0f} to {sync.interval_ms[1]:+.0f} ms"
        )
    )
    verdict = _verdict(sync.in_sync, outside_window(sync.median_offset_ms))
    return [(name, value, verdict)]


def _rows(report: EvalReport) -> list[tuple[str, str, str]]:
    m = report.media
    rows = [
        (
            "clip",
            f"{m.width}x{m.height} @ {m.fps:.3g} fps, {m.duration_s:.2f} s, "
            f"{'audio' if m.has_audio else 'no audio'}"
            if m.has_video
            else "no video",
            "",
        )
    ]
    rows += _sync_rows("A/V sync (from MP4)", report.sync)
    rows += _sync_rows("A/V sync (events sidecar)", report.event_sync)
    if report.learned_sync is not None:
        rows += report.learned_sync.rows()
    p = report.picture
    if p is not None:
        rows.append(
            (
                "temporal flicker (static camera)",
                _fmt(p.flicker_score, "{:.4f}") + f" over {p.static_pairs} pairs",
                _verdict(None if p.flicker_score is None else p.flicker_score >= FLICKER_OK_SCORE),
            )
        )
        worst = (
            ""
            if p.worst_interpolation_frame is None
            else f", worst frame {p.worst_interpolation_frame}"
        )
        rows.append(
            (
                "motion smoothness",
                _fmt(p.smoothness_score, "{:.4f}") + worst,
                _verdict(
                    None
                    if p.smoothness_score is None
                    else p.smoothness_score >= SMOOTHNESS_OK_SCORE
                ),
            )
        )
        rows.append(
            (
                "subject consistency",
                _fmt(p.subject.score, "{:.3f}")
                + f" ({p.subject.tracks} tracked, worst "
                + _fmt(p.subject.worst, "{:.2f}")
                + ")",
                # No verdict: colour histograms of flow regions score clean clips anywhere from
                # 0.2 to 1.0 (a ball rolling into shadow, a region merged with its halo), so a
                # threshold would cry wolf on half of them. The score is for comparing clips.
                "",
            )
        )
        rows.append(
            (
                "background consistency",
                _fmt(p.background_consistency, "{:.3f}"),
                _verdict(
                    None
                    if p.background_consistency is None
                    else p.background_consistency >= CONSISTENCY_OK_SCORE,
                    "warn",
                ),
            )
        )
        rows.append(
            (
                "sharpness (var. of Laplacian)",
                _fmt(p.sharpness_median, "{:.1f}") + f" median, {p.blur_frames} blur frames",
                _verdict(p.blur_frames == 0, "warn"),
            )
        )
        exposed = (
            p.mean_luma is not None
            and EXPOSURE_LUMA_RANGE[0] <= p.mean_luma <= EXPOSURE_LUMA_RANGE[1]
            and (p.clipped_high_fraction or 0) <= CLIPPED_OK_FRACTION
            and (p.clipped_low_fraction or 0) <= CLIPPED_OK_FRACTION
        )
        rows.append(
            (
                "exposure",
                f"mean luma {_fmt(p.mean_luma, '{:.2f}')}, clipped "
                f"{100 * (p.clipped_high_fraction or 0):.2f}% high / "
                f"{100 * (p.clipped_low_fraction or 0):.2f}% low",
                _verdict(exposed, "warn"),
            )
        )
        if p.cuts:
            rows.append(("cuts", str(p.cuts), ""))
    if report.loudness is not None:
        loud = report.loudness
        rows.append(("loudness", _fmt(loud.integrated_lufs, "{:.1f} LUFS", "silent"), ""))
        rows.append(
            (
                "true peak",
                _fmt(loud.true_peak_dbtp, "{:+.1f} dBTP", "silent"),
                _verdict(loud.peak_ok, "warn"),
            )
        )
    phys = report.physics
    if phys is not None:
        counts = ", ".join(f"{n} {k}" for k, n in sorted(phys.event_counts.items())) or "none"
        rows.append(("contact events", counts, ""))
        g = phys.g_measured
        source = "free flight" if phys.g_from_flights is not None else "bounce timing"
        rows.append(
            (
                "gravity",
                _fmt(g, "{:.3f} m/s^2")
                + (f" from {source}" if g else "")
                + f" (expected {phys.expected_g_m_per_s2:.3f})",
                _verdict(phys.g_ok),
            )
        )
        if phys.bounces:
            worst_e = max(b.restitution for b in phys.bounces)
            rows.append(
                (
                    "energy at impacts",
                    f"{len(phys.bounces)} bounces, max restitution "
                    f"{worst_e:.3f}, {len(phys.energy_gains)} gains",
                    _verdict(not phys.energy_gains),
                )
            )
        if phys.max_energy_drift is not None:
            rows.append(
                (
                    "energy in flight",
                    f"max drift {100 * phys.max_energy_drift:.2f}%",
                    _verdict(phys.max_energy_drift <= 0.02, "warn"),
                )
            )
        rows.append(
            ("penetration", _fmt(phys.penetration_m, "{:.4f} m"), _verdict(phys.penetration_ok))
        )
    if report.identity is not None:
        ident = report.identity
        rows.append(
            (
                "identity continuity",
                f"{len(ident.ids)} ids over {ident.frames} frames, {len(ident.swaps)} swaps",
                _verdict(ident.ok),
            )
        )
    rows.append(("evaluation time", f"{report.wall_s:.2f} s", ""))
    return rows
