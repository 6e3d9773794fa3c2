"""A ridden horse's tack: where its saddle puts the rider (animation.riding sits the rider
there) and the solids of the saddle, its cloth and the bridle, on the horse's bones in their
rest frames (as its look's parts are). The reins and stirrups join the horse to the rider's
hands and feet, so they are posed with both at render time (render.animals).

A general-purpose English saddle sits behind the withers over the front of the barrel's
middle: its seat a little forward of the barrel's middle, SADDLE_M above the back; a leather
seat ~0.5 m long and ~0.4 m wide over a cloth a little larger (saddlers' sizes: a 17 in seat).
"""

from __future__ import annotations

import numpy as np

from worldreel.assets.animals.body import AnimalBody
from worldreel.assets.animals.looks import AnimalPart, _quat_x_to, _quat_z_to

SADDLE_X = 0.06  # of the torso's length forward of the barrel's middle
SADDLE_M = 0.06  # the saddle's seat above the back
LEATHER = (0.30, 0.17, 0.08, 1.0)
CLOTH = (0.92, 0.90, 0.84, 1.0)
STEEL = (0.72, 0.73, 0.75, 1.0)
STRAP_M = 0.012  # a bridle strap's radius
REIN_M = 0.008


def saddle_seat(body: AnimalBody) -> np.ndarray:
    """The saddle's seat (where the rider's sit bones rest), in the horse's body frame."""
    length = body.shape.torso[0] * body.shoulder_height
    return np.array([SADDLE_X * length, 0.0, body.shoulder_height + SADDLE_M])


def bit_points(body: AnimalBody) -> tuple[np.ndarray, np.ndarray]:
    """The bit's rings at the corners of the mouth (left, right), in the body frame at rest:
    where the reins and the bridle's cheek straps meet."""
    poll, nose = body.heads[body.bone("head")], body.tails[body.bone("head")]
    along = (nose - poll) / np.linalg.norm(nose - poll)
    down = np.array([-along[2], 0.0, along[0]])
    if down[2] > 0:
        down = -down
    head_len, head_depth, head_width = (f * body.shoulder_height for f in body.shape.head[:3])
    corner = poll + 0.72 * head_len * along + 0.3 * head_depth * down
    half = np.array([0.0, 0.5 * body.shape.muzzle[1] * head_width + REIN_M, 0.0])
    return corner + half, corner - half


def _part(body: AnimalBody, bone: str, geom: str, size, centre, quat=(1.0, 0.0, 0.0, 0.0),
          rgba=LEATHER) -> AnimalPart:
    head = body.heads[body.bone(bone)]
    return AnimalPart(bone, geom, tuple(float(s) for s in size),
                      tuple(float(v) for v in np.asarray(centre, float) - head),
                      tuple(float(q) for q in quat), rgba)


def _strap(body: AnimalBody, bone: str, a, b, radius: float = STRAP_M) -> AnimalPart:
    a, b = np.asarray(a, float), np.asarray(b, float)
    return _part(body, bone, "capsule", (radius, 0.5 * np.linalg.norm(b - a)), 0.5 * (a + b),
                 _quat_z_to(b - a))


def tack_parts(body: AnimalBody) -> tuple[AnimalPart, ...]:
    """The saddle, its cloth, the girth and the bridle, as solids on the horse's bones."""
    h = body.shoulder_height
    length, depth, width = (f * h for f in body.shape.torso)
    zc = float(body.heads[body.bone("pelvis"), 2])
    seat = saddle_seat(body)
    parts = [
        # the cloth hangs over the back on both sides, the saddle on top of it
        # (centred above the barrel's middle, it shows from the back to halfway down)
        _part(body, "spine", "ellipsoid", (0.22 * length, 0.52 * width, 0.34 * depth),
              (seat[0], 0.0, zc + 0.2 * depth), rgba=CLOTH),
        _part(body, "spine", "ellipsoid", (0.17 * length, 0.36 * width, 0.11 * depth),
              (seat[0], 0.0, h - 0.02), rgba=LEATHER),
        # pommel and cantle
        _part(body, "spine", "ellipsoid", (0.03 * length, 0.14 * width, 0.06 * depth),
              (seat[0] + 0.15 * length, 0.0, h + 0.02), rgba=LEATHER),
        _part(body, "spine", "ellipsoid", (0.03 * length, 0.2 * width, 0.07 * depth),
              (seat[0] - 0.16 * length, 0.0, h + 0.025), rgba=LEATHER),
        # the girth round the barrel
        _part(body, "spine", "ellipsoid", (0.035 * length, 0.5 * width + 0.008,
                                           0.5 * depth + 0.008),
              (seat[0] + 0.1 * length, 0.0, zc), rgba=LEATHER),
    ]
    # the bridle: a crown piece behind the ears, cheek straps down to the bit, a noseband
    poll, nose = body.heads[body.bone("head")], body.tails[body.bone("head")]
    along = (nose - poll) / np.linalg.norm(nose - poll)
    head_len, head_depth, head_width = (f * h for f in body.shape.head[:3])
    left, right = bit_points(body)
    crown = poll + 0.1 * head_len * along
    for bit, sign in ((left, 1), (right, -1)):
        top = crown + np.array([0.0, sign * 0.5 * head_width, 0.0])
        parts.append(_strap(body, "head", top, bit))
        parts.append(_part(body, "head", "sphere", (0.022 * h / 1.6,), bit, rgba=STEEL))
    parts.append(_strap(body, "head", crown + [0, 0.5 * head_width, 0],
                        crown - [0, 0.5 * head_width, 0]))
    band = poll + 0.62 * head_len * along
    muzzle = 0.5 * body.shape.muzzle[1]
    parts.append(_part(body, "head", "ellipsoid",
                       (0.02 * head_len, muzzle * head_width + 0.012,
                        muzzle * head_depth * 1.15 + 0.012),
                       band, _quat_x_to(along), rgba=LEATHER))
    return tuple(parts)
