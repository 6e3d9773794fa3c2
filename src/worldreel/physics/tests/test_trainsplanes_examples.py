"""The train and aircraft example scenes load, name known assets, and put a train on its
track and an aircraft in the sky."""

from __future__ import annotations

from pathlib import Path

import pytest

from worldreel.assets.aircraft import aircraft_spec
from worldreel.assets.scene_check import check_scene_assets
from worldreel.assets.trains import consists
from worldreel.scene import load_scene

EXAMPLES = Path(__file__).resolve().parents[4] / "examples"


def test_train_example_is_a_coupled_train_on_its_track():
    scene = load_scene(EXAMPLES / "train_passing.yaml")
    check_scene_assets(scene)
    (train,) = consists(scene)
    assert train.locomotives == ("loco",) and len(train.cars) == 4


@pytest.mark.parametrize("name", ["plane_overhead"])
def test_plane_example_flies(name):
    scene = load_scene(EXAMPLES / f"{name}.yaml")
    check_scene_assets(scene)
    assert any(aircraft_spec(e.asset) is not None and e.position[2] >= 150 for e in
               scene.entities)
