"""Animals in the Scene: four-legged animals (a dog of some breed, a cat, a horse...), where they
stand, and their script of actions.

The names here are the Scene's vocabulary; what each species and breed looks like, weighs and
how fast it moves is data in assets/animals/species.yaml. An animal's script is read like a
person's: each step at an absolute time or `after:` another action, towards a thing, a person,
another animal or a place on the floor. Its lines (a bark, a meow) are `Line(sound=...,
speaker=<animal id>)`.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from worldreel.scene.base import HEX_COLOUR, Identifier, Model, Name, Point2, at_most
from worldreel.scene.characters import ScriptStep
from worldreel.scene.limits import MAX_ANGLE_DEG, MAX_SCRIPT_STEPS

SPECIES = ("dog", "cat", "horse", "cow", "sheep", "bear", "elephant", "zebra", "giraffe")
# Breeds differ by proportion (legs, body, ears, coat); only dogs have them here.
BREEDS: dict[str, tuple[str, ...]] = {
    "dog": ("labrador", "german_shepherd", "corgi", "dachshund", "husky", "poodle", "beagle",
            "chihuahua"),
}

# walk, trot, canter and gallop are gaits by name; run picks the gait from the speed asked
# (or the species' gallop); jump goes over `target` (a thing) or up in place; fetch goes to
# the target thing, takes it in the mouth and brings it back (to `place`, or the thrower, or
# where it started); catch takes a thing thrown at the animal in the mouth; chase follows a
# moving person or animal (or runs to a thing); wag wags the tail; speak opens the mouth
# (a bark is a Line with a sound: this is for a silent yap).
ANIMAL_VERBS = ("idle", "walk", "trot", "canter", "gallop", "run", "turn", "jump", "sit",
                "lie_down", "stand_up", "fetch", "catch", "chase", "wag", "look_at")
AnimalVerb = Literal[ANIMAL_VERBS]  # type: ignore[valid-type]
GAIT_VERBS = ("walk", "trot", "canter", "gallop", "run")
MIN_ANIMAL_SIZE, MAX_ANIMAL_SIZE = 0.3, 2.0  # times the species' typical size


class AnimalAction(ScriptStep):
    """One step of an animal's script (fields as a person's CharacterAction). `speed`: m/s of
    a gait (run: the gait is chosen by it)."""

    do: AnimalVerb
    speed: float | None = Field(None, gt=0.0, le=25.0,
                                description="m/s (a racing greyhound or horse: ~18)")

    @model_validator(mode="after")
    def _needs_what(self) -> "AnimalAction":
        if self.do in ("fetch", "catch", "chase") and self.target is None:
            raise ValueError(f"{self.do} needs a target (the id of what to {self.do})")
        return self


class Animal(Model):
    """A four-legged animal: its species (and breed, for dogs), coat (a named coat of the
    species or #rrggbb; None: the species' first), size (times the species' typical size),
    where it stands at the start, which way it faces (degrees about z, 0 = +x), its script."""

    id: Identifier
    species: Literal[SPECIES]  # type: ignore[valid-type]
    breed: Name | None = None
    coat: Name | None = None
    size: float = Field(1.0, ge=MIN_ANIMAL_SIZE, le=MAX_ANIMAL_SIZE,
                        description=f"{MIN_ANIMAL_SIZE}..{MAX_ANIMAL_SIZE} times the species' "
                                    "(breed's) typical size")
    position: Point2 = (0.0, 0.0)
    facing: float = Field(0.0, ge=-MAX_ANGLE_DEG, le=MAX_ANGLE_DEG)
    script: tuple[AnimalAction, ...] = ()

    _few_steps = at_most("script", MAX_SCRIPT_STEPS, "script steps")

    @field_validator("coat")
    @classmethod
    def _coat(cls, value: str | None) -> str | None:
        if value is not None and value.startswith("#") and not HEX_COLOUR.match(value):
            raise ValueError(f"coat {value!r}: a colour is written #rrggbb")
        return value

    @model_validator(mode="after")
    def _known_breed(self) -> "Animal":
        breeds = BREEDS.get(self.species, ())
        if self.breed is not None and self.breed not in breeds:
            if not breeds:
                raise ValueError(f"breed: a {self.species} has no breeds here; leave breed out")
            raise ValueError(f"breed {self.breed!r} is not a {self.species} breed; choose "
                             f"{', '.join(breeds)}")
        return self
