"""An aircraft hundreds of metres up is drawn: inside the far clip plane, not lost in the haze,
seen by a follow shot from the ground."""

import numpy as np
from scipy.ndimage import gaussian_filter

from worldreel.physics import simulate
from worldreel.render import RenderOptions, plan_camera, render_frames
from worldreel.render.preview import FAR_M, sky_reach_m
from worldreel.scene import Entity, Scene, Setting, Shot


def test_a_plane_500_m_up_is_drawn_against_the_sky():
    scene = Scene(duration=0.25, fps=24, resolution=(160, 96),
                  setting=Setting(environment="park"),
                  entities=[Entity(id="jet", asset="airliner", position=(-100.0, 60.0, 500.0),
                                   velocity=(80.0, 0.0, 0.0))],
                  shots=[Shot(size="extreme_wide", subject="jet", move="follow", lens=200.0)])
    recording = simulate(scene)
    recording = recording.with_camera(plan_camera(scene, recording))
    assert recording.camera.positions[:, 2].max() < 2.0  # watched from the ground
    assert sky_reach_m(scene) > FAR_M  # beyond the far plane the preview keeps without it
    frame = next(iter(render_frames(scene, recording, RenderOptions(workers=1))))
    # what stands out of the smooth sky (its gradient and the vignette are smooth): the plane
    # (without the far plane and the haze reaching it, nothing: measured 0 pixels)
    image = frame.astype(float).sum(axis=2)
    sharp = np.abs(image - gaussian_filter(image, 6.0)) > 40.0
    assert 20 < sharp.sum() < 0.2 * sharp.size
