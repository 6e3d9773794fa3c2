"""The water of a Setting: where it is, how high its surface stands at any moment, how it flows.

Physics (buoyancy and drag, physics.media) and the preview renderer (the drawn surface) both read
the one `Water` that `water_of` makes from a Setting, so a ball bobs exactly with the waves that
are drawn. The water is a pool filling the floor area (Setting.water_level alone, standing on
the floor at z = 0), or a sea beyond a straight shoreline (Setting.sea, or the environment's own
sea when the Setting says nothing about water). A sea is a real shore: the sand (z = 0) runs to
the shoreline, where the still water meets it; from there the bottom slopes down (`bottom`) to a
flat bed `depth` (Setting.water_level) below the surface. The floor that physics stands things
on and the picture draws (assets.mujoco_spec) is this same bottom.

The swell is linear (Airy) wave theory (Dean & Dalrymple, "Water
Wave Mechanics for Engineers and Scientists", 1991, ch. 3-4): each component is
eta = a cos(k s - w t + phi) along its heading s, with the dispersion relation
w^2 = g k tanh(k h) for depth h, and orbital velocities
u = a w cosh(k z) / sinh(k h) cos(.) (horizontal, along the heading),
w_z = a w sinh(k z) / sinh(k h) sin(.) (vertical), z above the bottom. Two fixed components (a
main swell running in to the shore, a smaller, shorter one at an angle) keep the surface from
looking like a corrugated sheet; there is no randomness, so the same Scene moves the same way.
Its wavenumbers are those of the flat bed's depth; over the slope the local depth h sets the
orbits, and the waves are depth-limited as in a surf zone: crest to trough at most
BREAKER_INDEX * h, so they die out at the waterline instead of flooding the sand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from worldreel.assets.environments import environment
from worldreel.scene.models import Sea, Setting

# The swell's components: (share of the amplitude, period as a fraction of the sea's period,
# heading turned from straight in to the shore (degrees), phase (rad)). The amplitudes sum to
# half the wave height, so crest to trough is at most `wave_height`.
SWELL = ((0.70, 1.0, 0.0, 0.0), (0.30, 0.62, 28.0, 1.9))

# The still sea stands level with the sand where it meets it: the shoreline is the waterline.
SEA_SURFACE_M = 0.0
# The foreshore drops 1 m in 10 (5.7 deg): the beach face of a medium-sand beach (grain
# 0.3-0.5 mm); fine-sand beaches are flatter (1:30-1:50), shingle steeper (1:5) (Bascom, "The
# relationship between sand size and beach-face slope", Trans. AGU 32(6), 1951; Komar, "Beach
# Processes and Sedimentation", 1998, fig. 7-6).
BEACH_SLOPE = 0.1
# A wave breaks once its height exceeds 0.78 of the water's depth (McCowan, 1894; the usual
# depth-limited breaker index, Dean & Dalrymple ch. 4): in the surf zone the height is held there.
BREAKER_INDEX = 0.78
SHALLOWEST_M = 1e-3  # depth under which orbits are taken at this depth (no division by zero)


@dataclass(frozen=True)
class Wave:
    """One linear wave component: amplitude (m), wavenumber (rad/m), angular frequency (rad/s),
    unit heading (the direction it travels, x, y) and phase (rad)."""

    amplitude: float
    k: float
    omega: float
    heading: tuple[float, float]
    phase: float


def wavenumber(omega: float, depth: float, g: float) -> float:
    """k solving w^2 = g k tanh(k h) (finite-depth dispersion), by Newton's method."""
    if g <= 0.0 or depth <= 0.0:
        return omega * omega / max(g, 1e-9)
    k = omega / math.sqrt(g * depth)  # shallow-water guess, good where it matters
    for _ in range(30):
        t = math.tanh(k * depth)
        f = g * k * t - omega * omega
        df = g * t + g * k * depth * (1.0 - t * t)
        step = f / df
        k -= step
        if abs(step) < 1e-12 * k:
            break
    return k


