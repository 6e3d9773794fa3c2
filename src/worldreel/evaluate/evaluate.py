"""evaluate_clip: measure physics, sync and coherence of any video, WorldReel's or not.

The MP4 alone gives A/V sync, flicker, smoothness, consistency, sharpness, exposure and
loudness. WorldReel's sidecars beside it, when present, add exact per-contact sync
(`clip.events.json`), the physics report (plus `clip.recording.npz`) and identity continuity
(`clip.masks/`). The audio is analysed on a second thread while the video is decoded: both
spend their time in native code that releases the GIL.
"""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from worldreel.errors import MediaError
from worldreel.evaluate import av_offset
from worldreel.evaluate.audio_onsets import Onset, detect_onsets, mono, onset_strength_curve
from worldreel.evaluate.errors import EvaluationError
from worldreel.evaluate.identity import check_identity, mask_files
from worldreel.evaluate.loudness import LoudnessResult, measure_loudness
from worldreel.evaluate.motion import VisualEvent, visual_events
from worldreel.evaluate.object_track import object_events
from worldreel.evaluate.physics_report import physics_report
from worldreel.evaluate.report import EvalReport, picture_summary
from worldreel.evaluate.sync import SyncResult, sync_from_events, sync_from_video
from worldreel.evaluate.video_pass import ANALYSIS_WIDTH_PX, VideoAnalysis, analyse_video
from worldreel.media.reader import AUDIO_RATE_HZ, MediaInfo, probe, read_audio
from worldreel.recording import ContactEvent, Recording, load_recording

SIDECAR_VERSION = 1


def sidecar_path(clip: Path, suffix: str) -> Path:
    """`clip.mp4` -> `clip<suffix>` in the same directory (e.g. `.events.json`)."""
    return clip.with_name(clip.stem + suffix)


