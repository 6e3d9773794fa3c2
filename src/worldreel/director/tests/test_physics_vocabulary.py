"""The physics vocabulary: kicks, topples, spins, slides and pulls; set-ups (a wrecking ball and
a brick wall, ten pins, a billiards rack, a block tower); rigs (pendulums, swings, a seesaw, a
cloth); water, vacuum and air drag; things that break; and the look of the picture."""

from __future__ import annotations

import math

import numpy as np
import pytest

from worldreel.assets import ASSETS, MATERIALS
from worldreel.director import geometry, plan_scene
from worldreel.director.tests.helpers import actions_of, bottom, by_asset, one
from worldreel.scene import Drop, Kick, Pull, Roll, Scene, Slide, Spin, Throw, Topple


def _plan(prompt: str):
    return plan_scene(prompt)


def _no_overlaps(scene: Scene) -> None:
    entities = scene.entities
    for k, a in enumerate(entities):
        assert bottom(a) >= -1e-3, f"{a.id} starts inside the floor"
        for b in entities[:k]:
            if {a.asset, b.asset} in ({"gantry", "pendulum"}, {"gantry", "wrecking_ball"},
                                      {"gantry", "rope_swing"}, {"gantry", "rope"},
                                      {"seesaw", "seesaw_base"}):
                continue  # a hinge and what it hangs from meet at the pivot by design
            assert not geometry.overlapping(geometry.entity_solids(a),
                                            geometry.entity_solids(b)), f"{a.id} in {b.id}"


def _silent_about(plan, word: str) -> bool:
    return not any(f"'{word}'" in w for w in plan.warnings)


# -- actions ----------------------------------------------------------------------------------
def test_a_soccer_ball_kicked_across_a_park_is_a_kick_in_the_park():
    plan = _plan("a soccer ball is kicked across a park")
    scene = plan.scene
    ball = one(scene, "soccer_ball")
    (kick,) = actions_of(scene, ball.id)
    assert isinstance(kick, Kick) and kick.speed >= 4.0 and kick.elevation > 0
    assert bottom(ball) == pytest.approx(0.0, abs=2e-3), "kicked from the ground"
    assert scene.setting.environment == "park"
    assert scene.shots[0].subject == ball.id, "the camera goes with the ball"
    assert plan.warnings == []


def test_a_kick_at_a_wall_heads_for_the_wall():
    # the boy kicks it: he stands behind the ball, in line with the wall, far enough to be seen
    scene = _plan("a boy kicks a football at a wall").scene
    ball, wall = one(scene, "soccer_ball"), one(scene, "wall")
    (boy,) = scene.characters
    assert [(s.do, s.target) for s in boy.script] == [("kick", ball.id)]
    assert not actions_of(scene, ball.id)
    to_wall = np.subtract(wall.position[:2], ball.position[:2])
    from_boy = np.subtract(ball.position[:2], boy.position[:2])
    assert np.linalg.norm(to_wall) >= 2.5
    cosine = to_wall @ from_boy / np.linalg.norm(to_wall) / np.linalg.norm(from_boy)
    assert cosine > 0.99


def test_ten_dominoes_topple_from_the_first():
    scene = _plan("ten dominoes topple").scene
    dominoes = sorted(by_asset(scene, "domino"), key=lambda d: d.position[0])
    assert len(dominoes) == 10
    (topple,) = scene.actions
    assert isinstance(topple, Topple) and topple.entity == dominoes[0].id
    assert topple.direction[0] > 0, "into the row"


def test_a_spinning_top_spins():
    plan = _plan("a spinning top spins on the table")
    top = one(plan.scene, "top")
    (spin,) = actions_of(plan.scene, top.id)
    assert isinstance(spin, Spin) and spin.rate > 20
    assert bottom(top) > 0.5, "on the table"
    assert plan.warnings == []


def test_slides_and_drags():
    slid = _plan("a box slides across the ice").scene
    assert isinstance(actions_of(slid, one(slid, "crate").id)[0], Slide)
    pulled = _plan("a crate is dragged across the floor").scene
    (pull,) = actions_of(pulled, one(pulled, "crate").id)
    assert isinstance(pull, Pull)
    crate = ASSETS["crate"]
    friction = MATERIALS[crate.material].friction * crate.mass * 9.81
    assert pull.force > friction, "strong enough to move it"


