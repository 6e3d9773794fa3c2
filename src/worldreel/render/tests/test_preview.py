"""Preview renderer: frames in order and of the right size, AOVs with stable ids, options checked."""

import json

import numpy as np
import pytest
from PIL import Image

from worldreel.errors import RenderError
from worldreel.physics import simulate
from worldreel.render import RenderOptions, plan_camera, render_frames
from worldreel.media.staging import clip_unit
from worldreel.render.aov import aov_folder
from worldreel.render.preview import _cut_dressing, _segment_hits_box
from worldreel.scene import Entity, Scene, Setting, Shot, Throw


def _scene(**setting) -> Scene:
    return Scene(duration=0.5, fps=24, resolution=(160, 96), setting=Setting(environment="gym",
                                                                              **setting),
                 entities=[Entity(id="ball", asset="basketball", position=(0, 0, 2.2)),
                           Entity(id="hoop", asset="basketball_hoop", position=(6, 0, 0),
                                  rotation=(0, 0, 180))],
                 actions=[Throw(entity="ball", target="hoop", aim="miss", at=0.0)],
                 shots=[Shot(), Shot(start=0.25, size="close", subject="ball", move="track")])


def _played(scene):
    recording = simulate(scene)
    return recording.with_camera(plan_camera(scene, recording))


def test_frames_come_in_order_with_the_clip_size():
    scene = _scene()
    frames = list(render_frames(scene, _played(scene), RenderOptions(workers=2)))
    assert len(frames) == scene.frame_count
    assert all(f.shape == (96, 160, 3) and f.dtype == np.uint8 for f in frames)
    assert np.mean(frames[0]) > 60  # lit, not a black frame
    # The cut to the close shot changes the picture on exactly its frame.
    diffs = [np.abs(frames[i + 1].astype(int) - frames[i]).mean() for i in range(len(frames) - 1)]
    assert int(np.argmax(diffs)) + 1 == 6


def test_aovs_hold_depth_in_mm_and_the_same_id_for_each_entity(tmp_path):
    scene = _scene()
    recording = _played(scene)
    clip = tmp_path / "clip.mp4"
    with clip_unit(clip, overwrite=False) as unit:
        folder = unit.folder(aov_folder(clip))
        options = RenderOptions(workers=1, aov=("depth", "segmentation"), aov_dir=folder)
        for _ in render_frames(scene, recording, options):
            pass
    final = aov_folder(clip)
    ids = json.loads((final / "ids.json").read_text())["instance_ids"]
    assert ids == {"0": "world", "1": recording.entity_ids[0], "2": recording.entity_ids[1]}
    ball_id = 1 + recording.entity_ids.index("ball")
    for frame in range(scene.frame_count):
        seg = np.array(Image.open(final / "segmentation" / f"{frame:05d}.png"))
        depth = np.array(Image.open(final / "depth" / f"{frame:05d}.png"))
        assert seg.dtype == np.uint8 and depth.dtype == np.uint16
        assert set(np.unique(seg)) <= {0, 1, 2}
        assert (seg == ball_id).any()  # the ball is in view on every frame, with its own id
        # The ball is nearer than the floor around it, in millimetres.
        ball_mm = np.median(depth[seg == ball_id])
        camera = recording.camera
        ball = recording.frame_positions()[frame, recording.entity_ids.index("ball")]
        distance = np.linalg.norm(ball - camera.positions[frame])
        assert abs(ball_mm / 1000 - distance) < 0.35 * distance
    assert list(tmp_path.iterdir()) == [final]  # the staging folder is gone


