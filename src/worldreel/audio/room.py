"""Room reverb for indoor environments: early reflections of a shoebox room from the image-source
method (pyroomacoustics), a seeded late tail with the room's Eyring decay, one response per clip.

The room is read off the environment's walls (the inner faces of its thin boxes) with each
surface's absorption from the materials table. The response starts at the direct sound, which is
removed (the dry foley carries it), and is scaled so that the mono send at the 1 m reference
level gives the physical reverberant level, less a mixer's trim. pyroomacoustics is optional:
without it the foley stays dry and a warning is logged.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
from scipy.signal import butter, oaconvolve, sosfilt

from worldreel.assets import Environment, material
from worldreel.audio.clock import SAMPLE_RATE
from worldreel.recording import Recording

log = logging.getLogger(__name__)

SPEED_OF_SOUND = 343.0  # m/s at 20 C
SABINE = 0.161  # s/m: RT60 = 0.161 V / A (Sabine; Eyring's form uses -S ln(1 - mean alpha))
OPEN_HALF_M = 10.0  # a side without a wall (a studio's open front) is this far from the origin
OPEN_ABSORPTION = 0.6  # ... and behaves like a draped soundstage side
# Rooms here are empty boxes; furnished rooms and halls hold sofas, shelves, bleachers and people,
# roughly 0.3 m^2 Sabine per m^2 of floor (Everest & Pohlmann, furnishings and audience tables).
CONTENTS_SABINS_PER_M2 = 0.3
MIN_DIMENSION_M = 2.0
DIRECT_GUARD_S = 0.0015  # remove the direct sound and reflections that fuse with it
TAIL_CROSSFADE_S = 0.02
MAX_TAIL_S = 4.0
MAX_ORDER = 20
# Film sound keeps the direct sound in front: the physical reverberant level (critical distance
# ~0.7 m in a living room, ~2.3 m in a gym) would bury every hit at a wide shot's distance, so the
# wet signal sits this far under its physical level, as a mixer would set the send: a wide shot
# of a bounce in the gym (8 m) then has its reverb ~5 dB under the direct sound.
WET_TRIM_DB = -17.0
STEREO_SPACING_M = 0.2  # two omni microphones: a spaced pair gives a wide, decorrelated reverb
TAIL_BANDS_HZ = (500.0, 4000.0)
# Low / mid / high decay relative to the mid RT60: absorption of furnishings and air grows with
# frequency (ISO 9613-1; Kuttruff, "Room Acoustics", 5th ed., ch. 6).
TAIL_BAND_RT = (1.15, 1.0, 0.5)


@dataclass(frozen=True)
class Shoebox:
    """A rectangular room: dims (x, y, z) metres with its corner at world (-x/2, -y/2, 0)."""

    dims: tuple[float, float, float]
    absorption: dict  # surface name (east, west, north, south, floor, ceiling) -> alpha

    @property
    def volume(self) -> float:
        return float(np.prod(self.dims))

    def areas(self) -> dict[str, float]:
        x, y, z = self.dims
        return {"east": y * z, "west": y * z, "north": x * z, "south": x * z,
                "floor": x * y, "ceiling": x * y}

    def rt60(self) -> float:
        """Eyring reverberation time (s)."""
        areas = self.areas()
        total = sum(areas.values())
        mean_alpha = sum(areas[k] * self.absorption[k] for k in areas) / total
        return SABINE * self.volume / (-total * np.log(1.0 - min(mean_alpha, 0.99)))

    def to_room(self, point) -> np.ndarray:
        """World point -> room coordinates, kept 0.1 m inside the walls."""
        x, y, z = self.dims
        p = np.asarray(point, dtype=float) + np.array([x / 2, y / 2, 0.0])
        return np.clip(p, 0.1, np.array(self.dims) - 0.1)


def shoebox_of(place: Environment, floor_material: str | None = None) -> Shoebox:
    """The room of an indoor environment, from its thin wall boxes and materials (the floor's
    material as the Scene overrides it, if it does)."""
    faces: dict[str, tuple[float, str]] = {}
    height = 0.0
    for part in place.parts:
        if part.shape != "box" or part.collides is False:
            continue
        half = np.asarray(part.size[:3], dtype=float)
        pos = np.asarray(part.pos, dtype=float)
        axis = int(np.argmin(half))
        if axis == 2 and pos[2] > half[2]:
            continue  # the ceiling: its underside is the height the walls reach
        height = max(height, pos[2] + half[2])
        if axis == 2 or abs(pos[axis]) <= half[axis]:
            continue  # not a wall: a floor slab or a box around the origin
        name = {(0, 1): "east", (0, -1): "west", (1, 1): "north", (1, -1): "south"}[
            (axis, int(np.sign(pos[axis])))]
        face = abs(pos[axis]) - half[axis]
        mat = part.material or "plaster"
        if name not in faces or face < faces[name][0]:
            faces[name] = (face, mat)
    halves = []
    for pair in (("east", "west"), ("north", "south")):
        found = [faces[k][0] for k in pair if k in faces]
        halves.append(min(found) if found else OPEN_HALF_M)
    enclosed = len(faces) == 4
    z = height if enclosed and height > 0 else max(height, 2.0 * OPEN_HALF_M / 2.5)
    dims = (float(max(2 * halves[0], MIN_DIMENSION_M)), float(max(2 * halves[1], MIN_DIMENSION_M)),
            float(max(z, MIN_DIMENSION_M)))
    absorption = {}
    for name in ("east", "west", "north", "south"):
        absorption[name] = (material(faces[name][1]).acoustic.absorption if name in faces
                            else OPEN_ABSORPTION)
    wall_materials = [m for _, m in faces.values()]
    absorption["ceiling"] = (material(wall_materials[0]).acoustic.absorption if enclosed
                             else OPEN_ABSORPTION)
    # The contents stand on the floor: their Sabins per floor m^2 add to the floor's coefficient.
    floor = floor_material or place.floor_material
    absorption["floor"] = min(0.95, material(floor).acoustic.absorption
                              + CONTENTS_SABINS_PER_M2)
    return Shoebox(dims, absorption)


def reverb(send: np.ndarray, place: Environment, recording: Recording,
           rng: np.random.Generator, floor_material: str | None = None,
           source: np.ndarray | None = None) -> np.ndarray | None:
    """(n, 2) reverberation of the mono send in this environment's room; None when unavailable.
    `source`: where the sound comes from (default: where the contacts happen)."""
    room = shoebox_of(place, floor_material)
    contacts, listener, right = _positions(recording)
    source = contacts if source is None else np.asarray(source, dtype=float)
    response = room_response(room, source, listener, right, rng)
    if response is None:
        return None
    n = len(send)
    wet = np.stack([oaconvolve(send, response[k])[:n] for k in range(2)], axis=1)
    return wet


def _positions(recording: Recording) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where the sound happens (impulse-weighted contacts), the mean camera, the camera's right."""
    events = [e for e in recording.events if e.impulse > 0]
    if events:
        weights = np.array([e.impulse for e in events])
        source = np.average(np.array([e.point for e in events], dtype=float), axis=0,
                            weights=weights)
    else:
        source = np.zeros(3)
    source = source + np.array([0.0, 0.0, 0.05])  # just above the floor, not in it
    camera = recording.camera
    if camera is not None and len(camera.times):
        listener = camera.positions.mean(axis=0)
        forward = camera.targets.mean(axis=0) - listener
    else:
        listener = source + np.array([4.0, 0.0, 1.6])
        forward = source - listener
    right = np.cross(forward, [0.0, 0.0, 1.0])
    norm = np.linalg.norm(right)
    right = right / norm if norm > 1e-6 else np.array([0.0, 1.0, 0.0])
    return source, listener, right


