"""Two-wheelers and boards driven by physics.driving: balance and lean, pedalling, kicks, engines,
the parked bicycle, top speeds, the rider's mass."""

from __future__ import annotations

import math

import numpy as np
import pytest

from worldreel.assets import ASSETS
from worldreel.assets.two_wheelers import KICKSTAND_LEAN_DEG
from worldreel.assets.vehicles import vehicle_spec
from worldreel.errors import SceneError
from worldreel.physics import simulate
from worldreel.physics.driving import Driving
from worldreel.scene import Drive, Entity, Scene, Setting, Shot

G = 9.81


def _scene(asset, actions, duration, position=(-20.0, 0.0, 0.0)):
    return Scene(duration=duration, fps=24, setting=Setting(environment="street"),
                 entities=[Entity(id="v", asset=asset, position=position)], actions=actions,
                 shots=[Shot(start=0.0)])


def _roll_yaw(recording, name="v"):
    k = recording.entity_ids.index(name)
    w, x, y, z = recording.quaternions[:, k].T
    roll = np.arctan2(2 * (w * x + y * z), 1 - 2 * (x * x + y * y))
    yaw = np.unwrap(np.arctan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z)))
    return roll, yaw


def test_bicycle_reaches_5_m_s_upright_pedalling_at_its_cadence():
    recording = simulate(_scene("bicycle", [Drive(entity="v", speed=5.0)], 8.0))
    track = recording.vehicles[0]
    times = recording.times
    reached = times[np.argmax(track.speed > 4.85)]
    assert reached < 6.0  # 1.5 m/s^2 at most from the start, ~200 W after
    cruising = times > reached + 0.5
    assert np.all(np.abs(track.speed[cruising] - 5.0) < 0.25)
    roll, _ = _roll_yaw(recording)
    # it starts leaning on its kickstand, and is upright once rolling on the straight
    assert np.degrees(roll[0]) == pytest.approx(-KICKSTAND_LEAN_DEG, abs=0.5)
    assert np.degrees(np.abs(roll[times > 1.5])).max() < 1.0
    # the crank turns with the rear wheel through the gear it is in: cadence = wheel rpm / ratio
    spec = vehicle_spec("bicycle")
    dt = times[1] - times[0]
    cadence = np.gradient(track.crank, dt)[cruising] * 30 / math.pi
    ratio = np.array(spec.gear_ratios)[track.gear[cruising] - 1]
    wheel_rpm = track.speed[cruising] / spec.wheel_radius * 30 / math.pi
    assert np.allclose(cadence, wheel_rpm / ratio, rtol=0.05)
    assert 75 < np.median(cadence) < 95  # a rider's 80-90 rpm, in the gear nearest it
    assert track.rpm.max() == 0.0  # no engine


def test_bicycle_leans_into_a_turn_at_the_coordinated_angle():
    path = ((-10.0, 0.0), (0.0, 2.0), (8.0, 8.0), (10.0, 16.0))
    recording = simulate(_scene("bicycle", [Drive(entity="v", speed=5.0, path=path)], 9.0))
    track = recording.vehicles[0]
    roll, yaw = _roll_yaw(recording)
    dt = recording.times[1] - recording.times[0]
    yaw_rate = np.gradient(yaw, dt)
    # the lean that balances gravity against the turn actually driven: tan(lean) = v omega / g
    coordinated = -np.arctan(track.speed * yaw_rate / G)
    turning = np.abs(coordinated) > np.radians(5.0)
    assert turning.sum() > 24  # a second or more of real turning
    assert np.degrees(np.abs(roll[turning])).max() > 8.0  # it does lean, to the left
    assert np.all(roll[turning] < 0)
    error = np.degrees(np.abs(roll[turning] - coordinated[turning]))
    assert np.median(error) < 2.0 and error.max() < 5.0, (np.median(error), error.max())


def test_parked_bicycle_stands_on_its_kickstand_for_5_s():
    recording = simulate(_scene("bicycle", [], 5.0, position=(0.0, 0.0, 0.0)))
    roll, _ = _roll_yaw(recording)
    k = recording.entity_ids.index("v")
    assert np.all(np.abs(np.degrees(roll) + KICKSTAND_LEAN_DEG) < 1.0)  # leaning on it, still
    assert np.linalg.norm(recording.positions[-1, k] - recording.positions[0, k]) < 0.02


