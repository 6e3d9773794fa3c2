"""Voice source and vocal tract: the physics every non-speech vocal sound here is made of.

Source-filter theory (Fant 1960, "Acoustic Theory of Speech Production"): a sound source at the
larynx (the vocal folds' pulsed airflow, or turbulence noise through an open glottis) is shaped by
the resonances of the vocal tract (the formants) and radiated from the lips.

- The glottal airflow is a train of Rosenberg (1971) pulses, "Effect of glottal pulse shape on the
  quality of natural vowels", J. Acoust. Soc. Am. 49, 583-590: a raised-cosine opening and a
  quarter-cosine closing whose abrupt end is the main excitation of each cycle. Cycle by cycle the
  period wanders (jitter) and the amplitude too (shimmer); a breathy voice opens longer, closes
  less sharply (a tilted spectrum) and lets turbulence through, which is strongest while the
  glottis is open (aspiration noise modulated by the flow, as in Klatt & Klatt 1990, "Analysis,
  synthesis, and perception of voice quality variations among female and male talkers",
  J. Acoust. Soc. Am. 87, 820-857).
- The tract is a cascade of two-pole resonators with unity gain at 0 Hz (Klatt 1980): the relative
  formant levels then come out right by themselves. F1-F12 are filtered; the resonances above
  are added back as a fixed gain (higher_poles). Formants move (a laugh's "h" takes the vowel's
  shape, a gasp opens the jaw): every BLOCK samples the output cross-fades from one fixed tract
  to the next, each filtering the same excitation.
- Radiation from the lips differentiates the flow (+6 dB/octave). It is applied to the voiced flow
  before the tract (the system is linear, so the order does not matter); turbulence noise is
  injected already as radiated pressure.

Formant data live in vocal_tract.yaml (Peterson & Barney 1952; Klatt 1980) and are scaled by the
speaker's VoiceTraits.formant_scale (shorter tract, higher formants).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml
from scipy.fft import irfft, next_fast_len, rfft
from scipy.signal import butter, lfilter, sosfilt

from worldreel.speech.spoken import SAMPLE_RATE

# 5 ms: articulators move formants at well under 20 Hz, so holding a tract for 5 ms and
# cross-fading to the next one is inaudible, and it keeps the filtering in whole arrays.
BLOCK = 240
# Rosenberg's pulse: the opening takes ~70% of the open phase (speed quotient ~2.3, his "type B").
OPENING_SHARE = 0.7
# Breath noise inside voicing, as a share of the voiced excitation's RMS, per unit breathiness.
BREATH_NOISE = 0.9
# Depth of the modulation of breath noise by the glottal flow: turbulence needs flow, so little
# noise passes while the folds are closed (Klatt & Klatt 1990 use 50%; we use a bit more so the
# noise is audibly pulsed, as in real breathy voice).
BREATH_MODULATION = 0.7
GLOTTAL_B1_HZ = 150.0  # B1 widening at breathiness 1
NOISE_POLE = float(np.exp(-2.0 * np.pi * 1_500.0 / SAMPLE_RATE))  # aspiration noise corner
DATA = Path(__file__).with_name("vocal_tract.yaml")
HIGHER_POLES_FLAT_HZ = 9_000.0  # for a man's tract (see higher_poles); scaled with formant_scale
HIGHER_POLES_ROLLOFF_HZ = 12_000.0


@dataclass(frozen=True)
class VoiceTraits:
    """Who is making the sound: their voice's pitch, vocal-tract size and quality.

    f0_hz: speaking fundamental frequency (men ~110 Hz, women ~200, children ~260).
    formant_scale: formants relative to an adult man's (women ~1.17, children ~1.3): the inverse
        of vocal-tract length.
    breathiness: 0 (pressed, clean) .. 1 (very breathy): aspiration noise in the voice, a longer
        open phase and a steeper spectral tilt.
    jitter: local cycle-to-cycle period perturbation, as a fraction (healthy adults ~0.5-1%,
        elderly voices 1.5-3%: Xue & Deliyski 2001, "Effects of aging on selected acoustic voice
        parameters", J. Voice 15).
    shimmer: local cycle-to-cycle amplitude perturbation, as a fraction (healthy ~3-4%, elderly
        more).
    """

    f0_hz: float
    formant_scale: float = 1.0
    breathiness: float = 0.2
    jitter: float = 0.008
    shimmer: float = 0.035

    def __post_init__(self) -> None:
        if not 50.0 <= self.f0_hz <= 600.0:
            raise ValueError(f"f0_hz {self.f0_hz} is outside a human voice's 50..600 Hz")
        if not 0.7 <= self.formant_scale <= 1.6:
            raise ValueError(f"formant_scale {self.formant_scale} is outside 0.7..1.6")
        if not 0.0 <= self.breathiness <= 1.0:
            raise ValueError(f"breathiness {self.breathiness} is outside 0..1")
        if not 0.0 <= self.jitter <= 0.1 or not 0.0 <= self.shimmer <= 0.3:
            raise ValueError(f"jitter {self.jitter} / shimmer {self.shimmer} out of range")


# Typical speakers. F0 and formant ratios from Peterson & Barney (1952) and Hillenbrand et al.
# (1995); men's F0 rises and women's falls with age (Xue & Deliyski 2001), and old voices are
# breathier and less stable.
MAN = VoiceTraits(110.0, 1.0, 0.15)
WOMAN = VoiceTraits(200.0, 1.17, 0.3)
CHILD = VoiceTraits(260.0, 1.3, 0.25)
ELDER_MAN = VoiceTraits(125.0, 1.0, 0.4, jitter=0.025, shimmer=0.08)
ELDER_WOMAN = VoiceTraits(180.0, 1.15, 0.45, jitter=0.025, shimmer=0.08)
VOICES = {"man": MAN, "woman": WOMAN, "child": CHILD, "elder_man": ELDER_MAN,
          "elder_woman": ELDER_WOMAN}


def random_traits(rng: np.random.Generator) -> VoiceTraits:
    """A member of a general crowd: mostly adults, some children, each their own voice."""
    kind = rng.choice(["man", "woman", "child", "elder_man", "elder_woman"],
                      p=[0.38, 0.38, 0.1, 0.07, 0.07])
    base = VOICES[str(kind)]
    # Speakers of one sex spread about +-2 semitones in F0 and +-4% in tract length.
    f0 = float(np.clip(base.f0_hz * np.exp(0.12 * rng.standard_normal()), 70.0, 400.0))
    scale = float(np.clip(base.formant_scale * (1.0 + 0.04 * rng.standard_normal()), 0.85, 1.45))
    breath = float(np.clip(base.breathiness + 0.1 * rng.standard_normal(), 0.0, 1.0))
    return VoiceTraits(f0, scale, breath, jitter=base.jitter * rng.uniform(0.7, 1.4),
                       shimmer=base.shimmer * rng.uniform(0.7, 1.4))


@lru_cache(maxsize=1)
def _table() -> dict:
    with DATA.open(encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def tract_shape(symbol: str, traits: VoiceTraits, *, f1_factor: float = 1.0,
                b1_extra_hz: float = 0.0, damping: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """(formants, bandwidths) in Hz of a vowel or sonorant, for this speaker.

    f1_factor raises F1 with a wider-open jaw (loud voice and shouting raise F1: Schulman 1989,
    "Articulatory dynamics of loud and normal speech", J. Acoust. Soc. Am. 85). b1_extra_hz widens
    B1, as an open glottis does: the tract then loses energy into the lungs. damping multiplies
    all bandwidths (a strong airflow through a wide-open mouth and glottis, as in a gasp).
    """
    table = _table()
    low = table["vowels"].get(symbol) or table["consonants"].get(symbol)
    if low is None:
        raise ValueError(f"no vocal-tract shape for {symbol!r}")
    formants = np.array(list(low) + list(table["higher_formants"]), dtype=float)
    bandwidths = np.array(list(table["bandwidths"]) + list(table["higher_bandwidths"]), dtype=float)
    formants[0] *= f1_factor
    bandwidths[0] += b1_extra_hz
    return formants * traits.formant_scale, bandwidths * (damping * traits.formant_scale)


def ramp(n: int, times: list[float] | np.ndarray, values: list[float] | np.ndarray) -> np.ndarray:
    """A per-sample control curve through (seconds, value) keyframes, held flat outside them.
    Keyframes squeezed out of order by a very short sound are pushed forward, not reordered."""
    times = np.maximum.accumulate(np.asarray(times, float))
    return np.interp(np.arange(n) / SAMPLE_RATE, times, np.asarray(values, float))


def formant_path(n: int, keys: list[tuple[float, tuple[np.ndarray, np.ndarray]]],
                 block: int = BLOCK) -> tuple[np.ndarray, np.ndarray]:
    """Per-block formants and bandwidths, (blocks, K) each, moving linearly through the keyframes
    (seconds, (formants, bandwidths)): articulators glide, they do not jump."""
    blocks = max(1, -(-n // block))
    t = (np.arange(blocks) + 0.5) * block / SAMPLE_RATE
    times = np.maximum.accumulate(np.array([k[0] for k in keys], dtype=float))
    f = np.stack([k[1][0] for k in keys])
    b = np.stack([k[1][1] for k in keys])
    fs = np.stack([np.interp(t, times, f[:, j]) for j in range(f.shape[1])], axis=1)
    bs = np.stack([np.interp(t, times, b[:, j]) for j in range(b.shape[1])], axis=1)
    return fs, bs


def _cycles(f0: np.ndarray, jitter: float, rng: np.random.Generator) -> np.ndarray:
    """Start sample (float) of every glottal cycle covering len(f0) samples, plus the end."""
    n = len(f0)
    # The cycles' nominal starts: where the phase (cycles so far) of the F0 contour crosses an
    # integer; their periods follow F0 there.
    phase = np.cumsum(f0) / SAMPLE_RATE
    nominal = np.searchsorted(phase, np.arange(int(phase[-1]) + 1))
    periods = SAMPLE_RATE / f0[np.minimum(nominal, n - 1)]
    # Independent Gaussian period perturbations: E|P_k - P_k-1| = 2 sigma / sqrt(pi), so local
    # jitter J needs sigma = J * sqrt(pi) / 2.
    sigma = jitter * np.sqrt(np.pi) / 2.0
    periods = periods * (1.0 + np.clip(sigma * rng.standard_normal(len(periods)), -0.3, 0.3))
    starts = np.concatenate([[0.0], np.cumsum(periods)])
    while starts[-1] < n:  # perturbations shortened the total: continue at the last period
        starts = np.append(starts, starts[-1] + periods[-1])
    return starts


def glottal_flow(f0: np.ndarray, traits: VoiceTraits, rng: np.random.Generator,
                 open_quotient: float | np.ndarray) -> np.ndarray:
    """Glottal airflow (0..~1 per cycle) of Rosenberg pulses following the F0 contour (Hz per
    sample), with the speaker's jitter and shimmer. open_quotient: share of each cycle the folds
    are apart (pressed voice ~0.4, modal ~0.6, breathy ~0.8)."""
    n = len(f0)
    starts = _cycles(np.maximum(f0, 30.0), traits.jitter, rng)
    index = np.searchsorted(starts, np.arange(n), side="right") - 1
    period = np.diff(starts)[index]
    phase = (np.arange(n) - starts[index]) / period
    oq = np.clip(np.broadcast_to(np.asarray(open_quotient, float), (n,)), 0.2, 0.95)
    opening, closing = oq * OPENING_SHARE, oq * (1.0 - OPENING_SHARE)
    rise = 0.5 * (1.0 - np.cos(np.pi * np.minimum(phase / opening, 1.0)))
    fall = np.cos(0.5 * np.pi * np.clip((phase - opening) / closing, 0.0, 1.0))
    flow = np.where(phase < opening, rise, fall)
    # Shimmer: each cycle's amplitude varies independently (local shimmer S ~ 1.13 sigma).
    gains = 1.0 + np.clip(traits.shimmer * 0.886 * rng.standard_normal(len(starts)), -0.5, 0.5)
    return flow * gains[index]


def voice_source(f0: np.ndarray, voicing: np.ndarray, aspiration: np.ndarray,
                 traits: VoiceTraits, rng: np.random.Generator, *,
                 open_quotient: float | np.ndarray = 0.6,
                 breathiness: float | None = None) -> np.ndarray:
    """Excitation at the glottis, as radiated pressure: voiced pulses plus turbulence.

    f0: Hz per sample (defined everywhere, voiced or not); voicing: amplitude of the voiced
    excitation per sample (0 where the folds do not vibrate); aspiration: amplitude per sample of
    turbulence through an open glottis (an "h", a breath), in units of the voiced excitation's
    RMS; breathiness overrides the speaker's for this sound (a sigh is breathier than a shout).
    """
    n = len(f0)
    breath = traits.breathiness if breathiness is None else breathiness
    flow = glottal_flow(f0, traits, rng, open_quotient)
    # Spectral tilt of a breathy source: the folds close gradually, so the closure's excitation
    # loses its highs (one pole, from ~6 kHz for a pressed voice to ~300 Hz for a breathy one:
    # the TL parameter of Klatt & Klatt 1990, 0 to ~20 dB at 3 kHz). Higher voices close less
    # abruptly for their period (women's spectra are steeper than men's: Hanson 1997, "Glottal
    # characteristics of female speakers", J. Acoust. Soc. Am. 101), so the corner comes down with
    # the speaker's F0 instead of rising with it as a fixed pulse shape would.
    corner = 300.0 * 20.0 ** (1.0 - breath) * min(1.0, (110.0 / traits.f0_hz) ** 0.5)
    pole = np.exp(-2.0 * np.pi * corner / SAMPLE_RATE)
    tilted = lfilter([1.0 - pole], [1.0, -pole], flow)
    voiced = np.diff(tilted * voicing, prepend=0.0)  # lip radiation: pressure ~ d(flow)/dt
    reference = float(np.sqrt(np.mean(np.diff(tilted, prepend=0.0) ** 2))) or 1.0
    peak = float(np.max(flow)) or 1.0
    pulsed = 1.0 - BREATH_MODULATION + BREATH_MODULATION * flow / peak
    noise_level = aspiration + BREATH_NOISE * breath * voicing * pulsed
    # Turbulence at the glottis: its spectrum is broad, peaking where the jet's eddies are (~1-2
    # kHz for glottal flow speeds and widths) and falling above (Stevens 1998, "Acoustic
    # Phonetics", sec. 2.2); radiated, it is about flat to ~1.5 kHz and falls 6 dB/octave above.
    noise = lfilter([1.0 - NOISE_POLE], [1.0, -NOISE_POLE], rng.standard_normal(n))
    noise /= max(float(np.std(noise)), 1e-12)
    return voiced + reference * noise_level * noise


def vocal_tract(excitation: np.ndarray, formants: np.ndarray, bandwidths: np.ndarray,
                block: int = BLOCK) -> np.ndarray:
    """Filter the excitation through a cascade of unity-DC-gain resonators whose frequencies and
    bandwidths (Hz, (blocks, K)) change every `block` samples."""
    n = len(excitation)
    f = np.clip(formants, 50.0, 0.45 * SAMPLE_RATE)
    steady = np.all(f == f[:1], axis=0) & np.all(bandwidths == bandwidths[:1], axis=0)
    if np.any(steady):  # resonances that never move (the higher ones) filter in one pass
        excitation = sosfilt(_sections(f[0, steady], bandwidths[0, steady]), excitation)
        f, bandwidths = f[:, ~steady], bandwidths[:, ~steady]
        if f.shape[1] == 0:
            return excitation
    # The moving resonators (F1-F3), as one all-pole filter per block: in block i the output
    # cross-fades from the previous block's filter to this block's, each run as a time-invariant
    # filter over the input from long enough before the block for its ring to have settled. A
    # resonator whose coefficients change under its own past outputs would instead re-ring: a
    # falling formant swells its ring ~1/sin(w), and fast glides burst out several times louder
    # than either vowel. Cross-faded time-invariant outputs stay between the two.
    sections = [_sections(f[:, j], bandwidths[:, j]) for j in range(f.shape[1])]
    denominators = sections[0][:, 3:]
    for more in sections[1:]:
        denominators = np.stack([np.convolve(a, b) for a, b in zip(denominators, more[:, 3:])])
    gains = np.prod(np.stack([sec[:, 0] for sec in sections]), axis=0)
    # Samples for the narrowest resonance's ring to die by 60 dB: r^m = 1e-3.
    warm = int(np.ceil(np.log(1e3) * SAMPLE_RATE / (np.pi * max(float(bandwidths.min()), 20.0))))
    out = np.empty(n)
    fade_in = (np.arange(block) + 1.0) / block
    carried = None  # the previous block's filter, run over this block
    for i in range(f.shape[0]):
        lo, hi = i * block, min(n, (i + 1) * block)
        if lo >= hi:
            break
        start = max(0, lo - warm)
        ran = lfilter(gains[i:i + 1], denominators[i], excitation[start:min(n, hi + block)])
        now = ran[lo - start:hi - start]
        out[lo:hi] = now if carried is None else carried + fade_in[: hi - lo] * (now - carried)
        carried = ran[hi - start:]
    return out


def _sections(formants: np.ndarray, bandwidths: np.ndarray) -> np.ndarray:
    """Second-order sections of unity-DC-gain resonators (Klatt 1980) at these Hz."""
    r = np.exp(-np.pi * bandwidths / SAMPLE_RATE)
    b1 = 2.0 * r * np.cos(2.0 * np.pi * formants / SAMPLE_RATE)
    b2 = -r * r
    sos = np.zeros((len(formants), 6))
    sos[:, 0] = 1.0 - b1 - b2
    sos[:, 3] = 1.0
    sos[:, 4] = -b1
    sos[:, 5] = -b2
    return sos


def band_noise(rng: np.random.Generator, n: int, low_hz: float, high_hz: float) -> np.ndarray:
    """Unit-RMS turbulence noise between two frequencies (a fricative's or a whistle's breath)."""
    noise = sosfilt(_band(round(low_hz), round(min(high_hz, 0.45 * SAMPLE_RATE))),
                    rng.standard_normal(n))
    return noise / max(float(np.std(noise)), 1e-12)


@lru_cache(maxsize=256)
def _band(low_hz: float, high_hz: float) -> np.ndarray:
    return butter(2, [low_hz, high_hz], btype="bandpass", fs=SAMPLE_RATE, output="sos")


def render(f0: np.ndarray, voicing: np.ndarray, aspiration: np.ndarray,
           keys: list[tuple[float, tuple[np.ndarray, np.ndarray]]], traits: VoiceTraits,
           rng: np.random.Generator, *, open_quotient: float | np.ndarray = 0.6,
           breathiness: float | None = None, block: int = BLOCK) -> np.ndarray:
    """One voice: source through the moving tract. All controls are per sample except `keys`,
    the tract's keyframes (seconds, tract_shape(...))."""
    excitation = voice_source(f0, voicing, aspiration, traits, rng, open_quotient=open_quotient,
                              breathiness=breathiness)
    # The higher-pole gain goes on the excitation, ahead of the cascade: the tract (slowly moving,
    # so the order barely matters) then takes back what it adds far above the formants, and no
    # edge or coefficient change of the tract's output is ever amplified by it.
    excitation = higher_poles(excitation, traits.formant_scale)
    formants, bandwidths = formant_path(len(f0), keys, block)
    # An open glottis couples the tract to the lungs: the more breathy the voice, the wider B1
    # (Klatt & Klatt 1990 measured B1 rising by ~100-200 Hz from modal to breathy voice).
    breath = traits.breathiness if breathiness is None else breathiness
    bandwidths[:, 0] += GLOTTAL_B1_HZ * breath * traits.formant_scale
    return vocal_tract(excitation, formants, bandwidths, block)


def higher_poles(sound: np.ndarray, formant_scale: float) -> np.ndarray:
    """Add back the tract's resonances above the cascade's last one (Klatt 1980's "higher-pole
    correction"), zero-phase.

    A tube's transfer function is the product over all its resonances; cutting the cascade after
    F12 drops the factors 1/(1 - (f/Fk)^2), k >= 13, which are > 1 and grow with f (~+12 dB at
    4 kHz, ~+28 dB at 6 kHz for a man): without them a voice at 48 kHz would lack its highs. With
    it an /a/ has F3 28 dB under F1, as Peterson & Barney (1952) measured. The correction
    is the uniform tube's, held flat above HIGHER_POLES_FLAT_HZ (near the next pole the truncated
    product is not meaningful) and rolled off above HIGHER_POLES_ROLLOFF_HZ, where the lips' and
    cheeks' losses take over.
    """
    n = len(sound)
    if n < 2:
        return sound
    size = next_fast_len(n + 2048, real=True)  # padding: the filter's short ring does not wrap
    f = np.fft.rfftfreq(size, 1.0 / SAMPLE_RATE)
    gain = _higher_pole_gain(round(formant_scale, 3))(f)
    return irfft(rfft(sound, size) * gain, size)[:n]


@lru_cache(maxsize=64)
def _higher_pole_gain(formant_scale: float):
    """Gain curve (a function of Hz) of the missing resonances for this tract length."""
    table = _table()
    first = table["higher_formants"][0] / 7.0 * formant_scale  # c/4L of the tube (490 Hz a man)
    k = np.arange(len(table["higher_formants"]) + 4, 400)
    poles = (2 * k - 1) * first
    grid = np.linspace(0.0, HIGHER_POLES_FLAT_HZ * formant_scale, 256)
    gain_db = -np.sum(np.log(1.0 - (grid[:, None] / poles[None, :]) ** 2), axis=1) * 20 / np.log(10)
    corner = HIGHER_POLES_ROLLOFF_HZ * formant_scale

    def gain(f: np.ndarray) -> np.ndarray:
        return 10 ** (np.interp(f, grid, gain_db) / 20) / (1.0 + (f / corner) ** 4)

    return gain


def peak_normalise(samples: np.ndarray, dbfs: float = -3.0) -> np.ndarray:
    """The samples scaled so their largest magnitude is `dbfs` re full scale (silence unchanged)."""
    peak = float(np.max(np.abs(samples), initial=0.0))
    return samples * (10.0 ** (dbfs / 20.0) / peak) if peak > 0 else samples


def fade(samples: np.ndarray, seconds: float = 0.005) -> np.ndarray:
    """Short fades at both ends in place, so a cut never clicks; returns the samples."""
    m = min(len(samples) // 4, int(seconds * SAMPLE_RATE))
    if m > 0:
        ramp_in = np.linspace(0.0, 1.0, m + 1)[1:]
        samples[:m] *= ramp_in
        samples[-m:] *= ramp_in[::-1]
    return samples
