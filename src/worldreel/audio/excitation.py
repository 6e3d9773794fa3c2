"""Contact excitations: the force pulse of an impact and the broadband contact noise.

A struck body rings with its modes driven by the contact force. A hard contact is a short pulse
(broad spectrum, bright), a soft one a long pulse (its spectrum falls off early, dull). The force of
a Hertzian contact is close to a half sine (Goldsmith, "Impact", 1960), which we use.
"""

from __future__ import annotations

import numpy as np

from worldreel.audio.clock import SAMPLE_RATE

# Hertz contact: duration ~ v^(-1/5) (Johnson, "Contact Mechanics", eq. 11.24); the table's
# contact_ms is the duration at 1 m/s.
HERTZ_SPEED_EXPONENT = -0.2
NOISE_ATTACK_S = 0.0001  # the contact crack rises within 0.1 ms: the onset a listener hears
NOISE_MIN_DECAY_S = 0.0015


def contact_duration(contact_ms_a: float, contact_ms_b: float, speed: float) -> float:
    """Seconds the two surfaces stay pressed together.

    The compliances add, so the softer body dominates; the geometric mean keeps some of the
    harder body's brightness (a basketball on glass still lets the glass ring).
    """
    tau = 1e-3 * float(np.sqrt(contact_ms_a * contact_ms_b))
    scale = max(speed, 0.05) ** HERTZ_SPEED_EXPONENT
    return float(np.clip(tau * scale, 2.0 / SAMPLE_RATE, 0.02))


def force_pulse(duration: float) -> np.ndarray:
    """Half-sine force pulse of unit area, sampled at sample midpoints so sample 0 is non-zero."""
    n = max(1, int(np.ceil(duration * SAMPLE_RATE)))
    t = (np.arange(n) + 0.5) / n
    pulse = np.sin(np.pi * t)
    return pulse / pulse.sum()


def contact_noise(rng: np.random.Generator, duration: float, length: int) -> np.ndarray:
    """Unit-peak broadband noise burst: a crack that starts at sample 0 and decays with the contact.

    The envelope rises within NOISE_ATTACK_S (a sharp onset) and decays with a time constant that
    grows with the contact duration: a soft contact (sand, cloth) gives a longer crunch.
    """
    t = np.arange(length) / SAMPLE_RATE
    decay = max(NOISE_MIN_DECAY_S, 1.5 * duration)
    envelope = (1.0 - np.exp(-(t + 1.0 / SAMPLE_RATE) / NOISE_ATTACK_S)) * np.exp(-t / decay)
    noise = rng.standard_normal(length)
    # First difference of white noise tilts it up: the crack is bright, without DC.
    noise = np.diff(noise, prepend=0.0) * 0.5
    burst = noise * envelope
    peak = np.max(np.abs(burst)) if length else 0.0
    return burst / peak if peak > 0 else burst
