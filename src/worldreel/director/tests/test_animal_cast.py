"""Animals read from prompts: species by what WordNet files a noun under, breeds and young ones,
what each animal does (to what), the sounds it makes, and whose verbs are whose."""

import pytest

from worldreel.director.animal_cast import (animal_mentions, cast_animals, species_of,
                                            unknown_animals)
from worldreel.director.cast import cast_people
from worldreel.director.parser import parse


@pytest.mark.parametrize("word, species, breed", [
    ("stallion", "horse", None), ("pony", "horse", None), ("mustang", "horse", None),
    ("poodle", "dog", "poodle"), ("corgi", "dog", "corgi"), ("retriever", "dog", "labrador"),
    ("hound", "dog", "beagle"), ("mutt", "dog", None), ("tomcat", "cat", None),
    ("bull", "cow", None), ("ox", "cow", None), ("grizzly", "bear", None),
])
def test_a_noun_is_the_species_wordnet_files_it_under(word, species, breed):
    found = species_of(word)
    assert found is not None and found[:2] == (species, breed)


@pytest.mark.parametrize("word, species", [("puppy", "dog"), ("kitten", "cat"), ("foal", "horse"),
                                           ("calf", "cow"), ("lamb", "sheep"), ("cub", "bear")])
def test_young_animals_are_their_species_smaller(word, species):
    found = species_of(word)
    assert found is not None and found[0] == species and found[2] < 1.0


@pytest.mark.parametrize("word", ["wolf", "panda", "fox", "chair", "man"])
def test_no_species_stands_in_for_another_animal(word):
    assert species_of(word) is None


def _cast(text: str):
    p = parse(text)
    beasts = animal_mentions(p)
    people = cast_people(p, stops=frozenset(at for b in beasts for at in b.mentions))
    cast_animals(p, beasts, {at for q in people for at in q.mentions})
    return p, beasts, people


def test_verbs_and_what_they_act_on():
    p, beasts, _ = _cast("a black horse gallops across the field and jumps over a fence")
    (horse,) = beasts
    assert horse.species == "horse" and horse.coat is not None
    verbs = [(verb, target and p.items[target].words) for verb, _, target, _ in horse.steps]
    assert verbs == [("gallop", None), ("jump", ("fence",))]


def test_the_person_throws_and_the_dog_catches():
    """What follows the dog is the dog's: the man does not catch, the dog does not throw."""
    p, (dog,), (man,) = _cast("a man throws a ball to his dog and the dog catches it")
    assert [verb for verb, _ in man.steps] == ["throw"]
    (verb, _, target, _), = dog.steps
    assert verb == "catch" and p.items[target].words == ("ball",)  # "it" is the ball
    assert p.unused_words() == []


def test_sounds_and_manner():
    _, (cow,), _ = _cast("a cow slowly walks and moos")
    assert [(s[0], s[3]) for s in cow.steps] == [("walk", 0.6)]
    assert [sound for sound, _ in cow.sounds] == ["moo"]


def test_a_dog_taken_for_a_walk_follows_its_walker():
    p, (dog,), (girl,) = _cast("a girl walks her dog")
    (verb, _, target, _), = dog.steps
    assert verb == "chase" and target == girl.at


def test_counts_and_young():
    _, (cats,), _ = _cast("two kittens sleep")
    assert cats.count == 2 and cats.species == "cat" and cats.size < 1.0
    assert [s[0] for s in cats.steps] == ["lie_down"]


def test_animals_no_species_covers_are_named_not_replaced():
    p, beasts, _ = _cast("a wolf howls at the moon")
    assert beasts == [] and unknown_animals(p) == ["wolf"]
