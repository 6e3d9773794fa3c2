"""A four-person conversation, measured from its Recording: mouths open with their own voice,
rest shut in silence and start on the frame the line is heard; lines start on their sample
and never overlap; the same Scene casts the same voices."""

from pathlib import Path

import numpy as np
import pytest

from worldreel.animation import animate
from worldreel.evaluate.lip_sync import lip_sync
from worldreel.physics import simulate
from worldreel.scene import load_scene
from worldreel.speech import SAMPLE_RATE, speak
from worldreel.timeline import resolve_lines

SCENE = Path(__file__).parent / "data" / "conversation.yaml"
FRAME_S = 1 / 24


def voices_of(scene, lines):
    """Each speaker's voice alone on the clip's timeline."""
    out = {}
    n = int(scene.duration * SAMPLE_RATE)
    for timed in lines:
        track = out.setdefault(timed.speaker, np.zeros(n))
        start = int(round(timed.start * SAMPLE_RATE))
        samples = np.asarray(timed.spoken.samples)[: n - start]
        track[start:start + len(samples)] += samples
    return out


@pytest.fixture(scope="module")
def played():
    scene = load_scene(SCENE)
    lines = resolve_lines(scene, speak(scene))
    recording = simulate(scene, performances=animate(scene, lines), lines=lines)
    return scene, lines, recording


@pytest.mark.slow
def test_mouths_follow_their_voices(played):
    scene, lines, recording = played
    figures = lip_sync(recording, voices_of(scene, lines))
    assert {f.speaker for f in figures} == {"ann", "bob", "cai", "dov"}
    for f in figures:
        assert f.correlation >= 0.7, f
        assert f.long_silences >= 1 and f.silence_opening < 0.1, f
        assert all(abs(d) <= FRAME_S for d in f.onset_offsets), f


@pytest.mark.slow
def test_lines_are_heard_in_turn_when_scheduled(played):
    scene, lines, recording = played
    assert [s.start for s in recording.speech] == [t.start for t in lines]
    for before, after in zip(recording.speech, recording.speech[1:]):
        assert after.start >= before.end + 0.15  # a turn, not an overlap
    assert len({s.voice for s in recording.speech if s.speaker in {"ann", "bob", "dov"}}) == 3
