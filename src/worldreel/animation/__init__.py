"""Animation: rigs, motion clips, locomotion, inverse kinematics and gaze, turning each
character's script into joint and face-unit tracks (Performances) that physics plays."""

from worldreel.animation.perform import animate, step_durations
from worldreel.animation.performance import Grip, Performance

__all__ = ["Grip", "Performance", "animate", "step_durations"]
