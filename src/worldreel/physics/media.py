"""Buoyancy and drag: bodies in water float or sink, balloons rise, light things fall slowly in air.

Forces are applied each step through `xfrc_applied`. Each geom is treated as the sphere of its own
volume (r = (3V / 4 pi)^(1/3)): its submerged volume is the spherical cap below the water level, and
Archimedes' force rho g V_sub acts upward at the cap's centre, so a body with its mass low and its
volume high (a duck) floats upright. The water is the Setting's (assets.water): a pool over the
whole floor, or a sea beyond a shoreline, where only geoms over the water feel it and the surface
rises and falls with the swell that the renderer draws; drag there is on the velocity relative to
the water's own (the waves' orbits), so a floating ball bobs and rocks with them. Drag is quadratic, F = 1/2 rho Cd A |v| v, on the body's
largest cross-section, with the water's density for the submerged share and the air's for the rest
(air only when the Setting asks for air drag). Rotation in water is damped the same way. Fluid
densities come from the materials table (MEDIA).

A thing blown up with a gas lighter than air (an asset's `gas`: a helium balloon) is buoyed by
the air it displaces, rho_air g V at its centre, and dragged by the air whatever the Setting's
air_drag says (without drag it would rise ever faster). Accelerating, it must also set the air
around it moving: an added mass of half the displaced air (a sphere in ideal flow, Lamb,
Hydrodynamics, art. 92), 8.4 g for a balloon of 5.3 g, so it starts up at 8 rather than 21
m/s^2. The forces on it are scaled so that, in free flight, it accelerates as a body of its own
mass plus the added mass under its weight, buoyancy and drag.

The forces are held for `interval_s` (a few physics steps) between updates. Drag on a light,
broad body is stiff: a feather on water would have its motion reversed, and then amplified, from
one update to the next (the simulation blew up within 10 ms). So drag may at most stop a body's
motion over one interval, never reverse it: the limit of the exact solution for large drag.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from worldreel.assets.materials import MEDIA
from worldreel.assets.water import water_of
from worldreel.scene import Scene

ROTATIONAL_DRAG = 0.02  # dimensionless torque coefficient of a body spinning in water
ADDED_MASS_COEFFICIENT = 0.5  # of the displaced fluid's mass, for a sphere (see above)


@dataclass
class _Body:
    body: int
    geoms: np.ndarray  # geom ids
    radii: np.ndarray  # equivalent-sphere radius of each geom
    area: float  # largest cross-section, m^2
    size: float  # characteristic radius, m
    cd: float
    mass: float  # kg
    inertia: float  # smallest principal moment, kg m^2
    volume: float  # m^3 of air it displaces when it is blown up with a gas, else 0


class Medium:
    """Applies buoyancy and drag to the free-moving bodies of a model each step."""

    def __init__(self, model, scene: Scene, bodies: list[tuple[int, float, bool]],
                 interval_s: float):
        """bodies: (body id, drag coefficient, blown up with a gas) of every body that moves;
        interval_s: how long each update's forces are held."""
        self.interval = interval_s
        setting = scene.setting
        self.water = water_of(setting)
        self.level = None if self.water is None else self.water.level
        self.air = MEDIA["air"].density if setting.medium == "air" else 0.0
        self.rho_air = self.air if setting.air_drag else 0.0
        self.rho_water = MEDIA["water"].density
        self.gravity = np.array(setting.gravity, dtype=float)
        self.g = float(np.linalg.norm(setting.gravity))
        self._bodies: list[_Body] = []
        for body, cd, gas in bodies:
            geoms = [g for g in range(model.ngeom) if model.geom_bodyid[g] == body
                     and (model.geom_contype[g] or model.geom_conaffinity[g])]
            if not geoms:
                continue
            volumes = np.array([_geom_volume(model, g) for g in geoms])
            radii = np.cbrt(3.0 * volumes / (4.0 * math.pi))
            size = float(np.cbrt(np.sum(radii**3)))
            extent = max(float(model.geom_rbound[g]) for g in geoms)
            area = max(math.pi * size * size, 0.5 * _flat_area(model, geoms), 1e-6)
            del extent
            self._bodies.append(_Body(body, np.array(geoms), radii, area, size, cd,
                                      float(model.body_mass[body]),
                                      float(np.min(model.body_inertia[body])),
                                      float(volumes.sum()) if gas else 0.0))

    @property
    def active(self) -> bool:
        return bool(self._bodies) and (self.level is not None or self.rho_air > 0.0
                                       or self.lifts)

    @property
    def lifts(self) -> bool:
        """Whether something lighter than air is buoyed up by it (acting from outside, as water
        does: energy is not conserved)."""
        return self.air > 0.0 and any(b.volume > 0.0 for b in self._bodies)

    def apply(self, mujoco, model, data, vel: np.ndarray) -> None:
        """Set xfrc_applied of every tracked body from the current state."""
        for b in self._bodies:
            data.xfrc_applied[b.body] = 0.0
            mujoco.mj_objectVelocity(model, data, mujoco.mjtObj.mjOBJ_BODY, b.body, vel, 0)
            omega, v = vel[:3], vel[3:]
            com = data.xipos[b.body]
            force = np.zeros(3)
            torque = np.zeros(3)
            wet = 0.0
            if self.water is not None:
                where = data.geom_xpos[b.geoms]
                z = where[:, 2]
                surface = self.water.height(where[:, 0], where[:, 1], float(data.time))
                h = np.clip(surface - (z - b.radii), 0.0, 2.0 * b.radii)
                h = np.where(self.water.covers(where[:, 0], where[:, 1]), h, 0.0)
                submerged = math.pi * h * h * (3.0 * b.radii - h) / 3.0
                total = 4.0 / 3.0 * math.pi * b.radii**3
                wet = float(submerged.sum() / total.sum())
                for k, g in enumerate(b.geoms):
                    if submerged[k] <= 0.0:
                        continue
                    lift = np.array([0.0, 0.0, self.rho_water * self.g * submerged[k]])
                    point = data.geom_xpos[g].copy()
                    point[2] = z[k] - b.radii[k] + 0.5 * h[k]
                    force += lift
                    torque += np.cross(point - com, lift)
            floats = b.volume > 0.0 and self.air > 0.0
            rho_air = self.air if floats else self.rho_air
            rho = wet * self.rho_water + (1.0 - wet) * rho_air
            added = 0.0
            if floats:
                force -= (1.0 - wet) * self.air * b.volume * self.gravity  # Archimedes in air
                added = ADDED_MASS_COEFFICIENT * self.air * b.volume
            if wet > 0.0 and self.water is not None and self.water.waves:
                v = v - self.water.flow(*com, float(data.time))  # moved through, not with
            if rho > 0.0:
                speed = float(np.linalg.norm(v))
                drag = 0.5 * rho * b.cd * b.area * speed
                force -= min(drag, (b.mass + added) / self.interval) * v
                spin = float(np.linalg.norm(omega))
                turn = ROTATIONAL_DRAG * rho * b.size**5 * (spin + 5.0) * wet
                torque -= min(turn, b.inertia / self.interval) * omega
            if added > 0.0:
                # as if its mass were m + added under the same weight, buoyancy and drag
                weight = b.mass * self.gravity
                force = b.mass / (b.mass + added) * (weight + force) - weight
            data.xfrc_applied[b.body, :3] = force
            data.xfrc_applied[b.body, 3:] = torque


