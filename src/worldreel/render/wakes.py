"""Boats' wakes in the preview: a foam streak on the water behind a boat under way.

The churned water a hull and its propeller leave behind stays white for a few seconds
(WAKE_S) as a streak about the boat's beam wide, spreading slowly and fading. It is drawn as
flat white ellipses on the sea's surface (assets.water, at the frame's time) along where the
boat's stern was over those seconds (the Recording's poses), each as strong as the boat was fast
when it left it: none below FOAM_SPEED_M_S (a dinghy rowing leaves ripples, not foam), full from
FULL_FOAM_M_S. Decoration geoms only, like render.birds: nothing physics needs.
"""

from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.assets.boats import boat_spec
from worldreel.assets.water import Water, water_of
from worldreel.recording import Recording
from worldreel.scene import Scene

WAKE_S = 3.0  # how long the foam stays white behind the boat
PATCHES_PER_S = 12.0
FOAM_SPEED_M_S = 2.5  # slower than this: no foam
FULL_FOAM_M_S = 7.0
SPREAD = 0.25  # the streak widens by this many metres a second of age, each side
FOAM_RGB = (0.93, 0.96, 0.98)
FOAM_ALPHA = 0.75


class WakePainter:
    """The foam patches of every boat of a Recording, frame by frame."""

    def __init__(self, scene: Scene, recording: Recording, water: Water):
        self.recording, self.water = recording, water
        self.boats = []
        for entity in scene.entities:
            spec = boat_spec(entity.asset)
            if spec is None or entity.id not in recording.entity_ids:
                continue
            k = recording.index(entity.id)
            q = recording.quaternions[:, k]
            ahead = Rotation.from_quat(q[:, [1, 2, 3, 0]]).apply([1.0, 0.0, 0.0])
            stern = recording.positions[:, k] - spec.hull.half_length * ahead
            speed = np.linalg.norm(recording.velocities[:, k, :2], axis=1)
            self.boats.append((stern, ahead, speed, spec.shape.beam))

    @classmethod
    def of(cls, scene: Scene, recording: Recording) -> "WakePainter | None":
        """A painter if the Scene has boats on water, else None."""
        water = water_of(scene.setting)
        if water is None or not any(boat_spec(e.asset) for e in scene.entities):
            return None
        return cls(scene, recording, water)

    def patches(self, sample: float) -> list[tuple[tuple, tuple, np.ndarray, tuple]]:
        """(half sizes, centre, rotation matrix (9,), rgba) of every foam patch at a sample."""
        rate = self.recording.sample_rate
        now = sample / rate
        step = max(1, int(round(rate / PATCHES_PER_S)))
        out = []
        newest = int(np.floor(sample))
        for stern, ahead, speed, beam in self.boats:
            for j in range(newest, max(newest - int(WAKE_S * rate), -1), -step):
                age = now - j / rate
                strength = np.clip((speed[j] - FOAM_SPEED_M_S) / (FULL_FOAM_M_S - FOAM_SPEED_M_S),
                                   0.0, 1.0)
                if strength <= 0.0:
                    continue
                alpha = FOAM_ALPHA * strength * (1.0 - age / WAKE_S)
                x, y = stern[j, :2]
                z = float(self.water.height(x, y, now)) + 0.015
                half_width = 0.3 * beam + SPREAD * age
                half_length = 0.6 * speed[j] * step / rate + 0.1
                yaw = float(np.arctan2(ahead[j, 1], ahead[j, 0]))
                turn = Rotation.from_euler("z", yaw).as_matrix().reshape(-1)
                out.append(((half_length, half_width, 0.004), (x, y, z), turn,
                            (*FOAM_RGB, float(alpha))))
        return out
