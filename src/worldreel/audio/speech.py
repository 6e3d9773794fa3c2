"""Speech: lines of dialogue spoken by espeak-ng, the default text-to-speech backend.

espeak-ng is a formant synthesizer that ships with Debian and needs no downloaded voices or
weights. It is run as a program with the text on standard input (never on the command line), its
WAV output resampled to 48 kHz, and the silence it leads with trimmed so that a line's first
sound is on the sample of its `at` time. Results are cached per (text, voice, rate): the timeline
asks for a line's length before the soundtrack renders it.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from functools import lru_cache
from pathlib import Path

import numpy as np
from scipy.io import wavfile
from scipy.signal import resample_poly

from worldreel.audio.clock import SAMPLE_RATE
from worldreel.errors import AudioError
from worldreel.scene import Line

ENGINE = "espeak-ng"
LEAD_THRESHOLD = 1e-3  # of full scale: quieter leading samples are the engine's silence
TIMEOUT_S = 60.0


def speak(line: Line) -> np.ndarray:
    """The line as mono float64 samples at 48 kHz, starting with its first sound."""
    return _spoken(line.text, line.voice, line.words_per_minute).copy()


def spoken_seconds(line: Line) -> float:
    """How long the line lasts when spoken."""
    return len(_spoken(line.text, line.voice, line.words_per_minute)) / SAMPLE_RATE


@lru_cache(maxsize=256)
def _spoken(text: str, voice: str, words_per_minute: int) -> np.ndarray:
    program = shutil.which(ENGINE)
    if program is None:
        raise AudioError(f"dialogue needs the {ENGINE} speech engine: install it "
                         f"(apt-get install {ENGINE}) or remove audio.dialogue from the Scene")
    # A WAV file, not --stdout: a streamed WAV header does not know its own length.
    with tempfile.TemporaryDirectory(prefix="worldreel-speech-") as folder:
        target = Path(folder) / "line.wav"
        try:
            done = subprocess.run(
                [program, "-v", voice, "-s", str(words_per_minute), "-w", str(target)],
                input=text.encode("utf-8"), capture_output=True, timeout=TIMEOUT_S, check=False)
        except subprocess.TimeoutExpired:
            raise AudioError(f"{ENGINE} took longer than {TIMEOUT_S:g} s for one line") from None
        complaint = done.stderr.decode("utf-8", "replace").strip()
        if done.returncode != 0 or complaint or not target.exists():
            raise AudioError(f"{ENGINE} could not speak with voice {voice!r}"
                             + (f": {complaint.splitlines()[0]}" if complaint else "")
                             + " (see `espeak-ng --voices` for the voices it has)")
        rate, samples = wavfile.read(target)
    audio = samples.astype(np.float64) / 32768.0
    if audio.ndim == 2:
        audio = audio.mean(axis=1)
    divisor = np.gcd(SAMPLE_RATE, rate)
    audio = resample_poly(audio, SAMPLE_RATE // divisor, rate // divisor)
    voiced = np.flatnonzero(np.abs(audio) > LEAD_THRESHOLD)
    if len(voiced) == 0:
        raise AudioError(f"{ENGINE} produced silence for the line {text[:40]!r}")
    audio = audio[voiced[0]:voiced[-1] + 1]
    audio.setflags(write=False)
    return audio
