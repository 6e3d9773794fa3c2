"""What every speech engine shares: running its program, reading its WAV, and turning its raw
output into a `Spoken`.

Engines are GPL programs (espeak-ng, festival, flite, Piper) and run in their own processes,
with the text in a file or on standard input, never on a command line (where `ps` shows it and
a leading "-" would be an option). Whatever the engine's sample rate and silences, a `Spoken` is
48 kHz mono float64 starting at its first sound, with ARPAbet phones that follow each other
without gaps from 0 to its last sample.
"""

from __future__ import annotations

import math
import os
import shutil
import subprocess
import unicodedata
import wave
from collections.abc import Iterable, Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any, Literal

import numpy as np
from scipy.signal import resample_poly

from worldreel.errors import AudioError
from worldreel.speech.spoken import ARPABET, PAUSE, SAMPLE_RATE, Phone, Spoken

TIMEOUT_S = 120.0  # a long paragraph takes festival about 0.2 s per second of speech
MIN_RATE, MAX_RATE = 0.5, 2.5  # speed factors every engine renders intelligibly

# Sound detection: 10 ms frames every 5 ms. A frame is sound when its RMS is well above the
# clip's noise floor and not far below its loudest frame: festival's diphone voices and flite's
# kal hiss at about -60 dBFS (peak - 45 dB) in their pauses, espeak's pauses are digital zero.
FRAME = 480
HOP = 240
FLOOR_MARGIN = 4.0  # x the noise floor (12 dB)
BELOW_PEAK_MIN = 10 ** (-40 / 20)  # the threshold is never under peak - 40 dB ...
BELOW_PEAK_MAX = 10 ** (-30 / 20)  # ... nor over peak - 30 dB (a soft /f/ onset is ~ -30 dB)
ABSOLUTE_MIN = 1e-4  # -80 dBFS: dither is not speech


class EngineError(AudioError):
    """A speech engine is missing, refused a voice, or failed on a line. The message names the
    engine, the voice and what to do."""


def program(name: str, *, engine: str, install: str) -> str:
    """The path of an engine's program, or an EngineError saying what to install."""
    found = shutil.which(name)
    if found is None:
        raise EngineError(f"the {engine} speech engine is not installed ({name} is not on PATH): "
                          f"{install}, or choose another engine")
    return found


def check_line(text: str, rate: float, *, engine: str) -> None:
    """Refuse what no engine can speak: an empty line, or a speed outside MIN_RATE..MAX_RATE."""
    if not text.strip():
        raise EngineError(f"{engine}: the line to speak is empty")
    if not (math.isfinite(rate) and MIN_RATE <= rate <= MAX_RATE):
        raise EngineError(f"{engine}: speaking rate {rate!r} is outside {MIN_RATE:g}..{MAX_RATE:g} "
                          "(1.0 is the voice's normal speed)")


def unknown_voice(engine: str, voice: str, voices: Iterable[str]) -> EngineError:
    known = ", ".join(voices) or "none installed"
    return EngineError(f"{engine} has no voice {voice!r}; its voices here are: {known}")


