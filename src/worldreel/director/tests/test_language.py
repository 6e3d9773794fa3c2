"""Lexicon and parser: the pieces of English the planner relies on."""

from __future__ import annotations

import pytest

from worldreel.director import lexicon, plan_scene
from worldreel.director.parser import parse


@pytest.mark.parametrize("word, base", [
    ("balls", "ball"), ("dropped", "drop"), ("rolling", "roll"), ("falls", "fall"),
    ("fell", "fall"), ("thrown", "throw"), ("bounces", "bounce"), ("bouncing", "bounce"),
    ("boxes", "box"), ("dominoes", "domino"), ("placed", "place"), ("evening", "evening"),
])
def test_lemmas(word, base):
    assert lexicon.lemma(word) == base


def test_registry_names_and_aliases_are_words():
    """A prop is understood as soon as it is registered (if this director can stage it)."""
    from worldreel.assets import ASSETS, ENVIRONMENTS

    def key(phrase: str) -> tuple[str, ...]:
        return tuple(lexicon.lemma(w) for w in phrase.replace("-", " ").split())

    for name, spec in ASSETS.items():
        if not lexicon.stageable(name):
            continue
        for phrase in (name.replace("_", " "), *spec.aliases):
            kinds = {e.kind for e in lexicon.lookup(key(phrase))}
            assert kinds & {"object", "not_object"}, phrase
    for name in ENVIRONMENTS:
        assert any(e.kind == "setting" for e in lexicon.lookup(key(name.replace("_", " "))))


def test_noun_phrases_collect_counts_colours_materials_sizes():
    (np,) = [n for n in parse("three small red wooden balls roll").nouns]
    assert np.count == 3 and np.colors[0][0] == lexicon.COLORS["red"]
    assert np.material[0] == "wood" and np.scale[0] < 1.0


def test_row_of_n():
    (np,) = parse("a row of 12 dominoes").nouns
    assert np.count == 12 and np.arrangement[0] == "row"


def test_subjects_carry_over_coordinated_verbs():
    verbs = parse("a ball falls from a height, hits the ground, and bounces").verbs
    assert [v.motion for v in verbs] == ["drop", "hit", "bounce"]
    assert all(v.subjects and v.subjects[0].head.words == ("ball",) for v in verbs)


def test_passive_and_agent():
    (verb,) = parse("the crate is pushed by a ball").verbs
    assert verb.passive and verb.agent is not None and verb.agent.head.words == ("ball",)


@pytest.mark.parametrize("prompt", ["a ball gown", "a cotton ball", "a ball of yarn",
                                    "a basket of flowers", "a fishing net"])
def test_idioms_are_not_props(prompt):
    from worldreel.errors import PromptError

    with pytest.raises(PromptError):
        plan_scene(prompt)


def test_what_is_in_a_basket_is_shown_but_not_the_basket():
    """Apples are props of their own (#16); the basket they are in is no basketball hoop."""
    scene = plan_scene("a basket of apples").scene
    assert {e.asset for e in scene.entities} == {"apple"}


def test_weak_hoop_words_need_a_ball():
    scene = plan_scene("a ball is thrown into the basket").scene
    assert any(e.asset == "basketball_hoop" for e in scene.entities)
    from worldreel.errors import PromptError

    with pytest.raises(PromptError):
        plan_scene("a net hangs")


def test_measures():
    (verb,) = parse("a ball is dropped from 150 cm").verbs
    assert verb.height is not None and verb.height[0] == pytest.approx(1.5)
    (verb,) = parse("a ball rolls at 2 m/s").verbs
    assert verb.speed_si is not None and verb.speed_si[0] == pytest.approx(2.0)
    assert parse("a ball drops, a 6 second clip").duration[0] == pytest.approx(6.0)
