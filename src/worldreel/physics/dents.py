"""Dents: where a crash crushed a vehicle's body, how deep, from the Recording's impacts.

The simulation plays a crash as rigid bodies (physics.driving: a soft crush contact, no
deformation); this module reads back what the crash cost. For every impact of a vehicle's body
with another entity or the world's fixtures (not the road under its tyres), the energy the
collision dissipated is that of the closing motion along the contact normal that did not come
back: E = 1/2 mu (v_in^2 - v_out^2), with mu the pair's reduced mass (a fixed obstacle, a
wall or a fixed entity: the vehicle's own mass), v_in the recorded closing speed at touch-down and v_out the speed at which
they separate along the same normal when the contact ends (from the Recording's velocities).
Both faces crush under the same force, each by Campbell's model with its own stiffness
(assets.crush): a car's front into another's door crushes the door more. The crushed width is
what the two faces share (a front 1.8 m wide into a 4.9 m side: 1.8 m); the crushed height the
overlap of the two lower bodies. A dent shallower than MIN_DENT_M is none. People and animals
struck dent nothing here (their soft bodies are not modelled as crush partners).

The result is a DentEvent per vehicle face hit, in the vehicle's own frame, carried by the
Recording so the picture (render.dents) and anything else read the same dent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.assets.crush import CrushStiffness, face_stiffness, shared_crush
from worldreel.assets.mujoco_spec import ENV_PREFIX, FLOOR, entity_is_fixed
from worldreel.assets.vehicles import VehicleSpec, vehicle_spec
from worldreel.recording import ContactEvent, DentEvent, Recording
from worldreel.scene import Scene

MIN_DENT_M = 0.005  # a crease shallower than 5 mm is a scuff, not a dent
MIN_OVERLAP_M = 0.15  # bodies that barely overlap in height crush over this much at least
GROUND_NORMAL_Z = 0.7  # a contact normal steeper than this against a fixture is the ground


@dataclass(frozen=True)
class _Side:
    """One partner of an impact: its entity (None: a fixed fixture), mass and outward normal."""

    entity: str | None
    spec: VehicleSpec | None
    mass: float
    normal: np.ndarray  # outward, world frame
    material: str
    size: float


def _root(body: str, recording: Recording) -> str | None:
    root = body.split(".")[0]
    return root if root in recording.entity_ids else None


def _mass(entity: str, recording: Recording) -> float:
    """The entity's whole mass: its body and all its links (wheels, knuckles)."""
    if recording.masses is None:
        raise ValueError("the Recording has no masses: dents need a physics-made Recording")
    return float(sum(recording.masses[k] for k, name in enumerate(recording.entity_ids)
                     if name == entity or name.startswith(entity + ".")))


def _sample(recording: Recording, time: float) -> int:
    return int(min(max(round(time * recording.sample_rate), 0), len(recording.times) - 1))


def _rotation(recording: Recording, entity: str, time: float) -> Rotation:
    w, x, y, z = recording.quaternions[_sample(recording, time), recording.index(entity)]
    return Rotation.from_quat([x, y, z, w])


def _face(normal_local: np.ndarray) -> str:
    if abs(normal_local[0]) >= abs(normal_local[1]):
        return "front" if normal_local[0] > 0 else "rear"
    return "left" if normal_local[1] > 0 else "right"


def _face_segment(spec: VehicleSpec, face: str) -> np.ndarray:
    """The face's two ends in the vehicle's own frame (x, y), m."""
    xf, half = spec.front_x, 0.5 * spec.width
    xr = xf - spec.length
    return np.array({"front": [[xf, -half], [xf, half]], "rear": [[xr, -half], [xr, half]],
                     "left": [[xr, half], [xf, half]], "right": [[xr, -half], [xf, -half]]}[face])


def _world_segment(recording: Recording, side: _Side, face: str, time: float) -> np.ndarray:
    ends = np.column_stack([_face_segment(side.spec, face), np.zeros(2)])
    origin = recording.positions[_sample(recording, time), recording.index(side.entity)]
    return (_rotation(recording, side.entity, time).apply(ends) + origin)[:, :2]


def _footprint(recording: Recording, event: ContactEvent, sides: tuple[_Side, _Side],
               faces: list[str | None]) -> tuple[np.ndarray, float]:
    """Where along the faces the crush lies (world x, y of its middle) and how wide it is: the
    stretch the two faces share, or an obstacle's own size about the contact point."""
    point = np.asarray(event.point[:2], float)
    segments = [_world_segment(recording, s, f, event.time) if s.spec is not None else None
                for s, f in zip(sides, faces)]
    k = 0 if segments[0] is not None else 1
    own = segments[k]
    axis = (own[1] - own[0]) / max(float(np.linalg.norm(own[1] - own[0])), 1e-9)
    lo, hi = sorted(float(np.dot(e - own[0], axis)) for e in own)
    other = segments[1 - k]
    if other is not None:
        o_lo, o_hi = sorted(float(np.dot(e - own[0], axis)) for e in other)
    else:
        at = float(np.dot(point - own[0], axis))
        size = sides[1 - k].size
        o_lo, o_hi = at - 0.5 * size, at + 0.5 * size
    lo, hi = max(lo, o_lo), min(hi, o_hi)
    if hi - lo < MIN_OVERLAP_M:  # corners that only just met
        at = float(np.clip(np.dot(point - own[0], axis), lo, hi)) if hi > lo else \
            float(np.dot(point - own[0], axis))
        lo, hi = at - 0.5 * MIN_OVERLAP_M, at + 0.5 * MIN_OVERLAP_M
    return own[0] + 0.5 * (lo + hi) * axis, hi - lo


