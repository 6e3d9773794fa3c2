"""Walking, running and turning in place: footsteps planned along a path of waypoints, the
pelvis carried over them (forward motion, sway, bob, pelvic rotation), swing feet arcing from
toe-off to heel strike, and the legs solved by ik.py so that every planted foot stays fixed on
the floor.

How it is built, in order: the path (waypoints with corners rounded to the turn rate) and a
speed profile that starts and stops smoothly give the body's progress over time (a turn on the
spot comes first when the body faces away from the path, and last when it should end facing
elsewhere); footsteps fall at the cadence the gait relations give for the current speed, each
foot placed beside the path where the pelvis will pass over it early in its stance; every foot
then rolls heel -> flat -> ball -> toe tip while planted (pivoting about fixed points, so
nothing slides) and swings between its footprints, leaving the floor as it was moving; the
pelvis height is capped so both legs can always reach their feet; inverse kinematics (ik.py,
mink) puts each foot bone exactly where planned. Arms swing against the legs and the trunk
counter-rotates the pelvis, as a layer callers may replace.

walk() and turn_in_place() are the entry points; locomote() and gait_duration() serve a
script's moves (worldreel.animation.script.Move).

Gait relations used (adult values, scaled by body height where noted):
- walking step length 0.43 x height at 1.4 m/s, growing as sqrt(speed) (a constant "walk
  ratio", Sekiya & Nagasaki 1998; Grieve 1968), cadence = speed / step length, about 1.8-1.9
  steps/s at 1.4 m/s for an adult; at least 1.1 steps/s when very slow;
- stance 62 % of the stride at 1.4 m/s, more when slower (Perry & Burnfield, Gait Analysis);
- running cadence about 2.6 steps/s at 2-3 m/s rising to about 3.1 at 7 m/s (Cavanagh & Kram
  1989; Weyand et al. 2000); the body travels about half its height while a foot is down
  (contact 0.21 s at 4 m/s, 0.12 s at 7), so stance falls from ~40 % of the stride to ~20 %
  and both feet leave the ground between steps;
- pelvis vertical excursion about 2.5-5 cm in walking (Orendurff et al. 2004), highest at
  mid-stance, and lowest at mid-stance when running; lateral excursion 2-4 cm toward the
  stance foot; pelvic rotation about +-4 deg and list (swing side drop) about +-4 deg.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy.ndimage import gaussian_filter1d, minimum_filter1d
from scipy.spatial.transform import Rotation

from worldreel.animation import ik
from worldreel.animation.rig import Rig, local_rotations
from worldreel.errors import SceneError

WALK_SPEEDS = (0.3, 2.0)  # m/s
RUN_SPEEDS = (2.0, 7.0)
REFERENCE_HEIGHT = 1.75  # m; the gait relations below are for an adult of this height
FEET = ("foot_l", "foot_r")

_TOE_OUT = 6.0  # deg each foot points outward of the walking direction


@dataclass(frozen=True)
class Gait:
    """How a body of a given height walks or runs at a given speed."""

    speed: float  # m/s
    running: bool
    cadence: float  # steps per second
    duty: float  # fraction of a stride a foot is on the ground
    width: float  # m between the two feet's tracks
    strike_pitch: float  # deg the toes are up at heel strike
    toe_off_pitch: float  # deg the heel is up at toe-off
    flat_at: float  # fraction of stance when the sole is down
    heel_off_at: float  # fraction of stance when the heel rises
    bob: float  # m, half the pelvis' vertical excursion
    sway: float  # m, half its lateral excursion
    crouch: float  # m the pelvis sits lower than standing
    lift: float  # m the ankle rises above its straight path mid-swing
    pelvis_turn: float  # deg, half the pelvic rotation
    pelvis_list: float  # deg, half the swing-side drop
    arm_swing: float  # deg, half the shoulder's swing
    elbow: float  # deg the elbows bend beyond a relaxed arm's
    lean: float  # deg the trunk leans forward
    # fraction of stance at which the pelvis passes over the ankle: well before mid-stance in
    # walking, since the ankle itself rolls ~13 cm forward from heel strike to toe-off (at
    # heel strike the ankle is ~0.35 m ahead of the hip, at toe-off ~0.45 m behind it and
    # 18 cm up), which keeps the pelvis' vertical excursion near the measured 4 cm
    over_ankle: float = 0.38

    @property
    def step_length(self) -> float:
        return self.speed / self.cadence


def gait(speed: float, height: float, running: bool | None = None) -> Gait:
    """The gait of a body `height` metres tall at `speed` m/s (running above 2 m/s unless
    `running` says otherwise)."""
    if running is None:
        running = speed > WALK_SPEEDS[1]
    scale = height / REFERENCE_HEIGHT
    speed = max(speed, 0.05)
    froude = np.sqrt(1.0 / scale)  # same Froude number: frequencies scale as 1/sqrt(size)
    if not running:
        step = 0.43 * height * np.sqrt(speed / (1.4 * np.sqrt(scale)))
        cadence = max(speed / step, 1.1 * froude)
        duty = float(np.clip(0.62 - 0.06 * (speed - 1.4), 0.57, 0.70))
        v = speed / np.sqrt(scale)
        return Gait(speed, False, cadence, duty,
                    width=0.13 * scale, strike_pitch=float(np.clip(8 + 9 * v, 8, 25)),
                    toe_off_pitch=float(np.clip(25 + 25 * v, 25, 65)),
                    flat_at=0.13, heel_off_at=0.55,
                    bob=float(np.clip(0.006 + 0.010 * v, 0.006, 0.028)) * scale,
                    sway=float(np.clip(0.028 - 0.006 * v, 0.014, 0.026)) * scale,
                    crouch=0.012 * scale, lift=float(0.02 + 0.015 * v) * scale,
                    pelvis_turn=float(np.clip(2 + 2 * v, 2, 6)),
                    pelvis_list=float(np.clip(1.5 + 2.0 * v, 1.5, 5)),
                    arm_swing=float(np.clip(6 + 9 * v, 6, 26)), elbow=float(4 + 4 * v),
                    lean=float(1.5 * v), over_ankle=0.38)
    v = speed / np.sqrt(scale)
    cadence = (2.55 + 0.1 * (max(v, 2.0) - 2.0)) * froude
    # The body travels about half its height while a running foot is down (the leg sweeps
    # some +-30 deg: contact 0.21 s at 4 m/s, 0.12 s at 7), whatever the speed.
    contact = 0.5 * height / speed
    duty = float(np.clip(contact * cadence / 2.0, 0.18, 0.45))
    return Gait(speed, True, cadence, duty,
                width=0.07 * scale, strike_pitch=float(np.clip(12 - v, 4, 10)),
                toe_off_pitch=float(np.clip(40 + 4 * v, 40, 65)),
                flat_at=0.15, heel_off_at=0.35,
                bob=float(np.clip(0.035 - 0.003 * v, 0.02, 0.03)) * scale,
                sway=0.008 * scale, crouch=float(0.03 + 0.004 * v) * scale,
                lift=float(np.clip(0.07 * v, 0.12, 0.45)) * scale,
                pelvis_turn=float(np.clip(3 + 0.7 * v, 3, 8)), pelvis_list=3.0,
                arm_swing=float(np.clip(18 + 5 * v, 18, 50)), elbow=float(62 + 2 * v),
                lean=float(3 + 1.2 * v), over_ankle=0.30)


@dataclass(frozen=True)
class Footfall:
    """A heel strike: which foot, when (s) and where its heel touches the floor (world)."""

    foot: str
    time: float
    position: np.ndarray  # (3,)


# Where each foot (left, right) stands: its ankle (3,) in the world and its toes' yaw (deg).
Stance = tuple[tuple[np.ndarray, float], tuple[np.ndarray, float]]


@dataclass(frozen=True)
class Planted:
    """An interval (s) during which a foot stays flat and fixed on the floor; `position` is
    its ankle (the foot bone's head) in the world and `yaw` (deg) where its toes point."""

    foot: str
    start: float
    end: float
    position: np.ndarray  # (3,)
    yaw: float


@dataclass(frozen=True)
class Locomotion:
    """Per sample (times, s): the floor point between the feet (n, 2) and the facing (deg,
    0 = +x, left turns positive); the root (world pelvis head) position and rotation (the
    facing); the pose that locomotion owns as DOF angles in degrees (pelvis, legs and toes:
    bone -> dof -> (n,)); a walking upper-body layer (arm swing, trunk counter-rotation) that
    a clip may replace; the local rotations of both together, for forward_kinematics; the
    footfalls and planted intervals; the IK's leftover distance per foot (n, 2), metres."""

    times: np.ndarray
    floor_xy: np.ndarray
    yaw: np.ndarray
    root_position: np.ndarray
    root_rotation: Rotation
    pose: dict[str, dict[str, np.ndarray]]
    upper: dict[str, dict[str, np.ndarray]]
    local: list[Rotation]
    footfalls: list[Footfall]
    planted: list[Planted]
    residual: np.ndarray

    @property
    def duration(self) -> float:
        return float(self.times[-1] - self.times[0])

    def final_stance(self) -> Stance | None:
        """Where each foot last stood flat (ankle, toe yaw in degrees): the next move's start;
        None when a foot never stood in the sampled span."""
        last = {}
        for plant in self.planted:
            if plant.foot not in last or plant.start >= last[plant.foot].start:
                last[plant.foot] = plant
        if set(last) != {"foot_l", "foot_r"}:
            return None
        return tuple((np.asarray(last[f].position, float), float(last[f].yaw))
                     for f in ("foot_l", "foot_r"))


# ---------------------------------------------------------------------------------------------
# body geometry


@dataclass(frozen=True)
class _Feet:
    """Rest-frame points of the legs and feet that the planner needs, per side (0 left)."""

    ankle: np.ndarray  # (2, 3) foot bone heads
    heel: np.ndarray  # (2, 3) where the heel touches the floor
    ball: np.ndarray  # (2, 3) the ball bone heads (the toes' hinge)
    toe: np.ndarray  # (2, 3) toe tips
    hip: np.ndarray  # (2, 3) thigh heads
    reach: float  # m, hip-to-ankle distance the legs may stretch to
    pelvis: np.ndarray  # (3,) pelvis head
    height: float  # m, standing height (top of the head)


# A body of average proportions, in standing heights (measured on the MakeHuman adult of
# gender 0.5): for planning a move's timing before the body is built.
_AVERAGE = {"ankle": (-0.066, 0.109, 0.042), "heel": (-0.094, 0.109, 0.0),
            "ball": (0.005, 0.112, 0.005), "toe": (0.052, 0.109, 0.0),
            "hip": (-0.076, 0.061, 0.521)}


def _average_feet(height: float) -> _Feet:
    if not 0.5 <= height <= 2.5:
        raise SceneError(f"body height {height:g} m: give 0.5 to 2.5")
    mirror = np.array([1.0, -1.0, 1.0])
    points = {k: np.array([np.array(v) * height, np.array(v) * height * mirror])
              for k, v in _AVERAGE.items()}
    return _Feet(**points, reach=0.481 * height, pelvis=np.array([-0.070, 0.0, 0.526]) * height,
                 height=height)


def _feet(rig: Rig) -> _Feet:
    sk = rig.skeleton
    out = {k: [] for k in ("ankle", "heel", "ball", "toe", "hip")}
    lengths = []
    for side in ("l", "r"):
        ankle = sk.heads[sk.index(f"foot_{side}")]
        ball = sk.heads[sk.index(f"ball_{side}")]
        toe_tail = sk.tails[sk.index(f"ball_{side}")]
        hip = sk.heads[sk.index(f"thigh_{side}")]
        knee = sk.heads[sk.index(f"calf_{side}")]
        # The heel's floor contact sits behind the ankle by about 0.4 of the ankle-to-ball
        # length (measured on the MakeHuman foot: 6.6 cm behind, 12.8 cm to the ball).
        heel = np.array([ankle[0] - 0.4 * (ball[0] - ankle[0]), ankle[1], 0.0])
        toe = toe_tail + 0.2 * (toe_tail - ball)
        toe[2] = 0.0  # the tip of the big toe, where it touches the floor
        out["ankle"].append(ankle)
        out["heel"].append(heel)
        out["ball"].append(ball)
        out["toe"].append(toe)
        out["hip"].append(hip)
        lengths.append(np.linalg.norm(knee - hip) + np.linalg.norm(ankle - knee))
    # 0.998 of the straight leg: the knee keeps about 7 deg of bend (about a heel strike's),
    # where IK still converges well and knees never lock.
    reach = 0.998 * min(lengths)
    height = float(sk.tails[sk.index("head")][2])
    return _Feet(**{k: np.array(v) for k, v in out.items()}, reach=reach,
                 pelvis=sk.heads[0].copy(), height=height)


# ---------------------------------------------------------------------------------------------
# the path and the progress along it


@dataclass(frozen=True)
class _Path:
    s: np.ndarray  # (M,) arc length
    xy: np.ndarray  # (M, 2)
    yaw: np.ndarray  # (M,) heading, unwrapped

    @property
    def length(self) -> float:
        return float(self.s[-1])

    def at(self, s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        s = np.clip(s, 0.0, self.length)
        xy = np.stack([np.interp(s, self.s, self.xy[:, 0]), np.interp(s, self.s, self.xy[:, 1])],
                      axis=-1)
        return xy, np.interp(s, self.s, self.yaw)


def _rounded_path(points: np.ndarray, radius: float, spacing: float = 0.01) -> _Path:
    """A polyline with each corner replaced by a circular arc of at most `radius` (less where
    the legs are too short for it), sampled every `spacing` metres."""
    keep = [points[0]]
    for p in points[1:]:
        if np.linalg.norm(p - keep[-1]) > 1e-6:
            keep.append(p)
    points = np.array(keep)
    if len(points) < 2:
        raise SceneError("a walk needs a target away from where the character stands")
    pieces = [points[:1]]
    for k in range(1, len(points) - 1):
        a, b, c = points[k - 1], points[k], points[k + 1]
        u = (b - a) / np.linalg.norm(b - a)
        w = (c - b) / np.linalg.norm(c - b)
        turn = np.arctan2(u[0] * w[1] - u[1] * w[0], u @ w)
        if abs(turn) < 1e-3:
            pieces.append(b[None])
            continue
        tangent = radius * np.tan(abs(turn) / 2)
        tangent = min(tangent, 0.5 * np.linalg.norm(b - a), 0.5 * np.linalg.norm(c - b))
        r = tangent / np.tan(abs(turn) / 2)
        start = b - u * tangent
        normal = np.array([-u[1], u[0]]) * np.sign(turn)
        centre = start + normal * r
        angles = np.linspace(0.0, turn, max(2, int(abs(turn) * r / spacing) + 2))
        rel = start - centre
        cos, sin = np.cos(angles), np.sin(angles)
        arc = centre + np.stack([cos * rel[0] - sin * rel[1], sin * rel[0] + cos * rel[1]], -1)
        pieces.append(arc)
    pieces.append(points[-1:])
    poly = np.concatenate(pieces)
    seg = np.linalg.norm(np.diff(poly, axis=0), axis=1)
    poly = poly[np.concatenate([[True], seg > 1e-9])]
    s = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(poly, axis=0), axis=1))])
    dense = np.arange(0.0, s[-1], spacing)
    dense = np.append(dense, s[-1])
    xy = np.stack([np.interp(dense, s, poly[:, 0]), np.interp(dense, s, poly[:, 1])], -1)
    d = np.gradient(xy, axis=0)
    yaw = np.unwrap(np.arctan2(d[:, 1], d[:, 0]))
    return _Path(dense, xy, yaw)


