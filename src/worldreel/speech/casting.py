"""Casting: which voice each speaker gets.

A speaker (a character, an entity, or the narrator) keeps one voice for the whole Scene, chosen
from the body it has: sex from `body.gender`, and age, which picks a base voice and how it is
shifted (voices.yaml). Speakers are cast in the order they first speak, each taking the best
installed voice of the needed sex that nobody has yet; when the voices run out a voice is reused
at a clearly different pitch. Nothing random: the same Scene always casts the same voices, so a
character sounds the same in every shot and every clip made from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from worldreel.errors import SceneError
from worldreel.scene import ANIMAL_SOUNDS, SIGNAL_SOUNDS, Line, Scene
from worldreel.speech import engines

NARRATOR = ""  # the speaker key of lines with no speaker


@dataclass(frozen=True)
class Voice:
    """A voice as a speaker uses it: an engine's voice, shifted by `cents` (pitch and formants
    together), spoken at `rate` times its natural pace, with `tremor` (0..1) of an aged voice."""

    engine: str
    name: str
    cents: int = 0
    rate: float = 1.0
    tremor: float = 0.0

    @property
    def label(self) -> str:
        shift = f" {self.cents:+d} cents" if self.cents else ""
        return f"{self.engine}:{self.name}{shift}"


@dataclass(frozen=True)
class _Catalogued:
    engine: str
    name: str
    sex: str
    quality: int


@lru_cache(maxsize=1)
def _catalogue() -> dict:
    return yaml.safe_load((Path(__file__).with_name("voices.yaml")).read_text())


def installed_voices() -> tuple[_Catalogued, ...]:
    """The catalogue's voices whose engine and voice are installed here, best first."""
    found = []
    for entry in _catalogue()["voices"]:
        engine_name, name = entry["voice"].split(":", 1)
        if engine_name not in engines.available_engines():
            continue
        module = engines.engine(engine_name)
        if name in module.voices() or (engine_name == "espeak" and module.knows(name)):
            found.append(_Catalogued(engine_name, name, entry["sex"], int(entry["quality"])))
    return tuple(sorted(found, key=lambda v: -v.quality))


def named_voice(text: str, where: str) -> Voice:
    """The voice a line names: `engine:name`, or a bare espeak-ng voice (en, de+f3) as Scenes
    written before other engines name them. SceneError saying what exists when it is unknown."""
    engine_name, name = text.split(":", 1) if ":" in text else ("espeak", text)
    if engine_name not in engines.ENGINE_NAMES:
        raise SceneError(f"{where}: no speech engine {engine_name!r}; engines: "
                         + ", ".join(engines.ENGINE_NAMES))
    if engine_name not in engines.available_engines():
        raise SceneError(f"{where}: the {engine_name} speech engine is not installed here "
                         f"({engines.engine(engine_name).INSTALL}); leave out `voice` to cast "
                         "one that is")
    voices = engines.engine(engine_name).voices()
    if name not in voices and not (engine_name == "espeak" and engines.engine("espeak").knows(name)):
        shown = ", ".join(sorted(voices)[:12]) + (" ..." if len(voices) > 12 else "")
        raise SceneError(f"{where}: {engine_name} has no voice {name!r}; it has {shown}")
    return Voice(engine_name, name)


def speaker_key(line: Line) -> str:
    return line.speaker if line.speaker is not None else NARRATOR


def cast(scene: Scene) -> dict[str, Voice]:
    """The voice of every speaker with a spoken line (not a sound made by a crowd), by speaker
    id (NARRATOR for narration)."""
    catalogue = _catalogue()
    pool = installed_voices()
    given: dict[tuple[str, str], list[int]] = {}  # each voice's pitches so far (cents)
    voices: dict[str, Voice] = {}
    for line in scene.audio.dialogue:
        key = speaker_key(line)
        if key in voices or line.is_crowd or line.sound in ANIMAL_SOUNDS + SIGNAL_SOUNDS:
            continue  # no one's speaking voice: synthesized calls and signals
        age, sex = _age_and_sex(scene, key)
        shaping = next(a for a in catalogue["ages"] if age < a["below"])
        base_sex = shaping["base"][sex]
        candidates = [v for v in pool if v.sex == base_sex] or list(pool)
        if not candidates:
            raise SceneError("no speech voice is installed: install espeak-ng "
                             "(apt-get install espeak-ng) or remove audio.dialogue")
        # among the voices nearly as good as the best, the least used, the best of those: two
        # women get two voices when there are two, and share one at different pitches when
        # there is one; a much worse voice (espeak-ng beside an HTS voice) only when nothing
        # else is installed
        good = [v for v in candidates if v.quality >= candidates[0].quality - QUALITY_SLACK]
        choice = min(good, key=lambda v: (len(given.get((v.engine, v.name), [])), -v.quality,
                                          good.index(v)))
        taken = given.setdefault((choice.engine, choice.name), [])
        cents = _distinct_pitch(int(shaping["cents"][sex]), taken, catalogue["repeat_cents"])
        taken.append(cents)
        voices[key] = Voice(choice.engine, choice.name, cents, float(shaping["rate"]),
                            float(shaping["tremor"]))
    return voices


QUALITY_SLACK = 2  # a voice this much worse than the best is still cast before one is reused
DISTINCT_CENTS = 300  # two speakers of one voice are this far apart in pitch (3 semitones)


def _distinct_pitch(wanted: int, taken: list[int], offsets: list[int]) -> int:
    """`wanted`, or the nearest of wanted + offset that is DISTINCT_CENTS from every pitch
    the voice already speaks at."""
    for cents in [wanted, *(wanted + o for o in offsets)]:
        if all(abs(cents - other) >= DISTINCT_CENTS for other in taken):
            return cents
    return wanted + offsets[-1] * (1 + len(taken))


def traits_of(scene: Scene, key: str):
    """The speaker's larynx and vocal tract for synthesized vocal sounds (laughter, a gasp),
    from the same age and sex that cast their voice; for one of the Scene's animals its
    AnimalTraits. SceneError names the animal when its species has no calls or its breed or
    size is unknown."""
    from worldreel.speech.vocal_sounds import AnimalTraits, VoiceTraits  # noqa: PLC0415

    for n, animal in enumerate(scene.animals):
        if animal.id == key:
            try:
                return AnimalTraits(animal.species, animal.size, animal.breed)
            except ValueError as error:
                raise SceneError(f"animals[{n}] ({key!r}): {error}") from None

    age, sex = _age_and_sex(scene, key)
    shaping = next(a for a in _catalogue()["ages"] if age < a["below"])
    return VoiceTraits(f0_hz=float(shaping["f0"][sex]),
                       formant_scale=float(shaping["formants"][sex]),
                       breathiness=float(shaping["breathiness"][sex]))


ADULT_AGE = 30.0


def _age_and_sex(scene: Scene, key: str) -> tuple[float, str]:
    """A character's age and sex from its body; entities and the narrator speak as adults
    (a man's voice unless the body says otherwise)."""
    for character in scene.characters:
        if character.id == key:
            return character.body.age, "male" if character.body.gender >= 0.5 else "female"
    return ADULT_AGE, "male"
