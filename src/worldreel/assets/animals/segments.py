"""An animal's collision geometry: one geom per bone (capsules along the trunk, neck, legs and
tail, spheres for the head and feet), in the bone's rest frame, with the bone's mass; the
masses sum to the animal's. Physics moves them kinematically like a person's limbs
(physics.cast), so a dog's jaw really meets a thrown ball and a hoof really strikes the floor.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from worldreel.assets.animals.body import AnimalBody, body_of_animal
from worldreel.assets.people.segments import SOLE_PRESS_M, Segment
from worldreel.scene import Animal, Scene

_IDENTITY = (1.0, 0.0, 0.0, 0.0)


def foot_bones(body: AnimalBody) -> tuple[str, ...]:
    return tuple(n for n in body.names if n.startswith("foot_"))


def animal_segments_of(body: AnimalBody) -> tuple[Segment, ...]:
    """One collision geom per bone of the animal."""
    h = body.shoulder_height
    shape = body.shape
    length, depth, width = (f * h for f in shape.torso)
    out = []
    for k, name in enumerate(body.names):
        head, tail = body.heads[k], body.tails[k]
        mass = body.masses[name]
        if name in ("pelvis", "spine", "chest"):
            r = 0.45 * min(depth, width)
            a, b = head - head, tail - head
            if name == "chest":  # the chest's tail rises to the neck: keep it level
                b = np.array([0.25 * length, 0.0, 0.0])
            out.append(_capsule(name, a, b, r, mass))
        elif name == "head":
            r = 0.5 * shape.head[1] * h
            centre = 0.35 * (tail - head)
            out.append(Segment(name, "sphere", (r,), tuple(map(float, centre)), _IDENTITY,
                               None, mass))
        elif name.startswith("foot_"):
            fh = float(head[2])
            r = max(min(0.5 * shape.legs[0] * h, fh), 0.004)
            centre = np.array([0.4 * (tail[0] - head[0]), 0.0, r - SOLE_PRESS_M - fh])
            out.append(Segment(name, "sphere", (r,), tuple(map(float, centre)), _IDENTITY,
                               None, mass))
        else:
            r = _radius(body, name)
            out.append(_capsule(name, np.zeros(3), tail - head, r, mass))
    return tuple(out)


def _radius(body: AnimalBody, name: str) -> float:
    h = body.shoulder_height
    shape = body.shape
    if name == "neck":
        return 0.5 * shape.neck[2] * h
    if name == "jaw":
        return 0.18 * shape.head[1] * h
    if name.startswith("ear_"):
        return 0.1 * shape.ears[1] * h
    if name.startswith("tail_"):
        return max(0.5 * shape.tail[1] * h, 0.003)
    if name.startswith("trunk_"):
        return 0.05 * h
    return 0.45 * shape.legs[0] * h  # leg bones


def _capsule(bone: str, a: np.ndarray, b: np.ndarray, radius: float, mass: float) -> Segment:
    if np.linalg.norm(b - a) < 1e-6:
        b = a + np.array([0.0, 0.0, 1e-3])
    return Segment(bone, "capsule", (float(radius),), (0.0, 0.0, 0.0), _IDENTITY,
                   tuple(float(v) for v in (*a, *b)), float(mass))


@lru_cache(maxsize=64)
def _cached(animal: Animal) -> tuple[Segment, ...]:
    return animal_segments_of(body_of_animal(animal))


def animal_segments(scene: Scene) -> dict[str, tuple[Segment, ...]]:
    """Every animal's kinematic bones, by animal id."""
    return {a.id: _cached(a) for a in scene.animals}
