"""A car grips and rolls on the road under it: braking hard on gravel (tyre friction 0.6,
Wong) takes longer than on asphalt (0.85), as a real emergency stop does."""

from __future__ import annotations

import numpy as np
import pytest

from worldreel.physics import simulate
from worldreel.scene import Brake, Entity, Scene, Setting


def stop(place: str) -> tuple[float, float]:
    """(metres, mean deceleration m/s^2) of a sedan's emergency stop from 15 m/s."""
    scene = Scene(duration=4.0, resolution=(64, 48), setting=Setting(environment=place),
                  entities=[Entity(id="car", asset="sedan", position=(-20.0, 0.0, 0.0),
                                   velocity=(15.0, 0.0, 0.0))],
                  actions=[Brake(entity="car", hard=True, at=0.5)])
    recording = simulate(scene)
    start = int(np.searchsorted(recording.times, 0.5))
    end = start + int(np.argmax(recording.vehicles[0].speed[start:] < 0.05))
    x = recording.trajectory("car")[:, 0]
    return float(x[end] - x[start]), 15.0 / float(recording.times[end] - recording.times[start])


def test_a_hard_stop_on_gravel_is_longer_than_on_asphalt():
    asphalt, gravel = stop("street"), stop("country_road")
    assert asphalt[1] == pytest.approx(8.0, rel=0.1)  # the car's ABS stop (assets.vehicles)
    assert gravel[1] == pytest.approx(0.6 * 9.81, rel=0.1)  # all the gravel gives
    assert gravel[0] > 1.2 * asphalt[0]
