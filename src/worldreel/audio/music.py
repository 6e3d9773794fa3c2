"""Music on request: a short seeded score for a mood, played by FluidSynth with a General MIDI
SoundFont, levelled under the foley and ducked wherever the foley speaks.

The score is written here (chords, bass, a melody drawn from the scale, drums for lively moods)
as a MIDI file and rendered offline by the `fluidsynth` program, so nothing is downloaded and
the same seed gives the same music.
"""

from __future__ import annotations

import shutil
import subprocess
import warnings
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import numpy as np
from scipy.io import wavfile

from worldreel.audio.clock import SAMPLE_RATE, sample_count
from worldreel.audio.ducking import duck
from worldreel.audio.master import integrated_loudness
from worldreel.audio.midi import Note, midi_file
from worldreel.errors import AudioError
from worldreel.tempfiles import scratch_folder

SOUNDFONTS = (  # Debian's fluid-soundfont-gm, then other common places
    "/usr/share/sounds/sf2/FluidR3_GM.sf2",
    "/usr/share/soundfonts/FluidR3_GM.sf2",
    "/usr/share/sounds/sf2/default-GM.sf2",
    "/usr/share/soundfonts/default.sf2",
)
INSTALL_HINT = ("install FluidSynth and a General MIDI SoundFont (Debian/Ubuntu: "
                "apt-get install fluidsynth fluid-soundfont-gm), or make the clip without music")
RENDER_TIMEOUT_S = 120
MUSIC_UNDER_FOLEY_LU = 10.0  # the score sits this far under the foley's loudness
MUSIC_ALONE_LUFS = -20.0  # level when there is no foley to sit under
FADE_OUT_S = 0.8

MAJOR = (0, 2, 4, 5, 7, 9, 11)
MINOR = (0, 2, 3, 5, 7, 8, 10)


@dataclass(frozen=True)
class Style:
    """How a mood is played: tempo, key, progression (scale degrees), GM programs, drums."""

    tempo: float
    root: int  # MIDI pitch of the tonic, middle octave
    scale: tuple[int, ...]
    progression: tuple[int, ...]
    chords: int  # GM program of the chord instrument
    bass: int
    lead: int
    drums: bool
    velocity: int
    lead_density: float  # chance of a melody note on each half beat


MOODS: MappingProxyType[str, Style] = MappingProxyType({
    "calm": Style(72, 60, MAJOR, (0, 4, 5, 3), 89, 32, 0, False, 60, 0.35),
    "tense": Style(96, 62, MINOR, (0, 0, 5, 4), 48, 43, 49, False, 80, 0.25),
    "upbeat": Style(120, 67, MAJOR, (0, 4, 5, 3), 0, 33, 12, True, 90, 0.6),
    "sad": Style(66, 57, MINOR, (0, 5, 2, 6), 48, 32, 0, False, 55, 0.3),
    "playful": Style(110, 65, MAJOR, (0, 3, 4, 0), 45, 32, 71, True, 80, 0.5),
})


def score(mood: str, duration: float, rng: np.random.Generator, under: np.ndarray | None = None
          ) -> np.ndarray:
    """(n, 2) float64 music for `mood`, levelled and ducked under the `under` (foley) stem."""
    style = _style(mood)
    notes, programs = compose(style, duration, rng)
    audio = render(midi_file(notes, style.tempo, programs), sample_count(duration))
    return duck(_level(audio, under), under)


def _style(mood: str) -> Style:
    try:
        return MOODS[mood.strip().lower()]
    except KeyError:
        raise AudioError(
            f"unknown music mood {mood!r}; known moods: {', '.join(sorted(MOODS))}") from None


