"""An animal's legs: where each foot is planted in its gait's footfall pattern and how it swings
between plants, the body's height and bob over them, and the leg bones solved to the feet by
analytic IK.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy.spatial.transform import Rotation

from worldreel.animation.animals.gaits import (ANIMATION_RATE, BOB, GAIT_HEIGHT, LIFT, STAND_BEND,
                                               SWING_MAX, SWING_SHARE, TUCK, _envelope, _pattern,
                                               _smooth, stance_share, stride_length)
from worldreel.animation.animals.track import _Track
from worldreel.assets.animals import LEGS, AnimalBody


def _stride_phase(body: AnimalBody, times: np.ndarray, cadence: np.ndarray, t0: float,
                  t1: float) -> tuple[np.ndarray, int]:
    """Stride phase (strides since t0) over [t0, t1], scaled to a whole number of strides."""
    inside = (times >= t0) & (times <= t1)
    v = cadence[inside]
    freq = v / np.array([stride_length(body, x) for x in np.maximum(v, 1e-3)])
    phase = np.concatenate([[0.0], np.cumsum(0.5 * (freq[1:] + freq[:-1])) / ANIMATION_RATE])
    count = max(1, int(round(phase[-1]))) if len(phase) else 1
    if len(phase) and phase[-1] > 0:
        phase *= count / phase[-1]
    return phase, count


@dataclass
class _Legs:
    feet: np.ndarray  # (N, 4, 3) fetlock targets
    foot_yaw: np.ndarray  # (N, 4)
    flick: np.ndarray  # (N, 4) foot pitch in swing, rad
    stance: np.ndarray  # (N, 4) bool


def _body_frame(body: AnimalBody, track: _Track, times: np.ndarray):
    """Per sample: the pelvis head's world position, the body's rotation, and the hip/shoulder
    joints of each leg."""
    h = body.leg_length
    length = float(np.linalg.norm(body.heads[body.bone("chest")] - body.heads[body.bone("pelvis")]))
    depth = body.shape.torso[1] * body.shoulder_height
    stand = STAND_BEND * h
    sit, lie = track.posture[:, 0], track.posture[:, 1]
    crouch = np.zeros(len(times))
    for t0, t1, gait, speed in track.gait:
        inside = (times >= t0) & (times <= t1)
        g = "gallop" if gait.startswith("gallop") else gait
        crouch[inside] = np.maximum(crouch[inside], (STAND_BEND - GAIT_HEIGHT[g]) * h
                                    * _envelope(times[inside], t0, t1,
                                                *track.at_speed.get((t0, t1), (False, False))))
    z_hip = stand * (1 - sit - lie) + (0.55 * depth) * sit + (0.55 * depth) * lie - crouch
    z_sh = stand * (1 - sit - lie) + (0.97 * stand) * sit + (0.6 * depth) * lie - crouch
    # Gait bob and the gallop's rocking: a little up and down twice a stride (walk, trot) or
    # once (canter, gallop), added below once the stride phase is known.
    z_hip = z_hip + track.lift
    z_sh = z_sh + track.lift
    return z_hip, z_sh, length


def _bob(body: AnimalBody, track: _Track, times: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    up_h, up_s = np.zeros(len(times)), np.zeros(len(times))
    for t0, t1, gait, speed in track.gait:
        phase, _ = _stride_phase(body, times, track.cadence, t0, t1)
        inside = (times >= t0) & (times <= t1)
        g = "gallop" if gait.startswith("gallop") else gait
        amp = BOB[g] * body.leg_length * _envelope(times[inside], t0, t1,
                                                   *track.at_speed.get((t0, t1), (False, False)))
        if g in ("walk", "trot", "amble"):
            wave = np.cos(4 * math.pi * phase)
            up_h[inside] += amp * wave
            up_s[inside] += amp * wave
        else:
            up_h[inside] += amp * np.cos(2 * math.pi * (phase - 0.1))
            up_s[inside] += amp * np.cos(2 * math.pi * (phase - 0.45))
    return up_h, up_s


def _joints(body: AnimalBody, pelvis: np.ndarray, rot: Rotation) -> dict[str, np.ndarray]:
    """World position of each leg's top joint (hip or shoulder)."""
    base = body.heads[body.bone("pelvis")]
    return {leg: pelvis + rot.apply(body.heads[body.bone(f"upper_{leg}")] - base)
            for leg in LEGS}


