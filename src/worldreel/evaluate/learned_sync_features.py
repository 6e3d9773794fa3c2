"""Inputs of a learned A/V sync model: its settings (`SyncModelSpec`) and the clip cut to them.

The settings travel inside the user's ONNX file, as JSON in its metadata_props key
"worldreel.sync_model" (see `learned_sync` for the whole recipe); keys left out take
Synchformer's values (Iashin et al., 2024), as its code sets them (v-iashin/Synchformer,
configs/sync.yaml and dataset/transforms.py; example.py for the re-encoding):

- video: 25 fps, the short side scaled to 256 then a 224x224 centre crop, RGB in [0, 1]
  normalised with mean 0.5 and std 0.5 ("motionformer normalization").
- windows of 14 segments of 16 frames, each segment 8 frames after the last (step_size_seg
  0.5): 120 frames, 4.8 s. The model input is (batch, segments, frames, 3, H, W).
- audio: 16 kHz mono, cut into the same segments (0.64 s = 10240 samples each); per segment
  torchaudio's MelSpectrogram (n_fft 1024, win_length 400 = 25 ms, hop_length 160 = 10 ms,
  128 mel bins; its defaults: Hann window, centred frames with reflect padding, power 2, HTK
  mel scale, no filter normalisation), then log(mel + 1e-6), padded with 0 or cut to 66 frames,
  then normalised with AudioSet's AST statistics as (x + 4.2677393) / (2 * 4.5689974). The model
  input is (batch, segments, 1, n_mels, frames).
- 21 offset classes, linspace(-2, 2, 21) s. Synchformer takes the audio crop from
  v_start + offset, so a positive class means the sound plays *before* its picture; WorldReel
  counts the other way (positive = sound late), so the table is read with
  "positive_offset_means" ("sound early" by default) and turned round.

av-benchmark, which computes MMAudio's DeSync (read in its copy
SonyResearch/soundreactor_v2a_eval), builds the same MelSpectrogram
(av_bench/extraction_models.py), feeds Synchformer video (B, S, T, C, H, W) and audio
(B, S, 1, F, T) (av_bench/synchformer/synchformer.py), and reads video at 25 fps with the short
side scaled straight to 224 (bicubic) before the 224 crop (av_bench/data/video_dataset.py;
MMAudio's mmaudio/eval_utils.py does the same): a model meant to reproduce DeSync numbers sets
"short_side": 224.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path

import numpy as np

from worldreel.errors import MediaError
from worldreel.evaluate.errors import EvaluationError, require
from worldreel.media.reader import DecodedFrame, iter_video_frames, probe, read_audio

METADATA_KEY = "worldreel.sync_model"
_SOUND_EARLY, _SOUND_LATE = "sound early", "sound late"
_AST_STD = 4.5689974  # AudioSet log-mel std; Synchformer divides by twice it
# Synchformer's classes in its own sign (positive = sound early): make_class_grid(-2, 2, 21)
SYNCHFORMER_CLASS_OFFSETS_S = tuple(float(v) for v in np.linspace(-2.0, 2.0, 21))


def _worldreel_sign(table, sign: str) -> tuple[float, ...]:
    """A class table turned to WorldReel's sign (positive = sound late), rounded to the
    nanosecond so that linspace's last bits and -0.0 stay out of reports."""
    flip = -1.0 if sign == _SOUND_EARLY else 1.0
    return tuple(round(flip * float(v), 9) + 0.0 for v in table)


