"""An animal's planned steps sampled over the clip: its floor path and heading, the speed that
sets its stride, its posture, jumps, head, jaw and tail, and the grips' events.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace

import numpy as np

from worldreel.animation.animals.gaits import (ACCELERATION_G, ANIMATION_RATE, GRAVITY, _ramp,
                                               _smooth, gait_for, turn_rate)
from worldreel.animation.animals.plan import Pose, StepPlan, _wrap, reach_down
from worldreel.assets.animals import AnimalBody
from worldreel.scene import Animal
from worldreel.timeline import TimedStep


def _speed_profile(t: np.ndarray, seconds: float, distance: float, speed: float,
                   accel: float, flying: bool = False, start: float = 0.0) -> np.ndarray:
    """Distance covered at local times t of a trapezoidal speed profile (triangular when short);
    flying: no slowing at the end; `start` > 0: from that speed, slowing to a stop."""
    ramp = speed / accel
    if start > 0:
        t = np.minimum(t, start / accel)
        return np.clip(start * t - 0.5 * accel * t ** 2, 0.0, distance)
    if flying:
        s = np.where(t < ramp, 0.5 * accel * t ** 2, 0.5 * speed * ramp + speed * (t - ramp))
        return np.clip(s * distance / max(float(s[-1]) if len(s) else distance, 1e-9)
                       if distance < 0.5 * speed * ramp else s, 0.0, distance)
    if distance <= speed * ramp:  # never reaches full speed
        half = 0.5 * seconds
        top = accel * half
        s = np.where(t < half, 0.5 * accel * t ** 2,
                     0.5 * accel * half ** 2 + top * (t - half) - 0.5 * accel * (t - half) ** 2)
    else:
        cruise = seconds - 2 * ramp
        s = np.where(t < ramp, 0.5 * accel * t ** 2,
                     np.where(t < ramp + cruise, 0.5 * speed * ramp + speed * (t - ramp),
                              distance - 0.5 * accel * np.clip(seconds - t, 0, None) ** 2))
    return np.clip(s, 0.0, distance)


@dataclass
class _Track:
    """An animal's root and body state at every sample."""

    xy: np.ndarray  # (N, 2)
    yaw: np.ndarray  # (N,)
    cadence: np.ndarray  # (N,) speed that sets the stride frequency (0: standing)
    lift: np.ndarray  # (N,) jump: height of the body over standing
    posture: np.ndarray  # (N, 2) weights of sit and lie
    gait: list  # per move segment: (i0, i1, gait, speed array slice)
    neck: np.ndarray  # (N,) neck pitch, rad (+ raises)
    head_pitch: np.ndarray
    head_yaw: np.ndarray
    jaw: np.ndarray  # (N,) 0..1 open
    wag: np.ndarray  # (N,) tail wag amplitude 0..1
    jumps: list  # (i0, i1, flight start, flight end) sample indices and times
    pitch_extra: np.ndarray
    # (t0, t1) of a move -> (starts at speed, ends at speed): no easing of the gait there
    at_speed: dict = field(default_factory=dict)


