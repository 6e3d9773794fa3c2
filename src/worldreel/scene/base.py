"""What every Scene model shares: frozen models that forbid unknown fields and non-finite
numbers, ids, names and colours, and the bounded vectors of positions, speeds and angles."""

from __future__ import annotations

import math
import re
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from worldreel.scene.limits import (MAX_ANGLE_DEG, MAX_ANGULAR_SPEED_RAD_S, MAX_DIRECTION,
                                    MAX_GRAVITY_M_S2, MAX_ID_CHARS, MAX_NAME_CHARS,
                                    MAX_POSITION_M, MAX_SPEED_M_S)

Vec3 = tuple[float, float, float]
Identifier = Annotated[str, Field(pattern=rf"^[a-z][a-z0-9_]{{0,{MAX_ID_CHARS - 1}}}$")]
# A name looked up in a table (an asset, a material, an environment, a colour name).
Name = Annotated[str, Field(min_length=1, max_length=MAX_NAME_CHARS)]
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class Model(BaseModel):
    """Frozen; a typo in a hand-written field is an error, not silently ignored; NaN and
    infinity are refused everywhere (a NaN azimuth must not quietly mean 'automatic')."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _coordinates(value: tuple[float, ...]) -> tuple[float, ...]:
    worst = max(abs(c) for c in value)
    if worst > MAX_POSITION_M:
        raise ValueError(f"coordinate {worst:.3g} m is too far from the origin; keep every "
                         f"coordinate within ±{MAX_POSITION_M:g} m")
    return value


def _magnitude(limit: float, what: str, unit: str, too: str = "fast", hint: str = ""):
    """A check that a vector's length is at most `limit`."""
    def check(value: Vec3) -> Vec3:
        size = math.hypot(*value)
        if size > limit:
            raise ValueError(f"{what} {size:.3g} {unit} is too {too}; give at most {limit:g} "
                             f"{unit}{hint}")
        return value
    return check


def _angles(value: tuple[float, ...]) -> tuple[float, ...]:
    worst = max(abs(c) for c in value)
    if worst > MAX_ANGLE_DEG:
        raise ValueError(f"angle {worst:.3g} degrees is more than a turn; give angles within "
                         f"±{MAX_ANGLE_DEG:g}")
    return value


def _direction(value: Vec3) -> Vec3:
    if max(abs(c) for c in value) > MAX_DIRECTION:
        raise ValueError(f"direction components must be within ±{MAX_DIRECTION:g} (only where "
                         "it points matters, e.g. [1, 0, 0])")
    if math.hypot(value[0], value[1]) < 1e-9:
        raise ValueError("needs a horizontal component, e.g. [1, 0, 0]")
    return value


# Where a thing is: metres from the origin, each coordinate within MAX_POSITION_M.
Position = Annotated[Vec3, AfterValidator(_coordinates)]
Point2 = Annotated[tuple[float, float], AfterValidator(_coordinates)]
Angles = Annotated[Vec3, AfterValidator(_angles)]
Velocity = Annotated[Vec3, AfterValidator(_magnitude(MAX_SPEED_M_S, "speed", "m/s"))]
AngularVelocity = Annotated[Vec3, AfterValidator(
    _magnitude(MAX_ANGULAR_SPEED_RAD_S, "spin", "rad/s"))]
Gravity = Annotated[Vec3, AfterValidator(
    _magnitude(MAX_GRAVITY_M_S2, "gravity", "m/s^2", "strong", " (Earth 9.81, the Moon 1.62)"))]
Direction = Annotated[Vec3, AfterValidator(_direction)]


def at_most(field: str, limit: int, what: str):
    """A validator refusing more than `limit` items in the tuple `field`, before any of them is
    validated (10,000 entities are refused at once, not after validating each)."""
    def check(cls, value: object) -> object:
        if isinstance(value, (list, tuple)) and len(value) > limit:
            raise ValueError(f"{len(value)} {what} are more than a Scene may hold; give at most "
                             f"{limit}")
        return value
    return field_validator(field, mode="before")(classmethod(check))
