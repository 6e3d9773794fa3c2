"""Flocks of birds and schools of fish in a Scene: which species, how many, where they stand,
perch or swim, and their script (take off, scatter, fly to, circle, land, swim).

Birds and fish barely push the world, so they are not simulated in MuJoCo: they are flown and
swum after the simulation, from its Recording (physics.flocks). This module is only their data.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from worldreel.scene.base import Identifier, Model, Point2, at_most
from worldreel.scene.limits import MAX_FLOCK, MAX_SCRIPT_STEPS, MAX_TIME_S

# Species the asset table (assets/flocks.yaml) describes: sizes, colours, wingbeat, flight
# initiation distance. Birds first, then fish (which need water).
BIRD_SPECIES = ("pigeon", "sparrow", "crow", "seagull")
FISH_SPECIES = ("goldfish", "carp", "trout")
FLOCK_SPECIES = BIRD_SPECIES + FISH_SPECIES
FLOCK_VERBS = ("idle", "peck", "take_off", "scatter", "fly_to", "circle", "land", "swim")
BIRD_VERBS = ("idle", "peck", "take_off", "scatter", "fly_to", "circle", "land")
FISH_VERBS = ("idle", "swim", "scatter")


class FlockAction(Model):
    """One step of a flock's script, for every member at once.

    idle, peck: carry on (on the ground: walking about, feeding); take_off: rise and circle over
    the area (or `place`); scatter: burst away from `target` (a thing, a person) or out from the
    flock's middle;
    fly_to: fly to `place`; circle: wheel over `place` (or the area); land: come down at `place`
    (or the area) and stand; swim (fish): swim to `place` (or about the area).
    `at` (clip s) or `after` an action, step or line ends, plus `delay`; with neither, when the
    flock's previous step ends. `duration` (s): how long a circle or swim lasts before the next
    step may follow (0: at once).
    """

    id: Identifier | None = None
    do: Literal[FLOCK_VERBS]  # type: ignore[valid-type]
    at: float | None = Field(None, ge=0.0, le=MAX_TIME_S)
    after: Identifier | None = None
    delay: float = Field(0.0, ge=0.0, le=MAX_TIME_S)
    place: Point2 | None = None
    target: Identifier | None = Field(None, description="what they flee (scatter)")
    duration: float | None = Field(None, gt=0.0, le=60.0)

    @model_validator(mode="after")
    def _one_clock(self) -> "FlockAction":
        if self.at is not None and self.after is not None:
            raise ValueError("give either 'at' or 'after', not both")
        if self.do == "fly_to" and self.place is None:
            raise ValueError("fly_to needs a place (x, y) to fly to")
        return self


class Flock(Model):
    """A flock of `count` birds (or a school of fish) of one species, spread over a disc of
    `radius` m about `centre`. `altitude`: None, birds stand on the ground; a height (m above
    the ground), they start in the air, circling there. Fish: their depth below the water's
    surface (None: half the water's depth). Birds on the ground take off by themselves when
    something moving comes within their flight initiation distance."""

    id: Identifier
    species: Literal[FLOCK_SPECIES]  # type: ignore[valid-type]
    count: int = Field(12, ge=1, le=MAX_FLOCK)
    centre: Point2 = (0.0, 0.0)
    radius: float = Field(1.5, gt=0.0, le=50.0, description="m; where they stand or swim")
    altitude: float | None = Field(None, ge=0.0, le=100.0,
                                   description="birds: m above ground (None: on the ground); "
                                               "fish: m below the water surface")
    script: tuple[FlockAction, ...] = ()

    _few_steps = at_most("script", MAX_SCRIPT_STEPS, "flock script steps")

    @model_validator(mode="after")
    def _verbs_fit_species(self) -> "Flock":
        fish = self.species in FISH_SPECIES
        allowed = FISH_VERBS if fish else BIRD_VERBS
        for k, step in enumerate(self.script):
            if step.do not in allowed:
                raise ValueError(f"script[{k}].do {step.do!r}: a {self.species} cannot "
                                 f"{step.do}; choose from {', '.join(allowed)}")
        return self

    @property
    def is_fish(self) -> bool:
        return self.species in FISH_SPECIES


def check_flocks(flocks: tuple[Flock, ...], ids: set[str], action_ids: set[str],
                 has_water: bool) -> None:
    """Flock ids are unique among everything, every target and `after:` exists, fish have water
    (raises ValueError naming the field)."""
    seen: set[str] = set()
    for n, flock in enumerate(flocks):
        where = f"flocks[{n}]"
        if flock.id in ids or flock.id in seen:
            raise ValueError(f"{where}.id {flock.id!r} is already used by another flock, entity "
                             "or character; give it its own id")
        seen.add(flock.id)
        if flock.is_fish and not has_water:
            raise ValueError(f"{where}: {flock.species} need water; set setting.water_level "
                             "(a pond's depth, m) or a sea, or choose a bird")
        for k, step in enumerate(flock.script):
            if step.target is not None and step.target not in ids:
                raise ValueError(f"{where}.script[{k}].target {step.target!r} is not an entity "
                                 "or character id")
            if step.after is not None and step.after not in action_ids:
                raise ValueError(f"{where}.script[{k}].after {step.after!r} is not an action, "
                                 "step or line id")
