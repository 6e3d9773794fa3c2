"""Tyre noise by road surface: what a vehicle's tyres roll on, and how that sounds.

The surface comes from the Recording: a vehicle's tyres roll and slide on the floor (or on any
fixture), and each roll or slide event names the material under them (physics.contacts), so a
car that leaves the tarmac for gravel is heard doing so when it does. road_surfaces.yaml maps
materials to the surfaces heard and holds each surface's sound, with its sources:

- asphalt (and concrete, stone): the broadband roar of audio.vehicles.tyres, unchanged;
- gravel: stones clicking under the tread at a rate proportional to speed, the odd stone
  pinging in a wheel arch (more often the faster), over a crunching bed;
- dirt and sand: a soft low rumble swelling with the ruts, a little grit;
- grass: a quieter rumble and the blades' swish;
- wet asphalt (a rainy Setting): the roar plus a hiss of water squeezed from the tread.

surface_masks says which surface is under a vehicle at every audio sample; road_noise renders
the surfaces other than dry asphalt (the caller keeps its asphalt roar where asphalt_share is 1).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import numpy as np
import yaml
from scipy.signal import butter, lfilter, sosfilt

from worldreel.audio.clock import SAMPLE_RATE
from worldreel.recording import Recording

SURFACES_FILE = Path(__file__).with_name("road_surfaces.yaml")
SURFACE_FADE_S = 0.08  # one surface hands over to the next over this long (a tyre's patch)
CLICK_BANDS = 6  # clicks are rendered through this many resonators spread over the range


@lru_cache(maxsize=1)
def surface_table() -> MappingProxyType:
    """road_surfaces.yaml: material -> surface, and each surface's parameters."""
    return MappingProxyType(yaml.safe_load(SURFACES_FILE.read_text(encoding="utf-8")))


def surface_of(material: str, wet: bool = False) -> str:
    """The surface heard for tyres on `material`: asphalt, wet, gravel, dirt or grass."""
    surface = surface_table()["surfaces"].get(material, "asphalt")
    return "wet" if wet and surface == "asphalt" else surface


def surface_masks(recording: Recording, vehicle: str, n_samples: int,
                  wet: bool = False) -> dict[str, np.ndarray]:
    """For each surface under `vehicle`'s tyres, its share 0..1 at every 48 kHz sample.

    From the vehicle's roll and slide events against what its tyres touched (the root entity's
    events whose material is "tyre"); between and after spans the last surface holds (a wheel
    in the air for a moment is still over the road it left). No such events at all: asphalt."""
    spans = []
    for event in recording.events:
        if event.kind == "impact":
            continue
        for body, mine, other in ((event.body_a, event.material_a, event.material_b),
                                  (event.body_b, event.material_b, event.material_a)):
            if body.split(".")[0] == vehicle and mine == "tyre" and other != "tyre":
                spans.append((event.time, event.end, surface_of(other, wet)))
    default = "wet" if wet else "asphalt"
    if not spans:
        return {default: np.ones(n_samples)}
    spans.sort()
    at = np.arange(n_samples) / SAMPLE_RATE
    current = np.full(n_samples, -1, dtype=int)
    names = sorted({s for _, _, s in spans})
    for start, end, surface in spans:  # later spans win where they overlap
        current[(at >= start) & (at <= end)] = names.index(surface)
    first = np.flatnonzero(current >= 0)
    current[: first[0]] = current[first[0]]  # before the first span: its surface
    # across gaps the last surface holds: each sample takes the latest covered sample's
    held = np.maximum.accumulate(np.where(current >= 0, np.arange(n_samples), 0))
    current = current[held]
    masks = {}
    for k, name in enumerate(names):
        mask = (current == k).astype(float)
        if mask.any():
            masks[name] = _faded(mask)
    return masks


def _faded(mask: np.ndarray) -> np.ndarray:
    width = max(1, int(SURFACE_FADE_S * SAMPLE_RATE))
    kernel = np.ones(width) / width
    padded = np.concatenate([np.full(width, mask[0]), mask, np.full(width, mask[-1])])
    return np.convolve(padded, kernel, mode="same")[width:-width]


