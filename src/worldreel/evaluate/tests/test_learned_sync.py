"""The learned sync backend on tiny ONNX models built here with onnx.helper (no weights, no
network): a real offset detector made of a few ops, and broken models for the load checks."""

from __future__ import annotations

import json
import sys

import numpy as np
import pytest

onnx = pytest.importorskip("onnx")
pytest.importorskip("onnxruntime")
pytest.importorskip("librosa")

from onnx import TensorProto, helper  # noqa: E402

from worldreel.evaluate.errors import EvaluationError  # noqa: E402
from worldreel.evaluate.learned_sync import SyncModel, learned_sync  # noqa: E402
from worldreel.evaluate.learned_sync_features import (  # noqa: E402
    METADATA_KEY,
    clip_audio,
    clip_frames,
    mel_window,
    spec_from_metadata,
    video_window,
)
from worldreel.media import encode_clip  # noqa: E402

RATE = 48000
SIZE = (64, 32)  # width, height: the 32x32 centre square is what the model sees
FPS = 50  # encoded at twice the model's 25 fps, so frames must be resampled
# Small settings: 3 segments of 16 frames, 8 apart (a 1.28 s window); 16 mel bins whose 40 ms
# hop is one video frame, so mel frame m and video frame m of a segment are the same instant.
TINY = {"frames": 16, "segments": 3, "segment_stride": 8, "image_size": 32, "short_side": 32,
        "n_mels": 16, "hop_s": 0.04, "window_s": 0.04, "n_fft": 1024, "mel_frames": 16}
# In Synchformer's sign (positive = sound early), as a real export would declare them.
CLASS_OFFSETS_S = [-0.32, -0.16, 0.0, 0.16, 0.32]
EVENTS_S = [0.28, 1.00, 1.76, 2.48, 3.32, 4.04]  # on the 25 fps grid, 0.72-0.84 s apart
STEP_S = 0.16
DURATION_S = 4.4


def _metadata(extra: dict | None = None) -> dict:
    return {**TINY, "class_offsets_s": CLASS_OFFSETS_S, **(extra or {})}


def _save(graph, path, metadata: dict | None) -> str:
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8  # what every onnxruntime since 1.17 reads
    if metadata is not None:
        helper.set_model_props(model, {METADATA_KEY: json.dumps(metadata)})
    onnx.checker.check_model(model)
    onnx.save(model, str(path))
    return str(path)


def _const(name: str, values) -> onnx.TensorProto:
    return helper.make_tensor(name, TensorProto.INT64, [len(values)], list(values))


def detector_model(path, gain: float = 40.0) -> str:
    """For each offset class, the correlation over each segment between the picture's mean
    brightness and the sound's mean log-mel energy shifted by that class's offset (both with
    their segment mean removed), averaged over segments: a genuine offset detector."""
    s, t, size, mels = TINY["segments"], TINY["frames"], TINY["image_size"], TINY["n_mels"]
    video = helper.make_tensor_value_info("video", TensorProto.FLOAT,
                                          ["batch", s, t, 3, size, size])
    mel = helper.make_tensor_value_info("mel", TensorProto.FLOAT, ["batch", s, 1, mels, t])
    logits = helper.make_tensor_value_info("logits", TensorProto.FLOAT,
                                           ["batch", len(CLASS_OFFSETS_S)])
    nodes = [
        helper.make_node("ReduceMean", ["video"], ["bright"], axes=[3, 4, 5], keepdims=0),
        helper.make_node("ReduceMean", ["bright"], ["bright_mean"], axes=[2], keepdims=1),
        helper.make_node("Sub", ["bright", "bright_mean"], ["b"]),
        helper.make_node("ReduceMean", ["mel"], ["energy"], axes=[2, 3], keepdims=0),
        helper.make_node("ReduceMean", ["energy"], ["energy_mean"], axes=[2], keepdims=1),
        helper.make_node("Sub", ["energy", "energy_mean"], ["e"]),
    ]
    inits = [_const("axis2", [2]), helper.make_tensor("gain", TensorProto.FLOAT, [], [gain])]
    scores = []
    for k, class_s in enumerate(CLASS_OFFSETS_S):
        delay = int(round(-class_s * 25))  # a positive class = sound early = audio delay < 0
        b_from, b_to = (0, t - delay) if delay >= 0 else (-delay, t)
        e_from, e_to = (delay, t) if delay >= 0 else (0, t + delay)
        inits += [_const(f"b_from{k}", [b_from]), _const(f"b_to{k}", [b_to]),
                  _const(f"e_from{k}", [e_from]), _const(f"e_to{k}", [e_to])]
        nodes += [
            helper.make_node("Slice", ["b", f"b_from{k}", f"b_to{k}", "axis2"], [f"bs{k}"]),
            helper.make_node("Slice", ["e", f"e_from{k}", f"e_to{k}", "axis2"], [f"es{k}"]),
            helper.make_node("Mul", [f"bs{k}", f"es{k}"], [f"p{k}"]),
            helper.make_node("ReduceMean", [f"p{k}"], [f"ps{k}"], axes=[2], keepdims=0),
            helper.make_node("ReduceMean", [f"ps{k}"], [f"score{k}"], axes=[1], keepdims=1),
        ]
        scores.append(f"score{k}")
    nodes += [helper.make_node("Concat", scores, ["raw"], axis=1),
              helper.make_node("Mul", ["raw", "gain"], ["logits"])]
    graph = helper.make_graph(nodes, "detector", [video, mel], [logits], initializer=inits)
    return _save(graph, path, _metadata())


