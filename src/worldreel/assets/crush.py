"""How a vehicle's body crushes: Campbell's linear crush model and its stiffness (crush.yaml).

A face of a vehicle (front, rear, a side) meeting something hard crushes by C metres over a
width L; the force per metre of width is A + B*C and the energy it absorbs per metre of width
A*C + B*C^2/2 + A^2/(2B) (Campbell, SAE 740565, 1974; NHTSA CRASH3). A and B come from the
vehicle's mass and width and the face's b0, b1 (crush.yaml). physics.dents turns a crash's
dissipated energy into the crush of both partners with these.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import yaml

CRUSH_FILE = Path(__file__).with_name("crush.yaml")
FACES = ("front", "rear", "left", "right")


@dataclass(frozen=True)
class CrushStiffness:
    """Campbell's coefficients of one face: A, N per metre of width; B, N per square metre."""

    a: float
    b: float

    @property
    def threshold(self) -> float:
        """Energy per metre of width absorbed with no lasting crush (A^2 / 2B), J/m."""
        return self.a * self.a / (2.0 * self.b)

    def energy(self, crush: float, width: float) -> float:
        """Energy (J) a crush of `crush` m over `width` m absorbs (0 crush: the threshold)."""
        c = max(crush, 0.0)
        return width * (self.a * c + 0.5 * self.b * c * c + self.threshold)

    def crush(self, force_per_width: float) -> float:
        """The lasting crush (m) left by a peak force per metre of width (N/m)."""
        return max(0.0, (force_per_width - self.a) / self.b)


@lru_cache(maxsize=1)
def crush_table() -> MappingProxyType:
    """b0 (m/s) and b1 (1/s) of each kind of face (front, rear, side), from crush.yaml."""
    table = yaml.safe_load(CRUSH_FILE.read_text(encoding="utf-8"))
    return MappingProxyType({k: (float(v["b0"]), float(v["b1"])) for k, v in table.items()})


def face_stiffness(face: str, mass: float, width: float) -> CrushStiffness:
    """Campbell's A and B of a vehicle's `face` ("front", "rear", "left" or "right") for a
    vehicle of `mass` kg and `width` m: A = m b0 b1 / L, B = m b1^2 / L."""
    if face not in FACES:
        raise ValueError(f"no vehicle face {face!r}; faces are {', '.join(FACES)}")
    b0, b1 = crush_table()["side" if face in ("left", "right") else face]
    return CrushStiffness(a=mass * b0 * b1 / width, b=mass * b1 * b1 / width)


def shared_crush(energy: float, width: float, first: CrushStiffness,
                 second: CrushStiffness | None) -> tuple[float, float]:
    """The lasting crush (m) of two faces pressed together over `width` m that absorb `energy`
    J between them (`second` None: a rigid obstacle, which takes none).

    Both faces carry the same force (action and reaction) at its peak; written from the crush
    at which each face's force would be zero (C + A/B), each is a linear spring of stiffness B
    whose energy is F^2 / 2B, the threshold included, so F = sqrt(2 E / (L (1/B1 + 1/B2)))."""
    if energy <= 0.0 or width <= 0.0:
        return 0.0, 0.0
    compliance = 1.0 / first.b + (1.0 / second.b if second is not None else 0.0)
    force = math.sqrt(2.0 * energy / (width * compliance))
    return first.crush(force), (second.crush(force) if second is not None else 0.0)
