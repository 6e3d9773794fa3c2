"""The request model: one set of rules for what a clip may ask, whichever surface asks."""

from __future__ import annotations

import pytest

from worldreel.errors import RequestError
from worldreel.pipeline import request_plan, with_music
from worldreel.pipeline.request import checked_option, make_request
from worldreel.scene import Scene, load_scene, scene_to_yaml


def test_every_bad_field_is_named_at_once():
    with pytest.raises(RequestError) as caught:
        make_request(prompt="a ball drops", seconds=-1, size="641x361", music="jazz", fps=0)
    message = str(caught.value)
    for field in ("seconds:", "size:", "music:", "fps:"):
        assert field in message
    assert "even width and height" in message and "calm" in message


@pytest.mark.parametrize("fields,needle", [
    ({}, "either a prompt or a Scene"),
    ({"prompt": "a ball drops", "scene": Scene()}, "either a prompt or a Scene"),
    ({"prompt": "   "}, "empty"),
    ({"prompt": "a ball drops", "seconds": float("nan")}, "seconds"),
    ({"prompt": "a ball drops", "quality": "ultra"}, "quality"),
    ({"prompt": "a ball drops", "colour": "red"}, "colour: Extra inputs are not permitted"),
])
def test_malformed_requests_are_refused(fields, needle):
    with pytest.raises(RequestError, match=needle):
        make_request(**fields)


def test_options_read_as_written():
    request = make_request(prompt="a ball drops", size="320x180", seconds="2", music=" Calm ")
    assert request.size == (320, 180) and request.seconds == 2.0 and request.music == "calm"
    assert checked_option("size", "64x48") == (64, 48)
    with pytest.raises(ValueError, match="out of range"):
        checked_option("size", "0x0")


def test_a_scene_request_takes_the_options_and_the_music_into_the_scene(tmp_path):
    scene = Scene.model_validate({"entities": [{"id": "ball", "asset": "basketball",
                                                "position": [0, 0, 1]}]})
    planned = request_plan(make_request(scene=scene, seconds=2, size="160x96", seed=7,
                                        music="tense")).scene
    assert (planned.duration, planned.resolution, planned.seed) == (2.0, (160, 96), 7)
    assert planned.audio.music == "tense"
    # The sidecar holds the mood: the Scene file alone plays the same clip again.
    path = tmp_path / "clip.scene.yaml"
    path.write_text(scene_to_yaml(planned), encoding="utf-8")
    assert load_scene(path).audio.music == "tense"
    assert with_music(planned, None) is planned


def test_a_prompt_request_is_planned_by_the_director():
    planned = request_plan(make_request(prompt="a basketball drops onto the floor", seconds=2,
                                        size="160x96", seed=3)).scene
    assert planned.duration == 2.0 and planned.seed == 3
    assert any(e.asset == "basketball" for e in planned.entities)


def test_a_length_that_cuts_the_action_short_is_said():
    prompt = "a boy kicks a ball across a park"
    whole = request_plan(make_request(prompt=prompt, size="160x96"))
    assert not any("after the clip" in w for w in whole.warnings)
    cut = request_plan(make_request(prompt=prompt, size="160x96", seconds=4))
    said = [w for w in cut.warnings if "after the clip" in w]
    assert cut.scene.duration == 4.0 and said and "ask for at least" in said[0]