def plain_model(path, *, names=("video", "mel"), ranks=(6, 5), classes=5,
                metadata: dict | None = None, video_dims=None) -> str:
    """A model that loads but only averages its inputs: for the load checks."""
    def dims(rank, fixed):
        return fixed if fixed is not None else ["batch"] + [None] * (rank - 1)

    inputs = [helper.make_tensor_value_info(names[0], TensorProto.FLOAT,
                                            dims(ranks[0], video_dims)),
              helper.make_tensor_value_info(names[1], TensorProto.FLOAT, dims(ranks[1], None))]
    out = helper.make_tensor_value_info("logits", TensorProto.FLOAT, ["batch", classes])
    nodes = [
        helper.make_node("ReduceMean", [names[0]], ["v"], axes=list(range(1, ranks[0])),
                         keepdims=1),
        helper.make_node("Reshape", ["v", "col"], ["v2"]),
        helper.make_node("Tile", ["v2", "reps"], ["logits"]),
    ]
    inits = [_const("col", [-1, 1]), _const("reps", [1, classes])]
    graph = helper.make_graph(nodes, "plain", inputs, [out], initializer=inits)
    return _save(graph, path, _metadata() if metadata is None else metadata)


def make_clip(path, delay_s: float | list[float] | None, *,
              duration_s: float = DURATION_S) -> str:
    """A dark picture whose centre flashes at EVENTS_S; a click at each event + delay_s (one
    delay for all, or one per event; None: no audio); and the side strips, outside the centre
    crop, flashing bright STEP_S after each event: a model shown the whole frame would see a
    picture late by STEP_S."""
    width, height = SIZE
    n = int(round(duration_s * FPS))
    flash = {int(round(e * FPS)) + i for e in EVENTS_S for i in (0, 1)}
    strips = {int(round((e + STEP_S) * FPS)) + i for e in EVENTS_S for i in (0, 1)}

    def frames():
        for i in range(n):
            frame = np.full((height, width, 3), 40, np.uint8)
            if i in flash:
                frame[:, 16:48] = 140
            if i in strips:
                frame[:, :16] = frame[:, 48:] = 255
            yield frame

    audio = None
    if delay_s is not None:
        rng = np.random.default_rng(7)
        audio = (rng.standard_normal(int(duration_s * RATE)) * 1e-3).astype(np.float32)
        delays = delay_s if isinstance(delay_s, list) else [delay_s] * len(EVENTS_S)
        for e, delay in zip(EVENTS_S, delays):
            at = int(round((e + delay) * RATE))
            if at + 480 > len(audio):
                continue
            audio[at:at + 480] += 0.5 * rng.standard_normal(480).astype(np.float32)
    encode_clip(path, frames(), audio, fps=FPS, size=SIZE, frame_count=n)
    return str(path)


@pytest.fixture(scope="module")
def detector(tmp_path_factory):
    return SyncModel.load(detector_model(tmp_path_factory.mktemp("models") / "detector.onnx"))


@pytest.fixture(scope="module")
def clips(tmp_path_factory):
    root = tmp_path_factory.mktemp("sync_clips")
    return {name: make_clip(root / f"{name}.mp4", delay)
            for name, delay in (("sync", 0.0), ("late", STEP_S), ("early", -STEP_S))}


