"""A flock played through physics: pigeons scatter from a person the simulation walks through
them, and the Recording that physics returns carries them."""

from __future__ import annotations

import numpy as np
from worldreel.assets.flocks import species
from worldreel.physics import simulate
from worldreel.scene import scene_from_dict


def test_pigeons_scatter_from_a_simulated_walker():
    scene = scene_from_dict({
        "duration": 4.0, "fps": 24, "physics_rate": 480, "seed": 2,
        "setting": {"environment": "street"},
        "characters": [{"id": "ann", "position": [-4.0, 0.0],
                        "script": [{"do": "walk", "place": [5.0, 0.0], "at": 0.2}]}],
        "flocks": [{"id": "pigeons", "species": "pigeon", "count": 12, "radius": 1.2}]})
    recording = simulate(scene)
    track = recording.flock("pigeons")
    assert track.positions.shape == (len(recording.times), 12, 3)
    off = [e for e in track.events if e.kind == "take_off"]
    assert len(off) == 12
    walker = recording.character("ann").bone_trajectory("pelvis")
    i = int(min(e.time for e in off) * 24)
    # the first bird left when she came within a pigeon's FID (plus its reaction)
    nearest = np.linalg.norm(walker[i, :2] - track.positions[i, :, :2], axis=1).min()
    assert nearest < species("pigeon").fid_m + 1.3 * 0.3
    assert track.positions[-1, :, 2].min() > 1.0  # all up and away by the end
