"""Extending a clip: the old clip plays unchanged, then what the prompt tells happens, with no
cut and no jump."""

from __future__ import annotations

import numpy as np
import pytest

from worldreel.animation import animate
from worldreel.director import extend_scene
from worldreel.errors import DurationError, PromptError, SceneError
from worldreel.physics import simulate
from worldreel.pipeline import clip_step_durations, plan
from worldreel.recording import Recording
from worldreel.render import plan_camera
from worldreel.scene import Scene, scene_from_dict, scene_from_text, scene_to_dict, scene_to_yaml
from worldreel.scene.models import MAX_DURATION_S
from worldreel.speech import speak
from worldreel.timeline import in_time, resolve_lines, simulation_scene


def played(scene: Scene) -> Recording:
    """The Recording with its camera, made as pipeline._play makes it."""
    lines = resolve_lines(scene, speak(scene), clip_step_durations(scene))
    sim = simulation_scene(scene)
    sim_lines = in_time(lines, scene.time_lapse / scene.slow_motion)
    recording = simulate(sim, performances=animate(sim, sim_lines), lines=sim_lines)
    recording = recording.played_slower(scene.slow_motion, scene.fps)
    recording = recording.played_faster(scene.time_lapse)
    return recording.with_camera(plan_camera(scene, recording))


def assert_same_start(old: Recording, new: Recording) -> None:
    """Every pose and the camera of `old` are `new`'s first ones."""
    n = len(old.positions)
    assert np.allclose(new.positions[:n], old.positions, rtol=0, atol=1e-9)
    assert np.allclose(new.quaternions[:n], old.quaternions, rtol=0, atol=1e-9)
    for before, after in zip(old.characters, new.characters, strict=True):
        m = len(before.bone_positions)
        assert np.allclose(after.bone_positions[:m], before.bone_positions, rtol=0, atol=1e-9)
    frames = len(old.camera.positions)
    for name in ("positions", "targets", "fovy"):
        assert np.allclose(getattr(new.camera, name)[:frames], getattr(old.camera, name),
                           rtol=0, atol=1e-9), name


def assert_no_jump(camera, frames: int) -> None:
    """The camera moves across the join no more than it moved just before it, plus a little:
    no cut."""
    step = np.linalg.norm(np.diff(camera.positions, axis=0), axis=1)
    aim = np.linalg.norm(np.diff(camera.targets, axis=0), axis=1)
    assert step[frames - 1] < 0.02 and aim[frames - 1] < 0.02  # metres in one frame


@pytest.fixture(scope="module")
def resting_ball() -> Scene:
    return plan("a soccer ball lies on the grass").scene


def test_the_clip_plays_unchanged_then_the_ball_rolls_away(resting_ball):
    extended = extend_scene(resting_ball, "the ball rolls away", 3.0).scene
    old, new = played(resting_ball), played(extended)
    assert_same_start(old, new)
    assert_no_jump(new.camera, len(old.camera.positions))
    ball = resting_ball.entities[0].id
    end = len(old.positions) - 1
    assert np.linalg.norm(new.trajectory(ball)[-1] - new.trajectory(ball)[end]) > 1.0
    assert np.linalg.norm(old.velocities[end, 0]) < 0.05  # it was at rest when the clip ended


@pytest.mark.slow
def test_people_go_on_where_they_were_and_the_kick_happens():
    scene = plan("a woman and a boy stand near a soccer ball").scene
    extended = extend_scene(scene, "she kicks it to the boy", 8.0)
    kicker = next(c for c in extended.scene.characters if c.script)
    assert kicker.body.gender < 0.5  # "she": the woman already in the clip
    assert all(step.at is None or step.at >= scene.duration for step in kicker.script)
    old, new = played(scene), played(extended.scene)
    assert_same_start(old, new)
    assert_no_jump(new.camera, len(old.camera.positions))
    end = len(old.positions) - 1
    ball = new.trajectory(scene.entities[0].id)
    assert np.allclose(ball[:end + 1], old.trajectory(scene.entities[0].id))
    assert np.linalg.norm(ball[-1] - ball[end]) > 1.0


def test_the_extended_scene_is_valid_and_lasts_both(resting_ball):
    result = extend_scene(resting_ball, "the ball rolls away", 2.5)
    scene = scene_from_text(scene_to_yaml(result.scene))
    assert scene.duration == pytest.approx(resting_ball.duration + 2.5)
    assert scene.shots[:-1] == resting_ball.shots
    join = scene.shots[-1]
    assert join.continues and join.start == resting_ball.frame_count / resting_ball.fps
    assert scene.actions[:len(resting_ball.actions)] == resting_ball.actions
    new = scene.actions[len(resting_ball.actions):]
    assert [a.kind for a in new] == ["roll"] and new[0].at >= resting_ball.duration
    assert scene.entities == resting_ball.entities and scene.seed == resting_ball.seed


