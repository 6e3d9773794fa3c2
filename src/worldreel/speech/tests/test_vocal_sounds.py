"""Non-speech vocal sounds: what a listener would notice - laughter comes in voiced "ha" bursts a
few times a second and a child laughs higher than a man; one clapper is separate claps and thirty
are a dense roar; crowds grow louder and denser with more people; coughs start with a bang,
gasps and sighs are breath; and the same seed always gives the same sound."""

from __future__ import annotations

import time
from functools import lru_cache

import numpy as np
import pytest
from scipy.ndimage import uniform_filter1d
from scipy.signal import find_peaks, welch

from worldreel.evaluate import pitch
from worldreel.rng import generator
from worldreel.speech.spoken import PAUSE, SAMPLE_RATE, Spoken
from worldreel.speech.vocal_sounds import (
    CROWD_KINDS, DEFAULT_SECONDS, KINDS, applause, laugh, vocal_sound)
from worldreel.speech.voice_source import CHILD, MAN, WOMAN, VoiceTraits, tract_shape
from worldreel.speech.voice_source import render as render_voice

ONE_PERSON = ("laugh", "shout", "gasp", "sigh", "cough")


@lru_cache(maxsize=None)
def render(kind: str, who: str = "man", count: int = 1, seed: int = 0,
           seconds: float | None = None) -> Spoken:
    traits = {"man": MAN, "woman": WOMAN, "child": CHILD}[who]
    return vocal_sound(kind, traits, generator(seed, f"test/{kind}"), count=count,
                       seconds=seconds)


