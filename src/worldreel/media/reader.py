"""Read any media file with PyAV: probe it, stream its video frames, decode its audio aligned.

Clip time 0 is the presentation time of the first video frame (of the audio when there is no
video). Audio is placed by the timestamps of its decoded frames, so encoder priming (the 1024
silent AAC samples an edit list tells the demuxer to drop) and streams that start late or early
all land where a player would put them: sample i of `read_audio` plays at clip time i / rate.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from worldreel.errors import MediaError

AUDIO_RATE_HZ = 48000  # the pipeline's audio rate (DESIGN.md)
_PLANAR_8BIT_YUV = {"yuv420p", "yuvj420p", "yuv422p", "yuvj422p", "yuv444p", "yuvj444p", "nv12"}


@dataclass(frozen=True)
class MediaInfo:
    """What a media file holds. Times in seconds; absent streams leave their fields None."""

    path: Path
    format_name: str
    duration_s: float
    has_video: bool
    has_audio: bool
    width: int | None = None
    height: int | None = None
    fps: float | None = None
    frame_count: int | None = None  # from the container; an estimate when it does not say
    video_codec: str | None = None
    video_start_s: float | None = None
    audio_codec: str | None = None
    audio_rate_hz: int | None = None
    audio_channels: int | None = None
    audio_start_s: float | None = None

    def to_dict(self) -> dict:
        data = dict(self.__dict__)
        data["path"] = str(self.path)
        return data


@dataclass(frozen=True)
class DecodedFrame:
    """One decoded video frame: `rgb` (H, W, 3) uint8 at the requested size; `luma` the full-size
    luma plane as uint8 (only when asked for) with `luma_gain` mapping its code values to 0-255
    full range (255/219 for the usual limited-range video)."""

    index: int
    time_s: float
    rgb: np.ndarray
    luma: np.ndarray | None = None
    luma_gain: float = 1.0


def _open(path: str | Path):
    import av  # noqa: PLC0415

    path = Path(path)
    if not path.exists():
        raise MediaError(f"{path}: no such file")
    if path.is_dir():
        raise MediaError(f"{path}: is a directory, not a media file")
    try:
        return av.open(str(path))
    except (av.error.FFmpegError, UnicodeDecodeError, ValueError) as err:
        raise MediaError(f"{path}: not a readable media file ({err})") from err


def _seconds(value: int | None, time_base: Fraction | None) -> float | None:
    if value is None or time_base is None:
        return None
    return float(value * time_base)


def probe(path: str | Path) -> MediaInfo:
    """Streams, size, frame rate and duration of a media file, without decoding it."""
    with _open(path) as container:
        video = container.streams.video[0] if container.streams.video else None
        audio = container.streams.audio[0] if container.streams.audio else None
        duration_s = container.duration / 1e6 if container.duration else 0.0
        info = dict(
            path=Path(path),
            format_name=container.format.name,
            duration_s=duration_s,
            has_video=video is not None,
            has_audio=audio is not None,
        )
        if video is not None:
            rate = video.average_rate or video.guessed_rate or video.base_rate
            fps = float(rate) if rate else None
            video_duration = _seconds(video.duration, video.time_base)
            frames = video.frames or None
            if frames is None and fps and (video_duration or duration_s):
                frames = int(round((video_duration or duration_s) * fps))
            info.update(
                width=video.codec_context.width,
                height=video.codec_context.height,
                fps=fps,
                frame_count=frames,
                video_codec=video.codec_context.name,
                video_start_s=_seconds(video.start_time, video.time_base) or 0.0,
            )
        if audio is not None:
            info.update(
                audio_codec=audio.codec_context.name,
                audio_rate_hz=audio.rate,
                audio_channels=audio.codec_context.channels,
                audio_start_s=_seconds(audio.start_time, audio.time_base) or 0.0,
            )
    return MediaInfo(**info)


def _clip_origin_s(container) -> float:
    """Presentation time that is clip time 0: the first video frame, else the audio start."""
    for streams in (container.streams.video, container.streams.audio):
        if streams:
            start = _seconds(streams[0].start_time, streams[0].time_base)
            return start or 0.0
    return 0.0


def _luma_plane(frame) -> tuple[np.ndarray, float] | None:
    """The Y plane of a planar 8-bit YUV frame as (H, W) uint8 (a view, no conversion)."""
    name = frame.format.name
    if name not in _PLANAR_8BIT_YUV:
        return None
    plane = frame.planes[0]
    rows = np.frombuffer(plane, dtype=np.uint8).reshape(plane.height, plane.line_size)
    full_range = name.startswith("yuvj") or int(frame.color_range) == 2  # 2 = AVCOL_RANGE_JPEG
    return rows[:, : plane.width], (1.0 if full_range else 255.0 / 219.0)


# Y'CbCr -> R'G'B' matrices (rows R, G, B; columns Y, Cb, Cr) by AVColorSpace. Unspecified
# follows swscale's default, BT.601, so both paths give the same pixels.
_BT601 = ((1.0, 0.0, 1.402), (1.0, -0.344136, -0.714136), (1.0, 1.772, 0.0))
_BT709 = ((1.0, 0.0, 1.5748), (1.0, -0.187324, -0.468124), (1.0, 1.8556, 0.0))
_MATRICES = {1: _BT709}  # AVCOL_SPC_BT709; everything else as BT.601


def _yuv420_to_small_rgb(frame, width: int, height: int) -> np.ndarray | None:
    """Scale the Y, Cb and Cr planes of an 8-bit 4:2:0 frame down to (width, height) by area
    averaging, then convert: 3-4x cheaper than converting at full size in swscale, and the
    same picture to within a level (averaging commutes with the linear matrix)."""
    import cv2  # noqa: PLC0415

    if frame.format.name not in ("yuv420p", "yuvj420p"):
        return None
    planes = []
    for i, plane in enumerate(frame.planes[:3]):
        w = frame.width if i == 0 else (frame.width + 1) // 2
        rows = np.frombuffer(plane, dtype=np.uint8).reshape(plane.height, plane.line_size)[:, :w]
        planes.append(cv2.resize(rows, (width, height), interpolation=cv2.INTER_AREA))
    yuv = cv2.merge(planes).astype(np.float32)
    full = frame.format.name == "yuvj420p" or int(frame.color_range) == 2
    y_scale, c_scale = (1.0, 1.0) if full else (255.0 / 219.0, 255.0 / 224.0)
    matrix = np.array(_MATRICES.get(int(frame.colorspace), _BT601), dtype=np.float32)
    matrix = matrix * np.array([y_scale, c_scale, c_scale], dtype=np.float32)
    offset = -matrix @ np.array([0.0 if full else 16.0, 128.0, 128.0], dtype=np.float32)
    rgb = cv2.transform(yuv, np.hstack([matrix, offset[:, None]]))
    return np.clip(rgb + 0.5, 0, 255).astype(np.uint8)


def iter_video_frames(
    path: str | Path, *, width: int | None = None, with_luma: bool = False
) -> Iterator[DecodedFrame]:
    """Decode the first video stream one frame at a time (bounded memory).

    `width` scales the RGB frames (height follows the aspect ratio, rounded to even) inside the
    decoder's scaler, which is far cheaper than converting at full size and resizing after.
    """
    with _open(path) as container:
        if not container.streams.video:
            raise MediaError(f"{path}: has no video stream")
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"  # frame threads: decoding is the floor of every pass
        origin_s = _clip_origin_s(container)
        out_w = out_h = None
        try:
            for index, frame in enumerate(container.decode(stream)):
                if out_w is None:
                    out_w, out_h = frame.width, frame.height
                    if width is not None and width < frame.width:
                        out_w = int(width)
                        out_h = max(2, int(round(frame.height * width / frame.width / 2)) * 2)
                time_s = (
                    (frame.time - origin_s)
                    if frame.time is not None
                    else index / float(stream.average_rate or 24)
                )
                rgb = None
                if (out_w, out_h) != (frame.width, frame.height):
                    rgb = _yuv420_to_small_rgb(frame, out_w, out_h)
                if rgb is None:
                    rgb = frame.to_ndarray(format="rgb24", width=out_w, height=out_h)
                luma, gain = None, 1.0
                if with_luma:
                    plane = _luma_plane(frame)
                    if plane is None:
                        luma = frame.to_ndarray(format="gray")
                    else:
                        luma, gain = plane
                yield DecodedFrame(
                    index=index, time_s=float(time_s), rgb=rgb, luma=luma, luma_gain=gain
                )
        except Exception as err:  # a truncated or corrupt stream
            import av  # noqa: PLC0415

            if isinstance(err, av.error.FFmpegError):
                raise MediaError(f"{path}: video could not be decoded ({err})") from err
            raise


def iter_frames(path: str | Path, *, width: int | None = None) -> Iterator[np.ndarray]:
    """Decoded video frames as (H, W, 3) uint8 RGB arrays, one at a time."""
    for frame in iter_video_frames(path, width=width):
        yield frame.rgb


def _frame_samples(frame) -> np.ndarray:
    """(n, channels) float32 from any PyAV audio frame, planar or packed, int or float."""
    data = frame.to_ndarray()
    channels = len(frame.layout.channels)
    if frame.format.is_planar:
        data = data.T
    else:
        data = data.reshape(-1, channels)
    if data.dtype.kind == "i":
        data = data.astype(np.float32) / float(np.iinfo(data.dtype).max)
    elif data.dtype.kind == "u":  # 8-bit PCM is offset binary
        data = (data.astype(np.float32) - 128.0) / 128.0
    return data.astype(np.float32, copy=False)


def read_audio(path: str | Path, *, rate_hz: int = AUDIO_RATE_HZ) -> np.ndarray:
    """The first audio stream decoded to float32 (n, channels) at `rate_hz`, sample 0 at clip
    time 0. Samples before clip time 0 are dropped; a late start is padded with silence.
    """
    with _open(path) as container:
        if not container.streams.audio:
            raise MediaError(f"{path}: has no audio stream")
        stream = container.streams.audio[0]
        origin_s = _clip_origin_s(container)
        pieces: list[tuple[int, np.ndarray]] = []
        native_rate = stream.rate
        next_start = None
        try:
            for frame in container.decode(stream):
                native_rate = frame.sample_rate or native_rate
                samples = _frame_samples(frame)
                if frame.pts is not None and frame.time is not None:
                    start = int(round((frame.time - origin_s) * native_rate))
                else:  # raw streams without timestamps: back to back
                    start = next_start if next_start is not None else 0
                pieces.append((start, samples))
                next_start = start + len(samples)
        except Exception as err:
            import av  # noqa: PLC0415

            if isinstance(err, av.error.FFmpegError):
                raise MediaError(f"{path}: audio could not be decoded ({err})") from err
            raise
    if not pieces:
        return np.zeros((0, stream.codec_context.channels or 1), dtype=np.float32)
    channels = max(p.shape[1] for _, p in pieces)
    end = max(start + len(p) for start, p in pieces)
    audio = np.zeros((max(end, 0), channels), dtype=np.float32)
    for start, samples in pieces:
        lo = max(start, 0)
        if lo >= start + len(samples):
            continue
        audio[lo : start + len(samples), : samples.shape[1]] = samples[lo - start :]
    if native_rate != rate_hz:
        audio = _resample(audio, native_rate, rate_hz)
    return audio


def _resample(audio: np.ndarray, from_hz: int, to_hz: int) -> np.ndarray:
    """Zero-phase polyphase resampling: keeps sample 0 at time 0 (no filter delay)."""
    from math import gcd  # noqa: PLC0415

    from scipy.signal import resample_poly  # noqa: PLC0415

    g = gcd(int(from_hz), int(to_hz))
    out = resample_poly(audio, int(to_hz) // g, int(from_hz) // g, axis=0)
    return out.astype(np.float32, copy=False)