def road_noise(speed: np.ndarray, masks: dict[str, np.ndarray],
               rng: np.random.Generator) -> np.ndarray:
    """The tyre noise of every surface but dry asphalt, each where its mask says, at 1 m.
    speed: m/s per 48 kHz sample (its magnitude is used)."""
    speed = np.abs(np.asarray(speed, float))
    out = np.zeros(len(speed))
    makers = {"gravel": gravel, "dirt": dirt, "grass": grass, "wet": wet_hiss}
    for name in sorted(masks):
        if name in makers:
            out += makers[name](speed, rng) * masks[name]
    return out


def asphalt_share(masks: dict[str, np.ndarray], n_samples: int) -> np.ndarray:
    """Where the dry or wet asphalt roar plays (the wet road keeps it under its hiss)."""
    share = np.zeros(n_samples)
    for name in ("asphalt", "wet"):
        if name in masks:
            share += masks[name]
    return np.clip(share, 0.0, 1.0)


def gravel(speed: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Stones clicking under the tread (a rate proportional to speed), arch pings (rate as
    speed squared) and a crunching bed."""
    p = surface_table()["gravel"]
    rate = p["clicks_per_m"] * speed  # clicks a second
    clicks = _granular(rate, p["click_gain"] * np.sqrt(speed), p["click_hz"],
                       p["click_decay_ms"], rng)
    pings = _granular(p["pings_per_s_per_m2s2"] * speed ** 2, p["ping_gain"] * np.ones_like(speed),
                      p["ping_hz"], (p["ping_decay_ms"], p["ping_decay_ms"]), rng)
    bed = _band(rng, len(speed), *p["bed_hz"]) * p["bed_gain"] * speed
    return clicks + pings + bed


def dirt(speed: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A soft rumble swelling with the ruts, and a little grit."""
    p = surface_table()["dirt"]
    n = len(speed)
    ruts = 1.0 + 0.25 * _band(rng, n, *p["rut_hz"], order=1)
    rumble = _band(rng, n, *p["rumble_hz"]) * p["rumble_gain"] * speed ** 1.5 * ruts
    grit = _granular(p["grit_per_m"] * speed, p["grit_gain"] * np.sqrt(speed), p["grit_hz"],
                     (1.0, 2.5), rng)
    return rumble + grit


def grass(speed: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A quiet rumble and the swish of blades."""
    p = surface_table()["grass"]
    n = len(speed)
    return (_band(rng, n, *p["rumble_hz"]) * p["rumble_gain"] * speed ** 1.5
            + _band(rng, n, *p["swish_hz"]) * p["swish_gain"] * speed)


def wet_hiss(speed: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Water squeezed from the tread and thrown up: a hiss over the roar."""
    p = surface_table()["wet"]
    return _band(rng, len(speed), *p["hiss_hz"]) * p["hiss_gain"] * speed ** 1.6


def _granular(rate: np.ndarray, gain: np.ndarray, band_hz, decay_ms,
              rng: np.random.Generator) -> np.ndarray:
    """A Poisson stream of short damped rings: `rate` events a second and `gain` peak per
    sample, each ring at a frequency drawn in band_hz (one of CLICK_BANDS resonators) decaying
    with a time constant drawn in decay_ms; amplitudes vary log-normally (stones differ)."""
    n = len(rate)
    counts = rng.poisson(np.maximum(rate, 0.0) / SAMPLE_RATE)
    amplitude = counts * gain * rng.lognormal(0.0, 0.6, n)
    bands = rng.integers(0, CLICK_BANDS, n)
    low, high = band_hz
    centres = np.geomspace(low, high, CLICK_BANDS)
    decays = np.linspace(decay_ms[1], decay_ms[0], CLICK_BANDS) / 1000.0  # higher: shorter
    signs = rng.choice((-1.0, 1.0), n)
    out = np.zeros(n)
    for k, (f, tau) in enumerate(zip(centres, decays)):
        impulses = np.where(bands == k, amplitude * signs, 0.0)
        if not impulses.any():
            continue
        r = np.exp(-1.0 / (tau * SAMPLE_RATE))
        w = 2 * np.pi * f / SAMPLE_RATE
        out += lfilter([np.sin(w)], [1.0, -2 * r * np.cos(w), r * r], impulses)
    return out


def _band(rng: np.random.Generator, n: int, low: float, high: float,
          order: int = 2) -> np.ndarray:
    sos = butter(order, [low, high], btype="bandpass", fs=SAMPLE_RATE, output="sos")
    noise = sosfilt(sos, rng.standard_normal(n))
    return noise / max(float(np.std(noise)), 1e-12)