def _nominal_feet(body: AnimalBody, xy: np.ndarray, yaw: np.ndarray, posture: np.ndarray
                  ) -> np.ndarray:
    """(N, 4, 3) where each fetlock stands on the floor, under the body at rest or folded in a
    posture (sitting: hind feet drawn forward; lying: fore feet out ahead, hind tucked)."""
    h = body.leg_length
    out = np.zeros((len(xy), 4, 3))
    c, s = np.cos(yaw), np.sin(yaw)
    sit, lie = posture[:, 0], posture[:, 1]
    for j, leg in enumerate(LEGS):
        fetlock = body.heads[body.bone(f"foot_{leg}")]
        x, y = fetlock[0], fetlock[1]
        if leg[0] == "h":
            x = x + 0.35 * h * sit + 0.25 * h * lie
            y = y * (1 + 0.6 * lie)
        else:
            x = x + 0.0 * sit + 0.45 * h * lie
        out[:, j, 0] = xy[:, 0] + c * x - s * y
        out[:, j, 1] = xy[:, 1] + s * x + c * y
        out[:, j, 2] = fetlock[2] * (1 - 0.5 * lie)
    return out


def _plan_feet(body: AnimalBody, track: _Track, times: np.ndarray) -> _Legs:
    """Every fetlock's target at every sample: planted in stance, swung between plants."""
    nominal = _nominal_feet(body, track.xy, track.yaw, track.posture)
    feet = nominal.copy()
    foot_yaw = np.repeat(track.yaw[:, None], 4, axis=1)
    flick = np.zeros((len(times), 4))
    stance = np.ones((len(times), 4), dtype=bool)
    h = body.leg_length
    for t0, t1, gait, speed in track.gait:
        inside = np.flatnonzero((times >= t0) & (times <= t1))
        if len(inside) < 2:
            continue
        phase, count = _stride_phase(body, times, track.cadence, t0, t1)
        offsets, duty = _pattern(body, gait)
        g = "gallop" if gait.startswith("gallop") else gait
        duty = min(duty, stance_share(body, g, speed))
        for j, leg in enumerate(LEGS):
            o = offsets[leg]
            # stances [k + o, k + o + duty] in stride phase; plants at mid-stance, the first and
            # last at the standing feet of the segment's ends
            ks = range(-1, count + 1)
            plants = []
            for k in ks:
                a, b = k + o, k + o + duty
                if b <= 0 or a >= count:
                    continue
                if a <= 0:  # standing at the start: it lifts by half a stance after
                    where = inside[0]
                    b = min(b, 0.5 * duty)
                elif b >= count:  # comes to stand: put down half a stance before the end
                    where = inside[-1]
                    a = max(a, count - 0.5 * duty)
                else:
                    where = inside[min(int(np.searchsorted(phase, a + 0.5 * duty)),
                                       len(inside) - 1)]
                plants.append((max(a, 0.0), min(b, count), nominal[where, j],
                               track.yaw[where]))
            # the first plant is where the foot stood; the last, where it stands after
            if not plants or plants[0][0] > 0:
                plants.insert(0, (0.0, 0.0, nominal[inside[0], j], track.yaw[inside[0]]))
            if plants[-1][1] < count:
                plants.append((count, count, nominal[inside[-1], j], track.yaw[inside[-1]]))
            for (a0, b0, p0, y0), (a1, b1, p1, y1) in zip(plants, plants[1:]):
                stand_i = inside[(phase >= a0) & (phase <= b0)]
                feet[stand_i, j] = p0
                foot_yaw[stand_i, j] = y0
                swing = (phase > b0) & (phase < a1)
                swing_i = inside[swing]
                if len(swing_i):
                    u = (phase[swing] - b0) / max(a1 - b0, 1e-6)
                    w = _smooth(u)[:, None]
                    feet[swing_i, j] = (1 - w) * p0 + w * p1
                    step = float(np.linalg.norm(p1[:2] - p0[:2]))
                    height = min(LIFT[g] * h, 0.2 * h + 0.5 * step)
                    feet[swing_i, j, 2] += height * np.sin(math.pi * u)
                    foot_yaw[swing_i, j] = y0 + (y1 - y0) * w[:, 0]
                    flick[swing_i, j] = (1.6 if leg[0] == "f" else 0.8) * np.sin(math.pi * u)
                    stance[swing_i, j] = False
            last = plants[-1]
            stand_i = inside[phase >= last[0]]
            feet[stand_i, j] = last[2]
            foot_yaw[stand_i, j] = last[3]
    # Jumps: planted at take-off and landing, drawn up under the body in the air.
    for t0, a, b, t1 in track.jumps:
        air = (times >= a) & (times < b)
        if not air.any():
            continue
        i_air = np.flatnonzero(air)
        before_i = max(i_air[0] - 1, 0)
        after_i = min(i_air[-1] + 1, len(times) - 1)
        u = (times[air] - a) / (b - a)
        for j, leg in enumerate(LEGS):
            tucked = nominal[air, j].copy()
            fore = leg[0] == "f"
            c, s = np.cos(track.yaw[air]), np.sin(track.yaw[air])
            ahead = (0.15 if fore else -0.1) * h
            tucked[:, 0] += c * ahead
            tucked[:, 1] += s * ahead
            tucked[:, 2] = track.lift[air] + STAND_BEND * h - TUCK * h + body.heads[
                body.bone(f"foot_{leg}")][2]
            takeoff = _smooth(u / 0.25)[:, None]
            landing = _smooth((u - 0.7) / 0.3)[:, None]
            start, end = feet[before_i, j], nominal[after_i, j]
            path = (1 - takeoff) * start + takeoff * tucked
            path = (1 - landing) * path + landing * end
            feet[air, j] = path
            stance[air, j] = False
            flick[air, j] = (1.8 if fore else 0.9) * np.sin(math.pi * u)
    return _Legs(feet, foot_yaw, flick, stance)


