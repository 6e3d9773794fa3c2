"""The flock species table agrees with the Scene's names and with flight mechanics."""

from __future__ import annotations

import math

import pytest

from worldreel.assets.flocks import SPECIES
from worldreel.scene import BIRD_SPECIES, FLOCK_SPECIES

AIR_DENSITY = 1.225  # kg/m^3, sea level (ISA)
G = 9.81


def test_every_scene_species_is_described():
    assert set(SPECIES) == set(FLOCK_SPECIES)


@pytest.mark.parametrize("name", BIRD_SPECIES)
def test_cruise_wingbeat_agrees_with_pennycuicks_formula(name):
    # Pennycuick, "Modelling the Flying Bird" (2008): f = m^3/8 g^1/2 b^-23/24 S^-1/3 rho^-3/8
    bird = SPECIES[name]
    predicted = (bird.mass_kg ** 0.375 * math.sqrt(G) * bird.wingspan_m ** (-23 / 24)
                 * bird.wing_area_m2 ** (-1 / 3) * AIR_DENSITY ** -0.375)
    assert bird.flap_hz_cruise == pytest.approx(predicted, rel=0.15)
    assert bird.flap_hz_take_off > bird.flap_hz_cruise  # faster strokes when slow
    assert bird.wingspan_m > bird.length_m
