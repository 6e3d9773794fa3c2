"""Environments a Setting names: floor, walls and dressing, sky, and the sound of the place."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from worldreel.assets.materials import MATERIALS
from worldreel.assets.registry import Part
from worldreel.errors import SceneError
from worldreel.scene.models import Sea


@dataclass(frozen=True)
class Decal:
    """A painted rectangle lying on the floor (court lines, a road, parking bays): drawn only.

    `texture` names a procedural image in render.textures stretched once over the rectangle.
    """

    texture: str
    half_size: tuple[float, float]
    pos: tuple[float, float] = (0.0, 0.0)
    yaw: float = 0.0  # degrees about z


@dataclass(frozen=True)
class Environment:
    """A setting: floor, walls and dressing, the look of the sky and the sound of the place.

    The look fields are read by the preview renderer only: `lights` picks a light rig
    (render.look.LIGHT_RIGS), `time_of_day` the sky and sun unless the Setting names one, `haze`
    the fog density (0..1), `wall_texture` the procedural image on walls and dressing.
    `sea`: open water beyond a shoreline, its bed `sea_depth` (m) below the surface, which meets
    the sand at the shore (assets.water), simulated and drawn unless the Setting gives its own.
    """

    name: str
    description: str
    floor_material: str
    parts: tuple[Part, ...]  # static dressing (walls, backdrop), world frame
    sky_top: tuple[float, float, float]
    sky_bottom: tuple[float, float, float]
    indoor: bool
    ambience: str  # ambience bed name, see audio.ambience
    aliases: tuple[str, ...] = ()
    floor_texture: str | None = None  # None: the floor material's texture
    wall_texture: str | None = None
    decals: tuple[Decal, ...] = ()
    lights: str = "sun"
    time_of_day: str = "noon"
    haze: float = 0.0
    floor_tile_m: float = 2.0  # one floor texture tile covers this many metres
    sea: Sea | None = None
    sea_depth: float = 0.0


def _room_walls(half_x: float, half_y: float, height: float, material: str, rgb) -> tuple:
    h = height / 2
    t = 0.1
    return (
        Part("box", (t, half_y, h), (-half_x - t, 0, h), material=material, rgb=rgb, name="wall_back"),
        Part("box", (t, half_y, h), (half_x + t, 0, h), material=material, rgb=rgb, name="wall_front"),
        Part("box", (half_x, t, h), (0, half_y + t, h), material=material, rgb=rgb, name="wall_left"),
        Part("box", (half_x, t, h), (0, -half_y - t, h), material=material, rgb=rgb, name="wall_right"),
        # The ceiling stops what floats up (a balloon) and nothing else: the preview draws rooms
        # open-topped, so its cameras can look in from above the walls, and a ball thrown in a
        # high arc must not bounce off a ceiling nobody sees.
        Part("box", (half_x, half_y, t), (0, 0, height + t), material=material, rgb=rgb,
             alpha=0.0, name="ceiling", collides="lighter_than_air"),
    )


def room_interior(env: Environment) -> tuple[float, float, float] | None:
    """(half length along x, half width along y, height) inside a walled room, centred on the
    origin; None where there are no four walls (outdoors, the studio's single backdrop)."""
    walls = {part.name: part for part in env.parts if part.name.startswith("wall_")}
    if not {"wall_front", "wall_left"} <= walls.keys():
        return None
    front, left = walls["wall_front"], walls["wall_left"]
    return (front.pos[0] - front.size[0], left.pos[1] - left.size[1], 2.0 * front.size[2])


def _prop(name: str, shape: str, size: tuple, pos: tuple, rgb, material: str = "wood",
          euler=(0.0, 0.0, 0.0)) -> Part:
    """Set dressing that is seen but not touched (furniture at the walls, trees, buildings)."""
    return Part(shape, size, pos, euler=euler, material=material, rgb=rgb, name=name,
                collides=False)


def _tree(name: str, x: float, y: float, height: float = 4.0) -> tuple[Part, ...]:
    return (_prop(name + "_trunk", "cylinder", (0.16, height / 2), (x, y, height / 2),
                  (0.36, 0.25, 0.16)),
            _prop(name + "_crown", "ellipsoid", (1.5, 1.5, 1.7), (x, y, height + 0.6),
                  (0.22, 0.42, 0.16), material="grass"))


def _buildings(side: float, lit: bool) -> tuple[Part, ...]:
    """A row of facades along x at y = side: a street's far edge."""
    parts = []
    heights = (9.0, 14.0, 7.0, 18.0, 11.0, 8.0, 15.0)
    tones = ((0.55, 0.45, 0.38), (0.62, 0.6, 0.56), (0.48, 0.36, 0.30), (0.58, 0.58, 0.62),
             (0.66, 0.56, 0.44), (0.50, 0.50, 0.48), (0.60, 0.52, 0.48))
    for k, (h, rgb) in enumerate(zip(heights, tones)):
        x = -21.0 + k * 7.0
        if lit:
            rgb = tuple(0.35 * c for c in rgb)
        parts.append(_prop(f"building_{'n' if side > 0 else 's'}{k}", "box",
                           (3.4, 3.0, h / 2), (x, side + 3.0 * (1 if side > 0 else -1), h / 2),
                           rgb, material="brick"))
    return tuple(parts)


def _lamps(y: float) -> tuple[Part, ...]:
    return tuple(p for k, x in enumerate((-12.0, -4.0, 4.0, 12.0)) for p in (
        _prop(f"lamp_post{k}", "cylinder", (0.06, 2.5), (x, y, 2.5), (0.2, 0.2, 0.22),
              material="metal"),
        _prop(f"lamp{k}", "sphere", (0.22,), (x, y, 5.1), (1.0, 0.85, 0.55), material="glass")))


# The beach's sea: its flat bed (beyond the beach slope, assets.water) deep enough that a thrown
# ball floats well clear of the bottom and a stone sinks out of sight; a swell of 15 cm every
# 4 s is a calm day (Douglas sea state 1-2: wave heights 0.1-0.5 m).
BEACH_SEA_DEPTH_M = 0.45
BEACH_SHORE_M = 6.0
BEACH_WAVE_M = 0.15
BEACH_WAVE_PERIOD_S = 4.0

_ENVIRONMENTS = [
    Environment("studio", "neutral studio with a grey cyclorama", "concrete",
                (Part("box", (0.1, 12.0, 4.0), (-8.0, 0.0, 4.0), material="plaster",
                      rgb=(0.62, 0.63, 0.66), name="backdrop"),),
                (0.55, 0.58, 0.62), (0.75, 0.76, 0.78), True, "room_tone",
                aliases=("stage",), floor_texture="none", lights="studio"),
    Environment("gym", "indoor basketball court with a maple floor", "hardwood",
                _room_walls(15.0, 9.0, 8.0, "plaster", (0.80, 0.80, 0.78)),
                (0.55, 0.55, 0.5), (0.7, 0.68, 0.62), True, "gym",
                aliases=("court", "basketball court", "gymnasium", "arena"),
                floor_texture="planks", wall_texture="gym_wall", lights="arena",
                decals=(Decal("court_lines", (14.0, 7.5)),), floor_tile_m=1.4),
    Environment("living_room", "living room with a wooden floor and pale walls", "wood",
                _room_walls(3.5, 3.0, 2.6, "plaster", (0.86, 0.82, 0.74))
                + (_prop("sofa", "box", (0.45, 1.1, 0.22), (-3.0, 0.0, 0.22), (0.35, 0.42, 0.55),
                         material="cloth"),
                   _prop("sofa_back", "box", (0.12, 1.1, 0.42), (-3.4, 0.0, 0.42),
                         (0.33, 0.40, 0.53), material="cloth"),
                   _prop("rug", "box", (1.2, 0.9, 0.004), (-1.2, 0.0, 0.004), (0.62, 0.28, 0.22),
                         material="cloth"),
                   _prop("shelf", "box", (0.9, 0.18, 0.9), (0.8, 2.8, 0.9), (0.45, 0.30, 0.20))),
                (0.8, 0.78, 0.72), (0.85, 0.83, 0.78), True, "room_tone",
                aliases=("room", "living room", "house", "home", "lounge"),
                wall_texture="wallpaper", lights="home", floor_tile_m=1.6),
    Environment("kitchen", "kitchen with a tiled floor and counters", "ceramic",
                _room_walls(3.5, 3.0, 2.6, "plaster", (0.92, 0.91, 0.86))
                + (_prop("counter", "box", (0.32, 2.4, 0.45), (-3.15, 0.0, 0.45),
                         (0.40, 0.28, 0.20)),
                   _prop("counter_top", "box", (0.34, 2.4, 0.02), (-3.15, 0.0, 0.92),
                         (0.85, 0.85, 0.82), material="stone"),
                   _prop("cabinets", "box", (0.2, 2.4, 0.35), (-3.3, 0.0, 1.85),
                         (0.90, 0.88, 0.80))),
                (0.8, 0.8, 0.78), (0.88, 0.88, 0.86), True, "room_tone",
                aliases=("cooking area",), floor_texture="tiles", wall_texture="wall_tiles",
                lights="home", floor_tile_m=1.2),
    Environment("office", "office with carpet, desks and a window wall", "cloth",
                _room_walls(5.0, 4.0, 2.8, "plaster", (0.85, 0.86, 0.86))
                + (_prop("desk_a", "box", (0.8, 0.4, 0.37), (-3.5, 2.6, 0.37),
                         (0.70, 0.62, 0.50)),
                   _prop("desk_b", "box", (0.8, 0.4, 0.37), (-3.5, -2.6, 0.37),
                         (0.70, 0.62, 0.50)),
                   _prop("monitor", "box", (0.03, 0.3, 0.2), (-3.9, 2.6, 1.0), (0.1, 0.1, 0.12),
                         material="plastic")),
                (0.8, 0.82, 0.86), (0.86, 0.88, 0.9), True, "office",
                aliases=("workplace", "study"), floor_texture="carpet",
                wall_texture="office_wall", lights="office", floor_tile_m=1.0),
    Environment("classroom", "classroom with desks and a chalkboard", "plastic",
                _room_walls(5.0, 4.5, 3.0, "plaster", (0.90, 0.88, 0.78))
                + (_prop("chalkboard", "box", (0.03, 2.0, 0.6), (-4.95, 0.0, 1.5),
                         (0.14, 0.24, 0.18), material="stone"),)
                + tuple(_prop(f"desk{k}", "box", (0.3, 0.5, 0.36), (1.0 + 1.5 * (k // 3),
                              -2.5 + 2.5 * (k % 3), 0.36), (0.72, 0.60, 0.42)) for k in range(6)),
                (0.8, 0.8, 0.78), (0.88, 0.88, 0.86), True, "room_tone",
                aliases=("school", "class"), floor_texture="vinyl",
                wall_texture="plaster", lights="office", floor_tile_m=1.2),
    Environment("park", "grassy park under a blue sky", "grass",
                _tree("tree_a", -9.0, 6.0) + _tree("tree_b", -12.0, -5.0, 5.0)
                + _tree("tree_c", 8.0, 10.0, 4.5),
                (0.30, 0.52, 0.85), (0.78, 0.86, 0.95), False, "park",
                aliases=("garden", "lawn", "outside", "outdoors", "backyard"), haze=0.15),
    Environment("field", "sports field with mown stripes and white lines", "grass",
                (_prop("goal_l", "cylinder", (0.06, 1.2), (-14.0, -3.6, 1.2), (0.95, 0.95, 0.95),
                       material="metal"),
                 _prop("goal_r", "cylinder", (0.06, 1.2), (-14.0, 3.6, 1.2), (0.95, 0.95, 0.95),
                       material="metal"),
                 _prop("goal_bar", "cylinder", (0.06, 3.6), (-14.0, 0.0, 2.4), (0.95, 0.95, 0.95),
                       material="metal", euler=(90.0, 0.0, 0.0))),
                (0.32, 0.55, 0.88), (0.80, 0.87, 0.95), False, "park",
                aliases=("pitch", "soccer field", "football field", "stadium"),
                floor_texture="grass_stripes", decals=(Decal("field_lines", (16.0, 10.0)),),
                floor_tile_m=8.0, haze=0.2),
    Environment("beach", "sandy beach by the sea", "sand",
                # the parasol stands on the sand in front of the set (y < 0): the director moves
                # the shore as close as 0.8 m behind what goes into the sea
                (_prop("parasol_pole", "cylinder", (0.03, 1.1), (-5.0, -2.5, 1.1),
                       (0.9, 0.9, 0.88), material="metal"),
                 _prop("parasol", "ellipsoid", (1.1, 1.1, 0.25), (-5.0, -2.5, 2.2),
                       (0.90, 0.25, 0.20), material="cloth")),
                (0.36, 0.58, 0.88), (0.86, 0.90, 0.95), False, "beach",
                aliases=("seaside", "shore", "sand", "coast", "coastline", "beachfront",
                         "seashore"), floor_tile_m=3.0, haze=0.25,
                # the sea behind the set, a gentle swell running in (the director moves the
                # shore to where a prompt's things go into the water)
                sea=Sea(shore=BEACH_SHORE_M, toward=(0.0, 1.0), wave_height=BEACH_WAVE_M,
                        wave_period=BEACH_WAVE_PERIOD_S), sea_depth=BEACH_SEA_DEPTH_M),
    Environment("street", "asphalt street with buildings", "concrete",
                _buildings(9.0, False) + _buildings(-9.0, False),
                (0.42, 0.58, 0.82), (0.82, 0.85, 0.88), False, "street",
                aliases=("road", "city", "sidewalk", "town"),
                decals=(Decal("road", (40.0, 4.0)),), floor_texture="concrete", haze=0.2),
    Environment("parking_lot", "parking lot with painted bays", "concrete",
                _buildings(14.0, False),
                (0.42, 0.58, 0.82), (0.82, 0.85, 0.88), False, "street",
                aliases=("parking lot", "car park", "driveway", "parking"),
                decals=(Decal("parking", (12.0, 6.0)),), floor_texture="asphalt",
                floor_tile_m=3.0, haze=0.2),
    Environment("night_city", "city street at night under street lamps", "concrete",
                _buildings(9.0, True) + _buildings(-9.0, True) + _lamps(5.0),
                (0.02, 0.03, 0.08), (0.10, 0.09, 0.14), False, "street",
                aliases=("night city", "downtown", "night street", "city at night"),
                decals=(Decal("road", (40.0, 4.0)),), floor_texture="concrete",
                wall_texture="windows", lights="night", time_of_day="night", haze=0.3),
    Environment("country_road", "gravel country road between fields", "gravel",
                # the fields' grass beside the 8 m of gravel: drawn only (a car that runs
                # off the road still rolls on gravel here)
                tuple(Part("box", (40.0, 16.0, 0.002), (0.0, side * 20.0, 0.002),
                           material="grass", name=f"field_{name}", collides=False)
                      for side, name in ((1, "left"), (-1, "right")))
                + _tree("tree_a", -12.0, 7.0, 5.0) + _tree("tree_b", 6.0, 8.5)
                + _tree("tree_c", 16.0, -7.5, 4.5),
                (0.34, 0.56, 0.88), (0.80, 0.86, 0.94), False, "park",
                aliases=("gravel road", "country lane", "dirt road", "farm track",
                         "gravel track"),
                floor_tile_m=1.5, haze=0.2),
    Environment("moon", "grey lunar surface under a black sky", "sand",
                (_prop("crater_a", "ellipsoid", (3.0, 3.0, 0.25), (-8.0, 6.0, 0.0),
                       (0.50, 0.50, 0.50), material="stone"),
                 _prop("crater_b", "ellipsoid", (2.0, 2.0, 0.2), (9.0, -7.0, 0.0),
                       (0.50, 0.50, 0.50), material="stone"),
                 _prop("crater_c", "ellipsoid", (4.0, 4.0, 0.3), (14.0, 12.0, 0.0),
                       (0.50, 0.50, 0.50), material="stone")),
                (0.0, 0.0, 0.0), (0.02, 0.02, 0.03), False, "silence",
                aliases=("lunar", "the moon", "space"), floor_texture="regolith",
                lights="moon", time_of_day="space", floor_tile_m=4.0),
]

ENVIRONMENTS: MappingProxyType[str, Environment] = MappingProxyType(
    {e.name: e for e in _ENVIRONMENTS}
)


def environment(name: str) -> Environment:
    """Look up an environment, or raise a SceneError that lists the known ones."""
    try:
        return ENVIRONMENTS[name]
    except KeyError:
        raise SceneError(
            f"unknown environment {name!r}; known environments: {', '.join(sorted(ENVIRONMENTS))}"
        ) from None


for _env in _ENVIRONMENTS:
    assert _env.floor_material in MATERIALS, _env.name
