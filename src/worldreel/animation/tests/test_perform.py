"""Scripts played out: every action starts on its time, planted feet do not slide, nothing sinks
into the floor or the seat, and scripts a body cannot play are refused with the reason."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

from worldreel.animation import animate, step_durations
from worldreel.assets.people import body_of
from worldreel.assets.people.skin import posed_vertices
from worldreel.errors import SceneError
from worldreel.physics import simulate
from worldreel.scene import Scene, scene_from_dict, scene_to_dict
from worldreel.timeline import resolve_scripts

FOUR = {
    "duration": 9.0, "fps": 24,
    "characters": [
        {"id": "ann", "body": {"age": 34, "gender": 0}, "position": [0, 0],
         "script": [{"id": "hello", "do": "wave", "at": 0.5}, {"do": "nod", "delay": 0.3},
                    {"do": "clap", "duration": 1.0}]},
        {"id": "bob", "body": {"age": 70, "gender": 1}, "position": [1.5, 1.0], "facing": 180,
         "script": [{"do": "shrug", "after": "hello", "delay": 0.25},
                    {"do": "point", "target": "ann"}, {"do": "walk", "place": [2.5, 1.0]}]},
        {"id": "cy", "body": {"age": 9, "gender": 1}, "position": [-1.5, 1.0], "facing": -30,
         "script": [{"do": "walk", "place": [-0.5, 1.6], "at": 1.0},
                    {"do": "shake_head"}]},
        {"id": "di", "body": {"age": 25, "gender": 0}, "position": [-1.0, -1.4], "facing": 45,
         "script": [{"do": "talk", "at": 0.8, "duration": 1.5}, {"do": "wave", "target": "cy"},
                    {"do": "look_at", "target": "bob", "duration": 1.0}]},
    ],
}


def _without_steps_from(scene: Scene, timed: dict, who: str, first: int) -> Scene:
    """The same scene with `who`'s steps from `first` on put off to the clip's last instant,
    and everyone else's steps pinned to the times they had (so nothing else moves)."""
    copy = scene_to_dict(scene)
    for character in copy["characters"]:
        for k, step in enumerate(character["script"]):
            if character["id"] != who:
                step.update(at=timed[character["id"]][k].start, after=None, delay=0.0)
            elif k >= first:
                step.update(at=copy["duration"] - 0.001, after=None, delay=0.0)
    return scene_from_dict(copy)


def test_four_people_start_every_action_within_a_frame_of_its_time():
    scene = scene_from_dict(FOUR)
    recording = simulate(scene)
    timed = resolve_scripts(scene, step_durations(scene))
    frame = 1.0 / scene.fps
    checked = 0
    for track in recording.characters:
        for step in timed[track.id]:
            if step.start > recording.times[-1]:
                continue  # starts after the last frame: nothing to see
            before = animate(_without_steps_from(scene, timed, track.id, step.index))[track.id]
            pos, _, _ = before.at(recording.times)
            moved = np.linalg.norm(track.bone_positions - pos, axis=2).max(axis=1) > 1e-7  # any motion at all
            onset = recording.times[np.flatnonzero(moved)[0]]
            assert abs(onset - step.start) <= frame + 1e-9, (track.id, step.step.do, onset,
                                                             step.start)
            checked += 1
    assert checked >= 8 and all(len(c.script) >= 2 for c in scene.characters)


def _sole_points(body):
    """Rest-frame points under the heel and the ball of each foot (on the floor at rest)."""
    skeleton = body.skeleton
    points = {}
    for side in ("l", "r"):
        ankle = skeleton.heads[skeleton.index(f"foot_{side}")]
        toes = skeleton.heads[skeleton.index(f"ball_{side}")]
        points[f"foot_{side}"] = np.array([[ankle[0] - 0.03, ankle[1], 0.0],
                                           [toes[0], toes[1], 0.0]])
    return points


