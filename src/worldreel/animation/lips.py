"""Lip sync: the face units of a speaking mouth from the visemes of its lines.

Each viseme pulls the mouth towards its shape with a dominance that peaks at its centre and
falls off exponentially (Cohen & Massaro's coarticulation model, 1993), so the mouth glides
through a word instead of flapping once per phoneme; a viseme made with the lips (p, b, m, f,
oo) dominates its neighbours, one made with the tongue takes their shape. Two rules no blend may
break: the lips close for p/b/m, and the mouth rests closed in silence. How wide a vowel opens
follows how loud it is said (the envelope of the line's own samples), as it does in speech.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from worldreel.speech import SAMPLE_RATE
from worldreel.timeline import TimedLine

OPENING_UNIT = "jawOpen"
ENVELOPE_WINDOW_S = 0.03
LOUDNESS_RANGE = (0.55, 1.15)  # a vowel at the line's typical level opens as written; quieter less
LEAD_S = 0.03  # the mouth may start to move this long before the sound (under one frame)
CLOSURE_EDGE_S = 0.015  # lips meet this soon after a bilabial starts and part this soon before
SILENCE_CLOSE_S = 0.05  # in a pause the mouth is shut this long after it starts


@lru_cache(maxsize=1)
def viseme_shapes() -> dict[str, dict]:
    return yaml.safe_load(Path(__file__).with_name("visemes.yaml").read_text())


def mouth(lines: tuple[TimedLine, ...], units: tuple[str, ...], times: np.ndarray) -> np.ndarray:
    """(N, U) weights of the mouth's face units saying `lines` (one speaker's) over `times`."""
    weights = np.zeros((len(times), len(units)))
    shapes = viseme_shapes()
    index = {name: k for k, name in enumerate(units)}
    for timed in lines:
        visemes = timed.spoken.visemes
        if not visemes:
            continue
        inside = (times >= timed.start - LEAD_S - 0.2) & (times <= timed.end + 0.2)
        t = times[inside] - timed.start
        if not len(t):
            continue
        numerator = np.zeros((len(t), len(units)))
        total = np.full(len(t), 1e-6)
        for viseme in visemes:
            shape = shapes[viseme.name]
            centre = 0.5 * (viseme.start + viseme.end)
            half = 0.5 * (viseme.end - viseme.start)
            # flat over the viseme's own time, then falling off with its spread
            distance = np.maximum(np.abs(t - centre) - half, 0.0)
            dominance = shape["dominance"] * np.exp(-distance / shape["spread"])
            total += dominance
            for name, value in shape["units"].items():
                numerator[:, index[name]] += dominance * value
        blended = numerator / total[:, None]
        blended[:, index[OPENING_UNIT]] *= _loudness(timed, t)
        blended *= _open_while_sounding(timed, t)[:, None]
        blended[:, index[OPENING_UNIT]] *= 1.0 - _bilabial_closure(timed, t)
        weights[inside] = np.maximum(weights[inside], blended)
    return weights


def _loudness(timed: TimedLine, t: np.ndarray) -> np.ndarray:
    """How loud the line is at `t` against its typical level, mapped to LOUDNESS_RANGE."""
    samples = np.asarray(timed.spoken.samples)
    window = max(1, int(ENVELOPE_WINDOW_S * SAMPLE_RATE))
    power = np.convolve(samples ** 2, np.ones(window) / window, mode="same")
    envelope = np.sqrt(power)
    at = np.clip((t * SAMPLE_RATE).astype(int), 0, len(samples) - 1)
    level = envelope[at] * ((t >= 0) & (t <= timed.end - timed.start))
    typical = np.percentile(envelope[envelope > envelope.max() * 0.05], 75) if envelope.max() > 0 \
        else 1.0
    return np.clip(level / typical, *LOUDNESS_RANGE)


def _open_while_sounding(timed: TimedLine, t: np.ndarray) -> np.ndarray:
    """1 while the line sounds, closing over SILENCE_CLOSE_S into every pause and after the
    end, opening LEAD_S before the first sound."""
    length = timed.end - timed.start
    gate = np.clip((t + LEAD_S) / LEAD_S, 0.0, 1.0) * np.clip((length - t) / SILENCE_CLOSE_S + 1,
                                                               0.0, 1.0)
    for phone in timed.spoken.phones:
        if phone.symbol != "pau" or phone.end - phone.start < 2 * SILENCE_CLOSE_S:
            continue
        into = np.clip((t - phone.start) / SILENCE_CLOSE_S, 0.0, 1.0)
        out_of = np.clip((phone.end - t) / SILENCE_CLOSE_S, 0.0, 1.0)
        gate = gate * (1.0 - np.minimum(into, out_of))
    return gate


def _bilabial_closure(timed: TimedLine, t: np.ndarray) -> np.ndarray:
    """1 where the lips are shut for a p, b or m (its middle), easing at its edges."""
    closure = np.zeros(len(t))
    for viseme in timed.spoken.visemes:
        if viseme.name != "PP":
            continue
        edge = min(CLOSURE_EDGE_S, 0.25 * (viseme.end - viseme.start))
        rise = np.clip((t - viseme.start) / max(edge, 1e-3), 0.0, 1.0)
        fall = np.clip((viseme.end - t) / max(edge, 1e-3), 0.0, 1.0)
        closure = np.maximum(closure, np.minimum(rise, fall))
    return closure
