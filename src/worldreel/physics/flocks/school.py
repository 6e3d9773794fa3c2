"""A school of fish under the water's surface: milling about its place, swimming where told,
tails beating (Bainbridge 1958), and bursting away (a C-start) from what enters the water near
them."""

from __future__ import annotations

import math

import numpy as np

from worldreel.assets.flocks import Species
from worldreel.assets.water import Water
from worldreel.physics.flocks.members import (THREAT_SPEED_M_S, Members, Threats, boids, unit,
                                              yaw_pitch_roll)
from worldreel.scene import Flock
from worldreel.timeline import TimedFlockStep


class School(Members):
    """A school of fish under the water's surface: milling about, swimming, startling."""

    def __init__(self, flock: Flock, kind: Species, water: Water | None,
                 rng: np.random.Generator):
        super().__init__(flock, kind, water, rng)
        assert water is not None  # check_flock_places refused dry schools
        b = self.count
        self.length = kind.length_m
        xy = self._spread_points(flock.centre, flock.radius, 1.5 * kind.length_m)
        self.pos = np.zeros((b, 3))
        self.pos[:, :2] = xy
        depth = float(water.water_depth(*flock.centre))
        self.depth = flock.altitude if flock.altitude is not None else 0.5 * depth
        self.pos[:, 2] = water.level - self.depth + rng.uniform(-0.05, 0.05, b)
        self.pos[:, 2] = np.clip(self.pos[:, 2], *self.band(self.pos).T)
        heading = rng.uniform(-math.pi, math.pi)
        self.vel = np.zeros((b, 3))
        cruise = kind.cruise_bl_s * kind.length_m
        angles = heading + rng.normal(0, 0.3, b)
        self.vel[:, 0], self.vel[:, 1] = cruise * np.cos(angles), cruise * np.sin(angles)
        self.centre = np.array(flock.centre, float)
        self.radius = flock.radius
        self.wander = self._targets()
        self.next_wander = rng.uniform(2.0, 4.0, b)
        self.burst_until = np.full(b, -np.inf)
        self.tail = np.zeros(b)
        self.startled_by: dict[int, float] = {}

    def band(self, pos: np.ndarray) -> np.ndarray:
        """(B, 2) lowest and highest z a fish's centre may take over each point: half a body
        height above the bed, and a body height under the surface (the swell's trough)."""
        water = self.water
        clearance = 0.15 * self.length
        bed = water.bottom(pos[:, 0], pos[:, 1]) + clearance
        top = np.full(len(pos), water.level - water.amplitude - clearance)
        return np.stack([np.minimum(bed, top), top], axis=1)

    def _targets(self) -> np.ndarray:
        b = self.count
        r = self.radius * np.sqrt(self.rng.uniform(0, 1, b))
        a = self.rng.uniform(0, 2 * math.pi, b)
        t = np.zeros((b, 3))
        t[:, 0] = self.centre[0] + r * np.cos(a)
        t[:, 1] = self.centre[1] + r * np.sin(a)
        t[:, 2] = self.water.level - self.depth
        return t

    def begin(self, timed: TimedFlockStep, t: float, threats: Threats) -> None:
        step = timed.step
        if step.do == "swim":
            if step.place is not None:
                self.centre = np.array(step.place, float)
            self.wander = self._targets()
        elif step.do == "scatter":
            source = threats.where(step.target, t) if step.target else None
            point = source[:2] if source is not None else self.pos[:, :2].mean(axis=0)
            self._startle(t, np.arange(self.count), point)

    def _startle(self, t: float, members: np.ndarray, point: np.ndarray) -> None:
        burst = self.kind.burst_bl_s * self.length
        for b in members:
            if t < self.burst_until[b]:
                continue
            away = unit(self.pos[b, :2] - point + 1e-6 * self.rng.standard_normal(2))
            self.vel[b, :2] = burst * away
            self.vel[b, 2] = 0.0
            self.burst_until[b] = t + 0.6
            self._event(t, "startle", b, self.pos[b])

    def step(self, t: float, dt: float, threats: Threats) -> None:
        kind = self.kind
        points, speeds = threats.at(t)
        if len(points):
            # a thing in the water (a stone breaking the surface), or a person near it
            wet = threats.people | (points[:, 2] < self.water.level + 0.1)
            mask = (speeds > THREAT_SPEED_M_S) & wet
            moving = points[mask]
            if len(moving):
                d = threats.gaps(self.pos, t, mask)
                near = np.flatnonzero(d.min(axis=1) < kind.fid_m)
                for b in near:
                    self._startle(t, np.array([b]), moving[d[b].argmin(), :2])
        cruise = kind.cruise_bl_s * self.length
        due = t >= self.next_wander
        close = np.linalg.norm(self.wander - self.pos, axis=1) < 2 * self.length
        renew = due | close
        if renew.any():
            fresh = self._targets()
            self.wander[renew] = fresh[renew]
            self.next_wander[renew] = t + self.rng.uniform(2.0, 5.0, int(renew.sum()))
        want = unit(self.wander - self.pos) * cruise
        want += cruise * boids(self.pos, self.vel, np.ones(self.count, bool),
                                1.5 * self.length, 5.0 * self.length) / self.length
        bursting = t < self.burst_until
        acc = (want - self.vel) / np.where(bursting, 1.0, 0.5)[:, None]
        self.vel += acc * dt
        self.pos += self.vel * dt
        wet = self.water.covers(self.pos[:, 0], self.pos[:, 1])
        if not wet.all():  # the shore: turn back into the water
            self.pos[~wet] -= self.vel[~wet] * dt
            self.vel[~wet, :2] *= -0.5
        band = self.band(self.pos)
        under, over = self.pos[:, 2] < band[:, 0], self.pos[:, 2] > band[:, 1]
        self.pos[:, 2] = np.clip(self.pos[:, 2], band[:, 0], band[:, 1])
        self.vel[under | over, 2] = 0.0
        speed = np.linalg.norm(self.vel, axis=1)
        freq = np.array([kind.tail_hz(s / self.length) for s in speed])
        self._advance_phase(freq, np.ones(self.count, bool), t, dt, self.pos,
                            np.zeros(self.count), kind=None)
        amplitude = np.where(bursting, 0.6, 0.3)
        self.tail = amplitude * np.sin(2 * math.pi * self.phase)

    def pose(self):
        horizontal = np.linalg.norm(self.vel[:, :2], axis=1)
        yaw = np.arctan2(self.vel[:, 1], self.vel[:, 0])
        pitch = np.clip(np.arctan2(self.vel[:, 2], np.maximum(horizontal, 1e-3)), -0.5, 0.5)
        quat = yaw_pitch_roll(yaw, pitch, np.zeros(self.count))
        return self.pos.copy(), quat, self.tail.copy(), np.ones(self.count)
