"""Kitchen and table things (issue #16): a bottle, a mug, a bowl, an apple, an orange, a coin,
a cooking pot and its lid, at their real sizes and masses.

Breakable ones (glass, ceramic) are cut into Voronoi pieces across all their colliding parts
(assets.fracture), so a bottle's neck can snap off and a mug's handle come away with a shard.
Frames sit at the base (z up), like the registry's other props.
"""

from __future__ import annotations

import math

from worldreel.assets.registry import Asset, Part

_AROUND = 16  # boxes around a vessel's wall (a bowl's, a pot's)


def _ring(name: str, radius: float, half_thickness: float, half_height: float, z: float,
          rgb=None, material=None, lean_deg: float = 0.0, count: int = _AROUND) -> list[Part]:
    """A wall of `count` boxes around the z axis, centred at `radius` and height z, each leaning
    out by `lean_deg` (a bowl's flare). Wide enough to close the ring at its outer face."""
    half_width = (radius + half_thickness + half_height * math.sin(math.radians(lean_deg))) \
        * math.tan(math.pi / count)
    parts = []
    for k in range(count):
        a = 360.0 * k / count
        c, s = math.cos(math.radians(a)), math.sin(math.radians(a))
        parts.append(Part("box", (half_thickness, half_width, half_height),
                          (radius * c, radius * s, z), (0.0, lean_deg, a), material=material,
                          rgb=rgb, name=f"{name}{k}"))
    return parts


def _arc(name: str, center, radius: float, tube: float, start_deg: float, end_deg: float,
         segments: int, rgb=None) -> list[Part]:
    """Capsules along an arc in the xz plane (a mug's handle, a pot's loop handles)."""
    parts = []
    step = (end_deg - start_deg) / segments
    half = radius * math.radians(abs(step)) * 0.5
    for i in range(segments):
        a = math.radians(start_deg + (i + 0.5) * step)
        pos = (center[0] + radius * math.cos(a), center[1], center[2] + radius * math.sin(a))
        # the capsule's axis is the arc's tangent (-sin a, 0, cos a): z turned by a about y
        parts.append(Part("capsule", (tube, half), pos, (0.0, -math.degrees(a), 0.0), rgb=rgb,
                          name=f"{name}{i}"))
    return parts


# Wine bottle (a 750 ml Bordeaux bottle, the commonest shape: 76 mm across, 300 mm tall, a
# 29 mm neck under a 33 mm collar; empty 0.5 kg, 400-600 g is the range glassworks list).
# Dark green glass. Body, rounded shoulder (the top half of an ellipsoid; its lower half lies
# inside the body), neck and lip. It breaks like the drinking glass: glass's breaking speed,
# 12 pieces.
BOTTLE_HEIGHT_M = 0.295
BOTTLE_RADIUS_M = 0.038
_BOTTLE = Asset(
    "bottle", "a 750 ml dark green glass wine bottle, 30 cm, 0.5 kg, that shatters when dropped",
    (Part("cylinder", (BOTTLE_RADIUS_M, 0.1), (0.0, 0.0, 0.1), alpha=0.88, name="body"),
     Part("ellipsoid", (BOTTLE_RADIUS_M, BOTTLE_RADIUS_M, 0.042), (0.0, 0.0, 0.2), alpha=0.88,
          name="shoulder"),
     Part("cylinder", (0.0145, 0.034), (0.0, 0.0, 0.255), alpha=0.88, name="neck"),
     Part("cylinder", (0.0165, 0.0055), (0.0, 0.0, BOTTLE_HEIGHT_M - 0.0055), alpha=0.88,
          name="lip")),
    "glass", mass=0.5, rest_height=0.0, pieces=12, rgb=(0.08, 0.28, 0.12),
    aliases=("wine bottle", "beer bottle", "glass bottle", "bottle of wine", "bottle of beer",
             "empty bottle"),
    anchors={"top": (0.0, 0.0, BOTTLE_HEIGHT_M), "neck": (0.0, 0.0, 0.255)},
    drag_coefficient=0.9)

# Mug (a standard 11 oz / 330 ml coffee mug: 82 mm across, 95 mm tall, 0.35 kg of stoneware)
# with a D handle, full of coffee: the coffee's surface is a brown disc inside the rim. The
# handle is capsules along a half circle on +x. Ceramic: it breaks from table height.
MUG_RADIUS_M = 0.041
MUG_HEIGHT_M = 0.095
_MUG = Asset(
    "mug", "a white 330 ml ceramic coffee mug with a handle, full of coffee, 0.35 kg",
    (Part("cylinder", (MUG_RADIUS_M, 0.5 * MUG_HEIGHT_M), (0.0, 0.0, 0.5 * MUG_HEIGHT_M),
          name="body"),
     Part("cylinder", (MUG_RADIUS_M - 0.0045, 0.0008), (0.0, 0.0, MUG_HEIGHT_M + 0.0002),
          rgb=(0.24, 0.13, 0.07), name="coffee"),
     *_arc("handle", (MUG_RADIUS_M - 0.002, 0.0, 0.5 * MUG_HEIGHT_M), 0.029, 0.0055, -75.0,
           75.0, 5)),
    "ceramic", mass=0.35, rest_height=0.0, pieces=8, rgb=(0.95, 0.94, 0.91),
    aliases=("cup", "coffee mug", "cup of coffee", "coffee cup", "tea cup", "teacup",
             "cup of tea", "mug of coffee", "mug of tea", "ceramic mug"),
    anchors={"top": (0.0, 0.0, MUG_HEIGHT_M), "handle": (MUG_RADIUS_M + 0.029, 0.0, 0.0475)})

