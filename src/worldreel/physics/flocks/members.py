"""What birds and fish share as they are animated from a Recording: where the things and people
that may frighten them are, the obstacles of the place, the boids rule, and the step-by-step run
that records every member at every sample."""

from __future__ import annotations

import math

import numpy as np

from worldreel.assets import environment
from worldreel.assets.mujoco_spec import entity_asset
from worldreel.assets.flocks import Species
from worldreel.assets.water import Water
from worldreel.recording import FlockEvent, FlockTrack, Recording
from worldreel.scene import Flock, Scene
from worldreel.timeline import TimedFlockStep

# Something moving slower than this is not a threat (a person standing, a ball at rest); a
# walker (1.2-1.5 m/s) or a rolling crate is.
THREAT_SPEED_M_S = 0.5
STEP_S = 1.0 / 120.0  # integration step: under a boid reaction (flap times are interpolated)
GROUND, AIR, FLARE, SWIM = 0, 1, 2, 3  # what a member is doing


def _half_extent(shape: str, size: tuple[float, ...]) -> np.ndarray | None:
    """Half sizes (x, y, z) of the box around a part of this shape, unturned."""
    if shape in ("box", "ellipsoid"):
        return np.abs(np.asarray(size[:3], float))
    if shape == "sphere":
        return np.full(3, abs(size[0]))
    if shape in ("cylinder", "capsule"):
        tip = abs(size[0]) if shape == "capsule" else 0.0
        return np.array([abs(size[0]), abs(size[0]), abs(size[1]) + tip])
    return None  # a plane: the ground itself


def obstacles(scene: Scene) -> tuple[np.ndarray, np.ndarray]:
    """(K, 3) low and high corners of the boxes around the environment's parts (facades,
    walls, ceilings, counters, trees, lamp posts, parasols) that birds must fly around; a
    turned part is taken by its turned extent."""
    lows, highs = [], []
    for part in environment(scene.setting.environment).parts:
        half = _half_extent(part.shape, part.size)
        if half is None:
            continue
        if any(abs(a) > 1e-6 for a in part.euler):
            half = np.full(3, float(np.linalg.norm(half)))
        centre = np.asarray(part.pos, float)
        if centre[2] + half[2] < 0.25:  # a rug, a kerb: stood on, not flown round
            continue
        lows.append(centre - half)
        highs.append(centre + half)
    if not lows:
        return np.zeros((0, 3)), np.zeros((0, 3))
    return np.array(lows), np.array(highs)


def keep_out(pos: np.ndarray, vel: np.ndarray, moving: np.ndarray, lows: np.ndarray,
              highs: np.ndarray, margin: float) -> None:
    """Push every moving member found inside a box (grown by `margin`) back out through its
    nearest face and stop it moving into that face (in place)."""
    if not len(lows):
        return
    lo, hi = lows - margin, highs + margin
    inside = np.all((pos[:, None] > lo[None]) & (pos[:, None] < hi[None]), axis=2)
    inside &= moving[:, None]
    for b, k in zip(*np.nonzero(inside)):
        depths = np.concatenate([pos[b] - lo[k], hi[k] - pos[b]])
        face = int(depths.argmin())
        axis, sign = face % 3, (-1.0 if face < 3 else 1.0)
        pos[b, axis] = lo[k, axis] if face < 3 else hi[k, axis]
        if vel[b, axis] * sign < 0:
            vel[b, axis] = 0.0


def avoid(pos: np.ndarray, vel: np.ndarray, lows: np.ndarray, highs: np.ndarray,
           look_s: float) -> np.ndarray:
    """(B, 3) steering away from boxes the member would fly into within `look_s`: out
    through the nearest face of the box around the point ahead."""
    out = np.zeros_like(pos)
    if not len(lows):
        return out
    ahead = pos + vel * look_s
    inside = np.all((ahead[:, None] > lows[None] - 0.5) & (ahead[:, None] < highs[None] + 0.5),
                    axis=2)
    for b, k in zip(*np.nonzero(inside)):
        depths = np.concatenate([ahead[b] - lows[k], highs[k] - ahead[b]])
        depths[2] = np.inf  # never dive under a box: round it or over it
        face = int(depths.argmin())
        out[b, face % 3] += (-1.0 if face < 3 else 1.0) * np.linalg.norm(vel[b])
    return out


PERSON_RADIUS_M = 0.25  # half a person's shoulder width: how far their body reaches sideways