@dataclass(frozen=True)
class SyncModelSpec:
    """How a sync model wants its inputs. `frames` is the length of one segment; a window is
    `segments` segments, each `segment_stride` frames after the last. `offsets_s` is the
    class -> offset table in WorldReel's sign (seconds, positive = sound late)."""

    video_fps: float = 25.0
    frames: int = 16
    segments: int = 14
    segment_stride: int = 8
    image_size: int = 224
    short_side: int = 256  # scaled to this before the centre crop
    mean: tuple[float, float, float] = (0.5, 0.5, 0.5)
    std: tuple[float, float, float] = (0.5, 0.5, 0.5)
    audio_rate_hz: int = 16000
    n_mels: int = 128
    hop_s: float = 0.010
    window_s: float = 0.025
    n_fft: int = 1024
    mel_frames: int = 66  # per segment, padded (with 0 after the log) or cut to this
    log_eps: float = 1e-6
    mel_mean: float = -4.2677393
    mel_std: float = 2.0 * _AST_STD  # the divisor, which for Synchformer is twice AST's std
    offsets_s: tuple[float, ...] = _worldreel_sign(SYNCHFORMER_CLASS_OFFSETS_S, _SOUND_EARLY)

    @property
    def window_frames(self) -> int:
        return (self.segments - 1) * self.segment_stride + self.frames

    @property
    def window_duration_s(self) -> float:
        return self.window_frames / self.video_fps

    @property
    def video_shape(self) -> tuple[int, ...]:
        """One window's video input, without the batch axis."""
        return (self.segments, self.frames, 3, self.image_size, self.image_size)

    @property
    def mel_shape(self) -> tuple[int, ...]:
        """One window's audio input, without the batch axis."""
        return (self.segments, 1, self.n_mels, self.mel_frames)

    def to_dict(self) -> dict:
        data = {f.name: getattr(self, f.name) for f in fields(self)}
        data["mean"], data["std"] = list(self.mean), list(self.std)
        data["offsets_s"] = [round(v, 6) for v in self.offsets_s]
        return data


_INTS = {"frames", "segments", "segment_stride", "image_size", "short_side", "audio_rate_hz",
         "n_mels", "n_fft", "mel_frames"}
_FLOATS = {"video_fps", "hop_s", "window_s", "log_eps", "mel_mean", "mel_std"}
_KEYS = _INTS | _FLOATS | {"mean", "std", "class_offsets_s", "positive_offset_means"}


def spec_from_metadata(metadata: Mapping[str, str], source: str) -> SyncModelSpec:
    """The spec a model's metadata_props declare; `source` names the model in messages."""
    text = metadata.get(METADATA_KEY)
    if text is None:
        return SyncModelSpec()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        raise EvaluationError(f"{source}: metadata {METADATA_KEY!r} is not JSON ({err})") from err
    if not isinstance(data, dict):
        raise EvaluationError(f"{source}: metadata {METADATA_KEY!r} must be a JSON object")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise EvaluationError(f"{source}: metadata {METADATA_KEY!r} has unknown keys {unknown}; "
                              f"known: {sorted(_KEYS)}")
    values: dict = {}
    for key in _INTS & data.keys():
        values[key] = _number(data[key], key, source, integer=True)
    for key in _FLOATS & data.keys():
        values[key] = _number(data[key], key, source, integer=False, signed=key == "mel_mean")
    for key in ("mean", "std"):
        if key in data:
            values[key] = _triple(data[key], key, source)
    values["offsets_s"] = _offsets(data, source)
    spec = SyncModelSpec(**values)
    if spec.short_side < spec.image_size:
        raise EvaluationError(f"{source}: short_side {spec.short_side} is smaller than the "
                              f"{spec.image_size}-pixel crop; set short_side >= image_size")
    if int(round(spec.window_s * spec.audio_rate_hz)) > spec.n_fft:
        raise EvaluationError(f"{source}: window_s {spec.window_s} s is longer than n_fft "
                              f"({spec.n_fft} samples at {spec.audio_rate_hz} Hz); raise n_fft")
    if spec.segment_stride > spec.frames:
        raise EvaluationError(f"{source}: segment_stride {spec.segment_stride} leaves gaps "
                              f"between {spec.frames}-frame segments; set it <= frames")
    return spec


def _number(value, key: str, source: str, *, integer: bool, signed: bool = False):
    ok = isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
    if ok and integer:
        ok = float(value).is_integer()
    if not ok or (not signed and value <= 0):
        kind = "an integer" if integer else "a number"
        raise EvaluationError(f"{source}: {key} must be {kind}"
                              + ("" if signed else " above 0") + f", got {value!r}")
    return int(value) if integer else float(value)