def room_response(room: Shoebox, source, listener, right, rng: np.random.Generator
                  ) -> np.ndarray | None:
    """(2, L) response without the direct sound, time 0 = arrival of the direct sound."""
    try:
        import pyroomacoustics as pra  # noqa: PLC0415 - optional, heavy
    except ImportError:
        log.warning("pyroomacoustics is not installed: indoor foley stays dry "
                    "(pip install pyroomacoustics for room reverb)")
        return None
    src = room.to_room(source)
    mics = np.stack([room.to_room(listener + s * STEREO_SPACING_M / 2 * np.asarray(right))
                     for s in (-1.0, 1.0)], axis=1)
    mixing = float(np.clip(np.sqrt(room.volume) / 1000.0, 0.01, 0.08))  # mixing time ~ sqrt(V) ms
    reach = SPEED_OF_SOUND * (mixing + TAIL_CROSSFADE_S + 0.01)
    order = int(min(MAX_ORDER, sum(np.ceil(reach / d) + 1 for d in room.dims)))
    materials = {k: pra.Material(energy_absorption=float(a)) for k, a in room.absorption.items()}
    shoebox = pra.ShoeBox(list(room.dims), fs=SAMPLE_RATE, materials=materials, max_order=order,
                          air_absorption=False)
    shoebox.add_source(list(src))
    shoebox.add_microphone_array(mics)
    shoebox.compute_rir()
    lead = pra.constants.get("frac_delay_length") // 2  # pyroomacoustics' fractional-delay offset
    rt60 = room.rt60()
    length = int(min(MAX_TAIL_S, 1.2 * rt60 * max(TAIL_BAND_RT)) * SAMPLE_RATE)
    out = np.zeros((2, length))
    for k in range(2):
        direct = np.linalg.norm(mics[:, k] - src) / SPEED_OF_SOUND
        early = np.asarray(shoebox.rir[k][0], dtype=float)[int(round(direct * SAMPLE_RATE)) + lead:]
        # pyroomacoustics' image amplitudes are 1/r (its direct path at r metres peaks at 1/r),
        # the same law as the send's 1 m reference: no rescaling beyond the mixer's trim.
        # Each of the two channels carries half the reverberant energy (as the equal-power pan
        # does for the dry sound).
        early = early[:length] * 10.0 ** (WET_TRIM_DB / 20.0) * np.sqrt(0.5)
        out[k, :len(early)] = early
        out[k] = _with_tail(out[k], rt60, mixing, rng)
    guard = int(DIRECT_GUARD_S * SAMPLE_RATE)
    fade = np.sin(0.5 * np.pi * np.linspace(0.0, 1.0, guard)) ** 2
    out[:, :guard] = 0.0
    out[:, guard:2 * guard] *= fade
    return out


