"""Small queries on a Scene that say what a viewer would notice."""

from __future__ import annotations

import numpy as np

from worldreel.assets import ASSETS
from worldreel.director import geometry
from worldreel.scene import Entity, Scene

SUPPORT_TOLERANCE_M = 3e-3


def by_asset(scene: Scene, asset: str) -> list[Entity]:
    return [e for e in scene.entities if e.asset == asset]


def one(scene: Scene, asset: str) -> Entity:
    found = by_asset(scene, asset)
    assert len(found) == 1, f"expected one {asset}, got {[e.id for e in scene.entities]}"
    return found[0]


def actions_of(scene: Scene, entity_id: str) -> list:
    return [a for a in scene.actions if a.entity == entity_id]


def bottom(entity: Entity) -> float:
    return float(geometry.bounds(geometry.entity_solids(entity))[0][2])


def top_of_box_part(entity: Entity) -> float:
    """Height of the highest flat box top of a prop (a table's top, a crate's lid)."""
    spec = ASSETS[entity.asset]
    boxes = [p for p in spec.parts if p.shape == "box" and p.collides
             and not any(p.euler)]
    part = max(boxes, key=lambda p: p.pos[2] + p.size[2])
    return entity.position[2] + (part.pos[2] + part.size[2]) * entity.scale


def gap_between(a: Entity, b: Entity) -> float:
    return min(geometry.gap(x, y) for x in geometry.entity_solids(a)
               for y in geometry.entity_solids(b))


def is_supported(scene: Scene, entity: Entity) -> bool:
    """Resting on the floor or touching something below it."""
    if bottom(entity) <= SUPPORT_TOLERANCE_M:
        return True
    return any(gap_between(entity, other) <= SUPPORT_TOLERANCE_M
               and bottom(other) < bottom(entity)
               for other in scene.entities if other.id != entity.id)


def held_or_launched(scene: Scene, entity: Entity) -> bool:
    """Something keeps it where it is or sets it moving at its action (a drop, a throw), or it
    starts with a velocity of its own."""
    kinds = {a.kind for a in actions_of(scene, entity.id)}
    return bool(kinds & {"drop", "throw"}) or bool(np.any(np.asarray(entity.velocity)))
