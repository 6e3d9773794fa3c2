"""Lip sync on a line with known phones: lips shut for m, b, p; the mouth rests closed in
silence; it opens with the first sound, not before; it glides rather than flaps."""

import numpy as np
import pytest

from worldreel.animation.lips import mouth
from worldreel.assets.people.anny_files import face_unit_names
from worldreel.scene import Line
from worldreel.speech import SpokenLine
from worldreel.speech.spoken import SAMPLE_RATE, Phone
from worldreel.speech.visemes import visemes
from worldreel.timeline import TimedLine

# "mama, pa ... obey": (phone, seconds)
SAID = [("m", 0.08), ("aa", 0.14), ("m", 0.07), ("aa", 0.16), ("pau", 0.35), ("p", 0.06),
        ("aa", 0.18), ("pau", 0.05), ("ow", 0.12), ("b", 0.06), ("ey", 0.2)]
VOICED = {"aa": 1.0, "ow": 0.8, "ey": 0.6, "m": 0.1, "b": 0.05}


def _line(start: float = 1.0) -> TimedLine:
    phones, t, pieces = [], 0.0, []
    for symbol, length in SAID:
        phones.append(Phone(symbol, t, t + length))
        n = int(round(length * SAMPLE_RATE))
        tone = np.sin(2 * np.pi * 150 * np.arange(n) / SAMPLE_RATE)
        pieces.append(VOICED.get(symbol, 0.0) * 0.3 * tone)
        t += length
    samples = np.concatenate(pieces)
    spoken = SpokenLine(0, "ann", None, samples, tuple(phones), visemes(tuple(phones)), "engine")
    return TimedLine(0, Line(text="mama pa obey", speaker="ann"), start, start + t, spoken)


UNITS = face_unit_names()
TIMES = np.arange(0, 4.0, 1 / 120)


def _jaw(line):
    return mouth((line,), UNITS, TIMES)[:, UNITS.index("jawOpen")]


def _at(t):
    return int(round(t * 120))


def test_lips_close_for_m_b_p_and_open_for_vowels():
    line = _line()
    jaw = _jaw(line)
    full = jaw.max()
    for phone in line.spoken.phones:
        middle = line.start + 0.5 * (phone.start + phone.end)
        if phone.symbol in {"m", "b", "p"}:
            assert jaw[_at(middle)] < 0.1 * full, phone
        if phone.symbol == "aa":
            assert jaw[_at(middle)] > 0.5 * full, phone


def test_the_mouth_rests_closed_in_silence_and_before_and_after_the_line():
    line = _line()
    jaw = _jaw(line)
    full = jaw.max()
    pause = next(p for p in line.spoken.phones if p.symbol == "pau" and p.end - p.start > 0.2)
    inside = (TIMES > line.start + pause.start + 0.06) & (TIMES < line.start + pause.end - 0.06)
    assert jaw[inside].max() < 0.1 * full
    assert jaw[TIMES < line.start - 1 / 24].max() == 0.0  # not before one frame ahead
    assert jaw[TIMES > line.end + 0.1].max() < 0.01


def test_the_mouth_glides_between_shapes():
    jaw = _jaw(_line())
    step = np.abs(np.diff(jaw)).max()
    assert step < 0.25  # never jumps a quarter of its range in 1/120 s


def test_the_opening_follows_the_sound():
    line = _line()
    jaw = _jaw(line)
    rms = np.zeros(len(TIMES))
    samples = np.asarray(line.spoken.samples)
    for k, t in enumerate(TIMES):
        a = int((t - line.start) * SAMPLE_RATE)
        if 0 <= a < len(samples):
            rms[k] = np.sqrt((samples[max(0, a - 480):a + 480] ** 2).mean())
    assert np.corrcoef(jaw, rms)[0, 1] > 0.7


@pytest.mark.parametrize("start", [0.5, 1.37])
def test_the_visual_onset_is_within_a_frame_of_the_sound(start):
    line = _line(start)
    weights = mouth((line,), UNITS, TIMES)
    moving = np.flatnonzero(np.abs(weights).sum(axis=1) > 0.05)
    assert abs(TIMES[moving[0]] - start) <= 1 / 24