def run(command: Sequence[str], *, engine: str, voice: str, stdin: bytes | None = None,
        cwd: Path | None = None, timeout_s: float = TIMEOUT_S, advice: str = ""
        ) -> subprocess.CompletedProcess[bytes]:
    """Run an engine's program to completion; an EngineError (naming the engine, the voice and
    `advice`) when it cannot start, runs past `timeout_s` or exits non-zero. Given `cwd` (the
    line's scratch folder), the program's temporary files go there too, and so go with it
    (onnxruntime, under Piper, leaves a `.ses` file in the temporary folder otherwise)."""
    where = f"{engine} (voice {voice!r})"
    tail = f" ({advice})" if advice else ""
    env = None if cwd is None else {**os.environ, "TMPDIR": str(cwd), "TMP": str(cwd),
                                    "TEMP": str(cwd)}
    try:
        done = subprocess.run(list(command), input=stdin, capture_output=True, cwd=cwd, env=env,
                              timeout=timeout_s, check=False,
                              stdin=None if stdin is not None else subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise EngineError(f"{where} took longer than {timeout_s:g} s for one line: "
                          f"shorten the line{tail}") from None
    except OSError as error:
        raise EngineError(f"{where} could not start: {error}{tail}") from None
    if done.returncode != 0:
        raise EngineError(f"{where} failed (exit status {done.returncode})"
                          f"{': ' + last_line(done.stderr) if done.stderr.strip() else ''}{tail}")
    return done


def last_line(output: bytes) -> str:
    """The last non-empty line a program wrote: where its error message usually is."""
    lines = [line.strip() for line in output.decode("utf-8", "replace").splitlines()]
    return next((line for line in reversed(lines) if line), "")


def ascii_text(text: str) -> str:
    """The text in ASCII for festival and flite, whose tokenizers read bytes: typographic
    punctuation made plain, accents dropped ("café" -> "cafe"), other scripts removed."""
    plain = text.translate(_TYPOGRAPHY)
    decomposed = unicodedata.normalize("NFKD", plain)
    return decomposed.encode("ascii", "ignore").decode("ascii")


_TYPOGRAPHY = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
                             "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2013": "-",
                             "\u2014": " - ", "\u2026": "...", "\u00a0": " "})


