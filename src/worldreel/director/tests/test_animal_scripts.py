"""Animals, birds and fish planned into Scenes: what a user who names them sees happen."""

import math

import pytest

from worldreel.director import plan_scene


def test_a_ball_thrown_to_a_dog_is_thrown_to_it_and_caught():
    plan = plan_scene("a man throws a ball to his dog and the dog catches it")
    (dog,), (man,) = plan.scene.animals, plan.scene.characters
    (ball,) = plan.scene.entities
    assert ball.asset == "tennis_ball"  # a dog's ball, one it can carry
    throw = man.script[0]
    assert (throw.do, throw.target) == ("throw", "dog")
    assert [(s.do, s.target) for s in dog.script] == [("catch", ball.id)]
    apart = math.dist(dog.position, man.position)
    assert 3.0 <= apart <= 5.0  # thrown across, not handed over
    assert plan.unknown_words == ()


def test_a_chased_ball_rolls_away_and_the_dog_follows_it():
    plan = plan_scene("a dog chases a red ball across the park")
    (dog,) = plan.scene.animals
    (roll,) = plan.scene.actions
    assert roll.kind == "roll" and dog.script[0].do == "chase"
    assert dog.script[0].target == roll.entity
    (shot,) = plan.scene.shots
    assert shot.subject == "dog" and shot.move == "follow"  # it stays in view


def test_a_horse_jumps_a_raised_pole_on_its_wings():
    plan = plan_scene("a horse jumps over a fence")
    (horse,) = plan.scene.animals
    pole = next(e for e in plan.scene.entities if e.asset == "jump_pole")
    wings = [e for e in plan.scene.entities if e.asset == "jump_stand"]
    assert len(wings) == 2 and pole.position[2] == pytest.approx(1.0)
    assert horse.script[0].do == "jump" and horse.script[0].target == pole.id
    assert pole.position[0] > horse.position[0]  # ahead of it, on its way
    assert any("show-jumping" in w for w in plan.warnings)


def test_a_gait_crosses_the_frame_through_its_middle():
    plan = plan_scene("a black horse gallops across a field")
    (horse,) = plan.scene.animals
    end = horse.script[0].place
    assert horse.script[0].do == "gallop" and horse.coat is not None
    assert horse.position[0] == pytest.approx(-end[0]) and end[0] > 0


def test_a_bark_is_the_dogs_line_and_it_looks_at_the_cat():
    plan = plan_scene("a corgi barks at a cat")
    corgi = next(a for a in plan.scene.animals if a.species == "dog")
    assert corgi.breed == "corgi"
    (line,) = plan.scene.audio.dialogue
    assert (line.sound, line.speaker) == ("bark", corgi.id)
    assert [(s.do, s.target) for s in corgi.script] == [("look_at", "cat")]


def test_pigeons_stand_on_the_way_of_the_passing_car():
    plan = plan_scene("pigeons scatter as a car passes")
    (flock,) = plan.scene.flocks
    (car,) = plan.scene.entities
    assert flock.species == "pigeon" and flock.count > 1
    # the flock is where the car will be two seconds in: on its line, ahead of it
    assert flock.centre[1] == pytest.approx(car.position[1], abs=0.5)
    assert car.position[0] < flock.centre[0] < car.position[0] + car.velocity[0] * 5.0


@pytest.mark.parametrize("prompt, species, note", [
    ("birds fly over the park", "pigeon", "'birds' shown as pigeons"),
    ("robins peck in the park", "sparrow", "'robins' shown as sparrows"),
    ("a flock of doves takes off", "pigeon", None),
])
def test_birds_are_their_species_or_say_what_stands_in(prompt, species, note):
    plan = plan_scene(prompt)
    (flock,) = plan.scene.flocks
    assert flock.species == species
    assert note is None or note in plan.warnings


def test_fish_without_water_are_said_not_shown():
    plan = plan_scene("a cat watches goldfish")
    assert not plan.scene.flocks
    assert any("fish need water" in w for w in plan.warnings)


def test_fish_in_the_sea_swim_past_the_shore_and_the_plan_plays():
    from worldreel.physics.flocks import check_flock_places

    plan = plan_scene("fish swim in the sea")
    (school,) = plan.scene.flocks
    assert school.species == "goldfish" and school.count > 1
    assert "'fish' shown as goldfish" in plan.warnings
    check_flock_places(plan.scene)  # in water deep enough for them


def test_fish_at_the_beach_swim_in_its_sea():
    """The beach brings its own sea: fish said there are cast into it, not refused."""
    from worldreel.physics.flocks import check_flock_places

    plan = plan_scene("fish swim at the beach")
    (school,) = plan.scene.flocks
    check_flock_places(plan.scene)
    assert not any("fish need water" in w for w in plan.warnings)
