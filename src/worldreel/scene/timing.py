"""Every clip time of a Scene scaled at once: for slow motion, time-lapse and the world's clock.

A Scene's times (action starts and delays, flight times, shot starts, line cues, script steps,
the duration) are all clip time; filming the same story slower or faster, or moving it onto the
simulation's clock, multiplies every one of them by the same factor.
"""

from __future__ import annotations

# Action and script-step fields that are durations or instants, in clip time.
ACTION_TIMES = ("at", "delay", "flight_time", "duration", "interval")


def scale_clip_times(data: dict, factor: float) -> None:
    """Multiply every time in a Scene's data (scene_to_dict) by `factor`, in place."""
    data["duration"] = data["duration"] * factor
    for action in data["actions"]:
        for name in ACTION_TIMES:
            if action.get(name) is not None:
                action[name] = action[name] * factor
    for shot in data["shots"]:
        shot["start"] = shot["start"] * factor
    for line in data["audio"]["dialogue"]:
        for name in ("at", "delay"):
            if line.get(name) is not None:
                line[name] = line[name] * factor
    for flock in data.get("flocks", []):
        for step in flock["script"]:
            for name in ("at", "delay", "duration"):
                if step.get(name) is not None:
                    step[name] = step[name] * factor
    for character in data.get("characters", []) + data.get("animals", []):
        for step in character["script"]:
            for name in ACTION_TIMES:
                if step.get(name) is not None:
                    step[name] = step[name] * factor