def compose(style: Style, duration: float, rng: np.random.Generator
            ) -> tuple[list[Note], dict[int, int]]:
    """Notes (in beats) for `duration` seconds of this style, ending on the tonic."""
    beats = int(np.ceil(duration * style.tempo / 60.0)) + 1
    bars = int(np.ceil(beats / 4))
    notes: list[Note] = []
    v = style.velocity

    def pitch(degree: int, octave: int = 0) -> int:
        steps = len(style.scale)
        return style.root + 12 * (octave + degree // steps) + style.scale[degree % steps]

    melody_degree = 7  # start on the tonic an octave up
    for bar in range(bars):
        last = bar == bars - 1
        degree = 0 if last else style.progression[bar % len(style.progression)]
        start = 4.0 * bar
        for k in (0, 2, 4):  # triad, voiced around middle C
            notes.append(Note(start, 4.0, 0, pitch(degree + k, -1), int(v * 0.7)))
        notes.append(Note(start, 2.0, 1, pitch(degree, -2), v))
        notes.append(Note(start + 2.0, 2.0, 1, pitch(degree + (4 if not last else 0), -2),
                          int(v * 0.9)))
        if style.drums and not last:
            for beat in range(4):
                notes.append(Note(start + beat, 0.25, 9, 36 if beat % 2 == 0 else 38,
                                  int(v * (1.0 if beat % 2 == 0 else 0.8))))
                for half in (0.0, 0.5):
                    notes.append(Note(start + beat + half, 0.2, 9, 42, int(v * 0.55)))
        for half in range(8 if not last else 1):
            if half and rng.random() > style.lead_density:
                continue
            chord_tone = half % 4 == 0
            if chord_tone:  # strong beats land on a chord tone near the last note
                options = [degree + 7 + k for k in (0, 2, 4)]
                melody_degree = min(options, key=lambda d: abs(d - melody_degree))
            else:
                melody_degree = int(np.clip(melody_degree + rng.choice([-2, -1, 1, 2]), 3, 12))
            length = 4.0 if last else 0.5 * int(rng.integers(1, 3))
            notes.append(Note(start + 0.5 * half, length, 2, pitch(melody_degree),
                              int(v * rng.uniform(0.75, 0.95))))
    return notes, {0: style.chords, 1: style.bass, 2: style.lead}


def soundfont() -> Path:
    """The General MIDI SoundFont to play with; AudioError saying what to install if none."""
    for candidate in SOUNDFONTS:
        if Path(candidate).is_file():
            return Path(candidate)
    raise AudioError(f"music needs a General MIDI SoundFont (looked in {', '.join(SOUNDFONTS)}): "
                     f"{INSTALL_HINT}")


def render(midi: bytes, n: int) -> np.ndarray:
    """Play MIDI bytes with FluidSynth into (n, 2) float64 at the pipeline rate."""
    program = shutil.which("fluidsynth")
    if program is None:
        raise AudioError(f"music needs the fluidsynth program: {INSTALL_HINT}")
    font = soundfont()
    with scratch_folder("music") as folder:
        song = Path(folder) / "score.mid"
        out = Path(folder) / "score.wav"
        song.write_bytes(midi)
        command = [program, "-n", "-i", "-q", "-g", "0.5", "-r", str(SAMPLE_RATE), "-T", "wav",
                   "-O", "float", "-F", str(out), str(font), str(song)]
        try:
            subprocess.run(command, check=True, capture_output=True, timeout=RENDER_TIMEOUT_S)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as error:
            detail = getattr(error, "stderr", b"") or b""
            raise AudioError(f"fluidsynth could not render the score: "
                             f"{detail.decode(errors='replace').strip()[:200] or error}") from None
        with warnings.catch_warnings():  # fluidsynth adds a LIST chunk scipy does not parse
            warnings.simplefilter("ignore", wavfile.WavFileWarning)
            rate, data = wavfile.read(out)
    if rate != SAMPLE_RATE:
        raise AudioError(f"fluidsynth rendered at {rate} Hz instead of {SAMPLE_RATE} Hz")
    data = np.asarray(data, dtype=np.float64)
    if data.ndim == 1:
        data = np.stack([data, data], axis=1)
    audio = np.zeros((n, 2))
    audio[: min(n, len(data))] = data[:n, :2]
    k = min(n // 2, int(FADE_OUT_S * SAMPLE_RATE))
    if k > 0:
        audio[n - k:] *= np.linspace(1.0, 0.0, k)[:, None] ** 2
    return audio


def _level(music: np.ndarray, under: np.ndarray | None) -> np.ndarray:
    """Music scaled to sit MUSIC_UNDER_FOLEY_LU under the foley (or at MUSIC_ALONE_LUFS)."""
    current = integrated_loudness(music)
    if not np.isfinite(current):
        return music
    foley = integrated_loudness(under) if under is not None else float("-inf")
    target = foley - MUSIC_UNDER_FOLEY_LU if np.isfinite(foley) else MUSIC_ALONE_LUFS
    return music * 10.0 ** ((target - current) / 20.0)
