"""Identity continuity on per-frame instance-id PNGs."""

from __future__ import annotations

import numpy as np
import pytest

from worldreel.evaluate import EvaluationError, evaluate_clip
from worldreel.evaluate.identity import check_identity

cv2 = pytest.importorskip("cv2")


def _write_masks(directory, *, swap_at: int | None = None, frames: int = 12) -> None:
    """Two squares passing each other, ids 1 and 2 (16-bit); optionally the ids swap."""
    directory.mkdir()
    for f in range(frames):
        mask = np.zeros((60, 120), np.uint16)
        a, b = (1, 2) if swap_at is None or f < swap_at else (2, 1)
        mask[10:30, 5 + 3 * f : 25 + 3 * f] = a
        mask[35:55, 90 - 3 * f : 110 - 3 * f] = b
        cv2.imwrite(str(directory / f"frame_{f:06d}.png"), mask)


def test_steady_ids_pass(tmp_path):
    _write_masks(tmp_path / "m")
    result = check_identity(tmp_path / "m")
    assert result.ok and result.ids == [1, 2] and result.frames == 12


def test_swapped_ids_are_caught(tmp_path):
    _write_masks(tmp_path / "m", swap_at=6)
    result = check_identity(tmp_path / "m")
    assert not result.ok
    assert {(s.frame, s.id, s.took_over_from) for s in result.swaps} == {(6, 1, 2), (6, 2, 1)}


def test_masks_beside_a_clip_are_found_and_a_missing_directory_is_an_error(clips, tmp_path):
    clip = clips["clean"].path
    with pytest.raises(EvaluationError, match="instance-mask directory not found"):
        evaluate_clip(clip, masks_dir=tmp_path / "nowhere")
    _write_masks(tmp_path / "masks", swap_at=4)
    report = evaluate_clip(clip, masks_dir=tmp_path / "masks")
    assert report.identity is not None and not report.identity.ok
