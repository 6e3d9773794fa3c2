"""The timeline: when each action happens, and the simulation clock behind the clip's clock.

Every time in a Scene is clip time. With slow motion k the world runs k times slower than the
clip: the simulation covers duration / k seconds, sampled k times more densely, and is played
back at the clip's frame rate.
"""

from __future__ import annotations

from dataclasses import dataclass

from worldreel.errors import SceneError
from worldreel.scene import Action, Scene, scene_from_dict, scene_to_dict

# Action fields that are durations or instants, in clip time.
_ACTION_TIMES = ("at", "delay", "flight_time", "duration")


@dataclass(frozen=True)
class TimedAction:
    """An action with its resolved start time."""

    time: float
    index: int  # position in scene.actions, for error messages
    action: Action


def resolve_actions(scene: Scene) -> list[TimedAction]:
    """Absolute times for every action, sorted by time (stable for equal times).

    `at` is absolute; `after: X` starts `delay` seconds after action X; neither means the clip's
    start plus `delay`. Every action must start before the clip ends.
    """
    by_id = {a.id: n for n, a in enumerate(scene.actions) if a.id is not None}
    times: dict[int, float] = {}

    def time_of(n: int, chain: tuple[int, ...]) -> float:
        if n in times:
            return times[n]
        if n in chain:
            names = " -> ".join(str(scene.actions[k].id) for k in (*chain, n))
            raise SceneError(f"actions: 'after' forms a cycle ({names})")
        action = scene.actions[n]
        if action.at is not None:
            start = action.at + action.delay
        elif action.after is not None:
            start = time_of(by_id[action.after], (*chain, n)) + action.delay
        else:
            start = action.delay
        times[n] = start
        return start

    timed = [TimedAction(time_of(n, ()), n, a) for n, a in enumerate(scene.actions)]
    for item in timed:
        if item.time >= scene.duration:
            raise SceneError(
                f"actions[{item.index}]: starts at {item.time:.3g} s, after the clip ends "
                f"({scene.duration:.3g} s); make it earlier or the clip longer"
            )
    return sorted(timed, key=lambda item: (item.time, item.index))


def _scaled_times(data: dict, factor: float) -> None:
    data["duration"] = data["duration"] * factor
    for action in data["actions"]:
        for name in _ACTION_TIMES:
            if action.get(name) is not None:
                action[name] = action[name] * factor
    for shot in data["shots"]:
        shot["start"] = shot["start"] * factor
    for line in data["audio"]["dialogue"]:
        line["at"] = line["at"] * factor


def in_slow_motion(scene: Scene, factor: int) -> Scene:
    """The same story filmed `factor` times slower: every clip time stretched by `factor`."""
    data = scene_to_dict(scene)
    _scaled_times(data, factor / scene.slow_motion)
    data["slow_motion"] = factor
    sample_rate = scene.fps * factor
    if data["physics_rate"] % sample_rate:
        data["physics_rate"] = sample_rate * -(-data["physics_rate"] // sample_rate)
    return scene_from_dict(data, source=f"scene in {factor}x slow motion")


def simulation_scene(scene: Scene) -> Scene:
    """The Scene on the simulation clock: identical without slow motion; with slow motion k,
    every time divided by k and the frame rate multiplied by k (one sample per clip frame)."""
    k = scene.slow_motion
    if k == 1:
        return scene
    data = scene_to_dict(scene)
    _scaled_times(data, 1.0 / k)
    data.update(fps=scene.fps * k, slow_motion=1)
    return scene_from_dict(data, source="slow-motion scene")


def check_dialogue(scene: Scene) -> None:
    """Every line of dialogue must be over before the clip ends (its length comes from the
    speech engine, so this is where a too-long line is caught, before any heavy work)."""
    from worldreel.audio.speech import spoken_seconds  # noqa: PLC0415 - runs the TTS engine

    for n, line in enumerate(scene.audio.dialogue):
        end = line.at + spoken_seconds(line)
        if end > scene.duration:
            raise SceneError(
                f"audio.dialogue[{n}]: the line takes {end - line.at:.2f} s and ends at "
                f"{end:.2f} s, after the clip ({scene.duration:g} s); start it earlier, shorten "
                "it, speak faster (words_per_minute) or make the clip longer")
