"""Animal calls (a dog's bark, a cat's meow, a cow's moo, a horse's whinny...) synthesized by
source-filter physics, sized to the animal that makes them.

Each call is data (animal_calls.yaml: F0, voicing, noise and formant keyframes of the species'
reference individual, with their sources); this module renders it with the larynx and tract of
speech.voice_source: glottal pulses (or turbulence) through moving formants. A smaller animal
has a shorter vocal tract and smaller vocal folds: formants scale by 1/size and F0 by
size^-f0_exponent, so a chihuahua yaps where a mastiff woofs. Birds' tonal calls are sine
partials (a syrinx whistle, no tract); the cat's purr is a train of glottal snaps.

`call(kind, traits, rng, seconds)` returns the samples and the marks (phone, start s, end s) of
where the mouth is open, which speech.vocal_sounds turns into a `Spoken`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from scipy.signal import butter, sosfilt

from worldreel.speech.spoken import SAMPLE_RATE
from worldreel.speech.voice_source import (
    band_noise, fade, formant_path, ramp, vocal_tract, voice_source)

DATA = Path(__file__).with_name("animal_calls.yaml")
MIN_SIZE, MAX_SIZE = 0.2, 5.0  # a kitten to a bull elephant relative to their species' reference
F0_SPREAD = 0.04  # one call to the next of one animal varies this much in F0 (log sd)
RUN_LEVEL_DB = 2.0  # and each unit of a run in level
UPPER_FORMANTS_HZ = 12_000.0  # the tract's resonances continue to here
MAX_UPPER_FORMANTS = 8


@lru_cache(maxsize=1)
def _table() -> dict:
    with DATA.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)["species"]


def species_names() -> tuple[str, ...]:
    """Every species with calls."""
    return tuple(_table())


def calls_of(species: str) -> tuple[str, ...]:
    """The calls a species makes ((): none known)."""
    return tuple(_table().get(species, {}).get("calls", {}))


def call_kinds() -> tuple[str, ...]:
    """Every call any species makes, in table order."""
    kinds: list[str] = []
    for entry in _table().values():
        kinds += [k for k in entry["calls"] if k not in kinds]
    return tuple(kinds)


def makers_of(kind: str) -> tuple[str, ...]:
    """The species that make this call."""
    return tuple(name for name, entry in _table().items() if kind in entry["calls"])


def seconds_range(kind: str, species: str) -> tuple[float, float, float]:
    """(shortest, natural, longest) seconds of this species' call."""
    lo, natural, hi = _table()[species]["calls"][kind]["seconds"]
    return float(lo), float(natural), float(hi)


def spl_db(kind: str, species: str) -> float:
    """How loud this species' call is, dB SPL 1 m away (the table's estimate)."""
    return float(_table()[species]["calls"][kind]["spl_db"])


@dataclass(frozen=True)
class AnimalTraits:
    """Which animal makes a call: its species, breed (dogs) and size (linear scale, 1.0 a typical
    adult of the breed, or of the species without one).

    Raises ValueError naming what to change for an unknown species or breed, or a size outside
    MIN_SIZE..MAX_SIZE."""

    species: str
    size: float = 1.0
    breed: str | None = None

    def __post_init__(self) -> None:
        table = _table()
        if self.species not in table:
            raise ValueError(f"no calls are known for the species {self.species!r}; species "
                             f"with calls: {', '.join(table)}")
        if not MIN_SIZE <= float(self.size) <= MAX_SIZE:
            raise ValueError(f"size {self.size} is outside {MIN_SIZE}..{MAX_SIZE} (1.0: a "
                             "typical adult)")
        breeds = table[self.species]["breeds"]
        if self.breed is not None and self.breed not in breeds:
            known = ", ".join(breeds) or "none"
            raise ValueError(f"unknown {self.species} breed {self.breed!r}; breeds: {known}")

    @property
    def scale(self) -> float:
        """Linear size relative to the species' reference individual (breed mass^(1/3) x size)."""
        entry = _table()[self.species]
        mass = entry["breeds"].get(self.breed, entry["mass_kg"]) if self.breed else entry["mass_kg"]
        return float((mass / entry["mass_kg"]) ** (1.0 / 3.0) * self.size)

    @property
    def f0_factor(self) -> float:
        return float(self.scale ** -_table()[self.species]["f0_exponent"])


@dataclass(frozen=True)
class _Larynx:
    """What speech.voice_source reads of a speaker, without its human-voice range checks."""

    f0_hz: float
    formant_scale: float
    breathiness: float
    jitter: float
    shimmer: float