def test_detector_finds_the_offset_and_its_sign(detector, clips):
    results = {name: learned_sync(path, detector) for name, path in clips.items()}
    assert detector.spec.offsets_s == (0.32, 0.16, 0.0, -0.16, -0.32)  # turned to sound-late
    expected = {"sync": 0.0, "late": 160.0, "early": -160.0}
    for name, result in results.items():
        assert result.offset_ms == pytest.approx(expected[name]), name
        # every window holds a whole flash-and-click pair, so each one agrees
        assert [w[1] for w in result.windows] == pytest.approx([expected[name]] * 6), name
        assert result.desync_ms == pytest.approx(abs(expected[name])), name
        assert result.confidence > 0.5, name
    assert results["sync"].in_sync
    assert not results["late"].in_sync and not results["early"].in_sync
    # 4.4 s at 25 fps = 110 frames: windows of 32 frames every 16, then one flush with the end
    assert [w[0] for w in results["sync"].windows] == pytest.approx(
        [0.0, 0.64, 1.28, 1.92, 2.56, 78 / 25])
    late = results["late"]
    assert list(late.offsets_ms) == pytest.approx([-320, -160, 0, 160, 320])
    assert late.probabilities[3] == pytest.approx(late.confidence)
    assert late.probabilities.sum() == pytest.approx(1.0)
    assert late.rows()[0][2] == "FAIL (> 125 ms late)"
    assert results["early"].rows()[0][2] == "FAIL (> 45 ms early)"
    assert results["sync"].rows()[0][2] == "ok"
    data = late.to_dict()
    assert data["offset_ms"] == 160.0 and data["class_step_ms"] == 160.0
    assert json.loads(json.dumps(data)) == data


def test_each_window_reads_its_own_stretch(detector, tmp_path):
    """Sound that drifts from in sync to late: the first windows say 0, the last +160 ms, and
    DeSync is the mean of what the windows say."""
    path = make_clip(tmp_path / "drift.mp4", [0.0, 0.0, 0.0, STEP_S, STEP_S, STEP_S])
    result = learned_sync(path, detector)
    said = [offset for _, offset, _ in result.windows]
    assert said[:2] == [0.0, 0.0] and said[-2:] == [160.0, 160.0]
    assert result.desync_ms == pytest.approx(np.mean(np.abs(said)))
    assert 0.0 < result.desync_ms < 160.0
    assert result.offset_ms == result.offsets_ms[np.argmax(result.probabilities)]


def test_same_clip_same_answer(detector, clips):
    first, second = (learned_sync(clips["late"], detector) for _ in range(2))
    assert first.to_dict() == second.to_dict()
    assert np.array_equal(first.probabilities, second.probabilities)


