"""The registry of procedural props (balls, furniture, hoops...); environments are in environments.py.

An asset is geometry made of primitive parts (MuJoCo conventions: sphere [r], box [half x, y, z],
cylinder and capsule [r, half length]) with materials from the materials table. Positions are in
the asset's own frame; an entity's `position` places that frame. `rest_height` is how high the
frame sits above the floor when the asset rests upright, so the director can place things on the
ground (or on a table top) without guessing.

Most assets are one rigid body. Some are several (see `Link`): a pendulum or seesaw is one body on
a hinge (`joint`), a rope is a chain of links on ball joints, a cart has wheels on hinges, a cloth
is a grid of particles, and a breakable object (`pieces` > 0, material with a breaking speed) is
pre-fractured into Voronoi pieces welded together until an impact breaks the welds (see
assets.fracture and physics.fracture). Every link is a named body `<entity id>.<link name>` that the
Recording poses like an entity, so the renderer draws it as a mocap body like any other.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from worldreel.assets.materials import MATERIALS, MEDIA
from worldreel.errors import SceneError

Shape = Literal["sphere", "box", "cylinder", "capsule", "plane", "ellipsoid"]
Joint = Literal["free", "hinge", "ball", "slide"]
LinkJoint = Literal["hinge", "ball", "particle"]


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
    # False: seen, not touched. "lighter_than_air": touched only by what floats up in air (a
    # room's ceiling, which the preview does not draw: a thrown ball must not bounce off it).
    collides: bool | Literal["lighter_than_air"] = True
    # A part a thing stands, turns and rolls on (a top's peg and rim): the size of its bearing
    # patch as MuJoCo's torsional and rolling friction, m (the friction torques are at most this
    # times the normal force); None: sliding friction only (spheres get the material's rolling
    # resistance and a small torsion).
    torsion: float | None = None
    # m: the size of the body that rings when this part is struck, where the part is a piece
    # of a larger shell (a bell's lip, struck by its clapper); None: the part's own size
    rings_as: float | None = None


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
    joint: Joint = "free"  # how the entity's body moves: free, a hinge/ball at its origin, or
    # a slide along joint_axis (a nail in wood: see physics.hammering)
    joint_axis: tuple[float, float, float] = (0.0, 1.0, 0.0)  # hinge/slide axis, asset frame
    links: tuple["Link", ...] = ()  # further bodies (rope segments, wheels, cloth particles)
    pieces: int = 0  # Voronoi pieces when it breaks (its material needs a breaking speed)
    flex: "Flex | None" = None  # links are the nodes of a flex: a cloth sheet or a soft solid
    drag_coefficient: float = 1.0  # Cd for air/water drag on its largest cross-section
    # The gas it is blown up with (a MEDIA name): its mass is counted in `mass`, and in air the
    # air it displaces buoys it up and drags on it whatever the Setting's air_drag says
    # (physics.media). None: a solid thing, whose buoyancy in air (under 0.2 % of its weight
    # for densities over 600 kg/m^3) is left out so that a free fall measures g.
    gas: str | None = None
    # (torsional, rolling) friction lengths, m, of its parts against what they touch: the losses
    # of a disc rolling round on its rim (a spun lid or coin), which sliding friction alone
    # leaves out (it would circle for ever). (0, 0): none (spheres use the material's C_rr).
    rim_friction: tuple[float, float] = (0.0, 0.0)

    @property
    def bodies(self) -> int:
        """Bodies the physics simulates for one of it: itself, its links (rope segments, cloth
        and soft-ball nodes, wheels) and, broken, its pieces."""
        return 1 + len(self.links) + self.pieces

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


@dataclass(frozen=True)
class Link:
    """A further body of an asset, jointed to its parent (the entity body, or an earlier link).

    pos is in the parent's frame at the start; hinge axes are in the link's frame. A "particle"
    link moves freely in translation only (cloth and soft-ball nodes) and is placed in the asset
    frame.
    """

    name: str
    parts: tuple[Part, ...]
    pos: tuple[float, float, float]
    joint: LinkJoint = "ball"
    axis: tuple[float, float, float] = (0.0, 1.0, 0.0)
    parent: str | None = None  # None: the entity body
    damping: float = 0.0  # joint damping, N m s/rad
    mass: float | None = None  # kg, over its parts; None: its solid parts at the entity's density
    # Hinges only: dry friction (N m, a laptop's friction hinge holds its lid at any angle),
    # the angle range it turns through (degrees, None: free) and the angle it starts at (its
    # parts are drawn at angle 0: a door ajar, a laptop's lid opened).
    friction: float = 0.0
    range: tuple[float, float] | None = None
    angle: float = 0.0


@dataclass(frozen=True)
class Flex:
    """A deformable made of an asset's particle links: triangles (cloth) or tetrahedra (soft).

    Both are linear-elastic (Young's modulus, Poisson ratio): a cloth as a thin shell (membrane
    and bending, `thickness`), a soft solid in volume, so it springs back after it is squashed.
    `edge_equality` instead holds every edge length with a constraint (inextensible, but ~3x
    slower to solve than cloth elasticity).
    """

    dim: int  # 2: triangles, 3: tetrahedra
    elements: tuple[int, ...]  # node indices (into links), dim + 1 per element
    edge_equality: bool = False
    young: float = 0.0  # Pa
    poisson: float = 0.0
    damping: float = 0.0
    thickness: float = 0.0  # m, shells (dim 2) only
    elastic2d: int = 0  # shells: 1 bending, 2 stretching, 3 both (MuJoCo's flex elastic2d)


# Woven cotton: a membrane stiffness E t of a few hundred N/m (Kawabata tensile tests) - we use
# E = 200 kPa over t = 2 mm (400 N/m), soft enough to stay stable at 2400 Hz with 2.5 g nodes
# and stiff enough that a draped sheet stretches < 2 %.
CLOTH_YOUNG_PA = 2.0e5
CLOTH_THICKNESS_M = 0.002


def _half_extents(part: Part) -> tuple[float, float, float]:
    s = part.size
    if part.shape == "sphere":
        half = (s[0], s[0], s[0])
    elif part.shape in ("box", "ellipsoid"):
        half = (s[0], s[1], s[2])
    elif part.shape == "cylinder":
        half = (s[0], s[0], s[1])
    else:  # capsule
        half = (s[0], s[0], s[1] + s[0])
    if any(abs(a) > 1e-9 for a in part.euler):
        # The axis-aligned extent of a rotated box: |R| applied to its half sizes.
        from scipy.spatial.transform import Rotation  # noqa: PLC0415

        matrix = Rotation.from_euler("xyz", part.euler, degrees=True).as_matrix()
        return tuple(float(v) for v in abs(matrix) @ half)
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
        # Centre raised so the low end rests on the floor instead of dipping 2.5 cm into it.
        Part("box", (0.62, 0.3, 0.02), (0.0, 0.0, 0.196), (0.0, 16.5, 0.0), name="slope"),
        Part("box", (0.04, 0.3, 0.185), (-0.58, 0.0, 0.185), name="riser"),
    ),
    "wood",
    fixed=True,
    aliases=("slope", "incline"),
    anchors={"top": (-0.55, 0.0, 0.38), "bottom": (0.6, 0.0, 0.0)},
)

# Billiard table (WPA 9-foot): bed 2.54 x 1.27 m of cloth on slate, cushion nose 0.037 m above
# the bed (63.5% of a 57.15 mm ball). Frame origin on the floor below the centre.
_BILLIARD_TOP = 0.80
_BILLIARD_TABLE = Asset(
    "billiard_table",
    "9-foot pool table with green cloth and rubber cushions",
    (
        Part("box", (1.27, 0.635, 0.05), (0.0, 0.0, _BILLIARD_TOP - 0.05), material="felt",
             rgb=(0.05, 0.45, 0.20), name="bed"),
        Part("box", (1.37, 0.05, 0.03), (0.0, 0.685, _BILLIARD_TOP + 0.03), material="rubber",
             rgb=(0.30, 0.16, 0.08), name="rail_left"),
        Part("box", (1.37, 0.05, 0.03), (0.0, -0.685, _BILLIARD_TOP + 0.03), material="rubber",
             rgb=(0.30, 0.16, 0.08), name="rail_right"),
        Part("box", (0.05, 0.635, 0.03), (1.32, 0.0, _BILLIARD_TOP + 0.03), material="rubber",
             rgb=(0.30, 0.16, 0.08), name="rail_foot"),
        Part("box", (0.05, 0.635, 0.03), (-1.32, 0.0, _BILLIARD_TOP + 0.03), material="rubber",
             rgb=(0.30, 0.16, 0.08), name="rail_head"),
        Part("box", (1.2, 0.55, 0.35), (0.0, 0.0, 0.35), material="wood",
             rgb=(0.30, 0.16, 0.08), name="base"),
    ),
    "wood",
    fixed=True,
    aliases=("pool table", "snooker table"),
    anchors={"top": (0.0, 0.0, _BILLIARD_TOP)},
)

# Bowling pin (USBC): 0.381 m tall, 0.121 m widest, 1.5 kg; frame at its base.
_BOWLING_PIN = Asset(
    "bowling_pin",
    "white bowling pin, 38 cm, 1.5 kg",
    (
        Part("capsule", (0.058, 0.07), (0.0, 0.0, 0.128), name="belly"),
        Part("capsule", (0.024, 0.05), (0.0, 0.0, 0.27), name="neck"),
        Part("sphere", (0.032,), (0.0, 0.0, 0.345), name="head"),
    ),
    "wood",
    mass=1.5,
    rgb=(0.95, 0.95, 0.93),
    aliases=("pin", "pins", "skittle"),
)

_CHAIR = Asset(
    "chair",
    "wooden chair, seat 0.45 m high",
    (
        Part("box", (0.22, 0.22, 0.02), (0.0, 0.0, 0.45), name="seat"),
        *(Part("box", (0.02, 0.02, 0.215), (sx * 0.19, sy * 0.19, 0.215), name=f"leg{i}")
          for i, (sx, sy) in enumerate([(1, 1), (1, -1), (-1, 1), (-1, -1)])),
        Part("box", (0.02, 0.22, 0.2), (-0.2, 0.0, 0.67), name="back"),
    ),
    "wood",
    fixed=True,
    anchors={"top": (0.0, 0.0, 0.47)},
)

# A gallows frame for pendulums and the wrecking ball: crossbar 1.0 m up along y, posts at
# y = +-0.5. Scale it with the entity for a crane-sized frame.
_GANTRY = Asset(
    "gantry",
    "a frame with a crossbar to hang pendulums, ropes and wrecking balls from",
    (
        Part("cylinder", (0.015, 0.5), (0.0, 0.0, 1.0), (90.0, 0.0, 0.0), material="metal",
             name="bar"),
        Part("cylinder", (0.015, 0.5), (0.0, 0.5, 0.5), material="metal", name="post_left"),
        Part("cylinder", (0.015, 0.5), (0.0, -0.5, 0.5), material="metal", name="post_right"),
    ),
    "metal",
    fixed=True,
    rgb=(0.2, 0.2, 0.22),
    aliases=("frame", "crane", "stand"),
    anchors={"pivot": (0.0, 0.0, 1.0)},
)


PIVOT_CLEARANCE = 0.08  # m between a hinge and the first colliding part below it


def _pendulum(name, description, length, bob_radius, rod_radius, material, rgb, aliases=()):
    """A rigid pendulum hinged about y at its frame origin, hanging along -z."""
    return Asset(
        name, description,
        (Part("sphere", (bob_radius,), (0.0, 0.0, -length), name="bob"),
         # The rod starts PIVOT_CLEARANCE below the pivot, clear of the bar it hangs from.
         Part("cylinder", (rod_radius, 0.5 * (length - bob_radius - PIVOT_CLEARANCE)),
              (0.0, 0.0, -0.5 * (length - bob_radius + PIVOT_CLEARANCE)), material="metal",
              rgb=(0.15, 0.15, 0.15), name="rod")),
        material, joint="hinge", joint_axis=(0.0, 1.0, 0.0), rgb=rgb, aliases=aliases,
        anchors={"pivot": (0.0, 0.0, 0.0), "bob": (0.0, 0.0, -length)},
    )


def _rope(name, description, segments, segment_length, radius, end_radius, material, rgb,
          aliases=()):
    """A rope hanging from its frame origin (fixed to the world there), ball-jointed links."""
    links = []
    half = 0.5 * segment_length
    for k in range(segments):
        top = PIVOT_CLEARANCE if k == 0 else 0.0  # clear of the bar it hangs from
        parts = [Part("capsule", (radius, half - radius - 0.5 * top), (0.0, 0.0, -half - 0.5 * top),
                      name="strand")]
        if k == segments - 1 and end_radius:
            parts.append(Part("sphere", (end_radius,), (0.0, 0.0, -segment_length - end_radius),
                              material="wood", rgb=(0.55, 0.35, 0.2), name="knot"))
        links.append(Link(f"s{k}", tuple(parts), (0.0, 0.0, 0.0 if k == 0 else -segment_length),
                          "ball", parent=None if k == 0 else f"s{k - 1}", damping=0.002))
    return Asset(name, description,
                 (Part("sphere", (radius * 1.5,), material="metal", name="anchor",
                       collides=False),),
                 material, fixed=True, rgb=rgb, links=tuple(links), aliases=aliases,
                 anchors={"top": (0.0, 0.0, 0.0)})


def _cloth(name, description, n, spacing, mass, rgb, aliases=()):
    """An n x n sheet of particles in the asset's xy plane, edges held by a flex constraint.

    Nodes are spheres (condim 3: a particle cannot turn): sphere-box contact is analytic, where
    the flattened ellipsoids they replace went through the general convex collider (narrow phase
    on the cloth-over-chair scene 0.26 -> 0.14 s). 0.4 x spacing leaves 22 mm between
    neighbours, less than a chair back's rail is thick, so the sheet hangs over it instead of
    letting it through.
    """
    radius = 0.40 * spacing
    links = []
    for i in range(n):
        for j in range(n):
            pos = ((i - 0.5 * (n - 1)) * spacing, (j - 0.5 * (n - 1)) * spacing, 0.0)
            links.append(Link(f"v{i}_{j}",
                              (Part("sphere", (radius,), name="node"),),
                              pos, "particle"))
    elements = []
    for i in range(n - 1):
        for j in range(n - 1):
            a = i * n + j
            elements += [a, a + n, a + 1, a + 1, a + n, a + n + 1]
    return Asset(name, description,
                 (Part("sphere", (0.005,), collides=False, alpha=0.0, name="origin"),),
                 "cloth", mass=mass, rgb=rgb, links=tuple(links),
                 # Stretching only (elastic2d 2): the bending stiffness of a 2 mm fabric,
                 # E t^3 / 12 ~ 1e-4 N m, is far below what gravity does to a sheet, and
                 # computing it is a third of the flex's cost.
                 flex=Flex(2, tuple(elements), young=CLOTH_YOUNG_PA, poisson=0.3,
                           damping=0.001, thickness=CLOTH_THICKNESS_M, elastic2d=2),
                 aliases=aliases)


def _icosphere() -> tuple[list[tuple[float, float, float]], list[tuple[int, int, int]]]:
    """Unit icosphere, one subdivision: 42 vertices, 80 triangles."""
    t = (1 + 5**0.5) / 2
    verts = [(-1, t, 0), (1, t, 0), (-1, -t, 0), (1, -t, 0), (0, -1, t), (0, 1, t), (0, -1, -t),
             (0, 1, -t), (t, 0, -1), (t, 0, 1), (-t, 0, -1), (-t, 0, 1)]
    faces = [(0, 11, 5), (0, 5, 1), (0, 1, 7), (0, 7, 10), (0, 10, 11), (1, 5, 9), (5, 11, 4),
             (11, 10, 2), (10, 7, 6), (7, 1, 8), (3, 9, 4), (3, 4, 2), (3, 2, 6), (3, 6, 8),
             (3, 8, 9), (4, 9, 5), (2, 4, 11), (6, 2, 10), (8, 6, 7), (9, 8, 1)]

    def unit(v):
        n = math.sqrt(sum(c * c for c in v))
        return tuple(c / n for c in v)

    verts = [unit(v) for v in verts]
    middle: dict[tuple[int, int], int] = {}

    def mid(a, b):
        key = (min(a, b), max(a, b))
        if key not in middle:
            verts.append(unit(tuple(x + y for x, y in zip(verts[a], verts[b]))))
            middle[key] = len(verts) - 1
        return middle[key]

    out = []
    for a, b, c in faces:
        ab, bc, ca = mid(a, b), mid(b, c), mid(c, a)
        out += [(a, ab, ca), (b, bc, ab), (c, ca, bc), (ab, bc, ca)]
    return verts, out


def _soft_ball(name, description, radius, mass, young, rgb, aliases=()):
    """A linear-elastic ball: a centre node and 42 surface nodes joined by 80 tetrahedra.

    Young's modulus sets how much it squashes: 10 kPa (a soft foam ball) flattens by ~15 % when
    dropped from a metre and springs back (foam moduli: Gibson & Ashby, "Cellular Solids", 2nd
    ed., fig. 5.3: 1-100 kPa for soft open-cell foams). Much softer balls invert their elements
    on hard impacts; much stiffer ones need a faster physics rate (30 kPa is unstable at 2400 Hz).
    """
    verts, faces = _icosphere()
    node = Part("sphere", (0.12 * radius,), name="node")
    links = [Link("c", (node,), (0.0, 0.0, 0.0), "particle")]
    links += [Link(f"n{k}", (node,), tuple(radius * c for c in v), "particle")
              for k, v in enumerate(verts)]
    elements = tuple(x for a, b, c in faces for x in (0, a + 1, b + 1, c + 1))
    return Asset(name, description,
                 (Part("sphere", (0.005,), collides=False, alpha=0.0, name="origin"),),
                 "rubber", mass=mass, rgb=rgb, links=tuple(links), rest_height=1.12 * radius,
                 flex=Flex(3, elements, young=young, poisson=0.3, damping=0.002),
                 aliases=aliases)


# A wooden finger top: a 7 cm disc low on a rounded peg (its frame at the peg's point), a stem to
# twirl it by. TOP_PEG_TORSION_M is the peg's torsional friction: a uniformly pressed circular
# patch of radius a resists turning with (2/3) mu N a, and a blunt wooden peg on wood bears on a
# patch about 1 mm across (mu 0.4, wood on wood: the materials table), so 0.0003 m. With it the
# spin falls about 4 rad/s^2 (the torque over the disc's moment of inertia), from the 60 rad/s a
# hand gives (director.layout.SPIN_RATE) to the speed below which this top cannot stand,
# 2 sqrt(m g h I_tip) / I_axis ~ 40 rad/s, in about 5 s. Air slows a spinning 7 cm disc
# far less (von Karman's laminar disc moment, 0.5 rho w^2 R^5 x 3.87 / sqrt(w R^2 / nu):
# under 0.2 rad/s^2 at 60 rad/s), so the peg is all that is modelled.
TOP_PEG_TORSION_M = 0.0003
_TOP = Asset("top", "a spinning top", (
    Part("cylinder", (0.035, 0.007), (0.0, 0.0, 0.019), name="disc", torsion=TOP_PEG_TORSION_M),
    Part("capsule", (0.004, 0.006), (0.0, 0.0, 0.010), name="tip", torsion=TOP_PEG_TORSION_M),
    Part("cylinder", (0.005, 0.016), (0.0, 0.0, 0.042), name="stem")),
    "wood", rest_height=0.0, rgb=(0.8, 0.2, 0.3), aliases=("spinning top", "dreidel"))


# A party balloon: 11-inch (28 cm across) latex, taller than wide, blown up with helium. The
# helium chart of a balloon decorator (californiaeventdecor.com/balloon-helium-chart, Qualatex
# figures) gives an 11" round 0.5 cubic feet (14.2 L) and a lift of 10 g; a 28 x 28 x 34 cm
# ellipsoid holds 14.0 L. Its latex weighs about 3 g (an 11" balloon on a kitchen scale; the
# usual rule of thumb subtracts 3 g for balloon and string). So the air it displaces, 1.204
# kg/m^3 x 14.0 L = 16.8 g, less its helium (0.1664 kg/m^3: 2.3 g) and latex leaves 11.5 g:
# a net lift of 0.113 N, the chart's 10 g within what a fill varies. Rising, it is a light
# sphere (its mass 5.3 g against 16.8 g of air displaced, m* = 0.32): such spheres rise in a
# zigzag with a drag coefficient near 0.75 rather than a fixed sphere's 0.47 (Horowitz and
# Williamson, J. Fluid Mech. 651, 251 (2010)), so it rises at sqrt(2 L / (rho Cd A)) = 2.0 m/s
# on its 28 cm width (2.5 m/s with 0.47); physics.media drags on a body's largest cross-section,
# here its side (0.075 m^2), and plays 1.83 m/s; 1.79 m/s with its ribbon.
BALLOON_HALF_M = (0.14, 0.14, 0.17)
BALLOON_LATEX_KG = 0.003
BALLOON_VOLUME_M3 = 4.0 / 3.0 * math.pi * math.prod(BALLOON_HALF_M)
BALLOON_CD = 0.75
# Its ribbon: 75 cm of 5 mm polypropylene curling ribbon about 50 um thick (905 kg/m^3: 0.23 g/m),
# hanging from the knot in ball-jointed links; drawn 3 mm round. It weighs and trails but touches
# nothing: a balloon set on the floor or a table would start with it inside them, and links of
# 34 mg are thrown about by any contact at these steps.
RIBBON_LINKS = 5
RIBBON_LINK_M = 0.15
RIBBON_KG_PER_M = 905.0 * 0.005 * 50e-6
_KNOT_Z = -BALLOON_HALF_M[2] - 0.012
_RIBBON = tuple(
    Link(f"ribbon{k}", (Part("capsule", (0.0015, 0.5 * RIBBON_LINK_M - 0.0015),
                             (0.0, 0.0, -0.5 * RIBBON_LINK_M), rgb=(0.95, 0.95, 0.9),
                             name="ribbon", collides=False),),
         (0.0, 0.0, _KNOT_Z if k == 0 else -RIBBON_LINK_M), "ball",
         parent=None if k == 0 else f"ribbon{k - 1}", damping=1e-6,
         mass=RIBBON_KG_PER_M * RIBBON_LINK_M)
    for k in range(RIBBON_LINKS))
_BALLOON = Asset(
    "balloon", "a helium party balloon, 28 cm across, on a ribbon, that floats up",
    (Part("ellipsoid", BALLOON_HALF_M, name="skin"),
     Part("ellipsoid", (0.012, 0.012, 0.012), (0.0, 0.0, -BALLOON_HALF_M[2] - 0.006),
          name="knot", collides=False)),
    "rubber", mass=BALLOON_LATEX_KG + MEDIA["helium"].density * BALLOON_VOLUME_M3,
    rest_height=BALLOON_HALF_M[2] + 0.018,  # to the knot's bottom
    links=_RIBBON, rgb=(0.85, 0.1, 0.12),
    aliases=("party balloon", "helium balloon", "toy balloon"), drag_coefficient=BALLOON_CD,
    gas="helium")


def _cart():
    wheels = tuple(
        Link(f"wheel{i}", (Part("cylinder", (0.06, 0.02), euler=(90.0, 0.0, 0.0), material="rubber",
                                rgb=(0.1, 0.1, 0.1), name="tyre"),),
             (sx * 0.2, sy * 0.19, 0.06), "hinge", (0.0, 1.0, 0.0), damping=0.0005)
        for i, (sx, sy) in enumerate([(1, 1), (1, -1), (-1, 1), (-1, -1)])
    )
    return Asset("cart", "a four-wheeled wooden cart, 0.6 m long",
                 (Part("box", (0.3, 0.15, 0.04), (0.0, 0.0, 0.12), name="chassis"),),
                 "wood", mass=3.0, links=wheels, aliases=("toy car", "wagon"),
                 rgb=(0.75, 0.2, 0.15))


# --- Hammering: a claw hammer, a nail and the board it is driven into (physics.hammering) -----
# Claw hammer: a 16 oz (0.45 kg) steel head on a 0.28 m wooden handle, 0.57 kg in all (a common
# carpenter's hammer; head weights are sold as 16 and 20 oz). Masses from the materials' densities:
# the head's box (24 x 100 x 24 mm of steel) is 0.45 kg, the handle 0.12 kg, so the balance
# sits near the head as in a real hammer. The striking face is the head's -y end: the hammer
# lies with its handle along x and the face at `face` (rotate it 90 degrees about x and the face
# points down, as when it lands on a nail).
_HAMMER = Asset(
    "hammer", "a 16 oz claw hammer: steel head on a wooden handle, 0.57 kg",
    (Part("cylinder", (0.014, 0.14), (0.0, 0.0, 0.0), (0.0, 90.0, 0.0), material="wood",
          rgb=(0.62, 0.43, 0.25), name="handle"),
     Part("box", (0.012, 0.05, 0.012), (0.152, 0.0, 0.0), material="metal", name="head")),
    "metal", rest_height=0.014, aliases=("mallet",), drag_coefficient=1.0,
    anchors={"face": (0.152, -0.05, 0.0), "grip": (-0.12, 0.0, 0.0)},
)
# A 10d common nail (ASTM F1667, common nails: 3 in = 76.2 mm long under the head, 0.148 in =
# 3.76 mm shank, 5/16 in = 7.9 mm head): steel, 7 g. Its frame is at the tip, the shank along +z.
# It moves only along its own axis (joint "slide"): where it stands in wood, physics.hammering
# holds it with the wood's withdrawal resistance, and its head stops flush with the surface.
NAIL_LENGTH_M = 0.0762
NAIL_DIAMETER_M = 0.00376
NAIL_HEAD_DIAMETER_M = 0.0079
NAIL_HEAD_THICKNESS_M = 0.0015
_NAIL = Asset(
    "nail", "a 75 mm (10d) common steel nail",
    (Part("cylinder", (0.5 * NAIL_DIAMETER_M, 0.5 * NAIL_LENGTH_M), (0.0, 0.0, 0.5 * NAIL_LENGTH_M),
          name="shank"),
     Part("cylinder", (0.5 * NAIL_HEAD_DIAMETER_M, 0.5 * NAIL_HEAD_THICKNESS_M),
          (0.0, 0.0, NAIL_LENGTH_M + 0.5 * NAIL_HEAD_THICKNESS_M), name="head")),
    "metal", joint="slide", joint_axis=(0.0, 0.0, 1.0), rgb=(0.72, 0.73, 0.75),
    aliases=("common nail", "steel nail"),
    anchors={"head": (0.0, 0.0, NAIL_LENGTH_M + NAIL_HEAD_THICKNESS_M), "tip": (0.0, 0.0, 0.0)},
)
# Two 2x6 boards (dressed size 38 x 140 mm), 0.5 m long, one laid on the other: 76 mm of wood,
# deep enough to take a 75 mm nail to its head (a 10d nail is the size for nailing two 2x boards
# together). Fixed where it lies; frame on the floor below its centre.
BOARD_THICKNESS_M = 0.038
_BOARD = Asset(
    "board", "two 38 x 140 mm wooden boards, 0.5 m long, one on the other (76 mm of wood)",
    (Part("box", (0.25, 0.07, 0.5 * BOARD_THICKNESS_M), (0.0, 0.0, 1.5 * BOARD_THICKNESS_M),
          name="top_board"),
     Part("box", (0.25, 0.07, 0.5 * BOARD_THICKNESS_M), (0.0, 0.0, 0.5 * BOARD_THICKNESS_M),
          rgb=(0.55, 0.38, 0.22), name="lower_board")),
    "wood", fixed=True, rgb=(0.70, 0.52, 0.32),
    aliases=("plank", "wooden board", "board of wood", "block of wood", "piece of wood",
             "lumber", "wood plank", "two by four"),
    anchors={"top": (0.0, 0.0, 2 * BOARD_THICKNESS_M)},
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
    Asset("billiard_ball", "pool ball, 57.15 mm, 170 g", (Part("sphere", (0.028575,)),), "resin",
          mass=0.17, rest_height=0.028575, aliases=("pool ball", "cue ball", "snooker ball")),
    _BILLIARD_TABLE,
    _BOWLING_PIN,
    Asset("block", "wooden building block 30 x 10 x 10 cm", (Part("box", (0.15, 0.05, 0.05)),),
          "wood", rest_height=0.05, rgb=(0.85, 0.62, 0.35), aliases=("plank block", "jenga")),
    Asset("brick", "clay brick 20 x 10 x 6.5 cm", (Part("box", (0.1, 0.05, 0.0325)),), "brick",
          rest_height=0.0325, aliases=("bricks",)),
    _CHAIR,
    _GANTRY,
    _pendulum("pendulum", "a 0.8 m pendulum with a steel bob", 0.8, 0.05, 0.004, "metal",
              (0.7, 0.7, 0.72), ("bob",)),
    _pendulum("wrecking_ball", "a 500 kg wrecking ball on a 3 m cable", 3.0, 0.25, 0.02,
              "metal", (0.18, 0.18, 0.2), ("demolition ball",)),
    Asset("seesaw", "a 3 m plank on a hinge at its middle (put a seesaw_base under it)",
          (Part("box", (1.5, 0.15, 0.025)),), "wood", joint="hinge", joint_axis=(0.0, 1.0, 0.0),
          rgb=(0.7, 0.5, 0.3), aliases=("teeter-totter", "see-saw"),
          anchors={"left": (-1.4, 0.0, 0.025), "right": (1.4, 0.0, 0.025)}),
    Asset("seesaw_base", "the fulcrum of a seesaw, pivot 0.45 m high",
          (Part("box", (0.06, 0.15, 0.224), (0.0, 0.0, 0.224)),
           Part("box", (0.2, 0.2, 0.01), (0.0, 0.0, 0.01))),
          "metal", fixed=True, rgb=(0.25, 0.3, 0.45), anchors={"pivot": (0.0, 0.0, 0.45)}),
    Asset("glass", "a drinking glass that shatters when dropped on a hard floor",
          (Part("cylinder", (0.035, 0.06), alpha=0.6),), "glass", mass=0.25, rest_height=0.06,
          pieces=10, aliases=("tumbler", "drinking glass")),
    Asset("plate", "a porcelain dinner plate", (Part("cylinder", (0.12, 0.008)),), "ceramic",
          mass=0.5, rest_height=0.008, pieces=8, aliases=("dish",)),
    Asset("vase", "a ceramic vase", (Part("cylinder", (0.07, 0.15)),), "ceramic", mass=1.0,
          rest_height=0.15, pieces=12, rgb=(0.3, 0.45, 0.7), aliases=("jar",)),
    Asset("rubber_duck", "a yellow rubber duck (hollow: it floats)",
          (Part("ellipsoid", (0.06, 0.045, 0.035), (0.0, 0.0, 0.035), name="body"),
           Part("sphere", (0.028,), (0.035, 0.0, 0.085), name="head"),
           Part("ellipsoid", (0.018, 0.01, 0.006), (0.065, 0.0, 0.082), rgb=(0.95, 0.45, 0.05),
                name="beak")),
          "rubber", mass=0.03, rgb=(0.98, 0.85, 0.1), aliases=("duck", "toy duck"),
          drag_coefficient=0.8),
    Asset("stone", "a fist-sized stone", (Part("ellipsoid", (0.06, 0.05, 0.04)),), "stone",
          rest_height=0.04, aliases=("rock", "pebble")),
    Asset("feather", "a feather, half a gram", (Part("box", (0.1, 0.02, 0.001)),), "paper",
          mass=0.0005, rest_height=0.001, rgb=(0.95, 0.95, 0.97), drag_coefficient=1.5),
    _HAMMER,
    _TOP,
    _BALLOON,
    _cart(),
    _rope("rope", "a 1.6 m rope hanging from its top", 16, 0.1, 0.008, 0.0, "cloth",
          (0.75, 0.65, 0.45), ("cable", "string")),
    _rope("rope_swing", "a 2 m rope with a knot-weight at its end", 10, 0.2, 0.012, 0.07,
          "cloth", (0.75, 0.65, 0.45), ("swing", "tire swing")),
    _NAIL,
    _BOARD,
    _soft_ball("soft_ball", "a soft foam ball, 20 cm, that squashes and springs back", 0.1, 0.15,
               1.0e4, (0.95, 0.45, 0.2), ("foam ball", "stress ball", "squishy ball")),
    # 8 x 8 nodes 0.109 m apart: the same 0.76 m sheet as 10 x 10 at 0.085 m drapes the same
    # over a chair or a table at 64 % of the cost (each node is three slide joints and a
    # collision geom).
    _cloth("cloth", "a 0.8 m square cloth (tablecloth, towel, sheet)", 8, 0.109, 0.25,
           (0.65, 0.12, 0.15), ("tablecloth", "towel", "sheet", "blanket")),
]

# --- Sports: golf, baseball, table tennis, volleyball and the beach (issue #15) ---------------
# Balls at their rule sizes and masses, a putter, a bat, a catcher's mitt and a putting green
# with a regulation hole. Decorations (a baseball's seam, a volleyball's panels, a beach ball's
# gores) are non-colliding parts: they weigh nothing (mujoco_spec) and the ball rolls on its
# sphere.


def _axis_euler(direction) -> tuple[float, float, float]:
    """Euler angles (degrees, extrinsic xyz) that turn a part's own z axis along `direction`."""
    x, y, z = direction
    n = math.sqrt(x * x + y * y + z * z)
    return (0.0, math.degrees(math.acos(max(-1.0, min(1.0, z / n)))), math.degrees(math.atan2(y, x)))


