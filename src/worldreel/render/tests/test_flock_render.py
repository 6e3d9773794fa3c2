"""Birds and fish as the preview draws them: wings raised and folded as the track says, a fish's
tail bent by its beat, and a camera that can follow a flock."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from worldreel.assets.flocks import species
from worldreel.recording import FlockTrack, Recording
from worldreel.render.birds import FlockPainter, bird_parts, fish_parts
from worldreel.render.camera import plan_camera
from worldreel.scene import scene_from_dict


def _tips(parts):
    return [centre for shape, _, centre, _, colour in parts if colour == "wingtip"]


def test_wings_rise_with_the_wing_angle_and_fold_along_the_body():
    pigeon = species("pigeon")
    up = _tips(bird_parts(pigeon, 1.0, 1.0, standing=False))
    down = _tips(bird_parts(pigeon, -0.8, 1.0, standing=False))
    assert all(tip[2] > 0.1 for tip in up) and all(tip[2] < 0.0 for tip in down)
    spread = _tips(bird_parts(pigeon, 0.0, 1.0, standing=False))
    assert abs(spread[0][1] - spread[1][1]) > 0.8 * pigeon.wingspan_m  # tip to tip: the span
    folded = _tips(bird_parts(pigeon, 0.0, 0.0, standing=True))
    assert all(tip[0] < -0.1 * pigeon.length_m for tip in folded)  # back along the body
    assert all(abs(tip[1]) < 0.1 for tip in folded)
    legs = [p for p in bird_parts(pigeon, 0.0, 0.0, standing=True) if p[4] == "legs"]
    assert len(legs) == 2


def test_a_fish_tail_follows_its_beat():
    carp = species("carp")
    left = [c for _, _, c, _, name in fish_parts(carp, 0.4) if name == "fin"][0]
    right = [c for _, _, c, _, name in fish_parts(carp, -0.4) if name == "fin"][0]
    assert left[1] < -0.05 and right[1] > 0.05 and left[0] < 0


def _flock_recording(n: int = 48) -> Recording:
    t = np.arange(n) / 24.0
    pos = np.zeros((n, 3, 3))
    pos[:, :, 0] = 2.0 * t[:, None] + np.array([0.0, 0.5, 1.0])
    pos[:, :, 2] = 5.0
    quat = np.zeros((n, 3, 4))
    quat[..., 0] = 1.0
    track = FlockTrack("gulls", "seagull", pos, quat, np.zeros((n, 3)), np.ones((n, 3)),
                       np.zeros((n, 3)))
    return Recording(fps=24, oversample=1, duration=n / 24, entity_ids=(), times=t,
                     positions=np.zeros((n, 0, 3)), quaternions=np.zeros((n, 0, 4)),
                     velocities=np.zeros((n, 0, 3)), flocks=(track,))


def test_the_painter_draws_every_member_where_it_is():
    recording = _flock_recording()
    shapes = list(FlockPainter(recording).shapes(10.0))
    centres = np.array([shape[2] for shape in shapes])
    assert len(shapes) >= 3 * 10
    assert np.all(np.abs(centres[:, 2] - 5.0) < 1.0)


def test_a_shot_can_follow_a_flock():
    scene = scene_from_dict({"duration": 2.0, "fps": 24, "flocks": [
        {"id": "gulls", "species": "seagull", "count": 3, "altitude": 5.0}],
        "shots": [{"size": "wide", "subject": "gulls", "move": "track"}]})
    recording = _flock_recording()
    camera = plan_camera(scene, recording)
    middle = recording.flocks[0].positions.mean(axis=1)
    assert np.linalg.norm(camera.targets[-1] - middle[-1]) < 2.0
    assert camera.targets[-1][0] > camera.targets[0][0] + 2.0  # it travels with them


@pytest.mark.slow
def test_the_pigeon_example_plays_into_a_clip_with_birds_seen_and_heard(tmp_path):
    from worldreel.media.contact_sheet import iter_frames  # noqa: PLC0415
    from worldreel.pipeline import PlayOptions, play, with_overrides  # noqa: PLC0415
    from worldreel.scene import load_scene  # noqa: PLC0415

    root = Path(__file__).resolve().parents[4]
    scene = with_overrides(load_scene(root / "examples" / "pigeons_scatter.yaml"),
                           size=(160, 120), seconds=3.5)
    clip = play(scene, tmp_path / "pigeons.mp4", PlayOptions(stems_dir=tmp_path / "stems"))
    track = clip.recording.flock("pigeons")
    assert sum(e.kind == "take_off" for e in track.events) == 24
    import json  # noqa: PLC0415

    audit = json.loads(clip.sidecars["events"].read_text())["flocks"]
    assert sum(e["kind"] == "take_off" and e["flock"] == "pigeons" for e in audit) == 24
    frames = list(iter_frames(clip.path, width=160))
    assert len(frames) == 84
    from scipy.io import wavfile  # noqa: PLC0415

    from worldreel.audio.wings import render_wings  # noqa: PLC0415

    rate, foley = wavfile.read(tmp_path / "stems" / "foley.wav")
    wings, made = render_wings(clip.recording, scene.seed, len(foley))
    assert made > 24
    # the loudest take-off clap (a bird near the camera): there the foley is the wings heard
    claps = [int(round(e.time * rate)) for e in track.events if e.kind == "flap"
             and e.strength >= 0.9]
    start = max(claps, key=lambda s: np.abs(wings[s:s + rate // 25, 0]).max())
    window = slice(start, start + rate // 25)
    assert np.corrcoef(foley[window, 0], wings[window, 0])[0, 1] > 0.8
