"""Analytic physics: what a user would check with a stopwatch and a ruler."""

import math

import numpy as np
import pytest

from worldreel.assets import MATERIALS
from worldreel.errors import SceneError
from worldreel.physics import PhysicsOptions, pair_restitution, simulate
from worldreel.physics.contact_model import (
    _measured_restitution,
    damping_ratio,
    restitution_curve,
)
from worldreel.scene import Drop, Entity, Push, Roll, Scene, Setting, Throw

G = 9.81


def _drop_scene(height=1.0, asset="basketball", material=None, floor=None, duration=2.0, at=0.0):
    radius = {"basketball": 0.119, "rubber_ball": 0.03, "tennis_ball": 0.0335}[asset]
    return Scene(
        duration=duration,
        setting=Setting(environment="studio", floor_material=floor),
        entities=[Entity(id="ball", asset=asset, material=material,
                         position=(0.0, 0.0, radius + height))],
        actions=[Drop(entity="ball", at=at)],
    )


def test_free_fall_from_one_metre_lands_on_time():
    recording = simulate(_drop_scene(height=1.0, at=0.25))
    first = recording.impacts()[0]
    expected = 0.25 + math.sqrt(2 * 1.0 / G)
    assert first.body_a == "ball" and first.body_b == "floor"
    assert abs(first.time - expected) / (expected - 0.25) < 0.01
    # Contact times are interpolated inside the physics step: within one step of analytic.
    assert abs(first.time - expected) < 1 / 2400


def test_ball_is_held_until_dropped():
    recording = simulate(_drop_scene(at=0.5))
    z = recording.trajectory("ball")[:, 2]
    before = recording.times < 0.5
    assert np.ptp(z[before]) == 0.0
    assert z[recording.times > 0.6].max() < z[0]


@pytest.mark.parametrize("material,floor", [("rubber", "rubber"), (None, "hardwood"),
                                            ("wood", "concrete")])
def test_rebound_height_is_restitution_squared(material, floor):
    asset = "basketball"
    scene = _drop_scene(height=1.0, asset=asset, material=material, floor=floor, duration=1.6)
    recording = simulate(scene, PhysicsOptions(oversample=10))
    e = pair_restitution(material or "leather", floor, scene.physics_rate)
    assert e == pytest.approx(min(MATERIALS[material or "leather"].restitution,
                                  MATERIALS[floor].restitution), abs=0.01)
    z = recording.trajectory("ball")[:, 2] - 0.119
    first = recording.impacts()[0].time
    second = [i.time for i in recording.impacts()[1:]]
    after = (recording.times > first) & (recording.times < (second[0] if second else 9.0))
    rebound = z[after].max()
    assert abs(rebound - e * e * 1.0) / (e * e) < 0.03


@pytest.mark.parametrize("floor", sorted(MATERIALS))
def test_no_floor_throws_a_dropped_ball_back_higher_than_its_own_bounce(floor):
    """At the director's 2400 Hz, sand (restitution 0.1) is lossier than any stable contact
    spring can be; its damping used to be taken from past critical damping, where the contact
    throws a body back out: a ball dropped 1 m on a beach rose 13 m. Every floor now returns at
    most the ball's own bounce (the lossier material of a pair wins) and at least nothing."""
    scene = _drop_scene(height=1.0, material="rubber", floor=floor, duration=1.6)
    recording = simulate(scene)
    z = recording.trajectory("ball")[:, 2] - 0.119
    first = recording.impacts()[0].time
    rebound = z[recording.times > first].max()
    assert rebound <= MATERIALS["rubber"].restitution ** 2 * 1.0 * 1.03 + 0.005, rebound


@pytest.mark.parametrize("rate", [2400, 4800])
def test_every_material_gets_the_restitution_mujoco_then_plays(rate):
    """The damping chosen for each material, played again, gives the restitution the table
    promised: the material's own, or the lossiest stable contact where it is lossier still."""
    _, e = restitution_curve(rate)
    assert np.all(np.diff(e) <= 0)  # one branch: more damping, less bounce
    for name, material in MATERIALS.items():
        played = _measured_restitution(rate, damping_ratio(material.restitution, rate))
        assert played == pytest.approx(max(material.restitution, e[-1]), abs=0.02), name


def test_restitution_of_rubber_on_itself_is_the_table_value():
    assert pair_restitution("rubber", "rubber", 2400) == pytest.approx(
        MATERIALS["rubber"].restitution, abs=0.01)


def test_impact_impulse_matches_momentum_change():
    scene = _drop_scene(height=1.0, duration=1.0)
    recording = simulate(scene)
    impact = recording.impacts()[0]
    e = pair_restitution("leather", "concrete", scene.physics_rate)
    v = math.sqrt(2 * G * 1.0)
    assert impact.speed == pytest.approx(v, rel=0.02)
    assert impact.impulse == pytest.approx(0.62 * (1 + e) * v, rel=0.05)


def test_determinism_same_scene_same_recording():
    scene = _drop_scene(height=0.7, duration=1.5)
    a, b = simulate(scene), simulate(scene)
    assert np.array_equal(a.positions, b.positions)
    assert a.events == b.events


def _hoop_scene(aim, rate=2400):
    return Scene(
        duration=3.5,
        physics_rate=rate,
        setting=Setting(environment="gym"),
        entities=[Entity(id="ball", asset="basketball", position=(0.0, 0.0, 2.2)),
                  Entity(id="hoop", asset="basketball_hoop", position=(6.0, 0.0, 0.0),
                         rotation=(0.0, 0.0, 180.0))],
        actions=[Throw(entity="ball", target="hoop", aim=aim, at=0.2)],
    )


