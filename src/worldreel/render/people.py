"""People in the preview: each character's bones as mocap bodies carrying its skins (skin,
garments, hair, eyes) and rigid parts (hats, buns), posed from the Recording's character tracks,
with the face units applied to the skins' vertices before each draw. The arms' twist bones
(skin.TWIST_BONES) are mocap bodies too, posed from their limbs each draw.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from worldreel.assets.people import body_of
from worldreel.assets.people.appearance import (add_materials, character_parts,
                                                character_surfaces)
from worldreel.assets.people.faces import face_offsets
from worldreel.assets.people.skin import (TWIST_BONES, add_skin, skin_data, twist_limb,
                                          twist_transforms)
from worldreel.recording import Recording
from worldreel.scene import Scene

SHADOW_RADIUS_M = 0.3  # the soft shadow under a standing person


def bone_body(character_id: str, bone: str) -> str:
    """Name of the render body of one bone of one character."""
    return f"{character_id}:{bone}"


def add_people(mujoco, spec, scene: Scene) -> None:
    """Add every character's bone bodies, skins and rigid parts to a render spec."""
    kinds = {"sphere": mujoco.mjtGeom.mjGEOM_SPHERE, "capsule": mujoco.mjtGeom.mjGEOM_CAPSULE,
             "ellipsoid": mujoco.mjtGeom.mjGEOM_ELLIPSOID, "box": mujoco.mjtGeom.mjGEOM_BOX,
             "cylinder": mujoco.mjtGeom.mjGEOM_CYLINDER}
    for character in scene.characters:
        body = body_of(character.body)
        skins = dressed_skins(character.body, character.outfit, character.hair)
        parts = character_parts(body, character.outfit, character.hair)
        # skins and parts name materials of the table; the spec must hold them
        add_materials(spec, [s.material for s in skins] + [p.material for p in parts])
        bodies = {}
        for bone in body.skeleton.names + TWIST_BONES:
            bodies[bone] = spec.worldbody.add_body(name=bone_body(character.id, bone), mocap=True)
        for skin in skins:
            add_skin(spec, body, skin, prefix=f"{character.id}:")
        for n, part in enumerate(parts):
            geom = bodies[part.bone].add_geom()
            geom.name = f"{character.id}:{part.name or n}"
            geom.type = kinds[part.geom]
            geom.size = list(part.size) + [0.0] * (3 - len(part.size))
            geom.pos = list(part.pos)  # in the bone's rest frame, from its rest head
            geom.quat = list(part.quat)
            geom.rgba = list(part.rgba)
            if part.material:
                geom.material = part.material
            geom.contype = geom.conaffinity = 0


@lru_cache(maxsize=16)
def dressed_skins(body_spec, outfit, hair) -> tuple:
    """Every skin of a dressed character (one per surface), built once per process."""
    body = body_of(body_spec)
    return tuple(skin_data(body, surface, twist=True)
                 for surface in character_surfaces(body, body_spec, outfit, hair))


def bones_at(track, sample: float) -> tuple[np.ndarray, np.ndarray, tuple[int, int, float]]:
    """A track's bone positions and rotations at a fractional sample index (linear, and
    normalized-linear on the shorter arc), and the two samples and weight they blend."""
    last = len(track.bone_positions) - 1
    sample = min(max(sample, 0.0), last)
    i = int(np.floor(sample))
    j = min(i + 1, last)
    a = sample - i
    pos = (1 - a) * track.bone_positions[i] + a * track.bone_positions[j]
    q0, q1 = track.bone_quaternions[i], track.bone_quaternions[j]
    q1 = np.where((np.sum(q0 * q1, axis=1) < 0)[:, None], -q1, q1)
    quat = (1 - a) * q0 + a * q1
    return pos, quat / np.linalg.norm(quat, axis=1, keepdims=True), (i, j, a)


@dataclass
class _Skin:
    adr: int
    rest: np.ndarray  # (n, 3) bind-pose vertices
    source: np.ndarray  # (n,) base-mesh vertex of each


