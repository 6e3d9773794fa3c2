"""Post-processing of rendered frames: antialiasing, exposure, filmic tone, grade, vignette, grain,
depth of field and motion-blur accumulation.

Everything here works on uint8 sRGB frames straight from OpenGL and is built to be cheap on a CPU:
the per-pixel colour work (exposure, tone curve, grade) is folded into one 256-entry table per
channel, computed once per clip; the spatial work (vignette, grain) uses maps made once per worker.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# Grades a director's style words map onto (see scene.Setting.grade).
GRADES = ("neutral", "warm", "cold", "noir", "vintage", "cinematic")
AA_EDGE_THRESHOLD = 24  # luma step (0..255) above which a pixel is treated as an aliased edge


@dataclass(frozen=True)
class Grade:
    """A colour grade: channel gains, lift (black level) and saturation, then a tone curve."""

    gain: tuple[float, float, float] = (1.0, 1.0, 1.0)
    lift: tuple[float, float, float] = (0.0, 0.0, 0.0)
    saturation: float = 1.0
    contrast: float = 1.0  # around mid grey, after the tone curve
    vignette: float = 0.22  # darkening at the corners, 0..1
    grain: float = 0.0  # standard deviation of film grain in 0..255 units


GRADE_PRESETS: dict[str, Grade] = {
    "neutral": Grade(),
    "warm": Grade(gain=(1.08, 1.0, 0.86), lift=(0.015, 0.005, 0.0), saturation=1.08),
    "cold": Grade(gain=(0.88, 0.98, 1.1), lift=(0.0, 0.005, 0.02), saturation=0.92),
    "noir": Grade(saturation=0.0, contrast=1.25, vignette=0.45, grain=5.0),
    "vintage": Grade(gain=(1.06, 0.98, 0.82), lift=(0.06, 0.045, 0.03), saturation=0.7,
                     contrast=0.9, vignette=0.35, grain=3.5),
    # teal shadows, warm highlights and a firmer curve: the look of graded feature films
    "cinematic": Grade(gain=(1.07, 1.0, 0.93), lift=(0.0, 0.006, 0.014), saturation=1.05,
                       contrast=1.12, vignette=0.4),
}


def _srgb_to_linear(c: np.ndarray) -> np.ndarray:
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _linear_to_srgb(c: np.ndarray) -> np.ndarray:
    c = np.clip(c, 0.0, 1.0)
    return np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055)


def filmic(x: np.ndarray) -> np.ndarray:
    """ACES filmic tone curve (Narkowicz's fit): soft shoulder for highlights, 0 -> 0."""
    return np.clip((x * (2.51 * x + 0.03)) / (x * (2.43 * x + 0.59) + 0.14), 0.0, 1.0)


def tone_table(grade: Grade, exposure_ev: float = 0.0) -> np.ndarray:
    """(3, 256) uint8: the sRGB value each input sRGB value of each channel becomes."""
    x = _srgb_to_linear(np.arange(256) / 255.0)
    out = np.empty((3, 256))
    # The GL picture is displayed-referred already; the filmic curve is normalised so that
    # exposure 0 keeps mid grey where it was and only rolls off the highlights.
    scale = 2.0 ** exposure_ev
    white = filmic(np.array(1.6))
    for c in range(3):
        lin = x * scale * grade.gain[c] * 1.6
        v = filmic(lin) / white
        v = grade.lift[c] + (1.0 - grade.lift[c]) * v
        s = _linear_to_srgb(v)
        s = 0.5 + (s - 0.5) * grade.contrast
        out[c] = s
    return np.clip(np.round(out * 255.0), 0, 255).astype(np.uint8)


def vignette_map(height: int, width: int, strength: float) -> np.ndarray | None:
    """(H, W, 1) uint16 multiplier in 1/256 units, or None when there is no vignette."""
    if strength <= 0:
        return None
    y = (np.arange(height) - (height - 1) / 2) / (height / 2)
    x = (np.arange(width) - (width - 1) / 2) / (width / 2)
    r2 = (x[None, :] * (width / max(width, height))) ** 2 + (y[:, None] * (height / max(width, height))) ** 2
    fall = 1.0 - strength * np.clip(r2 / 0.9, 0.0, 1.0) ** 1.5
    return np.round(fall * 256).astype(np.uint16)[..., None]


def antialias(img: np.ndarray) -> np.ndarray:
    """Cheap morphological antialiasing: pixels on a strong luma edge get their neighbours' mean.

    Only the few percent of pixels on edges are touched, so this costs a fraction of MSAA on a
    software rasterizer while removing most stair-stepping on silhouettes.
    """
    luma = img[..., 1].astype(np.int16)
    dx = np.abs(np.diff(luma, axis=1))
    dy = np.abs(np.diff(luma, axis=0))
    edge = np.zeros(luma.shape, bool)
    hx = dx > AA_EDGE_THRESHOLD
    hy = dy > AA_EDGE_THRESHOLD
    edge[:, 1:] |= hx
    edge[:, :-1] |= hx
    edge[1:, :] |= hy
    edge[:-1, :] |= hy
    edge[0, :] = edge[-1, :] = False
    edge[:, 0] = edge[:, -1] = False
    ys, xs = np.nonzero(edge)
    if len(ys) == 0:
        return img
    centre = img[ys, xs].astype(np.uint16)
    around = (img[ys - 1, xs].astype(np.uint16) + img[ys + 1, xs] + img[ys, xs - 1]
              + img[ys, xs + 1])
    img[ys, xs] = ((2 * centre + around + 3) // 6).astype(np.uint8)
    return img


def depth_of_field(img: np.ndarray, depth: np.ndarray, focus_m: float, focal_mm: float,
                   f_number: float, sensor_mm: float = 24.0) -> np.ndarray:
    """Blend towards a blurred frame where the circle of confusion is large (depth in metres)."""
    h = img.shape[0]
    f = focal_mm / 1000.0
    coc = np.abs(depth - focus_m) / np.maximum(depth, 1e-3) * f * f / (f_number * max(focus_m - f, 1e-3))
    coc_px = coc / (sensor_mm / 1000.0) * h
    weight = np.clip(coc_px / 6.0, 0.0, 1.0)[..., None]
    small = img[::4, ::4].astype(np.float32)
    k = np.array([1, 4, 6, 4, 1], np.float32) / 16
    for axis in (0, 1):
        small = sum(w * np.roll(small, s, axis=axis) for w, s in zip(k, range(-2, 3)))
    blurred = np.repeat(np.repeat(small, 4, axis=0), 4, axis=1)[: img.shape[0], : img.shape[1]]
    out = img * (1.0 - weight) + blurred * weight
    return np.clip(out + 0.5, 0, 255).astype(np.uint8)


class Finisher:
    """Per-worker post-processing state: the tone table, vignette and grain maps."""

    def __init__(self, height: int, width: int, grade: Grade, exposure_ev: float = 0.0,
                 antialiasing: bool = True, seed: int = 0):
        self.table = tone_table(grade, exposure_ev)
        self.identity_table = bool((self.table == np.arange(256)).all())
        self.vignette = vignette_map(height, width, grade.vignette)
        self.grade = grade
        self.antialiasing = antialiasing
        self.seed = seed
        self.grain = None
        if grade.grain > 0:
            rng = np.random.default_rng(seed)
            pad = 64
            self.grain = np.round(rng.standard_normal((height + pad, width + pad)) * grade.grain
                                  ).astype(np.int16)[..., None]

    def __call__(self, img: np.ndarray, frame: int) -> np.ndarray:
        if self.antialiasing:
            img = antialias(img)
        g = self.grade
        if g.saturation != 1.0:
            luma = (img[..., 0].astype(np.uint16) * 54 + img[..., 1].astype(np.uint16) * 183
                    + img[..., 2].astype(np.uint16) * 19) >> 8
            if g.saturation == 0.0:
                img = np.repeat(luma.astype(np.uint8)[..., None], 3, axis=2)
            else:
                s = int(round(g.saturation * 256))
                mixed = (img.astype(np.int32) * s + luma[..., None].astype(np.int32) * (256 - s)) >> 8
                img = np.clip(mixed, 0, 255).astype(np.uint8)
        if not self.identity_table:
            toned = np.empty_like(img)
            for c in range(3):
                np.take(self.table[c], img[..., c], out=toned[..., c])
            img = toned
        if self.vignette is None and self.grain is None:
            return img
        out = img.astype(np.uint16)
        if self.vignette is not None:
            out *= self.vignette
            out >>= 8
        if self.grain is not None:
            rng = np.random.default_rng((self.seed, frame))
            oy, ox = rng.integers(0, 64, size=2)
            h, w = img.shape[:2]
            out = out.astype(np.int16) + self.grain[oy:oy + h, ox:ox + w]
            np.clip(out, 0, 255, out=out)
        return out.astype(np.uint8)
