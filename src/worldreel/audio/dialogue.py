"""The dialogue stem: every line of the Scene spoken from its `at` time, placed where its speaker
is (or centred, for narration), dry: the words stay intelligible over the room and the bed."""

from __future__ import annotations

import numpy as np

from worldreel.audio.clock import sample_at
from worldreel.audio.spatial import SourcePath, place
from worldreel.audio.speech import speak
from worldreel.recording import Recording
from worldreel.scene import Scene

DIALOGUE_GAIN = 0.5  # a spoken line against the 1 m impact reference, before the master


def render_dialogue(scene: Scene, recording: Recording, n_samples: int) -> np.ndarray:
    """(n, 2) float64 stem of every line; each line's first sound is on its `at` sample."""
    stem = np.zeros((n_samples, 2))
    for line in scene.audio.dialogue:
        start = sample_at(line.at)
        voice = speak(line)[: max(0, n_samples - start)] * DIALOGUE_GAIN
        if line.speaker is not None and line.speaker in recording.entity_ids:
            path = SourcePath(np.asarray(recording.times, dtype=float),
                              recording.trajectory(line.speaker).astype(float))
            placed = place(voice, start, path, recording.camera)
        else:
            placed = place(voice, start, SourcePath.fixed((0.0, 0.0, 0.0)), None)
        stem[start:start + len(voice)] += placed
    return stem