def _separation(recording: Recording, event: ContactEvent, a: _Side, b: _Side) -> float:
    """How fast a and b move apart along the contact normal when the contact ends (m/s)."""
    sample = min(_sample(recording, event.end) + 1, len(recording.times) - 1)
    velocity = recording.velocities[sample]
    va = velocity[recording.index(a.entity)] if a.entity else np.zeros(3)
    vb = velocity[recording.index(b.entity)] if b.entity else np.zeros(3)
    return max(0.0, float(np.dot(vb - va, a.normal)))


def dissipated_energy(closing: float, separating: float, mass_a: float, mass_b: float) -> float:
    """Energy (J) a collision took out of the closing motion of two masses (kg; math.inf: a
    fixed obstacle): 1/2 mu (closing^2 - separating^2), mu the reduced mass."""
    inverse = (1.0 / mass_a if math.isfinite(mass_a) else 0.0) + \
              (1.0 / mass_b if math.isfinite(mass_b) else 0.0)
    if inverse <= 0.0:
        return 0.0
    return max(0.0, 0.5 * (closing * closing - separating * separating) / inverse)


def _sides(scene: Scene, recording: Recording, event: ContactEvent) -> tuple[_Side, _Side] | None:
    roots = (_root(event.body_a, recording), _root(event.body_b, recording))
    if roots[0] == roots[1]:
        return None
    specs = [vehicle_spec(scene.entity(r).asset) if r is not None else None for r in roots]
    if specs[0] is None and specs[1] is None:
        return None
    for root, body in zip(roots, (event.body_a, event.body_b)):
        if root is None and not (body == FLOOR or body.startswith(ENV_PREFIX)):
            return None  # a person or an animal: soft, and no wall (not modelled)
    normal = np.asarray(event.normal, float)
    if None in roots and abs(normal[2]) > GROUND_NORMAL_Z:
        return None  # the road (or a kerb's top) under a wheel
    sides = []
    for k, (root, spec) in enumerate(zip(roots, specs)):
        fixed = root is None or entity_is_fixed(scene.entity(root), scene)
        sides.append(_Side(root, spec, math.inf if fixed else _mass(root, recording),
                           normal if k == 0 else -normal,
                           (event.material_a, event.material_b)[k],
                           (event.size_a, event.size_b)[k]))
    return sides[0], sides[1]


def _stiffness(side: _Side, face: str) -> CrushStiffness | None:
    if side.spec is None:
        return None  # a fixture or a prop: rigid against a car body
    return face_stiffness(face, side.mass, side.spec.width)


def _dent(recording: Recording, event: ContactEvent, side: _Side, face: str, depth: float,
          width: float, middle: np.ndarray, band: tuple[float, float],
          energy: float) -> DentEvent:
    rotation = _rotation(recording, side.entity, event.time)
    origin = recording.positions[_sample(recording, event.time), recording.index(side.entity)]
    point = rotation.inv().apply(np.array([middle[0], middle[1], 0.0]) - origin)
    point[2] = 0.5 * (band[0] + band[1])
    normal = rotation.inv().apply(side.normal)
    normal[2] = 0.0
    normal /= max(float(np.linalg.norm(normal)), 1e-9)
    return DentEvent(time=event.time, entity=side.entity, face=face,
                     point=tuple(float(v) for v in point),
                     normal=tuple(float(v) for v in normal), depth=depth, width=width,
                     height=band[1] - band[0], energy=energy)


def _band(a: _Side, b: _Side, z: float) -> tuple[float, float]:
    """The height (vehicle frame, m) over which the faces meet: the lower bodies' overlap."""
    spans = [(s.spec.clearance, s.spec.beltline) for s in (a, b) if s.spec is not None]
    lo, hi = max(s[0] for s in spans), min(s[1] for s in spans)
    if hi - lo < MIN_OVERLAP_M:  # a high bumper over a low one: around where they met
        lo, hi = max(0.0, z - 0.5 * MIN_OVERLAP_M), z + 0.5 * MIN_OVERLAP_M
    return lo, hi


def vehicle_dents(scene: Scene, recording: Recording) -> tuple[DentEvent, ...]:
    """Every lasting dent the Recording's impacts leave in the Scene's vehicles, in time order."""
    dents = []
    for event in recording.impacts():
        sides = _sides(scene, recording, event)
        if sides is None:
            continue
        a, b = sides
        energy = dissipated_energy(event.speed, _separation(recording, event, a, b), a.mass,
                                   b.mass)
        faces = []
        for side in (a, b):
            if side.spec is None:
                faces.append(None)
                continue
            local = _rotation(recording, side.entity, event.time).inv().apply(side.normal)
            faces.append(_face(local))
        middle, width = _footprint(recording, event, (a, b), faces)
        stiff = [_stiffness(s, f) if f is not None and s.material != "tyre" else None
                 for s, f in zip((a, b), faces)]
        if stiff[0] is None and stiff[1] is None:
            continue  # a tyre against a fixture: the wheel takes it
        first, second = (0, 1) if stiff[0] is not None else (1, 0)
        crush = shared_crush(energy, width, stiff[first], stiff[second])
        depths = {first: crush[0], second: crush[1]}
        band = _band(a, b, float(event.point[2]))
        for k, side in enumerate((a, b)):
            if stiff[k] is not None and depths[k] >= MIN_DENT_M:
                share = stiff[k].energy(depths[k], width) - width * stiff[k].threshold
                dents.append(_dent(recording, event, side, faces[k], depths[k], width,
                                   middle, band, share))
    return tuple(sorted(dents, key=lambda d: (d.time, d.entity)))
