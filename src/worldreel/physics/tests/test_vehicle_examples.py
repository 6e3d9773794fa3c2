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
