"""The physics report: checks any Recording against the laws it should obey, as JSON-ready data.

- gravity: every free-flight span of every entity (no contact event of its own, moving, nothing
  acting) is fitted with a parabola z(t) = z0 + v0 t - g t^2 / 2; the fitted g is compared with
  the scene's (recording.meta["gravity"]).
- energy: over every passive phase (no action, pull or water acting; recording.passive) the
  mechanical energy (recording.energy: potential m g z + kinetic, rotation included) may only
  fall; the report gives the largest rise relative to the energy at the phase's start.
- penetration: the deepest overlap of any two bodies (recording.penetration, every step).
- momentum: for every impact between two movable entities, the horizontal momentum just before
  and just after (gravity does not change it; floor friction over a few milliseconds barely does).

The report needs only the Recording's plain data (numpy), never MuJoCo.
"""

from __future__ import annotations

import json

import numpy as np

from worldreel.recording import Recording

MIN_FLIGHT_SAMPLES = 6
MIN_VERTICAL_SPEED_RANGE = 0.3  # m/s a span must rise or fall by to say anything about g
CONTACT_MARGIN_S = 0.01


# The least energy a passive rise is measured against: 2 J, a tennis ball thrown 3.5 m up (a
# gain anyone sees), while people's feet on the floor jitter by ~10 mJ.
ENERGY_FLOOR_J = 2.0

def physics_report(recording: Recording) -> dict:
    """Everything the Recording lets us check, as a JSON-ready dict."""
    gravity = np.array(recording.meta.get("gravity", (0.0, 0.0, -9.81)), dtype=float)
    return {
        "gravity": gravity_fit(recording, float(np.linalg.norm(gravity))),
        "energy": passive_energy(recording),
        "penetration": penetration(recording),
        "momentum": collision_momentum(recording),
        "breaks": list(recording.meta.get("breaks", [])),
    }


def report_json(recording: Recording) -> str:
    return json.dumps(physics_report(recording), indent=2)


def _contact_windows(recording: Recording, body: str) -> list[tuple[float, float]]:
    return [(e.time - CONTACT_MARGIN_S, e.end + CONTACT_MARGIN_S) for e in recording.events
            if body in (e.body_a, e.body_b)]


def flight_spans(recording: Recording, k: int) -> list[np.ndarray]:
    """Sample indices of the free-flight spans of body k.

    A span never crosses a contact of the body, even one that falls between two samples.
    """
    times = recording.times
    n = len(times)
    free = np.ones(n, dtype=bool)
    cut = np.zeros(max(n - 1, 0), dtype=bool)  # cut[i]: samples i and i + 1 are not one flight
    for start, end in _contact_windows(recording, recording.entity_ids[k]):
        free &= ~((times >= start) & (times <= end))
        cut |= (times[:-1] <= end) & (times[1:] >= start)
    if recording.passive is not None:
        free &= recording.passive
        cut |= ~recording.passive[1:]
    speed = np.linalg.norm(recording.velocities[:, k], axis=1)
    free &= speed > 1e-6
    spans, current = [], []
    for i in range(n):
        if free[i] and current and not cut[i - 1]:
            current.append(i)
            continue
        if len(current) >= MIN_FLIGHT_SAMPLES:
            spans.append(np.array(current))
        current = [i] if free[i] else []
    if len(current) >= MIN_FLIGHT_SAMPLES:
        spans.append(np.array(current))
    return [idx for idx in spans
            if np.ptp(recording.velocities[idx, k, 2]) >= MIN_VERTICAL_SPEED_RANGE]


def gravity_fit(recording: Recording, expected: float) -> dict:
    fits = []
    for k in range(len(recording.entity_ids)):
        if "." in recording.entity_ids[k]:
            continue  # links are pulled by their joints: not free flight
        for idx in flight_spans(recording, k):
            t = recording.times[idx]
            z = recording.positions[idx, k, 2]
            coeffs = np.polyfit(t - t[0], z, 2)
            rms = float(np.sqrt(np.mean((np.polyval(coeffs, t - t[0]) - z) ** 2)))
            fits.append({"body": recording.entity_ids[k], "start_s": float(t[0]),
                         "end_s": float(t[-1]), "g": float(-2.0 * coeffs[0]), "rms_m": rms})
    if not fits:
        return {"expected": expected, "fitted": None, "relative_error": None, "spans": []}
    weights = np.array([f["end_s"] - f["start_s"] for f in fits])
    g = float(np.sum(weights * np.array([f["g"] for f in fits])) / weights.sum())
    return {"expected": expected, "fitted": g,
            "relative_error": abs(g - expected) / expected if expected else None, "spans": fits}


def passive_energy(recording: Recording) -> dict:
    if recording.energy is None or recording.passive is None:
        return {"worst_passive_rise": None, "phases": []}
    total = recording.energy.sum(axis=1)
    passive = recording.passive.copy()
    passive[0] = False
    phases = []
    edges = np.flatnonzero(np.diff(np.concatenate([[0], passive.astype(int), [0]])))
    for a, b in zip(edges[::2], edges[1::2]):
        start = max(a - 1, 0)
        reference = total[start]
        # Relative to the energy there is, but never to less than ENERGY_FLOOR_J: in a world
        # of next to nothing (people alone), millijoules of contact springs are noise.
        scale = max(abs(reference), float(np.abs(total[start:b]).max()), ENERGY_FLOOR_J)
        rise = float((total[start:b].max() - reference) / scale)
        phases.append({"start_s": float(recording.times[start]),
                       "end_s": float(recording.times[b - 1]), "energy_start_j": float(reference),
                       "energy_end_j": float(total[b - 1]), "rise": rise})
    worst = max((p["rise"] for p in phases), default=None)
    return {"worst_passive_rise": worst, "phases": phases}


def penetration(recording: Recording) -> dict:
    if recording.penetration is None:
        return {"worst_m": float(recording.meta.get("worst_penetration_m", 0.0)), "at_s": None}
    k = int(np.argmax(recording.penetration))
    return {"worst_m": float(recording.penetration[k]), "at_s": float(recording.times[k])}


def collision_momentum(recording: Recording) -> dict:
    if recording.masses is None:
        return {"collisions": [], "worst_relative_change": None}
    rate = recording.sample_rate
    n = len(recording.times)
    out = []
    for e in recording.impacts():
        if e.body_a not in recording.entity_ids or e.body_b not in recording.entity_ids:
            continue
        a, b = recording.index(e.body_a), recording.index(e.body_b)
        before = int(np.floor(e.time * rate)) - 1
        after = int(np.ceil(e.end * rate)) + 1
        if before < 0 or after >= n:
            continue
        masses = recording.masses[[a, b]]
        if not np.all(masses > 0) or np.any(np.linalg.norm(recording.velocities[[before, after]][:, [a, b]], axis=2).max(axis=0) < 1e-9):
            continue
        p0 = (masses[:, None] * recording.velocities[before, [a, b], :2]).sum(axis=0)
        p1 = (masses[:, None] * recording.velocities[after, [a, b], :2]).sum(axis=0)
        scale = float(np.sum(masses * np.linalg.norm(recording.velocities[before, [a, b], :2],
                                                     axis=1)))
        if scale < 1e-6:
            continue
        out.append({"time_s": e.time, "bodies": [e.body_a, e.body_b],
                    "before": p0.tolist(), "after": p1.tolist(),
                    "relative_change": float(np.linalg.norm(p1 - p0) / scale)})
    worst = max((c["relative_change"] for c in out), default=None)
    return {"collisions": out, "worst_relative_change": worst}
