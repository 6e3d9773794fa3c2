"""The sports assets of issue #15 at their rule sizes and masses, as the physics builds them."""

from __future__ import annotations

import math

import numpy as np
import pytest

from worldreel.assets import ASSETS
from worldreel.assets.registry import CUP_BOTTOM_M, GREEN_TOP_M, HOLE_RADIUS_M, HOLE_X_M

# (asset, diameter range m, mass range kg) from the rules cited in registry.py
RULES = [
    ("golf_ball", (0.04267, 0.0430), (0.0450, 0.04593)),  # Rules of Golf
    ("baseball", (0.0728, 0.0748), (0.142, 0.149)),  # MLB 3.01: 9-9.25 in, 5-5.25 oz
    ("ping_pong_ball", (0.0400, 0.0406), (0.0027, 0.0028)),  # ITTF 2.3
    ("volleyball", (0.65 / math.pi, 0.67 / math.pi), (0.260, 0.280)),  # FIVB 3.1
]


def _model(entity_asset: str):
    import mujoco

    from worldreel.assets.mujoco_spec import build_spec
    from worldreel.scene import Entity, Scene

    radius = ASSETS[entity_asset].rest_height or 0.1
    scene = Scene(entities=[Entity(id="x", asset=entity_asset, position=(0.0, 0.0, radius))])
    spec, _ = build_spec(scene, movable="free")
    model = spec.compile()
    return model, mujoco.mj_name2id(model, mujoco.mjtObj.mjOBJ_BODY, "x")


@pytest.mark.parametrize("name, diameter, mass", RULES)
def test_balls_are_their_rule_size_and_mass_in_the_physics(name, diameter, mass):
    spec = ASSETS[name]
    assert diameter[0] - 1e-6 <= 2 * spec.radius <= diameter[1]
    model, body = _model(name)
    # the seam and panel decorations add nothing: the body weighs what the rule says
    assert mass[0] <= model.body_mass[body] <= mass[1] + 1e-6


def test_hollow_balls_float_and_solid_ones_are_solid():
    for name in ("ping_pong_ball", "volleyball", "beach_ball"):
        spec = ASSETS[name]
        density = spec.mass / (4 / 3 * math.pi * spec.radius**3)
        assert spec.hollow and density < 998.0, name  # lighter than water
    assert not ASSETS["golf_ball"].hollow and not ASSETS["baseball"].hollow


def test_the_hole_is_108_mm_and_the_cup_is_deep_enough():
    green = ASSETS["putting_green"]
    assert green.fixed and green.anchors["hole"] == (HOLE_X_M, 0.0, GREEN_TOP_M)
    assert 2 * HOLE_RADIUS_M == pytest.approx(0.108)
    assert GREEN_TOP_M - CUP_BOTTOM_M >= 0.1016 - 1e-9
    assert CUP_BOTTOM_M > 0.0  # the cup floor is above the floor plane, which collides
    # nothing that collides reaches into the hole's circle above the cup floor
    from worldreel.director import geometry

    for solid in geometry.part_solids("putting_green", (0.0, 0.0, 0.0)):
        lo, hi = solid.bounds()
        if hi[2] <= CUP_BOTTOM_M + 1e-9:
            continue
        for angle in range(0, 360, 5):
            a = math.radians(angle)
            point = (HOLE_X_M + 0.97 * HOLE_RADIUS_M * math.cos(a),
                     0.97 * HOLE_RADIUS_M * math.sin(a), 0.5 * (GREEN_TOP_M + CUP_BOTTOM_M))
            local = solid.axes.T @ (np.asarray(point) - solid.center)
            assert not np.all(np.abs(local) < solid.half), (solid, angle)