@dataclass(frozen=True)
class _Progress:
    """Distance along the path over time: a smooth (smoothstep) start to `speed`, cruise, and
    a mirror-image stop, beginning at `start`."""

    start: float
    speed: float
    ramp: float  # s to reach full speed
    length: float

    @property
    def stop(self) -> float:
        return self.start + self.length / self.speed + self.ramp

    def distance(self, t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, float) - self.start
        v, ta, total = self.speed, self.ramp, self.stop - self.start
        x = np.clip(t / ta, 0.0, 1.0)
        up = v * ta * (x ** 3 - 0.5 * x ** 4)
        cruise = v * np.clip(t - ta, 0.0, None)
        y = np.clip((t - (total - ta)) / ta, 0.0, 1.0)
        down = v * ta * (y - y ** 3 + 0.5 * y ** 4)  # integral of 1 - smoothstep
        d = np.where(t <= ta, up, 0.5 * v * ta + cruise)
        d = np.where(t >= total - ta, 0.5 * v * ta + v * (total - 2 * ta) + down, d)
        return np.clip(d, 0.0, self.length)

    def velocity(self, t: np.ndarray) -> np.ndarray:
        t = np.asarray(t, float) - self.start
        total = self.stop - self.start
        x = np.clip(t / self.ramp, 0.0, 1.0)
        y = np.clip((total - t) / self.ramp, 0.0, 1.0)
        return self.speed * np.minimum(_smoothstep(x), _smoothstep(y))


