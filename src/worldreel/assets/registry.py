"""The registry of procedural props (balls, furniture, hoops...); environments are in environments.py.

An asset is geometry made of primitive parts (MuJoCo conventions: sphere [r], box [half x, y, z],
cylinder and capsule [r, half length]) with materials from the materials table. Positions are in
the asset's own frame; an entity's `position` places that frame. `rest_height` is how high the
frame sits above the floor when the asset rests upright, so the director can place things on the
ground (or on a table top) without guessing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from worldreel.assets.materials import MATERIALS
from worldreel.errors import SceneError

Shape = Literal["sphere", "box", "cylinder", "capsule", "plane"]


@dataclass(frozen=True)
class Part:
    """One primitive piece of an asset."""

    shape: Shape
    size: tuple[float, ...]
    pos: tuple[float, float, float] = (0.0, 0.0, 0.0)
    euler: tuple[float, float, float] = (0.0, 0.0, 0.0)  # degrees, xyz
    material: str | None = None  # None: the asset's material
    rgb: tuple[float, float, float] | None = None  # None: the material's colour
    alpha: float = 1.0
    name: str = ""
    collides: bool = True


@dataclass(frozen=True)
class Asset:
    """A prop or piece of an environment, built from parts."""

    name: str
    description: str
    parts: tuple[Part, ...]
    material: str
    fixed: bool = False  # fixed to the world (furniture, hoops) unless the entity says otherwise
    mass: float | None = None  # kg; None: from the material density and the part volumes
    hollow: bool = False  # a thin shell (balls): inertia 2/3 m r^2 instead of 2/5 m r^2
    rest_height: float = 0.0
    rgb: tuple[float, float, float] | None = None
    aliases: tuple[str, ...] = ()
    # Named points in the asset frame that actions aim at (a hoop's rim centre, a table's top).
    anchors: dict[str, tuple[float, float, float]] = field(default_factory=dict)

    @property
    def radius(self) -> float:
        """Radius of a ball asset (its first part), or half the largest extent otherwise."""
        first = self.parts[0]
        if first.shape == "sphere":
            return first.size[0]
        return 0.5 * self.extent

    @property
    def extent(self) -> float:
        """Largest dimension of the asset's bounding box, metres."""
        lo, hi = self.bounds()
        return max(h - l for l, h in zip(lo, hi))

    def bounds(self) -> tuple[tuple[float, float, float], tuple[float, float, float]]:
        """Axis-aligned bounds in the asset frame (rotations of parts approximated by a sphere)."""
        lo = [math.inf] * 3
        hi = [-math.inf] * 3
        for part in self.parts:
            if part.shape == "plane":
                continue
            half = _half_extents(part)
            for k in range(3):
                lo[k] = min(lo[k], part.pos[k] - half[k])
                hi[k] = max(hi[k], part.pos[k] + half[k])
        return tuple(lo), tuple(hi)  # type: ignore[return-value]


def _half_extents(part: Part) -> tuple[float, float, float]:
    s = part.size
    if part.shape == "sphere":
        half = (s[0], s[0], s[0])
    elif part.shape == "box":
        half = (s[0], s[1], s[2])
    elif part.shape == "cylinder":
        half = (s[0], s[0], s[1])
    else:  # capsule
        half = (s[0], s[0], s[1] + s[0])
    if any(abs(a) > 1e-9 for a in part.euler):
        r = math.sqrt(sum(h * h for h in half))
        return (r, r, r)
    return half


def _ball(name, description, radius, mass, material, rgb, aliases=()):
    return Asset(name, description, (Part("sphere", (radius,)),), material, mass=mass,
                 hollow=True, rest_height=radius, rgb=rgb, aliases=aliases)


def _rim_parts(center, radius=0.2286, tube=0.01, segments=16):
    """A torus approximated by capsules around a circle (MuJoCo has no torus primitive)."""
    parts = []
    half = math.pi * radius / segments
    for i in range(segments):
        a = 2 * math.pi * (i + 0.5) / segments
        pos = (center[0] + radius * math.cos(a), center[1] + radius * math.sin(a), center[2])
        parts.append(Part("capsule", (tube, half), pos, (90.0, 0.0, math.degrees(a)),
                          material="metal", rgb=(0.85, 0.25, 0.05), name=f"rim{i}"))
    return parts