@pytest.mark.parametrize(("size", "short_side"), [((128, 64), 32), ((64, 32), 48)])
def test_preprocessing_crops_normalises_and_keeps_time(tmp_path, size, short_side):
    """A centre half in one colour between green strips, and a 1 kHz tone: the model must get
    the centre's colour per channel, normalised, at 25 fps, and the tone in the right mel bin.
    (The first size is scaled down in the decoder, the second scaled up.)"""
    spec = spec_from_metadata({METADATA_KEY: json.dumps(_metadata(
        {"mean": [0.4, 0.5, 0.6], "std": [0.2, 0.25, 0.3], "short_side": short_side}))}, "test")
    width, height = size
    frame = np.zeros((height, width, 3), np.uint8)
    frame[:, :] = (0, 255, 0)
    frame[:, width // 4:3 * width // 4] = (200, 100, 50)
    t = np.arange(2 * RATE) / RATE
    tone = (0.3 * np.sin(2 * np.pi * 1000.0 * t)).astype(np.float32)
    path = tmp_path / "solid.mp4"
    encode_clip(path, (frame for _ in range(2 * FPS)), tone, fps=FPS, size=size,
                frame_count=2 * FPS)

    frames = clip_frames(path, spec)
    assert frames.shape == (50, 32, 32, 3)  # 2 s at 25 fps, the centre square only
    video = video_window(frames, 0, spec)
    assert video.shape == spec.video_shape == (3, 16, 3, 32, 32)
    want = (np.array([200, 100, 50]) / 255 - np.array(spec.mean)) / np.array(spec.std)
    inner = video[:, :, :, 4:-4, 4:-4]  # away from the chroma edge of the green strips
    assert inner.mean(axis=(0, 1, 3, 4)) == pytest.approx(want, abs=0.05)

    audio = clip_audio(path, spec)
    assert len(audio) == pytest.approx(2 * spec.audio_rate_hz, abs=0.03 * spec.audio_rate_hz)
    mel = mel_window(audio, 0, spec)
    assert mel.shape == spec.mel_shape == (3, 1, 16, 16)
    import librosa  # noqa: PLC0415

    centres = librosa.mel_frequencies(n_mels=spec.n_mels + 2, fmin=0.0,
                                      fmax=spec.audio_rate_hz / 2, htk=True)[1:-1]
    loudest = int(np.argmax(mel[0, 0, :, 4:12].mean(axis=1)))
    assert loudest == int(np.argmin(np.abs(centres - 1000.0)))  # a tone read at 16 kHz


def test_clip_shorter_than_a_window(detector, tmp_path):
    path = make_clip(tmp_path / "short.mp4", 0.0, duration_s=1.0)
    with pytest.raises(EvaluationError, match=r"at least 1\.28 s"):
        learned_sync(path, detector)


def test_clip_that_is_not_there(detector, tmp_path):
    with pytest.raises(EvaluationError, match="no such file"):
        learned_sync(tmp_path / "missing.mp4", detector)


def test_clip_without_sound(detector, tmp_path):
    path = make_clip(tmp_path / "silent.mp4", None, duration_s=2.0)
    with pytest.raises(EvaluationError, match="no audio stream"):
        learned_sync(path, detector)


@pytest.mark.parametrize(
    ("build", "message"),
    [
        (None, "no such file"),
        ("text", "not an ONNX model"),
        (dict(names=("frames", "audio")), r"needs exactly the inputs video .* and mel"),
        (dict(ranks=(5, 5)), "input video has rank 5; it must be rank 6"),
        (dict(classes=4), "has 4 classes but its class table has 5 offsets"),
        (dict(video_dims=["batch", 3, 16, 3, 224, 224]), r"input video is \(batch, 3, 16, 3, "
                                                         r"224, 224\) but its settings give"),
        (dict(metadata=_metadata({"fps": 30})), r"unknown keys \['fps'\]"),
        (dict(metadata=_metadata({"positive_offset_means": "late"})), "positive_offset_means"),
        (dict(metadata=_metadata({"frames": 0})), "frames must be an integer above 0"),
    ],
)
def test_load_refuses_a_model_it_cannot_use(tmp_path, build, message):
    path = tmp_path / "model.onnx"
    if build == "text":
        path.write_text("not a model\n")
    elif build is not None:
        plain_model(path, **build)
    with pytest.raises(EvaluationError, match=message):
        SyncModel.load(path)


def test_default_settings_are_synchformers(tmp_path):
    model = SyncModel.load(plain_model(tmp_path / "m.onnx", classes=21, metadata={}))
    spec = model.spec
    assert (spec.video_fps, spec.frames, spec.segments, spec.image_size) == (25.0, 16, 14, 224)
    assert (spec.audio_rate_hz, spec.n_mels, spec.mel_frames) == (16000, 128, 66)
    assert spec.window_duration_s == pytest.approx(4.8)
    assert spec.offsets_s[0] == 2.0 and spec.offsets_s[-1] == -2.0 and len(spec.offsets_s) == 21


def test_missing_onnxruntime_names_the_extra(tmp_path, monkeypatch):
    path = plain_model(tmp_path / "m.onnx")
    monkeypatch.setitem(sys.modules, "onnxruntime", None)  # import fails as if not installed
    with pytest.raises(EvaluationError, match=r"pip install 'worldreel\[sync-model\]'"):
        SyncModel.load(path)


def test_module_imports_without_onnxruntime():
    """The default install has no onnxruntime: the module (and so evaluation) still imports."""
    import subprocess  # noqa: PLC0415

    code = ("import sys; sys.modules['onnxruntime'] = None; "
            "import worldreel.evaluate.learned_sync as m; print(m.SyncModelSpec().frames)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "16"


def test_eval_command_scores_with_the_model(clips, tmp_path):
    """`worldreel eval --sync-model` adds the model's row and JSON; a model it cannot use is
    refused before any clip is analysed, with nothing written."""
    from click.testing import CliRunner  # noqa: PLC0415

    from worldreel.cli import main  # noqa: PLC0415

    model = detector_model(tmp_path / "detector.onnx")
    out = tmp_path / "late.json"
    result = CliRunner().invoke(
        main, ["eval", clips["late"], "--sync-model", model, "--json", str(out)]
    )
    assert result.exit_code == 0, result.output
    learned = json.loads(out.read_text())["learned_sync"]
    assert learned["offset_ms"] == pytest.approx(1000 * STEP_S, abs=1.0)
    assert "learned" in result.output.lower()
    broken = tmp_path / "broken.onnx"
    broken.write_bytes(b"not a model")
    refused = CliRunner().invoke(
        main,
        ["eval", clips["late"], "--sync-model", str(broken), "--json", str(tmp_path / "x.json")],
    )
    assert refused.exit_code != 0 and "broken.onnx" in refused.output
    assert not (tmp_path / "x.json").exists()
