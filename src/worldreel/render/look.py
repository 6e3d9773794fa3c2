"""Dressing a geometry spec for the preview: sky, lights, shadows, floor texture, antialiasing."""

from __future__ import annotations

import numpy as np

from worldreel.assets import environment, material
from worldreel.assets.mujoco_spec import FLOOR
from worldreel.render.textures import texture_image
from worldreel.scene import Scene

SHADOW_MAP = 4096
MSAA_SAMPLES = 4
FLOOR_TILE_M = 2.0  # one texture tile covers this many metres


def dress_spec(spec, scene: Scene) -> None:
    """Add sky, lights and floor material to a spec built by assets.mujoco_spec.build_spec."""
    import mujoco  # noqa: PLC0415

    env = environment(scene.setting.environment)
    spec.visual.quality.shadowsize = SHADOW_MAP
    spec.visual.quality.offsamples = MSAA_SAMPLES
    spec.visual.headlight.ambient = [0.28, 0.28, 0.28] if env.indoor else [0.22, 0.23, 0.26]
    spec.visual.headlight.diffuse = [0.25, 0.25, 0.25]
    spec.visual.headlight.specular = [0.05, 0.05, 0.05]
    spec.visual.map.znear = 0.01
    spec.visual.map.zfar = 200.0

    sky = spec.add_texture(name="sky", type=mujoco.mjtTexture.mjTEXTURE_SKYBOX,
                           builtin=mujoco.mjtBuiltin.mjBUILTIN_GRADIENT, width=512, height=3072)
    sky.rgb1 = list(env.sky_top)
    sky.rgb2 = list(env.sky_bottom)

    # Key light: a high sun (outdoors) or ceiling lights (indoors), casting soft shadows.
    key = spec.worldbody.add_light(name="key")
    key.type = mujoco.mjtLightType.mjLIGHT_DIRECTIONAL
    key.dir = [0.35, 0.5, -1.0] if not env.indoor else [0.15, 0.25, -1.0]
    key.pos = [0.0, 0.0, 12.0]
    key.diffuse = [0.75, 0.72, 0.66] if not env.indoor else [0.62, 0.6, 0.56]
    key.specular = [0.3, 0.3, 0.3]
    key.castshadow = True
    fill = spec.worldbody.add_light(name="fill")
    fill.type = mujoco.mjtLightType.mjLIGHT_DIRECTIONAL
    fill.dir = [-0.4, -0.3, -0.6]
    fill.diffuse = [0.22, 0.24, 0.28]
    fill.specular = [0.0, 0.0, 0.0]
    fill.castshadow = False

    floor_name = scene.setting.floor_material or env.floor_material
    floor_mat = material(floor_name)
    texture_name = env.floor_texture if env.floor_texture is not None else floor_mat.texture
    image = texture_image(texture_name, floor_mat.rgb) if texture_name else None
    mat = spec.add_material(name="floor_look")
    mat.reflectance = 0.12 if floor_mat.roughness < 0.5 else 0.0
    mat.shininess = 1.0 - floor_mat.roughness
    mat.specular = 0.3 * (1.0 - floor_mat.roughness)
    if image is not None:
        tex = spec.add_texture(name="floor_tex", type=mujoco.mjtTexture.mjTEXTURE_2D,
                               width=image.shape[1], height=image.shape[0], nchannel=3)
        tex.data = np.ascontiguousarray(image).tobytes()
        textures = [""] * 10
        textures[1] = "floor_tex"  # mjTEXROLE_RGB
        mat.textures = textures
        repeat = 2 * 40.0 / FLOOR_TILE_M
        mat.texrepeat = [repeat, repeat]
    else:
        mat.rgba = [*floor_mat.rgb, 1.0]
    for geom in spec.geoms:
        if geom.name == FLOOR:
            geom.material = "floor_look"
            if image is not None:
                geom.rgba = [1.0, 1.0, 1.0, 1.0]
