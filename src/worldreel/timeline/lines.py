"""When each line of dialogue is spoken, from the real lengths the speech stage measured.

A line starts at its `at`, or `delay` after what it comes `after` ends, or, with neither, after
the previous line with the pause people leave between turns: ~150-450 ms when another speaker
takes the turn (Stivers et al., PNAS 106, 2009: gaps cluster around 200 ms across languages),
~350-600 ms when the same speaker goes on. A line that `interrupts` starts while the previous
one is still going and cuts it off a moment later (overlap, then the first speaker stops).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np

from worldreel.errors import SceneError
from worldreel.rng import generator
from worldreel.scene import Line, Scene
from worldreel.speech import SAMPLE_RATE, Speech, SpokenLine

FIRST_LINE_AT_S = 0.3
TURN_GAP_S = (0.15, 0.45)  # another speaker answers
SAME_SPEAKER_GAP_S = (0.35, 0.6)  # the same speaker goes on
INTERRUPT_AT = 0.6  # an interruption comes this far into the line it interrupts
OVERLAP_S = 0.25  # both speak this long before the interrupted speaker stops
CUT_FADE_S = 0.04


@dataclass(frozen=True)
class TimedLine:
    """A spoken line placed on the clip: from `start` to `end` (clip seconds); `spoken` holds
    the samples and visemes as they will be heard (cut short when the line is interrupted)."""

    index: int
    line: Line
    start: float
    end: float
    spoken: SpokenLine

    @property
    def speaker(self) -> str:
        return self.spoken.speaker


def line_start(scene: Scene, n: int, previous: tuple[float, float] | None,
               end_of: Callable[[str], float], lengths: tuple[float, ...]) -> float:
    """Start of line n, given the previous line's (start, natural end) and the end of any
    line or action by id."""
    line = scene.audio.dialogue[n]
    if line.at is not None:
        return line.at
    if line.after is not None:
        return end_of(line.after) + line.delay
    if previous is None:
        return FIRST_LINE_AT_S + line.delay
    if line.interrupts:
        return previous[0] + INTERRUPT_AT * (previous[1] - previous[0]) + line.delay
    before = scene.audio.dialogue[n - 1]
    same = before.speaker == line.speaker
    gap = generator(scene.seed, f"timeline.line_gap.{n}").uniform(
        *(SAME_SPEAKER_GAP_S if same else TURN_GAP_S))
    return previous[1] + float(gap) + line.delay


def resolve_lines(scene: Scene, speech: Speech, durations=None) -> tuple[TimedLine, ...]:
    """Every line of the Scene with its start and end, interrupted lines cut short. SceneError
    when a line would end after the clip (before any heavy work)."""
    from worldreel.timeline import _instant, _resolve  # noqa: PLC0415

    lengths = tuple(spoken.seconds for spoken in speech.lines)
    spans = _resolve(scene, durations or _instant, lengths)[2]
    out = []
    for n, ((start, end), spoken) in enumerate(zip(spans, speech.lines)):
        following = scene.audio.dialogue[n + 1] if n + 1 < len(spans) else None
        if following is not None and following.interrupts:
            cut = spans[n + 1][0] + OVERLAP_S
            if cut < end:
                spoken = _cut(spoken, cut - start)
                end = cut
        if end > scene.duration + 1e-9:
            line = scene.audio.dialogue[n]
            what = "line" if line.text is not None else f"{line.sound} sound"
            raise SceneError(
                f"audio.dialogue[{n}]: the {what} takes {end - start:.2f} s and ends at "
                f"{end:.2f} s, after the clip ({scene.duration:g} s); start it earlier, shorten "
                "it, speak faster (words_per_minute) or make the clip longer")
        out.append(TimedLine(n, scene.audio.dialogue[n], start, end, spoken))
    return tuple(out)


def speech_end(scene: Scene, speech: Speech, durations=None) -> float:
    """When the last line ends (0 without lines), ignoring the clip's length."""
    return _ends(scene, speech, durations)[0]


def story_end(scene: Scene, speech: Speech, durations=None) -> float:
    """When the last line or the last step of anyone's script ends, ignoring the clip's
    length (0 when there are neither)."""
    return max(_ends(scene, speech, durations))


def _ends(scene: Scene, speech: Speech, durations) -> tuple[float, float]:
    from worldreel.timeline import _instant, _resolve  # noqa: PLC0415

    lengths = tuple(spoken.seconds for spoken in speech.lines)
    long_scene = scene.model_copy(update={"duration": 1e9})
    _, steps, spans, _ = _resolve(long_scene, durations or _instant, lengths)
    return (max((end for _, end in spans), default=0.0),
            max((step.end for script in steps.values() for step in script), default=0.0))


def _cut(spoken: SpokenLine, seconds: float) -> SpokenLine:
    """The line stopped after `seconds`, with a short fade so the cut does not click."""
    n = int(round(seconds * SAMPLE_RATE))
    samples = np.array(spoken.samples[:n], dtype=np.float64)
    fade = min(n, int(CUT_FADE_S * SAMPLE_RATE))
    samples[n - fade:] *= np.linspace(1.0, 0.0, fade)
    samples.setflags(write=False)
    phones = tuple(replace(p, end=min(p.end, seconds)) for p in spoken.phones if p.start < seconds)
    visemes = tuple(replace(v, end=min(v.end, seconds)) for v in spoken.visemes
                    if v.start < seconds)
    return replace(spoken, samples=samples, phones=phones, visemes=visemes)


def in_time(lines: tuple[TimedLine, ...], factor: float) -> tuple[TimedLine, ...]:
    """The lines on a clock `factor` times faster (the simulation's, under slow motion)."""
    if factor == 1.0:
        return lines
    out = []
    for timed in lines:
        spoken = timed.spoken
        phones = tuple(replace(p, start=p.start * factor, end=p.end * factor)
                       for p in spoken.phones)
        visemes = tuple(replace(v, start=v.start * factor, end=v.end * factor)
                        for v in spoken.visemes)
        out.append(replace(timed, start=timed.start * factor, end=timed.end * factor,
                           spoken=replace(spoken, phones=phones, visemes=visemes)))
    return tuple(out)


SPEECH_TAIL_S = 0.5  # the picture holds this long after the last word


def fitted_to_story(scene: Scene, speech: Speech, durations=None) -> Scene:
    """The Scene made long enough to hear every line and play every script (never shorter,
    never past the longest clip); unchanged when it already is."""
    from worldreel.scene import scene_from_dict, scene_to_dict  # noqa: PLC0415
    from worldreel.scene.models import MAX_DURATION_S  # noqa: PLC0415

    lines, scripts = _ends(scene, speech, durations)
    needed = max(lines, scripts) + SPEECH_TAIL_S
    if needed <= scene.duration:
        return scene
    if needed > MAX_DURATION_S:
        what = "dialogue" if lines >= scripts else "people's scripts"
        raise SceneError(f"the {what} need {needed:.1f} s, longer than the longest clip "
                         f"({MAX_DURATION_S:g} s); say less, or ask for less")
    data = scene_to_dict(scene)
    data["duration"] = round(needed, 2)
    return scene_from_dict(data, source="scene fitted to its dialogue")
