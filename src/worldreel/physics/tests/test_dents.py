"""Crashes dent vehicles: Campbell's crush model, the crossroads crash's dents, and their drawing."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from worldreel.assets.crush import face_stiffness, shared_crush
from worldreel.physics import simulate
from worldreel.physics.dents import dissipated_energy
from worldreel.recording import load_recording, save_recording
from worldreel.scene import load_scene

EXAMPLES = Path(__file__).resolve().parents[4] / "examples"
KMH = 1 / 3.6


def test_crush_of_a_known_energy_is_campbells():
    front = face_stiffness("front", 1500.0, 1.84)
    for crush in (0.05, 0.2, 0.5):
        energy = 1.84 * (front.a * crush + 0.5 * front.b * crush ** 2
                         + front.a ** 2 / (2 * front.b))
        assert shared_crush(energy, 1.84, front, None)[0] == pytest.approx(crush, rel=1e-9)
    # below the no-damage energy nothing lasts
    assert shared_crush(0.9 * 1.84 * front.threshold, 1.84, front, None) == (0.0, 0.0)


def test_barrier_crush_is_linear_in_speed_as_campbell_found():
    """A full-width rigid barrier takes all the car's kinetic energy: V = b0 + b1 C (b0 2.2 m/s,
    b1 24.4 1/s): 56 km/h (NCAP) crushes ~0.55 m, 15 km/h a few cm, 50 km/h tens of cm."""
    mass, width = 1500.0, 1.84
    front = face_stiffness("front", mass, width)
    crush = {kmh: shared_crush(0.5 * mass * (kmh * KMH) ** 2, width, front, None)[0]
             for kmh in (15, 30, 50, 56)}
    for kmh, c in crush.items():
        assert kmh * KMH == pytest.approx(2.2 + 24.4 * c, rel=1e-6)
    assert 0.03 < crush[15] < 0.10
    assert 0.3 < crush[50] < 0.6
    assert 0.5 < crush[56] < 0.6


def test_two_faces_crush_under_one_force():
    front = face_stiffness("front", 1270.0, 1.8)
    side = face_stiffness("left", 2050.0, 2.03)
    energy = 30e3
    c_front, c_side = shared_crush(energy, 1.8, front, side)
    assert front.a + front.b * c_front == pytest.approx(side.a + side.b * c_side, rel=1e-9)
    assert front.energy(c_front, 1.8) + side.energy(c_side, 1.8) == pytest.approx(energy)
    assert c_side > 2 * c_front  # a door gives far more than a front's crash rails


def test_dissipated_energy_of_a_plastic_and_an_elastic_bump():
    assert dissipated_energy(10.0, 0.0, 1000.0, 1000.0) == pytest.approx(25e3)
    assert dissipated_energy(10.0, 10.0, 1000.0, 1000.0) == 0.0
    assert dissipated_energy(10.0, 0.0, 1000.0, float("inf")) == pytest.approx(50e3)


def _crash(speed: float | None = None):
    """The crossroads crash; at another speed the hatchback starts further back so that the
    two still meet at the same place and time (it covers 12.8 m in 1.28 s at 10 m/s)."""
    scene = load_scene(EXAMPLES / "crossroads_crash.yaml")
    if speed is not None:
        start = (-16.0 + 12.8 - 1.28 * speed, 0.0, 0.0)
        entities = [e.model_copy(update={"velocity": (speed, 0.0, 0.0), "position": start})
                    if e.id == "hatchback" else e for e in scene.entities]
        scene = scene.model_copy(update={"entities": entities})
    return scene, simulate(scene)


@pytest.fixture(scope="module")
def crash():
    return _crash()


def test_the_crossroads_crash_dents_both_cars_where_and_when_they_met(crash):
    scene, recording = crash
    hit = next(e for e in recording.impacts()
               if {e.body_a, e.body_b} == {"hatchback", "pickup"})
    dents = {d.entity: d for d in recording.dents}
    assert set(dents) == {"hatchback", "pickup"}
    front, side = dents["hatchback"], dents["pickup"]
    assert front.face == "front" and side.face == "left"  # the pickup was struck on its left
    for dent in (front, side):
        assert dent.time == pytest.approx(hit.time, abs=1e-9)  # at the contact, not before
        assert 0.01 < dent.depth < 0.6
        # the dent's middle, put back in the world, lies on the contact's line of faces
        k = recording.index(dent.entity)
        sample = int(round(dent.time * recording.sample_rate))
        w, x, y, z = recording.quaternions[sample, k]
        world = Rotation.from_quat([x, y, z, w]).apply(dent.point) + recording.positions[sample, k]
        assert abs(world[0] - hit.point[0]) < 0.15  # the faces met at the contact's x
        assert abs(world[1] - hit.point[1]) < 0.5 * dent.width + 0.05
    assert side.depth > 2 * front.depth  # a door is softer than a front
    # nothing on the far sides: the pickup's right, the hatchback's rear
    assert not any(d.face in ("right", "rear") for d in recording.dents)
    # it shoved and dented, it did not explode: both stand on their wheels at the end
    for car in ("hatchback", "pickup"):
        w, x, y, z = recording.quaternions[-1, recording.index(car)]
        up = 1 - 2 * (x * x + y * y)  # z of the body's z axis
        assert up > 0.99
        assert abs(recording.positions[-1, recording.index(car)][2]) < 0.05


def test_a_harder_hit_dents_deeper(crash):
    _, recording = crash
    _, harder = _crash(speed=15.0)
    for car in ("hatchback", "pickup"):
        slow = max(d.depth for d in recording.dents if d.entity == car)
        fast = max(d.depth for d in harder.dents if d.entity == car)
        assert fast > 1.2 * slow


def test_dents_survive_save_and_load(crash, tmp_path):
    _, recording = crash
    save_recording(recording, tmp_path / "r.npz")
    again = load_recording(tmp_path / "r.npz")
    assert again.dents and [d.to_dict() for d in again.dents] == \
        [d.to_dict() for d in recording.dents]


def test_a_dent_is_drawn_from_its_time_on(crash):
    import mujoco

    from worldreel.assets.mujoco_spec import build_spec
    from worldreel.render.dents import DentPainter

    scene, recording = crash
    spec, _ = build_spec(scene, movable="mocap")
    model = spec.compile()
    dent = next(d for d in recording.dents if d.entity == "pickup")
    before = model.geom_size.copy(), model.geom_pos.copy()
    painter = DentPainter(model, recording, scene.seed)
    painter.apply(model, dent.time - 0.01)
    assert np.array_equal(model.geom_size, before[0]) and not painter._panels
    painter.apply(model, dent.time + 0.01)
    body = model.body("pickup").id
    side = [g for g in range(model.ngeom) if model.geom_bodyid[g] == body
            and not np.array_equal(model.geom_size[g], before[0][g])]
    assert side  # the side's boxes were pulled back by the dent's depth
    for g in side:
        outer_then = before[1][g][1] + before[0][g][1]
        outer_now = model.geom_pos[g][1] + model.geom_size[g][1]
        assert outer_now <= outer_then - dent.depth + 1e-9
    data = mujoco.MjData(model)
    mujoco.mj_kinematics(model, data)
    scn = mujoco.MjvScene(model, maxgeom=20000)
    mujoco.mjv_updateScene(model, data, mujoco.MjvOption(), None, mujoco.MjvCamera(),
                           mujoco.mjtCatBit.mjCAT_ALL, scn)
    start = scn.ngeom
    painter.draw(mujoco, data, scn)
    assert scn.ngeom - start == len(painter._panels) > 20
    # the skin's panels lie sunk by the dent's depth at the patch's middle, flush outside it
    skin = max(before[1][g][1] + before[0][g][1] for g in side)
    sunk = [skin - (p.pos[1] + p.half[2]) for p in painter._panels
            if p.body == body and abs(p.mat[1, 2]) > 0.9]
    assert max(sunk) == pytest.approx(dent.depth, abs=1e-6)
    assert min(sunk) == pytest.approx(0.0, abs=0.005)  # (a door frame stands 4 mm proud)
    painter.apply(model, -1.0)  # and taken off again
    assert np.array_equal(model.geom_size, before[0])


@pytest.mark.parametrize("kmh, lo, hi", [(15, 0.02, 0.09), (50, 0.25, 0.55)])
def test_a_car_into_a_wall_crushes_its_front_only(kmh, lo, hi):
    """A rigid wall takes no crush: the car's front takes what the bump dissipated; 15 km/h
    leaves a few cm, 50 km/h tens of cm (an NCAP car crushes ~0.5 m at 56 km/h)."""
    from worldreel.scene import Entity, Scene, Setting

    scene = Scene(duration=1.6, resolution=(64, 48), setting=Setting(environment="street"),
                  entities=[Entity(id="car", asset="sedan", position=(-5.5, 0.0, 0.0),
                                   velocity=(kmh / 3.6, 0.0, 0.0)),
                            Entity(id="wall", asset="wall", position=(0.5, 0.0, 1.25))])
    recording = simulate(scene)
    (dent,) = recording.dents
    assert dent.entity == "car" and dent.face == "front"
    assert lo < dent.depth < hi
    hit = next(e for e in recording.impacts() if {e.body_a, e.body_b} == {"car", "wall"})
    assert dent.time == hit.time