# -- set-ups and rigs -------------------------------------------------------------------------
def test_a_wrecking_ball_meets_a_wall_of_loose_bricks_at_the_bottom_of_its_swing():
    plan = _plan("a wrecking ball smashes into a brick wall")
    scene = plan.scene
    ball, frame = one(scene, "wrecking_ball"), one(scene, "gantry")
    bricks = by_asset(scene, "brick")
    assert len(bricks) >= 20 and not by_asset(scene, "wall")
    spec = ASSETS["wrecking_ball"]
    length, radius = -spec.anchors["bob"][2], spec.parts[0].size[0]
    pivot = np.array(ball.position)
    assert frame.position[0] == pytest.approx(pivot[0])
    lowest = pivot - np.array([0.0, 0.0, length])  # the bob passes here, fastest
    assert ball.rotation[1] > 20, "held back to swing"
    near = min(geometry.bounds(geometry.entity_solids(b))[0][0] for b in bricks)
    assert 0.0 < near - (lowest[0] + radius) < 0.15, "the wall stands in the swing"
    top = max(geometry.bounds(geometry.entity_solids(b))[1][2] for b in bricks)
    assert top > lowest[2], "the bob meets the wall below its top"
    assert all(abs(b.position[1] - pivot[1]) < 1.5 for b in bricks)
    _no_overlaps(scene)
    assert plan.warnings == []


def test_a_pendulum_and_a_swing_hang_from_their_frames():
    for prompt, asset in (("a pendulum swings back and forth", "pendulum"),
                          ("a rope swing sways", "rope_swing")):
        plan = _plan(prompt)
        rig, frame = one(plan.scene, asset), one(plan.scene, "gantry")
        assert rig.position[2] > 1.0 and rig.rotation[1] != 0
        assert frame.position[:2] == rig.position[:2]
        assert plan.warnings == [], prompt


def test_a_ball_dropped_onto_one_end_of_a_seesaw():
    plan = _plan("a ball drops onto one end of a seesaw")
    scene = plan.scene
    plank, base = one(scene, "seesaw"), one(scene, "seesaw_base")
    ball = one(scene, "basketball")
    assert plank.position[:2] == base.position[:2]
    assert ball.position[0] - plank.position[0] > 1.0, "over an end, not the middle"
    assert isinstance(actions_of(scene, ball.id)[0], Drop)
    assert plan.warnings == []


def test_a_cloth_falls_over_a_chair():
    plan = _plan("a towel drapes over a chair")
    scene = plan.scene
    cloth, chair = one(scene, "cloth"), one(scene, "chair")
    assert abs(cloth.position[0] - chair.position[0]) < 0.1
    assert cloth.position[2] > geometry.bounds(geometry.entity_solids(chair))[1][2]
    _no_overlaps(scene)
    assert plan.warnings == []


def test_a_billiards_break_and_a_cue_ball_at_the_rack():
    for prompt in ("a billiards break", "a cue ball hits a rack of balls"):
        scene = _plan(prompt).scene
        table = one(scene, "billiard_table")
        balls = by_asset(scene, "billiard_ball")
        assert len(balls) == 16, prompt
        top = table.position[2] + ASSETS["billiard_table"].anchors["top"][2]
        assert all(abs(bottom(b) - top) < 3e-3 for b in balls), "all on the cloth"
        (shot,) = scene.actions
        assert isinstance(shot, Roll) and shot.speed >= 2.0
        cue = scene.entity(shot.entity)
        assert all(b.position[0] > cue.position[0] + 0.5 for b in balls if b is not cue)
        _no_overlaps(scene)


def test_a_bowling_ball_knocks_down_ten_pins():
    scene = _plan("a bowling ball knocks down the pins").scene
    pins = by_asset(scene, "bowling_pin")
    assert len(pins) == 10
    ball = one(scene, "bowling_ball")
    (roll,) = actions_of(scene, ball.id)
    assert isinstance(roll, Roll)
    head = min(pins, key=lambda p: p.position[0])
    assert abs(head.position[1] - ball.position[1]) < 0.05, "straight at the head pin"
    _no_overlaps(scene)


