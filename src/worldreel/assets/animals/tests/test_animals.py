"""The species table and the bodies built from it: every species and breed builds, weighs what
the table says, stands as tall, and the Scene's names and the table agree."""

from __future__ import annotations

import numpy as np
import pytest

from worldreel.assets.animals import (animal_parts, animal_segments_of, build_body, coat_names,
                                      species_table)
from worldreel.assets.materials import MATERIALS
from worldreel.assets.scene_check import check_scene_assets
from worldreel.errors import SceneError
from worldreel.scene import BREEDS, SPECIES, Animal, Scene

CAST = [(s, b) for s in SPECIES for b in (BREEDS.get(s) or (None,))]


def test_the_scene_and_the_table_name_the_same_species_and_breeds():
    table = species_table()
    assert set(table) == set(SPECIES)
    for species, entry in table.items():
        assert set(entry.get("breeds", {}) or {}) == set(BREEDS.get(species, ()))


@pytest.mark.parametrize("species,breed", CAST)
def test_each_animal_builds_with_its_mass_and_height(species, breed):
    body = build_body(species, breed)
    entry = species_table()[species]
    own = (entry.get("breeds") or {}).get(breed) or {}
    mass = own.get("mass", entry["mass"])
    height = own.get("shoulder_height", entry["shoulder_height"])
    segments = animal_segments_of(body)
    assert sum(s.mass for s in segments) == pytest.approx(mass, rel=1e-9)
    assert {s.bone for s in segments} == set(body.names)  # one collision geom per bone
    # the withers: the top of the barrel over the front legs
    depth = body.shape.torso[1] * body.shoulder_height
    withers = body.heads[body.bone("chest"), 2] + 0.5 * depth
    assert withers == pytest.approx(height, rel=1e-6)
    # standing on its feet: the soles touch the floor
    feet = [s for s in segments if s.bone.startswith("foot_")]
    assert len(feet) == 4
    for s in feet:
        sole = body.heads[body.bone(s.bone), 2] + s.pos[2] - s.size[0]
        assert -0.005 < sole < 0.0
    assert len(animal_parts(body)) > 20


def test_size_scales_height_and_mass_by_the_cube():
    small, big = build_body("horse", size=0.5), build_body("horse", size=1.0)
    assert small.shoulder_height == pytest.approx(0.5 * big.shoulder_height)
    assert small.mass == pytest.approx(big.mass / 8)


def test_species_tell_apart_by_build():
    """What a glance reads: a giraffe's neck, a dachshund's legs, an elephant's bulk."""
    giraffe, horse = build_body("giraffe"), build_body("horse")
    assert giraffe.tails[giraffe.bone("neck"), 2] > 1.5 * giraffe.shoulder_height
    dachshund, labrador = build_body("dog", "dachshund"), build_body("dog", "labrador")
    assert dachshund.leg_length / dachshund.shoulder_height < 0.7 * (
        labrador.leg_length / labrador.shoulder_height)
    assert build_body("elephant").mass > 8 * horse.mass
    assert "trunk_1" in build_body("elephant").names
    assert "stripes" in build_body("zebra").features


def test_feet_materials_are_in_the_table():
    for name in ("hoof", "paw", "fur"):
        assert name in MATERIALS
    # a hoof knocks (short, hard contact), a paw pads (long, soft)
    assert MATERIALS["hoof"].acoustic.contact_ms < MATERIALS["paw"].acoustic.contact_ms
    assert MATERIALS["hoof"].acoustic.base_hz > MATERIALS["paw"].acoustic.base_hz


def test_an_unknown_coat_names_the_ones_there_are():
    scene = Scene(animals=(Animal(id="rex", species="dog", breed="beagle", coat="purple"),))
    with pytest.raises(SceneError, match="animals\\[0\\].coat: a beagle has no coat 'purple'; "
                                         "choose tricolour"):
        check_scene_assets(scene)
    check_scene_assets(Scene(animals=(Animal(id="rex", species="dog", coat="#123456"),)))
    assert "bay" in coat_names("horse", None)


def test_coat_colours_reach_the_look():
    black = build_body("horse", coat="black")
    grey = build_body("horse", coat="grey")
    assert np.mean(black.colours[0]) < 0.2 < np.mean(grey.colours[0])
