"""Render: camera planning from shots + Recording, and the preview renderer (MuJoCo OpenGL)."""

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
