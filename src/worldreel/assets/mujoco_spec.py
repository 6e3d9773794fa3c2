"""MuJoCo geometry of a Scene: one builder that physics and the preview renderer both use.

Physics makes movable entities free bodies (or hinged/ball-jointed ones) and adds contact
parameters; the renderer makes them mocap bodies and sets their poses from a Recording. Either way
the geometry is the same, so what is drawn is exactly what was simulated.

Assets of several bodies (ropes, carts, cloth, pre-fractured breakables; see assets.registry.Link)
add bodies named `<entity id>.<link>`; `body_names(scene)` lists every posed body in Recording
order (entities first, then links). In physics, rope links and wheels are nested bodies with
ball/hinge joints, cloth nodes are particles (three slide joints) held by a flex edge constraint,
and fracture pieces are free bodies welded to the entity body until it breaks. In "mocap" mode
every one of them is a mocap body at the world level, so the renderer poses them all the same way.
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
from worldreel.assets.fracture import Piece, fracture_solids
from worldreel.assets.registry import Asset, Part, asset
from worldreel.assets.water import Water, water_of
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


def entity_corners(entity: Entity) -> np.ndarray:
    """World corners (8, 3) of the entity's bounding box at its initial pose."""
    lo, hi = entity_asset(entity).bounds()
    corners = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1])
                        for z in (lo[2], hi[2])]) * entity.scale
    return np.array(entity.position) + entity_rotation(entity).apply(corners)


def entity_bottom(entity: Entity) -> float:
    """Lowest world z of the entity's bounding box at its initial pose."""
    return float(entity_corners(entity)[:, 2].min())


def entity_asset(entity: Entity) -> Asset:
    return asset(entity.asset)


def entity_material(entity: Entity) -> str:
    return entity.material or entity_asset(entity).material


def entity_is_fixed(entity: Entity, scene: Scene) -> bool:
    """Fixed to the world: assets that are fixed by default and nothing acts on them."""
    acted = {a.entity for a in scene.actions}
    spec_asset = entity_asset(entity)
    if spec_asset.flex is not None:
        return False  # its nodes move; the entity body follows their centroid
    if spec_asset.links and spec_asset.fixed:
        return True  # a rope's anchor stays put whatever acts on the rope
    return spec_asset.fixed and entity.id not in acted


def entity_is_breakable(entity: Entity) -> bool:
    """Pre-fractured: the asset has pieces and its material a breaking speed."""
    spec_asset = entity_asset(entity)
    return spec_asset.pieces > 1 and material(entity_material(entity)).breaking_speed is not None


def entity_pieces(entity: Entity, scene: Scene) -> tuple[Piece, ...]:
    """The Voronoi pieces of a breakable entity (asset frame, unscaled)."""
    spec_asset = entity_asset(entity)
    return fracture_solids(_fracture_solids(spec_asset), spec_asset.pieces, scene.seed,
                           f"{entity.id}:{spec_asset.name}")


def _fracture_solids(spec_asset: Asset) -> tuple:
    """The colliding parts a breakable asset is cut from (decorations ride on piece 0)."""
    return tuple((p.shape, tuple(p.size), tuple(p.pos), tuple(p.euler))
                 for p in spec_asset.parts if p.collides)


def link_names(entity: Entity, scene: Scene) -> list[str]:
    """Names of the entity's extra bodies, in Recording order."""
    spec_asset = entity_asset(entity)
    names = [f"{entity.id}.{link.name}" for link in spec_asset.links]
    if entity_is_breakable(entity):
        names += [f"{entity.id}.p{k}" for k in range(1, spec_asset.pieces)]
    return names


def body_names(scene: Scene) -> list[str]:
    """Every body a Recording poses: entity ids, then each entity's links and pieces."""
    names = [e.id for e in scene.entities]
    for entity in scene.entities:
        names += link_names(entity, scene)
    return names


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