def _geom_volume(model, g: int) -> float:
    s = model.geom_size[g]
    t = model.geom_type[g]
    # mjGEOM_: PLANE 0, HFIELD 1, SPHERE 2, CAPSULE 3, ELLIPSOID 4, CYLINDER 5, BOX 6, MESH 7
    if t == 2:
        return 4 / 3 * math.pi * s[0] ** 3
    if t == 3:
        return math.pi * s[0] ** 2 * 2 * s[1] + 4 / 3 * math.pi * s[0] ** 3
    if t == 4:
        return 4 / 3 * math.pi * s[0] * s[1] * s[2]
    if t == 5:
        return math.pi * s[0] ** 2 * 2 * s[1]
    if t == 6:
        return 8 * s[0] * s[1] * s[2]
    if t == 7:
        body = model.geom_bodyid[g]
        density = 1000.0
        return float(model.body_mass[body]) / density
    return 0.0


def _flat_area(model, geoms) -> float:
    """Largest face of the biggest box among the geoms (a feather, a sheet of paper)."""
    best = 0.0
    for g in geoms:
        s = model.geom_size[g]
        if model.geom_type[g] == 6:
            a, b, _ = sorted(s, reverse=True)
            best = max(best, 4.0 * a * b)
        elif model.geom_type[g] == 4:
            a, b, _ = sorted(s, reverse=True)
            best = max(best, math.pi * a * b)
    return 2.0 * best
