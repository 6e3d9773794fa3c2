"""Trains on their rails (physics.rail): they stay on the track, accelerate as their tractive
effort and power allow, brake at the stated rates, and their cars stay coupled."""

from __future__ import annotations

import numpy as np
import pytest

from worldreel.assets.scene_check import check_scene_assets
from worldreel.assets.trains import braking, car_specs, track_spec
from worldreel.errors import SceneError
from worldreel.physics import simulate
from worldreel.scene import Brake, Drive, Entity, Scene, Setting, Shot

LOCO, COACH = car_specs()["locomotive"], car_specs()["carriage"]
GAP = 0.0  # buffers touching


def _train(x_front: float = -60.0, coaches: int = 2, y: float = 0.0, velocity: float = 0.0):
    """A locomotive at x_front (its middle) and coaches behind it, on a track through 0."""
    entities = [Entity(id="track", asset="railway_track", position=(0.0, y, 0.0)),
                Entity(id="loco", asset="locomotive", position=(x_front, y, 0.0),
                       velocity=(velocity, 0.0, 0.0))]
    x = x_front - 0.5 * LOCO.length - GAP - 0.5 * COACH.length
    for k in range(coaches):
        entities.append(Entity(id=f"coach{k}", asset="carriage", position=(x, y, 0.0),
                               velocity=(velocity, 0.0, 0.0)))
        x -= COACH.length + GAP
    return entities


def _scene(entities, actions, duration):
    return Scene(duration=duration, fps=24, setting=Setting(environment="park"),
                 entities=entities, actions=actions, shots=[Shot(start=0.0)])


def _mass_eff(coaches: int) -> float:
    return LOCO.mass * (1 + LOCO.rotating_mass) + coaches * COACH.mass * (1 + COACH.rotating_mass)


def test_train_starts_at_its_tractive_effort_stays_on_the_rails_and_coupled():
    scene = _scene(_train(), [Drive(entity="loco", speed=15.0, at=0.25)], 3.0)
    check_scene_assets(scene)
    recording = simulate(scene)
    times = recording.times
    loco = recording.trajectory("loco")
    # on the rails: no sideways or vertical movement at all
    for car in ("loco", "coach0", "coach1"):
        path = recording.trajectory(car)
        assert np.abs(path[:, 1]).max() < 1e-9 and np.abs(path[:, 2]).max() < 1e-9
    # coupled: the spacing between the cars holds within a centimetre
    spacing = loco[:, 0] - recording.trajectory("coach1")[:, 0]
    assert np.ptp(spacing) < 0.01
    # under 4.5 m/s the starting tractive effort (adhesion) limits, not the power
    speed = recording.velocities[:, recording.index("loco"), 0]
    window = (times >= 0.5) & (speed < 4.0)
    accel = np.polyfit(times[window], speed[window], 1)[0]
    rolling = braking().rolling * (LOCO.mass + 2 * COACH.mass) * 9.81
    expected = (LOCO.tractive_force_n - rolling) / _mass_eff(2)
    assert accel == pytest.approx(expected, rel=0.10)
    assert 1.5 < accel < 2.5  # 409 kN on a light train of 194 t


def test_train_reaches_its_speed_with_the_power_it_has_then_brakes_at_the_service_rate():
    scene = _scene(_train(x_front=-70.0), [Drive(entity="loco", speed=10.0, at=0.0),
                                           Brake(entity="loco", at=9.0)], 12.0)
    recording = simulate(scene)
    times = recording.times
    speed = recording.velocities[:, recording.index("loco"), 0]
    cruising = (times > 8.0) & (times < 9.0)
    assert speed[cruising] == pytest.approx(10.0, abs=0.25)
    # power-limited between 6 and 8 m/s: a = (P / v - R) / m_eff
    window = (speed > 5.0) & (speed < 7.0) & (times < 9.0)
    accel = np.gradient(speed, times)[window].mean()
    v = speed[window].mean()
    expected = (1000.0 * LOCO.power_at_rail_kw / v) / _mass_eff(2)
    assert accel == pytest.approx(expected, rel=0.10)
    braking_now = (times > 9.3) & (speed > 1.0)
    decel = -np.polyfit(times[braking_now], speed[braking_now], 1)[0]
    assert decel == pytest.approx(braking().service, rel=0.05)
    track = next(t for t in recording.vehicles if t.id == "loco")
    assert track.throttle[times < 2.0].max() == pytest.approx(1.0)  # full power pulling away
    assert track.rpm.max() == LOCO.engine["full_rpm"]  # notch 8
    assert track.brake[braking_now].min() > 0.5


