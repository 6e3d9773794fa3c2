"""The flock species table (flocks.yaml): what a pigeon, a gull or a goldfish measures, how it
flies or swims, how near it lets things come, and its colours. Animation, render and audio read
species from here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType

import yaml

from worldreel.scene import FISH_SPECIES, FLOCK_SPECIES

SPECIES_FILE = Path(__file__).with_name("flocks.yaml")


@dataclass(frozen=True)
class Species:
    """One species (units SI; see flocks.yaml for the sources of each number). Fish leave the
    wing fields at their defaults; their tail beat follows from cruise_bl_s (tail_hz)."""

    name: str
    kind: str  # "bird" or "fish"
    mass_kg: float
    length_m: float
    fid_m: float
    colours: MappingProxyType
    wingspan_m: float = 0.0
    wing_area_m2: float = 0.0
    flap_hz_take_off: float = 0.0
    flap_hz_cruise: float = 0.0
    style: str = "flap_glide"
    flap_strokes: int = 0
    glide_s: float = 0.0
    glide_ratio: float = 0.0
    cruise_m_s: float = 0.0
    climb_deg: float = 45.0
    stand_m: float = 0.0
    claps: bool = False  # its wings clap together in the first strokes of a take-off
    gait: str = "walk"  # on the ground: "walk" (pigeons, crows, gulls) or "hop" (sparrows)
    stroke_deg: float = 60.0
    cruise_bl_s: float = 0.0
    burst_bl_s: float = 0.0

    @property
    def is_fish(self) -> bool:
        return self.kind == "fish"

    def tail_hz(self, speed_bl_s: float) -> float:
        """Tail-beat frequency at a speed in body lengths a second (Bainbridge 1958:
        U = L (0.75 f - 1))."""
        return (max(speed_bl_s, 0.0) + 1.0) / 0.75


def _load() -> MappingProxyType:
    table = yaml.safe_load(SPECIES_FILE.read_text(encoding="utf-8"))
    if set(table) != set(FLOCK_SPECIES):  # the Scene's names and the table must agree
        raise ValueError(f"{SPECIES_FILE.name} lists {sorted(table)}, the Scene knows "
                         f"{sorted(FLOCK_SPECIES)}")
    out = {}
    for name, row in table.items():
        fields = dict(row)
        if (fields["kind"] == "fish") != (name in FISH_SPECIES):
            raise ValueError(f"{SPECIES_FILE.name}: {name} has kind {fields['kind']}")
        fields["colours"] = MappingProxyType(dict(fields["colours"]))
        out[name] = Species(name=name, **fields)
    return MappingProxyType(out)


SPECIES: MappingProxyType = _load()


def species(name: str) -> Species:
    """The named species (a Scene's flock.species)."""
    return SPECIES[name]