def _lay_out(animal: Animal, body: AnimalBody, steps: list[TimedStep], plans: list[StepPlan],
             times: np.ndarray, chase_paths: dict[str, np.ndarray],
             arrivals: dict[str, float]) -> tuple[_Track, list]:
    """Sample the planned segments of every step at `times`."""
    n = len(times)
    start = Pose(np.array(animal.position, float), math.radians(animal.facing))
    xy = np.tile(start.xy, (n, 1))
    yaw = np.full(n, start.yaw)
    cadence = np.zeros(n)
    lift = np.zeros(n)
    pitch_extra = np.zeros(n)
    posture = np.zeros((n, 2))
    neck = np.zeros(n)
    head_pitch = np.zeros(n)
    head_yaw = np.zeros(n)
    jaw = np.zeros(n)
    wag = np.zeros(n)
    moves, jumps, events = [], [], []
    at_speed: dict[tuple[float, float], tuple[bool, bool]] = {}
    accel = ACCELERATION_G * GRAVITY
    weights = {"stand": (0.0, 0.0), "sit": (1.0, 0.0), "lie": (0.0, 1.0)}
    current = start
    for timed, plan in zip(steps, plans):
        t = timed.start
        for kind, before, after, seconds, data in plan.segments:
            t0, t1 = t, t + seconds
            t = t1
            span = (times >= t0) & (times < t1)
            later = times >= t1
            local = times[span] - t0
            # where the animal really is (a chase ends where its quarry led it)
            planned = float(np.linalg.norm(after.xy - before.xy))
            if kind != "move" or planned < 1e-6:  # in place: wherever it is
                after = replace(after, xy=after.xy + current.xy - before.xy)
            before = replace(before, xy=current.xy)
            current = after
            if kind == "move":
                gait, speed = data["gait"], data["speed"]
                chase = data.get("chase")
                if chase is not None and chase in chase_paths:
                    path = _pursue(chase_paths[chase], times, t0, t1, before, speed, accel, body)
                    if span.any():
                        current = Pose(path[span][-1].copy(), float(
                            _path_heading(path, span, before.yaw, turn_rate(body))[-1]))
                    xy[span] = path[span]
                    heading = _path_heading(path, span, before.yaw, turn_rate(body))
                    yaw[span] = heading
                    xy[later] = path[span][-1] if span.any() else before.xy
                    yaw[later] = heading[-1] if span.any() else before.yaw
                    v = np.linalg.norm(np.gradient(path[span], axis=0), axis=1) * ANIMATION_RATE \
                        if span.sum() > 1 else np.zeros(span.sum())
                    cadence[span] = np.maximum(v, 0.3 * body.gaits.walk)
                    # the gait of the pace it mostly keeps (a walking quarry is walked after)
                    pace = float(np.percentile(v, 75)) if len(v) else body.gaits.walk
                    gait = gait_for(body, "run", max(pace, body.gaits.walk))[0]
                    moves.append((t0, t1, gait, max(pace, body.gaits.walk)))
                    continue
                distance = float(np.linalg.norm(after.xy - before.xy))
                if distance > 1e-6:
                    planned = max(planned, 1e-6)
                    s = _speed_profile(local, seconds, planned, speed, accel,
                                       data.get("flying", False), data.get("start", 0.0)) * (
                        distance / planned)
                    xy[span] = before.xy + np.outer(s / distance, after.xy - before.xy)
                    v = np.gradient(s) * ANIMATION_RATE if len(s) > 1 else np.zeros(len(s))
                    cadence[span] = np.maximum(v, 0.3 * body.gaits.walk)
                    turn = min(0.4, 0.3 * seconds)
                    yaw[span] = before.yaw + (after.yaw - before.yaw) * _smooth(local / turn)
                else:  # turning on the spot: stepping round
                    yaw[span] = before.yaw + (after.yaw - before.yaw) * _smooth(local / seconds)
                    cadence[span] = speed
                xy[later] = after.xy
                yaw[later] = after.yaw
                moves.append((t0, t1, gait, speed))
                if data.get("flying") or data.get("start"):  # at speed into or out of a jump
                    at_speed[(t0, t1)] = (bool(data.get("start")), bool(data.get("flying")))
            elif kind == "posture":
                a, b = weights[before.posture], weights[after.posture]
                w = _smooth(local / seconds)[:, None]
                posture[span] = (1 - w) * np.array(a) + w * np.array(b)
                posture[later] = b
            elif kind == "jump":
                flight = data["flight"]
                crouch = data.get("crouch", 0.2)  # taken at a run: straight up from the stride
                a, b = t0 + crouch, t0 + crouch + flight
                inside = (times >= a) & (times < b)
                u = (times[inside] - a) / flight
                vz = 0.5 * GRAVITY * flight
                lift[inside] = vz * (times[inside] - a) - 0.5 * GRAVITY * (times[inside] - a) ** 2
                pitch_extra[inside] = 0.35 * np.cos(math.pi * u) * min(1.0, data["height"] /
                                                                      (0.5 * body.leg_length)
                                                                      + 0.3)
                dip = (times >= t0) & (times < a)
                lift[dip] = -0.12 * body.leg_length * np.sin(
                    math.pi * (times[dip] - t0) / max(crouch, 1e-6))
                land = (times >= b) & (times < t1)
                lift[land] = -0.12 * body.leg_length * np.sin(
                    math.pi * np.clip((times[land] - b) / 0.3, 0, 1))
                if np.linalg.norm(after.xy - before.xy) > 1e-6:
                    w = np.clip((times[span] - a) / flight, 0, 1)
                    xy[span] = before.xy + np.outer(w, after.xy - before.xy)
                xy[later] = after.xy
                jumps.append((t0, a, b, t1))
                neck[inside] += 0.15 * np.sin(math.pi * u)
            elif kind in ("pick", "drop"):
                down, tip, _ = reach_down(body, data.get("height", 0.05))
                w = np.sin(math.pi * np.clip(local / seconds, 0, 1))
                neck[span] -= down * np.minimum(1.0, 1.6 * w)
                head_pitch[span] -= tip * np.minimum(1.0, 1.6 * w)
                if kind == "pick":
                    jaw[span] = np.clip(1.0 - 2.5 * local / seconds, 0, 1)
                    events.append(("take", data["thing"], t0 + 0.5 * seconds))
                else:
                    jaw[span] = np.clip(2.5 * local / seconds - 0.75, 0, 1)
                    events.append(("drop", data["thing"], t0 + 0.55 * seconds))
            elif kind == "catch":
                neck[span] += 0.12 * _ramp(times[span], t0, t0 + 0.3)
                head_pitch[span] += 0.25 * _ramp(times[span], t0, t0 + 0.3)
                # the mouth opens as the thing comes, and shuts on it
                due = arrivals.get(data["thing"])
                if due is not None and t0 <= due < t1:
                    jaw[span] = np.maximum(jaw[span], np.minimum(
                        _ramp(times[span], due - 0.45, due - 0.2),
                        1 - _ramp(times[span], due + 0.02, due + 0.1)))
                events.append(("catch", data["thing"], t0, t1))
            if timed.step.do == "wag" or (kind == "stand" and body.species == "dog"):
                wag[span] = np.maximum(wag[span], 1.0 if timed.step.do == "wag" else 0.3)
            if timed.step.do == "look_at" and timed.step.target and kind == "stand":
                events.append(("look", timed.step.target, t0, t1))
    track = _Track(xy, yaw, cadence, lift, posture, moves, neck, head_pitch, head_yaw, jaw, wag,
                   jumps, pitch_extra)
    track.at_speed = at_speed
    return track, events


