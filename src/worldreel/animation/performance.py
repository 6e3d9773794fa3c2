"""What the animation stage hands to physics: each character's bones over time, and the grips
by which hands take hold of things.

A Performance samples every bone's world pose at `rate` samples a second from t = 0 to the clip's
end; physics interpolates between samples at each step and moves the character's limbs there
kinematically, so the world answers a kick or a push, and a held thing goes where the hand goes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from worldreel.timeline import TimedStep

if TYPE_CHECKING:
    from worldreel.animation.riding import RideInput


@dataclass(frozen=True)
class Grip:
    """A hand holding a thing from `start` to `end` (clip seconds; None: to the clip's end).

    on_contact: the grip starts at the hand's first touch of the thing inside [start, end)
    (a catch), not at `start`. release_velocity: the world velocity (m/s) the thing leaves
    with at `end` (a throw, aimed by the animation stage); None: the hand's own velocity.
    offset: the thing is put there in the hand when the grip starts (a thing held from the
    start); None: it is taken where it is (a pick-up brings the hand to it).
    """

    character: str
    hand: str  # bone name, "hand_l" or "hand_r"
    entity: str
    start: float
    end: float | None = None
    on_contact: bool = False
    release_velocity: tuple[float, float, float] | None = None
    offset: tuple[float, float, float] | None = None  # where in the hand's frame (from its
    # bone head) the thing sits; None: where it is when the grip starts
    turn: tuple[float, float, float, float] | None = None  # its rotation (w, x, y, z) in the
    # hand's frame when put there; None: as it is when the grip starts


@dataclass(frozen=True)
class Performance:
    """One character's motion: bone poses at `rate` Hz (sample i at t = i / rate)."""

    character: str
    rate: float
    bones: tuple[str, ...]
    positions: np.ndarray  # (N, B, 3) world position of each bone's head
    quaternions: np.ndarray  # (N, B, 4) w, x, y, z: each bone's rotation from rest
    face_units: tuple[str, ...] = ()
    face: np.ndarray | None = None  # (N, U) weights 0..1
    grips: tuple[Grip, ...] = ()
    steps: tuple[TimedStep, ...] = ()  # when each step of the script played
    ride: "RideInput | None" = None  # a vehicle's rider: solved again on the vehicle's
    # motion once physics has played it (physics.riders); the bones here sit it still

    def at(self, times: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
        """Bone positions, quaternions and face weights at arbitrary times (interpolated:
        linear positions and weights, normalized-linear quaternions)."""
        times = np.asarray(times, dtype=float)
        last = len(self.positions) - 1
        x = np.clip(times * self.rate, 0.0, last)
        i = np.minimum(np.floor(x).astype(int), max(last - 1, 0))
        j = np.minimum(i + 1, last)
        a = (x - i)[:, None, None]
        pos = (1 - a) * self.positions[i] + a * self.positions[j]
        q0, q1 = self.quaternions[i], self.quaternions[j]
        q1 = np.where((np.sum(q0 * q1, axis=-1) < 0)[..., None], -q1, q1)
        quat = (1 - a) * q0 + a * q1
        quat /= np.linalg.norm(quat, axis=-1, keepdims=True)
        face = None
        if self.face is not None:
            face = (1 - a[:, :, 0]) * self.face[i] + a[:, :, 0] * self.face[j]
        return pos, quat, face