def test_a_parked_motorcycle_and_kick_scooter_stay_up():
    for asset in ("motorcycle", "kick_scooter"):
        recording = simulate(_scene(asset, [], 3.0, position=(0.0, 0.0, 0.0)))
        roll, _ = _roll_yaw(recording)
        assert np.degrees(np.abs(roll)).max() < 1.0, asset


def test_skateboard_pushes_at_the_recorded_instants_and_coasts_between():
    recording = simulate(_scene("skateboard", [Drive(entity="v", speed=4.0)], 7.0))
    track = recording.vehicles[0]
    times = recording.times
    cycles = track.crank / (2 * math.pi)
    starts = np.flatnonzero(np.diff(np.floor(cycles)) > 0) + 1  # samples just after a push began
    kick = vehicle_spec("skateboard").kick
    assert len(starts) >= 4
    assert np.allclose(np.diff(times[starts]), kick["period_s"], atol=0.02)
    for n in starts[:-1]:
        push_end = n + int(kick["push_s"] / (times[1] - times[0])) - 1
        next_push = starts[starts > n][0] - 1
        assert track.speed[push_end] > track.speed[n - 1] + 0.3  # the push speeds it up
        coast = track.speed[push_end + 2:next_push]
        assert np.all(np.diff(coast) < 0)  # and it slows between pushes
    assert track.speed[-1] > 3.0
    assert np.all(track.steer == 0.0) or np.abs(track.steer).max() < 1e-3  # straight on


def test_motorcycle_and_moped_engines():
    recording = simulate(_scene("motorcycle", [Drive(entity="v", speed=15.0)], 6.0))
    track = recording.vehicles[0]
    spec = vehicle_spec("motorcycle")
    assert track.speed[-1] == pytest.approx(15.0, abs=0.5)
    assert track.gear.max() >= 3
    # rpm follows the rear wheel through the gear (clutch engaged above 1st)
    on = track.gear >= 2
    ratio = np.array(spec.gears)[track.gear[on] - 1] * spec.final_drive
    expected = track.speed[on] / spec.wheel_radius * ratio * 30 / math.pi
    assert np.allclose(track.rpm[on], np.maximum(expected, spec.engine.idle_rpm), rtol=0.02)
    roll, _ = _roll_yaw(recording)
    assert np.degrees(np.abs(roll)).max() < 1.0
    recording = simulate(_scene("moped", [Drive(entity="v", speed=12.0)], 6.0))
    track = recording.vehicles[0]
    engine = vehicle_spec("moped").engine
    assert track.speed[-1] == pytest.approx(12.0, abs=0.5)
    # the CVT holds the engine in its band: at full throttle near peak power, cruising lower
    assert track.rpm[track.throttle > 0.7].min() > engine.shift_down_rpm
    assert engine.shift_up_rpm[0] - 200 < track.rpm[-1] < engine.shift_up_rpm[1]


def test_a_drive_faster_than_the_type_goes_is_a_scene_error_naming_its_top_speed():
    scene = _scene("kick_scooter", [Drive(entity="v", speed=15.0)], 2.0)
    with pytest.raises(SceneError, match=r"top speed is 5 m/s"):
        Driving(scene, [])
    scene = _scene("bicycle", [Drive(entity="v", speed=12.0)], 2.0)
    Driving(scene, [])  # its top speed is allowed