def _triple(value, key: str, source: str) -> tuple[float, float, float]:
    if not (isinstance(value, list) and len(value) == 3):
        raise EvaluationError(f"{source}: {key} must be three numbers (R, G, B), got {value!r}")
    numbers = tuple(_number(v, key, source, integer=False, signed=key == "mean") for v in value)
    return numbers  # type: ignore[return-value]


def _offsets(data: dict, source: str) -> tuple[float, ...]:
    """The class table in WorldReel's sign, from the model's own table and sign."""
    sign = data.get("positive_offset_means", _SOUND_EARLY)
    if sign not in (_SOUND_EARLY, _SOUND_LATE):
        raise EvaluationError(f"{source}: positive_offset_means must be {_SOUND_EARLY!r} "
                              f"(Synchformer) or {_SOUND_LATE!r}, got {sign!r}")
    table = data.get("class_offsets_s", list(SYNCHFORMER_CLASS_OFFSETS_S))
    ok = isinstance(table, list) and len(table) >= 2 and all(
        isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)
        for v in table)
    if not ok:
        raise EvaluationError(f"{source}: class_offsets_s must be a list of at least two "
                              f"offsets in seconds, got {table!r}")
    if len(set(table)) != len(table):
        raise EvaluationError(f"{source}: class_offsets_s repeats an offset: {table!r}")
    return _worldreel_sign(table, sign)


# --- decoding the clip ---------------------------------------------------------------------


def clip_frames(path: str | Path, spec: SyncModelSpec) -> np.ndarray:
    """The clip's picture at spec.video_fps, cropped: (n, image_size, image_size, 3) uint8.

    Output time j / fps shows the source frame whose timestamp is nearest (as ffmpeg's fps
    filter picks them), so a 50 fps clip keeps every other frame and a 24 fps clip repeats one
    now and then. Frames are decoded once, and only the crops are kept.
    """
    info = _probe(path)
    if not info.has_video or not info.width or not info.height:
        raise EvaluationError(f"{path}: has no video stream for the sync model")
    decode_width = _decode_width(info.width, info.height, spec.short_side)
    frame_s = 1.0 / info.fps if info.fps else 1.0 / spec.video_fps
    out: list[np.ndarray] = []
    prev: DecodedFrame | None = None
    prev_crop: np.ndarray | None = None
    try:
        for frame in iter_video_frames(path, width=decode_width):
            if prev is not None:
                midpoint = 0.5 * (prev.time_s + frame.time_s)
                while len(out) / spec.video_fps < midpoint:
                    prev_crop = _crop(prev.rgb, spec) if prev_crop is None else prev_crop
                    out.append(prev_crop)
            prev, prev_crop = frame, None
    except MediaError as err:
        raise EvaluationError(str(err)) from err
    if prev is None:
        raise EvaluationError(f"{path}: no video frames could be decoded")
    end_s = prev.time_s + frame_s  # the last frame stays on screen for one frame time
    while len(out) / spec.video_fps < end_s - 1e-6:
        prev_crop = _crop(prev.rgb, spec) if prev_crop is None else prev_crop
        out.append(prev_crop)
    return np.stack(out)


def _probe(path: str | Path):
    try:
        return probe(path)
    except MediaError as err:
        raise EvaluationError(str(err)) from err


def _decode_width(width: int, height: int, short_side: int) -> int | None:
    """A width that lets the decoder's scaler bring the short side near `short_side`."""
    target = short_side if width <= height else int(round(width * short_side / height))
    return target if target < width else None


