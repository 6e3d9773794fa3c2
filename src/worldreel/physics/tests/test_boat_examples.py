"""The boat example scene (examples/harbour_boats.yaml) loads, names known assets and drives its
boats: the motorboat passes at speed, the dinghy rows."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from worldreel.assets.boats import boat_spec
from worldreel.assets.scene_check import check_scene_assets
from worldreel.physics import simulate
from worldreel.physics.boating import check_boats
from worldreel.scene import load_scene

EXAMPLES = Path(__file__).resolve().parents[4] / "examples"


def test_the_boat_example_is_a_valid_scene():
    scene = load_scene(EXAMPLES / "harbour_boats.yaml")
    check_scene_assets(scene)
    check_boats(scene)
    assert {boat_spec(e.asset).name for e in scene.entities} == {"motorboat", "rowing_boat"}


@pytest.mark.slow
def test_the_boat_example_plays_the_motorboat_past_and_the_dinghy_rowing():
    recording = simulate(load_scene(EXAMPLES / "harbour_boats.yaml"))
    tracks = {t.id: t for t in recording.vehicles}
    late = recording.times > 4.0
    assert np.mean(tracks["motorboat"].speed[late]) > 6.5
    assert 0.8 < np.mean(tracks["dinghy"].speed[late]) < 1.6
    assert recording.trajectory("motorboat")[-1, 0] > 10.0, "it has passed"
