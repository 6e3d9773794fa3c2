"""Lines of dialogue on the clip: natural turns, interruptions, `after:` both ways, and lines
too long for the clip refused."""

import numpy as np
import pytest

from worldreel.errors import SceneError
from worldreel.scene import Scene
from worldreel.speech import Speech, SpokenLine
from worldreel.speech.spoken import SAMPLE_RATE, Phone
from worldreel.speech.visemes import visemes
from worldreel.timeline import resolve_lines, resolve_scripts
from worldreel.timeline.lines import OVERLAP_S, SAME_SPEAKER_GAP_S, TURN_GAP_S


def _speech(scene, seconds):
    lines = []
    for n, (line, length) in enumerate(zip(scene.audio.dialogue, seconds)):
        samples = np.full(int(length * SAMPLE_RATE), 0.1)
        phones = (Phone("aa", 0.0, length),)
        lines.append(SpokenLine(n, line.speaker or "", None, samples, phones, visemes(phones),
                                "engine"))
    return Speech(tuple(lines))


def _scene(lines, duration=10.0, characters=None):
    return Scene.model_validate({
        "duration": duration,
        "characters": characters or [{"id": "ann", "position": [0, 0]},
                                     {"id": "bob", "position": [1, 0]}],
        "audio": {"dialogue": lines}})


def test_turns_follow_each_other_with_natural_gaps():
    scene = _scene([{"text": "a", "speaker": "ann"}, {"text": "b", "speaker": "bob"},
                    {"text": "c", "speaker": "bob"}])
    lines = resolve_lines(scene, _speech(scene, [1.0, 1.2, 0.8]))
    assert lines[0].start == pytest.approx(0.3)
    turn = lines[1].start - lines[0].end
    same = lines[2].start - lines[1].end
    assert TURN_GAP_S[0] <= turn <= TURN_GAP_S[1]
    assert SAME_SPEAKER_GAP_S[0] <= same <= SAME_SPEAKER_GAP_S[1]
    again = resolve_lines(scene, _speech(scene, [1.0, 1.2, 0.8]))
    assert [t.start for t in again] == [t.start for t in lines]  # the seed fixes the gaps


def test_an_interruption_overlaps_and_cuts_the_line_short():
    scene = _scene([{"text": "a long one", "speaker": "ann"},
                    {"text": "wait", "speaker": "bob", "interrupts": True}])
    first, second = resolve_lines(scene, _speech(scene, [2.0, 0.5]))
    assert second.start < first.start + 2.0  # before ann would have finished
    assert first.end == pytest.approx(second.start + OVERLAP_S)
    assert first.spoken.seconds == pytest.approx(first.end - first.start, abs=1e-4)
    assert first.spoken.samples[-1] == pytest.approx(0.0, abs=1e-3)  # faded, not clicked off


def test_a_step_can_wait_for_a_line_and_a_line_for_a_step():
    scene = _scene([{"id": "joke", "text": "a", "speaker": "ann", "at": 1.0},
                    {"text": "b", "speaker": "ann", "after": "waved"}], duration=12.0,
                   characters=[{"id": "ann", "position": [0, 0]},
                               {"id": "bob", "position": [1, 0], "script": [
                                   {"id": "waved", "do": "wave", "after": "joke"}]}])
    speech = _speech(scene, [1.5, 1.0])
    lines = resolve_lines(scene, speech, lambda c, k, t: 2.0)
    steps = resolve_scripts(scene, lambda c, k, t: 2.0, (1.5, 1.0))
    assert steps["bob"][0].start == pytest.approx(2.5)  # after the joke ends
    assert lines[1].start == pytest.approx(4.5)  # after the wave ends


def test_a_line_that_ends_after_the_clip_is_refused_with_its_path():
    scene = _scene([{"text": "a", "speaker": "ann", "at": 1.0}], duration=2.0)
    with pytest.raises(SceneError, match=r"audio\.dialogue\[0\]: the line takes 1.50 s"):
        resolve_lines(scene, _speech(scene, [1.5]))


def test_a_cycle_through_a_line_is_named():
    scene = _scene([{"id": "l1", "text": "a", "speaker": "ann", "after": "w"}],
                   characters=[{"id": "ann", "script": [{"id": "w", "do": "wave",
                                                         "after": "l1"}]}])
    with pytest.raises(SceneError, match="cycle"):
        resolve_lines(scene, _speech(scene, [1.0]))
