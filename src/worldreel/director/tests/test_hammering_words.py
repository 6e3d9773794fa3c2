"""Hammering a nail: the hammer, the nail standing in a board and the blows, from the words."""

import pytest

from worldreel.director.plan import plan_scene
from worldreel.director.tests.helpers import one
from worldreel.scene import Hammer


def _plan(prompt):
    return plan_scene(prompt)


@pytest.mark.parametrize("prompt,blows", [
    ("a claw hammer pounds a steel nail into a plank with a few blows", 3),
    ("the hammer strikes a nail in a block of wood five times", 5),
    ("a hammer hammers a nail into the board in 2 blows", 2),
    ("a hammer hits a nail twice", 2),
    ("a hammer drives a nail", 3),
])
def test_a_hammer_swings_at_a_nail_standing_in_a_board_as_often_as_told(prompt, blows):
    plan = _plan(prompt)
    scene = plan.scene
    hammer, nail, board = (one(scene, a) for a in ("hammer", "nail", "board"))
    (action,) = scene.actions
    assert isinstance(action, Hammer)
    assert (action.entity, action.target, action.blows) == (hammer.id, nail.id, blows)
    top = board.position[2] + 0.076
    assert nail.position[2] < top < nail.position[2] + 0.0762  # standing in it, head above
    assert hammer.position[2] > top  # held above, not lying on the floor
    assert scene.shots[0].size == "close" and scene.shots[0].subject == hammer.id
    missing = [g.text for g in plan.grounding if g.status != "grounded"]
    assert missing == [], missing


def test_hammering_with_no_hammer_named_brings_one():
    scene = _plan("hammering a nail into a plank three times").scene
    (action,) = scene.actions
    assert isinstance(action, Hammer) and action.blows == 3
    assert one(scene, "hammer").id == action.entity


def test_a_hammer_in_a_sentence_without_a_nail_is_still_a_hammer():
    scene = _plan("a hammer falls onto a table").scene
    assert not any(isinstance(a, Hammer) for a in scene.actions)
    assert one(scene, "hammer")
