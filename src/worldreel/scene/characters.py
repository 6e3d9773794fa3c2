"""People in the Scene: who they are (body, outfit, hair) and their script of actions.

A character's script is a list of actions, each at an absolute time or `after:` another action
(of any character or entity), each naming what it acts on: a thing, another character, or a
place on the floor. The animation stage turns scripts into joint and face-unit tracks; physics
plays the limbs as kinematic bodies that touch the world.
"""

from __future__ import annotations

import unicodedata
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
# What a rider does in the saddle: the upper body's verbs (the mount does the moving; a wave,
# a point, a clap or a shrug takes a hand off the bars or reins for its length).
RIDING_VERBS = ("idle", "wave", "point", "clap", "nod", "shake_head", "shrug", "talk",
                "look_at")
# Animals a person can ride (a Scene's species that carry a rider in a saddle).
RIDEABLE_SPECIES = ("horse",)

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


class ScriptStep(Model):
    """What every step of a script holds, a person's or an animal's: its verb (`do`, narrowed
    by each kind of script), its clock (`at` or `after` another action, plus `delay`), what it
    acts on (`target`, an id) or where (`place`, a floor point), how long it lasts and how
    fast it goes."""

    id: Identifier | None = None
    do: str
    at: float | None = Field(None, ge=0.0, le=MAX_TIME_S)
    after: Identifier | None = None
    delay: float = Field(0.0, ge=0.0, le=MAX_TIME_S)
    target: Identifier | None = None
    place: Point2 | None = None
    duration: float | None = Field(None, gt=0.0, le=60.0)
    speed: float | None = Field(None, gt=0.0)

    @model_validator(mode="after")
    def _one_clock(self) -> "ScriptStep":
        if self.at is not None and self.after is not None:
            raise ValueError("give either 'at' or 'after', not both")
        return self


class CharacterAction(ScriptStep):
    """One step of a character's script.

    `target`: the id of a thing or another character the action is done to or towards;
    `place`: a point on the floor (x, y) to go to or act at. `duration` (s) stretches actions
    that last (talk, dance, hold); `speed` is m/s for walk and run and the speed given to a
    thrown or kicked thing.
    """

    do: Verb
    speed: float | None = Field(None, gt=0.0, le=40.0)


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
    rides: Identifier | None = Field(None, description="the id of a two-wheeler (bicycle, "
                                                       "motorcycle, scooter, skateboard) or a "
                                                       "horse ridden all clip long")

    _few_steps = at_most("script", MAX_SCRIPT_STEPS, "script steps")

    @model_validator(mode="after")
    def _rider(self) -> "Character":
        # A rider is where the mount is and goes where it goes: a position or facing of their
        # own could only disagree with it, so they are refused rather than silently dropped.
        if self.rides is None:
            return self
        if tuple(self.position) != (0.0, 0.0) or self.facing != 0.0:
            raise ValueError(f"rides: a rider sits where {self.rides!r} is and faces its way; "
                             "leave position and facing out (place the mount instead)")
        if self.holds is not None or self.left_hand is not None:
            raise ValueError(f"rides: a rider's hands are on {self.rides!r}'s bars or reins; "
                             "leave holds and left_hand out")
        for k, step in enumerate(self.script):
            if step.do not in RIDING_VERBS:
                raise ValueError(
                    f"script[{k}]: {self.id!r} rides {self.rides!r} and cannot {step.do} in "
                    f"the saddle; move the mount instead (a drive action for a vehicle, a "
                    f"walk, trot or gallop step in the horse's script); a rider can "
                    f"{', '.join(RIDING_VERBS)}")
        return self



# A voice as a Line gives it: `engine:name` or a bare espeak voice (models.Line.voice).
VOICE_PATTERN = r"^([a-z]+:)?[A-Za-z0-9][A-Za-z0-9_.+-]{0,63}$"
MAX_LOOK_NAME_CHARS = 32


def name_to_id(name: str) -> str:
    """The character id a name gives: lower case, accents dropped ("Zoë" -> "zoe")."""
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return folded.lower()


class NamedLook(Model):
    """A person kept by name to be cast again ("Maya waves"): a look (body, outfit, hair) and
    the voice their lines are spoken in (None: one cast to fit the body). The name is one word
    of letters; the character cast from it has the id `name_to_id(name)` ('maya')."""

    name: str = Field(min_length=1, max_length=MAX_LOOK_NAME_CHARS,
                      pattern=r"^[^\W\d_]+$", description="one word of letters, e.g. Maya")
    body: BodySpec = BodySpec()
    outfit: Outfit = Outfit()
    hair: Hair = Hair()
    voice: str | None = Field(None, pattern=VOICE_PATTERN,
                              description="engine:name (festival:slt, piper:joe) or an "
                                          "espeak voice (en, de+f3)")

    @field_validator("name")
    @classmethod
    def _gives_an_id(cls, value: str) -> str:
        if not name_to_id(value).isalpha() or not name_to_id(value).isascii():
            raise ValueError(f"name {value!r} needs Latin letters (it becomes the character's "
                             "id), e.g. Maya")
        return value

    @property
    def id(self) -> str:
        """The id of the character cast from this look."""
        return name_to_id(self.name)

    def to_dict(self) -> dict:
        """Plain JSON-able data (`NamedLook.from_dict` reads it back)."""
        return self.model_dump(mode="json")

    @classmethod
    def from_dict(cls, data: object) -> "NamedLook":
        """A look from plain data; SceneError naming every bad field at once."""
        from pydantic import ValidationError  # noqa: PLC0415

        from worldreel.errors import SceneError  # noqa: PLC0415
        from worldreel.scene.io import describe_validation_error  # noqa: PLC0415

        if not isinstance(data, dict):
            raise SceneError(f"a named look must be a mapping of fields (name, body, outfit, "
                             f"hair, voice), got {type(data).__name__}")
        try:
            return cls.model_validate(data)
        except ValidationError as exc:
            raise SceneError(f"named look: {describe_validation_error(exc)}") from None