# Bowl (a cereal bowl: 160 mm across the rim, 60 mm tall, 0.35 kg of ceramic): a flat bottom on
# a foot ring and a wall flaring out at 37 degrees, glazed blue outside. Hollow, so things land
# in it. Breakable like the plate.
BOWL_RIM_RADIUS_M = 0.08
BOWL_HEIGHT_M = 0.06
_BOWL_LEAN = math.degrees(math.atan2(0.038, 0.05))
_BOWL = Asset(
    "bowl", "a 16 cm ceramic cereal bowl, glazed blue, 0.35 kg",
    (Part("cylinder", (0.036, 0.003), (0.0, 0.0, 0.003), name="foot"),
     Part("cylinder", (0.047, 0.003), (0.0, 0.0, 0.009), rgb=(0.95, 0.94, 0.90), name="bottom"),
     *_ring("wall", 0.5 * (0.044 + BOWL_RIM_RADIUS_M), 0.0025, 0.5 * math.hypot(0.036, 0.05),
            0.5 * (0.008 + BOWL_HEIGHT_M + 0.008), lean_deg=_BOWL_LEAN)),
    "ceramic", mass=0.35, rest_height=0.0, pieces=8, rgb=(0.22, 0.42, 0.72),
    aliases=("cereal bowl", "soup bowl", "salad bowl", "mixing bowl"),
    anchors={"top": (0.0, 0.0, BOWL_HEIGHT_M), "inside": (0.0, 0.0, 0.012)})

# Apple: a medium apple, 76 mm across and a little squat, 0.17 kg at apple's density (apple
# material); a brown stem (decoration) and a leaf.
APPLE_RADIUS_M = 0.038
_APPLE = Asset(
    "apple", "a red apple, 76 mm, 0.17 kg, with a stem",
    (Part("ellipsoid", (APPLE_RADIUS_M, APPLE_RADIUS_M, 0.034), (0.0, 0.0, 0.034), name="fruit"),
     Part("capsule", (0.0022, 0.011), (0.003, 0.0, 0.072), (0.0, 15.0, 0.0),
          rgb=(0.30, 0.20, 0.10), collides=False, name="stem"),
     Part("ellipsoid", (0.014, 0.006, 0.0012), (0.013, 0.004, 0.073), (0.0, -20.0, 15.0),
          rgb=(0.25, 0.50, 0.12), collides=False, name="leaf")),
    "apple", rest_height=0.0, rgb=(0.72, 0.08, 0.07),
    aliases=("apples", "red apple", "green apple", "fruit"),
    anchors={"top": (0.0, 0.0, 0.068)}, drag_coefficient=0.5)

# Orange: a navel orange, 78 mm across, 0.22 kg at the orange material's density; a dimpled
# peel (the material's pebbled texture) and a green calyx.
ORANGE_RADIUS_M = 0.039
_ORANGE = Asset(
    "orange", "an orange, 78 mm, 0.22 kg",
    (Part("sphere", (ORANGE_RADIUS_M,), (0.0, 0.0, ORANGE_RADIUS_M), name="fruit"),
     Part("cylinder", (0.005, 0.0015), (0.0, 0.0, 2 * ORANGE_RADIUS_M - 0.0005),
          rgb=(0.30, 0.42, 0.12), collides=False, name="calyx")),
    "orange", rest_height=0.0, rgb=(0.97, 0.50, 0.05),
    aliases=("oranges", "tangerine", "mandarin", "clementine", "citrus"),
    anchors={"top": (0.0, 0.0, 2 * ORANGE_RADIUS_M)}, drag_coefficient=0.5)

