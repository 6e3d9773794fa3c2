"""Clocks: absolute action times, and slow motion as a stretched simulation clock."""

import pytest

from worldreel.errors import SceneError
from worldreel.scene import Drop, Entity, Scene, Shot, scene_from_dict
from worldreel.timeline import in_slow_motion, resolve_actions, simulation_scene


def _scene(**kw):
    return Scene(entities=[Entity(id="a", asset="basketball", position=(0, 0, 1)),
                           Entity(id="b", asset="tennis_ball", position=(1, 0, 1))], **kw)


def test_after_chains_add_delays():
    scene = _scene(actions=[Drop(id="first", entity="a", at=0.5),
                            Drop(entity="b", after="first", delay=0.25)])
    assert [t.time for t in resolve_actions(scene)] == [0.5, 0.75]


def test_actions_after_the_end_are_refused():
    scene = _scene(duration=1.0, actions=[Drop(entity="a", at=2.0)])
    with pytest.raises(SceneError, match=r"actions\[0\]: starts at 2 s, after the clip ends"):
        resolve_actions(scene)


def test_cycles_are_refused():
    data = {"entities": [{"id": "a", "asset": "basketball", "position": [0, 0, 1]}],
            "actions": [{"kind": "drop", "id": "x", "entity": "a", "after": "y"},
                        {"kind": "drop", "id": "y", "entity": "a", "after": "x"}]}
    with pytest.raises(SceneError, match="cycle"):
        resolve_actions(scene_from_dict(data))


def test_slow_motion_runs_the_world_slower_on_a_denser_clock():
    scene = in_slow_motion(_scene(duration=2.0, actions=[Drop(entity="a", at=0.5)],
                                  shots=[Shot(), Shot(start=1.0)]), 4)
    assert (scene.duration, scene.slow_motion, scene.actions[0].at) == (8.0, 4, 2.0)
    assert scene.physics_rate % (scene.fps * 4) == 0
    sim = simulation_scene(scene)
    assert (sim.duration, sim.fps, sim.slow_motion) == (2.0, 96, 1)
    assert sim.actions[0].at == 0.5 and sim.shots[1].start == 1.0
    assert sim.frame_count == scene.frame_count  # one simulated sample per clip frame


def test_physics_rate_must_hold_every_slow_motion_sample():
    with pytest.raises(SceneError, match=r"fps x slow_motion \(24 x 7\)"):
        scene_from_dict({"slow_motion": 7})
