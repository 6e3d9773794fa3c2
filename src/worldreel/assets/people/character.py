"""From a Scene's character to its body and limbs (cached: the same body is built once)."""

from __future__ import annotations

from functools import lru_cache

from worldreel.assets.people.body import Body, BodyShape, build_body
from worldreel.assets.people.segments import Segment, body_segments
from worldreel.scene import BodySpec, Scene


def body_shape(spec: BodySpec) -> BodyShape:
    """The body-model parameters of a Scene's body description."""
    return BodyShape(age=spec.age, gender=spec.gender, weight=spec.weight, muscle=spec.muscle,
                     height=spec.height)


@lru_cache(maxsize=32)
def body_of(spec: BodySpec) -> Body:
    """The shaped, rigged body of a Scene's body description."""
    return build_body(body_shape(spec))


@lru_cache(maxsize=32)
def segments_of(spec: BodySpec) -> tuple[Segment, ...]:
    return body_segments(body_of(spec))


def character_segments(scene: Scene) -> dict[str, tuple[Segment, ...]]:
    """Every character's kinematic limbs, by character id."""
    return {c.id: segments_of(c.body) for c in scene.characters}
