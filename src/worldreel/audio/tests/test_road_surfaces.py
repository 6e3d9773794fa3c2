"""Tyres sound like the road under them: gravel crackles with stones whose rate grows with
speed, asphalt stays a steady roar, a wet road hisses, and a car driven on the country road
(gravel) is heard on gravel, one on the street on asphalt."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.signal import butter, sosfilt, welch
from scipy.stats import kurtosis

from worldreel.audio import SAMPLE_RATE
from worldreel.audio.road_surfaces import (dirt, gravel, road_noise, surface_masks,
                                           surface_of, wet_hiss)
from worldreel.audio.vehicles import tyres
from worldreel.physics import simulate
from worldreel.scene import Entity, Scene, Setting


def clicks_per_second(x: np.ndarray) -> float:
    """Distinct clicks heard: bursts of the 1.5-6 kHz band standing 4x over its median level,
    counted once each (a burst ends when the level falls back for 2 ms)."""
    sos = butter(4, [1500.0, 6000.0], btype="bandpass", fs=SAMPLE_RATE, output="sos")
    level = np.abs(sosfilt(sos, x))
    window = int(0.0005 * SAMPLE_RATE)
    level = np.convolve(level, np.ones(window) / window, mode="same")
    loud = level > 4.0 * np.median(level)
    starts = np.flatnonzero(loud[1:] & ~loud[:-1])
    gap = int(0.002 * SAMPLE_RATE)
    kept = starts[np.concatenate([[True], np.diff(starts) > gap])] if len(starts) else starts
    return len(kept) / (len(x) / SAMPLE_RATE)


def centroid_hz(x: np.ndarray) -> float:
    f, p = welch(x, SAMPLE_RATE, nperseg=4096)
    return float((f * p).sum() / p.sum())


def test_gravel_crackles_faster_the_faster_the_car_goes():
    """170 clicks a metre (road_surfaces.yaml): at a creep they are heard one by one, their
    rate in proportion to speed; faster they merge into a dense crackle."""
    n = 2 * SAMPLE_RATE
    creep, crawl = (gravel(np.full(n, v), np.random.default_rng(1)) for v in (0.2, 0.5))
    assert clicks_per_second(creep) == pytest.approx(170 * 0.2, rel=0.25)
    assert clicks_per_second(crawl) > 2.0 * clicks_per_second(creep)
    # a stream of separate stones: far spikier than noise (kurtosis 0), less so when dense
    fast = gravel(np.full(n, 10.0), np.random.default_rng(1))
    assert kurtosis(creep) > 30.0 > kurtosis(fast) > 1.0


def test_asphalt_stays_a_steady_roar():
    n = 2 * SAMPLE_RATE
    for v in (2.0, 10.0):
        roar = tyres(np.full(n, v), np.random.default_rng(2))
        assert abs(kurtosis(roar)) < 0.3  # Gaussian: no separate events
        assert 1000.0 < centroid_hz(roar) < 2500.0
    # gravel at the same speed is spikier and brighter (stones click at 1.5-6 kHz)
    stones = gravel(np.full(n, 2.0), np.random.default_rng(2))
    assert kurtosis(stones) > 3.0
    assert centroid_hz(stones) > centroid_hz(tyres(np.full(n, 2.0), np.random.default_rng(2)))


def test_dirt_rumbles_low_and_a_wet_road_hisses_high():
    n = SAMPLE_RATE
    speed = np.full(n, 8.0)
    assert centroid_hz(dirt(speed, np.random.default_rng(3))) < 500.0
    assert centroid_hz(wet_hiss(speed, np.random.default_rng(3))) > 4000.0


def test_surfaces_by_material_and_weather():
    assert surface_of("gravel") == "gravel"
    assert surface_of("concrete") == "asphalt" and surface_of("concrete", wet=True) == "wet"
    assert surface_of("sand") == "dirt" and surface_of("grass") == "grass"
    assert surface_of("gravel", wet=True) == "gravel"  # a wet gravel road still crunches
    assert not road_noise(np.full(100, 5.0), {"asphalt": np.ones(100)},
                          np.random.default_rng(0)).any()


@pytest.mark.parametrize("place, heard", [("country_road", "gravel"), ("street", "asphalt")])
def test_a_car_is_heard_on_the_road_it_drives_on(place, heard):
    scene = Scene(duration=1.0, resolution=(64, 48), setting=Setting(environment=place),
                  entities=[Entity(id="car", asset="sedan", position=(0.0, 0.0, 0.0),
                                   velocity=(6.0, 0.0, 0.0))])
    recording = simulate(scene)
    n = SAMPLE_RATE
    masks = surface_masks(recording, "car", n)
    assert set(masks) == {heard}
    assert masks[heard].min() == pytest.approx(1.0)
