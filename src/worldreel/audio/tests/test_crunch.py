"""Cars colliding crunch: a broadband burst that starts on the contact's sample and stops, not a
clang that rings on; a harder hit lasts longer and breaks glass; a touch below 1 m/s is an
ordinary knock; and the new vehicle materials are in the table."""

from __future__ import annotations

import numpy as np
import pytest

from worldreel.assets import material
from worldreel.audio import SAMPLE_RATE
from worldreel.audio.crunch import crunch_sound, is_crunch
from worldreel.audio.foley import render_foley
from worldreel.audio.tests.helpers import impact, recording
from worldreel.rng import generator


def _crunch(speed: float, impulse: float = 800.0, seed: int = 0) -> np.ndarray:
    event = impact(0.0, "car_body", "car_body", impulse=impulse, speed=speed, size_a=1.5,
                   size_b=1.5)
    return crunch_sound(event, generator(seed, "t.crunch"), 2 * SAMPLE_RATE)


def band_db(x: np.ndarray, low: float, high: float) -> float:
    spec = np.abs(np.fft.rfft(x)) ** 2
    hz = np.fft.rfftfreq(len(x), 1 / SAMPLE_RATE)
    inside = (hz >= low) & (hz < high)
    return 10 * np.log10(spec[inside].sum() / np.log2(high / low) + 1e-30)  # per octave


def test_a_crunch_is_broadband_and_stops_instead_of_ringing():
    x = _crunch(2.0)
    bands = [band_db(x, lo, hi) for lo, hi in [(40, 160), (160, 800), (800, 3200),
                                              (3200, 12800)]]
    assert max(bands) - min(bands) < 20  # every octave region within 20 dB: broadband
    first = x[: int(0.05 * SAMPLE_RATE)]
    late = x[int(0.3 * SAMPLE_RATE):]
    assert len(late) == 0 or np.sqrt(np.mean(late ** 2)) < 0.01 * np.sqrt(np.mean(first ** 2))


def test_a_harder_hit_crunches_longer_and_breaks_glass():
    soft, hard = _crunch(2.0), _crunch(8.0)
    assert len(hard) > len(soft) + int(0.3 * SAMPLE_RATE)
    tail = hard[int(0.35 * SAMPLE_RATE):]
    # glass tinkle: the late sound is high (3-9 kHz) rather than the low thud and panel rings
    assert band_db(tail, 3000, 9000) > band_db(tail, 100, 1000) + 6


def test_the_crunch_starts_on_the_contact_sample_and_slow_touches_just_knock():
    event = impact(0.5, "car_body", "concrete", impulse=500.0, speed=3.0, size_a=1.5)
    foley = render_foley(recording(1.5, events=[event]), 0, int(1.5 * SAMPLE_RATE))
    first = int(np.flatnonzero(np.abs(foley.dry).sum(axis=1))[0])
    assert abs(first - int(0.5 * SAMPLE_RATE)) <= SAMPLE_RATE // 1000  # within 1 ms
    body, ground = material("car_body"), material("concrete")
    assert is_crunch(event, body, ground)
    assert not is_crunch(impact(0.5, "car_body", "concrete", speed=0.6), body, ground)
    assert not is_crunch(impact(0.5, "tyre", "concrete", speed=5.0), material("tyre"), ground)


def test_the_crunch_is_the_same_for_the_same_seed():
    assert np.array_equal(_crunch(3.0, seed=1), _crunch(3.0, seed=1))
    assert not np.array_equal(_crunch(3.0, seed=1), _crunch(3.0, seed=2))


@pytest.mark.parametrize("name", ["car_body", "tyre"])
def test_the_vehicle_materials_are_in_the_table(name):
    m = material(name)
    assert m.density > 0 and 0 < m.restitution < 1 and m.acoustic.base_hz > 0
