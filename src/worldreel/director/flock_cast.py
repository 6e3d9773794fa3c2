"""Birds and fish cast from a prompt: which species, how many, where they are and what they do.

A flock is a noun WordNet files under one of the Scene's flock species (`flocks.yaml`: "doves"
are pigeons, "gulls" seagulls), or a bare "birds" (shown as pigeons, and said so). Its verbs up
to the next thing that acts say what it does: "scatter", "take off", "circle", "land", "peck".
Birds on the ground take off by themselves when something comes too near (physics.flocks), so
"pigeons scatter as a car passes" is pigeons standing on the car's way: the flock is put where
the first moving vehicle, animal or person will pass. Fish need water: without water in the
place they are not cast, and the plan says why.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from worldreel.director.parser import Parse
from worldreel.scene import Setting
from worldreel.assets.water import Water, water_of
from worldreel.director.mentions import FILLERS, lemma, mark, verb_at
from worldreel.director.wordnet import noun_kind, wordnet

FLOCKS_FILE = Path(__file__).with_name("flocks.yaml")
MAX_FLOCKS = 4
INVARIANT_PLURALS = frozenset({"fish", "goldfish", "carp", "trout", "koi"})
FISH_DEPTH_M = 0.4  # fish are put where the water is at least this deep
OUT_TO_SEA_M = (3.0, 6.0, 10.0, 15.0)  # tried past a sea's shore, nearest first
AHEAD_S = 2.0  # a flock on a vehicle's way stands where it will be this far into the clip


@functools.cache
def flock_table() -> dict:
    return yaml.safe_load(FLOCKS_FILE.read_text(encoding="utf-8"))


@dataclass
class Gathering:
    """One flock (or one bird) named in the prompt, and what it does."""

    noun: str
    species: str
    at: int
    word: str = ""  # as the prompt says it ("robins")
    count: int = 1
    generic: bool = False  # "birds": no species said
    verbs: list[tuple[str, int]] = field(default_factory=list)
    mentions: list[int] = field(default_factory=list)

    @property
    def fish(self) -> bool:
        return self.species in flock_table()["fish"]


@functools.cache
def flock_species(word: str) -> tuple[str, bool] | None:
    """(species, generic) a noun names, or None."""
    table = flock_table()
    root = lemma(word, "n")
    if root in table["generic"]:
        return str(table["generic"][root]), True
    if root in table["words"]:
        return str(table["words"][root]), False
    kind = noun_kind(root)
    if kind is None or kind.category != "animal":
        return None
    sense = wordnet().synset(kind.sense)
    above = {h.name() for path in sense.hypernym_paths() for h in path}
    for group, generic in (("species", False), ("stand_ins", True)):
        found = next((name for name, roots in table[group].items() if above & set(roots)),
                     None)
        if found is not None:
            return found, generic
    return None


def flock_mentions(parse: Parse) -> list[Gathering]:
    """Every flock the prompt names ("a flock of pigeons" is one), its count; the words used
    are marked grounded."""
    table = flock_table()
    items = parse.items
    found: list[Gathering] = []
    for k, item in enumerate(items):
        if item.kind not in ("word", "object") or item.used or len(item.words) != 1:
            continue
        species = flock_species(item.words[0])
        if species is None:
            continue
        noun = lemma(item.words[0], "n")
        same = next((g for g in found if g.noun == noun), None)
        if same is not None:
            same.mentions.append(k)
            item.used = True
            continue
        single = k > 0 and items[k - 1].words[0] in ("a", "an", "one")
        plural = item.words[0] != noun or (noun in INVARIANT_PLURALS and not single)
        gathering = Gathering(noun=noun, species=species[0], at=k, generic=species[1],
                              word=item.words[0],
                              count=table["plural_count"] if plural else 1)
        j = k - 1
        if j >= 1 and items[j].kind == "prep" and items[j].words[0] == "of" and \
                lemma(items[j - 1].words[-1], "n") in table["groups"]:
            gathering.count = int(table["groups"][lemma(items[j - 1].words[-1], "n")])
            mark(items[j], items[j - 1])
            j -= 2
        while j >= 0 and items[j].kind in FILLERS:
            if items[j].kind == "number" and isinstance(items[j].value, int | float):
                gathering.count = int(items[j].value)
            mark(items[j])
            j -= 1
        gathering.mentions.append(k)
        item.used = True
        found.append(gathering)
    return found[:MAX_FLOCKS]


def read_flocks(parse: Parse, flocks: list[Gathering], stops: set[int]) -> None:
    """What each flock does, from its mention up to the next mention of anything that acts."""
    verbs = flock_table()["verbs"]
    items = parse.items
    owner = {at: g for g in flocks for at in g.mentions}
    bounds = sorted(set(owner) | set(stops))
    for at, gathering in sorted(owner.items()):
        end = next((b for b in bounds if b > at), len(items))
        k = at + 1
        while k < end:
            item = items[k]
            if not item.used and (found := verb_at(items, k, end, verbs)) is not None:
                gathering.verbs.append((found[0], k))
                k += found[1] - 1
            k += 1


def with_flocks(data: dict, flocks: list[Gathering]) -> list[str]:
    """Add the flocks to the Scene's data; returns notes for the user."""
    water = water_of(Setting.model_validate(data["setting"]))  # a pool, a pond, a beach's sea
    notes: list[str] = []
    table = flock_table()
    placed = []
    seen: dict[str, int] = {}
    for gathering in flocks:
        if gathering.fish and water is None:
            notes.append(f"'{gathering.word}' not shown: fish need water, and this place has "
                         "none (say a pond, a lake or the sea)")
            continue
        if gathering.generic:
            shown = gathering.species if gathering.fish else f"{gathering.species}s"
            notes.append(f"'{gathering.word}' shown as {shown}")
        base = gathering.noun.replace(" ", "_")
        seen[base] = seen.get(base, 0) + 1
        fid = base if seen[base] == 1 else f"{base}_{seen[base]}"
        verbs = [v for v, _ in gathering.verbs]
        centre = _in_the_water(water) if gathering.fish else _on_the_way(data)
        if centre is None:
            notes.append(f"'{gathering.word}' not shown: the water here is too shallow for "
                         "fish")
            continue
        flock: dict = {"id": fid, "species": gathering.species, "count": gathering.count,
                       "centre": list(centre), "radius": 1.5}
        script: list[dict] = []
        if "circle" in verbs and not gathering.fish:
            flock["altitude"] = table["flying_altitude_m"]
            script.append({"do": "circle"})
        if "land" in verbs and not gathering.fish:
            script.append({"do": "land", "place": flock["centre"]})
        if ("take_off" in verbs or "scatter" in verbs) and not _threatened(data):
            script.append({"do": "take_off" if "take_off" in verbs else "scatter",
                           "at": 1.0})  # nothing comes near them: they go by themselves
        if gathering.fish:
            script = [{"do": "swim"}]
        if script:
            flock["script"] = script
        placed.append(flock)
    if placed:
        data["flocks"] = placed
    return notes


