"""Boat sounds are timed from the Recording: oar splashes at the recorded catches, hull slaps at
the recorded bow immersion's peaks (each within 1 ms), an outboard at its firing frequency."""

import numpy as np
import pytest

from worldreel.assets.boats import boat_spec
from worldreel.assets.water import SWELL, water_of
from worldreel.audio.boats import (SLAP_RATE_M_S, boat_sound, boat_tracks, bow_immersion,
                                   catch_times, render_boats, road_tracks, slap_times)
from worldreel.audio.clock import SAMPLE_RATE, sample_count
from worldreel.physics import simulate
from worldreel.recording import VehicleTrack
from worldreel.rng import generator
from worldreel.scene import Drive, Entity, Scene, Setting
from worldreel.scene.models import Sea

ONE_MS = 1e-3


@pytest.fixture(scope="module")
def played():
    # short, steep waves (1.6 s): too short for a 3 m dinghy to ride, they slap its bow
    setting = Setting(environment="beach", water_level=3.0,
                      sea=Sea(shore=0.0, toward=(0.0, 1.0), wave_height=0.25, wave_period=1.6))
    scene = Scene(duration=8.0, setting=setting, entities=[
        Entity(id="row", asset="rowing_boat", position=(0.0, 30.0, 0.0)),
        Entity(id="motor", asset="motorboat", position=(0.0, 40.0, 0.0)),
        Entity(id="car", asset="sedan", position=(0.0, -10.0, 0.0))],
        actions=[Drive(entity="row", speed=2.0, at=0.5), Drive(entity="motor", speed=8.0, at=0.5)])
    return scene, simulate(scene)


def _onsets(with_, without, times) -> np.ndarray:
    """The first sample (s) at or after each time where two renderings differ."""
    diff = np.abs(with_.astype(float) - without.astype(float)) > 1e-7
    out = []
    for t in times:
        start = max(0, int(t * SAMPLE_RATE) - int(0.01 * SAMPLE_RATE))
        out.append((start + int(np.argmax(diff[start:]))) / SAMPLE_RATE)
    return np.array(out)


def test_boat_tracks_are_told_from_road_vehicles(played):
    scene, recording = played
    assert {t.id for t in boat_tracks(recording, scene)} == {"row", "motor"}
    assert {t.id for t in road_tracks(recording, scene)} == {"car"}


def test_the_catches_read_back_from_the_track_are_the_strokes_the_physics_rowed(played):
    scene, recording = played
    spec = boat_spec("rowing_boat")
    track = next(t for t in recording.vehicles if t.id == "row")
    catches = catch_times(track, recording.sample_rate, spec)
    expected = 0.5 + spec.rowing.period * np.arange(len(catches))
    assert len(catches) == 3  # at 0.5, 3.0 and 5.5 s in an 8 s clip
    assert np.all(np.abs(catches - expected) < ONE_MS)


def test_oar_splashes_are_heard_within_1_ms_of_the_catches(played):
    scene, recording = played
    spec = boat_spec("rowing_boat")
    track = next(t for t in recording.vehicles if t.id == "row")
    catches = catch_times(track, recording.sample_rate, spec)
    n = sample_count(scene.duration)

    def sound(with_catches):
        return boat_sound(track, spec, recording.sample_rate, n, generator(1, "t"),
                          catches=catches if with_catches else None)
    onsets = _onsets(sound(True), sound(False), catches)
    assert np.all(np.abs(onsets - catches) <= ONE_MS), onsets - catches


def test_hull_slaps_come_at_the_recorded_bow_immersion_peaks_and_are_heard_within_1_ms(played):
    scene, recording = played
    spec, water = boat_spec("rowing_boat"), water_of(scene.setting)
    track = next(t for t in recording.vehicles if t.id == "row")
    instants, rates = slap_times(recording, "row", spec, water)
    # at most one slap per crest met: the swell's two components (assets.water.SWELL) come
    # every 1.6 s and every 0.62 x 1.6 s (the boat rows across them, barely changing that)
    crests = 8.0 / 1.6 + 8.0 / (SWELL[1][1] * 1.6)
    assert 0.5 * 8.0 / 1.6 <= len(instants) <= crests + 1, instants
    assert np.all(rates > SLAP_RATE_M_S)
    rate = np.gradient(bow_immersion(recording, "row", spec, water), recording.times)
    for t in instants:  # each is a local maximum of the recorded rate, within a sample
        k = int(round(t * recording.sample_rate))
        window = rate[max(k - 2, 0):k + 3]
        assert abs(t * recording.sample_rate - np.argmax(window) - max(k - 2, 0)) <= 1.0
    n = sample_count(scene.duration)

    def sound(keep):
        return boat_sound(track, spec, recording.sample_rate, n, generator(1, "t"),
                          slaps=(instants[keep], rates[keep]))
    everything = sound(np.ones(len(instants), bool))
    for k, t in enumerate(instants):  # all the slaps less this one: the difference is it alone
        others = np.ones(len(instants), bool)
        others[k] = False
        rest = sound(others)
        # (a slap's draws come after the wake's and before later slaps': from the one left out
        # on, the two renderings' later slaps differ too, but none start before it)
        onset = _onsets(everything, rest, [t])[0]
        assert abs(onset - t) <= ONE_MS, (k, onset - t)


def test_a_boat_riding_a_long_swell_does_not_slap():
    """A 3 m dinghy on a 4 s swell (25 m long) rides it: the water barely climbs its bow."""
    setting = Setting(environment="beach", water_level=3.0,
                      sea=Sea(shore=0.0, toward=(0.0, 1.0), wave_height=0.2, wave_period=4.0))
    scene = Scene(duration=6.0, setting=setting, entities=[
        Entity(id="row", asset="rowing_boat", position=(0.0, 30.0, 0.0))])
    recording = simulate(scene)
    instants, _ = slap_times(recording, "row", boat_spec("rowing_boat"), water_of(setting))
    assert len(instants) == 0


def test_the_outboard_fires_at_its_three_cylinders_rate():
    spec = boat_spec("motorboat")
    n = 48_000
    rate = 24.0
    steps = int(rate) + 1
    track = VehicleTrack("m", np.zeros(steps), np.full(steps, 3000.0), np.ones(steps, int),
                         np.full(steps, 0.3), np.zeros(steps))
    mono = boat_sound(track, spec, rate, n, generator(1, "engine")).astype(float)
    spectrum = np.abs(np.fft.rfft(mono * np.hanning(n)))
    freqs = np.fft.rfftfreq(n, 1.0 / SAMPLE_RATE)
    band = (freqs > 40.0) & (freqs < 400.0)
    firing = 3000.0 / 60.0 * 3 / 2.0  # 75 Hz: three cylinders, every second revolution
    assert freqs[band][np.argmax(spectrum[band])] == pytest.approx(firing, abs=2.0)
    assert spectrum[(freqs > 3_000.0) & (freqs < 3_100.0)].mean() < \
        0.01 * spectrum[band].max(), "muffled: the exhaust leaves under water"


def test_render_boats_places_every_boat_and_reports_its_instants(played):
    scene, recording = played
    boats = render_boats(recording, scene, sample_count(scene.duration))
    assert boats.count == 2
    assert boats.dry.shape == (sample_count(scene.duration), 2)
    assert len(boats.catches["row"]) == 3 and len(boats.catches["motor"]) == 0
    assert np.isfinite(boats.dry).all() and np.abs(boats.dry).max() > 0.0
