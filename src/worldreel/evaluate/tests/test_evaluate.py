"""What a user of `worldreel eval` notices: sync verdicts, planted defects caught, any MP4 works."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from worldreel.evaluate import EvaluationError, evaluate_clip
from worldreel.evaluate.tests.toyclip import SAMPLE_RATE_HZ, write_mp4

FRAME_MS = 1000.0 / 24


def test_clean_clip_is_in_sync_from_the_mp4_alone(reports, clips):
    sync = reports["clean"].sync
    assert sync.matched >= len(clips["clean"].bounce_times_s) - 1
    assert sync.median_abs_offset_ms <= FRAME_MS
    assert sync.in_sync is True


def test_audio_200ms_late_is_flagged_with_the_right_offset(reports):
    sync = reports["late"].sync
    assert sync.in_sync is False
    assert abs(sync.median_offset_ms - 200.0) <= FRAME_MS
    assert reports["late"].in_sync is False


def test_events_sidecar_gives_exact_offsets(reports, clips):
    event_sync = reports["clean"].event_sync
    assert len(event_sync.pairs) == len(clips["clean"].bounce_times_s)
    assert all(abs(p.offset_ms) < 2.0 for p in event_sync.pairs)
    late = reports["late"].event_sync
    assert all(abs(p.offset_ms - 200.0) < 2.0 for p in late.pairs)
    assert late.in_sync is False


def test_injected_flicker_scores_clearly_worse(reports):
    clean = reports["clean"].picture.flicker_score
    flickering = reports["flicker"].picture.flicker_score
    assert clean > 0.99
    assert flickering < clean - 0.03


def test_swapped_frames_lower_smoothness(reports):
    clean = reports["clean"]
    swapped = reports["swapped"]
    assert swapped.picture.smoothness_score < clean.picture.smoothness_score
    # On the whole frame (VBench's scale) a small ball moves the score little; the error it
    # is made of grows by half.
    assert np.nanmean(swapped.analysis.interp_error) > 1.3 * np.nanmean(clean.analysis.interp_error)


def test_physics_report_from_sidecars(reports):
    physics = reports["clean"].physics
    assert physics.g_from_flights == pytest.approx(9.81, rel=0.01)
    assert physics.g_from_bounces == pytest.approx(9.81, rel=0.02)
    assert physics.g_ok and not physics.energy_gains and physics.penetration_ok
    assert all(b.restitution == pytest.approx(0.8, abs=0.01) for b in physics.bounces)


def test_report_is_json_and_a_table(reports):
    from rich.console import Console

    report = reports["clean"]
    text = json.dumps(report.to_dict(), allow_nan=False)
    assert json.loads(text)["sync"]["in_sync"] is True
    console = Console(record=True, width=120)
    report.render_table(console)
    screen = console.export_text()
    assert "A/V sync (from MP4)" in screen and "temporal flicker" in screen
    assert "identity continuity skipped" in screen  # no masks beside the toy clip


def test_plots_are_written(reports):
    paths = [Path(p) for p in reports["clean"].plots]
    assert {p.name for p in paths} == {"sync.png", "lag.png", "frames.png"}
    for path in paths:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and path.stat().st_size > 20_000


def _square_clip(path: Path, *, audio: bool) -> None:
    """A plain PyAV clip, nothing WorldReel about it: a square gliding right, a tone."""
    frames = []
    for i in range(36):
        img = np.full((120, 160, 3), 40, np.uint8)
        img[40:70, 10 + 3 * i : 40 + 3 * i] = (200, 60, 60)
        frames.append(img)
    sound = None
    if audio:
        t = np.arange(int(1.5 * SAMPLE_RATE_HZ)) / SAMPLE_RATE_HZ
        tone = (0.1 * np.sin(2 * np.pi * 440 * t)).astype(np.float32)
        sound = np.stack([tone, tone], axis=1)
    write_mp4(path, frames, sound, fps=24, width=160, height=120)


def test_any_mp4_without_sidecars(tmp_path):
    for audio in (True, False):
        path = tmp_path / f"plain_{audio}.mp4"
        _square_clip(path, audio=audio)
        report = evaluate_clip(path)
        assert report.physics is None and report.event_sync is None and report.identity is None
        assert report.picture.subject.tracks == 1
        assert (report.loudness is not None) == audio
        assert any("no events sidecar" in n for n in report.notes)
        json.dumps(report.to_dict(), allow_nan=False)


def test_not_a_video_is_a_clear_error(tmp_path):
    text = tmp_path / "notes.mp4"
    text.write_text("this is not a video\n")
    with pytest.raises(EvaluationError, match="not a readable media file"):
        evaluate_clip(text)
    with pytest.raises(EvaluationError, match="no such file"):
        evaluate_clip(tmp_path / "missing.mp4")


def test_audio_only_file_is_a_clear_error(tmp_path):
    import av

    path = tmp_path / "sound.m4a"
    with av.open(str(path), "w") as container:
        stream = container.add_stream("aac", rate=SAMPLE_RATE_HZ)
        stream.layout = "mono"
        frame = av.AudioFrame.from_ndarray(
            np.zeros((1, 1024), np.float32), format="fltp", layout="mono"
        )
        frame.sample_rate, frame.pts = SAMPLE_RATE_HZ, 0
        container.mux(stream.encode(frame))
        container.mux(stream.encode())
    with pytest.raises(EvaluationError, match="no video stream"):
        evaluate_clip(path)


def test_bad_events_sidecar_says_what_is_wrong(clips, tmp_path):
    sidecar = tmp_path / "bad.events.json"
    sidecar.write_text(json.dumps({"version": 1, "events": [{"time": 0.5}]}))
    with pytest.raises(EvaluationError, match=r"events\[0\]"):
        evaluate_clip(clips["clean"].path, events_path=sidecar)