class Threats:
    """Where every thing and person is, how fast it moves, and how far it reaches around its
    centre (a car's bumper comes at a pigeon 2 m before its middle does), at each sample."""

    def __init__(self, recording: Recording, scene: Scene):
        names, points, speeds, people, radii = [], [], [], [], []
        times = np.asarray(recording.times, float)
        known = {e.id: e for e in scene.entities}
        for k, name in enumerate(recording.entity_ids):
            if "." in name:  # links and pieces move with their entity
                continue
            names.append(name)
            people.append(False)
            entity = known.get(name)
            radii.append(entity_asset(entity).radius * entity.scale if entity else 0.0)
            points.append(recording.positions[:, k])
            speeds.append(np.asarray(recording.velocities[:, k], float))
        for track in recording.characters:
            bone = track.bones.index("pelvis") if "pelvis" in track.bones else 0
            path = np.asarray(track.bone_positions[:, bone], float)
            names.append(track.id)
            people.append(True)
            radii.append(PERSON_RADIUS_M)
            points.append(path)
            speeds.append(np.gradient(path, times, axis=0) if len(times) > 1 else
                          np.zeros((len(times), 3)))
        self.names = names
        self.people = np.array(people, bool)
        self.radii = np.array(radii, float)
        self.points = np.stack(points, axis=1) if points else np.zeros((len(times), 0, 3))
        self.velocities = np.stack(speeds, axis=1) if speeds else np.zeros((len(times), 0, 3))
        self.speeds = np.linalg.norm(self.velocities, axis=2)
        self.rate = recording.sample_rate

    def gaps(self, points: np.ndarray, t: float, moving: np.ndarray) -> np.ndarray:
        """(P, M) horizontal distances from each of `points` to the edge of each `moving`
        threat (a boolean mask over all of them) at time t."""
        centres = self.at(t)[0][moving]
        d = np.linalg.norm(points[:, None, :2] - centres[None, :, :2], axis=2)
        return np.maximum(d - self.radii[moving][None, :], 0.0)

    def at(self, t: float) -> tuple[np.ndarray, np.ndarray]:
        """(T, 3) positions and (T,) speeds at time t (the sample at or before it)."""
        i = self._sample(t)
        return self.points[i], self.speeds[i]

    def velocity(self, t: float) -> np.ndarray:
        """(T, 3) velocities at time t."""
        return self.velocities[self._sample(t)]

    def _sample(self, t: float) -> int:
        return min(max(int(t * self.rate + 1e-9), 0), len(self.points) - 1)

    def where(self, name: str, t: float) -> np.ndarray | None:
        if name not in self.names:
            return None
        return self.at(t)[0][self.names.index(name)]


def yaw_pitch_roll(yaw: np.ndarray, pitch: np.ndarray, roll: np.ndarray) -> np.ndarray:
    """(B, 4) w, x, y, z of Rz(yaw) Ry(-pitch) Rx(roll): x forward, nose up for pitch > 0."""
    cy, sy = np.cos(yaw / 2), np.sin(yaw / 2)
    cp, sp = np.cos(-pitch / 2), np.sin(-pitch / 2)
    cr, sr = np.cos(roll / 2), np.sin(roll / 2)
    return np.stack([cy * cp * cr + sy * sp * sr, cy * cp * sr - sy * sp * cr,
                     cy * sp * cr + sy * cp * sr, sy * cp * cr - cy * sp * sr], axis=1)


def unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-9)


def boids(pos: np.ndarray, vel: np.ndarray, active: np.ndarray, separation_m: float,
           sight_m: float, present: np.ndarray | None = None) -> np.ndarray:
    """(B, 3) steering of each active member from its neighbours (Reynolds 1987): away from the
    too near (separation, from every `present` member: a bird lifting off keeps clear of those
    still standing), towards the active ones' mean velocity (alignment) and middle
    (cohesion)."""
    out = np.zeros_like(pos)
    present = active if present is None else present | active
    idx = np.flatnonzero(present)
    if len(idx) < 2 or not active.any():
        return out
    p, v = pos[idx], vel[idx]
    flying = active[idx]
    diff = p[:, None, :] - p[None, :, :]
    dist = np.linalg.norm(diff, axis=2)
    np.fill_diagonal(dist, 1e9)  # no member is its own neighbour
    near = dist < separation_m
    push = np.where(near[..., None], diff / dist[..., None] *
                    ((separation_m - dist) / separation_m)[..., None], 0.0).sum(axis=1)
    seen = (dist < sight_m) & flying[None, :]
    count = seen.sum(axis=1, keepdims=True)
    has = count[:, 0] > 0
    align = np.where(has[:, None], (seen[..., None] * v[None]).sum(axis=1) /
                     np.maximum(count, 1) - v, 0.0)
    middle = np.where(has[:, None], (seen[..., None] * p[None]).sum(axis=1) /
                      np.maximum(count, 1) - p, 0.0)
    steer = 6.0 * push + 0.4 * align + 0.3 * middle
    out[idx[flying]] = steer[flying]
    return out


