"""A flock of birds: standing, walking or hopping and pecking; taking off when something comes
too near (or when told); flying as a flock, flapping and gliding; landing feet first."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from worldreel.assets.flocks import Species
from worldreel.assets.water import Water
from worldreel.physics.flocks.members import (AIR, FLARE, GROUND, THREAT_SPEED_M_S, Members,
                                              Threats, avoid, boids, keep_out, unit,
                                              yaw_pitch_roll)
from worldreel.scene import Flock
from worldreel.timeline import TimedFlockStep

# Birds flee 80-300 ms after a threat crosses their FID: an assumed range, of the order of the
# latencies of startled birds, spread so that a flock goes up as a wave rather than at once.
REACTION_S = (0.08, 0.3)
# Alarm spreads: a bird takes off 0.15-0.45 s after a neighbour within this distance does
# (collective escape waves in flocks, Procaccini et al. 2011, Anim Behav 82:759).
CONTAGION_M = 2.0
CONTAGION_S = (0.15, 0.45)
WARNING_S = 0.6  # time-to-contact a bird keeps from a fast approach, beyond its FID
CROUCH_S = 0.12  # the crouch before the leap (legs give the first push of a take-off)
# speed at lift-off from the legs' push (Heppner & Anderson 1985, J Exp Biol 114:285)
LEAP_M_S = 2.0
TAKE_OFF_S = 0.9  # the steep climb with fast strokes, before cruising
CLAP_STROKES = 3  # a pigeon's first strokes clap the wings together: the loud take-off clatter
FLEE_S = 3.0  # an alarmed bird flies straight away this long before following the script again
CRUISE_ALTITUDE_M = 7.0  # roof height: where a flock goes when no altitude is given
TURN_TAU_S = 0.35  # how quickly a bird's velocity follows what it wants (steering time)
# ~1.5 g: of the order of pigeons' take-off accelerations (Berg & Biewener 2010, J Exp Biol
# 213:1651, pigeon take-off and landing kinematics)
MAX_ACCEL_M_S2 = 15.0
GLIDE_SLOPE_DEG = 14.0  # the approach to a landing
FLARE_HEIGHT_M = 1.2  # below this over the landing spot the bird flares
WALK_M_S = 0.25  # pigeons and crows forage walking (a pigeon's stride ~ 0.1 m at ~2.5 Hz)
# A hopping bird (a sparrow) covers its ground in bounds of a few centimetres, about three a
# second, in the air for about 40 % of each.
HOP_PERIOD_S, HOP_SHARE, HOP_HEIGHT_M = 0.3, 0.4, 0.025
COO_EVERY_S = 8.0  # a standing pigeon coos about this often
PECK_S = 0.3  # one peck at the ground, down and up
FLOAT_M_PER_LENGTH = 0.08  # a bird afloat rides with its body's middle this far above the water




@dataclass
class Goal:
    """What the flock is doing now: kind (stay, circle, fly_to, land, flee, swim), where, how
    high."""

    kind: str
    centre: np.ndarray
    radius: float
    altitude: float


class Flight(Members):
    """A flock of birds: standing, walking and pecking; taking off; flying; landing."""

    def __init__(self, flock: Flock, kind: Species, water: Water | None,
                 rng: np.random.Generator):
        super().__init__(flock, kind, water, rng)
        b = self.count
        spacing = 1.5 * kind.length_m
        xy = self._spread_points(flock.centre, flock.radius, spacing)
        centre = np.array(flock.centre, float)
        self.home = centre
        self.pos = np.zeros((b, 3))
        self.pos[:, :2] = xy
        self.vel = np.zeros((b, 3))
        self.yaw = rng.uniform(-math.pi, math.pi, b)
        self.pitch = np.zeros(b)
        self.roll = np.zeros(b)
        self.wing = np.zeros(b)
        self.spread = np.zeros(b)
        self.blend = np.zeros(b)
        self.leave = np.full(b, np.inf)
        self.flee = np.full((b, 2), np.nan)
        self.left_at = np.full(b, -np.inf)
        self.strokes = np.zeros(b)  # strokes since lift-off
        self.burst = np.full(b, float(kind.flap_strokes))
        self.gliding = np.zeros(b)  # seconds of glide left
        self.spots = self._spread_points(flock.centre, flock.radius, spacing)
        self.flare = [None] * b
        self.walk_until = rng.uniform(0, 2, b)
        self.pause_until = np.zeros(b)
        self.peck_at = rng.uniform(0.2, 2.0, b)
        self.launch = rng.uniform(-math.pi, math.pi)  # a flock rises together, one way
        self.coo_at = rng.exponential(max(COO_EVERY_S, 1.5 * b), b) + 0.5
        altitude = flock.altitude
        if altitude is not None:
            self.mode = np.full(b, AIR)
            self.pos[:, 2] = altitude + rng.uniform(-0.3, 0.3, b)
            tangent = np.stack([-(xy[:, 1] - centre[1]), xy[:, 0] - centre[0]], axis=1)
            tangent = unit(tangent + 1e-6 * rng.standard_normal((b, 2)))
            self.vel[:, :2] = tangent * kind.cruise_m_s
            self.goal = Goal("circle", centre, max(flock.radius, 4.0), altitude)
            self.left_at[:] = -10.0
            self.strokes[:] = 100
            self.spread[:] = 1.0
        else:
            self.mode = np.full(b, GROUND)
            self.pos[:, 2] = self.floor(self.pos) + kind.stand_m
            self.goal = Goal("stay", centre, flock.radius, 0.0)

    def floor(self, pos: np.ndarray) -> np.ndarray:
        """Where a standing bird's feet are under each point: on the ground, or, on water,
        low enough that it floats with its body just above the surface (a gull on the sea)."""
        if self.water is None:
            return np.zeros(len(pos))
        wet = self.water.covers(pos[:, 0], pos[:, 1])
        afloat = self.water.level - self.kind.stand_m + FLOAT_M_PER_LENGTH * self.kind.length_m
        return np.where(wet, afloat, self.water.bottom(pos[:, 0], pos[:, 1]))

    def start_clear(self) -> None:
        """Birds that start in the air where a tree's crown or a facade is start beside it."""
        flying = self.mode == AIR
        keep_out(self.pos, self.vel, flying, *self.obstacles, margin=0.5 * self.kind.wingspan_m)

    def _ceiling(self) -> float:
        """The lowest thing overhead (above 1.5 m) over the flock's place: a room's ceiling."""
        lows, highs = self.obstacles
        if not len(lows):
            return np.inf
        x, y = self.home
        over = (lows[:, 2] > 1.5) & (lows[:, 0] <= x) & (highs[:, 0] >= x) & \
            (lows[:, 1] <= y) & (highs[:, 1] >= y)
        return float(lows[over, 2].min()) if over.any() else np.inf

    def begin(self, timed: TimedFlockStep, t: float, threats: Threats) -> None:
        step, kind, flock = timed.step, self.kind, self.flock
        where = np.array(step.place if step.place is not None else flock.centre, float)
        altitude = flock.altitude if flock.altitude else CRUISE_ALTITUDE_M
        ground = self.mode == GROUND
        if step.do in ("idle", "peck"):
            return
        if step.do == "land":
            self.goal = Goal("land", where, flock.radius, 0.0)
            self.spots = self._spread_points(where, flock.radius, 1.5 * kind.length_m)
            return
        if step.do == "scatter":
            source = threats.where(step.target, t) if step.target else None
            middle = self.pos[:, :2].mean(axis=0)
            for b in np.flatnonzero(ground & np.isinf(self.leave)):
                self.leave[b] = t + self.rng.uniform(*REACTION_S)
                self.flee[b] = source[:2] if source is not None else \
                    middle - 0.2 * unit(self.pos[b, :2] - middle + 1e-6)
            self.goal = Goal("flee", where, flock.radius, altitude)
            return
        radius = max(flock.radius, 3.0 + kind.wingspan_m * 4)
        self.goal = Goal({"take_off": "circle", "circle": "circle", "fly_to": "fly_to"}[step.do],
                          where, radius, altitude)
        for b in np.flatnonzero(ground & np.isinf(self.leave)):
            self.leave[b] = t + self.rng.uniform(0.0, 0.6)

    def _alarm(self, t: float, threats: Threats) -> None:
        points, speeds = threats.at(t)
        waiting = (self.mode == GROUND) & np.isinf(self.leave)
        if not waiting.any() or len(points) == 0:
            return
        moving = speeds > THREAT_SPEED_M_S
        if not moving.any():
            return
        near = threats.gaps(self.pos, t, moving)
        # The faster it comes, the sooner they go: FID grows with approach speed (Stankowich
        # & Blumstein 2005, Proc R Soc B 272:2627), here by the distance it covers in
        # WARNING_S, so a bird is up before a car at speed reaches it.
        reach = self.kind.fid_m + speeds[moving] * WARNING_S
        alarmed = near < reach[None, :]
        closest = np.where(alarmed, near, np.inf).argmin(axis=1)
        velocity = threats.velocity(t)[moving]
        for b in np.flatnonzero(waiting & alarmed.any(axis=1)):
            k = closest[b]
            self.leave[b] = t + self.rng.uniform(*REACTION_S)
            # away from it and off its line of travel (a bird does not flee down a car's path)
            away = self.pos[b, :2] - points[moving][k, :2]
            ahead = unit(velocity[k, :2] + 1e-9)
            side = away - np.dot(away, ahead) * ahead
            direction = unit(unit(away + 1e-9) + 1.5 * unit(side + 1e-9))
            self.flee[b] = self.pos[b, :2] - 0.5 * direction

    def _lift_off(self, t: float) -> None:
        go = (self.mode == GROUND) & (t >= self.leave)
        kind = self.kind
        climb = math.radians(kind.climb_deg)
        for b in np.flatnonzero(go):
            if not np.isnan(self.flee[b, 0]):
                heading = unit(self.pos[b, :2] - self.flee[b])
            elif self.goal.kind == "fly_to":
                heading = unit(self.goal.centre - self.pos[b, :2] + 1e-6)
            elif self.goal.kind == "circle":
                angle = self.launch + self.rng.normal(0.0, 0.15)
                heading = np.array([math.cos(angle), math.sin(angle)])
            else:
                heading = np.array([math.cos(self.yaw[b]), math.sin(self.yaw[b])])
            self.mode[b] = AIR
            self.left_at[b] = t
            self.strokes[b] = 0
            self.vel[b] = LEAP_M_S * np.array([*(math.cos(climb) * heading), math.sin(climb)])
            self.yaw[b] = math.atan2(heading[1], heading[0])
            self.blend[b] = 1.0
            self.phase[b] = math.floor(self.phase[b]) + 0.999  # the first downstroke now
            self._event(t, "take_off", b, self.pos[b])
            if not np.isnan(self.flee[b, 0]):  # alarm spreads to the neighbours still down
                d = np.linalg.norm(self.pos[:, :2] - self.pos[b, :2], axis=1)
                for k in np.flatnonzero((d < CONTAGION_M) & (self.mode == GROUND) &
                                        np.isinf(self.leave)):
                    self.leave[k] = t + self.rng.uniform(*CONTAGION_S)
                    self.flee[k] = self.flee[b]

    def _wanted(self, t: float) -> np.ndarray:
        """(B, 3) velocity each flying bird wants."""
        kind, goal = self.kind, self.goal
        b = self.count
        want = np.zeros((b, 3))
        cruise = kind.cruise_m_s
        air = self.mode == AIR
        since = t - self.left_at
        fleeing = ~np.isnan(self.flee[:, 0]) & (since < FLEE_S)
        horizontal = unit(self.vel[:, :2] + 1e-9)
        # Alarmed off the ground with nothing scripted, they fly on away at roof height.
        altitude = np.full(b, goal.altitude if goal.kind in ("circle", "fly_to", "flee")
                           else CRUISE_ALTITUDE_M)
        altitude = np.minimum(altitude, self._ceiling() - 0.5)  # indoors: under the ceiling
        speed = np.full(b, cruise)
        if goal.kind in ("circle", "fly_to"):
            off = self.pos[:, :2] - goal.centre
            dist = np.linalg.norm(off, axis=1)
            radial = unit(off + 1e-9)
            tangent = np.stack([-radial[:, 1], radial[:, 0]], axis=1)
            pull = np.clip((dist - goal.radius) / max(goal.radius, 1.0), -1.0, 2.0)
            circling = unit(tangent - 1.5 * pull[:, None] * radial)
            if goal.kind == "fly_to":
                far = dist > goal.radius
                horizontal = np.where(far[:, None], -radial, circling)
            else:
                horizontal = circling
        if goal.kind == "land":
            off = self.spots - self.pos[:, :2]
            dist = np.linalg.norm(off, axis=1)
            horizontal = unit(off + 1e-9)
            floor = self.floor(self.pos) + kind.stand_m
            altitude = np.minimum(floor + dist * math.tan(math.radians(GLIDE_SLOPE_DEG)),
                                  np.maximum(self.pos[:, 2], floor))
            speed = np.clip(1.1 * dist, 2.0, cruise)
        away = unit(self.pos[:, :2] - np.nan_to_num(self.flee) + 1e-9)
        horizontal = np.where(fleeing[:, None], away, horizontal)
        climbing = since < TAKE_OFF_S
        climb = math.tan(math.radians(kind.climb_deg))
        vz = np.clip(1.5 * (altitude - self.pos[:, 2]), -3.0, 3.0)
        vz = np.where(climbing, np.maximum(vz, climb * np.linalg.norm(self.vel[:, :2], axis=1)
                                           + 1.0), vz)
        vz = np.where(fleeing & ~climbing, np.maximum(vz, 0.5), vz)
        want[:, :2] = horizontal * speed[:, None]
        want[:, 2] = vz
        want = np.where(air[:, None], want, 0.0)
        return want

    def step(self, t: float, dt: float, threats: Threats) -> None:
        kind = self.kind
        self._alarm(t, threats)
        self._lift_off(t)
        air = self.mode == AIR
        if air.any():
            want = self._wanted(t)
            span = kind.wingspan_m
            # Coming in to land they close up on their spots beside those already down.
            landing = self.goal.kind == "land"
            want += kind.cruise_m_s * boids(self.pos, self.vel, air,
                                             2.0 * kind.length_m if landing else 1.6 * span,
                                             8.0 * span, present=None if landing else
                                             np.ones(self.count, bool)) \
                / max(span, 0.1) * np.array([1.0, 1.0, 0.3])
            want += 2.0 * avoid(self.pos, self.vel, *self.obstacles, look_s=0.8)
            acc = (want - self.vel) / TURN_TAU_S
            norm = np.linalg.norm(acc, axis=1, keepdims=True)
            acc = acc * np.minimum(1.0, MAX_ACCEL_M_S2 / np.maximum(norm, 1e-9))
            self.vel = np.where(air[:, None], self.vel + acc * dt, self.vel)
            top = np.linalg.norm(self.vel, axis=1, keepdims=True)
            self.vel *= np.minimum(1.0, 1.25 * kind.cruise_m_s / np.maximum(top, 1e-9))
            self.pos = np.where(air[:, None], self.pos + self.vel * dt, self.pos)
            keep_out(self.pos, self.vel, air, *self.obstacles, margin=0.5 * kind.wingspan_m)
            lateral = np.cross(np.array([0.0, 0.0, 1.0]), unit(self.vel))[:, :2]
            bank = np.arctan2((acc[:, :2] * lateral).sum(axis=1), 9.81)
            self.roll = np.where(air, np.clip(bank, -0.8, 0.8), self.roll)
            horizontal = np.linalg.norm(self.vel[:, :2], axis=1)
            self.yaw = np.where(air & (horizontal > 0.2),
                                np.arctan2(self.vel[:, 1], self.vel[:, 0]), self.yaw)
            self.pitch = np.where(air, np.clip(np.arctan2(self.vel[:, 2],
                                                          np.maximum(horizontal, 0.5)), -0.7,
                                               0.9), self.pitch)
            if self.goal.kind == "land":
                self._start_flares(t)
        self._flares(t, dt)
        self._ground(t, dt)
        low = self.floor(self.pos) + kind.stand_m
        self.pos[:, 2] = np.maximum(self.pos[:, 2], np.where(self.mode == GROUND, low - 0.3 *
                                                              kind.stand_m, low))
        self.vel[:, 2] = np.where((self.mode == AIR) & (self.pos[:, 2] <= low + 1e-9),
                                  np.maximum(self.vel[:, 2], 0.0), self.vel[:, 2])
        self._wings(t, dt)

    def _start_flares(self, t: float) -> None:
        kind = self.kind
        for b in np.flatnonzero(self.mode == AIR):
            if t - self.left_at[b] < TAKE_OFF_S:
                continue
            spot = np.array([*self.spots[b], 0.0])
            spot[2] = self.floor(spot[None])[0] + kind.stand_m
            off = spot - self.pos[b]
            reach = max(4.0 * kind.length_m, 0.5 * np.linalg.norm(self.vel[b]) * 0.6)
            if np.linalg.norm(off[:2]) < reach and -off[2] < FLARE_HEIGHT_M:
                v0 = self.vel[b].copy()
                length = float(np.linalg.norm(off))
                duration = float(np.clip(2.0 * length / max(np.linalg.norm(v0), 0.5), 0.3, 0.9))
                # a descent no steeper than the spot allows, so the path never dips below it
                v0[2] = max(v0[2], -3.0 * max(-off[2], 0.0) / duration)
                self.flare[b] = (t, duration, self.pos[b].copy(), v0, spot)
                self.mode[b] = FLARE

    def _flares(self, t: float, dt: float) -> None:
        for b in np.flatnonzero(self.mode == FLARE):
            start, duration, p0, v0, p1 = self.flare[b]
            s = min((t + dt - start) / duration, 1.0)
            h00, h10, h01 = 2 * s**3 - 3 * s**2 + 1, s**3 - 2 * s**2 + s, -2 * s**3 + 3 * s**2
            new = h00 * p0 + h10 * duration * v0 + h01 * p1
            self.vel[b] = (new - self.pos[b]) / dt
            self.pos[b] = new
            # the flare: nose up, feet first
            self.pitch[b] = 0.6 * math.sin(math.pi * min(s * 1.2, 1.0))
            self.roll[b] *= 0.9
            if s >= 1.0:
                self.mode[b] = GROUND
                self.vel[b] = 0.0
                self.pitch[b] = 0.0
                self.leave[b] = np.inf
                self.flee[b] = np.nan
                self.walk_until[b] = t + 1.0
                self.pause_until[b] = t + 1.0
                self._event(t + dt, "land", b, self.pos[b])

    def _ground(self, t: float, dt: float) -> None:
        """Standing birds walk a little, turn, peck; pigeons coo now and then."""
        kind, rng = self.kind, self.rng
        ground = self.mode == GROUND
        for b in np.flatnonzero(ground):
            if t < self.leave[b] <= t + CROUCH_S:  # crouch before the leap
                self.pitch[b] = 0.25
                self.pos[b, 2] = self.floor(self.pos[b:b + 1])[0] + 0.75 * kind.stand_m
                continue
            if t >= self.walk_until[b] and t >= self.pause_until[b]:
                if rng.uniform() < 0.5:  # walk a bout, turning back towards the flock's place
                    home = self.goal.centre if self.goal.kind in ("stay", "land") else self.home
                    back = home - self.pos[b, :2]
                    turn = rng.normal(0, 0.8)
                    if np.linalg.norm(back) > 0.7 * self.flock.radius:
                        self.yaw[b] = math.atan2(back[1], back[0]) + rng.normal(0, 0.4)
                    else:
                        self.yaw[b] += turn
                    self.walk_until[b] = t + rng.uniform(0.6, 1.8)
                else:
                    self.pause_until[b] = t + rng.uniform(0.8, 2.5)
                    self.peck_at[b] = t + rng.uniform(0.1, 0.5)
            walking = t < self.walk_until[b]
            speed = WALK_M_S * min(1.0, kind.length_m / 0.3)
            hop = 0.0
            if kind.gait == "hop":  # sparrows hop with both feet: a bound, then a pause
                beat = (t % HOP_PERIOD_S) / HOP_PERIOD_S
                airborne = beat < HOP_SHARE
                speed = speed / HOP_SHARE if airborne else 0.0
                hop = HOP_HEIGHT_M * math.sin(math.pi * beat / HOP_SHARE) if (
                    airborne and walking) else 0.0
            step = speed * dt * np.array([math.cos(self.yaw[b]), math.sin(self.yaw[b])])
            if walking:
                ahead = self.pos[b, :2] + step
                others = self.pos[ground, :2]
                gaps = np.linalg.norm(others - ahead, axis=1)
                if np.sum(gaps < 1.2 * kind.length_m) <= 1:  # never walk into a neighbour
                    self.pos[b, :2] = ahead
            # head bob of a walking bird, as a small body pitch at the stride (~2.5 Hz)
            self.pitch[b] = -0.08 * math.sin(2 * math.pi * 2.5 * t) if (
                walking and kind.gait == "walk") else 0.0
            if not walking and self.peck_at[b] <= t < self.peck_at[b] + PECK_S:
                self.pitch[b] = -0.7 * math.sin(math.pi * (t - self.peck_at[b]) / PECK_S)
            elif not walking and t >= self.peck_at[b] + PECK_S:
                self.peck_at[b] = t + rng.uniform(0.5, 1.6)
            self.pos[b, 2] = self.floor(self.pos[b:b + 1])[0] + kind.stand_m + hop
            self.roll[b] = 0.0
            if kind.name == "pigeon" and t >= self.coo_at[b]:
                self._event(t, "coo", b, self.pos[b], 0.6)
                self.coo_at[b] = t + rng.exponential(max(COO_EVERY_S, 1.5 * self.count)) + 2.0

    def _wings(self, t: float, dt: float) -> None:
        """Strokes: fast in take-off, flap-glide or flap-bound in cruise, held in a glide."""
        kind = self.kind
        airborne = self.mode != GROUND
        since = t - self.left_at
        taking_off = airborne & (since < TAKE_OFF_S)
        flaring = self.mode == FLARE
        speed = np.linalg.norm(self.vel, axis=1)
        must = taking_off | flaring | (speed < 0.7 * kind.cruise_m_s) | (self.vel[:, 2] > 0.6)
        landing = (self.goal.kind == "land") & ~must
        self.gliding = np.maximum(self.gliding - dt, 0.0)
        flapping = airborne & (must | ((self.gliding <= 0.0) & ~landing))
        fast = taking_off | flaring
        freq = np.where(fast, kind.flap_hz_take_off, kind.flap_hz_cruise)
        first = 1.0 if kind.claps else 0.6  # a clap, or a loud whoosh (a crow, a gull)
        strength = np.where(taking_off, np.where(self.strokes < CLAP_STROKES, first, 0.35),
                            np.where(flaring, 0.5, 0.15))
        crossed = self._advance_phase(freq, flapping, t, dt, self.pos, strength)
        self.strokes += crossed
        self.burst = np.where(crossed & ~must, self.burst - 1, self.burst)
        rest = crossed & (self.burst <= 0)
        jitter = self.rng.uniform(0.7, 1.3, self.count)
        self.gliding = np.where(rest, kind.glide_s * jitter, self.gliding)
        self.burst = np.where(rest, np.round(kind.flap_strokes * jitter), self.burst)
        # stop at a stroke's top: gliding starts between strokes, never mid-stroke
        self.phase = np.where(rest, np.floor(self.phase), self.phase)
        rate = dt / 0.06
        self.blend = np.clip(self.blend + np.where(flapping, rate, -rate), 0.0, 1.0)
        stroke = math.radians(kind.stroke_deg) * np.cos(2 * math.pi * self.phase) + 0.1
        bound = kind.style == "bound"
        held = 0.0 if bound else 0.08
        self.wing = np.where(airborne, self.blend * stroke + (1 - self.blend) * held, 0.0)
        open_wings = airborne & (flapping | (self.blend > 0) | (not bound))
        target = np.where(open_wings, 1.0, 0.0)
        self.spread = np.clip(self.spread + np.sign(target - self.spread) * dt / 0.1, 0.0, 1.0)
        self.spread = np.where(flapping, 1.0, self.spread)

    def pose(self):
        quat = yaw_pitch_roll(self.yaw, self.pitch, self.roll)
        return self.pos.copy(), quat, self.wing.copy(), self.spread.copy()

