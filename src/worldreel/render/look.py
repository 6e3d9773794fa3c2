"""The look of a preview: sky and sun, light rigs with shadows, haze, floor/wall/decal materials,
weather particles, and the grade the post-processing applies.

`scene_look` reads the Scene's Setting (environment, time of day, weather, grade, exposure) into a
`Look`; `dress_spec` decorates a geometry spec built by assets.mujoco_spec with it. Only drawn
things are added here (lights, sky, sun, decals, materials): physics never sees them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np

from worldreel.assets import environment, material
from worldreel.assets.mujoco_spec import (ENV_PREFIX, FLOOR, FLOOR_HALF_SIZE_M, SEA,
                                          SEA_HALF_WIDTH_M)
from worldreel.assets.water import water_of
from worldreel.render.post import GRADE_PRESETS, Grade
from worldreel.render.textures import decal_image, texture_image
from worldreel.scene import Scene

SUN_DISTANCE_M = 150.0
DECAL_LIFT_M = 0.002  # decals float this far above the floor so depth testing keeps them on top
RGB = tuple[float, float, float]


@dataclass(frozen=True)
class Sky:
    """A time of day: sky gradient, sun direction (azimuth, elevation in degrees) and colour."""

    top: RGB
    bottom: RGB
    sun_azimuth: float
    sun_elevation: float
    sun: RGB  # diffuse colour of the sun light
    ambient: RGB
    fill: RGB
    disc: RGB | None  # the colour of the visible sun (or moon) disc; None: not drawn


SKIES = {
    "dawn": Sky((0.34, 0.42, 0.64), (0.98, 0.72, 0.56), 60.0, 9.0, (0.95, 0.66, 0.48),
                (0.30, 0.28, 0.32), (0.20, 0.24, 0.34), (1.0, 0.78, 0.6)),
    "noon": Sky((0.22, 0.45, 0.85), (0.74, 0.84, 0.96), 35.0, 62.0, (0.86, 0.84, 0.78),
                (0.34, 0.35, 0.38), (0.20, 0.23, 0.28), (1.0, 1.0, 0.95)),
    "golden_hour": Sky((0.30, 0.45, 0.76), (1.0, 0.76, 0.50), 210.0, 14.0, (1.0, 0.74, 0.45),
                       (0.32, 0.29, 0.27), (0.18, 0.22, 0.32), (1.0, 0.85, 0.55)),
    "night": Sky((0.01, 0.015, 0.05), (0.05, 0.06, 0.12), 140.0, 40.0, (0.30, 0.34, 0.48),
                 (0.16, 0.15, 0.18), (0.10, 0.08, 0.06), (0.85, 0.88, 0.95)),
    "space": Sky((0.0, 0.0, 0.0), (0.01, 0.01, 0.015), 40.0, 35.0, (1.15, 1.12, 1.08),
                 (0.22, 0.22, 0.23), (0.10, 0.10, 0.11), (1.0, 1.0, 0.97)),
}
TIMES_OF_DAY = ("auto", *SKIES)


@dataclass(frozen=True)
class Rig:
    """Indoor light rig: a shadow-casting key from above, a fill, and ambient light."""

    key_dir: tuple[float, float, float]
    key: RGB
    fill: RGB
    ambient: RGB


LIGHT_RIGS = {
    "arena": Rig((0.12, 0.3, -1.0), (0.80, 0.78, 0.72), (0.30, 0.30, 0.32), (0.36, 0.35, 0.34)),
    "home": Rig((0.3, 0.45, -1.0), (0.78, 0.70, 0.58), (0.26, 0.26, 0.30), (0.34, 0.32, 0.30)),
    "office": Rig((0.1, 0.2, -1.0), (0.74, 0.76, 0.78), (0.28, 0.30, 0.32), (0.36, 0.37, 0.38)),
    "studio": Rig((0.45, 0.55, -1.0), (0.80, 0.78, 0.74), (0.30, 0.31, 0.34), (0.34, 0.34, 0.35)),
}
WEATHERS = ("clear", "haze", "fog", "rain", "snow")
WEATHER_FOG = {"clear": 0.0, "haze": 0.35, "fog": 0.8, "rain": 0.45, "snow": 0.5}


@dataclass(frozen=True)
class Look:
    """Everything about how a Scene looks that the renderer and post-processing need."""

    indoor: bool
    sky: Sky
    rig: Rig | None  # None outdoors: the sun and sky light the scene
    fog: float  # 0..1: how thick the air is
    fog_rgb: RGB
    weather: str
    grade: Grade
    exposure: float  # EV
    f_number: float = 2.8


def scene_look(scene: Scene) -> Look:
    """The Look of a Scene: its environment's defaults, with the Setting's choices on top."""
    setting = scene.setting
    env = environment(setting.environment)
    time_of_day = getattr(setting, "time_of_day", "auto")
    if time_of_day == "auto":
        time_of_day = env.time_of_day
    sky = SKIES.get(time_of_day, SKIES["noon"])
    if env.indoor:
        sky = Sky(env.sky_top, env.sky_bottom, sky.sun_azimuth, sky.sun_elevation, sky.sun,
                  sky.ambient, sky.fill, None)
    weather = getattr(setting, "weather", "clear")
    fog = max(env.haze, WEATHER_FOG.get(weather, 0.0)) if not env.indoor else 0.0
    if env.name == "moon":
        fog = 0.0  # no air
    fog_rgb = tuple(0.5 * np.add(sky.bottom, sky.top) * (0.6 if weather in ("rain", "fog") else 1.0)
                    + (0.15 if weather in ("fog", "snow") else 0.0))
    grade = GRADE_PRESETS.get(getattr(setting, "grade", "neutral"), GRADE_PRESETS["neutral"])
    return Look(indoor=env.indoor, sky=sky, rig=LIGHT_RIGS.get(env.lights) if env.indoor else None,
                fog=fog, fog_rgb=tuple(float(c) for c in np.clip(fog_rgb, 0, 1)),
                weather=weather, grade=grade, exposure=float(getattr(setting, "exposure", 0.0)))


def _sun_vector(sky: Sky) -> np.ndarray:
    """Unit vector from the scene towards the sun."""
    az, el = math.radians(sky.sun_azimuth), math.radians(sky.sun_elevation)
    return np.array([math.cos(el) * math.cos(az), math.cos(el) * math.sin(az), math.sin(el)])


def _add_texture(spec, name: str, image: np.ndarray):
    import mujoco  # noqa: PLC0415

    tex = spec.add_texture(name=name, type=mujoco.mjtTexture.mjTEXTURE_2D,
                           width=image.shape[1], height=image.shape[0], nchannel=3)
    tex.data = np.ascontiguousarray(image[..., :3]).tobytes()
    return tex


def _textured_material(spec, name: str, texture: str, repeat: tuple[float, float],
                       roughness: float, uniform: bool = False):
    mat = spec.add_material(name=name)
    textures = [""] * 10
    textures[1] = texture  # mjTEXROLE_RGB
    mat.textures = textures
    mat.texrepeat = list(repeat)
    mat.texuniform = uniform
    mat.shininess = 0.5 * (1.0 - roughness)
    mat.specular = 0.25 * (1.0 - roughness)
    return mat


def _add_lights(spec, look: Look) -> None:
    import mujoco  # noqa: PLC0415

    def light(name, direction, diffuse, shadow, specular=0.0):
        lamp = spec.worldbody.add_light(name=name)
        lamp.type = mujoco.mjtLightType.mjLIGHT_DIRECTIONAL
        lamp.dir = list(direction)
        lamp.pos = [0.0, 0.0, 12.0]
        lamp.diffuse = list(diffuse)
        lamp.specular = [specular] * 3
        lamp.castshadow = shadow
        return lamp

    if look.rig is not None:
        rig = look.rig
        light("key", rig.key_dir, rig.key, True, 0.3)
        light("fill", (-0.4, -0.3, -0.6), rig.fill, False)
        ambient = rig.ambient
    else:
        sun = _sun_vector(look.sky)
        light("key", -sun, look.sky.sun, True, 0.3)
        # Skylight from the opposite side, tinted like the sky.
        light("fill", (sun[0], sun[1], -0.8), look.sky.fill, False)
        ambient = look.sky.ambient
    spec.visual.headlight.ambient = list(ambient)
    spec.visual.headlight.diffuse = [0.12, 0.12, 0.12]
    spec.visual.headlight.specular = [0.03, 0.03, 0.03]


def _add_sky(spec, look: Look) -> None:
    import mujoco  # noqa: PLC0415

    sky = spec.add_texture(name="sky", type=mujoco.mjtTexture.mjTEXTURE_SKYBOX,
                           builtin=mujoco.mjtBuiltin.mjBUILTIN_GRADIENT, width=256, height=1536)
    sky.rgb1 = list(look.sky.top)
    sky.rgb2 = list(look.sky.bottom)
    if look.sky.disc is not None:
        # The sun (or moon) as a glowing disc far away along the light, drawn but never touched.
        disc = spec.worldbody.add_geom(name="look:sun")
        disc.type = mujoco.mjtGeom.mjGEOM_SPHERE
        disc.size = [SUN_DISTANCE_M * 0.02, 0, 0]
        disc.pos = list(_sun_vector(look.sky) * SUN_DISTANCE_M)
        disc.rgba = [*look.sky.disc, 1.0]
        disc.contype = disc.conaffinity = 0
        mat = spec.add_material(name="look:sun")
        mat.emission = 1.0
        mat.rgba = [*look.sky.disc, 1.0]
        disc.material = "look:sun"
    if look.fog > 0:
        spec.visual.rgba.fog = [*look.fog_rgb, 1.0]
        spec.visual.rgba.haze = [*look.fog_rgb, 1.0]


def fog_range_m(look: Look) -> tuple[float, float]:
    """Distances (m) where the fog begins and where it hides everything: thicker air, nearer."""
    thin = 1.0 - look.fog
    start = 2.0 + 25.0 * thin ** 2
    return start, start + 12.0 + 250.0 * thin ** 3


# The sea's slope and bed are wet sand (darker, as WET_SAND_SHADE) seen through the water, which
# takes the red out of the light first: the deep bed darker and bluer than the shallows.
UNDERWATER_TINT = {FLOOR + "_slope": (0.78, 0.80, 0.80), FLOOR + "_bed": (0.62, 0.70, 0.74)}


def _is_floor(name: str) -> bool:
    """A geom of the floor (assets.mujoco_spec.floor_parts: one plane, or sand, slope, bed)."""
    return name == FLOOR or name.startswith(FLOOR + "_")


def _dress_floor(spec, scene: Scene, env) -> None:
    floor_name = scene.setting.floor_material or env.floor_material
    floor_mat = material(floor_name)
    texture_name = env.floor_texture if (env.floor_texture is not None
                                         and scene.setting.floor_material is None) \
        else floor_mat.texture
    image = texture_image(texture_name, floor_mat.rgb) if texture_name else None
    if image is None:
        mat = spec.add_material(name="floor_look")
        mat.rgba = [*floor_mat.rgb, 1.0]
    else:
        _add_texture(spec, "floor_tex", image)
        grounds = [g for g in spec.geoms if _is_floor(g.name)]
        if len(grounds) == 1:  # one plane: the texture repeats over its whole size
            repeat, uniform = 2 * FLOOR_HALF_SIZE_M / env.floor_tile_m, False
        else:  # a shore's sand, slope and bed: tiled by metres, the same on each
            repeat, uniform = 1.0 / env.floor_tile_m, True
        mat = _textured_material(spec, "floor_look", "floor_tex", (repeat, repeat),
                                 floor_mat.roughness, uniform=uniform)
    mat.reflectance = 0.0  # a mirrored floor draws the scene twice: too slow on a CPU
    for geom in spec.geoms:
        if _is_floor(geom.name):
            geom.material = "floor_look"
            if image is not None:
                geom.rgba = [1.0, 1.0, 1.0, 1.0]
            if geom.name in UNDERWATER_TINT:  # seen through the sea: wet, and bluer with depth
                geom.rgba = [*UNDERWATER_TINT[geom.name], 1.0]


WALL_TILE_M = {"gym_wall": (1.6, None), "windows": (5.0, 5.0), "wallpaper": (1.0, 1.0),
               "wall_tiles": (0.8, 0.8), "office_wall": (3.0, 3.0), "plaster": (3.0, 3.0)}


def _face_frame(part) -> tuple[np.ndarray, np.ndarray, tuple[float, float]] | None:
    """Centre, quaternion and half-size of the face of a wall box that looks towards the set."""
    from scipy.spatial.transform import Rotation  # noqa: PLC0415

    size, pos = np.array(part.size[:3], float), np.array(part.pos, float)
    axis = int(np.argmin(size[:2]))
    if abs(pos[axis]) < 1e-6:
        return None
    normal = np.zeros(3)
    normal[axis] = -math.copysign(1.0, pos[axis])
    up = np.array([0.0, 0.0, 1.0])
    x_axis = np.cross(up, normal)
    rotation = Rotation.from_matrix(np.column_stack([x_axis, up, normal]))
    x, y, z, w = rotation.as_quat()
    centre = pos + normal * (size[axis] + 0.004)
    return centre, np.array([w, x, y, z]), (float(size[1 - axis]), float(size[2]))


def _dress_walls(spec, env) -> None:
    """Walls and facades get a textured face towards the set (drawn only, cut away with them)."""
    import mujoco  # noqa: PLC0415

    if env.wall_texture is None:
        return
    image = texture_image(env.wall_texture, (0.85, 0.85, 0.85))
    if image is None:
        return
    _add_texture(spec, "wall_tex", image)
    tile_x, tile_y = WALL_TILE_M.get(env.wall_texture, (3.0, 3.0))
    for part in env.parts:
        if part.shape != "box" or not part.name.startswith(("wall", "backdrop", "building")):
            continue
        face = _face_frame(part)
        if face is None:
            continue
        centre, quat, (half_w, half_h) = face
        repeat = (2 * half_w / tile_x, 1.0 if tile_y is None else 2 * half_h / tile_y)
        mat = _textured_material(spec, f"look:{part.name}", "wall_tex", repeat, 0.9)
        if env.wall_texture == "windows":
            mat.emission = 0.5
        geom = spec.worldbody.add_geom(name=f"{ENV_PREFIX}{part.name}/face")
        geom.type = mujoco.mjtGeom.mjGEOM_PLANE
        geom.size = [half_w, half_h, 0.1]
        geom.pos = list(centre)
        geom.quat = list(quat)
        geom.contype = geom.conaffinity = 0
        geom.material = mat.name
        geom.rgba = [1.0, 1.0, 1.0, 1.0]


COURT_BASKET_X = -14.0 + 1.575  # the left basket's centre in the court decal's frame (FIBA)


def _court_under_hoop(scene: Scene, decal):
    """The court decal turned and shifted so that its nearer basket lies under the scene's hoop."""
    from worldreel.assets.mujoco_spec import anchor_point, entity_asset  # noqa: PLC0415

    for entity in scene.entities:
        if "rim" not in entity_asset(entity).anchors:
            continue
        rim = anchor_point(entity, "rim")
        facing = rim[:2] - np.array(entity.position[:2])
        if np.linalg.norm(facing) < 1e-6:
            return decal
        yaw = math.atan2(facing[1], facing[0])
        c, s = math.cos(yaw), math.sin(yaw)
        pos = rim[:2] - np.array([c * COURT_BASKET_X, s * COURT_BASKET_X])
        return replace(decal, pos=(float(pos[0]), float(pos[1])), yaw=math.degrees(yaw))
    return decal