def _ways(data: dict) -> list[tuple[float, float]]:
    """A point on the way of each thing that sets off moving: where a vehicle placed moving
    will be AHEAD_S into the clip, the middle of an animal's or person's first walk."""
    out = []
    for entity in data["entities"]:
        (x, y), (vx, vy) = entity["position"][:2], (entity.get("velocity") or [0, 0, 0])[:2]
        if abs(vx) + abs(vy) > 0.5:
            out.append((round(x + vx * AHEAD_S, 2), round(y + vy * AHEAD_S, 2)))
    for group in ("animals", "characters"):
        for who in data.get(group, []):
            place = next((s["place"] for s in who.get("script", []) if s.get("place")), None)
            if place is not None:
                (x0, y0), (x1, y1) = who["position"], place
                out.append((round(0.5 * (x0 + x1), 2), round(0.5 * (y0 + y1), 2)))
    return out


def _threatened(data: dict) -> bool:
    return bool(_ways(data))


def _on_the_way(data: dict) -> tuple[float, float]:
    """Where the flock stands: on the way of the first thing that moves (so it scatters there,
    in view); else in the middle."""
    ways = _ways(data)
    return ways[0] if ways else (0.0, 0.5)


def _in_the_water(water: Water) -> tuple[float, float] | None:
    """Where fish swim: the middle of a pool, else out past a sea's shore, where the water is
    FISH_DEPTH_M deep or more; None when no such water is near."""
    if water.shore is None:
        spots = [(0.0, 0.5)]
    else:
        norm = math.hypot(*water.toward)
        spots = [((water.shore + out) * water.toward[0] / norm,
                  (water.shore + out) * water.toward[1] / norm) for out in (0.0, *OUT_TO_SEA_M)]
    for x, y in spots:
        if bool(water.covers(x, y)) and float(water.water_depth(x, y)) >= FISH_DEPTH_M:
            return round(x, 2), round(y, 2)
    return None
