"""The timeline: resolves when each action happens, in absolute seconds from the clip start."""

from __future__ import annotations

from dataclasses import dataclass

from worldreel.errors import SceneError
from worldreel.scene import Action, Scene


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
