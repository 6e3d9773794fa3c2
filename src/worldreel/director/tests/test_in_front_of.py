"""'In front of' and 'behind' mean towards and away from the camera, for things and people."""

import pytest

from worldreel.director import plan_scene
from worldreel.director.tests.helpers import one
from worldreel.director import geometry


def _grounded(plan, text: str) -> bool:
    return any(g.text == text and g.status == "grounded" for g in plan.grounding)


def _y_extent(entity) -> tuple[float, float]:
    lo, hi = geometry.bounds(geometry.entity_solids(entity))
    return float(lo[1]), float(hi[1])


def test_a_thing_in_front_of_a_wall_is_between_the_wall_and_the_camera():
    plan = plan_scene("a crate in front of a wall")
    crate, wall = one(plan.scene, "crate"), one(plan.scene, "wall")
    lo, hi = geometry.bounds(geometry.entity_solids(wall))
    assert hi[0] - lo[0] > 4 * (hi[1] - lo[1])  # the wall stands across the view
    assert _y_extent(crate)[1] < lo[1]  # on the camera's side (-y) of it
    assert _grounded(plan, "in front of")


def test_a_person_in_front_of_a_thing_stands_on_the_camera_side_facing_it():
    plan = plan_scene("a woman stands in front of a table")
    table, woman = one(plan.scene, "table"), plan.scene.characters[0]
    lo, hi = _y_extent(table)
    assert woman.position[1] < lo  # nearer the camera than the table
    assert lo - woman.position[1] < 1.5  # by the table, not across the room
    assert abs(woman.position[0] - table.position[0]) < 0.3
    assert woman.facing == -90.0  # towards the camera
    assert not woman.script  # standing is all she does
    assert _grounded(plan, "in front of") and _grounded(plan, "stands")


def test_a_person_behind_a_thing_stands_beyond_it():
    plan = plan_scene("a boy waves behind a crate")
    crate, boy = one(plan.scene, "crate"), plan.scene.characters[0]
    assert boy.position[1] > _y_extent(crate)[1]
    assert [s.do for s in boy.script] == ["wave"]
    assert _grounded(plan, "behind")


@pytest.mark.parametrize("side, sign", [("left", -1), ("right", 1)])
def test_a_person_to_one_side_of_a_thing(side, sign):
    plan = plan_scene(f"a man stands to the {side} of a chair")
    chair, man = one(plan.scene, "chair"), plan.scene.characters[0]
    assert sign * (man.position[0] - chair.position[0]) > 0.5


def test_two_people_in_front_of_a_thing_stand_side_by_side():
    plan = plan_scene("two girls stand in front of a crate")
    xs = sorted(c.position[0] for c in plan.scene.characters)
    crate = one(plan.scene, "crate")
    assert xs[1] - xs[0] > 1.0  # not inside each other
    assert min(xs) < crate.position[0] < max(xs)  # the crate between them, seen from the front


def test_a_front_view_films_the_layout_from_its_front_at_eye_level():
    plan = plan_scene("a crate to the right of a barrel, front view")
    shot = plan.scene.shots[0]
    assert shot.azimuth == 90.0  # looking along +y: from the side things are in front of
    assert shot.elevation < 10.0
    assert _grounded(plan, "front view")
    crate = one(plan.scene, "crate")
    others = [e for e in plan.scene.entities if e.id != crate.id]
    assert crate.position[0] > others[0].position[0]  # right, as the front view sees it
