"""A motorboat under way leaves a foam streak behind its stern that fades with age; a boat at
rest leaves none (render.wakes)."""

import numpy as np

from worldreel.physics import simulate
from worldreel.render.wakes import WAKE_S, WakePainter
from worldreel.scene import Drive, Entity, Scene, Setting


def test_foam_trails_a_fast_boat_and_not_a_still_one():
    scene = Scene(duration=5.0, setting=Setting(environment="beach", water_level=3.0), entities=[
        Entity(id="fast", asset="motorboat", position=(0.0, 40.0, 0.0)),
        Entity(id="still", asset="rowing_boat", position=(0.0, 30.0, 0.0))],
        actions=[Drive(entity="fast", speed=8.0, at=0.2)])
    recording = simulate(scene)
    painter = WakePainter.of(scene, recording)
    assert painter is not None
    last = len(recording.times) - 1
    patches = painter.patches(float(last))
    assert patches, "a streak behind the motorboat"
    centres = np.array([c for _, c, _, _ in patches])
    alphas = np.array([rgba[3] for _, _, _, rgba in patches])
    boat = recording.trajectory("fast")[last]
    assert np.all(centres[:, 0] < boat[0]), "behind it (it runs along +x)"
    assert np.all(np.abs(centres[:, 1] - 40.0) < 2.0), "not by the dinghy at y = 30"
    assert np.ptp(centres[:, 0]) > 0.5 * 8.0 * WAKE_S * 0.8, "seconds of travel long"
    assert alphas[0] > alphas[-1] > 0.0, "fading with age"
    assert not painter.patches(0.0), "no foam before it moves"


def test_no_painter_without_boats():
    scene = Scene(duration=1.0, setting=Setting(environment="beach"), entities=[
        Entity(id="ball", asset="basketball", position=(0.0, 0.0, 0.2))])
    assert WakePainter.of(scene, simulate(scene)) is None
