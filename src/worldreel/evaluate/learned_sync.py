"""A/V sync measured by a learned offset classifier (Synchformer-style) that the user supplies.

Synchformer (Iashin, Xie, Rahtu, Zisserman, 2024: "Synchformer: Efficient Synchronization from
Sparse Cues") reads 4.8 s of picture and sound and says which of 21 offsets, -2.0 to +2.0 s in
0.2 s steps, separates them. MMAudio's DeSync metric is its mean absolute predicted offset:
hkchengrex/av-benchmark (av_bench/evaluate.py) takes the argmax class of the first and of the
last 14 segments of each 8 s clip, and averages |offset| over both and over all clips. The input
conventions it relies on are listed in `learned_sync_features`, with where each was read.

Synchformer is a PyTorch model, and torch stays out of WorldReel's install. So the user exports
their model to ONNX once (the architecture travels in the file) and onnxruntime runs it on the
CPU (`pip install 'worldreel[sync-model]'`). Nothing is downloaded: the path is the user's file.

The ONNX model must have two float32 inputs and one output:
  video (batch, segments, frames, 3, H, W)   frames normalised with `mean` / `std`
  mel   (batch, segments, 1, n_mels, mel_frames)   normalised log-mel, one per segment
  logits (batch, classes)                     one per entry of the class table
and may declare its settings as JSON in metadata_props key "worldreel.sync_model" (keys:
video_fps, frames, segments, segment_stride, image_size, short_side, mean, std, audio_rate_hz,
n_mels, hop_s, window_s, n_fft, mel_frames, log_eps, mel_mean, mel_std, class_offsets_s,
positive_offset_means). Absent keys take Synchformer's values, so a plain Synchformer export
needs none. An export, for a model whose forward(video, audio) returns (_, logits) as
Synchformer's does:

    class Logits(torch.nn.Module):
        def __init__(self, model): super().__init__(); self.model = model
        def forward(self, video, mel): return self.model(video, mel)[1]
    torch.onnx.export(Logits(model).eval(),
                      (torch.zeros(1, 14, 16, 3, 224, 224), torch.zeros(1, 14, 1, 128, 66)),
                      "synchformer.onnx", input_names=["video", "mel"],
                      output_names=["logits"], opset_version=17)

(av-benchmark's Synchformer class, the one behind MMAudio's DeSync, has no such forward: return
model.compare_v_a(model.extract_vfeats(video), model.extract_afeats(mel)); its inputs have the
same layouts). Settings other than Synchformer's go in with onnx.helper.set_model_props(
model_proto, {"worldreel.sync_model": json.dumps({...})}) and onnx.save.

The clip is read in windows half a window apart (plus one flush with its end); each window's
class probabilities (softmax of the logits) are averaged, and the class with the highest mean
probability is the clip's offset. DeSync is the mean over windows of |argmax offset|, as MMAudio
computes it per window. Offsets are WorldReel's: audio minus picture, positive = sound late.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from worldreel.evaluate.errors import EvaluationError, require
from worldreel.evaluate.learned_sync_features import (
    METADATA_KEY,
    SyncModelSpec,
    clip_audio,
    clip_frames,
    mel_window,
    spec_from_metadata,
    video_window,
    window_starts,
    window_text,
)
from worldreel.evaluate.sync import (
    SOUND_EARLY_LIMIT_MS,
    SOUND_LATE_LIMIT_MS,
    outside_window,
    within_bt1359,
)

__all__ = ["LearnedSync", "SyncModel", "SyncModelSpec", "learned_sync"]

VIDEO_INPUT, MEL_INPUT = "video", "mel"
_INPUT_LAYOUT = {
    VIDEO_INPUT: "(batch, segments, frames, 3, height, width)",
    MEL_INPUT: "(batch, segments, 1, n_mels, mel_frames)",
}
_FLOAT = "tensor(float)"


def _onnxruntime():
    try:
        return require("onnxruntime", "a learned sync model")
    except EvaluationError as err:
        raise EvaluationError(
            "a learned sync model needs onnxruntime: pip install 'worldreel[sync-model]'"
        ) from err


class SyncModel:
    """A user's ONNX sync model, checked against the inputs WorldReel will give it."""

    def __init__(self, path: Path, spec: SyncModelSpec, session) -> None:
        self.path = path
        self.spec = spec
        self._session = session
        self._output = session.get_outputs()[0].name

    @classmethod
    def load(cls, path: str | Path) -> SyncModel:
        path = Path(path)
        if not path.is_file():
            what = "is a directory" if path.is_dir() else "no such file"
            raise EvaluationError(f"sync model {path}: {what}; give the path of an .onnx file")
        ort = _onnxruntime()
        options = ort.SessionOptions()
        options.log_severity_level = 3  # errors only: warnings go to stderr, not the report
        try:
            session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
        except Exception as err:  # onnxruntime's own exception types (InvalidProtobuf, Fail...)
            raise EvaluationError(
                f"sync model {path}: not an ONNX model onnxruntime can load "
                f"({type(err).__name__}: {str(err).strip()[:300]}); export it with "
                "torch.onnx.export"
            ) from err
        source = f"sync model {path}"
        spec = spec_from_metadata(session.get_modelmeta().custom_metadata_map, source)
        _check_inputs(session, spec, source)
        _check_output(session, spec, source)
        return cls(path, spec, session)

    def logits(self, video: np.ndarray, mel: np.ndarray) -> np.ndarray:
        """The class logits (classes,) for one window: video `spec.video_shape`, mel
        `spec.mel_shape` (no batch axis)."""
        for name, array, shape in ((VIDEO_INPUT, video, self.spec.video_shape),
                                   (MEL_INPUT, mel, self.spec.mel_shape)):
            if tuple(array.shape) != shape:
                raise EvaluationError(f"{name} window is {tuple(array.shape)}, the model "
                                      f"takes {shape}")
        feeds = {VIDEO_INPUT: np.asarray(video, np.float32)[None],
                 MEL_INPUT: np.asarray(mel, np.float32)[None]}
        (out,) = self._session.run([self._output], feeds)
        out = np.asarray(out, dtype=np.float64).reshape(-1)
        if out.shape != (len(self.spec.offsets_s),):
            raise EvaluationError(f"sync model {self.path}: gave {out.size} logits for "
                                  f"{len(self.spec.offsets_s)} offset classes")
        return out


