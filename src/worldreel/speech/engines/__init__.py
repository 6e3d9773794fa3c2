"""Text-to-speech engines: each speaks a line in one of its voices and returns a `Spoken`.

Every engine module has the same face: NAME, INSTALL (what to install to have it), available()
(installed and runnable; cached where it costs a program run), voices(), and
synthesize(text, voice, *, rate=1.0) -> Spoken. All of them
are GPL or similar programs run in their own processes (speech.engines.common.run), never
imported. ENGINES is in order of quality: Piper's neural voice when the `voice` extra is
installed, festival's HTS voice, flite, and espeak-ng, which ships with Debian and always works.
"""

from __future__ import annotations

from typing import Protocol

from worldreel.speech.engines import espeak, festival, flite, piper
from worldreel.speech.engines.common import EngineError
from worldreel.speech.spoken import Spoken


class Engine(Protocol):
    """What each engine module provides (modules satisfy this protocol structurally)."""

    NAME: str
    INSTALL: str

    def available(self) -> bool: ...

    def voices(self) -> tuple[str, ...]: ...

    def synthesize(self, text: str, voice: str, *, rate: float = 1.0) -> Spoken: ...


ENGINES: tuple[Engine, ...] = (piper, festival, flite, espeak)
ENGINE_NAMES: tuple[str, ...] = tuple(module.NAME for module in ENGINES)


def engine(name: str) -> Engine:
    """The engine module called `name` ("piper", "festival", "flite" or "espeak")."""
    for candidate in ENGINES:
        if candidate.NAME == name:
            return candidate
    raise EngineError(f"there is no speech engine {name!r}; the engines are: "
                      + ", ".join(ENGINE_NAMES))


def available_engines() -> tuple[str, ...]:
    """The names of the engines installed here, best first."""
    return tuple(candidate.NAME for candidate in ENGINES if candidate.available())


__all__ = ["ENGINES", "ENGINE_NAMES", "Engine", "EngineError", "available_engines", "engine"]
