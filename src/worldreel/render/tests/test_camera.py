"""Camera maths: framing keeps subjects in view, cuts land on exact frames, lenses round-trip."""

import math

import numpy as np
import pytest

from worldreel.physics import simulate
from worldreel.render import fov_to_focal_length, focal_length_to_fov, plan_camera, shot_of_frames
from worldreel.scene import Entity, Roll, Scene, Setting, Shot, Throw


@pytest.mark.parametrize("focal", [14.0, 24.0, 35.0, 50.0, 85.0, 200.0])
def test_focal_length_and_fov_round_trip(focal):
    assert fov_to_focal_length(focal_length_to_fov(focal)) == pytest.approx(focal)


def test_fifty_mm_is_about_27_degrees_vertical():
    assert focal_length_to_fov(50.0) == pytest.approx(26.99, abs=0.01)


def test_cuts_land_on_the_exact_frame():
    scene = Scene(duration=3.0, fps=24, shots=[Shot(), Shot(start=1.0), Shot(start=2.51)])
    shots = shot_of_frames(scene)
    assert list(np.flatnonzero(np.diff(shots)) + 1) == [24, 61]  # ceil(2.51 * 24) = 61


def _project(track, frame, point, aspect):
    """Normalised image coordinates (-1..1 inside the frame) of a world point."""
    position, target = track.positions[frame], track.targets[frame]
    forward = (target - position) / np.linalg.norm(target - position)
    right = np.cross(forward, [0, 0, 1.0])
    right /= np.linalg.norm(right)
    up = np.cross(right, forward)
    rel = point - position
    depth = rel @ forward
    tan_v = math.tan(math.radians(track.fovy[frame]) / 2)
    return (rel @ right) / depth / (tan_v * aspect), (rel @ up) / depth / tan_v


def _throw_scene(shots):
    return Scene(duration=3.0, resolution=(320, 180), setting=Setting(environment="gym"),
                 entities=[Entity(id="ball", asset="basketball", position=(0, 0, 2.2)),
                           Entity(id="hoop", asset="basketball_hoop", position=(6, 0, 0),
                                  rotation=(0, 0, 180))],
                 actions=[Throw(entity="ball", target="hoop", aim="miss", at=0.2)],
                 shots=shots)


@pytest.mark.parametrize("size", ["close", "medium", "wide"])
def test_tracked_subject_stays_in_frame(size):
    scene = _throw_scene([Shot(subject="ball", move="track", size=size)])
    recording = simulate(scene)
    track = plan_camera(scene, recording)
    aspect = scene.width / scene.height
    for frame, point in enumerate(recording.frame_positions()[:, 0]):
        x, y = _project(track, frame, point, aspect)
        assert abs(x) < 0.9 and abs(y) < 0.9, (frame, x, y)


def test_static_wide_shot_sees_the_whole_action_and_the_hoop():
    scene = _throw_scene([Shot()])
    recording = simulate(scene)
    track = plan_camera(scene, recording)
    assert np.ptp(track.positions, axis=0).max() == 0.0  # a static shot does not move
    aspect = scene.width / scene.height
    for frame, point in enumerate(recording.frame_positions()[:, 0]):
        x, y = _project(track, frame, point, aspect)
        assert abs(x) <= 1.0 and abs(y) <= 1.0
    from worldreel.assets.mujoco_spec import anchor_point

    x, y = _project(track, 0, anchor_point(scene.entity("hoop"), "rim"), aspect)
    assert abs(x) < 1.0 and abs(y) < 1.0


def test_camera_looks_across_the_motion():
    scene = Scene(duration=2.0, resolution=(320, 180),
                  entities=[Entity(id="ball", asset="tennis_ball", position=(0, 0, 0.0335))],
                  actions=[Roll(entity="ball", direction=(1, 0, 0), speed=1.0)])
    recording = simulate(scene)
    track = plan_camera(scene, recording)
    view = track.targets[0] - track.positions[0]
    assert abs(view[0]) < 0.05 * np.linalg.norm(view)  # motion along x, camera looks along y
