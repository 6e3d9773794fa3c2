"""Procedural surface textures generated as images (no files to download).

Each texture is a (H, W, 3) uint8 sRGB tile, deterministic (its own seeded generator), designed to
repeat seamlessly: noise is made periodic by filtering in the Fourier domain.
"""

from __future__ import annotations

import numpy as np

from worldreel.rng import generator

TILE = 256


def _periodic_noise(rng: np.random.Generator, size: int, scale: float) -> np.ndarray:
    """Seamless smooth noise in 0..1; larger `scale` gives larger blobs."""
    white = rng.standard_normal((size, size))
    fy = np.fft.fftfreq(size)[:, None]
    fx = np.fft.fftfreq(size)[None, :]
    spectrum = np.fft.fft2(white) * np.exp(-((fx**2 + fy**2) * (scale**2)) * 40.0)
    noise = np.real(np.fft.ifft2(spectrum))
    noise -= noise.min()
    return noise / max(noise.max(), 1e-9)


def _tint(base: tuple[float, float, float], shade: np.ndarray) -> np.ndarray:
    rgb = np.clip(np.array(base)[None, None, :] * shade[..., None], 0.0, 1.0)
    return (rgb * 255).astype(np.uint8)


def planks(base: tuple[float, float, float], seed_name: str = "planks") -> np.ndarray:
    """Wooden floor boards: strips along x with grain, per-board tone and dark seams."""
    rng = generator(0, f"texture:{seed_name}")
    boards = 8
    rows = np.arange(TILE)[:, None] * boards // TILE
    tone = 0.82 + 0.18 * rng.random(boards)[rows]
    grain = _periodic_noise(rng, TILE, 2.0)
    streak = 0.5 + 0.5 * np.sin(np.linspace(0, 40 * np.pi, TILE))[None, :] * 0.0
    shade = tone * (0.88 + 0.14 * grain + 0.0 * streak)
    seam = (np.arange(TILE) % (TILE // boards)) < 2
    shade[seam, :] *= 0.55
    # Staggered end joints.
    for b in range(boards):
        x = int(rng.integers(0, TILE))
        r0, r1 = b * TILE // boards, (b + 1) * TILE // boards
        shade[r0:r1, x:x + 2] *= 0.6
    return _tint(base, shade)


def grass(base: tuple[float, float, float], seed_name: str = "grass") -> np.ndarray:
    rng = generator(0, f"texture:{seed_name}")
    shade = 0.7 + 0.25 * _periodic_noise(rng, TILE, 3.0) + 0.15 * rng.random((TILE, TILE))
    return _tint(base, shade)


def speckle(base: tuple[float, float, float], seed_name: str = "speckle") -> np.ndarray:
    """Asphalt, concrete, sand: fine grain over broad mottling."""
    rng = generator(0, f"texture:{seed_name}")
    shade = 0.8 + 0.15 * _periodic_noise(rng, TILE, 4.0) + 0.12 * rng.random((TILE, TILE))
    return _tint(base, shade)


def bricks(base: tuple[float, float, float], seed_name: str = "bricks") -> np.ndarray:
    rng = generator(0, f"texture:{seed_name}")
    rows, cols = 8, 4
    y = np.arange(TILE)[:, None]
    x = np.arange(TILE)[None, :]
    row = y * rows // TILE
    offset = (row % 2) * (TILE // cols // 2)
    col = ((x + offset) % TILE) * cols // TILE
    tone = 0.8 + 0.25 * rng.random((rows, cols))[row, col]
    mortar = ((y % (TILE // rows)) < 3) | (((x + offset) % (TILE // cols)) < 3)
    shade = np.where(mortar, 1.25, tone)
    return _tint(base, shade)


GENERATORS = {"planks": planks, "court": planks, "grass": grass, "asphalt": speckle,
              "sand": speckle, "bricks": bricks, "pebbled": speckle}


def texture_image(name: str, base: tuple[float, float, float]) -> np.ndarray | None:
    """The tile for a texture name, or None for plain colour."""
    make = GENERATORS.get(name)
    return None if make is None else make(base, name)