# Coin: a US quarter (US Mint specifications: 24.26 mm across, 1.75 mm thick, 5.67 g,
# cupronickel-clad copper). A 1-euro coin (23.25 mm, 2.33 mm, 7.5 g) is close enough to be the
# same thing at a glance.
COIN_DIAMETER_M = 0.02426
COIN_THICKNESS_M = 0.00175
COIN_MASS_KG = 0.00567
_COIN = Asset(
    "coin", "a coin (a US quarter: 24.26 mm, 1.75 mm, 5.67 g, cupronickel)",
    (Part("cylinder", (0.5 * COIN_DIAMETER_M, 0.5 * COIN_THICKNESS_M),
          (0.0, 0.0, 0.5 * COIN_THICKNESS_M), name="disc"),
     # the raised rim round both faces: the field inside it, a shade darker (decoration)
     Part("cylinder", (0.5 * COIN_DIAMETER_M - 0.0012, 0.5 * COIN_THICKNESS_M + 0.00005),
          (0.0, 0.0, 0.5 * COIN_THICKNESS_M), rgb=(0.62, 0.62, 0.60), collides=False,
          name="field")),
    "cupronickel", mass=COIN_MASS_KG, rest_height=0.0,
    aliases=("quarter", "penny", "euro", "euro coin", "dime", "nickel coin", "coins"),
    anchors={"top": (0.0, 0.0, COIN_THICKNESS_M)}, drag_coefficient=1.1)

# Cooking pot lid (stainless steel, 20 cm pot: a 0.20 m lid, 0.35 kg): a flat rim, a shallow
# dome stepped in two rings, and a knob. It rests on its flat rim, which is what lets it spin
# down like Euler's disk when spun on a table or the floor.
LID_RADIUS_M = 0.102
LID_MASS_KG = 0.35
_LID_PARTS = (
    Part("cylinder", (LID_RADIUS_M, 0.0015), (0.0, 0.0, 0.0015), name="rim"),
    Part("cylinder", (0.085, 0.003), (0.0, 0.0, 0.006), name="dome"),
    Part("cylinder", (0.055, 0.003), (0.0, 0.0, 0.012), name="crown"),
    Part("cylinder", (0.006, 0.006), (0.0, 0.0, 0.021), rgb=(0.12, 0.12, 0.13),
         material="plastic", name="stem"),
    Part("cylinder", (0.016, 0.006), (0.0, 0.0, 0.033), rgb=(0.12, 0.12, 0.13),
         material="plastic", name="knob"),
)
_POT_LID = Asset(
    "pot_lid", "a stainless steel lid of a 20 cm cooking pot, with a black knob, 0.35 kg",
    _LID_PARTS, "stainless_steel", mass=LID_MASS_KG, rest_height=0.0,
    aliases=("lid", "pot lid", "pan lid", "saucepan lid"),
    # A pot lid spun on a table circles on its rim, rattling faster and lower, and lies flat
    # within several seconds (a polished Euler's disk on glass runs for a minute or more; a
    # pressed lid's rolled rim rocks and slips). MuJoCo's rolling contact alone loses nothing,
    # so the rim gets torsional and rolling friction lengths of 5 and 3 mm: chosen so a lid
    # spun at 6 turns a second, leaning 20 degrees, settles flat in about 5 s (no measurement of a
    # lid's losses was found; a steel-on-wood C_rr ~ 0.001 x r would give ~0.1 mm and a lid
    # that wobbles for minutes).
    rim_friction=(0.005, 0.003),
    anchors={"top": (0.0, 0.0, 0.039), "edge": (LID_RADIUS_M, 0.0, 0.0015)})

# Cooking pot (a 20 cm, 3.5 l stainless stockpot: 0.20 m across, 0.12 m tall, 1.1 kg with its
# lid): a base, a wall of boxes, two loop handles and its lid resting on top. The lid on it is
# part of the pot; a lid on its own is `pot_lid`.
POT_HEIGHT_M = 0.12
_POT = Asset(
    "pot", "a 20 cm stainless steel cooking pot with its lid on, 1.1 kg",
    (Part("cylinder", (0.1, 0.003), (0.0, 0.0, 0.003), name="base"),
     *_ring("wall", 0.099, 0.001, 0.5 * POT_HEIGHT_M, 0.5 * POT_HEIGHT_M, count=24),
     *_arc("handle_right", (0.1, 0.0, 0.095), 0.018, 0.004, -80.0, 80.0, 4,
           rgb=(0.70, 0.71, 0.73)),
     *_arc("handle_left", (-0.1, 0.0, 0.095), 0.018, 0.004, 100.0, 260.0, 4,
           rgb=(0.70, 0.71, 0.73)),
     *(Part(p.shape, p.size, (p.pos[0], p.pos[1], p.pos[2] + POT_HEIGHT_M), p.euler,
            p.material, p.rgb, p.alpha, f"lid_{p.name}") for p in _LID_PARTS)),
    "stainless_steel", mass=1.1, rest_height=0.0,
    aliases=("cooking pot", "saucepan", "stockpot", "pan", "casserole", "pot with a lid",
             "cooking pan"),
    anchors={"top": (0.0, 0.0, POT_HEIGHT_M + 0.039), "lip": (0.1, 0.0, POT_HEIGHT_M)})

KITCHEN_ASSETS: list[Asset] = [_BOTTLE, _MUG, _BOWL, _APPLE, _ORANGE, _COIN, _POT_LID, _POT]
