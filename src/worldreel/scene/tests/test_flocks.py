"""Flocks in a Scene: what a hand-written flock may say, and the one clear message for each
mistake."""

from __future__ import annotations

import pytest

from worldreel.errors import SceneError
from worldreel.scene import FLOCK_SPECIES, scene_from_dict, scene_to_dict
from worldreel.scene.limits import MAX_FLOCK, MAX_FLOCKS
from worldreel.timeline import in_slow_motion, resolve_flocks


def _scene(*flocks, **extra):
    return scene_from_dict({"flocks": list(flocks), **extra})


def test_a_flock_round_trips_and_its_steps_are_timed():
    scene = _scene({"id": "pigeons", "species": "pigeon", "count": 20,
                    "script": [{"id": "up", "do": "take_off", "at": 1.0},
                               {"do": "circle", "after": "up", "delay": 0.5, "duration": 2.0},
                               {"do": "land", "place": [3.0, 0.0]}]}, duration=8.0)
    assert scene_from_dict(scene_to_dict(scene)) == scene
    steps = resolve_flocks(scene)["pigeons"]
    assert [(s.start, s.end) for s in steps] == [(1.0, 1.0), (1.5, 3.5), (3.5, 3.5)]
    # filmed twice as slow: every flock time doubles on the clip's clock
    slow = resolve_flocks(in_slow_motion(scene, 2))["pigeons"]
    assert [s.start for s in slow] == [2.0, 3.0, 7.0]


def test_an_action_may_wait_for_the_flock():
    scene = _scene({"id": "gulls", "species": "seagull",
                    "script": [{"id": "off", "do": "take_off", "at": 2.0}]},
                   entities=[{"id": "ball", "asset": "ball"}],
                   actions=[{"kind": "kick", "entity": "ball", "after": "off"}])
    assert scene.actions[0].after == "off"


@pytest.mark.parametrize("flock, message", [
    ({"id": "f", "species": "eagle"}, "flocks[0].species"),
    ({"id": "f", "species": "pigeon", "count": 0}, "flocks[0].count"),
    ({"id": "f", "species": "pigeon", "count": MAX_FLOCK + 1}, "flocks[0].count"),
    ({"id": "f", "species": "pigeon", "script": [{"do": "land", "after": "nope"}]},
     "flocks[0].script[0].after 'nope' is not an action"),
    ({"id": "f", "species": "pigeon", "script": [{"do": "scatter", "target": "car"}]},
     "target 'car' is not an entity or character"),
    ({"id": "f", "species": "pigeon", "script": [{"do": "swim"}]}, "a pigeon cannot swim"),
    ({"id": "f", "species": "goldfish", "script": [{"do": "take_off"}]},
     "a goldfish cannot take_off"),
    ({"id": "f", "species": "sparrow", "script": [{"do": "fly_to"}]}, "fly_to needs a place"),
    ({"id": "f", "species": "carp"}, "carp need water; set setting.water_level"),
    ({"id": "f", "species": "pigeon", "script": [{"do": "land", "at": 9.0}]},
     "starts at 9 s, after the clip ends"),
])
def test_each_mistake_is_named(flock, message):
    with pytest.raises(SceneError, match=message.replace("[", r"\[").replace("]", r"\]")):
        scene = _scene(flock)
        resolve_flocks(scene)


def test_ids_are_shared_with_entities_and_characters():
    with pytest.raises(SceneError, match="'ball' is already used"):
        _scene({"id": "ball", "species": "crow"}, entities=[{"id": "ball", "asset": "ball"}])
    with pytest.raises(SceneError, match="at most"):
        _scene(*[{"id": f"f{k}", "species": "crow"} for k in range(MAX_FLOCKS + 1)])


def test_fish_in_a_pond_are_fine():
    scene = _scene({"id": "koi", "species": "carp", "count": 5}, setting={"water_level": 0.8})
    assert scene.flocks[0].is_fish and "carp" in FLOCK_SPECIES
