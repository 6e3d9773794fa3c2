"""Lip sync measured from a Recording: does each speaker's mouth open with their voice, rest
shut in their silences, and start moving on the frame their line is heard?

`voices` gives each speaker's own voice as heard on the clip (mono, 48 kHz, clip-long): the
dialogue stem of one speaker, or their lines placed at their times. The mouth opening is the
`jawOpen` face unit of the speaker's track; the speech envelope is the voice's RMS in 20 ms
windows centred on each sample of the Recording.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from worldreel.recording import Recording

SAMPLE_RATE = 48_000
OPENING_UNIT = "jawOpen"
WINDOW_S = 0.02
SILENCE_DB = -45.0  # below the voice's peak envelope: silent
LONG_SILENCE_S = 0.2
SILENCE_MARGIN_S = 0.06  # the mouth closes over this at a silence's edges
MOVING = 0.05  # a mouth unit this far from rest has moved
# expressions, not articulation: a listener already smiling has not started to speak
EXPRESSION_UNITS = ("mouthSmile", "mouthDimple", "mouthFrown")


@dataclass(frozen=True)
class SpeakerSync:
    """One speaker's figures: Pearson r of opening and envelope; the widest opening inside a
    silence over 200 ms, as a fraction of their widest opening; each line's visual onset
    minus its audio onset (s)."""

    speaker: str
    correlation: float
    silence_opening: float
    long_silences: int
    onset_offsets: tuple[float, ...]


def lip_sync(recording: Recording, voices: dict[str, np.ndarray]) -> tuple[SpeakerSync, ...]:
    """The figures of every character who speaks in `voices`."""
    out = []
    times = np.asarray(recording.times, dtype=float)
    for speaker, voice in voices.items():
        track = recording.character(speaker)
        opening = track.face[:, track.face_units.index(OPENING_UNIT)]
        envelope = _envelope(voice, times)
        r = float(np.corrcoef(opening, envelope)[0, 1])
        silent = envelope < envelope.max() * 10 ** (SILENCE_DB / 20)
        worst, count = 0.0, 0
        for a, b in _runs(silent):
            if (times[b - 1] - times[a]) < LONG_SILENCE_S:
                continue
            count += 1
            inside = (times >= times[a] + SILENCE_MARGIN_S) & (times <= times[b - 1]
                                                               - SILENCE_MARGIN_S)
            worst = max(worst, float(opening[inside].max(initial=0.0)))
        mouth_units = [k for k, name in enumerate(track.face_units)
                       if name.startswith(("jaw", "mouth", "tongue"))
                       and not name.startswith(EXPRESSION_UNITS)]
        moved = np.abs(track.face[:, mouth_units]).sum(axis=1) > MOVING
        onsets = []
        for span in recording.speech:
            if span.speaker != speaker:
                continue
            near = np.flatnonzero(moved & (times >= span.start - 0.5) & (times <= span.end))
            onsets.append(float(times[near[0]] - span.start) if len(near) else float("inf"))
        out.append(SpeakerSync(speaker, r, worst / max(float(opening.max()), 1e-9), count,
                               tuple(onsets)))
    return tuple(out)


def _envelope(voice: np.ndarray, times: np.ndarray) -> np.ndarray:
    half = int(WINDOW_S * SAMPLE_RATE / 2)
    power = np.concatenate([[0.0], np.cumsum(np.asarray(voice, dtype=float) ** 2)])
    centre = np.clip((times * SAMPLE_RATE).astype(int), 0, len(voice))
    lo, hi = np.clip(centre - half, 0, len(voice)), np.clip(centre + half, 0, len(voice))
    return np.sqrt((power[hi] - power[lo]) / np.maximum(hi - lo, 1))


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    edges = np.flatnonzero(np.diff(np.concatenate([[0], mask.astype(int), [0]])))
    return list(zip(edges[::2], edges[1::2]))