def _two_bone(top: np.ndarray, goal: np.ndarray, a: float, b: float, bend: np.ndarray
              ) -> np.ndarray:
    """The middle joint (N, 3) of a two-bone chain from `top` to `goal`, bending towards `bend`
    (N, 3): the law of cosines in the plane of the chain and the bend direction."""
    d_vec = goal - top
    d = np.linalg.norm(d_vec, axis=1)
    d = np.clip(d, abs(a - b) + 1e-4, a + b - 1e-6)
    axis = d_vec / np.maximum(np.linalg.norm(d_vec, axis=1), 1e-9)[:, None]
    cos_a = (a * a + d * d - b * b) / (2 * a * d)
    sin_a = np.sqrt(np.clip(1 - cos_a ** 2, 0, 1))
    side = bend - np.sum(bend * axis, axis=1)[:, None] * axis
    side /= np.maximum(np.linalg.norm(side, axis=1), 1e-9)[:, None]
    return top + a * (cos_a[:, None] * axis + sin_a[:, None] * side)


def _align(rest: np.ndarray, now: np.ndarray, base: Rotation) -> Rotation:
    """The bone rotation (from rest) that turns its rest direction, carried by `base`, onto
    `now` by the shortest arc."""
    carried = base.apply(rest)
    carried /= np.linalg.norm(carried, axis=1, keepdims=True)
    target = now / np.maximum(np.linalg.norm(now, axis=1, keepdims=True), 1e-9)
    axis = np.cross(carried, target)
    s = np.linalg.norm(axis, axis=1)
    c = np.sum(carried * target, axis=1)
    angle = np.arctan2(s, c)
    unit = np.divide(axis, s[:, None], out=np.zeros_like(axis), where=s[:, None] > 1e-9)
    return Rotation.from_rotvec(unit * angle[:, None]) * base


def _legs_pose(body: AnimalBody, joints: dict, legs: _Legs, rot: Rotation,
               positions: np.ndarray, rotations: dict) -> None:
    """Solve each leg to its fetlock target and write its bones' heads and rotations."""
    forward = rot.apply(np.array([1.0, 0.0, 0.0]))
    up = np.array([0.0, 0.0, 1.0])
    for j, leg in enumerate(LEGS):
        a, b, c, _ = body.segment_lengths(leg)
        fetlock = legs.feet[:, j]
        ahead = np.sum((fetlock - joints[leg]) * forward, axis=1)
        limit = SWING_MAX * body.leg_length
        top = joints[leg] + np.clip(SWING_SHARE * ahead, -limit, limit)[:, None] * forward
        line = top - fetlock
        line /= np.maximum(np.linalg.norm(line, axis=1, keepdims=True), 1e-9)
        fore = leg[0] == "f"
        swing = (~legs.stance[:, j]).astype(float)[:, None]
        fold = legs.flick[:, j][:, None] / 1.6
        # the cannon leans along the leg's line, upright-ish; swinging, it folds back (fore) or
        # forward-up under the hock (hind)
        lean = 0.6 * line + 0.4 * up - (0.5 if fore else -0.3) * fold * forward * swing
        lean /= np.linalg.norm(lean, axis=1, keepdims=True)
        hock = fetlock + c * lean
        if np.any(np.linalg.norm(hock - top, axis=1) > a + b):  # too far: the cannon goes
            far = np.linalg.norm(hock - top, axis=1) > a + b  # straight on the leg's line
            hock[far] = fetlock[far] + c * line[far]
        bend = forward * (-1.0 if fore else 1.0)
        knee = _two_bone(top, hock, a, b, bend)
        hock = knee + b * (hock - knee) / np.maximum(
            np.linalg.norm(hock - knee, axis=1, keepdims=True), 1e-9)
        low = hock + c * (fetlock - hock) / np.maximum(
            np.linalg.norm(fetlock - hock, axis=1, keepdims=True), 1e-9)
        chain = {"upper": (top, knee), "lower": (knee, hock), "cannon": (hock, low)}
        for bone, (p, q) in chain.items():
            k = body.bone(f"{bone}_{leg}")
            positions[:, k] = p
            rotations[k] = _align(body.tails[k] - body.heads[k], q - p, rot)
        k = body.bone(f"foot_{leg}")
        positions[:, k] = low
        pitch = legs.flick[:, j]
        rotations[k] = Rotation.from_euler("ZY", np.stack([legs.foot_yaw[:, j], pitch], 1))
