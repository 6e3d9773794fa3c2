"""Animals' scripts played out: where each animal goes (paths, turns, jumps, postures), its legs
in the footfall pattern of its gait with feet planted on the floor (analytic leg IK), its head,
jaw, ears and tail, sampled as bone poses (a Performance) for physics.

Gaits (leg order in the patterns: fl, fr, hl, hr; a leg's stance starts at its phase offset
within a stride and lasts the duty factor of the stride):
- walk: four-beat lateral sequence LH, LF, RH, RF at 0, 0.25, 0.5, 0.75; duty 0.65.
- trot: diagonal pairs, LH + RF at 0, RH + LF at 0.5; duty 0.45 (a short suspension).
- canter: three-beat (right lead), LH at 0, RH + LF at 0.3, RF at 0.55; duty 0.4.
- gallop, transverse (horses, zebras, giraffes, cattle, sheep): LH 0, RH 0.1, LF 0.4, RF 0.5;
  rotary (dogs, cats, bears): LH 0, RH 0.1, RF 0.4, LF 0.5; duty 0.3, then a suspension.
- amble (an elephant's run): the walk's lateral sequence with duty 0.5.
Stride length follows Alexander & Jayes' dynamic similarity (J. Zool. 201, 1983: relative
stride length = 2.3 x Froude number^0.3, with the hip height as the length), so the stride
frequency follows from the speed. A foot in stance stays where it was put; the body moves over
it and the leg bends to it (two-bone IK above a cannon set from the leg's line).
"""

from worldreel.animation.animals.gaits import (ANIMATION_RATE, PATTERNS, gait_for, stance_share,
                                              stride_length, turn_rate)
from worldreel.animation.animals.perform import (animal_durations, animate_animals, catch_point,
                                                stride_period)
from worldreel.animation.animals.plan import AnimalPlanner, reach_down

__all__ = ["ANIMATION_RATE", "PATTERNS", "AnimalPlanner", "animal_durations", "animate_animals",
           "catch_point", "gait_for", "reach_down", "stance_share", "stride_length",
           "stride_period", "turn_rate"]
