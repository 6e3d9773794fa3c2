"""Four-legged animals: the species table (species.yaml), bodies with skeletons, their look and
their collision geoms."""

from worldreel.assets.animals.body import (LEGS, AnimalBody, body_of_animal, build_body,
                                           coat_names, species_table)
from worldreel.assets.animals.looks import AnimalPart, animal_parts
from worldreel.assets.animals.segments import animal_segments, animal_segments_of, foot_bones

__all__ = ["LEGS", "AnimalBody", "AnimalPart", "animal_parts", "animal_segments",
           "animal_segments_of", "body_of_animal", "build_body", "coat_names", "foot_bones",
           "species_table"]
