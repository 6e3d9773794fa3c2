"""Procedural assets, environments and the materials table, and their MuJoCo geometry."""

from worldreel.assets.materials import MATERIALS, MEDIA, Acoustic, Material, Medium, material
from worldreel.assets.environments import ENVIRONMENTS, Environment, environment, room_interior
from worldreel.assets.registry import ASSETS, Asset, Part, asset
from worldreel.assets.scene_check import check_scene_assets

__all__ = [
    "ASSETS", "ENVIRONMENTS", "MATERIALS", "MEDIA", "Acoustic", "Asset", "Environment",
    "Material", "Medium", "Part", "asset", "check_scene_assets", "environment", "material",
    "room_interior",
]