def test_a_person_has_an_instance_id_of_their_own(tmp_path):
    from worldreel.animation import animate
    from worldreel.scene import scene_from_dict

    scene = scene_from_dict({
        "duration": 0.25, "resolution": [96, 64],
        "entities": [{"id": "ball", "asset": "basketball", "position": [0, 0, 1]}],
        "characters": [{"id": "ann", "position": [-1.0, 0.5], "facing": 0}]})
    recording = simulate(scene, performances=animate(scene, ()))
    recording = recording.with_camera(plan_camera(scene, recording))
    clip = tmp_path / "clip.mp4"
    with clip_unit(clip, overwrite=False) as unit:
        folder = unit.folder(aov_folder(clip))
        options = RenderOptions(workers=1, aov=("segmentation",), aov_dir=folder)
        for _ in render_frames(scene, recording, options):
            pass
    ids = json.loads((aov_folder(clip) / "ids.json").read_text())["instance_ids"]
    assert ids == {"0": "world", "1": "ball", "2": "ann"}
    mask = np.array(Image.open(aov_folder(clip) / "segmentation" / "00003.png"))
    assert (mask == 2).sum() > 50  # the person is in view, drawn with their own id


def test_a_failed_render_leaves_no_aov_folder(tmp_path):
    clip = tmp_path / "clip.mp4"
    with pytest.raises(KeyboardInterrupt):
        with clip_unit(clip, overwrite=False) as unit:
            (unit.folder(aov_folder(clip)) / "depth").mkdir()
            raise KeyboardInterrupt
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("bad", [dict(aov=("normals",), aov_dir="x"), dict(aov=("depth",)),
                                 dict(shadows="soft"), dict(motion_blur=0)])
def test_bad_render_options_are_refused(bad):
    with pytest.raises(RenderError):
        RenderOptions(**bad)


@pytest.mark.parametrize("setting", [dict(grade="noir"), dict(weather="snow"),
                                     dict(time_of_day="night", grade="vintage")])
def test_looks_render(setting):
    scene = _scene(**setting)
    frames = list(render_frames(scene, _played(scene), RenderOptions(workers=1, motion_blur=2)))
    if setting.get("grade") == "noir":
        f = frames[3].astype(int)
        assert np.abs(f[..., 0] - f[..., 1]).max() <= 12  # black and white (grain aside)
    assert len(frames) == scene.frame_count


def test_look_and_camera_fields_round_trip_through_yaml():
    from worldreel.scene import scene_to_yaml
    from worldreel.scene.io import scene_from_text

    scene = Scene(setting=Setting(environment="beach", grade="noir", weather="rain",
                                  time_of_day="golden_hour", exposure=0.5),
                  shots=[Shot(), Shot(start=1.0, size="over_shoulder", move="orbit", lens=35,
                                      shake=0.3, framing="center")])
    text = scene_to_yaml(scene)
    assert scene_from_text(text) == scene
    assert scene_to_yaml(scene_from_text(text)) == text


def test_set_dressing_in_front_of_a_thing_is_cut_for_the_whole_shot():
    """A desk between the camera and the ball, though off the centre of the frame, is cut away
    for the shot (it would hide the action); one beside the camera's view stays."""
    scene = Scene(duration=1.0, fps=24, resolution=(160, 96),
                  setting=Setting(environment="classroom"),
                  entities=[Entity(id="ball", asset="tennis_ball", position=(0.8, 0, 0.0335)),
                            Entity(id="crate", asset="crate", position=(-0.8, 0, 0.25))],
                  shots=[Shot(size="wide")])
    recording = _played(scene)
    camera = recording.camera
    ball = recording.frame_positions()[10, recording.entity_ids.index("ball")]
    between = 0.5 * (camera.positions[10] + ball)
    half = np.array([0.1, 0.1, 0.1])
    aside = camera.positions[10] + np.array([0.0, 0.0, 3.0])  # far above the camera
    cut = _cut_dressing(recording, [(1, between - half, between + half),
                                    (2, aside - half, aside + half)])
    assert cut == {0: frozenset({1})}
    # ... and it is off the line to the frame's centre, which alone used to decide
    assert not _segment_hits_box(camera.positions[10], camera.targets[10], between - half,
                                 between + half)
