"""Seeded random generators derived from a Scene seed and a stable name.

Every random choice in WorldReel takes a `numpy.random.Generator` made here, never the global RNG,
so the same Scene and seed always give the same clip, whatever order the stages run in.
"""

import hashlib

import numpy as np


def generator(seed: int, name: str) -> np.random.Generator:
    """Return a Generator that depends only on `seed` and the stable `name` of its user."""
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    stream = int.from_bytes(digest[:8], "little")
    return np.random.default_rng(np.random.SeedSequence([int(seed), stream]))
