"""Animals in the simulated world: a dog catches a thrown ball in its mouth, a horse clears a
show-jumping pole without knocking it, and hooves and paws strike the floor where the legs put
them down (the events foley sounds are made from)."""

from __future__ import annotations

import numpy as np
import pytest

from worldreel.animation import animate
from worldreel.assets.animals import body_of_animal
from worldreel.physics.simulate import simulate
from worldreel.scene import (Animal, AnimalAction, Character, CharacterAction, Entity, Scene)


def _touchdowns(perf, body, leg: str) -> np.ndarray:
    k = perf.bones.index(f"foot_{leg}")
    rest = body.heads[body.bone(f"foot_{leg}"), 2]
    down = perf.positions[:, k, 2] < rest + 1e-4
    return (np.flatnonzero(down[1:] & ~down[:-1]) + 1) / perf.rate


def test_hooves_strike_the_floor_when_the_legs_put_them_down():
    """A trotting horse's hoofbeats are contact events of hoof on the floor, in diagonal
    pairs, each within a physics sample of the animation's touchdown."""
    horse = Animal(id="bella", species="horse",
                   script=(AnimalAction(do="trot", place=(8.0, 0.0)),))
    scene = Scene(duration=3.0, animals=(horse,))
    rec = simulate(scene)
    perf = animate(scene)["bella"]
    body = body_of_animal(horse)
    events = [e for e in rec.events if e.kind == "impact" and "bella.foot" in e.body_a + e.body_b]
    assert len(events) >= 6
    assert all({e.material_a, e.material_b} >= {"hoof"} for e in events)
    for leg in ("fl", "fr", "hl", "hr"):
        heard = np.array([e.time for e in events if f"bella.foot_{leg}" in (e.body_a, e.body_b)])
        planned = _touchdowns(perf, body, leg)
        planned = planned[(planned > 0.1) & (planned < 2.9)]
        assert len(heard) >= 2
        for t in heard:
            assert np.min(np.abs(planned - t)) < 2.0 / perf.rate + 0.01
    # diagonal pairs land together: fore left with hind right
    fl = np.array([e.time for e in events if "foot_fl" in e.body_a + e.body_b])
    hr = np.array([e.time for e in events if "foot_hr" in e.body_a + e.body_b])
    assert np.all(np.min(np.abs(fl[:, None] - hr[None, :]), axis=1) < 0.02)


def test_a_dogs_paws_are_soft_pads():
    dog = Animal(id="rex", species="dog", script=(AnimalAction(do="walk", place=(2.0, 0.0)),))
    rec = simulate(Scene(duration=2.5, animals=(dog,)))
    feet = [e for e in rec.events if "rex.foot" in e.body_a + e.body_b and e.kind == "impact"]
    assert feet and all("paw" in (e.material_a, e.material_b) for e in feet)


@pytest.mark.slow
def test_a_dog_catches_a_thrown_ball_in_its_mouth():
    """A person throws a tennis ball to a dog 3 m away; the ball meets the dog's jaw and then
    stays in its mouth, moving with its head, and does not fall to the floor."""
    scene = Scene(
        duration=5.0,
        entities=(Entity(id="ball", asset="tennis_ball", position=(0.3, 0.3, 1.0)),),
        characters=(Character(id="sam", holds="ball", script=(
            CharacterAction(id="toss", do="throw", target="rex", at=0.5),)),),
        animals=(Animal(id="rex", species="dog", position=(3.0, 0.0), facing=180.0,
                        script=(AnimalAction(do="catch", target="ball", at=0.5),
                                AnimalAction(do="turn", place=(3.0, 5.0)))),))
    rec = simulate(scene)
    touches = [e for e in rec.events if {e.body_a, e.body_b} & {"rex.jaw", "rex.head"}
               and "ball" in (e.body_a, e.body_b)]
    assert touches, "the ball never reached the dog's mouth"
    caught = touches[0].time
    track = rec.character("rex")
    ball = rec.trajectory("ball")
    jaw = track.bone_trajectory("jaw")
    after = rec.times > caught + 0.1
    gap = np.linalg.norm(ball[after] - jaw[after], axis=1)
    assert gap.max() < 0.2  # in the mouth (the jaw bone's head is at its hinge)
    assert np.ptp(gap) < 0.02  # held rigidly: it moves with the head as the dog turns
    assert ball[after][:, 2].min() > 0.3  # never dropped
    head = track.bone_trajectory("head")
    assert np.linalg.norm(head[-1, :2] - head[np.flatnonzero(after)[0], :2]) > 0.1


@pytest.mark.slow
def test_a_horse_clears_a_show_jump_without_knocking_the_pole():
    """A horse jumps a 1 m pole on two stands: every hoof passes above the pole's top while
    over it, nothing of the horse touches the pole, and the pole stays in its cups."""
    scene = Scene(duration=6.0, entities=(
        Entity(id="stand_a", asset="jump_stand", position=(0.0, 1.82, 0.0)),
        Entity(id="stand_b", asset="jump_stand", position=(0.0, -1.82, 0.0),
               rotation=(0.0, 0.0, 180.0)),
        Entity(id="pole", asset="jump_pole", position=(0.0, 0.0, 1.0))),
        animals=(Animal(id="star", species="horse", position=(-9.0, 0.0),
                        script=(AnimalAction(do="jump", target="pole"),)),))
    rec = simulate(scene)
    track = rec.character("star")
    body = body_of_animal(scene.animals[0])
    pole_top = 1.05
    for leg in ("fl", "fr", "hl", "hr"):
        fetlock = track.bone_trajectory(f"foot_{leg}")
        sole = fetlock[:, 2] - body.heads[body.bone(f"foot_{leg}"), 2]
        over = np.abs(fetlock[:, 0]) < 0.1
        assert over.any() and sole[over].min() > pole_top, leg
    assert not [e for e in rec.events if "pole" in (e.body_a, e.body_b)
                and "star" in e.body_a + e.body_b]
    pole = rec.trajectory("pole")
    assert np.abs(pole - pole[0]).max() < 0.005
    assert track.bone_trajectory("spine")[-1, 0] > 1.5  # landed on the far side
