"""Aircraft flown by physics.flight: level flight at the asked speed, coordinated turns, and
the stall speed they cannot fly below."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from worldreel.assets.aircraft import aircraft_specs, air_density
from worldreel.assets.scene_check import check_scene_assets
from worldreel.assets.transport import sea_level_density
from worldreel.errors import SceneError
from worldreel.physics import simulate
from worldreel.scene import Drive, Entity, Scene, Setting, Shot

A320 = aircraft_specs()["airliner"]


def _scene(entities, actions, duration):
    return Scene(duration=duration, fps=24, setting=Setting(environment="park"),
                 entities=entities, actions=actions, shots=[Shot(start=0.0)])


def _angles(recording, name):
    """(yaw, nose-up pitch, left-wing-down bank) in degrees per sample."""
    q = recording.quaternions[:, recording.index(name)]
    yaw, pitch, roll = Rotation.from_quat(q[:, [1, 2, 3, 0]]).as_euler("ZYX", degrees=True).T
    return yaw, -pitch, -roll


def test_airliner_holds_altitude_and_speed_at_75_m_s():
    scene = _scene([Entity(id="jet", asset="airliner", position=(-300.0, 0.0, 300.0))],
                   [Drive(entity="jet", speed=75.0)], 6.0)
    check_scene_assets(scene)
    recording = simulate(scene)
    path = recording.trajectory("jet")
    assert np.abs(path[:, 2] - 300.0).max() < 0.5
    assert np.abs(path[:, 1]).max() < 0.01
    speed = np.linalg.norm(recording.velocities[:, recording.index("jet")], axis=1)
    assert speed == pytest.approx(75.0, abs=0.2)
    # lift = weight: C_L = 2 m g / (rho v^2 S) ~ 1.5 at 75 m/s, near the clean stall: nose up
    _, pitch, bank = _angles(recording, "jet")
    assert np.abs(bank).max() < 0.1
    assert pitch.min() >= 2.0 - 1e-9
    track = recording.vehicles[0]
    assert 0.0 < track.throttle[1:].min() and track.throttle.max() < 1.0  # thrust = drag
    assert (track.rpm[1:] > A320.idle_n1 * A320.n1_max_rpm - 1).all()


def test_a_turn_is_banked_at_atan_v2_over_g_r():
    scene = _scene([Entity(id="jet", asset="airliner", position=(-300.0, 0.0, 400.0))],
                   [Drive(entity="jet", speed=80.0, direction=(0.0, 1.0, 0.0))], 12.0)
    recording = simulate(scene)
    times = recording.times
    path = recording.trajectory("jet")
    v = recording.velocities[:, recording.index("jet")]
    _, _, bank = _angles(recording, "jet")
    steady = (times > 4.0) & (times < 10.0)  # rolled in to the bank limit, still turning
    heading = np.unwrap(np.arctan2(v[:, 1], v[:, 0]))
    rate = np.gradient(heading, times)
    speed = np.linalg.norm(v[:, :2], axis=1)
    radius = speed[steady] / rate[steady]
    expected = np.degrees(np.arctan(speed[steady] ** 2 / (9.81 * radius)))
    assert bank[steady] == pytest.approx(expected, abs=0.5)
    assert bank[steady].mean() == pytest.approx(A320.max_bank_deg, abs=0.5)
    assert np.abs(path[:, 2] - 400.0).max() < 1.0  # height held in the turn


def test_an_aircraft_is_refused_below_its_stall_speed_and_on_the_ground():
    slow = _scene([Entity(id="jet", asset="airliner", position=(0.0, 0.0, 300.0))],
                  [Drive(entity="jet", speed=45.0)], 1.0)
    stall = A320.stall_speed_at(air_density(300.0, sea_level_density(slow)))
    with pytest.raises(SceneError, match=rf"cannot fly at 45 m/s: it stalls below "
                                         rf"{stall:.1f} m/s"):
        check_scene_assets(slow)
    grounded = _scene([Entity(id="plane", asset="light_aircraft")],
                      [Drive(entity="plane", speed=40.0)], 1.0)
    with pytest.raises(SceneError, match="raise z to at least 30"):
        check_scene_assets(grounded)
    unmoving = _scene([Entity(id="jet", asset="airliner", position=(0.0, 0.0, 300.0))], [], 1.0)
    with pytest.raises(SceneError, match="must fly"):
        check_scene_assets(unmoving)


def test_slow_flight_is_nose_up_and_a_light_aircraft_flies_at_its_speed():
    stall = A320.stall_speed_at(air_density(300.0, 1.225))
    scene = _scene([Entity(id="jet", asset="airliner", position=(-100.0, 0.0, 300.0)),
                    Entity(id="cessna", asset="light_aircraft", position=(-100.0, 200.0, 200.0))],
                   [Drive(entity="jet", speed=1.05 * stall), Drive(entity="cessna", speed=50.0)],
                   3.0)
    recording = simulate(scene)
    _, pitch, _ = _angles(recording, "jet")
    assert pitch[-1] > 10.0  # near the stall the wing needs C_L ~ C_Lmax: nose well up
    assert np.abs(recording.trajectory("cessna")[:, 2] - 200.0).max() < 0.5
    speed = np.linalg.norm(recording.velocities[:, recording.index("cessna")], axis=1)
    assert speed == pytest.approx(50.0, abs=0.2)
    cessna = next(t for t in recording.vehicles if t.id == "cessna")
    assert 2000 < cessna.rpm[-1] < 2700  # a cruising fixed-pitch propeller
    assert math.isclose(aircraft_specs()["light_aircraft"].stall_speed, 20.6)
