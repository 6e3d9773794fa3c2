"""What an animal looks like: simple solids (ellipsoids, capsules, spheres, cylinders) on its
bones, in its coat's colours, with what tells a species apart at a glance: a horse's mane and
tail, a zebra's stripes, a giraffe's patches and ossicones, an elephant's trunk, tusks and
ears, a cow's horns and udder, a sheep's wool.

Each part is in its bone's rest frame, from the bone's rest head (as people's parts are), so
the renderer hangs it on the bone's body and the pose moves it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from worldreel.assets.animals.body import LEGS, TAIL_BONES, TRUNK_BONES, AnimalBody
from worldreel.rng import generator

DARK = (0.05, 0.045, 0.04)
HORN = (0.86, 0.82, 0.72)
IVORY = (0.93, 0.9, 0.82)
PINK = (0.9, 0.62, 0.6)


@dataclass(frozen=True)
class AnimalPart:
    """One solid on a bone: MuJoCo geom type name, size, pose in the bone's rest frame."""

    bone: str
    geom: str  # "ellipsoid", "capsule", "sphere", "cylinder", "box"
    size: tuple[float, ...]
    pos: tuple[float, float, float]
    quat: tuple[float, float, float, float]  # w, x, y, z
    rgba: tuple[float, float, float, float]


def _quat_z_to(direction: np.ndarray) -> tuple[float, float, float, float]:
    """The rotation taking +z to `direction`."""
    d = direction / np.linalg.norm(direction)
    z = np.array([0.0, 0.0, 1.0])
    axis = np.cross(z, d)
    s = np.linalg.norm(axis)
    c = float(np.dot(z, d))
    if s < 1e-9:
        return (1.0, 0.0, 0.0, 0.0) if c > 0 else (0.0, 1.0, 0.0, 0.0)
    angle = math.atan2(s, c)
    axis = axis / s * math.sin(angle / 2)
    return (math.cos(angle / 2), *map(float, axis))


def _quat_x_to(direction: np.ndarray) -> tuple[float, float, float, float]:
    """The rotation taking +x to `direction` about the y axis only (kept upright)."""
    d = direction / np.linalg.norm(direction)
    pitch = math.atan2(-d[2], math.hypot(d[0], d[1]))
    yaw = math.atan2(d[1], d[0])
    cy, sy = math.cos(yaw / 2), math.sin(yaw / 2)
    cp, sp = math.cos(pitch / 2), math.sin(pitch / 2)
    return (cy * cp, -sy * sp, cy * sp, sy * cp)


class _Parts:
    def __init__(self, body: AnimalBody):
        self.body = body
        self.parts: list[AnimalPart] = []

    def rest(self, bone: str) -> tuple[np.ndarray, np.ndarray]:
        k = self.body.bone(bone)
        return self.body.heads[k], self.body.tails[k]

    def add(self, bone, geom, size, centre, quat=(1.0, 0.0, 0.0, 0.0), rgb=(1, 1, 1)):
        head = self.rest(bone)[0]
        self.parts.append(AnimalPart(bone, geom, tuple(float(s) for s in size),
                                     tuple(float(v) for v in np.asarray(centre) - head),
                                     tuple(float(q) for q in quat), (*rgb, 1.0)))

    def capsule(self, bone, a, b, radius, rgb):
        a, b = np.asarray(a, float), np.asarray(b, float)
        self.add(bone, "capsule", (radius, 0.5 * np.linalg.norm(b - a)), 0.5 * (a + b),
                 _quat_z_to(b - a), rgb)

    def along(self, bone, a, b, radii, rgb):
        """An ellipsoid from a to b (its x along the segment), radii (across y, across z)."""
        a, b = np.asarray(a, float), np.asarray(b, float)
        self.add(bone, "ellipsoid", (0.5 * np.linalg.norm(b - a), *radii), 0.5 * (a + b),
                 _quat_x_to(b - a), rgb)


