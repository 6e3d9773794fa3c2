"""Vehicles as a listener hears them: the engine's pitch follows its rpm (and drops at a gear
change), a car passing the camera drops in pitch by the Doppler ratio, tyres roar louder the
faster it goes, the brakes squeal only when stopping hard, a car with its engine off standing
still is silent, and a horn sounded by a car is heard from where the car is."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from worldreel.audio import SAMPLE_RATE, make_soundtrack
from worldreel.audio.spatial import SPEED_OF_SOUND_M_S
from worldreel.audio.tests.helpers import FPS, OVERSAMPLE, camera, recording, rms_db
from worldreel.audio.vehicles import render_vehicles, vehicle_sound
from worldreel.errors import AudioError
from worldreel.recording import VehicleTrack
from worldreel.rng import generator
from worldreel.scene import Scene
from worldreel.speech import speak
from worldreel.timeline import resolve_lines

RATE = FPS * OVERSAMPLE  # the Recording's sample rate


def track(seconds: float, rpm, speed=0.0, throttle=0.3, brake=0.0, gear=1) -> VehicleTrack:
    """A drivetrain whose values are functions of time (or constants)."""
    t = np.arange(int(round(seconds * RATE)) + 1) / RATE

    def values(v):
        return np.asarray([v(x) for x in t] if callable(v) else np.full(len(t), v), dtype=float)

    return VehicleTrack("car", values(speed), values(rpm), values(gear).astype(int),
                        values(throttle), values(brake))


def peak_hz(x: np.ndarray, low: float, high: float) -> float:
    """The strongest spectral peak between low and high Hz (Hann window, zero-padded to 0.1 Hz
    bins, parabolic interpolation)."""
    size = 1 << 19
    spec = np.abs(np.fft.rfft(x * np.hanning(len(x)), size))
    hz = np.fft.rfftfreq(size, 1 / SAMPLE_RATE)
    band = np.flatnonzero((hz >= low) & (hz <= high))
    i = band[np.argmax(spec[band])]
    a, b, c = np.log(spec[i - 1:i + 2] + 1e-12)
    return float(hz[i] + 0.5 * (a - c) / (a - 2 * b + c) * (hz[1] - hz[0]))


def _sound(vehicle: VehicleTrack, seconds: float, cylinders: int = 4) -> np.ndarray:
    return vehicle_sound(vehicle, RATE, int(seconds * SAMPLE_RATE), generator(0, "t.car"),
                         cylinders=cylinders)


@pytest.mark.parametrize("cylinders", [4, 6])
def test_the_engine_pitch_follows_rpm_and_drops_at_a_gear_change(cylinders):
    steps = [900.0, 2500.0, 4200.0, 2600.0]  # idle, revving in 1st, and the shift to 2nd
    x = _sound(track(4.0, lambda t: steps[min(int(t), 3)]), 4.0, cylinders)
    assert x.dtype == np.float32 and len(x) == 4 * SAMPLE_RATE
    for i, rpm in enumerate(steps):
        firing = rpm / 60.0 * cylinders / 2.0
        part = x[int((i + 0.2) * SAMPLE_RATE):int((i + 0.9) * SAMPLE_RATE)].astype(float)
        assert peak_hz(part, 0.6 * firing, 1.6 * firing) == pytest.approx(firing, rel=0.03)


def test_a_car_passing_the_camera_drops_in_pitch_by_the_doppler_ratio():
    v, seconds = 20.0, 6.0
    record = recording(seconds, camera=camera(seconds, position=(0.0, -8.0, 1.5),
                                              target=(0.0, 0.0, 0.5)))
    n = len(record.times)
    x = -60.0 + v * record.times  # passes in front of the camera at t = 3 s
    positions = np.zeros((n, 1, 3))
    positions[:, 0, 0] = x
    positions[:, 0, 2] = 0.5
    velocities = np.zeros((n, 1, 3))
    velocities[:, 0, 0] = v
    drive = track(seconds, 3000.0, speed=v, throttle=0.4)
    record = replace(record, entity_ids=("car",), positions=positions, velocities=velocities,
                     vehicles=(drive,))
    out = render_vehicles(record, 0, int(seconds * SAMPLE_RATE))
    assert out.count == 1
    mono = out.dry.sum(axis=1)
    firing = 3000.0 / 60.0 * 2.0  # 100 Hz
    approach = peak_hz(mono[int(0.5 * SAMPLE_RATE):int(1.5 * SAMPLE_RATE)], 80, 130)
    recede = peak_hz(mono[int(4.5 * SAMPLE_RATE):int(5.5 * SAMPLE_RATE)], 80, 130)
    # radial speed (away from the camera) at the windows' middles, 1 s (40 m) from the pass
    dx = 40.0
    v_r = v * dx / np.hypot(dx, np.hypot(8.0, 1.0))
    c = SPEED_OF_SOUND_M_S
    assert recede / approach == pytest.approx((c - v_r) / (c + v_r), rel=0.03)
    assert approach > firing > recede
    # and it is louder as it passes than far away
    assert rms_db(out.dry[int(2.8 * SAMPLE_RATE):int(3.2 * SAMPLE_RATE)]) > \
        rms_db(out.dry[int(0.3 * SAMPLE_RATE):int(0.7 * SAMPLE_RATE)]) + 10


def test_tyres_roar_louder_the_faster_the_car_goes():
    slow = _sound(track(1.0, 0.0, speed=8.0), 1.0)
    fast = _sound(track(1.0, 0.0, speed=30.0), 1.0)
    gained = rms_db(fast) - rms_db(slow)
    assert gained == pytest.approx(35 * np.log10(30 / 8), abs=1.5)  # ~35 log10(v) dB


def test_the_brakes_squeal_only_when_stopping_hard():
    stopping = track(2.0, 800.0, speed=lambda t: max(0.0, 2.5 - 1.5 * t), throttle=0.0,
                     brake=0.9)
    gently = replace(stopping, brake=np.full(len(stopping.brake), 0.2))
    hard, soft = _sound(stopping, 2.0), _sound(gently, 2.0)
    band = (2_000.0, 5_000.0)

    def tone_db(x):
        spec = np.abs(np.fft.rfft(x[: SAMPLE_RATE].astype(float)))
        hz = np.fft.rfftfreq(SAMPLE_RATE, 1 / SAMPLE_RATE)
        inside = (hz > band[0]) & (hz < band[1])
        return 20 * np.log10(spec[inside].max() / np.median(spec[inside]))

    assert tone_db(hard) > tone_db(soft) + 20  # a clear tone over the band's noise


def test_a_parked_car_with_the_engine_off_is_silent_and_idling_is_not():
    assert not np.any(_sound(track(1.0, 0.0, speed=0.0, throttle=0.0), 1.0))
    idle = _sound(track(1.0, 800.0, speed=0.0, throttle=0.0), 1.0)
    assert rms_db(idle) > -40
    assert peak_hz(idle[SAMPLE_RATE // 4:].astype(float), 15, 40) == pytest.approx(26.7, rel=0.03)


def test_a_track_of_mismatched_lengths_or_without_its_vehicle_is_refused():
    bad = replace(track(1.0, 800.0), gear=np.zeros(3, int))
    with pytest.raises(ValueError, match="equally long"):
        _sound(bad, 1.0)
    lost = replace(recording(1.0), vehicles=(track(1.0, 800.0),))  # its only entity is "ball"
    with pytest.raises(AudioError, match="vehicle track 'car' has no entity"):
        render_vehicles(lost, 0, SAMPLE_RATE)


def test_a_horn_from_a_car_plays_through_the_soundtrack_from_where_the_car_is():
    scene = Scene.model_validate({
        "duration": 2.0,
        "entities": [{"id": "car", "asset": "basketball", "position": [3.0, 0.0, 0.5]}],
        "audio": {"ambience": False,
                  "dialogue": [{"sound": "horn", "speaker": "car", "at": 0.5}]}})
    lines = resolve_lines(scene, speak(scene))
    record = recording(2.0, camera=camera(2.0))
    positions = np.tile([[3.0, 0.0, 0.5]], (len(record.times), 1, 1))
    drive = track(2.0, 800.0, throttle=0.0)
    record = replace(record, entity_ids=("car",), positions=positions, vehicles=(drive,))
    sound = make_soundtrack(scene, record, lines=lines)
    voices = sound.stems["dialogue"]
    loud = np.abs(voices).sum(axis=1)
    first = int(np.flatnonzero(loud > 1e-3 * loud.max())[0])
    assert abs(first - int(0.5 * SAMPLE_RATE)) <= SAMPLE_RATE // 1000  # within 1 ms
    horn = voices[first:first + int(0.5 * SAMPLE_RATE)]
    assert rms_db(horn[:, 1]) > rms_db(horn[:, 0]) + 3  # the car is to the camera's right
    assert sound.meta["vehicles"] == 1
    assert rms_db(sound.stems["foley"]) > -60  # its idling engine is in the foley
    assert np.all(np.isfinite(sound.mix))