def _seam_parts(radius, tube, rgb, segments=32, b=0.3):
    """A baseball's figure-eight seam as short capsules on its surface: the curve
    p(t) = (a cos t + b cos 3t, a sin t - b sin 3t, 2 sqrt(ab) sin 2t) with a + b = 1 lies on
    the unit sphere (|p| = a + b), two lobes like a cover's two pieces of hide."""
    a, c = 1.0 - b, 2.0 * math.sqrt((1.0 - b) * b)

    def point(t):
        return (a * math.cos(t) + b * math.cos(3 * t), a * math.sin(t) - b * math.sin(3 * t),
                c * math.sin(2 * t))

    parts = []
    for i in range(segments):
        p0, p1 = point(2 * math.pi * i / segments), point(2 * math.pi * (i + 1) / segments)
        mid = [0.5 * (u + v) for u, v in zip(p0, p1)]
        norm = math.sqrt(sum(m * m for m in mid))
        d = [v - u for u, v in zip(p0, p1)]
        half = 0.5 * radius * math.sqrt(sum(k * k for k in d))
        parts.append(Part("capsule", (tube, half), tuple(radius * m / norm for m in mid),
                          _axis_euler(d), rgb=rgb, collides=False, name=f"seam{i}"))
    return parts


def _band(radius, euler, half_width_deg, rgb, name, bulge=1.025):  # 1.01 drew sawtooth edges
    """A coloured band around a ball's great circle (normal: the part's z axis): an ellipsoid
    with semi-axes (A, A, B), A = bulge * r, that rises out of the ball's sphere only where
    |n . z| < sin(half width). (1/r^2 - 1/A^2) = sin^2(w) (1/B^2 - 1/A^2) sets B."""
    big = bulge * radius
    s2 = math.sin(math.radians(half_width_deg)) ** 2
    small = 1.0 / math.sqrt((1.0 / radius**2 - 1.0 / big**2) / s2 + 1.0 / big**2)
    return Part("ellipsoid", (big, big, small), euler=euler, rgb=rgb, collides=False, name=name)


