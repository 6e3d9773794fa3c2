"""Two-wheelers and boards as a listener hears them: a coasting bicycle's freewheel ticks at its
ratchet's rate for the wheel's speed and is silent while pedalling (the chain whirrs then), a
kicked board's pushes are heard at the instants its track records, and a motorcycle's twin
fires twice as often per turn as a moped's single."""

from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from worldreel.audio import SAMPLE_RATE
from worldreel.audio.tests.helpers import FPS, OVERSAMPLE, detect_onsets, recording
from worldreel.audio.tests.test_vehicles import peak_hz
from worldreel.audio.two_wheelers import push_times, pedalled_or_kicked_sound
from worldreel.audio.vehicles import render_vehicles
from worldreel.assets.vehicles import vehicle_spec
from worldreel.recording import VehicleTrack
from worldreel.rng import generator

RATE = FPS * OVERSAMPLE


def _track(seconds, speed, crank, rpm=0.0, throttle=0.0, gear=0, name="v") -> VehicleTrack:
    t = np.arange(int(round(seconds * RATE)) + 1) / RATE

    def values(v):
        return np.asarray([v(x) for x in t] if callable(v) else np.full(len(t), v), dtype=float)

    return VehicleTrack(name, values(speed), values(rpm), values(gear).astype(int),
                        values(throttle), np.zeros(len(t)), crank=values(crank),
                        steer=np.zeros(len(t)))


def _sound(track, asset, seconds):
    return pedalled_or_kicked_sound(track, vehicle_spec(asset), RATE, int(seconds * SAMPLE_RATE),
                                    generator(0, "t.bike")).astype(float)


def _ticks_per_second(x: np.ndarray) -> float:
    from scipy.signal import butter, sosfilt

    high = sosfilt(butter(4, 2_800.0, btype="highpass", fs=SAMPLE_RATE, output="sos"), x)
    onsets = detect_onsets(high, rise_db=10.0, hold_s=0.004)
    onsets = onsets[onsets > 0.2]
    return (len(onsets) - 1) / (onsets[-1] - onsets[0])


@pytest.mark.parametrize("speed", [2.0, 4.0])
def test_freewheel_ticks_at_pawls_times_wheel_turns_while_coasting(speed):
    spec = vehicle_spec("bicycle")
    x = _sound(_track(2.0, speed, 0.0), "bicycle", 2.0)
    expected = spec.hub_pawls * speed / (2 * math.pi * spec.wheel_radius)
    assert _ticks_per_second(x) == pytest.approx(expected, rel=0.05)


def test_pedalling_silences_the_freewheel_and_the_chain_whirrs_at_its_mesh_rate():
    spec = vehicle_spec("bicycle")
    cadence = 85 / 60 * 2 * math.pi  # rad/s
    pedalling = _sound(_track(2.0, 5.0, lambda t: cadence * t, throttle=0.2), "bicycle", 2.0)
    coasting = _sound(_track(2.0, 5.0, 0.0), "bicycle", 2.0)
    from scipy.signal import butter, sosfilt

    ticks = sosfilt(butter(4, 2_800.0, btype="highpass", fs=SAMPLE_RATE, output="sos"), coasting)
    assert len(detect_onsets(ticks, rise_db=10.0)) > 40
    # the whirr's envelope pulses at the rollers' mesh rate: 85 rpm x 46 teeth = 65 Hz
    band = sosfilt(butter(4, [1_500.0, 5_000.0], btype="bandpass", fs=SAMPLE_RATE,
                          output="sos"), pedalling)
    envelope = np.abs(band)
    mesh = 85 / 60 * spec.chainring
    assert peak_hz(envelope - envelope.mean(), 30.0, 120.0) == pytest.approx(mesh, rel=0.03)


def test_a_boards_pushes_are_heard_at_its_recorded_push_instants():
    period = 1.25
    track = _track(5.0, lambda t: 2.0 + 0.5 * ((t % period) < 0.3),
                   lambda t: 2 * math.pi * (t + 0.37) / period)
    when = push_times(track, RATE)
    assert np.allclose(when, np.arange(1, 5) * period - 0.37, atol=1e-6)  # sub-sample exact
    x = _sound(track, "skateboard", 5.0)
    heard = detect_onsets(x, rise_db=12.0, hold_s=0.2)
    assert len(heard) == len(when)
    assert np.allclose(heard, when, atol=0.001)  # within a millisecond


def test_motorcycle_twin_and_moped_single_fire_at_their_rates():
    seconds, rpm = 2.0, 4800.0
    n = int(seconds * SAMPLE_RATE)
    base = recording(seconds)
    tracks = {"bike": _track(seconds, 10.0, 0.0, rpm=rpm, throttle=0.3, gear=3, name="bike")}
    peaks = {}
    for asset, cylinders in (("motorcycle", 2), ("moped", 1)):
        record = replace(base, entity_ids=("bike",), vehicles=(tracks["bike"],))
        out = render_vehicles(record, 0, n, assets={"bike": asset})
        firing = rpm / 60.0 * cylinders / 2.0
        peaks[asset] = peak_hz(out.send[int(0.3 * SAMPLE_RATE):], 0.7 * firing, 1.4 * firing)
        assert peaks[asset] == pytest.approx(firing, rel=0.03)
    assert peaks["motorcycle"] == pytest.approx(2 * peaks["moped"], rel=0.03)