# Basketball hoop (FIBA): rim 3.05 m high, inner diameter 0.45 m, its front 0.15 m from the
# board; board 1.80 x 1.05 m, lower edge 2.90 m. Frame origin at the pole's foot; the board
# faces +x.
_RIM_CENTER = (1.2 + 0.15 + 0.2286, 0.0, 3.05)
_HOOP = Asset(
    "basketball_hoop",
    "regulation hoop on a pole: pole, backboard, orange rim",
    (
        Part("cylinder", (0.08, 1.75), (0.0, 0.0, 1.75), material="metal", rgb=(0.15, 0.15, 0.17),
             name="pole"),
        Part("box", (0.6, 0.05, 0.05), (0.6, 0.0, 3.3), material="metal", rgb=(0.15, 0.15, 0.17),
             name="arm"),
        Part("box", (0.025, 0.9, 0.525), (1.2, 0.0, 3.425), material="glass",
             rgb=(0.92, 0.95, 0.97), alpha=0.55, name="backboard"),
        Part("box", (0.03, 0.295, 0.225), (1.2, 0.0, 3.2), material="plastic",
             rgb=(0.95, 0.95, 0.95), collides=False, name="target_square"),
        Part("box", (0.07, 0.02, 0.02), (1.2 + 0.075, 0.0, 3.05), material="metal",
             rgb=(0.85, 0.25, 0.05), name="rim_bracket"),
        *_rim_parts(_RIM_CENTER),
    ),
    "metal",
    fixed=True,
    aliases=("hoop", "basket", "backboard", "net", "rim"),
    anchors={"rim": _RIM_CENTER, "backboard": (1.2 + 0.025, 0.0, 3.3)},
)

_TABLE = Asset(
    "table",
    "wooden table 1.2 x 0.8 m, 0.75 m tall",
    (
        Part("box", (0.6, 0.4, 0.02), (0.0, 0.0, 0.73), name="top"),
        *(Part("box", (0.025, 0.025, 0.355), (sx * 0.55, sy * 0.35, 0.355), name=f"leg{i}")
          for i, (sx, sy) in enumerate([(1, 1), (1, -1), (-1, 1), (-1, -1)])),
    ),
    "wood",
    fixed=True,
    aliases=("desk",),
    anchors={"top": (0.0, 0.0, 0.75)},
)

_RAMP = Asset(
    "ramp",
    "wooden ramp 1.2 m long rising 0.35 m along -x (a wedge made of a tilted board on a block)",
    (
        Part("box", (0.62, 0.3, 0.02), (0.0, 0.0, 0.17), (0.0, 16.5, 0.0), name="slope"),
        Part("box", (0.04, 0.3, 0.17), (-0.58, 0.0, 0.17), name="riser"),
    ),
    "wood",
    fixed=True,
    aliases=("slope", "incline"),
    anchors={"top": (-0.55, 0.0, 0.36), "bottom": (0.6, 0.0, 0.0)},
)

_ASSETS = [
    _ball("basketball", "size 7 basketball", 0.119, 0.62, "leather", (0.85, 0.38, 0.10),
          ("ball",)),
    _ball("tennis_ball", "tennis ball", 0.0335, 0.058, "felt", (0.80, 0.92, 0.15),
          ("tennis",)),
    _ball("soccer_ball", "size 5 football", 0.110, 0.43, "leather", (0.95, 0.95, 0.95),
          ("football", "soccer")),
    Asset("bowling_ball", "bowling ball, 6.4 kg", (Part("sphere", (0.109,)),), "plastic",
          mass=6.4, rest_height=0.109, rgb=(0.10, 0.15, 0.45), aliases=("bowling",)),
    _ball("rubber_ball", "small bouncy rubber ball", 0.03, 0.03, "rubber", (0.85, 0.12, 0.1),
          ("bouncy ball", "superball")),
    Asset("crate", "wooden crate 0.5 m", (Part("box", (0.25, 0.25, 0.25)),), "wood",
          mass=8.0, rest_height=0.25, aliases=("box", "wooden box")),
    Asset("domino", "domino tile 5 x 2.5 x 1 cm, scaled x4 for visibility",
          (Part("box", (0.02, 0.05, 0.1)),), "wood", rest_height=0.1,
          rgb=(0.95, 0.93, 0.88), aliases=("dominoes", "domino tile")),
    _TABLE,
    _RAMP,
    _HOOP,
    Asset("wall", "a free-standing wall 4 x 0.2 x 2.5 m", (Part("box", (0.1, 2.0, 1.25)),),
          "stone", fixed=True, rest_height=1.25, aliases=()),
]

ASSETS: MappingProxyType[str, Asset] = MappingProxyType({a.name: a for a in _ASSETS})


def asset(name: str) -> Asset:
    """Look up an asset, or raise a SceneError that lists the known ones."""
    try:
        return ASSETS[name]
    except KeyError:
        raise SceneError(f"unknown asset {name!r}; known assets: {', '.join(sorted(ASSETS))}") from None


def _check_materials() -> None:
    for a in _ASSETS:
        for name in [a.material] + [p.material for p in a.parts if p.material]:
            assert name in MATERIALS, f"asset {a.name} uses unknown material {name}"


_check_materials()