def _with_tail(early: np.ndarray, rt60: float, mixing: float, rng: np.random.Generator
               ) -> np.ndarray:
    """Continue the early reflections with decaying noise matched in level at the mixing time."""
    n = len(early)
    t = np.arange(n) / SAMPLE_RATE
    noise = rng.standard_normal(n)
    low = sosfilt(butter(4, TAIL_BANDS_HZ[0], fs=SAMPLE_RATE, output="sos"), noise)
    mid = sosfilt(butter(2, TAIL_BANDS_HZ, btype="band", fs=SAMPLE_RATE, output="sos"), noise)
    high = sosfilt(butter(4, TAIL_BANDS_HZ[1], btype="high", fs=SAMPLE_RATE, output="sos"), noise)
    tail = np.zeros(n)
    for band, factor in zip((low, mid, high), TAIL_BAND_RT, strict=True):
        tail += band * np.exp(-6.9078 * t / (rt60 * factor))  # 60 dB = ln(1000)
    start = int(mixing * SAMPLE_RATE)
    stop = min(n, start + int(TAIL_CROSSFADE_S * SAMPLE_RATE))
    if stop <= start:
        return early
    match = np.sqrt(np.mean(early[start:stop] ** 2) / max(np.mean(tail[start:stop] ** 2), 1e-30))
    tail *= match
    fade = np.zeros(n)
    fade[start:stop] = np.linspace(0.0, 1.0, stop - start)
    fade[stop:] = 1.0
    return early * (1.0 - fade) + tail * fade
