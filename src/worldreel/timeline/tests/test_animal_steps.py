"""Animals' script steps on the timeline: after-links both ways between people and animals."""

from __future__ import annotations

import pytest

from worldreel.animation import step_durations
from worldreel.errors import SceneError
from worldreel.scene import Animal, AnimalAction, Character, CharacterAction, Entity, Scene
from worldreel.timeline import resolve_scripts


def _scene(dog_script, person_script, duration=12.0) -> Scene:
    return Scene(duration=duration,
                 entities=(Entity(id="ball", asset="tennis_ball", position=(0.3, 0.3, 1.0)),),
                 characters=(Character(id="sam", holds="ball", script=person_script),),
                 animals=(Animal(id="rex", species="dog", position=(3.0, 0.0), facing=180.0,
                                 script=dog_script),))


def test_a_throw_waits_for_the_dog_to_sit_and_the_catch_for_the_throw():
    scene = _scene((AnimalAction(id="sits", do="sit", at=0.5),
                    AnimalAction(id="waits", do="catch", target="ball", after="aim")),
                   (CharacterAction(id="aim", do="throw", target="rex", after="sits"),))
    steps = resolve_scripts(scene, step_durations(scene))
    sit, catch = steps["rex"]
    throw, = steps["sam"]
    assert sit.start == 0.5 and sit.end > sit.start
    assert throw.start == pytest.approx(sit.end)
    assert catch.start == pytest.approx(throw.end)


def test_a_walk_lasts_as_long_as_its_distance_at_the_gait():
    scene = _scene((AnimalAction(do="walk", place=(15.0, 0.0)),), ())
    walk, = resolve_scripts(scene, step_durations(scene))["rex"]
    # 12 m at a labrador's 1.2 m/s walk, with time to turn round and to speed up and slow down
    assert 10.0 < walk.end - walk.start < 12.0


def test_an_animal_step_after_the_clip_is_named_by_its_path():
    scene = _scene((AnimalAction(do="idle", at=1.0, duration=5.0), AnimalAction(do="sit")), (),
                   duration=4.0)
    with pytest.raises(SceneError, match="animals\\[0\\].script\\[1\\] \\(sit\\)"):
        resolve_scripts(scene, step_durations(scene))


def test_a_cycle_through_an_animal_is_refused():
    scene = _scene((AnimalAction(id="a", do="sit", after="b"),),
                   (CharacterAction(id="b", do="wave", after="a"),))
    with pytest.raises(SceneError, match="cycle"):
        resolve_scripts(scene, step_durations(scene))