def _floor_around(spec, decal, tile_m: float) -> None:
    """Re-cut the drawn floor into four strips around the first decal instead of under it.

    A software rasterizer pays for every covered pixel of every layer: a decal lying on the
    floor would cost a second full-screen layer. Physics keeps its own whole floor.
    """
    import mujoco  # noqa: PLC0415

    floor = next(g for g in spec.geoms if g.name == FLOOR)
    big, (hx, hy) = FLOOR_HALF_SIZE_M, decal.half_size
    yaw = math.radians(decal.yaw)
    c, s = math.cos(yaw), math.sin(yaw)
    strips = [((-(big + hx) / 2, 0.0), ((big - hx) / 2, big)),
              (((big + hx) / 2, 0.0), ((big - hx) / 2, big)),
              ((0.0, -(big + hy) / 2), (hx, (big - hy) / 2)),
              ((0.0, (big + hy) / 2), (hx, (big - hy) / 2))]
    # A plane of size 0 is infinite in MuJoCo: strips with nothing left to cover are dropped.
    strips = [strip for strip in strips if min(strip[1]) > 1e-3]
    for n, ((x, y), (sx, sy)) in enumerate(strips):
        geom = floor if n == 0 else spec.worldbody.add_geom(name=f"look:floor{n}")
        geom.type = mujoco.mjtGeom.mjGEOM_PLANE
        geom.size = [sx, sy, 0.5]
        geom.pos = [decal.pos[0] + c * x - s * y, decal.pos[1] + s * x + c * y, 0.0]
        geom.quat = [math.cos(yaw / 2), 0.0, 0.0, math.sin(yaw / 2)]
        if n:
            geom.contype = geom.conaffinity = 0
            geom.material = floor.material
            geom.rgba = list(floor.rgba)
        material = spec.material(floor.material) if floor.material else None
        if material is not None and n == 0:
            material.texuniform = True  # tiles by metres, the same on every strip
            material.texrepeat = [1.0 / tile_m, 1.0 / tile_m]


