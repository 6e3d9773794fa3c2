"""How a line is delivered, after the engine has spoken it: the speaker's pitch and tremor, a
shout or a whisper, the lift of an exclamation and the rise of a question, and one speaking
level for every voice.

Pitch shifts run through sox (WSOLA: length kept, so phone times stay true); a whisper is the
voice's own spectral envelope (linear prediction per 25 ms frame) excited by noise instead of
the glottis, which is what whispering is (Tartter, JASA 86, 1989).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import soundfile
from scipy.linalg import solve_toeplitz
from scipy.signal import lfilter

from worldreel.errors import AudioError
from worldreel.speech.spoken import SAMPLE_RATE
from worldreel.tempfiles import scratch_folder

SPEAKING_RMS_DB = -20.0  # a voiced line's RMS, dBFS, before the mix sets dialogue against the rest
LIFT_DB = {"normal": 0.0, "shout": 8.0, "whisper": -9.0}
EXCLAMATION_DB = 3.0
SHOUT_CENTS = 300  # a raised voice is pitched up ~3 semitones (and strained: more treble)
QUESTION_RISE_CENTS = 400  # over the last QUESTION_RISE_S of a yes-no question (a rise of 4-8
# semitones is typical in American English: Hirst & Di Cristo, Intonation Systems, 1998)
QUESTION_RISE_S = 0.35
TREMOR_HZ = 5.5  # vocal tremor of an aged voice sits at 4-7 Hz
PEAK = 0.89  # -1 dBFS
SOX_TIMEOUT_S = 60.0


def delivered(samples: np.ndarray, text: str | None, delivery: str, cents: int = 0,
              tremor: float = 0.0) -> np.ndarray:
    """The line as the speaker says it (same length as `samples`, so its phones still fit)."""
    effects: list[str] = []
    shift = cents + (SHOUT_CENTS if delivery == "shout" else 0)
    if shift:
        effects += ["pitch", str(shift)]
    if is_yes_no_question(text) and len(samples) > SAMPLE_RATE // 2:
        start = max(0.0, len(samples) / SAMPLE_RATE - QUESTION_RISE_S)
        effects += ["bend", f"{start:.3f},{QUESTION_RISE_CENTS},{QUESTION_RISE_S:.3f}"]
    if delivery == "shout":
        effects += ["treble", "+6"]
    if tremor > 0:
        effects += ["tremolo", f"{TREMOR_HZ:g}", f"{100 * 0.4 * tremor:.1f}"]
    out = _sox(samples, effects) if effects else np.array(samples, dtype=np.float64)
    if delivery == "whisper":
        out = whispered(out)
    lift = LIFT_DB[delivery] + (EXCLAMATION_DB if text and text.rstrip().endswith("!") else 0.0)
    return levelled(out, SPEAKING_RMS_DB + lift)


# A question that opens with one of these asks for information and falls at its end in English;
# one that asks yes or no rises.
WH_WORDS = frozenset({"what", "where", "when", "why", "who", "whom", "whose", "which", "how"})


def is_yes_no_question(text: str | None) -> bool:
    """Whether the line ends in a question asking yes or no (whose pitch rises at the end)."""
    if text is None or not text.rstrip().endswith("?"):
        return False
    last = re.split(r"(?<=[.!?])\s+", text.strip())[-1]
    words = re.findall(r"[a-z']+", last.lower())
    return not words or words[0] not in WH_WORDS


def levelled(samples: np.ndarray, rms_db: float) -> np.ndarray:
    """`samples` scaled so their loud part (frames within 30 dB of the loudest) has RMS
    `rms_db`, then softly limited under -1 dBFS."""
    frame = SAMPLE_RATE // 50
    n = len(samples) // frame
    if n == 0:
        return samples.copy()
    energy = (samples[: n * frame].reshape(n, frame) ** 2).mean(axis=1)
    loud = energy[energy > energy.max() * 1e-3]
    gain = 10 ** (rms_db / 20) / np.sqrt(loud.mean())
    out = samples * gain
    over = np.abs(out) > PEAK * 0.8
    if over.any():  # a soft knee above -3 dBFS instead of a clip
        knee = PEAK * 0.8
        out = np.where(over, np.sign(out) * (knee + (PEAK - knee)
                                             * np.tanh((np.abs(out) - knee) / (PEAK - knee))), out)
    return out


WHISPER_FRAME_S, WHISPER_HOP_S, WHISPER_ORDER = 0.025, 0.0125, 24


def whispered(samples: np.ndarray, seed: int = 0) -> np.ndarray:
    """The same words whispered: each frame's vocal-tract filter (LPC) driven by white noise of
    the frame's residual energy, overlap-added."""
    frame = int(WHISPER_FRAME_S * SAMPLE_RATE)
    hop = int(WHISPER_HOP_S * SAMPLE_RATE)
    window = np.hanning(frame)
    noise = np.random.default_rng(seed).standard_normal(len(samples) + frame)
    out = np.zeros(len(samples) + frame)
    padded = np.concatenate([samples, np.zeros(frame)])
    for start in range(0, len(samples), hop):
        piece = padded[start:start + frame] * window
        r = np.correlate(piece, piece, "full")[frame - 1: frame + WHISPER_ORDER]
        if r[0] <= 1e-12:
            continue
        r[0] *= 1.0 + 1e-6  # a little white-noise correction keeps the system well posed
        a = solve_toeplitz(r[:-1], -r[1:])
        error = max(r[0] + float(np.dot(a, r[1:])), 0.0)
        excitation = noise[start:start + frame] * np.sqrt(error / frame)
        out[start:start + frame] += lfilter([1.0], np.concatenate([[1.0], a]), excitation) * window
    return out[: len(samples)]


def _sox(samples: np.ndarray, effects: list[str]) -> np.ndarray:
    program = shutil.which("sox")
    if program is None:
        raise AudioError("shaping a voice needs sox: install it (apt-get install sox)")
    with scratch_folder("voice") as folder:
        source, target = Path(folder) / "in.wav", Path(folder) / "out.wav"
        soundfile.write(source, samples.astype(np.float32), SAMPLE_RATE, subtype="FLOAT")
        try:
            done = subprocess.run([program, "-q", str(source), str(target), *effects],
                                  capture_output=True, timeout=SOX_TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise AudioError(f"sox took longer than {SOX_TIMEOUT_S:g} s to shape a voice") from None
        if done.returncode != 0:
            raise AudioError("sox could not shape a voice: "
                             + done.stderr.decode("utf-8", "replace").strip()[:200])
        out, rate = soundfile.read(target, dtype="float64")
    if out.ndim == 2:
        out = out.mean(axis=1)
    # sox keeps the length to within a few samples; pad or trim so phone times stay exact
    return np.pad(out, (0, max(0, len(samples) - len(out))))[: len(samples)]
