"""People in the Scene: who they are (body, outfit, hair) and their script of actions.

A character's script is a list of actions, each at an absolute time or `after:` another action
(of any character or entity), each naming what it acts on: a thing, another character, or a
place on the floor. The animation stage turns scripts into joint and face-unit tracks; physics
plays the limbs as kinematic bodies that touch the world.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, field_validator, model_validator

from worldreel.scene.base import HEX_COLOUR, Identifier, Model, Name, Point2, at_most
from worldreel.scene.limits import MAX_ANGLE_DEG, MAX_SCRIPT_STEPS, MAX_TIME_S

# Every verb a character can be told; animation.verbs says how each is performed.
VERBS = (
    "idle", "walk", "run", "turn", "sit", "stand_up", "lie_down", "jump", "fall", "get_up",
    "wave", "point", "clap", "nod", "shake_head", "shrug", "talk", "look_at",
    "reach", "pick_up", "hold", "carry", "put_down", "hand_over", "drink", "read",
    "throw", "throw_underhand", "catch", "kick", "push", "pull", "punch", "block",
    "dance", "type", "write", "chop", "drum", "swing",
)
Verb = Literal[VERBS]  # type: ignore[valid-type]

SKIN_TONES = ("very_light", "light", "medium_light", "medium", "medium_dark", "dark", "very_dark")
TOPS = ("none", "t_shirt", "shirt", "tank_top", "sweater", "jacket", "coat", "raincoat", "dress")
BOTTOMS = ("none", "trousers", "jeans", "shorts", "skirt")
SHOES = ("barefoot", "shoes", "sneakers", "boots")
HATS = ("none", "cap", "beanie", "sun_hat", "top_hat", "chef_hat", "helmet")
UNIFORMS = ("none", "chef", "referee", "astronaut", "boxer", "doctor", "police")
HAIR_STYLES = ("bald", "buzz", "short", "medium", "long", "ponytail", "bun", "curly")
HAIR_COLOURS = ("black", "dark_brown", "brown", "auburn", "red", "blonde", "grey", "white")


def _colour(value: str | None) -> str | None:
    if value is not None and not HEX_COLOUR.match(value):
        raise ValueError(f"colour {value!r} must be written as #rrggbb")
    return value


class BodySpec(Model):
    """A body: age in years, gender from 0 (female) to 1 (male), weight and muscle from 0 to 1
    (0.5 is average), height in metres (None: the median for the age and gender), skin tone."""

    age: float = Field(30.0, ge=1.0, le=100.0)
    gender: float = Field(0.5, ge=0.0, le=1.0)
    weight: float = Field(0.5, ge=0.0, le=1.0)
    muscle: float = Field(0.5, ge=0.0, le=1.0)
    height: float | None = Field(None, ge=0.6, le=2.3)
    skin: Name = Field("medium", description=f"one of {', '.join(SKIN_TONES)} or #rrggbb")

    @field_validator("gender", mode="before")
    @classmethod
    def _named_gender(cls, value: object) -> object:
        names = {"female": 0.0, "woman": 0.0, "girl": 0.0, "male": 1.0, "man": 1.0, "boy": 1.0}
        if isinstance(value, str) and value.lower() in names:
            return names[value.lower()]
        return value

    @field_validator("skin")
    @classmethod
    def _skin(cls, value: str) -> str:
        if value not in SKIN_TONES and not HEX_COLOUR.match(value):
            raise ValueError(f"skin {value!r}: choose {', '.join(SKIN_TONES)} or #rrggbb")
        return value


class Outfit(Model):
    """What a character wears. A uniform dresses the whole body for a role; colours are #rrggbb
    (None: the garment's usual colour)."""

    top: Literal[TOPS] = "t_shirt"  # type: ignore[valid-type]
    top_color: Name | None = None
    bottom: Literal[BOTTOMS] = "trousers"  # type: ignore[valid-type]
    bottom_color: Name | None = None
    shoes: Literal[SHOES] = "sneakers"  # type: ignore[valid-type]
    shoes_color: Name | None = None
    hat: Literal[HATS] = "none"  # type: ignore[valid-type]
    hat_color: Name | None = None
    uniform: Literal[UNIFORMS] = "none"  # type: ignore[valid-type]

    @field_validator("top_color", "bottom_color", "shoes_color", "hat_color")
    @classmethod
    def _colours(cls, value: str | None) -> str | None:
        return _colour(value)


class Hair(Model):
    style: Literal[HAIR_STYLES] = "short"  # type: ignore[valid-type]
    color: Name = Field("brown", description=f"one of {', '.join(HAIR_COLOURS)} or #rrggbb")

    @field_validator("color")
    @classmethod
    def _hair_colour(cls, value: str) -> str:
        if value not in HAIR_COLOURS and not HEX_COLOUR.match(value):
            raise ValueError(f"hair colour {value!r}: choose {', '.join(HAIR_COLOURS)} "
                             "or #rrggbb")
        return value


class CharacterAction(Model):
    """One step of a character's script.

    `target`: the id of a thing or another character the action is done to or towards;
    `place`: a point on the floor (x, y) to go to or act at. `duration` (s) stretches actions
    that last (talk, dance, hold); `speed` is m/s for walk and run and the speed given to a
    thrown or kicked thing.
    """

    id: Identifier | None = None
    do: Verb
    at: float | None = Field(None, ge=0.0, le=MAX_TIME_S)
    after: Identifier | None = None
    delay: float = Field(0.0, ge=0.0, le=MAX_TIME_S)
    target: Identifier | None = None
    place: Point2 | None = None
    duration: float | None = Field(None, gt=0.0, le=60.0)
    speed: float | None = Field(None, gt=0.0, le=40.0)

    @model_validator(mode="after")
    def _one_clock(self) -> "CharacterAction":
        if self.at is not None and self.after is not None:
            raise ValueError("give either 'at' or 'after', not both")
        return self


class Character(Model):
    """A person: identity (body, outfit, hair), where they stand at the start and which way
    they face (degrees about z, 0 = +x), what they hold, and their script."""

    id: Identifier
    body: BodySpec = BodySpec()
    outfit: Outfit = Outfit()
    hair: Hair = Hair()
    position: Point2 = (0.0, 0.0)
    facing: float = Field(0.0, ge=-MAX_ANGLE_DEG, le=MAX_ANGLE_DEG)
    holds: Identifier | None = Field(None, description="a thing in the right hand from the start")
    left_hand: Identifier | None = Field(None, description="a thing on the left hand all clip "
                                                           "long (a catcher's mitt)")
    script: tuple[CharacterAction, ...] = ()

    _few_steps = at_most("script", MAX_SCRIPT_STEPS, "script steps")

