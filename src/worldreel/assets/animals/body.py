"""An animal's body from its species table: the skeleton (bones with rest heads and tails in the
body frame: x forward, z up, origin on the floor under the middle of the trunk), the species
facts the animation needs (leg lengths, gait speeds), and the masses of its bones.

Every bone's rest frame has the body frame's axes; a pose is each bone's rotation from rest, as
for people (animation.Performance), so the render parts (assets.animals.looks) and the collision
geoms (assets.animals.segments) are written in the bone's rest frame from its rest head.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

import numpy as np
import yaml

from worldreel.errors import SceneError
from worldreel.scene import Animal

LEGS = ("fl", "fr", "hl", "hr")  # front left, front right, hind left, hind right
LEG_BONES = ("upper", "lower", "cannon", "foot")
TAIL_BONES = ("tail_1", "tail_2", "tail_3")
TRUNK_BONES = ("trunk_1", "trunk_2", "trunk_3")
# Shares of the body's mass (before the tail, trunk and ears, which are small): the trunk
# carries about two thirds of a quadruped's mass and each leg 4-6 % (dog and horse segment
# inertia studies: Buchner et al., J. Biomech. 30 (1997) 653 for the horse; Amit et al.,
# Vet. Comp. Orthop. Traumatol. 2009 for the dog).
MASS_SHARES = {"pelvis": 0.21, "spine": 0.26, "chest": 0.2, "neck": 0.05, "head": 0.055,
               "jaw": 0.01, "ear_l": 0.001, "ear_r": 0.001,
               "upper": 0.024, "lower": 0.011, "cannon": 0.006, "foot": 0.003}
TAIL_SHARE = 0.01
TRUNK_SHARE = 0.02  # an elephant's trunk is ~2 % of its mass (~100 kg of 4.5 t)


@dataclass(frozen=True)
class Gaits:
    """Speeds (m/s) of the gaits an animal has; None: not its gait."""

    walk: float
    trot: float | None = None
    canter: float | None = None
    gallop: float | None = None
    amble: float | None = None
    gallop_kind: str = "rotary"

    def fastest(self) -> float:
        return max(v for v in (self.walk, self.trot, self.canter, self.gallop, self.amble)
                   if v is not None)


@dataclass(frozen=True)
class Shape:
    """Proportions of a species (fractions of the shoulder height; see species.yaml)."""

    torso: tuple[float, float, float]
    neck: tuple[float, float, float]
    head: tuple[float, float, float, float]
    muzzle: tuple[float, float]
    ears: tuple[str, float]
    tail: tuple[float, float, float]
    legs: tuple[float, float, float, float]
    foot: str


@dataclass(frozen=True)
class AnimalBody:
    """A built animal: its skeleton at rest and the facts of its kind, in metres and kg."""

    species: str
    breed: str | None
    mass: float
    shoulder_height: float
    shape: Shape
    features: tuple[str, ...]
    gaits: Gaits
    colours: tuple[tuple[float, float, float], ...]  # coat, belly and muzzle, markings (RGB)
    names: tuple[str, ...]
    parents: tuple[int, ...]  # -1: the root
    heads: np.ndarray  # (B, 3) rest heads in the body frame
    tails: np.ndarray  # (B, 3)
    masses: dict[str, float] = field(default_factory=dict)

    def bone(self, name: str) -> int:
        return self.names.index(name)

    @property
    def leg_length(self) -> float:
        """Hip or shoulder joint to the floor at rest (the legs straight under the body)."""
        return float(self.heads[self.bone("upper_fl"), 2])

    @property
    def hip_height(self) -> float:
        return self.leg_length

    def segment_lengths(self, leg: str) -> tuple[float, float, float, float]:
        """Upper, lower, cannon bone lengths and the foot's height (fetlock above the floor)."""
        out = [float(np.linalg.norm(self.tails[self.bone(f"{b}_{leg}")]
                                    - self.heads[self.bone(f"{b}_{leg}")]))
               for b in LEG_BONES[:3]]
        return (*out, float(self.heads[self.bone(f"foot_{leg}"), 2]))

    def mouth(self) -> np.ndarray:
        """Where a held thing sits in the mouth, at rest, in the body frame: between the jaws,
        a third of the way back from the tip of the muzzle."""
        jaw = self.bone("jaw")
        return self.heads[jaw] + 0.7 * (self.tails[jaw] - self.heads[jaw]) + np.array(
            [0.0, 0.0, 0.25 * self.head_depth])

    @property
    def head_depth(self) -> float:
        return self.shape.head[1] * self.shoulder_height


