"""The director's words for the home and office things (issue #16): what each prompt grounds to
and which way a door or a bell is set swinging."""

from __future__ import annotations

import numpy as np
import pytest

from worldreel.director import plan_scene
from worldreel.scene import Drop, Push


def _plan(prompt: str):
    result = plan_scene(prompt)
    return result.scene, [w for w in result.warnings if "not grounded" in w]


@pytest.mark.parametrize("prompt, asset", [
    ("a book falls off the table", "book"), ("a hardcover book falls off the table", "book"),
    ("a phone drops on the floor", "phone"), ("a cellphone falls", "phone"),
    ("a smartphone falls off the desk", "phone"), ("a laptop falls off the table", "laptop"),
    ("a notebook computer falls off the desk", "laptop"), ("a wall clock", "clock"),
    ("a church bell rings", "bell"), ("the door opens", "door"),
])
def test_home_things_are_grounded_by_name(prompt, asset):
    scene, ungrounded = _plan(prompt)
    assert asset in {e.asset for e in scene.entities} and not ungrounded


def test_a_phone_drops_and_falls_to_the_floor():
    scene, _ = _plan("a phone drops on the floor")
    assert any(isinstance(a, Drop) and a.entity == "phone" for a in scene.actions)


def _leaf_swing(scene) -> tuple[float, float]:
    """(+1 opens, -1 shuts) and the speed of the push on the door."""
    from worldreel.assets import ASSETS

    push = next(a for a in scene.actions if isinstance(a, Push))
    leaf = ASSETS["door"].links[0]
    angle = np.radians(leaf.angle)
    centre = np.array(leaf.parts[0].pos)
    lever = np.array([centre[0] * np.cos(angle) - centre[1] * np.sin(angle),
                      centre[0] * np.sin(angle) + centre[1] * np.cos(angle), 0.0])
    opening = np.cross([0.0, 0.0, 1.0], lever)
    return float(np.sign(np.dot(push.direction, opening))), push.speed


@pytest.mark.parametrize("prompt, way, hard", [
    ("the door opens", 1.0, False), ("the door swings open", 1.0, False),
    ("a door slams", -1.0, True), ("the door slams shut", -1.0, True),
    ("the door closes", -1.0, False), ("a woman shuts the door", -1.0, False),
])
def test_door_words_swing_the_leaf_their_way(prompt, way, hard):
    scene, ungrounded = _plan(prompt)
    sign, speed = _leaf_swing(scene)
    assert sign == way and not ungrounded
    assert (speed > 1.0) == hard  # a slam is thrown, a door opened by hand swings gently


def test_a_phone_does_not_ring_but_a_bell_does():
    scene, ungrounded = _plan("a phone rings")
    assert not scene.actions and ungrounded  # no ringtone to play: said, not faked
    scene, ungrounded = _plan("the bell rings")
    assert any(isinstance(a, Push) and a.entity == "bell" for a in scene.actions)


def test_a_ball_still_slams_into_a_wall():
    scene, _ = _plan("a ball slams into the wall")
    assert not any(e.asset == "door" for e in scene.entities)
    assert scene.actions and scene.actions[0].kind in ("roll", "throw", "push")