def _gore(radius, yaw_deg, half_width_deg, rgb, name, bulge=1.01):
    """Two opposite gores (segments from pole to pole) of a beach ball: an ellipsoid with
    semi-axes (A, B, r) along (the gore's middle, across it, the poles) rises out of the sphere
    only where |n . across| < tan(half width) |n . middle|, a wedge about the polar axis:
    (1/r^2 - 1/A^2) = tan^2(w) (1/B^2 - 1/r^2)."""
    big = bulge * radius
    t2 = math.tan(math.radians(half_width_deg)) ** 2
    small = 1.0 / math.sqrt((1.0 / radius**2 - 1.0 / big**2) / t2 + 1.0 / radius**2)
    return Part("ellipsoid", (big, small, radius), euler=(0.0, 0.0, yaw_deg), rgb=rgb,
                collides=False, name=name)


def _caps(radius, cap_deg, rgb, bulge=1.012):
    """The two pole caps of a beach ball: an ellipsoid (B, B, C), C = bulge * r, above the
    sphere within cap_deg of either pole: sin^2(cap) (1/B^2 - 1/C^2) = 1/r^2 - 1/C^2."""
    tall = bulge * radius
    s2 = math.sin(math.radians(cap_deg)) ** 2
    wide = 1.0 / math.sqrt((1.0 / radius**2 - 1.0 / tall**2) / s2 + 1.0 / tall**2)
    return Part("ellipsoid", (wide, wide, tall), rgb=rgb, collides=False, name="caps")


