"""The water of a Setting: where it is, how high its surface stands at any moment, how it flows.

Physics (buoyancy and drag, physics.media) and the preview renderer (the drawn surface) both read
the one `Water` that `water_of` makes from a Setting, so a ball bobs exactly with the waves that
are drawn. The water is a pool filling the floor area (Setting.water_level alone), or a sea
beyond a straight shoreline (Setting.sea, or the environment's own sea when the Setting says
nothing about water).

The swell is linear (Airy) wave theory over a flat bottom at z = 0 (Dean & Dalrymple, "Water
Wave Mechanics for Engineers and Scientists", 1991, ch. 3-4): each component is
eta = a cos(k s - w t + phi) along its heading s, with the dispersion relation
w^2 = g k tanh(k h) for depth h, and orbital velocities
u = a w cosh(k z) / sinh(k h) cos(.) (horizontal, along the heading),
w_z = a w sinh(k z) / sinh(k h) sin(.) (vertical), z above the bottom. Two fixed components (a
main swell running in to the shore, a smaller, shorter one at an angle) keep the surface from
looking like a corrugated sheet; there is no randomness, so the same Scene moves the same way.
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
    """Still or moving water with its mean surface at `level` (m above the floor).

    `shore` None: the water fills the floor area. Otherwise there is water only where a
    point's distance along `toward` (unit, horizontal) exceeds `shore`.
    """

    level: float
    shore: float | None = None
    toward: tuple[float, float] = (1.0, 0.0)
    waves: tuple[Wave, ...] = ()

    @property
    def amplitude(self) -> float:
        """The most the surface rises above (or falls below) its mean level, m."""
        return float(sum(w.amplitude for w in self.waves))

    def covers(self, x, y) -> np.ndarray:
        """Whether each point (x, y) lies over the water."""
        x, y = np.asarray(x, float), np.asarray(y, float)
        if self.shore is None:
            return np.ones(np.broadcast(x, y).shape, bool)
        return x * self.toward[0] + y * self.toward[1] > self.shore

    def _angles(self, wave: Wave, x, y, t: float) -> np.ndarray:
        s = np.asarray(x, float) * wave.heading[0] + np.asarray(y, float) * wave.heading[1]
        return wave.k * s - wave.omega * t + wave.phase

    def height(self, x, y, t: float) -> np.ndarray:
        """Height of the surface (m above the floor) over each point (x, y) at time t (s)."""
        eta = np.full(np.broadcast(np.asarray(x), np.asarray(y)).shape, self.level, float)
        for wave in self.waves:
            eta = eta + wave.amplitude * np.cos(self._angles(wave, x, y, t))
        return eta

    def flow(self, x, y, z, t: float) -> np.ndarray:
        """Velocity of the water (..., 3) at points (x, y, z) at time t: the waves' orbits."""
        x, y, z = np.broadcast_arrays(np.asarray(x, float), np.asarray(y, float),
                                      np.asarray(z, float))
        velocity = np.zeros((*x.shape, 3))
        depth = self.level
        height = np.clip(z, 0.0, depth)  # above the mean surface: as at the surface
        for wave in self.waves:
            theta = self._angles(wave, x, y, t)
            scale = wave.amplitude * wave.omega / math.sinh(wave.k * depth)
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
    sea of its own (a beach), whose region it then fills: a beach is never flooded.
    """
    env = environment(setting.environment)
    own = env.sea
    level = setting.water_level
    if level is None and own is not None:
        level = env.sea_level
    if level is None or level <= 0.0:
        return None
    sea = setting.sea or own
    if sea is None:
        return Water(level)
    norm = math.hypot(*sea.toward)
    toward = (sea.toward[0] / norm, sea.toward[1] / norm)
    g = float(np.linalg.norm(setting.gravity))
    return Water(level, sea.shore, toward, _swell(sea, level, g, toward))
