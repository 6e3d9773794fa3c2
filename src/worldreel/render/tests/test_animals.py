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
