"""MuJoCo geometry of a Scene: one builder that physics and the preview renderer both use.

Physics makes movable entities free bodies and adds contact parameters; the renderer makes them
mocap bodies and sets their poses from a Recording. Either way the geometry is the same, so what
is drawn is exactly what was simulated.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.assets.materials import Material, material
from worldreel.assets.environments import environment
from worldreel.assets.registry import Asset, Part, asset
from worldreel.scene import Entity, Scene

FLOOR = "floor"
ENV_PREFIX = "env:"
FLOOR_HALF_SIZE_M = 40.0


@dataclass(frozen=True)
class GeomInfo:
    """What the audio and event stages need to know about a geom."""

    owner: str  # entity id, "floor", or "env:<part>"
    material: str
    size: float  # characteristic size in metres (sets how low it rings)


@dataclass(frozen=True)
class ContactParams:
    """MuJoCo contact parameters of one material (see physics.contact_model)."""

    solref: tuple[float, float]
    solimp: tuple[float, float, float, float, float]


def quat_from_euler(euler_deg: tuple[float, float, float]) -> np.ndarray:
    """w, x, y, z quaternion of extrinsic x-y-z rotations in degrees (the Scene convention)."""
    x, y, z, w = Rotation.from_euler("xyz", euler_deg, degrees=True).as_quat()
    return np.array([w, x, y, z])


def entity_rotation(entity: Entity) -> Rotation:
    return Rotation.from_euler("xyz", entity.rotation, degrees=True)


def anchor_point(entity: Entity, name: str | None = None) -> np.ndarray:
    """World position of a named anchor of the entity's asset, or of its bounding-box centre."""
    spec_asset = entity_asset(entity)
    if name is not None and name in spec_asset.anchors:
        local = np.array(spec_asset.anchors[name])
    else:
        lo, hi = spec_asset.bounds()
        local = 0.5 * (np.array(lo) + np.array(hi))
    return np.array(entity.position) + entity_rotation(entity).apply(local * entity.scale)


def entity_bottom(entity: Entity) -> float:
    """Lowest world z of the entity's bounding box at its initial pose."""
    lo, hi = entity_asset(entity).bounds()
    corners = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1])
                        for z in (lo[2], hi[2])]) * entity.scale
    return float(entity.position[2] + entity_rotation(entity).apply(corners)[:, 2].min())


def entity_asset(entity: Entity) -> Asset:
    return asset(entity.asset)


def entity_material(entity: Entity) -> str:
    return entity.material or entity_asset(entity).material


def entity_is_fixed(entity: Entity, scene: Scene) -> bool:
    """Fixed to the world: assets that are fixed by default and nothing acts on them."""
    acted = {a.entity for a in scene.actions}
    return entity_asset(entity).fixed and entity.id not in acted


def part_rgba(part: Part, owner: Asset | None, entity: Entity | None, mat: Material) -> list[float]:
    """Colour of a part: the entity's colour, else the part's, else the asset's, else material's."""
    if entity is not None and entity.color is not None and part.rgb is None:
        rgb = tuple(int(entity.color[i:i + 2], 16) / 255.0 for i in (1, 3, 5))
    elif part.rgb is not None:
        rgb = part.rgb
    elif owner is not None and owner.rgb is not None and entity is not None and entity.material is None:
        rgb = owner.rgb
    else:
        rgb = mat.rgb
    return [*rgb, part.alpha]


def _characteristic_size(part: Part, scale: float) -> float:
    if part.shape == "sphere":
        return 2 * part.size[0] * scale
    if part.shape == "plane":
        return 1.0
    return 2 * max(part.size) * scale


def _part_volume(part: Part, scale: float) -> float:
    s = [v * scale for v in part.size]
    if part.shape == "sphere":
        return 4 / 3 * math.pi * s[0] ** 3
    if part.shape == "box":
        return 8 * s[0] * s[1] * s[2]
    if part.shape == "cylinder":
        return math.pi * s[0] ** 2 * 2 * s[1]
    if part.shape == "capsule":
        return math.pi * s[0] ** 2 * 2 * s[1] + 4 / 3 * math.pi * s[0] ** 3
    return 0.0