def test_a_tower_of_blocks_collapses_when_struck():
    plan = _plan("a tower of blocks collapses")
    scene = plan.scene
    blocks = by_asset(scene, "block")
    assert len(blocks) >= 9
    assert max(b.position[2] for b in blocks) > 0.4, "a tower, not a row"
    strikes = [a for a in scene.actions if isinstance(a, (Throw, Roll, Topple))]
    assert strikes, "something brings it down"
    _no_overlaps(scene)


def test_a_toy_cart_rolls_down_a_ramp():
    scene = _plan("a toy cart rolls down a ramp").scene
    cart, ramp = one(scene, "cart"), one(scene, "ramp")
    assert cart.position[2] > 0.2 and actions_of(scene, cart.id)
    assert abs(cart.position[0] - ramp.position[0]) < 1.0


# -- water, vacuum, air -----------------------------------------------------------------------
def test_a_duck_floats_and_a_stone_sinks_in_water():
    plan = _plan("a rubber duck floats in water while a stone sinks")
    scene = plan.scene
    level = scene.setting.water_level
    assert level is not None and level > 0.1
    for asset in ("rubber_duck", "stone"):
        assert bottom(one(scene, asset)) > level, f"the {asset} starts above the water"
    assert plan.warnings == []


def test_a_feather_and_a_hammer_in_a_vacuum_and_on_the_moon():
    vacuum = _plan("a feather and a hammer fall in a vacuum")
    assert vacuum.scene.setting.medium == "vacuum" and not vacuum.scene.setting.air_drag
    assert vacuum.warnings == []
    moon = _plan("a feather and a hammer are dropped on the moon").scene
    assert moon.setting.gravity[2] == pytest.approx(-1.62)
    assert moon.setting.medium == "vacuum"
    starts = {a.at for a in moon.actions}
    assert len(starts) == 1, "dropped together"
    heights = [bottom(one(moon, a)) for a in ("feather", "hammer")]
    assert heights[0] == pytest.approx(heights[1], abs=0.05)


@pytest.mark.parametrize("prompt", ["a red balloon floats up to the ceiling",
                                    "a balloon rises to the ceiling"])
def test_a_balloon_is_let_go_in_a_room_to_float_up_to_its_ceiling(prompt):
    from worldreel.assets import ENVIRONMENTS  # noqa: PLC0415
    from worldreel.assets.environments import room_interior  # noqa: PLC0415

    plan = _plan(prompt)
    scene = plan.scene
    balloon = one(scene, "balloon")
    if "red" in prompt:
        red, green, blue = (int(balloon.color[k:k + 2], 16) for k in (1, 3, 5))
        assert red > 150 and green < 80 and blue < 80
    assert any(isinstance(a, Drop) for a in actions_of(scene, balloon.id)), "let go"
    assert scene.setting.water_level is None, "it floats in air, not on water"
    room = room_interior(ENVIRONMENTS[scene.setting.environment])
    assert room is not None and bottom(balloon) + 2 * 0.17 < room[2], "under the ceiling"
    assert plan.warnings == []


def test_a_feather_on_earth_falls_through_air():
    scene = _plan("a feather falls slowly to the ground").scene
    assert scene.setting.air_drag and scene.setting.medium == "air"


# -- breaking ---------------------------------------------------------------------------------
def _impact_speed(scene: Scene, entity_id: str) -> float:
    entity = scene.entity(entity_id)
    g = -scene.setting.gravity[2]
    return math.sqrt(2 * g * bottom(entity))


@pytest.mark.parametrize("prompt, asset", [
    ("a glass falls off a table and shatters", "glass"),
    ("a plate is dropped and breaks", "plate"),
    ("a vase falls and smashes on the floor", "vase"),
])
def test_what_the_prompt_says_breaks_is_planned_to_land_fast_enough(prompt, asset):
    plan = _plan(prompt)
    entity = one(plan.scene, asset)
    limit = MATERIALS[ASSETS[asset].material].breaking_speed
    assert _impact_speed(plan.scene, entity.id) > limit
    assert plan.warnings == []


def test_a_break_that_cannot_happen_is_reported():
    plan = _plan("a glass falls off a table and shatters on the moon")
    assert any("too slowly to break" in w for w in plan.warnings)
    whole = _plan("a crate falls and breaks")
    assert any("cannot break" in w for w in whole.warnings)