def animal_parts(body: AnimalBody, seed: int = 0) -> tuple[AnimalPart, ...]:
    """Every solid of the animal's look."""
    p = _Parts(body)
    h = body.shoulder_height
    coat, belly, marks = body.colours
    shape = body.shape
    length, depth, width = (f * h for f in shape.torso)
    features = set(body.features)
    zc = float(body.heads[body.bone("pelvis"), 2])
    # The trunk: rump, barrel and chest overlap into one body; a lighter belly under it.
    p.add("pelvis", "ellipsoid", (0.42 * length, 0.47 * width, 0.48 * depth),
          (-0.22 * length, 0, zc + 0.02 * depth), rgb=coat)
    p.add("spine", "ellipsoid", (0.45 * length, 0.5 * width, 0.5 * depth), (0, 0, zc), rgb=coat)
    p.add("chest", "ellipsoid", (0.38 * length, 0.48 * width, 0.5 * depth),
          (0.26 * length, 0, zc - 0.02 * depth), rgb=coat)
    p.add("spine", "ellipsoid", (0.38 * length, 0.44 * width, 0.3 * depth),
          (0, 0, zc - 0.24 * depth), rgb=belly)
    if "hump" in features:  # a bear's shoulder hump
        p.add("chest", "ellipsoid", (0.25 * length, 0.3 * width, 0.25 * depth),
              (0.3 * length, 0, zc + 0.38 * depth), rgb=coat)
    if "saddle" in features:  # a shepherd's or beagle's dark back
        p.add("spine", "ellipsoid", (0.5 * length, 0.4 * width, 0.2 * depth),
              (-0.05 * length, 0, zc + 0.36 * depth), rgb=marks)
    if "wool" in features:  # a fleece in tufts
        rng = generator(seed, "animal.wool")
        for _ in range(26):
            u, v = rng.uniform(-1, 1), rng.uniform(0, 2 * math.pi)
            centre = (u * 0.55 * length, 0.42 * width * math.cos(v), 0.42 * depth * math.sin(v))
            bone = "pelvis" if u < -0.3 else ("chest" if u > 0.3 else "spine")
            p.add(bone, "sphere", (0.16 * depth,), (centre[0], centre[1], zc + centre[2]),
                  rgb=coat)
    if "udder" in features:
        p.add("pelvis", "ellipsoid", (0.1 * length, 0.12 * width, 0.1 * depth),
              (-0.25 * length, 0, zc - 0.5 * depth), rgb=PINK)
    # Neck and head.
    base, poll = p.rest("neck")
    neck_r = 0.5 * shape.neck[2] * h
    # deep where it meets the chest, narrowing to the head
    p.along("neck", base - 0.15 * (poll - base), base + 0.65 * (poll - base),
            (neck_r * 1.1, neck_r * 1.4), coat)
    p.capsule("neck", base + 0.3 * (poll - base), poll - 0.05 * (poll - base), 0.72 * neck_r,
              coat)
    head_len, head_depth, head_width = (f * h for f in shape.head[:3])
    poll, nose = p.rest("head")
    along = (nose - poll) / np.linalg.norm(nose - poll)
    skull = poll + 0.3 * head_len * along
    face = marks if "dark_face" in features else coat
    muzzle_len, muzzle_thick = shape.muzzle
    # the skull behind the muzzle: round in a cat or a dog, short and deep in a horse
    skull_end = min(1.1 - muzzle_len, 0.65)
    p.along("head", poll - 0.1 * head_len * along, poll + skull_end * head_len * along,
            (0.5 * head_width, 0.5 * head_depth), face)
    snout = (belly if "mask" in features else face)
    p.along("head", nose - muzzle_len * head_len * along - 0.1 * head_len * along, nose,
            (0.5 * muzzle_thick * head_width, 0.5 * muzzle_thick * head_depth), snout)
    p.add("head", "sphere", (0.14 * head_width,), nose - 0.02 * head_len * along, rgb=DARK)
    up = np.array([along[2], 0.0, -along[0]]) * -1.0  # the head's top, across from `along`
    if up[2] < 0:
        up = -up
    for sign in (1, -1):
        eye = skull + 0.1 * head_len * along + np.array([0, sign * 0.42 * head_width, 0]) \
            + 0.18 * head_depth * up
        p.add("head", "sphere", (0.08 * head_width + 0.004 * h,), eye, rgb=DARK)
    hinge, chin = p.rest("jaw")
    p.along("jaw", hinge, chin, (0.3 * muzzle_thick * head_width,
                                 0.22 * head_depth), snout)
    # Ears.
    kind, ear_len = shape.ears[0], shape.ears[1] * h
    for side in ("l", "r"):
        root, tip = p.rest(f"ear_{side}")
        if kind == "elephant":
            p.add(f"ear_{side}", "ellipsoid", (0.5 * ear_len, 0.05 * ear_len, 0.6 * ear_len),
                  0.5 * (root + tip), rgb=coat)
        elif kind == "round":
            p.add(f"ear_{side}", "sphere", (0.45 * ear_len,), root + 0.4 * (tip - root), rgb=coat)
        else:
            widths = {"floppy": (0.45, 0.12), "upright": (0.35, 0.1), "wide": (0.4, 0.1)}[kind]
            p.along(f"ear_{side}", root, tip, (widths[0] * ear_len, widths[1] * ear_len), coat)
    # Horns, ossicones, tusks, trunk, mane.
    top = skull + 0.45 * head_depth * up
    if "horns" in features:
        for sign in (1, -1):
            a = top + np.array([0, sign * 0.3 * head_width, 0])
            b = a + np.array([-0.02 * h, sign * 0.12 * h, 0.05 * h])
            p.capsule("head", a, b, 0.018 * h, HORN)
    if "ossicones" in features:
        for sign in (1, -1):
            a = top - 0.1 * head_len * along + np.array([0, sign * 0.2 * head_width, 0])
            p.capsule("head", a, a + np.array([-0.01 * h, 0, 0.05 * h]), 0.012 * h, marks)
    if "tusks" in features:
        for sign in (1, -1):
            a = nose - 0.35 * head_len * along + np.array([0, sign * 0.3 * head_width,
                                                          -0.2 * head_depth])
            b = a + np.array([0.14 * h, sign * 0.02 * h, -0.1 * h])
            p.capsule("head", a, b, 0.02 * h, IVORY)
    if "trunk" in features:
        for k, bone in enumerate(TRUNK_BONES):
            a, b = p.rest(bone)
            p.capsule(bone, a, b, (0.075 - 0.018 * k) * h, coat)
    if "mane" in features or "mane_short" in features:
        thick = 0.5 if "mane" in features else 0.25
        crest = (poll - base) / np.linalg.norm(poll - base)
        back = np.array([-crest[2], 0, crest[0]])  # the neck's upper side
        p.along("neck", base + 0.1 * (poll - base) + 0.9 * neck_r * back,
                poll + 0.6 * neck_r * back, (0.25 * neck_r, thick * neck_r), marks)
    # Tail.
    tail_root_r = 0.5 * shape.tail[1] * h
    for k, bone in enumerate(TAIL_BONES):
        a, b = p.rest(bone)
        r = tail_root_r * (1.0 - 0.25 * k)
        p.capsule(bone, a, b, r, coat if k < 2 or "tail_hair" not in features else marks)
    if "tail_hair" in features:  # a horse's long tail hair, on each link so it bends along
        for k, bone in enumerate(TAIL_BONES[1:]):
            a, b = p.rest(bone)
            p.along(bone, a - 0.15 * (b - a), b + 0.15 * (b - a),
                    ((1.5 + 0.3 * k) * tail_root_r, (2.0 + 0.4 * k) * tail_root_r), marks)
    if "tail_tuft" in features:
        a, b = p.rest(TAIL_BONES[2])
        p.along(TAIL_BONES[2], a + 0.4 * (b - a), b + 0.3 * (b - a),
                (2.5 * tail_root_r, 2.5 * tail_root_r), marks)
    if "pompom" in features:
        p.add(TAIL_BONES[2], "sphere", (0.1 * h,), p.rest(TAIL_BONES[2])[1], rgb=coat)
    # Legs: a thigh or shoulder on top, tapering to the foot.
    thick = 0.5 * shape.legs[0] * h
    for leg in LEGS:
        front = leg[0] == "f"
        top, knee = p.rest(f"upper_{leg}")
        p.along(f"upper_{leg}", top + np.array([0, 0, 0.25 * depth]), knee,
                ((1.5 if front else 1.8) * thick, (2.0 if front else 2.6) * thick), coat)
        a, b = p.rest(f"lower_{leg}")
        p.capsule(f"lower_{leg}", a, b, 0.95 * thick, coat)
        a, b = p.rest(f"cannon_{leg}")
        low = marks if "dark_face" in features else coat
        p.capsule(f"cannon_{leg}", a, b, 0.72 * thick, low)
        if "pompom" in features:
            p.add(f"cannon_{leg}", "sphere", (1.6 * thick,), b, rgb=coat)
        fetlock, toe = p.rest(f"foot_{leg}")
        fh = float(fetlock[2])
        if shape.foot == "hoof":
            p.capsule(f"foot_{leg}", fetlock, fetlock + np.array([0.2 * fh, 0, -0.5 * fh]),
                      0.72 * thick, low)
            p.add(f"foot_{leg}", "cylinder", (0.9 * thick, 0.3 * fh),
                  (fetlock[0] + 0.3 * fh, fetlock[1], 0.3 * fh), rgb=DARK)
        elif shape.foot == "pad":
            p.add(f"foot_{leg}", "cylinder", (1.1 * thick, 0.5 * fh),
                  (fetlock[0] + 0.1 * fh, fetlock[1], 0.5 * fh), rgb=coat)
        else:
            p.along(f"foot_{leg}", fetlock + np.array([-0.3 * fh, 0, -0.3 * fh]),
                    toe + np.array([0, 0, 0.35 * fh]), (0.9 * thick, 0.55 * fh), low)
    if "stripes" in features:
        _stripes(p, body, marks)
    if "patches" in features:
        _patches(p, body, marks, seed)
    return tuple(p.parts)


