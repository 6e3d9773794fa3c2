"""Riders planned from prompts: who rides what, a mount brought when only the rider is named,
the rider's locomotion done by the mount, and what a rider can still do from the saddle."""

import pytest

from worldreel.director import plan_scene


def _rider(plan, cid: str):
    return next(c for c in plan.scene.characters if c.id == cid)


def _animal(plan, aid: str):
    return next(a for a in plan.scene.animals if a.id == aid)


def test_a_woman_rides_the_horse_named_and_it_walks_across():
    plan = plan_scene("A woman rides a horse across a field")
    (horse,) = plan.scene.animals
    assert _rider(plan, "woman").rides == horse.id
    assert [s.do for s in horse.script] == ["walk"]  # not chasing its rider
    assert horse.script[0].place[0] - horse.position[0] > 2.0  # it goes somewhere
    assert "rides" not in " ".join(plan.unknown_words)


def test_a_jockey_gallops_the_horse_the_prompt_names_not_a_second_one():
    plan = plan_scene("A jockey gallops his horse across the field")
    (horse,) = plan.scene.animals
    assert _rider(plan, "jockey").rides == horse.id
    assert horse.script[0].do == "gallop"


def test_a_rider_jumping_is_the_horse_jumping_the_fence():
    plan = plan_scene("A girl on a horse jumps over a fence")
    (horse,) = plan.scene.animals
    girl = _rider(plan, "girl")
    assert girl.rides == horse.id and not girl.script
    jump = next(s for s in horse.script if s.do == "jump")
    assert plan.scene.entity(jump.target).asset == "jump_pole"


def test_a_horse_is_brought_for_someone_on_horseback_and_the_user_told():
    plan = plan_scene("A man on horseback rides through the park")
    (horse,) = plan.scene.animals
    assert horse.species == "horse" and _rider(plan, "man").rides == horse.id
    assert any("rides a horse" in w for w in plan.warnings)
    assert not plan.unknown_words


def test_two_riders_each_have_their_own_horse_side_by_side():
    plan = plan_scene("Two cowgirls ride their horses along the beach")
    horses = plan.scene.animals
    riders = [c.rides for c in plan.scene.characters]
    assert len(horses) == 2 and sorted(riders) == sorted(h.id for h in horses)
    (a, b) = horses
    assert abs(a.position[1] - b.position[1]) > 1.2  # in lanes, not through each other


def test_a_rider_still_waves_from_the_saddle():
    plan = plan_scene("A cowboy rides his horse and waves")
    cowboy = _rider(plan, "cowboy")
    assert cowboy.rides is not None
    assert [s.do for s in cowboy.script] == ["wave"]
    assert plan.scene.setting.environment != "beach"  # his wave is not the sea's


def test_a_cowboy_said_only_to_wave_stands_and_waves():
    plan = plan_scene("A cowboy waves")
    assert _rider(plan, "cowboy").rides is None and not plan.scene.animals


def test_the_camera_follows_the_rider():
    plan = plan_scene("A woman rides a horse across a field")
    assert plan.scene.shots[0].subject == "woman"
    assert plan.scene.shots[0].move == "follow"


def test_a_horse_and_a_cow_both_walk_in_their_own_lanes():
    plan = plan_scene("A horse and a cow walk across the field")
    horse, cow = plan.scene.animals
    assert [s.do for s in horse.script] == [s.do for s in cow.script] == ["walk"]
    assert abs(horse.position[1] - cow.position[1]) > 1.2


def test_the_mans_car_is_parked_while_he_slams_its_door():
    plan = plan_scene("A man gets out of his car and slams the door")
    assert not [a for a in plan.scene.actions if a.kind == "drive"]


@pytest.mark.parametrize("prompt, asset", [
    ("A cyclist rides down the street", "bicycle"),
    ("A boy on a skateboard rolls past", "skateboard"),
    ("A woman cycles along the road", "bicycle"),
    ("A biker speeds down the street", "motorcycle"),
])
def test_a_two_wheeler_is_ridden_and_moves(prompt, asset):
    plan = plan_scene(prompt)
    (rider,) = plan.scene.characters
    vehicle = plan.scene.entity(rider.rides)
    assert vehicle.asset == asset
    drive = next(a for a in plan.scene.actions if a.kind == "drive" and a.entity == vehicle.id)
    assert 1.0 < drive.speed < 20.0
    assert not plan.unknown_words


def test_a_bicycle_set_moving_alone_gets_a_rider_and_the_user_is_told():
    plan = plan_scene("a bicycle rolls down the street")
    (rider,) = plan.scene.characters
    assert plan.scene.entity(rider.rides).asset == "bicycle"
    assert any("rider was added" in w for w in plan.warnings)


def test_a_parked_bicycle_has_no_rider():
    plan = plan_scene("a parked bicycle leans by the road")
    assert not plan.scene.characters
    assert not [a for a in plan.scene.actions if a.kind == "drive"]


def test_a_rider_rings_the_bicycles_own_bell_not_a_bell_laid_out():
    plan = plan_scene("A girl rides her bicycle and rings the bell")
    assert {e.asset for e in plan.scene.entities} == {"bicycle"}
    (line,) = plan.scene.audio.dialogue
    assert line.sound == "bell" and line.speaker == _rider(plan, "girl").rides
    assert not plan.unknown_words
