"""Shatter: the sound of a brittle body breaking, on top of the impact that broke it.

A break is a crack (a bright noise burst as the fracture runs through the body, a few ms) and
then a shower of shards, each a small body of the same material ringing with its own modes
(smaller, so higher: modal.modes_of scales as 1/size) and starting a little later than the last
(the pieces separate and knock against each other over the first ~0.2 s). The first sample is at
the break time, so the shatter is as synchronous as every other sound.
"""

from __future__ import annotations

import numpy as np
from scipy.signal import lfilter

from worldreel.assets import Material
from worldreel.audio.clock import SAMPLE_RATE
from worldreel.audio.excitation import contact_noise, force_pulse
from worldreel.audio.impact import impact_level
from worldreel.audio.modal import modes_of, resonate, varied

SHARD_COUNT = 28
SHARD_SIZE = (0.3, 0.9)  # of the body's size, log-uniform: from splinters to large pieces
SHARD_WINDOW_S = 0.4  # shards knock against each other over this long
SHARD_DECAY_PER_S = 4.0  # later shards are quieter: the energy is spent
CRACK_S = 0.004
CRACK_HIGHPASS_HZ = 1_500.0
CRACK_SHARE = 0.45
SHATTER_LOUDNESS = 1.6  # a breaking body is louder than a bounce of the same impulse
MAX_SHATTER_S = 1.2


def shatter_sound(body: Material, size: float, impulse: float, rng: np.random.Generator,
                  max_length: int) -> np.ndarray:
    """Mono float64 shatter of a body of this material and size (m), from the break's sample."""
    length = max(1, min(max_length, int(MAX_SHATTER_S * SAMPLE_RATE)))
    acoustic = body.acoustic

    crack = contact_noise(rng, CRACK_S, length)
    pole = np.exp(-2.0 * np.pi * CRACK_HIGHPASS_HZ / SAMPLE_RATE)
    crack = lfilter([1.0, -1.0], [1.0, -pole], crack)  # one-pole high-pass: a bright snap
    crack /= max(float(np.max(np.abs(crack))), 1e-12)

    shards = np.zeros(length)
    pulse = force_pulse(1e-3 * acoustic.contact_ms)
    # Denser at first, thinning out: onsets spread over the window, squared towards its start.
    onsets = SHARD_WINDOW_S * np.sort(rng.uniform(0.0, 1.0, SHARD_COUNT)) ** 2
    for onset in onsets:
        start = int(onset * SAMPLE_RATE)
        if start >= length:
            break
        shard = size * float(np.exp(rng.uniform(*np.log(SHARD_SIZE))))
        modes = varied(modes_of(acoustic, shard), rng)
        ring_len = min(length - start, max(len(pulse), int(modes.ring_seconds() * SAMPLE_RATE)))
        force = np.zeros(ring_len)
        force[: len(pulse)] = pulse[:ring_len]
        ring = resonate(modes, force)
        peak = float(np.max(np.abs(ring), initial=0.0))
        if peak > 0:
            gain = np.exp(-SHARD_DECAY_PER_S * onset) * rng.uniform(0.4, 1.0)
            shards[start:start + ring_len] += gain * ring / peak
    shards /= max(float(np.max(np.abs(shards))), 1e-12)

    sound = CRACK_SHARE * crack + (1.0 - CRACK_SHARE) * shards
    sound *= impact_level(impulse) * SHATTER_LOUDNESS * acoustic.loudness
    fade = min(len(sound) // 4, int(0.01 * SAMPLE_RATE))
    if fade:
        sound[-fade:] *= np.linspace(1.0, 0.0, fade)
    return sound