# Golf ball (Rules of Golf, Equipment Rules Part 4: at least 42.67 mm across, at most 45.93 g):
# a solid two-piece ball, white.
GOLF_BALL_RADIUS_M = 0.5 * 0.04267
_GOLF_BALL = Asset(
    "golf_ball", "golf ball, 42.67 mm, 45.93 g (Rules of Golf)",
    (Part("sphere", (GOLF_BALL_RADIUS_M,)),), "ionomer", mass=0.04593,
    rest_height=GOLF_BALL_RADIUS_M, rgb=(0.97, 0.97, 0.95), aliases=("golf balls",),
    drag_coefficient=0.25)  # dimpled sphere at play speeds (Bearman & Harvey 1976)

# Baseball (MLB Official Baseball Rules 3.01: 9 to 9.25 in round, 5 to 5.25 oz): 74 mm, 145 g,
# white cowhide with a red figure-eight seam.
BASEBALL_RADIUS_M = 0.5 * 0.074
_BASEBALL = Asset(
    "baseball", "baseball, 74 mm, 145 g, white with red stitching",
    (Part("sphere", (BASEBALL_RADIUS_M,), name="ball"),
     *_seam_parts(BASEBALL_RADIUS_M, 0.0016, (0.80, 0.08, 0.08))),
    "cowhide", mass=0.145, rest_height=BASEBALL_RADIUS_M, rgb=(0.96, 0.95, 0.90),
    aliases=("hardball",), drag_coefficient=0.35)  # Adair, "The Physics of Baseball": 0.3-0.5

