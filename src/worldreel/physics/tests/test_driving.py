"""Vehicles driven by physics.driving: speed, stopping, braking, steering, crashes, parking."""

from __future__ import annotations

import numpy as np
import pytest

from worldreel.assets import ASSETS
from worldreel.assets.vehicles import vehicle_specs
from worldreel.errors import SceneError
from worldreel.physics import simulate
from worldreel.physics.simulate import PhysicsOptions
from worldreel.scene import Brake, Drive, Entity, Scene, Setting, Shot

KMH = 1 / 3.6


def _scene(entities, actions, duration):
    return Scene(duration=duration, fps=24, setting=Setting(environment="street"),
                 entities=entities, actions=actions, shots=[Shot(start=0.0)])


def _car(recording, name):
    """(mass, mass-weighted velocity of the car's bodies) per sample."""
    ks = [k for k, n in enumerate(recording.entity_ids) if n == name or n.startswith(name + ".")]
    mass = recording.masses[ks].sum()
    velocity = np.einsum("k,nkj->nj", recording.masses[ks], recording.velocities[:, ks]) / mass
    return mass, velocity


def _track(recording, name):
    return next(t for t in recording.vehicles if t.id == name)


@pytest.mark.slow
def test_sedan_reaches_and_holds_50_kmh_then_stops_at_distance():
    scene = _scene([Entity(id="car", asset="sedan", position=(-45.0, 0.0, 0.0))],
                   [Drive(entity="car", speed=50 * KMH, distance=90.0)], 11.0)
    recording = simulate(scene)
    track = _track(recording, "car")
    times = recording.times
    reached = times[np.argmax(track.speed > 0.95 * 50 * KMH)]
    assert reached < 5.0  # a Camry's 0-50 km/h is about 3.5 s
    cruising = (times > reached) & (times < reached + 2.0)
    assert np.all(np.abs(track.speed[cruising] - 50 * KMH) < 0.05 * 50 * KMH)
    k = recording.entity_ids.index("car")
    travelled = recording.positions[-1, k, 0] - recording.positions[0, k, 0]
    assert abs(travelled - 90.0) < 1.0, travelled
    assert abs(track.speed[-1]) < 0.05
    assert track.rpm.max() > 2000 and track.gear.max() >= 3  # it shifted up through the box
    assert track.brake.max() > 0.3  # and braked at the end


@pytest.mark.slow
def test_brake_decelerates_at_the_stated_rate():
    for hard, rate in ((False, 4.0), (True, 8.0)):
        scene = _scene([Entity(id="car", asset="sedan", position=(-30.0, 0.0, 0.0),
                               velocity=(15.0, 0.0, 0.0))],
                       [Brake(entity="car", at=0.5, hard=hard)], 5.0)
        recording = simulate(scene)
        speed = _track(recording, "car").speed
        times = recording.times
        start = np.searchsorted(times, 0.55)
        stop = int(np.argmax(speed < 0.3))
        measured = (speed[start] - speed[stop]) / (times[stop] - times[start])
        assert abs(measured - rate) < 0.15 * rate, (hard, measured)


@pytest.mark.slow
def test_follows_waypoints_and_turns():
    path = ((-10.0, 0.0), (0.0, 3.0), (8.0, 10.0))
    scene = _scene([Entity(id="car", asset="hatchback", position=(-25.0, 0.0, 0.0))],
                   [Drive(entity="car", speed=8.0, path=path)], 8.0)
    recording = simulate(scene)
    k = recording.entity_ids.index("car")
    xy = recording.positions[:, k, :2]
    for point in path:
        assert np.min(np.linalg.norm(xy - np.array(point), axis=1)) < 0.5, point
    w, x, y, z = recording.quaternions[-1, k]
    yaw = np.degrees(np.arctan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z)))
    assert 20.0 < yaw < 70.0  # it turned left towards the last leg (north-east)


@pytest.mark.slow
def test_turns_onto_a_new_direction_and_keeps_it():
    scene = _scene([Entity(id="car", asset="suv", position=(-5.0, 0.0, 0.0))],
                   [Drive(entity="car", speed=6.0, direction=(0.0, 1.0, 0.0))], 7.0)
    recording = simulate(scene)
    k = recording.entity_ids.index("car")
    w, x, y, z = recording.quaternions[:, k].T
    yaw = np.degrees(np.arctan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z)))
    late = recording.times > 4.5
    assert np.all(np.abs(yaw[late] - 90.0) < 5.0)
    assert yaw.max() < 100.0  # no swerve past the heading
    assert np.ptp(recording.positions[late, k, 0]) < 0.3  # straight on