def _add_decals(spec, env, scene: Scene) -> None:
    import mujoco  # noqa: PLC0415

    for n, decal in enumerate(env.decals):
        if decal.texture == "court_lines":
            decal = _court_under_hoop(scene, decal)
        if n == 0:
            _floor_around(spec, decal, env.floor_tile_m)
        image = decal_image(decal.texture)
        _add_texture(spec, f"decal_tex{n}", image)
        mat = _textured_material(spec, f"decal{n}", f"decal_tex{n}", (1.0, 1.0), 0.6)
        geom = spec.worldbody.add_geom(name=f"look:decal{n}")
        geom.type = mujoco.mjtGeom.mjGEOM_PLANE
        geom.size = [decal.half_size[0], decal.half_size[1], 0.1]
        geom.pos = [decal.pos[0], decal.pos[1], 0.0 if n == 0 else DECAL_LIFT_M]
        yaw = math.radians(decal.yaw) / 2
        geom.quat = [math.cos(yaw), 0.0, 0.0, math.sin(yaw)]
        geom.contype = geom.conaffinity = 0
        geom.material = mat.name
        geom.rgba = [1.0, 1.0, 1.0, 1.0]


def dress_spec(spec, scene: Scene, look: Look | None = None, *, msaa: int = 0,
               shadow_size: int = 2048) -> None:
    """Add sky, sun, lights, haze and materials to a spec built by assets.mujoco_spec.build_spec."""
    env = environment(scene.setting.environment)
    look = look or scene_look(scene)
    spec.visual.quality.shadowsize = shadow_size
    spec.visual.quality.offsamples = msaa
    spec.visual.map.znear = 0.01
    spec.visual.map.zfar = 200.0
    _add_lights(spec, look)
    _add_sky(spec, look)
    _dress_floor(spec, scene, env)
    _dress_walls(spec, env)
    _add_decals(spec, env, scene)
    _dress_water(spec, scene)


