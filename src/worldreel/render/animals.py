"""Animals in the preview: each animal's bones as mocap bodies carrying the solids of its look
(assets.animals.looks), posed from the Recording's character tracks (animals' tracks sit
among the people's, under the animal's id), with a soft shadow under each. A ridden horse
wears its tack (assets.animals.tack); its reins run from the bit to the rider's hands and its
stirrups hang under the rider's feet, posed with both.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.assets.animals import animal_parts, body_of_animal
from worldreel.assets.animals.tack import (LEATHER, REIN_M, STEEL, STRAP_M, bit_points,
                                           saddle_seat, tack_parts)
from worldreel.recording import Recording
from worldreel.render.people import bones_at
from worldreel.scene import Scene

KINDS = ("sphere", "capsule", "ellipsoid", "box", "cylinder")
# A strap between two moving points (a rein, a stirrup leather) is drawn as a chain of short
# capsules spread evenly along it each frame: any length up to SEGMENTS x 2 SEGMENT_HALF_M.
SEGMENTS, SEGMENT_HALF_M = 8, 0.09
IRON = (0.055, 0.065, 0.008)  # half sizes of a stirrup iron's tread, m
STRAPS = ("rein_l", "rein_r", "leather_l", "leather_r")


def animal_bone_body(animal_id: str, bone: str) -> str:
    """Name of the render body of one bone of one animal."""
    return f"{animal_id}:{bone}"


def add_animal(mujoco, spec, animal_id: str, body, seed: int = 0, ridden: bool = False
               ) -> None:
    """Add one animal's bone bodies and their solids to a render spec (`ridden`: its tack
    too)."""
    kinds = {k: getattr(mujoco.mjtGeom, f"mjGEOM_{k.upper()}") for k in KINDS}
    bodies = {bone: spec.worldbody.add_body(name=animal_bone_body(animal_id, bone), mocap=True,
                                            pos=list(map(float, body.heads[k])))
              for k, bone in enumerate(body.names)}
    parts = animal_parts(body, seed) + (tack_parts(body) if ridden else ())
    if ridden:
        _add_straps(mujoco, spec, animal_id)
    for n, part in enumerate(parts):
        geom = bodies[part.bone].add_geom()
        geom.name = f"{animal_id}:part{n}"
        geom.type = kinds[part.geom]
        geom.size = list(part.size) + [0.0] * (3 - len(part.size))
        geom.pos = list(part.pos)
        geom.quat = list(part.quat)
        geom.rgba = list(part.rgba)
        geom.contype = geom.conaffinity = 0


def _add_straps(mujoco, spec, animal_id: str) -> None:
    """The reins' and stirrup leathers' capsule chains and the two stirrup irons, as mocap
    bodies posed every frame (AnimalPoser)."""
    for strap in STRAPS:
        radius = REIN_M if strap.startswith("rein") else STRAP_M
        for k in range(SEGMENTS):
            geom = spec.worldbody.add_body(name=f"{animal_id}:{strap}{k}", mocap=True).add_geom()
            geom.type = mujoco.mjtGeom.mjGEOM_CAPSULE
            geom.size = [radius, SEGMENT_HALF_M, 0.0]
            geom.rgba = list(LEATHER)
            geom.contype = geom.conaffinity = 0
    for side in ("l", "r"):
        geom = spec.worldbody.add_body(name=f"{animal_id}:iron_{side}", mocap=True).add_geom()
        geom.type = mujoco.mjtGeom.mjGEOM_BOX
        geom.size = list(IRON)
        geom.rgba = list(STEEL)
        geom.contype = geom.conaffinity = 0


def ridden_by(scene: Scene) -> dict[str, str]:
    """animal id -> the id of the person riding it."""
    animals = {a.id for a in scene.animals}
    return {c.rides: c.id for c in scene.characters if c.rides in animals}


def add_animals(mujoco, spec, scene: Scene) -> None:
    """Add every animal of the Scene to a render spec."""
    riders = ridden_by(scene)
    for animal in scene.animals:
        add_animal(mujoco, spec, animal.id, body_of_animal(animal), scene.seed,
                   ridden=animal.id in riders)


class AnimalPoser:
    """Poses every animal of a compiled render model at any (fractional) sample."""

    def __init__(self, model, scene: Scene, recording: Recording):
        ids = {a.id for a in scene.animals}
        self.tracks = [t for t in recording.characters if t.id in ids]
        self.mocap = [np.array([int(model.body_mocapid[model.body(animal_bone_body(t.id, b)).id])
                                for b in t.bones]) for t in self.tracks]
        self.radius = {a.id: 0.45 * body_of_animal(a).shoulder_height for a in scene.animals}
        self.count = len(recording.times)
        tracks = {t.id: t for t in recording.characters}
        self.tack = [_Tack(model, animal, tracks[animal], tracks[rider],
                           body_of_animal(scene.animal(animal)))
                     for animal, rider in ridden_by(scene).items()
                     if animal in tracks and rider in tracks]

    def pose(self, model, data, sample: float) -> None:
        """Set every animal's bone bodies (and a ridden one's reins and stirrups) at a
        fractional sample index."""
        for track, mocap in zip(self.tracks, self.mocap):
            pos, quat, _ = bones_at(track, sample)
            data.mocap_pos[mocap] = pos
            data.mocap_quat[mocap] = quat
        for tack in self.tack:
            tack.pose(data, sample)

    def shadows(self, sample: float) -> list[tuple[float, float, float, float]]:
        """(x, y, radius, height above the floor) of a soft shadow under each animal."""
        i = min(int(round(sample)), self.count - 1)
        out = []
        for track in self.tracks:
            middle = track.bone_positions[i, track.bones.index("spine")]
            feet = min(track.bone_positions[i, k, 2] for k, b in enumerate(track.bones)
                       if b.startswith("foot_"))
            out.append((float(middle[0]), float(middle[1]), self.radius[track.id],
                        max(float(feet) - 0.08, 0.0)))
        return out


class _Tack:
    """A ridden horse's reins and stirrups, posed between its bones and its rider's."""

    def __init__(self, model, animal_id: str, horse, rider, body):
        self.horse, self.rider, self.body = horse, rider, body
        self.mocap = {name: int(model.body_mocapid[model.body(f"{animal_id}:{name}").id])
                      for name in [f"{s}{k}" for s in STRAPS for k in range(SEGMENTS)]
                      + ["iron_l", "iron_r"]}
        seat = saddle_seat(body)
        half = 0.5 * body.shape.torso[2] * body.shoulder_height
        self.hangers = {s: np.array([seat[0], sign * (half + 0.02), body.shoulder_height - 0.02])
                        for s, sign in (("l", 1), ("r", -1))}
        self.bits = dict(zip(("l", "r"), bit_points(body)))

    def _carried(self, pos, quat, bone: str, rest_point: np.ndarray) -> np.ndarray:
        k = self.horse.bones.index(bone)
        turn = Rotation.from_quat(np.roll(quat[k], -1))
        return pos[k] + turn.apply(rest_point - self.body.heads[self.body.bone(bone)])

    def _strap(self, data, name: str, a: np.ndarray, b: np.ndarray) -> None:
        axis = b - a
        length = max(float(np.linalg.norm(axis)), 1e-6)
        turn = Rotation.align_vectors([axis / length], [[0.0, 0.0, 1.0]])[0]
        quat = np.roll(turn.as_quat(), 1)
        for k in range(SEGMENTS):  # evenly along, each its own share (overlapping when short)
            centre = a + axis * (k + 0.5) / SEGMENTS
            data.mocap_pos[self.mocap[f"{name}{k}"]] = centre
            data.mocap_quat[self.mocap[f"{name}{k}"]] = quat

    def pose(self, data, sample: float) -> None:
        pos, quat, _ = bones_at(self.horse, sample)
        rider_pos, rider_quat, _ = bones_at(self.rider, sample)
        spine = Rotation.from_quat(np.roll(quat[self.horse.bones.index("spine")], -1))
        for side in ("l", "r"):
            hand = rider_pos[self.rider.bones.index(f"hand_{side}")]
            knuckle = rider_pos[self.rider.bones.index(f"middle_01_{side}")]
            self._strap(data, f"rein_{side}", self._carried(pos, quat, "head", self.bits[side]),
                        0.5 * (hand + knuckle))
            ball = rider_pos[self.rider.bones.index(f"ball_{side}")]
            iron = ball - spine.apply([0.0, 0.0, 0.012])
            data.mocap_pos[self.mocap[f"iron_{side}"]] = iron
            data.mocap_quat[self.mocap[f"iron_{side}"]] = np.roll(spine.as_quat(), 1)
            hanger = self._carried(pos, quat, "spine", self.hangers[side])
            self._strap(data, f"leather_{side}", hanger, iron + spine.apply([0.0, 0.0, 0.01]))
