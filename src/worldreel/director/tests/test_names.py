"""Named people: a stored look cast by name, and a look read back out of a Scene."""

from __future__ import annotations

import json

import pytest

from worldreel.director import NamedLook, look_of, plan_scene
from worldreel.director.wordnet import wordnet
from worldreel.errors import PromptError, SceneError
from worldreel.scene import scene_to_dict

pytestmark = pytest.mark.skipif(wordnet() is None, reason="needs WordNet (apt: wordnet-base)")

MAYA = NamedLook(name="Maya", body={"age": 27, "gender": 0, "height": 1.62, "skin": "dark"},
                 outfit={"top": "raincoat", "top_color": "#f2c12e", "bottom": "jeans",
                         "shoes": "boots"},
                 hair={"style": "curly", "color": "black"}, voice="espeak:en+f3")
THEO = NamedLook(name="Theo", body={"age": 70, "gender": 1, "weight": 0.7},
                 outfit={"top": "sweater", "hat": "beanie"}, hair={"style": "short",
                                                                  "color": "white"},
                 voice="flite:rms")


def _looks_like(character, look: NamedLook) -> bool:
    return (character.body, character.outfit, character.hair) == (look.body, look.outfit,
                                                                  look.hair)


@pytest.mark.parametrize("prompt", ["Maya waves", "maya waves", "Maya throws the ball to a boy"])
def test_a_named_look_is_cast_with_exactly_its_look(prompt):
    scene = plan_scene(prompt, cast=[MAYA, THEO]).scene
    maya = scene.character("maya")
    assert _looks_like(maya, MAYA)
    assert "theo" not in [c.id for c in scene.characters]
    assert maya.script  # and does what the prompt says


def test_every_line_she_speaks_is_in_her_voice():
    scene = plan_scene('Maya says "good morning" and then says "see you"', cast=[MAYA]).scene
    lines = [line for line in scene.audio.dialogue if line.text]
    assert len(lines) == 2
    assert all(line.speaker == "maya" and line.voice == MAYA.voice for line in lines)


def test_two_named_in_one_prompt_keep_their_own_looks_and_voices():
    scene = plan_scene('Maya says "hi Theo" and Theo says "hello"', cast=[MAYA, THEO]).scene
    assert _looks_like(scene.character("maya"), MAYA)
    assert _looks_like(scene.character("theo"), THEO)
    voices = {line.speaker: line.voice for line in scene.audio.dialogue}
    assert voices == {"maya": MAYA.voice, "theo": THEO.voice}


def test_a_capitalised_name_not_in_the_cast_is_read_as_before():
    for prompt in ("Bob waves", "Bob and a man wave"):
        try:
            without = scene_to_dict(plan_scene(prompt).scene)
        except PromptError as exc:
            with pytest.raises(PromptError, match=str(exc)[:40]):
                plan_scene(prompt, cast=[MAYA])
            continue
        assert scene_to_dict(plan_scene(prompt, cast=[MAYA]).scene) == without


def test_a_name_that_is_also_a_word_is_the_person_only_when_capitalised():
    amber = NamedLook(name="Amber", hair={"color": "red"})
    plan = plan_scene("Amber kicks an amber ball", cast=[amber])
    assert [c.id for c in plan.scene.characters] == ["amber"]
    assert any(e.color is not None for e in plan.scene.entities)  # the ball is amber


def test_a_named_look_survives_json_and_bad_data_names_the_field():
    stored = json.dumps(MAYA.to_dict())
    assert NamedLook.from_dict(json.loads(stored)) == MAYA
    with pytest.raises(SceneError, match="body.age"):
        NamedLook.from_dict({"name": "Maya", "body": {"age": 300}})
    with pytest.raises(SceneError, match="name"):
        NamedLook.from_dict({"name": "Maya Lee"})
    assert NamedLook(name="Zoë").id == "zoe"


def test_the_cast_must_be_named_looks():
    with pytest.raises(PromptError, match="NamedLook"):
        plan_scene("Maya waves", cast=[{"name": "Maya"}])


def test_a_look_read_back_from_a_scene_casts_the_same_person():
    scene = plan_scene('Maya says "hello"', cast=[MAYA]).scene
    assert look_of(scene) == MAYA
    again = look_of(scene, "maya", name="Mia")
    assert again.name == "Mia" and _looks_like(scene.character("maya"), again)
    recast = plan_scene("Mia waves", cast=[again]).scene.character("mia")
    assert _looks_like(recast, MAYA)


def test_a_scene_without_that_person_says_so():
    with pytest.raises(SceneError, match="no people"):
        look_of(plan_scene("a ball drops").scene)
    with pytest.raises(SceneError, match="woman"):
        look_of(plan_scene("a woman waves").scene, "man")
    unnamed = look_of(plan_scene("a woman waves").scene)
    assert unnamed.name == "Woman" and unnamed.voice is None