def read_wav(path: Path, *, engine: str, voice: str) -> np.ndarray:
    """A 16-bit PCM WAV as mono float64 at 48 kHz.

    The standard library's reader, not scipy's: flite writes its 8 kHz voices' headers with a
    wrong byte rate, which scipy refuses and which no reader needs."""
    try:
        with wave.open(str(path), "rb") as source:
            channels, width = source.getnchannels(), source.getsampwidth()
            rate = source.getframerate()
            data = source.readframes(source.getnframes())
    except (OSError, EOFError, wave.Error) as error:
        raise EngineError(f"{engine} (voice {voice!r}) wrote no readable WAV: {error}") from None
    if width != 2 or rate <= 0:
        raise EngineError(f"{engine} (voice {voice!r}) wrote {8 * width}-bit audio at {rate} Hz; "
                          "16-bit PCM was expected")
    samples = np.frombuffer(data, dtype="<i2").astype(np.float64) / 32768.0
    if channels > 1:
        samples = samples[: len(samples) // channels * channels].reshape(-1, channels).mean(axis=1)
    divisor = math.gcd(SAMPLE_RATE, rate)
    if rate != SAMPLE_RATE:
        samples = resample_poly(samples, SAMPLE_RATE // divisor, rate // divisor)
    return samples


def sound_span(samples: np.ndarray) -> tuple[int, int] | None:
    """[start, stop) of the samples from the first sound to the last, or None for silence."""
    if len(samples) < FRAME:
        loud = np.flatnonzero(np.abs(samples) > ABSOLUTE_MIN)
        return (int(loud[0]), int(loud[-1]) + 1) if len(loud) else None
    frames = np.lib.stride_tricks.sliding_window_view(samples, FRAME)[::HOP]
    rms = np.sqrt(np.mean(frames ** 2, axis=1))
    peak = float(rms.max())
    floor = float(np.percentile(rms, 5))
    threshold = max(ABSOLUTE_MIN, min(max(FLOOR_MARGIN * floor, BELOW_PEAK_MIN * peak),
                                      BELOW_PEAK_MAX * peak))
    sounding = np.flatnonzero(rms > threshold)
    if len(sounding) == 0:
        return None
    # Frame precision (5 ms) refined to the sample: the first and last samples over the
    # threshold inside the first and last sounding frames.
    first = sounding[0] * HOP
    head = np.flatnonzero(np.abs(samples[first:first + FRAME]) > threshold)
    start = first + (int(head[0]) if len(head) else 0)
    last = sounding[-1] * HOP
    tail = np.flatnonzero(np.abs(samples[last:last + FRAME]) > threshold)
    stop = last + (int(tail[-1]) + 1 if len(tail) else FRAME)
    return start, stop


def finish(samples: np.ndarray, phones: Sequence[tuple[str, float, float]], *,
           timing: Literal["engine", "aligned"], engine: str, voice: str,
           span: tuple[int, int] | None = None) -> Spoken:
    """The Spoken line from an engine's 48 kHz samples and its phones (symbol, start s, end s,
    timed from samples[0]): the leading and trailing silence trimmed (`span`, found when not
    given) and the phone times shifted with it; the pauses the engine put before the first and
    after the last sound dropped; phones made contiguous, from 0 to the last sample."""
    if span is None:
        span = sound_span(samples)
    if span is None:
        raise EngineError(f"{engine} (voice {voice!r}) produced only silence for this line")
    start, stop = span
    clip = np.array(samples[start:stop], dtype=np.float64)
    clip.setflags(write=False)
    seconds = len(clip) / SAMPLE_RATE
    shift = start / SAMPLE_RATE
    kept: list[list[Any]] = []  # [symbol, start, end], edited in place
    for symbol, begin, end in phones:
        if symbol not in ARPABET:
            raise EngineError(f"{engine} reported {symbol!r}, which is not an ARPAbet phone")
        begin, end = min(max(begin - shift, 0.0), seconds), min(max(end - shift, 0.0), seconds)
        if end <= begin:
            continue  # wholly in the trimmed silence, or a zero-length marker
        if kept and symbol == PAUSE and kept[-1][0] == PAUSE:
            kept[-1][2] = end  # one pause, however many the engine reported in a row
            continue
        kept.append([symbol, begin, end])
    # The engine's own leading and trailing pauses are what was trimmed: what is left of them
    # belongs to the first and last sounds.
    while len(kept) > 1 and kept[0][0] == PAUSE:
        kept.pop(0)
    while len(kept) > 1 and kept[-1][0] == PAUSE:
        kept.pop()
    if not kept or kept[0][0] == PAUSE:
        raise EngineError(f"{engine} (voice {voice!r}) reported no phones for this line")
    # Contiguous: each phone ends where the next begins (a gap goes to the phone before it), the
    # first begins at 0 and the last ends on the last sample.
    kept[0][1] = 0.0
    for before, after in pairwise(kept):
        after[1] = max(after[1], before[1])
        before[2] = after[1]
    kept[-1][2] = seconds
    return Spoken(samples=clip, phones=tuple(Phone(s, float(b), float(e)) for s, b, e in kept),
                  timing=timing)


# Festival's and flite's English voices speak the "radio" phone set of the CMU dictionary:
# ARPAbet with a few allophones more, folded here onto the phone a viewer would see. Syllabic
# consonants become a schwa and the consonant, as the CMU dictionary writes "button"
# (B AH1 T AH0 N).
_RADIO: dict[str, tuple[str, ...]] = {
    "axr": ("er",), "dx": ("t",), "nx": ("n",), "hv": ("hh",), "ix": ("ih",), "ux": ("uw",),
    "el": ("ax", "l"), "em": ("ax", "m"), "en": ("ax", "n"), "q": ("t",),
    "h#": (PAUSE,), "#": (PAUSE,), "sil": (PAUSE,), "ssil": (PAUSE,), "brth": (PAUSE,),
}


def radio_to_arpabet(name: str) -> tuple[str, ...] | None:
    """One festival/flite segment name as ARPAbet phones ("axr" -> ("er",)); None for a name
    outside the English phone set (a non-English voice's)."""
    phone = name.strip().lower().rstrip("012")  # stress digits, should a voice print them
    if phone in ARPABET:
        return (phone,)
    return _RADIO.get(phone)
