"""Render: camera planning from shots + Recording, and the preview renderer (MuJoCo OpenGL)."""

from worldreel.render.camera import (
    fov_to_focal_length,
    focal_length_to_fov,
    plan_camera,
    shot_of_frames,
)
from worldreel.render.preview import RenderOptions, render_frames

__all__ = ["RenderOptions", "fov_to_focal_length", "focal_length_to_fov", "plan_camera",
           "render_frames", "shot_of_frames"]
