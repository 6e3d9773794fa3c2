"""The audio stage: the soundtrack of a clip from its Scene and Recording.

Foley by modal synthesis from contact events, ambience beds, optional music, spatial placement for
the live camera, room reverb indoors, and a loudness-normalized, true-peak-safe master at 48 kHz.
Reads the Recording only; never imports the physics engine or the renderer.
"""

from worldreel.audio.clock import SAMPLE_RATE
from worldreel.audio.soundtrack import Soundtrack, make_soundtrack, write_stems

__all__ = ["SAMPLE_RATE", "Soundtrack", "make_soundtrack", "write_stems"]