def _stripes(p: _Parts, body: AnimalBody, colour) -> None:
    """A zebra's bands: thin slices of each body ellipsoid a hair wider than it, so they wrap
    round the body, the neck and the legs as dark rings."""
    for part in list(p.parts):
        if part.geom != "ellipsoid" or part.rgba[:3] != body.colours[0]:
            continue
        if part.bone.startswith(("ear", "foot")):
            continue
        length = part.size[0]
        bands = max(2, int(round(2 * length / (0.085 * body.shoulder_height))))
        for k in range(bands):
            u = -0.85 + 1.7 * (k + 0.5) / bands
            across = math.sqrt(max(1 - u * u, 0.0))
            rot = _rot(part.quat)
            centre = np.asarray(part.pos) + rot @ np.array([u * length, 0, 0])
            p.parts.append(AnimalPart(part.bone, "ellipsoid",
                                      (0.022 * body.shoulder_height, part.size[1] * across * 1.03
                                       + 0.002, part.size[2] * across * 1.03 + 0.002),
                                      tuple(map(float, centre)), part.quat, (*colour, 1.0)))
    for part in list(p.parts):
        if part.geom == "capsule" and part.bone.split("_")[0] in ("lower", "cannon", "upper"):
            rot = _rot(part.quat)
            for k in range(3):
                u = -0.7 + 0.7 * k
                centre = np.asarray(part.pos) + rot @ np.array([0, 0, u * part.size[1]])
                p.parts.append(AnimalPart(part.bone, "cylinder",
                                          (part.size[0] * 1.06, 0.012 * body.shoulder_height),
                                          tuple(map(float, centre)), part.quat,
                                          (*colour, 1.0)))


