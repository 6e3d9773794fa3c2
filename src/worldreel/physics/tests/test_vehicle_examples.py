"""The vehicle example scenes (examples/*.yaml) load, name known assets and drive vehicles."""

from __future__ import annotations

from pathlib import Path

import pytest

from worldreel.assets.scene_check import check_scene_assets
from worldreel.assets.vehicles import vehicle_spec
from worldreel.scene import load_scene

EXAMPLES = Path(__file__).resolve().parents[4] / "examples"


@pytest.mark.parametrize("name", ["street_drive", "crossroads_crash", "bus_stop", "motorbike_and_scooter"])
def test_vehicle_example_is_a_valid_scene(name):
    scene = load_scene(EXAMPLES / f"{name}.yaml")
    check_scene_assets(scene)
    assert any(vehicle_spec(e.asset) is not None for e in scene.entities)


@pytest.mark.slow
def test_motorbike_and_scooter_pass_upright_at_their_speeds():
    import numpy as np

    from worldreel.physics import simulate

    recording = simulate(load_scene(EXAMPLES / "motorbike_and_scooter.yaml"))
    tracks = {t.id: t for t in recording.vehicles}
    assert abs(tracks["motorbike"].speed[-1] - 13.9) < 0.5
    assert abs(tracks["scooter"].speed[-1] - 11.0) < 0.5
    a, b = (recording.entity_ids.index(n) for n in ("motorbike", "scooter"))
    gap = recording.positions[:, a, 0] - recording.positions[:, b, 0]
    assert gap[0] < 0 < gap[-1]  # they pass each other
    for k in (a, b):
        w, x, y, z = recording.quaternions[:, k].T
        roll = np.degrees(np.arctan2(2 * (w * x + y * z), 1 - 2 * (x * x + y * y)))
        assert np.abs(roll).max() < 1.5
    assert tracks["motorbike"].rpm.max() > 4000  # a twin revving through its gears