def _progress(length: float, speed: float, start: float, running: bool) -> _Progress:
    """Reach `speed` with a peak acceleration a person manages (walking about 1.5 m/s^2, steady
    speed within about two steps of gait initiation, Jian et al., Gait Posture 1, 1993;
    running about 4) over at least 0.6 s; a path too short for it is walked slower."""
    accel = 4.0 if running else 1.5
    ramp = max(0.6, 1.5 * speed / accel)
    if length < speed * ramp:  # never reaches full speed: lower it so ramps meet
        speed = max(np.sqrt(length * accel / 1.5), 1e-3)
        ramp = max(0.6, 1.5 * speed / accel)
        if length < speed * ramp:
            speed = length / ramp
    return _Progress(start, speed, ramp, length)


def _smoothstep(x: np.ndarray) -> np.ndarray:
    x = np.clip(x, 0.0, 1.0)
    return x * x * (3.0 - 2.0 * x)


# ---------------------------------------------------------------------------------------------
# footsteps


@dataclass
class _Step:
    """One footprint: the foot (0 left, 1 right), when its heel strikes (-inf for the feet
    standing at the start), where the flat foot's ankle is and where it points, and how the
    foot rolls onto and off it."""

    foot: int
    strike: float
    ankle: np.ndarray  # (3,) world, foot flat
    yaw: float
    gait: Gait
    swing: float = 0.0  # s the swing that lands it lasts
    flat: float = -np.inf
    heel_off: float = np.inf
    toe_off: float = np.inf
    toe_off_pitch: float = 0.0  # deg the heel is up as this foot leaves it


