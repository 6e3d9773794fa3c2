"""A hammer action is validated like every other: each bad field named with its path."""

import pytest

from worldreel.errors import SceneError
from worldreel.scene import Hammer, scene_from_dict

_ENTITIES = [{"id": "hammer", "asset": "hammer", "position": [0, 0, 0.3]},
             {"id": "nail", "asset": "nail", "position": [0.1, 0, 0.056]},
             {"id": "board", "asset": "board"}]


def _scene(**action):
    return scene_from_dict({"entities": _ENTITIES,
                            "actions": [{"kind": "hammer", "entity": "hammer",
                                         "target": "nail", **action}]})


def test_a_hammer_action_reads_with_its_defaults():
    (action,) = _scene().actions
    assert isinstance(action, Hammer)
    assert (action.blows, action.interval, action.speed) == (3, 0.8, 5.0)


@pytest.mark.parametrize("field,value,needle", [
    ("blows", 0, r"actions\[0\]\.blows: Input should be greater than or equal to 1"),
    ("blows", 500, r"actions\[0\]\.blows: Input should be less than or equal to 20"),
    ("interval", 0.01, r"actions\[0\]\.interval: Input should be greater than or equal"),
    ("speed", 80.0, r"actions\[0\]\.speed: Input should be less than or equal to 10"),
])
def test_bad_hammer_fields_are_named(field, value, needle):
    with pytest.raises(SceneError, match=needle):
        _scene(**{field: value})


def test_the_target_must_be_an_entity():
    with pytest.raises(SceneError, match=r"actions\[0\]\.target 'thumb' is not an entity id"):
        _scene(target="thumb")


def test_a_hammer_cannot_strike_itself():
    with pytest.raises(SceneError, match="cannot strike itself"):
        _scene(target="hammer")
