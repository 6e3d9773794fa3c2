"""A sea beyond a shoreline: the sand stays dry, the water floats things, and the swell that is
drawn is the swell things bob on."""

import math

import numpy as np
import pytest
from pydantic import ValidationError

from worldreel.assets.water import water_of, wavenumber
from worldreel.physics import simulate
from worldreel.scene import Drop, Entity, Scene, Setting
from worldreel.scene.models import Sea

LEVEL = 0.45


def _beach(**sea) -> Setting:
    return Setting(environment="beach", water_level=LEVEL, sea=Sea(shore=0.0, **sea))


def test_a_ball_dropped_on_the_sand_lands_and_one_dropped_over_the_sea_floats():
    scene = Scene(duration=4.0, setting=_beach(), entities=[
        Entity(id="dry", asset="basketball", position=(-1.0, 0.0, 1.5)),
        Entity(id="wet", asset="basketball", position=(1.5, 0.0, 1.5))],
        actions=[Drop(entity="dry", at=0.2), Drop(entity="wet", at=0.2)])
    recording = simulate(scene)
    dry, wet = recording.trajectory("dry"), recording.trajectory("wet")
    assert dry[-1, 2] == pytest.approx(0.119, abs=0.005), "on the sand, no water lifts it"
    late = recording.times > 3.0
    # a 0.62 kg ball of 7 litres floats high: its centre a little above the surface
    assert np.all(np.abs(wet[late, 2] - LEVEL) < 0.1), wet[late, 2]
    assert wet[-1, 0] > 0.0, "it stays out in the water"


def test_the_same_ball_on_the_whole_floor_of_water_floats_where_the_sand_was():
    """Without a sea the level fills the floor, as it always did."""
    scene = Scene(duration=3.0, setting=Setting(water_level=LEVEL), entities=[
        Entity(id="ball", asset="basketball", position=(-1.0, 0.0, 1.5))],
        actions=[Drop(entity="ball", at=0.2)])
    assert simulate(scene).trajectory("ball")[-1, 2] > LEVEL - 0.1


def test_a_floating_ball_bobs_with_the_swell_that_is_drawn():
    setting = _beach(wave_height=0.3, wave_period=4.0)
    scene = Scene(duration=8.0, setting=setting, entities=[
        Entity(id="ball", asset="basketball", position=(3.0, 0.0, LEVEL + 0.05))])
    recording = simulate(scene)
    path = recording.trajectory("ball")
    water = water_of(setting)
    surface = water.height(path[:, 0], path[:, 1], recording.times)
    settled = recording.times > 2.0
    z, eta = path[settled, 2], surface[settled]
    assert z.max() - z.min() > 0.15, "it rises and falls with the waves"
    assert np.corrcoef(z, eta)[0, 1] > 0.8, "in step with the surface under it"
    assert np.all(np.abs(z - eta) < 0.12)


def test_waves_follow_the_dispersion_relation_and_never_come_ashore():
    k = wavenumber(2 * math.pi / 4.0, 0.45, 9.81)
    assert (2 * math.pi / 4.0) ** 2 == pytest.approx(9.81 * k * math.tanh(k * 0.45))
    water = water_of(_beach(wave_height=0.2))
    assert water.amplitude == pytest.approx(0.1)
    assert not water.covers(-0.5, 3.0) and water.covers(0.5, 3.0)
    still = water_of(_beach())
    assert np.all(still.height(np.linspace(0, 20, 50), 0.0, 1.3) == LEVEL)


def test_a_beach_has_its_sea_and_a_sea_needs_a_level():
    beach = water_of(Setting(environment="beach"))
    assert beach is not None and beach.shore is not None, "a beach is never flooded"
    assert water_of(Setting()) is None
    with pytest.raises(ValidationError, match="water_level"):
        Setting(sea=Sea(shore=1.0))
    with pytest.raises(ValidationError, match="toward"):
        Sea(toward=(0.0, 0.0))
