"""Voices beyond words: laughter, shouts, gasps, sighs, coughs, and crowds cheering, clapping and
murmuring, synthesized by source-filter physics (speech.voice_source) rather than read out by a
text-to-speech engine.

`vocal_sound(kind, traits, rng, count=..., seconds=...)` returns a `Spoken` like a speech engine:
mono float64 samples at 48 kHz starting with the first sound, and phones that drive one
performer's mouth (timing "engine"). For laugh, shout, gasp, sigh and cough the phones are the
lead performer's (the one with `traits`); for the crowd kinds (cheer, applause, murmur) no one
mouth fits, so the phones are a single "pau" spanning the sound.

Animals make their calls (speech.animal_calls: bark, meow, moo, neigh...) given `AnimalTraits`,
and a vehicle its horn or bell (speech.device_sounds); a call or signal made by the wrong speaker
(a dog laughing, a person mooing, a cat barking, a cow's horn) is a SceneError saying who can make
it. Calls are peak-normalised like one person's sound, and their phones open the animal's mouth
where its call leaves an open mouth; a horn's or bell's phones are one "pau".

Levels: one person (count 1) is peak-normalised to -3 dBFS. With count > 1 every person is at that
one-person level (scaled down by a random distance), and the people add up incoherently, so the
RMS grows about as sqrt(count) and the peaks can exceed 1.0: crowds are relative levels, a float
stem for the mixer to scale, not normalised sounds (speech.crowd). Same traits, count, seconds
and generator state give identical samples.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from worldreel.errors import SceneError
from worldreel.speech import animal_calls, crowd, device_sounds
from worldreel.speech.animal_calls import AnimalTraits
from worldreel.speech.spoken import PAUSE, SAMPLE_RATE, Phone, Spoken
from worldreel.speech.voice_source import (
    CHILD, ELDER_MAN, ELDER_WOMAN, MAN, WOMAN, VoiceTraits, band_noise, fade, peak_normalise, ramp,
    render, tract_shape)

__all__ = ["KINDS", "ANIMAL_KINDS", "DEVICE_KINDS", "ALL_KINDS", "AnimalTraits", "CROWD_KINDS",
           "mix_level_db",
           "DEFAULT_SECONDS", "MAX_COUNT", "MAX_SECONDS", "VoiceTraits",
           "MAN", "WOMAN", "CHILD", "ELDER_MAN", "ELDER_WOMAN", "vocal_sound", "laugh", "shout",
           "gasp", "sigh", "cough", "cheer", "applause", "murmur"]

KINDS = ("laugh", "shout", "gasp", "sigh", "cough", "cheer", "applause", "murmur")
CROWD_KINDS = frozenset({"cheer", "applause", "murmur"})
DEFAULT_SECONDS = {"laugh": 1.5, "shout": 0.6, "gasp": 0.4, "sigh": 1.2, "cough": 0.5,
                   "cheer": 3.0, "applause": 3.0, "murmur": 4.0}
ANIMAL_KINDS = animal_calls.call_kinds()
DEVICE_KINDS = device_sounds.KINDS
ALL_KINDS = KINDS + ANIMAL_KINDS + DEVICE_KINDS
# How loud calls and signals are in the mix against a speaking voice: a mix keeps about a quarter
# of a real difference in level (a shout, ~30-35 dB over conversation, is lifted 8 dB:
# speech.delivery.LIFT_DB), so a car horn sits ~13 dB over a line and a purr ~5 dB under.
SPEECH_SPL_DB = 62.0  # normal vocal effort at 1 m: 62.35 dB (ANSI S3.5-1997, table 3)
MIX_SHARE = 0.25
MAX_COUNT = 500
MAX_SECONDS = 60.0

# Laughter (Bachorowski, Smoski & Owren 2001, "The acoustic features of human laughter",
# J. Acoust. Soc. Am. 110, 1581-1597): voiced laughs have a mean F0 of 282 Hz in men and 421 Hz in
# women, about twice their speaking F0, falling over the bout; calls ("ha"s) come ~4-5 a second
# (Provine & Yong 1991, "Laughter: a stereotyped human vocalization", Ethology 89: ~210 ms apart),
# each an aspirated onset and a short central-to-open vowel, growing quieter, and the bout ends
# with an audible inhalation.
LAUGH_F0_START = 2.0  # x speaking F0
LAUGH_F0_END = 1.4
LAUGH_CALLS_PER_S = (4.0, 5.0)
LAUGH_DECAY_DB = 1.3  # quieter by this much each call
LAUGH_VOWELS = ("ah", "aa", "ae", "ax")
# Shouting raises F0 by most of an octave and F1 with the wider jaw, and presses the voice
# (shorter open phase, flatter spectrum): Rostolland 1982, "Acoustic features of shouted voice",
# Acustica 50; Schulman 1989.
SHOUT_F0 = 1.9
SHOUT_F1 = 1.25
# A cough has an explosive phase (glottis bursts open), an intermediate turbulent phase and a
# voiced phase (Korpas, Sadlonova & Vrabec 1996, "Analysis of the cough sound: an overview",
# Pulm. Pharmacol. 9, 261-268).


def vocal_sound(kind: str, traits: VoiceTraits | AnimalTraits, rng: np.random.Generator, *,
                count: int = 1, seconds: float | None = None) -> Spoken:
    """A non-speech vocal sound of `count` people, the lead one with `traits`, lasting `seconds`
    (DEFAULT_SECONDS[kind] if None). When others join a laugh, shout, gasp, sigh or cough
    (count > 1) they start up to crowd.REACTION_S later and last +-15%, so the sound runs that
    much longer. With AnimalTraits: the animal's call (count > 1: others of its kind join in);
    for "horn" and "bell": the signal (count 1). Raises ValueError for an unknown kind, a count
    outside 1..MAX_COUNT or seconds outside (0, MAX_SECONDS] (or the call's own range), and
    SceneError when the speaker cannot make the sound."""
    if kind not in ALL_KINDS:
        raise ValueError(f"unknown vocal sound {kind!r}; kinds are {', '.join(ALL_KINDS)}")
    if isinstance(count, bool) or not isinstance(count, (int, np.integer)) \
            or not 1 <= count <= MAX_COUNT:
        raise ValueError(f"count must be an integer 1..{MAX_COUNT}, got {count!r}")
    _check_speaker(kind, traits)
    if kind in DEVICE_KINDS:
        if count != 1:
            raise ValueError(f"a {kind} is one vehicle's signal: count must be 1, got {count}")
        samples = peak_normalise(device_sounds.device_sound(kind, rng, seconds))
        return Spoken(samples, (Phone(PAUSE, 0.0, len(samples) / SAMPLE_RATE),), "engine")
    if isinstance(traits, AnimalTraits):
        return _animal_call(kind, traits, rng, int(count), seconds)
    length = DEFAULT_SECONDS[kind] if seconds is None else float(seconds)
    if not 0.0 < length <= MAX_SECONDS:
        raise ValueError(f"seconds must be in (0, {MAX_SECONDS}], got {seconds!r}")
    if kind in CROWD_KINDS:
        samples = getattr(crowd, kind)(traits, rng, int(count), length)
        if count == 1:
            samples = peak_normalise(samples)
        total = len(samples) / SAMPLE_RATE
        return Spoken(samples, (Phone(PAUSE, 0.0, total),), "engine")
    one = _ONE_PERSON[kind]
    lead, marks = one(traits, rng, length)
    samples = peak_normalise(lead)
    if count > 1:
        def other(voice: VoiceTraits, their_seconds: float) -> np.ndarray:
            return peak_normalise(one(voice, rng, their_seconds)[0])

        samples = crowd.join_in(samples, count, rng, other, length)
    total = len(samples) / SAMPLE_RATE
    return Spoken(samples, _phones(marks, total), "engine")


def mix_level_db(kind: str, traits: VoiceTraits | AnimalTraits) -> float:
    """dB to lift (or lower) an animal's call or a vehicle's signal against a speaking voice's
    level; 0 for a person's sounds (their delivery sets them)."""
    if kind in DEVICE_KINDS:
        spl = device_sounds.SPL_DB[kind]
    elif isinstance(traits, AnimalTraits) and kind in ANIMAL_KINDS:
        spl = animal_calls.spl_db(kind, traits.species)
    else:
        return 0.0
    return MIX_SHARE * (spl - SPEECH_SPL_DB)


def _check_speaker(kind: str, traits: VoiceTraits | AnimalTraits) -> None:
    """SceneError when this speaker cannot make this sound."""
    if isinstance(traits, AnimalTraits):
        if kind in animal_calls.calls_of(traits.species):
            return
        what = "a vehicle's signal" if kind in DEVICE_KINDS else "not an animal's call"
        makes = ", ".join(animal_calls.calls_of(traits.species))
        raise SceneError(f"a {traits.species} cannot make the sound {kind!r} ({what}); a "
                         f"{traits.species} makes {makes}")
    if kind in ANIMAL_KINDS:
        makers = ", ".join(animal_calls.makers_of(kind))
        raise SceneError(f"{kind!r} is an animal's call: give the line to an animal speaker "
                         f"({makers}) from scene.animals; a person imitating it is a spoken "
                         "line (text)")


def _animal_call(kind: str, traits: AnimalTraits, rng: np.random.Generator, count: int,
                 seconds: float | None) -> Spoken:
    """One animal's call, peak-normalised, with its mouth phones; others of its kind (a size
    +-15 % apart, each its own call) join in when count > 1."""
    lead, marks = animal_calls.call(kind, traits, rng, seconds)
    samples = peak_normalise(lead)
    if count > 1:
        length = len(lead) / SAMPLE_RATE
        lo, _, hi = animal_calls.seconds_range(kind, traits.species)

        def other(_: VoiceTraits, their_seconds: float) -> np.ndarray:
            size = float(np.clip(traits.size * np.exp(0.15 * rng.standard_normal()),
                                 animal_calls.MIN_SIZE, animal_calls.MAX_SIZE))
            them = AnimalTraits(traits.species, size, traits.breed)
            return peak_normalise(animal_calls.call(kind, them, rng,
                                                    float(np.clip(their_seconds, lo, hi)))[0])

        samples = crowd.join_in(samples, count, rng, other, length)
    return Spoken(samples, _phones(marks, len(samples) / SAMPLE_RATE), "engine")


def laugh(traits: VoiceTraits, rng: np.random.Generator, *, count: int = 1,
          seconds: float | None = None) -> Spoken:
    """A bout of laughter ("ha-ha-ha" and an inhalation); several people laughing if count > 1."""
    return vocal_sound("laugh", traits, rng, count=count, seconds=seconds)


def shout(traits: VoiceTraits, rng: np.random.Generator, *, count: int = 1,
          seconds: float | None = None) -> Spoken:
    """A wordless "hey!"-like yell: high F0, pressed voice, open jaw."""
    return vocal_sound("shout", traits, rng, count=count, seconds=seconds)


def gasp(traits: VoiceTraits, rng: np.random.Generator, *, count: int = 1,
         seconds: float | None = None) -> Spoken:
    """A sharp inhalation of surprise: turbulence with the mouth opening."""
    return vocal_sound("gasp", traits, rng, count=count, seconds=seconds)


def sigh(traits: VoiceTraits, rng: np.random.Generator, *, count: int = 1,
         seconds: float | None = None) -> Spoken:
    """A breathy exhalation with a falling, barely voiced "haah"."""
    return vocal_sound("sigh", traits, rng, count=count, seconds=seconds)


def cough(traits: VoiceTraits, rng: np.random.Generator, *, count: int = 1,
          seconds: float | None = None) -> Spoken:
    """One cough: explosive release, turbulent tail, short voiced end."""
    return vocal_sound("cough", traits, rng, count=count, seconds=seconds)


def cheer(traits: VoiceTraits, rng: np.random.Generator, *, count: int = 30,
          seconds: float | None = None) -> Spoken:
    """A cheering crowd ("woo!", "yeah!", "hey!", a few whistles); phones are one "pau"."""
    return vocal_sound("cheer", traits, rng, count=count, seconds=seconds)


def applause(traits: VoiceTraits, rng: np.random.Generator, *, count: int = 30,
             seconds: float | None = None) -> Spoken:
    """`count` people clapping; phones are one "pau"."""
    return vocal_sound("applause", traits, rng, count=count, seconds=seconds)


def murmur(traits: VoiceTraits, rng: np.random.Generator, *, count: int = 10,
           seconds: float | None = None) -> Spoken:
    """The babble of `count` people talking at once, heard across a room; phones are one "pau"."""
    return vocal_sound("murmur", traits, rng, count=count, seconds=seconds)


Marks = list[tuple[str, float, float]]  # (phone, start s, end s) of the lead's mouth
Made = tuple[np.ndarray, Marks]


def _phones(marks: Marks, total: float) -> tuple[Phone, ...]:
    """Phones covering 0..total: the marks in order, pauses in the gaps."""
    phones: list[Phone] = []
    t = 0.0
    for symbol, start, end in sorted(marks, key=lambda m: m[1]):
        start, end = max(start, t), min(end, total)
        if end - start < 1e-4:
            continue
        if start > t + 1e-4:
            phones.append(Phone(PAUSE, t, start))
        phones.append(Phone(symbol, start, end))
        t = end
    if total > t + 1e-4 or not phones:
        phones.append(Phone(PAUSE, t, max(total, t)))
    return tuple(phones)


def _n(seconds: float) -> int:
    return max(1, int(round(seconds * SAMPLE_RATE)))


def _laugh(traits: VoiceTraits, rng: np.random.Generator, seconds: float) -> Made:
    n = _n(seconds)
    inhale = 0.25 if seconds >= 0.8 else 0.0  # at least; it starts soon after the last call
    span = seconds - inhale - (0.06 if inhale else 0.0)
    period = 1.0 / rng.uniform(*LAUGH_CALLS_PER_S)
    onsets = [0.0]
    while onsets[-1] + period * (1.0 + 0.04 * len(onsets)) + 0.1 < span:  # calls slow a little
        onsets.append(onsets[-1] + period * (1.0 + 0.04 * len(onsets))
                      * (1.0 + 0.05 * rng.standard_normal()))
    calls = len(onsets)
    f0_t, f0_v, vo_t, vo_v, as_t, as_v, keys, marks = [], [], [], [], [], [], [], []
    for i, t_h in enumerate(onsets):
        gap = (onsets[i + 1] - t_h) if i + 1 < calls else max(span - t_h, 0.12)
        h = rng.uniform(0.025, 0.04) if i else rng.uniform(0.035, 0.05)
        v = min(rng.uniform(0.085, 0.115), 0.65 * gap - h * 0.5)
        t_v, t_e = t_h + h, t_h + h + max(v, 0.03)
        a = 10 ** ((-LAUGH_DECAY_DB * i + rng.normal(0.0, 0.8)) / 20)
        progress = i / max(calls - 1, 1)
        f = traits.f0_hz * LAUGH_F0_START * (LAUGH_F0_END / LAUGH_F0_START) ** progress
        f *= 1.0 + 0.03 * rng.standard_normal()
        f0_t += [t_h, t_v, t_e]
        f0_v += [f * 1.02, f * 1.05, f * 0.88]  # each "ha" falls a little
        vo_t += [t_v, t_v + 0.012, t_v + 0.45 * (t_e - t_v), t_e]
        vo_v += [0.0, a, a, 0.0]
        as_t += [t_h, t_h + 0.01, t_v, t_v + 0.03, t_e, t_e + 0.025]
        as_v += [0.0, 0.5 * a, 0.5 * a, 0.04 * a, 0.1 * a, 0.0]
        vowel = str(rng.choice(LAUGH_VOWELS, p=[0.4, 0.3, 0.15, 0.15]))
        keys += [(t_h, tract_shape(vowel, traits, f1_factor=1.1, b1_extra_hz=250.0)),
                 (t_v + 0.012, tract_shape(vowel, traits, f1_factor=1.1)),
                 (t_e, tract_shape(vowel, traits, f1_factor=1.05)),
                 (t_e + 0.04, tract_shape("ax", traits, b1_extra_hz=200.0))]
        marks += [("hh", t_h, t_v), ("aa", t_v, t_e)]
    if inhale:
        t0 = min(marks[-1][2] + rng.uniform(0.08, 0.15), seconds - inhale)
        level = 0.4 * 10 ** (-LAUGH_DECAY_DB * (calls - 1) / 40)
        as_t += [t0, t0 + 0.08, seconds - 0.08, seconds]
        as_v += [0.0, level, 0.8 * level, 0.0]
        keys += [(t0, tract_shape("ah", traits, b1_extra_hz=300.0)),
                 (seconds, tract_shape("ax", traits, b1_extra_hz=300.0))]
        marks.append(("hh", t0, seconds))
    f0 = ramp(n, f0_t, f0_v)
    sound = render(f0, ramp(n, vo_t, vo_v), ramp(n, as_t, as_v), keys, traits, rng,
                   open_quotient=0.65, breathiness=max(traits.breathiness, 0.25))
    return fade(sound, 0.003), marks


def _shout(traits: VoiceTraits, rng: np.random.Generator, seconds: float) -> Made:
    n, d = _n(seconds), seconds
    f = traits.f0_hz * SHOUT_F0 * (1.0 + 0.04 * rng.standard_normal())
    f0 = ramp(n, [0.0, 0.3 * d, d], [0.85 * f, 1.05 * f, 0.8 * f])
    voicing = ramp(n, [0.0, 0.02, 0.035, 0.7 * d, d], [0.0, 0.3, 1.0, 0.9, 0.0])
    aspiration = ramp(n, [0.0, 0.008, 0.03, 0.06], [0.0, 0.35, 0.2, 0.0])  # the "h" of "hey"
    keys = [(0.0, tract_shape("aa", traits, f1_factor=SHOUT_F1)),
            (0.3 * d, tract_shape("aa", traits, f1_factor=SHOUT_F1)),
            (0.6 * d, tract_shape("ey", traits, f1_factor=SHOUT_F1)),
            (d, tract_shape("ih", traits, f1_factor=1.1))]
    sound = render(f0, voicing, aspiration, keys, traits, rng, open_quotient=0.4,
                   breathiness=min(traits.breathiness, 0.08))
    return fade(sound, 0.003), [("aa", 0.0, 0.45 * d), ("ey", 0.45 * d, d)]


def _gasp(traits: VoiceTraits, rng: np.random.Generator, seconds: float) -> Made:
    n, d = _n(seconds), seconds
    t = np.arange(n) / SAMPLE_RATE
    # Sharp intake (~15 ms rise), a short hold, then the flow dies away as the lungs fill.
    hold = 0.15 * d
    envelope = np.minimum(t / 0.015, 1.0) * np.exp(-np.maximum(t - hold, 0.0) / (0.25 * d))
    # The jaw drops as the air rushes in: F1 and F2 rise. The fast flow through the open glottis
    # and mouth damps every resonance (wide bandwidths): a gasp is a rough, barely shaped noise.
    keys = [(0.0, tract_shape("uh", traits, b1_extra_hz=300.0, damping=2.5)),
            (0.45 * d, tract_shape("ae", traits, f1_factor=1.1, b1_extra_hz=300.0, damping=2.5)),
            (d, tract_shape("ae", traits, f1_factor=1.1, b1_extra_hz=350.0, damping=3.0))]
    silent = np.zeros(n)
    sound = render(np.full(n, traits.f0_hz), silent, envelope, keys, traits, rng)
    # Turbulence where the in-rushing air passes the teeth and tongue: a bright, unshaped hiss.
    hiss = band_noise(rng, n, 1_500.0 * traits.formant_scale, 9_000.0) * envelope
    sound = sound / max(float(np.std(sound)), 1e-12) + 0.3 * hiss
    return fade(sound, 0.002), [("hh", 0.0, d)]


def _sigh(traits: VoiceTraits, rng: np.random.Generator, seconds: float) -> Made:
    n, d = _n(seconds), seconds
    h_end, v_end = min(0.15, 0.15 * d), 0.7 * d
    f0 = ramp(n, [0.0, h_end, v_end, d], [1.15, 1.1, 0.75, 0.7]) * traits.f0_hz
    voicing = ramp(n, [h_end, h_end + 0.08 * d, 0.4 * d, v_end], [0.0, 1.2, 0.9, 0.0])
    aspiration = ramp(n, [0.0, 0.06 * d, h_end, 0.3 * d, v_end, d], [0.0, 0.7, 0.6, 0.2, 0.3, 0.0])
    keys = [(0.0, tract_shape("aa", traits, b1_extra_hz=250.0)),
            (h_end + 0.05, tract_shape("aa", traits, b1_extra_hz=120.0)),
            (0.5 * d, tract_shape("ah", traits, b1_extra_hz=120.0)),
            (d, tract_shape("ax", traits, b1_extra_hz=300.0))]
    sound = render(f0, voicing, aspiration, keys, traits, rng, open_quotient=0.8,
                   breathiness=max(traits.breathiness, 0.5))
    return fade(sound, 0.003), [("hh", 0.0, h_end), ("ah", h_end, v_end), ("hh", v_end, d)]


def _cough(traits: VoiceTraits, rng: np.random.Generator, seconds: float) -> Made:
    n, d = _n(seconds), seconds
    t = np.arange(n) / SAMPLE_RATE
    burst = 0.03
    v_start, v_end = 0.45 * d, 0.8 * d
    # Explosive phase: pressure built against the closed glottis bursts out within a millisecond
    # and decays in tens of ms; then turbulent airflow through the open tract, fading.
    explosive = np.minimum(t / 0.001, 1.0) * np.exp(-t / 0.025)
    turbulent = np.exp(-t / (0.3 * d)) * (t < v_end)
    aspiration = 3.0 * explosive + 0.9 * turbulent
    voicing = ramp(n, [v_start - 0.03, v_start, v_end - 0.03, v_end], [0.0, 1.5, 1.2, 0.0])
    f0 = ramp(n, [0.0, v_start, v_end], [1.0, 1.0, 0.8]) * traits.f0_hz
    keys = [(0.0, tract_shape("ah", traits, f1_factor=1.1, b1_extra_hz=400.0)),
            (v_start, tract_shape("ah", traits, b1_extra_hz=150.0)),
            (d, tract_shape("ax", traits))]
    rough = VoiceTraits(traits.f0_hz, traits.formant_scale, traits.breathiness,
                        jitter=min(0.1, 3 * traits.jitter), shimmer=min(0.3, 3 * traits.shimmer))
    sound = render(f0, voicing, aspiration, keys, rough, rng, open_quotient=0.5)
    return fade(sound, 0.002), [("k", 0.0, burst), ("hh", burst, v_start), ("ah", v_start, v_end)]


_ONE_PERSON: dict[str, Callable[[VoiceTraits, np.random.Generator, float], Made]] = {
    "laugh": _laugh, "shout": _shout, "gasp": _gasp, "sigh": _sigh, "cough": _cough}