def _rim_crossings(recording, scene):
    """Times the ball's centre passes down through the rim circle."""
    from worldreel.assets.mujoco_spec import anchor_point

    rim = anchor_point(scene.entity("hoop"), "rim")
    path = recording.trajectory("ball")
    crossings = []
    for i in range(1, len(path)):
        if path[i - 1, 2] >= rim[2] > path[i, 2]:
            if np.linalg.norm(path[i, :2] - rim[:2]) < 0.2286:
                crossings.append(recording.times[i])
    return crossings


def test_made_shot_drops_through_the_rim():
    scene = _hoop_scene("make")
    recording = simulate(scene, PhysicsOptions(oversample=4))
    crossings = _rim_crossings(recording, scene)
    assert len(crossings) == 1
    # A swish: nothing of the hoop is touched before the ball is through the rim.
    assert all(i.time > crossings[0] for i in recording.impacts())


@pytest.mark.parametrize("rate", [2400, 9600])
def test_missed_shot_rebounds_off_the_backboard_to_the_floor(rate):
    # At high physics rates the hit on the glass lasts only a few steps: it must still be heard.
    scene = _hoop_scene("miss", rate)
    recording = simulate(scene, PhysicsOptions(oversample=4))
    impacts = recording.impacts()
    assert [impacts[0].body_a, impacts[0].body_b] == ["ball", "hoop"]
    assert impacts[0].normal[0] == pytest.approx(1.0, abs=0.05)  # the board faces the court (+x)
    assert any(i.body_b == "floor" for i in impacts[1:])
    assert _rim_crossings(recording, scene) == []
    # After the board the ball comes back towards the shooter.
    after = recording.times > impacts[0].time + 0.05
    assert recording.velocities[after][0, 0, 0] < 0


def test_rolling_ball_rolls_and_slows():
    scene = Scene(duration=3.0, setting=Setting(environment="living_room"),
                  entities=[Entity(id="ball", asset="tennis_ball", position=(0, 0, 0.0335))],
                  actions=[Roll(entity="ball", speed=1.5, at=0.1)])
    recording = simulate(scene)
    rolls = [e for e in recording.events if e.kind == "roll"]
    assert rolls and rolls[0].time == pytest.approx(0.1, abs=0.02)
    assert rolls[0].end - rolls[0].time > 2.0
    x = recording.trajectory("ball")[:, 0]
    assert x[-1] > 2.0
    speed = np.linalg.norm(recording.velocities[:, 0, :2], axis=1)
    assert speed[-1] < speed[5]


def test_pushed_crate_slides_and_stops():
    scene = Scene(duration=2.0, entities=[Entity(id="crate", asset="crate",
                                                 position=(0, 0, 0.25))],
                  actions=[Push(entity="crate", speed=3.0, at=0.1)])
    recording = simulate(scene)
    slides = [e for e in recording.events if e.kind == "slide"]
    assert slides, "a pushed crate scrapes along the floor"
    mu = 0.7  # MuJoCo takes the larger friction of the pair: concrete's 0.7 over wood's 0.4
    expected = 3.0**2 / (2 * mu * G)  # v^2 / (2 mu g)
    travelled = recording.trajectory("crate")[-1, 0]
    assert travelled == pytest.approx(expected, rel=0.1)
    assert np.linalg.norm(recording.velocities[-1, 0]) < 0.01


def test_object_inside_the_floor_is_rejected_with_the_height_to_use():
    scene = Scene(entities=[Entity(id="box", asset="crate", position=(0, 0, 0.1))])
    with pytest.raises(SceneError, match=r"entities\[0\]\.position: 'box' starts 0\.150 m inside "
                                         r"the floor; raise z to at least 0\.250"):
        simulate(scene)


def test_a_pushed_glass_moves_as_one_piece_and_breaks_on_the_floor():
    """An action on a breakable moves all its (still welded) pieces, not only the first."""
    scene = Scene(duration=1.5,
                  entities=[Entity(id="table", asset="table"),
                            Entity(id="glass", asset="glass", position=(0.45, 0.0, 0.81))],
                  actions=[Push(entity="glass", speed=1.5, at=0.1)])
    recording = simulate(scene)
    x = recording.trajectory("glass")[:, 0]
    assert x[recording.times > 0.4][0] > 0.6  # it left the table top at the pushed speed
    assert [b["entity"] for b in recording.meta["breaks"]] == ["glass"]
    assert recording.meta["breaks"][0]["other"] == "floor"


def test_a_seesaw_plank_pivots_on_its_fulcrum_and_slams_its_end_on_the_ground():
    # The plank's hinge is its pin through the fulcrum. When the plank's underside could also
    # touch the fulcrum, the tilting plank was pressed into its edge at 0.1 m/s with 1,160 N*s:
    # the loudest bang of the clip, 80 ms after the ball landed, from nothing anyone sees.
    from worldreel.assets.setups import seesaw

    scene = Scene(
        duration=1.5,
        setting=Setting(environment="park"),
        entities=[*seesaw(), Entity(id="weight", asset="bowling_ball", position=(1.3, 0.0, 1.6))],
        actions=[Drop(entity="weight", at=0.1)],
    )
    impacts = simulate(scene).impacts()
    assert not [e for e in impacts if {e.body_a, e.body_b} == {"seesaw", "seesaw_base"}]
    landing = next(e for e in impacts if {e.body_a, e.body_b} == {"seesaw", "weight"})
    slam = next(e for e in impacts if {e.body_a, e.body_b} == {"seesaw", "floor"})
    assert landing.time < slam.time < landing.time + 0.5
    assert slam.speed > 1.0, "the plank's far end comes down hard"
