"""The media reader: probe, streamed frames, and audio that starts where a player starts it."""

from __future__ import annotations

import av
import numpy as np
import pytest

from worldreel.errors import MediaError
from worldreel.evaluate.audio_onsets import detect_onsets
from worldreel.media.reader import iter_frames, iter_video_frames, probe, read_audio


def _click_track(rate_hz: int, seconds: float, click_s: float) -> np.ndarray:
    """Silence with one sharp 2 ms click starting exactly at `click_s`."""
    x = np.zeros(int(seconds * rate_hz), np.float32)
    start = int(round(click_s * rate_hz))
    n = int(0.002 * rate_hz)
    x[start : start + n] = 0.5 * np.hanning(2 * n)[n:] * np.sign(np.sin(np.arange(n)))
    x[start : start + n] += 0.3 * np.exp(-np.arange(n) / (0.0005 * rate_hz))
    return x


def _write(
    path,
    rate_hz: int,
    audio: np.ndarray,
    *,
    audio_start_s: float = 0.0,
    video: bool = True,
    codec: str = "aac",
) -> None:
    with av.open(str(path), "w") as container:
        if video:
            vs = container.add_stream("libx264", rate=24)
            vs.width, vs.height, vs.pix_fmt = 64, 48, "yuv420p"
        stream = container.add_stream(codec, rate=rate_hz)
        stream.layout = "mono"
        if video:
            for i in range(48):
                frame = av.VideoFrame.from_ndarray(
                    np.full((48, 64, 3), i * 5, np.uint8), format="rgb24"
                )
                frame.pts = i
                container.mux(vs.encode(frame))
            container.mux(vs.encode())
        offset = int(round(audio_start_s * rate_hz))
        for start in range(0, len(audio), 1024):
            chunk = np.ascontiguousarray(audio[None, start : start + 1024])
            frame = av.AudioFrame.from_ndarray(chunk, format="fltp", layout="mono")
            frame.sample_rate = rate_hz
            frame.pts = offset + start
            container.mux(stream.encode(frame))
        container.mux(stream.encode())


def _click_time_s(audio: np.ndarray) -> float:
    onsets = detect_onsets(audio, 48000)
    assert len(onsets) == 1, onsets
    return onsets[0].time_s


def test_click_at_one_second_decodes_at_one_second_after_aac(tmp_path):
    path = tmp_path / "click.mp4"
    _write(path, 48000, _click_track(48000, 2.0, 1.0))
    audio = read_audio(path)
    assert audio.dtype == np.float32 and audio.shape[1] == 1
    assert abs(_click_time_s(audio) - 1.0) < 0.001


def test_audio_stream_that_starts_late_is_padded(tmp_path):
    path = tmp_path / "late_start.mp4"
    _write(path, 48000, _click_track(48000, 1.0, 0.5), audio_start_s=0.5)  # click at 1.0 s
    assert abs(probe(path).audio_start_s - 0.5) < 0.03
    assert abs(_click_time_s(read_audio(path)) - 1.0) < 0.001


def test_other_rates_are_resampled_without_delay(tmp_path):
    path = tmp_path / "cd_rate.mp4"
    _write(path, 44100, _click_track(44100, 2.0, 1.0))
    audio = read_audio(path)
    assert abs(len(audio) / 48000 - 2.0) < 0.05
    assert abs(_click_time_s(audio) - 1.0) < 0.001


def test_probe_and_streamed_frames(tmp_path):
    path = tmp_path / "plain.mp4"
    _write(path, 48000, _click_track(48000, 2.0, 1.0))
    info = probe(path)
    assert (info.width, info.height, info.fps, info.frame_count) == (64, 48, 24.0, 48)
    assert info.has_audio and info.audio_rate_hz == 48000 and info.audio_channels == 1
    assert info.duration_s == pytest.approx(2.0, abs=0.05)
    frames = iter_frames(path)
    first = next(frames)
    assert first.shape == (48, 64, 3) and first.dtype == np.uint8
    assert sum(1 for _ in frames) == 47
    small = list(iter_video_frames(path, width=32, with_luma=True))
    assert small[0].rgb.shape == (24, 32, 3) and small[0].luma.shape == (48, 64)
    assert small[1].time_s == pytest.approx(1 / 24)
    # Grey levels go up 5 per frame: the decoded frames come in order.
    assert np.all(np.diff([f.rgb.mean() for f in small[:40]]) > 0)


def test_unreadable_files_raise_media_error(tmp_path):
    junk = tmp_path / "junk.mp4"
    junk.write_bytes(b"\x00" * 1000)
    with pytest.raises(MediaError, match="junk.mp4"):
        probe(junk)
    with pytest.raises(MediaError, match="no such file"):
        read_audio(tmp_path / "absent.mp4")
    with pytest.raises(MediaError, match="directory"):
        probe(tmp_path)