class PeoplePoser:
    """Poses every character of a compiled render model at any (fractional) sample."""

    def __init__(self, model, scene: Scene, recording: Recording):
        people = {c.id for c in scene.characters}  # (animals' tracks are posed elsewhere)
        self.tracks = tuple(t for t in recording.characters if t.id in people)
        self.mocap = []
        # per track: mocap ids of the twist bones, their limbs' track columns, the track's column
        # of each skeleton bone (-1: not in the track) and the skeleton
        self.twists = []
        self.skins: dict[str, list[_Skin]] = {}
        self.bodies = {}
        for track in self.tracks:
            character = scene.character(track.id)
            body = body_of(character.body)
            self.bodies[track.id] = body
            ids = [int(model.body_mocapid[model.body(bone_body(track.id, b)).id])
                   for b in track.bones]
            self.mocap.append(np.array(ids))
            names = body.skeleton.names
            order = np.array([list(track.bones).index(b) if b in track.bones else -1
                              for b in names])
            twist_ids = np.array([int(model.body_mocapid[model.body(bone_body(track.id, b)).id])
                                  for b in TWIST_BONES])
            limbs = np.array([list(track.bones).index(twist_limb(b)[0]) for b in TWIST_BONES])
            self.twists.append((twist_ids, limbs, order, body.skeleton))
            skins = []
            for data in dressed_skins(character.body, character.outfit, character.hair):
                k = model.skin(f"{track.id}:{data.name}").id
                adr, count = int(model.skin_vertadr[k]), int(model.skin_vertnum[k])
                skins.append(_Skin(adr, np.array(model.skin_vert[adr:adr + count]), data.source))
            self.skins[track.id] = skins
        self.face_state: dict[str, np.ndarray] = {}
        self.oversample = recording.oversample
        self.count = len(recording.times)

    def pose(self, model, data, sample: float) -> None:
        """Set the bone bodies and face of every character at a fractional sample index."""
        for track, mocap, twist in zip(self.tracks, self.mocap, self.twists):
            pos, quat, (i, j, a) = bones_at(track, sample)
            data.mocap_pos[mocap] = pos
            data.mocap_quat[mocap] = quat
            twist_ids, limbs, order, skeleton = twist
            full = np.tile([1.0, 0.0, 0.0, 0.0], (len(order), 1))
            full[order >= 0] = quat[order[order >= 0]]
            data.mocap_pos[twist_ids] = pos[limbs]
            data.mocap_quat[twist_ids] = twist_transforms(skeleton, full)
            if track.face is not None:
                self._face(model, track, (1 - a) * track.face[i] + a * track.face[j])

    def _face(self, model, track, weights: np.ndarray) -> None:
        rounded = np.round(weights, 2)
        if np.array_equal(self.face_state.get(track.id), rounded):
            return  # the face has not changed since the last draw
        self.face_state[track.id] = rounded
        active = {u: float(w) for u, w in zip(track.face_units, rounded) if w > 0}
        offsets = face_offsets(self.bodies[track.id], active) if active else None
        for skin in self.skins[track.id]:
            vertices = skin.rest if offsets is None else skin.rest + offsets[skin.source]
            model.skin_vert[skin.adr:skin.adr + len(skin.rest)] = vertices

    def shadows(self, sample: float) -> list[tuple[float, float, float, float]]:
        """(x, y, radius, height above the floor) of a soft shadow under each character."""
        i = min(int(round(sample)), self.count - 1)
        out = []
        for track in self.tracks:
            pelvis = track.bone_positions[i, track.bones.index("pelvis")]
            feet = min(track.bone_positions[i, track.bones.index(f), 2]
                       for f in ("foot_l", "foot_r"))
            out.append((float(pelvis[0]), float(pelvis[1]), SHADOW_RADIUS_M,
                        max(float(feet) - 0.08, 0.0)))
        return out