def test_carried_rider_mass_is_validated_and_weighs():
    scene = _scene("bicycle", [], 1.0)
    with pytest.raises(SceneError, match="not a vehicle"):
        Driving(scene, [], carried={"nobody": 75.0})
    with pytest.raises(SceneError, match="outside"):
        Driving(scene, [], carried={"v": -1.0})
    import mujoco

    from worldreel.assets.mujoco_spec import build_spec
    from worldreel.physics.contact_model import contact_params

    def bound(carried):
        spec, _ = build_spec(scene, movable="free", contacts=contact_params(scene.physics_rate))
        driving = Driving(scene, [], carried=carried)
        driving.add_to_spec(mujoco, spec)
        model = spec.compile()
        driving.bind(model, mujoco.MjData(model))
        return driving.vehicles[0]

    alone, ridden = bound({}), bound({"v": 75.0})
    assert ridden.mass - alone.mass == pytest.approx(75.0)
    # a seated rider's weight rides high: 75 kg 0.3 m over the 0.98 m saddle, 12 kg lower
    expected = (75.0 * 1.28 + alone.mass * alone.com_height) / ridden.mass
    assert ridden.com_height == pytest.approx(expected, abs=0.02)


def test_two_wheeler_assets_have_the_rider_anchors():
    for name in ("bicycle", "motorcycle", "moped", "kick_scooter", "skateboard", "longboard"):
        anchors = ASSETS[name].anchors
        need = {"seat", "foot_left", "foot_right", "head"}
        if vehicle_spec(name).layout != "board":
            need |= {"grip_left", "grip_right"}
        if name == "bicycle":
            need |= {"pedal_axle"}
        assert need <= set(anchors), (name, need - set(anchors))
        assert anchors["foot_left"][1] >= anchors["foot_right"][1]  # left is +y
        if name in ("bicycle", "motorcycle", "moped"):
            assert anchors["grip_left"][2] > anchors["seat"][2] > anchors["foot_left"][2]
    bicycle = ASSETS["bicycle"].anchors
    crank = vehicle_spec("bicycle").crank_length
    assert bicycle["foot_right"][0] - bicycle["pedal_axle"][0] == pytest.approx(crank)


@pytest.mark.parametrize("asset", ["bicycle", "skateboard", "kick_scooter"])
def test_with_a_75_kg_rider_it_rides_and_stops_upright(asset, monkeypatch):
    import importlib

    from worldreel.scene import Brake

    simulate_module = importlib.import_module("worldreel.physics.simulate")
    monkeypatch.setattr(simulate_module, "Driving",
                        lambda scene, timed, **_: Driving(scene, timed, carried={"v": 75.0}))
    recording = simulate_module.simulate(
        _scene(asset, [Drive(entity="v", speed=4.0), Brake(entity="v", at=6.0, hard=True)], 8.0))
    track = recording.vehicles[0]
    times = recording.times
    assert track.speed[times < 6.0].max() > 3.5
    assert abs(track.speed[-1]) < 0.1
    k = recording.entity_ids.index("v")
    w, x, y, z = recording.quaternions[:, k].T
    pitch = np.degrees(np.arcsin(np.clip(2 * (w * y - z * x), -1, 1)))
    roll, _ = _roll_yaw(recording)
    assert np.abs(pitch).max() < 4.0  # no wheelie from a push, no nose-dive from the brake
    assert np.degrees(np.abs(roll[times > 1.5])).max() < 1.0


def test_a_ridden_motorcycle_stops_hard_from_30_m_s_upright(monkeypatch):
    import importlib

    from worldreel.scene import Brake

    simulate_module = importlib.import_module("worldreel.physics.simulate")
    monkeypatch.setattr(simulate_module, "Driving",
                        lambda scene, timed, **_: Driving(scene, timed, carried={"v": 75.0}))
    scene = Scene(duration=6.0, fps=24, setting=Setting(environment="street"),
                  entities=[Entity(id="v", asset="motorcycle", position=(-40.0, 0.0, 0.0),
                                   velocity=(30.0, 0.0, 0.0))],
                  actions=[Brake(entity="v", at=0.5, hard=True)], shots=[Shot(start=0.0)])
    recording = simulate_module.simulate(scene)
    track = recording.vehicles[0]
    times = recording.times
    start, stop = np.searchsorted(times, 0.6), int(np.argmax(track.speed < 0.5))
    decel = (track.speed[start] - track.speed[stop]) / (times[stop] - times[start])
    assert decel == pytest.approx(vehicle_spec("motorcycle").hard_brake, rel=0.1)
    roll, _ = _roll_yaw(recording)
    assert np.degrees(np.abs(roll)).max() < 1.0  # the rear did not lock and slide out
