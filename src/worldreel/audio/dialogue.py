"""The dialogue stem: every spoken line and vocal sound placed on its start sample, where its
speaker's mouth is in the picture (a character's head, an entity), or centred for narration.

Lines arrive already spoken and timed (speech, timeline); audio only places them. Lines said in
the scene also feed the room's reverb, at a lower send than foley so words stay intelligible;
narration is not in the room and stays dry.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from worldreel.audio.clock import sample_at
from worldreel.audio.spatial import SourcePath, place
from worldreel.recording import Recording
from worldreel.timeline import TimedLine

DIALOGUE_GAIN = 0.5  # a spoken line against the 1 m impact reference, before the master
ROOM_SEND = 0.35  # of a line's level into the reverb (foley sends 1.0): intelligible, not dry
MOUTH_ABOVE_HEAD_BONE_M = 0.07  # the head bone's head is at the skull base, the mouth a bit up
MOUTH_FORWARD_M = 0.09  # ... and in front


@dataclass(frozen=True)
class Dialogue:
    """The dry stereo stem, the mono send to the room, and where the in-room voices are."""

    dry: np.ndarray  # (n, 2)
    send: np.ndarray  # (n,)
    source: np.ndarray | None  # mean mouth position of the lines said in the scene (3,)


def render_dialogue(lines: tuple[TimedLine, ...], recording: Recording, n_samples: int
                    ) -> Dialogue:
    """Every line placed from its start sample (its first sound exactly there)."""
    dry = np.zeros((n_samples, 2))
    send = np.zeros(n_samples)
    sources = []
    for timed in lines:
        start = sample_at(timed.start)
        if start >= n_samples:
            continue
        voice = np.asarray(timed.spoken.samples[: n_samples - start]) * DIALOGUE_GAIN
        path = _mouth_path(timed.speaker, recording)
        if path is None:
            dry[start:start + len(voice)] += place(voice, start, SourcePath.fixed((0, 0, 0)), None)
            continue
        dry[start:start + len(voice)] += place(voice, start, path, recording.camera)
        send[start:start + len(voice)] += voice * ROOM_SEND
        sources.append(path.positions.mean(axis=0))
    source = np.mean(sources, axis=0) if sources else None
    return Dialogue(dry, send, source)


def _mouth_path(speaker: str, recording: Recording) -> SourcePath | None:
    """Where the speaker's mouth is over the clip; None for the narrator."""
    times = np.asarray(recording.times, dtype=float)
    for track in recording.characters:
        if track.id == speaker:
            head = track.bone_positions[:, track.bone("head")].astype(float)
            # forward is the head bone's x axis in the body frame; the mouth sits in front
            w, x, y, z = np.moveaxis(track.bone_quaternions[:, track.bone("head")], -1, 0)
            forward = np.stack([1 - 2 * (y * y + z * z), 2 * (x * y + w * z),
                                2 * (x * z - w * y)], axis=-1)
            mouth = head + MOUTH_FORWARD_M * forward + np.array([0, 0, MOUTH_ABOVE_HEAD_BONE_M])
            return SourcePath(times, mouth)
    if speaker and speaker in recording.entity_ids:
        return SourcePath(times, recording.trajectory(speaker).astype(float))
    return None
