"""Birds and fish in the preview: each member of a Recording's flocks drawn as a few shapes
(body, head, beak, tail, legs, two wings hinged at the shoulders; a fish's two-part body bending
to its tail beat, and its fins), posed from the FlockTrack at each frame.

They are added to the drawn scene as decoration geoms after MuJoCo's own, not compiled into the
model: a flock is dozens of members whose wings move freely every frame, and none of them is
anything physics needs.
"""

from __future__ import annotations

import math

import numpy as np

from worldreel.assets.flocks import Species, species
from worldreel.recording import FlockTrack, Recording

ELLIPSOID, BOX, CAPSULE, SPHERE = "ellipsoid", "box", "capsule", "sphere"
# The preview's water is one tinted sheet: a fish under it loses its colour more than under
# clear pond water, where a goldfish 10 cm down is plainly orange. A little self-light on fish
# (MuJoCo's emission, 0..1) keeps their colour.
FISH_GLOW = 0.35


def _rgba(hex_colour: str) -> np.ndarray:
    value = hex_colour.lstrip("#")
    return np.array([int(value[k:k + 2], 16) / 255.0 for k in (0, 2, 4)] + [1.0], np.float32)


def _quat_matrix(q: np.ndarray) -> np.ndarray:
    w, x, y, z = q / max(float(np.linalg.norm(q)), 1e-12)
    return np.array([[1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y)],
                     [2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x)],
                     [2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y)]])


def _rot_z(angle: float) -> np.ndarray:
    c, s = math.cos(angle), math.sin(angle)
    return np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])


def _rot_y(angle: float) -> np.ndarray:
    c, s = math.cos(angle), math.sin(angle)
    return np.array([[c, 0.0, s], [0.0, 1.0, 0.0], [-s, 0.0, c]])


def _frame(x_axis: np.ndarray, hint: np.ndarray) -> np.ndarray:
    """A rotation whose x axis is `x_axis` and whose y axis lies towards `hint`."""
    x = x_axis / max(float(np.linalg.norm(x_axis)), 1e-12)
    y = hint - np.dot(hint, x) * x
    y = y / max(float(np.linalg.norm(y)), 1e-12)
    return np.column_stack([x, y, np.cross(x, y)])


def bird_parts(kind: Species, wing: float, spread: float, standing: bool
               ) -> list[tuple[str, np.ndarray, np.ndarray, np.ndarray, str]]:
    """The shapes of one bird in its body frame (x forward, y left, z up, origin the body's
    centre): (shape, half sizes, centre, rotation, colour name)."""
    L, span = kind.length_m, kind.wingspan_m
    chord = kind.wing_area_m2 / max(span, 1e-6)  # mean chord
    eye = np.eye(3)
    slim = 0.11 if kind.name == "seagull" else 0.13
    parts = [
        (ELLIPSOID, np.array([0.27 * L, slim * L, slim * L]), np.zeros(3), eye, "body"),
        (ELLIPSOID, np.array([0.2 * L, 0.9 * slim * L, 0.7 * slim * L]),
         np.array([0.02 * L, 0.0, -0.04 * L]), eye, "belly"),
        (ELLIPSOID, np.array([0.1 * L, 0.085 * L, 0.1 * L]), np.array([0.2 * L, 0.0, 0.07 * L]),
         _rot_y(-0.5), "neck"),
        (SPHERE, np.array([0.075 * L, 0, 0]), np.array([0.29 * L, 0.0, 0.13 * L]), eye, "head"),
    ]
    beak = 0.075 * L if kind.name == "seagull" else 0.05 * L
    parts.append((ELLIPSOID, np.array([beak, 0.018 * L, 0.016 * L]),
                  np.array([0.36 * L + beak * 0.6, 0.0, 0.115 * L]), _rot_y(0.15), "beak"))
    parts.append((BOX, np.array([0.16 * L, 0.06 * L, 0.008 * L]),
                  np.array([-0.36 * L, 0.0, 0.02 * L]), _rot_y(0.12), "tail"))
    if standing:
        leg = max(kind.stand_m - slim * L * 0.8, 0.005)
        for side in (1.0, -1.0):
            parts.append((CAPSULE, np.array([0.012 * L, leg / 2, 0]),
                          np.array([0.02 * L, side * 0.05 * L, -slim * L * 0.8 - leg / 2]), eye,
                          "legs"))
    reach = 0.5 * span - 0.6 * slim * L  # shoulder to wingtip
    for side in (1.0, -1.0):
        shoulder = np.array([0.06 * L, side * 0.6 * slim * L, 0.07 * L])
        out = np.array([0.0, side * math.cos(wing), math.sin(wing)])
        folded = np.array([-1.0, side * 0.1, 0.06])
        direction = spread * out + (1.0 - spread) * folded
        direction /= max(float(np.linalg.norm(direction)), 1e-9)
        length = reach * (0.4 + 0.6 * spread)  # a folded wing is doubled up on itself
        frame = _frame(direction, np.array([1.0, 0.0, 0.0]) if spread > 0.3 else
                       np.array([0.0, 0.0, 1.0]))
        back = body_back = np.array([-1.0, 0.0, 0.0]) * chord * 0.15 * spread
        # arm (broad, at the body) and hand (narrower, swept back, darker primaries at the tip)
        arm, hand = 0.45 * length, 0.55 * length
        parts.append((ELLIPSOID, np.array([0.55 * arm, 0.5 * chord, 0.012 * L]),
                      shoulder + direction * 0.5 * arm, frame, "wing"))
        parts.append((ELLIPSOID, np.array([0.5 * hand, 0.36 * chord, 0.01 * L]),
                      shoulder + direction * (arm + 0.45 * hand) + back, frame, "wing"))
        parts.append((ELLIPSOID, np.array([0.24 * hand, 0.25 * chord, 0.011 * L]),
                      shoulder + direction * (arm + 0.78 * hand) + 1.6 * body_back, frame,
                      "wingtip"))
        if kind.colours["bar"] != kind.colours["wing"]:
            parts.append((ELLIPSOID, np.array([0.07 * length, 0.5 * chord, 0.013 * L]),
                          shoulder + direction * (0.3 * arm), frame, "bar"))
    return parts


