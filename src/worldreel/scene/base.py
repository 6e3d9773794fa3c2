"""What every Scene model shares: frozen models that forbid unknown fields, ids and colours."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

Vec3 = tuple[float, float, float]
Identifier = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,63}$")]
HEX_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


class Model(BaseModel):
    """Frozen, and a typo in a hand-written field is an error, not silently ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True)
