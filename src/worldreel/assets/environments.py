"""Environments a Setting names: floor, walls and dressing, sky, and the sound of the place."""

from __future__ import annotations

from dataclasses import dataclass
from types import MappingProxyType

from worldreel.assets.materials import MATERIALS
from worldreel.assets.registry import Part
from worldreel.errors import SceneError


@dataclass(frozen=True)
class Environment:
    """A setting: floor, walls and dressing, the look of the sky and the sound of the place."""

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


def _room_walls(half_x: float, half_y: float, height: float, material: str, rgb) -> tuple:
    h = height / 2
    t = 0.1
    return (
        Part("box", (t, half_y, h), (-half_x - t, 0, h), material=material, rgb=rgb, name="wall_back"),
        Part("box", (t, half_y, h), (half_x + t, 0, h), material=material, rgb=rgb, name="wall_front"),
        Part("box", (half_x, t, h), (0, half_y + t, h), material=material, rgb=rgb, name="wall_left"),
        Part("box", (half_x, t, h), (0, -half_y - t, h), material=material, rgb=rgb, name="wall_right"),
    )


_ENVIRONMENTS = [
    Environment("studio", "neutral studio with a grey cyclorama", "concrete",
                (Part("box", (0.1, 12.0, 4.0), (-8.0, 0.0, 4.0), material="plaster",
                      rgb=(0.62, 0.63, 0.66), name="backdrop"),),
                (0.55, 0.58, 0.62), (0.75, 0.76, 0.78), True, "room_tone",
                aliases=("stage",), floor_texture="none"),
    Environment("gym", "indoor basketball court with a maple floor", "hardwood",
                _room_walls(15.0, 9.0, 8.0, "plaster", (0.78, 0.76, 0.70)),
                (0.55, 0.55, 0.5), (0.7, 0.68, 0.62), True, "gym",
                aliases=("court", "basketball court", "gymnasium", "arena")),
    Environment("living_room", "living room with a wooden floor and pale walls", "wood",
                _room_walls(3.5, 3.0, 2.6, "plaster", (0.86, 0.82, 0.74)),
                (0.8, 0.78, 0.72), (0.85, 0.83, 0.78), True, "room_tone",
                aliases=("room", "living room", "house", "home", "kitchen", "office")),
    Environment("park", "grassy park under a blue sky", "grass", (),
                (0.30, 0.52, 0.85), (0.78, 0.86, 0.95), False, "park",
                aliases=("field", "garden", "lawn", "outside", "outdoors", "backyard")),
    Environment("street", "asphalt street", "concrete", (),
                (0.42, 0.58, 0.82), (0.82, 0.85, 0.88), False, "street",
                aliases=("road", "parking lot", "city", "sidewalk", "driveway")),
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
