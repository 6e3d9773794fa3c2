"""Animals in the preview: drawn in their coat where the Recording has them, and framed when
a shot names one as its subject."""

from __future__ import annotations

import numpy as np
import pytest

from worldreel.physics import simulate
from worldreel.render import RenderOptions, plan_camera, render_frames
from worldreel.scene import Animal, AnimalAction, Scene, Setting, Shot


def _frames(animal: Animal, shot: Shot, duration: float = 1.0, environment: str = "studio"):
    scene = Scene(duration=duration, fps=12, resolution=(160, 96),
                  setting=Setting(environment=environment), animals=(animal,), shots=(shot,))
    recording = simulate(scene)
    recording = recording.with_camera(plan_camera(scene, recording))
    return list(render_frames(scene, recording, RenderOptions(workers=1))), recording


def test_a_horse_is_drawn_in_its_coat_and_framed_as_the_subject():
    """A white horse walking in a park, filmed following it as its subject: its white coat
    (bright and colourless, unlike the grass and the sky) is in every frame, near the
    middle."""
    horse = Animal(id="misty", species="horse", coat="white",
                   script=(AnimalAction(do="walk", place=(3.0, 0.0)),))
    frames, _ = _frames(horse, Shot(size="medium", subject="misty", move="follow"), 1.5,
                        environment="park")
    for frame in frames:
        rgb = frame.astype(int)
        white = (rgb.min(axis=2) > 120) & (np.ptp(rgb, axis=2) < 25)
        assert white.mean() > 0.01, white.mean()
        xs = np.nonzero(white)[1]
        assert 0.2 < xs.mean() / frame.shape[1] < 0.8


@pytest.mark.slow
def test_an_animal_is_where_its_track_puts_it():
    """A black dog trotting across a wide, static shot moves across the picture."""
    dog = Animal(id="rex", species="dog", coat="black", position=(-1.5, 0.0),
                 script=(AnimalAction(do="trot", place=(1.5, 0.0)),))
    frames, _ = _frames(dog, Shot(size="wide"), 2.0)
    black = (25, 25, 25)

    def middle(frame):
        mask = np.all(np.abs(frame.astype(int) - black) < 20, axis=2)
        mask[: frame.shape[0] // 4] = False  # not the backdrop's shadowed top
        return np.nonzero(mask)[1].mean() if mask.any() else np.nan

    first, last = middle(frames[0]), middle(frames[-1])
    assert not np.isnan(first) and not np.isnan(last)
    assert abs(last - first) > 0.2 * frames[0].shape[1]


def test_an_animal_has_an_instance_id_of_its_own(tmp_path):
    """In the segmentation AOV an animal is one instance, numbered after the people."""
    import json

    from PIL import Image

    from worldreel.media.staging import clip_unit
    from worldreel.render.aov import aov_folder
    from worldreel.scene import scene_from_dict

    scene = scene_from_dict({
        "duration": 0.25, "resolution": [96, 64],
        "entities": [{"id": "ball", "asset": "basketball", "position": [0, 0, 1]}],
        "characters": [{"id": "ann", "position": [-1.0, 0.5], "facing": 0}],
        "animals": [{"id": "rex", "species": "dog", "position": [1.0, 0.0], "facing": 180}]})
    recording = simulate(scene)
    recording = recording.with_camera(plan_camera(scene, recording))
    clip = tmp_path / "clip.mp4"
    with clip_unit(clip, overwrite=False) as unit:
        folder = unit.folder(aov_folder(clip))
        options = RenderOptions(workers=1, aov=("segmentation",), aov_dir=folder)
        for _ in render_frames(scene, recording, options):
            pass
    ids = json.loads((aov_folder(clip) / "ids.json").read_text())["instance_ids"]
    assert ids == {"0": "world", "1": "ball", "2": "ann", "3": "rex"}
    mask = np.array(Image.open(aov_folder(clip) / "segmentation" / "00003.png"))
    assert (mask == 3).sum() > 30  # the dog is in view with its own id