def load_events(path: str | Path) -> list[ContactEvent]:
    """Contact events of a `clip.events.json` sidecar, with errors that say what is wrong."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise EvaluationError(f"{path}: events sidecar not found") from None
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as err:
        raise EvaluationError(f"{path}: events sidecar is not JSON ({err})") from err
    if not isinstance(data, dict) or not isinstance(data.get("events"), list):
        raise EvaluationError(f"{path}: events sidecar needs an 'events' list")
    if data.get("version", SIDECAR_VERSION) != SIDECAR_VERSION:
        raise EvaluationError(
            f"{path}: events sidecar version {data.get('version')!r} is not {SIDECAR_VERSION}"
        )
    events = []
    for index, item in enumerate(data["events"]):
        try:
            events.append(ContactEvent.from_dict(item))
        except (KeyError, TypeError, ValueError) as err:
            raise EvaluationError(
                f"{path}: events[{index}] is not a contact event (bad or missing {err})"
            ) from err
    return events


def open_media(path: Path) -> MediaInfo:
    try:
        info = probe(path)
    except MediaError as err:
        raise EvaluationError(f"cannot evaluate {err}") from err
    if not info.has_video:
        raise EvaluationError(
            f"cannot evaluate {path}: it has no video stream "
            f"({info.format_name}, {'audio only' if info.has_audio else 'no streams'})"
        )
    return info


def _analyse_audio(
    path: Path,
) -> tuple[np.ndarray, list[Onset], tuple[np.ndarray, float], LoudnessResult]:
    """(audio, onsets, onset-strength curve and its hop, loudness): the curve is computed once,
    for the onsets and for the stop timing (evaluate.av_offset)."""
    audio = read_audio(path, rate_hz=AUDIO_RATE_HZ)
    curve = onset_strength_curve(mono(audio), AUDIO_RATE_HZ)
    onsets = detect_onsets(audio, AUDIO_RATE_HZ, curve)
    return audio, onsets, curve, measure_loudness(audio, AUDIO_RATE_HZ)


def _load_recording(path: Path) -> Recording:
    try:
        return load_recording(path)
    except (OSError, ValueError, KeyError) as err:
        raise EvaluationError(f"{path}: not a readable recording ({err})") from err


def picture_event_sources(analysis: VideoAnalysis) -> dict[str, list[VisualEvent]]:
    """The picture's events as each source sees them: the whole-frame motion change (any
    camera), the turns of one vivid object (a ball the camera follows), the turns of things
    moving over a still background (small objects, fast ones)."""
    valid = np.isfinite(analysis.motion_change)
    velocity = np.stack([analysis.object_vx, analysis.object_vy], axis=1)
    return {
        "the whole-frame motion change": visual_events(
            analysis.motion_change, analysis.times_s, valid
        ),
        "the turns of the tracked object": object_events(
            velocity, analysis.times_s, analysis.fps
        ),
        "the turns of things moving over the still background": analysis.foreground_events,
    }


def _sync_from_picture(
    sources: dict[str, list[VisualEvent]], onsets: list[Onset], fps: float, duration_s: float
) -> tuple[list[VisualEvent], SyncResult, str]:
    """(events, sync, source name) of the event source whose pairing with the sounds is least
    likely to be chance. Trying several makes a lucky agreement likelier, so each pairing's
    chance is counted for all of them. Without a verdict the first source's events are kept,
    to show what was seen."""
    results = [
        (events, sync_from_video(
            [e.time_s for e in events], onsets, fps, [e.strength for e in events], duration_s,
            trials=len(sources),
        ), name)
        for name, events in sources.items()
    ]
    measured = [r for r in results if not r[1].insufficient_evidence]
    if measured:
        return min(measured, key=lambda r: r[1].chance)
    return results[0]


AGREE_FRAMES = 1.0  # the stops and the event pairing agree when this close (frames)


def _mp4_sync(
    analysis: VideoAnalysis, curve: tuple[np.ndarray, float], onsets: list[Onset],
    report: EvalReport,
) -> str:
    """Set report.sync (and report.stop_sync) from the MP4 alone; return the note saying how.

    Two independent timings: the motion stops against the sounds (evaluate.av_offset, made for
    camera footage: blur, rhythm, hand-held) and the pairing of distinct motion events with
    distinct sounds (sync.sync_from_video, exact on sharp rendered frames). Either alone gives
    the verdict; when both give one and they disagree by more than a frame, neither is trusted.
    """
    signals = av_offset.picture_signals(analysis)
    stops = None
    if signals is not None:
        stops = av_offset.sync_from_stops(signals, *curve, onsets, np.random.default_rng(0))
    report.stop_sync = stops
    events, paired, source = _sync_from_picture(
        report.event_sources, onsets, analysis.fps, report.duration_s
    )
    report.visual_events = events
    by_stops = stops is not None and not stops.result.insufficient_evidence
    by_events = not paired.insufficient_evidence
    if by_stops and by_events:
        gap_ms = abs(stops.result.median_offset_ms - paired.median_offset_ms)
        if gap_ms > 1000.0 * AGREE_FRAMES / analysis.fps:
            report.sync = av_offset.abstained(stops)
            return (
                f"A/V sync from the MP4 alone: the motion stops say "
                f"{stops.result.median_offset_ms:+.0f} ms and {source} "
                f"{paired.median_offset_ms:+.0f} ms; they disagree, so no offset is given"
            )
    if by_stops:
        report.sync = stops.result
        return "A/V sync from the MP4 alone: timed by where motion stops against the sounds"
    report.sync = paired
    if by_events:
        return f"A/V sync from the MP4 alone: timed by {source}"
    if not events and not (stops and stops.stops):
        return "no sudden motion change in the picture: nothing to sync against"
    why = f" ({stops.reason})" if stops is not None and stops.reason else ""
    return (
        "A/V sync from the MP4 alone: too few motion events agree with the sounds to "
        f"measure an offset{why} (the events sidecar, when present, is exact)"
    )


def evaluate_clip(
    path: str | Path,
    *,
    events_path: str | Path | None = None,
    recording_path: str | Path | None = None,
    masks_dir: str | Path | None = None,
    plots_dir: str | Path | None = None,
    analysis_width: int = ANALYSIS_WIDTH_PX,
) -> EvalReport:
    """Measure one clip. Sidecars default to the WorldReel names beside it and are used only
    when present (an explicitly given path must exist). Raises EvaluationError when the file
    is not a video or a sidecar does not parse."""
    started = time.perf_counter()
    path = Path(path)
    info = open_media(path)
    report = EvalReport(path=str(path), media=info)
    notes = report.notes

    with ThreadPoolExecutor(max_workers=1) as pool:
        audio_job = pool.submit(_analyse_audio, path) if info.has_audio else None
        try:
            analysis = analyse_video(path, fps=info.fps or 24.0, analysis_width=analysis_width)
            audio, onsets, curve, loudness = (
                audio_job.result() if audio_job else (None, [], None, None)
            )
        except MediaError as err:
            raise EvaluationError(f"cannot evaluate {err}") from err
    report.analysis = analysis
    report.picture = picture_summary(analysis)
    report.onsets, report.loudness = onsets, loudness
    report.event_sources = picture_event_sources(analysis)
    report.visual_events = next(iter(report.event_sources.values()))
    if audio is None:
        notes.append("no audio stream: A/V sync and loudness not measured")
    else:
        notes.append(_mp4_sync(analysis, curve, onsets, report))

    events_file = Path(events_path) if events_path else sidecar_path(path, ".events.json")
    events: list[ContactEvent] | None = None
    if events_path or events_file.exists():
        events = load_events(events_file)
        if audio is not None and events:
            report.event_sync = sync_from_events(events, audio, AUDIO_RATE_HZ, onsets)
    recording_file = (
        Path(recording_path) if recording_path else sidecar_path(path, ".recording.npz")
    )
    recording = None
    if recording_path or recording_file.exists():
        recording = _load_recording(recording_file)
    if events is not None or recording is not None:
        report.physics = physics_report(events or [], recording)
    else:
        notes.append("no events sidecar: per-contact sync and physics report skipped")

    masks = Path(masks_dir) if masks_dir else sidecar_path(path, ".masks")
    if masks_dir and not masks.is_dir():
        raise EvaluationError(f"{masks}: instance-mask directory not found")
    if masks.is_dir() and mask_files(masks):
        report.identity = check_identity(masks)
    else:
        notes.append("no instance masks: identity continuity skipped")

    if plots_dir is not None:
        from worldreel.evaluate.plots import write_plots  # noqa: PLC0415

        report.plots = [str(p) for p in write_plots(report, audio, AUDIO_RATE_HZ, plots_dir)]
    report.wall_s = time.perf_counter() - started
    return report
