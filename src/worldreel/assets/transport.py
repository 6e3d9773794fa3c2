"""Which Drive and Brake actions a Scene's vehicles can obey: road vehicles (assets.vehicles),
trains on their track (assets.trains) and aircraft (assets.aircraft), in one list of problems.

A Drive's speed bound in the Scene schema is the fastest any of them goes (an airliner's
maximum operating speed); each kind is held to its own here: road vehicles to
ROAD_MAX_SPEED_M_S, a locomotive and an aircraft to their published maximum speeds.
"""

from __future__ import annotations

from worldreel.assets.aircraft import aircraft_problems, aircraft_spec
from worldreel.assets.materials import MEDIA
from worldreel.assets.trains import car_spec, train_problems
from worldreel.assets.vehicles import vehicle_action_problems, vehicle_spec
from worldreel.scene import Brake, Drive, Scene

ROAD_MAX_SPEED_M_S = 70.0  # 252 km/h: beyond what road vehicles are driven at


def vehicle_kind(asset_name: str) -> str | None:
    """Where a vehicle asset goes: 'road' (cars to bicycles), 'rail' (a train's cars), 'water'
    (boats) or 'air' (aircraft); None for anything that is not a vehicle."""
    from worldreel.assets.boats import boat_spec  # noqa: PLC0415 - boats import vehicles

    if boat_spec(asset_name) is not None:
        return "water"
    if aircraft_spec(asset_name) is not None:
        return "air"
    if car_spec(asset_name) is not None:
        return "rail"
    if vehicle_spec(asset_name) is not None:
        return "road"
    return None


def is_rail_or_air(asset_name: str) -> bool:
    """Whether an asset moves by physics.rail or physics.flight rather than physics.driving."""
    return car_spec(asset_name) is not None or aircraft_spec(asset_name) is not None


def road_scene(scene: Scene) -> Scene:
    """The Scene with the Drive and Brake actions of trains and aircraft left out: what
    physics.driving (road vehicles only) is given."""
    keep = tuple(a for a in scene.actions if not (
        isinstance(a, (Drive, Brake)) and is_rail_or_air(scene.entity(a.entity).asset)))
    return scene if len(keep) == len(scene.actions) else scene.model_copy(
        update={"actions": keep})


def sea_level_density(scene: Scene) -> float:
    medium = scene.setting.medium
    return MEDIA[medium].density if medium in MEDIA else 0.0


def drive_problems(scene: Scene) -> list[str]:
    """One line for every Drive or Brake that its entity cannot obey, and every train or
    aircraft placed where it cannot be."""
    lines = []
    for line in vehicle_action_problems(scene):  # "actions[n]: ... cannot drive"
        n = int(line[len("actions["):line.index("]")])
        if not is_rail_or_air(scene.entity(scene.actions[n].entity).asset):
            lines.append(line)
    for n, action in enumerate(scene.actions):
        if isinstance(action, Drive) and vehicle_spec(scene.entity(action.entity).asset) and \
                action.speed > ROAD_MAX_SPEED_M_S:
            lines.append(f"actions[{n}].speed: road vehicles are driven at most "
                         f"{ROAD_MAX_SPEED_M_S:g} m/s; ask for less")
    return lines + train_problems(scene) + aircraft_problems(scene, sea_level_density(scene))