# Table-tennis ball (ITTF Handbook 2.3: 40 mm, 2.7 g, white or orange, a celluloid/plastic
# shell).
_PING_PONG_BALL = _ball("ping_pong_ball", "table-tennis ball, 40 mm, 2.7 g, hollow", 0.020,
                        0.0027, "celluloid", (0.97, 0.97, 0.95),
                        ("ping pong ball", "table tennis ball", "pingpong ball"))

# Volleyball (FIVB Official Volleyball Rules 3.1: 65-67 cm round, 260-280 g, a leather or
# synthetic leather case over a bladder): 105 mm radius, 270 g, hollow; yellow with blue and
# white bands standing for its panels.
VOLLEYBALL_RADIUS_M = 0.66 / (2 * math.pi)
_VOLLEYBALL = Asset(
    "volleyball", "volleyball, 66 cm round, 270 g, yellow with blue and white panels",
    (Part("sphere", (VOLLEYBALL_RADIUS_M,), name="ball"),
     _band(VOLLEYBALL_RADIUS_M, (0.0, 0.0, 0.0), 15.0, (0.10, 0.27, 0.68), "band_z"),
     _band(VOLLEYBALL_RADIUS_M, (90.0, 0.0, 0.0), 15.0, (0.10, 0.27, 0.68), "band_y"),
     _band(VOLLEYBALL_RADIUS_M, (0.0, 90.0, 0.0), 15.0, (0.96, 0.96, 0.94), "band_x")),
    "leather", mass=0.27, hollow=True, rest_height=VOLLEYBALL_RADIUS_M,
    rgb=(0.98, 0.80, 0.10), aliases=("volley ball",))

