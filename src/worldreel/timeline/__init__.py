"""The timeline: when each action happens, and the simulation clock behind the clip's clock.

Every time in a Scene is clip time. With slow motion k the world runs k times slower than the
clip: the simulation covers duration / k seconds, sampled k times more densely, and is played
back at the clip's frame rate. With a time-lapse k it runs k times faster: the simulation
covers duration x k seconds at the clip's frame rate, and every k-th frame is played.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from worldreel.errors import SceneError
from worldreel.scene import (Action, Animal, AnimalAction, Character, CharacterAction,
                             FlockAction, Scene, scene_from_dict, scene_to_dict)
from worldreel.scene.timing import ACTION_TIMES as _ACTION_TIMES, scale_clip_times


@dataclass(frozen=True)
class TimedAction:
    """An action with its resolved start time."""

    time: float
    index: int  # position in scene.actions, for error messages
    action: Action


@dataclass(frozen=True)
class TimedStep:
    """One step of a character's (or an animal's) script with its resolved start and end (clip
    seconds)."""

    character: str  # the character's or animal's id
    index: int  # position in the character's script
    step: CharacterAction | AnimalAction
    start: float
    end: float


# How long a character's (or an animal's) step lasts when it starts at `start`: (character,
# index, start) -> s. The animation stage knows (clip lengths, walking distances); the timeline
# only orders.
StepDuration = Callable[[Character | Animal, int, float], float]


def _instant(character: Character | Animal, index: int, start: float) -> float:
    return 0.0


def resolve_actions(scene: Scene, durations: StepDuration = _instant,
                    line_seconds: tuple[float, ...] | None = None) -> list[TimedAction]:
    """Absolute times for every entity action, sorted by time (stable for equal times).

    `at` is absolute; `after: X` starts `delay` seconds after action X ends (a thing's action
    is an instant; a character's lasts); neither means the clip's start plus `delay`. Every
    action must start before the clip ends.
    """
    return _resolve(scene, durations, line_seconds)[0]


def resolve_scripts(scene: Scene, durations: StepDuration = _instant,
                    line_seconds: tuple[float, ...] | None = None
                    ) -> dict[str, list[TimedStep]]:
    """Start and end of every step of every character's and animal's script, in script order,
    by character or animal id.

    A step with neither `at` nor `after` starts `delay` seconds after the character's previous
    step ends (a script is a sequence); `after: X` waits for action X (of anyone) to end.
    `durations` says how long each step lasts (the animation stage's knowledge), and
    `line_seconds` how long each line of dialogue is spoken (the speech stage's). Cycles of
    `after:`, and steps that start after the clip ends, are SceneErrors naming the path.
    """
    return _resolve(scene, durations, line_seconds)[1]


@dataclass(frozen=True)
class TimedFlockStep:
    """One step of a flock's script with its resolved start and end (clip seconds)."""

    flock: str
    index: int  # position in the flock's script
    step: FlockAction
    start: float
    end: float


def resolve_flocks(scene: Scene, durations: StepDuration = _instant,
                   line_seconds: tuple[float, ...] | None = None
                   ) -> dict[str, list[TimedFlockStep]]:
    """Start and end of every step of every flock's script, in script order: `at`, `after:`
    an action, step or line (plus `delay`), or the end of the flock's previous step; a step
    lasts its `duration` (0 when not given). Steps after the clip ends are SceneErrors."""
    return _resolve(scene, durations, line_seconds)[3]


def check_times(scene: Scene, durations: StepDuration = _instant,
                line_seconds: tuple[float, ...] | None = None) -> None:
    """Resolve every time of the Scene once, for its errors only: a cycle of `after:`, or an
    action, step, line or flock step that starts after the clip ends (SceneError)."""
    _resolve(scene, durations, line_seconds)


def scripts_end(scene: Scene, durations: StepDuration = _instant,
                line_seconds: tuple[float, ...] | None = None) -> float:
    """When the last step of anyone's script ends, however long the clip is (0 without
    scripts): what a clip of fixed length must last to show all of it."""
    if not any(c.script for c in (*scene.characters, *scene.animals)):
        return 0.0
    # Resolved in a clip too long to cut anything (not validated: only its times are read).
    unbounded = scene.model_copy(update={"duration": float("inf")})
    steps = resolve_scripts(unbounded, durations, line_seconds)
    return max((step.end for script in steps.values() for step in script), default=0.0)


def _resolve(scene: Scene, durations: StepDuration, line_seconds: tuple[float, ...] | None
             ) -> tuple[list[TimedAction], dict[str, list[TimedStep]],
                        list[tuple[float, float]], dict[str, list[TimedFlockStep]]]:
    from worldreel.timeline.lines import line_start  # noqa: PLC0415 - lines import this module

    lengths = line_seconds if line_seconds is not None else (0.0,) * len(scene.audio.dialogue)
    nodes: dict[str, tuple] = {}
    for n, line in enumerate(scene.audio.dialogue):
        if line.id is not None:
            nodes[line.id] = ("line", n)
    for n, action in enumerate(scene.actions):
        if action.id is not None:
            nodes[action.id] = ("action", n)
    # Every script is read alike: the characters', then the animals', then the flocks' (owner
    # c counts on through them). A flock's step lasts its `duration`; the others', what the
    # animation stage says.
    groups = (("characters", scene.characters), ("animals", scene.animals),
              ("flocks", scene.flocks))
    owners = tuple(owner for _, group in groups for owner in group)
    places = tuple(f"{name}[{n}]" for name, group in groups for n in range(len(group)))
    first_flock = len(scene.characters) + len(scene.animals)
    for c, owner in enumerate(owners):
        for k, step in enumerate(owner.script):
            if step.id is not None:
                nodes[step.id] = ("step", c, k)
    spans: dict[tuple, tuple[float, float]] = {}

    def label(node: tuple) -> str:
        if node[0] == "line":
            return scene.audio.dialogue[node[1]].id or f"audio.dialogue[{node[1]}]"
        if node[0] == "action":
            return scene.actions[node[1]].id or f"actions[{node[1]}]"
        step = owners[node[1]].script[node[2]]
        return step.id or f"{places[node[1]]}.script[{node[2]}]"

    def span(node: tuple, chain: tuple) -> tuple[float, float]:
        if node in spans:
            return spans[node]
        if node in chain:
            names = " -> ".join(label(k) for k in (*chain, node))
            raise SceneError(f"'after' forms a cycle ({names}); one of them must wait for "
                             "something else or start at a time")
        chain = (*chain, node)
        if node[0] == "line":
            n = node[1]
            previous = span(("line", n - 1), chain) if n > 0 else None
            start = line_start(scene, n, previous, lambda other: span(nodes[other], chain)[1],
                               lengths)
            spans[node] = (start, start + lengths[n])
            return spans[node]
        if node[0] == "action":
            item = scene.actions[node[1]]
            base = _clock(item, nodes, chain, span, previous=0.0)
            spans[node] = (base, base)
            return spans[node]
        c, k = node[1], node[2]
        owner = owners[c]
        previous = span(("step", c, k - 1), chain)[1] if k > 0 else 0.0
        start = _clock(owner.script[k], nodes, chain, span, previous)
        if start >= scene.duration:
            raise SceneError(
                f"{places[c]}.script[{k}] ({owner.script[k].do}): starts at "
                f"{start:.3g} s, after the clip ends ({scene.duration:.3g} s); make it earlier, "
                "the steps before it shorter, or the clip longer")
        length = (owner.script[k].duration or 0.0) if c >= first_flock else \
            durations(owner, k, start)
        spans[node] = (start, start + length)
        return spans[node]

    timed = []
    for n, action in enumerate(scene.actions):
        start = span(("action", n), ())[0]
        if start >= scene.duration:
            raise SceneError(
                f"actions[{n}]: starts at {start:.3g} s, after the clip ends "
                f"({scene.duration:.3g} s); make it earlier or the clip longer"
            )
        timed.append(TimedAction(start, n, action))
    steps = {
        character.id: [TimedStep(character.id, k, step, *span(("step", c, k), ()))
                       for k, step in enumerate(character.script)]
        for c, character in enumerate(owners[:first_flock])}
    lines = [span(("line", n), ()) for n in range(len(scene.audio.dialogue))]
    flocks = {flock.id: [TimedFlockStep(flock.id, k, step,
                                        *span(("step", first_flock + f, k), ()))
                         for k, step in enumerate(flock.script)]
              for f, flock in enumerate(scene.flocks)}
    return sorted(timed, key=lambda item: (item.time, item.index)), steps, lines, flocks


def _clock(item, nodes: dict, chain: tuple, span, previous: float) -> float:
    """Start of an action or step: `at`, the end of what it comes `after`, or `previous`."""
    if item.at is not None:
        return item.at + item.delay
    if item.after is not None:
        return span(nodes[item.after], chain)[1] + item.delay
    return previous + item.delay


def in_slow_motion(scene: Scene, factor: int) -> Scene:
    """The same story filmed `factor` times slower: every clip time stretched by `factor`."""
    data = scene_to_dict(scene)
    scale_clip_times(data, factor / scene.slow_motion)
    data["slow_motion"] = factor
    sample_rate = scene.fps * factor
    if data["physics_rate"] % sample_rate:
        data["physics_rate"] = sample_rate * -(-data["physics_rate"] // sample_rate)
    return scene_from_dict(data, source=f"scene in {factor}x slow motion")


def simulation_scene(scene: Scene) -> Scene:
    """The Scene on the simulation clock: identical without slow motion or time-lapse; with
    slow motion k, every time divided by k and the frame rate multiplied by k (one sample per
    clip frame); with a time-lapse k, every time multiplied by k at the same frame rate (the
    clip keeps one frame in k: Recording.played_faster)."""
    if scene.time_lapse > 1:
        data = scene_to_dict(scene)
        scale_clip_times(data, float(scene.time_lapse))
        data.update(time_lapse=1)
        return scene_from_dict(data, source="time-lapse scene")
    k = scene.slow_motion
    if k == 1:
        return scene
    data = scene_to_dict(scene)
    scale_clip_times(data, 1.0 / k)
    data.update(fps=scene.fps * k, slow_motion=1)
    return scene_from_dict(data, source="slow-motion scene")


from worldreel.timeline.lines import (TimedLine, fitted_to_story, in_time,  # noqa: E402
                                      resolve_lines, speech_end)

__all__ = ["StepDuration", "TimedAction", "TimedFlockStep", "resolve_flocks", "check_times", "TimedLine", "TimedStep", "fitted_to_story",
           "in_slow_motion", "in_time",
           "resolve_actions", "resolve_lines", "resolve_scripts", "simulation_scene", "speech_end"]