def _geom_type(mujoco, shape: str):
    return {
        "sphere": mujoco.mjtGeom.mjGEOM_SPHERE,
        "box": mujoco.mjtGeom.mjGEOM_BOX,
        "cylinder": mujoco.mjtGeom.mjGEOM_CYLINDER,
        "capsule": mujoco.mjtGeom.mjGEOM_CAPSULE,
        "plane": mujoco.mjtGeom.mjGEOM_PLANE,
    }[shape]


def build_spec(
    scene: Scene,
    *,
    movable: Literal["free", "mocap"],
    contacts: Mapping[str, ContactParams] | None = None,
):
    """Return (MjSpec, {geom name: GeomInfo}) for the Scene.

    movable="free" gives every movable entity a free joint (physics); "mocap" makes it a mocap
    body whose pose the caller sets (rendering). `contacts` maps material name to its contact
    parameters; without it MuJoCo's defaults are left in place.
    """
    import mujoco  # noqa: PLC0415 - heavy import, only where geometry is built

    spec = mujoco.MjSpec()
    spec.modelname = "worldreel"
    spec.option.timestep = 1.0 / scene.physics_rate
    spec.option.gravity = list(scene.setting.gravity)
    spec.visual.global_.offwidth = max(scene.width, 64)
    spec.visual.global_.offheight = max(scene.height, 64)
    geoms: dict[str, GeomInfo] = {}

    def add_geom(body, part: Part, name: str, owner: str, mat_name: str, rgba, scale: float):
        mat = material(mat_name)
        geom = body.add_geom()
        geom.name = name
        geom.type = _geom_type(mujoco, part.shape)
        size = [v * scale for v in part.size] + [0.0] * (3 - len(part.size))
        geom.size = size
        geom.pos = [v * scale for v in part.pos]
        geom.quat = quat_from_euler(part.euler)
        geom.rgba = rgba
        roll = mat.rolling * (size[0] if part.shape == "sphere" else 0.0)
        geom.friction = [mat.friction, 0.002, roll]
        geom.condim = 6 if part.shape == "sphere" else 3
        if not part.collides:
            geom.contype = 0
            geom.conaffinity = 0
        if contacts is not None:
            params = contacts[mat_name]
            geom.solref = list(params.solref)
            geom.solimp = list(params.solimp)
        geoms[name] = GeomInfo(owner, mat_name, _characteristic_size(part, scale))
        return geom

    env = environment(scene.setting.environment)
    floor_mat = scene.setting.floor_material or env.floor_material
    floor_part = Part("plane", (FLOOR_HALF_SIZE_M, FLOOR_HALF_SIZE_M, 0.5))
    add_geom(spec.worldbody, floor_part, FLOOR, FLOOR, floor_mat,
             [*material(floor_mat).rgb, 1.0], 1.0)
    for part in env.parts:
        name = ENV_PREFIX + part.name
        mat_name = part.material or env.floor_material
        add_geom(spec.worldbody, part, name, name, mat_name,
                 part_rgba(part, None, None, material(mat_name)), 1.0)

    for entity in scene.entities:
        spec_asset = entity_asset(entity)
        body = spec.worldbody.add_body()
        body.name = entity.id
        body.pos = list(entity.position)
        body.quat = quat_from_euler(entity.rotation)
        fixed = entity_is_fixed(entity, scene)
        if not fixed:
            if movable == "free":
                body.add_freejoint()
            else:
                body.mocap = True
        scale = entity.scale
        base_mat = entity_material(entity)
        solid = [p for p in spec_asset.parts if p.collides]
        density = None
        if spec_asset.mass is not None and not spec_asset.hollow:
            volume = sum(_part_volume(p, scale) for p in solid)
            density = spec_asset.mass * scale**3 / volume
        for n, part in enumerate(spec_asset.parts):
            mat_name = part.material or base_mat
            rgba = part_rgba(part, spec_asset, entity, material(mat_name))
            geom = add_geom(body, part, f"{entity.id}#{n}", entity.id, mat_name, rgba, scale)
            if density is not None:
                geom.density = density
            elif spec_asset.mass is None:
                geom.density = material(mat_name).density
        if spec_asset.hollow and not fixed:
            mass = spec_asset.mass * scale**3
            r = spec_asset.radius * scale
            inertia = 2.0 / 3.0 * mass * r * r  # thin spherical shell
            body.explicitinertial = True
            body.mass = mass
            body.inertia = [inertia, inertia, inertia]
            body.ipos = [0.0, 0.0, 0.0]
    return spec, geoms