@dataclass
class _Segment:
    """A stretch of motion: the body's pose (floor point between the feet, yaw) over time
    and the gait at each time."""

    start: float
    stop: float  # the body stops moving here
    where: Callable[[np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]  # t -> xy, yaw, v
    gait_at: Callable[[float], Gait]  # speed -> Gait
    first_foot: int


def _footprint(feet: _Feet, foot: int, xy: np.ndarray, yaw: float, width: float) -> tuple:
    """Ankle position and foot yaw of a flat foot beside a body standing at `xy`, `yaw`."""
    side = 1.0 if foot == 0 else -1.0
    local = np.array([feet.ankle[foot][0], side * width / 2])
    c, s = np.cos(yaw), np.sin(yaw)
    world = xy + np.array([c * local[0] - s * local[1], s * local[0] + c * local[1]])
    return np.array([world[0], world[1], feet.ankle[foot][2]]), yaw + side * np.radians(_TOE_OUT)


# A foot landing this fraction of a step before the body stops is placed where it ends: people
# do not take a last shuffle to correct a few centimetres.
_SETTLED = 0.25


def _plan_steps(feet: _Feet, segment: _Segment, last: list[_Step], stand_width: float
                ) -> tuple[list[_Step], float]:
    """Footsteps over one segment, starting from the feet in `last` (left, right). Strikes
    fall at the cadence of the current speed; each foot lands where the body will be
    `over_ankle` of the way through that foot's stance, so the pelvis passes over it; steps go
    on until both feet stand at the segment's end pose. Returns the new steps and the time of
    the last strike."""
    top = max(segment.gait_at(np.inf).speed, 1e-3)

    def gait_now(t: float) -> Gait:
        # Starting and stopping steps keep a brisk rhythm: a person taking off into a 1.4 m/s
        # walk does not shuffle at a 0.1 m/s cadence.
        v = float(segment.where(np.array([t]))[2][0])
        return segment.gait_at(max(v, 0.6 * top))

    # first the rhythm: when each foot strikes
    g = gait_now(segment.start)
    # the first foot leaves as the body starts to move, and swings for a normal swing
    t = segment.start + 0.1 + (1.0 - g.duty) * 2.0 / g.cadence
    foot = segment.first_foot
    schedule: list[tuple[float, int, Gait]] = []
    done = [False, False]
    for _ in range(1000):
        g = gait_now(t)
        schedule.append((t, foot, g))
        if t + g.over_ankle * g.duty * 2.0 / g.cadence >= segment.stop - _SETTLED / g.cadence:
            done[foot] = True
            if all(done):
                break
        foot = 1 - foot
        t = t + 1.0 / gait_now(t + 0.5 / g.cadence).cadence
    # then the places: each footprint goes where the body will be when it has travelled
    # `over_ankle` of the way it travels while that foot is down
    steps: list[_Step] = []
    previous = list(last)
    for k, (t, foot, g) in enumerate(schedule):
        stride = schedule[k + 2][0] - t if k + 2 < len(schedule) else 2.0 / g.cadence
        after = schedule[k + 2][2] if k + 2 < len(schedule) else g
        toe_off = t + after.duty * stride
        over = _travelled(segment.where, t, toe_off, g.over_ankle)
        if over >= segment.stop - _SETTLED / g.cadence:
            over = segment.stop  # nearly there: this foot goes straight to where it ends
        xy, yaw, _ = segment.where(np.array([over]))
        width = g.width if over < segment.stop else stand_width
        ankle, foot_yaw = _footprint(feet, foot, xy[0], float(yaw[0]), width)
        held = previous[foot]
        if np.linalg.norm(ankle - held.ankle) < 0.01 and \
                abs(_wrap(foot_yaw - held.yaw)) < np.radians(2.0):
            continue  # already standing there
        before = schedule[k - 2][0] if k >= 2 else None
        swing = (1.0 - g.duty) * (t - before if before is not None else 2.0 / g.cadence)
        step = _Step(foot, t, ankle, foot_yaw, g, swing=swing)
        steps.append(step)
        previous[foot] = step
    end = max([s.strike for s in steps], default=segment.start)
    return steps, end


def _travelled(where, t0: float, t1: float, fraction: float) -> float:
    """The time between t0 and t1 by which the body has covered `fraction` of the way it
    covers between them (turning counts 0.3 m a radian, so a turn on the spot has a way)."""
    times = np.linspace(t0, t1, 24)
    xy, yaw, _ = where(times)
    step = np.linalg.norm(np.diff(xy, axis=0), axis=1) + 0.3 * np.abs(np.diff(yaw))
    way = np.concatenate([[0.0], np.cumsum(step)])
    if way[-1] < 1e-6:
        return t0 + fraction * (t1 - t0)
    return float(np.interp(fraction * way[-1], way, times))


def _roll_timing(steps_by_foot: list[list[_Step]], t0: float, hip_at, feet: _Feet) -> None:
    """When each footprint flattens, lifts its heel and leaves: in time for the swing that
    follows, and before the hip has passed so far beyond it that the leg could not reach it
    (a decelerating stride would otherwise drag the foot behind). `hip_at(t)` gives the
    hips' middle over the floor (n, 2); a foot standing at the start `t0` lifts its heel no
    earlier than that."""
    for steps in steps_by_foot:
        for k, step in enumerate(steps):
            g = step.gait
            if np.isfinite(step.strike):
                step.flat = step.strike + g.flat_at * g.duty * 2.0 / g.cadence
            if k + 1 >= len(steps):
                continue
            nxt = steps[k + 1]
            step.toe_off = min(nxt.strike - nxt.swing,
                               _last_reach(step, hip_at, feet, max(step.flat, t0),
                                           nxt.strike - nxt.swing))
            step.toe_off_pitch = g.toe_off_pitch
            if np.isfinite(step.strike):
                stance = step.toe_off - step.strike
                step.heel_off = step.strike + g.heel_off_at * stance
            else:  # a step from standing: a shorter push and a smaller roll
                step.toe_off_pitch *= 0.6
                step.heel_off = step.toe_off - 0.3 * (1.0 - g.heel_off_at) * 2.0 / g.cadence
                step.heel_off = max(step.heel_off, min(t0 + 0.02, step.toe_off - 0.05))
            step.heel_off = min(max(step.heel_off, step.flat + 0.02), step.toe_off - 0.04)


def _last_reach(step: _Step, hip_at, feet: _Feet, begin: float, end: float) -> float:
    """The time the hips pass the point beyond this footprint where a leg rolled onto its
    toes can still reach it (the flat ankle ~0.7 leg lengths behind the hips)."""
    if end <= begin:
        return end
    times = np.arange(begin, end, 0.005)
    if not len(times):
        return end
    hip = hip_at(times)
    ahead = np.array([np.cos(step.yaw), np.sin(step.yaw)])
    behind = (hip - step.ankle[:2]) @ ahead
    leg = feet.reach
    past = np.flatnonzero(behind > 0.7 * leg)
    return float(times[past[0]]) if len(past) else end


# ---------------------------------------------------------------------------------------------
# foot trajectories


def _pitched(yaw: np.ndarray, pitch: np.ndarray) -> Rotation:
    """Foot rotation: turned by yaw, toes raised by pitch (rad, toes up positive)."""
    return Rotation.from_euler("ZY", np.stack([yaw, -pitch], -1))


def _pivot_ankle(pivot_world: np.ndarray, pivot_rest: np.ndarray, ankle_rest: np.ndarray,
                 rotation: Rotation) -> np.ndarray:
    """Ankle position that keeps a rest-frame point of the foot at a world point."""
    return pivot_world - rotation.apply(pivot_rest - ankle_rest)


@dataclass
class _FootTrack:
    ankle: np.ndarray  # (n, 3)
    yaw: np.ndarray  # (n,)
    pitch: np.ndarray  # (n,) rad
    toes: np.ndarray  # (n,) deg of ball flex
    turn_weight: np.ndarray  # (n,)
    ankle_flex: np.ndarray  # (n,) deg, the ankle angle to prefer where the turn is free
    bearing: np.ndarray  # (n,) bool: on the floor or about to be (the pelvis must let it reach)


def _foot_track(feet: _Feet, foot: int, steps: list[_Step], times: np.ndarray,
                root_xy: np.ndarray) -> _FootTrack:
    """Where one foot is over time: rolling heel -> flat -> ball on each footprint (pivoting
    about fixed points), and arcing between footprints (`root_xy`, the pelvis over the floor
    at each time, carries a runner's swinging foot)."""
    n = len(times)
    track = _FootTrack(np.zeros((n, 3)), np.zeros(n), np.zeros(n), np.zeros(n), np.ones(n),
                       np.zeros(n), np.ones(n, bool))
    ankle_rest, heel_rest, ball_rest = feet.ankle[foot], feet.heel[foot], feet.ball[foot]

    def world_of(step: _Step, rest_point: np.ndarray) -> np.ndarray:
        return step.ankle + _pitched(np.array([step.yaw]), np.zeros(1)).apply(
            rest_point - ankle_rest)[0]

    for k, step in enumerate(steps):
        g = step.gait
        # heel rocker: toes come down about the heel
        sel = (times >= step.strike) & (times < step.flat)
        if sel.any():
            f = (times[sel] - step.strike) / (step.flat - step.strike)
            pitch = np.radians(g.strike_pitch) * 0.5 * (1 + np.cos(np.pi * f))
            _fill_pivot(track, sel, step, pitch, world_of(step, heel_rest), heel_rest,
                        ankle_rest, np.zeros(sel.sum()))
        sel = (times >= step.flat) & (times < step.heel_off)
        if sel.any():
            _fill_pivot(track, sel, step, np.zeros(sel.sum()), step.ankle, ankle_rest,
                        ankle_rest, np.zeros(sel.sum()))
        sel = (times >= step.heel_off) & (times < step.toe_off)
        if sel.any():
            f = (times[sel] - step.heel_off) / (step.toe_off - step.heel_off)
            pitch = _push_pitch(step, f)
            ankle, toes = _push_off(feet, foot, step, pitch)
            track.ankle[sel] = ankle
            track.yaw[sel] = step.yaw
            track.pitch[sel] = pitch
            track.toes[sel] = toes
            track.turn_weight[sel] = 1.0
        if k + 1 < len(steps):
            _fill_swing(track, feet, foot, step, steps[k + 1], times, world_of, root_xy)
    return track


def _push_pitch(step: _Step, f: np.ndarray) -> np.ndarray:
    """Heel rise (rad, negative) over the push-off, f = 0 .. 1: it starts gently and is
    fastest at toe-off, so the foot leaves the floor already moving."""
    return -np.radians(step.toe_off_pitch) * (1.0 - np.cos(0.5 * np.pi * f))


# The toes bend at most this much while the foot rolls over the ball; beyond it the foot and
# toes turn together about the tip of the toes (real toe-off: the foot ~60 deg to the floor,
# the ankle ~20 cm up, the toes bent ~40 deg).
_TOE_BEND = 40.0


def _push_off(feet: _Feet, foot: int, step: _Step, pitch: np.ndarray
              ) -> tuple[np.ndarray, np.ndarray]:
    """Ankle positions and toe bend (deg) as the heel rises to `pitch` (rad, negative): first
    about the ball with the toes flat, then about the tip of the toes."""
    ankle_rest, ball_rest, toe_rest = feet.ankle[foot], feet.ball[foot], feet.toe[foot]
    flat = _pitched(np.array([step.yaw]), np.zeros(1))
    ball_world = step.ankle + flat.apply(ball_rest - ankle_rest)[0]
    toe_world = step.ankle + flat.apply(toe_rest - ankle_rest)[0]
    limit = np.radians(_TOE_BEND)
    yaw = np.full(len(pitch), step.yaw)
    on_ball = _pitched(yaw, np.maximum(pitch, -limit))
    ankle = _pivot_ankle(ball_world, ball_rest, ankle_rest, on_ball)
    toes = np.degrees(np.minimum(-pitch, limit))
    beyond = pitch < -limit
    if beyond.any():
        foot_rotation = _pitched(yaw[beyond], pitch[beyond])
        toe_rotation = _pitched(yaw[beyond], np.full(beyond.sum(), pitch[beyond] + limit))
        ankle[beyond] = (toe_world - foot_rotation.apply(ball_rest - ankle_rest)
                         - toe_rotation.apply(toe_rest - ball_rest))
    return ankle, toes


def _fill_pivot(track: _FootTrack, sel: np.ndarray, step: _Step, pitch: np.ndarray,
                pivot_world: np.ndarray, pivot_rest: np.ndarray, ankle_rest: np.ndarray,
                toes: np.ndarray) -> None:
    yaw = np.full(sel.sum(), step.yaw)
    rotation = _pitched(yaw, pitch)
    track.ankle[sel] = _pivot_ankle(pivot_world, pivot_rest, ankle_rest, rotation)
    track.yaw[sel] = yaw
    track.pitch[sel] = pitch
    track.toes[sel] = toes
    track.turn_weight[sel] = 1.0


def _fill_swing(track: _FootTrack, feet: _Feet, foot: int, step: _Step, nxt: _Step,
                times: np.ndarray, world_of, root_xy: np.ndarray) -> None:
    """The swing from `step`'s toe-off to `nxt`'s heel strike."""
    sel = (times >= step.toe_off) & (times < nxt.strike)
    if not sel.any():
        return
    ankle_rest, heel_rest, ball_rest = feet.ankle[foot], feet.heel[foot], feet.ball[foot]
    g = nxt.gait
    tau = (times[sel] - step.toe_off) / (nxt.strike - step.toe_off)
    pitch0, pitch1 = -np.radians(step.toe_off_pitch), np.radians(g.strike_pitch)
    start = _push_off(feet, foot, step, np.array([pitch0]))[0][0]
    end = _pivot_ankle(world_of(nxt, heel_rest), heel_rest, ankle_rest,
                       _pitched(np.array([nxt.yaw]), np.array([pitch1])))[0]
    # The foot leaves the floor moving as the push-off left it (in units of the swing's
    # duration) and slows to land; a Hermite curve joins the two without a pause at toe-off,
    # which would drag the leg straight behind the hips.
    duration = nxt.strike - step.toe_off
    push = max(step.toe_off - step.heel_off, 1e-3)
    before = _push_off(feet, foot, step, _push_pitch(step, np.array([1.0 - 0.02])))[0][0]
    leaving = (start - before) / (0.02 * push) * duration
    # a short push (a first step from standing) must not fling the foot: at most about the
    # swing's own length
    limit = 0.8 * np.linalg.norm(end - start) + 0.05
    leaving *= min(1.0, limit / max(np.linalg.norm(leaving), 1e-9))
    if not np.isfinite(step.strike):  # a first step from standing only just lifts the foot
        leaving *= 0.3
    h00, h10, h01 = 2 * tau ** 3 - 3 * tau ** 2 + 1, tau ** 3 - 2 * tau ** 2 + tau, \
        -2 * tau ** 3 + 3 * tau ** 2
    ankle = h00[:, None] * start + h10[:, None] * leaving + h01[:, None] * end
    u = _smoothstep(tau)
    if g.running:
        # A runner's foot travels with the hip: it folds up behind (the heel toward the
        # buttock) and only then reaches forward, so mid-swing it follows a path fixed to
        # the pelvis, not a straight line between footprints 2-4 m apart.
        ref = np.stack([np.interp(times[sel], times, root_xy[:, j]) for j in (0, 1)], -1)
        ref0 = np.array([np.interp(step.toe_off, times, root_xy[:, j]) for j in (0, 1)])
        ref1 = np.array([np.interp(nxt.strike, times, root_xy[:, j]) for j in (0, 1)])
        carried = ref + (start[:2] - ref0) + ((end[:2] - ref1) - (start[:2] - ref0)) * \
            _smoothstep(tau ** 1.3)[:, None]
        blend = np.sin(np.pi * tau) ** 2
        ankle[:, :2] = (1 - blend[:, None]) * ankle[:, :2] + blend[:, None] * carried
        rise = np.sin(np.pi * tau ** 0.8)
    else:
        rise = np.sin(np.pi * tau)
    # the foot keeps turning heel-up a moment after toe-off, then levels for the heel strike
    pitch_rate = (pitch0 - _push_pitch(step, np.array([0.98]))[0]) / (0.02 * push) * duration
    pitch_rate = max(pitch_rate, -1.0)
    pitch = h00 * pitch0 + h10 * pitch_rate + h01 * pitch1
    yaw = step.yaw + (_wrap(nxt.yaw - step.yaw)) * u
    ankle[:, 2] += g.lift * rise
    toes = min(step.toe_off_pitch, _TOE_BEND) * (1.0 - _smoothstep(tau / 0.4))
    # keep the sole off the floor: raise the ankle where its lowest point would dip
    rotation = _pitched(yaw, pitch)
    toe_rotation = _pitched(yaw, pitch + np.radians(toes))
    ball = rotation.apply(ball_rest - ankle_rest)
    low = np.minimum(rotation.apply(heel_rest - ankle_rest)[:, 2], ball[:, 2])
    low = np.minimum(low, ball[:, 2] + toe_rotation.apply(feet.toe[foot] - ball_rest)[:, 2])
    clearance = 0.012 * np.sin(np.pi * tau)
    ankle[:, 2] += np.maximum(clearance - (ankle[:, 2] + low), 0.0)
    track.ankle[sel] = ankle
    track.yaw[sel] = yaw
    track.pitch[sel] = pitch
    track.toes[sel] = toes
    # mid-swing the knee and the ankle find their own way (the foot need not be held level),
    # the foot's turn is held only near lift-off and landing
    hold = 0.35 if not g.running else 0.05
    track.turn_weight[sel] = hold + (1 - hold) * (1 - np.sin(np.pi * tau)) ** 2
    track.ankle_flex[sel] = 8.0 * np.sin(np.pi * tau)
    # the pelvis must let the foot reach the floor as it lands, not while it swings
    track.bearing[sel] = tau > (0.9 if g.running else 0.75)


def _wrap(angle: float) -> float:
    return (angle + np.pi) % (2 * np.pi) - np.pi


# ---------------------------------------------------------------------------------------------
# pelvis and upper body


def _keyed(times: np.ndarray, keys: list[tuple[float, float]]) -> np.ndarray:
    """Values at `times` eased (cosine) between (time, value) keys; flat beyond the ends."""
    if not keys:
        return np.zeros(len(times))
    keys = sorted(keys)
    kt = np.array([k[0] for k in keys])
    kv = np.array([k[1] for k in keys])
    if len(kt) == 1:
        return np.full(len(times), kv[0])
    i = np.clip(np.searchsorted(kt, times, side="right") - 1, 0, len(kt) - 2)
    span = np.maximum(kt[i + 1] - kt[i], 1e-9)
    f = np.clip((times - kt[i]) / span, 0.0, 1.0)
    w = 0.5 * (1 - np.cos(np.pi * f))
    return kv[i] + (kv[i + 1] - kv[i]) * w


def _swings(steps_by_foot: list[list[_Step]]) -> list[tuple[float, float, int, Gait]]:
    """Every swing as (lift-off, landing, swinging foot, gait), in time order."""
    out = []
    for foot, steps in enumerate(steps_by_foot):
        for a, b in zip(steps[:-1], steps[1:]):
            out.append((a.toe_off, b.strike, foot, b.gait))
    return sorted(out)


def _rhythm_keys(swings: list, begin: float, end: float, value) -> list[tuple[float, float]]:
    """Keys at each swing's middle (value(foot, gait)), zero when standing before and after
    and wherever the feet rest for a while between swings."""
    keys = [(begin, 0.0)]
    previous_end = begin
    for lift, land, foot, g in swings:
        if lift - previous_end > 0.4:  # standing still a while: settle in between
            keys.append((previous_end + 0.2, 0.0))
            keys.append((lift - 0.2, 0.0))
        keys.append((0.5 * (lift + land), value(foot, g)))
        previous_end = max(previous_end, land)
    keys.append((previous_end + 0.3, 0.0))
    keys.append((max(end, previous_end + 0.3), 0.0))
    return keys


def _pelvis_motion(times: np.ndarray, swings: list, begin: float, end: float) -> dict:
    """Sway, bob and the pelvis' own rotations over time (sample arrays)."""
    sway = _keyed(times, _rhythm_keys(swings, begin, end,
                                      lambda foot, g: g.sway * (-1 if foot == 0 else 1)))
    # walking: highest when one leg stands alone (mid-swing of the other); running: lowest
    bob_keys = _rhythm_keys(swings, begin, end,
                            lambda foot, g: -g.bob if g.running else g.bob)
    between = []
    for (l0, d0, _, g0), (l1, d1, _, g1) in zip(swings[:-1], swings[1:]):
        m0, m1 = 0.5 * (l0 + d0), 0.5 * (l1 + d1)
        if m1 - m0 < 1.2:
            between.append((0.5 * (m0 + m1), g1.bob if g1.running else -g1.bob))
    bob = _keyed(times, bob_keys + between)
    listing = _keyed(times, _rhythm_keys(
        swings, begin, end, lambda foot, g: g.pelvis_list * (1 if foot == 0 else -1)))
    # the swinging leg's hip comes forward with it: at its landing the pelvis is turned most
    turn_keys = [(begin, 0.0)] + [(land, g.pelvis_turn * (-1 if foot == 0 else 1))
                                  for _, land, foot, g in swings]
    if swings:
        turn_keys.append((swings[-1][1] + 0.3, 0.0))
    turn = _keyed(times, turn_keys)
    crouch = _keyed(times, _rhythm_keys(swings, begin, end, lambda foot, g: g.crouch))
    return {"sway": sway, "bob": bob, "list": listing, "turn": turn, "crouch": crouch}


def _upper_body(times: np.ndarray, swings: list, begin: float, end: float,
                pelvis: dict) -> dict[str, dict[str, np.ndarray]]:
    """Arms swinging against the legs, elbows bent, the trunk counter-rotating the pelvis and
    leaning with speed, the head kept level: a layer a clip may replace."""
    n = len(times)
    arm_keys = [(begin, 0.0)] + [(land, g.arm_swing * (1 if foot == 1 else -1))
                                 for _, land, foot, g in swings]
    if swings:
        arm_keys.append((swings[-1][1] + 0.4, 0.0))
    swing_l = _keyed(times, arm_keys)  # left arm forward when the right foot lands
    elbow = _keyed(times, _rhythm_keys(swings, begin, end, lambda foot, g: g.elbow))
    lean = _keyed(times, _rhythm_keys(swings, begin, end, lambda foot, g: g.lean))
    running = _keyed(times, _rhythm_keys(swings, begin, end,
                                         lambda foot, g: 1.0 if g.running else 0.0))
    pose: dict[str, dict[str, np.ndarray]] = {}
    for bone in ("spine_01", "spine_02", "spine_03"):
        pose[bone] = {"bend": lean / 3, "side": -pelvis["list"] / 3,
                      "turn": -pelvis["turn"] / 2.5}
    pose["neck_01"] = {"bend": -lean * 0.5}
    pose["head"] = {"bend": -lean * 0.5}
    # Arms at the sides (the rest pose holds them 40 deg out and the elbows 45 deg bent),
    # palms toward the thighs, swinging about the shoulder; the elbow bends more as the arm
    # comes forward. A runner holds the elbows near a right angle, the forearms turned in
    # across the body, the hands loosely closed.
    for side, sign in (("l", 1.0), ("r", -1.0)):
        flex = sign * swing_l + 2.0 - 10.0 * running
        pose[f"upperarm_{side}"] = {"twist": 20.0 * running, "flex": flex,
                                    "abduct": -37.0 + 5.0 * running}
        pose[f"lowerarm_{side}"] = {"twist": 40.0 - 10.0 * running,
                                    "bend": -30.0 + elbow + 0.3 * np.maximum(flex, 0.0)}
        pose[f"hand_{side}"] = {"flex": np.full(n, 5.0)}
        for finger in ("index", "middle", "ring", "pinky"):
            for joint in ("01", "02", "03"):
                pose[f"{finger}_{joint}_{side}"] = {"curl": 12.0 + 35.0 * running}
        pose[f"thumb_02_{side}"] = {"curl": 10.0 + 15.0 * running}
    return pose


# ---------------------------------------------------------------------------------------------
# the whole motion


def _stand_width(feet: _Feet) -> float:
    """Standing, the feet are as far apart as in the rest pose (and the idle clip), so a walk
    can start from a standing pose and end in one without a foot sliding into place."""
    return float(feet.ankle[0][1] - feet.ankle[1][1])


def walk(rig: Rig, waypoints, speed: float = 1.4, *, start=(0.0, 0.0),
         start_yaw: float | None = None, end_yaw: float | None = None,
         running: bool | None = None, turn_rate: float = 120.0, fps: float = 60.0,
         t0: float = 0.0, settle: float = 0.4, times: np.ndarray | None = None,
         stance: Stance | None = None) -> Locomotion:
    """Walk (0.3-2 m/s) or run (2-7 m/s; `running` forces either) from `start` (the floor
    point between the feet, m) through 2-D `waypoints` to the last one, turning at most
    `turn_rate` deg/s on the way, starting and stopping smoothly. Facing `start_yaw` (deg)
    at first, the character turns on the spot to the path before it sets off, and to
    `end_yaw` (deg) after it arrives, when those are given and differ. Sampled at `fps` from
    `t0` until it stands still, or at the given `times`."""
    feet = _feet(rig)
    plans, start_xy, yaw0 = _walk_plans(waypoints, speed, start, start_yaw, end_yaw, running,
                                        turn_rate)
    plan = _plan(feet, plans, start_xy, yaw0, t0, settle, stance)
    return _perform(rig, feet, plan, _sample_times(plan, fps, times))


def turn_in_place(rig: Rig, yaw_from: float, yaw_to: float, *, position=(0.0, 0.0),
                  turn_rate: float = 90.0, fps: float = 60.0, t0: float = 0.0,
                  settle: float = 0.4, times: np.ndarray | None = None,
                  stance: Stance | None = None) -> Locomotion:
    """Turn on the spot from `yaw_from` to `yaw_to` (deg, the short way round) at up to
    `turn_rate` deg/s, stepping with the foot on the turning side first."""
    if turn_rate <= 0:
        raise SceneError(f"turn rate {turn_rate:g} deg/s: give a positive number")
    feet = _feet(rig)
    position = np.asarray(position, float).reshape(2)
    yaw0 = np.radians(yaw_from)
    delta = _wrap(np.radians(yaw_to) - yaw0)
    plan = _plan(feet, [_Turn(position, yaw0, yaw0 + delta, turn_rate)], position, yaw0, t0,
                 settle, stance)
    return _perform(rig, feet, plan, _sample_times(plan, fps, times))


TURN_RATE_DEG_S = 150.0  # turning on the spot (a brisk 90 degree turn takes ~1 s)
WALK_OFF_TURN_DEG = 45.0  # a change of heading up to this is turned while walking, not first
WALK_OFF_M = 0.6  # ... over this much of the path (or half a shorter one)


def turn_duration(yaw_from: float, yaw_to: float, body_height: float) -> float:
    """Seconds that turn_in_place() takes for a body `body_height` tall (average proportions),
    for timelines that must know it before the body is built."""
    start = np.zeros(2)
    yaw0 = np.radians(yaw_from)
    delta = _wrap(np.radians(yaw_to) - yaw0)
    plan = _plan(_average_feet(body_height), [_Turn(start, yaw0, yaw0 + delta, TURN_RATE_DEG_S)],
                 start, yaw0, 0.0, 0.4)
    return float(plan.t_end)


def gait_duration(path, start_yaw: float, end_yaw: float, speed: float, gait_name: str,
                  body_height: float) -> float:
    """Seconds that walk() takes (turns on the spot included) for a body `body_height` tall
    from path[0] through the rest of `path` at `speed`, facing `start_yaw` and ending facing
    `end_yaw` (deg); `gait_name` is "walk" or "run". For timelines that must know a move's
    length before the body is built: it plans the same footsteps on a body of average
    proportions."""
    points = np.asarray(path, float).reshape(-1, 2)
    plans, start_xy, yaw0 = _walk_plans(points[1:], speed, points[0], start_yaw, end_yaw,
                                        gait_name == "run", 120.0)
    plan = _plan(_average_feet(body_height), plans, start_xy, yaw0, 0.0, 0.4)
    return float(plan.t_end)


def locomote(rig: Rig, move, times: np.ndarray, stance: Stance | None = None) -> Locomotion:
    """A script's move (worldreel.animation.script.Move: gait "walk", "run" or "turn", start
    and end poses with yaw in degrees, speed, duration, path) sampled at `times` (s from the
    move's start). A turn is turn_in_place() (the feet step round, they do not slide); a walk
    or run is walk() along the move's path. `stance`: where the feet stand at the start, when
    the move follows another (Locomotion.final_stance)."""
    times = np.asarray(times, float)
    start = np.asarray(move.start.xy, float)
    if move.gait == "turn":
        return turn_in_place(rig, move.start.yaw, move.end.yaw, position=start,
                             turn_rate=TURN_RATE_DEG_S, times=times, stance=stance)
    path = np.asarray(move.path, float).reshape(-1, 2) if len(move.path) else \
        np.array([move.start.xy, move.end.xy], float)
    return walk(rig, path[1:], move.speed, start=path[0], start_yaw=move.start.yaw,
                end_yaw=move.end.yaw, running=move.gait == "run", times=times, stance=stance)


def _walk_plans(waypoints, speed: float, start, start_yaw: float | None,
                end_yaw: float | None, running: bool | None, turn_rate: float
                ) -> tuple[list, np.ndarray, float]:
    """The turn, walk and turn a walk() is made of, the start point and the first yaw (rad)."""
    low, high = WALK_SPEEDS[0], RUN_SPEEDS[1]
    if not low <= speed <= high:
        raise SceneError(f"speed {speed:g} m/s: give {low:g} to {WALK_SPEEDS[1]:g} (walk) "
                         f"or up to {high:g} (run)")
    if running is False and speed > WALK_SPEEDS[1]:
        raise SceneError(f"walking at {speed:g} m/s: people walk at up to "
                         f"{WALK_SPEEDS[1]:g} m/s; run to go faster")
    if turn_rate <= 0:
        raise SceneError(f"turn rate {turn_rate:g} deg/s: give a positive number")
    start = np.asarray(start, float).reshape(2)
    points = np.vstack([start[None], np.asarray(waypoints, float).reshape(-1, 2)])
    path = _rounded_path(points, speed / np.radians(turn_rate))
    heading = float(path.yaw[0])
    yaw0 = heading if start_yaw is None else float(np.radians(start_yaw))
    delta = _wrap(heading - yaw0)
    plans: list[_Turn | _Walk] = []
    # A small change of heading is walked off (the body turns over the first steps, as people
    # do); a large one is turned on the spot first. The same at the end.
    blend = min(WALK_OFF_M, 0.5 * float(path.s[-1]))
    ease = 1.0 - _smoothstep(path.s / max(blend, 1e-6))
    walk_off = abs(delta) <= np.radians(WALK_OFF_TURN_DEG)
    if abs(delta) > np.radians(3.0) and not walk_off:
        plans.append(_Turn(start, yaw0, yaw0 + delta, TURN_RATE_DEG_S))
    # the path's heading continues from the (possibly turned) start without a 2 pi jump
    facing = path.yaw - path.yaw[0] + yaw0 + delta
    if walk_off:
        facing = facing - delta * ease
    if end_yaw is not None:
        turn = _wrap(np.radians(end_yaw) - float(facing[-1]))
        if abs(turn) <= np.radians(WALK_OFF_TURN_DEG):
            facing = facing + turn * (1.0 - _smoothstep(
                (path.s[-1] - path.s) / max(blend, 1e-6)))
    path = _Path(path.s, path.xy, facing)
    running = speed > WALK_SPEEDS[1] if running is None else running
    plans.append(_Walk(path, speed, running))
    if end_yaw is not None:
        arrive = float(path.yaw[-1])
        turn = _wrap(np.radians(end_yaw) - arrive)
        if abs(turn) > np.radians(3.0):
            plans.append(_Turn(path.xy[-1], arrive, arrive + turn, TURN_RATE_DEG_S))
    return plans, start, yaw0


@dataclass(frozen=True)
class _Turn:
    """Turning on the spot at `xy` from yaw0 to yaw1 (rad) at up to turn_rate deg/s."""

    xy: np.ndarray
    yaw0: float
    yaw1: float
    turn_rate: float


@dataclass(frozen=True)
class _Walk:
    """Walking or running along a path at up to `speed`."""

    path: _Path
    speed: float
    running: bool


def _segment(plan: _Turn | _Walk, feet: _Feet, start: float) -> _Segment:
    """The motion of one plan, beginning at time `start`."""
    if isinstance(plan, _Turn):
        return _turn_segment(feet, plan, start)
    return _walk_segment(feet, plan, start)


def _turn_segment(feet: _Feet, plan: _Turn, start: float) -> _Segment:
    # A turn on the spot is stepped at a relaxed walking rhythm, at most ~45 deg a step.
    base = gait(0.8, feet.height)
    g = Gait(**{**base.__dict__, "cadence": 1.8 * np.sqrt(REFERENCE_HEIGHT / feet.height),
                "duty": 0.66, "width": _stand_width(feet), "sway": 0.6 * base.sway,
                "bob": 0.3 * base.bob, "lift": 0.02, "strike_pitch": 4.0,
                "toe_off_pitch": 15.0, "arm_swing": 3.0, "pelvis_turn": 0.0, "lean": 0.0,
                "crouch": 0.5 * base.crouch})
    angle = abs(plan.yaw1 - plan.yaw0)
    duration = max(angle / np.radians(plan.turn_rate), angle / np.radians(45.0) / g.cadence,
                   0.6)
    begin = start + 0.15

    def where(t):
        t = np.asarray(t, float)
        f = _smoothstep((t - begin) / duration)
        # not a speed over the floor, but it marks the body as moving while it turns
        moving = np.where((t > begin) & (t < begin + duration), g.speed, 0.0)
        return (np.broadcast_to(plan.xy, (len(t), 2)).copy(),
                plan.yaw0 + (plan.yaw1 - plan.yaw0) * f, moving)

    first = 0 if plan.yaw1 > plan.yaw0 else 1  # the foot on the turning side opens the turn
    return _Segment(start, begin + duration, where, lambda v: g, first)


def _walk_segment(feet: _Feet, plan: _Walk, start: float) -> _Segment:
    progress = _progress(plan.path.length, plan.speed, start + 0.05, plan.running)

    def gait_at(v: float) -> Gait:
        v = min(v, progress.speed)
        # a run starts (and ends) with quicker walking steps until it is fast enough
        return gait(v, feet.height, running=plan.running and v >= 0.75 * WALK_SPEEDS[1])

    def where(times):
        times = np.asarray(times, float)
        xy, yaw = plan.path.at(progress.distance(times))
        return xy, yaw, progress.velocity(times)

    return _Segment(start, progress.stop, where, gait_at, 0)


@dataclass(frozen=True)
class _Plan:
    """Every footstep (per foot, the standing feet first), the body's motion per segment as
    (start, stop, where), and when it all ends (standing still)."""

    steps: list[list[_Step]]
    wheres: list
    start_xy: np.ndarray
    yaw0: float
    t0: float
    t_end: float

    def body(self, times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The floor point between the feet (n, 2) and the facing (rad) at `times`."""
        xy = np.broadcast_to(self.start_xy, (len(times), 2)).copy()
        yaw = np.full(len(times), self.yaw0)
        for start, _, where in self.wheres:
            sel = times >= start
            if sel.any():
                xy[sel], yaw[sel], _ = where(times[sel])
        return xy, yaw


def _plan(feet: _Feet, plans: list[_Turn | _Walk], start_xy: np.ndarray, yaw0: float,
          t0: float, settle: float, stance: Stance | None = None) -> _Plan:
    """The footsteps of every segment in turn, each starting once the last has come to rest,
    and how every footprint rolls (timing only: no joint is solved here). `stance`: where the
    feet stand at the start (the end of the move before); else beside the start point."""
    stand = _stand_width(feet)
    last = [_Step(f, -np.inf, *_footprint(feet, f, start_xy, yaw0, stand),
                  gait=gait(1.0, feet.height)) for f in (0, 1)]
    if stance is not None:  # carry on from where the feet are: nothing jumps between moves
        last = [_Step(f, -np.inf, np.asarray(stance[f][0], float), float(np.radians(stance[f][1])),
                      gait=gait(1.0, feet.height)) for f in (0, 1)]
    all_steps: list[list[_Step]] = [[last[0]], [last[1]]]
    wheres = []
    t = t0
    for plan in plans:
        seg = _segment(plan, feet, t)
        steps, end = _plan_steps(feet, seg, last, stand)
        for step in steps:
            all_steps[step.foot].append(step)
        last = [all_steps[0][-1], all_steps[1][-1]]
        wheres.append((seg.start, seg.stop, seg.where))
        t = max(end, seg.stop) + 0.15
    provisional = _Plan(all_steps, wheres, start_xy, yaw0, t0, np.inf)
    hip = 0.5 * (feet.hip[0] + feet.hip[1])

    def hip_at(t: np.ndarray) -> np.ndarray:
        xy, yaw = provisional.body(np.asarray(t, float))
        return xy + np.stack([np.cos(yaw) * hip[0] - np.sin(yaw) * hip[1],
                              np.sin(yaw) * hip[0] + np.cos(yaw) * hip[1]], -1)

    _roll_timing(all_steps, t0, hip_at, feet)
    flats = [step.flat for steps in all_steps for step in steps if np.isfinite(step.flat)]
    t_end = max(flats + [wheres[-1][1]]) + settle
    return _Plan(all_steps, wheres, start_xy, yaw0, t0, t_end)


def _sample_times(plan: _Plan, fps: float, times: np.ndarray | None) -> np.ndarray:
    if times is not None:
        times = np.asarray(times, float)
        if times.ndim != 1 or len(times) < 2 or np.any(np.diff(times) <= 0):
            raise SceneError("locomotion times: give two or more increasing sample times")
        return times
    if fps <= 0:
        raise SceneError(f"fps {fps:g}: give a positive sample rate")
    return plan.t0 + np.arange(int(np.floor((plan.t_end - plan.t0) * fps)) + 1) / fps


def _perform(rig: Rig, feet: _Feet, plan: _Plan, times: np.ndarray) -> Locomotion:
    """The planned footsteps played at `times`: feet, pelvis, legs solved, upper body."""
    all_steps = plan.steps
    xy, yaw = plan.body(times)
    swings = _swings(all_steps)
    pelvis = _pelvis_motion(times, swings, plan.t0, plan.t_end)
    root_xy = _root_xy(feet, xy, yaw, pelvis["sway"])
    tracks = [_foot_track(feet, f, all_steps[f], times, root_xy) for f in (0, 1)]
    root_rotation = Rotation.from_euler("z", yaw[:, None])
    pelvis_pose = {"bend": np.zeros(len(times)), "side": pelvis["list"],
                   "turn": pelvis["turn"]}
    upper = _upper_body(times, swings, plan.t0, plan.t_end, pelvis)
    rate = 1.0 / float(np.median(np.diff(times)))
    root = _root_positions(rig, feet, root_xy, pelvis, tracks, root_rotation, pelvis_pose, rate)
    legs = _solve_legs(rig, feet, tracks, root, root_rotation, pelvis_pose)
    pose = {"pelvis": pelvis_pose}
    for bone in ("thigh_l", "calf_l", "foot_l", "thigh_r", "calf_r", "foot_r"):
        pose[bone] = legs.pose[bone]
    for f, side in ((0, "l"), (1, "r")):
        pose[f"ball_{side}"] = {"flex": tracks[f].toes}
    footfalls, planted = _events(feet, all_steps, plan.t_end)
    return Locomotion(times, xy, np.degrees(yaw), root, root_rotation, pose, upper,
                      local_rotations(rig, {**upper, **pose}, len(times)), footfalls,
                      planted, legs.residual)


def _root_xy(feet: _Feet, xy: np.ndarray, yaw: np.ndarray, sway: np.ndarray) -> np.ndarray:
    """The pelvis head over the floor: the body's point on the path plus the pelvis' rest
    offset, swayed sideways toward the stance foot."""
    c, s = np.cos(yaw), np.sin(yaw)
    offset = feet.pelvis[:2]
    root = np.stack([xy[:, 0] + c * offset[0] - s * offset[1],
                     xy[:, 1] + s * offset[0] + c * offset[1]], -1)
    return root + np.stack([-s, c], -1) * sway[:, None]


def _root_positions(rig: Rig, feet: _Feet, root_xy: np.ndarray, pelvis: dict,
                    tracks: list[_FootTrack], root_rotation: Rotation, pelvis_pose: dict,
                    fps: float) -> np.ndarray:
    """World pelvis head: over `root_xy`, bobbing, and never so high that a leg cannot reach
    a foot that is on the floor or landing."""
    n = len(root_xy)
    root = np.zeros((n, 3))
    root[:, :2] = root_xy
    nominal = feet.pelvis[2] - 0.004 - pelvis["crouch"] + pelvis["bob"]
    # where each hip joint would be with the pelvis at height 0, turned as planned
    pelvis_rotation = root_rotation * _pelvis_local(rig, pelvis_pose)
    cap = np.full(n, np.inf)
    for f in (0, 1):
        hip = root.copy()
        hip += pelvis_rotation.apply(feet.hip[f] - feet.pelvis)
        d = tracks[f].ankle - hip
        horizontal = np.linalg.norm(d[:, :2], axis=1)
        room = np.sqrt(np.maximum(feet.reach ** 2 - horizontal ** 2, 0.0))
        reachable = tracks[f].ankle[:, 2] + room - hip[:, 2]
        cap = np.where(tracks[f].bearing, np.minimum(cap, reachable), cap)
    z = np.minimum(nominal, cap)
    # smooth without rising above the cap: erode by 3 sigma, then blur
    sigma = 0.03 * fps
    window = int(2 * 3 * sigma) + 1
    z = gaussian_filter1d(minimum_filter1d(z, window, mode="nearest"), sigma, mode="nearest")
    root[:, 2] = np.minimum(z, cap)
    return root


def _pelvis_local(rig: Rig, pelvis_pose: dict) -> Rotation:
    n = len(pelvis_pose["turn"])
    return local_rotations(rig, {"pelvis": pelvis_pose}, n)[rig.skeleton.index("pelvis")]


def _solve_legs(rig: Rig, feet: _Feet, tracks: list[_FootTrack], root: np.ndarray,
                root_rotation: Rotation, pelvis_pose: dict) -> ik.IKResult:
    reaches = []
    posture: dict[str, dict[str, np.ndarray]] = {"pelvis": pelvis_pose}
    for f, side in ((0, "l"), (1, "r")):
        tr = tracks[f]
        rotation = _pitched(tr.yaw, tr.pitch)
        reaches.append(ik.Reach(f"foot_{side}", tr.ankle, rotation=rotation,
                                point=feet.ankle[f], turn_weight=tr.turn_weight))
        posture[f"foot_{side}"] = {"flex": tr.ankle_flex}
        posture[f"calf_{side}"] = {"bend": np.full(len(root), 10.0)}
    move = ("thigh_l", "calf_l", "foot_l", "thigh_r", "calf_r", "foot_r")
    return ik.solve_ik(rig, reaches, root, root_rotation, posture, move=move)


def _events(feet: _Feet, all_steps: list[list[_Step]], t_end: float
            ) -> tuple[list[Footfall], list[Planted]]:
    footfalls, planted = [], []
    for f, steps in enumerate(all_steps):
        name = FEET[f]
        for step in steps:
            rotation = _pitched(np.array([step.yaw]), np.zeros(1))
            if np.isfinite(step.strike):
                heel = step.ankle + rotation.apply(feet.heel[f] - feet.ankle[f])[0]
                footfalls.append(Footfall(name, float(step.strike), heel))
            start = step.flat if np.isfinite(step.flat) else -np.inf
            end = min(step.heel_off, t_end)
            planted.append(Planted(name, float(start), float(end), step.ankle.copy(),
                                   float(np.degrees(step.yaw))))
    footfalls.sort(key=lambda e: e.time)
    planted.sort(key=lambda p: p.start)
    return footfalls, planted