WATER_SHINE = (0.6, 0.9)  # specular, shininess: the sun glints on open water
SEA_TILE_M = 6.0  # one tile of the sea's ripple texture covers this many metres
FOAM_RGBA = (0.96, 0.98, 0.98, 0.45)  # surf where the water meets the sand
FOAM_HALF_WIDTH_M = 0.15
FOAM_THICK_M = 0.01  # half: the surf lies on the still water, no wall standing over the sand
WET_SAND_M = 0.9  # the band of darker, wet sand before the water's edge
WET_SAND_SHADE = 0.82


def _dress_water(spec, scene: Scene) -> None:
    """Open water catches the sun and has ripples; where it meets the sand there is a line of
    surf and a band of wet sand (all drawn only)."""
    import mujoco  # noqa: PLC0415

    water = water_of(scene.setting)
    seas = [g for g in spec.geoms if g.name in (SEA, ENV_PREFIX + "sea_far")]
    if water is None or water.shore is None or not seas:
        return
    colour = seas[0].rgba[:3]
    _add_texture(spec, "sea_tex", texture_image("sea", tuple(colour)))
    mat = _textured_material(spec, "look:sea", "sea_tex", (1.0 / SEA_TILE_M, 1.0 / SEA_TILE_M),
                             0.2, uniform=True)
    mat.specular, mat.shininess = WATER_SHINE
    mat.reflectance = 0.0
    for geom in seas:
        geom.material = mat.name
        geom.rgba = [1.0, 1.0, 1.0, float(geom.rgba[3])]
    ux, uy = water.toward
    yaw = math.atan2(uy, ux) / 2
    quat = [math.cos(yaw), 0.0, 0.0, math.sin(yaw)]
    along = SEA_HALF_WIDTH_M
    foam = spec.worldbody.add_geom(name="look:surf")
    foam.type = mujoco.mjtGeom.mjGEOM_BOX
    foam.size = [FOAM_HALF_WIDTH_M, along, FOAM_THICK_M]
    at = water.shore + FOAM_HALF_WIDTH_M  # on the water where it runs up the beach slope
    foam.pos = [ux * at, uy * at, water.level]
    foam.quat = quat
    foam.rgba = list(FOAM_RGBA)
    surf = spec.add_material(name="look:surf")
    surf.emission = 0.3  # the white of broken water, lit from every side
    surf.rgba = list(FOAM_RGBA)
    foam.material = surf.name
    foam.contype = foam.conaffinity = 0
    floor = material(scene.setting.floor_material or environment(scene.setting.environment)
                     .floor_material)
    wet = spec.worldbody.add_geom(name="look:wet_sand")
    wet.type = mujoco.mjtGeom.mjGEOM_PLANE
    wet.size = [WET_SAND_M / 2, along, 0.1]
    at = water.shore - WET_SAND_M / 2
    wet.pos = [ux * at, uy * at, DECAL_LIFT_M]
    wet.quat = quat
    wet.rgba = [*(WET_SAND_SHADE * c for c in floor.rgb), 0.5]
    wet.contype = wet.conaffinity = 0


