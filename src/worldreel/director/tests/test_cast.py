"""People cast from a prompt: who, what they wear, what they do and say, as a user wrote it."""

from __future__ import annotations

import math

import pytest

from worldreel.director import plan_scene
from worldreel.director.wordnet import wordnet

pytestmark = pytest.mark.skipif(wordnet() is None, reason="needs WordNet (apt: wordnet-base)")


def _people(prompt: str):
    plan = plan_scene(prompt)
    return plan, {c.id: c for c in plan.scene.characters}


def test_an_old_man_in_a_red_coat_walks_then_waves():
    plan, people = _people("an old man in a red coat walks and waves")
    man = people["man"]
    assert man.body.age >= 65 and man.body.gender == 1 and man.hair.color == "grey"
    assert (man.outfit.top, man.outfit.top_color) == ("coat", "#d62828")
    walk, wave = man.script
    assert (walk.do, wave.do, wave.after) == ("walk", "wave", walk.id)
    # He walks somewhere, clear of everything else.
    assert math.dist(walk.place, man.position) > 1.0
    assert not [g for g in plan.grounding if g.status == "not_shown"]


def test_two_kids_are_two_people_one_of_each():
    _, people = _people("two kids in shorts dance")
    assert len(people) == 2
    assert {p.body.gender for p in people.values()} == {0.0, 1.0}
    assert all(p.body.age < 13 and p.outfit.bottom == "shorts" and p.script[0].do == "dance"
               for p in people.values())


def test_roles_bring_their_clothes_and_what_they_do():
    _, people = _people("a chef and a boxer")
    assert people["chef"].outfit.uniform == "chef" and people["chef"].script[0].do == "chop"
    assert people["boxer"].outfit.uniform == "boxer" and people["boxer"].script[0].do == "punch"


def test_quoted_lines_go_to_who_says_them():
    plan, people = _people('a woman says "good morning" and the man replies "morning to you"')
    lines = plan.scene.audio.dialogue
    assert [(l.text, l.speaker, l.to) for l in lines] == [
        ("good morning", "woman", "man"), ("morning to you", "man", "woman")]
    assert people["woman"].facing != people["man"].facing  # they face each other


def test_sounds_people_make_are_their_lines():
    plan, _ = _people("a girl laughs")
    assert [(l.sound, l.speaker) for l in plan.scene.audio.dialogue] == [("laugh", "girl")]


def test_a_ball_kicked_by_a_boy_is_his_kick_of_a_football():
    plan, people = _people("a boy kicks a ball across the floor")
    (ball,) = plan.scene.entities
    assert ball.asset == "soccer_ball"  # a bare ball that is kicked is a football
    assert [(s.do, s.target) for s in people["boy"].script] == [("kick", ball.id)]
    assert not plan.scene.actions  # his foot moves it, not a planned push


def test_a_person_sits_on_the_chair_named():
    plan, people = _people("a man sits on a chair")
    chair = next(e.id for e in plan.scene.entities if e.asset == "chair")
    assert [(s.do, s.target) for s in people["man"].script] == [("sit", chair)]


def test_the_clip_is_long_enough_for_the_scripts():
    from worldreel import pipeline
    from worldreel.animation import step_durations
    from worldreel.timeline import resolve_scripts

    scene = pipeline.plan("an old man in a red coat walks and waves").scene
    ends = [s.end for steps in resolve_scripts(scene, step_durations(scene)).values()
            for s in steps]
    assert max(ends) <= scene.duration


@pytest.mark.parametrize("prompt", ["a toaster falls off the table",  # also "who toasts"
                                    "a ball rolls past the Eiffel tower",  # a modifier
                                    "the birds draw closer to a ball"])  # no article
def test_words_that_only_might_be_people_are_not_cast(prompt):
    try:
        plan = plan_scene(prompt)
    except Exception:  # refused: nothing to show, and no one cast either
        return
    assert plan.scene.characters == ()


def test_one_of_a_group_described_again_is_not_a_new_person():
    _, people = _people("two women talk. the older woman laughs")
    assert len(people) == 2


def test_people_alike_are_told_apart_unless_the_prompt_dresses_them():
    _, people = _people("two kids play")
    kid, other = people.values()
    assert kid.outfit.top_color != other.outfit.top_color
    assert (kid.hair.color, kid.hair.style) != (other.hair.color, other.hair.style)
    _, people = _people("two men in red shirts wave")
    assert {p.outfit.top_color for p in people.values()} == {"#d62828"}


def test_a_crowd_is_heard_as_what_it_watches_happens():
    plan = plan_scene("the crowd cheers as the ball goes in the hoop")
    (cheer,) = plan.scene.audio.dialogue
    assert cheer.sound == "cheer" and cheer.count >= 10 and cheer.speaker is None
    assert cheer.after == plan.scene.actions[-1].id and cheer.delay > 0
    assert not plan.scene.characters and not plan.unknown_words


def test_one_of_them_is_one_of_the_group():
    plan, people = _people('two women argue, then one of them shouts "get out"')
    (line,) = plan.scene.audio.dialogue
    assert line.speaker in people and line.text == "get out"
    assert not plan.unknown_words


@pytest.mark.parametrize("prompt, verb", [("a woman drinking coffee", "drink"),
                                          ("a man walking in the park", "walk")])
def test_a_participle_after_a_person_is_what_they_do(prompt, verb):
    plan, people = _people(prompt)
    (person,) = people.values()
    assert [s.do for s in person.script] == [verb]
    assert not plan.unknown_words


def test_wearing_is_said_with_the_clothes():
    plan, people = _people("a man wearing a red coat waves")
    man = people["man"]
    assert man.outfit.top == "coat" and man.outfit.top_color is not None
    assert [s.do for s in man.script] == ["wave"] and not plan.unknown_words


def test_one_of_them_falls_and_the_others_laugh_after():
    plan, people = _people("three friends talk, then one of them falls and the others laugh")
    scripts = {cid: [s.do for s in c.script] for cid, c in people.items()}
    faller = next(cid for cid, steps in scripts.items() if "fall" in steps)
    assert sorted(scripts.values()) == [["talk"], ["talk"], ["talk", "fall"]]
    laughs = plan.scene.audio.dialogue
    assert sorted(line.speaker for line in laughs) == sorted(c for c in people if c != faller)
    fall = people[faller].script[-1].id
    assert all(line.sound == "laugh" and line.after == fall for line in laughs)
    assert not plan.unknown_words


def test_two_words_for_one_fall_are_one_fall():
    _, people = _people("a man trips and falls")
    assert [s.do for s in people["man"].script] == ["fall"]


def test_a_group_with_nothing_to_face_is_open_to_the_camera():
    plan, people = _people("three friends talk")
    # the camera looks along +y at their row; none of them shows it their back
    assert plan.scene.shots[0].azimuth == 90.0
    assert all(math.sin(math.radians(p.facing)) < 0 for p in people.values())
