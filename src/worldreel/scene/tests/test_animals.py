"""Animals in a Scene: validated with one clear message, unique ids, known targets and links,
speakers of their own lines, and a YAML round trip."""

from __future__ import annotations

import pytest

from worldreel.errors import SceneError
from worldreel.scene import (Animal, AnimalAction, Character, CharacterAction, Entity, Line,
                             Scene, Shot, scene_from_dict, scene_from_text, scene_to_yaml)


def _scene(**animal) -> dict:
    animal.setdefault("id", "rex")
    animal.setdefault("species", "dog")
    return {"animals": [animal]}


@pytest.mark.parametrize("animal,message", [
    ({"species": "unicorn"}, "animals\\[0\\].species: Input should be 'dog', .* or 'giraffe'"),
    ({"breed": "pug"}, "breed 'pug' is not a dog breed; choose labrador"),
    ({"species": "cat", "breed": "labrador"}, "a cat has no breeds here"),
    ({"script": [{"do": "fly"}]}, "animals\\[0\\].script\\[0\\].do: .*'fetch', 'catch'"),
    ({"script": [{"do": "fetch"}]}, "fetch needs a target"),
    ({"size": 5.0}, "animals\\[0\\].size: Input should be less than or equal to 2"),
    ({"coat": "#12345"}, "coat '#12345': a colour is written #rrggbb"),
    ({"script": [{"do": "chase", "target": "ghost"}]},
     "animals\\[0\\].script\\[0\\].target 'ghost' is not an entity, character or animal id"),
    ({"script": [{"do": "jump", "after": "nothing"}]},
     "animals\\[0\\].script\\[0\\].after 'nothing' is not an action id"),
    ({"script": [{"do": "chase", "target": "rex"}]}, "'rex' cannot chase itself"),
    ({"script": [{"do": "fetch", "target": "rex"}]},
     "an animal can fetch only a thing \\(an entity id\\), not 'rex'"),
])
def test_a_bad_animal_is_refused_with_one_clear_message(animal, message):
    with pytest.raises(SceneError, match=message):
        scene_from_dict(_scene(**animal))


def test_ids_are_unique_across_things_people_and_animals():
    data = _scene()
    data["characters"] = [{"id": "rex"}]
    with pytest.raises(SceneError, match="entity, character and animal ids must be unique; "
                                         "repeated: rex"):
        scene_from_dict(data)


def test_animals_are_speakers_listeners_targets_and_subjects():
    scene = Scene(
        entities=(Entity(id="ball", asset="tennis_ball"),),
        characters=(Character(id="sam", holds="ball", script=(
            CharacterAction(id="toss", do="throw", target="rex"),)),),
        animals=(Animal(id="rex", species="dog", script=(
            AnimalAction(id="wait", do="sit"),
            AnimalAction(do="catch", target="ball", after="toss"))),),
        audio={"dialogue": [Line(sound="laugh", speaker="rex"),
                            Line(text="Good boy!", speaker="sam", to="rex")]},
        shots=(Shot(subject="rex"),))
    assert scene.animal("rex").species == "dog"
    again = scene_from_text(scene_to_yaml(scene))
    assert again == scene


def test_a_breed_and_a_size_round_trip():
    scene = Scene(animals=(Animal(id="bella", species="dog", breed="dachshund", size=0.8,
                                  coat="red", position=(1.0, 2.0), facing=90.0),))
    assert scene_from_text(scene_to_yaml(scene)).animals[0] == scene.animals[0]


def test_more_animals_than_the_limit_are_refused():
    data = {"animals": [{"id": f"a{n}", "species": "sheep"} for n in range(21)]}
    with pytest.raises(SceneError, match="animals"):
        scene_from_dict(data)
