"""Identity continuity: instance ids in per-frame masks never jump from one object to another.

The masks are a directory of single-channel PNGs, one per frame in name order (8- or 16-bit),
each pixel holding the instance id of what it shows (0 = nothing tracked); by default the
directory `clip.masks/` beside `clip.mp4`. Between consecutive frames each instance is matched
to the previous frame's instance it overlaps most: if that is another id, while the two overlap
more than the id overlaps its own previous mask, the ids swapped (or one took over the other).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from worldreel.evaluate.errors import EvaluationError, require

SWAP_MIN_IOU = 0.3  # an overlap this large with another id's previous mask is a takeover


@dataclass(frozen=True)
class IdSwap:
    frame: int
    id: int
    took_over_from: int
    iou: float


@dataclass
class IdentityResult:
    frames: int
    ids: list[int] = field(default_factory=list)
    swaps: list[IdSwap] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.swaps

    def to_dict(self) -> dict:
        return {
            "frames": self.frames,
            "ids": self.ids,
            "ok": self.ok,
            "swaps": [
                {
                    "frame": s.frame,
                    "id": s.id,
                    "took_over_from": s.took_over_from,
                    "iou": round(s.iou, 3),
                }
                for s in self.swaps
            ],
        }


def _frame_number(path: Path) -> tuple[int, str]:
    digits = re.findall(r"\d+", path.stem)
    return (int(digits[-1]) if digits else -1, path.name)


def mask_files(directory: Path) -> list[Path]:
    return sorted(directory.glob("*.png"), key=_frame_number)


def read_mask(path: Path) -> np.ndarray:
    cv2 = require("cv2", "instance masks")
    mask = cv2.imread(str(path), cv2.IMREAD_UNCHANGED)
    if mask is None:
        raise EvaluationError(f"{path}: not a readable PNG instance mask")
    if mask.ndim == 3:
        raise EvaluationError(f"{path}: instance masks must be single-channel ids, not colour")
    return mask


def _overlaps(before: np.ndarray, after: np.ndarray) -> dict[tuple[int, int], float]:
    """IoU of every (id before, id after) pair that overlaps at all (background left out)."""
    both = (before > 0) | (after > 0)
    a = before[both].astype(np.int64)
    b = after[both].astype(np.int64)
    areas_a = dict(zip(*np.unique(a[a > 0], return_counts=True)))
    areas_b = dict(zip(*np.unique(b[b > 0], return_counts=True)))
    keep = (a > 0) & (b > 0)
    pairs, counts = np.unique(np.stack([a[keep], b[keep]]), axis=1, return_counts=True)
    result = {}
    for (ia, ib), inter in zip(pairs.T, counts):
        union = areas_a[ia] + areas_b[ib] - inter
        result[(int(ia), int(ib))] = float(inter / union)
    return result


def check_identity(directory: str | Path) -> IdentityResult:
    """Walk the masks once, two frames in memory at a time."""
    files = mask_files(Path(directory))
    result = IdentityResult(frames=len(files))
    seen: set[int] = set()
    previous = None
    for frame, path in enumerate(files):
        mask = read_mask(path)
        seen.update(int(v) for v in np.unique(mask) if v > 0)
        if previous is not None and previous.shape == mask.shape:
            overlaps = _overlaps(previous, mask)
            for current in {b for _, b in overlaps}:
                own = overlaps.get((current, current), 0.0)
                rivals = [
                    (iou, a) for (a, b), iou in overlaps.items() if b == current and a != current
                ]
                if rivals:
                    iou, other = max(rivals)
                    if iou >= SWAP_MIN_IOU and iou > own:
                        result.swaps.append(
                            IdSwap(frame=frame, id=current, took_over_from=other, iou=iou)
                        )
        previous = mask
    result.ids = sorted(seen)
    return result
