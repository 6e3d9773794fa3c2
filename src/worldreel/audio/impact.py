"""Impact sounds: both bodies of a contact ring with their modes, driven by the contact force.

An impact is rendered mono at the level heard 1 m from the contact; spatial.py places it. The
first non-zero sample of the returned signal belongs at round(event.time * SAMPLE_RATE).
"""

from __future__ import annotations

import numpy as np
from scipy.signal import lfilter

from worldreel.assets import Material
from worldreel.audio.clock import SAMPLE_RATE
from worldreel.audio.excitation import contact_duration, contact_noise, force_pulse
from worldreel.audio.modal import modes_of, resonate, varied
from worldreel.recording import ContactEvent

# Below these an event is resting jitter of the solver, not a sound: a 0.1 mm drop lands at
# 0.045 m/s, and a 10 g object dropped 1 mm delivers ~1.4e-3 N*s.
MIN_IMPACT_SPEED = 0.05  # m/s
MIN_IMPACT_IMPULSE = 1e-3  # N*s

REFERENCE_IMPULSE = 1.0  # N*s: a 0.3 kg ball dropped ~1 m; rings at IMPACT_GAIN
# Peak-ish level of the reference impact 1 m away, before the master. Pre-master stems are float
# and may exceed 1: this puts a few bounces seen from a wide shot near -40 LUFS, well inside the
# master's gain range.
IMPACT_GAIN = 1.0
# Perceived loudness of impacts grows more slowly than the impulse (Stevens' power law for
# loudness, exponent ~0.6 on pressure, is too flat for the energy of harder hits; 0.8 keeps a
# doubling of impulse clearly louder, +4.8 dB).
IMPULSE_EXPONENT = 0.8
LEVEL_JITTER_DB = 1.0
FADE_OUT_S = 0.005
# Contacts longer than this are soft (turf, sand, cloth, a padded paw): metal and stone on hard
# surfaces press for tens to hundreds of microseconds (Goldsmith, "Impact", 1960), soil and
# rubber for milliseconds.
SOFT_CONTACT_S = 0.001


def audible(event: ContactEvent) -> bool:
    """Whether an impact is strong enough to be heard rather than solver jitter."""
    return event.speed >= MIN_IMPACT_SPEED and event.impulse >= MIN_IMPACT_IMPULSE


def impact_level(impulse: float) -> float:
    """Linear amplitude of an impact of this impulse (N*s), 1 m away."""
    return IMPACT_GAIN * (max(impulse, 0.0) / REFERENCE_IMPULSE) ** IMPULSE_EXPONENT


def impact_sound(event: ContactEvent, material_a: Material, material_b: Material,
                 rng: np.random.Generator, max_length: int) -> np.ndarray:
    """Mono float64 sound of one impact from the event's sample on, at most max_length long."""
    a, b = material_a.acoustic, material_b.acoustic
    tau = contact_duration(a.contact_ms, b.contact_ms, event.speed)
    modes = (varied(modes_of(a, event.size_a), rng).scaled(a.loudness)
             + varied(modes_of(b, event.size_b), rng).scaled(b.loudness))
    noise_len = int(0.05 * SAMPLE_RATE)
    length = max(1, min(max_length, max(int(modes.ring_seconds() * SAMPLE_RATE) + 1, noise_len)))

    force = np.zeros(length)
    pulse = force_pulse(tau)[:length]
    force[: len(pulse)] = pulse
    ring = resonate(modes, force)

    crack = contact_noise(rng, tau, length)
    # A soft contact cracks dully: low-pass the crack (two poles, 12 dB/octave) near the force
    # pulse's spectral corner; twice over for a soft one (a hoof on grass, a foot on sand),
    # whose long half-sine force has no energy left in the highs to crack with - one pass
    # left a hoof on turf as bright above 8 kHz as on stone, 22 dB under its thud.
    corner = float(np.clip(0.6 / tau, 300.0, 16_000.0))
    pole = np.exp(-2.0 * np.pi * corner / SAMPLE_RATE)
    for _ in range(2 if tau > SOFT_CONTACT_S else 1):
        crack = lfilter([(1.0 - pole) ** 2], [1.0, -2.0 * pole, pole * pole], crack)
    share = 0.5 * (a.noise + b.noise)
    # Each part at unit peak, mixed by the materials' noise share; a body too small to ring in
    # the audible band (all modes above MAX_MODE_HZ) still cracks.
    ring_peak = float(np.max(np.abs(ring), initial=0.0))
    crack_peak = float(np.max(np.abs(crack), initial=0.0))
    ring = ring / ring_peak if ring_peak > 0 else ring
    crack = crack / crack_peak if crack_peak > 0 else crack
    sound = ring * (1.0 - share) + crack * (share if ring_peak > 0 else 1.0)

    level = impact_level(event.impulse) * 10 ** (LEVEL_JITTER_DB * rng.standard_normal() / 20)
    sound *= level * 0.5 * (a.loudness + b.loudness)
    _fade_tail(sound)
    return sound


def _fade_tail(sound: np.ndarray) -> None:
    """Fade the last few ms in place, so a ring cut at the clip's end does not click."""
    n = min(len(sound) // 4, int(FADE_OUT_S * SAMPLE_RATE))
    if n > 0:
        sound[-n:] *= np.linspace(1.0, 0.0, n + 1)[1:]
