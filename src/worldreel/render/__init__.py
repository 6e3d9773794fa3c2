"""Render: camera planning from shots + Recording, and the preview renderer (MuJoCo OpenGL).

camera: shot sizes, lenses, moves and framing -> CameraTrack. look: sky, sun, light rigs, haze,
floor/wall/decal materials, weather. textures: procedural images. post: antialiasing, filmic tone,
grades, vignette, grain, depth of field. preview: the parallel worker pool (Preview, render_frames)
and AOVs (aov: the clip_aov/ folder).
"""

from worldreel.render.camera import (
    project,
    shot_fov,
    fov_to_focal_length,
    focal_length_to_fov,
    plan_camera,
    shot_of_frames,
)
from worldreel.render.preview import Preview, RenderOptions, render_frames

__all__ = ["Preview", "RenderOptions", "project", "shot_fov", "fov_to_focal_length", "focal_length_to_fov", "plan_camera",
           "render_frames", "shot_of_frames"]
