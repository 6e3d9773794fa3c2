"""Toy clips built once per test session (each takes about a second to encode and analyse)."""

from __future__ import annotations

import numpy as np
import pytest

from worldreel.evaluate.tests.toyclip import make_toy_clip

FLICKER_LEVELS = 8  # alternate frames brighter and darker by this many 8-bit levels


def flicker(frames: list[np.ndarray]) -> list[np.ndarray]:
    return [
        np.clip(f.astype(np.int16) + (FLICKER_LEVELS if i % 2 else -FLICKER_LEVELS), 0, 255).astype(
            np.uint8
        )
        for i, f in enumerate(frames)
    ]


def swap_pairs(frames: list[np.ndarray]) -> list[np.ndarray]:
    """Swap frames 6 and 7, 18 and 19, ...: a stutter every half second."""
    frames = list(frames)
    for i in range(6, len(frames) - 2, 12):
        frames[i], frames[i + 1] = frames[i + 1], frames[i]
    return frames


@pytest.fixture(scope="session")
def clips(tmp_path_factory):
    root = tmp_path_factory.mktemp("toy_clips")
    return {
        "clean": make_toy_clip(root / "clean", sidecars=True),
        "late": make_toy_clip(root / "late", audio_shift_s=0.2, sidecars=True),
        "flicker": make_toy_clip(root / "flicker", frame_edit=flicker),
        "swapped": make_toy_clip(root / "swapped", frame_edit=swap_pairs),
    }


@pytest.fixture(scope="session")
def reports(clips, tmp_path_factory):
    from worldreel.evaluate import evaluate_clip

    plots = tmp_path_factory.mktemp("plots")
    return {
        name: evaluate_clip(clip.path, plots_dir=plots / name if name == "clean" else None)
        for name, clip in clips.items()
    }
