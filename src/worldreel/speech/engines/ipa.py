"""IPA onto ARPAbet: espeak-ng's and Piper's phonemes in the phone set of speech.spoken.

The mapping is data (ipa_arpabet.yaml, read once): units matched longest first so diphthongs
stay whole, length marks that only matter where a lengthened unit is listed, stress and other
diacritics dropped, syllabic consonants spoken as a schwa and the consonant. A symbol the table
does not know falls back to its base letter, then to a neutral vowel: mapping never fails,
because a face that mouths "ah" for an exotic symbol is better than a line that cannot be spoken.
"""

from __future__ import annotations

import logging
import unicodedata
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Any

import yaml

from worldreel.speech.spoken import ARPABET, PAUSE

_LOG = logging.getLogger(__name__)

VOWELS = frozenset({"aa", "ae", "ah", "ao", "aw", "ax", "ay", "eh", "er", "ey", "ih", "iy", "ow",
                    "oy", "uh", "uw"})


class _Table:
    """ipa_arpabet.yaml, checked."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.units: dict[str, tuple[str, ...]] = {}
        for ipa, phones in data["phones"].items():
            arpabet = (phones,) if isinstance(phones, str) else tuple(phones)
            unknown = [phone for phone in arpabet if phone not in ARPABET]
            if unknown or not arpabet:
                raise ValueError(f"ipa_arpabet.yaml: {ipa!r} maps to non-ARPAbet {unknown}")
            self.units[unicodedata.normalize("NFC", ipa)] = arpabet
        self.longest = max(len(unit) for unit in self.units)
        self.ignore = frozenset(data["ignore"])
        self.length = frozenset(data["length"])
        self.syllabic = frozenset(data["syllabic"])
        self.syllabic_r: str = data["syllabic_r"]
        self.syllabic_vowel: str = data["syllabic_vowel"]
        self.pause = frozenset(data["pause"])
        self.fallback: str = data["fallback"]
        for phone in (self.syllabic_r, self.syllabic_vowel, self.fallback):
            if phone not in ARPABET:
                raise ValueError(f"ipa_arpabet.yaml: {phone!r} is not ARPAbet")


@cache
def _table() -> _Table:
    text = resources.files(__package__).joinpath("ipa_arpabet.yaml").read_text("utf-8")
    return _Table(yaml.safe_load(text))


def to_arpabet(ipa: str) -> tuple[str, ...]:
    """The ARPAbet phones of an IPA string: one espeak-ng phoneme ("aɪ", "ɑːɹ", "n̩") or a whole
    phonemized phrase ("məˈmɑː meɪd"). A pause symbol, or an empty string, is ("pau",);
    whitespace separates words and adds nothing."""
    table = _table()
    # NFC: Piper writes decomposed symbols ("ç" as c + cedilla), the table composed ones. An
    # ASCII colon is espeak's length mark in some events ("a:").
    text = unicodedata.normalize("NFC", ipa).replace(":", "ː")
    if text.strip() in table.pause:
        return (PAUSE,)
    phones: list[str] = []
    index = 0
    while index < len(text):
        for size in range(min(table.longest, len(text) - index), 0, -1):
            unit = table.units.get(text[index:index + size])
            if unit is not None:
                phones.extend(unit)
                index += size
                break
        else:
            _symbol(text[index], phones, table)
            index += 1
    return tuple(phones)


def _symbol(symbol: str, phones: list[str], table: _Table) -> None:
    """One symbol that starts no unit: a mark that changes the previous phone, or an unknown."""
    if symbol.isspace() or symbol in table.ignore or symbol in table.length:
        return
    if symbol in table.pause:
        if phones and phones[-1] != PAUSE:
            phones.append(PAUSE)
        return
    if symbol in table.syllabic:
        if phones and phones[-1] == "r":
            phones[-1] = table.syllabic_r
        elif phones and phones[-1] not in VOWELS and phones[-1] != PAUSE:
            phones.insert(len(phones) - 1, table.syllabic_vowel)
        return
    base = unicodedata.normalize("NFD", symbol)[0]
    if base != symbol and base in table.units:
        phones.extend(table.units[base])  # an accented letter: its base letter's phone
        return
    if unicodedata.category(symbol).startswith(("M", "Sk", "Lm", "P", "S", "C", "Z")):
        return  # an unlisted diacritic, modifier, punctuation or control: no sound of its own
    _LOG.warning("IPA symbol %r (U+%04X) is not in ipa_arpabet.yaml: spoken as %r", symbol,
                 ord(symbol), table.fallback)
    phones.append(table.fallback)


def split_duration(phones: Sequence[str], start: float, end: float
                   ) -> list[tuple[str, float, float]]:
    """Share one engine phoneme's time among the ARPAbet phones it maps to: a vowel gets twice
    a consonant's share ("ɑːɹ" lasting 150 ms is aa 100 ms then r 50 ms)."""
    weights = [2.0 if phone in VOWELS else 1.0 for phone in phones]
    total = sum(weights)
    pieces: list[tuple[str, float, float]] = []
    at = start
    for number, (phone, weight) in enumerate(zip(phones, weights, strict=True)):
        stop = end if number == len(phones) - 1 else at + (end - start) * weight / total
        pieces.append((phone, at, stop))
        at = stop
    return pieces
