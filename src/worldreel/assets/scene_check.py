"""Checks that a Scene only names assets, materials and environments the registry holds."""

from __future__ import annotations

from worldreel.assets.materials import MATERIALS
from worldreel.assets.environments import ENVIRONMENTS
from worldreel.assets.registry import ASSETS
from worldreel.errors import SceneError
from worldreel.scene import Scene, Throw


def check_scene_assets(scene: Scene) -> None:
    """Raise one SceneError naming every unknown asset, material or environment by field path."""
    problems = []
    if scene.setting.environment not in ENVIRONMENTS:
        problems.append(
            f"setting.environment: unknown environment {scene.setting.environment!r} "
            f"(known: {', '.join(sorted(ENVIRONMENTS))})"
        )
    floor = scene.setting.floor_material
    if floor is not None and floor not in MATERIALS:
        problems.append(f"setting.floor_material: unknown material {floor!r}")
    for n, entity in enumerate(scene.entities):
        if entity.asset not in ASSETS:
            problems.append(
                f"entities[{n}].asset: unknown asset {entity.asset!r} "
                f"(known: {', '.join(sorted(ASSETS))})"
            )
        if entity.material is not None and entity.material not in MATERIALS:
            problems.append(
                f"entities[{n}].material: unknown material {entity.material!r} "
                f"(known: {', '.join(sorted(MATERIALS))})"
            )
    for n, action in enumerate(scene.actions):
        if isinstance(action, Throw) and action.aim in ("make", "miss", "bank"):
            target = scene.entity(action.target)
            if target.asset in ASSETS and "rim" not in ASSETS[target.asset].anchors:
                problems.append(
                    f"actions[{n}].aim: {action.aim!r} needs a hoop as target; "
                    f"{action.target!r} is a {target.asset} (use aim: direct)"
                )
    if problems:
        raise SceneError("; ".join(problems))
