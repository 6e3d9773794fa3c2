"""Aircraft sound (audio.aircraft): heard late by the distance over the speed of sound, with
its highs absorbed by the air as ISO 9613-1 says, Doppler shifted, and the propeller's
blade-passing tone where rpm and blade count put it."""

from __future__ import annotations

import numpy as np
import pytest

from worldreel.assets.aircraft import aircraft_specs
from worldreel.audio.aircraft import (FlightPath, absorption_db_per_m, propagate,
                                      propeller_sound)
from worldreel.audio.clock import SAMPLE_RATE
from worldreel.audio.spatial import SPEED_OF_SOUND_M_S
from worldreel.rng import generator

FRAME_S = 1.0 / 24.0


def _still(point) -> FlightPath:
    return FlightPath(np.array([0.0, 100.0]), np.array([point, point], dtype=float))


def _arrival(heard: np.ndarray) -> float:
    return float(np.argmax(np.abs(heard).sum(axis=1))) / SAMPLE_RATE


def test_a_plane_686_m_away_is_heard_2_s_late():
    n = 4 * SAMPLE_RATE
    source = np.zeros(n)
    source[int(0.5 * SAMPLE_RATE)] = 1.0  # a click emitted at 0.5 s
    heard = propagate(source, 0.0, _still((400.0, 0.0, 557.3)), None, n)  # 686 m away
    assert _arrival(heard) == pytest.approx(0.5 + 686.0 / SPEED_OF_SOUND_M_S, abs=FRAME_S / 4)


def test_a_moving_plane_is_heard_where_it_was_when_the_sound_left_it():
    times = np.linspace(-10.0, 20.0, 301)
    positions = np.stack([-450.0 + 75.0 * times, np.zeros_like(times),
                          np.full_like(times, 300.0)], axis=1)
    path = FlightPath(times, positions)
    n = 12 * SAMPLE_RATE
    for emitted in (1.0, 6.0, 9.0):
        source = np.zeros(n)
        source[int(emitted * SAMPLE_RATE)] = 1.0
        heard = propagate(source, 0.0, path, None, n)
        distance = float(np.linalg.norm(path.at(np.array([emitted]))[0]))
        assert _arrival(heard) == pytest.approx(emitted + distance / SPEED_OF_SOUND_M_S,
                                                abs=FRAME_S / 4)


def _band_db(signal: np.ndarray, low: float, high: float) -> float:
    spectrum = np.abs(np.fft.rfft(signal)) ** 2
    f = np.fft.rfftfreq(len(signal), 1.0 / SAMPLE_RATE)
    return 10.0 * np.log10(spectrum[(f >= low) & (f < high)].mean())


def test_highs_fall_with_distance_as_iso_9613_says():
    n = 2 * SAMPLE_RATE
    noise = generator(3, "test.noise").standard_normal(n + 3 * SAMPLE_RATE)
    near = propagate(noise, -3.0, _still((0.0, 0.0, 100.0)), None, n)[SAMPLE_RATE // 2:, 0]
    far = propagate(noise, -3.0, _still((0.0, 0.0, 400.0)), None, n)[SAMPLE_RATE // 2:, 0]
    low = _band_db(near, 450, 550) - _band_db(far, 450, 550)
    high = _band_db(near, 7800, 8200) - _band_db(far, 7800, 8200)
    spreading = 20.0 * np.log10(4.0)
    air = absorption_db_per_m(np.array([500.0, 8000.0])) * 300.0
    assert low == pytest.approx(spreading + air[0], abs=1.0)
    assert high == pytest.approx(spreading + air[1], abs=1.5)  # 32 dB more lost over 300 m
    assert high - low > 25.0


def test_air_absorption_matches_the_iso_9613_1_table():
    # ISO 9613-1:1993 Table 1, 20 C, 50 % relative humidity, dB/km (nominal frequencies)
    table = {500: 2.7, 1000: 4.7, 2000: 9.9}
    for f, db_km in table.items():
        assert absorption_db_per_m(np.array([float(f)]))[0] * 1000.0 == pytest.approx(db_km,
                                                                                    rel=0.05)


def test_an_approaching_plane_is_heard_higher():
    n = 3 * SAMPLE_RATE
    t = np.arange(n + 5 * SAMPLE_RATE) / SAMPLE_RATE - 5.0
    tone = np.sin(2 * np.pi * 1000.0 * t)
    times = np.linspace(-10.0, 10.0, 201)
    towards = FlightPath(times, np.stack([2000.0 - 75.0 * times, np.zeros_like(times),
                                          np.zeros_like(times)], axis=1))
    heard = propagate(tone, -5.0, towards, None, n)[:, 0]
    spectrum = np.abs(np.fft.rfft(heard * np.hanning(n)))
    peak = np.argmax(spectrum) * SAMPLE_RATE / n
    assert peak == pytest.approx(1000.0 * SPEED_OF_SOUND_M_S / (SPEED_OF_SOUND_M_S - 75.0),
                                 abs=2.0)  # 1280 Hz


def test_a_propeller_hums_at_its_blade_passing_frequency():
    spec = aircraft_specs()["light_aircraft"]
    n = SAMPLE_RATE
    rpm = np.full(n, 2400.0)
    sound = propeller_sound(rpm, np.full(n, 0.6), spec, generator(1, "prop"))
    spectrum = np.abs(np.fft.rfft(sound))
    f = np.fft.rfftfreq(n, 1.0 / SAMPLE_RATE)
    bpf = 2400.0 / 60.0 * spec.propeller_blades  # 80 Hz
    at = spectrum[np.abs(f - bpf) < 1.0].max()
    around = np.median(spectrum[(f > 50) & (f < 300)])
    assert at > 20.0 * around
