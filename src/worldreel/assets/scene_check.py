"""Checks that a Scene only names assets, materials and environments the registry holds."""

from __future__ import annotations

import difflib

from worldreel.assets.animals import coat_names
from worldreel.assets.doors import door_action_problems
from worldreel.assets.materials import MATERIALS
from worldreel.assets.environments import ENVIRONMENTS
from worldreel.assets.registry import ASSETS
from worldreel.assets.transport import drive_problems
from worldreel.errors import SceneError
from worldreel.scene import Scene, Throw
from worldreel.scene.io import problems_line
from worldreel.scene.limits import MAX_BODIES


def _unknown(path: str, kind: str, name: str, known) -> str:
    """'path: unknown kind 'name'', with the nearest known names when there are some (the whole
    list, said for every entity, would drown the message: it is said once, at the end)."""
    near = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.6)
    hint = f" (did you mean {' or '.join(map(repr, near))}?)" if near else ""
    return f"{path}: unknown {kind} {name!r}{hint}"


def check_scene_assets(scene: Scene) -> None:
    """Raise one SceneError naming every unknown asset, material or environment by field path,
    with the names it knows said once."""
    problems, kinds = [], set()
    if scene.setting.environment not in ENVIRONMENTS:
        problems.append(_unknown("setting.environment", "environment",
                                 scene.setting.environment, ENVIRONMENTS))
        kinds.add("environment")
    floor = scene.setting.floor_material
    if floor is not None and floor not in MATERIALS:
        problems.append(_unknown("setting.floor_material", "material", floor, MATERIALS))
        kinds.add("material")
    for n, entity in enumerate(scene.entities):
        if entity.asset not in ASSETS:
            problems.append(_unknown(f"entities[{n}].asset", "asset", entity.asset, ASSETS))
            kinds.add("asset")
        if entity.material is not None and entity.material not in MATERIALS:
            problems.append(_unknown(f"entities[{n}].material", "material", entity.material,
                                     MATERIALS))
            kinds.add("material")
    for n, action in enumerate(scene.actions):
        if isinstance(action, Throw) and action.aim in ("make", "miss", "bank"):
            target = scene.entity(action.target)
            if target.asset in ASSETS and "rim" not in ASSETS[target.asset].anchors:
                problems.append(
                    f"actions[{n}].aim: {action.aim!r} needs a hoop as target; "
                    f"{action.target!r} is a {target.asset} (use aim: direct)"
                )
    if not kinds.intersection(("asset",)):
        # road vehicles, trains and aircraft; car doors
        problems += drive_problems(scene) + door_action_problems(scene)
    bodies = sum(ASSETS[e.asset].bodies for e in scene.entities if e.asset in ASSETS)
    if bodies > MAX_BODIES:
        heavy = max((e for e in scene.entities if e.asset in ASSETS),
                    key=lambda e: ASSETS[e.asset].bodies)
        count = sum(e.asset == heavy.asset for e in scene.entities)
        problems.append(
            f"entities: the Scene simulates {bodies:,} bodies, more than the {MAX_BODIES:,} "
            f"that play in reasonable time ({count} {heavy.asset} are "
            f"{ASSETS[heavy.asset].bodies} bodies each); use fewer")
    for n, animal in enumerate(scene.animals):  # a named coat is the species' (breed's) own
        if animal.coat is not None and not animal.coat.startswith("#"):
            coats = coat_names(animal.species, animal.breed)
            if animal.coat not in coats:
                problems.append(f"animals[{n}].coat: a {animal.breed or animal.species} has no "
                                f"coat {animal.coat!r}; choose {', '.join(coats)} or #rrggbb")
    problems += _rider_problems(scene)
    if problems:
        known = {"asset": ASSETS, "material": MATERIALS, "environment": ENVIRONMENTS}
        lists = [f"known {kind}s: {', '.join(sorted(known[kind]))}" for kind in sorted(kinds)]
        error = SceneError(problems_line(problems) + "".join(f". {text}" for text in lists))
        error.problems = [tuple(p.split(": ", 1)) for p in problems]  # (field path, problem)
        raise error


def _rider_problems(scene: Scene) -> list[str]:
    """A ridden thing must have a seat for its rider (its asset's `seat` anchor): a bicycle,
    a motorcycle, a scooter or a skateboard, not a crate."""
    problems = []
    entities = {e.id: e for e in scene.entities}
    for n, character in enumerate(scene.characters):
        entity = entities.get(character.rides)
        if entity is None or entity.asset not in ASSETS:
            continue
        if "seat" not in ASSETS[entity.asset].anchors:
            seated = sorted(name for name, asset in ASSETS.items() if "seat" in asset.anchors)
            problems.append(f"characters[{n}].rides: {character.rides!r} is a {entity.asset}, "
                            f"which has no seat for a rider; ride "
                            f"{', '.join(seated) if seated else 'a horse'}")
    return problems
