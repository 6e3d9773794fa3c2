"""End to end: a prompt becomes an MP4 with picture and sound that agree, and its sidecars."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

from tests.conftest import TINY, run_cli
from worldreel.audio import SAMPLE_RATE
from worldreel.media.reader import probe, read_audio
from worldreel.scene import load_scene


def test_clip_has_one_video_and_one_audio_stream_of_the_requested_shape(bounce_clip):
    clip, _ = bounce_clip
    import av

    with av.open(str(clip)) as container:
        video = [s for s in container.streams if s.type == "video"]
        audio = [s for s in container.streams if s.type == "audio"]
        assert len(video) == 1 and len(audio) == 1 and len(container.streams) == 2
        assert (video[0].codec_context.width, video[0].codec_context.height) == (160, 96)
        assert video[0].codec_context.name == "h264"
        assert video[0].codec_context.pix_fmt == "yuv420p"
        assert audio[0].codec_context.name == "aac"
        assert audio[0].sample_rate == 48_000 and audio[0].channels == 2
        frames = sum(1 for _ in container.decode(video=0))
    assert frames == 3 * 24
    assert read_audio(clip).shape[0] / SAMPLE_RATE == pytest.approx(3.0, abs=0.03)
    info = probe(clip)
    assert info.duration_s == pytest.approx(3.0, abs=0.05)


def test_sidecars_describe_the_clip(bounce_clip):
    clip, _ = bounce_clip
    scene = load_scene(clip.with_suffix("").with_suffix(".scene.yaml"))
    assert scene.duration == 3.0 and scene.resolution == (160, 96)
    events = json.loads(clip.with_suffix("").with_suffix(".events.json").read_text())
    kinds = {(e["body_a"], e["body_b"]) for e in events["events"] if e["kind"] == "impact"}
    assert ("basketball", "basketball_hoop") in kinds  # it hits the backboard
    assert ("basketball", "floor") in kinds  # and falls to the floor


def _onset(audio: np.ndarray, t: float, window_s: float = 0.03) -> float:
    """Time of the first sample near t that rises far above the level just before it."""
    level = np.abs(audio).max(axis=1)
    k = round(t * SAMPLE_RATE)
    w = round(window_s * SAMPLE_RATE)
    before = level[max(0, k - 2 * w):k - w]
    floor = np.percentile(before, 95) if len(before) else 0.0
    near = level[k - w:k + w]
    threshold = max(4 * floor, 0.1 * near.max())
    return (k - w + int(np.flatnonzero(near > threshold)[0])) / SAMPLE_RATE


def test_every_impact_is_heard_within_a_millisecond_of_the_event(bounce_clip):
    clip, _ = bounce_clip
    audio = read_audio(clip)
    events = json.loads(clip.with_suffix("").with_suffix(".events.json").read_text())["events"]
    impacts = [e for e in events if e["kind"] == "impact" and e["impulse"] > 0.5]
    assert len(impacts) >= 2
    previous = -1.0
    checked = 0
    for event in impacts:
        if event["time"] - previous > 0.06:  # the onset of a sound still ringing is masked
            assert abs(_onset(audio, event["time"]) - event["time"]) < 0.001, event
            checked += 1
        previous = event["time"]
    assert checked >= 2


def test_same_prompt_and_seed_give_identical_events_and_audio(tmp_path, bounce_clip):
    clip, _ = bounce_clip
    again = tmp_path / "again.mp4"
    result = run_cli("generate", "a basketball bounces off the backboard and falls to the floor",
                     "-o", str(again), "--seconds", "3", *TINY)
    assert result.exit_code == 0
    first = clip.with_suffix("").with_suffix(".events.json").read_bytes()
    second = again.with_suffix("").with_suffix(".events.json").read_bytes()
    assert first == second
    assert np.array_equal(read_audio(clip), read_audio(again))


def test_plan_then_render_plays_the_edited_scene(tmp_path):
    result = run_cli("plan", "a tennis ball rolls off a table", "--seconds", "2", "--quiet")
    assert result.exit_code == 0
    scene_file = tmp_path / "scene.yaml"
    scene_file.write_text(result.stdout.replace("seed: 0", "seed: 5"))
    out = tmp_path / "edited.mp4"
    result = run_cli("render", str(scene_file), "-o", str(out), *TINY)
    assert result.exit_code == 0, result.output
    assert load_scene(tmp_path / "edited.scene.yaml").seed == 5
    assert out.stat().st_size > 0


def test_python_dash_m_is_the_same_command():
    done = subprocess.run([sys.executable, "-m", "worldreel", "--help"], capture_output=True,
                          text=True, check=True)
    assert "generate" in done.stdout and "render" in done.stdout and "plan" in done.stdout


def test_multi_body_entities_render(tmp_path):
    """Breakables (welded pieces) and cloth are drawn from the Recording like any entity."""
    scene = tmp_path / "s.yaml"
    scene.write_text(
        "duration: 1.2\n"
        "entities:\n"
        "- {id: glass, asset: glass, position: [0, 0, 1.0]}\n"
        "- {id: sheet, asset: cloth, position: [1.0, 0, 0.6]}\n"
        "actions:\n- {kind: drop, entity: glass}\n")
    out = tmp_path / "broken.mp4"
    result = run_cli("render", str(scene), "-o", str(out), *TINY)
    assert result.exit_code == 0, result.stderr
    assert probe(out).frame_count == round(1.2 * 24)


def test_slow_motion_stretches_picture_and_sound_together(tmp_path):
    scene = tmp_path / "slow.yaml"
    scene.write_text("duration: 2.0\nslow_motion: 4\nphysics_rate: 2400\n"
                     "entities:\n- {id: ball, asset: rubber_ball, position: [0, 0, 0.53]}\n"
                     "actions:\n- {kind: drop, entity: ball, at: 0.2}\n")
    out = tmp_path / "slow.mp4"
    result = run_cli("render", str(scene), "-o", str(out), *TINY)
    assert result.exit_code == 0, result.stderr
    events = json.loads((tmp_path / "slow.events.json").read_text())["events"]
    fall_s = (2 * 0.5 / 9.81) ** 0.5  # in the world; four times longer on screen
    assert events[0]["time"] == pytest.approx(0.2 + 4 * fall_s, abs=0.004)
    assert probe(out).frame_count == 48
    audio = read_audio(out)
    assert abs(_onset(audio, events[0]["time"]) - events[0]["time"]) < 0.001


def test_a_time_lapse_plays_the_world_faster_with_sound_on_its_events(tmp_path):
    scene = tmp_path / "lapse.yaml"
    scene.write_text("duration: 1.0\ntime_lapse: 10\n"
                     "entities:\n- {id: ball, asset: rubber_ball, position: [0, 0, 0.53]}\n"
                     "actions:\n- {kind: drop, entity: ball, at: 0.05}\n")
    out = tmp_path / "lapse.mp4"
    result = run_cli("render", str(scene), "-o", str(out), *TINY)
    assert result.exit_code == 0, result.stderr
    events = json.loads((tmp_path / "lapse.events.json").read_text())["events"]
    fall_s = (2 * 0.5 / 9.81) ** 0.5  # in the world; ten times shorter on screen
    assert events[0]["time"] == pytest.approx(0.05 + fall_s / 10, abs=0.004)
    assert probe(out).frame_count == 24  # ten seconds of the world in one second of clip
    audio = read_audio(out)
    assert abs(_onset(audio, events[0]["time"]) - events[0]["time"]) < 0.001


def test_delivered_soundtrack_is_at_target_loudness_under_the_true_peak_limit(bounce_clip):
    """Measured on the encoded MP4, not before the codec: -16 LUFS, true peak <= -1 dBTP."""
    import pyloudnorm

    from worldreel.audio.master import true_peak_dbtp

    clip, _ = bounce_clip
    audio = read_audio(clip).astype(np.float64)
    assert pyloudnorm.Meter(SAMPLE_RATE).integrated_loudness(audio) == pytest.approx(-16, abs=1)
    assert true_peak_dbtp(audio) <= -1.0


def test_stems_are_written_into_a_new_folder(tmp_path):
    out = tmp_path / "s.mp4"
    result = run_cli("generate", "a tennis ball bounces on the floor", "-o", str(out),
                     "--seconds", "1.5", "--stems", str(tmp_path / "stems"), *TINY)
    assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "stems").iterdir())
    assert {"ambience.wav", "foley.wav", "mix.wav"} <= set(names)


def test_the_library_entry_point_plans_in_slow_motion_like_the_command(tmp_path):
    from worldreel import pipeline

    clip = pipeline.generate("a tennis ball drops onto the floor", tmp_path / "lib.mp4",
                             seconds=2.0, size=(64, 48), slow_motion=2)
    assert (clip.scene.duration, clip.scene.slow_motion) == (2.0, 2)
    assert probe(clip.path).frame_count == 48
