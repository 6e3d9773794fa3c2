"""Conversation: what people do while lines are spoken, beyond moving their lips.

The speaker gestures (the talk clip, under anything their script has them do) and looks at who
they speak to (`to`, else the nearest other person); everyone else turns to the speaker shortly
after the line starts (~0.25 s, the latency of a gaze shift to a new voice) and holds it until
just after the line ends. Listeners react: the one spoken to may nod when a statement ends, and
an exclamation or laughter makes listeners smile. Reactions are drawn from the Scene's seed, so
a Scene plays the same every time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from worldreel.rng import generator
from worldreel.scene import Scene
from worldreel.timeline import TimedLine

GAZE_LATENCY_S = 0.25
GAZE_HOLD_S = 0.4
NOD_CHANCE = 0.6
SMILE_S = 1.5


@dataclass(frozen=True)
class Beat:
    """A clip played over the body from `start` to `end` (the talk gesture, a nod)."""

    clip: str
    start: float
    end: float


@dataclass(frozen=True)
class Attention:
    """Looking at another character from `start` to `end`."""

    target: str
    start: float
    end: float


@dataclass(frozen=True)
class Smile:
    start: float
    end: float
    strength: float


@dataclass(frozen=True)
class Part:
    """One character's part in the conversation."""

    beats: tuple[Beat, ...] = ()
    attention: tuple[Attention, ...] = ()
    smiles: tuple[Smile, ...] = ()


def parts(scene: Scene, lines: tuple[TimedLine, ...], where: dict[str, tuple[float, float]]
          ) -> dict[str, Part]:
    """Every character's part, by id; `where` is where each character stands (x, y)."""
    people = [c.id for c in scene.characters]
    beats: dict[str, list] = {p: [] for p in people}
    attention: dict[str, list] = {p: [] for p in people}
    smiles: dict[str, list] = {p: [] for p in people}
    for k, timed in enumerate(lines):
        line, speaker = timed.line, timed.speaker
        if line.is_crowd:
            continue
        listeners = [p for p in people if p != speaker]
        if speaker in beats:
            if line.text is not None:
                beats[speaker].append(Beat("talk", timed.start, timed.end))
            addressee = line.to or _nearest(speaker, listeners, where)
            if addressee is not None:
                attention[speaker].append(Attention(addressee, timed.start, timed.end))
            if line.sound == "laugh":
                smiles[speaker].append(Smile(timed.start, timed.end + 0.5, 0.8))
        if speaker not in where:
            continue  # an entity or the narrator: nobody turns to look
        rng = generator(scene.seed, f"animation.conversation.{k}")
        following = lines[k + 1].line if k + 1 < len(lines) else None
        for listener in listeners:
            attention[listener].append(Attention(speaker, timed.start + GAZE_LATENCY_S,
                                                 timed.end + GAZE_HOLD_S))
            told = line.to in (None, listener)
            text = (line.text or "").rstrip()
            if told and text and not text.endswith("?") and rng.random() < NOD_CHANCE:
                beats[listener].append(Beat("nod", timed.end - 0.2, timed.end + 1.1))
            if text.endswith("!") or line.sound == "laugh" or (
                    following is not None and following.sound == "laugh"):
                smiles[listener].append(Smile(timed.end - 0.3, timed.end + SMILE_S, 0.6))
    return {p: Part(tuple(beats[p]), tuple(attention[p]), tuple(smiles[p])) for p in people}


def _nearest(speaker: str, others: list[str], where: dict[str, tuple[float, float]]
             ) -> str | None:
    if speaker not in where or not others:
        return None
    origin = np.asarray(where[speaker])
    return min(others, key=lambda p: float(np.hypot(*(np.asarray(where[p]) - origin))))