def _crop(rgb: np.ndarray, spec: SyncModelSpec) -> np.ndarray:
    """Scale the short side to spec.short_side (bicubic), then cut the centre square, placed as
    Synchformer's RGBSpatialCrop and torchvision's CenterCrop place it."""
    from PIL import Image  # noqa: PLC0415

    h, w = rgb.shape[:2]
    scale = spec.short_side / min(h, w)
    size = (max(spec.short_side, int(round(w * scale))),
            max(spec.short_side, int(round(h * scale))))
    if size != (w, h):
        rgb = np.asarray(Image.fromarray(rgb).resize(size, Image.Resampling.BICUBIC))
    h, w = rgb.shape[:2]
    top = int(round((h - spec.image_size) / 2.0))
    left = int(round((w - spec.image_size) / 2.0))
    return np.ascontiguousarray(rgb[top:top + spec.image_size, left:left + spec.image_size])


def clip_audio(path: str | Path, spec: SyncModelSpec) -> np.ndarray:
    """The clip's sound, mono float32 at spec.audio_rate_hz, sample 0 at picture time 0."""
    if not _probe(path).has_audio:
        raise EvaluationError(f"{path}: has no audio stream, so there is no sync to measure")
    try:
        audio = read_audio(path, rate_hz=spec.audio_rate_hz)
    except MediaError as err:
        raise EvaluationError(str(err)) from err
    return audio.mean(axis=1).astype(np.float32) if audio.ndim == 2 else audio


# --- one window ----------------------------------------------------------------------------


def window_starts(n_frames: int, spec: SyncModelSpec) -> list[int]:
    """First frames of the windows: half a window apart, plus one flush with the clip's end
    so its last seconds are read too. Empty when the clip is shorter than one window."""
    length = spec.window_frames
    if n_frames < length:
        return []
    step = max(1, length // 2)
    starts = list(range(0, n_frames - length + 1, step))
    if starts[-1] != n_frames - length:
        starts.append(n_frames - length)
    return starts


def window_text(spec: SyncModelSpec) -> str:
    """One window in words, for messages."""
    return (f"{spec.segments} segments of {spec.frames} frames, {spec.segment_stride} apart, "
            f"at {spec.video_fps:g} fps")


def _segment_starts(start: int, spec: SyncModelSpec) -> list[int]:
    return [start + k * spec.segment_stride for k in range(spec.segments)]


def video_window(frames: np.ndarray, start: int, spec: SyncModelSpec) -> np.ndarray:
    """(segments, frames, 3, H, W) float32, normalised per channel, for the window at `start`."""
    clips = np.stack([frames[s:s + spec.frames] for s in _segment_starts(start, spec)])
    x = clips.astype(np.float32) / 255.0
    x = (x - np.asarray(spec.mean, np.float32)) / np.asarray(spec.std, np.float32)
    return np.ascontiguousarray(x.transpose(0, 1, 4, 2, 3))  # ... H W C -> ... C H W


def mel_window(audio: np.ndarray, start: int, spec: SyncModelSpec) -> np.ndarray:
    """(segments, 1, n_mels, mel_frames) float32: each segment's samples (the ones its frames
    span) to a normalised log-mel spectrogram, computed per segment as Synchformer does."""
    librosa = require("librosa", "a learned sync model's audio features")
    rate = spec.audio_rate_hz
    length = int(round(spec.frames / spec.video_fps * rate))
    pieces = []
    for s in _segment_starts(start, spec):
        first = int(round(s / spec.video_fps * rate))
        piece = audio[first:first + length]
        pieces.append(np.pad(piece, (0, length - len(piece))))  # silence past the end
    mel = librosa.feature.melspectrogram(
        y=np.stack(pieces).astype(np.float32), sr=rate, n_fft=spec.n_fft,
        hop_length=int(round(spec.hop_s * rate)), win_length=int(round(spec.window_s * rate)),
        window="hann", center=True, pad_mode="reflect", power=2.0,
        n_mels=spec.n_mels, fmin=0.0, fmax=rate / 2.0, htk=True, norm=None,
    )
    log_mel = np.log(mel + spec.log_eps)
    cut = log_mel[..., : spec.mel_frames]
    log_mel = np.pad(cut, ((0, 0), (0, 0), (0, spec.mel_frames - cut.shape[-1])))
    x = (log_mel - spec.mel_mean) / spec.mel_std
    return np.ascontiguousarray(x[:, None].astype(np.float32))