# Beach ball: 40 cm (16 in) of 0.15 mm vinyl (flexible PVC, ~1300 kg/m^3, Engineering ToolBox
# "Densities of plastics") over its 0.50 m^2 surface: about 0.10 kg; it floats high. Six gores
# (red, yellow, blue, twice round) and white caps at the poles.
BEACH_BALL_RADIUS_M = 0.20
_BEACH_BALL = Asset(
    "beach_ball", "inflatable beach ball, 40 cm, 0.1 kg, red, yellow and blue gores",
    (Part("sphere", (BEACH_BALL_RADIUS_M,), name="ball"),
     _gore(BEACH_BALL_RADIUS_M, 0.0, 30.0, (0.86, 0.12, 0.12), "gores_red"),
     _gore(BEACH_BALL_RADIUS_M, 60.0, 30.0, (0.98, 0.80, 0.10), "gores_yellow"),
     _gore(BEACH_BALL_RADIUS_M, 120.0, 30.0, (0.12, 0.35, 0.80), "gores_blue"),
     _caps(BEACH_BALL_RADIUS_M, 20.0, (0.97, 0.97, 0.95))),
    "plastic", mass=0.10, hollow=True, rest_height=BEACH_BALL_RADIUS_M, rgb=(0.97, 0.97, 0.95),
    aliases=("beachball", "inflatable ball"), drag_coefficient=0.47)  # sphere, Re ~ 1e5