@lru_cache(maxsize=1)
def species_table() -> dict:
    """The species table (species.yaml), read once."""
    text = resources.files("worldreel.assets.animals").joinpath("species.yaml").read_text()
    return yaml.safe_load(text)["species"]


def _hex(colour: str) -> tuple[float, float, float]:
    return tuple(int(colour[i:i + 2], 16) / 255.0 for i in (1, 3, 5))


def species_entry(species: str, breed: str | None) -> tuple[dict, str | None]:
    """A species' table entry with its breed's differences applied, and the breed's name."""
    table = species_table()
    if species not in table:
        raise SceneError(f"unknown species {species!r}: choose {', '.join(table)}")
    entry = dict(table[species])
    breeds = entry.pop("breeds", {}) or {}
    breed = breed or entry.pop("default_breed", None)
    entry.pop("default_breed", None)
    if breed is not None:
        if breed not in breeds:
            raise SceneError(f"breed {breed!r} is not a {species} breed: choose "
                             f"{', '.join(breeds)}")
        changes = breeds[breed] or {}
        entry["shape"] = {**entry["shape"], **changes.get("shape", {})}
        entry["coats"] = {**changes.get("coats", {}), **entry["coats"]} if "coats" in changes \
            else entry["coats"]
        entry.update({k: v for k, v in changes.items() if k not in ("shape", "coats")})
    return entry, breed


def coat_names(species: str, breed: str | None) -> tuple[str, ...]:
    """The named coats of a species (a breed's own first)."""
    return tuple(species_entry(species, breed)[0]["coats"])


def coat_colours(entry: dict, coat: str | None) -> tuple[tuple[float, float, float], ...]:
    coats = entry["coats"]
    if coat is None:
        coat = next(iter(coats))
    if coat.startswith("#"):
        base = _hex(coat)
        lighter = tuple(min(1.0, 0.15 + 1.1 * c) for c in base)
        return (base, lighter, base)
    if coat not in coats:
        raise SceneError(f"coat {coat!r}: choose {', '.join(coats)} or #rrggbb")
    return tuple(_hex(c) for c in coats[coat])


def build_body(species: str, breed: str | None = None, coat: str | None = None,
               size: float = 1.0) -> AnimalBody:
    """The animal's skeleton at rest and its facts, `size` times the typical adult's (mass by
    the cube of size)."""
    entry, breed = species_entry(species, breed)
    shape = Shape(**{k: tuple(v) if isinstance(v, list) else v
                     for k, v in entry["shape"].items()})
    h = float(entry["shoulder_height"]) * size
    # The table's speeds are the species' typical adult's (for dogs, the default breed's); a
    # smaller breed or animal moves at the same Froude number (v^2 / g h; Alexander & Jayes
    # 1983), so its speeds go as the square root of its height.
    similar = math.sqrt(h / float(species_table()[species]["shoulder_height"]))
    gaits = Gaits(**{k: v * similar if isinstance(v, (int, float)) else v
                     for k, v in entry["gaits"].items()})
    names, parents, heads, tails = _skeleton(shape, h, tuple(entry.get("features", ())))
    mass = float(entry["mass"]) * size ** 3
    body = AnimalBody(species, breed, mass, h, shape, tuple(entry.get("features", ())), gaits,
                      coat_colours(entry, coat), names, parents, heads, tails)
    object.__setattr__(body, "masses", _masses(names, mass))
    return body


def body_of_animal(animal: Animal) -> AnimalBody:
    """The body of a Scene's animal (cached by what shapes it)."""
    return _cached(animal.species, animal.breed, animal.coat, animal.size)


@lru_cache(maxsize=64)
def _cached(species: str, breed: str | None, coat: str | None, size: float) -> AnimalBody:
    return build_body(species, breed, coat, size)


def _masses(names: tuple[str, ...], mass: float) -> dict[str, float]:
    tails = [n for n in names if n.startswith("tail_")]
    trunk = [n for n in names if n.startswith("trunk_")]
    shares = {}
    for name in names:
        if name in tails:
            shares[name] = TAIL_SHARE / len(tails)
        elif name in trunk:
            shares[name] = TRUNK_SHARE / len(trunk)
        else:
            shares[name] = MASS_SHARES[name.split("_")[0] if name.split("_")[0] in LEG_BONES
                                       else name]
    total = sum(shares.values())
    return {n: mass * s / total for n, s in shares.items()}


