"""The speech stage: every line of the Scene spoken before the timeline, so every later stage
knows each line's true length, its phones and its visemes.

`speak(scene)` casts a voice for each speaker (speech.casting), has an engine say each line
(speech.engines: Piper, Festival, flite, espeak-ng), delivers it as written (speech.delivery:
pitch, shout, whisper, the rise of a question), and makes vocal sounds (laughter, a cough,
applause, a cheering crowd) by synthesis (speech.vocal_sounds). The timeline places the lines;
animation moves the lips to their visemes; audio only places the samples it is given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from worldreel.errors import SceneError
from worldreel.rng import generator
from worldreel.scene import Line, Scene
from worldreel.speech import engines
from worldreel.speech.casting import Voice, cast, named_voice, speaker_key
from worldreel.speech.delivery import LIFT_DB, SPEAKING_RMS_DB, delivered, levelled
from worldreel.speech.scripts import fallback_voice
from worldreel.speech.spoken import SAMPLE_RATE, Phone, Spoken
from worldreel.speech.visemes import Viseme, visemes

NATURAL_WPM = 160  # words_per_minute that means "the voice's own pace"
CROWD_GAIN = 0.4  # one voice of a crowd (peak -3 dBFS as made) near a spoken line's level


@dataclass(frozen=True)
class SpokenLine:
    """One line of the Scene as spoken: samples at 48 kHz starting with the first sound, its
    phones and visemes (seconds from the first sample), and the voice that said it (None for a
    crowd)."""

    index: int
    speaker: str
    voice: Voice | None
    samples: np.ndarray
    phones: tuple[Phone, ...]
    visemes: tuple[Viseme, ...]
    timing: str

    @property
    def seconds(self) -> float:
        return len(self.samples) / SAMPLE_RATE


@dataclass(frozen=True)
class Speech:
    """Every line of a Scene spoken, in Scene order, with the cast and what fell back."""

    lines: tuple[SpokenLine, ...] = ()
    voices: dict[str, Voice] = field(default_factory=dict)
    notes: tuple[str, ...] = ()


def speak(scene: Scene) -> Speech:
    """Every line of `scene.audio.dialogue` spoken. SceneError names the line when a voice is
    unknown or no installed voice can speak its text."""
    if not scene.audio.dialogue:
        return Speech()
    voices = cast(scene)
    lines, notes = [], []
    for n, line in enumerate(scene.audio.dialogue):
        where = f"audio.dialogue[{n}]"
        key = speaker_key(line)
        if line.sound is not None:
            spoken = _sound(scene, n, line)
            voice = None  # synthesized, not said by an engine's voice
        else:
            voice = named_voice(line.voice, where) if line.voice else voices[key]
            fallback = fallback_voice(line.text, voice, where)
            if fallback is not None:
                voice, note = fallback
                notes.append(note)
            rate = voice.rate * (line.words_per_minute or NATURAL_WPM) / NATURAL_WPM
            spoken = _spoken(line.text, voice.engine, voice.name, round(rate, 4), line.delivery,
                             voice.cents, voice.tremor)
        lines.append(SpokenLine(n, key, voice, spoken.samples, spoken.phones,
                                visemes(spoken.phones), spoken.timing))
    return Speech(tuple(lines), voices, tuple(notes))


@lru_cache(maxsize=256)
def _spoken(text: str, engine_name: str, voice: str, rate: float, delivery: str, cents: int,
            tremor: float) -> Spoken:
    said = engines.engine(engine_name).synthesize(text, voice, rate=rate)
    samples = delivered(said.samples, text, delivery, cents, tremor)
    samples.setflags(write=False)
    return Spoken(samples, said.phones, said.timing)


def _sound(scene: Scene, n: int, line: Line) -> Spoken:
    from worldreel.speech.casting import traits_of  # noqa: PLC0415
    from worldreel.speech.vocal_sounds import mix_level_db, vocal_sound  # noqa: PLC0415

    rng = generator(scene.seed, f"speech.sound.{n}")
    traits = traits_of(scene, speaker_key(line))
    try:
        made = vocal_sound(line.sound, traits, rng, count=line.count, seconds=line.seconds)
    except ValueError as exc:
        raise SceneError(f"audio.dialogue[{n}]: {exc}") from None
    lift = mix_level_db(line.sound, traits)  # an animal's call or a horn: louder than a voice
    if line.count == 1 and not line.is_crowd:
        samples = delivered(made.samples, None, line.delivery)
        if lift:
            samples = levelled(samples, SPEAKING_RMS_DB + LIFT_DB[line.delivery] + lift)
    else:  # several people: each at one person's level, so the sum grows with the crowd
        samples = np.asarray(made.samples) * CROWD_GAIN * 10 ** (lift / 20)
    samples.setflags(write=False)
    return Spoken(samples, made.phones, made.timing)


__all__ = ["Speech", "SpokenLine", "Voice", "Viseme", "Phone", "speak", "SAMPLE_RATE"]