# Putter: 35 in (0.89 m) long, lying on the ground along +x with its head at the far end
# (toe towards +y). Masses from the materials: a 345 g steel head (a blade head is 330-370 g),
# a steel shaft (a 5 mm rod holds the steel of a 9 mm tube), a 105 g rubber grip: 0.54 kg.
_PUTTER = Asset(
    "putter", "golf putter, 0.89 m, steel blade head, black grip, 0.54 kg",
    (Part("cylinder", (0.011, 0.125), (0.125, 0.0, 0.0), (0.0, 90.0, 0.0), material="rubber",
          rgb=(0.08, 0.08, 0.09), name="grip"),
     Part("cylinder", (0.0025, 0.3075), (0.5575, 0.0, 0.0), (0.0, 90.0, 0.0),
          rgb=(0.82, 0.83, 0.85), name="shaft"),
     Part("box", (0.010, 0.05, 0.011), (0.875, 0.04, 0.0), rgb=(0.45, 0.47, 0.50),
          name="head")),
    "metal", rest_height=0.011, aliases=("golf putter",))

# Baseball bat (MLB Official Baseball Rules 3.02: at most 2.61 in across and 42 in long):
# a 34 in (0.86 m), 0.88 kg (31 oz) wooden bat, lying along +x, knob at the origin.
_BASEBALL_BAT = Asset(
    "baseball_bat", "wooden baseball bat, 0.86 m, 66 mm barrel, 0.88 kg",
    (Part("cylinder", (0.020, 0.008), (0.008, 0.0, 0.0), (0.0, 90.0, 0.0),
          rgb=(0.12, 0.10, 0.09), name="knob"),
     Part("cylinder", (0.0125, 0.192), (0.208, 0.0, 0.0), (0.0, 90.0, 0.0),
          rgb=(0.12, 0.10, 0.09), name="handle"),
     Part("cylinder", (0.018, 0.05), (0.45, 0.0, 0.0), (0.0, 90.0, 0.0), name="taper"),
     Part("cylinder", (0.026, 0.05), (0.55, 0.0, 0.0), (0.0, 90.0, 0.0), name="throat"),
     Part("capsule", (0.033, 0.1155), (0.7155, 0.0, 0.0), (0.0, 90.0, 0.0), name="barrel")),
    "hardwood", mass=0.88, rest_height=0.033, rgb=(0.86, 0.70, 0.48),
    aliases=("bat", "wooden bat", "softball bat"))

# Catcher's mitt (MLB Official Baseball Rules 3.04: at most 38 in round and 15.5 in from top to
# bottom): a padded round pocket 33 in round, thumb and cuff, lying palm up; 0.7 kg of leather.
_CATCHERS_MITT = Asset(
    "catchers_mitt", "catcher's mitt, brown leather, 14 in long, 0.7 kg",
    (Part("ellipsoid", (0.135, 0.125, 0.045), (0.0, 0.0, 0.045), name="pad"),
     Part("ellipsoid", (0.078, 0.072, 0.008), (0.015, 0.0, 0.086), rgb=(0.33, 0.17, 0.07),
          collides=False, name="pocket"),
     Part("ellipsoid", (0.075, 0.034, 0.034), (-0.015, 0.125, 0.038), (0.0, 0.0, 25.0),
          name="thumb"),
     Part("ellipsoid", (0.05, 0.085, 0.032), (-0.145, 0.0, 0.032), rgb=(0.30, 0.15, 0.06),
          name="cuff")),
    "leather", mass=0.7, rgb=(0.62, 0.34, 0.12),
    aliases=("mitt", "baseball glove", "baseball mitt", "catcher mitt"))

# Putting green with a regulation hole (Rules of Golf, Definitions, "Hole": 108 mm across, at
# least 101.6 mm deep). A raised green 4 x 2 m, its turf 0.125 m above the floor so that the
# cup fits above it; frame on the floor below its centre, the hole 0.7 m from its +x end.
# MuJoCo collides convex shapes, so the surface is four slabs around a square opening, closed
# to a 16-sided hole by a ring of boxes whose inner faces are tangent to the hole's circle
# (each box also covers the corners of the square); the cup wall is the same ring lower down
# (white, like a cup liner) over a floor. The flagstick (at most 19 mm thick, Equipment Rules
# Part 8; 2.13 m, the usual 7 ft) marks the hole; it does not collide, as if attended (a
# putt usually is: a plastic stick in the cup threw back balls arriving over 1.2 m/s here).
GREEN_TOP_M = 0.125
HOLE_RADIUS_M = 0.054
CUP_DEPTH_M = 0.1016
CUP_BOTTOM_M = GREEN_TOP_M - CUP_DEPTH_M
TURF_M = 0.02  # drawn turf over soil
GREEN_HALF_M = (2.0, 1.0)
HOLE_X_M = 1.3
_OPENING = 0.07  # half side of the square opening in the slabs
_RING_OUT = 0.105  # the ring covers out to here (> the square's corners, 0.099)
_RING_SIDES = 16
FLAGSTICK_M = 2.13


def _green_parts():
    hx, (gx, gy) = HOLE_X_M, GREEN_HALF_M
    turf, soil = (0.22, 0.56, 0.20), (0.34, 0.24, 0.15)
    parts = []
    for layer, z0, z1, rgb in (("turf", GREEN_TOP_M - TURF_M, GREEN_TOP_M, turf),
                               ("soil", 0.0, GREEN_TOP_M - TURF_M, soil)):
        zc, zh = 0.5 * (z0 + z1), 0.5 * (z1 - z0)
        west, east = hx - _OPENING, hx + _OPENING
        for name, x0, x1, y0, y1 in (("west", -gx, west, -gy, gy), ("east", east, gx, -gy, gy),
                                     ("north", west, east, _OPENING, gy),
                                     ("south", west, east, -gy, -_OPENING)):
            parts.append(Part("box", (0.5 * (x1 - x0), 0.5 * (y1 - y0), zh),
                              (0.5 * (x0 + x1), 0.5 * (y0 + y1), zc), rgb=rgb,
                              name=f"{layer}_{name}"))
    half_width = _RING_OUT * math.tan(math.pi / _RING_SIDES) + 0.001
    radial = 0.5 * (_RING_OUT - HOLE_RADIUS_M)
    centre = 0.5 * (_RING_OUT + HOLE_RADIUS_M)
    for layer, z0, z1, rgb, material in (
            ("lip", GREEN_TOP_M - TURF_M, GREEN_TOP_M, turf, None),
            ("cup", CUP_BOTTOM_M, GREEN_TOP_M - TURF_M, (0.93, 0.93, 0.92), "plastic")):
        for k in range(_RING_SIDES):
            a = 2 * math.pi * k / _RING_SIDES
            parts.append(Part("box", (radial, half_width, 0.5 * (z1 - z0)),
                              (hx + centre * math.cos(a), centre * math.sin(a), 0.5 * (z0 + z1)),
                              (0.0, 0.0, math.degrees(a)), material=material, rgb=rgb,
                              name=f"{layer}{k}"))
    parts.append(Part("box", (_OPENING, _OPENING, 0.5 * CUP_BOTTOM_M),
                      (hx, 0.0, 0.5 * CUP_BOTTOM_M), rgb=(0.20, 0.15, 0.10), name="cup_floor"))
    stick = 0.5 * (GREEN_TOP_M + FLAGSTICK_M - CUP_BOTTOM_M)
    parts.append(Part("cylinder", (0.0095, stick), (hx, 0.0, CUP_BOTTOM_M + stick),
                      material="plastic", rgb=(0.97, 0.85, 0.10), collides=False,
                      name="flagstick"))
    parts.append(Part("box", (0.18, 0.003, 0.125),
                      (hx + 0.0095 + 0.18, 0.0, GREEN_TOP_M + FLAGSTICK_M - 0.125),
                      material="cloth", rgb=(0.86, 0.10, 0.10), collides=False, name="flag"))
    return tuple(parts)