def test_a_service_stop_takes_v2_over_2a_and_the_train_then_stands():
    scene = _scene(_train(x_front=-40.0, coaches=1, velocity=5.0),
                   [Brake(entity="loco", at=0.5)], 9.0)
    recording = simulate(scene)
    x = recording.trajectory("loco")[:, 0]
    speed = recording.velocities[:, recording.index("loco"), 0]
    start = int(0.5 * recording.fps)
    assert x[-1] - x[start] == pytest.approx(5.0 ** 2 / (2 * braking().service), rel=0.05)
    assert np.abs(speed[-24:]).max() < 1e-3  # held by its brakes


def test_a_drive_with_a_distance_stops_the_train_there():
    scene = _scene(_train(x_front=-70.0, coaches=1), [Drive(entity="loco", speed=6.0,
                                                            distance=40.0)], 14.0)
    recording = simulate(scene)
    x = recording.trajectory("loco")[:, 0]
    assert x[-1] - x[0] == pytest.approx(40.0, abs=0.3)
    assert abs(recording.velocities[-1, recording.index("loco"), 0]) < 1e-3


def test_emergency_brake_and_a_train_placed_moving_runs_on():
    scene = _scene(_train(x_front=-40.0, coaches=1, velocity=20.0),
                   [Brake(entity="loco", hard=True, at=1.0)], 3.0)
    recording = simulate(scene)
    times = recording.times
    speed = recording.velocities[:, recording.index("loco"), 0]
    assert speed[times < 1.0] == pytest.approx(20.0, abs=0.05)  # cruising, as placed
    window = (times > 1.2) & (times < 2.9)
    decel = -np.polyfit(times[window], speed[window], 1)[0]
    assert decel == pytest.approx(braking().emergency, rel=0.05)


def test_a_train_needs_rails_and_only_a_locomotive_drives_along_them():
    lone = _scene([Entity(id="loco", asset="locomotive", position=(0.0, 0.0, 0.0))], [], 1.0)
    with pytest.raises(SceneError, match="does not stand on the rails of any railway_track"):
        check_scene_assets(lone)
    off = _scene([Entity(id="track", asset="railway_track"),
                  Entity(id="loco", asset="locomotive", position=(0.0, 3.0, 0.0))], [], 1.0)
    with pytest.raises(SceneError, match=r"entities\[1\].position"):
        check_scene_assets(off)
    carriage = _scene(_train(), [Drive(entity="coach0", speed=5.0)], 1.0)
    with pytest.raises(SceneError, match="give the drive to the locomotive"):
        check_scene_assets(carriage)
    across = _scene(_train(), [Drive(entity="loco", speed=5.0, direction=(0.0, 1.0, 0.0))], 1.0)
    with pytest.raises(SceneError, match="can only go along its track"):
        check_scene_assets(across)
    fast = _scene(_train(), [Drive(entity="loco", speed=40.0)], 1.0)
    with pytest.raises(SceneError, match="runs at most 33.6 m/s"):
        check_scene_assets(fast)


def test_a_train_running_off_the_end_of_its_track_is_refused():
    scene = _scene(_train(x_front=120.0, coaches=0, velocity=20.0), [], 2.0)
    # its front reaches the end (150 m) after (150 - 120 - 10.7) / 20 = 0.97 s
    with pytest.raises(SceneError, match=r"runs off the end of the railway_track 'track' at "
                                         r"t=(0\.9|1\.0)\d s"):
        simulate(scene)


def test_road_vehicles_keep_their_own_speed_limit_under_the_schemas_higher_one():
    car = _scene([Entity(id="car", asset="sedan")], [Drive(entity="car", speed=80.0)], 1.0)
    with pytest.raises(SceneError, match="road vehicles are driven at most 70 m/s"):
        check_scene_assets(car)


def test_track_is_standard_gauge_on_sleepers_at_their_spacing():
    t = track_spec()
    assert t.gauge == 1.435 and t.rail_centres == pytest.approx(1.435 + t.rail_head)
    joints = t.joints()
    assert np.diff(joints) == pytest.approx(np.full(len(joints) - 1, 18.288))
    # the wheels stand on the rail heads
    lo, _ = __import__("worldreel.assets", fromlist=["ASSETS"]).ASSETS["locomotive"].bounds()
    assert lo[2] == pytest.approx(t.rail_top)
