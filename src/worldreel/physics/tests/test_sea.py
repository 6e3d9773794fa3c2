"""A sea beyond a shoreline: the sand stays dry, the water meets it at the shore and deepens down
a beach slope, the water floats things and the bottom holds up what sinks, and the swell that is
drawn is the swell things bob on."""

import math

import numpy as np
import pytest
from pydantic import ValidationError

from worldreel.assets.mujoco_spec import SEA, build_spec, sea_surface
from worldreel.assets.water import BEACH_SLOPE, water_of, wavenumber
from worldreel.physics import simulate
from worldreel.scene import Drop, Entity, Scene, Setting
from worldreel.scene.models import Sea

DEPTH = 0.45  # the sea's bed below its surface (Setting.water_level); a pool's level
SURFACE = 0.0  # the sea's still surface: level with the sand where they meet


def _beach(**sea) -> Setting:
    return Setting(environment="beach", water_level=DEPTH, sea=Sea(shore=0.0, **sea))


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
    assert np.all(np.abs(wet[late, 2] - SURFACE) < 0.1), wet[late, 2]
    assert wet[-1, 0] > 0.0, "it stays out in the water"


def test_the_same_ball_on_the_whole_floor_of_water_floats_where_the_sand_was():
    """Without a sea the level fills the floor, as it always did."""
    scene = Scene(duration=3.0, setting=Setting(water_level=DEPTH), entities=[
        Entity(id="ball", asset="basketball", position=(-1.0, 0.0, 1.5))],
        actions=[Drop(entity="ball", at=0.2)])
    assert simulate(scene).trajectory("ball")[-1, 2] > DEPTH - 0.1


def test_a_floating_ball_bobs_with_the_swell_that_is_drawn():
    setting = _beach(wave_height=0.3, wave_period=4.0)
    scene = Scene(duration=8.0, setting=setting, entities=[
        Entity(id="ball", asset="basketball", position=(3.0, 0.0, SURFACE + 0.05))])
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
    assert np.all(still.height(np.linspace(0, 20, 50), 0.0, 1.3) == SURFACE)


def test_a_beach_has_its_sea_and_a_sea_needs_a_level():
    beach = water_of(Setting(environment="beach"))
    assert beach is not None and beach.shore is not None, "a beach is never flooded"
    assert water_of(Setting()) is None
    with pytest.raises(ValidationError, match="water_level"):
        Setting(sea=Sea(shore=1.0))
    with pytest.raises(ValidationError, match="toward"):
        Sea(toward=(0.0, 0.0))


def _ground_z(setting: Setting, x: float, y: float) -> float:
    """Height of the simulated floor under (x, y): a ray cast down onto the floor geoms."""
    import mujoco  # noqa: PLC0415

    spec, geoms = build_spec(Scene(setting=setting), movable="free")
    model = spec.compile()
    data = mujoco.MjData(model)
    mujoco.mj_forward(model, data)
    for g in range(model.ngeom):  # only the floor: mj_ray skips what is not drawn
        if geoms.get(model.geom(g).name, None) is None or geoms[model.geom(g).name].owner != \
                "floor":
            model.geom_rgba[g, 3] = 0.0
    hit = np.zeros(1, np.int32)
    distance = mujoco.mj_ray(model, data, np.array([x, y, 5.0]), np.array([0.0, 0.0, -1.0]),
                             None, 1, -1, hit)
    return 5.0 - distance


@pytest.mark.parametrize("wave_height", [0.15, 0.6])
def test_the_sea_meets_the_sand_at_the_shoreline_and_deepens_down_the_beach(wave_height):
    """No wall of water at the shore: the surface there is level with the sand whatever the
    swell (it breaks as the slope shallows), and out to sea it never sinks to the bottom."""
    setting = _beach(wave_height=wave_height, wave_period=4.0)
    water = water_of(setting)
    times = np.linspace(0.0, 8.0, 161)[:, None]
    along = np.linspace(-5.0, 5.0, 21)[None, :]
    at_shore = water.height(0.0, along, times)
    assert np.all(np.abs(at_shore - 0.0) < 0.03), "the water meets the sand, no step"
    out = np.linspace(0.05, 12.0, 60)[None, :]
    surface = water.height(out, 0.0, times)
    # (a trough is at most BREAKER_INDEX / 2 of the depth: the sea never bares the bottom)
    assert np.all(surface - water.bottom(out, 0.0) > 0.5 * water.water_depth(out, 0.0)), \
        "the bottom never runs dry"
    assert np.all(surface < 0.0 + wave_height), "nor does the sea climb over the sand"
    # the floor things stand and sink on is this bottom: the sand, the slope, the bed
    for x, ground in [(-3.0, 0.0), (-0.05, 0.0), (2.0, -2.0 * BEACH_SLOPE), (30.0, -DEPTH)]:
        assert float(water.bottom(x, 0.5)) == pytest.approx(ground, abs=1e-9)
        assert _ground_z(setting, x, 0.5) == pytest.approx(ground, abs=0.002), x


def test_a_stone_thrown_into_the_sea_sinks_to_the_bottom_and_the_sand_stays_put():
    """A stone lands in the shallows and comes to rest on the beach slope under the water; one
    thrown farther rests on the bed; a crate on the sand stays on the sand."""
    scene = Scene(duration=4.0, setting=_beach(wave_height=0.15), entities=[
        Entity(id="near", asset="stone", position=(-1.0, 0.0, 1.2), velocity=(3.0, 0.0, 2.0)),
        Entity(id="far", asset="stone", position=(-1.0, 1.0, 1.2), velocity=(8.0, 0.0, 2.0)),
        Entity(id="crate", asset="crate", position=(-2.0, -1.5, 0.25))])
    recording = simulate(scene)
    water = water_of(scene.setting)
    half_thickness = 0.04  # the stone's smallest semi-axis: it lies flat
    for stone, where in (("near", "slope"), ("far", "bed")):
        end = recording.trajectory(stone)[-1]
        ground = float(water.bottom(end[0], end[1]))
        assert water.covers(end[0], end[1]) and ground < -0.1, f"{stone} is out in the sea"
        assert (ground < -DEPTH + 1e-6) == (where == "bed"), (stone, end, ground)
        assert end[2] - ground == pytest.approx(half_thickness, abs=0.015), "on the bottom"
        assert end[2] < float(water.height(end[0], end[1], recording.times[-1])) - 0.1
    crate = recording.trajectory("crate")
    assert np.allclose(crate[-1], crate[0], atol=0.005), "the crate stands where it stood"


def test_the_drawn_sea_meets_the_sand_at_the_shore_and_lies_over_the_bottom():
    """What the picture draws (the moving height field) is the same water: at its shore edge it
    is level with the sand, and everywhere it stands over the drawn bottom."""
    import mujoco  # noqa: PLC0415

    setting = _beach(wave_height=0.15, wave_period=4.0)
    water = water_of(setting)
    spec, _ = build_spec(Scene(setting=setting), movable="mocap")
    model = spec.compile()
    field = model.hfield(SEA)
    surface = sea_surface(water)
    x, y = surface.points()
    for t in (0.0, 1.3, 2.9):
        heights = surface.base + surface.rise * surface.grid(t, (x, y))  # world z, as drawn
        assert np.all(np.abs(heights[:, 0] - 0.0) < 0.03), "level with the sand at the shore"
        assert np.all(heights >= water.bottom(x, y) - 1e-6), "over the bottom, never under it"
    # the field's solid reaches down under the bed: seen through the surface, its underside
    # would be a second layer of water
    geom = model.geom(SEA)
    assert geom.pos[2] - field.size[3] < water.bed