_PUTTING_GREEN = Asset(
    "putting_green", "a 4 x 2 m putting green with a regulation hole (108 mm) and flagstick",
    _green_parts(), "grass", fixed=True,
    aliases=("green", "hole", "golf green", "golf hole", "flagstick", "golf course green"),
    anchors={"top": (0.0, 0.0, GREEN_TOP_M), "hole": (HOLE_X_M, 0.0, GREEN_TOP_M),
             "cup": (HOLE_X_M, 0.0, CUP_BOTTOM_M)},
)

_ASSETS += [_GOLF_BALL, _BASEBALL, _PING_PONG_BALL, _VOLLEYBALL, _BEACH_BALL, _PUTTER,
            _BASEBALL_BAT, _CATCHERS_MITT, _PUTTING_GREEN]
# --- end of sports --------------------------------------------------------------------------

from worldreel.assets.kitchen import KITCHEN_ASSETS  # noqa: E402 - kitchen.py builds on Part

_ASSETS += KITCHEN_ASSETS  # issue #16


from worldreel.assets.home import HOME_ASSETS  # noqa: E402 - it builds on the classes above

_ASSETS += HOME_ASSETS

# --- show jumping (issue #19: a horse jumps a fence) ---------------------------------------
# A show-jumping upright: a pole resting in cups between two wings. FEI Jumping Rules (art.
# 208-212): poles 3.0-4.5 m long, 10-12 cm in diameter, heavy enough to fall when struck
# (wooden poles ~10-15 kg); the cups are shallow so a knocked pole falls (cup depth <= 18 mm).
# The wing (stand) is 1.8 m tall with a row of pin holes; here a post with one cup shelf at
# the pole's height, which `scale` leaves alone: set the pole's height by where it is put
# (its centre 1.0 m up is a 1 m fence). The stand's frame is on the floor under the post.
JUMP_POLE_LENGTH_M, JUMP_POLE_RADIUS_M, JUMP_POLE_MASS_KG = 3.5, 0.05, 12.0
_JUMP_POLE = Asset(
    "jump_pole", "a striped 3.5 m show-jumping pole, 10 cm thick, 12 kg (rests on jump stands)",
    (Part("capsule", (JUMP_POLE_RADIUS_M, 0.5 * JUMP_POLE_LENGTH_M - JUMP_POLE_RADIUS_M),
          euler=(90.0, 0.0, 0.0), rgb=(0.92, 0.92, 0.9), name="pole"),
     *(Part("cylinder", (JUMP_POLE_RADIUS_M + 0.002, 0.22), (0.0, y, 0.0),
            euler=(90.0, 0.0, 0.0), rgb=(0.8, 0.12, 0.1), collides=False, name=f"stripe{k}")
       for k, y in enumerate((-1.1, 0.0, 1.1)))),
    "wood", mass=JUMP_POLE_MASS_KG, rest_height=JUMP_POLE_RADIUS_M,
    # show jumping calls its obstacles fences; a hurdle is one too (director.animal_scripts
    # stands it on its wings for a horse to clear)
    aliases=("pole", "jump rail", "rail", "show jump pole", "fence", "hurdle", "show jump"),
)
_JUMP_STAND = Asset(
    "jump_stand", "a 1.8 m show-jumping wing with a cup for a pole 1 m up",
    (Part("box", (0.06, 0.06, 0.9), (0.0, 0.0, 0.9), rgb=(0.95, 0.95, 0.95), name="post"),
     Part("box", (0.35, 0.04, 0.04), (0.0, 0.0, 0.04), rgb=(0.9, 0.9, 0.9), name="foot"),
     Part("box", (0.06, 0.07, 0.01), (0.0, -0.1, 1.0 - JUMP_POLE_RADIUS_M - 0.01),
          rgb=(0.3, 0.3, 0.32), name="cup")),
    "wood", fixed=True, aliases=("wing", "jump wing", "fence stand"),
    # the cup sticks out 0.1 m towards -y: a pole's ends rest on two stands 3.64 m apart
    # (this one at +y, its partner at -y turned 180 degrees)
    anchors={"cup": (0.0, -0.1, 1.0 - JUMP_POLE_RADIUS_M)},
)
_ASSETS += [_JUMP_POLE, _JUMP_STAND]

from worldreel.assets.vehicles import VEHICLE_ASSETS  # noqa: E402 - builds on Part and Link

_ASSETS += VEHICLE_ASSETS  # issue #19: road vehicles
from worldreel.assets.trains import TRAIN_ASSETS  # noqa: E402
from worldreel.assets.aircraft import AIRCRAFT_ASSETS  # noqa: E402

_ASSETS += TRAIN_ASSETS + AIRCRAFT_ASSETS  # issue #19: trains on their track, aircraft
from worldreel.assets.two_wheelers import TWO_WHEELER_ASSETS  # noqa: E402

_ASSETS += TWO_WHEELER_ASSETS  # issue #19: bicycles, motorcycles, scooters, skateboards

from worldreel.assets.boats import BOAT_ASSETS  # noqa: E402 - builds on Part

_ASSETS += BOAT_ASSETS  # issue #19: boats (physics.boating floats and drives them)

ASSETS: MappingProxyType[str, Asset] = MappingProxyType({a.name: a for a in _ASSETS})


def asset(name: str) -> Asset:
    """Look up an asset, or raise a SceneError that lists the known ones."""
    try:
        return ASSETS[name]
    except KeyError:
        raise SceneError(f"unknown asset {name!r}; known assets: {', '.join(sorted(ASSETS))}") from None


def _check_materials() -> None:
    for a in _ASSETS:
        link_parts = [p for link in a.links for p in link.parts]
        for name in [a.material] + [p.material for p in (*a.parts, *link_parts) if p.material]:
            assert name in MATERIALS, f"asset {a.name} uses unknown material {name}"
        assert a.gas is None or a.gas in MEDIA, f"asset {a.name} is filled with unknown {a.gas}"


_check_materials()
