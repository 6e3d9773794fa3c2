"""Set-ups: reusable arrangements of assets the director (or a hand-written scene) can place.

Each function returns the Entities of a classic physical set-up, laid out so nothing overlaps at
t = 0 (small gaps, a millimetre or two, let things settle instead of being pushed apart):
domino chains, block towers, brick walls, bowling pins, a billiards rack, pendulum and wrecking-ball
rigs, a seesaw and a rope swing. Positions are world metres; `direction` is the horizontal
direction the set-up faces or runs along. Combine them with actions (Topple the first domino, Roll
a bowling ball, Push the cue ball, Drop a pendulum held at an angle).
"""

from __future__ import annotations

import math

from worldreel.assets.registry import ASSETS
from worldreel.scene import Entity

GAP_M = 0.002  # between stacked or packed pieces at the start
# Courses of a wall and levels of a tower are laid touching, pressed 1 um into each other
# (about the sag of a loaded contact), not dropped onto each other across a gap: they stand
# still from t = 0 and sleep at once, with no settling clatter at the start of the clip.
COURSE_OVERLAP_M = 1e-6


def _yaw(direction) -> float:
    return math.degrees(math.atan2(direction[1], direction[0]))


def _along(origin, direction, distance, side=0.0, z=0.0):
    dx, dy = direction[0], direction[1]
    norm = math.hypot(dx, dy) or 1.0
    dx, dy = dx / norm, dy / norm
    return (origin[0] + dx * distance - dy * side, origin[1] + dy * distance + dx * side,
            origin[2] + z)


def domino_chain(n: int = 12, start=(0.0, 0.0, 0.0), direction=(1.0, 0.0, 0.0),
                 spacing: float = 0.12, prefix: str = "domino") -> list[Entity]:
    """A straight row of dominoes; topple the first along `direction` to run the chain."""
    height = ASSETS["domino"].rest_height
    return [Entity(id=f"{prefix}{k}", asset="domino",
                   position=_along(start, direction, k * spacing, z=height),
                   rotation=(0.0, 0.0, _yaw(direction))) for k in range(n)]


def block_tower(levels: int = 8, position=(0.0, 0.0, 0.0), prefix: str = "block"
                ) -> list[Entity]:
    """A tower of wooden blocks, three per level, each level crossed over the one below."""
    entities = []
    half_height = ASSETS["block"].rest_height
    for level in range(levels):
        z = position[2] + half_height + level * (2 * half_height - COURSE_OVERLAP_M)
        crossed = level % 2 == 1
        for k in (-1, 0, 1):
            offset = k * (0.1 + GAP_M)
            pos = ((position[0] + offset, position[1], z) if crossed
                   else (position[0], position[1] + offset, z))
            entities.append(Entity(id=f"{prefix}{level}_{k + 1}", asset="block", position=pos,
                                   rotation=(0.0, 0.0, 90.0 if crossed else 0.0)))
    return entities


def brick_wall(rows: int = 6, columns: int = 8, position=(0.0, 0.0, 0.0),
               direction=(0.0, 1.0, 0.0), prefix: str = "brick", scale: float = 1.0
               ) -> list[Entity]:
    """A running-bond wall of loose bricks along `direction`, centred on `position`.

    scale 2 makes breeze-block sized bricks (40 x 20 x 13 cm): a quarter as many bodies.
    """
    length, height = 0.2 * scale + GAP_M, 0.065 * scale - COURSE_OVERLAP_M
    entities = []
    for row in range(rows):
        shift = 0.5 * length if row % 2 else 0.0
        count = columns - (1 if row % 2 else 0)
        for col in range(count):
            distance = (col - 0.5 * (columns - 1)) * length + shift
            pos = _along(position, direction, distance, z=0.0325 * scale + row * height)
            entities.append(Entity(id=f"{prefix}{row}_{col}", asset="brick", position=pos,
                                   rotation=(0.0, 0.0, _yaw(direction)), scale=scale))
    return entities


def bowling_pins(head=(0.0, 0.0, 0.0), direction=(1.0, 0.0, 0.0), prefix: str = "pin"
                 ) -> list[Entity]:
    """Ten pins in their triangle (12 in = 0.3048 m apart), the head pin at `head`."""
    spacing = 0.3048
    entities = []
    k = 0
    for row in range(4):
        for j in range(row + 1):
            side = (j - 0.5 * row) * spacing
            pos = _along(head, direction, row * spacing * math.sqrt(3) / 2, side)
            entities.append(Entity(id=f"{prefix}{k}", asset="bowling_pin", position=pos))
            k += 1
    return entities


def billiards_rack(apex=(0.635, 0.0, 0.8), direction=(1.0, 0.0, 0.0), prefix: str = "ball"
                   ) -> list[Entity]:
    """Fifteen pool balls racked in a triangle, its apex ball at `apex` (x, y, table top)."""
    r = 0.028575
    d = 2 * r + 0.0005
    colours = ["#f2c300", "#1c3f94", "#c8102e", "#4b2e83", "#ff6a13", "#00843d", "#7a1f1f",
               "#111111", "#f2c300", "#1c3f94", "#c8102e", "#4b2e83", "#ff6a13", "#00843d",
               "#7a1f1f"]
    entities = []
    k = 0
    for row in range(5):
        for j in range(row + 1):
            pos = _along(apex, direction, row * d * math.sqrt(3) / 2, (j - 0.5 * row) * d, r)
            entities.append(Entity(id=f"{prefix}{k + 1}", asset="billiard_ball", position=pos,
                                   color=colours[k]))
            k += 1
    return entities


def pendulum_rig(position=(0.0, 0.0, 0.0), angle: float = 30.0, asset: str = "pendulum",
                 scale: float = 1.0, prefix: str = "pendulum") -> list[Entity]:
    """A gantry with a pendulum (or wrecking ball) hung from its bar, pulled back `angle` deg.

    The pendulum swings in the x-z plane; a positive angle holds the bob towards -x. Release it
    with a Drop action (or leave it free to swing from the start).
    """
    length = -ASSETS[asset].anchors["bob"][2]
    frame = max(scale, (length + 0.4) / 1.0)
    pivot_z = frame * 1.0
    return [Entity(id=f"{prefix}_frame", asset="gantry", position=position, scale=frame),
            Entity(id=prefix, asset=asset, position=(position[0], position[1],
                                                     position[2] + pivot_z),
                   rotation=(0.0, angle, 0.0))]


def seesaw(position=(0.0, 0.0, 0.0), prefix: str = "seesaw") -> list[Entity]:
    """A seesaw plank on its fulcrum, level, along x."""
    pivot = ASSETS["seesaw_base"].anchors["pivot"][2]
    return [Entity(id=f"{prefix}_base", asset="seesaw_base", position=position),
            Entity(id=prefix, asset="seesaw",
                   position=(position[0], position[1], position[2] + pivot + 0.025 + GAP_M))]


def rope_swing(position=(0.0, 0.0, 0.0), angle: float = 45.0, prefix: str = "swing"
               ) -> list[Entity]:
    """A 2 m rope with a weight hung from a 2.5 m frame, pulled back `angle` degrees."""
    frame = 2.5
    return [Entity(id=f"{prefix}_frame", asset="gantry", position=position, scale=frame),
            Entity(id=prefix, asset="rope_swing",
                   position=(position[0], position[1], position[2] + frame - 0.03),
                   rotation=(0.0, angle, 0.0))]