def test_a_ball_rolled_into_a_vase_comes_fast_enough_to_break_it():
    scene = _plan("a bowling ball rolls into a vase and it shatters").scene
    (roll,) = actions_of(scene, one(scene, "bowling_ball").id)
    assert roll.speed > MATERIALS["ceramic"].breaking_speed
    assert not actions_of(scene, one(scene, "vase").id), "the vase waits to be hit"


# -- the look ---------------------------------------------------------------------------------
def test_style_words_set_the_look():
    setting = _plan("a ball rolls across a street at night in the rain").scene.setting
    assert setting.time_of_day == "night" and setting.weather == "rain"
    noir = _plan("a black and white film of a ball bouncing in the fog")
    assert noir.scene.setting.grade == "noir" and noir.scene.setting.weather == "fog"
    warm = _plan("a basketball bounces at sunset").scene.setting
    assert warm.time_of_day == "golden_hour" and warm.grade == "warm"
    assert _plan("vintage footage of a crate falling").scene.setting.grade == "vintage"
    assert all(_silent_about(p, w) for p, w in (
        (noir, "black"), (noir, "fog"), (noir, "white")))


# -- played out -------------------------------------------------------------------------------
def test_planned_outcomes_happen_in_simulation():
    """The glass really breaks, the duck floats, the kicked ball crosses the ground and the
    pins go down."""
    from worldreel.physics import simulate

    glass = plan_scene("a glass falls off a table and shatters", duration=2.0).scene
    assert [b["entity"] for b in simulate(glass).meta["breaks"]] == ["glass"]

    water = plan_scene("a rubber duck floats in water while a stone sinks", duration=2.5).scene
    recording = simulate(water)
    level = water.setting.water_level
    duck = recording.trajectory(one(water, "rubber_duck").id)[-1, 2]
    stone = recording.trajectory(one(water, "stone").id)[-1, 2]
    assert level - 0.1 < duck < level + 0.05, "the duck rides on the surface"
    assert stone < 0.1, "the stone lies on the bottom"

    kicked = plan_scene("a soccer ball is kicked across a park", duration=2.0).scene
    path = simulate(kicked).trajectory(one(kicked, "soccer_ball").id)
    assert path[-1, 0] - path[0, 0] > 3.0 and path[:, 2].max() > 0.3

    bowling = plan_scene("a bowling ball knocks down the pins", duration=2.0).scene
    recording = simulate(bowling)
    fallen = [p for p in by_asset(bowling, "bowling_pin")
              if recording.trajectory(p.id)[-1, 2] < 0.1]
    assert len(fallen) >= 5, "most pins go down"

    wrecked = plan_scene("a wrecking ball smashes into a brick wall", duration=2.5).scene
    recording = simulate(wrecked)
    moved = [np.linalg.norm(recording.trajectory(b.id)[-1] - recording.trajectory(b.id)[0])
             for b in by_asset(wrecked, "brick")]
    assert sum(m > 0.5 for m in moved) >= 3, "the swing knocks bricks out of the wall"


def test_slow_motion_films_the_same_story_slower():
    normal = _plan("a glass falls off a table and shatters").scene
    plan = _plan("a glass falls off a table and shatters in slow motion")
    slow = plan.scene
    k = slow.slow_motion
    assert k >= 2 and plan.warnings == []
    assert slow.duration == pytest.approx(normal.duration * k, rel=0.01)
    assert slow.actions[0].at == pytest.approx(normal.actions[0].at * k)
    assert slow.physics_rate % (slow.fps * k) == 0
    asked = plan_scene("a ball bounces in slow motion", duration=8.0).scene
    assert asked.duration == pytest.approx(8.0), "a requested length is the clip's length"


def test_set_ups_nobody_touches_stand_still():
    for prompt, asset in (("a tower of blocks on a table", "block"),
                          ("bowling pins on a table", "bowling_pin")):
        plan = _plan(prompt)
        scene = plan.scene
        assert not scene.actions, prompt
        table = one(scene, "table")
        top = table.position[2] + ASSETS["table"].anchors["top"][2]
        pieces = by_asset(scene, asset)
        assert min(bottom(p) for p in pieces) == pytest.approx(top, abs=3e-3), prompt
        _no_overlaps(scene)


