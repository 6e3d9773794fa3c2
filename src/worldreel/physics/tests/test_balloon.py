"""A helium balloon let go: it rises at its terminal speed, and a room's ceiling stops it."""

import numpy as np

from worldreel.assets.registry import BALLOON_HALF_M
from worldreel.physics import simulate
from worldreel.scene import Drop, Entity, Scene, Setting

LET_GO = 0.5


def _let_go(environment: str, duration: float, medium: str = "air"):
    scene = Scene(duration=duration, setting=Setting(environment=environment, medium=medium),
                  entities=[Entity(id="balloon", asset="balloon", position=(0.0, 0.0, 1.0))],
                  actions=[Drop(entity="balloon", at=LET_GO)])
    recording = simulate(scene)
    return recording.times - LET_GO, recording.positions[:, 0, 2], recording.velocities[:, 0]


def test_a_balloon_let_go_in_the_open_rises_at_a_steady_speed():
    t, z, v = _let_go("park", 3.0)
    assert np.all(z[t < 0] == 1.0), "held until it is let go"
    assert z[np.argmin(np.abs(t - 2.0))] > 2.0 + 1.0
    # Its steady speed: sqrt(2 L / (rho Cd A)) with the lift L = 0.113 N of the registry's
    # balloon, 1.8 m/s with a rising light sphere's Cd of 0.75 on its side profile, 2.5 m/s
    # with a fixed sphere's 0.47 on its width (assets.registry); its ribbon's weight and drag
    # take about 2 % off
    steady = v[(t > 1.0) & (t < 2.0), 2]
    assert 1.7 < steady.mean() < 2.5
    assert np.ptp(steady) < 0.02 * steady.mean(), "terminal: no longer speeding up"
    assert np.abs(v[t > 0, :2]).max() < 1e-3, "straight up in still air"


def test_a_room_ceiling_stops_a_balloon_and_nothing_else():
    t, z, v = _let_go("living_room", 3.5)
    ceiling = 2.6  # environments: the living room's walls
    top = z + BALLOON_HALF_M[2]
    assert abs(top[-1] - ceiling) < 0.01, "pressed under the ceiling"
    assert np.linalg.norm(v[-1]) < 0.01
    ball = Scene(duration=1.5, setting=Setting(environment="living_room"),
                 entities=[Entity(id="ball", asset="basketball", position=(0.0, 0.0, 1.0),
                                  velocity=(0.0, 0.0, 8.0))])
    assert simulate(ball).positions[:, 0, 2].max() > 3.5, "a ball thrown up passes it"


def test_in_a_vacuum_a_balloon_falls():
    t, z, _ = _let_go("moon", 1.5, medium="vacuum")
    assert z[-1] < 0.5, "no air to buoy it up"