@pytest.mark.slow
def test_crossroads_crash_exchanges_momentum_without_flying_off():
    scene = _scene([Entity(id="a", asset="hatchback", position=(-20.0, 0.0, 0.0),
                           velocity=(10.0, 0.0, 0.0)),
                    Entity(id="b", asset="pickup", position=(0.0, -12.0, 0.0),
                           rotation=(0.0, 0.0, 90.0), velocity=(0.0, 6.0, 0.0))], [], 3.5)
    recording = simulate(scene, PhysicsOptions(oversample=4))
    crash = next(e for e in recording.events if {e.body_a, e.body_b} == {"a", "b"})
    rate = recording.fps * recording.oversample
    before = int((crash.time - 0.02) * rate)
    after = int((crash.time + 0.05) * rate)  # the crush contact lasts ~50 ms
    ma, va = _car(recording, "a")
    mb, vb = _car(recording, "b")
    p0 = ma * va[before, :2] + mb * vb[before, :2]
    p1 = ma * va[after, :2] + mb * vb[after, :2]
    # the tyres' grip on the road takes a little while the pickup is shoved sideways
    assert np.linalg.norm(p1 - p0) < 0.15 * np.linalg.norm(p0)
    assert np.linalg.norm(p1) == pytest.approx(np.linalg.norm(p0), rel=0.10)
    # each car's change of momentum is the other's, reversed: measured 16 % apart in size,
    # the tyres' grip (the pickup shoved sideways) and the road's push on the rocking cars
    # acting over the 50 ms crush as well
    given, taken = ma * (va[after, :2] - va[before, :2]), mb * (vb[after, :2] - vb[before, :2])
    assert np.linalg.norm(given + taken) < 0.25 * np.linalg.norm(given)
    assert np.dot(given, taken) < -0.9 * np.linalg.norm(given) * np.linalg.norm(taken)
    assert 1200 < ma < 1300 and 2000 < mb < 2100
    assert np.linalg.norm(va[after, :2]) < 5.0  # the light car was stopped hard
    later = recording.times > crash.time + 0.3
    # nothing flies off: each car's centre rises under 1 m/s (a rocking wheel may, briefly, a
    # little faster), and no body is lifted half a metre
    assert va[later, 2].max() < 1.0 and vb[later, 2].max() < 1.0
    assert (recording.positions[:, :, 2] - recording.positions[0, :, 2]).max() < 0.5
    assert np.abs(recording.velocities).max() < 12.0  # no explosion
    assert _track(recording, "a").throttle[later].max() == 0.0  # the driver lifted off


@pytest.mark.slow
def test_parked_car_stays_put_and_driven_wheels_turn():
    scene = _scene([Entity(id="parked", asset="suv", position=(0.0, 4.0, 0.0)),
                    Entity(id="car", asset="sedan", position=(-30.0, -2.0, 0.0))],
                   [Drive(entity="car", speed=5.0)], 5.0)
    recording = simulate(scene)
    k = recording.entity_ids.index("parked")
    assert np.linalg.norm(recording.positions[-1, k] - recording.positions[0, k]) < 0.01
    parked = _track(recording, "parked")
    assert parked.rpm.max() == 0.0 and parked.gear.max() == 0  # engine off
    wheel = recording.entity_ids.index("car.wheel_rl")
    q = recording.quaternions[:, wheel]
    assert np.abs(q[-1] - q[0]).max() > 0.1 and np.abs(q[-1] - q[-2]).max() > 0.01


def test_vehicle_sizes_and_masses_match_the_table():
    specs = vehicle_specs()
    assert {"sedan", "hatchback", "suv", "van", "pickup", "bus", "truck"} <= set(specs)
    for name, spec in specs.items():
        asset = ASSETS[name]
        lo, hi = asset.bounds()
        assert hi[0] - lo[0] == pytest.approx(spec.length, abs=0.03), name
        assert hi[2] == pytest.approx(spec.height, abs=0.02), name
        assert spec.width <= hi[1] - lo[1] <= spec.width + 0.25, name  # mirrors
        links = sum(link.mass for link in asset.links)
        assert asset.mass + links == pytest.approx(spec.curb_mass), name
    assert "car" in ASSETS["sedan"].aliases and "car" not in ASSETS["cart"].aliases
    assert "lorry" in ASSETS["truck"].aliases


def test_drive_on_a_ball_is_a_clear_error():
    from worldreel.assets.scene_check import check_scene_assets

    scene = _scene([Entity(id="ball", asset="basketball", position=(0.0, 0.0, 0.12))],
                   [Drive(entity="ball", speed=5.0)], 1.0)
    with pytest.raises(SceneError, match="'ball' is a basketball, which cannot drive; only "
                                         "vehicles can"):
        check_scene_assets(scene)


def test_drive_fields_are_validated():
    with pytest.raises(ValueError, match="speed"):
        Drive(entity="car", speed=-3.0)
    with pytest.raises(ValueError, match="speed"):
        Drive(entity="car", speed=500.0)
    with pytest.raises(ValueError, match="path.0"):
        Drive(entity="car", speed=5.0, path=(("north", 2.0),))
    with pytest.raises(ValueError, match="path.0"):
        Drive(entity="car", speed=5.0, path=((1.0, 2.0, 3.0),))
    with pytest.raises(ValueError, match="either 'path'"):
        Drive(entity="car", speed=5.0, path=((1.0, 2.0),), direction=(1.0, 0.0, 0.0))