Marks = list[tuple[str, float, float]]


def call(kind: str, traits: AnimalTraits, rng: np.random.Generator,
         seconds: float | None = None) -> tuple[np.ndarray, Marks]:
    """Samples (float64, 48 kHz, peak not normalised) and mouth marks of one animal's call.

    ValueError when the species does not make this call, or `seconds` is outside the call's
    range (a bark lasts at most 0.4 s: a longer run of barks is "barking")."""
    entry = _table()[traits.species]["calls"].get(kind)
    if entry is None:
        makes = ", ".join(calls_of(traits.species))
        raise ValueError(f"a {traits.species} does not make the sound {kind!r}; it makes {makes}")
    lo, natural, hi = seconds_range(kind, traits.species)
    length = natural if seconds is None else float(seconds)
    if not lo <= length <= hi:
        longer = " (a run of barks is 'barking')" if kind == "bark" else ""
        raise ValueError(f"a {traits.species}'s {kind} lasts {lo:g}..{hi:g} s, not "
                         f"{length:g} s{longer}")
    run = entry.get("run")
    if run is None:
        sound = _unit(entry, traits, rng, length)
        return sound, _marks(entry, 0.0, length)
    return _run(entry, run, traits, rng, length)


def _run(entry: dict, run: dict, traits: AnimalTraits, rng: np.random.Generator,
         seconds: float) -> tuple[np.ndarray, Marks]:
    """Units of the call at `rate` a second filling `seconds`, the first at 0."""
    n = max(1, int(round(seconds * SAMPLE_RATE)))
    out = np.zeros(n)
    marks: Marks = []
    short, long = run["unit_seconds"]
    t = 0.0
    while True:
        unit = min(float(rng.uniform(short, long)), seconds - t)
        if unit < 0.5 * short and marks:
            break
        level = 10 ** (RUN_LEVEL_DB * rng.standard_normal() / 20)
        sound = _unit(entry, traits, rng, unit) * level
        start = int(round(t * SAMPLE_RATE))
        out[start:start + len(sound)] += sound[: n - start]
        marks += _marks(entry, t, unit)
        t += 1.0 / float(rng.uniform(*run["rate"]))
        if t >= seconds:
            break
    return out, marks


def _marks(entry: dict, start: float, seconds: float) -> Marks:
    return [(str(phone), start + a * seconds, start + b * seconds)
            for a, b, phone in entry["mouth"]]