def envelope_db(x: np.ndarray, frame_s: float = 0.01) -> np.ndarray:
    """RMS level per frame, dB re the loudest frame."""
    w = int(frame_s * SAMPLE_RATE)
    e = np.sqrt(np.mean(x[: len(x) // w * w].reshape(-1, w) ** 2, axis=1))
    return 20 * np.log10(e / e.max() + 1e-12)


def rms_db(x: np.ndarray) -> float:
    return float(10 * np.log10(np.mean(x ** 2)))


def f0_track(x: np.ndarray, top_hz: float = 4000.0) -> np.ndarray:
    """F0 (Hz) per 40 ms frame, NaN where unvoiced (worldreel.evaluate.pitch)."""
    return pitch.f0_track(x, top_hz=top_hz)


def voiced_f0(x: np.ndarray, top_hz: float = 4000.0) -> tuple[float, float]:
    """(median F0, share of frames voiced)."""
    track = f0_track(x, top_hz)
    voiced = track[~np.isnan(track)]
    return (float(np.median(voiced)) if len(voiced) else 0.0), len(voiced) / len(track)


def flatness(x: np.ndarray) -> float:
    """Spectral flatness 300 Hz-8 kHz: ~1 for white noise, near 0 for a harmonic voice."""
    f, p = welch(x, SAMPLE_RATE, nperseg=2048)
    p = p[(f > 300) & (f < 8000)]
    return float(np.exp(np.mean(np.log(p + 1e-30))) / np.mean(p))


def centroid(x: np.ndarray, low: float = 0.0, high: float = SAMPLE_RATE / 2) -> float:
    power = np.abs(np.fft.rfft(x)) ** 2
    f = np.fft.rfftfreq(len(x), 1.0 / SAMPLE_RATE)
    band = (f >= low) & (f <= high)
    return float(np.sum(f[band] * power[band]) / np.sum(power[band]))


def quiet_runs_ms(x: np.ndarray, below_db: float = -30.0, start_s: float = 0.0,
                  end_s: float = 0.0) -> int:
    """Longest run (ms) of 10 ms frames quieter than below_db re the loudest frame."""
    env = envelope_db(x)[int(start_s * 100): len(envelope_db(x)) - int(end_s * 100)]
    best = run = 0
    for quiet in env < below_db:
        run = run + 1 if quiet else 0
        best = max(best, run)
    return best * 10


def modulation_depth(x: np.ndarray, low: float = 3.0, high: float = 6.0) -> float:
    """Share of the amplitude envelope's variance in the low..high Hz band (syllable rhythm),
    relative to the envelope's mean power: high for a few talkers, low for a steady babble."""
    env = np.sqrt(np.mean(x[: len(x) // 480 * 480].reshape(-1, 480) ** 2, axis=1))  # 100 Hz
    env = env[50:-50]  # skip the ends (onsets, fades)
    spectrum = np.abs(np.fft.rfft(env - env.mean())) ** 2
    f = np.fft.rfftfreq(len(env), 0.01)
    return float(np.sum(spectrum[(f >= low) & (f <= high)]) / (len(env) ** 2 * env.mean() ** 2))


# --- laughter -------------------------------------------------------------------------------


def test_laugh_comes_in_three_to_six_bursts_a_second() -> None:
    for who in ("man", "woman", "child"):
        spoken = render("laugh", who)
        env = uniform_filter1d(envelope_db(spoken.samples), 3)
        peaks, _ = find_peaks(env, prominence=8.0, distance=10)
        rate = len(peaks) / spoken.seconds
        assert 3.0 <= rate <= 6.0, (who, len(peaks), rate)


def test_laugh_is_voiced_high_and_a_childs_is_higher_than_a_mans() -> None:
    medians = {}
    for who, traits in (("man", MAN), ("woman", WOMAN), ("child", CHILD)):
        median, share = voiced_f0(render("laugh", who).samples)
        assert share > 0.12, (who, share)  # the vowels of the "ha"s are voiced
        # Laughter is pitched well above the speaking voice (Bachorowski et al. 2001: ~2x).
        assert 1.2 * traits.f0_hz <= median <= 3.0 * traits.f0_hz, (who, median)
        medians[who] = median
    assert medians["child"] > 1.5 * medians["man"]
    assert medians["woman"] > 1.3 * medians["man"]


def test_laugh_f0_falls_over_the_bout_and_ends_in_an_inhalation() -> None:
    spoken = render("laugh", "woman")
    track = f0_track(spoken.samples)
    times = np.arange(len(track)) * 0.01
    voiced = ~np.isnan(track)
    first, last = times[voiced].min(), times[voiced].max()
    early = np.nanmedian(track[voiced & (times < first + 0.3)])
    late = np.nanmedian(track[voiced & (times > last - 0.3)])
    assert late < 0.9 * early
    # The inhalation at the end: an audible "hh" after the last voiced call.
    inhale = spoken.phones[-1]
    assert inhale.symbol == "hh" and inhale.end == pytest.approx(spoken.seconds)
    assert inhale.start > last
    breath = spoken.samples[int(inhale.start * SAMPLE_RATE):]
    assert rms_db(breath) > rms_db(spoken.samples) - 15


def test_laugh_phones_alternate_h_vowel_pause_and_cover_the_sound() -> None:
    spoken = render("laugh")
    symbols = [p.symbol for p in spoken.phones]
    assert set(symbols) <= {"hh", "aa", PAUSE}
    assert symbols[:3] == ["hh", "aa", PAUSE]
    assert symbols.count("aa") >= 4
    assert spoken.phones[0].start == 0.0 and spoken.phones[-1].end == pytest.approx(spoken.seconds)
    for a, b in zip(spoken.phones, spoken.phones[1:]):
        assert a.end == pytest.approx(b.start)
    assert spoken.timing == "engine"


def test_several_people_laughing_are_louder_than_one() -> None:
    one, group = render("laugh"), render("laugh", count=8)
    assert rms_db(group.samples) > rms_db(one.samples) + 1.5
    assert [p.symbol for p in group.phones][:2] == ["hh", "aa"]  # the lead's mouth


# --- applause -------------------------------------------------------------------------------


def test_one_clapper_makes_separate_claps_at_a_clapping_rate() -> None:
    spoken = render("applause", count=1)
    env = envelope_db(spoken.samples, 0.005)
    onsets, _ = find_peaks(env, height=-15.0, distance=20)  # >= 100 ms apart
    seconds = spoken.seconds
    assert 3 * seconds - 1 <= len(onsets) <= 6 * seconds + 1, len(onsets)
    intervals = np.diff(onsets)
    assert np.std(intervals) / np.mean(intervals) < 0.15  # a steady hand
    for a, b in zip(onsets, onsets[1:]):  # silence between the claps
        assert env[a:b].min() < -30.0


def test_thirty_clappers_are_dense_and_louder_than_one() -> None:
    one, crowd = render("applause", count=1), render("applause", count=30)
    # Once everyone has joined (~0.5 s), no gap of 50 ms or more under -30 dB.
    assert quiet_runs_ms(crowd.samples, -30.0, start_s=0.5, end_s=0.1) < 50
    assert quiet_runs_ms(one.samples, -30.0) >= 100
    assert rms_db(crowd.samples) > rms_db(one.samples) + 6.0


def test_applause_grows_with_the_crowd_roughly_as_a_power_sum() -> None:
    levels = [rms_db(render("applause", count=c).samples) for c in (10, 100)]
    # 10x the people: +10 dB for equal people; less, as the added ones stand farther away.
    assert 4.0 < levels[1] - levels[0] < 12.0


def test_claps_are_centred_between_one_and_four_kilohertz() -> None:
    for count in (1, 30):
        assert 1000.0 < centroid(render("applause", count=count).samples) < 4000.0


def test_applause_of_thirty_people_renders_in_well_under_a_second() -> None:
    started = time.process_time()
    applause(MAN, generator(7, "speed"), count=30, seconds=3.0)
    assert time.process_time() - started < 0.5


# --- crowds ---------------------------------------------------------------------------------


def test_thirty_cheering_are_louder_and_denser_than_three() -> None:
    few, many = render("cheer", count=3), render("cheer", count=30)
    assert rms_db(many.samples) > rms_db(few.samples) + 4.0

    def busy(x: np.ndarray) -> float:  # share of 20 ms frames within 10 dB of the loudest
        return float(np.mean(envelope_db(x, 0.02) > -10.0))

    def spread(x: np.ndarray) -> float:  # how far the level swings (10th to 90th percentile)
        return float(np.subtract(*np.percentile(envelope_db(x, 0.02), [90, 10])))

    assert busy(many.samples) > busy(few.samples) + 0.2
    assert spread(many.samples) < 0.6 * spread(few.samples)
    assert voiced_f0(many.samples)[1] > 0.2  # voices, not noise


def test_murmur_of_few_talkers_has_syllable_rhythm_and_of_many_is_steady() -> None:
    few = [render("murmur", count=2, seed=s).samples for s in range(3)]
    many = [render("murmur", count=60, seed=s).samples for s in range(3)]
    few_depth = np.mean([modulation_depth(x) for x in few])
    many_depth = np.mean([modulation_depth(x) for x in many])
    assert few_depth > 2.5 * many_depth, (few_depth, many_depth)
    # Two talkers' envelopes swing at the syllable rate (3-6 Hz) more than faster (8-11 Hz).
    assert few_depth > 1.5 * np.mean([modulation_depth(x, 8.0, 11.0) for x in few])


def test_murmur_level_grows_with_count_and_is_dull_like_across_a_room() -> None:
    few, many = render("murmur", count=2), render("murmur", count=60)
    assert rms_db(many.samples) > rms_db(few.samples) + 5.0
    assert centroid(many.samples) < 1500.0


def test_crowds_have_one_pause_phone_spanning_the_sound() -> None:
    for kind in sorted(CROWD_KINDS):
        spoken = render(kind, count=3)
        assert len(spoken.phones) == 1 and spoken.phones[0].symbol == PAUSE
        assert spoken.phones[0].end == pytest.approx(spoken.seconds)
        assert spoken.seconds == pytest.approx(DEFAULT_SECONDS[kind], abs=1e-3)
        assert envelope_db(spoken.samples)[:2].max() > -40.0, kind  # the lead starts at once


# --- one-person sounds ----------------------------------------------------------------------


def test_cough_starts_with_an_explosive_burst_and_ends_voiced() -> None:
    spoken = render("cough")
    x = spoken.samples
    assert np.argmax(np.abs(x)) < 0.06 * SAMPLE_RATE
    env = envelope_db(x, 0.005)
    assert env[:2].max() > -6.0  # within 10 ms of the start it is nearly at its loudest
    median, share = voiced_f0(x[len(x) // 3:])
    assert share > 0.15 and 0.7 * MAN.f0_hz < median < 1.4 * MAN.f0_hz
    assert [p.symbol for p in spoken.phones][:3] == ["k", "hh", "ah"]


def test_gasp_and_sigh_are_breath_and_a_shout_is_not() -> None:
    shout_flat = flatness(render("shout").samples)
    for kind in ("gasp", "sigh"):
        assert flatness(render(kind).samples) > 5 * shout_flat, kind
    assert flatness(render("gasp", "woman").samples) > 0.2
    assert voiced_f0(render("gasp", "woman").samples)[1] < 0.1


def test_gasp_is_short_and_sharp_with_the_mouth_opening() -> None:
    x = render("gasp").samples
    env = envelope_db(x)
    assert np.argmax(env) < 10  # loudest within 100 ms
    assert env[-5:].max() < -10.0  # the intake dies away
    quarter = len(x) // 4
    early = centroid(x[:quarter], 300, 3000)
    later = centroid(x[quarter:2 * quarter], 300, 3000)
    assert later > early  # F1/F2 rise as the jaw drops


def test_sigh_falls_in_pitch() -> None:
    x = render("sigh").samples
    track = f0_track(x, top_hz=1000.0)  # the breathy voice shows only in its low harmonics
    times = np.arange(len(track)) * 0.01
    voiced = ~np.isnan(track)
    assert voiced.mean() > 0.2
    mid = np.median(times[voiced])
    assert np.nanmedian(track[voiced & (times > mid)]) < 0.92 * np.nanmedian(
        track[voiced & (times <= mid)])


def test_shout_is_high_pitched_and_pressed() -> None:
    spoken = render("shout")
    median, share = voiced_f0(spoken.samples)
    assert share > 0.7 and median > 1.5 * MAN.f0_hz
    assert flatness(spoken.samples) < 0.05
    assert [p.symbol for p in spoken.phones] == ["aa", "ey"]


def test_one_person_sounds_start_at_once_and_peak_at_minus_3_dbfs() -> None:
    for kind in ONE_PERSON:
        spoken = render(kind)
        x = spoken.samples
        assert x.dtype == np.float64 and x.ndim == 1
        assert spoken.seconds == pytest.approx(DEFAULT_SECONDS[kind], abs=1e-3)
        assert np.max(np.abs(x)) == pytest.approx(10 ** (-3 / 20), rel=1e-6)
        assert envelope_db(x)[:2].max() > -30.0, kind  # the first sample is the first sound
        assert spoken.phones[0].start == 0.0
        assert spoken.phones[-1].end == pytest.approx(spoken.seconds)


def test_a_child_has_higher_formants_than_a_man() -> None:
    man, _ = tract_shape("aa", MAN)
    child, _ = tract_shape("aa", CHILD)
    assert np.all(child > man)
    assert child[0] / man[0] == pytest.approx(CHILD.formant_scale)


def test_a_fast_vowel_glide_does_not_pop() -> None:
    """Formants sweeping aa -> iy -> aa in 30 ms stay between the vowels' own levels: the moving
    vocal tract must not ring out louder than either end (a pop, a click)."""
    n = SAMPLE_RATE
    a, i = tract_shape("aa", WOMAN), tract_shape("iy", WOMAN)
    keys = [(0.0, a), (0.3, a), (0.33, i), (0.6, i), (0.63, a)]
    y = render_voice(np.full(n, 220.0), np.ones(n), np.zeros(n), keys, WOMAN, generator(0, "g"))
    env = 10 ** (envelope_db(y, 0.005) / 20)
    steady = max(env[20:55].max(), env[75:115].max(), env[140:190].max())
    assert env[55:75].max() < 1.1 * steady and env[115:140].max() < 1.1 * steady


# --- determinism and validation -------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_same_seed_same_sound_other_seed_other_sound(kind: str) -> None:
    count = 3 if kind in CROWD_KINDS else 1

    def make(seed: int) -> np.ndarray:
        return vocal_sound(kind, WOMAN, generator(seed, "det"), count=count, seconds=0.8).samples

    a, b, c = make(1), make(1), make(2)
    assert np.array_equal(a, b)
    assert not np.array_equal(a, c)
    assert np.all(np.isfinite(a))


def test_bad_requests_are_refused_clearly() -> None:
    rng = generator(0, "bad")
    with pytest.raises(ValueError, match="laugh, shout"):
        vocal_sound("yodel", MAN, rng)
    for count in (0, -1, 501, 2.5, True):
        with pytest.raises(ValueError, match="count"):
            vocal_sound("applause", MAN, rng, count=count)
    for seconds in (0.0, -1.0, 61.0, float("nan")):
        with pytest.raises(ValueError, match="seconds"):
            vocal_sound("laugh", MAN, rng, seconds=seconds)
    with pytest.raises(ValueError):
        VoiceTraits(f0_hz=5.0, formant_scale=1.0, breathiness=0.2)
    with pytest.raises(ValueError):
        VoiceTraits(f0_hz=120.0, formant_scale=1.0, breathiness=1.5)


def test_extreme_but_valid_requests_still_sound() -> None:
    rng = generator(0, "edge")
    short = laugh(CHILD, rng, seconds=0.15)
    assert len(short.samples) == round(0.15 * SAMPLE_RATE) and np.all(np.isfinite(short.samples))
    big = vocal_sound("murmur", MAN, rng, count=500, seconds=0.5)
    assert np.all(np.isfinite(big.samples)) and rms_db(big.samples) > -40
    for kind in ONE_PERSON:
        spoken = vocal_sound(kind, VoiceTraits(300.0, 1.4, 0.9), rng, seconds=0.1)
        assert np.all(np.isfinite(spoken.samples)) and np.max(np.abs(spoken.samples)) > 0
