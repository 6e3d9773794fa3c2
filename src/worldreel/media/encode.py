"""Encoding a clip: H.264 yuv420p video and AAC 48 kHz stereo audio in an MP4, via PyAV (FFmpeg).

Frames arrive one at a time from a generator and are encoded as they come, with the audio written
alongside, so memory does not grow with the clip's length.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from fractions import Fraction
from pathlib import Path

import numpy as np

from worldreel.errors import MediaError
from worldreel.media.files import atomic_output

AUDIO_RATE = 48_000
AUDIO_FRAME = 1024  # AAC frame length in samples
AUDIO_BITRATE = 192_000


def encode_clip(
    path: str | Path,
    frames: Iterable[np.ndarray],
    audio: np.ndarray | None,
    *,
    fps: int,
    size: tuple[int, int],
    frame_count: int,
    crf: int = 18,
    preset: str = "veryfast",
    progress: Callable[[int], None] | None = None,
) -> Path:
    """Write an MP4 at `path` (atomically); `audio` is float32 (n, 2) at 48 kHz, or None.

    `frame_count` frames are expected; fewer is an error (nothing is left at `path`).
    """
    import av  # noqa: PLC0415

    width, height = size
    path = Path(path)
    with atomic_output(path) as tmp:
        with av.open(str(tmp), mode="w", options={"movflags": "+faststart"}) as container:
            video = container.add_stream("libx264", rate=Fraction(fps, 1))
            video.width, video.height = width, height
            video.pix_fmt = "yuv420p"
            video.options = {"crf": str(crf), "preset": preset}
            audio_stream = None
            if audio is not None:
                audio = _as_stereo(audio)
                audio_stream = container.add_stream("aac", rate=AUDIO_RATE, layout="stereo")
                audio_stream.bit_rate = AUDIO_BITRATE
            written_audio = 0
            count = 0
            for frame_array in frames:
                if frame_array.shape != (height, width, 3) or frame_array.dtype != np.uint8:
                    raise MediaError(f"frame {count} is {frame_array.shape} {frame_array.dtype}; "
                                     f"expected ({height}, {width}, 3) uint8")
                frame = av.VideoFrame.from_ndarray(frame_array, format="rgb24")
                frame.pts = count
                container.mux(video.encode(frame))
                count += 1
                if audio_stream is not None:
                    until = min(len(audio), round(count / fps * AUDIO_RATE))
                    written_audio = mux_audio(container, audio_stream, audio, written_audio, until)
                if progress is not None:
                    progress(count)
            if count != frame_count:
                raise MediaError(f"expected {frame_count} frames, got {count}")
            container.mux(video.encode(None))
            if audio_stream is not None:
                mux_audio(container, audio_stream, audio, written_audio, len(audio))
                container.mux(audio_stream.encode(None))
    return path


def _as_stereo(audio: np.ndarray) -> np.ndarray:
    audio = np.asarray(audio, dtype=np.float32)
    if audio.ndim == 1:
        audio = np.stack([audio, audio], axis=1)
    if audio.ndim != 2 or audio.shape[1] != 2:
        raise MediaError(f"audio must be (n, 2) samples, got {audio.shape}")
    return np.ascontiguousarray(audio)


def mux_audio(
    container, stream, audio: np.ndarray, start: int, stop: int, origin: int = 0
) -> int:
    """Encode whole AAC frames of audio[start:stop] (the tail only at the end); return new start.
    `origin`: the stream time (samples) of audio[0], where the picture does not start at 0."""
    import av  # noqa: PLC0415

    final = stop == len(audio)
    while start < stop and (stop - start >= AUDIO_FRAME or final):
        block = audio[start:min(start + AUDIO_FRAME, stop)]
        frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(block.T), format="fltp",
                                           layout="stereo")
        frame.sample_rate = AUDIO_RATE
        frame.pts = origin + start
        frame.time_base = Fraction(1, AUDIO_RATE)
        container.mux(stream.encode(frame))
        start += len(block)
    return start
