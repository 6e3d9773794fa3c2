"""A rider in the Scene: each mistake is refused with one message saying what to write."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from worldreel.assets.scene_check import check_scene_assets
from worldreel.errors import SceneError
from worldreel.scene import Scene

HORSE = {"id": "horse", "species": "horse"}


def scene(**fields) -> Scene:
    return Scene.model_validate(fields)


def refused(match: str, **fields) -> None:
    with pytest.raises(ValidationError, match=match):
        scene(**fields)


def test_a_person_rides_a_horse_and_waves():
    s = scene(animals=[HORSE], characters=[{"id": "ann", "rides": "horse",
                                            "script": [{"do": "wave"}, {"do": "talk"}]}])
    assert s.characters[0].rides == "horse"


def test_the_mount_must_exist():
    refused("rides 'pony' is not an entity or animal id", characters=[
        {"id": "ann", "rides": "pony"}])


def test_a_person_is_not_a_mount():
    refused("a person cannot carry a rider", characters=[
        {"id": "ann", "rides": "bob"}, {"id": "bob"}])


def test_only_a_horse_among_animals_carries_a_rider():
    refused("'rex' is a dog, which carries no rider here; ride a horse", animals=[
        {"id": "rex", "species": "dog"}], characters=[{"id": "ann", "rides": "rex"}])


def test_a_mount_carries_one_rider():
    refused("'horse' carries one rider", animals=[HORSE], characters=[
        {"id": "ann", "rides": "horse"}, {"id": "bob", "rides": "horse"}])


def test_a_rider_cannot_walk_and_is_told_what_to_write():
    refused("cannot walk in the saddle; move the mount instead", animals=[HORSE], characters=[
        {"id": "ann", "rides": "horse", "script": [{"do": "walk", "place": [2, 0]}]}])


def test_a_rider_has_no_place_of_their_own():
    refused("leave position and facing out", animals=[HORSE], characters=[
        {"id": "ann", "rides": "horse", "position": [1, 0]}])
    refused("leave position and facing out", animals=[HORSE], characters=[
        {"id": "ann", "rides": "horse", "facing": 90}])


def test_a_riders_hands_are_on_the_reins():
    refused("leave holds and left_hand out", animals=[HORSE],
            entities=[{"id": "cup", "asset": "mug"}],
            characters=[{"id": "ann", "rides": "horse", "holds": "cup"}])


def test_a_thing_without_a_seat_is_not_ridden():
    s = scene(entities=[{"id": "box", "asset": "crate"}], characters=[
        {"id": "ann", "rides": "box"}])
    with pytest.raises(SceneError, match="'box' is a crate, which has no seat for a rider"):
        check_scene_assets(s)


def test_a_ridden_horse_stays_on_its_feet():
    refused("cannot lie down under a rider", animals=[
        {"id": "horse", "species": "horse", "script": [{"do": "lie_down"}]}],
        characters=[{"id": "ann", "rides": "horse"}])