GROUND_SIZE_M = 1.0  # what rings of a floor when struck: a patch of it, not its whole extent


def _characteristic_size(part: Part, scale: float) -> float:
    if part.shape == "sphere":
        return 2 * part.size[0] * scale
    if part.shape == "plane":
        return GROUND_SIZE_M
    return 2 * max(part.size) * scale


def _part_volume(part: Part, scale: float) -> float:
    s = [v * scale for v in part.size]
    if part.shape == "sphere":
        return 4 / 3 * math.pi * s[0] ** 3
    if part.shape == "ellipsoid":
        return 4 / 3 * math.pi * s[0] * s[1] * s[2]
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
        "ellipsoid": mujoco.mjtGeom.mjGEOM_ELLIPSOID,
        "mesh": mujoco.mjtGeom.mjGEOM_MESH,
    }[shape]


def _mesh_volume(vertices: np.ndarray) -> float:
    from scipy.spatial import ConvexHull  # noqa: PLC0415

    return float(ConvexHull(vertices).volume)


# A collision bit of its own for the ceiling that only things lighter than air touch (their
# conaffinity has it; nothing else's has): MuJoCo collides two geoms when the contype of one
# shares a bit with the conaffinity of the other. (Bits 1 and 2 are things and limbs.)
LIGHTER_THAN_AIR_BIT = 4
# A friction hinge's dry friction, stiff enough to hold (a lid creeps < 0.1 degree a second):
# a constraint time constant of 1 ms (above 2 physics steps at 2400 Hz) and an impedance near 1.
HINGE_FRICTION_SOLREF = (0.001, 1.0)
HINGE_FRICTION_SOLIMP = (0.99, 0.999, 0.001, 0.5, 2.0)
CLOTH_CONTYPE = 2  # cloth nodes touch everything else but not each other



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
        point = part.shape == "sphere" or part.torsion is not None
        roll = mat.rolling * (size[0] if part.shape == "sphere" else 0.0)
        if part.torsion is not None:  # one bearing patch resists both turning and rolling
            roll = part.torsion
        geom.friction = [mat.friction, 0.002 if part.torsion is None else part.torsion, roll]
        geom.condim = 6 if point else 3
        if part.torsion is not None:
            geom.priority = 1  # its own torsion and rolling, not the larger of the pair's
        if not part.collides:
            geom.contype = 0
            geom.conaffinity = 0
        elif part.collides == "lighter_than_air":
            geom.contype = LIGHTER_THAN_AIR_BIT
            geom.conaffinity = 0
        if contacts is not None:
            params = contacts[mat_name]
            geom.solref = list(params.solref)
            geom.solimp = list(params.solimp)
        ringing = part.rings_as * scale if part.rings_as else _characteristic_size(part, scale)
        geoms[name] = GeomInfo(owner, mat_name, ringing)
        return geom

    env = environment(scene.setting.environment)
    floor_mat = scene.setting.floor_material or env.floor_material
    water = water_of(scene.setting)
    floor_rgba = [*material(floor_mat).rgb, 1.0]
    for name, part in floor_parts(water):
        add_geom(spec.worldbody, part, name, FLOOR, floor_mat, floor_rgba, 1.0)
        # a shore's sand and slope are boxes: they sound as the plane floor does
        geoms[name] = GeomInfo(FLOOR, floor_mat, GROUND_SIZE_M)
    for part in env.parts:
        name = ENV_PREFIX + part.name
        mat_name = part.material or env.floor_material
        add_geom(spec.worldbody, part, name, name, mat_name,
                 part_rgba(part, None, None, material(mat_name)), 1.0)

    if water is not None:
        _add_water(mujoco, spec, water)
    for entity in scene.entities:
        _add_entity(mujoco, spec, scene, entity, movable, add_geom)
    for jointed, mount in mounted_pairs(scene):
        exclude = spec.add_exclude()
        exclude.bodyname1, exclude.bodyname2 = jointed, mount
    if contacts is not None and movable == "free":
        _floor_pairs(spec, scene, geoms, contacts)
    return spec, geoms


