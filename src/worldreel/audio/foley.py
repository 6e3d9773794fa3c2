"""Foley: every contact event of the Recording rendered and placed, as one stereo stem.

Returns the dry stereo stem (placed for the live camera) and a mono send at the 1 m reference
level, which feeds the room reverb: the reverberant field of a room hardly depends on where the
listener stands, so it is fed before distance attenuation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, sosfilt

from worldreel.assets import Material, material
from worldreel.audio.clock import SAMPLE_RATE, sample_at
from worldreel.audio.crunch import crunch_sound, is_crunch
from worldreel.audio.continuous import continuous_sound, span_samples
from worldreel.audio.impact import audible, impact_sound
from worldreel.audio.shatter import shatter_sound
from worldreel.audio.spatial import SourcePath, place
from worldreel.errors import AudioError, SceneError
from worldreel.recording import ContactEvent, Recording
from worldreel.rng import generator

# Low modes ringing out leave a slow offset (a damped sine does not average to zero); below this
# nothing is heard, so a causal high-pass removes it without moving any onset.
DC_CUTOFF_HZ = 20.0


@dataclass(frozen=True)
class Foley:
    """The rendered foley: dry stereo stem, mono reverb send, and what was rendered."""

    dry: np.ndarray  # (n, 2) float64
    send: np.ndarray  # (n,) float64
    impacts: int
    continuous: int
    skipped: int
    first_sample: int | None  # earliest sample any foley starts at


def render_foley(recording: Recording, seed: int, n_samples: int) -> Foley:
    """Render all contact events of `recording` into a clip of n_samples samples."""
    dry = np.zeros((n_samples, 2))
    send = np.zeros(n_samples)
    counts = {"impact": 0, "continuous": 0, "skipped": 0}
    first: int | None = None
    for event in recording.events:
        if not _finite(event):  # a solver blow-up must not turn the whole mix into NaN
            counts["skipped"] += 1
            continue
        start = sample_at(event.time)
        if start >= n_samples or start < 0:
            counts["skipped"] += 1
            continue
        mat_a, mat_b = _materials(event)
        # Named by what the event is, not its index: editing one contact in a remix leaves the
        # variation of every other sound as it was.
        rng = generator(seed, f"audio.foley.{event.kind}.{event.body_a}.{event.body_b}.{start}")
        if event.kind == "impact":
            if not audible(event):
                counts["skipped"] += 1
                continue
            if is_crunch(event, mat_a, mat_b):  # vehicle bodies crumple, they do not ring
                mono = crunch_sound(event, rng, n_samples - start)
            else:
                mono = impact_sound(event, mat_a, mat_b, rng, n_samples - start)
            path = SourcePath.fixed(event.point)
            counts["impact"] += 1
        else:
            start, stop = span_samples(event, n_samples)
            speed = _speed_profile(recording, event, start, stop)
            mono = continuous_sound(event, mat_a, mat_b, speed, rng)
            if not np.any(mono):
                counts["skipped"] += 1
                continue
            path = _moving_source(recording, event)
            counts["continuous"] += 1
        end = start + len(mono)
        dry[start:end] += place(mono, start, path, recording.camera)
        send[start:end] += mono
        first = start if first is None else min(first, start)
    for broken in recording.meta.get("breaks", ()):
        start = sample_at(float(broken["time"]))
        hit = _breaking_contact(recording, broken)
        if hit is None or not 0 <= start < n_samples:
            counts["skipped"] += 1
            continue
        rng = generator(seed, f"audio.shatter.{broken['entity']}.{start}")
        first_body = hit.body_a == broken["entity"]
        body = material(hit.material_a if first_body else hit.material_b)
        size = hit.size_a if first_body else hit.size_b
        mono = shatter_sound(body, size, hit.impulse, rng, n_samples - start)
        end = start + len(mono)
        dry[start:end] += place(mono, start, SourcePath.fixed(broken["point"]), recording.camera)
        send[start:end] += mono
        counts["impact"] += 1
        first = start if first is None else min(first, start)
    return Foley(dry, send, counts["impact"], counts["continuous"], counts["skipped"], first)


def _breaking_contact(recording: Recording, broken: dict) -> ContactEvent | None:
    """The impact that broke the body: the entity's impact nearest the break time."""
    entity = broken["entity"]
    hits = [e for e in recording.events if e.kind == "impact" and entity in (e.body_a, e.body_b)]
    return min(hits, key=lambda e: abs(e.time - float(broken["time"])), default=None)


def _finite(event: ContactEvent) -> bool:
    values = (event.time, event.end, event.impulse, event.speed, event.size_a, event.size_b,
              *event.point, *event.normal)
    return bool(np.all(np.isfinite(values)))


def _materials(event: ContactEvent) -> tuple[Material, Material]:
    try:
        return material(event.material_a), material(event.material_b)
    except SceneError as error:
        raise AudioError(
            f"contact at t={event.time:.3f} s between {event.body_a!r} and {event.body_b!r}: "
            f"{error}; add the material to worldreel/assets/materials.py"
        ) from None


def _velocity(recording: Recording, body: str) -> np.ndarray | None:
    if body not in recording.entity_ids or len(recording.velocities) == 0:
        return None
    return recording.velocities[:, recording.index(body)]


def _speed_profile(recording: Recording, event: ContactEvent, start: int, stop: int
                   ) -> np.ndarray:
    """Tangential speed (m/s) per audio sample over [start, stop), from the bodies' velocities.

    Falls back to the event's mean speed when neither body is an entity of the recording.
    """
    n = max(stop - start, 0)
    va, vb = _velocity(recording, event.body_a), _velocity(recording, event.body_b)
    if va is None and vb is None:
        return np.full(n, max(event.speed, 0.0))
    rel = (va if va is not None else 0.0) - (vb if vb is not None else 0.0)
    normal = np.asarray(event.normal, dtype=float)
    normal /= max(float(np.linalg.norm(normal)), 1e-9)
    tangential = rel - np.outer(rel @ normal, normal)
    speed = np.linalg.norm(tangential, axis=1)
    t = (start + np.arange(n)) / SAMPLE_RATE
    profile = np.interp(t, recording.times, speed)
    # A body that the recording shows barely moving while the event says it slides (a kinematic
    # body, a missing velocity track): trust the event's mean speed.
    if n and float(np.mean(profile)) < 0.1 * event.speed:
        return np.full(n, max(event.speed, 0.0))
    return profile


def _moving_source(recording: Recording, event: ContactEvent) -> SourcePath:
    """The contact follows the moving body (a rolling ball); a fixed point otherwise."""
    for body in (event.body_a, event.body_b):
        if body in recording.entity_ids and len(recording.positions):
            contact = recording.trajectory(body).astype(float)
            # The contact is under the body, at the height where the span started.
            contact[:, 2] = float(event.point[2])
            return SourcePath(np.asarray(recording.times, dtype=float), contact)
    return SourcePath.fixed(event.point)


def dc_blocked(stem: np.ndarray) -> np.ndarray:
    """(n, 2) stem high-passed at DC_CUTOFF_HZ (causal: silence before a sound stays silence)."""
    sos = butter(2, DC_CUTOFF_HZ, btype="high", fs=SAMPLE_RATE, output="sos")
    return sosfilt(sos, stem, axis=0)