@dataclass(frozen=True)
class Water:
    """Still or moving water with its mean surface at world height `level` (m).

    `shore` None: a pool, `level` deep on the floor (z = 0) over the whole floor area.
    Otherwise a sea: there is water only where a point's distance along `toward` (unit,
    horizontal) exceeds `shore`, over a bottom that slopes down at `slope` from the sand at
    the shore to a flat bed `depth` below the surface.
    """

    level: float
    shore: float | None = None
    toward: tuple[float, float] = (1.0, 0.0)
    waves: tuple[Wave, ...] = ()
    depth: float | None = None  # the flat bed's depth below `level`; None: `level` (a pool)
    slope: float = BEACH_SLOPE

    @property
    def amplitude(self) -> float:
        """The most the surface rises above (or falls below) its mean level, m."""
        return float(sum(w.amplitude for w in self.waves))

    @property
    def bed(self) -> float:
        """World z of the flat bottom out at sea (of a pool: the floor)."""
        return self.level - (self.level if self.depth is None else self.depth)

    @property
    def slope_end(self) -> float | None:
        """Distance along `toward` where the slope reaches the flat bed; None for a pool."""
        if self.shore is None:
            return None
        return self.shore + (SEA_SURFACE_M - self.bed) / self.slope

    def _offshore(self, x, y) -> np.ndarray:
        """How far each point lies beyond the shoreline (negative: on the sand), m."""
        x, y = np.asarray(x, float), np.asarray(y, float)
        return x * self.toward[0] + y * self.toward[1] - (self.shore or 0.0)

    def covers(self, x, y) -> np.ndarray:
        """Whether each point (x, y) lies over the water."""
        if self.shore is None:
            return np.ones(np.broadcast(np.asarray(x), np.asarray(y)).shape, bool)
        return self._offshore(x, y) > 0.0

    def bottom(self, x, y) -> np.ndarray:
        """World z of the ground under each point: the sand (0) up to the shore, then the
        slope down to the bed; under a pool, the floor."""
        if self.shore is None:
            return np.zeros(np.broadcast(np.asarray(x), np.asarray(y)).shape)
        down = SEA_SURFACE_M - self.slope * np.maximum(self._offshore(x, y), 0.0)
        return np.maximum(down, self.bed)

    def water_depth(self, x, y) -> np.ndarray:
        """Depth of the still water over each point, m (0 on the sand)."""
        return np.where(self.covers(x, y), np.maximum(self.level - self.bottom(x, y), 0.0), 0.0)

    def _surf(self, depth: np.ndarray) -> np.ndarray:
        """Share (0..1) of the swell's amplitude that the local depth lets through unbroken."""
        if not self.waves:
            return np.ones_like(depth)
        return np.minimum(1.0, BREAKER_INDEX * depth / (2.0 * self.amplitude))

    def _angles(self, wave: Wave, x, y, t: float) -> np.ndarray:
        s = np.asarray(x, float) * wave.heading[0] + np.asarray(y, float) * wave.heading[1]
        return wave.k * s - wave.omega * t + wave.phase

    def height(self, x, y, t: float) -> np.ndarray:
        """World height of the surface over each point (x, y) at time t (s)."""
        eta = np.zeros(np.broadcast(np.asarray(x), np.asarray(y)).shape)
        for wave in self.waves:
            eta = eta + wave.amplitude * np.cos(self._angles(wave, x, y, t))
        if self.waves:
            eta = eta * self._surf(self.water_depth(x, y))
        return self.level + eta

    def flow(self, x, y, z, t: float) -> np.ndarray:
        """Velocity of the water (..., 3) at points (x, y, z) at time t: the waves' orbits."""
        x, y, z = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float),
                                      np.asarray(z, float))
        velocity = np.zeros((*x.shape, 3))
        if not self.waves:
            return velocity
        depth = np.maximum(self.water_depth(x, y), SHALLOWEST_M)
        surf = self._surf(depth)
        height = np.clip(z - self.bottom(x, y), 0.0, depth)  # above the surface: as at it
        for wave in self.waves:
            theta = self._angles(wave, x, y, t)
            scale = surf * wave.amplitude * wave.omega / np.sinh(wave.k * depth)
            along = scale * np.cosh(wave.k * height) * np.cos(theta)
            velocity[..., 0] += along * wave.heading[0]
            velocity[..., 1] += along * wave.heading[1]
            velocity[..., 2] += scale * np.sinh(wave.k * height) * np.sin(theta)
        return velocity


def _swell(sea: Sea, depth: float, g: float, toward: tuple[float, float]) -> tuple[Wave, ...]:
    if sea.wave_height <= 0.0 or depth <= 0.0 or g <= 0.0:
        return ()
    inward = math.atan2(-toward[1], -toward[0])  # waves run in towards the shore
    waves = []
    for share, period, turn, phase in SWELL:
        omega = 2.0 * math.pi / (sea.wave_period * period)
        heading = inward + math.radians(turn)
        waves.append(Wave(0.5 * sea.wave_height * share, wavenumber(omega, depth, g), omega,
                          (math.cos(heading), math.sin(heading)), phase))
    return tuple(waves)


def water_of(setting: Setting) -> Water | None:
    """The Setting's water: its own level and sea, else the environment's sea; None if dry.

    A level with no sea floods the floor area (a pool, a bathtub), unless the environment has a
    sea of its own (a beach), whose region it then fills: a beach is never flooded. For a sea
    the level is the depth of its bed: its surface meets the sand at the shore.
    """
    env = environment(setting.environment)
    own = env.sea
    level = setting.water_level
    if level is None and own is not None:
        level = env.sea_depth
    if level is None or level <= 0.0:
        return None
    sea = setting.sea or own
    if sea is None:
        return Water(level)
    norm = math.hypot(*sea.toward)
    toward = (sea.toward[0] / norm, sea.toward[1] / norm)
    g = float(np.linalg.norm(setting.gravity))
    return Water(SEA_SURFACE_M, sea.shore, toward, _swell(sea, level, g, toward), depth=level)
