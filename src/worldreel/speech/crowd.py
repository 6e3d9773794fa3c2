"""Crowds: many people clapping, cheering or talking at once, and groups joining one person's
laugh or shout.

A crowd is the incoherent sum of its people: each person is rendered at the one-person level
(peak -3 dBFS; a talker of a murmur by RMS, TALK_CREST_DB under it) times a distance gain, so the
RMS grows about as sqrt(count) and the peaks can exceed 1.0 (a float stem; the mixer sets the
level). The lead person (the caller's VoiceTraits) is the nearest, at gain 1; the others stand
uniformly over an area 1..4 times as far away. Crowds are heard in a room (a short diffuse tail),
which is also what fuses many sources into one texture.

Voices are costly to render, so at most MAX_VOICES distinct voices are synthesized: beyond about
a dozen talkers, babble no longer changes character - the individual voices and the syllable
rhythm are lost in a steady speech-shaped noise (Simpson & Cooke 2005, "Consonant identification in
N-talker babble is a nonmonotonic function of N", J. Acoust. Soc. Am. 118, 2775-2778) - so the
people beyond MAX_VOICES only add level: the rendered non-lead voices are scaled so their power
stands for all of them. Claps are cheap: every clapper is rendered.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.ndimage import uniform_filter1d
from scipy.signal import butter, fftconvolve, sosfilt

from worldreel.speech.spoken import SAMPLE_RATE
from worldreel.speech.voice_source import (
    VoiceTraits, band_noise, fade, peak_normalise, ramp, random_traits, render, tract_shape)

MAX_VOICES = 20
ONE_PERSON_PEAK = 10 ** (-3.0 / 20.0)
REACTION_S = 0.25  # others join a laugh or a shout within a quarter second of the lead
CROWD_BLOCK = 480  # 10 ms formant updates for crowd voices: a crowd hides finer articulation

# Hand configurations of Repp (1987), "The sound of two hands clapping: an exploratory study",
# J. Acoust. Soc. Am. 81, 1100-1109: P = hands parallel, A = at an angle; 1 palm-to-palm .. 3
# fingers-to-palm; A1+ very cupped, A1- flat. The air pocket between the hands is a Helmholtz
# resonator (Fu et al. 2025, Phys. Rev. Research 7): a bigger cavity (cupped, palm-to-palm)
# rings lower and longer. Centre frequency (Hz) and Q are approximate, in the range of the
# resonances measured by Repp 1987 and fitted by Peltola et al. 2007, "Synthesis of hand clapping
# sounds", IEEE Trans. Audio Speech Lang. Process. 15, 1021-1029.
CLAP_CONFIGS = {"P1": (1100.0, 4.0), "P2": (1400.0, 4.0), "P3": (1900.0, 3.5),
                "A1": (900.0, 6.0), "A2": (1250.0, 5.0), "A3": (1700.0, 4.0),
                "A1+": (650.0, 9.0), "A1-": (1500.0, 3.0)}
# Clapping rate: Repp 1987 measured mean inter-clap intervals of 196-366 ms (about 3-5 claps a
# second) with a few percent variation; enthusiastic applause runs faster.
CLAP_RATE = (4.3, 0.8, 3.0, 6.0)  # mean, sd, min, max claps per second
CLAP_LENGTH = 1024  # samples (21 ms) per clap: the cavity's ring has died by ~-40 dB
CLAP_BATCH = 2048
JOIN_S = 0.3  # clappers join within this time of the first clap
SLAP = 0.6  # the broadband slap against the cavity's ring


def distance_gains(rng: np.random.Generator, count: int) -> np.ndarray:
    """Amplitude of each person relative to the lead (first, gain 1): 1/r, r uniform in area."""
    r = np.sqrt(rng.uniform(1.0, 16.0, count))
    r[0] = 1.0
    return 1.0 / r


def _stand_in(count: int) -> float:
    """Amplitude by which each rendered non-lead voice stands for all the non-lead people."""
    rendered = min(count, MAX_VOICES)
    return float(np.sqrt((count - 1) / (rendered - 1))) if rendered > 1 else 1.0


def join_in(lead: np.ndarray, count: int, rng: np.random.Generator,
            render_one: Callable[[VoiceTraits, float], np.ndarray], seconds: float) -> np.ndarray:
    """The lead's sound with count - 1 others joining within REACTION_S (random voices, farther
    away); the result is longer than the lead's by the last one's delay."""
    rendered = min(count, MAX_VOICES)
    gains = distance_gains(rng, rendered) * ONE_PERSON_PEAK
    gains[1:] *= _stand_in(count)
    parts = [(0, lead)]
    for i in range(1, rendered):
        delay = int(rng.uniform(0.02, REACTION_S) * SAMPLE_RATE)
        length = seconds * rng.uniform(0.85, 1.15)
        parts.append((delay, render_one(random_traits(rng), length) * gains[i] / ONE_PERSON_PEAK))
    out = np.zeros(max(start + len(part) for start, part in parts))
    for start, part in parts:
        out[start:start + len(part)] += part
    return out


def applause(traits: VoiceTraits, rng: np.random.Generator, count: int,
             seconds: float) -> np.ndarray:
    """`count` people clapping for `seconds`, the first clap at sample 0.

    Each clap is a short noise burst (the air squeezed out between the hands, ~2 ms) through the
    clapper's own hand-cavity resonance plus the broadband slap of skin on skin; each clapper keeps
    their own rate and timing jitter. The lead's hands scale with their body (formant_scale):
    smaller hands, a smaller cavity, a higher ring.
    """
    n = max(1, int(round(seconds * SAMPLE_RATE)))
    gains = distance_gains(rng, count) * ONE_PERSON_PEAK
    configs = np.array(list(CLAP_CONFIGS.values()))[rng.integers(len(CLAP_CONFIGS), size=count)]
    centre = configs[:, 0] * rng.uniform(0.9, 1.1, count)  # hand sizes vary
    centre[0] *= traits.formant_scale ** 0.5
    mean, sd, lo, hi = CLAP_RATE
    period = 1.0 / np.clip(rng.normal(mean, sd, count), lo, hi)
    spread = rng.uniform(0.02, 0.05, count)  # timing jitter, fraction of the period
    start = rng.uniform(0.0, JOIN_S, count) + rng.uniform(0.0, 1.0, count) * period
    start[0] = 0.0
    k = int(seconds * hi) + 3
    intervals = period[:, None] * (1.0 + spread[:, None] * rng.standard_normal((count, k)))
    intervals *= 1.0 + np.cumsum(0.004 * rng.standard_normal((count, k)), axis=1)  # tempo drift
    intervals = np.maximum(intervals, 0.5 * period[:, None])
    times = start[:, None] + np.concatenate([np.zeros((count, 1)), np.cumsum(intervals, axis=1)],
                                             axis=1)[:, :k]
    clapped = times < seconds
    who = np.nonzero(clapped)[0]
    onset = np.round(times[clapped] * SAMPLE_RATE).astype(int)
    centres = centre[who] * (1.0 + 0.03 * rng.standard_normal(len(who)))
    levels = gains[who] * 10 ** (1.5 * rng.standard_normal(len(who)) / 20)
    out = np.zeros(n + CLAP_LENGTH)
    for first in range(0, len(who), CLAP_BATCH):  # batches bound the FFTs' memory
        part = slice(first, first + CLAP_BATCH)
        bursts = _claps(rng, centres[part], configs[who[part], 1], levels[part])
        for at, burst in zip(onset[part], bursts):
            out[at:at + CLAP_LENGTH] += burst
    # A hall's short tail (audiences sit indoors, or between walls and stands).
    return _fade_out(room(out[:n], rng, rt60=0.4, wet_db=-14.0), 0.01)


def _claps(rng: np.random.Generator, centres: np.ndarray, qs: np.ndarray,
           levels: np.ndarray) -> np.ndarray:
    """(claps, CLAP_LENGTH) bursts, each peaking at its level, shaped in one batch of FFTs."""
    m = len(centres)
    t = np.arange(CLAP_LENGTH) / SAMPLE_RATE
    decay = rng.uniform(0.0012, 0.0025, (m, 1))  # the air jet lasts a couple of ms
    envelope = np.minimum(t / 2e-4, 1.0) * np.exp(-t / decay)  # 0.2 ms attack
    excitation = rng.standard_normal((m, CLAP_LENGTH)) * envelope
    f = np.maximum(np.fft.rfftfreq(CLAP_LENGTH, 1.0 / SAMPLE_RATE), 1.0)
    ratio = f[None, :] / centres[:, None]
    cavity = 1.0 / (1.0 + 1j * qs[:, None] * (ratio - 1.0 / ratio))  # two-pole band-pass
    # Skin on skin: a broadband slap, strongest ~1-4 kHz; soft tissue lets little through above
    # ~6 kHz (handclap spectra fall 10-20 dB from their 1-3 kHz peak to 8 kHz: Papadakis &
    # Stavroulakis 2020, "Handclap for acoustic measurements", Acoustics 2).
    slap = (1j * f / 1000.0) / (1.0 + 1j * f / 1000.0) / (1.0 + 1j * f / 4000.0)
    soft = 1.0 / (1.0 + 1j * f / 6000.0) ** 2
    shape = (cavity + SLAP * slap[None, :]) * soft[None, :]
    bursts = np.fft.irfft(np.fft.rfft(excitation, axis=1) * shape, CLAP_LENGTH, axis=1)
    bursts *= np.exp(-t / 0.006)[None, :]  # no wrap-around ring at the end of the window
    peaks = np.max(np.abs(bursts), axis=1, keepdims=True)
    return bursts / np.maximum(peaks, 1e-12) * levels[:, None]


def _fade_out(samples: np.ndarray, seconds: float) -> np.ndarray:
    m = min(len(samples) // 4, int(seconds * SAMPLE_RATE))
    if m > 0:
        samples[-m:] *= np.linspace(1.0, 0.0, m + 1)[1:]
    return samples


def cheer(traits: VoiceTraits, rng: np.random.Generator, count: int,
          seconds: float) -> np.ndarray:
    """A crowd cheering: each person yells "woo!", "yeah!" or "hey!" with their own voice, again
    and again with short breaths between, from staggered onsets; some whistle instead."""
    n = max(1, int(round(seconds * SAMPLE_RATE)))
    rendered = min(count, MAX_VOICES)
    gains = distance_gains(rng, rendered) * ONE_PERSON_PEAK
    gains[1:] *= _stand_in(count)
    out = np.zeros(n)
    for person in range(rendered):
        voice = traits if person == 0 else random_traits(rng)
        whistler = person > 0 and count >= 5 and rng.uniform() < 0.12
        part = np.zeros(n)
        t = 0.0 if person == 0 else rng.uniform(0.0, min(0.6, 0.3 * seconds))
        first = True
        while t < seconds - 0.05 or first:  # everyone calls at least once, however short
            first = False
            if whistler:
                call = _whistle(rng, min(rng.uniform(0.4, 1.0), seconds - t))
            else:
                call = _cheer_call(str(rng.choice(["woo", "yeah", "hey"], p=[0.45, 0.35, 0.2])),
                                   voice, rng, seconds - t)
            start = int(t * SAMPLE_RATE)
            m = min(len(call), n - start)
            part[start:start + m] += call[:m] * 10 ** (rng.uniform(-4.0, 0.0) / 20)
            t += len(call) / SAMPLE_RATE + rng.uniform(0.12, 0.5)
        # A whistle's pure tone is piercing at the voices' peak level; it carries at about -8 dB.
        out += peak_normalise(part, -8.0 if whistler else 0.0) * gains[person]
    return _fade_out(room(out, rng, rt60=0.6, wet_db=-12.0), 0.02)


def _cheer_call(word: str, traits: VoiceTraits, rng: np.random.Generator,
                room_s: float) -> np.ndarray:
    """One excited, loud call: raised F0 (~1.8x), pressed voice, open jaw, vibrato on long ones."""
    high = traits.f0_hz * 1.8 * np.exp(0.08 * rng.standard_normal())
    if word == "woo":
        d = min(rng.uniform(0.5, 1.1), room_s)
        f0_keys = ([0.0, 0.18 * d, 0.8 * d, d], [0.75 * high, high, 1.05 * high, 0.85 * high])
        shapes = [(0.0, "w"), (min(0.08, 0.3 * d), "uw"), (d, "uh")]
        vibrato = 0.025
    elif word == "yeah":
        d = min(rng.uniform(0.35, 0.7), room_s)
        f0_keys = ([0.0, 0.15 * d, d], [0.95 * high, 1.05 * high, 0.7 * high])
        shapes = [(0.0, "y"), (min(0.06, 0.3 * d), "eh"), (0.6 * d, "ae"), (d, "ah")]
        vibrato = 0.012
    else:  # "hey"
        d = min(rng.uniform(0.3, 0.55), room_s)
        f0_keys = ([0.0, 0.3 * d, d], [0.9 * high, 1.08 * high, 0.8 * high])
        shapes = [(0.0, "eh"), (0.5 * d, "ey"), (d, "ih")]
        vibrato = 0.0
    n = max(1, int(d * SAMPLE_RATE))
    t = np.arange(n) / SAMPLE_RATE
    rate = rng.uniform(5.0, 6.5)  # vibrato of an excited sustained voice, ~5-6.5 Hz
    f0 = ramp(n, *f0_keys) * (1.0 + vibrato * np.sin(2 * np.pi * rate * t + rng.uniform(0, 6.3)))
    voicing = ramp(n, [0.0, min(0.04, 0.2 * d), 0.7 * d, d], [0.0, 1.0, 0.9, 0.0])
    onset = 0.35 if word == "hey" else 0.05  # the "h" of "hey"
    aspiration = ramp(n, [0.0, 0.01, 0.05, 0.08], [0.0, onset, onset * 0.5, 0.0])
    keys = [(when, tract_shape(s, traits, f1_factor=1.2 if s not in ("w", "y") else 1.0))
            for when, s in shapes]
    sound = render(f0, voicing, aspiration, keys, traits, rng, open_quotient=0.5,
                   breathiness=0.7 * traits.breathiness, block=CROWD_BLOCK)
    return fade(sound, 0.005)


def _whistle(rng: np.random.Generator, seconds: float) -> np.ndarray:
    """A two-finger whistle: a nearly pure tone at 2-3.5 kHz that swoops up, with breath noise."""
    n = max(1, int(seconds * SAMPLE_RATE))
    base = rng.uniform(2_000.0, 3_500.0)
    freq = ramp(n, [0.0, 0.12 * seconds, seconds], [0.8 * base, base, 1.05 * base])
    freq *= 1.0 + 0.004 * rng.standard_normal(n).cumsum() / np.sqrt(n)  # lips and breath waver
    phase = 2 * np.pi * np.cumsum(freq) / SAMPLE_RATE
    tone = np.sin(phase) + 0.05 * np.sin(2 * phase)
    envelope = ramp(n, [0.0, 0.03, 0.8 * seconds, seconds], [0.0, 1.0, 0.9, 0.0])
    breath = 0.05 * band_noise(rng, n, 0.8 * base, 1.3 * base)
    return (tone + breath) * envelope


# Consonant classes of the murmur's syllables and their probabilities as syllable onsets.
ONSETS = {"": 0.12, "p": 0.05, "t": 0.1, "k": 0.06, "b": 0.05, "d": 0.07, "g": 0.03,
          "s": 0.09, "sh": 0.03, "f": 0.04, "h": 0.05, "m": 0.07, "n": 0.07, "l": 0.06,
          "r": 0.05, "w": 0.04, "y": 0.02}
# Fricative and burst noise bands (Hz, adult man; scaled by the tract): s is high and strong, sh
# lower, f weak and broad; the bursts' spectra follow the place of closure (Stevens 1998,
# "Acoustic Phonetics", ch. 7-8).
NOISE_BANDS = {"s": (4_500.0, 9_000.0, 0.3), "sh": (2_200.0, 5_000.0, 0.25),
               "f": (1_500.0, 8_000.0, 0.08), "p": (500.0, 2_000.0, 0.2),
               "t": (3_000.0, 7_000.0, 0.25), "k": (1_500.0, 3_500.0, 0.25),
               "b": (500.0, 2_000.0, 0.12), "d": (3_000.0, 7_000.0, 0.15),
               "g": (1_500.0, 3_500.0, 0.15)}
VOWELS = {"ax": 0.2, "ih": 0.14, "iy": 0.08, "eh": 0.1, "ae": 0.1, "ah": 0.1, "aa": 0.08,
          "ao": 0.05, "uw": 0.05, "uh": 0.03, "er": 0.05, "ey": 0.02}
TALK_CREST_DB = 15.0  # a talker's sample peaks over its active level (~14-17 dB measured here)
SYLLABLES_PER_S = (3.5, 5.5)  # conversational rate (~4-5 syllables/s, Jacewicz et al. 2009)


def murmur(traits: VoiceTraits, rng: np.random.Generator, count: int,
           seconds: float) -> np.ndarray:
    """The babble of `count` people talking, heard across a room: each talker a stream of random
    syllables in phrases, with declining F0 and stressed beats; the sum low-passed (distance,
    air) and given a short diffuse room tail."""
    n = max(1, int(round(seconds * SAMPLE_RATE)))
    rendered = min(count, MAX_VOICES)
    gains = distance_gains(rng, rendered) * ONE_PERSON_PEAK
    gains[1:] *= _stand_in(count)
    out = np.zeros(n)
    for person in range(rendered):
        voice = traits if person == 0 else random_traits(rng)
        talk = _talker(voice, rng, n, lead=person == 0)
        # Level by the active speech level (the RMS while talking, pauses left out, as ITU-T P.56
        # measures it), not by peak: one loud syllable must not set a talker's loudness. The
        # talker's peaks then sit near the one-person level.
        talk *= 10 ** (-TALK_CREST_DB / 20) / _active_rms(talk)
        out += talk * gains[person]
    # Across a room, the highs of distant talkers are lost (air, furnishings, other people).
    out = sosfilt(butter(4, 4_000.0, fs=SAMPLE_RATE, output="sos"), out)
    return _fade_out(room(out, rng, rt60=0.5, wet_db=-12.0), 0.02)


def _active_rms(samples: np.ndarray) -> float:
    """RMS over the 10 ms frames within 30 dB of the loudest: the level while someone talks."""
    w = min(len(samples), int(0.01 * SAMPLE_RATE))
    frames = np.mean(samples[: len(samples) // w * w].reshape(-1, w) ** 2, axis=1)
    active = frames[frames >= frames.max() * 1e-3]
    return max(float(np.sqrt(np.mean(active))), 1e-12)


def room(samples: np.ndarray, rng: np.random.Generator, *, rt60: float,
         wet_db: float) -> np.ndarray:
    """The samples plus the diffuse tail of the room a crowd is in: exponentially decaying noise
    (60 dB in rt60 seconds, highs damped by absorption), wet_db under the direct sound in energy.
    A crowd is never heard anechoic, and the tail is what fuses many sources into one texture."""
    m = max(1, int(rt60 * SAMPLE_RATE))
    tail = rng.standard_normal(m) * np.exp(-6.9 * np.arange(m) / m)  # ln(1000) = 6.9: -60 dB
    tail = sosfilt(butter(1, 5_000.0, fs=SAMPLE_RATE, output="sos"), tail)
    tail *= 10 ** (wet_db / 20) / np.sqrt(np.sum(tail ** 2))
    tail[0] += 1.0  # the direct sound
    return fftconvolve(samples, tail)[: len(samples)]


def _talker(traits: VoiceTraits, rng: np.random.Generator, n: int, lead: bool) -> np.ndarray:
    """One person talking: phrases of random consonant-vowel syllables with pauses between."""
    seconds = n / SAMPLE_RATE
    rate = rng.uniform(*SYLLABLES_PER_S)
    onset_names, onset_p = list(ONSETS), np.array(list(ONSETS.values()))
    vowel_names, vowel_p = list(VOWELS), np.array(list(VOWELS.values()))
    f0_t, f0_v, vo_t, vo_v, as_t, as_v, keys, noises = [], [], [], [], [], [], [], []
    t = 0.0 if lead else rng.uniform(0.0, 0.8)
    while t < seconds:
        phrase_end = min(seconds, t + rng.uniform(1.0, 2.8))
        start = t
        beat = 0
        while t < phrase_end - 0.1 or (beat == 0 and t < seconds):  # a phrase has a syllable
            syllable = rng.uniform(0.75, 1.3) / rate
            stressed = beat % int(rng.integers(2, 4)) == 0
            level = 1.5 if stressed else 1.0
            decline = 1.12 - 0.25 * (t - start) / max(phrase_end - start, 0.1)
            pitch = traits.f0_hz * decline * (1.15 if stressed else 1.0)
            c = onset_names[int(rng.choice(len(onset_names), p=onset_p / onset_p.sum()))]
            if lead and t == 0.0:
                c = ""  # the lead's first syllable opens on its vowel: the sound starts at once
            v = vowel_names[int(rng.choice(len(vowel_names), p=vowel_p / vowel_p.sum()))]
            vowel_shape = tract_shape(v, traits)
            c_len = 0.0 if not c else min(rng.uniform(0.04, 0.08), syllable - 0.08)
            t_v, t_e = t + c_len, t + syllable
            if c in ("m", "n", "l", "r", "w", "y"):
                vo_t += [t, t + 0.01]
                vo_v += [0.0, 0.35 * level]
                keys.append((t + 0.5 * c_len, tract_shape(c, traits)))
            elif c == "h":
                as_t += [t, t + 0.01, t_v, t_v + 0.02]
                as_v += [0.0, 0.4 * level, 0.4 * level, 0.0]
            elif c:
                keys.append((t + 0.5 * c_len, tract_shape(v, traits, f1_factor=0.6)))
                low, high, strength = NOISE_BANDS[c]
                is_stop = c in ("p", "t", "k", "b", "d", "g")
                noise_start = t_v - 0.012 if is_stop else t
                noises.append((noise_start, t_v + (0.02 if c in ("p", "t", "k") else 0.0),
                               low, high, strength * level))
                if c in ("b", "d", "g"):  # voice bar through the closure
                    vo_t += [t, t + 0.01]
                    vo_v += [0.0, 0.12 * level]
            vo_t += [t_v, t_v + 0.02, t_e - 0.04, t_e - 0.01]
            vo_v += [0.0 if not c or c in ("p", "t", "k", "s", "sh", "f", "h") else 0.35 * level,
                     level, 0.8 * level, 0.0]
            f0_t += [t_v, t_e]
            f0_v += [pitch * 1.03, pitch * 0.97]
            keys += [(t_v + 0.3 * (t_e - t_v), vowel_shape), (t_e - 0.02, vowel_shape)]
            t = t_e
            beat += 1
        t = max(t, phrase_end) + rng.uniform(0.15, 0.6)  # a pause, a breath
    sound = np.zeros(n)
    if not f0_t:
        return sound
    order = np.argsort(np.array([k[0] for k in keys]), kind="stable")
    keys = [keys[i] for i in order]
    voicing = uniform_filter1d(uniform_filter1d(ramp(n, vo_t, vo_v), 240), 240)
    aspiration = ramp(n, as_t, as_v) if as_t else np.zeros(n)
    sound = render(ramp(n, f0_t, f0_v), voicing, aspiration, keys, traits, rng,
                   open_quotient=0.6, block=CROWD_BLOCK)
    sound /= max(float(np.std(sound)), 1e-12)
    for a, b, low, high, strength in noises:
        i, j = int(a * SAMPLE_RATE), min(n, int(b * SAMPLE_RATE))
        if j - i < 32:
            continue
        scale = traits.formant_scale ** 0.5
        burst = band_noise(rng, j - i, low * scale, high * scale) * np.hanning(j - i)
        sound[i:j] += strength * burst
    return sound
