"""Animals in the preview: each animal's bones as mocap bodies carrying the solids of its look
(assets.animals.looks), posed from the Recording's character tracks (animals' tracks sit
among the people's, under the animal's id), with a soft shadow under each.
"""

from __future__ import annotations

import numpy as np

from worldreel.assets.animals import animal_parts, body_of_animal
from worldreel.recording import Recording
from worldreel.render.people import bones_at
from worldreel.scene import Scene

KINDS = ("sphere", "capsule", "ellipsoid", "box", "cylinder")


def animal_bone_body(animal_id: str, bone: str) -> str:
    """Name of the render body of one bone of one animal."""
    return f"{animal_id}:{bone}"


def add_animal(mujoco, spec, animal_id: str, body, seed: int = 0) -> None:
    """Add one animal's bone bodies and their solids to a render spec."""
    kinds = {k: getattr(mujoco.mjtGeom, f"mjGEOM_{k.upper()}") for k in KINDS}
    bodies = {bone: spec.worldbody.add_body(name=animal_bone_body(animal_id, bone), mocap=True,
                                            pos=list(map(float, body.heads[k])))
              for k, bone in enumerate(body.names)}
    for n, part in enumerate(animal_parts(body, seed)):
        geom = bodies[part.bone].add_geom()
        geom.name = f"{animal_id}:part{n}"
        geom.type = kinds[part.geom]
        geom.size = list(part.size) + [0.0] * (3 - len(part.size))
        geom.pos = list(part.pos)
        geom.quat = list(part.quat)
        geom.rgba = list(part.rgba)
        geom.contype = geom.conaffinity = 0


def add_animals(mujoco, spec, scene: Scene) -> None:
    """Add every animal of the Scene to a render spec."""
    for animal in scene.animals:
        add_animal(mujoco, spec, animal.id, body_of_animal(animal), scene.seed)


class AnimalPoser:
    """Poses every animal of a compiled render model at any (fractional) sample."""

    def __init__(self, model, scene: Scene, recording: Recording):
        ids = {a.id for a in scene.animals}
        self.tracks = [t for t in recording.characters if t.id in ids]
        self.mocap = [np.array([int(model.body_mocapid[model.body(animal_bone_body(t.id, b)).id])
                                for b in t.bones]) for t in self.tracks]
        self.radius = {a.id: 0.45 * body_of_animal(a).shoulder_height for a in scene.animals}
        self.count = len(recording.times)

    def pose(self, model, data, sample: float) -> None:
        """Set every animal's bone bodies at a fractional sample index."""
        for track, mocap in zip(self.tracks, self.mocap):
            pos, quat, _ = bones_at(track, sample)
            data.mocap_pos[mocap] = pos
            data.mocap_quat[mocap] = quat

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