def _pursue(target: np.ndarray, times: np.ndarray, t0: float, t1: float, before: Pose,
            speed: float, accel: float, body: AnimalBody) -> np.ndarray:
    """A path that runs after a moving target's floor track, keeping a body length behind."""
    path = np.tile(before.xy, (len(times), 1))
    p = before.xy.copy()
    v = 0.0
    dt = 1.0 / ANIMATION_RATE
    keep = body.shape.torso[0] * body.shoulder_height + 0.4
    for i, t in enumerate(times):
        if t < t0:
            continue
        if t >= t1:
            path[i] = p
            continue
        gap = target[i] - p
        d = float(np.linalg.norm(gap))
        wanted = min(speed, max(d - keep, 0.0) * 2.0)
        v = min(wanted, v + accel * dt) if wanted > v else max(wanted, v - accel * dt)
        if d > 1e-6:
            p = p + gap / d * v * dt
        path[i] = p
    return path


def _path_heading(path: np.ndarray, span: np.ndarray, default: float, most: float
                  ) -> np.ndarray:
    """Which way the body faces along a path: its direction of travel, turned at most `most`
    rad/s (the species' turning rate)."""
    seg = path[span]
    out = np.full(len(seg), default)
    current = default
    rate = most / ANIMATION_RATE
    for k in range(1, len(seg)):
        d = seg[k] - seg[k - 1]
        if np.linalg.norm(d) > 1e-5:
            goal = current + _wrap(math.atan2(d[1], d[0]) - current)
            current += float(np.clip(goal - current, -rate, rate))
        out[k] = current
    return out
