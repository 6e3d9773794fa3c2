"""In a conversation the listener turns to the speaker, the speaker gestures, and a statement
can be acknowledged with a nod and an exclamation with a smile."""

import numpy as np

from worldreel.animation import animate
from worldreel.animation.conversation import parts
from worldreel.animation.perform import ANIMATION_RATE
from worldreel.scene import Scene
from worldreel.speech import speak
from worldreel.timeline import resolve_lines


def _scene(seed: int = 0) -> Scene:
    return Scene.model_validate({
        "duration": 8.0, "seed": seed,
        "characters": [{"id": "ann", "position": [0.0, 0.0], "facing": 0},
                       {"id": "bob", "position": [1.2, 1.2], "facing": -135}],
        "audio": {"dialogue": [
            {"speaker": "bob", "to": "ann", "text": "Look over here, I found your keys!", "at": 2.0}]}})


def _head_azimuth(performance, k: int) -> float:
    q = performance.quaternions[k, performance.bones.index("head")]
    w, x, y, z = q
    forward = np.array([1 - 2 * (y * y + z * z), 2 * (x * y + w * z)])
    return float(np.degrees(np.arctan2(forward[1], forward[0])))


def test_the_listener_turns_to_the_speaker_and_the_speaker_gestures():
    scene = _scene()
    lines = resolve_lines(scene, speak(scene))
    ann = animate(scene, lines)["ann"]
    before = _head_azimuth(ann, int(1.5 * ANIMATION_RATE))
    during = _head_azimuth(ann, int((lines[0].end - 0.2) * ANIMATION_RATE))
    assert abs(before) < 10  # looking ahead, along +x
    assert during > 25  # turned left towards bob (he stands at 45 degrees)
    roles = parts(scene, lines, {"ann": (0.0, 0.0), "bob": (1.2, 1.2)})
    assert [b.clip for b in roles["bob"].beats] == ["talk"]
    assert roles["bob"].attention[0].target == "ann"
    assert roles["ann"].smiles  # an exclamation: the listener smiles


def test_a_statement_may_be_answered_with_a_nod_the_same_way_every_time():
    nods = []
    for seed in range(8):
        scene = _scene(seed)
        lines = resolve_lines(scene, speak(scene))
        roles = parts(scene, lines, {"ann": (0.0, 0.0), "bob": (1.2, 1.2)})
        nods.append(any(b.clip == "nod" for b in roles["ann"].beats))
        again = parts(scene, lines, {"ann": (0.0, 0.0), "bob": (1.2, 1.2)})
        assert again == roles
    assert 0 < sum(nods) < 8  # sometimes, not always: people do not nod on cue
