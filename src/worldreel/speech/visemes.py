"""Visemes: the visible mouth shapes of a spoken line, from its phones (visemes.yaml).

Neighbouring phones with the same shape merge into one viseme, so a line is a sequence of
distinct mouth targets with times; how the face blends between them (coarticulation) is the
animation stage's job (animation.lips).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from worldreel.speech.spoken import ARPABET, Phone

SILENCE = "sil"


@dataclass(frozen=True)
class Viseme:
    """One mouth shape from `start` to `end` seconds of its line."""

    name: str
    start: float
    end: float


@lru_cache(maxsize=1)
def viseme_of_phone() -> dict[str, str]:
    """Each ARPAbet phone's viseme."""
    table = yaml.safe_load(Path(__file__).with_name("visemes.yaml").read_text())
    mapping = {phone: viseme for viseme, phones in table.items() for phone in phones}
    missing = ARPABET - set(mapping)
    if missing:
        raise ValueError(f"visemes.yaml gives no viseme for {', '.join(sorted(missing))}")
    return mapping


def visemes(phones: tuple[Phone, ...]) -> tuple[Viseme, ...]:
    """The line's visemes in order, neighbours of one shape merged."""
    table = viseme_of_phone()
    out: list[Viseme] = []
    for phone in phones:
        name = table[phone.symbol]
        if out and out[-1].name == name:
            out[-1] = Viseme(name, out[-1].start, phone.end)
        else:
            out.append(Viseme(name, phone.start, phone.end))
    return tuple(out)
