"""The Scene contract: validation with field paths, YAML round trips."""

import pytest

from worldreel.assets import check_scene_assets
from worldreel.errors import SceneError
from worldreel.scene import (Drop, Entity, Scene, load_scene, scene_from_dict,
                             scene_from_text, scene_to_yaml)


def _scene(**kw):
    base = dict(entities=[Entity(id="ball", asset="basketball", position=(0, 0, 1))],
                actions=[Drop(entity="ball")])
    base.update(kw)
    return Scene(**base)


def test_yaml_round_trip_is_exact():
    scene = _scene(seed=7, resolution="640x360")
    again = scene_from_text(scene_to_yaml(scene))
    assert again == scene
    assert scene_to_yaml(again) == scene_to_yaml(scene)
    assert "kind: drop" in scene_to_yaml(scene)


def test_every_bad_field_is_reported_with_its_path():
    with pytest.raises(SceneError) as info:
        scene_from_dict({"duration": -1, "resolution": "101x100",
                         "entities": [{"id": "a", "asset": "basketball", "colour": "red"}]})
    message = str(info.value)
    assert "duration: Input should be greater than 0" in message
    assert "resolution: size 101x100 has an odd side" in message
    assert "entities[0].colour: unknown field" in message


@pytest.mark.parametrize("size,needle", [("0x0", "out of range"), ("100000x100000", "out of range"),
                                         ("641x360", "odd side"), ("big", "WIDTHxHEIGHT")])
def test_sizes_h264_cannot_take_are_rejected(size, needle):
    with pytest.raises(SceneError, match=needle):
        scene_from_dict({"resolution": size})


@pytest.mark.parametrize("duration", [0, -3, 61, 1e9])
def test_durations_out_of_range_are_rejected(duration):
    with pytest.raises(SceneError, match="duration"):
        scene_from_dict({"duration": duration})


def test_references_must_name_real_entities():
    data = {"entities": [{"id": "ball", "asset": "basketball"}],
            "actions": [{"kind": "throw", "entity": "ball", "target": "moon"}]}
    with pytest.raises(SceneError, match=r"actions\[0\]\.target 'moon' is not an entity id"):
        scene_from_dict(data)


def test_physics_rate_must_be_a_multiple_of_fps():
    with pytest.raises(SceneError, match="physics_rate 2400 must be a whole multiple of fps 7"):
        scene_from_dict({"fps": 7})


def test_unknown_assets_and_materials_are_named():
    scene = _scene(entities=[Entity(id="ball", asset="dragon", material="cheese")])
    with pytest.raises(SceneError) as info:
        check_scene_assets(scene)
    assert "entities[0].asset: unknown asset 'dragon'" in str(info.value)
    assert "entities[0].material: unknown material 'cheese'" in str(info.value)



def test_many_unknown_assets_make_one_short_line_with_suggestions():
    entities = [Entity(id=f"b{n}", asset="basketbal", position=(n, 0, 1)) for n in range(40)]
    with pytest.raises(SceneError) as info:
        check_scene_assets(_scene(entities=entities, actions=[]))
    text = str(info.value)
    assert "entities[0].asset: unknown asset 'basketbal' (did you mean 'basketball'" in text
    assert "and 30 more problems" in text
    assert text.count("known assets:") == 1 and len(text) < 2000


def test_a_scene_too_heavy_to_simulate_is_refused_before_any_work():
    cloths = [Entity(id=f"c{n}", asset="cloth", position=(n % 10, n // 10, 1)) for n in range(60)]
    with pytest.raises(SceneError, match="simulates 3,900 bodies, more than the 3,500 .* "
                                         r"\(60 cloth are 65 bodies each\); use fewer"):
        check_scene_assets(_scene(entities=cloths, actions=[]))
    check_scene_assets(_scene(entities=cloths[:50], actions=[]))

def test_malformed_yaml_says_where(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("entities: [\n  {id: ball\n")
    with pytest.raises(SceneError, match=r"malformed YAML at line \d+"):
        load_scene(path)


def test_missing_scene_file(tmp_path):
    with pytest.raises(SceneError, match="no such scene file"):
        load_scene(tmp_path / "nope.yaml")


def test_scenes_are_frozen():
    scene = _scene()
    with pytest.raises(Exception):
        scene.duration = 3.0
