"""WorldReel: a sentence becomes a short film with synchronized sound, by simulation.

The stages and who may import whom are described in DESIGN.md; `worldreel.pipeline` wires them.
"""

__version__ = "0.1.0"