def weather_particles(look: Look, t: float, around: np.ndarray, rng_seed: int,
                      count: int = 400) -> tuple[np.ndarray, np.ndarray] | None:
    """Positions (n, 3) and half-sizes (n, 3) of rain streaks or snowflakes at time t, or None.

    Particles fill a box around the camera target and fall through it, wrapping at the bottom;
    the same seed gives the same weather, so every worker draws the same drops.
    """
    if look.weather not in ("rain", "snow"):
        return None
    rng = np.random.default_rng(rng_seed)
    box = np.array([12.0, 12.0, 8.0])
    start = rng.random((count, 3)) * box
    if look.weather == "rain":
        speed, drift = 9.0, np.array([0.6, 0.2])
        half = np.array([0.004, 0.004, 0.12])
    else:
        speed, drift = 1.1, np.array([0.3, 0.15])
        half = np.array([0.018, 0.018, 0.018])
    pos = start.copy()
    pos[:, 2] -= speed * t
    pos[:, :2] += drift * t
    if look.weather == "snow":
        phase = rng.random(count) * 2 * math.pi
        pos[:, 0] += 0.25 * np.sin(1.3 * t + phase)
    centre = np.array([around[0], around[1], 0.0]) - np.array([box[0] / 2, box[1] / 2, 0.0])
    pos = np.mod(pos - centre, box) + centre
    return pos, np.broadcast_to(half, pos.shape)