FLOOR_THICKNESS_M = 2.0  # of the boxes a shore's ground is made of: far below the sea bed


def floor_parts(water: Water | None) -> list[tuple[str, Part]]:
    """The floor's geoms, (name, part), the first named FLOOR: a plane at z = 0, or by a sea
    the ground of assets.water's `bottom`: a box of sand whose top (z = 0) ends at the shore,
    a box whose top is the beach slope down to the bed, and the bed, a plane beneath both.

    A plane collides as if infinite, so the sand cannot be one: it would hold up everything
    that sinks in the sea. Every geom is owned by the floor, which is what events and foley
    name; none collides on its own (see _floor_pairs)."""
    plane = Part("plane", (FLOOR_HALF_SIZE_M, FLOOR_HALF_SIZE_M, 0.5))
    if water is None or water.shore is None:
        return [(FLOOR, plane)]
    ux, uy = water.toward
    yaw = math.degrees(math.atan2(uy, ux))
    half = FLOOR_HALF_SIZE_M
    thick = FLOOR_THICKNESS_M / 2
    # the sand: from `half` behind the origin to the shore, its top at z = 0
    back, front = min(-half, water.shore - 1.0), water.shore
    middle = 0.5 * (back + front)
    sand = Part("box", (0.5 * (front - back), half, thick),
                (ux * middle, uy * middle, -thick), euler=(0.0, 0.0, yaw))
    # the slope: its top face runs from the shore (z = 0) down to the bed
    drop = -water.bed
    run = water.slope_end - water.shore
    pitch = math.atan2(drop, run)
    length = math.hypot(run, drop)
    centre_s = water.shore + 0.5 * run - thick * math.sin(pitch)  # below the face, inland
    centre_z = -0.5 * drop - thick * math.cos(pitch)
    slope = Part("box", (0.5 * length, half, thick), (ux * centre_s, uy * centre_s, centre_z),
                 euler=(0.0, math.degrees(pitch), yaw))
    reach = FLOOR_HALF_SIZE_M + SEA_NEAR_M  # drawn under all of the moving surface
    bed = Part("plane", (reach, reach, 0.5), (0.0, 0.0, water.bed))
    return [(FLOOR, sand), (FLOOR + "_slope", slope), (FLOOR + "_bed", bed)]


MOUNT_REACH_M = 0.05  # a pivot this close to a fixed thing's box is mounted on it


def mounted_pairs(scene: Scene) -> list[tuple[str, str]]:
    """(hinged, ball-jointed or sliding entity, fixed entity) pairs whose pivot sits on the fixed
    one: a seesaw's plank on its fulcrum, a nail (its frame at its tip) in a board. The joint is the pin that holds them together; letting them
    collide as well makes the contact fight the joint (a tilting plank's underside is pressed
    into the fulcrum's edge with kilonewtons, heard as a bang nobody sees)."""
    jointed = [
        e for e in scene.entities
        if entity_asset(e).joint in ("hinge", "ball", "slide") and entity_asset(e).flex is None
        and not entity_is_fixed(e, scene)
    ]
    fixed = [e for e in scene.entities if entity_is_fixed(e, scene)]
    pairs = []
    for moving in jointed:
        pivot = np.array(moving.position)
        for mount in fixed:
            world = entity_corners(mount)
            if np.all(pivot >= world.min(axis=0) - MOUNT_REACH_M) and np.all(
                    pivot <= world.max(axis=0) + MOUNT_REACH_M):
                pairs.append((moving.id, mount.id))
    return pairs