def test_something_set_on_a_seesaw_sits_on_the_end_away_from_a_drop():
    scene = _plan("a crate sits on a seesaw and a bowling ball drops onto the seesaw").scene
    plank, crate, ball = one(scene, "seesaw"), one(scene, "crate"), one(scene, "bowling_ball")
    assert crate.position[0] < plank.position[0] - 0.8 < plank.position[0] + 0.8 < \
        ball.position[0]
    _no_overlaps(scene)


VOCABULARY = [
    "a wrecking ball crashes into a brick wall",
    "a pendulum swings into ten dominoes",
    "a rope swing and a pendulum",
    "a crate sits on a seesaw and a bowling ball drops onto the seesaw",
    "a sheet falls over a chair",
    "a blanket drops onto a table",
    "a cue ball breaks the rack on a pool table",
    "a soccer ball is kicked into the bowling pins",
    "a toy cart rolls down a ramp and crashes into a tower of blocks",
    "a bowling ball smashes through a brick wall",
    "a glass and a plate fall off a table and shatter",
    "three glasses are dropped and break",
    "a stone and a rubber duck in a pool",
    "a hammer and a feather are dropped on the moon in slow motion",
    "a man pulls a toy cart across the floor",
    "a spinning top slowly wobbles and falls over at night in the snow",
    "a soft foam ball bounces down a ramp",
]


@pytest.mark.parametrize("prompt", VOCABULARY)
def test_physics_vocabulary_scenes_are_valid_and_start_apart(prompt):
    mujoco = pytest.importorskip("mujoco")
    from worldreel.assets import check_scene_assets
    from worldreel.assets.mujoco_spec import build_spec

    plan = plan_scene(prompt)
    assert plan_scene(prompt).scene == plan.scene, "deterministic"
    scene = plan.scene
    check_scene_assets(scene)
    assert not any("aside to keep it clear" in w for w in plan.warnings)
    spec, geoms = build_spec(scene, movable="free")
    model = spec.compile()
    data = mujoco.MjData(model)
    mujoco.mj_forward(model, data)
    for k in range(data.ncon):
        contact = data.contact[k]
        a = geoms.get(model.geom(contact.geom1).name)
        b = geoms.get(model.geom(contact.geom2).name)
        if a is not None and b is not None and a.owner != b.owner:
            assert contact.dist > -4e-3, (a.owner, b.owner, contact.dist)


def test_floating_and_sinking_bring_water_unless_the_air_is_meant():
    duck = _plan("a rubber duck floats")
    assert duck.scene.setting.water_level is not None
    assert bottom(one(duck.scene, "rubber_duck")) > duck.scene.setting.water_level
    assert any("added water" in w for w in duck.warnings)
    airborne = _plan("a feather floats in the air").scene.setting
    assert airborne.water_level is None and airborne.air_drag
    assert _plan("a ball floats in space").scene.setting.water_level is None


def test_a_leaf_flutters_down_through_air():
    scene = _plan("a leaf flutters down").scene
    assert by_asset(scene, "feather") and scene.setting.air_drag


def test_style_names_with_style_or_look_are_grounded_whole():
    plan = _plan("a red rubber ball bounces on the floor, noir style")
    assert plan.scene.setting.grade == "noir" and "style" not in plan.unknown_words
    assert _plan("a ball drops, retro look").scene.setting.grade == "vintage"


def test_a_small_moving_thing_gets_a_closer_follow_shot_after_the_wide():
    shots = _plan("a tennis ball rolls off a table").scene.shots
    assert [s.size for s in shots] == ["wide", "close"]
    assert shots[1].subject == "tennis_ball" and shots[1].move == "follow"
    big = _plan("a bowling ball rolls across the floor").scene.shots
    assert [s.size for s in big] == ["wide"]  # big enough to read in the wide frame
    # A drinking glass (12 cm) was 10 px tall in a wide frame of the kitchen as it shattered.
    glass = _plan("a glass falls off a kitchen counter and shatters").scene.shots
    assert [s.size for s in glass] == ["wide", "close"] and glass[1].subject == "glass"