def fish_parts(kind: Species, bend: float) -> list[tuple[str, np.ndarray, np.ndarray,
                                                          np.ndarray, str]]:
    """The shapes of one fish in its body frame, its rear half and tail turned by `bend`
    (rad, the tail beat's body wave)."""
    L = kind.length_m
    eye = np.eye(3)
    joint = np.array([-0.05 * L, 0.0, 0.0])
    rear = _rot_z(0.6 * bend)
    tail = _rot_z(1.2 * bend)
    rear_centre = joint + rear @ np.array([-0.17 * L, 0.0, 0.0])
    fin_centre = joint + rear @ np.array([-0.34 * L, 0.0, 0.0]) + tail @ np.array(
        [-0.07 * L, 0.0, 0.0])
    return [
        (ELLIPSOID, np.array([0.26 * L, 0.085 * L, 0.12 * L]), np.array([0.1 * L, 0, 0]), eye,
         "body"),
        (ELLIPSOID, np.array([0.2 * L, 0.07 * L, 0.06 * L]), np.array([0.08 * L, 0, -0.06 * L]),
         eye, "belly"),
        (ELLIPSOID, np.array([0.2 * L, 0.055 * L, 0.08 * L]), rear_centre, rear, "body"),
        (BOX, np.array([0.07 * L, 0.005 * L, 0.11 * L]), fin_centre, tail, "fin"),
        (BOX, np.array([0.08 * L, 0.004 * L, 0.045 * L]), np.array([0.05 * L, 0, 0.14 * L]),
         _rot_y(0.3), "fin"),
    ]


class FlockPainter:
    """Draws every flock of a Recording into a MuJoCo scene at a (fractional) sample."""

    def __init__(self, recording: Recording):
        self.tracks = recording.flocks
        self.kinds = {t.id: species(t.species) for t in self.tracks}
        self.colours = {t.id: {name: _rgba(c) for name, c in self.kinds[t.id].colours.items()}
                        for t in self.tracks}

    @staticmethod
    def _at(track: FlockTrack, sample: float):
        last = len(track.positions) - 1
        sample = min(max(sample, 0.0), last)
        i = int(math.floor(sample))
        j, a = min(i + 1, last), sample - math.floor(sample)
        pos = (1 - a) * track.positions[i] + a * track.positions[j]
        q0, q1 = track.quaternions[i], track.quaternions[j]
        q1 = np.where((np.sum(q0 * q1, axis=1) < 0)[:, None], -q1, q1)
        quat = (1 - a) * q0 + a * q1
        wing = (1 - a) * track.wing[i] + a * track.wing[j]
        spread = (1 - a) * track.spread[i] + a * track.spread[j]
        return pos, quat, wing, spread

    def shapes(self, sample: float):
        """Every shape to draw at `sample`: (kind, half sizes, world centre, world rotation,
        rgba, emission)."""
        for track in self.tracks:
            kind, colours = self.kinds[track.id], self.colours[track.id]
            pos, quat, wing, spread = self._at(track, sample)
            for b in range(track.count):
                body = _quat_matrix(quat[b])
                if kind.is_fish:
                    parts = fish_parts(kind, float(wing[b]))
                else:
                    standing = spread[b] < 0.05 and abs(float(wing[b])) < 1e-6
                    parts = bird_parts(kind, float(wing[b]), float(spread[b]), standing)
                glow = FISH_GLOW if kind.is_fish else 0.0
                for shape, size, centre, rotation, colour in parts:
                    yield (shape, size, pos[b] + body @ centre, body @ rotation,
                           colours[colour], glow)

    def shadows(self, sample: float):
        """(x, y, radius, height) of a soft shadow under each bird near the ground."""
        for track in self.tracks:
            kind = self.kinds[track.id]
            if kind.is_fish:
                continue
            pos = self._at(track, sample)[0]
            for b in range(track.count):
                height = float(pos[b, 2]) - kind.stand_m
                if height < 4.0:
                    yield float(pos[b, 0]), float(pos[b, 1]), 0.35 * kind.length_m, \
                        max(height, 0.0)