def test_keep_going_lets_the_world_play_on_and_says_so(resting_ball):
    result = extend_scene(resting_ball, "keep going", 2.0)
    assert result.scene.actions == resting_ball.actions
    assert any("plays on for 2 s" in w for w in result.warnings)
    assert not any("not grounded" in w for w in result.warnings)


def test_vague_prose_extends_and_names_the_words_not_understood(resting_ball):
    result = extend_scene(resting_ball, "blorp the zindle", 2.0)
    assert result.scene.duration == pytest.approx(resting_ball.duration + 2.0)
    assert any("'blorp'" in w and "'zindle'" in w for w in result.warnings)


def test_a_thing_not_in_the_clip_is_not_moved_and_is_named(resting_ball):
    result = extend_scene(resting_ball, "then the crate falls over", 2.0)
    assert result.scene.actions == resting_ball.actions
    assert any("crate" in w for w in result.warnings)


@pytest.mark.parametrize("seconds, says", [
    (0, "more than 0"), (-1.0, "more than 0"), (MAX_DURATION_S, "add at most"),
    ("three", "a number"), (float("nan"), "a number")])
def test_seconds_out_of_range_say_what_to_change(resting_ball, seconds, says):
    with pytest.raises(PromptError, match=says) as caught:
        extend_scene(resting_ball, "the ball rolls away", seconds)
    assert "\n" not in str(caught.value)


def test_seconds_too_short_for_what_is_told(resting_ball):
    with pytest.raises(DurationError, match="too short"):
        extend_scene(resting_ball, "the ball rolls away", 0.2)


def test_lines_already_spoken_keep_their_times():
    scene = plan('a man stands by a soccer ball and says "nice day"').scene
    extended = extend_scene(scene, 'he says "time to play" and kicks the ball', 6.0).scene
    before = resolve_lines(scene, speak(scene), clip_step_durations(scene))
    after = resolve_lines(extended, speak(extended), clip_step_durations(extended))
    assert [(t.start, t.end) for t in after[:len(before)]] == [(t.start, t.end) for t in before]
    assert [t.line.text for t in after[len(before):]] == ["time to play"]
    assert after[-1].start >= scene.duration


def test_only_a_later_shot_may_carry_on():
    data = scene_to_dict(plan("a soccer ball").scene)
    data["shots"][0]["continues"] = True
    with pytest.raises(SceneError, match="shots\\[0\\].continues"):
        scene_from_dict(data)


def test_the_camera_keeps_its_side_whatever_happens_next(resting_ball):
    """The old shot chose where to stand from the old clip alone: motion only in the extension
    (here across the old shot's line of sight) does not move it."""
    data = scene_to_dict(extend_scene(resting_ball, "the ball rolls away", 3.0).scene)
    data["actions"][-1]["direction"] = [0.0, 1.0, 0.0]
    extended = scene_from_dict(data)
    old, new = played(resting_ball), played(extended)
    frames = len(old.camera.positions)
    assert np.allclose(new.camera.positions[:frames], old.camera.positions, rtol=0, atol=1e-9)
    assert_no_jump(new.camera, frames)
    # an ordinary cut instead: the first shot is planned from the whole clip, as it always was
    data["shots"][-1]["continues"] = False
    cut = plan_camera(scene_from_dict(data), new)
    assert not np.allclose(cut.positions[:frames], old.camera.positions, atol=1e-3)


@pytest.mark.slow
def test_a_clip_extended_twice_starts_the_same_each_time():
    scene = plan("a man and a woman stand near a basketball").scene
    picked = extend_scene(scene, "the man picks up the ball", 9.0)
    assert not picked.warnings  # 9 s is time enough to walk to the ball and pick it up
    thrown = extend_scene(picked.scene, "he throws it to the woman", 7.0).scene
    man = thrown.character("man")
    assert [s.do for s in man.script] == ["pick_up", "throw"]
    assert man.script[1].target == "woman" and man.script[1].at >= picked.scene.duration
    first, second, third = played(scene), played(picked.scene), played(thrown)
    assert_same_start(first, second)
    assert_same_start(second, third)
    end = len(second.positions) - 1
    ball = third.trajectory("basketball")
    assert np.linalg.norm(np.diff(ball[end:], axis=0), axis=1).sum() > 1.0  # thrown after it
    woman = np.array(thrown.character("woman").position)
    assert np.linalg.norm(ball[-1, :2] - woman) < 0.5  # to her


def test_too_few_seconds_for_what_people_do_says_how_many():
    scene = plan("a man and a woman stand near a basketball").scene
    result = extend_scene(scene, "the man picks up the ball", 2.0)
    assert result.scene.duration == pytest.approx(scene.duration + 2.0)
    assert any("add at least" in w for w in result.warnings)