def test_walking_feet_stay_planted_and_nothing_sinks_into_the_floor():
    scene = scene_from_dict({
        "duration": 8.0, "characters": [{
            "id": "ann", "body": {"age": 40, "gender": 1},
            "script": [{"do": "walk", "place": [2.5, 0.0]}, {"do": "turn", "place": [2.5, 3]},
                       {"do": "run", "place": [2.5, 6.0]}]}]})
    performance = animate(scene)["ann"]
    body = body_of(scene.characters[0].body)
    skeleton = body.skeleton
    worst_slide = 0.0
    for foot, rest in _sole_points(body).items():
        k = skeleton.index(foot)
        turn = Rotation.from_quat(performance.quaternions[:, k][:, [1, 2, 3, 0]])
        world = np.stack([turn.apply(np.repeat((p - skeleton.heads[k])[None], len(turn), 0))
                          + performance.positions[:, k] for p in rest], axis=1)
        for point in range(2):
            z = world[:, point, 2]
            down = z < 0.005
            edges = np.flatnonzero(np.diff(np.concatenate([[0], down.astype(int), [0]])))
            for a, b in zip(edges[::2], edges[1::2]):
                xy = world[a:b, point, :2]
                worst_slide = max(worst_slide, float(np.linalg.norm(xy - xy[0], axis=1).max()))
    assert worst_slide < 0.02
    lowest = min(posed_vertices(body, performance.positions[i], performance.quaternions[i],
                                np.arange(13380))[:, 2].min()
                 for i in range(0, len(performance.positions), 6))
    assert lowest > -0.01


def test_a_seated_body_rests_on_the_seat_not_inside_it():
    scene = scene_from_dict({
        "duration": 8.0,
        "entities": [{"id": "chair", "asset": "chair", "position": [0.9, 0, 0]}],
        "characters": [{"id": "ann", "body": {"age": 30, "gender": 0},
                        "script": [{"do": "sit", "target": "chair"}]}]})
    performance = animate(scene)["ann"]
    body = body_of(scene.characters[0].body)
    seat = _seat_height(scene)
    # the seat: a 0.44 m square slab 0.04 m thick whose top is the chair's "top" anchor
    lo, hi = np.array([0.9 - 0.22, -0.22, seat - 0.04]), np.array([0.9 + 0.22, 0.22, seat])
    for i in range(len(performance.positions) - 48, len(performance.positions), 12):
        skin = posed_vertices(body, performance.positions[i], performance.quaternions[i],
                              np.arange(13380))
        above = np.all((skin[:, :2] > lo[:2]) & (skin[:, :2] < hi[:2]), axis=1)
        inside = above & (skin[:, 2] > lo[2]) & (skin[:, 2] < hi[2] - 0.01)
        assert not inside.any(), f"{inside.sum()} points over 1 cm into the seat"
        resting = above & (skin[:, 2] >= hi[2] - 0.01) & (skin[:, 2] < hi[2] + 0.02)
        assert resting.sum() > 20  # a patch of skin rests on it: the seat carries the body


def _seat_height(scene: Scene) -> float:
    from worldreel.animation.script import seat_height

    return seat_height(scene.entity("chair"))


@pytest.mark.parametrize("script,needle", [
    ([{"do": "sit"}], "no seat within"),
    ([{"do": "throw", "target": "ball"}], "holds nothing to throw"),
    ([{"do": "pick_up", "target": "table"}], "cannot be picked up"),
    ([{"do": "lie_down"}, {"do": "walk", "place": [2, 0]}], "must stand up (do: get_up)"),
])
def test_what_a_body_cannot_do_is_refused_with_the_reason(script, needle):
    scene = scene_from_dict({
        "duration": 8.0,
        "entities": [{"id": "ball", "asset": "tennis_ball", "position": [3, 0, 0.033]},
                     {"id": "table", "asset": "table", "position": [-3, 0, 0]}],
        "characters": [{"id": "ann", "script": script}]})
    with pytest.raises(SceneError, match=needle.replace("(", r"\(").replace(")", r"\)")):
        animate(scene)


def test_planning_a_performance_does_not_import_mujoco():
    """MuJoCo picks its OpenGL backend when first imported: a server that plans before it
    renders must not import it on the way (riding's IK is imported only when solving), or
    its render workers start on a backend that crashes headless."""
    import subprocess
    import sys

    code = ("import sys, worldreel.animation.perform, worldreel.physics.riders; "
            "print('mujoco' in sys.modules)")
    env = {k: v for k, v in __import__("os").environ.items() if k != "MUJOCO_GL"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                         check=True)
    assert out.stdout.strip() == "False"