def _keys(pairs: list, seconds: float, factor: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    times = np.array([p[0] for p in pairs], float) * seconds
    return times, np.array([p[1] for p in pairs], float) * factor


def _unit(entry: dict, traits: AnimalTraits, rng: np.random.Generator,
          seconds: float) -> np.ndarray:
    """One unit of a call (one bark, one meow) lasting `seconds`."""
    n = max(1, int(round(seconds * SAMPLE_RATE)))
    t = np.arange(n) / SAMPLE_RATE
    variation = float(np.exp(F0_SPREAD * rng.standard_normal()))
    f0 = ramp(n, *_keys(entry["f0"], seconds, traits.f0_factor * variation))
    if "vibrato" in entry:
        rate, cents = entry["vibrato"]
        f0 = f0 * 2.0 ** (cents / 1200.0 * np.sin(2 * np.pi * rate * t + rng.uniform(0, 6.28)))
    if entry.get("pulsed"):
        sound = _pulsed(entry, traits, rng, f0)
    elif entry.get("tonal"):
        sound = _tonal(entry, f0, seconds)
    else:
        sound = _voiced(entry, traits, rng, f0, seconds)
    if "tremolo" in entry:
        rate, depth = entry["tremolo"]
        sound = sound * (1.0 - depth * 0.5 * (1.0 - np.cos(2 * np.pi * rate * t)))
    return fade(sound, 0.002)


def _formant_keys(entry: dict, traits: AnimalTraits, seconds: float) -> list:
    """The tract's keyframes for this animal, the table's formants continued above the last
    one at the tube's mean spacing up to UPPER_FORMANTS_HZ (held still: they barely move), so
    the call keeps its highs, as the real tract's higher resonances keep them (the reason for
    voice_source.higher_poles in the human voice)."""
    first = np.array(entry["formants"][0][1], float) / traits.scale
    spacing = (first[-1] - first[0]) / max(len(first) - 1, 1)
    upper = np.arange(first[-1] + spacing, UPPER_FORMANTS_HZ, spacing)[:MAX_UPPER_FORMANTS]
    last_b = float(entry["bandwidths"][-1]) / traits.scale
    bandwidths = np.concatenate([np.array(entry["bandwidths"], float) / traits.scale,
                                 last_b * upper / first[-1]])
    return [(float(at) * seconds, (np.concatenate([np.array(f, float) / traits.scale, upper]),
                                   bandwidths))
            for at, f in entry["formants"]]


def _voiced(entry: dict, traits: AnimalTraits, rng: np.random.Generator, f0: np.ndarray,
            seconds: float) -> np.ndarray:
    """Glottal pulses and turbulence through the moving tract (and a hiss outside it)."""
    n = len(f0)
    larynx = _Larynx(float(np.median(f0)), 1.0 / traits.scale, entry.get("breathiness", 0.2),
                     entry.get("jitter", 0.01), entry.get("shimmer", 0.04))
    voicing = ramp(n, *_keys(entry["voicing"], seconds))
    noise = ramp(n, *_keys(entry["noise"], seconds))
    excitation = voice_source(f0, voicing, noise, larynx, rng,
                              open_quotient=entry.get("open_quotient", 0.6),
                              breathiness=larynx.breathiness)
    depth = entry.get("subharmonic", 0.0)
    if depth:  # period doubling: every other glottal cycle weaker, a rough f0/2 undertone
        cycles = np.cumsum(f0) / SAMPLE_RATE
        excitation = excitation * (1.0 - depth * 0.5 * (1.0 + np.cos(np.pi * cycles)))
    formants, bandwidths = formant_path(n, _formant_keys(entry, traits, seconds))
    sound = vocal_tract(excitation, formants, bandwidths)
    level = float(np.std(sound))
    sound = sound / level if level > 0 else sound
    drive = entry.get("brass", 0.0)
    if drive:  # the long tube's nonlinear steepening: a loud blare turns brassy
        sound = np.tanh(drive * sound / max(float(np.max(np.abs(sound))), 1e-12))
    if "hiss" in entry:
        low, high = entry["hiss_band"]
        # A steeper top than band_noise's: a nostril's or the teeth's turbulence does not
        # reach far above its band.
        hiss = sosfilt(butter(4, min(high, 0.45 * SAMPLE_RATE), fs=SAMPLE_RATE, output="sos"),
                       band_noise(rng, n, low / max(traits.scale, 1.0), high))
        hiss *= ramp(n, *_keys(entry["hiss"], seconds)) / max(float(np.std(hiss)), 1e-12)
        sound = (sound if level > 0 else 0.0) * 0.5 + hiss
    return sound


def _tonal(entry: dict, f0: np.ndarray, seconds: float) -> np.ndarray:
    """A whistle: sine partials following F0 (a bird's syrinx), under its voicing envelope."""
    phase = 2 * np.pi * np.cumsum(f0) / SAMPLE_RATE
    sound = np.zeros(len(f0))
    for k, gain in enumerate(entry["harmonics"], start=1):
        sound += gain * np.sin(k * phase) * (k * f0 < 0.45 * SAMPLE_RATE)
    return sound * ramp(len(f0), *_keys(entry["voicing"], seconds))


def _pulsed(entry: dict, traits: AnimalTraits, rng: np.random.Generator,
            f0: np.ndarray) -> np.ndarray:
    """A purr: a snap of sound at each glottal opening and closing (f0 a second), breathing out
    (louder) and in by turns, through the resting tract."""
    n = len(f0)
    out_s, in_s = entry["breath_seconds"]
    t = np.arange(n) / SAMPLE_RATE
    cycle = out_s + in_s
    where = np.mod(t + rng.uniform(0.0, 0.2), cycle)
    exhaling = where < out_s
    into = np.where(exhaling, where / out_s, (where - out_s) / in_s)
    breath = np.sin(np.pi * np.clip(into, 0.0, 1.0)) ** 0.5 * np.where(exhaling, 1.0, 0.6)
    phase = np.cumsum(f0) / SAMPLE_RATE
    snaps = np.flatnonzero(np.diff(np.floor(phase), prepend=0.0) > 0)
    excitation = np.zeros(n)
    burst = int(0.004 * SAMPLE_RATE)
    shape = np.exp(-np.arange(burst) / (0.0012 * SAMPLE_RATE))
    for at in snaps:
        m = min(burst, n - at)
        excitation[at:at + m] += shape[:m] * rng.standard_normal(m) * rng.uniform(0.7, 1.3)
    excitation *= breath
    formants, bandwidths = formant_path(n, _formant_keys(entry, traits, n / SAMPLE_RATE))
    return vocal_tract(excitation, formants, bandwidths)
