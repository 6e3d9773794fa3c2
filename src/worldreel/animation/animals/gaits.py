"""Gaits of four-legged animals: footfall patterns and duty factors, stride length by dynamic
similarity, the gait a speed calls for, turning and acceleration limits, and the easing of a
gait in and out.
"""

from __future__ import annotations

import math

import numpy as np

from worldreel.assets.animals import AnimalBody
from worldreel.errors import SceneError

ANIMATION_RATE = 120  # bone poses a second, as people's (animation.perform)
LOOKAHEAD_S = 0.5  # poses worked out past the clip's end, as people's
GRAVITY = 9.81
# Alexander & Jayes (1983): stride length / hip height = 2.3 (v^2 / g h)^0.3.
STRIDE_K, STRIDE_EXP = 2.3, 0.3
# Acceleration of a gait from standstill and back, and turning rate, both scaled by dynamic
# similarity (a fraction of g; turns ~ sqrt(g / leg)): a dog reaches a trot in about half a
# second, a horse its canter in a second and a half (racing starts: ~0.3-0.5 g in the first
# strides, Williams et al. on greyhounds and horses).
ACCELERATION_G = 0.3
TURN_RATE = 1.2  # x sqrt(g / leg length) rad/s: a labrador ~330 deg/s, a horse ~190 deg/s
PATTERNS = {  # gait -> ({leg: phase offset}, duty factor)
    "walk": ({"hl": 0.0, "fl": 0.25, "hr": 0.5, "fr": 0.75}, 0.65),
    "amble": ({"hl": 0.0, "fl": 0.25, "hr": 0.5, "fr": 0.75}, 0.5),
    "trot": ({"hl": 0.0, "fr": 0.0, "hr": 0.5, "fl": 0.5}, 0.45),
    "canter": ({"hl": 0.0, "hr": 0.3, "fl": 0.3, "fr": 0.55}, 0.4),
    "gallop_transverse": ({"hl": 0.0, "hr": 0.1, "fl": 0.4, "fr": 0.5}, 0.3),
    "gallop_rotary": ({"hl": 0.0, "hr": 0.1, "fr": 0.4, "fl": 0.5}, 0.3),
}
LIFT = {"walk": 0.12, "amble": 0.14, "trot": 0.2, "canter": 0.25, "gallop": 0.28}  # x leg
BOB = {"walk": 0.012, "amble": 0.015, "trot": 0.02, "canter": 0.035, "gallop": 0.03}  # x leg
STAND_BEND = 0.96  # standing, the hip is this share of the leg's full length above the floor
# Moving, the legs bend more (a walking dog's hip is ~85 % of its leg's length up, a galloping
# horse's lower still) so the foot can stay planted over the stance's sweep.
GAIT_HEIGHT = {"walk": 0.87, "amble": 0.85, "trot": 0.85, "canter": 0.83, "gallop": 0.81}
# The shoulder blade and pelvis swing the top of each leg along the body towards its foot: a
# share of the foot's offset, at most a share of the leg's length.
SWING_SHARE, SWING_MAX = 0.35, 0.12
REACH = 0.985  # a leg stretches at most to this share of its full length
JUMP_CLEARANCE_M = 0.15  # hooves pass this far over what is jumped (a clean show jump)
# A kicked or rolled thing is run after to where it would be this long after at its start
# speed, at most this far: a ball on grass slows to a stop within a few metres a second.
ROLL_ON_S, ROLL_MAX_M = 1.0, 8.0
CATCH_WAIT_S = 3.0  # a catch waits this long for the thing (unless told how long)
TUCK = 0.5  # in the air the feet are drawn up to this share of the leg below the body


def _pattern(body: AnimalBody, gait: str) -> tuple[dict[str, float], float]:
    if gait == "gallop":
        return PATTERNS[f"gallop_{body.gaits.gallop_kind}"]
    return PATTERNS[gait]


def stride_length(body: AnimalBody, speed: float) -> float:
    """Alexander & Jayes' stride length (m) at `speed` for the animal's hip height."""
    h = body.hip_height
    froude = max(speed, 1e-6) ** 2 / (GRAVITY * h)
    return STRIDE_K * h * froude ** STRIDE_EXP


def gait_for(body: AnimalBody, verb: str, speed: float | None) -> tuple[str, float]:
    """The gait and speed a moving step goes at: a named gait at its species speed (or the
    speed asked), or for `run` (and a speed with walk) the gait that speed calls for."""
    g = body.gaits
    own = {"walk": g.walk, "trot": g.trot, "canter": g.canter, "gallop": g.gallop,
           "amble": g.amble}
    if verb in own and verb != "walk" and own[verb] is None:
        if verb in ("trot", "canter", "gallop") and g.amble is not None:
            verb = "amble"  # an elephant's fast gait
        else:
            have = [k for k, v in own.items() if v is not None]
            raise SceneError(f"a {body.species} does not {verb}: it can {', '.join(have)} "
                             "(or run)")
    if verb == "run":
        speed = speed or g.fastest()
        verb = None
    if verb is not None:
        return verb, float(speed or own[verb])
    ordered = [(k, v) for k, v in own.items() if v is not None]
    ordered.sort(key=lambda kv: kv[1])
    choice = ordered[0][0]
    for (name, v), nxt in zip(ordered, ordered[1:] + [(None, math.inf)]):
        if speed >= 0.5 * (v + (nxt[1] if nxt[0] else v * 2)) and nxt[0]:
            choice = nxt[0]
    return choice, float(min(speed, 1.3 * g.fastest()))


def turn_rate(body: AnimalBody) -> float:
    """The fastest the animal turns on the spot, rad/s."""
    return TURN_RATE * math.sqrt(GRAVITY / body.leg_length)


def _smooth(u: np.ndarray) -> np.ndarray:
    u = np.clip(u, 0.0, 1.0)
    return u * u * (3 - 2 * u)


def _ramp(times: np.ndarray, a: float, b: float) -> np.ndarray:
    return _smooth((times - a) / max(b - a, 1e-6))


def _envelope(t: np.ndarray, t0: float, t1: float, going: bool = False,
              flying: bool = False) -> np.ndarray:
    """0..1: a gait's crouch and bob eased in at its start and out at its end (not where it
    is already at speed: out of a jump, into one)."""
    start = np.ones_like(t) if going else _ramp(t, t0, t0 + 0.4)
    end = np.ones_like(t) if flying else 1 - _ramp(t, t1 - 0.4, t1)
    return np.minimum(start, end)


def stance_share(body: AnimalBody, gait: str, speed: float) -> float:
    """The longest duty factor the legs can keep planted at `speed`: the stance sweeps the foot
    half a stance's travel before and behind the hip, which the leg must reach."""
    h = body.leg_length
    height = (GAIT_HEIGHT[gait] + 1.5 * BOB[gait]) * h  # at the top of the bob and rocking
    reach = math.sqrt(max((REACH * h) ** 2 - height ** 2, 0.0)) + SWING_MAX * h
    return 2.0 * 0.9 * reach / max(stride_length(body, speed), 1e-6)