WATER_RGBA = (0.18, 0.42, 0.62, 0.45)
WATER_HALF_SIZE_M = 6.0  # the drawn pool; physics fills the whole floor area (physics.media)
# open water: greener than a pool; clear enough near the shore that the sand shows through the
# shallows, and from the far slab on (twice its faces' layers and the haze) opaque to the horizon
SEA_RGBA = (0.20, 0.56, 0.68, 0.4)
SEA_FAR_RGBA = (0.20, 0.56, 0.68, 0.82)
SEA = ENV_PREFIX + "sea"
SEA_NEAR_M = 60.0  # the moving surface reaches this far out from the shore...
SEA_HALF_WIDTH_M = 100.0  # ... and this far along it either side of the origin
SEA_GRID = (161, 65)  # its vertices across (along the shore) and out to sea
SEA_FAR_M = 400.0  # beyond the moving surface, still water to the horizon
SEA_UNDERSIDE_M = 0.01  # the drawn sea's underside lies this far below its bed


@dataclass(frozen=True)
class SeaSurface:
    """The drawn surface of a sea: a height field over the water near the shore, in a frame
    whose x axis points out to sea. `grid(t)` gives its heights for MuJoCo (0..1 of `rise`
    above `base`), from the same Water that physics floats things on."""

    water: Water
    center: tuple[float, float]  # world x, y of the height field's middle
    yaw: float  # radians, the out-to-sea direction
    half: tuple[float, float]  # half extent out to sea, along the shore (m)
    base: float  # world z of the field's zero
    rise: float  # height of the field's full scale (m)

    def points(self) -> tuple[np.ndarray, np.ndarray]:
        """World x, y (rows along the shore, columns out to sea) of the vertices."""
        rows, cols = SEA_GRID
        u = np.linspace(-self.half[0], self.half[0], cols)
        v = np.linspace(-self.half[1], self.half[1], rows)
        uu, vv = np.meshgrid(u, v)
        c, s = math.cos(self.yaw), math.sin(self.yaw)
        return self.center[0] + c * uu - s * vv, self.center[1] + s * uu + c * vv

    def grid(self, t: float, points: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
        x, y = points if points is not None else self.points()
        return np.clip((self.water.height(x, y, t) - self.base) / self.rise, 0.0, 1.0)


def sea_surface(water: Water) -> SeaSurface | None:
    """Where a sea's moving surface is drawn; None for a pool (no shore)."""
    if water.shore is None:
        return None
    reach = max(water.amplitude * 1.2, 0.005)
    ux, uy = water.toward
    middle = water.shore + SEA_NEAR_M / 2
    return SeaSurface(water, (ux * middle, uy * middle), math.atan2(uy, ux),
                      (SEA_NEAR_M / 2, SEA_HALF_WIDTH_M), water.level - reach, 2 * reach)


def _add_water(mujoco, spec, water: Water) -> None:
    """The water, drawn only (translucent, never colliding): a pool is a slab from the floor up
    to the level; a sea is a height field from the shore out (moved by the renderer with the
    swell; the sand hides it where it lies below the beach slope) and a still slab beyond it,
    from the bed up, to the horizon."""
    surface = sea_surface(water)
    if surface is None:
        geom = spec.worldbody.add_geom()
        geom.name = ENV_PREFIX + "water"
        geom.type = mujoco.mjtGeom.mjGEOM_BOX
        geom.size = [WATER_HALF_SIZE_M, WATER_HALF_SIZE_M, 0.5 * water.level]
        geom.pos = [0.0, 0.0, 0.5 * water.level]
        geom.rgba = list(WATER_RGBA)
        geom.contype = 0
        geom.conaffinity = 0
        return
    rows, cols = SEA_GRID
    field = spec.add_hfield()
    field.name = SEA
    field.nrow, field.ncol = rows, cols
    # elevation data is rescaled to 0..1 when compiled: pin both ends of the scale
    data = surface.grid(0.0)
    data[0, 0], data[-1, -1] = 0.0, 1.0
    field.userdata = data.ravel().astype(np.float32).tolist()
    # a height field is drawn as a solid: its underside reaches down under the bed, or seen
    # through the surface it would be a second layer of water (twice as opaque)
    field.size = [surface.half[0], surface.half[1], surface.rise,
                  max(surface.base - water.bed + SEA_UNDERSIDE_M, 0.001)]
    yaw = quat_from_euler((0.0, 0.0, math.degrees(surface.yaw)))
    geom = spec.worldbody.add_geom()
    geom.name = SEA
    geom.type = mujoco.mjtGeom.mjGEOM_HFIELD
    geom.hfieldname = SEA
    geom.pos = [surface.center[0], surface.center[1], surface.base]
    geom.quat = yaw
    geom.rgba = list(SEA_RGBA)
    geom.contype = geom.conaffinity = 0
    far = spec.worldbody.add_geom()
    far.name = ENV_PREFIX + "sea_far"
    far.type = mujoco.mjtGeom.mjGEOM_BOX
    middle = water.shore + SEA_NEAR_M + SEA_FAR_M / 2
    far.size = [SEA_FAR_M / 2, SEA_FAR_M, 0.5 * (water.level - water.bed)]  # bed to surface
    far.pos = [water.toward[0] * middle, water.toward[1] * middle, 0.5 * (water.level + water.bed)]
    far.quat = yaw
    far.rgba = list(SEA_FAR_RGBA)
    far.contype = far.conaffinity = 0


FRICTION_DAMPING_PER_S = 50.0  # damping of the friction rows of floor contacts, 1/s


def _floor_pairs(spec, scene: Scene, geoms: dict[str, GeomInfo], contacts) -> None:
    """Contacts with the floor as explicit pairs, so their friction can be damped gently.

    With the normal's damping on the friction rows too (MuJoCo's default), a fast slide asks the
    solver for a deceleration of b * v (~1000 m/s^2), far beyond what Coulomb allows; the convex
    solve then buys friction with extra normal force and the object hops along: the rattle of a
    pushed crate (10 mm hops) and the micro-bouncing of a rolling ball. A friction-row damping of
    FRICTION_DAMPING_PER_S still saturates Coulomb friction above ~0.15 m/s of slip: a crate
    pushed at 3 m/s on concrete slides v^2 / (2 mu g) within 1 % at 2400 Hz (up to ~9 % long at
    4800 Hz) and hops 0.3 mm instead of 10 mm. Contacts between movable bodies keep MuJoCo's
    dynamic contacts (their friction rows are damped like the normal).
    """
    fixed = {e.id for e in scene.entities if entity_is_fixed(e, scene)}
    owners = {e.id for e in scene.entities}
    grounds = floor_geoms(geoms)
    for name in grounds:
        spec.geom(name).contype = spec.geom(name).conaffinity = 0
    floor_params = contacts[geoms[FLOOR].material]
    floor_friction = material(geoms[FLOOR].material).friction
    for name, info in geoms.items():
        if info.owner not in owners:
            continue
        if info.owner in fixed and "." not in name.split("#")[0]:
            continue
        geom = spec.geom(name)
        if geom.contype == 0 and geom.conaffinity == 0:
            continue
        params = contacts[info.material]
        for ground in grounds:
            _add_floor_pair(spec, ground, name, geom, params, floor_params, floor_friction)


def floor_geoms(geoms: Mapping[str, GeomInfo]) -> list[str]:
    """Names of the geoms that make the floor (one plane, or a shore's sand, slope and bed)."""
    return [name for name, info in geoms.items() if info.owner == FLOOR]


def _add_floor_pair(spec, ground: str, name: str, geom, params: ContactParams,
                    floor_params: ContactParams, floor_friction: float) -> None:
    """One explicit contact pair between a floor geom and a thing's geom."""
    pair = spec.add_pair()
    pair.geomname1 = ground
    pair.geomname2 = name
    pair.condim = int(geom.condim)
    friction = [max(float(geom.friction[0]), floor_friction)] * 2 + \
        [float(geom.friction[1]), float(geom.friction[2]), float(geom.friction[2])]
    pair.friction = friction
    # Direct (negative) solref combine by element-wise minimum: the stiffer spring and
    # the larger damping, as MuJoCo does for dynamic contacts.
    pair.solref = [min(params.solref[0], floor_params.solref[0]),
                   min(params.solref[1], floor_params.solref[1])]
    pair.solimp = list(params.solimp)
    pair.solreffriction = [pair.solref[0], -FRICTION_DAMPING_PER_S]


def _add_entity(mujoco, spec, scene: Scene, entity: Entity, movable: str, add_geom) -> None:
    """The entity's body (and its links and pieces) with their geoms."""
    spec_asset = entity_asset(entity)
    body = spec.worldbody.add_body()
    body.name = entity.id
    body.pos = list(entity.position)
    body.quat = quat_from_euler(entity.rotation)
    fixed = entity_is_fixed(entity, scene)
    cloth = spec_asset.flex is not None  # cloth or a soft solid: particle nodes
    if not fixed:
        if movable == "mocap":
            body.mocap = True
        elif cloth:
            pass  # a static frame; the nodes carry the cloth
        elif spec_asset.joint == "free":
            body.add_freejoint()
        else:
            joint = body.add_joint()
            joint.type = {"hinge": mujoco.mjtJoint.mjJNT_HINGE,
                          "slide": mujoco.mjtJoint.mjJNT_SLIDE}.get(
                spec_asset.joint, mujoco.mjtJoint.mjJNT_BALL)
            joint.axis = list(spec_asset.joint_axis)
    scale = entity.scale
    base_mat = entity_material(entity)
    breakable = entity_is_breakable(entity)
    pieces = entity_pieces(entity, scene) if breakable else ()
    solid = [p for p in spec_asset.parts if p.collides]
    volume = sum(_part_volume(p, scale) for p in solid)
    target_mass = entity.mass if entity.mass is not None else (
        spec_asset.mass * scale**3 if spec_asset.mass is not None else None)
    density = None
    if target_mass is not None and not spec_asset.hollow and not cloth and volume > 0:
        density = target_mass / volume

    def geoms_for(target, parts, prefix, contype=None, owner=entity.id):
        for n, part in enumerate(parts):
            mat_name = part.material or base_mat
            rgba = part_rgba(part, spec_asset, entity, material(mat_name))
            geom = add_geom(target, part, f"{prefix}#{n}", owner, mat_name, rgba, scale)
            if any(spec_asset.rim_friction) and part.collides:
                geom.condim = 6  # a disc rolling on its rim loses energy (assets.registry)
                geom.friction = [material(mat_name).friction, *spec_asset.rim_friction]
            if not part.collides:  # decorations (a baseball's seam, a bell's drawn shell)
                geom.density = 0.0  # weigh nothing
            elif density is not None:
                geom.density = density
            elif target_mass is None or cloth:
                geom.density = material(mat_name).density
            if contype is not None and part.collides:
                geom.contype = contype
                geom.conaffinity = 1

    if breakable:
        if target_mass is not None:  # the pieces' polytopes, not the primitives, weigh it
            volume = sum(_mesh_volume(h) for piece in pieces for h in piece.hulls) * scale**3
            density = target_mass / volume
        _add_pieces(mujoco, spec, scene, entity, body, pieces, movable, add_geom, density)
        geoms_for(body, [p for p in spec_asset.parts if not p.collides], f"{entity.id}.deco")
    else:
        geoms_for(body, spec_asset.parts, entity.id)
        if spec_asset.gas is not None and not fixed:
            for n, part in enumerate(spec_asset.parts):
                if part.collides:
                    spec.geom(f"{entity.id}#{n}").conaffinity |= LIGHTER_THAN_AIR_BIT
    if spec_asset.hollow and not fixed:
        mass = target_mass
        r = spec_asset.radius * scale
        inertia = 2.0 / 3.0 * mass * r * r  # thin spherical shell
        body.explicitinertial = True
        body.mass = mass
        body.inertia = [inertia, inertia, inertia]
        body.ipos = [0.0, 0.0, 0.0]

    rotation = entity_rotation(entity)
    origin = np.array(entity.position, dtype=float)
    world: dict[str | None, np.ndarray] = {None: origin}
    bodies = {None: body}
    node_mass = (target_mass or 0.1) / max(len(spec_asset.links), 1)
    for link in spec_asset.links:
        name = f"{entity.id}.{link.name}"
        local = np.array(link.pos) * scale
        if link.joint == "particle":
            pos = origin + rotation.apply(local)
        else:
            pos = world[link.parent] + rotation.apply(local)
        world[link.name] = pos
        if movable == "mocap" or link.joint == "particle":
            child = spec.worldbody.add_body()
            child.pos = list(pos)
            child.quat = quat_from_euler(entity.rotation)
        else:
            child = bodies[link.parent].add_body()
            child.pos = list(local)
            if link.angle:  # drawn at its starting angle, which the joint's reference is
                child.quat = Rotation.from_rotvec(
                    math.radians(link.angle) * np.asarray(link.axis, dtype=float)
                ).as_quat(scalar_first=True)
        child.name = name
        bodies[link.name] = child
        if movable == "mocap":
            child.mocap = True
        elif link.joint == "particle":
            for axis in np.eye(3):
                joint = child.add_joint()
                joint.type = mujoco.mjtJoint.mjJNT_SLIDE
                joint.axis = list(axis)
                joint.damping = [0.002, 0.0, 0.0]
        else:
            joint = child.add_joint()
            joint.type = (mujoco.mjtJoint.mjJNT_HINGE if link.joint == "hinge"
                          else mujoco.mjtJoint.mjJNT_BALL)
            joint.axis = list(link.axis)
            joint.damping = [link.damping, 0.0, 0.0]
            if link.joint == "hinge":
                # MjSpec reads angles in the compiler's unit (degrees unless told otherwise)
                unit = 1.0 if spec.compiler.degree else math.pi / 180.0
                joint.ref = link.angle * unit
                joint.frictionloss = link.friction
                if link.friction:  # MuJoCo's default soft friction lets a held lid creep
                    joint.solref_friction = list(HINGE_FRICTION_SOLREF)  # down 5 degrees a
                    joint.solimp_friction = list(HINGE_FRICTION_SOLIMP)  # second; this holds it
                if link.range is not None:
                    joint.limited = mujoco.mjtLimited.mjLIMITED_TRUE
                    joint.range = [a * unit for a in link.range]
        # A leaf hinged in a fixed frame (a door) strikes its own frame: its contacts are
        # events of their own, heard, where other links' are their entity's.
        swings = fixed and link.joint == "hinge" and movable == "free"
        geoms_for(child, link.parts, name, CLOTH_CONTYPE if cloth else None,
                  name if swings else entity.id)
        if link.mass is not None:  # a ribbon that touches nothing still weighs
            for geom in child.geoms:
                geom.density = 0.0
                geom.mass = link.mass / len(child.geoms)
        if cloth:
            for geom in child.geoms:
                geom.density = 0.0
                geom.mass = node_mass
                geom.condim = 3  # a particle cannot turn: no torsional or rolling friction
                if movable == "mocap":  # the flex sheet is drawn; the nodes only collide
                    geom.rgba = [*list(geom.rgba)[:3], 0.0]
    if cloth:
        _add_cloth_flex(mujoco, spec, entity, spec_asset, movable)


def _add_pieces(mujoco, spec, scene: Scene, entity: Entity, body, pieces, movable: str,
                add_geom, density: float | None) -> None:
    """Piece 0 on the entity body; the others as bodies welded to it until it breaks."""
    scale = entity.scale
    spec_asset = entity_asset(entity)
    solid_parts = [p for p in spec_asset.parts if p.collides]
    rotation = entity_rotation(entity)
    names = [entity.id]
    for k, piece in enumerate(pieces):
        center = np.array(piece.center) * scale
        if k == 0:
            target = body
            local = center
        else:
            target = spec.worldbody.add_body()
            target.name = f"{entity.id}.p{k}"
            names.append(target.name)
            target.pos = list(np.array(entity.position) + rotation.apply(center))
            target.quat = quat_from_euler(entity.rotation)
            local = np.zeros(3)
            if movable == "mocap":
                target.mocap = True
            else:
                target.add_freejoint()
        radius = float(np.linalg.norm(piece.vertices, axis=1).max()) * scale
        for h, (hull, owner) in enumerate(zip(piece.hulls, piece.solids or (0,))):
            template = solid_parts[owner]
            mat_name = template.material or entity_material(entity)
            rgba = part_rgba(template, spec_asset, entity, material(mat_name))
            mesh = spec.add_mesh()
            mesh.name = f"{entity.id}.mesh{k}" + (f"_{h}" if h else "")
            mesh.uservert = (hull * scale).ravel().tolist()
            part = Part("sphere", (radius,), tuple(local), material=mat_name)
            geom = add_geom(target, part, f"{target.name}#{h}", entity.id, mat_name, rgba, 1.0)
            geom.type = mujoco.mjtGeom.mjGEOM_MESH
            geom.condim = 3
            geom.friction = [material(mat_name).friction, 0.002, 0.0]
            geom.meshname = mesh.name
            geom.pos = list(local)
            geom.density = density if density is not None else material(mat_name).density
    if movable == "mocap":
        return
    for k, name in enumerate(names):
        if k:
            weld = spec.add_equality()
            weld.type = mujoco.mjtEq.mjEQ_WELD
            weld.objtype = mujoco.mjtObj.mjOBJ_BODY
            weld.name1 = entity.id
            weld.name2 = name
            weld.name = f"{name}.weld"
            weld.solref = [FRACTURE_WELD_TIMECONST_S, 1.0]
            # anchor, relpose (a zero quaternion: keep the pose the pieces start in), torquescale
            weld.data = [0.0] * 10 + [1.0, 0.0]
        for other in names[k + 1:]:
            exclude = spec.add_exclude()
            exclude.bodyname1 = name
            exclude.bodyname2 = other


FRACTURE_WELD_TIMECONST_S = 0.004  # stiff welds: an intact glass moves as one body


def _add_cloth_flex(mujoco, spec, entity: Entity, spec_asset: Asset, movable: str) -> None:
    """The flex over the nodes: drawn as a surface; in physics a cloth keeps its edge lengths
    (an equality) and a soft solid is linear-elastic."""
    shape = spec_asset.flex
    nodes = [f"{entity.id}.{link.name}" for link in spec_asset.links]
    flex = spec.add_flex()
    flex.name = f"{entity.id}.sheet"
    flex.dim = shape.dim
    flex.radius = 0.002
    flex.vertbody = nodes
    flex.vert = [0.0] * (3 * len(nodes))
    flex.elem = list(shape.elements)
    flex.contype = 0
    flex.conaffinity = 0
    colour = material(entity_material(entity)).rgb if spec_asset.rgb is None else spec_asset.rgb
    if entity.color is not None:
        colour = tuple(int(entity.color[i:i + 2], 16) / 255.0 for i in (1, 3, 5))
    flex.rgba = [*colour, 1.0]
    if movable == "mocap":
        return
    if shape.young > 0.0:
        flex.young = shape.young
        flex.poisson = shape.poisson
        flex.damping = shape.damping
        if shape.dim == 2:
            flex.thickness = shape.thickness
            flex.elastic2d = shape.elastic2d
    if shape.edge_equality:
        edges = spec.add_equality()
        edges.type = mujoco.mjtEq.mjEQ_FLEX
        edges.name1 = flex.name
        edges.solref = [0.01, 1.0]
