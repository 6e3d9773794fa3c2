"""Putting and the sports balls (issue #15): golf balls, greens and holes are shown as what they
are, and a putt rolls along the green into the hole (or past it when it misses)."""

from __future__ import annotations

import numpy as np
import pytest

from worldreel.assets import ASSETS
from worldreel.assets.mujoco_spec import anchor_point
from worldreel.director import plan_scene
from worldreel.director.tests.helpers import actions_of, one
from worldreel.scene import Roll

PUTTS = [
    "a golfer putts a golf ball across the green into the hole",
    "a putt rolls into the hole",
    "on a sunny afternoon the golf ball is putted toward the cup and drops in",
    "a woman taps the golf ball into the hole",
    "the golfer sinks a putt on the green",
]
MISSES = [
    "a golfer putts the golf ball but it misses the hole",
    "a golf ball rolls across the green and lips out",
]


def _putt_plan(prompt):
    plan = plan_scene(prompt)
    scene = plan.scene
    ball, green = one(scene, "golf_ball"), one(scene, "putting_green")
    return plan, scene, ball, green


@pytest.mark.parametrize("prompt", PUTTS + MISSES)
def test_a_putt_is_a_golf_ball_rolled_at_the_hole_of_a_green(prompt):
    plan, scene, ball, green = _putt_plan(prompt)
    assert not any(g.status == "substituted" for g in plan.grounding), plan.warnings
    shown = {g.text for g in plan.grounding if g.status == "not_shown"}
    assert not shown & {"putts", "putt", "putted", "green", "hole", "cup", "sinks a putt",
                        "taps", "lips out"}, plan.warnings
    (roll,) = actions_of(scene, ball.id)
    assert isinstance(roll, Roll)
    hole = anchor_point(green, "hole")
    # it starts on the green's surface, before the hole, rolling towards it
    assert ball.position[2] == pytest.approx(hole[2] + ASSETS["golf_ball"].radius, abs=1e-3)
    to_hole = (hole - np.array(ball.position))[:2]
    assert 1.0 < np.linalg.norm(to_hole) < 3.5
    assert np.dot(np.array(roll.direction[:2]), to_hole / np.linalg.norm(to_hole)) > 0.99


def test_words_for_the_balls_name_their_own_assets():
    for prompt, asset in [("a baseball falls", "baseball"),
                          ("a ping pong ball bounces", "ping_pong_ball"),
                          ("a table tennis ball bounces", "ping_pong_ball"),
                          ("a volleyball is dropped", "volleyball"),
                          ("a beach ball floats", "beach_ball"),
                          ("a golf ball falls", "golf_ball"),
                          ("a putter lies on the floor", "putter"),
                          ("a baseball bat and a ball", "baseball_bat"),
                          ("a catcher's mitt lies on the table", "catchers_mitt")]:
        plan = plan_scene(prompt)
        assert any(e.asset == asset for e in plan.scene.entities), (prompt, plan.warnings)
        assert not any(g.status == "substituted" for g in plan.grounding), (prompt,
                                                                            plan.warnings)


def test_green_the_colour_stays_a_colour():
    scene = plan_scene("a green ball rolls across the floor").scene
    assert not any(e.asset == "putting_green" for e in scene.entities)
    assert any(e.color == "#2a9d3f" for e in scene.entities)


def test_a_cup_without_golf_is_still_a_cup():
    scene = plan_scene("a cup falls off the table").scene
    assert any(e.asset == "mug" for e in scene.entities)
    assert not any(e.asset == "putting_green" for e in scene.entities)


def _holed(prompt):
    from worldreel.physics import simulate

    _, scene, ball, green = _putt_plan(prompt)
    path = simulate(scene).trajectory(ball.id)
    hole = anchor_point(green, "hole")
    return path[-1], hole, np.linalg.norm(path[-1][:2] - hole[:2])


@pytest.mark.slow
@pytest.mark.parametrize("prompt", PUTTS[:3])
def test_a_putt_ends_in_the_cup_below_the_green(prompt):
    end, hole, off_centre = _holed(prompt)
    assert end[2] < hole[2] - 0.05, end  # in the cup, well below the surface
    assert off_centre < 0.054  # within the hole's 108 mm


@pytest.mark.slow
@pytest.mark.parametrize("prompt", MISSES)
def test_a_missed_putt_ends_on_the_green_past_the_hole(prompt):
    end, hole, off_centre = _holed(prompt)
    assert end[2] > hole[2], end  # still on the surface
    assert off_centre > 0.054 + 0.02
    assert end[0] > hole[0]  # it rolled on past the hole
