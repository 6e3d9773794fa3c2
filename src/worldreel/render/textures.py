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


def tiles(base: tuple[float, float, float], seed_name: str = "tiles") -> np.ndarray:
    """Square ceramic or vinyl tiles with grout lines, each tile a slightly different tone."""
    rng = generator(0, f"texture:{seed_name}")
    n = 4
    y = np.arange(TILE)[:, None] * n // TILE
    x = np.arange(TILE)[None, :] * n // TILE
    tone = 0.9 + 0.12 * rng.random((n, n))[y, x] + 0.04 * _periodic_noise(rng, TILE, 3.0)
    grout = ((np.arange(TILE) % (TILE // n)) < 3)
    shade = np.where(grout[:, None] | grout[None, :], 0.62, tone)
    return _tint(base, shade)


def carpet(base: tuple[float, float, float], seed_name: str = "carpet") -> np.ndarray:
    """Office carpet tiles: blue-grey loop pile, alternate tiles turned."""
    rng = generator(0, f"texture:{seed_name}")
    shade = 0.78 + 0.12 * _periodic_noise(rng, TILE, 1.0) + 0.2 * rng.random((TILE, TILE))
    y = np.arange(TILE)[:, None] * 2 // TILE
    x = np.arange(TILE)[None, :] * 2 // TILE
    shade = shade * np.where((x + y) % 2 == 0, 1.0, 0.9)
    return _tint((0.42, 0.46, 0.54), shade)


def vinyl(base: tuple[float, float, float], seed_name: str = "vinyl") -> np.ndarray:
    """School vinyl tiles: speckled cream squares with an occasional grey one."""
    rng = generator(0, f"texture:{seed_name}")
    n = 4
    y = np.arange(TILE)[:, None] * n // TILE
    x = np.arange(TILE)[None, :] * n // TILE
    grey = rng.random((n, n)) < 0.2
    tone = np.where(grey[y, x], 0.7, 1.0) * (0.92 + 0.1 * rng.random((TILE, TILE)))
    seam = (np.arange(TILE) % (TILE // n)) < 2
    shade = np.where(seam[:, None] | seam[None, :], 0.75, tone)
    return _tint((0.86, 0.83, 0.74), shade)


def grass_stripes(base: tuple[float, float, float], seed_name: str = "grass_stripes") -> np.ndarray:
    """Mown turf: alternating light and dark bands over blade noise."""
    rng = generator(0, f"texture:{seed_name}")
    band = np.where((np.arange(TILE) * 2 // TILE) % 2 == 0, 1.0, 0.84)[None, :]
    shade = band * (0.8 + 0.14 * _periodic_noise(rng, TILE, 2.0) + 0.12 * rng.random((TILE, TILE)))
    return _tint(base, shade)


def regolith(base: tuple[float, float, float], seed_name: str = "regolith") -> np.ndarray:
    """Lunar dust: grey, pocked with small craters (dark rims, light floors)."""
    rng = generator(0, f"texture:{seed_name}")
    shade = 0.75 + 0.2 * _periodic_noise(rng, TILE, 5.0) + 0.1 * rng.random((TILE, TILE))
    yy, xx = np.mgrid[0:TILE, 0:TILE]
    for _ in range(14):
        cy, cx = rng.integers(0, TILE, 2)
        r = rng.uniform(4, 18)
        dy = (yy - cy + TILE / 2) % TILE - TILE / 2
        dx = (xx - cx + TILE / 2) % TILE - TILE / 2
        d = np.hypot(dx, dy) / r
        shade = shade * np.where(d < 0.85, 0.82, np.where(d < 1.05, 1.15, 1.0))
    grey = (0.55, 0.55, 0.54)
    return _tint(grey, shade)


def plaster(base: tuple[float, float, float], seed_name: str = "plaster") -> np.ndarray:
    rng = generator(0, f"texture:{seed_name}")
    shade = 0.93 + 0.07 * _periodic_noise(rng, TILE, 3.0) + 0.03 * rng.random((TILE, TILE))
    return _tint(base, shade)


def gym_wall(base: tuple[float, float, float], seed_name: str = "gym_wall") -> np.ndarray:
    """A whole gym wall, floor to top (1.6 m wide tile): painted blocks above a blue dado."""
    rng = generator(0, f"texture:{seed_name}")
    h, w, rows, cols = 1024, 256, 32, 4
    y = np.arange(h)[:, None]
    x = np.arange(w)[None, :]
    row = y * rows // h
    offset = (row % 2) * (w // cols // 2)
    col = ((x + offset) % w) * cols // w
    tone = 0.93 + 0.07 * rng.random((rows, cols))[row, col]
    mortar = ((y % (h // rows)) < 3) | (((x + offset) % (w // cols)) < 3)
    shade = np.where(mortar, 0.8, tone)
    img = shade[..., None] * np.array([0.86, 0.85, 0.82])
    band = y[:, 0] >= int(h * 0.8)  # row 0 is the top of the wall
    img[band] = shade[band][..., None] * np.array([0.22, 0.32, 0.70])
    img[int(h * 0.79):int(h * 0.8)] = 0.95
    return (np.clip(img, 0, 1) * 255).astype(np.uint8)


def wallpaper(base: tuple[float, float, float], seed_name: str = "wallpaper") -> np.ndarray:
    x = np.arange(TILE)
    stripes = np.where((x // 16) % 2 == 0, 1.0, 0.92)[None, :] * np.ones((TILE, 1))
    return _tint((0.86, 0.80, 0.68), stripes)


def wall_tiles(base: tuple[float, float, float], seed_name: str = "wall_tiles") -> np.ndarray:
    return tiles((0.92, 0.94, 0.94), seed_name)


def office_wall(base: tuple[float, float, float], seed_name: str = "office_wall") -> np.ndarray:
    return plaster((0.84, 0.86, 0.88), seed_name)


def windows(base: tuple[float, float, float], seed_name: str = "windows") -> np.ndarray:
    """Facade at night: a grid of windows, some lit warm, most dark."""
    rng = generator(0, f"texture:{seed_name}")
    n = 8
    y = np.arange(TILE)[:, None] * n // TILE
    x = np.arange(TILE)[None, :] * n // TILE
    lit = rng.random((n, n)) < 0.4
    cell_y = (np.arange(TILE) % (TILE // n))[:, None]
    cell_x = (np.arange(TILE) % (TILE // n))[None, :]
    pane = (cell_y > 6) & (cell_y < 24) & (cell_x > 6) & (cell_x < 26)
    img = np.empty((TILE, TILE, 3))
    img[:] = (0.10, 0.10, 0.12)
    glow = np.array([1.0, 0.82, 0.5])
    on = pane & lit[y, x]
    img[on] = glow
    img[pane & ~lit[y, x]] = (0.05, 0.07, 0.12)
    return (img * 255).astype(np.uint8)


def _canvas(width_m: float, height_m: float, px_per_m: float, background: np.ndarray) -> np.ndarray:
    """A decal image of the given size in metres, filled by tiling `background`."""
    h, w = int(round(height_m * px_per_m)), int(round(width_m * px_per_m))
    reps = (-(-h // background.shape[0]), -(-w // background.shape[1]), 1)
    return np.tile(background, reps)[:h, :w].copy()


class _Painter:
    """Draws lines on a decal image in metric coordinates (origin at the centre, x right, y up)."""

    def __init__(self, img: np.ndarray, px_per_m: float):
        self.img, self.s = img, px_per_m
        h, w = img.shape[:2]
        self.yy, self.xx = np.mgrid[0:h, 0:w]
        self.x = (self.xx - w / 2) / px_per_m
        self.y = (h / 2 - self.yy) / px_per_m

    def fill(self, mask: np.ndarray, rgb) -> None:
        self.img[mask] = (np.array(rgb) * 255).astype(np.uint8)

    def rect_outline(self, x0, y0, x1, y1, width, rgb) -> None:
        inside = (self.x >= x0 - width / 2) & (self.x <= x1 + width / 2) & \
                 (self.y >= y0 - width / 2) & (self.y <= y1 + width / 2)
        inner = (self.x > x0 + width / 2) & (self.x < x1 - width / 2) & \
                (self.y > y0 + width / 2) & (self.y < y1 - width / 2)
        self.fill(inside & ~inner, rgb)

    def ring(self, cx, cy, r, width, rgb, half: float | None = None) -> None:
        d = np.hypot(self.x - cx, self.y - cy)
        mask = np.abs(d - r) < width / 2
        if half is not None:
            mask &= (self.x - cx) * half >= 0
        self.fill(mask, rgb)

    def line_x(self, x, y0, y1, width, rgb) -> None:
        self.fill((np.abs(self.x - x) < width / 2) & (self.y >= y0) & (self.y <= y1), rgb)

    def line_y(self, y, x0, x1, width, rgb, dash: float | None = None) -> None:
        mask = (np.abs(self.y - y) < width / 2) & (self.x >= x0) & (self.x <= x1)
        if dash is not None:
            mask &= ((self.x - x0) % (2 * dash)) < dash
        self.fill(mask, rgb)


def court_lines(base, seed_name: str = "court_lines") -> np.ndarray:
    """A basketball court (28 x 15 m): maple boards, painted keys, white lines."""
    s = 48.0  # px per metre: 5 cm lines stay over two pixels wide
    wood = planks((0.86, 0.64, 0.40), "court_boards")
    img = _canvas(28.0, 15.0, s, wood[::2, ::2])
    p = _Painter(img, s)
    white = (0.97, 0.97, 0.95)
    for side in (-1, 1):
        hx = side * 14.0
        # The painted key (4.9 m wide, 5.8 m deep) and the free-throw circle.
        x0, x1 = sorted((hx, hx - side * 5.8))
        inside = (p.x >= x0) & (p.x <= x1) & (np.abs(p.y) <= 2.45)
        tone = p.img[inside].astype(np.float32) * np.array([0.85, 0.45, 0.35]) + 30
        p.img[inside] = np.clip(tone, 0, 255).astype(np.uint8)
        p.rect_outline(x0, -2.45, x1, 2.45, 0.05, white)
        p.ring(hx - side * 5.8, 0.0, 1.8, 0.05, white, half=-side)
        # Three-point arc (6.75 m from the basket at 1.575 m inside the baseline).
        bx = hx - side * 1.575
        d = np.hypot(p.x - bx, p.y)
        arc = (np.abs(d - 6.75) < 0.025) & (np.abs(p.y) < 6.6) & ((p.x - bx) * -side >= 0)
        p.fill(arc, white)
        corner = (np.abs(np.abs(p.y) - 6.6) < 0.025) & ((p.x - hx) * -side >= 0) & \
                 ((p.x - hx) * -side <= np.sqrt(6.75**2 - 6.6**2) + 1.575)
        p.fill(corner, white)
    p.rect_outline(-14.0, -7.5, 14.0, 7.5, 0.05, white)
    p.line_x(0.0, -7.5, 7.5, 0.05, white)
    p.ring(0.0, 0.0, 1.8, 0.05, white)
    centre = np.hypot(p.x, p.y) < 1.775
    p.img[centre] = np.clip(p.img[centre].astype(np.float32) * [0.8, 0.45, 0.35] + 25, 0, 255
                            ).astype(np.uint8)
    return img


def field_lines(base, seed_name: str = "field_lines") -> np.ndarray:
    s = 24.0
    img = _canvas(32.0, 20.0, s, grass_stripes((0.25, 0.50, 0.18))[::2, ::2])
    p = _Painter(img, s)
    white = (0.95, 0.95, 0.92)
    p.rect_outline(-15.0, -9.0, 15.0, 9.0, 0.12, white)
    p.line_x(0.0, -9.0, 9.0, 0.12, white)
    p.ring(0.0, 0.0, 3.0, 0.12, white)
    for side in (-1, 1):
        x0, x1 = sorted((side * 15.0, side * 11.0))
        p.rect_outline(x0, -5.5, x1, 5.5, 0.12, white)
    return img


def road(base, seed_name: str = "road") -> np.ndarray:
    """Asphalt carriageway (80 x 8 m): dashed centre line, solid edge lines, kerbs."""
    s = 16.0
    tar = speckle((0.30, 0.30, 0.31), "road_tar")
    img = _canvas(80.0, 8.0, s, tar[::2, ::2])
    p = _Painter(img, s)
    p.line_y(0.0, -40.0, 40.0, 0.15, (0.95, 0.85, 0.30), dash=1.5)
    for y in (-3.6, 3.6):
        p.line_y(y, -40.0, 40.0, 0.15, (0.92, 0.92, 0.90))
    for y in (-3.95, 3.95):
        p.line_y(y, -40.0, 40.0, 0.12, (0.62, 0.62, 0.60))
    return img


def parking(base, seed_name: str = "parking") -> np.ndarray:
    s = 24.0
    tar = speckle((0.24, 0.24, 0.25), "parking_tar")
    img = _canvas(24.0, 12.0, s, tar[::2, ::2])
    p = _Painter(img, s)
    white = (0.93, 0.93, 0.90)
    for row_y in (-6.0, 1.0):
        for k in range(10):
            x = -12.0 + 2.5 * k + 0.5
            p.line_x(x, row_y, row_y + 5.0, 0.1, white)
    p.line_y(0.0, -12.0, 12.0, 0.1, (0.95, 0.85, 0.3), dash=0.8)
    return img


def sea(base: tuple[float, float, float], seed_name: str = "sea") -> np.ndarray:
    """Open water: broad darker and lighter patches (wind on the surface, the sky in it) with
    fine ripples stretched along the shore, and a few bright glints."""
    rng = generator(0, f"texture:{seed_name}")
    broad = _periodic_noise(rng, TILE, 3.0)
    ripples = _periodic_noise(rng, TILE, 0.6)
    ripples = np.roll(ripples, 0, axis=0)
    stretched = 0.5 * (ripples + np.roll(ripples, 3, axis=1))  # longer crests than troughs
    shade = 0.78 + 0.22 * broad + 0.28 * (stretched - 0.5)
    shade = shade + 0.5 * np.clip(stretched - 0.82, 0.0, None) / 0.18  # glints on the crests
    return _tint(base, shade)


GENERATORS = {"planks": planks, "court": planks, "grass": grass, "asphalt": speckle,
              "concrete": speckle, "sand": speckle, "bricks": bricks, "pebbled": speckle,
              "tiles": tiles, "carpet": carpet, "vinyl": vinyl, "grass_stripes": grass_stripes,
              "regolith": regolith, "plaster": plaster, "gym_wall": gym_wall,
              "wallpaper": wallpaper, "wall_tiles": wall_tiles, "office_wall": office_wall,
              "windows": windows, "sea": sea}
# Decals: one image stretched over one painted rectangle (see assets.environments.Decal).
DECALS = {"court_lines": court_lines, "field_lines": field_lines, "road": road,
          "parking": parking}


def texture_image(name: str, base: tuple[float, float, float]) -> np.ndarray | None:
    """The tile for a texture name, or None for plain colour."""
    make = GENERATORS.get(name)
    return None if make is None else make(base, name)


def decal_image(name: str) -> np.ndarray:
    """The image of a decal, sized for its rectangle."""
    return DECALS[name](None, name)