def _skeleton(shape: Shape, h: float, features: tuple[str, ...]):
    """Bone names, parents, rest heads and tails (body frame, metres)."""
    length, depth, width = (f * h for f in shape.torso)
    zc = h - 0.5 * depth  # the middle of the barrel; its top is at the withers
    bones: list[tuple[str, str | None, np.ndarray, np.ndarray]] = []

    def add(name, parent, head, tail):
        bones.append((name, parent, np.asarray(head, float), np.asarray(tail, float)))

    half = 0.5 * length
    add("pelvis", None, (-half, 0, zc), (0, 0, zc))
    add("spine", "pelvis", (0, 0, zc), (half, 0, zc))
    add("chest", "spine", (half, 0, zc), (half + 0.25 * depth, 0, zc + 0.3 * depth))
    neck_len, neck_angle, _ = shape.neck
    a = math.radians(neck_angle)
    base = np.array([half + 0.25 * depth, 0, zc + 0.3 * depth])
    poll = base + neck_len * h * np.array([math.cos(a), 0, math.sin(a)])
    add("neck", "chest", base, poll)
    head_len, head_depth, _, head_angle = shape.head
    b = math.radians(head_angle)
    along = np.array([math.cos(b), 0, -math.sin(b)])
    down = np.array([-math.sin(b), 0, -math.cos(b)])  # across the head, to the underside
    nose = poll + head_len * h * along
    add("head", "neck", poll, nose)
    hinge = poll + 0.3 * head_len * h * along + 0.4 * head_depth * h * down
    chin = nose - 0.08 * head_len * h * along + 0.3 * head_depth * h * down
    add("jaw", "head", hinge, chin)
    ear_base = poll + 0.1 * head_len * h * along - 0.1 * head_depth * h * down
    ear_len = shape.ears[1] * h
    for side, sign in (("l", 1), ("r", -1)):
        spread = 0.35 * shape.head[2] * h * sign
        tip = {"floppy": (-0.2, 1.4 * sign, -1.0), "upright": (-0.15, 0.3 * sign, 1.0),
               "round": (0.0, 0.4 * sign, 1.0), "wide": (-0.2, 1.0 * sign, 0.2),
               "elephant": (-0.3, 0.5 * sign, -0.4)}[shape.ears[0]]
        tip = np.array(tip) / np.linalg.norm(tip) * ear_len
        root = ear_base + np.array([0, spread, 0])
        if shape.ears[0] == "elephant":
            root = poll - 0.3 * head_len * h * along + np.array([0, spread * 1.2, 0.1 * h])
        add(f"ear_{side}", "head", root, root + tip)
    tail_len, _, droop = shape.tail
    c = math.radians(droop)
    start = np.array([-half - 0.35 * depth, 0, zc + 0.3 * depth])
    direction = np.array([-math.cos(c), 0, -math.sin(c)])
    for k, name in enumerate(TAIL_BONES):
        parent = "pelvis" if k == 0 else TAIL_BONES[k - 1]
        # each link droops a little more than the one before (a tail hangs in a curve)
        d = direction + (np.array([0, 0, -0.25 * k]) if droop > 0 else np.array([0.2 * k, 0, 0.3 * k]))
        d = d / np.linalg.norm(d)
        end = start + d * tail_len * h / len(TAIL_BONES)
        add(name, parent, start, end)
        start = end
    if "trunk" in features:
        start = nose.copy()
        for k, name in enumerate(TRUNK_BONES):
            parent = "head" if k == 0 else TRUNK_BONES[k - 1]
            end = start + np.array([0.08 * h * (1 - k), 0, -0.22 * h])
            add(name, parent, start, end)
            start = end
    thickness, upper, lower, cannon = shape.legs
    for leg in LEGS:
        x = half if leg[0] == "f" else -half
        y = (0.5 if leg[1] == "l" else -0.5) * (width - thickness * h)
        top = np.array([x, y, zc])
        foot_height = max(1.0 - upper - lower - cannon, 0.05) * zc
        lengths = [upper * zc, lower * zc, cannon * zc]
        parent = "pelvis" if leg[0] == "h" else "chest"
        for bone, seg in zip(LEG_BONES[:3], lengths):
            end = top - np.array([0, 0, seg])
            add(f"{bone}_{leg}", parent, top, end)
            parent, top = f"{bone}_{leg}", end
        toe = np.array([x + (0.9 if shape.foot == "paw" else 0.5) * foot_height, y, 0.0])
        add(f"foot_{leg}", parent, top, toe)
    names = tuple(b[0] for b in bones)
    parents = tuple(-1 if b[1] is None else names.index(b[1]) for b in bones)
    return (names, parents, np.stack([b[2] for b in bones]), np.stack([b[3] for b in bones]))