def _patches(p: _Parts, body: AnimalBody, colour, seed: int) -> None:
    """A giraffe's or a Holstein cow's patches: flat dark discs set into the body's surface."""
    rng = generator(seed, f"animal.patches.{body.species}")
    giraffe = body.species == "giraffe"
    targets = [part for part in list(p.parts) if part.geom == "ellipsoid"
               and part.bone in ("pelvis", "spine", "chest", "neck")
               and part.rgba[:3] == body.colours[0]]
    for part in targets:
        rot = _rot(part.quat)
        count = 24 if giraffe else 3
        for _ in range(count):
            u = rng.uniform(-0.8, 0.8)
            v = rng.uniform(0, 2 * math.pi)
            r = math.sqrt(1 - u * u)
            local = np.array([u * part.size[0], r * part.size[1] * math.cos(v),
                              r * part.size[2] * math.sin(v)])
            normal = local / np.square(np.asarray(part.size))
            normal /= np.linalg.norm(normal)
            centre = np.asarray(part.pos) + rot @ (local - 0.35 * _spot(body, giraffe) * normal)
            size = _spot(body, giraffe) * rng.uniform(0.8, 1.2)
            p.parts.append(AnimalPart(part.bone, "ellipsoid", (size, size * 0.9, size * 0.45),
                                      tuple(map(float, centre)), _quat_z_to(rot @ normal),
                                      (*colour, 1.0)))


def _spot(body: AnimalBody, giraffe: bool) -> float:
    return (0.05 if giraffe else 0.12) * body.shoulder_height


def _rot(q) -> np.ndarray:
    w, x, y, z = q
    return np.array([[1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
                     [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
                     [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)]])