class Members:
    """What every member of one flock is doing, integrated step by step, recorded per sample."""

    def __init__(self, flock: Flock, kind: Species, water: Water | None,
                 rng: np.random.Generator):
        self.flock, self.kind, self.water, self.rng = flock, kind, water, rng
        self.count = flock.count
        self.obstacles = (np.zeros((0, 3)), np.zeros((0, 3)))
        self.events: list[FlockEvent] = []
        self.phase = np.zeros(self.count)

    def _spread_points(self, centre, radius: float, spacing: float) -> np.ndarray:
        """(B, 2) points in a disc, no two closer than `spacing` where the disc has room."""
        points: list[np.ndarray] = []
        centre = np.asarray(centre, float)
        for _ in range(self.count):
            best, best_gap = None, -1.0
            for _ in range(30):
                r = radius * math.sqrt(self.rng.uniform())
                a = self.rng.uniform(0, 2 * math.pi)
                cand = centre + r * np.array([math.cos(a), math.sin(a)])
                gap = min((float(np.linalg.norm(cand - q)) for q in points), default=1e9)
                if gap >= spacing:
                    best = cand
                    break
                if gap > best_gap:
                    best, best_gap = cand, gap
            points.append(best)
        return np.array(points)

    def start_clear(self) -> None:
        """Move members that start inside an obstacle out of it (none by default)."""

    def _record(self, out: dict, i: int, pos, quat, wing, spread) -> None:
        out["positions"][i] = pos
        out["quaternions"][i] = quat
        out["wing"][i] = wing
        out["spread"][i] = spread
        out["phase"][i] = self.phase

    def _advance_phase(self, freq: np.ndarray, active: np.ndarray, t: float, dt: float,
                       pos: np.ndarray, strength: np.ndarray, kind: str | None = "flap"
                       ) -> np.ndarray:
        """Advance the stroke phase of active members; a `kind` event (None: none) at each
        whole cycle crossed (a downstroke starting), at its exact time. Returns which crossed
        one."""
        old = self.phase.copy()
        self.phase = np.where(active, self.phase + freq * dt, self.phase)
        crossed = np.floor(self.phase) > np.floor(old)
        for b in np.flatnonzero(crossed) if kind is not None else ():
            when = t + (math.floor(self.phase[b]) - old[b]) / freq[b]
            self.events.append(FlockEvent(round(float(when), 7), kind, int(b),
                                          tuple(round(float(c), 4) for c in pos[b]),
                                          round(float(strength[b]), 3)))
        return crossed

    def _event(self, t: float, kind: str, b: int, point, strength: float = 1.0) -> None:
        self.events.append(FlockEvent(round(float(t), 7), kind, int(b),
                                      tuple(round(float(c), 4) for c in point), strength))

    def run(self, recording: Recording, steps: list[TimedFlockStep], threats: Threats
            ) -> FlockTrack:
        """The members through every sample of `recording`, the flock's `steps` begun when
        due."""
        n, b = len(recording.times), self.count
        out = {"positions": np.zeros((n, b, 3)), "quaternions": np.zeros((n, b, 4)),
               "wing": np.zeros((n, b)), "spread": np.zeros((n, b)), "phase": np.zeros((n, b))}
        pending = sorted(steps, key=lambda s: (s.start, s.index))
        sample_dt = 1.0 / recording.sample_rate
        sub = max(1, math.ceil(sample_dt / STEP_S))
        dt = sample_dt / sub
        self.start_clear()
        self._record(out, 0, *self.pose())
        t = 0.0
        for i in range(n):
            if i > 0:
                for _ in range(sub):
                    while pending and pending[0].start <= t + 1e-9:
                        self.begin(pending.pop(0), t, threats)
                    self.step(t, dt, threats)
                    t += dt
                t = i * sample_dt
            elif pending and pending[0].start <= 0.0:
                while pending and pending[0].start <= 1e-9:
                    self.begin(pending.pop(0), 0.0, threats)
            self._record(out, i, *self.pose())
        events = tuple(sorted((e for e in self.events if e.time <= recording.duration + 1e-9),
                              key=lambda e: (e.time, e.member, e.kind)))
        return FlockTrack(self.flock.id, self.flock.species, out["positions"],
                          out["quaternions"], out["wing"], out["spread"], out["phase"], events)