def _check_inputs(session, spec: SyncModelSpec, source: str) -> None:
    found = {i.name: i for i in session.get_inputs()}
    expected = {VIDEO_INPUT: (1, *spec.video_shape), MEL_INPUT: (1, *spec.mel_shape)}
    wanted = " and ".join(f"{name} {_INPUT_LAYOUT[name]}" for name in expected)
    has = ", ".join(f"{i.name} (rank {len(i.shape)})" for i in found.values()) or "none"
    if set(found) != set(expected):
        raise EvaluationError(f"{source}: needs exactly the inputs {wanted}; it has {has}. "
                              "Export with input_names=['video', 'mel']")
    for name, shape in expected.items():
        node = found[name]
        if len(node.shape) != len(shape):
            raise EvaluationError(f"{source}: input {name} has rank {len(node.shape)}; it must "
                                  f"be rank {len(shape)}: {_INPUT_LAYOUT[name]}")
        if node.type != _FLOAT:
            raise EvaluationError(f"{source}: input {name} is {node.type}; export the model "
                                  f"in float32 ({_FLOAT})")
        for axis, (have, want) in enumerate(zip(node.shape, shape)):
            # dynamic axes (None or a name) take any size; a fixed one must agree with the spec
            if axis > 0 and isinstance(have, int) and have != want:
                raise EvaluationError(
                    f"{source}: input {name} is {_shape_text(node.shape)} but its settings "
                    f"give {_shape_text(shape)}; set segments, frames, image_size, n_mels and "
                    f"mel_frames in metadata {METADATA_KEY!r} to the model's sizes")


def _check_output(session, spec: SyncModelSpec, source: str) -> None:
    outputs = session.get_outputs()
    if len(outputs) != 1:
        names = ", ".join(o.name for o in outputs)
        raise EvaluationError(f"{source}: must have one output, the offset logits; it has "
                              f"{len(outputs)} ({names}). Export only the logits")
    last = outputs[0].shape[-1] if outputs[0].shape else None
    classes = len(spec.offsets_s)
    if isinstance(last, int) and last != classes:
        raise EvaluationError(
            f"{source}: output {outputs[0].name} has {last} classes but its class table has "
            f"{classes} offsets; set class_offsets_s in metadata {METADATA_KEY!r} to the "
            "model's classes")


def _shape_text(shape) -> str:
    return "(" + ", ".join(str(d) if d is not None else "?" for d in shape) + ")"


def _softmax(logits: np.ndarray) -> np.ndarray:
    z = np.exp(logits - logits.max())
    return z / z.sum()


@dataclass(frozen=True)
class LearnedSync:
    """What the model says about one clip (offsets in ms, positive = sound late)."""

    offset_ms: float  # the class with the highest mean probability over the windows
    confidence: float  # its mean probability
    desync_ms: float  # MMAudio's DeSync: mean over windows of |argmax offset|
    windows: list[tuple[float, float, float]]  # (start_s, argmax offset_ms, its probability)
    probabilities: np.ndarray  # mean class probabilities, in the order of offsets_ms
    offsets_ms: np.ndarray  # the class table, ascending
    in_sync: bool  # offset_ms within ITU-R BT.1359

    @property
    def class_step_ms(self) -> float:
        """The finest spacing of the class table: the resolution of offset_ms."""
        return float(np.min(np.diff(self.offsets_ms)))

    def to_dict(self) -> dict:
        return {
            "offset_ms": round(self.offset_ms, 3),
            "confidence": round(self.confidence, 4),
            "desync_ms": round(self.desync_ms, 3),
            "in_sync": self.in_sync,
            "class_step_ms": round(self.class_step_ms, 3),
            "window_ms": [-SOUND_EARLY_LIMIT_MS, SOUND_LATE_LIMIT_MS],
            "windows": [
                {"start_s": round(s, 4), "offset_ms": round(o, 3), "probability": round(p, 4)}
                for s, o, p in self.windows
            ],
            "offsets_ms": [round(float(v), 3) for v in self.offsets_ms],
            "probabilities": [round(float(v), 5) for v in self.probabilities],
        }

    def rows(self) -> list[tuple[str, str, str]]:
        """(what, value, verdict) rows for the report's table."""
        # chance is the probability of a class when the model cannot tell them apart
        chance = 1.0 / len(self.offsets_ms)
        value = (f"offset {self.offset_ms:+.0f} ms (p {self.confidence:.2f}, chance "
                 f"{chance:.2f}), DeSync "
                 f"{self.desync_ms:.0f} ms over {len(self.windows)} windows "
                 f"(classes {self.class_step_ms:.0f} ms apart)")
        verdict = "ok" if self.in_sync else outside_window(self.offset_ms)
        return [("A/V sync (learned model)", value, verdict)]


def learned_sync(path: str | Path, model: SyncModel) -> LearnedSync:
    """Run `model` over the clip at `path`, window by window, and aggregate its answers."""
    spec = model.spec
    audio = clip_audio(path, spec)  # first: a clip without sound fails before decoding frames
    frames = clip_frames(path, spec)
    starts = window_starts(len(frames), spec)
    if not starts:
        raise EvaluationError(
            f"{path}: {len(frames) / spec.video_fps:.2f} s is shorter than one window of the "
            f"sync model; the clip must be at least {spec.window_duration_s:.2f} s long "
            f"({window_text(spec)})")
    offsets_ms = 1000.0 * np.asarray(spec.offsets_s, dtype=np.float64)
    probabilities = []
    windows = []
    for start in starts:
        probs = _softmax(model.logits(video_window(frames, start, spec),
                                      mel_window(audio, start, spec)))
        best = int(np.argmax(probs))
        windows.append((start / spec.video_fps, float(offsets_ms[best]), float(probs[best])))
        probabilities.append(probs)
    mean = np.mean(probabilities, axis=0)
    best = int(np.argmax(mean))
    order = np.argsort(offsets_ms)
    return LearnedSync(
        offset_ms=float(offsets_ms[best]),
        confidence=float(mean[best]),
        desync_ms=float(np.mean([abs(offset) for _, offset, _ in windows])),
        windows=windows,
        probabilities=mean[order],
        offsets_ms=offsets_ms[order],
        in_sync=within_bt1359(float(offsets_ms[best])),
    )
